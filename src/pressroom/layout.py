"""The print edition's layout, and what the other editions learn from it.

WeasyPrint lays the book out (twice: see `lay_out`); from the result we read
on which page every mention landed, for the printed indexes, and where every
page of the text begins, for the EPUB's page-list. One layout serves both
writers in one build.
"""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .errors import CheckError
from .html import PARAGRAPH_ID_PREFIX, Renderer, xhtml_page
from .model import Document, plain_text
from .options import PDF_VARIANTS, BuildOptions

BODY_FONT_PACKAGE = "fontpkg_source_serif_4"
_LAYOUTS = 3  # the index rarely needs more than two; a third catches a page that moved once
_HYPHEN = "\u2010"  # what WeasyPrint puts at the end of a hyphenated line
_RUN_ON = (_HYPHEN, "-", "–", "—", "/")  # a line that ends so breaks inside a word


@dataclass(frozen=True)
class PageStart:
    """Where a print page begins in the text: before word `word` (0-based) of paragraph `paragraph`."""

    page: int
    paragraph: str
    word: int


@dataclass(frozen=True)
class Layout:
    """A laid-out print edition."""

    rendered: object  # weasyprint.Document, ready for write_pdf
    mention_pages: dict[str, int]  # mention anchor -> folio
    page_starts: tuple[PageStart, ...]  # the pages of the text (headnote to interview), in order


_cache: dict[tuple[int, BuildOptions], Layout] = {}


def lay_out(doc: Document, options: BuildOptions) -> Layout:
    """The book laid out until every mention sits on the page its index entry prints.

    The first layout says where each mention landed; the next prints those
    pages in the indexes. If a layout moves a mention, the next one tries
    again; after `_LAYOUTS` the build fails rather than print a wrong number.
    """
    key = (id(doc), options)
    if key in _cache:
        return _cache[key]
    from weasyprint import CSS, HTML  # heavy: imported only when a layout is needed
    from weasyprint.text.fonts import FontConfiguration

    from .fetch import ConfinedFetcher

    fonts = font_dir()
    fetcher = ConfinedFetcher([options.styles_dir, fonts])
    font_config = FontConfiguration()  # @font-face rules only take effect through one
    stylesheets = [
        CSS(string=_font_faces(fonts), url_fetcher=fetcher, font_config=font_config),
        CSS(filename=str(options.styles_dir / "print.css"), url_fetcher=fetcher, font_config=font_config),
        CSS(string=_page_setup(options), font_config=font_config),
    ]
    tagged = PDF_VARIANTS[options.pdf_variant] == "pdf/ua-1"
    base_url = options.styles_dir.as_uri() + "/"
    pages = None
    with source_date(options):
        for _ in range(_LAYOUTS):
            html = HTML(string=book_html(doc, options, pages), base_url=base_url, url_fetcher=fetcher)
            rendered = html.render(stylesheets=stylesheets, font_config=font_config, pdf_tags=tagged)
            landed = _mention_pages(rendered, doc)
            if landed == pages:
                break
            pages = landed
        else:
            raise CheckError(f"{doc.source_name}: the index page numbers did not settle after {_LAYOUTS} layouts")
    layout = Layout(rendered, pages, _page_starts(rendered))
    _cache.clear()  # one document at a time: a batch must not hold every layout in memory
    _cache[key] = layout
    return layout


def _mention_pages(rendered, doc: Document) -> dict[str, int]:  # noqa: ANN001
    """The folio of the page each indexed mention landed on (folios count from the first page)."""
    wanted = {loc.anchor for entry in (*doc.index.films, *doc.index.people) for loc in entry.locators}
    return {
        anchor: number
        for number, page in enumerate(rendered.pages, start=1)
        for anchor in page.anchors
        if anchor in wanted
    }


def _page_starts(rendered) -> tuple[PageStart, ...]:  # noqa: ANN001
    """For each page with text of the headnote, introduction or interview: where that page begins.

    Lines are joined as the source has them: a line broken at a space gets its
    space back; one broken after a hyphen, dash or slash runs on into the next;
    WeasyPrint's own hyphen goes. A page that begins inside a word begins at that word.
    """
    starts = []
    text_so_far: dict[str, str] = {}  # paragraph id -> its text laid out on earlier pages and lines
    for number, page in enumerate(rendered.pages, start=1):
        first = True
        for paragraph, line in _lines(page._page_box):
            before = text_so_far.get(paragraph, "")
            if first:
                words = len(before.split()) - (1 if before.endswith(_RUN_ON) else 0)
                starts.append(PageStart(number, paragraph, max(words, 0)))
                first = False
            if not before:
                text_so_far[paragraph] = line
            elif before.endswith(_HYPHEN):
                text_so_far[paragraph] = before[:-1] + line
            elif before.endswith(_RUN_ON):
                text_so_far[paragraph] = before + line
            else:
                text_so_far[paragraph] = before + " " + line
    return tuple(starts)


def _lines(box, paragraph: str | None = None) -> Iterator[tuple[str, str]]:  # noqa: ANN001
    """(paragraph id, text of the line) for every line on a page inside a numbered paragraph."""
    element = getattr(box, "element", None)
    if element is not None and hasattr(element, "get"):
        ident = element.get("id") or ""
        if ident.startswith(PARAGRAPH_ID_PREFIX):
            paragraph = ident
    if type(box).__name__ == "LineBox":
        if paragraph:
            yield paragraph, "".join(_texts(box)).strip()
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, paragraph)


def _texts(box) -> Iterator[str]:  # noqa: ANN001
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


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
    """@font-face rules for the body face's two variable files (roman and italic)."""
    rules = []
    for file in sorted(fonts.glob("*.ttf")):
        style = "italic" if "Italic" in file.name else "normal"
        rules.append(f'@font-face {{ font-family: "Source Serif 4"; src: url("{file.as_uri()}"); font-style: {style}; }}')
    return "\n".join(rules)


@contextmanager
def source_date(options: BuildOptions) -> Iterator[None]:
    """WeasyPrint stamps instanced variable fonts with the clock unless SOURCE_DATE_EPOCH is set."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(options.timestamp.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
