"""Atomic output: files appear whole under their names, or not at all.

Every file pressroom writes goes through `atomic_paths`, which is also where a
failed write (a full disk, a folder that is a file, no permission) becomes one
`OutputError` naming the file, instead of a traceback.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError


@contextmanager
def atomic_paths(outs: list[Path]) -> Iterator[list[Path]]:
    """Temporary paths beside each of `outs`, renamed onto them together if the block succeeds.

    Beside, not in /tmp, so each rename stays on one file system and is atomic;
    the earlier files are untouched until every new one is complete, and an
    error, Ctrl-C or SIGTERM (see signals.py) removes the temporary files.
    """
    tmps: list[Path] = []
    try:
        for out in outs:
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
            os.close(fd)
            tmps.append(Path(name))
        yield tmps
        for tmp, out in zip(tmps, outs, strict=True):
            if tmp.is_dir():
                replace_folder(tmp, out)
            else:
                os.chmod(tmp, 0o644)
                os.replace(tmp, out)
    except OSError as err:
        raise OutputError(f"{_named(err, tmps, outs)}: cannot write: {err.strerror or err}") from None
    finally:
        for tmp in tmps:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def replace_folder(tmp: Path, out: Path) -> None:
    """A whole folder (the web edition) put in place of the earlier one: the earlier is renamed aside, the
    new one renamed in, the earlier removed; a reader sees the one or the other, never a mixture."""
    for path in tmp.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    os.chmod(tmp, 0o755)
    if not out.is_dir():
        os.replace(tmp, out)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.replace(out, aside / out.name)
    os.replace(tmp, out)
    shutil.rmtree(aside, ignore_errors=True)


def _named(err: OSError, tmps: list[Path], outs: list[Path]) -> Path:
    """The output an error is about: the file it names (its final name, not the temporary one)."""
    named = Path(err.filename) if err.filename else None
    for tmp, out in zip(tmps, outs, strict=False):  # fewer temporary files when making one failed
        if named == tmp:
            return out
    return named or outs[0]


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside `out`, renamed onto it if the block succeeds."""
    with atomic_paths([out]) as (tmp,):
        yield tmp
