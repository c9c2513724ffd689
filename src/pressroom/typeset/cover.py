"""The cover: the printer's wrap spread (back, spine, front, with bleed) and the EPUB's cover image.

Both are one design: the front panel is the same XHTML and CSS whether it is laid out in the
spread or alone on a 2:3 page and rasterized for the EPUB (so the two cannot drift apart). The
spread is laid out by WeasyPrint with the body face, reading nothing but the font files.

Measures are in points. The spread's page is the trim of the whole wrap (two covers and the
spine) with the bleed around it, so the PDF's MediaBox is the full spread and its TrimBox the
spread less the bleed. Type sizes are in rem, the root size scaled with the trim width: a cover
for A5 is the 6 x 9 in design made smaller, not a different one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..core.isbn import isbn13, isbn_of
from ..core.model import (
    Book,
    Code,
    Document,
    Emph,
    Inline,
    LineBreak,
    Link,
    Mention,
    MentionKind,
    NoteRef,
    Para,
    SmallCaps,
    Strong,
    Text,
    plain_text,
)
from ..core.options import PAPER_THICKNESS, BuildOptions, length_points, trim_points
from ..core.stamp import GENERATOR, stamp
from ..core.words import COVER_OF, words_for
from .printers import TRADE_BLEED
from .typesetter import BODY_FONT, font_dir, font_face_rules, font_file
from .xhtml import xhtml_page

WIDTH, HEIGHT = 1600, 2400  # the EPUB cover image, in pixels
EBOOK_PAGE = (432.0, 648.0)  # the EPUB cover's page (6 x 9 in): 2:3, as the image
SPINE_TEXT_MIN_PAGES = 80  # KDP: text on the spine only for books of more than 79 pages
_FOLD_MARGIN = 0.0625 * 72  # KDP: spine text at least 0.0625 in from each fold
_SPINE_TYPE = 10.0  # the spine's type size on a wide spine, in points
_DESIGN_WIDTH = 432.0  # the trim width the rem sizes below were drawn for (6 in)
_PAPER, _INK, _ACCENT = "#f6f1e8", "#1c1a18", "#962820"
_MODULE = 0.33 / 25.4 * 72  # an EAN-13 module at 100 % magnification (0.33 mm), in points
_QUIET_LEFT, _QUIET_RIGHT = 11, 7  # the symbol's quiet zones, in modules (ISO/IEC 15420)
_BAR_HEIGHT, _GUARD_HEIGHT = 55, 60  # in modules: about 18 mm bars, the guard bars 1.65 mm longer
_BARCODE_BOX = (144.0, 86.4)  # 2 x 1.2 in: the room KDP keeps for its own barcode, at the same place


@dataclass(frozen=True)
class Spread:
    """The wrap cover's geometry, in points: the trim of one cover, the spine, the bleed."""

    trim_width: float
    trim_height: float
    spine: float
    bleed: float

    @property
    def width(self) -> float:
        """The full spread with its bleed: the PDF's MediaBox."""
        return 2 * self.trim_width + self.spine + 2 * self.bleed

    @property
    def height(self) -> float:
        return self.trim_height + 2 * self.bleed

    @property
    def front_left(self) -> float:
        """Where the front cover begins, from the left edge of the trim (the back cover's)."""
        return self.trim_width + self.spine


def spread(pages: int, paper: str, trim: str, bleed: str) -> Spread:
    """The spread of a book of `pages` pages on `paper`, at `trim` (CSS size) with `bleed` (a length)."""
    width, height = trim_points(trim)
    return Spread(width, height, pages * PAPER_THICKNESS[paper] * 72, length_points(bleed))


def cover_spread(pages: int, options: BuildOptions) -> Spread:
    return spread(pages, options.paper, options.trim, options.bleed or TRADE_BLEED)


def write_cover(doc: Book, out: Path, options: BuildOptions, pages: int) -> None:
    """Write the wrap cover of `doc`, printed on `pages` pages (the final count of the print edition), to `out`."""
    geometry = cover_spread(pages, options)
    body = "".join((
        _panel("back", 0, geometry, _back(doc)),
        _spine(doc, geometry) if pages >= SPINE_TEXT_MIN_PAGES else "",
        _panel("front", geometry.front_left, geometry, _front(doc)),
    ))
    page = (f"size: {2 * geometry.trim_width + geometry.spine:.3f}pt {geometry.trim_height:.3f}pt; "
            f"bleed: {geometry.bleed:.3f}pt;")
    xhtml = _with_dates(_page(doc, body), options)
    rendered = _typeset(xhtml, _css(page, geometry.trim_width))
    rendered.write_pdf(out, pdf_identifier=f"{doc.front.identifier}#cover".encode())


def cover_png(doc: Book) -> bytes:
    """The EPUB's cover image: the front panel alone, laid out on a 2:3 page and rasterized at
    1600 x 2400 (pdfium, from its PyPI wheel: the same document always gives the same bytes).

    Written losslessly and as small as Pillow can: the antialiased type, ink on paper, often makes
    no more than 256 colours, and then a palette holds every one exactly (a 152 KB cover becomes
    61 KB); a render with more, or a palette that would not give back every pixel, is written RGB."""
    import pypdfium2  # start-up time: only the EPUB's cover is rasterized
    from PIL import Image

    width, height = EBOOK_PAGE
    geometry = Spread(width, height, 0.0, 0.0)
    xhtml = _page(doc, _panel("front", 0, geometry, _front(doc)))
    pdf = _typeset(xhtml, _css(f"size: {width}pt {height}pt;", width)).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=WIDTH / width).to_pil().convert("RGB")
    finally:
        document.close()
    if image.size != (WIDTH, HEIGHT):  # pdfium rounds the page's size in pixels
        image = image.resize((WIDTH, HEIGHT))
    if image.getcolors(256) is not None:  # None: more than 256 colours
        indexed = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        if indexed.convert("RGB").tobytes() == image.tobytes():
            image = indexed
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cover_description(doc: Book) -> str:
    """The cover's alternative text."""
    parts = [plain_text(doc.front.title), plain_text(doc.front.subtitle), ", ".join(_names(doc))]
    return words_for(doc.front.lang).say(COVER_OF, description=" — ".join(part for part in parts if part))


# --- the panels --------------------------------------------------------------


def _panel(name: str, left: float, geometry: Spread, content: str) -> str:
    return (f'<div class="panel {name}" style="left: {left:.3f}pt; width: {geometry.trim_width:.3f}pt; '
            f'height: {geometry.trim_height:.3f}pt">{content}</div>\n')


def _front(doc: Book) -> str:
    """Accent bar, title, italic subtitle; at the foot the names in capitals and the publisher in italics."""
    front = doc.front
    subtitle = f'<p class="subtitle">{_inline_html(front.subtitle)}</p>' if front.subtitle else ""
    names = words_for(doc.front.lang).and_list(_names(doc)).upper()
    foot = (f'<p class="names">{escape(names)}</p>' if names else "") + _publisher(doc)
    return (f'<div class="bar"></div><div class="headline"><h1 class="title">{_inline_html(front.title)}</h1>'
            f'{subtitle}</div><div class="foot">{foot}</div>')


def _back(doc: Book) -> str:
    """The blurb (else the headnote), the publisher, and the ISBN's barcode on a white box at the lower right."""
    isbn = isbn_of(doc.front.identifier)
    return (f'<div class="bar"></div><div class="blurb">{_blurb(doc)}</div>'
            f'<div class="imprint">{_publisher(doc)}</div>{_barcode(isbn) if isbn else ""}')


def _blurb(doc: Book) -> str:
    """The front matter's `blurb` (paragraphs between blank lines), else the interview's headnote,
    else the first paragraph of its introduction (a collection has only its blurb)."""
    if doc.front.blurb:
        return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in doc.front.blurb.split("\n\n") if p.strip())
    if not isinstance(doc, Document):
        return ""
    paragraphs = [b for b in doc.headnote if isinstance(b, Para)]
    paragraphs = paragraphs or [b for b in doc.introduction if isinstance(b, Para)][:1]
    return "".join(f"<p>{_inline_html(p.children)}</p>" for p in paragraphs)


def _spine(doc: Book, geometry: Spread) -> str:
    """The names in capitals and the title, reading top to bottom (turned 90° clockwise), centred on the spine.

    A box as long as the spine less the panels' margins is laid out level and turned about its centre,
    which is put at the spine's. Its type is as large as the spine's width allows (less the folds'
    margins) up to `_SPINE_TYPE`, and smaller if the line would run longer than the box."""
    length = geometry.trim_height - 2 * _margin(geometry.trim_width)
    size = min(_SPINE_TYPE, (geometry.spine - 2 * _FOLD_MARGIN) * 0.9)
    names, title = words_for(doc.front.lang).and_list(_names(doc)).upper(), plain_text(doc.front.title)
    size = min(size, size * length / _spine_line_width(names, title, size))
    centre_x, centre_y = geometry.trim_width + geometry.spine / 2, geometry.trim_height / 2
    style = (f"left: {centre_x - length / 2:.3f}pt; top: {centre_y - geometry.spine / 2:.3f}pt; "
             f"width: {length:.3f}pt; height: {geometry.spine:.3f}pt; line-height: {geometry.spine:.3f}pt; "
             f"font-size: {size:.3f}pt")
    return (f'<div class="spine" style="{style}"><span class="spine-names">{escape(names)}</span>'
            f'<span class="spine-title">{escape(title)}</span></div>\n')


_SPINE_TRACKING, _SPINE_GAP = 0.08, 1.5  # the names' letter-spacing and the space before the title, in em (as the CSS)


def _spine_line_width(names: str, title: str, size: float) -> float:
    """How long the spine's line runs at `size` points, measured with the font files (and 3 % to spare)."""
    from PIL import ImageFont  # start-up time: only a cover's spine is measured

    def width(text: str, style: str) -> float:
        font = ImageFont.truetype(str(font_file(font_dir(), style)), 100)
        return font.getlength(text) / 100 * size

    tracked = width(names, "Regular") + _SPINE_TRACKING * size * len(names)
    return 1.03 * (tracked + _SPINE_GAP * size + width(title, "SemiBold"))


def _barcode(isbn: str) -> str:
    """The ISBN as an EAN-13 symbol, drawn as vector bars (python-barcode says which modules are dark),
    with the ISBN above and the digits below, on a white box."""
    from barcode import EAN13  # start-up time: only a cover with an ISBN has a barcode

    digits = isbn13(isbn)
    modules = EAN13(digits, guardbar=True).build()[0]  # "1" a bar, "0" a space, "G" a longer guard bar
    total = _QUIET_LEFT + len(modules) + _QUIET_RIGHT
    bars = "".join(
        f'<rect x="{_QUIET_LEFT + i}" y="0" width="1" height="{_GUARD_HEIGHT if m == "G" else _BAR_HEIGHT}"/>'
        for i, m in enumerate(modules) if m != "0"
    )
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{total * _MODULE:.3f}pt" '
           f'height="{_GUARD_HEIGHT * _MODULE:.3f}pt" '
           f'viewBox="0 0 {total} {_GUARD_HEIGHT}" shape-rendering="crispEdges"><g fill="{_INK}">{bars}</g></svg>')
    groups = ((digits[0], 0, _QUIET_LEFT - 1), (digits[1:7], _QUIET_LEFT + 3, _QUIET_LEFT + 45),
              (digits[7:], _QUIET_LEFT + 50, _QUIET_LEFT + 92))  # (digits, first module, last) under the bars
    text = "".join(
        f'<span class="digits" style="left: {first * _MODULE:.3f}pt; '
        f'width: {(last - first) * _MODULE:.3f}pt">{group}</span>'
        for group, first, last in groups
    )
    return (f'<div class="barcode"><p class="isbn">ISBN {escape(isbn)}</p>'
            f'<div class="symbol" style="width: {total * _MODULE:.3f}pt">{svg}{text}</div></div>')


def _names(doc: Book) -> tuple[str, ...]:
    return doc.front.interviewee_names or doc.front.editors


def _publisher(doc: Book) -> str:
    return f'<p class="publisher">{escape(doc.front.publisher)}</p>' if doc.front.publisher else ""


def _inline_html(inlines: tuple[Inline, ...]) -> str:
    """Title, subtitle or headnote text as the cover sets it: emphasis and film titles italic, notes left out."""
    out = []
    for node in inlines:
        match node:
            case Text(text) | Code(text):
                out.append(escape(text, quote=False))
            case Emph(children):
                out.append(f"<em>{_inline_html(children)}</em>")
            case Mention(kind=MentionKind.FILM, children=children):
                out.append(f"<cite>{_inline_html(children)}</cite>")
            case Strong(children) | SmallCaps(children) | Link(_, children) | Mention(children=children):
                out.append(_inline_html(children))
            case LineBreak():
                out.append(" ")
            case NoteRef():
                pass
    return "".join(out)


# --- the page ----------------------------------------------------------------


def _margin(trim_width: float) -> float:
    """The panels' margin: 0.5625 in on a 6 in cover, twice and more the printers' 0.25 in safe zone."""
    return 3.375 * _root_size(trim_width)


def _root_size(trim_width: float) -> float:
    return 12 * trim_width / _DESIGN_WIDTH


def _css(page_rules: str, trim_width: float) -> str:
    """The cover's style: `page_rules` (its size, its bleed) and the panels, sized in rem from the root's size."""
    return f"""
@page {{ {page_rules} margin: 0; background: {_PAPER}; }}
html {{ font-family: "{BODY_FONT}"; font-size: {_root_size(trim_width):.4f}pt; color: {_INK}; hyphens: manual; }}
body {{ margin: 0; }}
p, h1 {{ margin: 0; }}
em, cite {{ font-style: italic; }}
.panel {{ position: absolute; top: 0; }}
.bar {{ position: absolute; left: 3.375rem; top: 6.075rem; width: 4.95rem; height: 0.27rem; background: {_ACCENT}; }}
.headline {{ position: absolute; left: 3.375rem; right: 3.375rem; top: 7.6rem; }}
.title {{ font-size: 2.34rem; font-weight: 600; line-height: 1.18; }}
.subtitle {{ margin-top: 1.1rem; font-size: 1.485rem; font-style: italic; line-height: 1.3; }}
.subtitle em, .subtitle cite {{ font-style: normal; }}
.foot {{ position: absolute; left: 3.375rem; right: 3.375rem; bottom: 5.4rem; }}
.foot .names {{ font-size: 1.215rem; letter-spacing: 0.08em; line-height: 1.2; margin-bottom: 0.55rem; }}
.publisher {{ font-size: 0.99rem; font-style: italic; line-height: 1.2; }}
.blurb {{ position: absolute; left: 3.375rem; right: 3.375rem; top: 7.6rem; font-size: 1.05rem; line-height: 1.45; }}
.blurb p + p {{ text-indent: 1.2em; }}
.imprint {{ position: absolute; left: 3.375rem; bottom: 3.375rem; }}
.barcode {{ position: absolute; right: 3.375rem; bottom: 3.375rem;
            width: {_BARCODE_BOX[0]}pt; height: {_BARCODE_BOX[1]}pt; background: #fff; text-align: center; }}
.barcode .isbn {{ font-size: 7.5pt; line-height: 1; padding-top: 8.5pt; letter-spacing: 0.04em; }}
.symbol {{ position: relative; margin: 2pt auto 0; text-align: left; }}
.symbol svg {{ display: block; }}
.digits {{ position: absolute; top: {_BAR_HEIGHT * _MODULE + 0.5:.3f}pt; font-size: 8.5pt; line-height: 1;
           text-align: center; letter-spacing: 0.12em; font-variant-numeric: lining-nums; }}
.spine {{ position: absolute; transform: rotate(90deg); text-align: center; white-space: nowrap; }}
.spine-names {{ letter-spacing: {_SPINE_TRACKING}em; }}
.spine-title {{ font-weight: 600; margin-left: {_SPINE_GAP}em; }}
"""


def _page(doc: Book, body: str) -> str:
    return xhtml_page(plain_text(doc.front.title), doc.front.lang, body, stylesheet=None)


def _with_dates(xhtml: str, options: BuildOptions) -> str:
    """The build's date as the PDF's (never the clock: the same source gives the same bytes)."""
    modified = stamp(options.timestamp)
    tags = f'<meta name="generator" content="{GENERATOR}"/>\n<meta name="dcterms.modified" content="{modified}"/>\n'
    return xhtml.replace("</head>", tags + "</head>", 1)


def _typeset(xhtml: str, css: str):  # noqa: ANN202 - WeasyPrint's Document
    """The cover laid out by WeasyPrint with the body face, reading nothing but its font files."""
    from weasyprint import CSS, HTML  # start-up time (these three): WeasyPrint only when a cover is laid out
    from weasyprint.text.fonts import FontConfiguration

    from .fetch import ConfinedFetcher

    fetcher = ConfinedFetcher([font_dir()])
    font_config = FontConfiguration()
    sheets = [CSS(string=font_face_rules(), url_fetcher=fetcher, font_config=font_config),
              CSS(string=css, url_fetcher=fetcher, font_config=font_config)]
    return HTML(string=xhtml, url_fetcher=fetcher).render(stylesheets=sheets, font_config=font_config)
