"""One source through the whole pipeline: read, lay out, write, proof.

As docutils' Publisher carries one document from its reader to its writers, `build_source` carries
one source to its editions. The command (through the batch), the batch's worker processes, the
cluster's workers and the tests build a source by calling it; nothing else runs the stages. Every
setting arrives as a value in the `Job`, the build's date too: nothing here reads the environment.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..core.atomic import atomic_paths
from ..core.model import Book
from ..core.options import BuildOptions, build_timestamp
from ..reading.collection import read_book
from ..typeset.layout import Layouts, lay_out
from ..typeset.proof import proof_staged
from ..writers import writer_for


@dataclass(frozen=True)
class Job:
    """What to make of every source: the formats, where, the settings all sources share, and the date."""

    formats: tuple[str, ...]
    out: Path
    options: BuildOptions  # its timestamp is set per source, by `build_timestamp`
    source_date: datetime | None = None  # SOURCE_DATE_EPOCH, read once by the command and sent to every worker


@dataclass(frozen=True)
class Output:
    path: Path
    sha256: str


@dataclass(frozen=True)
class Editions:
    """What a build wrote, and the layouts it took (None: no edition needed the print layout)."""

    outputs: tuple[Output, ...]
    layouts: Layouts | None = None


def build_source(source: Path, job: Job) -> Editions:
    """Read `source` and write its editions into `job.out`, each as `job.formats` names it, in that order.

    The editions replace the earlier ones together once all are made and the PDF is proofed: a
    PressroomError (a bad source, a hard defect in the PDF, a write that fails) leaves every earlier
    edition as it was. The book is laid out once, only if a writer needs print pages. The work
    that waits on other processes overlaps the work that needs this one: WeasyPrint is imported
    while pandoc reads the source, the writers that need no layout (the DOCX: pandoc again) write
    while WeasyPrint lays out the book, and poppler reads the PDF back for its proof while the
    EPUB is written.
    """
    if any(writer_for(fmt).needs_layout for fmt in job.formats):
        threading.Thread(target=importlib.import_module, args=("weasyprint",), daemon=True).start()
    return build_book(read_book(source), source.stem, job)


def build_book(doc: Book, stem: str, job: Job) -> Editions:
    """Write the editions of a book already read (`build_source`'s; `pressroom preview`'s, of the text
    it last read whole) into `job.out` as `<stem>.<format>`."""
    writers = {fmt: writer_for(fmt) for fmt in job.formats}
    needs_layout = any(writer.needs_layout for writer in writers.values())
    paths = [job.out / f"{stem}.{writers[fmt].suffix or fmt}" for fmt in job.formats]
    options = replace(job.options, timestamp=build_timestamp(doc.front.date, job.source_date))
    with atomic_paths(paths) as staged, ThreadPoolExecutor(max_workers=2) as beside:
        work = dict(zip(job.formats, staged, strict=True))
        waiting = [
            beside.submit(writer.write, doc, work[fmt], options, None)
            for fmt, writer in writers.items() if not writer.needs_layout
        ]
        layout = lay_out(doc, options) if needs_layout else None
        for fmt, writer in writers.items():
            if writer.needs_layout:
                writer.write(doc, work[fmt], options, layout)
            if fmt == "pdf":  # proofed before it is put in place (a hard defect writes no PDF), by poppler's
                # processes while the EPUB is written here
                waiting.append(beside.submit(proof_staged, work["pdf"], job.out / f"{stem}.pdf"))
        for future in waiting:
            future.result()
    return Editions(tuple(Output(path, sha256_of(path)) for path in paths), layout.layouts if layout else None)


def sha256_of(path: Path) -> str:
    """A file's SHA-256; a folder's (the web edition), of the sorted lines `sha256sum` gives its files."""
    if path.is_dir():
        lines = "".join(f"{sha256_of(file)}  {file.relative_to(path).as_posix()}\n" for file in folder_files(path))
        return hashlib.sha256(lines.encode("utf-8")).hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder_files(folder: Path) -> list[Path]:
    """Every file under `folder`, in a fixed order."""
    return sorted((path for path in folder.rglob("*") if path.is_file()), key=lambda path: path.as_posix())
