"""A preflight of a finished print PDF, read back with poppler as a printer would see it.

`proof(pdf)` reads the PDF itself, never pressroom's layout objects, so it
proofs any pressroom PDF (and checks the layout pressroom thinks it made):
`pdftotext -bbox-layout` gives every word's box, `pdffonts` the fonts,
`pdfinfo -dests` the page of every named destination (pressroom names every
element id; the page index is the printed folio), `pdfimages -list` each
picture's resolution as printed.

Hard findings are defects pressroom can always avoid; they fail a build:

- an odd page count (a print file is printed in sheets: an even number of pages);
- a font not embedded (the printer would substitute one);
- an index locator smaller than the page of `opening` (a mention on the title
  pages indexed: the reader finds no text there);
- a running head on two lines or more.

Warnings are typesetting a reader notices, measured on the body lines of the
text pages (from `opening` up to the first index page): a lone hyphenated
fragment on its line, more than two lines in a row ending in a hyphen, an
automatic break inside a capitalised word (a name), a line that begins with a
dash inside a paragraph, loose word spacing in a
justified line, full pages whose last line is off the book's grid, widows and
orphans; and a picture that prints under 300 ppi.

The PDF is read back in proof_reading.py (which says how the body, its pitch
and the margins are told apart, from the PDF alone); the checks are in
proof_checks.py (which says how paragraphs are inferred from geometry).
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..core.errors import CheckError
from . import proof_checks as checks
from .hyphenation import capitalises_nouns
from .proof_checks import Finding
from .proof_reading import read

logger = logging.getLogger(__name__)


def proof(pdf: Path) -> list[Finding]:
    """Every finding of the preflight, in page order (the whole file's first)."""
    readout = read(pdf)
    book = readout.book
    findings = [*checks.odd_page_count(book), *checks.fonts_not_embedded(readout.pdffonts)]
    findings += checks.running_heads_on_two_lines(book)
    findings += checks.low_resolution_images(readout.pdfimages)
    findings += checks.locators_before_opening(book)
    text_pages = book.text_pages()
    nouns_capitalised = capitalises_nouns(readout.lang)
    for previous, page in zip([None, *text_pages], text_pages, strict=False):
        findings += checks.lone_fragments(page) + checks.hyphen_stacks(page)
        findings += checks.split_capitalised_words(page, nouns_capitalised)
        findings += checks.dashes_first(book, page)
        if previous is not None and previous.number + 1 == page.number and not book.opens_section(page):
            findings += checks.widow(book, previous, page) + checks.orphan(book, previous, page)
    findings += checks.loose_word_spacing(book, text_pages) + checks.off_the_grid(book, text_pages)
    return sorted(findings, key=lambda f: f.page or 0)


def proof_staged(staged: Path, final: Path) -> None:
    """The build's proof of a PDF not yet in place: a hard finding is a CheckError (the PDF is not
    written), a warning is logged; both name the PDF by its final path."""
    findings = proof(staged)
    for finding in findings:
        if not finding.hard:
            logger.warning("%s", finding.located(final))
    defects = [finding.located(final) for finding in findings if finding.hard]
    if defects:
        raise CheckError("\n".join(defects))
