"""The DOCX edition's page: size and mirrored margins from the trim, running heads and folios.

The book is cut into Word sections as the print edition is into page sequences: the front matter
(title page, imprint, contents) has no head and no folio; every later part (the opening, the
interview, each index) starts a section whose first page has a folio and no head, whose versos
carry the book's running head and whose rectos carry the part's title, with the folio at the foot.
A section's properties (`sectPr`) end it: in an empty paragraph for every section but the last,
whose properties close the body (pandoc writes the reference document's there; they are replaced).
The header and footer parts are added to the package with their relationships and content types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..core.errors import OutputError
from ..core.options import trim_points

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"

# print.css's page margins in points: the text block sits where the print edition's does
MARGIN_TOP, MARGIN_OUTER, MARGIN_BOTTOM, MARGIN_INNER = 54, 45, 62, 54
HEADER_FROM_EDGE, FOOTER_FROM_EDGE = 27, 31  # the running head and the folio, in the margins
TWIPS = 20  # twentieths of a point per point


@dataclass(frozen=True)
class Section:
    """One Word section: `head` is what its rectos carry ("" for the front matter: no head, no folio)."""

    head: str
    odd_page: bool = False  # begins on a recto, as the print edition's opening does


def part_name(i: int) -> str:
    return f"word/header-part{i}.xml"


def section_properties(sections: list[Section], index: int, trim: str) -> str:
    """The `sectPr` of section `index`: page, margins and the header and footer it uses.

    Every section names all six of its parts (the verso head, the empty first-page head and the folio
    are shared): LibreOffice 7.4 runs a section that names fewer, inheriting the rest as Word
    would, on from the page before instead of starting a new one."""
    section = sections[index]
    width, height = trim_points(trim)
    refs = []
    if not section.head:
        refs = [_ref("header", kind, "rIdPressroomEmptyHeader") for kind in ("default", "even", "first")]
        refs += [_ref("footer", kind, "rIdPressroomEmptyFooter") for kind in ("default", "even", "first")]
    else:
        refs.append(_ref("header", "default", f"rIdPressroomRecto{index}"))
        refs.append(_ref("header", "even", "rIdPressroomVerso"))
        refs.append(_ref("header", "first", "rIdPressroomEmptyHeader"))
        refs += [_ref("footer", kind, "rIdPressroomFolio") for kind in ("default", "even", "first")]
    kind = "oddPage" if section.odd_page else "nextPage"
    return (
        f'<w:sectPr>{"".join(refs)}'
        '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
        f'<w:type w:val="{kind}"/>'
        f'<w:pgSz w:w="{round(width * TWIPS)}" w:h="{round(height * TWIPS)}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP * TWIPS}" w:right="{MARGIN_OUTER * TWIPS}" '
        f'w:bottom="{MARGIN_BOTTOM * TWIPS}" w:left="{MARGIN_INNER * TWIPS}" '
        f'w:header="{HEADER_FROM_EDGE * TWIPS}" w:footer="{FOOTER_FROM_EDGE * TWIPS}" w:gutter="0"/>'
        + ("<w:titlePg/>" if section.head else "")
        + "</w:sectPr>"
    )


def section_break(sections: list[Section], index: int, trim: str) -> str:
    """The empty paragraph that ends section `index` (every section but the last)."""
    return f"<w:p><w:pPr>{section_properties(sections, index, trim)}</w:pPr></w:p>"


def _ref(part: str, kind: str, rid: str) -> str:
    return f'<w:{part}Reference w:type="{kind}" r:id="{rid}"/>'


def parts(sections: list[Section], running_head: str) -> dict[str, tuple[str, str, bytes]]:
    """The header and footer parts: zip name -> (relationship id, part kind, XML)."""
    out = {
        "word/header-empty.xml": ("rIdPressroomEmptyHeader", "header", _hdr("hdr", "Header", "")),
        "word/footer-empty.xml": ("rIdPressroomEmptyFooter", "footer", _hdr("ftr", "Footer", "")),
        "word/header-verso.xml": ("rIdPressroomVerso", "header", _hdr("hdr", "Header", _run(running_head))),
        "word/footer-folio.xml": ("rIdPressroomFolio", "footer", _hdr("ftr", "Footer", _page_field())),
    }
    for i, section in enumerate(sections):
        if section.head:
            out[part_name(i)] = (f"rIdPressroomRecto{i}", "header", _hdr("hdr", "Header", _run(section.head)))
    return out


def _hdr(root: str, style: str, runs: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p></w:{root}>'
    ).encode()


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""


def _page_field() -> str:
    """The folio: a PAGE field (its cached result is a placeholder Word and LibreOffice replace)."""
    return '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'


def relationships(xml: str, added: dict[str, tuple[str, str, bytes]]) -> str:
    """document.xml.rels with a relationship to every added part."""
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{name.removeprefix("word/")}"/>'
        for name, (rid, kind, _) in added.items()
    )
    return _insert_before(xml, "</Relationships>", rels)


def content_types(xml: str, added: dict[str, tuple[str, str, bytes]]) -> str:
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{CONTENT_TYPE.format(kind)}"/>'
        for name, (_, kind, _) in added.items()
    )
    return _insert_before(xml, "</Types>", overrides)


def settings(xml: str) -> str:
    """settings.xml with mirrored margins, separate verso and recto heads, and automatic hyphenation
    (each inserted where the schema's element order puts it)."""
    xml = _insert_before(xml, re.compile(r"<w:(proofState|stylePaneFormatFilter|doNotTrackMoves|defaultTabStop)\b"),
                         "<w:mirrorMargins/>")
    return _insert_before(
        xml, re.compile(r"<w:(drawingGridHorizontalSpacing|drawingGridVerticalSpacing|displayHorizontalDrawingGridEvery"
                        r"|characterSpacingControl|compat|rsids|themeFontLang)\b"),
        '<w:autoHyphenation/><w:evenAndOddHeaders/>',
    )


def body(xml: str, last_section: str) -> str:
    """document.xml with the body's closing `sectPr` (pandoc's, from the reference) replaced."""
    new, count = re.subn(r"<w:sectPr\b(?:(?!<w:sectPr\b).)*?</w:sectPr>\s*(?=</w:body>)", last_section, xml, flags=re.S)
    if count != 1:
        raise OutputError("docx: pandoc wrote no section properties at the end of the body")
    return new.replace("<w:document ", f'<w:document xmlns:r="{R_NS}" ', 1) if "xmlns:r=" not in new[:2000] else new


def _insert_before(xml: str, anchor: str | re.Pattern, insert: str) -> str:
    match = re.search(anchor if isinstance(anchor, re.Pattern) else re.escape(anchor), xml)
    if not match:
        raise OutputError(f"docx: no place for {insert[:40]}... in a part pandoc wrote")
    return xml[: match.start()] + insert + xml[match.start():]
