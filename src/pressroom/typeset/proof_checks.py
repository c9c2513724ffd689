"""The proof's checks: each reads the book as the PDF shows it (see proof_reading.py) and returns findings.

Paragraphs are inferred from geometry. A body line begins a paragraph when it
is indented from the page's left edge, sits more than `_PARAGRAPH_GAP` pitches
below the line before, or follows a short line; it ends one when it stops
short of the right edge or the next line begins one. Justified lines reach
the right edge, so a line that does not is a paragraph's last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ..core.prose import OPENING_MARKS, ends_sentence
from ..reading.images import PRINT_PPI
from .hyphenation import MAX_HYPHENS_IN_A_ROW
from .pagebreaks import DASHES, HYPHEN, HYPHENS
from .proof_reading import GRID, Book, Line, Page

LOOSE_SPACE = 2.2  # a word space wider than 2.2 x the book's median looks like a hole (about 0.6 em at 10.5 pt)
_PARAGRAPH_GAP = 1.3  # pitches between baselines that mean a new paragraph (interview turns are spaced 1.5)
_EDGE = 1.5  # pt: a line within this of the measure's edge reaches it (justification rounds)
_LOCATORS = re.compile(r"(?:^|\s)((?:\d+(?:[–-]\d+)?,\s*)*\d+(?:[–-]\d+)?),?\s*$")  # "3, 7–8, 13" at a line's end


@dataclass(frozen=True)
class Finding:
    """One defect of the PDF: on `page` (None: the whole file), found by `check`."""

    page: int | None
    check: str
    message: str
    hard: bool  # a defect pressroom can always avoid: it fails the build

    def located(self, file: Path | str) -> str:
        """`file:page: message`, or `file: message` for the whole file."""
        where = f"{file}:{self.page}" if self.page is not None else f"{file}"
        return f"{where}: {self.message}"


# --- hard checks ---------------------------------------------------------------------


def odd_page_count(book: Book) -> list[Finding]:
    count = len(book.pages)
    if count % 2 == 0:
        return []
    return [Finding(None, "odd-page-count", f"{count} pages: a print file has an even number of pages", True)]


def low_resolution_images(pdfimages: str) -> list[Finding]:
    """A picture printed under the resolution printers ask for (`pdfimages -list`'s x-ppi and y-ppi)."""
    findings = []
    for row in pdfimages.splitlines()[2:]:
        cells = row.split()
        if len(cells) < 14 or cells[2] != "image":  # a soft mask's row (smask) is the picture's alpha: not printed
            continue
        page, width, height, x_ppi, y_ppi = int(cells[0]), cells[3], cells[4], int(cells[12]), int(cells[13])
        if min(x_ppi, y_ppi) < PRINT_PPI:
            message = f"a picture ({width} × {height} pixels) prints at {min(x_ppi, y_ppi)} ppi, under {PRINT_PPI}"
            findings.append(Finding(page, "low-resolution", message, hard=False))
    return findings


def fonts_not_embedded(pdffonts: str) -> list[Finding]:
    """Fonts whose `emb` column says no; pdffonts's columns are as wide as the dashes under their titles."""
    rows = pdffonts.splitlines()
    if len(rows) < 2:
        return []
    spans = [m.span() for m in re.finditer(r"-+", rows[1])]
    titles = [rows[0][start:end].strip() for start, end in spans]
    found = []
    for row in rows[2:]:
        cells = dict(zip(titles, (row[start:end].strip() for start, end in spans), strict=True))
        if cells.get("emb") == "no":
            message = f"font {cells['name']} ({cells['type']}) is not embedded"
            found.append(Finding(None, "font-not-embedded", message, True))
    return found


def locators_before_opening(book: Book) -> list[Finding]:
    """Index locators (the numbers ending an entry) printing a page before `opening`."""
    first_index, opening = book.first_index, book.opening
    if first_index is None or opening is None:
        return []
    found = []
    for page in book.pages[first_index - 1 :]:
        for line in _index_lines(book, page):
            match = _LOCATORS.search(line.text)
            for locator in match.group(1).split(",") if match else []:
                first = int(re.split(r"[–-]", locator.strip())[0])
                if first < opening:
                    entry = line.text[: match.start()].strip()
                    message = f"index locator {first} ({entry}) points before the opening page {opening}"
                    found.append(Finding(page.number, "locator-before-opening", message, True))
    return found


def _index_lines(book: Book, page: Page) -> list[Line]:
    """An index page's lines between the margins (not the running head, not the folio under the text block)."""
    return [line for line in page.lines if line not in page.head and line.top < book.text_bottom]


def running_heads_on_two_lines(book: Book) -> list[Finding]:
    found = []
    for page in book.pages:
        baselines = _distinct(page.head)
        if len(baselines) > 1:
            message = f"running head on {len(baselines)} lines: {' / '.join(line.text for line in page.head)}"
            found.append(Finding(page.number, "running-head-lines", message, True))
    return found


def _distinct(lines: tuple[Line, ...]) -> list[float]:
    """Baselines more than half a line apart (a folio and a title in small capitals, a little apart, share one)."""
    distinct: list[float] = []
    for line in sorted(lines, key=lambda line: line.bottom):
        if not distinct or line.bottom - distinct[-1] > line.height / 2:
            distinct.append(line.bottom)
    return distinct


# --- warnings on the text pages -------------------------------------------------------------


def lone_fragments(page: Page) -> list[Finding]:
    """A line holding only part of a hyphenated word: its head (`jet‐`) or, ending a paragraph, its tail."""
    found = []
    for before, line in zip((None, *page.body), page.body, strict=False):
        if len(line.words) != 1:
            continue
        if line.hyphenated:
            found.append(Finding(page.number, "lone-fragment", f"“{line.text}” alone on its line", False))
        elif before is not None and before.hyphenated and not _reaches_edge(page, line):
            message = f"“{line.text}”, the end of a hyphenated word, ends a paragraph alone"
            found.append(Finding(page.number, "lone-fragment", message, False))
    return found


def hyphen_stacks(page: Page) -> list[Finding]:
    """More consecutive lines ending in a hyphen than the typesetting allows (`MAX_HYPHENS_IN_A_ROW`)."""
    found, run = [], []
    for line in (*page.body, None):
        if line is not None and line.hyphenated:
            run.append(line)
            continue
        if len(run) > MAX_HYPHENS_IN_A_ROW:
            message = f"{len(run)} lines in a row end in a hyphen ({', '.join(r.words[-1].text for r in run)})"
            found.append(Finding(page.number, "hyphen-stack", message, False))
        run = []
    return found


def split_capitalised_words(page: Page, nouns_capitalised: bool = False) -> list[Finding]:
    """An automatic hyphen (U+2010) breaking a capitalised word that does not begin a sentence: a name
    split (a hard "-" is the word's own; a sentence's first word is an ordinary word). In a language that
    capitalises every noun (`nouns_capitalised`: German) a capital says nothing of a name: no finding."""
    if nouns_capitalised:
        return []
    found = []
    for index, line in enumerate(page.body):
        word = line.words[-1].text
        fragment = word.rstrip("".join(HYPHENS)).split("-")[-1].lstrip(OPENING_MARKS)  # "Russian-Amer‐": "Amer"
        before = line.words[-2].text if len(line.words) > 1 else page.body[index - 1].words[-1].text if index else ""
        if word.endswith(HYPHEN) and fragment[:1].isupper() and not ends_sentence(before):
            message = f"capitalised word broken at the line's end: “{word}”"
            found.append(Finding(page.number, "split-capitalised-word", message, False))
    return found


def dashes_first(book: Book, page: Page) -> list[Finding]:
    """A line inside a paragraph that begins with a dash: the line broke before the dash, not after it."""
    return [
        Finding(page.number, "dash-line-start", f"a line begins with a dash: “{line.text}”", False)
        for index, line in enumerate(page.body)
        if line.text.startswith(DASHES) and not _starts_paragraph(book, page, index)
    ]


def loose_word_spacing(book: Book, pages: list[Page]) -> list[Finding]:
    """Justified lines (not a paragraph's last) with a word space wider than `LOOSE_SPACE` x the book's median."""
    gaps = [b.left - a.right for page in pages for line in page.body for a, b in pairwise(line.words)]
    if not gaps:
        return []
    limit = LOOSE_SPACE * sorted(gaps)[len(gaps) // 2]
    found = []
    for page in pages:
        for index, line in enumerate(page.body):
            if _ends_paragraph(book, page, index):
                continue
            widest = max((b.left - a.right for a, b in pairwise(line.words)), default=0.0)
            if widest > limit:
                message = f"loose line, a word space of {widest:.1f} pt (limit {limit:.1f} pt): “{line.text}”"
                found.append(Finding(page.number, "loose-spacing", message, False))
    return found


def off_the_grid(book: Book, pages: list[Page]) -> list[Finding]:
    """Full pages in mid-section whose last body line is not on the book's last baseline; on a page with
    footnotes (which shorten the body), body lines off the page's grid (first baseline + k x pitch).
    A spread may run a line long, as typesetters set one that nothing else fills: both its pages, or
    one whose facing page ends a section."""
    numbers = {page.number for page in pages}
    full = [page for page in pages if page.body and page.number + 1 in numbers and not _section_ends(book, page)]
    plain = [page for page in full if not _footnotes(book, page)]
    if not plain:
        return []
    ends = {page.number: _text_lines(book, page)[-1].bottom for page in plain}
    last = _grid_end(ends)
    long = _long_spreads(ends, numbers, last + book.pitch)
    found = []
    for page in full:
        if page.number in long:
            continue
        if page in plain and abs(ends[page.number] - last) > GRID:
            message = (f"full page ends off the grid: last baseline at {ends[page.number]:.1f} pt, "
                       f"the book's at {last:.1f} pt")
            found.append(Finding(page.number, "off-grid", message, False))
        elif page not in plain:
            first = page.body[0].bottom
            off = [line for line in page.body if abs(_nearest_step(line.bottom - first, book.pitch)) > GRID]
            if off:
                message = f"{len(off)} body lines off the grid of {book.pitch:.1f} pt, from “{off[0].text}”"
                found.append(Finding(page.number, "off-grid", message, False))
    return found


def _grid_end(ends: dict[int, float]) -> float:
    """The book's last baseline: where most full pages end (the shallower of two as common: a long
    spread is the exception, never the most)."""
    counts = {round(end, 1): sum(abs(other - end) <= GRID for other in ends.values()) for end in ends.values()}
    return min(counts, key=lambda end: (-counts[end], end))


def _long_spreads(ends: dict[int, float], numbers: set[int], long_end: float) -> set[int]:
    """The pages that end at `long_end`, a line below the grid, whose facing page does too or is not
    judged (it ends a section, or holds notes)."""
    long = {number for number, end in ends.items() if abs(end - long_end) <= GRID}
    balanced = long | (numbers - set(ends))
    return {number for number in long if (number + 1 if number % 2 == 0 else number - 1) in balanced}


def _nearest_step(distance: float, pitch: float) -> float:
    return distance - round(distance / pitch) * pitch


def _section_ends(book: Book, page: Page) -> bool:
    """The section ends on `page`: the next page opens one or has no body text (a blank page before one)."""
    following = book.pages[page.number] if page.number < len(book.pages) else None
    return following is None or not following.body or book.opens_section(following)


def _footnotes(book: Book, page: Page) -> bool:
    return bool(page.body) and len(_text_lines(book, page)) < len(_in_text_block(book, page))


def _in_text_block(book: Book, page: Page) -> list[Line]:
    """The lines between the top margin (running head) and the foot margin (folio)."""
    return [line for line in page.lines if line not in page.head and line.bottom <= book.text_bottom + GRID]


def _text_lines(book: Book, page: Page) -> list[Line]:
    """The text block's lines without the footnotes: those are the smaller lines at its foot, set off
    by a gap (smaller lines that go on at about one pitch, a block quote, are text)."""
    lines = _in_text_block(book, page)
    last_body = page.body[-1]
    for index, line in enumerate(lines):
        if line.bottom <= last_body.bottom:
            continue
        before = lines[index - 1]
        if line.bottom - before.bottom > _PARAGRAPH_GAP * book.pitch and line.height < last_body.height:
            return lines[:index]
    return lines


def widow(book: Book, previous: Page, page: Page) -> list[Finding]:
    """A paragraph's last line alone at the top of a page, the paragraph begun on the page before."""
    if len(page.body) < 2 or not previous.body or not _first_at_text_top(book, page):
        return []
    continued = not _ends_paragraph(book, previous, len(previous.body) - 1) and not _starts_paragraph(book, page, 0)
    if continued and not _reaches_edge(page, page.body[0]):
        return [Finding(page.number, "widow", f"widow: “{page.body[0].text}” ends a paragraph alone at the top", False)]
    return []


def orphan(book: Book, previous: Page, page: Page) -> list[Finding]:
    """A paragraph's first line alone at the foot of a page, the paragraph going on over the page."""
    if len(previous.body) < 2 or not page.body:
        return []
    last = len(previous.body) - 1
    if _starts_paragraph(book, previous, last) and not _ends_paragraph(book, previous, last) \
            and not _starts_paragraph(book, page, 0):
        message = f"orphan: “{previous.body[last].text}” begins a paragraph alone at the foot"
        return [Finding(previous.number, "orphan", message, False)]
    return []


def _first_at_text_top(book: Book, page: Page) -> bool:
    """The page's first body line is the first thing in the text block (no heading above it)."""
    return all(line in page.head for line in page.lines if line.bottom < page.body[0].bottom)


# --- paragraphs, from geometry ----------------------------------------------------------


def _reaches_edge(page: Page, line: Line) -> bool:
    return line.right >= page.right - _EDGE


def _indented(page: Page, line: Line) -> bool:
    return line.left > page.left + _EDGE


def _starts_paragraph(book: Book, page: Page, index: int) -> bool:
    """Named as a paragraph's beginning, indented, spaced from the line before, after a short line, or
    after a heading; the first line of a page begins a paragraph only when named or indented (a page
    break usually falls inside one)."""
    line = page.body[index]
    above = page.body[index - 1].bottom if index else 0.0
    if _indented(page, line) or book.begins_paragraph(page, line, above):
        return True
    if index == 0:
        return not _first_at_text_top(book, page)
    before = page.body[index - 1]
    between = any(before.bottom < other.bottom < line.bottom for other in page.lines)  # a heading, a quote
    return between or line.bottom - before.bottom > _PARAGRAPH_GAP * book.pitch or not _reaches_edge(page, before)


def _ends_paragraph(book: Book, page: Page, index: int) -> bool:
    """Short of the right edge, or followed on the page by a line that begins a paragraph."""
    if not _reaches_edge(page, page.body[index]):
        return True
    return index + 1 < len(page.body) and _starts_paragraph(book, page, index + 1)
