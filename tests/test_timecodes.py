"""A turn's timecode (`Baker: [00:08:12]{.time} ...`): read onto the turn, written back by the source
writer, refused anywhere else, never printed, kept on the EPUB's turn element, listed by `index --json`.

The editions are read back by other programs than pressroom: pdftotext the PDF, lxml and EPUBCheck
the EPUB, pandoc the DOCX.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pypandoc
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from conftest import without_positions
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.core.errors import SourceError
from pressroom.core.timecode import Timecode, parse
from pressroom.reading.reader import read
from pressroom.reading.registry import load_registry
from pressroom.writers.source import write_source

SOURCE = """---
title: A Timed Interview
speakers:
  Filmmaker: {role: interviewer}
  Baker: {role: interviewee, name: Sean Baker}
---

::: introduction
An introduction with no timecode in it.
:::

::: interview
Filmmaker: [00:00:05]{.time} The first question?

Baker: [00:08:12.250]{.time} It’s actually *an answer*.

A second paragraph of the answer.

Filmmaker: An untimed question?

Baker: [1:02:03]{.time} The last answer.
:::
"""
TIMED = [(1, "Filmmaker", "00:00:05"), (2, "Baker", "00:08:12.250"), (4, "Baker", "01:02:03")]
# anything a timecode prints as: 00:08:12, 8:12, 1:02:03.250, 00:08:12,250
PRINTED_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?")


def _source(folder: Path, text: str = SOURCE, name: str = "timed.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / name
    source.write_text(text, encoding="utf-8")
    return source


def _turns(doc: m.Document) -> list[m.Turn]:
    return [block for block in doc.interview if isinstance(block, m.Turn)]


# --- core/timecode.py ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "milliseconds", "written"), [
    ("8:12", 492_000, "00:08:12"),
    ("08:12", 492_000, "00:08:12"),
    ("01:08:12", 4_092_000, "01:08:12"),
    ("1:08:12", 4_092_000, "01:08:12"),
    ("00:08:12,250", 492_250, "00:08:12.250"),  # SRT's comma
    ("00:08:12.250", 492_250, "00:08:12.250"),
    ("00:08:12.5", 492_500, "00:08:12.500"),  # a tenth of a second
    ("0:00", 0, "00:00:00"),
    ("65:30", 3_930_000, "01:05:30"),  # a podcast's minutes past the hour
    (" 00:00:01 ", 1_000, "00:00:01"),
    ("99:59:59.999", 359_999_999, "99:59:59.999"),
])
def test_a_timecode_parses_and_is_written_as_hh_mm_ss(text: str, milliseconds: int, written: str) -> None:
    timecode = parse(text)
    assert timecode == Timecode(milliseconds)
    assert str(timecode) == written
    assert parse(written) == timecode  # what is written reads back


@pytest.mark.parametrize("text", [
    "99:99", "8:60", "00:60:00", "1:75:00", "1:2", "812", "", "abc", "08:12:", ":08:12", "100:00:00",
    "00:08:12.2500", "-0:01", "8:12pm", "00:08:12.", "8 :12", "00:08:12;250",
])
def test_what_is_not_a_timecode_is_none(text: str) -> None:
    assert parse(text) is None


@given(st.integers(min_value=0, max_value=100 * 3_600_000 - 1))
def test_every_timecode_under_a_hundred_hours_reads_back_as_written(milliseconds: int) -> None:
    timecode = Timecode(milliseconds)
    assert parse(str(timecode)) == timecode


def test_timecodes_order_by_time() -> None:
    assert sorted([parse("1:00:00"), parse("59:59"), parse("00:00:01.5")]) == [
        Timecode(1_500), Timecode(3_599_000), Timecode(3_600_000)]


# --- the source: read, written back, refused out of place ----------------------------------------


def test_a_turn_carries_its_timecode_and_the_text_does_not(tmp_path: Path) -> None:
    turns = _turns(read(_source(tmp_path)))
    assert [str(t.timecode) if t.timecode else None for t in turns] == ["00:00:05", "00:08:12.250", None, "01:02:03"]
    assert turns[0].blocks == (m.Para((m.Text("The first question?"),)),)  # label and timecode off, no space left
    assert turns[1].blocks[0] == m.Para((m.Text("It’s actually "), m.Emph((m.Text("an answer"),)), m.Text(".")))
    assert len(turns[1].blocks) == 2  # the unlabelled paragraph continues the timed turn


def test_the_source_writer_writes_timecodes_back_and_they_read_the_same(tmp_path: Path) -> None:
    doc = read(_source(tmp_path / "in"))
    text = write_source(doc, load_registry(tmp_path / "in").entries)
    assert "Filmmaker: [00:00:05]{.time} The first question?" in text
    assert "Baker: [00:08:12.250]{.time} It’s actually *an answer*." in text
    assert "Baker: [01:02:03]{.time} The last answer." in text
    assert "Filmmaker: An untimed question?" in text
    again = read(_source(tmp_path / "out", text))
    assert without_positions(again) == without_positions(doc)
    assert write_source(again, load_registry(tmp_path / "out").entries) == text


def _refused(tmp_path: Path, old: str, new: str) -> SourceError:
    assert old in SOURCE
    with pytest.raises(SourceError) as caught:
        read(_source(tmp_path, SOURCE.replace(old, new, 1), "bad.md"))
    return caught.value


def _at(text: str, needle: str) -> tuple[int, int]:
    """The line and column (counted in characters, from 1) where `needle` first stands in `text`."""
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


@pytest.mark.parametrize(("old", "new"), [
    ("It’s actually", "It’s [00:00:01]{.time} actually"),  # mid-paragraph
    ("A second paragraph", "[00:00:01]{.time} A second paragraph"),  # a turn's second paragraph
    ("An introduction with", "An introduction [00:00:01]{.time} with"),  # in the introduction
    ("::: introduction", "::: headnote\n[00:00:01]{.time} A headnote.\n:::\n\n::: introduction"),  # the headnote
    ("Filmmaker: [00:00:05]{.time} The", "Filmmaker: The [00:00:05]{.time}"),  # after the label's words, not the label
    ("[00:00:05]{.time}", "[00:00:05]{.time} [00:00:06]{.time}"),  # a second one after the first
])
def test_a_timecode_anywhere_but_right_after_a_label_is_refused_at_its_place(
        tmp_path: Path, old: str, new: str) -> None:
    error = _refused(tmp_path, old, new)
    text = SOURCE.replace(old, new, 1)
    stray = "[00:00:06]" if "[00:00:06]" in new else "[00:00:05]" if "The [00:00:05]" in new else "[00:00:01]"
    assert (error.line, error.column) == _at(text, stray), str(error)
    assert error.path.name == "bad.md"
    assert "right after a turn's label" in error.message


@pytest.mark.parametrize("bad", ["99:99", "8:60", "soon", "00:08:12.2500"])
def test_a_time_span_that_is_no_timecode_is_refused_at_its_place(tmp_path: Path, bad: str) -> None:
    error = _refused(tmp_path, "[00:08:12.250]", f"[{bad}]")
    assert (error.line, error.column) == _at(SOURCE.replace("[00:08:12.250]", f"[{bad}]"), f"[{bad}]")
    assert f"'{bad}' is not a timecode" in error.message


def test_check_refuses_a_stray_timecode_with_exit_3(tmp_path: Path) -> None:
    source = _source(tmp_path, SOURCE.replace("It’s actually", "It’s [00:00:01]{.time} actually"))
    result = CliRunner().invoke(app, ["check", str(source)])
    line, column = _at(source.read_text(encoding="utf-8"), "[00:00:01]")
    assert result.exit_code == 3
    assert f"timed.md:{line}:{column}: a timecode" in result.output


# --- the editions and the index ------------------------------------------------------------------


def test_index_json_lists_each_timed_turn(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["index", "--json", str(_source(tmp_path))])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)["timecodes"]
    assert listed == [{"turn": n, "speaker": label, "timecode": time} for n, label, time in TIMED]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The timed source built to PDF, EPUB and DOCX by `pressroom build`."""
    folder = tmp_path_factory.mktemp("timecodes")
    result = CliRunner().invoke(app, ["build", str(_source(folder / "in")), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out"


@pytest.mark.slow
def test_the_pdf_prints_no_timecode(built: Path) -> None:
    text = subprocess.run(["pdftotext", str(built / "timed.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert not PRINTED_TIME.findall(text), PRINTED_TIME.findall(text)
    flat = " ".join(text.split())
    assert "Filmmaker: The first question?" in flat and "Baker: It’s actually an answer." in flat
    assert "Baker: The last answer." in flat


@pytest.mark.slow
def test_the_docx_holds_no_timecode(built: Path) -> None:
    text = pypandoc.convert_file(str(built / "timed.docx"), "plain", format="docx", extra_args=["--wrap=none"])
    assert not PRINTED_TIME.findall(text), PRINTED_TIME.findall(text)
    assert "FILMMAKER: The first question?" in text and "BAKER: It’s actually an answer." in text
    with zipfile.ZipFile(built / "timed.docx") as z:  # nor in any part of the package (the text, its fields)
        assert not [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")
                    and re.search(rb"00:0[08]:|01:02:03", z.read(n))]


@pytest.mark.slow
def test_the_epub_keeps_each_timecode_on_its_turn_and_prints_none(built: Path) -> None:
    with zipfile.ZipFile(built / "timed.epub") as z:
        page = etree.fromstring(z.read("EPUB/interview.xhtml"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    turns = page.xpath("//h:div[contains(concat(' ', @class, ' '), ' turn ')]", namespaces=ns)
    assert [turn.get("data-timecode") for turn in turns] == ["00:00:05", "00:08:12.250", None, "01:02:03"]
    assert [turn.xpath("string(h:p[1]/h:span[@class='speaker'])", namespaces=ns) for turn in turns] == [
        "Filmmaker:", "Baker:", "Filmmaker:", "Baker:"]
    text = "".join(page.itertext())
    assert not PRINTED_TIME.findall(text), PRINTED_TIME.findall(text)


@pytest.mark.slow
def test_epubcheck_passes_the_timed_epub(built: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "epubcheck", str(built / "timed.epub")], capture_output=True, text=True)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "ERROR" not in report and "WARNING" not in report and "FATAL" not in report, report
