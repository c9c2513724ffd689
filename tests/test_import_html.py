"""`pressroom import` of a saved magazine web page: the article's model is the canonical source's,
and nothing of the site around it (navigation, share buttons, newsletter, related posts, comments)
is imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import accept_proposals
from import_html_page import page
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.reading.reader import read
from test_import import PARTS, _films, _out, _paragraphs

runner = CliRunner()
PAGE = Path(__file__).parent / "import" / "sean-baker-anora.html"  # python tests/import_html_page.py makes it


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Document, list[dict], str, str]:
    """The saved page imported once: the model `check` reads, the report's notes, stderr, the source."""
    out = _out(tmp_path_factory.mktemp("import-html"))
    report = out / "report.json"
    result = runner.invoke(app, ["import", str(PAGE), "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    check = runner.invoke(app, ["check", str(out / "sean-baker-anora.md")])
    assert check.exit_code == 0, check.output
    notes = json.loads(report.read_text(encoding="utf-8"))["imports"][0]["notes"]
    return read(out / "sean-baker-anora.md"), notes, result.stderr, (out / "sean-baker-anora.md").read_text("utf-8")


def test_the_fixture_page_is_the_canonical_source_in_a_sites_chrome(doc) -> None:
    assert PAGE.read_text(encoding="utf-8") == page(doc), "regenerate it: python tests/import_html_page.py"


@pytest.mark.parametrize("part", PARTS)
def test_every_paragraph_and_turn_is_the_canonical_sources(imported, doc, part: str) -> None:
    got, want = _paragraphs(getattr(imported[0], part)), _paragraphs(getattr(doc, part))
    assert [(label, m.plain_text(p.children)) for label, p in got] == [
        (label, m.plain_text(p.children)) for label, p in want
    ]


def test_the_headline_speakers_and_language_are_the_canonical_sources(imported, doc) -> None:
    got, want = imported[0].front, doc.front
    assert m.plain_text(got.title) == m.plain_text(want.title)
    assert m.plain_text(got.subtitle) == m.plain_text(want.subtitle)
    assert got.speakers == want.speakers
    assert got.lang == want.lang == "en-US"  # <html lang="en-US">


@pytest.mark.parametrize("part", ("title", "subtitle", *PARTS))
def test_every_film_mention_is_the_canonical_sources(imported, doc, part: str) -> None:
    def mentions(document: m.Document) -> list:
        if part in ("title", "subtitle"):
            return _films(getattr(document.front, part))
        return [(i, *f) for i, (_, p) in enumerate(_paragraphs(getattr(document, part))) for f in _films(p.children)]

    assert mentions(imported[0]) == mentions(doc)


def test_nothing_outside_the_article_is_imported(imported) -> None:
    doc, notes, _, source = imported
    words = " ".join(m.plain_text(p.children) for part in PARTS for _, p in _paragraphs(getattr(doc, part)))
    for chrome in ("Subscribe to the Print Magazine", "Share on Facebook", "Get the Filmmaker newsletter",
                   "Related Posts", "Moonee’s Kingdom", "cinephile42", "Greasy Strangler", "Four Letter Words",
                   "cheap pills", "Leave a Reply", "Giovanni Marchini Camia", "Privacy", "Tags:", "photo: Neon",
                   "Editor’s note", "dataLayer", "VIDEO"):
        assert chrome not in words and chrome not in source, chrome
    # the comments' and the newsletter's italic titles that are not films of the registry left no note either
    assert not [n for n in notes if n["kind"] in ("unknown-film", "doubtful-film")]


def test_images_frames_scripts_and_links_are_dropped_and_reported(imported) -> None:
    _, notes, stderr, source = imported
    dropped = [n["message"] for n in notes if n["kind"] == "dropped"]
    assert any("image" in d or "figure" in d for d in dropped if "anora-still.jpg" in d)
    assert any("embedded frame" in d and "youtube.com/embed/trailer" in d for d in dropped)
    assert any(d.startswith("dropped the link to https://en.wikipedia.org/wiki/Take_That") for d in dropped)
    assert any("3 × a script" in d for d in dropped)
    for gone in ("http", "<", "!["):
        assert gone not in source.split("\n---\n", 1)[1]
    for note in notes:
        assert f"{PAGE}:{note['line']}:{note['column']}: note: {note['message']}" in stderr


ARTICLE = """\
<!doctype html><html><head><title>Jane Doe: Scoring Anora | Site</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><em>Tangerine</em> retrospective</li></ul></nav>
<article><h1>Jane Doe: Scoring <i>Anora</i></h1>
<p>Jane Doe scored <em>Anora</em> and <em>The Unmade Film</em> in a month, \
she told us <em>en plein air</em> over a long lunch.
It was a good lunch, and we talked for hours about music, films and the business.</p>
<p><b>Q:</b> How did it start?</p>
<p><b>Doe:</b> With a letter from the director. It said:</p>
<blockquote><p>Please watch <em>Red Rocket</em> first.</p></blockquote>
<p><strong>Q: And then?</strong></p>
<p><strong>Doe</strong>: Then the work, <em>Scream</em> on the stereo.</p>
</article>
<section class="comments"><p>Loved <em>Starlet</em>!</p></section>
</body></html>
"""


def test_a_small_page_bold_questions_block_quotes_and_unknown_italics(tmp_path: Path) -> None:
    out = _out(tmp_path)
    source = tmp_path / "doe.htm"
    source.write_text(ARTICLE, encoding="utf-8")
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["import", str(source), "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    accept_proposals(out)
    assert runner.invoke(app, ["check", str(out / "doe.md")]).exit_code == 0
    doc = read(out / "doe.md")
    assert m.plain_text(doc.front.title) == "Jane Doe" and _films(doc.front.subtitle) == [(8, "anora", "Anora")]
    turns = [t for t in doc.interview if isinstance(t, m.Turn)]
    assert [(t.speaker.label, t.speaker.role.value) for t in turns] == [
        ("Q", "interviewer"), ("Doe", "interviewee"), ("Q", "interviewer"), ("Doe", "interviewee")]
    assert isinstance(turns[1].blocks[1], m.BlockQuote)
    assert _films(turns[1].blocks[1].blocks[0].children) == [(13, "red-rocket", "Red Rocket")]
    assert m.plain_text(turns[2].blocks[0].children) == "And then?"  # the bold question: its words, not its bold
    assert isinstance(turns[2].blocks[0].children[0], m.Text)
    assert _films(turns[3].blocks[0].children) == [(15, "scream-2022", "Scream")]  # an alias of the registry
    # a title that names no film is proposed; italics of another shape stay italics, with a note
    notes = json.loads(report.read_text(encoding="utf-8"))["imports"][0]["notes"]
    assert [n["kind"] for n in notes if "'The Unmade Film'" in n["message"]] == ["proposed-film"]
    assert [n["kind"] for n in notes if "'en plein air'" in n["message"]] == ["unknown-film"]
    assert [film[1:] for film in _films(doc.introduction[0].children)] == [
        ("anora", "Anora"), ("the-unmade-film", "The Unmade Film")]
    assert m.Emph((m.Text("en plein air"),)) in doc.introduction[0].children
    every = " ".join(m.plain_text(p.children) for _, p in _paragraphs(doc.interview) if isinstance(p, m.Para))
    assert "Starlet" not in every and "Tangerine" not in every and "Home" not in every


def test_a_title_in_italics_that_names_no_film_is_proposed_and_refused_until_accepted(tmp_path: Path) -> None:
    out = _out(tmp_path)
    (tmp_path / "doe.htm").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "later.htm").write_text(ARTICLE.replace("Jane Doe", "John Roe").replace("Doe", "Roe")
                                        .replace("Red Rocket", "Another Unmade Film"), encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / "doe.htm"), str(tmp_path / "later.htm"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "note: italic 'The Unmade Film' names no film in films.yaml: marked key=the-unmade-film" in result.stderr
    assert result.stdout.count("1 film proposed in") == 2
    lines = (out / "doe.md").read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if "[The Unmade Film]{.film key=the-unmade-film}" in text)
    column = lines[line - 1].index("[The Unmade Film]") + 1
    proposals = yaml.safe_load((out / "films.proposed.yaml").read_text(encoding="utf-8"))
    # the second page's same title is the same proposal, its new one is added
    assert proposals == {"the-unmade-film": {"title": "The Unmade Film", "year": None, "director": None},
                         "another-unmade-film": {"title": "Another Unmade Film", "year": None, "director": None}}
    refused = runner.invoke(app, ["check", str(out / "doe.md")])
    assert refused.exit_code == 3
    assert (f"doe.md:{line}:{column}: " in refused.stderr
            and "film 'the-unmade-film' is only proposed in films.proposed.yaml" in refused.stderr)
    accept_proposals(out)
    assert runner.invoke(app, ["check", str(out / "doe.md"), str(out / "later.md")]).exit_code == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("page.html", b"just some words, no markup at all\n", "not an HTML page"),
        ("page.html", b"<!DOCTYPE html><html><body><p>No headline.</p></body></html>", "no speaker labels"),
        ("page.html", b"<!DOCTYPE html><html><h1>Title: Sub</h1><p>Q: one</p></html>", "no speaker labels"),
        ("page.html", b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
    ],
)
def test_a_page_that_is_not_an_interview_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    out = _out(tmp_path)
    source = tmp_path / name
    source.write_bytes(data)
    result = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert message in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["films.yaml", "people.yaml"]


def test_malformed_html_is_still_read(tmp_path: Path) -> None:
    broken = ("<html><body><article><h1>A Title: A <em>Subtitle</h1><p>An introduction <b>with <i>bad</b> nesting"
              "<p><strong>Q:</strong> Why?<p><strong>A:</strong> Because <em>Anora<p><strong>Q:</strong> And?"
              "<p><strong>A:</strong> Yes.</div></span>")
    out = _out(tmp_path)
    source = tmp_path / "broken.html"
    source.write_text(broken, encoding="utf-8")
    result = runner.invoke(app, ["import", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "italic 'Subtitle' names no film" in result.stderr  # a title's shape: proposed
    accept_proposals(out)
    assert runner.invoke(app, ["check", str(out / "broken.md")]).exit_code == 0
    doc = read(out / "broken.md")
    assert [t.speaker.label for t in doc.interview if isinstance(t, m.Turn)] == ["Q", "A", "Q", "A"]


def test_a_page_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<!DOCTYPE html><html><body>" + b"<p>x</p>" * (300 * 1024) + b"</body></html>")
    result = runner.invoke(app, ["import", str(big), "--out", str(_out(tmp_path))])
    assert result.exit_code == 3
    assert "big.html:1:1: the file is" in result.stderr


@pytest.mark.parametrize(
    ("words", "shaped"),
    [("The Sweet East", True), ("Once Upon a Time… in Hollywood", True), ("8½", True),
     ("Who Framed Roger Rabbit?", True),
     ("Dune: Part Two", True), ("really", False), ("I never want to see that again.", False),
     # the film too, but a stressed word as often: a note, not a proposal,
     ("Les quatre cents coups", False), ("en plein air", False), ("That", False), ("Never", False), ("Her", False)]
)
def test_only_italics_shaped_like_a_title_are_proposed(words: str, shaped: bool) -> None:
    from pressroom.importers.proposals import title_shaped

    assert title_shaped(words) is shaped
