"""The fitting: the text set as a typesetter would set it, with no word hyphenated against the rules,
no loose line and no page short in the middle of a section (see `fitted`).

TeX builds paragraphs, then pages from their lines; so does the fitting, with WeasyPrint. One layout
of the text gives every line. What it calls for (a word kept whole, a line letter-spaced or
tightened, a paragraph set looser or tighter) is measured in one probe layout of those paragraphs
alone (probe.py); planner.py predicts the pages from the counts of lines and chooses the fits that
fill them. One more layout sets the book so decided, and is checked as the first was: what it
still finds, another round settles.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from .boxes import flow_units, foot_margin, line_widenings, paragraph_lines
from .hyphenation import Names, bad_breaks, known_names, lines_by_paragraph, name_words, stranded_words
from .pagebreaks import HYPHEN, PARAGRAPH_ID_PREFIX, RUN_ON, line_words
from .planner import PAGES_BACK, Plan, Unit, arrange, paginate, plan, short_pages
from .print_edition import Decisions, PrintEdition
from .probe import AS_SET, LINE_TRACKING_STEP, PARAGRAPH_TRACKING, Probed, line_tracking, loose_limit, probe
from .typesetter import Typeset, numbered_from

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

_ROUNDS = 3  # plans, each with its probes and a layout of the text (the canonical source takes one)
_MORE_FOR_NAMES = 2  # layouts after the last round that only keep words whole: a name is never left broken
_LETTER = 0.5  # an average letter's width, in em: letter-spacing t gives t / _LETTER characters a character
_LINE_TIGHTENING_STEPS = 4  # print.css's .tighten-1 ... .tighten-4
_MOST_HELD = 6  # paragraphs a figure may float on past its place in the source
_SPARE = 6  # characters a fit's estimate may miss by and still be probed (the probe measures it)

Lines = list[list[tuple[str, str]]]  # each page's lines of numbered paragraphs, as (paragraph id, line text)
Tracked = dict[str, dict[tuple[int, int], int]]  # paragraph -> (first, last word) of a line -> steps


def fitted(typeset: Typeset, edition: PrintEdition, names: Iterable[str] | None = None,
           first_page: int = 1) -> Rendered:
    """The book (or its parts `names`, numbered from `first_page`) laid out and fitted: what is decided
    goes into `edition`. What the rounds leave (a page nothing fills), `proof` reports."""
    people = name_words(edition.doc)
    rendered = None
    for layout in range(_ROUNDS + _MORE_FOR_NAMES + 1):
        rendered = None  # the last layout's boxes go before the next is made: two books at once double the memory
        xhtml = edition.book(None, names)
        known = known_names(xhtml, people)  # which words are names, which are German nouns
        rendered = typeset(xhtml, *numbered_from(first_page))
        if layout < _ROUNDS:
            decisions = _planned(typeset, edition, rendered, names, first_page, known, estimated=layout == 0)
        else:
            bad = bad_breaks(_laid_lines(rendered), known) - edition.decisions.whole
            decisions = edition.decisions.keeping_whole(bad) if bad else None
        if decisions is None:
            break
        edition.decisions = decisions
    return rendered


class _Round:
    """One round of fitting: what a layout of the text calls for, probed and planned."""

    def __init__(self, edition: PrintEdition, rendered: Rendered, known: Names, run: str, first_page: int) -> None:
        self.edition, self.known, self.run = edition, known, run
        lines = _laid_lines(rendered)
        self.texts = {paragraph: [line.text for line in laid] for paragraph, laid in lines_by_paragraph(lines).items()}
        decisions = edition.decisions.keeping_whole(bad_breaks(lines, known) - edition.decisions.whole)
        tracked, rebroken, self.too_loose, self.loose = _loose_lines(rendered, lines, decisions)
        self.kept_whole = {paragraph for paragraph, _ in decisions.whole - edition.decisions.whole}
        self.tracked = {paragraph: ranges for paragraph, ranges in tracked.items() if paragraph not in self.kept_whole}
        self.rebroken = rebroken | self.kept_whole  # their lines break anew: probed as set
        self.units, self.starts, sheet = flow_units(rendered.pages)
        self.sheet = replace(sheet, first_folio=first_page, long=edition.decisions.long_pages(run))
        self.foot = foot_margin(rendered.pages[0]) - sheet.line  # a long page's (the first never is)
        self.short = short_pages(self.units, self.starts, self.sheet)
        self.changed = bool(self.rebroken or self.too_loose or self.short) or self.tracked != decisions.tracked
        self.decisions = decisions.tracking(self.tracked)

    def planned(self, probed: Probed) -> tuple[Plan, list[Unit], dict[str, int]]:
        """The plan the measures of `probed` allow, the flow it predicts, and the paragraphs set as they
        are that break anew (their counts of lines)."""
        variants = probed.variants()
        base = {p: variants[p][AS_SET] for p in variants if AS_SET in variants[p]}
        spoiled = self.too_loose | {paragraph for paragraph in self.kept_whole if paragraph not in base}
        fixed = {paragraph: fit for paragraph in spoiled
                 if (fit := _mended(variants.get(paragraph, {}), len(self.texts[paragraph]))) is not None}
        paged = {paragraph: {fit: count for fit, count in fits.items() if fit != AS_SET}
                 for paragraph, fits in variants.items()}
        start = arrange(self.units, base)
        most_held = _MOST_HELD - max(self.decisions.held.values(), default=0)
        chosen = plan(start, self.sheet, paged, fixed, self.edition.figure_sizes, most_held)
        return chosen, arrange(start, {p: paged[p][fit] for p, fit in chosen.fits.items()}, chosen.held), base

    def texts_of(self, paragraph: str, fit: str, probed: Probed) -> list[str]:
        """A paragraph's lines with `fit` (as set: as probed if it breaks anew, else as laid out)."""
        return probed.lines.get((paragraph, fit)) or self.texts.get(paragraph, [])


def _planned(typeset: Typeset, edition: PrintEdition, rendered: Rendered, names: Iterable[str] | None,
             first_page: int, known: Names, estimated: bool) -> Decisions | None:
    """The decisions the layout `rendered` calls for, None if it needs none: its badly broken words kept
    whole, its loose lines letter-spaced, and the fits the planner chooses from one probe layout of
    every fit of the paragraphs that may change (near a short page: in the first round, those that an
    `estimated` count of characters says may well change; after, all of them). A second probe is made
    only if the plan still leaves a page short, or breaks a word over a page (see `_probed_again`)."""
    fitting = _Round(edition, rendered, known, edition.run(names), first_page)
    if not fitting.changed:
        return None
    candidates = _near_short_pages(fitting, _SPARE if estimated else math.inf)
    mending = fitting.too_loose | fitting.kept_whole  # a word kept whole may leave a line loose: a fit mends it
    probes = {AS_SET: set(fitting.rebroken), "loose": candidates | mending, "tight": candidates | mending}
    trial = edition.trying(fitting.decisions)
    probed = probe(typeset, trial, names, first_page, probes, known, fitting.loose)
    chosen, flow, base = fitting.planned(probed)
    decisions = fitting.decisions
    again, whole = _probed_again(fitting, probed, probes, chosen, flow)
    if again:  # every fit of a paragraph is probed again with its words kept whole
        more = trial.trying(decisions.keeping_whole(whole))
        probed = probed.updated(probe(typeset, more, names, first_page, again, known, fitting.loose))
        chosen, flow, base = fitting.planned(probed)
        decisions = decisions.keeping_whole((paragraph, word) for paragraph, word in whole
                                            if paragraph in again.get(chosen.fits.get(paragraph, AS_SET), ()))
    fits = {paragraph: fit for paragraph, fit in chosen.fits.items() if fit != decisions.fitted.get(paragraph, AS_SET)}
    tracked = {paragraph: ranges for paragraph, ranges in fitting.tracked.items() if paragraph not in base}
    for paragraph in set(base) | set(fits):
        tracked.pop(paragraph, None)
        steps = probed.tracking.get((paragraph, fits.get(paragraph, AS_SET)))
        if steps:
            tracked[paragraph] = steps
    new = decisions.fitting(fits)
    new = new.tracking({**new.tracked, **tracked}).holding_more(chosen.held)
    new = new.lengthening(fitting.run, chosen.long, fitting.foot)
    return None if new == edition.decisions else new


def _probed_again(fitting: _Round, probed: Probed, probes: Mapping[str, set[str]], chosen: Plan,
                  flow: list[Unit]) -> tuple[dict[str, set[str]], set[tuple[str, int]]]:
    """What a second probe should measure for the plan `chosen` (its predicted `flow`): fit -> paragraphs,
    and the (paragraph, word)s to keep whole in it. Near a page the plan leaves short: the fits of
    `probes` that only broke a word badly, with it whole, and the paragraphs not yet probed (on it, the
    page before and after, and those further back that may well change); and each
    paragraph the plan breaks over a page after a hyphen, in its planned fit with that word whole."""
    sheet = replace(fitting.sheet, long=chosen.long)
    starts = paginate(flow, sheet)
    short = short_pages(flow, starts, sheet)
    near = _near(flow, starts, short)
    near |= _likely_to_change(fitting, _near(flow, starts, short, PAGES_BACK) - near, _SPARE)  # the planner's reach
    again: dict[str, set[str]] = {fit: near - probes.get(fit, set()) for fit in ("loose", "tight")}
    whole: set[tuple[str, int]] = set()
    for (paragraph, fit), words in probed.breaking.items():
        if paragraph in near and fit != AS_SET:
            again[fit].add(paragraph)
            whole |= {(paragraph, word) for word in words}
    for paragraph, word in _words_over_pages(fitting, probed, chosen, flow, starts):
        again.setdefault(chosen.fits.get(paragraph, AS_SET), set()).add(paragraph)
        whole.add((paragraph, word))
    return {fit: paragraphs for fit, paragraphs in again.items() if paragraphs}, whole


def _words_over_pages(fitting: _Round, probed: Probed, chosen: Plan, flow: list[Unit],
                      starts: list[int]) -> Iterable[tuple[str, int]]:
    """(paragraph, word) for each word the predicted pages `starts` of `flow` break over a page."""
    for start in starts[1:]:
        paragraph = flow[start].block
        if flow[start - 1].block != paragraph or flow[start].forced or not paragraph.startswith(PARAGRAPH_ID_PREFIX):
            continue
        line = 0  # the number in its paragraph of the page's last line
        while start - 2 - line >= 0 and flow[start - 2 - line].block == paragraph:
            line += 1
        texts = fitting.texts_of(paragraph, chosen.fits.get(paragraph, AS_SET), probed)
        if line < len(texts) and texts[line].endswith(HYPHEN):
            yield paragraph, line_words(texts)[line][1]


def _near(flow: list[Unit], starts: list[int], short: Iterable[int], back: int = 1) -> set[str]:
    """The numbered paragraphs on each of the `short` pages, the `back` pages before and the page after."""
    ends = [*starts[1:], len(flow)]
    return {unit.block for page in short for number in range(max(page - back, 0), min(page + 2, len(starts)))
            for unit in flow[starts[number]:ends[number]] if unit.block.startswith(PARAGRAPH_ID_PREFIX)}


def _near_short_pages(fitting: _Round, spare: float) -> set[str]:
    """The paragraphs near the short pages that a looser or tighter setting may well make a line longer
    or shorter (see `_likely_to_change`)."""
    return _likely_to_change(fitting, _near(fitting.units, fitting.starts, fitting.short), spare)


def _likely_to_change(fitting: _Round, paragraphs: Iterable[str], spare: float) -> set[str]:
    """The `paragraphs` that a looser or tighter setting may well make a line longer or shorter: by an
    estimate that may miss by `spare` characters (the probe measures them)."""
    measure = max((len(text) for texts in fitting.texts.values() for text in texts), default=0)  # a full line's
    chosen = set()
    for paragraph in paragraphs:
        texts = fitting.texts.get(paragraph)
        if not texts:
            continue
        give, last = sum(map(len, texts)) / _LETTER, len(texts[-1])
        looser = give * PARAGRAPH_TRACKING["loose"] - (measure - last)
        tighter = -give * PARAGRAPH_TRACKING["tight"] - last
        if max(looser, tighter) > -spare:
            chosen.add(paragraph)
    return chosen


def _mended(variants: Mapping[str, int], lines: int) -> str | None:
    """The fit that mends a paragraph's loose line or stranded word: one that keeps its count of lines
    if one does, else the first of the others; None if every fit spoils it."""
    clean = [fit for fit in ("loose", "tight") if fit in variants]
    return next((fit for fit in clean if variants[fit] == lines), clean[0] if clean else None)


def _loose_lines(rendered: Rendered, lines: Lines, decisions: Decisions) -> tuple[Tracked, set[str], set[str], float]:
    """What the loose lines of `rendered` call for: the lines to letter-space (every paragraph's), the
    paragraphs whose lines break anew (a loose line tightened to take the next word in), those a fit
    must mend (a line too loose for either, or a word stranded mid-paragraph), and the limit a loose
    line is past (probe.py's `loose_limit`, from the word spaces of every line).

    A loose line is letter-spaced just enough to bring its word spaces under the limit, less than its
    slack, so its words stay on it; one that cannot be, before a long word, is tightened to take that
    word in."""
    texts_of = {paragraph: [line.text for line in laid] for paragraph, laid in lines_by_paragraph(lines).items()}
    words_of = {paragraph: line_words(texts) for paragraph, texts in texts_of.items()}
    tracked: Tracked = {paragraph: dict(ranges) for paragraph, ranges in decisions.tracked.items()}
    seen: dict[str, int] = {}  # paragraph -> its lines met so far
    laid = []  # (paragraph, its line's number, text, widening, tracking) of every line
    for page, page_lines in zip(rendered.pages, lines, strict=True):
        for (paragraph, text), widening in zip(page_lines, line_widenings(page, PARAGRAPH_ID_PREFIX), strict=True):
            number = seen[paragraph] = seen.get(paragraph, -1) + 1
            tracking = _tracking(tracked, decisions.fitted, paragraph, words_of[paragraph][number])
            laid.append((paragraph, number, text, widening, tracking))
    loose = loose_limit(widening + 2 * tracking for _, _, text, widening, tracking in laid
                        for _ in range(len(text.split()) - 1))
    rebroken, too_loose = set(), stranded_words(lines)
    for paragraph, number, text, widening, tracking in laid:
        if widening + 2 * tracking <= loose:
            continue
        words = words_of[paragraph][number]
        steps = line_tracking(text, widening, tracking, loose)
        following = texts_of[paragraph][number + 1] if number + 1 < len(texts_of[paragraph]) else None
        if steps is None and following and not text.endswith(RUN_ON) and tracking <= 0:
            words, steps = (words[0], words[1] + 1), _line_tightening(text, widening, following.split()[0])
            rebroken.add(paragraph)
        if steps is None:
            too_loose.add(paragraph)
            rebroken.discard(paragraph)
        else:
            tracked.setdefault(paragraph, {})[words] = steps
    return tracked, rebroken, too_loose, loose


def _tracking(tracked: Mapping[str, Mapping[tuple[int, int], int]], fitted: Mapping[str, str], paragraph: str,
              words: tuple[int, int]) -> float:
    """The letter-spacing of a line, in em: its own, else its paragraph's."""
    steps = tracked.get(paragraph, {}).get(words)
    return steps * LINE_TRACKING_STEP if steps is not None else PARAGRAPH_TRACKING[fitted.get(paragraph, AS_SET)]


def _line_tightening(text: str, widening: float, following: str) -> int | None:
    """The steps of negative letter-spacing (-1 a step) that bring the next line's first word up onto a
    loose line (one it cannot be letter-spaced out of: a long name after it that is not hyphenated);
    None if more than print.css allows. Letters are taken as half an em, a space as a quarter."""
    spaces = len(text.split()) - 1
    wanted = (0.5 * len(following) + 0.25 - widening * spaces) / (len(text) + 1 + len(following))
    steps = max(math.ceil(wanted / LINE_TRACKING_STEP - 1e-9), 1)
    return -steps if steps <= _LINE_TIGHTENING_STEPS else None


def _laid_lines(rendered: Rendered) -> Lines:
    """Each page's lines of numbered paragraphs, as (paragraph id, line text)."""
    return [list(paragraph_lines(page, PARAGRAPH_ID_PREFIX)) for page in rendered.pages]
