"""The print edition's XHTML, with what the fitting has decided so far (see fitting.py).

What the fitting decides is one frozen value, `Decisions`: each pass makes a new one, which the
edition takes in place of the last; a trial layout is made from an edition with other decisions
(`PrintEdition.trying`), so a fit that is not kept leaves nothing to undo.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..core.model import Book, Collection, Image, plain_text
from ..core.options import BuildOptions
from ..reading.images import PRINT_PPI, data_url, for_press, ppi
from ..reading.index import PageSpan
from .boxes import common_line_height, text_height, text_width
from .pagebreaks import hold_dashes, keep_whole, track_lines, with_classes
from .pdfx import CMYK_PROFILE
from .typesetter import Typeset, with_metadata
from .xhtml import INDEX_PARTS, FigureSize, Renderer, chapter_interview_id, xhtml_page

_PT_PER_PX = 0.75  # WeasyPrint's boxes measure in CSS pixels
_FIGURE_DEPTH = 0.6  # the most of the text block's depth a picture takes: the rest is for its caption and text
_FIGURE_LEAST_LINES = 3  # a picture no shorter than three lines of text
_CAPTION_LEAST = 0.6  # a caption is at least this much of the measure wide, under a narrow picture

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decisions:
    """What the layouts so far have decided about the text; a change is a new value.

    whole: (paragraph, word) never hyphenated.
    fitted: paragraph -> "loose" or "tight": to mend a loose line or a stranded word, or fill a page.
    tracked: paragraph -> (first, last word) of a loose line -> steps of letter-spacing.
    held: figure -> paragraphs it is set after: floated on past a page it left short.
    long: (run, page, foot margin): page `page` (from 0) of the run laid out alone that opens with the
    part `run`, set a line long by a foot margin of `foot margin` (CSS px); a spread at a time.
    """

    whole: frozenset[tuple[str, int]] = frozenset()
    fitted: Mapping[str, str] = field(default_factory=dict)
    tracked: Mapping[str, Mapping[tuple[int, int], int]] = field(default_factory=dict)
    held: Mapping[str, int] = field(default_factory=dict)
    long: frozenset[tuple[str, int, float]] = frozenset()

    def keeping_whole(self, words: Iterable[tuple[str, int]]) -> Decisions:
        """These decisions, and `words` (paragraph, word) never hyphenated."""
        return replace(self, whole=self.whole | frozenset(words))

    def holding_more(self, figures: Mapping[str, int]) -> Decisions:
        """These decisions, with each of `figures` (figure -> paragraphs) set that much further on."""
        held = dict(self.held)
        for ident, paragraphs in figures.items():
            held[ident] = held.get(ident, 0) + paragraphs
        return replace(self, held=held)

    def tracking(self, tracked: Mapping[str, Mapping[tuple[int, int], int]]) -> Decisions:
        """These decisions, with the lines letter-spaced as `tracked` says (every paragraph's)."""
        return replace(self, tracked=tracked)

    def fitting(self, paragraphs: Mapping[str, str]) -> Decisions:
        """These decisions, with `paragraphs` set looser or tighter: their lines break anew, so their
        letter-spaced lines go."""
        tracked = {p: lines for p, lines in self.tracked.items() if p not in paragraphs}
        return replace(self, fitted={**self.fitted, **paragraphs}, tracked=tracked)

    def lengthening(self, run: str, pages: Iterable[int], foot: float) -> Decisions:
        """These decisions, with `pages` the long pages of the run `run`, their foot margin `foot`."""
        kept = frozenset(page for page in self.long if page[0] != run)
        return replace(self, long=kept | {(run, page, foot) for page in pages})

    def long_pages(self, run: str) -> frozenset[int]:
        """The pages of the run `run` set a line long."""
        return frozenset(page for named, page, _ in self.long if named == run)

    def adopting(self, other: Decisions) -> Decisions:
        """These decisions, and what another process decided (about other paragraphs than these)."""
        return Decisions(self.whole | other.whole, {**self.fitted, **other.fitted}, {**self.tracked, **other.tracked},
                         {**self.held, **other.held}, self.long | other.long)


class PrintEdition:
    """The print edition's XHTML, with what the layouts so far have decided (`decisions`): the words to
    keep whole (not hyphenated), the paragraphs and lines to letter-space, the figures to float on."""

    def __init__(self, doc: Book, options: BuildOptions, typeset: Typeset):
        self.doc, self.options = doc, options
        self.figure_sizes = figure_sizes(typeset, doc)
        self.decisions = Decisions()
        self._press_pictures: dict[Image, str] = {}  # separated once: every layout of the book asks again
        self.unpaged = self._renderer(None).parts()  # as laid out before any page is known
        self.index_names = tuple(part.name for part in self.unpaged if part.name in INDEX_PARTS)  # those the book has
        chapters = doc.chapters if isinstance(doc, Collection) else ()
        self.openings = (  # the sections, each opening a page, and the interviews of a collection's chapters
            *(part.name for part in self.unpaged), *(chapter_interview_id(chapter.chapter) for chapter in chapters))

    def trying(self, decisions: Decisions) -> PrintEdition:
        """This edition with other decisions, for a layout that may not be kept: this one is left as it is."""
        trial = copy.copy(self)
        trial.decisions = decisions
        return trial

    def _renderer(self, pages: dict[str, PageSpan] | None, section_pages: Mapping[str, int] | None = None,
                  columned_indexes: frozenset[str] = frozenset()) -> Renderer:
        return Renderer(self.doc, pages=pages, print_edition=True, columned_indexes=columned_indexes,
                        section_pages=section_pages, figure_sizes=self.figure_sizes, held_figures=self.decisions.held,
                        picture_url=self._press_picture if self.options.pdfx else data_url)

    def book(self, pages: dict[str, PageSpan] | None, names: Iterable[str] | None = None,
             section_pages: Mapping[str, int] | None = None) -> str:
        """The book's XHTML, or only its parts `names` (a collection laid out a part at a time)."""
        decisions = self.decisions
        renderer = self._renderer(pages, section_pages)
        unpaged = names is not None and pages is None and section_pages is None and not decisions.held  # as at first
        parts = self.unpaged if unpaged else renderer.parts()
        wanted = set(names) if names is not None else None
        body = renderer.running_head() + "".join(part.body for part in parts if wanted is None or part.name in wanted)
        xhtml = with_classes(keep_whole(self._page(body), decisions.whole), decisions.fitted)
        lines = {p: {words: _tracking_class(steps) for words, steps in tracked.items()}
                 for p, tracked in decisions.tracked.items()}
        xhtml = track_lines(xhtml, lines)
        if names is not None:  # laid out alone, the run's pages count from 1
            run = self.run(names)
            rules = "".join(f"@page :nth({page + 1}) {{ margin-bottom: {foot:.3f}px; }}"
                            for named, page, foot in sorted(decisions.long) if named == run)
            xhtml = xhtml.replace("</head>", f"<style>{rules}</style>\n</head>", 1) if rules else xhtml
        return with_metadata(xhtml, self.doc, self.options)

    def run(self, names: Iterable[str] | None) -> str:
        """The part that opens a run of the book laid out alone (its parts `names`), as the long pages name it."""
        wanted = set(names) if names is not None else set()
        return next((part.name for part in self.unpaged if part.name in wanted), "")

    def indexes(self, pages: dict[str, PageSpan], columned: frozenset[str]) -> str:
        """The index parts alone (not the whole book again), those of `columned` set in two columns."""
        renderer = self._renderer(pages, columned_indexes=columned)
        return self._page(renderer.running_head() + "".join(part.body for part in renderer.index_parts()))

    def _press_picture(self, image: Image) -> str:
        """The picture as a PDF/X holds it, CMYK for the press (see images.for_press)."""
        if image not in self._press_pictures:
            self._press_pictures[image] = data_url(for_press(image, CMYK_PROFILE))
        return self._press_pictures[image]

    def _page(self, body: str) -> str:
        return xhtml_page(plain_text(self.doc.front.title), self.doc.front.lang, hold_dashes(body), stylesheet=None)


def _tracking_class(steps: int) -> str:
    return f"track-{steps}" if steps > 0 else f"tighten-{-steps}"


def figure_sizes(typeset: Typeset, doc: Book) -> dict[str, FigureSize]:
    """Each figure's picture printed the full measure wide (narrower if it would stand taller than
    `_FIGURE_DEPTH` of the page), its height a whole number of lines: with the caption's lines and the
    figure's margins of a line, a figure keeps the text around it on the baseline grid."""
    figures = doc.figures
    if not figures:
        return {}
    probe = typeset(xhtml_page("", doc.front.lang, "<p>x</p>", stylesheet=None)).pages[0]
    # to 0.01 pt: a picture a hair taller than its lines would leave no room for the last line of a page
    measure, line, depth = (round(length * _PT_PER_PX, 2)
                            for length in (text_width(probe), common_line_height(probe), text_height(probe)))
    most_lines = max(int(depth * _FIGURE_DEPTH // line), _FIGURE_LEAST_LINES)
    sizes = {}
    for figure in figures:
        aspect = figure.image.width / figure.image.height
        lines = min(max(round(measure / aspect / line), _FIGURE_LEAST_LINES), most_lines)
        height = lines * line
        width = min(measure, height * aspect)
        sizes[figure.ident] = FigureSize(width, height, (measure - max(width, measure * _CAPTION_LEAST)) / 2)
    return sizes


def warn_of_low_resolution(doc: Book, sizes: Mapping[str, FigureSize]) -> None:
    """A warning, at the figure in its source, for each picture that prints under `PRINT_PPI`."""
    for figure in doc.figures:
        printed = sizes[figure.ident].width
        resolution = ppi(figure.image, printed)
        if resolution < PRINT_PPI - 0.5:
            needed = math.ceil(PRINT_PPI * printed / 72)
            logger.warning(
                "%s:%d:%d: picture '%s' prints at %.0f ppi, under the %d ppi a printer asks: it is %d pixels wide "
                "and prints %.2f in wide (%d pixels needed)", figure.source, figure.pos.line, figure.pos.column,
                figure.image.name, resolution, PRINT_PPI, figure.image.width, printed / 72, needed)
