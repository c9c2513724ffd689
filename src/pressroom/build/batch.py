"""Building many sources: one worker process per source, results gathered for the report.

A source's failure is its own: it is recorded (and, without keep_going,
stops the sources not yet started), never raised past the batch.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..core.atomic import atomic_paths
from ..core.errors import PressroomError, UsageError
from ..core.options import BuildOptions
from ..typeset.proof import proof_staged

Status = Literal["ok", "error", "skipped"]  # "skipped": not started after an earlier error


@dataclass(frozen=True)
class Job:
    """What to make of every source: the formats, where, and the settings all sources share."""

    formats: tuple[str, ...]
    out: Path
    options: BuildOptions  # its timestamp is replaced per source (SOURCE_DATE_EPOCH or the front matter's date)
    source_date_epoch: str | None = None  # the client's SOURCE_DATE_EPOCH, on a cluster's worker; None: this process's


@dataclass(frozen=True)
class Output:
    path: Path
    sha256: str


@dataclass(frozen=True)
class Result:
    """How one source went."""

    source: Path
    status: Status
    outputs: tuple[Output, ...] = ()
    seconds: float = 0.0
    message: str = ""
    exit_code: int = 0


def build_one(source: Path, job: Job) -> Result:
    """Read one source and write its editions; a PressroomError becomes a failed Result.

    The book is laid out once, for every writer that needs print pages. The
    work that waits on other processes overlaps the work that needs this one:
    WeasyPrint is imported while pandoc reads the source, the writers that
    need no layout (the DOCX: pandoc again) write while WeasyPrint lays out the book,
    and poppler reads the PDF back for its proof while the EPUB is written.
    """
    from ..reading.collection import read_book
    from ..typeset.layout import lay_out
    from ..core.options import build_timestamp
    from ..writers import writer_for

    started = time.perf_counter()
    writers = {fmt: writer_for(fmt) for fmt in job.formats}
    needs_layout = any(writer.needs_layout for writer in writers.values())
    if needs_layout:
        threading.Thread(target=importlib.import_module, args=("weasyprint",), daemon=True).start()
    paths = [job.out / f"{source.stem}.{writers[fmt].suffix or fmt}" for fmt in job.formats]
    try:
        doc = read_book(source)
        options = replace(job.options, timestamp=build_timestamp(doc.front.date, job.source_date_epoch))
        # A source's editions replace the earlier ones together, once all are made.
        with atomic_paths(paths) as staged, ThreadPoolExecutor(max_workers=2) as beside:
            work = dict(zip(job.formats, staged))
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
                    waiting.append(beside.submit(proof_staged, work["pdf"], job.out / f"{source.stem}.pdf"))
            for future in waiting:
                future.result()
    except PressroomError as error:
        return Result(source, "error", (), time.perf_counter() - started, str(error), error.exit_code)
    outputs = tuple(Output(path, sha256_of(path)) for path in paths)
    return Result(source, "ok", outputs, time.perf_counter() - started)


def refuse_clashing_names(sources: list[Path]) -> None:
    """Editions are named after their source's file name: two sources of one name would overwrite
    each other's editions (and their copies in a bag), so such a batch is refused before any work."""
    seen: dict[str, Path] = {}
    for source in sources:
        earlier = seen.setdefault(source.stem, source)
        if earlier != source and earlier.resolve() != source.resolve():
            raise UsageError(f"{earlier} and {source} would both be written as {source.stem}.*; rename one")


def build_all(
    sources: list[Path], job: Job, jobs: int, keep_going: bool, on_result: Callable[[Result], None]
) -> list[Result]:
    """Build every source, `jobs` at a time; `on_result` hears of each as it finishes."""
    refuse_clashing_names(sources)
    results: dict[Path, Result] = {}
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            if not keep_going and any(r.status == "error" for r in results.values()):
                results[source] = Result(source, "skipped")
            else:
                results[source] = build_one(source, job)
            on_result(results[source])
        return [results[s] for s in sources]

    with ProcessPoolExecutor(max_workers=min(jobs, len(sources)), initializer=_worker_start) as pool:
        waiting = iter(sources)
        running: dict[Future, Path] = {}
        stopped = False
        for source in _take(waiting, min(jobs, len(sources))):
            running[pool.submit(build_one, source, job)] = source
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                results[running.pop(future)] = result
                on_result(result)
                stopped = stopped or (result.status == "error" and not keep_going)
                if not stopped:
                    for source in _take(waiting, 1):
                        running[pool.submit(build_one, source, job)] = source
        for source in waiting:  # never started: an earlier source failed
            results[source] = Result(source, "skipped")
            on_result(results[source])
    return [results[s] for s in sources]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _take(iterator: Iterator[Path], count: int) -> list[Path]:
    return [item for _, item in zip(range(count), iterator)]


def _worker_start() -> None:
    """Workers stop cleanly on SIGTERM (their temporary files removed), like the main process,
    and leave Ctrl-C to it: a source being written is finished, the others are not started."""
    from ..core.signals import leave_interrupts_to_parent, terminate_cleanly

    leave_interrupts_to_parent()
    terminate_cleanly()
