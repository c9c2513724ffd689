"""The fitting: the text laid out again and again, as a typesetter would set it, until no word is
hyphenated against the rules, no line is loose and no page runs short (see `fitted`).

Each pass reads the layout's boxes (boxes.py) and gives the print edition new `Decisions`; a fit
that is only tried is laid out from an edition with other decisions (`PrintEdition.trying`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from .boxes import common_line_height, content_top, extent, line_widenings, paragraph_lines, room_below_text
from .hyphenation import Names, bad_breaks, known_names, lines_by_paragraph, name_words, stranded_words
from .pagebreaks import PARAGRAPH_ID_PREFIX, RUN_ON, line_words, only_paragraphs
from .print_edition import Decisions, PrintEdition
from .typesetter import Typeset, numbered_from

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

_FITTING_LAYOUTS = 6  # each costs a whole layout (about 0.5 s a book); what is left after them, proof reports
_MAX_LAYOUTS = 8  # the last ones only keep words whole: a name is never left broken
_TRIALS = 3  # layouts `_measured_fits` may spend trying fits for pages the estimates could not fill
_UNLAID = "[data-unlaid] { display: none !important; }"  # the paragraphs a probe leaves out (see `_probe`)
_MOST_MEASURED = 3  # short pages left past which a book is not worth its trials (a layout each): proof reports them
_PARAGRAPH_TRACKING = MappingProxyType({"loose": 0.018, "tight": -0.02})  # print.css's p.loose and p.tight, in em
_LETTER = 0.5  # an average letter's width, in em: letter-spacing t gives t / _LETTER characters a character
_LOOSE_LINE = 0.4  # em added to a word space by justification past which a line looks loose (the gap near 3 spaces)
_TRACKED_LINE = 0.35  # what a letter-spaced loose line's word spaces are widened at most, in em (under `_LOOSE_LINE`)
_LINE_TRACKING_STEP, _LINE_TRACKING_STEPS = 0.005, 8  # print.css's .track-1 ... .track-8, in em
_LINE_TIGHTENING_STEPS = 4  # print.css's .tighten-1 ... .tighten-4, as many steps of -0.005 em
_MOST_HELD = 6  # paragraphs a figure may float on past its place in the source

Lines = list[list[tuple[str, str]]]  # each page's lines of numbered paragraphs, as (paragraph id, line text)


def fitted(typeset: Typeset, edition: PrintEdition, names: Iterable[str] | None = None,
           first_page: int = 1) -> Rendered:
    """The book (or its parts `names`, numbered from `first_page`) laid out until no word is hyphenated
    against the rules of hyphenation.py, no line is loose and no page in the middle of a section runs
    short (or the passes run out: `proof` then reports what is left). What is decided goes into `edition`.

    A page runs short when widow and orphan control, a subhead's keep or a note sends a line on;
    as a typesetter would, a paragraph on it is tracked a little looser, to make one more line.
    """
    rendered = None
    people = name_words(edition.doc)
    for layouts in range(1, _MAX_LAYOUTS + 1):
        rendered = None  # the last layout's boxes go before the next is made: two books at once double the memory
        xhtml = edition.book(None, names)
        known = known_names(xhtml, people)  # which words are names, which are German nouns
        rendered = typeset(xhtml, *numbered_from(first_page))
        lines = _laid_lines(rendered)
        bad = bad_breaks(lines, known) - edition.decisions.whole
        edition.decisions = edition.decisions.keeping_whole(bad)
        fitting = layouts < _FITTING_LAYOUTS
        refitted = fitting and _refitted(rendered, lines, edition)
        if not bad and not refitted:
            return _measured_fits(typeset, edition, rendered, names, first_page, known) if fitting else rendered
    return rendered


def _refitted(rendered: Rendered, lines: Lines, edition: PrintEdition) -> bool:
    """Whether the figures or the letter-spacing of `edition` changed for what the layout `rendered`
    left short or loose: the figures first (see `_floated_figures`), else the text (see `_refit`)."""
    floated = _floated_figures(rendered, edition)
    decisions = edition.decisions.holding(floated) if floated else _refit(rendered, lines, edition)
    if decisions is None:
        return False
    edition.decisions = decisions
    return True


def _floated_figures(rendered: Rendered, edition: PrintEdition) -> list[str]:
    """Each figure that stands at the head of a page and left the page before it short (it did not fit
    at its foot), to hold one paragraph further on so that text fills that page, as a typesetter floats a
    picture; empty if none is. A figure goes at most `_MOST_HELD` paragraphs from its place."""
    floated = []
    pages, held = rendered.pages, edition.decisions.held
    for ident in edition.figure_sizes:
        number = next((n for n, page in enumerate(pages) if ident in page.anchors), 0)
        if not number or held.get(ident, 0) >= _MOST_HELD or _opens(pages, number, edition.openings):
            continue
        page, before = pages[number], pages[number - 1]
        line = common_line_height(before)
        top = extent(page, ident)
        at_head = top is not None and top[0] < content_top(page) + 2 * line
        if at_head and room_below_text(before) + 0.01 >= line:
            floated.append(ident)
    return floated


def _opens(pages: Sequence, number: int, openings: Iterable[str]) -> bool:
    """Whether page `number` (from 0) opens a section: a section's id is on every page it runs over."""
    return number == 0 or any(name in pages[number].anchors and name not in pages[number - 1].anchors
                              for name in openings)


def _refit(rendered: Rendered, lines: Lines, edition: PrintEdition) -> Decisions | None:
    """The decisions of `edition`, with what the layout `rendered` left loose or short letter-spaced;
    None if nothing is.

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
    decisions = edition.decisions
    tracked = dict(decisions.tracked)  # and this layout's loose lines
    too_loose = stranded_words(lines)
    lines_tracked = False
    for page, page_lines in zip(rendered.pages, lines, strict=True):
        for (paragraph, text), widening in zip(page_lines, line_widenings(page, PARAGRAPH_ID_PREFIX), strict=True):
            number = seen[paragraph] = seen.get(paragraph, -1) + 1
            if paragraph not in words_of:
                words_of[paragraph] = line_words(texts_of[paragraph])
            words = words_of[paragraph][number]
            tracking = _tracking(tracked, decisions.fitted, paragraph, words)
            if widening + 2 * tracking <= _LOOSE_LINE:
                continue
            steps = _line_tracking(text, widening, tracking)
            following = texts_of[paragraph][number + 1] if number + 1 < len(texts_of[paragraph]) else None
            if steps is None and following and not text.endswith(RUN_ON) and tracking <= 0:
                words, steps = (words[0], words[1] + 1), _line_tightening(text, widening, following.split()[0])
            if steps is None:
                too_loose.add(paragraph)
            else:
                tracked[paragraph] = {**tracked.get(paragraph, {}), words: steps}
                lines_tracked = True
    if lines_tracked:
        decisions = decisions.tracking(tracked)
    chosen, undo = too_loose - decisions.tried, too_loose & set(decisions.fitted)
    if chosen or undo:
        return decisions.fitting(dict.fromkeys(chosen, "loose"), undo)
    short = _short_page_fits(rendered, lines, texts_of, decisions.tried, edition.openings)
    return decisions.fitting(short) if lines_tracked or short else None


def _tracking(tracked: Mapping[str, Mapping[tuple[int, int], int]], fitted: Mapping[str, str], paragraph: str,
              words: tuple[int, int]) -> float:
    """The letter-spacing of a line, in em: its own, else its paragraph's."""
    steps = tracked.get(paragraph, {}).get(words)
    return steps * _LINE_TRACKING_STEP if steps is not None else _PARAGRAPH_TRACKING.get(fitted.get(paragraph), 0.0)


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


def _short_page_fits(rendered: Rendered, lines: Lines, texts_of: dict[str, list[str]], tried: frozenset[str],
                     openings: Iterable[str]) -> dict[str, str]:
    """For every page that runs short in the middle of a section, as many paragraphs as it has empty
    lines, each to be set looser to make one more line, or tighter to make one less (which lets the
    next lines up that widow or orphan control held back): those among the paragraphs on it not yet
    `tried` for which the tracking most likely does so. Each fills its own page: the text on the pages
    after does not move."""
    chosen: dict[str, str] = {}
    for number, empty_lines in _short_pages(rendered, lines, openings):
        here, after = lines[number], lines[number + 1]
        measure = max(len(text) for _, text in here)  # a full line, in characters
        on_page = list(dict.fromkeys(p for p, _ in here))
        going_on = {q for q, _ in after}  # of these, only the last can be on this page: the one a widow cut short
        ease = []  # (characters to spare, paragraph, fit)
        for paragraph in on_page:
            texts, last = texts_of[paragraph], len(texts_of[paragraph][-1])
            if paragraph in tried:
                continue
            give = sum(map(len, texts)) / _LETTER
            if paragraph not in going_on or paragraph == on_page[-1]:
                ease.append((give * _PARAGRAPH_TRACKING["loose"] - (measure - last), paragraph, "loose"))
            if paragraph not in going_on:
                ease.append((-give * _PARAGRAPH_TRACKING["tight"] - last, paragraph, "tight"))
        best = sorted((item for item in ease if item[0] > 0), reverse=True)
        chosen.update({paragraph: fit for _, paragraph, fit in best[:empty_lines]})
    return chosen


def _short_pages(rendered: Rendered, lines: Lines, openings: Iterable[str]) -> list[tuple[int, int]]:
    """(page from 0, its empty lines) for each page of the text that runs short in the middle of a section."""
    short = []
    for number, page in enumerate(rendered.pages[:-1]):
        empty_lines = int((room_below_text(page) + 0.01) // common_line_height(page))
        if empty_lines and lines[number] and lines[number + 1] and not _opens(rendered.pages, number + 1, openings):
            short.append((number, empty_lines))
    return short


def _measured_fits(typeset: Typeset, edition: PrintEdition, rendered: Rendered, names: Iterable[str] | None,
                   first_page: int, known: Names) -> Rendered:
    """The book with the short pages that `_short_page_fits`' estimates could not fill filled by fits
    that are measured: `rendered` itself if there are none, or no fit leaves fewer empty lines.

    A page can run several lines short: a note's call brings its note along (`footnote-policy: line`),
    and the line with the call, the lines widow control keeps with it and the note do not fit in what
    is left. Tracking one paragraph then changes nothing; a typesetter makes the page's text longer
    by as many lines as it lacks, or shorter until what was held back comes up. A paragraph breaks
    into the same lines on whatever page it falls, so two small layouts of only the paragraphs on
    and before the short pages, set looser in one and tighter in the other, say which fits make one
    line more or one less and leave no loose line or bad break. The fits are then tried, a layout
    each (at most `_TRIALS`), and one is kept (in `edition`) only if the text has fewer empty lines
    with it. A text with more than `_MOST_MEASURED` such pages is left as it is: each trial lays out
    the whole text. `known`: the names and languages of the text's words (hyphenation.py).
    """
    openings = edition.openings
    lines = _laid_lines(rendered)
    short = _short_pages(rendered, lines, openings)
    if not short or len(short) > _MOST_MEASURED:
        return rendered
    counts = _line_counts(lines)
    near = {paragraph for number, _ in short for page in lines[max(number - 1, 0): number + 1] for paragraph, _ in page}
    changed = {fit: _probe(typeset, edition, names, first_page, near, fit, counts, known)
               for fit in _PARAGRAPH_TRACKING}
    trials, empty = _TRIALS, _empty_lines(short)
    while short and trials:
        number, lacking = short.pop(0)
        for fits in _fill_or_shed(lines, number, lacking, changed):
            if not trials:
                break
            trials -= 1
            decisions = edition.decisions.fitting(fits)
            trial = typeset(edition.trying(decisions).book(None, names), *numbered_from(first_page))
            trial_lines = _laid_lines(trial)
            trial_short = _short_pages(trial, trial_lines, openings)
            if _empty_lines(trial_short) < empty and not bad_breaks(trial_lines, known) - decisions.whole:
                edition.decisions = decisions
                rendered, lines, empty = trial, trial_lines, _empty_lines(trial_short)
                short = [(n, e) for n, e in trial_short if n > number]
                break
    return rendered


def _fill_or_shed(lines: Lines, number: int, lacking: int,
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


def _probe(typeset: Typeset, edition: PrintEdition, names: Iterable[str] | None, first_page: int,
          paragraphs: set[str], fit: str, counts: Mapping[str, int], known: Names) -> dict[str, int]:
    """For each of `paragraphs` set to `fit`, the lines it gains (or loses, below 0), laid out in one
    layout of those paragraphs alone (the others left out by CSS, so each is styled as in the book);
    a paragraph the fit leaves with a loose line, a stranded word or a break hyphenation.py forbids
    is left out. `edition` keeps its decisions."""
    trial = edition.trying(edition.decisions.fitting(dict.fromkeys(paragraphs, fit)))
    probed = typeset(only_paragraphs(trial.book(None, names), paragraphs), *numbered_from(first_page), _UNLAID)
    lines = _laid_lines(probed)
    spoiled = {paragraph for paragraph, _ in bad_breaks(lines, known) - edition.decisions.whole} | stranded_words(lines)
    for page, page_lines in zip(probed.pages, lines, strict=True):
        for (paragraph, _), widening in zip(page_lines, line_widenings(page, PARAGRAPH_ID_PREFIX), strict=True):
            if paragraph in paragraphs and widening + 2 * _PARAGRAPH_TRACKING[fit] > _LOOSE_LINE:
                spoiled.add(paragraph)
    laid = _line_counts(lines)
    return {paragraph: laid[paragraph] - counts[paragraph] for paragraph in paragraphs - spoiled}


def _laid_lines(rendered: Rendered) -> Lines:
    """Each page's lines of numbered paragraphs, as (paragraph id, line text)."""
    return [list(paragraph_lines(page, PARAGRAPH_ID_PREFIX)) for page in rendered.pages]


def _line_counts(lines: Lines) -> dict[str, int]:
    """Each numbered paragraph's count of lines."""
    return {paragraph: len(laid) for paragraph, laid in lines_by_paragraph(lines).items()}


def _empty_lines(short: list[tuple[int, int]]) -> int:
    return sum(empty for _, empty in short)
