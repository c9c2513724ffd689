"""Builds spread over a Dask cluster (`build --scheduler tcp://HOST:PORT`).

A source's build is a pure function of (source bytes, registries, pictures, styles, options), so
any worker can run it without a shared file system: the client reads every file the build
reads and sends the bytes (`Bundle`); the worker writes them into a private temporary folder,
builds there with `build_source` as a local build does, and returns the editions' bytes, their
hashes and the warnings it logged (`Built`). The client checks the hashes and writes the
editions into OUT atomically; SHA256SUMS, `--report` and `--bag` are then made exactly as
after a local build. A worker that dies mid-build loses nothing: the scheduler gives its source
to another worker (Dask's `distributed.scheduler.allowed-failures`, 3 by default).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.atomic import atomic_paths
from ..core.errors import PressroomError, UsageError
from ..reading.collection import interview_files, is_collection
from ..reading.images import MAX_IMAGE_BYTES
from ..reading.registry import registry_files
from .batch import Result, refuse_clashing_names
from .pipeline import Job, Output, build_source

_LINK_TARGET = re.compile(r"\]\(\s*<?([^)>\s]+)")  # ![alt](target) and [text](target): a picture a source may name
_WORK = "work"  # the bundle's folder on the worker: the source's folder as the client names it
_OUT = "out"


@dataclass(frozen=True)
class Bundle:
    """Every file one source's build reads, by its path relative to the source's folder."""

    source: str  # the source's own path in `files`
    files: dict[str, bytes]
    styles: dict[str, bytes]  # the styles folder's files


@dataclass(frozen=True)
class Built:
    """What a worker made of a bundle: the editions (name, bytes, SHA-256) or the error, and the
    warnings it logged, with the worker's temporary paths put back as the client names them."""

    status: str  # "ok" or "error"
    editions: tuple[tuple[str, bytes, str], ...] = ()
    message: str = ""
    exit_code: int = 0
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0


def bundle(source: Path, styles_dir: Path) -> Bundle:
    """The files `source` builds from: itself, its registries, the pictures it may name, and for a
    collection every interview it lists with theirs; and the styles."""
    folder = source.parent
    texts = [source]
    if is_collection(source):
        texts += interview_files(source)  # checked here: a bad collection file fails on the client, located
    files: dict[str, bytes] = {}
    for text in texts:
        _add(files, folder, text)
        for _, registry in registry_files(text.parent):
            _add(files, folder, registry)
        if text.suffix == ".md":
            for target in _LINK_TARGET.findall(text.read_text(encoding="utf-8", errors="replace")):
                _add_picture(files, folder, text.parent / target)
    styles = {path.name: path.read_bytes() for path in sorted(styles_dir.iterdir()) if path.is_file()}
    return Bundle(source.name, files, styles)


def _add(files: dict[str, bytes], folder: Path, path: Path) -> None:
    files[path.relative_to(folder).as_posix()] = path.read_bytes()


def _add_picture(files: dict[str, bytes], folder: Path, path: Path) -> None:
    """A file a link names, if it is one the reader would read: inside the folder, not too large.
    (The reader checks it again on the worker, and refuses what it must, at its line.)"""
    try:
        resolved = path.resolve()
        if resolved.is_relative_to(folder.resolve()) and path.is_file() and path.stat().st_size <= MAX_IMAGE_BYTES:
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    except (OSError, ValueError):
        pass  # a URL or a name that is no file: the reader says what is wrong with it


def build_bundle(bundle: Bundle, job: Job, names: tuple[str, str]) -> Built:
    """On a worker: build `bundle` as `job` says (its date the client's), in a private temporary folder.
    `names` are how the client names files in the source's folder and in OUT ("source/", "build/"),
    put back in every message in place of the temporary folders."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pressroom-") as tmp:
        root = Path(tmp)
        for relative, data in [*bundle.files.items(), *((f"../styles/{n}", d) for n, d in bundle.styles.items())]:
            path = (root / _WORK / relative).resolve()
            if not path.is_relative_to(root):
                raise ValueError(f"a bundle path outside the build folder: {relative}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        job = replace(job, out=root / _OUT, options=replace(job.options, styles_dir=root / "styles"))
        back = _renamer({f"{root / _WORK}/": names[0], f"{root / _OUT}/": names[1]})
        logged = _Collected()
        logger = logging.getLogger("pressroom")
        logger.addHandler(logged)
        try:
            outputs = build_source(root / _WORK / bundle.source, job).outputs
        except PressroomError as error:
            return Built("error", message=back(str(error)), exit_code=error.exit_code,
                         warnings=tuple(map(back, logged.messages)), seconds=time.perf_counter() - started)
        finally:
            logger.removeHandler(logged)
        editions = tuple((o.path.name, o.path.read_bytes(), o.sha256) for o in outputs)
        return Built("ok", editions, warnings=tuple(map(back, logged.messages)), seconds=time.perf_counter() - started)


class _Collected(logging.Handler):
    """The warnings pressroom logs while a worker builds: the client prints them, as a local build would."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _prefix(folder: Path) -> str:
    """How a message names a file in `folder`: "source/x.md", or "x.md" in the working folder."""
    return "" if str(folder) == "." else f"{folder}/"


def _renamer(names: dict[str, str]) -> Callable[[str], str]:
    def back(message: str) -> str:
        for temporary, name in names.items():
            message = message.replace(temporary, name)
        return message

    return back


def build_on_cluster(
    sources: list[Path], job: Job, address: str, keep_going: bool, on_result: Callable[[Result], None]
) -> list[Result]:
    """Build every source on the Dask cluster at `address`, writing the editions into `job.out`."""
    refuse_clashing_names(sources)
    # Start-up time: Dask (a third of a second, and its logging set up on import) is imported only to send a
    # batch, not when a worker imports this module for `build_bundle`, nor with every module by the tests.
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"{address}: no Dask scheduler answers there ({error})") from None
    results: dict[Path, Result] = {}
    logger = logging.getLogger("pressroom")
    with client:
        # Two builds for each of the cluster's threads in flight, one more as each ends: a worker that
        # finishes one has the next at hand, not after a round trip through this client (measured: the
        # batch of `make bench` took 1.2 x as long with one a thread). Without --keep-going, a failure
        # cancels the builds not yet finished: they are reported skipped, and write nothing.
        window = 2 * max(sum(client.nthreads().values()), 1)
        waiting = iter(sources)
        running = as_completed()
        futures: dict = {}
        stopped = False

        def start(count: int) -> None:
            nonlocal stopped
            while count > 0 and not stopped and (source := next(waiting, None)) is not None:
                try:
                    sent = bundle(source, job.options.styles_dir)
                except PressroomError as error:  # a collection file that names a missing interview, say
                    finish(source, Result(source, "error", message=str(error), exit_code=error.exit_code))
                    continue
                except OSError as error:
                    message = f"{error.filename or source}: cannot read: {error.strerror or error}"
                    finish(source, Result(source, "error", message=message, exit_code=UsageError.exit_code))
                    continue
                names = (_prefix(source.parent), _prefix(job.out))
                future = client.submit(build_bundle, sent, job, names,
                                       key=f"pressroom-build-{_digest(source, sent)}", pure=False)
                futures[future] = source
                running.add(future)
                count -= 1

        def finish(source: Path, result: Result) -> None:
            nonlocal stopped
            results[source] = result
            on_result(result)
            stopped = stopped or (result.status == "error" and not keep_going)

        start(window)
        for future in running:
            if stopped:
                break
            source = futures.pop(future)
            try:
                built: Built = future.result()
            except Exception as error:  # noqa: BLE001 - its workers died too often (KilledWorker), or the cluster went
                message = f"{source}: the cluster could not build it: {type(error).__name__}: {error}"
                built = Built("error", message=message, exit_code=PressroomError.exit_code)
            for warning in built.warnings:
                logger.warning("%s", warning)
            finish(source, _write(source, built, job))
            start(1)
        for future in futures:  # after a failure: never written, whether or not a worker had begun it
            future.cancel()
    for source in sources:
        if source not in results:
            results[source] = Result(source, "skipped")
            on_result(results[source])
    return [results[s] for s in sources]


def _write(source: Path, built: Built, job: Job) -> Result:
    """The editions a worker returned, checked against their hashes and written into OUT together."""
    if built.status != "ok":
        return Result(source, "error", (), built.seconds, built.message, built.exit_code)
    paths = [job.out / name for name, _, _ in built.editions]
    try:
        with atomic_paths(paths) as staged:
            for tmp, (name, data, sha256) in zip(staged, built.editions, strict=True):
                if hashlib.sha256(data).hexdigest() != sha256:
                    raise PressroomError(f"{job.out / name}: arrived damaged from the worker (SHA-256 differs)")
                tmp.write_bytes(data)
    except PressroomError as error:
        return Result(source, "error", (), built.seconds, str(error), error.exit_code)
    outputs = tuple(Output(path, sha256) for path, (_, _, sha256) in zip(paths, built.editions, strict=True))
    return Result(source, "ok", outputs, built.seconds)


def _digest(source: Path, sent: Bundle) -> str:
    digest = hashlib.sha256(str(source).encode())
    for name in sorted(sent.files):
        digest.update(name.encode() + b"\0" + sent.files[name])
    return digest.hexdigest()[:16]
