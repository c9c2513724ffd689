"""The edition writers, one module each, registered in one table.

Every writer has the same shape: `write(doc, out, options)` renders the model
`doc` to the file `out`, atomically, and reads nothing but the model and the
styles folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import UsageError
from ..model import Document
from ..options import BuildOptions
from . import docx, epub, pdf

Writer = Callable[[Document, Path, BuildOptions], None]

WRITERS: dict[str, Writer] = {"pdf": pdf.write, "epub": epub.write, "docx": docx.write}


def writer_for(fmt: str) -> Writer:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise UsageError(f"unknown format '{fmt}' (known: {', '.join(WRITERS)})") from None
