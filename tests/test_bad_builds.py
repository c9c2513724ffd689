"""Bad sources through `pressroom build`: exit code 3, one located message, and earlier editions untouched.

Every `tests/bad/*.md` (the same discovery and `.expect` sidecars as test_reader.py)
is built into a folder that already holds the editions of an earlier build and
their SHA256SUMS. A failed build must leave those bytes exactly as they were and
create nothing beside them (no `.part` files). Sources too big to commit (5 MB)
or generated (a blockquote nested 1,000 deep) are made in tmp_path here; sources
that look odd but are valid (a UTF-8 BOM, CRLF line endings) must build.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.reader import MAX_PARAGRAPH_CHARS, MAX_SOURCE_BYTES, read
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
    source.write_text(_HEAD + "::: interview\nFilmmaker: A question.\n\n" + "> " * depth + "Deep.\n:::\n", encoding="utf-8")
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
    source.write_text(_HEAD + "::: interview\nFilmmaker: A question.\n\n" + "Baker: " + paragraph + "\n:::\n", encoding="utf-8")
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
    text = subprocess.run(["pdftotext", str(out / f"{name}.pdf"), "-"], capture_output=True, check=True, text=True).stdout
    assert "A question about Anora?" in " ".join(text.split())
    assert "\ufeff" not in text
    with zipfile.ZipFile(out / f"{name}.epub") as epub:
        xhtml = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert "\r" not in xhtml and "\ufeff" not in xhtml
    assert "An answer naming Yuri." in re.sub(r"<[^>]+>", "", xhtml)
