"""The reader: golden model dumps of small sources, and every kind of bad source.

Golden cases live in `tests/cases/<name>/source.md` (with the case's own
films.yaml / people.yaml beside it) and `expected.json`, a dump of the model;
`pytest --update-golden` rewrites the expected files.

Bad sources live in `tests/bad/<name>.md` (or `tests/bad/<folder>/<name>.md`
when a case needs registries of its own) with a sidecar `<name>.expect` of one
line: `LINE:COL: a substring of the message`.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.core import model as m
from pressroom.core.errors import SourceError
from pressroom.reading.reader import read

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"
BAD = TESTS / "bad"

_LEFT_OUT = {("Document", "source_text"), ("Document", "registry")}


def dump(obj: object) -> object:
    """The model as plain JSON data: `{"type": ClassName, field: value, ...}`."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        name = type(obj).__name__
        data: dict[str, object] = {"type": name}
        for f in dataclasses.fields(obj):
            if (name, f.name) not in _LEFT_OUT:
                data[f.name] = dump(getattr(obj, f.name))
        return data
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (tuple, list)):
        return [dump(item) for item in obj]
    if isinstance(obj, dict):
        return {str(dump(key)): dump(value) for key, value in obj.items()}
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    raise TypeError(f"dump: cannot turn {type(obj).__name__} into JSON")


# --- golden cases ----------------------------------------------------------

CASE_DIRS = sorted(p.parent for p in CASES.glob("*/source.md"))



@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda case: case.name)
def test_golden(case: Path, update_golden: bool) -> None:
    doc = read(case / "source.md")
    actual = dump(doc)
    expected_file = case / "expected.json"
    if update_golden:
        expected_file.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    assert expected_file.is_file(), f"{expected_file} is missing; run pytest --update-golden and check it by eye"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert actual == expected


def test_there_are_golden_cases() -> None:
    assert len(CASE_DIRS) >= 10


def test_dump_leaves_out_source_text_and_registries() -> None:
    data = dump(read(CASES / "interview-only" / "source.md"))
    assert "source_text" not in data and "registry" not in data
    assert data["index"]["type"] == "Index"
    speaker = {"type": "Speaker", "label": "Filmmaker", "role": "interviewer", "name": None}
    assert data["front"]["speakers"][0] == speaker


def test_reading_is_repeatable() -> None:
    """Two reads of one source give equal models (no counters left over between reads)."""
    source = CASES / "footnote-film" / "source.md"
    assert read(source) == read(source)


# --- bad sources -------------------------------------------------------------

BAD_SOURCES = sorted(p for p in BAD.rglob("*.md"))
_EXPECT = re.compile(r"(\d+):(\d+): (.+)")

# Bad sources whose .expect says where the error should be but the reader points elsewhere today.
def _expectation(source: Path) -> tuple[int, int, str]:
    text = source.with_suffix(".expect").read_text(encoding="utf-8").strip()
    match = _EXPECT.fullmatch(text)
    assert match, f"{source.with_suffix('.expect')}: expected 'LINE:COL: message', got {text!r}"
    return int(match.group(1)), int(match.group(2)), match.group(3)


def _bad_param(path: Path):  # noqa: ANN202
    return pytest.param(path, id=str(path.relative_to(BAD).with_suffix("")))


BAD_PARAMS = [_bad_param(p) for p in BAD_SOURCES]


@pytest.mark.parametrize("source", BAD_PARAMS)
def test_bad_source(source: Path) -> None:
    line, column, message = _expectation(source)
    with pytest.raises(SourceError) as caught:
        read(source)
    error = caught.value
    assert (error.line, error.column) == (line, column), str(error)
    assert message in error.message, str(error)
    assert str(error).startswith(f"{source}:{line}:{column}: "), str(error)
    assert error.exit_code == 3


@pytest.mark.parametrize("source", BAD_PARAMS)
def test_bad_source_through_the_cli(source: Path) -> None:
    line, column, message = _expectation(source)
    result = CliRunner().invoke(app, ["check", str(source)])
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == "", "the error goes to stderr, and nothing else is printed"
    located = [text for text in result.stderr.splitlines() if re.match(r"^\S+:\d+:\d+: ", text)]
    assert len(located) == 1, result.stderr
    assert located[0].startswith(f"{source}:{line}:{column}: "), located[0]
    assert message in located[0]


def test_every_bad_source_has_an_expectation() -> None:
    assert len(BAD_SOURCES) >= 20
    for source in BAD_SOURCES:
        assert source.with_suffix(".expect").is_file(), source
    for expect in BAD.rglob("*.expect"):
        assert expect.with_suffix(".md").is_file(), expect


def test_a_missing_source_is_a_source_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    with pytest.raises(SourceError) as caught:
        read(missing)
    assert str(caught.value).startswith(f"{missing}:1:1: cannot read the source")


def test_the_error_message_quotes_no_control_characters() -> None:
    """A source's own bytes must not reach the terminal raw (an ESC could rewrite the screen)."""
    for name in ("binary-nul", "title-control-character"):
        result = CliRunner().invoke(app, ["check", str(BAD / f"{name}.md")])
        assert result.exit_code == 3
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.stderr), repr(result.stderr)



# --- behaviour the reader once got wrong -------------------------------------

_HEAD = """---
title: A Test Interview
speakers:
  Filmmaker: {role: interviewer}
  Baker: {role: interviewee, name: Sean Baker}
---

"""


def _read_text(tmp_path: Path, body: str) -> m.Document:
    source = tmp_path / "source.md"
    source.write_text(_HEAD + body, encoding="utf-8")
    return read(source)


def test_an_html_comment_between_the_divs_is_dropped(tmp_path: Path) -> None:
    doc = _read_text(tmp_path, "<!-- an editor's note -->\n\n::: interview\nFilmmaker: A question.\n:::\n")
    assert [type(b).__name__ for b in doc.interview] == ["Turn"]


def test_spaced_stars_are_a_rule(tmp_path: Path) -> None:
    doc = _read_text(tmp_path, "::: interview\nFilmmaker: A question.\n\n* * *\n\nBaker: An answer.\n:::\n")
    assert [type(b).__name__ for b in doc.interview] == ["Turn", "Rule", "Turn"]


def test_a_dropped_inline_comment_leaves_one_space(tmp_path: Path) -> None:
    doc = _read_text(tmp_path, "::: interview\nFilmmaker: A question <!-- note --> here.\n:::\n")
    assert doc.interview[0].blocks[0] == m.Para((m.Text("A question here."),))


def test_a_rule_and_a_heading_close_the_turn_without_a_speaker(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        _read_text(tmp_path, "::: interview\nFilmmaker: A question.\n\n---\n\nNobody says this.\n:::\n")
    assert (caught.value.line, caught.value.column) == (13, 1)
    assert "no speaker says" in caught.value.message


@pytest.mark.parametrize("depth", [1000])  # pandoc itself takes ~8 s on 5000
def test_deeply_nested_spans_are_a_source_error(tmp_path: Path, depth: int) -> None:
    deep = "[" * depth + "x" + "]{.smallcaps}" * depth
    with pytest.raises(SourceError) as caught:
        _read_text(tmp_path, f"::: interview\nFilmmaker: {deep}\n:::\n")
    assert "nested too deeply" in caught.value.message


@pytest.mark.parametrize("depth", [1000, 5000])
def test_deeply_nested_quotes_are_a_source_error(tmp_path: Path, depth: int) -> None:
    with pytest.raises(SourceError) as caught:
        _read_text(tmp_path, "::: interview\nFilmmaker: A question.\n\n" + "> " * depth + "Deep.\n:::\n")
    assert "nested" in caught.value.message


def test_a_label_with_no_space_after_its_colon_opens_no_turn(tmp_path: Path) -> None:
    """'Baker:no space' is text, not a turn: first in the interview, no speaker says it."""
    source = tmp_path / "source.md"
    text = _HEAD + "::: interview\nBaker:no space after the colon.\n:::\n"
    source.write_text(text, encoding="utf-8")
    line = text.split("\n").index("Baker:no space after the colon.") + 1
    out = tmp_path / "out"
    for args in (["check", str(source)], ["build", str(source), "--to", "docx", "--out", str(out)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 3, result.output
        located = [error for error in result.stderr.splitlines() if re.match(r"^\S+:\d+:\d+: ", error)]
        assert len(located) == 1 and located[0].startswith(f"{source}:{line}:1: "), result.stderr
        assert "no speaker says" in located[0]
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("text", ["Baker:x and more.", "Baker:*x* and more."])
def test_a_label_with_no_space_after_its_colon_stays_in_the_turn(tmp_path: Path, text: str) -> None:
    doc = _read_text(tmp_path, f"::: interview\nBaker: A real answer.\n\n{text}\n:::\n")
    assert len(doc.interview) == 1
    turn = doc.interview[0]
    assert turn.speaker.label == "Baker"
    assert len(turn.blocks) == 2 and m.plain_text(turn.blocks[1].children) == text.replace("*", "")
