"""The print edition as a typesetter sets it, read back from the PDFs with poppler: notes at the foot
of their page, the opening, the copyright page, an even page count (see also test_proof.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import BOOKS


def _pages(pdf: Path) -> list[str]:
    """Each page's text, with words broken at a line's end joined again and white space made single."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(re.sub("\u2010\n", "", page).split()) for page in text.split("\f")[:-1]]


def _front(source: Path) -> str:
    return source.read_text(encoding="utf-8").split("\n---\n", 1)[0]


@pytest.mark.parametrize("source", BOOKS, ids=lambda s: s.stem)
def test_every_book_has_an_even_page_count_and_a_blank_last_page_only_when_padded(books: Path, source: Path) -> None:
    pages = _pages(books / f"{source.stem}.pdf")
    assert len(pages) % 2 == 0
    assert pages[-1] or pages[-2], "no more than one blank page is added"


def test_each_footnote_is_printed_on_the_page_that_calls_it(books: Path) -> None:
    source = BOOKS[[s.stem for s in BOOKS].index("three-speakers")]
    text = source.read_text(encoding="utf-8")
    notes = dict(re.findall(r"^\[\^([\w-]+)\]: (.*)$", text, re.M))
    assert len(notes) >= 5
    pages = _pages(books / "three-speakers.pdf")
    for label, note in notes.items():
        call = text.index(f"[^{label}]")
        before = " ".join(re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text[call - 200 : call]).split()[-4:])  # marks off
        note_start = " ".join(re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", note).split()[:6])
        after = " ".join(re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text[call:call + 200]).split()[1:4])
        called_on = [n for n, page in enumerate(pages) if before in page]
        printed_on = [n for n, page in enumerate(pages) if note_start in page]
        assert called_on and called_on == printed_on, (label, called_on, printed_on)
        page = pages[called_on[0]]
        if after in page:  # the text goes on past the call; the note waits for the foot of the page
            assert page.index(after) < page.index(note_start), label


def test_the_opening_sets_title_and_subtitle_apart_without_a_colon(books: Path) -> None:
    out = subprocess.run(["pdftotext", "-f", "7", "-l", "7", str(books / "long-subtitle.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.splitlines() if line.strip()]
    ending = next(line for line in lines if line.rstrip().endswith("”"))  # the quoted title's last line
    assert not ending.rstrip().endswith(":"), ending
    assert ":" not in lines[lines.index(ending) + 1][:2]


@pytest.mark.parametrize("source", BOOKS, ids=lambda s: s.stem)
def test_the_copyright_page_has_a_copyright_line_and_no_labels(books: Path, source: Path) -> None:
    pages = _pages(books / f"{source.stem}.pdf")
    imprint = next(page for page in pages[:6] if "©" in page)
    assert not re.search(r"\b(Date|Identifier|Rights|Publisher):", imprint), imprint
    front = _front(source)
    if "urn:isbn:" in front:
        isbn = re.search(r"urn:isbn:([\d-]+)", front).group(1)
        assert f"ISBN {isbn}" in imprint
    interviewer = re.search(r"role: interviewer, name: ([^}]+)\}", front)
    if interviewer:
        assert f"Interview by {interviewer.group(1).strip()}" in imprint
    if "rights:" not in front:
        publisher = re.search(r"^publisher: (.*)$", front, re.M).group(1).strip().strip('"')
        assert f"© {publisher}" in imprint or re.search(rf"© \d{{4}} {re.escape(publisher)}", imprint), imprint


def test_a_label_keeps_its_tracking_on_a_letter_spaced_line(editions: Path) -> None:
    """The layout letter-spaces loose lines, many of which open with a speaker's label: every label of
    a speaker is still set the same width (its own small-caps tracking), tracked line or not."""
    box = subprocess.run(
        ["pdftotext", "-bbox", str(editions / "sean-baker-anora.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    widths: dict[str, list[float]] = {}
    for x_min, x_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(\w+:)</word>', box
    ):
        widths.setdefault(word, []).append(round(float(x_max) - float(x_min), 1))
    labels = {word: set(found) for word, found in widths.items() if len(found) >= 5}  # the speakers' labels
    assert len(labels) == 2 and all(len(found) == 1 for found in labels.values()), labels


@pytest.mark.slow
def test_a_probe_of_some_paragraphs_alone_counts_their_lines_as_the_whole_book_does() -> None:
    """The planner rests on this: a paragraph breaks into the same lines wherever it falls, so one layout
    of a few paragraphs (the rest left out by CSS), a copy of the book for each fit, tells what each
    fit does to each paragraph in the book."""
    from pressroom.core.options import BuildOptions
    from pressroom.reading.collection import read_book
    from pressroom.typeset import fitting
    from pressroom.typeset.hyphenation import lines_by_paragraph
    from pressroom.typeset.print_edition import PrintEdition
    from pressroom.typeset.probe import probe
    from pressroom.typeset.typesetter import typesetter

    def counts(rendered) -> dict[str, int]:  # noqa: ANN001
        return {p: len(laid) for p, laid in lines_by_paragraph(fitting._laid_lines(rendered)).items()}

    doc = read_book(BOOKS[[s.stem for s in BOOKS].index("three-speakers")])
    typeset = typesetter(BuildOptions())
    edition = PrintEdition(doc, BuildOptions(), typeset)
    natural = counts(typeset(edition.book(None)))
    chosen = set(list(natural)[20:60])
    known = fitting.known_names(edition.book(None), fitting.name_words(doc))  # the book's names and languages
    variants = probe(typeset, edition, None, 1, {"loose": chosen, "tight": chosen}, known).variants()
    for fit in ("loose", "tight"):
        relaid = counts(typeset(edition.trying(edition.decisions.fitting(dict.fromkeys(chosen, fit))).book(None)))
        probed = {p: fits[fit] for p, fits in variants.items() if fit in fits}
        assert len(probed) > len(chosen) / 2, (fit, probed)
        assert any(probed[p] != natural[p] for p in probed), fit  # the fit changes some paragraphs' lines
        assert {p: lines for p, lines in probed.items() if relaid[p] != lines} == {}, fit


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["short", "no-subtitle", "long-subtitle", "web-links"])
def test_the_planner_predicts_the_pages_weasyprint_lays_out(stem: str) -> None:
    """The planner's pages (planner.paginate) from the units of a natural layout (boxes.flow_units) are
    WeasyPrint's own: the same first line on every page of the text."""
    from pressroom.core.options import BuildOptions
    from pressroom.reading.collection import read_book
    from pressroom.typeset.boxes import flow_units
    from pressroom.typeset.planner import paginate
    from pressroom.typeset.print_edition import PrintEdition
    from pressroom.typeset.typesetter import typesetter
    from pressroom.typeset.xhtml import INDEX_PARTS

    doc = read_book(BOOKS[[s.stem for s in BOOKS].index(stem)])
    typeset = typesetter(BuildOptions())
    edition = PrintEdition(doc, BuildOptions(), typeset)
    text = [part.name for part in edition.unpaged if not part.front and part.name not in INDEX_PARTS]
    units, starts, sheet = flow_units(typeset(edition.book(None, text)).pages)
    assert len(starts) > 2
    assert paginate(units, sheet) == starts
