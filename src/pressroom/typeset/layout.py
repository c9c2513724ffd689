"""The print edition's layout, and what the other editions learn from it.

WeasyPrint lays the book out (see `lay_out`); from the result we read on
which pages every mention landed (first and last), for the printed indexes, and where every page
of the text begins, for the EPUB's page-list. The build lays the book out once
and hands the `Layout` to the writers that need it.

The set-up of WeasyPrint is typesetter.py's; the print edition's XHTML and what the fitting
decides, print_edition.py's; the fitting, fitting.py's; the worker processes that fit a
collection's chapters beside this one, handover.py's. Here the parts are joined and settle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import CheckError
from ..core.model import Book, Collection
from ..core.options import BuildOptions
from ..reading.index import PageSpan
from .boxes import block_ids, extent, paragraph_lines, text_height
from .handover import fit_groups
from .pagebreaks import PARAGRAPH_ID_PREFIX, PageStart, every_page_start, page_starts
from .print_edition import PrintEdition, warn_of_low_resolution
from .typesetter import Typeset, blank_page, numbered_from, recto_after, typesetter
from .xhtml import INDEX_PARTS

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

_LAYOUTS = 3  # tries for the contents page to settle: it rarely takes more than one


@dataclass(frozen=True)
class Layout:
    """A laid-out print edition."""

    rendered: Rendered  # ready for write_pdf
    mention_pages: dict[str, PageSpan]  # mention anchor -> the folios its text begins and ends on
    page_starts: tuple[PageStart, ...]  # where each page that holds text begins, in order
    layouts: Layouts  # how many times WeasyPrint laid out what, in this process (the build's report says)


@dataclass(frozen=True)
class Layouts:
    """The layouts a build made in its own process: of the text (whole, a group of a collection's parts,
    or the fitting's probes of some of its paragraphs), and of anything (the front matter and indexes too)."""

    text: int
    all: int


class _Counted:
    """A `Typeset` that counts its layouts."""

    def __init__(self, typeset: Typeset) -> None:
        self.typeset, self.layouts = typeset, 0

    def __call__(self, xhtml: str, *css: str) -> Rendered:
        self.layouts += 1
        return self.typeset(xhtml, *css)


def lay_out(doc: Book, options: BuildOptions) -> Layout:
    """The book laid out, with every mention on the page its index entry prints."""
    typeset = _Counted(typesetter(options))
    text = _Counted(typeset)
    rendered, pages = settle(typeset, doc, options, text)
    lines = page_starts(paragraph_lines(page, PARAGRAPH_ID_PREFIX) for page in rendered.pages)
    starts = every_page_start(lines, (block_ids(page) for page in rendered.pages))
    rendered = _even(rendered, typeset, doc)
    return Layout(rendered, pages, starts, Layouts(text.layouts, typeset.layouts))


def _even(rendered: Rendered, typeset: Typeset, doc: Book) -> Rendered:
    """The book with a blank last verso when it would end on a recto: a printed book has an even page count."""
    if len(rendered.pages) % 2 == 0:
        return rendered
    return rendered.copy(rendered.pages + blank_page(typeset, doc))


def settle(typeset: Typeset, doc: Book, options: BuildOptions,
           text_typeset: Typeset | None = None) -> tuple[Rendered, dict[str, PageSpan]]:
    """The laid-out book and the pages of every mention, once every index prints those pages.

    The book is laid out in three runs of pages, joined: the front matter (half-title to
    contents), the text, and the indexes. Only the text is fitted (see fitting.py: a layout, a probe
    and the planned layout), so the fitting does not lay out again what it never changes; a
    collection's text a chapter or part title at a time, since each opens on a recto (see
    `fit_groups`). The front
    matter is laid out first with placeholder page numbers in its contents, to know where the text
    begins, and again at the end with the real ones; the indexes come last, with the real pages of
    every mention. Should the contents then take another number of pages, everything after it is
    laid out again from there; after `_LAYOUTS` tries the build fails rather than print a wrong number.
    The text's layouts go through `text_typeset` (the same typesetter, counted apart).
    """
    text_typeset = text_typeset or typeset
    edition = PrintEdition(doc, options, typeset)
    warn_of_low_resolution(doc, edition.figure_sizes)
    front = [part.name for part in edition.unpaged if part.front]  # half-title to contents
    text = [part.name for part in edition.unpaged if not part.front and part.name not in INDEX_PARTS]
    groups = [[name] for name in text] if isinstance(doc, Collection) else [text]  # each opens on a recto
    placeholder = {part.name: 888 for part in edition.unpaged}  # as wide as a real folio
    front_pages = typeset(edition.book(None, front, placeholder)).pages
    laid = fit_groups(text_typeset, edition, groups, recto_after(len(front_pages)))  # (group, its first page) -> pages
    blank = blank_page(typeset, doc)
    for _ in range(_LAYOUTS):
        pages, opens = list(front_pages), {}
        for group in groups:
            pages += blank * (len(pages) % 2)  # a recto next
            key = (tuple(group), len(pages) + 1)
            if key not in laid:
                laid[key] = text_typeset(edition.book(None, group), *numbered_from(key[1])).pages
            opens |= {name: len(pages) + _page_of(laid[key], name) for name in group}
            pages += laid[key]
        pages += blank * (len(pages) % 2)
        mentions = _mention_pages(pages, doc)
        indexes = _indexes_from(typeset, edition, mentions, len(pages) + 1).pages if edition.index_names else []
        opens |= {name: len(pages) + _page_of(indexes, name) for name in edition.index_names}
        contents = typeset(edition.book(None, front, opens))
        if len(contents.pages) == len(front_pages):
            return contents.copy(contents.pages + pages[len(front_pages):] + indexes), mentions
        front_pages = contents.pages
    raise CheckError(f"{doc.source_name}: the contents page did not settle after {_LAYOUTS} layouts")


def _indexes_from(typeset: Typeset, edition: PrintEdition, mentions: dict[str, PageSpan], first_page: int) -> Rendered:
    """The indexes alone, numbered from `first_page`, in two columns where one runs past half a page.

    A collection's indexes are long: they are set in two columns first, and an index still past half a
    page in two columns is past it in one. An interview's are short: they are set in one column first,
    and laid out again only if one is long."""
    present = frozenset(edition.index_names)
    columned = None
    if isinstance(edition.doc, Collection):
        columned = typeset(edition.indexes(mentions, present), *numbered_from(first_page))
        if _long_indexes(columned) == present:
            return columned
    single = typeset(edition.indexes(mentions, frozenset()), *numbered_from(first_page))
    long = _long_indexes(single)
    if not long:
        return single
    if long == present and columned is not None:
        return columned
    return typeset(edition.indexes(mentions, long), *numbered_from(first_page))


def _long_indexes(rendered: Rendered) -> frozenset[str]:
    """The indexes that run past half a page in one column: the convention sets them in two."""
    long = set()
    for name in INDEX_PARTS:
        spans = [(page, found) for page in rendered.pages if (found := extent(page, name)) is not None]
        if len(spans) > 1 or any(bottom - top > text_height(page) / 2 for page, (top, bottom) in spans):
            long.add(name)
    return frozenset(long)


def _page_of(pages: Sequence, anchor: str) -> int:
    """The page (from 1) of `pages` that `anchor` is on first."""
    return next(number for number, page in enumerate(pages, start=1) if anchor in page.anchors)


def _mention_pages(pages: Sequence, doc: Book) -> dict[str, PageSpan]:
    """The folios of the pages each indexed mention begins and ends on (folios count from the first page).

    WeasyPrint names an id on every page its box is on: a mention broken over a page break
    ("Eydel-" / "shteyn") has its anchor on both pages, and the index prints the range.
    """
    wanted = {loc.anchor for entries in doc.index.by_kind.values() for entry in entries for loc in entry.locators}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            if anchor in wanted:
                first.setdefault(anchor, number)
                last[anchor] = number
    return {anchor: PageSpan(first[anchor], last[anchor]) for anchor in first}
