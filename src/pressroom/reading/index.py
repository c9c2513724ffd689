"""The indexes, one per mention kind: a pure function of the model, run once after reading;
and how their locators print once the print layout says where each mention is (`printed_locators`).

No writer computes an index of its own; they all print `Document.index`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..core import model as m
from .collation import collation_key


def build_index(book: m.Book) -> m.Index:
    """Every entry the text names, per kind, sorted on the sort keys in the book's language, with one
    locator per mention; a collection's index is cumulative, each locator carrying its chapter, and
    collated in the collection's language."""
    found: dict[tuple[m.MentionKind, str], list[m.Locator]] = {}
    for doc in book.chapters:
        for part, mention in mentions(doc):
            locator = m.Locator(mention.anchor, part, doc.chapter, mention.illustration)
            found.setdefault((mention.kind, mention.key), []).append(locator)
    by_kind = {
        kind: sorted_entries([
            m.IndexEntry(entry.key, entry.heading, entry.detail, entry.sort_key, tuple(found[kind, entry.key]))
            for entry in book.registry.get(kind, {}).values()
            if (kind, entry.key) in found
        ], book.front.lang)
        for kind in m.MentionKind
    }
    return m.Index({kind: entries for kind, entries in by_kind.items() if entries})


def sorted_entries(entries: list[m.IndexEntry], lang: str) -> tuple[m.IndexEntry, ...]:
    """Index entries in the order of `lang` (the Unicode Collation Algorithm, CLDR's tailoring: see
    `collation`); entries that collate alike by their exact sort key, then by their key."""
    key = collation_key(lang)
    return tuple(sorted(entries, key=lambda e: (key(e.sort_key), e.sort_key, e.key)))


def mentions(doc: m.Document) -> Iterator[tuple[m.TextPart, m.Mention]]:
    """Every mention in reading order, with the part of the text it is in.

    The title and subtitle are located in the headline that opens the text, never on the title
    page: display front matter is not indexed.
    """
    for inlines in (doc.front.title, doc.front.subtitle):
        for mention in inline_mentions(inlines):
            yield "headline", mention
    parts: tuple[tuple[m.TextPart, tuple[m.Block, ...]], ...] = (
        ("headnote", doc.headnote), ("introduction", doc.introduction), ("interview", doc.interview),
    )
    for part, blocks in parts:
        for mention in _in_blocks(blocks):
            yield part, mention


def _in_blocks(blocks: tuple[m.Block, ...]) -> Iterator[m.Mention]:
    for block in blocks:
        match block:
            case m.Para(children) | m.Heading(_, children):
                yield from inline_mentions(children)
            case m.BlockQuote(inner) | m.Turn(_, inner):
                yield from _in_blocks(inner)
            case m.ListBlock(_, items):
                for item in items:
                    yield from _in_blocks(item)
            case m.Figure(film=film, caption=caption):  # the picture shows the film, then the caption names
                if film is not None:
                    yield film
                yield from inline_mentions(caption)
            case m.CodeBlock() | m.Rule():
                pass
            case _:
                raise TypeError(f"index: unknown block {type(block).__name__}")


def inline_mentions(inlines: tuple[m.Inline, ...]) -> Iterator[m.Mention]:
    """The mentions among some inlines, their notes included, in reading order."""
    for node in inlines:
        match node:
            case m.Mention():
                yield node
            case m.Emph(children) | m.Strong(children) | m.SmallCaps(children) | m.Link(_, children):
                yield from inline_mentions(children)
            case m.NoteRef(_, blocks):
                yield from _in_blocks(blocks)
            case m.Text() | m.Code() | m.LineBreak():
                pass
            case _:
                raise TypeError(f"index: unknown inline {type(node).__name__}")


# --- locators as printed ----------------------------------


@dataclass(frozen=True)
class PageSpan:
    """The print pages a mention's text is on: `first` == `last` unless it breaks over a page."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if not 1 <= self.first <= self.last:
            raise ValueError(f"page span {self.first}-{self.last}: pages count from 1, first to last")


@dataclass(frozen=True)
class PrintedLocator:
    """One locator as an index prints it, and the mention it links to (the first on its first page)."""

    first: int
    last: int
    target: m.Locator
    illustration: bool = False  # only figures show the entry on this page: Chicago sets the number in italics

    @property
    def label(self) -> str:
        """'8', or '8–9' for one mention that runs over a page break."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def printed_locators(locators: tuple[m.Locator, ...], pages: Mapping[str, PageSpan]) -> list[PrintedLocator]:
    """An entry's locators as printed, in page order (Chicago ch. 16 on inclusive numbers).

    Separate mentions are listed page by page (7, 8, 9: never merged into 7–9); mentions on one
    page print that page once; a range is printed only for one mention whose text runs over a
    page break (8–9), and a page it covers is not printed again. Each locator links to the first
    mention, in reading order, that begins on its first page. A page where only figures show the
    entry is an illustration (printed in italics); one mention in the text makes it a text page.
    """
    by_first: dict[int, PrintedLocator] = {}
    for loc in locators:
        span = pages[loc.anchor]
        known = by_first.get(span.first)
        if known is None:
            by_first[span.first] = PrintedLocator(span.first, span.last, loc, loc.illustration)
        else:
            by_first[span.first] = PrintedLocator(
                span.first, max(span.last, known.last), known.target, known.illustration and loc.illustration)
    printed = [by_first[first] for first in sorted(by_first)]
    return [
        p for p in printed
        if p.first != p.last or not any(q.first < p.first <= q.last for q in printed)
    ]
