"""The print edition: the shared XHTML and styles/print.css, laid out by WeasyPrint (see layout.py)."""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_path
from ..errors import OutputError
from ..layout import lay_out, source_date
from ..model import Document
from ..options import PDF_VARIANTS, BuildOptions


def write(doc: Document, out: Path, options: BuildOptions) -> None:
    """Lay out `doc` as a book and write the PDF to `out`."""
    from weasyprint import Attachment

    layout = lay_out(doc, options)
    variant = PDF_VARIANTS[options.pdf_variant]
    attachments = []
    if variant == "pdf/a-3b":  # the archival copy carries its own source
        attachments.append(Attachment(
            string=doc.source_text, name=f"{doc.source_name}.md", description="The canonical source",
            relationship="Source", created=options.timestamp, modified=options.timestamp,
        ))
    try:
        with source_date(options), atomic_path(out) as tmp:
            layout.rendered.write_pdf(
                tmp, pdf_variant=variant, attachments=attachments, pdf_identifier=doc.front.identifier.encode(),
            )
    except OSError as err:
        raise OutputError(f"{out}: cannot write the PDF: {err.strerror or err}") from None
