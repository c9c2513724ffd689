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

Everything is measured against the PDF itself, so the proof works at any
trim and size: body lines are the lines of the most common height (the body
size; headings are larger, running heads, folios, notes and the index
smaller); the body's pitch is the most common distance between consecutive
body baselines; the text block begins where the highest run of body lines at
that pitch begins, and what lies above it is the top margin (the running head).
A word box's bottom stands for its baseline: boxes of one font size sit at the
same depth below theirs.

Paragraphs are inferred from geometry. A body line begins a paragraph when it
is indented from the page's left edge, sits more than `_PARAGRAPH_GAP` pitches
below the line before, or follows a short line; it ends one when it stops
short of the right edge or the next line begins one. Justified lines reach
the right edge, so a line that does not is a paragraph's last.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import NamedTuple

from ..core.errors import CheckError, PressroomError, UsageError
from ..reading.images import PRINT_PPI

logger = logging.getLogger(__name__)

AUTO_HYPHEN = "\u2010"  # WeasyPrint's hyphenation character, as pdftotext reads it back
HYPHENS = (AUTO_HYPHEN, "-")
INDEX_SECTIONS = ("film-index", "name-index")
_SENTENCE_END = (".", "?", "!", ":")  # after these a capital begins a sentence, not a name

_LOOSE_SPACE = 2.2  # a word space wider than 2.2 x the book's median looks like a hole (about 0.6 em at 10.5 pt)
_PARAGRAPH_GAP = 1.3  # pitches between baselines that mean a new paragraph (interview turns are spaced 1.5)
_SAME_HEIGHT = 0.05  # relative: lines within 5 % of the body height are body lines
_EDGE = 1.5  # pt: a line within this of the measure's edge reaches it (justification rounds)
_GRID = 1.0  # pt: baselines this close are on the same line of the grid
_BOXES = re.compile(  # pdftotext -bbox-layout: a page, a line, or a word with its box
    r'<(page)\b|<(line)\b|<word xMin="([^"]*)" yMin="([^"]*)" xMax="([^"]*)" yMax="([^"]*)">([^<]*)</word>')
_LOCATORS = re.compile(r"(?:^|\s)((?:\d+(?:[–-]\d+)?,\s*)*\d+(?:[–-]\d+)?),?\s*$")  # "3, 7–8, 13" at a line's end
_OPENING = re.compile(r"(c\d+-)?opening")  # where the text begins: a chapter of a collection begins with its own
_NUMBERED = re.compile(r"-\d+$")  # p-12, note-3, film-anora-2: anchors inside a section; section ids have no number


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


class Word(NamedTuple):  # a tuple: a long book has a quarter of a million
    left: float
    right: float
    text: str


@dataclass(frozen=True)
class Line:
    """The words on one baseline of a page (pdftotext may cut a line with a wide gap in two: joined again)."""

    top: float
    bottom: float  # stands for the baseline
    height: float
    words: tuple[Word, ...]

    @property
    def left(self) -> float:
        return self.words[0].left

    @property
    def right(self) -> float:
        return self.words[-1].right

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def hyphenated(self) -> bool:
        return self.words[-1].text.endswith(HYPHENS)


@dataclass(frozen=True)
class Page:
    number: int
    lines: tuple[Line, ...]  # top to bottom
    body: tuple[Line, ...]  # the body lines, top to bottom
    head: tuple[Line, ...]  # the lines in the top margin
    left: float  # the measure's edges: where most body lines begin and end
    right: float


@dataclass(frozen=True)
class Book:
    pages: tuple[Page, ...]
    sections: dict[str, int]  # section id -> page
    pitch: float  # the most common distance between body baselines
    text_bottom: float  # the lowest body baseline: below it is the foot margin (folios)


def proof(pdf: Path) -> list[Finding]:
    """Every finding of the preflight, in page order (the whole file's first)."""
    pages, page_height, fonts, dests, images = _read(pdf)
    book = _book(pages, *_sections(dests, page_height))
    findings = [*_odd_page_count(book), *_fonts_not_embedded(fonts), *_running_heads_on_two_lines(book)]
    findings += _low_resolution_images(images)
    findings += _locators_before_opening(book)
    text_pages = _text_pages(book)
    for previous, page in zip([None, *text_pages], text_pages):
        findings += _lone_fragments(page) + _hyphen_stacks(page) + _split_capitalised_words(page) + _dashes_first(book, page)
        if previous is not None and previous.number + 1 == page.number and not _opens_section(book, page):
            findings += _widow(book, previous, page) + _orphan(book, previous, page)
    findings += _loose_word_spacing(book, text_pages) + _off_the_grid(book, text_pages)
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


# --- reading the PDF ---------------------------------------------------------------


def _read(pdf: Path) -> tuple[list[list[Line]], float, str, str, str]:
    """The lines of every page, the height of the first, `pdffonts`'s table, `pdfinfo -dests`'s list
    and `pdfimages -list`'s table.

    pdftotext costs a few milliseconds a page whatever the page holds, so the pages are
    read in as many runs side by side as there are cores, beside the other commands.
    """
    with _fast_to_read(pdf) as readable:
        count = int(re.search(r"^Pages:\s+(\d+)", _poppler(pdf, readable, ["pdfinfo"])[0], re.M).group(1))
        runs = min(os.cpu_count() or 1, count) or 1
        firsts = [1 + count * run // runs for run in range(runs)]
        ranges = [(first, last - 1) for first, last in zip(firsts, [*firsts[1:], count + 1])]
        texts = [["pdftotext", "-bbox-layout", "-f", str(first), "-l", str(last)] for first, last in ranges]
        *boxes, fonts, dests, images = _poppler(
            pdf, readable, *texts, ["pdffonts"], ["pdfinfo", "-dests"], ["pdfimages", "-list"])
    height = float(re.search(r'<page width="[^"]*" height="([^"]*)"', boxes[0])[1]) if count else 0.0
    return [page for text in boxes for page in _lines_by_page(text)], height, fonts, dests, images


@contextmanager
def _fast_to_read(pdf: Path) -> Iterator[Path]:
    """`pdf` as poppler reads it fast: a copy without its output intents (the PDF/A's or PDF/X's profile).

    poppler makes the output intent's colour transforms afresh for every page it reads (lcms
    inverting the profile's tone curves): on a PDF/A that was six sevenths of pdftotext's time and
    nearly all of pdfimages's. Nothing the proof reads (words, fonts, destinations, pictures)
    depends on it. A file pikepdf cannot open is read as it is, for poppler to say what is wrong.
    """
    import pikepdf

    with tempfile.TemporaryDirectory(prefix="pressroom-proof-") as folder:
        copy = Path(folder) / "proof.pdf"
        try:
            with pikepdf.open(pdf) as document:
                if "/OutputIntents" in document.Root:
                    del document.Root["/OutputIntents"]
                    document.save(copy, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        except (pikepdf.PdfError, OSError):
            pass
        yield copy if copy.is_file() else pdf


def _poppler(pdf: Path, readable: Path, *commands: list[str]) -> list[str]:
    """The output of each poppler command on `readable` (`pdf` or its copy), run side by side; a PDF
    poppler cannot read is an error, named by `pdf`."""
    if not readable.is_file():
        raise UsageError(f"{pdf}: no such file")

    def run(command: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run([*command, str(readable), *(["-"] if command[0] == "pdftotext" else [])], capture_output=True)

    try:
        with ThreadPoolExecutor(max_workers=len(commands)) as pool:  # threads: each reads its own pipe
            runs = list(pool.map(run, commands))
    except FileNotFoundError as error:
        raise PressroomError(f"{error.filename}: not found; the proof needs poppler-utils") from None
    for command, done in zip(commands, runs):
        if done.returncode:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"{command[0]} failed"]
            reason = [line.replace(str(readable), str(pdf)) for line in reason]
            raise UsageError(f"{pdf}: not a readable PDF ({reason[0]})")
    return [done.stdout.decode("utf-8", "replace") for done in runs]


def _sections(dests: str, page_height: float) -> tuple[dict[str, int], float]:
    """The page of every section id (`opening`, `interview`, `film-index` ...) from `pdfinfo -dests`, and
    how far down the page the highest section begins: a section opening a page begins at the text block's top."""
    sections: dict[str, int] = {}
    top = float("inf")
    for match in re.finditer(r'^\s*(\d+)\s+\[\s*XYZ\s+\S+\s+(\S+).*\]\s+"(.*)"$', dests, re.M):
        page, y, name = int(match.group(1)), match.group(2), match.group(3)
        if not _NUMBERED.search(name):
            sections.setdefault(name, page)
            if y != "null":
                top = min(top, page_height - float(y))  # PDF y counts up from the page's foot
    return sections, top


def _lines_by_page(xhtml: str) -> list[list[Line]]:
    """The lines of each page, from pdftotext's word boxes.

    Read by a pattern over pdftotext's own fixed markup, not an XML parser: over a 500-page
    book's 22 MB of boxes, reading them took 2.0 s with ElementTree and 1.0 s so (its proof 3.8 -> 2.5 s)."""
    pages: list[list[Line]] = []
    boxes: list[tuple[float, float, float, float, str]] | None = None
    for page, line, *box, text in _BOXES.findall(xhtml):
        if page or line:
            if boxes:
                pages[-1].append(_line(boxes))
            boxes = []
            if page:
                pages.append([])
        else:
            left, top, right, bottom = box
            boxes.append((float(left), float(top), float(right), float(bottom), unescape(text)))
    if boxes:
        pages[-1].append(_line(boxes))
    return [_joined(lines) for lines in pages]


def _line(boxes: list[tuple[float, float, float, float, str]]) -> Line:
    """A pdftotext line from its word boxes; its height and baseline are its most common word's (a superscript is not)."""
    heights = [round(bottom - top, 1) for _, top, _, bottom, _ in boxes]
    height = Counter(heights).most_common(1)[0][0]
    main = [box for box, box_height in zip(boxes, heights) if box_height == height]
    words = tuple(Word(left, right, text) for left, _, right, _, text in sorted(boxes))
    return Line(min(box[1] for box in main), max(box[3] for box in main), height, words)


def _joined(lines: list[Line]) -> list[Line]:
    """Lines on one baseline and of one height made one (a running head's folio and title, a loose line)."""
    joined: list[Line] = []
    for line in sorted(lines, key=lambda line: (line.bottom, line.left)):
        last = joined[-1] if joined else None
        if last and abs(last.bottom - line.bottom) < _GRID and abs(last.height - line.height) < _GRID:
            joined[-1] = Line(min(last.top, line.top), max(last.bottom, line.bottom), max(last.height, line.height),
                              tuple(sorted(last.words + line.words, key=lambda w: w.left)))
        else:
            joined.append(line)
    return joined


def _book(pages: list[list[Line]], sections: dict[str, int], section_top: float) -> Book:
    """The pages with their body lines and top margins told apart, by the measures the PDF itself shows."""
    weights = Counter()
    for lines in pages:
        for line in lines:
            weights[line.height] += len(line.words)
    body_height = weights.most_common(1)[0][0] if weights else 0.0

    def is_body_size(line: Line) -> bool:
        return abs(line.height - body_height) <= _SAME_HEIGHT * body_height

    sized = [[line for line in lines if is_body_size(line)] for lines in pages]
    pitch = _mode((b.bottom - a.bottom for lines in sized for a, b in zip(lines, lines[1:])), default=body_height)
    # The text block begins where the highest section or run of body lines begins (a running head has a gap
    # below it); a short book may have no page of body lines from the top, but it has sections.
    runs = (a.top for lines in sized for a, b in zip(lines, lines[1:]) if abs(b.bottom - a.bottom - pitch) <= _GRID)
    text_top = min((*runs, section_top))
    if text_top == float("inf"):  # neither: no top margin to tell apart
        text_top = 0.0
    built = []
    for number, (lines, body_sized) in enumerate(zip(pages, sized), start=1):
        head = tuple(line for line in lines if line.bottom <= text_top)
        body = tuple(line for line in body_sized if line.bottom > text_top)
        left, right = _mode((line.left for line in body), 0.0), _mode((line.right for line in body), 0.0)
        built.append(Page(number, tuple(lines), body, head, left, right))
    text_bottom = max((line.bottom for page in built for line in page.body), default=float("inf"))
    return Book(tuple(built), sections, pitch, text_bottom)


def _mode(values: Iterable[float], default: float) -> float:
    """The most common value, to a tenth of a point."""
    counts = Counter(round(v, 1) for v in values)
    return counts.most_common(1)[0][0] if counts else default


def _opening(book: Book) -> int | None:
    """The page the text begins on: the interview's `opening`, or a collection's first chapter (`c1-opening`)."""
    return min((page for name, page in book.sections.items() if _OPENING.fullmatch(name)), default=None)


def _text_pages(book: Book) -> list[Page]:
    """The pages of the text: from `opening` up to the first index page."""
    opening = _opening(book)
    if opening is None:
        return []
    end = min((book.sections[name] for name in INDEX_SECTIONS if name in book.sections), default=len(book.pages) + 1)
    return [page for page in book.pages if opening <= page.number < end]


def _opens_section(book: Book, page: Page) -> bool:
    return page.number in book.sections.values()


# --- hard checks ---------------------------------------------------------------------


def _odd_page_count(book: Book) -> list[Finding]:
    count = len(book.pages)
    if count % 2 == 0:
        return []
    return [Finding(None, "odd-page-count", f"{count} pages: a print file has an even number of pages", True)]


def _low_resolution_images(pdfimages: str) -> list[Finding]:
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


def _fonts_not_embedded(pdffonts: str) -> list[Finding]:
    """Fonts whose `emb` column says no; pdffonts's columns are as wide as the dashes under their titles."""
    rows = pdffonts.splitlines()
    if len(rows) < 2:
        return []
    spans = [m.span() for m in re.finditer(r"-+", rows[1])]
    titles = [rows[0][start:end].strip() for start, end in spans]
    found = []
    for row in rows[2:]:
        cells = dict(zip(titles, (row[start:end].strip() for start, end in spans)))
        if cells.get("emb") == "no":
            found.append(Finding(None, "font-not-embedded", f"font {cells['name']} ({cells['type']}) is not embedded", True))
    return found


def _locators_before_opening(book: Book) -> list[Finding]:
    """Index locators (the numbers ending an entry) printing a page before `opening`."""
    first_index = min((book.sections[name] for name in INDEX_SECTIONS if name in book.sections), default=None)
    opening = _opening(book)
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


def _running_heads_on_two_lines(book: Book) -> list[Finding]:
    found = []
    for page in book.pages:
        baselines = _distinct(page.head)
        if len(baselines) > 1:
            text = " / ".join(line.text for line in page.head)
            found.append(Finding(page.number, "running-head-lines", f"running head on {len(baselines)} lines: {text}", True))
    return found


def _distinct(lines: tuple[Line, ...]) -> list[float]:
    """Baselines more than half a line apart (a folio and a title in small capitals, a little apart, share one)."""
    distinct: list[float] = []
    for line in sorted(lines, key=lambda line: line.bottom):
        if not distinct or line.bottom - distinct[-1] > line.height / 2:
            distinct.append(line.bottom)
    return distinct


# --- warnings on the text pages -------------------------------------------------------------


def _lone_fragments(page: Page) -> list[Finding]:
    """A line holding only part of a hyphenated word: its head (`jet‐`) or, ending a paragraph, its tail."""
    found = []
    for before, line in zip((None, *page.body), page.body):
        if len(line.words) != 1:
            continue
        if line.hyphenated:
            found.append(Finding(page.number, "lone-fragment", f"“{line.text}” alone on its line", False))
        elif before is not None and before.hyphenated and not _reaches_edge(page, line):
            found.append(Finding(page.number, "lone-fragment", f"“{line.text}”, the end of a hyphenated word, ends a paragraph alone", False))
    return found


def _hyphen_stacks(page: Page) -> list[Finding]:
    """More than two consecutive lines ending in a hyphen."""
    found, run = [], []
    for line in (*page.body, None):
        if line is not None and line.hyphenated:
            run.append(line)
            continue
        if len(run) > 2:
            ends = ", ".join(r.words[-1].text for r in run)
            found.append(Finding(page.number, "hyphen-stack", f"{len(run)} lines in a row end in a hyphen ({ends})", False))
        run = []
    return found


def _split_capitalised_words(page: Page) -> list[Finding]:
    """An automatic hyphen (U+2010) breaking a capitalised word that does not begin a sentence: a name
    split (a hard "-" is the word's own; a sentence's first word is an ordinary word)."""
    found = []
    for index, line in enumerate(page.body):
        word = line.words[-1].text
        fragment = word.rstrip("".join(HYPHENS)).split("-")[-1].lstrip("“‘\"'([")  # "Russian-Amer‐": "Amer"
        before = line.words[-2].text if len(line.words) > 1 else page.body[index - 1].words[-1].text if index else ""
        if word.endswith(AUTO_HYPHEN) and fragment[:1].isupper() and not before.rstrip("”’)\"'").endswith(_SENTENCE_END):
            found.append(Finding(page.number, "split-capitalised-word", f"capitalised word broken at the line's end: “{word}”", False))
    return found


def _dashes_first(book: Book, page: Page) -> list[Finding]:
    """A line inside a paragraph that begins with a dash: the line broke before the dash, not after it."""
    return [
        Finding(page.number, "dash-line-start", f"a line begins with a dash: “{line.text}”", False)
        for index, line in enumerate(page.body)
        if line.text.startswith(("—", "–")) and not _starts_paragraph(book, page, index)
    ]


def _loose_word_spacing(book: Book, pages: list[Page]) -> list[Finding]:
    """Justified lines (not a paragraph's last) with a word space wider than `_LOOSE_SPACE` x the book's median."""
    gaps = [b.left - a.right for page in pages for line in page.body for a, b in zip(line.words, line.words[1:])]
    if not gaps:
        return []
    limit = _LOOSE_SPACE * sorted(gaps)[len(gaps) // 2]
    found = []
    for page in pages:
        for index, line in enumerate(page.body):
            if _ends_paragraph(book, page, index):
                continue
            widest = max((b.left - a.right for a, b in zip(line.words, line.words[1:])), default=0.0)
            if widest > limit:
                message = f"loose line, a word space of {widest:.1f} pt (limit {limit:.1f} pt): “{line.text}”"
                found.append(Finding(page.number, "loose-spacing", message, False))
    return found


def _off_the_grid(book: Book, pages: list[Page]) -> list[Finding]:
    """Full pages in mid-section whose last body line is not on the book's last baseline; on a page with
    footnotes (which shorten the body), body lines off the page's grid (first baseline + k x pitch)."""
    numbers = {page.number for page in pages}
    full = [page for page in pages if page.body and page.number + 1 in numbers and not _section_ends(book, page)]
    plain = [page for page in full if not _footnotes(book, page)]
    if not plain:
        return []
    ends = {page.number: _text_lines(book, page)[-1].bottom for page in plain}
    last = max({round(end, 1) for end in ends.values()}, key=lambda b: sum(abs(end - b) <= _GRID for end in ends.values()))
    found = []
    for page in full:
        if page in plain and abs(ends[page.number] - last) > _GRID:
            message = f"full page ends off the grid: last baseline at {ends[page.number]:.1f} pt, the book's at {last:.1f} pt"
            found.append(Finding(page.number, "off-grid", message, False))
        elif page not in plain:
            first = page.body[0].bottom
            off = [line for line in page.body if abs(_nearest_step(line.bottom - first, book.pitch)) > _GRID]
            if off:
                message = f"{len(off)} body lines off the grid of {book.pitch:.1f} pt, from “{off[0].text}”"
                found.append(Finding(page.number, "off-grid", message, False))
    return found


def _nearest_step(distance: float, pitch: float) -> float:
    return distance - round(distance / pitch) * pitch


def _section_ends(book: Book, page: Page) -> bool:
    """The section ends on `page`: the next page opens one or has no body text (a blank page before one)."""
    following = book.pages[page.number] if page.number < len(book.pages) else None
    return following is None or not following.body or _opens_section(book, following)


def _footnotes(book: Book, page: Page) -> bool:
    return bool(page.body) and len(_text_lines(book, page)) < len(_in_text_block(book, page))


def _in_text_block(book: Book, page: Page) -> list[Line]:
    """The lines between the top margin (running head) and the foot margin (folio)."""
    return [line for line in page.lines if line not in page.head and line.bottom <= book.text_bottom + _GRID]


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


def _widow(book: Book, previous: Page, page: Page) -> list[Finding]:
    """A paragraph's last line alone at the top of a page, the paragraph begun on the page before."""
    if len(page.body) < 2 or not previous.body or not _first_at_text_top(book, page):
        return []
    continued = not _ends_paragraph(book, previous, len(previous.body) - 1) and not _starts_paragraph(book, page, 0)
    if continued and not _reaches_edge(page, page.body[0]):
        return [Finding(page.number, "widow", f"widow: “{page.body[0].text}” ends a paragraph alone at the top", False)]
    return []


def _orphan(book: Book, previous: Page, page: Page) -> list[Finding]:
    """A paragraph's first line alone at the foot of a page, the paragraph going on over the page."""
    if len(previous.body) < 2 or not page.body:
        return []
    last = len(previous.body) - 1
    if _starts_paragraph(book, previous, last) and not _ends_paragraph(book, previous, last) \
            and not _starts_paragraph(book, page, 0):
        return [Finding(previous.number, "orphan", f"orphan: “{previous.body[last].text}” begins a paragraph alone at the foot", False)]
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
    """Indented, spaced from the line before, after a short line, or after a heading; the first line of a
    page begins a paragraph only when indented (a page break usually falls inside one)."""
    line = page.body[index]
    if _indented(page, line):
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
