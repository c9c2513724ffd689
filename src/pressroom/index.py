"""The indexes, one per mention kind: a pure function of the model, run once after reading.

No writer computes an index of its own; they all print `Document.index`.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import model as m
from .registry import sort_form


def build_index(doc: m.Document) -> m.Index:
    """Every entry the text names, per kind, sorted on the sort keys, with one locator per mention."""
    found: dict[tuple[m.MentionKind, str], list[m.Locator]] = {}
    for part, mention in mentions(doc):
        found.setdefault((mention.kind, mention.key), []).append(m.Locator(mention.anchor, part))
    by_kind = {
        kind: _sorted([
            m.IndexEntry(entry.key, entry.sort_key, entry.detail, entry.sort_key, tuple(found[kind, entry.key]))
            for entry in doc.registry.get(kind, {}).values()
            if (kind, entry.key) in found
        ])
        for kind in m.MentionKind
    }
    return m.Index({kind: entries for kind, entries in by_kind.items() if entries})


def _sorted(entries: list[m.IndexEntry]) -> tuple[m.IndexEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (sort_form(e.sort_key), e.sort_key, e.key)))


def mentions(doc: m.Document) -> Iterator[tuple[m.TextPart, m.Mention]]:
    """Every mention in reading order, with the part of the text it is in."""
    for inlines in (doc.front.title, doc.front.subtitle):
        for mention in inline_mentions(inlines):
            yield "title", mention
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
