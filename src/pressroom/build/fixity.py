"""Fixity for archivists: a SHA256SUMS file beside the editions, and BagIt bags."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import bagit

from ..core.atomic import atomic_path
from ..core.errors import OutputError, UsageError
from ..reading.collection import interview_files, is_collection, read_book
from ..reading.registry import registry_files
from .pipeline import Output, folder_files, sha256_of

SUMS = "SHA256SUMS"


def update_sums(out: Path, outputs: Iterable[Output]) -> Path:
    """Record `outputs` in OUT/SHA256SUMS (as `sha256sum -c` reads it), keeping other files' lines.

    Several pressroom processes may share OUT (make -j): a lock serialises them,
    and lines for files that no longer exist are dropped.
    """
    sums = out / SUMS
    out.mkdir(parents=True, exist_ok=True)
    folder = os.open(out, os.O_RDONLY)  # the folder itself is the lock: no lock file left behind
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        lines: dict[str, str] = {}
        if sums.is_file():
            for line in sums.read_text(encoding="utf-8").splitlines():
                digest, _, name = line.partition("  ")
                if name and (out / name).is_file():
                    lines[name] = digest
        for output in outputs:
            if output.path.is_dir():  # the web edition: each of its files (sha256sum -c checks files)
                stale = f"{output.path.relative_to(out).as_posix()}/"
                lines = {name: digest for name, digest in lines.items() if not name.startswith(stale)}
                for file in folder_files(output.path):
                    lines[file.relative_to(out).as_posix()] = sha256_of(file)
            else:
                lines[output.path.relative_to(out).as_posix()] = output.sha256
        with atomic_path(sums) as tmp:
            tmp.write_text("".join(f"{lines[name]}  {name}\n" for name in sorted(lines)), encoding="utf-8")
    finally:
        os.close(folder)  # closing releases the lock
    return sums


def make_bag(bag: Path, editions: Iterable[Path], sources: Iterable[Path], when: datetime) -> None:
    """A BagIt bag at `bag` holding the editions, the sources and the registries and pictures they were read with."""
    if bag.exists() and (not bag.is_dir() or any(bag.iterdir())):
        raise UsageError(f"{bag}: the bag folder must be new or empty")
    try:
        (bag / "editions").mkdir(parents=True, exist_ok=True)
        (bag / "source").mkdir(exist_ok=True)
        for edition in editions:
            if edition.is_dir():  # the web edition
                shutil.copytree(edition, bag / "editions" / edition.name)
            else:
                shutil.copy2(edition, bag / "editions" / edition.name)
        for source in sources:
            _copy_with_registries(source, bag / "source" / source.name)
            if is_collection(source):  # its interviews, where it names them, so the bag builds it again
                for interview in interview_files(source):
                    _copy_with_registries(interview, bag / "source" / interview.relative_to(source.parent))
            _write_pictures(read_book(source), source.parent, bag / "source")
        bagit.make_bag(
            str(bag),
            bag_info={"Source-Organization": "pressroom", "Bagging-Date": when.date().isoformat()},
            checksums=["sha256"],
        )
    except (OSError, bagit.BagError) as err:
        raise OutputError(f"{bag}: cannot write the bag: {getattr(err, 'strerror', None) or err}") from None


def _write_pictures(book, folder: Path, target: Path) -> None:  # noqa: ANN001 - a model.Book
    """The figures' pictures, as the build read them, where their sources name them (relative to `folder`)."""
    for figure in book.figures:
        chapter_folder = Path(os.path.relpath(Path(figure.source).parent, folder))
        picture = target / chapter_folder / figure.image.name
        picture.parent.mkdir(parents=True, exist_ok=True)
        picture.write_bytes(figure.image.data)


def _copy_with_registries(source: Path, target: Path) -> None:
    """`source` copied to `target`, with the registries beside it beside the copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    for _, registry in registry_files(source.parent):
        shutil.copy2(registry, target.parent / registry.name)
