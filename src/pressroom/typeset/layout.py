"""The print edition's layout, and what the other editions learn from it.

WeasyPrint lays the book out (see `lay_out`); from the result we read on
which pages every mention landed (first and last), for the printed indexes, and where every page
of the text begins, for the EPUB's page-list. The build lays the book out once
and hands the `Layout` to the writers that need it.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import logging
import math
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from .boxes import common_line_height, extent, line_widenings, paragraph_lines, room_below_text, text_height, text_width
from ..core.errors import CheckError
from .xhtml import INDEX_PARTS, FigureSize, Renderer, chapter_interview_id, xhtml_page
from ..reading.images import PRINT_PPI, data_url, for_press, ppi
from .hyphenation import bad_breaks, lines_by_paragraph, stranded_words
from ..reading.index import PageSpan
from ..core.model import Book, Collection, Image, plain_text
from ..core.options import BuildOptions
from .pdfx import CMYK_PROFILE
from .pagebreaks import (
    PARAGRAPH_ID_PREFIX, RUN_ON, PageStart, hold_dashes, keep_whole, line_words, only_paragraphs, page_starts, track_lines,
    with_classes,
)

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

BODY_FONT_PACKAGE = "fontpkg_spectral"  # static files with true small capitals: no per-size instancing
BODY_FONT = "Spectral"
_WEIGHTS = (  # the font files the book uses, and their CSS weights
    ("Regular", 400), ("Italic", 400), ("SemiBold", 600), ("SemiBoldItalic", 600), ("Bold", 700), ("BoldItalic", 700),
)
_LAYOUTS = 3  # tries for the contents page to settle: it rarely takes more than one
_FITTING_LAYOUTS = 6  # each costs a whole layout (about 0.5 s a book); what is left after them, proof reports
_MAX_LAYOUTS = 8  # the last ones only keep words whole: a name is never left broken
_TRIALS = 3  # layouts `_measured_fits` may spend trying fits for pages the estimates could not fill
_UNLAID = "[data-unlaid] { display: none !important; }"  # the paragraphs a probe leaves out (see `_probe`)
_MOST_MEASURED = 3  # short pages left past which a book is not worth its trials (a layout each): proof reports them
_PARAGRAPH_TRACKING = {"loose": 0.018, "tight": -0.02}  # print.css's p.loose and p.tight, in em
_LETTER = 0.5  # an average letter's width, in em: letter-spacing t gives t / _LETTER characters a character
_LOOSE_LINE = 0.4  # em added to a word space by justification past which a line looks loose (the gap near 3 spaces)
_TRACKED_LINE = 0.35  # what a letter-spaced loose line's word spaces are widened at most, in em (under `_LOOSE_LINE`)
_LINE_TRACKING_STEP, _LINE_TRACKING_STEPS = 0.005, 8  # print.css's .track-1 ... .track-8, in em
_LINE_TIGHTENING_STEPS = 4  # print.css's .tighten-1 ... .tighten-4, as many steps of -0.005 em
_NO_MARGIN_BOXES = "@page :first { " + " ".join(
    f"@{box} {{ content: none; }}" for box in ("top-left", "top-center", "top-right", "bottom-center")
) + " }"

_PT_PER_PX = 0.75  # WeasyPrint's boxes measure in CSS pixels
_FIGURE_DEPTH = 0.6  # the most of the text block's depth a picture takes: the rest is for its caption and text
_FIGURE_LEAST_LINES = 3  # a picture no shorter than three lines of text
_MOST_HELD = 6  # paragraphs a figure may float on past its place in the source
_CAPTION_LEAST = 0.6  # a caption is at least this much of the measure wide, under a narrow picture

logger = logging.getLogger(__name__)

Typeset = Callable[..., "Rendered"]  # (XHTML, *extra CSS) -> the laid-out pages


@dataclass(frozen=True)
class Layout:
    """A laid-out print edition."""

    rendered: Rendered  # ready for write_pdf
    mention_pages: dict[str, PageSpan]  # mention anchor -> the folios its text begins and ends on
    page_starts: tuple[PageStart, ...]  # the pages of the text (headnote to interview), in order


def lay_out(doc: Book, options: BuildOptions) -> Layout:
    """The book laid out, with every mention on the page its index entry prints."""
    typeset = _typesetter(options)
    rendered, pages = settle(typeset, doc, options)
    starts = page_starts(paragraph_lines(page, PARAGRAPH_ID_PREFIX) for page in rendered.pages)
    return Layout(_even(rendered, typeset, doc), pages, starts)


def _even(rendered: Rendered, typeset: Typeset, doc: Book) -> Rendered:
    """The book with a blank last verso when it would end on a recto: a printed book has an even page count."""
    if len(rendered.pages) % 2 == 0:
        return rendered
    return rendered.copy(rendered.pages + _blank_page(typeset, doc))


def _blank_page(typeset: Typeset, doc: Book) -> list:
    """A page with nothing on it, not even a folio: to end a book on a verso, or open a chapter on a recto."""
    return typeset(xhtml_page(plain_text(doc.front.title), doc.front.lang, "", stylesheet=None), _NO_MARGIN_BOXES).pages[:1]


def _typesetter(options: BuildOptions) -> Typeset:
    """WeasyPrint with print.css, the trim asked for and the body face, reading only the styles and fonts."""
    from weasyprint import CSS, HTML  # heavy: imported only when a layout is needed
    from weasyprint.text.fonts import FontConfiguration

    from .fetch import ConfinedFetcher

    fonts = font_dir()
    fetcher = ConfinedFetcher([options.styles_dir, fonts])
    font_config = FontConfiguration()  # @font-face rules only take effect through one

    def css(**source: str) -> CSS:
        return CSS(**source, url_fetcher=fetcher, font_config=font_config)

    stylesheets = [
        css(string=_font_faces(fonts)),
        css(filename=str(options.styles_dir / "print.css")),
        css(string=_page_setup(options)),
    ]
    tagged = options.tagged_pdf
    base_url = options.styles_dir.as_uri() + "/"

    def typeset(xhtml: str, *extra_css: str) -> Rendered:
        sheets = stylesheets + [css(string=extra) for extra in extra_css]
        document = HTML(string=xhtml, base_url=base_url, url_fetcher=fetcher)
        return document.render(stylesheets=sheets, font_config=font_config, pdf_tags=tagged)

    return typeset


def settle(typeset: Typeset, doc: Book, options: BuildOptions) -> tuple[Rendered, dict[str, PageSpan]]:
    """The laid-out book and the pages of every mention, once every index prints those pages.

    The book is laid out in three runs of pages, joined: the front matter (half-title to
    contents), the text, and the indexes. Only the text is fitted (see `_fitted`), a layout a
    pass, so the passes do not lay out again what they never change; a collection's text a
    chapter or part title at a time, since each opens on a recto. The front matter is laid out
    first with placeholder page numbers in its contents, to know where the text begins, and again
    at the end with the real ones; the indexes come last, with the real pages of every mention.
    Should the contents then take another number of pages, everything after it is laid out again
    from there; after `_LAYOUTS` tries the build fails rather than print a wrong number.
    """
    html = _Print(doc, options, typeset)
    _warn_of_low_resolution(doc, html.figure_sizes)
    front = [part.name for part in html.unpaged if not part.in_contents]  # half-title to contents
    text = [part.name for part in html.unpaged if part.in_contents and part.name not in INDEX_PARTS]
    groups = [[name] for name in text] if isinstance(doc, Collection) else [text]  # each opens on a recto
    placeholder = {part.name: 888 for part in html.unpaged}  # as wide as a real folio
    front_pages = typeset(html.book(None, front, placeholder)).pages
    laid = _fit_groups(typeset, html, groups, _recto_after(len(front_pages)))  # (group, its first page) -> its pages
    blank = _blank_page(typeset, doc)
    for _ in range(_LAYOUTS):
        pages, opens = list(front_pages), {}
        for group in groups:
            pages += blank * (len(pages) % 2)  # a recto next
            key = (tuple(group), len(pages) + 1)
            if key not in laid:
                laid[key] = typeset(html.book(None, group), *_numbered_from(key[1])).pages
            opens |= {name: len(pages) + _page_of(laid[key], name) for name in group}
            pages += laid[key]
        pages += blank * (len(pages) % 2)
        mentions = _mention_pages(pages, doc)
        indexes = _indexes_from(typeset, html, mentions, len(pages) + 1).pages if html.index_names else []
        opens |= {name: len(pages) + _page_of(indexes, name) for name in html.index_names}
        contents = typeset(html.book(None, front, opens))
        if len(contents.pages) == len(front_pages):
            return contents.copy(contents.pages + pages[len(front_pages):] + indexes), mentions
        front_pages = contents.pages
    raise CheckError(f"{doc.source_name}: the contents page did not settle after {_LAYOUTS} layouts")


def _recto_after(pages: int) -> int:
    """The first page after `pages` pages that is a recto (odd)."""
    return pages + 1 + pages % 2


@dataclass(frozen=True)
class _Decisions:
    """The state of `_Print` that the fitting decides (see its attributes)."""

    whole: frozenset[tuple[str, int]]
    fitted: dict[str, str]
    tried: frozenset[str]
    tracked: dict[str, dict[tuple[int, int], int]]
    held: dict[str, int]


class _Print:
    """The print edition's XHTML, with what the layouts so far have decided: the words to keep
    whole (not hyphenated), the paragraphs and lines to letter-space, the indexes to set in two columns."""

    def __init__(self, doc: Book, options: BuildOptions, typeset: Typeset):
        self.doc, self.options = doc, options
        self.figure_sizes = _figure_sizes(typeset, doc)
        self.held: dict[str, int] = {}  # figure -> paragraphs it is set after: floated on past a page it left short
        self.whole: set[tuple[str, int]] = set()  # (paragraph, word) never hyphenated
        self.fitted: dict[str, str] = {}  # paragraph -> "loose" or "tight": to close up a stranded word, or fill a page
        self.tried: set[str] = set()  # paragraphs fitted once: a fit that made things worse is undone, not retried
        self.tracked: dict[str, dict[tuple[int, int], int]] = {}  # paragraph -> (first, last word) of a loose line -> steps
        self.columned_indexes: frozenset[str] = frozenset()
        self.unpaged = self.renderer(None).parts()  # as laid out before any page is known
        self.index_names = tuple(part.name for part in self.unpaged if part.name in INDEX_PARTS)  # those the book has
        chapters = doc.chapters if isinstance(doc, Collection) else ()
        self.openings = (  # the sections, each opening a page, and the interviews of a collection's chapters
            *(part.name for part in self.unpaged), *(chapter_interview_id(chapter.chapter) for chapter in chapters))

    def renderer(self, pages: dict[str, PageSpan] | None, section_pages: Mapping[str, int] | None = None) -> Renderer:
        return Renderer(self.doc, pages=pages, print_edition=True, columned_indexes=self.columned_indexes,
                        section_pages=section_pages, figure_sizes=self.figure_sizes, held_figures=self.held,
                        picture_url=_press_picture if self.options.pdfx else data_url)

    def book(self, pages: dict[str, PageSpan] | None, names: Iterable[str] | None = None,
             section_pages: Mapping[str, int] | None = None) -> str:
        """The book's XHTML, or only its parts `names` (a collection laid out a part at a time)."""
        renderer = self.renderer(pages, section_pages)
        unpaged = names is not None and pages is None and section_pages is None and not self.held  # as first rendered
        parts = self.unpaged if unpaged else renderer.parts()
        wanted = set(names) if names is not None else None
        body = renderer.running_head() + "".join(part.body for part in parts if wanted is None or part.name in wanted)
        xhtml = with_classes(keep_whole(self._page(body), self.whole), self.fitted)
        lines = {p: {words: _tracking_class(steps) for words, steps in tracked.items()} for p, tracked in self.tracked.items()}
        return _with_metadata(track_lines(xhtml, lines), self.doc, self.options)

    def indexes(self, pages: dict[str, PageSpan]) -> str:
        renderer = self.renderer(pages)  # the index parts alone: not the whole book again
        return self._page(renderer.running_head() + "".join(part.body for part in renderer.index_parts()))

    def decisions(self) -> _Decisions:
        """What the layouts so far have decided about the text, to hand to another process."""
        return _Decisions(frozenset(self.whole), dict(self.fitted), frozenset(self.tried), dict(self.tracked), dict(self.held))

    def adopt(self, decisions: _Decisions) -> None:
        """Take over what another process decided (about other paragraphs than this one's)."""
        self.whole |= decisions.whole
        self.fitted |= decisions.fitted
        self.tried |= decisions.tried
        self.tracked |= decisions.tracked
        self.held |= decisions.held

    def restore(self, decisions: _Decisions) -> None:
        """Go back to what `decisions` (from `decisions()`) had decided: a trial fit is taken back."""
        self.whole, self.fitted, self.tried = set(decisions.whole), dict(decisions.fitted), set(decisions.tried)
        self.tracked, self.held = dict(decisions.tracked), dict(decisions.held)

    def track(self, paragraphs: Mapping[str, str], undo: Iterable[str] = ()) -> None:
        """Set `paragraphs` looser or tighter (and `undo` as before): their lines break anew, so their
        letter-spaced lines go."""
        self.fitted.update(paragraphs)
        self.tried |= set(paragraphs)
        for paragraph in [*paragraphs, *undo]:
            self.tracked.pop(paragraph, None)
        for paragraph in undo:
            self.fitted.pop(paragraph, None)

    def _page(self, body: str) -> str:
        return xhtml_page(plain_text(self.doc.front.title), self.doc.front.lang, hold_dashes(body), stylesheet=None)


def _press_picture(image: Image) -> str:
    return data_url(for_press(image, CMYK_PROFILE))


def _figure_sizes(typeset: Typeset, doc: Book) -> dict[str, FigureSize]:
    """Each figure's picture printed the full measure wide (narrower if it would stand taller than
    `_FIGURE_DEPTH` of the page), its height a whole number of lines: with the caption's lines and the
    figure's margins of a line, a figure keeps the text around it on the baseline grid."""
    figures = doc.figures
    if not figures:
        return {}
    probe = typeset(xhtml_page("", doc.front.lang, "<p>x</p>", stylesheet=None)).pages[0]
    # to 0.01 pt: a picture a hair taller than its lines would leave no room for the last line of a page
    measure, line, depth = (round(length * _PT_PER_PX, 2) for length in (text_width(probe), common_line_height(probe), text_height(probe)))
    most_lines = max(int(depth * _FIGURE_DEPTH // line), _FIGURE_LEAST_LINES)
    sizes = {}
    for figure in figures:
        aspect = figure.image.width / figure.image.height
        lines = min(max(round(measure / aspect / line), _FIGURE_LEAST_LINES), most_lines)
        height = lines * line
        width = min(measure, height * aspect)
        sizes[figure.ident] = FigureSize(width, height, (measure - max(width, measure * _CAPTION_LEAST)) / 2)
    return sizes


def _warn_of_low_resolution(doc: Book, sizes: Mapping[str, FigureSize]) -> None:
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


def _tracking_class(steps: int) -> str:
    return f"track-{steps}" if steps > 0 else f"tighten-{-steps}"


def _fitted(typeset: Typeset, html: _Print, names: Iterable[str] | None = None, first_page: int = 1) -> Rendered:
    """The book (or its parts `names`, numbered from `first_page`) laid out until no word is hyphenated
    against the rules of hyphenation.py, no line is loose and no page in the middle of a section runs
    short (or the passes run out: `proof` then reports what is left).

    A page runs short when widow and orphan control, a subhead's keep or a note sends a line on;
    as a typesetter would, a paragraph on it is tracked a little looser, to make one more line.
    """
    rendered = None
    for layouts in range(1, _MAX_LAYOUTS + 1):
        rendered = None  # the last layout's boxes go before the next is made: two books at once double the memory
        rendered = typeset(html.book(None, names), *_numbered_from(first_page))
        lines = _laid_lines(rendered)
        bad = bad_breaks(lines) - html.whole
        html.whole |= bad
        fitting = layouts < _FITTING_LAYOUTS
        refitted = fitting and (_float_figures(rendered, html) or _refit(rendered, lines, html))
        if not bad and not refitted:
            return _measured_fits(typeset, html, rendered, names, first_page) if fitting else rendered
    return rendered


def _float_figures(rendered: Rendered, html: _Print) -> bool:
    """Hold each figure that stands at the head of a page and left the page before it short (it did
    not fit at its foot) one paragraph further on, so that text fills that page, as a typesetter floats
    a picture; False if no figure moved. A figure goes at most `_MOST_HELD` paragraphs from its place."""
    moved = False
    pages = rendered.pages
    for ident in html.figure_sizes:
        number = next((n for n, page in enumerate(pages) if ident in page.anchors), 0)
        if not number or html.held.get(ident, 0) >= _MOST_HELD or _opens(pages, number, html.openings):
            continue
        page, before = pages[number], pages[number - 1]
        line = common_line_height(before)
        top = extent(page, ident)
        at_head = top is not None and top[0] < page._page_box.content_box_y() + 2 * line
        if at_head and room_below_text(before) + 0.01 >= line:
            html.held[ident] = html.held.get(ident, 0) + 1
            moved = True
    return moved


def _opens(pages: Sequence, number: int, openings: Iterable[str]) -> bool:
    """Whether page `number` (from 0) opens a section: a section's id is on every page it runs over."""
    return number == 0 or any(name in pages[number].anchors and name not in pages[number - 1].anchors for name in openings)


def _refit(rendered: Rendered, lines: list[list[tuple[str, str]]], html: _Print) -> bool:
    """Letter-space what the layout `rendered` left loose or short; False if nothing is.

    First the lines: a loose line (word spaces widened past `_LOOSE_LINE`) is letter-spaced just enough
    to bring them under `_TRACKED_LINE`, less than its slack, so its words stay on it. A line
    too loose for that, or a word WeasyPrint stranded mid-paragraph, has its paragraph tracked
    (18 units), which breaks its lines anew; WeasyPrint 70 can break a tracked line early after
    an inline element, and a paragraph fit that leaves a loose line is taken back. (Text is never
    tracked tighter: that early break is then the rule.) Then the pages, once no paragraph moves.
    """
    texts_of = {paragraph: [line.text for line in laid] for paragraph, laid in lines_by_paragraph(lines).items()}
    seen: dict[str, int] = {}  # paragraph -> its lines met so far
    words_of: dict[str, list[tuple[int, int]]] = {}  # paragraph -> its lines' words, worked out once
    too_loose = stranded_words(lines)
    lines_tracked = False
    for page, page_lines in zip(rendered.pages, lines):
        for (paragraph, text), widening in zip(page_lines, line_widenings(page, PARAGRAPH_ID_PREFIX)):
            number = seen[paragraph] = seen.get(paragraph, -1) + 1
            if paragraph not in words_of:
                words_of[paragraph] = line_words(texts_of[paragraph])
            words = words_of[paragraph][number]
            tracking = _tracking(html, paragraph, words)
            if widening + 2 * tracking <= _LOOSE_LINE:
                continue
            steps = _line_tracking(text, widening, tracking)
            following = texts_of[paragraph][number + 1] if number + 1 < len(texts_of[paragraph]) else None
            if steps is None and following and not text.endswith(RUN_ON) and tracking <= 0:
                words, steps = (words[0], words[1] + 1), _line_tightening(text, widening, following.split()[0])
            if steps is None:
                too_loose.add(paragraph)
            else:
                html.tracked.setdefault(paragraph, {})[words] = steps
                lines_tracked = True
    chosen, undo = too_loose - html.tried, too_loose & set(html.fitted)
    if chosen or undo:
        html.track(dict.fromkeys(chosen, "loose"), undo)
        return True
    short = _short_page_fits(rendered, lines, texts_of, html)
    html.track(short)
    return lines_tracked or bool(short)


def _tracking(html: _Print, paragraph: str, words: tuple[int, int]) -> float:
    """The letter-spacing of a line, in em: its own, else its paragraph's."""
    steps = html.tracked.get(paragraph, {}).get(words)
    return steps * _LINE_TRACKING_STEP if steps is not None else _PARAGRAPH_TRACKING.get(html.fitted.get(paragraph), 0.0)


def _line_tracking(text: str, widening: float, tracking: float) -> int | None:
    """The steps of letter-spacing that bring a loose line's word spaces under `_TRACKED_LINE`; None if
    more than print.css allows. Tracking t em widens each word space by 2t (the letter before it, and
    the space itself) and takes t x letters / spaces from what justification adds to each."""
    spaces = len(text.split()) - 1
    per_space = len(text) / spaces if spaces else 0
    if per_space <= 2:
        return None
    wanted = (widening + tracking * per_space - _TRACKED_LINE) / (per_space - 2)  # em per letter
    steps = math.ceil(wanted / _LINE_TRACKING_STEP - 1e-9)
    return steps if steps <= _LINE_TRACKING_STEPS else None


def _line_tightening(text: str, widening: float, following: str) -> int | None:
    """The steps of negative letter-spacing (-1 a step) that bring the next line's first word up onto a
    loose line (one it cannot be letter-spaced out of: a long name after it that is not hyphenated);
    None if more than print.css allows. Letters are taken as half an em, a space as a quarter."""
    spaces = len(text.split()) - 1
    wanted = (0.5 * len(following) + 0.25 - widening * spaces) / (len(text) + 1 + len(following))
    steps = max(math.ceil(wanted / _LINE_TRACKING_STEP - 1e-9), 1)
    return -steps if steps <= _LINE_TIGHTENING_STEPS else None


def _short_page_fits(
    rendered: Rendered, lines: list[list[tuple[str, str]]], texts_of: dict[str, list[str]], html: _Print,
) -> dict[str, str]:
    """For every page that runs short in the middle of a section, as many paragraphs as it has empty
    lines, each to be set looser to make one more line, or tighter to make one less (which lets the
    next lines up that widow or orphan control held back): those among the paragraphs on it for which
    the tracking most likely does so. Each fills its own page: the text on the pages after does not move."""
    chosen: dict[str, str] = {}
    for number, empty_lines in _short_pages(rendered, lines, html):
        here, after = lines[number], lines[number + 1]
        measure = max(len(text) for _, text in here)  # a full line, in characters
        on_page = list(dict.fromkeys(p for p, _ in here))
        going_on = {q for q, _ in after}  # of these, only the last can be on this page: the one a widow cut short
        ease = []  # (characters to spare, paragraph, fit)
        for paragraph in on_page:
            texts, last = texts_of[paragraph], len(texts_of[paragraph][-1])
            if paragraph in html.tried:
                continue
            give = sum(map(len, texts)) / _LETTER
            if paragraph not in going_on or paragraph == on_page[-1]:
                ease.append((give * _PARAGRAPH_TRACKING["loose"] - (measure - last), paragraph, "loose"))
            if paragraph not in going_on:
                ease.append((-give * _PARAGRAPH_TRACKING["tight"] - last, paragraph, "tight"))
        best = sorted((item for item in ease if item[0] > 0), reverse=True)
        chosen.update({paragraph: fit for _, paragraph, fit in best[:empty_lines]})
    return chosen


def _short_pages(rendered: Rendered, lines: list[list[tuple[str, str]]], html: _Print) -> list[tuple[int, int]]:
    """(page from 0, its empty lines) for each page of the text that runs short in the middle of a section."""
    short = []
    for number, page in enumerate(rendered.pages[:-1]):
        empty_lines = int((room_below_text(page) + 0.01) // common_line_height(page))
        if empty_lines and lines[number] and lines[number + 1] and not _opens(rendered.pages, number + 1, html.openings):
            short.append((number, empty_lines))
    return short


def _measured_fits(typeset: Typeset, html: _Print, rendered: Rendered, names: Iterable[str] | None,
                   first_page: int) -> Rendered:
    """The book with the short pages that `_short_page_fits`' estimates could not fill filled by fits
    that are measured: `rendered` itself if there are none, or no fit leaves fewer empty lines.

    A page can run several lines short: a note's call brings its note along (`footnote-policy: line`),
    and the line with the call, the lines widow control keeps with it and the note do not fit in what
    is left. Tracking one paragraph then changes nothing; a typesetter makes the page's text longer
    by as many lines as it lacks, or shorter until what was held back comes up. A paragraph breaks
    into the same lines on whatever page it falls, so two small layouts of only the paragraphs on
    and before the short pages, set looser in one and tighter in the other, say which fits make one
    line more or one less and leave no loose line or bad break. The fits are then tried, a layout
    each (at most `_TRIALS`), and one is kept only if the text has fewer empty lines with it. A text
    with more than `_MOST_MEASURED` such pages is left as it is: each trial lays out the whole text.
    """
    lines = _laid_lines(rendered)
    short = _short_pages(rendered, lines, html)
    if not short or len(short) > _MOST_MEASURED:
        return rendered
    counts = _line_counts(lines)
    near = {paragraph for number, _ in short for page in lines[max(number - 1, 0): number + 1] for paragraph, _ in page}
    changed = {fit: _probe(typeset, html, names, first_page, near, fit, counts) for fit in _PARAGRAPH_TRACKING}
    trials, empty = _TRIALS, _empty_lines(short)
    while short and trials:
        number, lacking = short.pop(0)
        for fits in _fill_or_shed(lines, number, lacking, changed):
            if not trials:
                break
            trials -= 1
            before = html.decisions()
            html.track(fits)
            trial = typeset(html.book(None, names), *_numbered_from(first_page))
            trial_lines = _laid_lines(trial)
            trial_short = _short_pages(trial, trial_lines, html)
            if _empty_lines(trial_short) < empty and not bad_breaks(trial_lines) - html.whole:
                rendered, lines, empty = trial, trial_lines, _empty_lines(trial_short)
                short = [(n, e) for n, e in trial_short if n > number]
                break
            html.restore(before)
    return rendered


def _fill_or_shed(lines: list[list[tuple[str, str]]], number: int, lacking: int,
                  changed: Mapping[str, Mapping[str, int]]) -> Iterator[dict[str, str]]:
    """The fits to try for page `number`, `lacking` lines short, best first: as many paragraphs on it
    (or the page before) made a line longer as it lacks; then one, two ... of those on it a line shorter.
    A paragraph that runs on to the next page is left alone: its line could land there."""
    going_on = {paragraph for paragraph, _ in lines[number + 1]}
    on_page = [p for p in dict.fromkeys(p for p, _ in lines[number]) if p not in going_on]
    before = [p for p in dict.fromkeys(p for p, _ in lines[number - 1]) if p not in on_page] if number else []
    longer = [p for p in reversed(on_page + before) if changed["loose"].get(p) == 1]
    shorter = [p for p in reversed(on_page) if changed["tight"].get(p) == -1]
    if len(longer) >= lacking:
        yield dict.fromkeys(longer[:lacking], "loose")
    for count in range(1, min(lacking, len(shorter)) + 1):
        yield dict.fromkeys(shorter[:count], "tight")


def _probe(typeset: Typeset, html: _Print, names: Iterable[str] | None, first_page: int,
           paragraphs: set[str], fit: str, counts: Mapping[str, int]) -> dict[str, int]:
    """For each of `paragraphs` set to `fit`, the lines it gains (or loses, below 0), laid out in one
    layout of those paragraphs alone (the others left out by CSS, so each is styled as in the book);
    a paragraph the fit leaves with a loose line, a stranded word or a break hyphenation.py forbids
    is left out."""
    before = html.decisions()
    html.track(dict.fromkeys(paragraphs, fit))
    probe = typeset(only_paragraphs(html.book(None, names), paragraphs), *_numbered_from(first_page), _UNLAID)
    html.restore(before)
    lines = _laid_lines(probe)
    spoiled = {paragraph for paragraph, _ in bad_breaks(lines) - html.whole} | stranded_words(lines)
    for page, page_lines in zip(probe.pages, lines):
        for (paragraph, _), widening in zip(page_lines, line_widenings(page, PARAGRAPH_ID_PREFIX)):
            if paragraph in paragraphs and widening + 2 * _PARAGRAPH_TRACKING[fit] > _LOOSE_LINE:
                spoiled.add(paragraph)
    laid = _line_counts(lines)
    return {paragraph: laid[paragraph] - counts[paragraph] for paragraph in paragraphs - spoiled}


def _laid_lines(rendered: Rendered) -> list[list[tuple[str, str]]]:
    """Each page's lines of numbered paragraphs, as (paragraph id, line text)."""
    return [list(paragraph_lines(page, PARAGRAPH_ID_PREFIX)) for page in rendered.pages]


def _line_counts(lines: list[list[tuple[str, str]]]) -> dict[str, int]:
    return {paragraph: len(laid) for paragraph, laid in lines_by_paragraph(lines).items()}


def _empty_lines(short: list[tuple[int, int]]) -> int:
    return sum(empty for _, empty in short)


def _fit_groups(typeset: Typeset, html: _Print, groups: list[list[str]], first_page: int) -> dict[tuple[tuple[str, ...], int], list]:
    """Fit each group of parts on its own (see `_fitted`), the first opening on `first_page`: the
    decisions go into `html`; the pages of every group are returned, by (group, first page).

    Each group opens on a recto and its pages do not depend on those of the others, so this
    process takes them in order, numbered as they print: a group it fits itself keeps its last
    fitting layout. With more than one core, worker processes fit the groups after the first
    share of the text at the same time, one at a time each, in order; this process lays each of
    those out once with the worker's decisions (a layout cannot be handed between processes)
    while the workers fit the next, and fits itself those no worker has begun when it gets there.
    The decisions are the same whichever process makes them (the book's bytes do not change).
    Workers fitting from the back until they met this process, which then laid out all theirs
    alone, left a core idle for an eighth of a 40-interview collection's build.
    """
    laid: dict[tuple[tuple[str, ...], int], list] = {}
    workers = min((os.cpu_count() or 1) - 1, len(groups) - 1)
    if multiprocessing.current_process().daemon:  # a daemon (a Dask worker) may start no processes
        workers = 0
    with contextlib.ExitStack() as stack:
        handover = None
        if workers > 0:
            context = multiprocessing.get_context("spawn")  # no fork of a process running threads (the DOCX beside)
            pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_fitter, initargs=(html.doc, html.options))
            stack.callback(pool.shutdown, cancel_futures=True)  # on an error here, the groups not begun are dropped
            handover = _Handover(pool, _handed_over(html, groups, workers), workers)
            stack.callback(handover.close)  # first: no group is handed over once the pool shuts down
        page = first_page
        for group in groups:
            fitted_by_worker = _decisions_of(handover.take(group)) if handover else None
            if fitted_by_worker is None:
                pages = _fitted(typeset, html, group, page).pages
            else:
                html.adopt(fitted_by_worker)
                pages = typeset(html.book(None, group), *_numbered_from(page)).pages
            laid[(tuple(group), page)] = pages
            page = _recto_after(page - 1 + len(pages))
    return laid


_LAYOUTS_A_FIT = 4  # about what fitting a group costs, in layouts of it (measured: 2.35 s against 0.6 s a chapter)


def _handed_over(html: _Print, groups: list[list[str]], workers: int) -> list[list[str]]:
    """The groups for the workers: those after the share of the text (by its length) that this process
    fits while they fit the rest, given that it then lays out each of theirs once."""
    sizes = [sum(len(part.body) for part in html.unpaged if part.name in group) for group in groups]
    own_share = max(1 / workers - 1 / _LAYOUTS_A_FIT, 0.0) / (1 + 1 / workers - 1 / _LAYOUTS_A_FIT)
    own, total = 0, sum(sizes)
    for count, size in enumerate(sizes):
        if own + size / 2 > own_share * total:
            return groups[count:]
        own += size
    return []


def _decisions_of(handed: Future | None) -> _Decisions | None:
    """A worker's decisions about a group, once it has made them; None if no worker has the group or
    the worker died (killed for its memory, say): this process then fits the group itself."""
    if handed is None:
        return None
    try:
        return handed.result()
    except BrokenProcessPool:
        return None


class _Handover:
    """Groups handed to a pool of fitting workers in order, one at a time a worker, so that those
    not yet handed over can be taken back by the process that lays the book out."""

    def __init__(self, pool: ProcessPoolExecutor, groups: list[list[str]], workers: int):
        self._pool, self._lock, self._closed = pool, threading.Lock(), False
        self._waiting = [tuple(group) for group in groups]
        self._handed: dict[tuple[str, ...], Future] = {}
        for _ in range(workers):
            self._hand_next()

    def _hand_next(self, finished: Future | None = None) -> None:  # also each handed group's done-callback
        with self._lock:
            if self._closed or not self._waiting or (finished is not None and finished.cancelled()):
                return
            group = self._waiting.pop(0)
            try:
                future = self._handed[group] = self._pool.submit(_fit_group, list(group))
            except (BrokenProcessPool, RuntimeError):  # a worker died, or the pool is shut: this process fits the rest
                self._waiting.insert(0, group)
                self._closed = True
                return
        future.add_done_callback(self._hand_next)  # outside the lock: it runs at once if the group is done

    def take(self, group: list[str]) -> Future | None:
        """The decisions of the worker that has `group`, to come; None if no worker has it (it is this process's).

        Should this process have to wait for a worker, it keeps the next group not handed over for
        itself: otherwise the worker that finishes takes it, and this process waits again for each."""
        with self._lock:
            key = tuple(group)
            if key in self._waiting:
                self._waiting.remove(key)
            future = self._handed.get(key)
            if future is not None and not future.done() and self._waiting:
                self._waiting.pop(0)
            return future

    def close(self) -> None:
        with self._lock:
            self._closed = True


_fitter: dict[str, object] = {}  # a fitting worker's typesetter and print edition, made once


def _start_fitter(doc: Book, options: BuildOptions) -> None:
    typeset = _typesetter(options)
    _fitter["typeset"], _fitter["html"] = typeset, _Print(doc, options, typeset)


def _fit_group(group: list[str]) -> _Decisions:
    html = _fitter["html"]
    _fitted(_fitter["typeset"], html, group)
    return html.decisions()


def _indexes_from(typeset: Typeset, html: _Print, mentions: dict[str, PageSpan], first_page: int) -> Rendered:
    """The indexes alone, numbered from `first_page`, in two columns where one runs past half a page.

    A collection's indexes are long: they are set in two columns first, and an index still past
    half a page in two columns is past it in one. Only shorter ones are laid out again in one column."""
    present = frozenset(html.index_names)
    html.columned_indexes = present
    columned = typeset(html.indexes(mentions), *_numbered_from(first_page))
    if _long_indexes(columned) == present:
        return columned
    html.columned_indexes = frozenset()
    single = typeset(html.indexes(mentions), *_numbered_from(first_page))
    html.columned_indexes = _long_indexes(single)
    if html.columned_indexes == present:
        return columned
    return single if not html.columned_indexes else typeset(html.indexes(mentions), *_numbered_from(first_page))


def _numbered_from(first_page: int) -> tuple[str, ...]:
    """CSS that numbers a separately laid-out part of the book from `first_page` on."""
    return (f"@page :first {{ counter-reset: page {first_page}; }}",) if first_page != 1 else ()


def _long_indexes(rendered: Rendered) -> frozenset[str]:
    """The indexes that run past half a page in one column: the convention sets them in two."""
    long = set()
    for name in INDEX_PARTS:
        spans = [(page, found) for page in rendered.pages if (found := extent(page, name)) is not None]
        if len(spans) > 1 or any(bottom - top > text_height(page) / 2 for page, (top, bottom) in spans):
            long.add(name)
    return frozenset(long)


def _page_of(pages: Sequence, anchor: str) -> int:
    """The page (from 1) of `pages` that `anchor` is on first."""
    return next(number for number, page in enumerate(pages, start=1) if anchor in page.anchors)


def _mention_pages(pages: Sequence, doc: Book) -> dict[str, PageSpan]:
    """The folios of the pages each indexed mention begins and ends on (folios count from the first page).

    WeasyPrint names an id on every page its box is on: a mention broken over a page break
    ("Eydel-" / "shteyn") has its anchor on both pages, and the index prints the range.
    """
    wanted = {loc.anchor for entries in doc.index.by_kind.values() for entry in entries for loc in entry.locators}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            if anchor in wanted:
                first.setdefault(anchor, number)
                last[anchor] = number
    return {anchor: PageSpan(first[anchor], last[anchor]) for anchor in first}


def _with_metadata(page: str, doc: Book, options: BuildOptions) -> str:
    """The print edition's XHTML with the metadata WeasyPrint puts in the PDF."""
    front = doc.front
    stamp = options.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = {
        "author": ", ".join(front.authors or front.interviewee_names or front.editors),
        "description": plain_text(front.subtitle),
        "keywords": ", ".join(front.keywords),
        "generator": "pressroom",
        # only a date the source gives (no "created 1980"); PDF/X requires one, and WeasyPrint would take the clock's
        "dcterms.created": stamp if front.date is not None or options.pdfx else "",
        "dcterms.modified": stamp,
    }
    tags = "".join(f'<meta name="{name}" content="{escape(value)}"/>\n' for name, value in meta.items() if value)
    return page.replace("</head>", tags + "</head>", 1)


def _page_setup(options: BuildOptions) -> str:
    """The trim, bleed and marks asked for on the command line, over print.css's defaults."""
    rules = [f"size: {options.trim};"]
    if options.bleed:
        rules.append(f"bleed: {options.bleed};")
    if options.marks:
        rules.append(f"marks: {' '.join(options.marks)};")
    page = "@page { " + " ".join(rules) + " }"
    if options.pdfx:  # black text in black ink alone: RGB black would print in all four inks
        page += " html { color: device-cmyk(0 0 0 1); } @page { color: device-cmyk(0 0 0 1); }"
    return page


def font_dir() -> Path:
    """Where the body face's font files are installed (a Python package: no system fonts needed)."""
    return Path(str(importlib.resources.files(BODY_FONT_PACKAGE) / "files"))


def font_face_rules() -> str:
    """The body face's @font-face rules, for other pages laid out with it (the cover)."""
    return _font_faces(font_dir())


def _font_faces(fonts: Path) -> str:
    """@font-face rules for the weights the book uses, roman and italic."""
    rules = []
    for style_name, weight in _WEIGHTS:
        file = fonts / f"{BODY_FONT}-{style_name}.ttf"
        style = "italic" if style_name.endswith("Italic") else "normal"
        rules.append(
            f'@font-face {{ font-family: "{BODY_FONT}"; src: url("{file.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)
