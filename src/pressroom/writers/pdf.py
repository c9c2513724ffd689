"""The print edition: the shared XHTML, styles/print.css, laid out by WeasyPrint.

The book is laid out twice: the first layout says on which page each mention
landed; the second prints those pages in the indexes. The build fails if the
second layout moved any mention, so every printed index number is proven.
"""

from __future__ import annotations

import importlib.resources
import os
from contextlib import contextmanager
from html import escape
from pathlib import Path

from ..atomic import atomic_path
from ..errors import CheckError, OutputError
from ..html import Renderer, xhtml_page
from ..model import Document, plain_text
from ..options import PDF_VARIANTS, BuildOptions

BODY_FONT_PACKAGE = "fontpkg_source_serif_4"
_LAYOUTS = 3  # the index rarely needs more than two; a third catches a page that moved once


def write(doc: Document, out: Path, options: BuildOptions) -> None:
    """Lay out `doc` as a book and write the PDF to `out`."""
    from weasyprint import CSS, HTML, Attachment  # heavy: imported only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration

    from ..fetch import ConfinedFetcher

    fonts = _font_dir()
    fetcher = ConfinedFetcher([options.styles_dir, fonts])
    font_config = FontConfiguration()  # @font-face rules only take effect through one
    stylesheets = [
        CSS(string=_font_faces(fonts), url_fetcher=fetcher, font_config=font_config),
        CSS(filename=str(options.styles_dir / "print.css"), url_fetcher=fetcher, font_config=font_config),
        CSS(string=_page_setup(options), font_config=font_config),
    ]
    variant = PDF_VARIANTS[options.pdf_variant]
    with _source_date(options):
        pages = None
        for _ in range(_LAYOUTS):
            html = HTML(
                string=_book_html(doc, options, pages), base_url=options.styles_dir.as_uri() + "/", url_fetcher=fetcher
            )
            rendered = html.render(stylesheets=stylesheets, font_config=font_config, pdf_tags=variant == "pdf/ua-1")
            landed = _mention_pages(rendered, doc)
            if landed == pages:
                break
            pages = landed
        else:
            raise CheckError(f"{out}: the index page numbers did not settle after {_LAYOUTS} layouts")
        attachments = []
        if variant == "pdf/a-3b":  # the archival copy carries its own source
            attachments.append(Attachment(
                string=doc.source_text, name=f"{doc.source_name}.md", description="The canonical source",
                relationship="Source", created=options.timestamp, modified=options.timestamp,
            ))
        try:
            with atomic_path(out) as tmp:
                rendered.write_pdf(
                    tmp, pdf_variant=variant, attachments=attachments, pdf_identifier=doc.front.identifier.encode(),
                )
        except OSError as err:
            raise OutputError(f"{out}: cannot write the PDF: {err.strerror or err}") from None


def _mention_pages(rendered, doc: Document) -> dict[str, int]:  # noqa: ANN001
    """The folio of the page each indexed mention landed on (folios count from the first page)."""
    wanted = {loc.anchor for entry in (*doc.index.films, *doc.index.people) for loc in entry.locators}
    return {
        anchor: number
        for number, page in enumerate(rendered.pages, start=1)
        for anchor in page.anchors
        if anchor in wanted
    }


def _book_html(doc: Document, options: BuildOptions, pages: dict[str, int] | None) -> str:
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


def _font_dir() -> Path:
    return Path(str(importlib.resources.files(BODY_FONT_PACKAGE) / "files"))


def _font_faces(fonts: Path) -> str:
    """@font-face rules for the body face's two variable files (roman and italic)."""
    rules = []
    for file in sorted(fonts.glob("*.ttf")):
        style = "italic" if "Italic" in file.name else "normal"
        rules.append(f'@font-face {{ font-family: "Source Serif 4"; src: url("{file.as_uri()}"); font-style: {style}; }}')
    return "\n".join(rules)


@contextmanager
def _source_date(options: BuildOptions):  # noqa: ANN202
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
