"""The edition writers, one module each, registered in one table.

Every writer has the same shape: `write(doc, out, options, layout)` renders the
model `doc` to the file `out` (a temporary file the build renames into place)
and reads nothing but the model, the styles folder and, for the writers that
print page numbers, the print `layout` the build made once for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..core.errors import UsageError
from ..core.model import Document
from ..core.options import BuildOptions
from . import cover, docx, epub, kepub, pdf, web

if TYPE_CHECKING:
    from ..typeset.layout import Layout


@dataclass(frozen=True)
class Writer:
    """An edition's writer, and whether it needs the print layout (else it runs beside the layout)."""

    write: Callable[[Document, Path, BuildOptions, Layout | None], None]
    style: str  # the file of the styles folder it is made with
    needs_layout: bool
    suffix: str = ""  # what its file's name ends in, when not the format's name ("cover.pdf")


WRITERS: Mapping[str, Writer] = MappingProxyType({
    "pdf": Writer(pdf.write, "print.css", needs_layout=True),
    "epub": Writer(epub.write, "epub.css", needs_layout=True),  # its page-list and index print the print pages
    # the EPUB made for Kobo's own engine, as kepubify makes it
    "kepub": Writer(kepub.write, "epub.css", needs_layout=True, suffix="kepub.epub"),
    "docx": Writer(docx.write, "reference.docx", needs_layout=False),  # mostly waits on pandoc
    # the web edition, a folder <stem>.html/: its print page markers and locators are the print edition's
    "html": Writer(web.write, "web.css", needs_layout=True),
    # the wrap cover: laid out with the book (print.css), whose page count makes its spine
    "cover": Writer(cover.write, "print.css", needs_layout=True, suffix="cover.pdf"),
})


def writer_for(fmt: str) -> Writer:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise UsageError(f"unknown format '{fmt}' (known: {', '.join(WRITERS)})") from None
