"""A collection's text fitted a group of parts at a time, the later groups by worker processes while
this process fits the first (see `fit_groups`).

A worker is a process of its own that builds its typesetter and print edition once (a `_Fitter`, in
the frame of `_serve`) and fits the groups it is handed over a pipe, one at a time; a thread of this
process hands it each group and waits for what it decided.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from concurrent.futures import Future
from multiprocessing.connection import Connection

from ..core.model import Book
from ..core.options import BuildOptions
from ..core.signals import leave_interrupts_to_parent
from .fitting import fitted
from .print_edition import Decisions, PrintEdition
from .typesetter import Typeset, numbered_from, recto_after, typesetter

_LAYOUTS_A_FIT = 4  # about what fitting a group costs, in layouts of it (measured: 2.35 s against 0.6 s a chapter)

Group = tuple[str, ...]  # the names of the parts laid out together


def fit_groups(typeset: Typeset, edition: PrintEdition, groups: list[list[str]],
               first_page: int) -> dict[tuple[Group, int], list]:
    """Fit each group of parts on its own (see `fitted`), the first opening on `first_page`: the
    decisions go into `edition`; the pages of every group are returned, by (group, first page).

    Each group opens on a recto and its pages do not depend on those of the others, so this
    process takes them in order, numbered as they print: a group it fits itself keeps its last
    fitting layout. With more than one core, worker processes fit the groups after the first
    share of the text at the same time, one at a time each, in order; this process lays each of
    those out once with the worker's decisions (a layout cannot be handed between processes)
    while the workers fit the next, and fits itself those no worker has begun when it gets there.
    The decisions are the same whichever process makes them (the book's bytes do not change).
    Workers fitting from the back until they met this process, which then laid out all theirs
    alone, left a core idle for an eighth of a 40-interview collection's build.
    """
    laid: dict[tuple[Group, int], list] = {}
    workers = min((os.cpu_count() or 1) - 1, len(groups) - 1)
    if multiprocessing.current_process().daemon:  # a daemon (a Dask worker) may start no processes
        workers = 0
    handover = _Handover(edition, _handed_over(edition, groups, workers), workers) if workers > 0 else None
    with handover or contextlib.nullcontext():
        page = first_page
        for group in groups:
            by_worker = handover.decisions_of(group) if handover else None
            if by_worker is None:
                pages = fitted(typeset, edition, group, page).pages
            else:
                edition.decisions = edition.decisions.adopting(by_worker)
                pages = typeset(edition.book(None, group), *numbered_from(page)).pages
            laid[(tuple(group), page)] = pages
            page = recto_after(page - 1 + len(pages))
    return laid


def _handed_over(edition: PrintEdition, groups: list[list[str]], workers: int) -> list[list[str]]:
    """The groups for the workers: those after the share of the text (by its length) that this process
    fits while they fit the rest, given that it then lays out each of theirs once."""
    sizes = [sum(len(part.body) for part in edition.unpaged if part.name in group) for group in groups]
    own_share = max(1 / workers - 1 / _LAYOUTS_A_FIT, 0.0) / (1 + 1 / workers - 1 / _LAYOUTS_A_FIT)
    own, total = 0, sum(sizes)
    for count, size in enumerate(sizes):
        if own + size / 2 > own_share * total:
            return groups[count:]
        own += size
    return []


class _Handover:
    """Groups handed to fitting workers in order, one at a time a worker, so that those not yet
    handed over can be taken back by the process that lays the book out.

    A context: the workers start on entering it, the first group of each handed over at once, and
    stop on leaving it; should this process leave on an error (or Ctrl-C), a worker still fitting
    is ended there (nothing it holds is wanted)."""

    def __init__(self, edition: PrintEdition, groups: list[list[str]], workers: int):
        self._doc, self._options, self._count = edition.doc, edition.options, workers
        self._lock, self._closed = threading.Lock(), False
        self._waiting = [tuple(group) for group in groups]
        self._handed: dict[Group, Future] = {}
        self._workers: list[_Worker] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> _Handover:
        try:
            for _ in range(self._count):
                worker = _Worker(self._doc, self._options)
                self._workers.append(worker)
                thread = threading.Thread(target=self._hand_over, args=(worker, self._next()), daemon=True)
                self._threads.append(thread)
                thread.start()
        except BaseException:
            self._close(ending=True)
            raise
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        self._close(ending=error_type is not None)

    def _close(self, ending: bool) -> None:
        """Hand over no more groups, and stop the workers once they are done; if `ending`, at once."""
        with self._lock:
            self._closed = True
        if ending:
            for worker in self._workers:
                worker.end()
        for thread in self._threads:
            thread.join()

    def _next(self) -> tuple[Group, Future] | None:
        """The next group waiting, now handed over, with what is to come of it; None if none is left to hand over."""
        with self._lock:
            if self._closed or not self._waiting:
                return None
            group = self._waiting.pop(0)
            future = self._handed[group] = Future()
            return group, future

    def _hand_over(self, worker: _Worker, handed: tuple[Group, Future] | None) -> None:
        """A thread's work for one worker: hand it a group at a time until none is left, then stop it."""
        try:
            while handed is not None:
                group, future = handed
                try:
                    decisions = worker.fit(group)
                except Exception as error:  # the worker's: raised where the group is taken
                    future.set_exception(error)
                    return
                if decisions is None:  # the worker died (killed for its memory, say): this process fits the rest
                    with self._lock:
                        self._closed = True
                future.set_result(decisions)
                handed = self._next()
        finally:
            worker.stop()

    def decisions_of(self, group: list[str]) -> Decisions | None:
        """What the worker that has `group` decided about it, once it has; None if no worker has it (it
        is this process's) or the worker died: this process then fits the group itself.

        Should this process have to wait for a worker, it keeps the next group not handed over for
        itself: otherwise the worker that finishes takes it, and this process waits again for each."""
        with self._lock:
            key = tuple(group)
            if key in self._waiting:
                self._waiting.remove(key)
            future = self._handed.get(key)
            if future is not None and not future.done() and self._waiting:
                self._waiting.pop(0)
        return future.result() if future is not None else None


class _Worker:
    """A fitting process (see `_serve`), handed one group at a time over a pipe."""

    def __init__(self, doc: Book, options: BuildOptions):
        context = multiprocessing.get_context("spawn")  # no fork of a process running threads (the DOCX beside)
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, doc, options), name="fitter", daemon=True)
        self._process.start()
        theirs.close()  # the worker's end, open in the worker alone: should it die, this end reads the pipe's end

    def fit(self, group: Group) -> Decisions | None:
        """What the worker decided about `group` (and the groups it fitted before); None if it died."""
        try:
            self._pipe.send(group)
            reply = self._pipe.recv()
        except (EOFError, OSError):
            return None
        if isinstance(reply, Exception):
            raise reply
        return reply

    def stop(self) -> None:
        """Tell the worker to stop, once it is done, and wait for it."""
        with contextlib.suppress(OSError):
            self._pipe.send(None)
        self._process.join()
        self._pipe.close()

    def end(self) -> None:
        """End the worker where it is (its fit is not wanted): the thread waiting on it then stops it."""
        self._process.terminate()


class _Fitter:
    """A worker's typesetter and print edition, made once: it fits one group after another, keeping what
    it decided for the groups before, as the process that lays the book out keeps what it adopts."""

    def __init__(self, doc: Book, options: BuildOptions):
        self._typeset = typesetter(options)
        self._edition = PrintEdition(doc, options, self._typeset)

    def fit(self, group: Group) -> Decisions:
        fitted(self._typeset, self._edition, list(group))
        return self._edition.decisions


def _serve(pipe: Connection, doc: Book, options: BuildOptions) -> None:
    """A fitting worker's process: each group handed over `pipe` fitted, and what is decided sent back
    (or the error that stopped it), until it is told to stop or the pipe is closed."""
    leave_interrupts_to_parent()
    fitter = _Fitter(doc, options)
    with contextlib.suppress(EOFError):
        while (group := pipe.recv()) is not None:
            try:
                decisions = fitter.fit(group)
            except Exception as error:  # the error is raised again in the process that lays the book out
                pipe.send(error)
                return
            pipe.send(decisions)
