"""Make styles/reference.docx: pandoc's default reference document plus pressroom's named styles.

Run with `python styles/make_reference_docx.py [OUT]` (pressroom installed). It starts from the reference.docx that ships
with pypandoc's bundled pandoc, defines the paragraph and character styles the DOCX writer
names through `custom-style` (and the Word built-ins its TOC and INDEX fields use), sets a serif
font, and writes the zip deterministically (fixed order, fixed timestamps), so running it twice
gives the same bytes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pypandoc

from pressroom.atomic import atomic_path
from pressroom.reprozip import normalize_zip

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference.docx"
SERIF = "Georgia"
SERIF_PANOSE = "02040502050405020303"
ZIP_DATE = datetime(1980, 1, 1, tzinfo=timezone.utc)


def _para(style_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str = "BodyText") -> str:
    custom = "" if name.islower() else ' w:customStyle="1"'  # lower-case names are Word's built-ins
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
    "Headnote": _para("Headnote", "Headnote", '<w:spacing w:before="0" w:after="240"/>', "<w:i/><w:iCs/>"),
    "Introduction": _para("Introduction", "Introduction"),
    "Question": _para("Question", "Question", '<w:keepNext/><w:spacing w:before="360" w:after="120"/><w:ind w:left="360"/>'),
    "Answer": _para("Answer", "Answer"),
    "Imprint": _para(
        "Imprint", "Imprint", '<w:spacing w:before="0" w:after="80"/>', '<w:sz w:val="18"/><w:szCs w:val="18"/>', "Normal"
    ),
    "IndexHeading": _para(
        "IndexHeading", "index heading", '<w:keepNext/><w:spacing w:before="240" w:after="60"/>', "<w:b/><w:bCs/>", "Normal"
    ),
    "Index1": _para("Index1", "index 1", '<w:spacing w:before="0" w:after="0"/><w:ind w:left="240" w:hanging="240"/>', "", "Normal"),
    "TOC1": _para("TOC1", "toc 1", '<w:spacing w:before="0" w:after="100"/>', "", "Normal"),
    "TOC2": _para("TOC2", "toc 2", '<w:spacing w:before="0" w:after="100"/><w:ind w:left="240"/>', "", "Normal"),
    "TOC3": _para("TOC3", "toc 3", '<w:spacing w:before="0" w:after="100"/><w:ind w:left="480"/>', "", "Normal"),
    "Speaker": _char("Speaker", "Speaker", "<w:b/><w:bCs/><w:smallCaps/>"),
    "FilmTitle": _char("FilmTitle", "Film Title", "<w:i/><w:iCs/>"),
    "Person": _char("Person", "Person", ""),
}


def styles_xml(xml: str) -> str:
    """Pandoc's styles.xml with a serif default font and pressroom's styles (replacing any of the same id)."""
    xml = re.sub(
        r"(<w:rPrDefault>\s*<w:rPr>\s*)<w:rFonts [^>]*/>",
        rf'\1<w:rFonts w:ascii="{SERIF}" w:hAnsi="{SERIF}" w:cs="{SERIF}" w:eastAsiaTheme="minorEastAsia"/>',
        xml,
        count=1,
    )
    for style_id in STYLES:
        xml = re.sub(rf'<w:style [^>]*w:styleId="{style_id}"[^>]*>.*?</w:style>\s*', "", xml, flags=re.S)
    return xml.replace("</w:styles>", "".join(STYLES.values()) + "</w:styles>")


def theme_xml(xml: str) -> str:
    """The theme's heading and body fonts set to the serif (Title and headings use the theme's)."""
    return re.sub(r'<a:latin typeface="[^"]*"( panose="[^"]*")?\s*/>', f'<a:latin typeface="{SERIF}" panose="{SERIF_PANOSE}"/>', xml)


def main(out: Path = OUT) -> None:
    default = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], check=True, capture_output=True
    ).stdout

    def restyled(name: str, data: bytes) -> bytes:
        if name == "word/styles.xml":
            return styles_xml(data.decode("utf-8")).encode("utf-8")
        if name == "word/theme/theme1.xml":
            return theme_xml(data.decode("utf-8")).encode("utf-8")
        return data

    with atomic_path(out) as tmp:
        tmp.write_bytes(default)
        normalize_zip(tmp, ZIP_DATE, stored=frozenset(), rewrite=restyled)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
