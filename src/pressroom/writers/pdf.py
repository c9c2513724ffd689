"""The print edition: the shared XHTML and styles/print.css, laid out by WeasyPrint (see layout.py)."""

from __future__ import annotations

from pathlib import Path

from ..core.model import Book
from ..core.options import BuildOptions
from ..typeset.layout import Layout
from ..typeset.pdfx import finisher, with_output_intent
from ..typeset.structure import recording


def write(doc: Book, out: Path, options: BuildOptions, layout: Layout | None) -> None:
    """Write the laid-out book to `out`, as the PDF variant the options ask for."""
    from weasyprint import Attachment  # start-up time: WeasyPrint only when a PDF is written

    assert layout is not None, "the PDF writer needs the print layout"
    attachments = []
    if options.pdfa:  # the archival copy carries its own sources (a collection's file and every interview)
        attachments = [
            Attachment(string=text, name=name, description="The canonical source", relationship="Source",
                       created=options.timestamp, modified=options.timestamp)
            for name, text in doc.sources
        ]
    rendered = with_output_intent(layout.rendered) if options.pdfx else layout.rendered
    identifier = doc.front.identifier.encode()
    with recording() as structure:
        rendered.write_pdf(
            out, pdf_variant=options.pdf_standard, attachments=attachments, pdf_identifier=identifier,
            pdf_tags=options.tagged_pdf, finisher=finisher(options, identifier, structure),
        )
