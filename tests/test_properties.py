"""Property tests: sources assembled at random from the format's pieces.

The reader either reads a source or raises a SourceError that points inside the
file: never another exception. Valid generated sources build to three editions
that EPUBCheck, qpdf and an XML parser accept.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.core.errors import SourceError
from pressroom.reading.reader import read

BAD = Path(__file__).resolve().parent / "bad"
FORMATS = ("pdf", "epub", "docx")

# --- text ----------------------------------------------------------------------------------

_CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\r\t\u2028\u2029\ufeff\u200b\u200f\u202e"
_ALPHABET = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),  # almost anything (controls come below)
    st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 .,;!?-–—…’“”«»"),
    st.sampled_from("שלום مرحبا עברית عربي"),  # RTL
    st.sampled_from("映画監督の話 电影 영화"),  # CJK
    st.sampled_from("éüñçåø\u0301\u0308"),  # accents and combining marks
    st.sampled_from("[]{}:*_`<>&#\\!\"'|~^=$"),  # Markdown's own characters
)
_SNIPPETS = st.sampled_from([
    ":::", "::: interview", "[", "]", "{.film}", "{.person}", "[^]", "**", "_", "*", "\"", "'", "<!-- note -->",
    "&amp;", "&#0;", "&#x7;", "\\", "`", "#", "Macaulay:", "Baker:", "Filmmaker:", "[laughs]", "[sic]", "<b>", "</i>",
    "![x](a.png)", "[x](http://example.com)", "[x](../secret.txt)", "$x$", "~~x~~", "| a | b |", "{#id}", "---",
])
# No "[^1]" among them: a note that cites itself hangs pandoc (see test_bad_builds.py), and would hang this test.
WORDS = st.one_of(st.text(_ALPHABET, min_size=1, max_size=10), _SNIPPETS)
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)

# plain text that needs no escaping and opens no construct: for valid sources
_SAFE_ALPHABET = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ 0123456789 .,;!?–—…’“” éüñçåø שלום مرحبا 映画監督の話电影 영화"
)
SAFE_WORD = st.text(_SAFE_ALPHABET, min_size=1, max_size=10).map(str.strip).filter(
    lambda w: bool(w) and ":" not in w and not w[:1].isupper()
)
SAFE_TEXT = st.lists(SAFE_WORD, min_size=1, max_size=8).map(" ".join)

REGISTERED_FILMS = ["Anora", "Starlet", "anora", "ANORA"]
UNREGISTERED_FILMS = ["Nosferatu", "Anorak", "[Anora]", ""]
REGISTERED_PEOPLE = ["Yura Borisov", "Yuri [Borisov]", "Yuri"]
UNREGISTERED_PEOPLE = ["Nobody", "Yura", ""]


# --- inlines --------------------------------------------------------------------------------


def _inline(text: st.SearchStrategy[str], valid: bool) -> st.SearchStrategy[str]:
    films = st.sampled_from(REGISTERED_FILMS if valid else REGISTERED_FILMS + UNREGISTERED_FILMS)
    people = st.sampled_from(REGISTERED_PEOPLE if valid else REGISTERED_PEOPLE + UNREGISTERED_PEOPLE)
    keys = st.sampled_from(["anora", "starlet"] if valid else ["anora", "starlet", "nope", "Anora", "a b"])
    pieces = [
        text,
        text.map(lambda t: f"*{t}*"),
        text.map(lambda t: f"**{t}**"),
        text.map(lambda t: f"“{t}”"),
        text.map(lambda t: f'"{t}"'),
        text.map(lambda t: f"[{t}]"),  # an editorial bracket
        films.map(lambda f: f"[{f}]{{.film}}"),
        st.tuples(text, keys).map(lambda p: f"[{p[0]}]{{.film key={p[1]}}}"),
        people.map(lambda p: f"[{p}]{{.person}}"),
        text.map(lambda t: f"[{t}]{{.smallcaps}}"),
        st.just("<!-- an editor's note -->"),
        text.map(lambda t: f"`{t.replace('`', '')}`"),
        st.just("[a link](https://example.com/)"),
    ]
    if not valid:
        pieces += [
            text.map(lambda t: f"<span>{t}</span>"),
            text.map(lambda t: f"[{t}]{{.flim}}"),
            films.map(lambda f: f"[[{f}]{{.film}}]{{.film}}"),
            text.map(lambda t: f"~~{t}~~"),
            st.just("![an image](picture.png)"),
            st.just("$x^2$"),
        ]
    return st.one_of(pieces)


def _inlines(valid: bool) -> st.SearchStrategy[str]:
    # A valid paragraph opens with plain text: one that opens with "<!--" is an HTML block in CommonMark.
    pieces = st.lists(_inline(SAFE_TEXT, True), min_size=0, max_size=4).map(" ".join)
    tame = st.tuples(SAFE_TEXT, pieces).map(lambda p: f"{p[0]} {p[1]}".strip())
    if valid:
        return tame
    wild = st.lists(_inline(TEXT, False), min_size=1, max_size=5).map(" ".join)
    return st.one_of(tame, tame, wild)


# --- blocks -------------------------------------------------------------------------------------

DECLARED = ["Filmmaker", "Baker"]


def _interview_blocks(valid: bool) -> st.SearchStrategy[list[str]]:
    inl = _inlines(valid)
    labels = (st.sampled_from(DECLARED) if valid
              else st.one_of(st.sampled_from(DECLARED), st.sampled_from(["Macaulay", "Q", "Nobody Here"])))
    label_forms = st.sampled_from(["{}: ", "**{}:** ", "**{}**: "])
    turn = st.tuples(label_forms, labels, inl).map(lambda p: p[0].format(p[1]) + p[2])
    continuations = [
        inl,  # continues the last turn (an error when no turn came before)
        inl.map(lambda t: f"> {t}"),
        inl.map(lambda t: f"> > {t}"),
        st.lists(inl, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
        st.lists(inl, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
        st.just("<!-- a comment\nover two lines -->"),
    ]
    breaks = [st.tuples(st.integers(2, 4), inl).map(lambda p: "#" * p[0] + " " + p[1]), st.just("* * *")]
    # turns, each followed by what continues it; a heading or a rule only before a turn
    group = st.tuples(
        st.lists(st.one_of(breaks), max_size=1), turn, st.lists(st.one_of(continuations), max_size=2)
    ).map(lambda g: [*g[0], g[1], *g[2]])
    if valid:
        return st.lists(group, min_size=1, max_size=4).map(lambda groups: [b for g in groups for b in g])
    stray = st.one_of(
        *continuations, *breaks, st.just(":::"), st.just("::: aside\ntext\n:::"), st.just("<div>raw</div>"),
        st.just("| a | b |\n|---|---|\n| 1 | 2 |"), TEXT, st.just("[^9]: a note nobody calls"),
    ).map(lambda block: [block])
    return st.lists(st.one_of(group, group, stray), max_size=5).map(lambda groups: [b for g in groups for b in g])


@st.composite
def _with_notes(draw: st.DrawFn, blocks: list[str], valid: bool) -> list[str]:
    """Some paragraphs get a footnote, defined after the blocks."""
    notes = []
    result = []
    for block in blocks:
        if block and not block.startswith(("#", "*", "<", ":", "|", "[^")) and draw(st.booleans()):
            number = len(notes) + 1
            block += f"[^{number}]"
            notes.append(f"[^{number}]: {draw(_inlines(valid))}")
        result.append(block)
    return result + notes


@st.composite
def _section(draw: st.DrawFn, name: str, valid: bool) -> str:
    if name == "interview":
        blocks = draw(_interview_blocks(valid))
    else:
        blocks = draw(st.lists(_inlines(valid), min_size=1, max_size=3))
    blocks = draw(_with_notes(blocks, valid))
    return f"::: {name}\n" + "\n\n".join(blocks) + "\n:::"


# --- front matter ------------------------------------------------------------------------------


def _json(value: object) -> str:
    """A YAML flow value (JSON is YAML), non-ASCII characters kept as they are."""
    return json.dumps(value, ensure_ascii=False)


def _yaml_string(text: str, quoted: bool) -> str:
    return _json(text) if quoted else text.replace("\n", " ")


@pytest.fixture(autouse=True)
def _languages_without_a_catalogue(caplog: pytest.LogCaptureFixture):
    """Hebrew and Japanese have no catalogue: the warning that the book's words are English is expected."""
    yield
    for record in caplog.get_records("call"):
        if "has no catalogue for the language" in record.getMessage():
            record.expected = True


def _rarely(draw: st.DrawFn) -> bool:
    """True about one time in eight (not at 0, which Hypothesis favours)."""
    return draw(st.integers(0, 7)) == 5


@st.composite
def _front_matter(draw: st.DrawFn, valid: bool) -> str:
    inl = _inlines(valid)

    def value(strategy: st.SearchStrategy[str]) -> str:
        return _yaml_string(draw(strategy), quoted=valid or not _rarely(draw))

    lines = [f"title: {value(inl)}"]
    if draw(st.booleans()):
        lines.append(f"subtitle: {value(inl)}")
    optional = {
        "lang": st.sampled_from(["en", "en-US", "fr", "he", "ja"]),
        "date": st.sampled_from(["2025-03-03", "1999-12-31"]),
        "identifier": st.just("urn:pressroom:test"),
        "publisher": SAFE_TEXT.map(_json),
        "rights": SAFE_TEXT.map(_json),
        "history": st.lists(SAFE_TEXT, min_size=1, max_size=2).map(_json),
        "keywords": st.lists(SAFE_TEXT, min_size=1, max_size=3).map(_json),
        "author": st.one_of(SAFE_TEXT.map(_json), st.lists(SAFE_TEXT, min_size=1, max_size=2).map(_json)),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=4)):
        lines.append(f"{key}: {draw(optional[key])}")
    if not valid and _rarely(draw):
        wrong = {"lang": ["english!", "''", "[en]"], "date": ["2025-13-40", "yesterday", "2025"], "autor": ["Jane Doe"],
                 "Title": ["Again"], "history": ["{a: b}"], "keywords": ["[[a]]"], "title": ["Twice"]}
        key = draw(st.sampled_from(sorted(wrong)))
        lines.append(f"{key}: {draw(st.sampled_from(wrong[key]))}")
    speakers = ["speakers:"]
    roles = st.sampled_from(["interviewer", "interviewee"])
    for label in DECLARED:
        if not valid and _rarely(draw):
            continue  # a speaker left undeclared
        fields = [f"role: {draw(roles)}"]
        if not valid and _rarely(draw):
            fields = draw(st.sampled_from([[], ["role: host"], ["role: ''"], ["rôle: interviewer"]]))
        if draw(st.booleans()):
            fields.append(f"name: {_json(draw(SAFE_TEXT))}")
        speakers.append(f"  {label}: {{{', '.join(fields)}}}")
    if not valid and _rarely(draw):
        speakers = [draw(st.sampled_from(["speakers: []", "speakers: Baker", "speakers:", "speakers: {}"]))]
    if valid or not _rarely(draw):
        lines.append("\n".join(speakers))
    if draw(st.booleans()):
        keys = ["red-rocket"] if valid else ["red-rocket", "red-rocket", "Red-Rocket", "anora", "a b"]
        lines.append(f"films:\n  {draw(st.sampled_from(keys))}: "
                     f"{{title: Red Rocket, year: 2021, director: Sean Baker}}")
    if not valid and _rarely(draw):
        lines.append(draw(TEXT))  # a line of stray text
    draw(st.randoms()).shuffle(lines)
    return "---\n" + "\n".join(lines) + "\n---\n"


@st.composite
def sources(draw: st.DrawFn, valid: bool) -> str:
    front = draw(_front_matter(valid))
    names = ["headnote", "introduction", "interview"]
    if valid or not _rarely(draw):
        present = [n for n in names if n == "interview" or draw(st.booleans())]
    else:  # sections missing, repeated, out of order
        present = draw(st.lists(st.sampled_from(names), max_size=4))
    parts = [draw(_section(name, valid)) for name in present]
    if not valid and _rarely(draw):
        parts.insert(draw(st.integers(0, len(parts))), draw(TEXT))  # text outside the divs
    if not valid and _rarely(draw):
        parts.append(":::")  # a stray fence
    text = front + "\n" + "\n\n".join(parts) + "\n"
    if not valid and _rarely(draw):  # a cut: a truncated file
        text = text[: draw(st.integers(len(text) // 3, len(text)))]
    if not valid and _rarely(draw):  # other line endings
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    if not valid and _rarely(draw):  # a control, separator, BOM or bidi character somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_CONTROL)) + text[at:]
    return text


# --- the properties ------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A source folder with the registries of tests/bad (Anora, Starlet; Yura Borisov)."""
    for name in ("films.yaml", "people.yaml"):
        shutil.copy(BAD / name, tmp_path / name)
    return tmp_path


def _file_lines(text: str) -> list[str]:
    """The file's lines as an editor counts them (LF, CRLF or a lone CR ends a line)."""
    return re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))


# Characters on which editors, pandoc and YAML disagree about where lines end (PyYAML ends a line at
# NEL, LS and PS inside the front matter; pressroom quotes a tab as one space): sources holding them
# get only the weaker check. The cases pressroom once got wrong are the tests below.
_LINE_TROUBLE = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029\t]|\r(?!\n)")


def check_error_position(source: Path, text: str, error: SourceError) -> None:
    """A SourceError points inside the file, and (for plain sources) quotes the line it names."""
    lines = _file_lines(text)
    assert 1 <= error.line <= max(len(lines), 1), (str(error), len(lines))
    assert error.column >= 1, str(error)
    assert str(error).startswith(f"{source}:{error.line}:{error.column}: ")
    if _LINE_TROUBLE.search(text) or error.line > len(lines):
        return
    line = lines[error.line - 1]
    assert error.column <= len(line) + 1, (str(error), line)
    if error.source_line is not None:
        assert error.source_line.rstrip("\r\n") == line, (str(error), line)


@settings(
    max_examples=150, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(text=sources(valid=False))
def test_a_source_reads_or_fails_at_a_place_inside_it(folder: Path, text: str) -> None:
    source = folder / "source.md"
    source.write_bytes(text.encode("utf-8"))
    try:
        read(source)
    except SourceError as error:
        check_error_position(source, text, error)


# --- line numbers pressroom once got wrong ---------------------------------------------------------

_KNOWN_HEAD = "---\ntitle: {title}\nspeakers:\n  Filmmaker: {{role: interviewer}}\n---\n\n::: interview\n"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_unicode_line_separator_in_the_front_matter_does_not_shift_line_numbers(folder: Path, separator: str) -> None:
    source = folder / "separator.md"
    text = _KNOWN_HEAD.format(title=f'"A{separator}B"') + "Macaulay: A question.\n:::\n"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read(source)
    assert (caught.value.line, caught.value.column) == (8, 1), str(caught.value)
    check_error_position(source, text.replace(separator, " "), caught.value)


def test_a_source_with_cr_line_endings_reads(folder: Path) -> None:
    source = folder / "cr.md"
    source.write_bytes((_KNOWN_HEAD.format(title="A") + "Filmmaker: A question.\n:::\n").replace("\n", "\r").encode())
    assert read(source).interview


def test_a_column_after_a_tab_counts_characters(folder: Path) -> None:
    source = folder / "tab.md"
    source.write_text(_KNOWN_HEAD.format(title="A") + "Filmmaker: a\t\tb [Nosferatu]{.film}\n:::\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read(source)
    assert (caught.value.line, caught.value.column) == (8, 17), str(caught.value)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=sources(valid=True))
def test_a_valid_generated_source_reads(folder: Path, text: str) -> None:
    """The generator's valid sources are valid: otherwise the build property below would test nothing."""
    source = folder / "source.md"
    source.write_text(text, encoding="utf-8")
    doc = read(source)
    assert doc.interview


def _epubcheck(epub: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "epubcheck", str(epub)], capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    problems = [line for line in report.splitlines() if re.search(r"\b(ERROR|WARNING|FATAL)\b", line)]
    assert not problems, report
    return report


# Source Serif 4, the only face pressroom embeds, has no Hebrew, Arabic or CJK glyphs: WeasyPrint would warn
# of .notdef glyphs (reported separately). The build property keeps the structure and makes the text Latin.
_RTL_CJK = "שלוםمرحباעבריתعربي映画監督の話电影영화"
_TO_LATIN = str.maketrans({c: "xyzw"[i % 4] for i, c in enumerate(_RTL_CJK)})


@pytest.mark.slow
@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=sources(valid=True))
@pytest.mark.slow
def test_a_valid_generated_source_builds_three_sound_editions(folder: Path, text: str) -> None:
    source = folder / "generated.md"
    source.write_text(text.translate(_TO_LATIN), encoding="utf-8")
    out = Path(tempfile.mkdtemp(dir=folder))
    result = CliRunner().invoke(app, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"generated.{fmt}" for fmt in FORMATS] + ["SHA256SUMS"])

    _epubcheck(out / "generated.epub")

    with zipfile.ZipFile(out / "generated.docx") as docx:
        parts = [n for n in docx.namelist() if n.endswith((".xml", ".rels"))]
        assert "word/document.xml" in parts
        for name in parts:
            ElementTree.fromstring(docx.read(name))

    check = subprocess.run(["qpdf", "--check", str(out / "generated.pdf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
