"""The print edition: the shared XHTML, styles/print.css, laid out by WeasyPrint."""

from __future__ import annotations

import importlib.resources
import os
from contextlib import contextmanager
from html import escape
from pathlib import Path

from ..atomic import atomic_path
from ..errors import OutputError
from ..html import Renderer, xhtml_page
from ..model import Document, plain_text
from ..options import BuildOptions

BODY_FONT_PACKAGE = "fontpkg_source_serif_4"


def write(doc: Document, out: Path, options: BuildOptions) -> None:
    """Lay out `doc` as a book and write the PDF to `out`."""
    from weasyprint import CSS, HTML  # heavy: imported only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration

    from ..fetch import ConfinedFetcher

    fonts = _font_dir()
    fetcher = ConfinedFetcher([options.styles_dir, fonts])
    html = HTML(string=_book_html(doc, options), base_url=options.styles_dir.as_uri() + "/", url_fetcher=fetcher)
    font_config = FontConfiguration()  # @font-face rules only take effect through one
    stylesheets = [
        CSS(string=_font_faces(fonts), url_fetcher=fetcher, font_config=font_config),
        CSS(filename=str(options.styles_dir / "print.css"), url_fetcher=fetcher, font_config=font_config),
    ]
    with _source_date(options):
        try:
            rendered = html.render(stylesheets=stylesheets, font_config=font_config)
            with atomic_path(out) as tmp:
                rendered.write_pdf(tmp)
        except OSError as err:
            raise OutputError(f"{out}: cannot write the PDF: {err.strerror or err}") from None


def _book_html(doc: Document, options: BuildOptions) -> str:
    front = doc.front
    body = "".join(part.body for part in Renderer(doc).parts(print_edition=True))
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


def _font_dir() -> Path:
    return Path(str(importlib.resources.files(BODY_FONT_PACKAGE) / "files"))


def _font_faces(fonts: Path) -> str:
    """@font-face rules for the body face's two variable files (roman and italic)."""
    rules = []
    for file in sorted(fonts.glob("*.ttf")):
        style = "italic" if "Italic" in file.name else "normal"
        rules.append(
            f'@font-face {{ font-family: "Source Serif 4"; src: url("{file.as_uri()}"); '
            f"font-style: {style}; }}"
        )
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
