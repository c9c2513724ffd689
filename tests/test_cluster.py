"""Builds on a Dask cluster: a real `dask scheduler` and two `dask worker`s on 127.0.0.1, started here
and stopped after. The editions must be the bytes a local build makes, whatever worker made them,
even when one dies mid-batch; a failing source is reported as it is locally."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, make_figure_source
from test_collection import _collection_folder

pytestmark = pytest.mark.slow  # every test here builds, on a cluster or to compare with one

DASK = Path(sys.executable).with_name("dask")
GENERATE = ROOT / "benchmarks" / "generate.py"
EPOCH = "1700000000"  # the client's SOURCE_DATE_EPOCH: the workers must build with it, not their own


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A scheduler and its workers, each a process of its own; `stop` ends every one of them."""

    def __init__(self, workers: int, *worker_options: str) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.processes = [self._start("scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")]
        self.workers = [
            self._start("worker", self.address, "--nthreads", "1", "--no-dashboard", "--name", f"w{n}", *worker_options)
            for n in range(workers)
        ]
        self.processes += self.workers
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=60)

    def _start(self, *command: str) -> subprocess.Popen:
        return subprocess.Popen([str(DASK), *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    started = Cluster(2)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Generated interviews, the figure source (its pictures must travel with it) and a collection."""
    batch = tmp_path_factory.mktemp("batch")
    subprocess.run([sys.executable, str(GENERATE), str(batch), "--count", "3", "--words", "900"], check=True,
                   capture_output=True)
    figures = make_figure_source(tmp_path_factory.mktemp("figures") / "src")
    collection = _collection_folder(tmp_path_factory.mktemp("collection"))
    return [*sorted(batch.glob("*.md")), figures, collection]


def _build(sources: list[Path], out: Path, *options: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "pressroom", "build", *map(str, sources), "--out", str(out), *options],
                          capture_output=True, text=True, env=env, timeout=900)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture(scope="module")
def local(sources: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local")
    run = _build(sources, out, "--jobs", "2")
    assert run.returncode == 0, run.stderr
    return out


def test_a_batch_on_the_cluster_is_the_local_batch_byte_for_byte(cluster: Cluster, sources: list[Path], local: Path,
                                                                   tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    run = _build(sources, tmp_path / "out", "--scheduler", cluster.address, "--report", str(report))
    assert run.returncode == 0, run.stderr
    built, expected = _files(tmp_path / "out"), _files(local)
    assert sorted(built) == sorted(expected) and len(built) == 3 * len(sources) + 1  # and SHA256SUMS
    assert [name for name in built if built[name] != expected[name]] == []
    statuses = [entry["status"] for entry in json.loads(report.read_text(encoding="utf-8"))["sources"]]
    assert statuses == ["ok"] * len(sources)
    assert "prints at" in run.stderr  # the small picture's warning, logged on a worker, told here
    assert not list((tmp_path / "out").glob(".*.part"))


def test_the_address_can_come_from_the_environment(cluster: Cluster, sources: list[Path], local: Path,
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.address)
    run = _build(sources[:1], tmp_path, "--to", "pdf")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / f"{sources[0].stem}.pdf").read_bytes() == (local / f"{sources[0].stem}.pdf").read_bytes()


def test_a_failing_source_is_reported_as_locally_and_the_others_built_with_keep_going(
        cluster: Cluster, sources: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for registry in sources[0].parent.glob("*.yaml"):
        (bad / registry.name).write_bytes(registry.read_bytes())
    broken = bad / "broken.md"
    broken.write_text("---\ntitle: X\nspeakers:\n  A: {role: interviewer}\n---\n\n"
                      "::: interview\nA: Hello [Nofilm]{.film}.\n:::\n",
                      encoding="utf-8")
    here = _build([broken, sources[0]], tmp_path / "local", "--jobs", "2", "--keep-going")
    there = _build([broken, sources[0]], tmp_path / "cluster", "--scheduler", cluster.address, "--keep-going")
    assert here.returncode == there.returncode == 3
    located = [line for line in there.stderr.splitlines() if line.startswith(f"{broken}:")]
    assert located == [line for line in here.stderr.splitlines() if line.startswith(f"{broken}:")]
    assert located and located[0].startswith(f"{broken}:8:10: ")
    assert _files(tmp_path / "cluster") == _files(tmp_path / "local")


def test_no_scheduler_there_is_a_usage_error(tmp_path: Path, sources: list[Path]) -> None:
    run = _build(sources[:1], tmp_path, "--scheduler", f"tcp://127.0.0.1:{_free_port()}")
    assert run.returncode == 2 and "no Dask scheduler answers" in run.stderr and "Traceback" not in run.stderr
    assert not any(tmp_path.iterdir())


def test_the_web_edition_on_a_cluster_is_a_usage_error_before_any_work(tmp_path: Path, sources: list[Path]) -> None:
    run = _build(sources[:1], tmp_path, "--to", "pdf,html", "--scheduler", f"tcp://127.0.0.1:{_free_port()}")
    assert run.returncode == 2 and "--to html is built here" in run.stderr and "Traceback" not in run.stderr
    assert not any(tmp_path.iterdir())


def test_a_worker_killed_mid_batch_loses_no_edition(sources: list[Path], local: Path, tmp_path: Path) -> None:
    """Workers without a nanny: a killed one stays dead, and the scheduler gives its source to the other."""
    doomed = Cluster(2, "--no-nanny")
    try:
        from distributed import Client

        build = subprocess.Popen(
            [sys.executable, "-m", "pressroom", "build", *map(str, sources), "--out", str(tmp_path),
             "--scheduler", doomed.address],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
        with Client(doomed.address, timeout="30s") as client:
            busy = None
            deadline = time.monotonic() + 120
            while busy is None and time.monotonic() < deadline:
                busy = next((worker for worker, tasks in client.processing().items() if tasks), None)
                time.sleep(0.1)
            assert busy is not None, "no build started on the cluster"
            pid = client.run(os.getpid, workers=[busy])[busy]
        os.kill(pid, signal.SIGKILL)  # mid-build: its source is still processing
        stdout, stderr = build.communicate(timeout=900)
        assert build.returncode == 0, stderr
        assert sum(worker.poll() is not None for worker in doomed.workers) == 1  # one worker did die
        built, expected = _files(tmp_path), _files(local)
        assert [name for name in expected if built.get(name) != expected[name]] == []
    finally:
        doomed.stop()


def test_without_keep_going_a_failure_leaves_only_whole_editions(cluster: Cluster, sources: list[Path],
                                                                   tmp_path: Path) -> None:
    broken = tmp_path / "src" / "broken.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: X\nspeakers:\n  A: {role: interviewer}\n---\n\n::: interview\nB: who?\n:::\n",
                      encoding="utf-8")
    run = _build([broken, *sources[:2]], tmp_path / "out", "--scheduler", cluster.address)
    assert run.returncode == 3 and f"{broken}:8:1: " in run.stderr, run.stderr
    out = tmp_path / "out"
    written = {path.name for path in out.iterdir()} if out.exists() else set()
    assert not {name for name in written if name.endswith(".part")}
    for source in sources[:2]:  # a source's editions are all there, or none is
        mine = {f"{source.stem}.{fmt}" for fmt in ("pdf", "epub", "docx")}
        assert mine <= written or not mine & written
