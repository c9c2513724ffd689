"""Make styles/reference.docx: pandoc's default reference document plus pressroom's named styles.

Run with `python styles/make_reference_docx.py [OUT]` (pressroom installed). It starts from the reference.docx
that ships with pypandoc's bundled pandoc, defines the paragraph and character styles the DOCX writer
names through `custom-style` (and the Word built-ins its TOC, INDEX, header and footer use),
and makes the page look like the print edition: Spectral (the print face; the font table names
Georgia as its stand-in where Spectral is not installed) for every style, headings, the title and
the subtitle included, in black instead of pandoc's blue theme colour, a 10.5 pt justified body on
14 pt. It writes the zip deterministically (fixed order, fixed timestamps), so running it twice
gives the same bytes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypandoc

from pressroom.core.atomic import atomic_path
from pressroom.core.reprozip import normalize_zip

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference.docx"
SERIF = "Spectral"  # the print edition's face (the fontpkg_spectral package; install it to see it in Word)
FALLBACK = "Georgia"  # a serif nearly every Word has, named in the font table as Spectral's stand-in
SERIF_PANOSE = "02020502060000000000"  # serif, roman: what a word processor matches a missing font by
FONTS = f'<w:rFonts w:ascii="{SERIF}" w:hAnsi="{SERIF}" w:eastAsia="{SERIF}" w:cs="{SERIF}"/>'
# pandoc's blue, theme-font styles
DISPLAY = ("Title", "Subtitle", "TOCHeading", *(f"Heading{n}" for n in range(1, 10)))
ZIP_DATE = datetime(1980, 1, 1, tzinfo=UTC)


BUILT_IN = {"Body Text"}  # Word's built-in styles whose names are not lower case


def _para(style_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str = "BodyText") -> str:
    custom = "" if name.islower() or name in BUILT_IN else ' w:customStyle="1"'  # lower-case names are Word's built-ins
    return (
        f'<w:style w:type="paragraph"{custom} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/><w:qFormat/>'
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


def _char(style_id: str, name: str, rpr: str) -> str:
    return (
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


# styleId -> definition. Names are what pandoc's `custom-style` looks up; the lower-case ones
# are Word's built-in names, so that updating the TOC and INDEX fields uses these styles too.
STYLES = {
    "BodyText": _para(
        "BodyText", "Body Text",
        '<w:spacing w:before="0" w:after="0" w:line="280" w:lineRule="exact"/><w:ind w:firstLine="280"/>'
        '<w:jc w:val="both"/>',
        based_on="Normal",
    ),
    "FirstParagraph": _para("FirstParagraph", "First Paragraph", '<w:ind w:firstLine="0"/>'),
    "Compact": _para("Compact", "Compact", '<w:ind w:firstLine="0"/>'),
    "HeadlineSubtitle": _para(
        "HeadlineSubtitle", "Headline Subtitle",
        '<w:keepNext/><w:spacing w:before="0" w:after="360"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>',
        '<w:i/><w:iCs/><w:sz w:val="26"/><w:szCs w:val="26"/>',
    ),
    "Header": _para(
        "Header", "header", '<w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>',
        '<w:smallCaps/><w:spacing w:val="13"/><w:sz w:val="16"/><w:szCs w:val="16"/>', "Normal",
    ),
    "Footer": _para(
        "Footer", "footer", '<w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>',
        '<w:sz w:val="17"/><w:szCs w:val="17"/>', "Normal",
    ),
    "Headnote": _para("Headnote", "Headnote", '<w:spacing w:before="0" w:after="240"/>', "<w:i/><w:iCs/>"),
    "Introduction": _para("Introduction", "Introduction"),
    "Question": _para(
        "Question", "Question", '<w:keepNext/><w:spacing w:before="280" w:after="0"/><w:ind w:left="360"/>'
    ),
    "Answer": _para("Answer", "Answer"),
    "Imprint": _para(
        "Imprint", "Imprint", '<w:spacing w:before="0" w:after="80"/>', '<w:sz w:val="18"/><w:szCs w:val="18"/>',
        "Normal",
    ),
    "IndexHeading": _para(
        "IndexHeading", "index heading", '<w:keepNext/><w:spacing w:before="240" w:after="60"/>', "<w:b/><w:bCs/>",
        "Normal",
    ),
    "Index1": _para(
        "Index1", "index 1", '<w:spacing w:before="0" w:after="0"/><w:ind w:left="240" w:hanging="240"/>', "", "Normal"
    ),
    "TOC1": _para("TOC1", "toc 1", '<w:spacing w:before="0" w:after="100"/>', "", "Normal"),
    "TOC2": _para("TOC2", "toc 2", '<w:spacing w:before="0" w:after="100"/><w:ind w:left="240"/>', "", "Normal"),
    "TOC3": _para("TOC3", "toc 3", '<w:spacing w:before="0" w:after="100"/><w:ind w:left="480"/>', "", "Normal"),
    "Speaker": _char("Speaker", "Speaker", "<w:b/><w:bCs/><w:smallCaps/>"),
    "FilmTitle": _char("FilmTitle", "Film Title", "<w:i/><w:iCs/>"),
    "Person": _char("Person", "Person", ""),
}


def styles_xml(xml: str) -> str:
    """Pandoc's styles.xml restyled: the serif everywhere (no theme fonts), display styles in black,
    a 10.5 pt body, and pressroom's styles (replacing any of the same id)."""
    xml = re.sub(
        r"(<w:rPrDefault>\s*<w:rPr>\s*)<w:rFonts [^>]*/>(\s*)<w:sz [^>]*/>(\s*)<w:szCs [^>]*/>",
        rf'\1{FONTS}\2<w:sz w:val="21"/>\3<w:szCs w:val="21"/>',
        xml,
        count=1,
    )
    for style_id in DISPLAY:
        xml = re.sub(rf'<w:style [^>]*w:styleId="{style_id}"[^>]*>.*?</w:style>', _display, xml, flags=re.S)
    # every first-level heading opens a part of the book on a new page (the section break before it
    # says so too, but LibreOffice 7.4 runs some sections on from the page before)
    heading1 = r'(<w:style [^>]*w:styleId="Heading1"[^>]*>.*?<w:pPr>)'
    xml = re.sub(heading1, r"\1<w:pageBreakBefore/>", xml, count=1, flags=re.S)
    for style_id in STYLES:
        xml = re.sub(rf'<w:style [^>]*w:styleId="{style_id}"[^>]*>.*?</w:style>\s*', "", xml, flags=re.S)
    return xml.replace("</w:styles>", "".join(STYLES.values()) + "</w:styles>")


def _display(style: re.Match) -> str:
    """A title or heading style in the body face and black: theme fonts and colours replaced."""
    xml = re.sub(r"<w:rFonts [^>]*/>", "", style[0])
    xml = re.sub(r"<w:color [^>]*/>", "", xml)
    run = f'{FONTS}<w:color w:val="000000"/>'
    if "<w:rPr>" in xml:
        return xml.replace("<w:rPr>", "<w:rPr>" + run, 1)
    return xml.replace("</w:style>", f"<w:rPr>{run}</w:rPr></w:style>")


def font_table_xml(xml: str) -> str:
    """The font table with Spectral, a roman (serif) face whose stand-in is Georgia."""
    xml = re.sub(rf'<w:font w:name="{SERIF}">.*?</w:font>\s*', "", xml, flags=re.S)
    font = (
        f'<w:font w:name="{SERIF}"><w:altName w:val="{FALLBACK}"/><w:panose1 w:val="{SERIF_PANOSE}"/>'
        '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    )
    return xml.replace("</w:fonts>", font + "</w:fonts>")


def theme_xml(xml: str) -> str:
    """The theme's heading and body fonts set to the serif, for anything that still asks the theme."""
    latin = r'<a:latin typeface="[^"]*"( panose="[^"]*")?\s*/>'
    return re.sub(latin, f'<a:latin typeface="{SERIF}" panose="{SERIF_PANOSE}"/>', xml)


def main(out: Path = OUT) -> None:
    default = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], check=True, capture_output=True
    ).stdout

    def restyled(name: str, data: bytes) -> bytes:
        if name == "word/styles.xml":
            return styles_xml(data.decode("utf-8")).encode("utf-8")
        if name == "word/fontTable.xml":
            return font_table_xml(data.decode("utf-8")).encode("utf-8")
        if name == "word/theme/theme1.xml":
            return theme_xml(data.decode("utf-8")).encode("utf-8")
        return data

    with atomic_path(out) as tmp:
        tmp.write_bytes(default)
        normalize_zip(tmp, ZIP_DATE, stored=frozenset(), rewrite=restyled)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
