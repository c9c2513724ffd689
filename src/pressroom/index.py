"""The film index and the index of names: a pure function of the model, run once after reading.

No writer computes an index of its own; they all print `Document.index`.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import model as m
from .registry import sort_form


def build_index(doc: m.Document) -> m.Index:
    """Every film and person the text names, sorted on their sort keys, with one locator per mention."""
    found: dict[str, list[m.Locator]] = {}
    for part, mention in _mentions(doc):
        kind = "film" if isinstance(mention, m.FilmMention) else "person"
        found.setdefault(f"{kind}:{mention.key}", []).append(m.Locator(mention.anchor, part))

    films = [
        m.IndexEntry(film.key, film.sort_key, _film_detail(film), film.sort_key, tuple(found[f"film:{film.key}"]))
        for film in doc.films.values()
        if f"film:{film.key}" in found
    ]
    people = [
        m.IndexEntry(person.key, person.sort_key, "", person.sort_key, tuple(found[f"person:{person.key}"]))
        for person in doc.people.values()
        if f"person:{person.key}" in found
    ]
    return m.Index(films=_sorted(films), people=_sorted(people))


def _film_detail(film: m.Film) -> str:
    return ", ".join(str(part) for part in (film.year, film.director) if part)


def _sorted(entries: list[m.IndexEntry]) -> tuple[m.IndexEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (sort_form(e.sort_key), e.sort_key, e.key)))


def _mentions(doc: m.Document) -> Iterator[tuple[str, m.FilmMention | m.PersonMention]]:
    """Every mention in reading order, with the part of the text it is in."""
    for part, inlines in (("title", doc.front.title), ("title", doc.front.subtitle)):
        for mention in _in_inlines(inlines):
            yield part, mention
    for part in ("headnote", "introduction", "interview"):
        for mention in _in_blocks(getattr(doc, part)):
            yield part, mention


def _in_blocks(blocks: tuple[m.Block, ...]) -> Iterator[m.FilmMention | m.PersonMention]:
    for block in blocks:
        match block:
            case m.Para(children) | m.Heading(_, children):
                yield from _in_inlines(children)
            case m.BlockQuote(inner) | m.Turn(_, inner, _):
                yield from _in_blocks(inner)
            case m.ListBlock(_, items):
                for item in items:
                    yield from _in_blocks(item)
            case m.CodeBlock() | m.Rule():
                pass
            case _:
                raise TypeError(f"index: unknown block {type(block).__name__}")


def _in_inlines(inlines: tuple[m.Inline, ...]) -> Iterator[m.FilmMention | m.PersonMention]:
    for node in inlines:
        match node:
            case m.FilmMention() | m.PersonMention():
                yield node
            case m.Emph(children) | m.Strong(children) | m.SmallCaps(children) | m.Link(_, children):
                yield from _in_inlines(children)
            case m.NoteRef(_, blocks):
                yield from _in_blocks(blocks)
            case m.Text() | m.Code() | m.LineBreak():
                pass
            case _:
                raise TypeError(f"index: unknown inline {type(node).__name__}")
