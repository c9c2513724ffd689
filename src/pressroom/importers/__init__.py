"""`pressroom import`: foreign files in, pressroom sources out, one reader module per kind of input.

    input bytes ──format_of──▶ READERS[kind] ──▶ model.Document + notes ──writers/source.py──▶ DIR/<stem>.md

A reader is `read(path, content, registry) -> (Document, notes)` and is registered
in `READERS` under the kind `format_of` tells from the content (then the
extension): plain text, HTML, Markdown, subtitles (WebVTT, SRT, transcription
services' exports), DOCX and office files (whose readers get the bytes: `BINARY`).
Text is decoded as a browser would (charset.py). The transcript readers cut their
input into pieces that one reading interprets (transcript.py: headline, turns,
speakers, timecodes), so a transcript means the same in every format. Each builds
the same model the source reader does, so the source writer that every importer
shares is the one `read(write(doc)) == doc` tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from ..core.atomic import atomic_paths
from ..core.errors import PressroomError, SourceError
from ..core.model import Document, MentionKind, Text, Turn
from ..reading.index import mentions
from ..reading.proposed import FILE as PROPOSED_FILE
from ..reading.proposed import load as load_proposed
from ..reading.reader import read
from ..reading.registry import Registry, load_registry, read_limited
from ..writers.source import write_source
from . import charset, docx, html, markdown, office, proposals, subtitles, text
from .notes import Note

# it may add to the registry (see proposals.py)
Reader = Callable[[Path, str, Registry], tuple[Document, tuple[Note, ...]]]

READERS: Mapping[str, Reader] = MappingProxyType({
    "text": text.read,
    "html": html.read,
    "markdown": markdown.read,
    "docx": docx.read,  # type: ignore[dict-item]  # reads the bytes (see BINARY)
    "office": office.read,  # type: ignore[dict-item]  # .doc, .rtf, .odt ... converted to DOCX by LibreOffice
    "subtitles": subtitles.read,  # WebVTT, SRT and transcription services' exports
})
BINARY = frozenset({"docx", "office"})  # readers handed the file's bytes, not decoded text

MAX_IMPORT_BYTES = 2 * 1024 * 1024  # text and HTML: what the reader accepts as a source; an interview is far smaller
MAX_DOCX_BYTES = 32 * 1024 * 1024  # a Word or office file carries its photographs (dropped on import) and fonts
_IMPORTED = "pressroom imports plain text, HTML, Markdown, DOCX and office documents"
_BINARY_MAGIC = MappingProxyType({
    b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    # an OLE file with Word's stream in it is "office" (format_of asks office.py first)
    office.OLE: "an Office file that holds no Word document (a spreadsheet? a presentation?)",
})


class ExistsError(PressroomError):
    """`import` would overwrite a source that exists (and --force was not given)."""

    exit_code = 6


@dataclass(frozen=True)
class Imported:
    """What one input became: the source written, its model and the notes for review."""

    input: Path
    output: Path
    document: Document
    notes: tuple[Note, ...]
    proposed: tuple[str, ...] = ()  # keys of the films it added to films.proposed.yaml

    @property
    def turns(self) -> int:
        return sum(isinstance(block, Turn) for block in self.document.interview)


def format_of(path: Path, data: bytes) -> str:
    """The kind of input, by content first, then by extension; a binary file is an error."""
    head = data[:4096]
    suffix = path.suffix.casefold()
    if office.kind_of(data, suffix):  # an ODF zip, an OLE file holding Word's stream, RTF ...; see office.py
        return "office"
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".docx" or b"word/" in data[:65536]:
            return "docx"
        raise SourceError(path, 1, 1, f"a ZIP archive, not text; {_IMPORTED}")
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise SourceError(path, 1, 1, f"{what}, not text; {_IMPORTED}")
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data:
        offset = data.index(b"\x00")
        line = data[:offset].count(b"\n") + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise SourceError(path, line, column,
                          f"a binary file (a NUL byte), not text; {_IMPORTED}")
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix == ".docx":
        return "docx"
    if suffix in (".md", ".markdown", ".mdown", ".mkd"):
        return "markdown"
    if subtitles.kind_of(data, suffix):  # .vtt, .srt, WEBVTT, an SRT cue first, an Otter or Rev export
        return "subtitles"
    return "markdown" if markdown.sniff(data[:65536].decode("utf-8", "replace")) else "text"


def import_file(path: Path, out_dir: Path, registry_dir: Path, force: bool = False, verify: bool = True,
                headline: tuple[str | None, str | None] = (None, None)) -> Imported:
    """Read `path`, write `out_dir/<stem>.md` (and new proposals to `out_dir/films.proposed.yaml`);
    never over an existing source unless `force`. `headline`: a title and subtitle that replace the
    input's (`--title`, `--subtitle`)."""
    out = out_dir / f"{path.stem}.md"
    if out.exists() and not force:
        raise ExistsError(f"{out}: exists; pressroom import does not overwrite a source (use --force)")
    data = read_limited(path, "file", MAX_DOCX_BYTES)
    kind = format_of(path, data)
    limit = MAX_DOCX_BYTES if kind in BINARY else MAX_IMPORT_BYTES
    if len(data) > limit:
        message = f"the file is {len(data):,} bytes; pressroom imports a {kind} file of at most {limit:,}"
        raise SourceError(path, 1, 1, message)
    dropped: list[Note] = []
    if kind in BINARY:
        content: str | bytes = data
    else:
        decoded, encoding_notes = charset.decode(path, data, html=kind == "html")
        content = decoded.replace("\r\n", "\n").replace("\r", "\n")
        content, dropped = _without_control_characters(path, content)
        dropped += encoding_notes
    registry = load_registry(registry_dir)
    known = Registry({k: dict(entries) for k, entries in registry.entries.items()}, dict(registry.defined_at))
    earlier = load_proposed(out_dir, known)  # the same italics in another input are the same proposal
    document, notes = READERS[kind](path, content, known)
    if any(headline):
        document, notes = _retitled(document, notes, *headline)
    notes = tuple(sorted((*dropped, *notes), key=lambda n: (n.line, n.column)))
    proposed = {key for (k, key), where in known.defined_at.items() if k is MentionKind.FILM and where == PROPOSED_FILE}
    new = [film for key, film in known.entries[MentionKind.FILM].items() if key in proposed and key not in earlier]
    # `check` reads the registries beside the source: entries it uses from elsewhere go in its front matter
    beside = registry if registry_dir.resolve() == out_dir.resolve() else load_registry(out_dir)
    used = {(mention.kind, mention.key) for _, mention in mentions(document)}

    def entries(with_proposals: bool) -> dict:
        return {k: {key: entry for key, entry in table.items()
                    if (with_proposals or k is not MentionKind.FILM or key not in proposed)
                    and (key in beside.entries[k] or (k, key) in used or key not in registry.entries[k])}
                for k, table in known.entries.items()}

    # proposals are in no registry: the source names them by key=, and `check` refuses them until accepted
    document = replace(document, registry=entries(with_proposals=False))
    outputs = [out, out_dir / PROPOSED_FILE] if new else [out]
    with atomic_paths(outputs) as tmps:
        if verify:  # as if every proposal were in films.yaml: nothing else may be refused
            tmps[0].write_text(write_source(replace(document, registry=entries(with_proposals=True)), beside.entries),
                               encoding="utf-8")
            _verify(tmps[0], out, path)
        tmps[0].write_text(write_source(document, beside.entries), encoding="utf-8")
        if new:
            tmps[1].write_text(proposals.appended(out_dir / PROPOSED_FILE, new), encoding="utf-8")
    return Imported(path, out, document, notes, tuple(film.key for film in new))


def _verify(tmp: Path, out: Path, path: Path) -> None:
    """The written source must pass `check`; if not, the input gives no source (exit 3), and nothing is written."""
    try:
        read(tmp)
    except SourceError as error:
        error.path = out
        raise SourceError(path, 1, 1, f"this input gives no source that check accepts; fix it and import it again "
                                      f"(the source would fail at {error.path}:{error.line}:{error.column}: "
                                      f"{error.message})") from None


def _retitled(document: Document, notes: tuple[Note, ...], title: str | None, subtitle: str | None
              ) -> tuple[Document, tuple[Note, ...]]:
    """The document under the title and subtitle given on the command line; the notes on a guessed headline go."""
    front = document.front
    front = replace(front, title=(Text(title),) if title else front.title,
                    subtitle=(Text(subtitle),) if subtitle is not None and subtitle else
                    () if subtitle is not None else front.subtitle)
    return replace(document, front=front), tuple(note for note in notes if note.kind != "headline")


def _without_control_characters(path: Path, content: str) -> tuple[str, list[Note]]:
    """Control characters (form feeds, escapes ...) are dropped, each with a note: a source may not hold them."""
    notes = []
    lines = content.split("\n")
    for number, line in enumerate(lines, 1):
        for column, char in enumerate(line, 1):
            if char != "\t" and (ord(char) < 32 or ord(char) == 127):
                notes.append(Note(number, column, "dropped", f"dropped the control character U+{ord(char):04X}"))
    if not notes:
        return content, []
    kept = (char for char in content if char in "\n\t" or not (ord(char) < 32 or ord(char) == 127))
    cleaned = "".join(" " if char == "\t" else char for char in kept)
    return cleaned, notes
