"""The text of an input's bytes, in the encoding a browser would read it in.

A byte order mark first; then, for a web page, the charset it declares (`<meta charset>` or the
HTTP-equiv Content-Type), with the WHATWG's labels (latin1 and ascii are windows-1252, as every
browser reads them); then UTF-8, if the bytes are UTF-8; then charset-normalizer's detection.
Whatever is not UTF-8 is said in a note naming the encoding, and how it was chosen.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from types import MappingProxyType

from ..core.errors import SourceError
from ..reading.registry import decode_utf8
from .notes import Note

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_WHATWG = MappingProxyType({  # labels browsers read as another encoding (encoding.spec.whatwg.org)
    "iso-8859-1": "windows-1252", "latin1": "windows-1252", "latin-1": "windows-1252", "l1": "windows-1252",
    "us-ascii": "windows-1252", "ascii": "windows-1252", "iso8859-1": "windows-1252", "cp819": "windows-1252",
    "x-sjis": "shift_jis", "iso-8859-9": "windows-1254", "tis-620": "windows-874", "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman", "unicode": "utf-16", "utf-16le": "utf-16", "gb2312": "gbk",
})


def decode(path: Path, data: bytes, html: bool) -> tuple[str, tuple[Note, ...]]:
    """The text of `data` (read from `path`) and a note when it was not UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError:
                message = f"not {encoding} text, though it begins with its byte order mark"
                raise SourceError(path, 1, 1, message) from None
    declared = _declared(data) if html else None
    if declared and declared not in ("utf-8", "utf-16"):  # a page saved as UTF-8 may still say utf-16
        text = data.decode(declared, errors="replace")  # as a browser does
        note = f"read as {declared}, the encoding the page declares"
        if bad := text.count("\ufffd"):
            note += f"; {bad} byte(s) that are no {declared} character became U+FFFD"
        return text, (Note(1, 1, "encoding", note),)
    try:
        return decode_utf8(path, data), ()
    except SourceError as error:
        guessed = _detected(data)
        if guessed is None:
            error.message += "; and no other encoding fits it: convert it to UTF-8 first"
            raise
        encoding, text = guessed
        return text, (Note(error.line, error.column, "encoding",
                           f"not UTF-8 (first at this byte): read as {encoding}, the encoding its bytes suggest; "
                           "check the accented letters and quotation marks"),)


def _declared(data: bytes) -> str | None:
    """The encoding a page's `<meta>` declares in its first 4 KiB, as Python names it."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").casefold()
    label = _WHATWG.get(label, label)
    try:
        return codecs.lookup(label).name  # windows-1252 is Python's cp1252
    except LookupError:
        return None


def _detected(data: bytes) -> tuple[str, str] | None:
    """The encoding charset-normalizer finds most likely, and the text in it."""
    from charset_normalizer import from_bytes  # start-up time: only a text that is not UTF-8 needs it

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    return best.encoding, str(best)
