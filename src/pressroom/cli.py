"""The `pressroom` command: a thin layer over the reader and the writers.

Every command catches `PressroomError` once, prints its message (for a source
error `file:line:col: message` and the line with a caret) to stderr, and exits
with the error's code. Heavy libraries are imported by the writers that need
them, so `--help` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from . import __version__
from .core.atomic import atomic_path
from .core.errors import CheckError, OutputError, PressroomError, UsageError
from .core.model import Book, Collection, Turn, plain_text
from .core.options import STYLES_DIR, BuildOptions, build_timestamp, parse_paper, parse_source_date_epoch
from .core.signals import terminate_cleanly
from .typeset.printers import print_settings

app = typer.Typer(
    help="Turn interview sources into a print-ready PDF, an EPUB 3 and a DOCX.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SourcesArg = Annotated[
    list[Path], typer.Argument(help="Source files (.md) or collections (.collection.yaml).", show_default=False)
]
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
    except OSError as error:  # a write outside the editions' own (atomic_paths turns theirs into OutputError)
        typer.echo(f"{error.filename or 'pressroom'}: {error.strerror or error}", err=True)
        raise typer.Exit(OutputError.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: earlier outputs are as they were", err=True)
        raise typer.Exit(130) from None


def _read(source: Path) -> Book:
    from .reading.collection import read_book  # start-up time: pandoc's wrapper, not needed for --help

    return read_book(source)


@app.command()
def build(
    sources: SourcesArg,
    to: Annotated[
        str, typer.Option("--to", help="Comma-separated formats: pdf, epub, kepub, docx, html, cover.")
    ] = "pdf,epub,docx",
    out: Annotated[Path, typer.Option("--out", help="Folder the editions are written to.")] = Path("build"),
    styles: Annotated[
        Path, typer.Option("--styles", help="Folder with print.css, epub.css, reference.docx.")
    ] = STYLES_DIR,
    trim: Annotated[
        str | None, typer.Option("--trim", help="PDF page: 6x9 (default), a5, a4, letter, 5.5x8.5in, 148x210mm ...")
    ] = None,
    pdf_variant: Annotated[
        str | None,
        typer.Option("--pdf-variant", help="a (default): tagged PDF/A-3a with the source attached; ua: PDF/UA-1; "
                     "x4: PDF/X-4 with a CMYK output intent; none."),
    ] = None,
    bleed: Annotated[str | None, typer.Option("--bleed", help="Bleed around the trim, e.g. 3mm.")] = None,
    marks: Annotated[str, typer.Option("--marks", help="Printer's marks in the bleed: crop, cross.")] = "",
    paper: Annotated[
        str, typer.Option("--paper", help="The print edition's paper, for the cover's spine: white, cream, color.")
    ] = "white",
    printer: Annotated[
        str | None, typer.Option("--printer", help="kdp, ingram or archive: the variant, bleed and marks it asks for.")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Sources built at once (default: the number of cores).")
    ] = None,
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Build the other sources after one fails.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="Write a JSON report of the batch here.")] = None,
    bag: Annotated[Path | None, typer.Option("--bag", help="Also write a BagIt bag of editions and sources.")] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS",
                     help="Build on this Dask cluster (tcp://HOST:PORT) instead of here; see README."),
    ] = None,
) -> None:
    """Write OUT/<source stem>.pdf, .epub and .docx (and .kepub.epub with --to kepub, the web edition's folder
    .html with --to html, .cover.pdf with --to cover) for each SOURCE, and OUT/SHA256SUMS."""

    def run() -> int:
        # Start-up time: the pipeline (pandoc's wrapper, the writers) is imported when a build runs, not for --help.
        from .build.batch import build_all, default_jobs
        from .build.fixity import make_bag, update_sums
        from .build.pipeline import Job
        from .typeset.pdfx import require_cmyk_profile
        from .writers import writer_for

        terminate_cleanly()
        # The build's date, read here once and passed down as a value (to every worker too); a bad one fails
        # before any source is read.
        source_date = parse_source_date_epoch(os.environ.get("SOURCE_DATE_EPOCH"))
        formats = tuple(fmt.strip() for fmt in to.split(",") if fmt.strip())
        for fmt in formats:  # an unknown format or a styles folder without its file fails before any work
            style = writer_for(fmt).style
            if not (styles / style).is_file():
                raise UsageError(f"{styles / style}: not found; --styles must name a folder with {style}")
        if scheduler and "html" in formats:  # a worker returns each edition as one file's bytes; the web's is a folder
            raise UsageError("--to html is built here, not on a cluster: leave out --scheduler or html")
        options = BuildOptions(
            styles_dir=styles.resolve(), **print_settings(printer, trim, pdf_variant, bleed, marks),
            paper=parse_paper(paper),
        )
        if "pdf" in formats:  # a PDF/X without its CMYK profile fails before any work
            require_cmyk_profile(options)
        job = Job(formats, out, options, source_date)
        with _progress(len(sources)) as on_result:
            if scheduler:
                from .build.cluster import build_on_cluster  # start-up time: Dask, imported only for a cluster build

                results = build_on_cluster(list(sources), job, scheduler, keep_going, on_result)
            else:
                results = build_all(list(sources), job, jobs or default_jobs(), keep_going, on_result)
        done = [output for result in results for output in result.outputs]
        if done:
            update_sums(out, done)
        if report:
            _write_report(report, results)
        failed = [r for r in results if r.status == "error"]
        if bag and not failed:
            # dated SOURCE_DATE_EPOCH, else a fixed date: never the clock
            make_bag(bag, [o.path for o in done], list(sources), build_timestamp(None, source_date))
        return max((r.exit_code for r in failed), default=0)

    code = _reported(run)
    if code:
        raise typer.Exit(code)


@contextmanager
def _progress(total: int) -> Iterator[Callable]:
    """A Rich progress bar on a terminal; elsewhere one quiet line per source. Errors go to stderr."""

    def line(result) -> None:  # noqa: ANN001
        if result.status == "error":
            typer.echo(result.message, err=True)
        elif result.status == "ok":
            names = ", ".join(o.path.name for o in result.outputs)
            typer.echo(f"{result.source}: wrote {names} ({result.seconds:.1f} s)")
        else:
            typer.echo(f"{result.source}: skipped after an earlier error", err=True)

    if not sys.stderr.isatty() or total < 2:
        yield line
        return
    from rich.progress import Progress  # start-up time: a terminal's progress bar only

    with Progress(transient=True) as progress:
        task = progress.add_task("building", total=total)

        def advance(result) -> None:  # noqa: ANN001
            if result.status != "ok":
                progress.console.print(result.message or f"{result.source}: skipped", style="red", markup=False)
            progress.advance(task)

        yield advance


def _write_report(path: Path, results: list) -> None:
    data = {
        "sources": [
            {
                "source": str(r.source), "status": r.status, "seconds": round(r.seconds, 3),
                "outputs": [{"path": str(o.path), "sha256": o.sha256} for o in r.outputs],
                **({"layouts": {"text": r.layouts.text, "all": r.layouts.all}} if r.layouts else {}),
                **({"error": r.message} if r.message else {}),
            }
            for r in results
        ]
    }
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@app.command()
def check(sources: SourcesArg) -> None:
    """Read and check each SOURCE without writing anything."""

    def run() -> None:
        for source in sources:
            doc = _read(source)
            films = sum(len(e.locators) for e in doc.index.films)
            count = len(doc.chapters)
            interviews = f"{count} interview{'s' if count > 1 else ''}, " if isinstance(doc, Collection) else ""
            typer.echo(f"{source}: ok ({interviews}{len(doc.index.films)} films, {films} film mentions)")

    _reported(run)


@app.command()
def preview(
    source: Annotated[
        Path, typer.Argument(help="A source (.md) or a collection (.collection.yaml).", show_default=False)
    ],
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free one).")] = 8000,
    styles: Annotated[Path, typer.Option("--styles", help="Folder with print.css and web.css.")] = STYLES_DIR,
) -> None:
    """Serve SOURCE's web edition on 127.0.0.1, set again and reloaded in the browser as the source, its
    registries or the styles change; the PDF follows in the background. Ctrl-C stops."""

    def run() -> None:
        from .build.preview import serve  # start-up time: the server, the watcher and the pipeline

        for needed in ("print.css", "web.css"):
            if not (styles / needed).is_file():
                raise UsageError(f"{styles / needed}: not found; --styles must name a folder with {needed}")
        if not source.is_file():
            raise UsageError(f"{source}: no such source")
        terminate_cleanly()
        try:
            serve(source.resolve(), BuildOptions(styles_dir=styles.resolve()), port,
                  lambda message: typer.echo(message, err=True))
        except OSError as error:  # the port is taken
            raise UsageError(f"127.0.0.1:{port}: cannot serve: {error.strerror or error}") from None

    _reported(run)


@app.command("import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(help="Interviews to import: plain text, HTML, Markdown, DOCX, office files (.doc, .rtf, "
                            ".odt ...), WebVTT, SRT or a transcription service's export.", show_default=False),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder the sources are written to.")] = Path("."),
    registry: Annotated[
        Path | None, typer.Option("--registry", help="Folder with films.yaml and people.yaml (default: --out).")
    ] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the notes for review as JSON here.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite a source that exists.")] = False,
    title: Annotated[str | None, typer.Option("--title", help="The title, instead of the one found.")] = None,
    subtitle: Annotated[
        str | None, typer.Option("--subtitle", help="The subtitle, instead of the one found ('' for none).")
    ] = None,
) -> None:
    """Write OUT/<stem>.md, a pressroom source, for each FILE; notes for review go to stderr."""
    from .importers import import_file  # start-up time: the importers (pandoc's wrapper), not needed for --help

    registry_dir = registry or out
    _reported(lambda: _one_output_each(files))
    results, code = [], 0
    for file in files:
        try:
            imported = import_file(file, out, registry_dir, force, headline=(title, subtitle))
        except PressroomError as error:
            typer.echo(str(error), err=True)
            code = code or error.exit_code
            results.append({"input": str(file), "status": "error", "error": str(error), "exit_code": error.exit_code})
            continue
        for note in imported.notes:
            typer.echo(note.located(file), err=True)
        count = len(imported.proposed)
        films = f"{count} film{'' if count == 1 else 's'}"
        proposed = f", {films} proposed in {out / 'films.proposed.yaml'}" if count else ""
        typer.echo(f"{file}: wrote {imported.output} ({imported.turns} turns, {len(imported.notes)} notes{proposed})")
        results.append({"input": str(file), "status": "ok", "output": str(imported.output),
                        "notes": [note.as_dict() for note in imported.notes], "proposed": list(imported.proposed)})
    if report:
        def write_report() -> None:
            with atomic_path(report) as tmp:
                tmp.write_text(json.dumps({"imports": results}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

        _reported(write_report)
    if code:
        raise typer.Exit(code)


def _one_output_each(files: list[Path]) -> None:
    stems = [f.stem for f in files]
    twice = sorted({stem for stem in stems if stems.count(stem) > 1})
    if twice:
        raise UsageError(f"two inputs would both be imported as {twice[0]}.md")


@app.command()
def index(
    source: Annotated[
        Path, typer.Argument(help="Source file (.md) or collection (.collection.yaml).", show_default=False)
    ],
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


@app.command()
def proof(
    pdfs: Annotated[list[Path], typer.Argument(help="Print PDFs made by pressroom.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as a JSON list.")] = False,
) -> None:
    """Preflight each PDF: exit 5 on a hard defect (odd page count, a font not embedded, an index
    locator before the text, a running head on two lines); typesetting warnings are printed only."""
    from .typeset.proof import proof as preflight  # start-up time: not needed for --help

    findings = _reported(lambda: [(pdf, finding) for pdf in pdfs for finding in preflight(pdf)])
    if as_json:
        rows = [{"file": str(pdf), "page": f.page, "check": f.check, "message": f.message, "hard": f.hard}
                for pdf, f in findings]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for pdf, finding in findings:
            typer.echo(finding.located(pdf), err=finding.hard)
    if any(finding.hard for _, finding in findings):
        raise typer.Exit(CheckError.exit_code)


def index_as_dict(doc: Book) -> dict:
    """The indexes as plain data: what `pressroom index --json` prints (for a collection, each
    locator names the interview it is in)."""
    sources = dict(enumerate(doc.interview_files, start=1)) if isinstance(doc, Collection) else {}

    def locators(entry):  # noqa: ANN001, ANN202
        return [
            {"anchor": loc.anchor, "part": loc.part, **({"interview": sources[loc.chapter]} if sources else {})}
            for loc in entry.locators
        ]

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
    documents = [(chapter, sources.get(chapter.chapter)) for chapter in doc.chapters] if sources else [(doc, None)]
    timecodes = [  # where each timed turn begins in the recording (turns numbered from 1 in each interview)
        {"turn": number, "speaker": turn.speaker.label, "timecode": str(turn.timecode),
         **({"interview": source} if source else {})}
        for document, source in documents
        for number, turn in enumerate((b for b in document.interview if isinstance(b, Turn)), start=1)
        if turn.timecode is not None
    ]
    book = {"source": str(doc.source_name), "films": films, "people": people, "timecodes": timecodes}
    if sources:
        book["interviews"] = [
            {"chapter": chapter.chapter, "source": sources[chapter.chapter], "title": plain_text(chapter.front.title)}
            for chapter in doc.chapters
        ]
    return book
