"""The printer's wrap cover (`<stem>.cover.pdf`): its spine as wide as the print edition's pages make it
(see typeset/cover.py)."""

from __future__ import annotations

from pathlib import Path

from ..core.model import Book
from ..core.options import BuildOptions
from ..typeset.cover import write_cover
from ..typeset.layout import Layout


def write(doc: Book, out: Path, options: BuildOptions, layout: Layout | None) -> None:
    """Write the cover of `doc` to `out`, for the final page count of the laid-out print edition."""
    assert layout is not None, "the cover needs the print layout: its page count makes the spine"
    write_cover(doc, out, options, len(layout.rendered.pages))
