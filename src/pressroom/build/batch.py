"""Building many sources: one worker process per source, results gathered for the report.

A source's failure is its own: it is recorded (and, without keep_going,
stops the sources not yet started), never raised past the batch.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Literal

from ..core.errors import PressroomError, UsageError
from ..core.signals import leave_interrupts_to_parent, terminate_cleanly
from ..typeset.layout import Layouts
from .pipeline import Job, Output, build_source

Status = Literal["ok", "error", "skipped"]  # "skipped": not started after an earlier error


@dataclass(frozen=True)
class Result:
    """How one source went."""

    source: Path
    status: Status
    outputs: tuple[Output, ...] = ()
    seconds: float = 0.0
    message: str = ""
    exit_code: int = 0
    layouts: Layouts | None = None  # WeasyPrint's layouts in the process that built it


def build_one(source: Path, job: Job) -> Result:
    """`build_source` for a batch: its editions and how long it took, or its PressroomError as a failed Result."""
    started = time.perf_counter()
    try:
        built = build_source(source, job)
    except PressroomError as error:
        return Result(source, "error", (), time.perf_counter() - started, str(error), error.exit_code)
    return Result(source, "ok", built.outputs, time.perf_counter() - started, layouts=built.layouts)


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


def _take(iterator: Iterator[Path], count: int) -> list[Path]:
    return list(islice(iterator, count))


def _worker_start() -> None:
    """Workers stop cleanly on SIGTERM (their temporary files removed), like the main process,
    and leave Ctrl-C to it: a source being written is finished, the others are not started."""
    leave_interrupts_to_parent()
    terminate_cleanly()
