"""The e-reader edition's navigation: the EPUB 3 navigation document and the NCX, from one tree.

    contents   a part holds its chapters; a chapter is "Interviewee — Title" (the title shortened)
    landmarks  cover, title page, contents, start of the text, index
    page-list  every print page that holds text, its marker before the page's first word

EPUB 3 reading systems read the navigation document; calibre, Adobe's RMSDK (many e-ink readers,
Adobe Digital Editions) and older readers read the NCX, so it carries the same contents, nested,
and the same page list (`pageList`, with the true page count), in one reading order (`playOrder`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from ..core.model import Book, Collection, Document, MentionKind, PartTitle, plain_text
from ..core.words import LANDMARKS, PAGES, START_OF_TEXT, words_for
from ..typeset.pagebreaks import PageStart
from ..typeset.xhtml import Part, chapter_id

_SIDEBAR_WORDS = 8  # a chapter's title in the contents: a reader's sidebar cuts a longer one off
_QUOTES = "“”‘’\"'«»„‚‹›「」『』"  # a title's own quotation marks, in any language


@dataclass(frozen=True)
class Entry:
    """An entry of the contents: its label, where it points, and the entries under it."""

    label: str
    href: str
    children: tuple[Entry, ...] = ()


def contents(doc: Book, parts: list[Part]) -> tuple[Entry, ...]:
    """The contents: a collection's parts holding their chapters, then the indexes; a book of one
    interview its listed parts."""
    listed = {part.name: part for part in parts if part.in_contents}
    if not isinstance(doc, Collection):
        return tuple(Entry(part.title, _href(part.name)) for part in listed.values())
    entries: list[Entry] = []
    group: list[Entry] | None = None
    for item in doc.contents:
        if isinstance(item, PartTitle):
            if group is not None:
                entries[-1] = Entry(entries[-1].label, entries[-1].href, tuple(group))
            entries.append(Entry(item.title, _href(item.ident)))
            group = []
        else:
            chapter = Entry(chapter_label(item, doc.front.lang), _href(chapter_id(item.chapter)))
            (group if group is not None else entries).append(chapter)
    if group is not None:
        entries[-1] = Entry(entries[-1].label, entries[-1].href, tuple(group))
    chapters = {part.ident for part in doc.contents if isinstance(part, PartTitle)}
    chapters |= {chapter_id(c.chapter) for c in doc.chapters}
    entries += [Entry(part.title, _href(name)) for name, part in listed.items() if name not in chapters]
    return tuple(entries)


def chapter_label(doc: Document, lang: str) -> str:
    """A chapter as the contents lists it: its interviewees (joined in the book's language `lang`) and its
    title, the title's words before a colon and at most a sidebar's width ("Sean Baker — There’s Only One
    Life, and I Believe …")."""
    title = plain_text(doc.front.title).strip()
    short = title.strip(_QUOTES).strip()
    words = short.split()
    if len(words) > _SIDEBAR_WORDS:
        short = " ".join(words[: _SIDEBAR_WORDS - 1]).rstrip(",;:—–") + " …"
    names = doc.front.interviewee_names
    who = words_for(lang).and_list(names)
    return f"{who} — {short}" if who else short


def page_targets(parts: list[Part], starts: tuple[PageStart, ...]) -> tuple[tuple[str, str], ...]:
    """(label, href) of every print page whose marker the e-reader edition holds, in order."""
    where = {int(n): part.name for part in parts for n in re.findall(r'id="page-(\d+)"', part.body)}
    return tuple((str(s.page), f"{where[s.page]}.xhtml#page-{s.page}") for s in starts if s.page in where)


def navigation(doc: Book, parts: list[Part], pages: tuple[tuple[str, str], ...]) -> str:
    """The body of the navigation document: contents, landmarks and the page-list."""
    words = words_for(doc.front.lang)
    names = {p.name for p in parts}
    first = next(p.name for p in parts if not p.front)  # where the text begins, listed or not
    landmarks = [
        ("cover", "cover.xhtml", words.part("cover")),
        ("titlepage", "titlepage.xhtml", words.part("titlepage")),
        ("toc", "nav.xhtml#toc", words.part("contents")),
        ("bodymatter", _href(first), words.say(START_OF_TEXT)),
    ]
    first_index = next((kind for kind in MentionKind if kind.index_id in names), None)
    if first_index is not None:
        landmarks.append(("index", _href(first_index.index_id), words.part(first_index.index_id)))
    marks = "".join(f'<li><a epub:type="{kind}" href="{href}">{escape(title)}</a></li>'
                    for kind, href, title in landmarks)
    page_list = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in pages)
    return (
        f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>{escape(words.part("contents"))}</h1>'
        f'<ol>{_items(contents(doc, parts))}</ol></nav>'
        f'<nav epub:type="landmarks" id="landmarks" aria-label="{escape(words.say(LANDMARKS))}" hidden="">'
        f'<ol>{marks}</ol></nav>'
        f'<nav epub:type="page-list" id="page-list" role="doc-pagelist" aria-label="{escape(words.say(PAGES))}" '
        f'hidden=""><ol>{page_list}</ol></nav>'
    )


def ncx(doc: Book, parts: list[Part], pages: tuple[tuple[str, str], ...], identifier: str, total: int) -> str:
    """The NCX: the same contents, nested, and the same page list, numbered in reading order."""
    entries = contents(doc, parts)
    order = _reading_order(parts, [*(e.href for e in _flat(entries)), *(href for _, href in pages)])
    depth = max((_depth(e) for e in entries), default=1)

    def points(items: tuple[Entry, ...], prefix: str) -> str:
        return "".join(
            f'<navPoint id="{prefix}{n}" playOrder="{order[e.href]}"><navLabel><text>{escape(e.label)}</text>'
            f'</navLabel><content src="{escape(e.href)}"/>{points(e.children, f"{prefix}{n}-")}</navPoint>'
            for n, e in enumerate(items, start=1))

    targets = "".join(
        f'<pageTarget id="page-target-{label}" type="normal" value="{label}" playOrder="{order[href]}">'
        f'<navLabel><text>{label}</text></navLabel><content src="{escape(href)}"/></pageTarget>'
        for label, href in pages)
    head = "".join(f'<meta name="dtb:{name}" content="{escape(str(value))}"/>' for name, value in (
        ("uid", identifier), ("depth", depth), ("totalPageCount", total), ("maxPageNumber", total)))
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        f'<head>{head}</head><docTitle><text>{escape(plain_text(doc.front.title))}</text></docTitle>'
        f'<navMap>{points(entries, "nav-")}</navMap>'
        f'<pageList><navLabel><text>{escape(words_for(doc.front.lang).say(PAGES))}</text></navLabel>{targets}'
        '</pageList></ncx>\n'
    )


def _href(name: str) -> str:
    return f"{name}.xhtml#{name}"


def _items(entries: tuple[Entry, ...]) -> str:
    return "".join(
        f'<li><a href="{escape(e.href)}">{escape(e.label)}</a>{f"<ol>{_items(e.children)}</ol>" if e.children else ""}'
        "</li>" for e in entries)


def _flat(entries: tuple[Entry, ...]) -> list[Entry]:
    return [one for e in entries for one in (e, *_flat(e.children))]


def _depth(entry: Entry) -> int:
    return 1 + max((_depth(child) for child in entry.children), default=0)


def _reading_order(parts: list[Part], hrefs: list[str]) -> dict[str, int]:
    """Each href's place in reading order, from 1 (the NCX's playOrder: one number for one place)."""
    spine = {part.name: index for index, part in enumerate(parts)}

    def place(href: str) -> tuple[int, int]:
        name, _, ident = href.partition(".xhtml#")
        body = parts[spine[name]].body
        return spine[name], max(body.find(f'id="{ident}"'), 0)

    ordered = sorted(set(hrefs), key=place)
    return {href: number for number, href in enumerate(ordered, start=1)}
