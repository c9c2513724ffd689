"""An editor's interview as Word makes it, written with python-docx: what `import` reads from a
DOCX that pressroom did not write (Title and Subtitle paragraphs, an italic standfirst, bold
labels, italic film titles, a Quote paragraph, a footnote, a tracked change and a comment)."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>\
<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>\
<w:r><w:t xml:space="preserve"> Baker shot </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>Tangerine</w:t></w:r>\
<w:r><w:t xml:space="preserve"> on three phones.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""
FOOTNOTE_CALL = ('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/></w:rPr>'
                 '<w:footnoteReference w:id="1"/></w:r>')
TRACKED = ('<w:del w:id="101" w:author="Editor" w:date="2025-03-01T10:00:00Z">'
           '<w:r><w:delText xml:space="preserve">rather </w:delText></w:r></w:del>'
           '<w:ins w:id="102" w:author="Editor" w:date="2025-03-01T10:00:00Z">'
           '<w:r><w:t xml:space="preserve">very </w:t></w:r></w:ins>')

FOOTNOTES_RELATIONSHIP = (b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                          b'relationships/footnotes" Target="footnotes.xml"/>')
FOOTNOTES_TYPE = (b'<Override PartName="/word/footnotes.xml" '
                  b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')


def _label(paragraph, label: str, text: list[tuple[str, bool]]) -> None:
    paragraph.add_run(f"{label}:").bold = True
    paragraph.add_run(" ")
    for words, italic in text:
        paragraph.add_run(words).italic = italic


def editor_docx(path: Path) -> Path:
    """The editor's transcript at `path` (films in italics against source/films.yaml)."""
    document = docx.Document()
    document.add_paragraph("Shooting on a Phone", style="Title")
    document.add_paragraph("Sean Baker on the Making of Tangerine", style="Subtitle")
    standfirst = document.add_paragraph()
    standfirst.add_run("With Anora winning five Oscars, we’re reposting our interview with Sean Baker.").italic = True
    intro = document.add_paragraph("Before ")
    intro.add_run("Anora").italic = True
    intro.add_run(" there was ")
    intro.add_run("Tangerine").italic = True
    intro.add_run(", shot on phones.")
    comment_on = document.add_paragraph()
    _label(comment_on, "Q", [("Why phones, in the end?", False)])
    document.add_comment(comment_on.runs[-1], text="Check this against the tape.", author="Editor")
    _label(document.add_paragraph(), "Baker", [("Money first. ", False), ("Starlet", True),
                                                (" taught me that, and ", False), ("Four Letter Words", True),
                                                (" before it, as Samantha Quan says.", False)])
    document.add_paragraph("And then freedom, as a line I love says:")
    if "Quote" not in [s.name for s in document.styles]:
        document.styles.add_style("Quote", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Nobody looks twice at a man holding a phone.", style="Quote")
    _label(document.add_paragraph(), "Q", [("And the adapter? It ", False), ("really", True), (" worked?", False)])
    tracked = document.add_paragraph()
    _label(tracked, "Baker", [("It was TRACKED cheap.", False)])
    tracked.add_run("FOOTNOTE")
    document.add_paragraph("Here is a picture we drop:")
    document.add_picture(io.BytesIO(_png()))
    document.save(path)
    _patch(path)
    return path


def _png() -> bytes:
    """A 1×1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _patch(path: Path) -> None:
    """What python-docx cannot write: a tracked change and a footnote (its part, relationship and content type)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                tracked = f'<w:r><w:t xml:space="preserve">It was </w:t></w:r>{TRACKED}<w:r><w:t>cheap.</w:t></w:r>'
                placeholder = r"<w:r>(?:(?!<w:r>).)*?<w:t>It was TRACKED cheap\.</w:t></w:r>"
                text = re.sub(placeholder, tracked, text, flags=re.S)
                text = re.sub(r"<w:r>(?:(?!<w:r>).)*?<w:t>FOOTNOTE</w:t></w:r>", FOOTNOTE_CALL, text, flags=re.S)
                data = text.encode("utf-8")
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", FOOTNOTES_RELATIONSHIP + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", FOOTNOTES_TYPE + b"</Types>")
            out.writestr(info, data)
        out.writestr("word/footnotes.xml", FOOTNOTES)
    shutil.move(tmp, path)
