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
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.reading.index import PageSpan, build_index, printed_locators
from pressroom.reading.reader import read
from pressroom.reading.registry import Registry, load_registry, sort_form

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"
PARTS = ("headline", "headnote", "introduction", "interview")

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
        yield "headline", mention  # the title as the opening page prints it: the title page is not indexed
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
    assert [loc.part for loc in anora.locators][:2] == ["headline", "headnote"]
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


# --- locators as printed (Chicago ch. 16) ----------------------------------------


def _printed(pages: dict[str, tuple[int, int]], *anchors: str) -> list[tuple[str, str]]:
    """(label, anchor linked) of the locators printed for mentions `anchors` on `pages`."""
    spans = {anchor: PageSpan(*span) for anchor, span in pages.items()}
    locators = tuple(m.Locator(anchor, "interview") for anchor in anchors)
    return [(p.label, p.target.anchor) for p in printed_locators(locators, spans)]


def test_separate_mentions_on_consecutive_pages_stay_separate() -> None:
    pages = {"a": (7, 7), "b": (8, 8), "c": (9, 9), "d": (12, 12)}
    assert _printed(pages, "a", "b", "c", "d") == [("7", "a"), ("8", "b"), ("9", "c"), ("12", "d")]


def test_mentions_on_one_page_print_it_once_linking_the_first() -> None:
    pages = {"a": (8, 8), "b": (8, 8), "c": (9, 9), "d": (9, 9)}
    assert _printed(pages, "a", "b", "c", "d") == [("8", "a"), ("9", "c")]


def test_a_range_only_for_one_mention_over_a_page_break() -> None:
    pages = {"a": (7, 7), "b": (8, 9), "c": (11, 11)}
    assert _printed(pages, "a", "b", "c") == [("7", "a"), ("8–9", "b"), ("11", "c")]


def test_a_page_a_range_covers_is_not_printed_again() -> None:
    """"8–9" already sends the reader to page 9; a mention beginning on 8 makes the range link to it."""
    pages = {"a": (8, 8), "b": (8, 9), "c": (9, 9), "d": (10, 10)}
    assert _printed(pages, "a", "b", "c", "d") == [("8–9", "a"), ("10", "d")]
    assert _printed(pages, "b", "c") == [("8–9", "b")]


def test_locators_print_in_page_order_whatever_order_they_come_in() -> None:
    pages = {"a": (12, 12), "b": (3, 3)}
    assert _printed(pages, "a", "b") == [("3", "b"), ("12", "a")]


def test_a_page_span_runs_forwards_from_page_one() -> None:
    with pytest.raises(ValueError):
        PageSpan(9, 8)
    with pytest.raises(ValueError):
        PageSpan(0, 0)


def test_the_title_page_holds_no_anchor_and_the_headline_every_title_mention(doc: m.Document) -> None:
    """Display front matter (half-title, title page) is not indexed: the title's mentions are located
    in the headline on the opening page, in both editions' XHTML."""
    from pressroom.typeset.xhtml import Renderer

    headline = [loc for e in doc.index.films + doc.index.people for loc in e.locators if loc.part == "headline"]
    assert {loc.anchor for loc in headline} >= {"film-anora-1"}  # the subtitle names Anora
    for print_edition in (True, False):
        renderer = Renderer(doc, href_of=lambda name: f"{name}.xhtml", print_edition=print_edition)
        parts = {p.name: p.body for p in renderer.parts()}
        for front in ("halftitle", "titlepage"):
            assert not re.search(r'id="(film|person)-', parts.get(front, "")), front
        opening_headline = parts["opening"].split("</hgroup>", 1)[0]  # the title (h2) and the subtitle
        for loc in headline:
            assert f'id="{loc.anchor}"' in opening_headline
            assert sum(f'id="{loc.anchor}"' in body for body in parts.values()) == 1
            assert f'href="opening.xhtml#{loc.anchor}"' in parts["film-index"] + parts["name-index"]
        assert "titlepage.xhtml#" not in parts["film-index"] + parts["name-index"]


# --- filing: numerals as if spelled out (Chicago 16.66) ---------------------------


@pytest.mark.parametrize(("text", "spelled"), [
    ("8½", "eight and a half"),
    ("2001: A Space Odyssey", "two thousand one: A Space Odyssey"),
    ("42nd Street", "forty-second Street"),
    ("400 Blows, The", "four hundred Blows, The"),
    ("1984", "nineteen eighty-four"),
    ("1900", "nineteen hundred"),
    ("1905", "nineteen oh-five"),
    ("1,000 Clowns", "one thousand Clowns"),
    ("The 1st, 2nd, 3rd and 100th", "The first, second, third and one hundredth"),
    ("21st Century", "twenty-first Century"),
    ("¼ ¾ ⅓ ⅔", "one quarter three quarters one third two thirds"),
    ("3¾", "three and three quarters"),
    ("Ocean's 11", "Ocean's eleven"),
    ("0", "zero"),
    ("1000000", "one million"),
    ("No numerals", "No numerals"),
])
def test_numerals_are_spelled_for_filing(text: str, spelled: str) -> None:
    from pressroom.reading.numerals import spell_numerals

    assert spell_numerals(text) == spelled


NUMBERED_TITLES = """---
title: Numbers
speakers:
  Q: {role: interviewer}
  A: {role: interviewee}
films:
  eight-and-a-half: {title: 8½}
  eraserhead: {title: Eraserhead}
  faces: {title: Faces}
  forty-second-street: {title: 42nd Street}
  the-400-blows: {title: The 400 Blows}
  les-400-coups: {title: The 400 Blows, sort: "Quatre Cents Coups, Les", aliases: [Les 400 Coups]}
  taxi-driver: {title: Taxi Driver}
  space-odyssey: {title: "2001: A Space Odyssey"}
people:
  fifty-cent: {name: 50 Cent, sort: 50 Cent}
  sean-baker: {name: Sean Baker}
---

::: interview
Q: [8½]{.film}, [Eraserhead]{.film}, [Faces]{.film}, [42nd Street]{.film},
[The 400 Blows]{.film key=the-400-blows}, [Les 400 Coups]{.film}, [Taxi Driver]{.film},
[2001: A Space Odyssey]{.film}; [50 Cent]{.person} and [Sean Baker]{.person}.
:::
"""


def test_numbered_titles_file_as_if_spelled_out_and_an_explicit_sort_key_wins(tmp_path: Path) -> None:
    source = tmp_path / "numbers.md"
    source.write_text(NUMBERED_TITLES, encoding="utf-8")
    doc = read(source)
    assert [(e.key, e.heading) for e in doc.index.films] == [
        ("eight-and-a-half", "8½"),  # "eight and a half", before "eraserhead": filed under E, printed as written
        ("eraserhead", "Eraserhead"),
        ("faces", "Faces"),
        ("forty-second-street", "42nd Street"),  # "forty-second street"
        ("the-400-blows", "400 Blows, The"),  # "four hundred blows, the": the article moved, the numeral spelled
        ("les-400-coups", "Quatre Cents Coups, Les"),  # its explicit sort key wins: under Q
        ("taxi-driver", "Taxi Driver"),
        ("space-odyssey", "2001: A Space Odyssey"),  # "two thousand one"
    ]
    assert doc.index.films[0].sort_key == "eight and a half"
    # An explicit sort key is filed as written, numerals and all: before every letter.
    assert [(e.key, e.heading) for e in doc.index.people] == [("fifty-cent", "50 Cent"), ("sean-baker", "Baker, Sean")]


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
