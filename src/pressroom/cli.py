"""The `pressroom` command: a thin layer over the reader and the writers.

Every command catches `PressroomError` once, prints its message (for a source
error `file:line:col: message` and the line with a caret) to stderr, and exits
with the error's code. Heavy libraries are imported by the writers that need
them, so `--help` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional, TypeVar

import typer

from . import __version__
from .errors import PressroomError
from .model import Document
from .options import (
    STYLES_DIR,
    BuildOptions,
    build_timestamp,
    parse_length,
    parse_marks,
    parse_pdf_variant,
    parse_trim,
)

app = typer.Typer(
    help="Turn interview sources into a print-ready PDF, an EPUB 3 and a DOCX.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SourcesArg = Annotated[list[Path], typer.Argument(help="Source files (.md).", show_default=False)]
T = TypeVar("T")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pressroom {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Turn interview sources into a print-ready PDF, an EPUB 3 and a DOCX."""


def _reported(action: Callable[[], T]) -> T:
    """Run `action`; a PressroomError becomes a message on stderr and its exit code."""
    try:
        return action()
    except PressroomError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(error.exit_code) from None


def _read(source: Path) -> Document:
    from .reader import read  # pandoc's wrapper; not needed for --help

    return read(source)


@app.command()
def build(
    sources: SourcesArg,
    to: Annotated[str, typer.Option("--to", help="Comma-separated formats: pdf, epub, docx.")] = "pdf,epub,docx",
    out: Annotated[Path, typer.Option("--out", help="Folder the editions are written to.")] = Path("build"),
    styles: Annotated[Path, typer.Option("--styles", help="Folder with print.css, epub.css, reference.docx.")] = STYLES_DIR,
    trim: Annotated[str, typer.Option("--trim", help="PDF page: 6x9, a5, a4, letter, 5.5x8.5in, 148x210mm ...")] = "6x9",
    pdf_variant: Annotated[
        str, typer.Option("--pdf-variant", help="a: PDF/A-3b with the source attached; ua: tagged PDF/UA-1; none.")
    ] = "a",
    bleed: Annotated[Optional[str], typer.Option("--bleed", help="Bleed around the trim, e.g. 3mm.")] = None,  # noqa: UP007
    marks: Annotated[str, typer.Option("--marks", help="Printer's marks in the bleed: crop, cross.")] = "",
) -> None:
    """Write OUT/<source stem>.pdf, .epub and .docx for each SOURCE."""

    def run() -> None:
        from .writers import writer_for

        formats = [fmt.strip() for fmt in to.split(",") if fmt.strip()]
        writers = [(fmt, writer_for(fmt)) for fmt in formats]  # an unknown format fails before any work
        print_options = {
            "trim": parse_trim(trim),
            "pdf_variant": parse_pdf_variant(pdf_variant),
            "bleed": parse_length(bleed, "bleed") if bleed else None,
            "marks": parse_marks(marks),
        }
        for source in sources:
            doc = _read(source)
            options = BuildOptions(
                styles_dir=styles.resolve(), timestamp=build_timestamp(doc.front.date), **print_options
            )
            for fmt, write in writers:
                write(doc, out / f"{source.stem}.{fmt}", options)
                typer.echo(f"{source}: wrote {out / f'{source.stem}.{fmt}'}")

    _reported(run)


@app.command()
def check(sources: SourcesArg) -> None:
    """Read and check each SOURCE without writing anything."""

    def run() -> None:
        for source in sources:
            doc = _read(source)
            films = sum(len(e.locators) for e in doc.index.films)
            typer.echo(f"{source}: ok ({len(doc.index.films)} films, {films} film mentions)")

    _reported(run)


@app.command()
def index(
    source: Annotated[Path, typer.Argument(help="Source file (.md).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Print the film index and the index of names of SOURCE."""
    doc = _reported(lambda: _read(source))
    if as_json:
        sys.stdout.write(json.dumps(index_as_dict(doc), ensure_ascii=False, indent=2) + "\n")
        return
    for title, entries in (("Films", doc.index.films), ("Names", doc.index.people)):
        typer.echo(title)
        for entry in entries:
            detail = f" ({entry.detail})" if entry.detail else ""
            typer.echo(f"  {entry.heading}{detail}: {len(entry.locators)}")


def index_as_dict(doc: Document) -> dict:
    """The indexes as plain data: what `pressroom index --json` prints."""

    def locators(entry):  # noqa: ANN001, ANN202
        return [{"anchor": loc.anchor, "part": loc.part} for loc in entry.locators]

    films = [
        {
            "key": e.key, "title": doc.films[e.key].title, "year": doc.films[e.key].year,
            "director": doc.films[e.key].director, "sort_key": e.sort_key,
            "mentions": len(e.locators), "locators": locators(e),
        }
        for e in doc.index.films
    ]
    people = [
        {"key": e.key, "name": doc.people[e.key].name, "sort_key": e.sort_key,
         "mentions": len(e.locators), "locators": locators(e)}
        for e in doc.index.people
    ]
    return {"source": str(doc.source_name), "films": films, "people": people}
