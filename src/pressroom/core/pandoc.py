"""The pandoc gateway: every run of pandoc goes through here, under the same limits.

    markdown_ast(path, text, fmt)    a source's body or front-matter Markdown -> pandoc's JSON AST
    docx_ast(path, data, xml_bytes)  a DOCX to import                         -> pandoc's JSON AST
    write_docx(document, out, ref)   the DOCX edition's AST                   -> the file `out`

Each run is sandboxed (`--sandbox`: pandoc reads and fetches nothing but its input), has a heap
limit (`+RTS -M`) that grows with what pandoc parses, and a time limit; the JSON it gives back is
loaded under Python's recursion limit. A hostile or runaway input (a footnote that cites itself,
tables nested thousands deep, a run of megabytes) so becomes a pressroom error at the file, never
a machine out of memory or a traceback. The callers refuse what they can see before pandoc runs
(nesting past `MAX_DEPTH`, a paragraph past `MAX_PARAGRAPH_CHARS`), with the line and column.
pandoc is the binary pypandoc-binary ships.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypandoc

from .errors import OutputError, PressroomError, SourceError

MAX_DEPTH = 64  # nesting of quotes, lists, notes and tables; deeper is an error, not a crash
MAX_PARAGRAPH_CHARS = 100_000  # about 15,000 words: no interview paragraph comes near it; pandoc takes minutes over one
HEAP_BASE, HEAP_PER_BYTE = 256 << 20, 300  # measured: a 3.8 MB source peaks near 600 MB, a 1.9 MB document.xml 120 MB
HEAP_MAX = 4 << 30  # what pandoc may take of the machine however large its input
SECONDS = 120


def markdown_ast(path: Path, markdown: str, fmt: str) -> dict:
    """pandoc's AST of `markdown` (in pandoc's format `fmt`), read from the source `path`.

    A footnote that cites itself sends pandoc 3.9 into endless recursion: the limits turn that
    into a SourceError instead of a machine out of memory.
    """
    data = markdown.encode("utf-8")
    return _ast(path, ["--from", fmt], data, len(data), "the source",
                "pandoc ran out of memory reading the source (footnotes that cite themselves or each other?)")


def docx_ast(path: Path, data: bytes, xml_bytes: int) -> dict:
    """pandoc's AST of the DOCX `data` (read from `path`): its named styles kept (`docx+styles`),
    tracked changes accepted and comments dropped; `xml_bytes`, the size of its unpacked XML,
    sizes the heap (the zip's own size says little: text compresses ten times and more)."""
    return _ast(path, ["--from", "docx+styles", "--track-changes=accept"], data, xml_bytes, "the DOCX",
                "pandoc ran out of memory reading the DOCX (tables nested very deep?)")


def write_docx(document: dict, out: Path, reference: Path) -> None:
    """Write the pandoc `document` (see pandoc_ast.document) as a DOCX at `out`, styled by `reference`."""
    try:
        data = json.dumps(document).encode("utf-8")
    except RecursionError:
        raise OutputError(f"{out}: the document is nested too deeply for pandoc to write") from None
    args = ["--from", "json", "--to", "docx", f"--output={out}", f"--reference-doc={reference}"]
    _run(args, data, len(data), lambda message: OutputError(f"{out}: {message}"), ("write", "writing", "the DOCX"),
         "pandoc ran out of memory writing the DOCX")


def _ast(path: Path, args: list[str], data: bytes, size: int, what: str, out_of_memory: str) -> dict:
    def error(message: str) -> SourceError:
        return SourceError(path, 1, 1, message)

    output = _run([*args, "--to", "json"], data, size, error, ("read", "reading", what), out_of_memory)
    try:
        return json.loads(output)
    except RecursionError:
        raise error(f"{what} is nested too deeply to read") from None


def _run(args: list[str], data: bytes, size: int, error: Callable[[str], PressroomError], doing: tuple[str, str, str],
         out_of_memory: str) -> bytes:
    """pandoc's standard output for `args` with `data` on its input, `size` the bytes it parses; a
    failure becomes `error(message)`, its message made of `doing`: ("read", "reading", "the DOCX")."""
    verb, verb_ing, what = doing
    heap = min(HEAP_BASE + HEAP_PER_BYTE * size, HEAP_MAX)
    command = [pypandoc.get_pandoc_path(), *args, "--sandbox", "+RTS", f"-M{heap}", "-RTS"]
    try:
        run = subprocess.run(command, input=data, capture_output=True, timeout=SECONDS)
    except subprocess.TimeoutExpired:
        raise error(f"pandoc did not finish {verb_ing} {what} in {SECONDS} s") from None
    if run.returncode != 0:
        if b"Heap exhausted" in run.stderr:
            raise error(out_of_memory)
        lines = run.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit code {run.returncode}"]
        raise error(f"pandoc could not {verb} {what}: {lines[0][:300]}")
    return run.stdout
