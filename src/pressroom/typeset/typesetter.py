"""WeasyPrint set up for the print edition: print.css, the trim asked for, the body face, the PDF's
metadata, and the page numbers of a part of the book laid out on its own."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Book, plain_text
from ..core.options import BuildOptions
from ..core.stamp import GENERATOR, stamp
from .xhtml import xhtml_page

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

BODY_FONT_PACKAGE = "fontpkg_spectral"  # static files with true small capitals: no per-size instancing
BODY_FONT = "Spectral"
_WEIGHTS = (  # the font files the book uses, and their CSS weights
    ("Regular", 400), ("Italic", 400), ("SemiBold", 600), ("SemiBoldItalic", 600), ("Bold", 700), ("BoldItalic", 700),
)
_NO_MARGIN_BOXES = "@page :first { " + " ".join(
    f"@{box} {{ content: none; }}" for box in ("top-left", "top-center", "top-right", "bottom-center")
) + " }"

Typeset = Callable[..., "Rendered"]  # (XHTML, *extra CSS) -> the laid-out pages


def typesetter(options: BuildOptions) -> Typeset:
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
        css(string=page_setup(options)),
    ]
    tagged = options.tagged_pdf
    base_url = options.styles_dir.as_uri() + "/"

    def typeset(xhtml: str, *extra_css: str) -> Rendered:
        sheets = stylesheets + [css(string=extra) for extra in extra_css]
        document = HTML(string=xhtml, base_url=base_url, url_fetcher=fetcher)
        return document.render(stylesheets=sheets, font_config=font_config, pdf_tags=tagged)

    return typeset


def page_setup(options: BuildOptions) -> str:
    """The trim, bleed and marks asked for on the command line, over print.css's defaults."""
    rules = [f"size: {options.trim};"]
    if options.bleed:
        rules.append(f"bleed: {options.bleed};")
    if options.marks:
        rules.append(f"marks: {' '.join(options.marks)};")
    page = "@page { " + " ".join(rules) + " }"
    if options.pdfx:  # black text in black ink alone: RGB black would print in all four inks
        page += " html { color: device-cmyk(0 0 0 1); } @page { color: device-cmyk(0 0 0 1); }"
    return page


def with_metadata(page: str, doc: Book, options: BuildOptions) -> str:
    """The print edition's XHTML with the metadata WeasyPrint puts in the PDF."""
    front = doc.front
    made = stamp(options.timestamp)
    meta = {
        "author": ", ".join(front.authors or front.interviewee_names or front.editors),
        "description": plain_text(front.subtitle),
        "keywords": ", ".join(front.keywords),
        "generator": GENERATOR,
        # only a date the source gives (no "created 1980"); PDF/X requires one, and WeasyPrint would take the clock's
        "dcterms.created": made if front.date is not None or options.pdfx else "",
        "dcterms.modified": made,
    }
    tags = "".join(f'<meta name="{name}" content="{escape(value)}"/>\n' for name, value in meta.items() if value)
    return page.replace("</head>", tags + "</head>", 1)


def numbered_from(first_page: int) -> tuple[str, ...]:
    """CSS that numbers a separately laid-out part of the book from `first_page` on."""
    return (f"@page :first {{ counter-reset: page {first_page}; }}",) if first_page != 1 else ()


def recto_after(pages: int) -> int:
    """The first page after `pages` pages that is a recto (odd)."""
    return pages + 1 + pages % 2


def blank_page(typeset: Typeset, doc: Book) -> list:
    """A page with nothing on it, not even a folio: to end a book on a verso, or open a chapter on a recto."""
    page = xhtml_page(plain_text(doc.front.title), doc.front.lang, "", stylesheet=None)
    return typeset(page, _NO_MARGIN_BOXES).pages[:1]


def font_dir() -> Path:
    """Where the body face's font files are installed (a Python package: no system fonts needed)."""
    return Path(str(importlib.resources.files(BODY_FONT_PACKAGE) / "files"))


def font_file(fonts: Path, style: str) -> Path:
    """The body face's file of `style` ("Regular", "SemiBoldItalic" ...) in the folder `fonts`."""
    return fonts / f"{BODY_FONT}-{style}.ttf"


def font_face_rules() -> str:
    """The body face's @font-face rules, for other pages laid out with it (the cover)."""
    return _font_faces(font_dir())


def _font_faces(fonts: Path) -> str:
    """@font-face rules for the weights the book uses, roman and italic."""
    rules = []
    for style_name, weight in _WEIGHTS:
        file = font_file(fonts, style_name)
        style = "italic" if style_name.endswith("Italic") else "normal"
        rules.append(
            f'@font-face {{ font-family: "{BODY_FONT}"; src: url("{file.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)
