"""Archivists' batches: Make, many sources at once, fixity, bags, reproducibility, interruption."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import bagit
import pytest
from typer.testing import CliRunner

from conftest import ROOT, SOURCE
from pressroom.build.batch import build_all
from pressroom.build.pipeline import Job
from pressroom.cli import app
from pressroom.core.options import BuildOptions

GENERATE = ROOT / "benchmarks" / "generate.py"
runner = CliRunner()


# --- the pipeline for one source, as the batch runs it ----------------------------------------------------


def _copies(folder: Path, *stems: str) -> list[Path]:
    """The canonical source under other names, with its registries, in `folder`."""
    folder.mkdir(parents=True)
    for registry in SOURCE.parent.glob("*.yaml"):
        if not registry.name.endswith(".collection.yaml"):
            shutil.copy(registry, folder / registry.name)
    for stem in stems:
        shutil.copy(SOURCE, folder / f"{stem}.md")
    return [folder / f"{stem}.md" for stem in stems]


def test_the_batchs_workers_date_the_editions_with_the_jobs_date_not_the_environments(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE_DATE_EPOCH is read once, by the command, and sent with the job: the worker processes (which
    inherit this environment) date every edition with the job's date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # 1970: what a read of the environment below the command would give
    when = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)
    sources = _copies(tmp_path / "src", "first", "second")
    job = Job(("docx",), tmp_path / "out", BuildOptions(), when)
    results = build_all(sources, job, jobs=2, keep_going=False, on_result=lambda result: None)
    assert [(r.source, r.status) for r in results] == [(source, "ok") for source in sources], results
    for result in results:
        (output,) = result.outputs
        assert output.sha256 == hashlib.sha256(output.path.read_bytes()).hexdigest()
        with zipfile.ZipFile(output.path) as docx:
            core = docx.read("docProps/core.xml").decode()
        assert core.count("2001-02-03T04:05:06Z") == 2, core  # created and modified


_DOCX_ALONE = """
import sys
from pathlib import Path
from pressroom.build.pipeline import Job, build_source
from pressroom.core.options import BuildOptions

(output,) = build_source(Path(sys.argv[1]), Job(("docx",), Path(sys.argv[2]), BuildOptions())).outputs
print(output.path.name, "weasyprint" in sys.modules)
"""


def test_a_docx_alone_is_written_without_laying_the_book_out(tmp_path: Path) -> None:
    """The pipeline lays the book out only for a writer that needs print pages: no WeasyPrint for a DOCX."""
    (source,) = _copies(tmp_path / "src", "alone")
    run = subprocess.run([sys.executable, "-c", _DOCX_ALONE, str(source), str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["alone.docx", "False"]


@pytest.fixture(scope="module")
def interviews(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of generated interviews (their own speakers, films and people) with their registries."""
    folder = tmp_path_factory.mktemp("interviews")
    subprocess.run([sys.executable, str(GENERATE), str(folder), "--count", "4", "--words", "1200"], check=True)
    return folder


def _make(*args: str) -> subprocess.CompletedProcess:
    """make in this tree with the running environment, never reinstalling it (`-o`): in a clone whose
    pyproject.toml is newer than the environment, `pip install -e .` would repoint a shared venv here."""
    venv = Path(sys.prefix)
    return subprocess.run(
        ["make", "-C", str(ROOT), f"VENV={venv}", "-o", f"{venv}/.installed", *args],
        capture_output=True, text=True, timeout=900,
    )


@pytest.mark.slow
def test_make_builds_a_folder_in_parallel_then_has_nothing_to_do(interviews: Path, tmp_path: Path) -> None:
    installed = Path(sys.prefix) / ".installed"
    if not installed.exists():  # this environment is pressroom's: make need not install it
        installed.touch()  # (touching an existing one would make the next `make` rebuild every edition)
    out = tmp_path / "dist"
    first = _make(f"SOURCES={interviews}/*.md", f"OUT={out}", "-j2")
    assert first.returncode == 0, first.stdout + first.stderr
    formats = ("pdf", "epub", "kepub.epub", "docx", "html")  # the web edition is a folder
    expected = {f"{md.stem}.{fmt}" for md in interviews.glob("*.md") for fmt in formats}
    assert {p.name for p in out.iterdir()} == expected | {"SHA256SUMS"}
    again = _make(f"SOURCES={interviews}/*.md", f"OUT={out}", "-q")  # -q: exit 0 only if all is up to date
    assert again.returncode == 0, again.stdout + again.stderr
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    files = [path for path in out.rglob("*") if path.is_file() and path.name != "SHA256SUMS"]  # the web's, each
    assert check.returncode == 0 and check.stdout.count(": OK") == len(files), check.stdout


@pytest.mark.slow
def test_keep_going_builds_the_rest_and_reports_each_source(interviews: Path, tmp_path: Path) -> None:
    bad = tmp_path / "src" / "bad.md"
    bad.parent.mkdir()
    bad.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    good = sorted(interviews.glob("*.md"))[:2]
    report = tmp_path / "report.json"
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["build", str(good[0]), str(bad), str(good[1]), "--out", str(out), "--jobs", "2", "--keep-going",
              "--to", "epub,docx", "--report", str(report)],
    )
    assert result.exit_code == 3, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [s["status"] for s in data["sources"]] == ["ok", "error", "ok"]
    assert data["sources"][1]["error"].startswith(f"{bad}:2:")
    for entry in data["sources"]:
        for output in entry["outputs"]:
            path = Path(output["path"])
            assert path.is_file() and output["sha256"] == __import__("hashlib").sha256(path.read_bytes()).hexdigest()
        assert entry["seconds"] >= 0
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == 4
    # the EPUB's page-list needs the print layout: each good source says how many layouts it took
    layouts = [entry.get("layouts") for entry in data["sources"]]
    assert layouts[1] is None and all(1 <= n["text"] < n["all"] for n in (layouts[0], layouts[2])), layouts


def test_without_keep_going_the_sources_after_a_failure_are_skipped(interviews: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("not a source\n", encoding="utf-8")
    good = sorted(interviews.glob("*.md"))[0]
    report = tmp_path / "report.json"
    result = runner.invoke(
        app, ["build", str(bad), str(good), "--out", str(tmp_path / "out"), "--jobs", "1", "--report", str(report)]
    )
    assert result.exit_code == 3
    assert [s["status"] for s in json.loads(report.read_text())["sources"]] == ["error", "skipped"]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_bag_holds_editions_source_and_registries_and_validates(tmp_path: Path) -> None:
    bag = tmp_path / "bag"
    args = ["build", str(SOURCE), "--to", "epub,docx", "--out", str(tmp_path / "out"), "--bag", str(bag)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    bagit.Bag(str(bag)).validate()  # raises BagValidationError if anything is off
    held = {p.relative_to(bag / "data").as_posix() for p in (bag / "data").rglob("*") if p.is_file()}
    assert held == {
        "editions/sean-baker-anora.epub", "editions/sean-baker-anora.docx", "source/sean-baker-anora.md",
        "source/films.yaml", "source/people.yaml",
    }


@pytest.mark.slow
def test_two_clones_at_different_paths_give_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("first/clone", "second/much/deeper/clone"):
        clone = tmp_path / name
        shutil.copytree(ROOT / "source", clone / "source")
        shutil.copytree(ROOT / "styles", clone / "styles")
        result = subprocess.run(
            [sys.executable, "-m", "pressroom", "build", "source/sean-baker-anora.md", "--styles", "styles",
             "--out", "build", "--jobs", "1"],
            cwd=clone, capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(clone / "build")
    for fmt in ("pdf", "epub", "docx"):
        first, second = (o / f"sean-baker-anora.{fmt}" for o in outputs)
        assert first.read_bytes() == second.read_bytes(), fmt


# Run in a child process: the PDF writer writes its edition, says so, and waits to be stopped.
_STALLED_BUILD = """
import dataclasses, sys, time
from pathlib import Path
from pressroom.cli import app
from types import MappingProxyType
import pressroom.writers

def stalled(doc, out, options, layout):
    Path(out).write_bytes(b"a new pdf, not yet in place")
    Path(sys.argv[1]).touch()
    time.sleep(600)

WRITERS = pressroom.writers.WRITERS
pressroom.writers.WRITERS = MappingProxyType({**WRITERS, "pdf": dataclasses.replace(WRITERS["pdf"], write=stalled)})
app(sys.argv[2:], prog_name="pressroom")
"""


@pytest.mark.slow
def test_sigterm_mid_build_leaves_earlier_outputs_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    earlier = {}
    for fmt in ("pdf", "epub", "docx"):
        earlier[fmt] = f"earlier {fmt}".encode()
        (out / f"sean-baker-anora.{fmt}").write_bytes(earlier[fmt])
    ready = tmp_path / "pdf-written"
    build = subprocess.Popen(
        [sys.executable, "-c", _STALLED_BUILD, str(ready), "build", str(SOURCE), "--out", str(out), "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 300
    while not ready.exists():  # wait for the event, not for a guessed time
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the PDF writer was never reached"
        time.sleep(0.05)
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 128 + signal.SIGTERM, stderr
    assert b"Traceback" not in stderr
    assert sorted(os.listdir(out)) == [f"sean-baker-anora.{fmt}" for fmt in ("docx", "epub", "pdf")]
    for fmt, content in earlier.items():
        assert (out / f"sean-baker-anora.{fmt}").read_bytes() == content


def test_a_bag_holds_the_registries_and_no_other_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    for name in (SOURCE.name, "films.yaml", "people.yaml"):
        shutil.copy(SOURCE.parent / name, folder / name)
    (folder / "notes.yaml").write_text("private: an editor's notes, not a registry\n", encoding="utf-8")
    bag = tmp_path / "bag"
    args = ["build", str(folder / SOURCE.name), "--to", "docx", "--out", str(tmp_path / "out"), "--bag", str(bag)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (bag / "data" / "source").iterdir()) == ["films.yaml", "people.yaml", SOURCE.name]
