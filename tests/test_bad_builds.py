"""Bad sources through `pressroom build`: exit code 3, one located message, and earlier editions untouched.

Every `tests/bad/*.md` (the same discovery and `.expect` sidecars as test_reader.py)
is built into a folder that already holds the editions of an earlier build and
their SHA256SUMS. A failed build must leave those bytes exactly as they were and
create nothing beside them (no `.part` files). Sources too big to commit (5 MB)
or generated (a blockquote nested 1,000 deep) are made in tmp_path here; sources
that look odd but are valid (a UTF-8 BOM, CRLF line endings) must build.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import MappingProxyType

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from pressroom.cli import app
from pressroom.reading.reader import MAX_PARAGRAPH_CHARS, MAX_SOURCE_BYTES, read
from test_reader import _HEAD, BAD, BAD_PARAMS, _expectation

LOCATED = re.compile(r"^\S+:\d+:\d+: ")
FORMATS = ("pdf", "epub", "docx")


def _earlier_outputs(out: Path, stem: str) -> dict[str, bytes]:
    """OUT as an earlier, successful build left it: three editions and SHA256SUMS, with known bytes."""
    out.mkdir(parents=True, exist_ok=True)
    files = {f"{stem}.{fmt}": f"earlier {fmt} edition of {stem}\n".encode() + bytes(range(256)) for fmt in FORMATS}
    files["SHA256SUMS"] = "".join(f"{'0' * 64}  {name}\n" for name in sorted(files)).encode()
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def _build_fails_cleanly(source: Path, out: Path) -> str:
    """Build `source` into an `out` holding earlier outputs; check the failure; return the located line."""
    earlier = _earlier_outputs(out, source.stem)
    result = CliRunner().invoke(app, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 3, (result.exit_code, result.output, repr(result.exception))
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    located = [line for line in result.output.splitlines() if LOCATED.match(line)]
    assert len(located) == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(earlier), "a failed build created or removed a file"
    for name, data in earlier.items():
        assert (out / name).read_bytes() == data, f"{name} was changed by a failed build"
    return located[0]


# --- every committed bad source ------------------------------------------------


@pytest.mark.parametrize("source", BAD_PARAMS)
def test_bad_source_build_leaves_earlier_outputs(source: Path, tmp_path: Path) -> None:
    line, column, message = _expectation(source)
    located = _build_fails_cleanly(source, tmp_path / "out")
    assert located.startswith(f"{source}:{line}:{column}: "), located
    assert message in located


def test_the_bad_sources_cover_the_required_kinds() -> None:
    """The cases the build tests rely on are committed (with their sidecars, checked by test_reader)."""
    names = {p.stem for p in BAD.rglob("*.md")}
    required = {
        "yaml-alias-bomb", "front-matter-only-fences", "front-matter-list", "speaker-no-role",
        "film-key-uppercase", "person-names-nothing", "binary-nul", "bom-crlf-undeclared-speaker",
    }
    assert required <= names, required - names


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    source = BAD / "yaml-alias-bomb.md"
    assert source.read_text(encoding="utf-8").count("*") >= 9 * 8  # 9**9 x's if expanded
    started = time.perf_counter()
    located = _build_fails_cleanly(source, tmp_path / "out")
    assert time.perf_counter() - started < 5
    assert "YAML aliases" in located


# --- generated bad sources -----------------------------------------------------


def _deep_quote_source(tmp_path: Path, depth: int) -> Path:
    source = tmp_path / "src" / "deep-quote.md"
    source.parent.mkdir()
    text = _HEAD + "::: interview\nFilmmaker: A question.\n\n" + "> " * depth + "Deep.\n:::\n"
    source.write_text(text, encoding="utf-8")
    return source


def test_a_blockquote_nested_1000_deep_fails_cleanly(tmp_path: Path) -> None:
    source = _deep_quote_source(tmp_path, 1000)
    started = time.perf_counter()
    located = _build_fails_cleanly(source, tmp_path / "out")
    assert time.perf_counter() - started < 30
    assert located.startswith(f"{source}:")
    assert "nested" in located


def test_a_blockquote_nested_1000_deep_is_located_at_the_quote(tmp_path: Path) -> None:
    source = _deep_quote_source(tmp_path, 1000)
    located = _build_fails_cleanly(source, tmp_path / "out")
    assert located.startswith(f"{source}:11:")


def test_a_5_mb_paragraph_fails_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "src" / "huge.md"
    source.parent.mkdir()
    paragraph = ("word " * 1_000_000).strip()  # 5 MB, one paragraph
    source.write_text(_HEAD + "::: interview\nFilmmaker: " + paragraph + "\n:::\n", encoding="utf-8")
    assert source.stat().st_size > 5_000_000 > MAX_SOURCE_BYTES
    started = time.perf_counter()
    located = _build_fails_cleanly(source, tmp_path / "out")
    assert time.perf_counter() - started < 10
    assert located.startswith(f"{source}:1:1: "), located
    assert "bytes" in located


def test_a_paragraph_over_the_paragraph_limit_is_located(tmp_path: Path) -> None:
    """Under the file limit but over the paragraph limit: the error names the paragraph's line."""
    source = tmp_path / "src" / "long-paragraph.md"
    source.parent.mkdir()
    paragraph = "word " * (MAX_PARAGRAPH_CHARS // 5 + 10)
    text = _HEAD + "::: interview\nFilmmaker: A question.\n\n" + "Baker: " + paragraph + "\n:::\n"
    source.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    located = _build_fails_cleanly(source, tmp_path / "out")
    assert time.perf_counter() - started < 10
    assert located.startswith(f"{source}:11:1: "), located
    assert "split it" in located


def _group_rss(pgid: int) -> int:
    """Resident memory, in bytes, of every process in the process group `pgid` (from /proc)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # field 5 of stat: the process group
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # field 24: rss in pages
        except (OSError, IndexError, ValueError):
            continue
    return total


def _run_guarded(args: list[str], seconds: float, max_bytes: int) -> tuple[int | None, str]:
    """Run pressroom in its own process group; kill the whole group (pandoc too) past a time or memory limit.

    Returns (exit code, output), or (None, why it was killed).
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, text=True,
    )
    started = time.monotonic()
    why = None
    while process.poll() is None:
        if time.monotonic() - started > seconds:
            why = f"still running after {seconds} s"
        elif (rss := _group_rss(process.pid)) > max_bytes:
            why = f"using {rss >> 20} MB after {time.monotonic() - started:.1f} s"
        if why:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None, why
        time.sleep(0.1)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # anything it left behind
    except ProcessLookupError:
        pass
    return process.returncode, process.stdout.read()


_NOTE_CYCLES = {
    "self": "Filmmaker: A question.[^1]\n\n[^1]: A note that cites itself.[^1]\n",
    "mutual": "Filmmaker: A question.[^1]\n\n[^1]: One note.[^2]\n\n[^2]: And the other.[^1]\n",
}


@pytest.mark.parametrize("cycle", sorted(_NOTE_CYCLES))
@pytest.mark.slow
def test_a_footnote_that_cites_itself_fails_cleanly(cycle: str, tmp_path: Path) -> None:
    source = tmp_path / "src" / f"note-{cycle}.md"
    source.parent.mkdir()
    source.write_text(_HEAD + "::: interview\n" + _NOTE_CYCLES[cycle] + ":::\n", encoding="utf-8")
    out = tmp_path / "out"
    earlier = _earlier_outputs(out, source.stem)
    code, output = _run_guarded(["build", str(source), "--out", str(out)], seconds=20, max_bytes=1 << 30)
    assert code == 3, output
    assert len([line for line in output.splitlines() if LOCATED.match(line)]) == 1, output
    assert "Traceback" not in output
    assert sorted(p.name for p in out.iterdir()) == sorted(earlier)
    assert all((out / name).read_bytes() == data for name, data in earlier.items())


def test_a_footnote_citing_another_is_fine(tmp_path: Path) -> None:
    """The control for the case above: a note that cites a later note builds."""
    source = tmp_path / "src" / "note-chain.md"
    source.parent.mkdir()
    body = "Filmmaker: A question.[^1]\n\n[^1]: One note.[^2]\n\n[^2]: And the other.\n"
    source.write_text(_HEAD + "::: interview\n" + body + ":::\n", encoding="utf-8")
    code, output = _run_guarded(["check", str(source)], seconds=60, max_bytes=1 << 30)
    assert code == 0, output


# --- odd but valid sources: they must build --------------------------------------

_VALID_BODY = (
    "---\n"
    "title: A Good Interview\n"
    "speakers:\n"
    "  Filmmaker: {role: interviewer}\n"
    "  Baker: {role: interviewee, name: Sean Baker}\n"
    "---\n"
    "\n"
    "::: interview\n"
    "Filmmaker: A question about [Anora]{.film}?\n"
    "\n"
    "Baker: An answer naming [Yuri]{.person}.\n"
    ":::\n"
)

VALID_AFTER_ALL = {
    "bom-crlf": b"\xef\xbb\xbf" + _VALID_BODY.replace("\n", "\r\n").encode(),
    "bom": b"\xef\xbb\xbf" + _VALID_BODY.encode(),
    "crlf": _VALID_BODY.replace("\n", "\r\n").encode(),
}


@pytest.mark.parametrize("name", sorted(VALID_AFTER_ALL))
@pytest.mark.slow
def test_an_odd_but_valid_source_builds(name: str, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for registry in ("films.yaml", "people.yaml"):
        shutil.copy(BAD / registry, src / registry)
    source = src / f"{name}.md"
    source.write_bytes(VALID_AFTER_ALL[name])

    doc = read(source)
    assert [turn.speaker.label for turn in doc.interview] == ["Filmmaker", "Baker"]
    assert [e.key for e in doc.index.films] == ["anora"] and [e.key for e in doc.index.people] == ["yura-borisov"]
    assert "\ufeff" not in doc.front.title[0].text

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{name}.{fmt}" for fmt in FORMATS] + ["SHA256SUMS"])
    pdf = out / f"{name}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "A question about Anora?" in " ".join(text.split())
    assert "\ufeff" not in text
    with zipfile.ZipFile(out / f"{name}.epub") as epub:
        xhtml = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert "\r" not in xhtml and "\ufeff" not in xhtml
    assert "An answer naming Yuri." in re.sub(r"<[^>]+>", "", xhtml)


# --- builds that fail after reading: exit codes 4, 5 and 130 through the CLI ----------


def _canonical_copy(folder: Path) -> Path:
    """The canonical source and its registries in a folder of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sean-baker-anora.md", "films.yaml", "people.yaml"):
        shutil.copy(ROOT / "source" / name, folder / name)
    return folder / "sean-baker-anora.md"


def _fails_with(args: list[str], code: int, out: Path, stem: str) -> str:
    """`pressroom build ARGS` exits `code` with one message line, leaving OUT's earlier files as they were."""
    earlier = _earlier_outputs(out, stem)
    result = CliRunner().invoke(app, ["build", *args, "--out", str(out)])
    assert result.exit_code == code, (result.exit_code, result.output, repr(result.exception))
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(earlier), "a failed build created or removed a file"
    for name, data in earlier.items():
        assert (out / name).read_bytes() == data, f"{name} was changed by a failed build"
    return result.output


def test_an_out_folder_under_a_file_is_exit_4_in_one_line(tmp_path: Path) -> None:
    source = _canonical_copy(tmp_path / "src")
    (tmp_path / "plain-file").write_text("not a folder\n")
    out = tmp_path / "plain-file" / "build"
    result = CliRunner().invoke(app, ["build", str(source), "--to", "docx", "--out", str(out)])
    assert result.exit_code == 4, (result.output, repr(result.exception))
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "plain-file" in lines[0] and "Not a directory" in lines[0], result.output
    assert (tmp_path / "plain-file").read_text() == "not a folder\n"


def test_a_failed_write_is_exit_4_and_keeps_the_earlier_editions(tmp_path: Path, monkeypatch) -> None:
    def disk_full(doc, out, options, layout=None) -> None:  # noqa: ANN001
        Path(out).write_bytes(b"half a docx")
        raise OSError(28, "No space left on device", str(out))

    _use_writer(monkeypatch, "docx", disk_full)
    source = _canonical_copy(tmp_path / "src")
    output = _fails_with([str(source), "--to", "docx"], 4, tmp_path / "out", source.stem)
    assert "No space left on device" in output and "sean-baker-anora.docx" in output, output


@pytest.mark.slow
def test_a_contents_page_that_never_settles_is_exit_5_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    from pressroom.typeset.print_edition import PrintEdition

    book = PrintEdition.book
    growth = iter(range(1, 100))

    def growing(self, pages=None, names=None, section_pages=None):  # noqa: ANN001, ANN202
        """The front matter a page longer each time the real page numbers go in."""
        xhtml = book(self, pages, names, section_pages)
        if section_pages is None or 888 in section_pages.values():
            return xhtml
        return xhtml.replace("</body>", '<div style="break-before: page">x</div>' * next(growth) + "</body>")

    monkeypatch.setattr(PrintEdition, "book", growing)
    source = _canonical_copy(tmp_path / "src")
    output = _fails_with([str(source), "--to", "pdf,epub"], 5, tmp_path / "out", source.stem)
    assert "did not settle" in output, output


def test_ctrl_c_is_exit_130_and_keeps_the_earlier_editions(tmp_path: Path, monkeypatch) -> None:
    def interrupted(doc, out, options, layout=None) -> None:  # noqa: ANN001
        Path(out).write_bytes(b"half a docx")
        raise KeyboardInterrupt

    _use_writer(monkeypatch, "docx", interrupted)
    source = _canonical_copy(tmp_path / "src")
    output = _fails_with([str(source), "--to", "docx"], 130, tmp_path / "out", source.stem)
    assert "interrupted" in output, output


def _use_writer(monkeypatch: pytest.MonkeyPatch, fmt: str, write) -> None:  # noqa: ANN001
    """Make `write` the writer of `fmt` for one test."""
    import pressroom.writers

    writers = pressroom.writers.WRITERS  # a frozen table: the test's is another
    replaced = {**writers, fmt: dataclasses.replace(writers[fmt], write=write)}
    monkeypatch.setattr(pressroom.writers, "WRITERS", MappingProxyType(replaced))


def test_two_sources_of_one_name_are_refused_before_any_work(tmp_path: Path) -> None:
    first = _canonical_copy(tmp_path / "a")
    second = _canonical_copy(tmp_path / "b")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(first), str(second), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 2, (result.output, repr(result.exception))
    assert str(first) in result.output and str(second) in result.output
    assert not out.exists()


def test_a_registry_over_the_size_limit_is_refused_at_its_first_line(tmp_path: Path) -> None:
    from pressroom.reading.registry import MAX_REGISTRY_BYTES

    source = _canonical_copy(tmp_path / "src")
    films = source.parent / "films.yaml"
    padding = "# a comment line that pads the registry out\n" * (MAX_REGISTRY_BYTES // 40)
    films.write_text(films.read_text(encoding="utf-8") + padding, encoding="utf-8")
    line = _build_fails_cleanly(source, tmp_path / "out")
    assert line.startswith(f"{films}:1:1: ") and "at most" in line, line


def test_a_failed_write_fails_its_own_source_only(tmp_path: Path, monkeypatch) -> None:
    """In a batch with --keep-going, the other sources are built and the report names the failure."""
    import json

    first = _canonical_copy(tmp_path / "src")
    second = first.with_name("second-interview.md")
    shutil.copy(first, second)

    def full_for_the_first(doc, out, options, layout=None) -> None:  # noqa: ANN001
        if doc.source_name == first.stem:
            raise OSError(28, "No space left on device", str(out))
        Path(out).write_bytes(b"a docx")

    _use_writer(monkeypatch, "docx", full_for_the_first)
    out, report = tmp_path / "out", tmp_path / "report.json"
    args = ["build", str(first), str(second), "--to", "docx", "--out", str(out), "--keep-going",
            "--report", str(report)]
    result = CliRunner().invoke(app, [*args, "--jobs", "1"])
    assert result.exit_code == 4, (result.output, repr(result.exception))
    statuses = {Path(s["source"]).name: s["status"] for s in json.loads(report.read_text())["sources"]}
    assert statuses == {first.name: "error", second.name: "ok"}
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS", "second-interview.docx"]


def _use_folder_writer(monkeypatch: pytest.MonkeyPatch, write) -> None:  # noqa: ANN001
    """Make `write` the web edition's writer for one test, with no print layout to wait for."""
    import pressroom.writers

    writers = pressroom.writers.WRITERS
    replaced = {**writers, "html": dataclasses.replace(writers["html"], write=write, needs_layout=False)}
    monkeypatch.setattr(pressroom.writers, "WRITERS", MappingProxyType(replaced))


def _folder(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_a_web_edition_that_fails_half_written_leaves_the_earlier_folder_whole(tmp_path: Path, monkeypatch) -> None:
    def disk_full(doc, out, options, layout=None) -> None:  # noqa: ANN001
        out.unlink()
        (out / "style").mkdir(parents=True)
        (out / "index.html").write_text("half a page")
        raise OSError(28, "No space left on device", str(out / "style" / "web.css"))

    source = _canonical_copy(tmp_path / "src")
    out = tmp_path / "out"
    earlier = out / f"{source.stem}.html"
    (earlier / "style").mkdir(parents=True)
    (earlier / "index.html").write_text("the earlier page")
    (earlier / "style" / "web.css").write_text("body {}")
    before = _folder(earlier)
    _use_folder_writer(monkeypatch, disk_full)
    result = CliRunner().invoke(app, ["build", str(source), "--to", "html", "--out", str(out)])
    assert result.exit_code == 4 and "No space left on device" in result.output, result.output
    assert _folder(earlier) == before
    assert sorted(p.name for p in out.iterdir()) == [earlier.name], "a staged folder was left behind"


def test_a_web_edition_replaces_the_earlier_folder_whole(tmp_path: Path, monkeypatch) -> None:
    def pages(doc, out, options, layout=None) -> None:  # noqa: ANN001
        out.unlink()
        out.mkdir()
        (out / "index.html").write_text("the new page")

    source = _canonical_copy(tmp_path / "src")
    out = tmp_path / "out"
    earlier = out / f"{source.stem}.html"
    earlier.mkdir(parents=True)
    (earlier / "gone.html").write_text("a page the new edition no longer has")
    _use_folder_writer(monkeypatch, pages)
    result = CliRunner().invoke(app, ["build", str(source), "--to", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert _folder(earlier) == {"index.html": b"the new page"}
    assert sorted(p.name for p in out.iterdir()) == sorted([earlier.name, "SHA256SUMS"])
    sums = (out / "SHA256SUMS").read_text()
    assert f"{earlier.name}/index.html" in sums and "gone.html" not in sums
