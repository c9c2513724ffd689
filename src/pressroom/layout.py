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
from .html import INDEX_PARTS, PARAGRAPH_ID_PREFIX, Renderer, xhtml_page
from .model import Document, plain_text
from .options import PDF_VARIANTS, BuildOptions

BODY_FONT_PACKAGE = "fontpkg_spectral"  # static files with true small capitals: no per-size instancing
BODY_FONT = "Spectral"
_WEIGHTS = {"Regular": 400, "Italic": 400, "SemiBold": 600, "SemiBoldItalic": 600, "Bold": 700, "BoldItalic": 700}
_LAYOUTS = 3  # the index rarely needs more than two; a third catches a page that moved once
_HYPHEN = "\u2010"  # what WeasyPrint puts at the end of a hyphenated line
_DASHES = ("–", "—")
_RUN_ON = (_HYPHEN, "-", *_DASHES, "/")  # a line that ends so breaks inside a word (so does one that begins with a dash)


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


# The last layout, with the document and options it is of: the PDF and EPUB writers of one build
# share it. The document itself is kept, not its id(), which a later document could reuse.
_last: tuple[Document, BuildOptions, Layout] | None = None


def lay_out(doc: Document, options: BuildOptions) -> Layout:
    """The book laid out, with every mention on the page its index entry prints.

    The book is laid out once with placeholder locators; that says on which
    page each mention landed. The indexes come last, so only they change when
    the real page numbers go in: they are laid out again on their own, numbered
    on from the same page, and put in place of the placeholder pages. If that
    would move a section the contents page names (the index of names starts
    later, say), the whole book is laid out again until the pages settle; after
    `_LAYOUTS` layouts the build fails rather than print a wrong number.
    """
    global _last
    if _last is not None and _last[0] is doc and _last[1] == options:
        return _last[2]
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

    def render(html: str, *extra: str):  # noqa: ANN202
        sheets = stylesheets + [CSS(string=css, font_config=font_config) for css in extra]
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.render(stylesheets=sheets, font_config=font_config, pdf_tags=tagged)

    with source_date(options):
        rendered = render(book_html(doc, options, None))
        pages = _mention_pages(rendered, doc)
        final = _with_indexes(rendered, render, doc, options, pages)
        for _ in range(_LAYOUTS - 1):
            if final is not None:
                break
            rendered = render(book_html(doc, options, pages))
            landed = _mention_pages(rendered, doc)
            if landed == pages:
                final = rendered
            pages = landed
        else:
            raise CheckError(f"{doc.source_name}: the index page numbers did not settle after {_LAYOUTS} layouts")
    layout = Layout(final, pages, _page_starts(final))
    _last = (doc, options, layout)  # one document at a time: a batch must not hold every layout in memory
    return layout


def _with_indexes(rendered, render, doc: Document, options: BuildOptions, pages: dict[str, int]):  # noqa: ANN001, ANN202
    """The book with its placeholder index pages replaced by the indexes laid out alone; None if
    that cannot be done without moving a section (the caller then lays out the whole book again)."""
    sections = [name for name in INDEX_PARTS if any(name in page.anchors for page in rendered.pages)]
    if not sections:
        return rendered
    start = _page_of(rendered, sections[0])
    parts = Renderer(doc, pages=pages).parts(print_edition=True)
    body = "".join(part.body for part in parts if part.name in INDEX_PARTS)
    running_title = escape(plain_text(doc.front.subtitle or doc.front.title)).replace('"', '\\"')
    indexes = render(
        xhtml_page(plain_text(doc.front.title), doc.front.lang, body, stylesheet=None),
        f"@page :first {{ counter-reset: page {start}; }}",  # folios run on from the book
        f'html {{ string-set: book-title "{running_title}"; }}',  # the verso running head, as in the book
    )
    if any(_page_of(indexes, name) + start - 1 != _page_of(rendered, name) for name in sections):
        return None  # the contents page would name the wrong page for a later index
    return rendered.copy(rendered.pages[: start - 1] + indexes.pages)


def _page_of(rendered, anchor: str) -> int:  # noqa: ANN001
    return next(number for number, page in enumerate(rendered.pages, start=1) if anchor in page.anchors)


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
    space back; one broken after a hyphen, dash or slash, or before a dash, runs
    on into the next; WeasyPrint's own hyphen goes. A page that begins inside a
    word begins at that word.
    """
    starts = []
    text_so_far: dict[str, str] = {}  # paragraph id -> its text laid out on earlier pages and lines
    for number, page in enumerate(rendered.pages, start=1):
        first = True
        for paragraph, line in _lines(page._page_box):
            before = text_so_far.get(paragraph, "")
            if first:
                words = len(before.split()) - (1 if before.endswith(_RUN_ON) or line.startswith(_DASHES) else 0)
                starts.append(PageStart(number, paragraph, max(words, 0)))
                first = False
            if not before:
                text_so_far[paragraph] = line
            elif before.endswith(_HYPHEN):
                text_so_far[paragraph] = before[:-1] + line
            elif before.endswith(_RUN_ON) or line.startswith(_DASHES):  # "away" / "—that’s" is one word
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
    """@font-face rules for the weights the book uses, roman and italic."""
    rules = []
    for style_name, weight in _WEIGHTS.items():
        file = fonts / f"{BODY_FONT}-{style_name}.ttf"
        style = "italic" if style_name.endswith("Italic") else "normal"
        rules.append(
            f'@font-face {{ font-family: "{BODY_FONT}"; src: url("{file.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
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
