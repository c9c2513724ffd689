"""The film index (and the index of names) of the canonical source, and `pressroom index --json`.

The counts are checked against two independent readings: a regex over the raw
source text, resolved through the registry, and a walk over the model.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SOURCE

from pressroom import model as m
from pressroom.cli import app
from pressroom.index import build_index
from pressroom.reader import read
from pressroom.registry import Registry, load_registry, sort_form


TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"
PARTS = ("title", "headnote", "introduction", "interview")

# `[text]{.film}` or `[text]{.film key=...}`; the text may hold one level of editorial brackets.
FILM_SPAN = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\{\.film(?:\s+key=([a-z0-9-]+))?\}")


@pytest.fixture(scope="module")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


# --- an independent walk over the model ------------------------------------


def mentions_in_reading_order(doc: m.Document) -> Iterator[tuple[str, m.Mention]]:
    """(part, mention) for every mention, a note's mentions where the note is called."""

    def inlines(nodes: tuple[m.Inline, ...]) -> Iterator[m.Mention]:
        for node in nodes:
            if isinstance(node, m.Mention):
                yield node
                yield from inlines(node.children)  # none expected: mentions do not nest
            elif isinstance(node, m.NoteRef):
                yield from blocks(node.blocks)
            elif hasattr(node, "children"):
                yield from inlines(node.children)

    def blocks(nodes: tuple[m.Block, ...]) -> Iterator[m.Mention]:
        for node in nodes:
            if isinstance(node, (m.Para, m.Heading)):
                yield from inlines(node.children)
            elif isinstance(node, (m.BlockQuote, m.Turn)):
                yield from blocks(node.blocks)
            elif isinstance(node, m.ListBlock):
                for item in node.items:
                    yield from blocks(item)

    for mention in inlines(doc.front.title + doc.front.subtitle):
        yield "title", mention
    for part in ("headnote", "introduction", "interview"):
        for mention in blocks(getattr(doc, part)):
            yield part, mention


def film_counts_from_source(text: str, registry: Registry) -> Counter[str]:
    """How many `{.film}` spans name each film, read off the raw text through the registry."""
    counts: Counter[str] = Counter()
    for span_text, key in FILM_SPAN.findall(text):
        if not key:
            found = registry.find(m.MentionKind.FILM, re.sub(r"[*_]", "", span_text))  # *emphasis* markup is not text
            assert len(found) == 1, f"[{span_text}]{{.film}} resolves to {[f.key for f in found]}"
            key = found[0].key
        counts[key] += 1
    return counts


# --- the canonical source --------------------------------------------------


def test_every_film_is_in_the_index_once(doc: m.Document) -> None:
    keys = [entry.key for entry in doc.index.films]
    assert len(keys) == len(set(keys))
    assert set(keys) <= set(doc.films)
    named = {mention.key for _, mention in mentions_in_reading_order(doc) if mention.kind is m.MentionKind.FILM}
    assert set(keys) == named


def test_film_mentions_equal_the_film_spans_of_the_source(doc: m.Document, source_text: str) -> None:
    from_source = film_counts_from_source(source_text, load_registry(SOURCE.parent))
    from_index = Counter({entry.key: len(entry.locators) for entry in doc.index.films})
    assert from_index == from_source
    assert sum(from_source.values()) == source_text.count("{.film")


def test_film_mentions_equal_the_mentions_of_the_model(doc: m.Document) -> None:
    walked = Counter(
        mention.key for _, mention in mentions_in_reading_order(doc) if mention.kind is m.MentionKind.FILM
    )
    assert Counter({entry.key: len(entry.locators) for entry in doc.index.films}) == walked


def test_person_mentions_equal_the_mentions_of_the_model(doc: m.Document) -> None:
    walked = Counter(
        mention.key for _, mention in mentions_in_reading_order(doc) if mention.kind is m.MentionKind.PERSON
    )
    keys = [entry.key for entry in doc.index.people]
    assert len(keys) == len(set(keys))
    assert Counter({entry.key: len(entry.locators) for entry in doc.index.people}) == walked


def test_anora_the_character_is_not_indexed(doc: m.Document, source_text: str) -> None:
    anora = next(entry for entry in doc.index.films if entry.key == "anora")
    spans = source_text.count("[Anora]{.film}")
    words = len(re.findall(r"\bAnora\b", source_text))
    assert len(anora.locators) == spans
    assert spans < words  # the character, the keywords and the history say "Anora" too
    # The interview itself names the character in plain text.
    assert re.search(r"(?<!\[)\bAnora\b(?!\]\{\.film)", source_text.split("::: interview", 1)[1])


def test_entries_are_sorted_ignoring_leading_articles(doc: m.Document) -> None:
    forms = [sort_form(entry.sort_key) for entry in doc.index.films]
    assert forms == sorted(forms)
    headings = {entry.key: entry.heading for entry in doc.index.films}
    assert headings["the-florida-project"] == "Florida Project, The"
    assert headings["the-girl-with-a-pistol"] == "Girl with a Pistol, The"
    assert headings["the-sweet-east"] == "Sweet East, The"
    order = [entry.key for entry in doc.index.films]
    # "The Florida Project" sorts under F: after Contempt and Coming to America, before Green Card.
    assert order.index("contempt") < order.index("the-florida-project") < order.index("the-girl-with-a-pistol")
    assert order.index("the-girl-with-a-pistol") < order.index("green-card")
    assert order.index("starlet") < order.index("the-sweet-east") < order.index("swept-away")
    for entry in doc.index.films:
        assert not re.match(r"(the|a|an)\s", entry.sort_key, re.I), entry.sort_key


def test_people_are_sorted_by_surname(doc: m.Document) -> None:
    forms = [sort_form(entry.sort_key) for entry in doc.index.people]
    assert forms == sorted(forms)
    assert {entry.key: entry.heading for entry in doc.index.people}["yura-borisov"] == "Borisov, Yura"


def test_film_entries_carry_year_and_director(doc: m.Document) -> None:
    details = {entry.key: entry.detail for entry in doc.index.films}
    assert details["anora"] == "2024, Sean Baker"
    assert details["contempt"] == "1963, Jean-Luc Godard"


def test_locators_are_unique_and_in_reading_order(doc: m.Document) -> None:
    walked = [(part, mention.anchor) for part, mention in mentions_in_reading_order(doc)]
    anchors = [anchor for _, anchor in walked]
    assert len(anchors) == len(set(anchors))
    located = [loc.anchor for index in (doc.index.films, doc.index.people) for e in index for loc in e.locators]
    assert sorted(located) == sorted(anchors)
    position = {anchor: i for i, (_, anchor) in enumerate(walked)}
    part_of = dict((anchor, part) for part, anchor in walked)
    for entry in doc.index.films + doc.index.people:
        places = [position[loc.anchor] for loc in entry.locators]
        assert places == sorted(places), entry.key
        parts = [PARTS.index(loc.part) for loc in entry.locators]
        assert parts == sorted(parts), entry.key
        for number, loc in enumerate(entry.locators, start=1):
            assert loc.part == part_of[loc.anchor]
            kind = m.MentionKind.FILM if entry in doc.index.films else m.MentionKind.PERSON
            assert loc.anchor == f"{kind.value}-{entry.key}-{number}"


def test_anora_is_located_in_every_part(doc: m.Document) -> None:
    anora = next(entry for entry in doc.index.films if entry.key == "anora")
    assert [loc.part for loc in anora.locators][:2] == ["title", "headnote"]
    assert {loc.part for loc in anora.locators} == set(PARTS)


def test_build_index_is_pure(doc: m.Document) -> None:
    before = copy.deepcopy(doc)
    first = build_index(doc)
    second = build_index(doc)
    assert first == second == doc.index
    assert doc == before
    assert build_index(replace(doc, index=m.Index())) == first


@pytest.mark.parametrize("case", [p.parent for p in sorted(CASES.glob("*/source.md"))], ids=lambda case: case.name)
def test_index_of_each_golden_case_matches_its_spans(case: Path) -> None:
    doc = read(case / "source.md")
    text = (case / "source.md").read_text(encoding="utf-8")
    expected = film_counts_from_source(text, Registry(dict(doc.registry)))  # with front-matter films
    assert Counter({entry.key: len(entry.locators) for entry in doc.index.films}) == expected


def test_page_ranges_merge_consecutive_pages_only() -> None:
    """7, 8, 9 print as 7–9; a gap starts a new range; several mentions on one page print it once."""
    from pressroom.html import page_ranges

    on = {"a": 7, "b": 8, "c": 8, "d": 9, "e": 12, "f": 12, "g": 14}
    loc = {anchor: m.Locator(anchor, "interview") for anchor in on}
    ranges = page_ranges(tuple(loc.values()), on)
    assert ranges == [
        ((7, loc["a"]), (9, loc["d"])),  # each end links the first mention on its page
        ((12, loc["e"]), (None, None)),
        ((14, loc["g"]), (None, None)),
    ]
    assert page_ranges((loc["e"], loc["f"]), on) == [((12, loc["e"]), (None, None))]
    assert page_ranges((loc["a"], loc["e"]), on) == [((7, loc["a"]), (None, None)), ((12, loc["e"]), (None, None))]


# --- pressroom index --json ------------------------------------------------------


def test_index_json_through_the_cli(doc: m.Document) -> None:
    result = CliRunner().invoke(app, ["index", str(SOURCE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == "sean-baker-anora"
    keys = [film["key"] for film in data["films"]]
    assert len(keys) == len(set(keys))
    assert keys == [entry.key for entry in doc.index.films]
    for film in data["films"]:
        assert film["mentions"] == len(film["locators"]) > 0, film["key"]
        assert film["title"] == doc.films[film["key"]].title
        assert all(loc["part"] in PARTS for loc in film["locators"])
    for person in data["people"]:
        assert person["mentions"] == len(person["locators"]) > 0, person["key"]
    by_key = {film["key"]: film for film in data["films"]}
    assert by_key["anora"]["mentions"] == SOURCE.read_text(encoding="utf-8").count("[Anora]{.film}")
    assert by_key["the-florida-project"]["sort_key"] == "Florida Project, The"


def test_index_text_through_the_cli() -> None:
    result = CliRunner().invoke(app, ["index", str(SOURCE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Films" and "Names" in lines
    assert "  Florida Project, The (2017, Sean Baker): 6" in lines
