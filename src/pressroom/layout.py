"""The print edition's layout, and what the other editions learn from it.

WeasyPrint lays the book out (see `lay_out`); from the result we read on
which page every mention landed, for the printed indexes, and where every page
of the text begins, for the EPUB's page-list. The build lays the book out once
and hands the `Layout` to the writers that need it.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from .boxes import paragraph_lines
from .errors import CheckError
from .html import INDEX_PARTS, Renderer, xhtml_page
from .model import Document, plain_text
from .options import PDF_VARIANTS, BuildOptions
from .pagebreaks import PARAGRAPH_ID_PREFIX, PageStart, page_starts

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

BODY_FONT_PACKAGE = "fontpkg_spectral"  # static files with true small capitals: no per-size instancing
BODY_FONT = "Spectral"
_WEIGHTS = (  # the font files the book uses, and their CSS weights
    ("Regular", 400), ("Italic", 400), ("SemiBold", 600), ("SemiBoldItalic", 600), ("Bold", 700), ("BoldItalic", 700),
)
_LAYOUTS = 3  # the index rarely needs more than two; a third catches a page that moved once

Typeset = Callable[..., "Rendered"]  # (XHTML, *extra CSS) -> the laid-out pages


@dataclass(frozen=True)
class Layout:
    """A laid-out print edition."""

    rendered: Rendered  # ready for write_pdf
    mention_pages: dict[str, int]  # mention anchor -> folio
    page_starts: tuple[PageStart, ...]  # the pages of the text (headnote to interview), in order


def lay_out(doc: Document, options: BuildOptions) -> Layout:
    """The book laid out, with every mention on the page its index entry prints."""
    rendered, pages = settle(_typesetter(options), doc, options)
    starts = page_starts(paragraph_lines(page, PARAGRAPH_ID_PREFIX) for page in rendered.pages)
    return Layout(rendered, pages, starts)


def _typesetter(options: BuildOptions) -> Typeset:
    """WeasyPrint with print.css, the trim asked for and the body face, reading only the styles and fonts."""
    from weasyprint import CSS, HTML  # heavy: imported only when a layout is needed
    from weasyprint.text.fonts import FontConfiguration

    from .fetch import ConfinedFetcher

    fonts = font_dir()
    fetcher = ConfinedFetcher([options.styles_dir, fonts])
    font_config = FontConfiguration()  # @font-face rules only take effect through one

    def css(**source: str) -> CSS:
        return CSS(**source, url_fetcher=fetcher, font_config=font_config)

    stylesheets = [
        css(string=_font_faces(fonts)),
        css(filename=str(options.styles_dir / "print.css")),
        css(string=_page_setup(options)),
    ]
    tagged = PDF_VARIANTS[options.pdf_variant] == "pdf/ua-1"
    base_url = options.styles_dir.as_uri() + "/"

    def typeset(xhtml: str, *extra_css: str) -> Rendered:
        sheets = stylesheets + [css(string=extra) for extra in extra_css]
        document = HTML(string=xhtml, base_url=base_url, url_fetcher=fetcher)
        return document.render(stylesheets=sheets, font_config=font_config, pdf_tags=tagged)

    return typeset


def settle(typeset: Typeset, doc: Document, options: BuildOptions) -> tuple[Rendered, dict[str, int]]:
    """The laid-out book and the page of every mention, once every index prints those pages.

    The book is laid out once with placeholder locators; that says on which
    page each mention landed. The indexes come last, so only they change when
    the real page numbers go in: they are laid out again on their own, numbered
    on from the same page, and put in place of the placeholder pages. If that
    would move a section the contents page names (the index of names starts
    later, say), the whole book is laid out again until the pages settle; after
    `_LAYOUTS` layouts the build fails rather than print a wrong number.
    """
    rendered = typeset(book_html(doc, options, None))
    pages = _mention_pages(rendered, doc)
    spliced = _with_indexes(rendered, typeset, doc, pages)
    if spliced is not None:
        return spliced, pages
    for _ in range(_LAYOUTS - 1):
        rendered = typeset(book_html(doc, options, pages))
        landed = _mention_pages(rendered, doc)
        if landed == pages:
            return rendered, pages
        pages = landed
    raise CheckError(f"{doc.source_name}: the index page numbers did not settle after {_LAYOUTS} layouts")


def _with_indexes(rendered: Rendered, typeset: Typeset, doc: Document, pages: dict[str, int]) -> Rendered | None:
    """The book with its placeholder index pages replaced by the indexes laid out alone; None if
    that cannot be done without moving a section (the caller then lays out the whole book again)."""
    sections = [name for name in INDEX_PARTS if any(name in page.anchors for page in rendered.pages)]
    if not sections:
        return rendered
    start = _page_of(rendered, sections[0])
    body = "".join(part.body for part in Renderer(doc, pages=pages).index_parts())  # not the whole book again
    running_title = plain_text(doc.front.subtitle or doc.front.title)
    indexes = typeset(
        xhtml_page(plain_text(doc.front.title), doc.front.lang, body, stylesheet=None),
        f"@page :first {{ counter-reset: page {start}; }}",  # folios run on from the book
        f"html {{ string-set: book-title {css_string(running_title)}; }}",  # the verso running head, as in the book
    )
    if any(_page_of(indexes, name) + start - 1 != _page_of(rendered, name) for name in sections):
        return None  # the contents page would name the wrong page for a later index
    return rendered.copy(rendered.pages[: start - 1] + indexes.pages)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (CSS escapes, not HTML ones: "&" prints as "&")."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\' or not char.isprintable() else char for char in text)
    return f'"{escaped}"'


def _page_of(rendered: Rendered, anchor: str) -> int:
    return next(number for number, page in enumerate(rendered.pages, start=1) if anchor in page.anchors)


def _mention_pages(rendered: Rendered, doc: Document) -> dict[str, int]:
    """The folio of the page each indexed mention begins on (folios count from the first page).

    A mention broken over a page break ("Alt-" / "man") has its anchor on both pages: the first counts.
    """
    wanted = {loc.anchor for entries in doc.index.by_kind.values() for entry in entries for loc in entry.locators}
    pages: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for anchor in page.anchors:
            if anchor in wanted:
                pages.setdefault(anchor, number)
    return pages


def book_html(doc: Document, options: BuildOptions, pages: dict[str, int] | None) -> str:
    """The print edition as one XHTML file, with the metadata WeasyPrint puts in the PDF."""
    front = doc.front
    body = "".join(part.body for part in Renderer(doc, pages=pages).parts(print_edition=True))
    page = xhtml_page(plain_text(front.title), front.lang, body, stylesheet=None)
    stamp = options.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = {
        "author": ", ".join(front.authors or front.interviewee_names),
        "description": plain_text(front.subtitle),
        "keywords": ", ".join(front.keywords),
        "generator": "pressroom",
        "dcterms.created": stamp,
        "dcterms.modified": stamp,
    }
    tags = "".join(f'<meta name="{name}" content="{escape(value)}"/>\n' for name, value in meta.items() if value)
    return page.replace("</head>", tags + "</head>", 1)


def _page_setup(options: BuildOptions) -> str:
    """The trim, bleed and marks asked for on the command line, over print.css's defaults."""
    rules = [f"size: {options.trim};"]
    if options.bleed:
        rules.append(f"bleed: {options.bleed};")
    if options.marks:
        rules.append(f"marks: {' '.join(options.marks)};")
    return "@page { " + " ".join(rules) + " }"


def font_dir() -> Path:
    """Where the body face's font files are installed (a Python package: no system fonts needed)."""
    return Path(str(importlib.resources.files(BODY_FONT_PACKAGE) / "files"))


def _font_faces(fonts: Path) -> str:
    """@font-face rules for the weights the book uses, roman and italic."""
    rules = []
    for style_name, weight in _WEIGHTS:
        file = fonts / f"{BODY_FONT}-{style_name}.ttf"
        style = "italic" if style_name.endswith("Italic") else "normal"
        rules.append(
            f'@font-face {{ font-family: "{BODY_FONT}"; src: url("{file.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)
