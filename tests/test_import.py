"""`pressroom import`: the plain-text interview of the seed becomes the canonical source's model."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SOURCE, without_positions
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.reading.index import mentions
from pressroom.reading.reader import read
from pressroom.reading.registry import registry_files

runner = CliRunner()
SEED = Path(__file__).parent / "import" / "sean-baker-anora.txt"  # /work/shared/seed/000_a830550b03fb9dea.txt


def _out(tmp_path: Path) -> Path:
    """A folder with the canonical registries, where imports are written."""
    out = tmp_path / "out"
    out.mkdir()
    for _, registry in registry_files(SOURCE.parent):
        shutil.copy(registry, out)
    return out


def _import(*args: str):  # noqa: ANN202
    return runner.invoke(app, ["import", *args])


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Document, dict, str]:
    """The seed imported once: the model `check` reads from it, the JSON report, stderr."""
    out = _out(tmp_path_factory.mktemp("import"))
    report = out / "report.json"
    result = _import(str(SEED), "--out", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    check = runner.invoke(app, ["check", str(out / "sean-baker-anora.md")])
    assert check.exit_code == 0, check.output
    return read(out / "sean-baker-anora.md"), json.loads(report.read_text(encoding="utf-8")), result.stderr


def _paragraphs(blocks: tuple[m.Block, ...]) -> list[tuple[str | None, m.Para]]:
    """Each paragraph, turns flattened: (the speaker's label if it opens a turn, the paragraph)."""
    found = []
    for block in blocks:
        if isinstance(block, m.Turn):
            found += [(block.speaker.label if i == 0 else None, p) for i, p in enumerate(block.blocks)]
        else:
            found.append((None, block))
    return found


def _films(inlines: tuple[m.Inline, ...], offset: int = 0) -> list[tuple[int, str, str]]:
    """(offset in the paragraph's text, key, words) of each film mention."""
    found = []
    for node in inlines:
        words = m.plain_text((node,))
        if isinstance(node, m.Mention):
            if node.kind is m.MentionKind.FILM:
                found.append((offset, node.key, words))
        elif isinstance(node, (m.Emph, m.Strong, m.SmallCaps, m.Link)):
            found += _films(node.children, offset)
        offset += len(words)
    return found


PARTS = ("headnote", "introduction", "interview")


@pytest.mark.parametrize("part", PARTS)
def test_every_paragraph_and_turn_is_the_canonical_sources(imported, doc, part: str) -> None:
    got, want = _paragraphs(getattr(imported[0], part)), _paragraphs(getattr(doc, part))
    assert [(label, m.plain_text(p.children)) for label, p in got] == [
        (label, m.plain_text(p.children)) for label, p in want
    ]


def test_the_headline_and_speakers_are_the_canonical_sources(imported, doc) -> None:
    got, want = imported[0].front, doc.front
    assert m.plain_text(got.title) == m.plain_text(want.title)
    assert m.plain_text(got.subtitle) == m.plain_text(want.subtitle)
    assert got.speakers == want.speakers  # labels, roles and "Sean Baker" for Baker


@pytest.mark.parametrize("part", ("title", "subtitle", *PARTS))
def test_every_film_mention_is_the_canonical_sources_and_none_is_the_character(imported, doc, part: str) -> None:
    def mentions(document: m.Document) -> list:
        if part in ("title", "subtitle"):
            return _films(getattr(document.front, part))
        return [(i, *f) for i, (_, p) in enumerate(_paragraphs(getattr(document, part))) for f in _films(p.children)]

    assert mentions(imported[0]) == mentions(doc)


def _people(inlines: tuple[m.Inline, ...]) -> set[str]:
    found = set()
    for node in inlines:
        if isinstance(node, m.Mention) and node.kind is m.MentionKind.PERSON:
            found.add(node.key)
        elif isinstance(node, (m.Emph, m.Strong, m.SmallCaps, m.Link)):
            found |= _people(node.children)
    return found


@pytest.mark.parametrize("part", ("title", "subtitle", *PARTS))
def test_each_paragraph_marks_the_people_the_canonical_source_marks(imported, doc, part: str) -> None:
    """The people of people.yaml, paragraph by paragraph. Spans may differ where the canonical source takes an
    editor's bracket into the mention ("[Sam [Samantha Quan]]{.person}" is two mentions of one person here)."""
    def people(document: m.Document) -> list:
        if part in ("title", "subtitle"):
            return [_people(getattr(document.front, part))]
        return [_people(p.children) for _, p in _paragraphs(getattr(document, part))]

    assert people(imported[0]) == people(doc)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("Then Sam said yes.", ["samantha-quan"]),
        ("as Uncle Sam said", []),  # a capitalised word before it: a longer name
        ("He left. Then Sam said yes.", ["samantha-quan"]),  # ... unless that word begins a sentence,
        ("she wrote “Dear Sam” twice", ["samantha-quan"]),  # a quotation,
        ("she wrote ‘Dear Sam’ twice", ["samantha-quan"]),  # a single-quoted phrase
        ("a note (Dear Sam) for him", ["samantha-quan"]),  # or a bracket
        ("with Karren Karagulian and Karren", ["karren-karagulian", "karren-karagulian"]),
        ("an almost Cassavetes-style scene", ["john-cassavetes"]),
        ("a Karren-Smith film", []),
        ("Baker met Sean Baker.", []),  # the interview's own speakers are not indexed in it
        ("Tarantino’s idea", ["quentin-tarantino"]),
        ("between Vache [Tovmasyan] and [Andrei] Konchalovsky", ["vache-tovmasyan", "andrei-konchalovsky"]),
        ("Vache [Tovmasyan and Karren] improvised", ["karren-karagulian"]),  # a bracket closing outside a name
    ],
)
def test_people_are_marked_only_where_the_name_is_theirs(text: str, marked: list[str]) -> None:
    from collections import Counter

    from pressroom.importers.people import People
    from pressroom.reading.registry import load_registry

    people = People(load_registry(SOURCE.parent), [], Counter(), frozenset({"Baker", "Sean", "Sean Baker"}))
    found = [n.key for n in people.marked(text, lambda _: m.Pos(1, 1)) if isinstance(n, m.Mention)]
    assert found == marked


def test_the_doubtful_and_character_mentions_are_in_the_report_and_on_stderr(imported) -> None:
    _, report, stderr = imported
    notes = report["imports"][0]["notes"]
    unmarked = {(n["line"], n["column"]) for n in notes if n["kind"] in ("doubtful-film", "character")}
    seed_lines = SEED.read_text(encoding="utf-8").split("\n")
    anora = {(number, column + 1) for number, line in enumerate(seed_lines, 1)
             for column in range(len(line)) if line.startswith("Anora", column)}
    text_of = {(n["line"], n["column"]): n for n in notes}
    # the character: "Anora, or Ani", "the Anora character", "Anora’s world", "[what happens to Anora]" ...
    assert (5, seed_lines[4].index("Anora, or Ani") + 1) in unmarked
    assert (10, seed_lines[9].index("Anora character") + 1) in unmarked
    assert (23, seed_lines[22].index("Anora’s") + 1) in unmarked
    assert text_of[(31, seed_lines[30].index("Anora]") + 1)]["kind"] == "doubtful-film"
    assert len(unmarked) == 10 and unmarked <= anora  # every Anora left unmarked, and no other title
    for note in notes:
        assert f"{SEED}:{note['line']}:{note['column']}: note: {note['message']}" in stderr


def test_an_existing_source_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = _out(tmp_path)
    target = out / "sean-baker-anora.md"
    target.write_text("an editor's work\n", encoding="utf-8")
    result = _import(str(SEED), "--out", str(out))
    assert result.exit_code == 6
    assert "exists" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "an editor's work\n"
    assert _import(str(SEED), "--out", str(out), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("---\n")
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        ("binary.txt", b"ELF\x00\x01\x02 header", 3, "binary.txt:1:4: a binary file"),
        ("transcript.docx", b"PK\x03\x04word/document.xml", 3, "transcript.docx:1:1: not a readable DOCX"),
        ("page.html", b"<!DOCTYPE html><html><h1>Title</h1></html>", 3,  # HTML: read
         "page.html:1:1: the article holds no paragraphs"),
    ],
)
def test_an_input_that_is_not_plain_text_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, name: str, data: bytes, code: int, message: str
) -> None:
    out = _out(tmp_path)
    source = tmp_path / name
    source.write_bytes(data)
    result = _import(str(source), "--out", str(out))
    assert result.exit_code == code
    assert message in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["films.yaml", "people.yaml"]


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Title: Sub\n" + b"x" * (2 * 1024 * 1024))
    result = _import(str(big), "--out", str(_out(tmp_path)))
    assert result.exit_code == 3
    assert "big.txt:1:1: the file is" in result.stderr


ONE_OFF = """\
Jane Doe: Talking with a Composer

Jane Doe scored the film Anora in a month. We met in Lisbon.

Q: How did it start?

Doe: With a phone call.

Q: And then?

Doe: Then the work.

Moderator: We have time for one more.

Q: Was it hard?

Doe: Not really.
"""


def test_a_label_seen_once_is_not_a_speaker_and_is_reported(tmp_path: Path) -> None:
    out = _out(tmp_path)
    source = tmp_path / "one-off.txt"
    source.write_text(ONE_OFF, encoding="utf-8")
    report = tmp_path / "report.json"
    result = _import(str(source), "--out", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    doc = read(out / "one-off.md")
    assert [(s.label, s.role.value, s.name) for s in doc.front.speakers] == [
        ("Q", "interviewer", None), ("Doe", "interviewee", "Jane Doe")]
    turns = [t for t in doc.interview if isinstance(t, m.Turn)]
    assert [t.speaker.label for t in turns] == ["Q", "Doe", "Q", "Doe", "Q", "Doe"]
    assert m.plain_text(turns[3].blocks[1].children) == "Moderator: We have time for one more."
    notes = json.loads(report.read_text(encoding="utf-8"))["imports"][0]["notes"]
    assert any(n["kind"] == "label-once" and (n["line"], n["column"]) == (13, 1) for n in notes)
    assert f"{source}:13:1: note: 'Moderator:' begins only this paragraph" in result.stderr
    assert _films(doc.introduction[0].children) == [(25, "anora", "Anora")]  # "the film Anora"


MARKUP = [
    "Q: What about *stars*, _underscores_, `ticks` and $x$ or $y$?",
    "A: \"Straight\" 'quotes' -- and --- dashes... [a link](http://example.com) <b>bold</b> ~sub~ ^sup^ @cite {.film}",
    "# not a heading, & &amp; entities :smile: [^1] [x]{.film} \\ backslash",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "Q: And?",
    "A: Fine.",
]


def test_markup_characters_in_plain_text_read_back_as_the_same_text(tmp_path: Path) -> None:
    source = tmp_path / "markup.txt"
    source.write_text("A Title: A Subtitle\n\n" + "\n".join(MARKUP) + "\n", encoding="utf-8")
    out = _out(tmp_path)
    result = _import(str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = read(out / "markup.md")
    got = [(f"{label}: " if label else "") + m.plain_text(p.children) for label, p in _paragraphs(doc.interview)]
    assert got == MARKUP


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("It was Sean Baker’s Anora that won.", "film"),  # the film's director's possessive
        ("It was Baker’s Anora that won.", "film"),  # his surname alone
        ("It was Ivan’s Anora that won.", "doubtful"),  # anyone else's: a character as well
    ],
)
def test_a_title_that_is_also_a_name_is_a_film_after_its_directors_possessive(sentence: str, verdict: str) -> None:
    from pressroom.importers import films
    from pressroom.reading.registry import load_registry

    registry = load_registry(SOURCE.parent)
    context = films.Context(registry, frozenset({"Anora"}))
    assert [f.verdict for f in films.classify(sentence, context)] == [verdict]


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("Tangerine was shot on phones.", "doubtful"),  # a one-word title opening a sentence: its capital says nothing
        ("We loved it. Tangerine was shot on phones.", "doubtful"),
        ("We loved it; Tangerine was shot on phones.", "doubtful"),  # nor beginning a clause
        ("We loved it: “Tangerine was shot on phones.”", "doubtful"),  # or a quotation
        ("We loved it (Tangerine was shot on phones).", "film"),  # in brackets it is
        ("We loved it, and Tangerine was shot on phones.", "film"),
    ],
)
def test_a_one_word_title_where_a_sentence_or_clause_begins_is_doubtful(sentence: str, verdict: str) -> None:
    from pressroom.importers import films
    from pressroom.reading.registry import load_registry

    context = films.Context(load_registry(SOURCE.parent), frozenset())
    assert [f.verdict for f in films.classify(sentence, context)] == [verdict]


@pytest.mark.parametrize("which", ["seed", "one-off-label", "markup"])
def test_the_importers_model_is_the_model_check_reads_from_the_source_it_wrote(tmp_path: Path, which: str) -> None:
    """The importer builds the model and writers/source.py writes it: nothing is lost or changed on the way."""
    from pressroom.importers import import_file
    from pressroom.reading.index import build_index

    texts = {"seed": SEED.read_text(encoding="utf-8"), "one-off-label": ONE_OFF,
             "markup": "A Title: A Subtitle\n\n" + "\n".join(MARKUP) + "\n"}
    source = tmp_path / f"{which}.txt"
    source.write_text(texts[which], encoding="utf-8")
    out = _out(tmp_path)
    imported = import_file(source, out, out)
    read_back, built = read(imported.output), imported.document
    built = replace(built, front=replace(built.front, identifier=read_back.front.identifier))  # the reader's default
    assert without_positions(read_back) == without_positions(replace(built, index=build_index(built)))


def test_registries_from_elsewhere_go_into_the_front_matter_of_a_source_check_accepts(tmp_path: Path) -> None:
    """`--registry source` into an empty folder: check reads the registries beside the source, so the entries
    the source uses (and only those) come in its own `films:` and `people:`."""
    out = tmp_path / "elsewhere"
    result = _import(str(SEED), "--out", str(out), "--registry", str(SOURCE.parent))
    assert result.exit_code == 0, result.output
    written = out / "sean-baker-anora.md"
    assert runner.invoke(app, ["check", str(written)]).exit_code == 0
    front = written.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert "\nfilms:\n  anora:\n" in front and "\npeople:\n" in front and "  quentin-tarantino:\n" in front
    used = {mention.key for _, mention in mentions(read(written))}
    listed = set(re.findall(r"^  ([a-z0-9-]+):$", front, re.M))
    assert listed == used  # no entry the interview does not mention
