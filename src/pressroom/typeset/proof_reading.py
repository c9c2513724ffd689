"""A print PDF read back with poppler, as the proof sees it: pages of lines of words, and sections.

Everything is measured against the PDF itself, so the proof works at any
trim and size: body lines are the lines of the most common height (the body
size; headings are larger, running heads, folios, notes and the index
smaller); the body's pitch is the most common distance between consecutive
body baselines; the text block begins where the highest run of body lines at
that pitch begins, and what lies above it is the top margin (the running head).
A word box's bottom stands for its baseline: boxes of one font size sit at the
same depth below theirs.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from ..core.errors import PressroomError, UsageError
from ..core.model import MentionKind
from .pagebreaks import HYPHENS

GRID = 1.0  # pt: baselines this close are on the same line of the grid
_SAME_HEIGHT = 0.05  # relative: lines within 5 % of the body height are body lines
_FULL_LINE = 0.97  # of the widest line, a line is as wide as the measure (overhanging punctuation aside)
_BOXES = re.compile(  # pdftotext -bbox-layout: a page, a line, or a word with its box
    r'<(page)\b|<(line)\b|<word xMin="([^"]*)" yMin="([^"]*)" xMax="([^"]*)" yMax="([^"]*)">([^<]*)</word>')
_OPENING = re.compile(r"(c\d+-)?opening")  # where the text begins: a chapter of a collection begins with its own
_NUMBERED = re.compile(r"-\d+$")  # p-12, note-3, film-anora-2: anchors inside a section; section ids have no number
_PARAGRAPH = re.compile(r"p-\d+")  # a numbered paragraph's id

_Box = tuple[float, float, float, float, str]  # a word's left, top, right, bottom, and text


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
    paragraph_tops: dict[int, tuple[float, ...]] = field(default_factory=dict)  # page -> where its paragraphs begin

    def begins_paragraph(self, page: Page, line: Line, above: float) -> bool:
        """Whether a numbered paragraph's box begins between `above` and `line`'s baseline: pressroom
        names each paragraph (p-12) where it begins, so a turn that opens flush left after a full line
        is told from a line that goes on."""
        return any(above < top <= line.bottom for top in self.paragraph_tops.get(page.number, ()))

    @property
    def opening(self) -> int | None:
        """The page the text begins on: the interview's `opening`, or a collection's first chapter (`c1-opening`)."""
        return min((page for name, page in self.sections.items() if _OPENING.fullmatch(name)), default=None)

    @property
    def first_index(self) -> int | None:
        """The page the first index begins on (the back matter that prints page numbers)."""
        ids = [kind.index_id for kind in MentionKind]
        return min((self.sections[name] for name in ids if name in self.sections), default=None)

    def text_pages(self) -> list[Page]:
        """The pages of the text: from `opening` up to the first index page."""
        opening = self.opening
        if opening is None:
            return []
        end = self.first_index if self.first_index is not None else len(self.pages) + 1
        return [page for page in self.pages if opening <= page.number < end]

    def opens_section(self, page: Page) -> bool:
        return page.number in self.sections.values()


@dataclass(frozen=True)
class Readout:
    """What poppler reads of a PDF: the book of lines, and the fonts' and pictures' tables."""

    book: Book
    pdffonts: str  # `pdffonts`'s table
    pdfimages: str  # `pdfimages -list`'s table
    lang: str = ""  # the document's language (the catalogue's /Lang)


def read(pdf: Path) -> Readout:
    """The book the PDF shows, with `pdffonts`'s and `pdfimages -list`'s tables.

    pdftotext costs a few milliseconds a page whatever the page holds, so the pages are
    read in as many runs side by side as there are cores, beside the other commands.
    """
    with _fast_to_read(pdf) as (readable, lang):
        count = int(re.search(r"^Pages:\s+(\d+)", _poppler(pdf, readable, ["pdfinfo"])[0], re.M).group(1))
        runs = min(os.cpu_count() or 1, count) or 1
        firsts = [1 + count * run // runs for run in range(runs)]
        ranges = [(first, last - 1) for first, last in zip(firsts, [*firsts[1:], count + 1], strict=True)]
        texts = [["pdftotext", "-bbox-layout", "-f", str(first), "-l", str(last)] for first, last in ranges]
        *boxes, fonts, dests, images = _poppler(
            pdf, readable, *texts, ["pdffonts"], ["pdfinfo", "-dests"], ["pdfimages", "-list"])
    height = float(re.search(r'<page width="[^"]*" height="([^"]*)"', boxes[0])[1]) if count else 0.0
    pages = [page for text in boxes for page in _lines_by_page(text)]
    return Readout(_book(pages, *_sections(dests, height)), fonts, images, lang)


@contextmanager
def _fast_to_read(pdf: Path) -> Iterator[tuple[Path, str]]:
    """`pdf` as poppler reads it fast: a copy without its output intents (the PDF/A's or PDF/X's profile).

    poppler makes the output intent's colour transforms afresh for every page it reads (lcms
    inverting the profile's tone curves): on a PDF/A that was six sevenths of pdftotext's time and
    nearly all of pdfimages's. Nothing the proof reads (words, fonts, destinations, pictures)
    depends on it. A file pikepdf cannot open is read as it is, for poppler to say what is wrong.
    """
    import pikepdf  # start-up time: a tenth of a second to import, and only the proof needs it

    with tempfile.TemporaryDirectory(prefix="pressroom-proof-") as folder:
        copy = Path(folder) / "proof.pdf"
        lang = ""
        try:
            with pikepdf.open(pdf) as document:
                lang = str(document.Root.get("/Lang", ""))  # the proof's rules of a capital need it
                if "/OutputIntents" in document.Root:
                    del document.Root["/OutputIntents"]
                    document.save(copy, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        except (pikepdf.PdfError, OSError):
            pass
        yield (copy if copy.is_file() else pdf), lang


def _poppler(pdf: Path, readable: Path, *commands: list[str]) -> list[str]:
    """The output of each poppler command on `readable` (`pdf` or its copy), run side by side; a PDF
    poppler cannot read is an error, named by `pdf`."""
    if not readable.is_file():
        raise UsageError(f"{pdf}: no such file")

    def run(command: list[str]) -> subprocess.CompletedProcess:
        stdout = ["-"] if command[0] == "pdftotext" else []
        return subprocess.run([*command, str(readable), *stdout], capture_output=True)

    try:
        with ThreadPoolExecutor(max_workers=len(commands)) as pool:  # threads: each reads its own pipe
            runs = list(pool.map(run, commands))
    except FileNotFoundError as error:
        raise PressroomError(f"{error.filename}: not found; the proof needs poppler-utils") from None
    for command, done in zip(commands, runs, strict=True):
        if done.returncode:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"{command[0]} failed"]
            reason = [line.replace(str(readable), str(pdf)) for line in reason]
            raise UsageError(f"{pdf}: not a readable PDF ({reason[0]})")
    return [done.stdout.decode("utf-8", "replace") for done in runs]


def _sections(dests: str, page_height: float) -> tuple[dict[str, int], float, dict[int, tuple[float, ...]]]:
    """The page of every section id (`opening`, `interview`, `film-index` ...) from `pdfinfo -dests`, how
    far down the page the highest section begins (a section opening a page begins at the text block's
    top), and where on each page its numbered paragraphs begin."""
    sections: dict[str, int] = {}
    paragraphs: dict[int, list[float]] = {}
    top = float("inf")
    for match in re.finditer(r'^\s*(\d+)\s+\[\s*XYZ\s+\S+\s+(\S+).*\]\s+"(.*)"$', dests, re.M):
        page, y, name = int(match.group(1)), match.group(2), match.group(3)
        if y != "null" and _PARAGRAPH.fullmatch(name):
            paragraphs.setdefault(page, []).append(page_height - float(y))  # PDF y counts up from the page's foot
        if not _NUMBERED.search(name):
            sections.setdefault(name, page)
            if y != "null":
                top = min(top, page_height - float(y))
    return sections, top, {page: tuple(tops) for page, tops in paragraphs.items()}


def _lines_by_page(xhtml: str) -> list[list[Line]]:
    """The lines of each page, from pdftotext's word boxes.

    Read by a pattern over pdftotext's own fixed markup, not an XML parser: over a 500-page
    book's 22 MB of boxes, reading them took 2.0 s with ElementTree and 1.0 s so (its proof 3.8 -> 2.5 s)."""
    pages: list[list[Line]] = []
    boxes: list[_Box] | None = None
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


def _line(boxes: list[_Box]) -> Line:
    """A pdftotext line from its word boxes; its height and baseline are its most common word's
    (a superscript's are not)."""
    heights = [round(bottom - top, 1) for _, top, _, bottom, _ in boxes]
    height = Counter(heights).most_common(1)[0][0]
    main = [box for box, box_height in zip(boxes, heights, strict=True) if box_height == height]
    words = tuple(Word(left, right, text) for left, _, right, _, text in sorted(boxes))
    return Line(min(box[1] for box in main), max(box[3] for box in main), height, words)


def _joined(lines: list[Line]) -> list[Line]:
    """Lines on one baseline and of one height made one (a running head's folio and title, a loose line)."""
    joined: list[Line] = []
    for line in sorted(lines, key=lambda line: (line.bottom, line.left)):
        last = joined[-1] if joined else None
        if last and abs(last.bottom - line.bottom) < GRID and abs(last.height - line.height) < GRID:
            joined[-1] = Line(min(last.top, line.top), max(last.bottom, line.bottom), max(last.height, line.height),
                              tuple(sorted(last.words + line.words, key=lambda w: w.left)))
        else:
            joined.append(line)
    return joined


def _book(pages: list[list[Line]], sections: dict[str, int], section_top: float,
          paragraph_tops: dict[int, tuple[float, ...]]) -> Book:
    """The pages with their body lines and top margins told apart, by the measures the PDF itself shows."""
    weights = Counter()
    for lines in pages:
        for line in lines:
            weights[line.height] += len(line.words)
    body_height = weights.most_common(1)[0][0] if weights else 0.0

    def is_body_size(line: Line) -> bool:
        return abs(line.height - body_height) <= _SAME_HEIGHT * body_height

    sized = [[line for line in lines if is_body_size(line)] for lines in pages]
    pitch = _mode((b.bottom - a.bottom for lines in sized for a, b in pairwise(lines)), default=body_height)
    # The text block begins where the highest section or run of body lines begins (a running head has a gap
    # below it); a short book may have no page of body lines from the top, but it has sections.
    runs = (a.top for lines in sized for a, b in pairwise(lines) if abs(b.bottom - a.bottom - pitch) <= GRID)
    text_top = min((*runs, section_top))
    if text_top == float("inf"):  # neither: no top margin to tell apart
        text_top = 0.0
    # The measure: the width of the book's justified lines, the widest it sets (a page of one-line turns
    # has few or none, so its own lines cannot tell where its right edge is).
    widths = [line.right - line.left for lines in sized for line in lines]
    widest = max(widths, default=0.0)
    measure = _mode((width for width in widths if width >= _FULL_LINE * widest), widest)
    built = []
    for number, (lines, body_sized) in enumerate(zip(pages, sized, strict=True), start=1):
        head = tuple(line for line in lines if line.bottom <= text_top)
        body = tuple(line for line in body_sized if line.bottom > text_top)
        left = _mode((line.left for line in body), 0.0)
        built.append(Page(number, tuple(lines), body, head, left, left + measure))
    text_bottom = max((line.bottom for page in built for line in page.body), default=float("inf"))
    return Book(tuple(built), sections, pitch, text_bottom, paragraph_tops)


def _mode(values: Iterable[float], default: float) -> float:
    """The most common value, to a tenth of a point."""
    counts = Counter(round(v, 1) for v in values)
    return counts.most_common(1)[0][0] if counts else default
