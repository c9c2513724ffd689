"""The DOCX reader: pandoc's docx reader (`docx+styles`) gives an AST; this turns it into the model.

pressroom's own DOCX (the edition `build --to docx` writes) is read by its named styles
(docx_own.py), any other as an editor writes an interview in Word (docx_editor.py).

Tracked changes are accepted and comments dropped (pandoc's `--track-changes=accept`), images
are dropped with a note, nothing outside the file is read (pandoc runs through the gateway,
core/pandoc.py: sandboxed, with a heap and a time limit). The DOCX is checked as a zip first,
then its XML streamed for what would take pandoc minutes or gigabytes (elements nested hundreds
deep, a paragraph of megabytes): a damaged or hostile DOCX is a `SourceError` (exit 3), located
where the XML says, with nothing written.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.parsers import expat

from ..core import model as m
from ..core.errors import SourceError
from ..core.pandoc import MAX_DEPTH, MAX_PARAGRAPH_CHARS, docx_ast
from ..core.pandoc_ast import style_of
from ..reading.registry import Registry
from .docx_editor import EditorReader
from .docx_own import CUSTOM_XML, OWN_STYLES, OwnReader
from .notes import Note

MAX_UNCOMPRESSED = 64 * 1024 * 1024  # a zip bomb is refused before pandoc sees it
MAX_XML_DEPTH = 4 * MAX_DEPTH  # a table nests three elements a level (tbl, tr, tc); Word's own XML nests a dozen
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "  # expat's namespace, then its separator
_TEXT = frozenset({f"{_W}t", f"{_W}delText", f"{_W}instrText"})


def read(path: Path, data: bytes, registry: Registry) -> tuple[m.Document, tuple[Note, ...]]:
    """The interview in the DOCX `data` (read from `path`, for messages), and the notes for review."""
    parts, xml_bytes = _parts(path, data)
    ast = docx_ast(path, data, xml_bytes)
    notes: list[Note] = []
    if parts.get("word/comments.xml") and b"<w:comment " in parts["word/comments.xml"]:
        notes.append(Note(1, 1, "dropped", "Word comments dropped"))
    if b"<w:ins " in parts["word/document.xml"] or b"<w:del " in parts["word/document.xml"]:
        notes.append(Note(1, 1, "dropped", "tracked changes accepted (insertions kept, deletions removed)"))
    styles = {style_of(block) for block in ast["blocks"] if block["t"] == "Div"}
    reader = OwnReader if styles & OWN_STYLES else EditorReader
    try:
        document = reader(path, registry, notes, parts).document(ast)
    except RecursionError:  # the XML's limit leaves pandoc's AST far shallower; this is the last guard
        raise SourceError(path, 1, 1, "the DOCX is nested too deeply to read") from None
    return document, tuple(notes)


def _parts(path: Path, data: bytes) -> tuple[dict[str, bytes], int]:
    """The few small XML parts read beside pandoc (core properties, the running head, comments, the
    kept front matter), and the size of all the XML pandoc is to parse, each part of it checked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
                raise SourceError(path, 1, 1, f"the DOCX unpacks to more than {MAX_UNCOMPRESSED:,} bytes")
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                raise SourceError(path, 1, 1, "a ZIP archive without word/document.xml: not a DOCX")
            xml = sorted(name for name in names if name.endswith((".xml", ".rels")))
            for name in xml:
                _XmlScan(path, name).check(archive.read(name))
            wanted = {"word/document.xml", "docProps/core.xml", "word/header-verso.xml", "word/comments.xml"}
            wanted |= {name for name in names if CUSTOM_XML.fullmatch(name)}
            xml_bytes = sum(info.file_size for info in infos if info.filename in xml)
            return {name: archive.read(name) for name in sorted(wanted & names)}, xml_bytes
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError, ValueError) as error:
        raise SourceError(path, 1, 1, f"not a readable DOCX (a damaged or truncated zip: {error})") from None


class _XmlScan:
    """One XML part of a DOCX streamed through expat (which keeps no tree, so depth costs it nothing):
    elements nested past `MAX_XML_DEPTH`, a paragraph of more than `MAX_PARAGRAPH_CHARS` or a DTD
    (which Word never writes: an entity bomb's carrier) is a SourceError at its line and column.
    XML that is not well formed is left to pandoc, which says so."""

    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.depth = 0
        self.in_text = 0
        self.paragraphs: list[tuple[int, int, int]] = []  # the open paragraphs: (line, column, characters)

    def check(self, data: bytes) -> None:
        try:
            self.parser.Parse(data, True)
        except expat.ExpatError:
            return

    def start(self, tag: str, attributes: dict) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            self.refuse(f"elements nested more than {MAX_XML_DEPTH} deep (tables within tables?)")
        if tag == f"{_W}p":
            self.paragraphs.append((self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1, 0))
        elif tag in _TEXT:
            self.in_text += 1

    def end(self, tag: str) -> None:
        self.depth -= 1
        if tag == f"{_W}p" and self.paragraphs:
            self.paragraphs.pop()
        elif tag in _TEXT:
            self.in_text -= 1

    def characters(self, text: str) -> None:
        if not (self.in_text and self.paragraphs):
            return
        line, column, count = self.paragraphs[-1]
        self.paragraphs[-1] = (line, column, count + len(text))
        if count + len(text) > MAX_PARAGRAPH_CHARS:
            self.refuse(f"a paragraph of more than {MAX_PARAGRAPH_CHARS:,} characters; split it", line, column)

    def doctype(self, *_: object) -> None:
        self.refuse("a document type declaration, which Word never writes")

    def refuse(self, message: str, line: int | None = None, column: int | None = None) -> None:
        line = line or self.parser.CurrentLineNumber
        column = column or self.parser.CurrentColumnNumber + 1
        raise SourceError(self.path, line, column, f"in {self.name}, {message}")
