"""The fitting: the text set as a typesetter would set it, with no word hyphenated against the rules,
no loose line and no page short in the middle of a section (see `fitted`).

TeX builds paragraphs, then pages from their lines; so does the fitting, with WeasyPrint. One layout
of the text gives every line. What it decides about a paragraph (a word kept whole, a line letter-
spaced or tightened, the paragraph set looser or tighter) is measured in one probe layout of those
paragraphs alone, every fit of each in a copy of the book; planner.py then predicts the pages from
the counts of lines and chooses the fits that fill them. One more layout sets the book so decided,
and is checked as the first was: what it still finds, another round settles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from .boxes import flow_units, line_widenings, paragraph_lines
from .hyphenation import Names, bad_breaks, known_names, lines_by_paragraph, name_words, stranded_words
from .pagebreaks import PARAGRAPH_ID_PREFIX, RUN_ON, line_words, only_paragraphs
from .planner import Sheet, Unit, arrange, paginate, plan, short_pages
from .print_edition import Decisions, PrintEdition
from .typesetter import Typeset, numbered_from

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

_ROUNDS = 3  # plans, each a probe layout and a layout of the text (the canonical source takes one)
_MORE_FOR_NAMES = 2  # layouts after the last round that only keep words whole: a name is never left broken
_UNLAID = "[data-unlaid] { display: none !important; }"  # the paragraphs a probe leaves out (see `_probe`)
_AS_SET = ""  # the fit of a paragraph set as it is, with its words kept whole and its lines tracked
_PARAGRAPH_TRACKING = MappingProxyType({_AS_SET: 0.0, "loose": 0.018, "tight": -0.02})  # print.css, in em
_LETTER = 0.5  # an average letter's width, in em: letter-spacing t gives t / _LETTER characters a character
_LOOSE_LINE = 0.4  # em added to a word space by justification past which a line looks loose (the gap near 3 spaces)
_TRACKED_LINE = 0.35  # what a letter-spaced loose line's word spaces are widened at most, in em (under `_LOOSE_LINE`)
_LINE_TRACKING_STEP, _LINE_TRACKING_STEPS = 0.005, 8  # print.css's .track-1 ... .track-8, in em
_LINE_TIGHTENING_STEPS = 4  # print.css's .tighten-1 ... .tighten-4, as many steps of -0.005 em
_MOST_HELD = 6  # paragraphs a figure may float on past its place in the source
_SPARE = 6  # characters a fit's estimate may miss by and still be probed (the probe measures it)
_COPY = "~"  # what ends a paragraph's id in the probe's copies of the book: p-12~1 is p-12 in copy 1

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


def _planned(typeset: Typeset, edition: PrintEdition, rendered: Rendered, names: Iterable[str] | None,
             first_page: int, known: Names, estimated: bool) -> Decisions | None:
    """The decisions the layout `rendered` calls for, None if it needs none: its badly broken words kept
    whole, its loose lines letter-spaced, and the fits of the paragraphs the planner chooses, from
    one probe layout of every fit of the paragraphs that may change: near a short page, in the first
    round, those that an `estimated` count of characters says may well change; after, all of them."""
    lines = _laid_lines(rendered)
    decisions = edition.decisions
    decisions = decisions.keeping_whole(bad_breaks(lines, known) - decisions.whole)
    tracked, rebroken, too_loose = _loose_lines(rendered, lines, decisions)
    kept_whole = {paragraph for paragraph, _ in decisions.whole - edition.decisions.whole}
    tracked = {paragraph: lines for paragraph, lines in tracked.items() if paragraph not in kept_whole}  # stale
    rebroken |= kept_whole
    units, starts, sheet = flow_units(rendered.pages)
    short = short_pages(units, starts, sheet)
    if not (rebroken or too_loose or short) and tracked == decisions.tracked:
        return None
    decisions = decisions.tracking(tracked)
    candidates = _near_short_pages(units, starts, short, lines, _SPARE if estimated else math.inf)
    mending = too_loose | kept_whole  # a word kept whole may leave a line loose: a fit then mends it
    probes = {_AS_SET: rebroken, "loose": candidates | mending, "tight": candidates | mending}
    breaking: dict[tuple[str, str], frozenset[int]] = {}
    variants, tracking = _probe(typeset, edition.trying(decisions), names, first_page, probes, known, breaking)
    base = {paragraph: variants[paragraph][_AS_SET] for paragraph in rebroken if _AS_SET in variants.get(paragraph, {})}
    counts = {paragraph: len(laid) for paragraph, laid in lines_by_paragraph(lines).items()}
    spoiled = too_loose | {paragraph for paragraph in kept_whole if paragraph not in base}
    fixed = {paragraph: _mended(variants.get(paragraph, {}), counts[paragraph]) for paragraph in spoiled}
    fixed = {paragraph: fit for paragraph, fit in fixed.items() if fit is not None}
    paged = {paragraph: {fit: count for fit, count in fitted.items() if fit != _AS_SET}
             for paragraph, fitted in variants.items()}
    most_held = _MOST_HELD - max(decisions.held.values(), default=0)
    chosen = plan(arrange(units, base), sheet, paged, fixed, edition.figure_sizes, most_held)
    planned = arrange(arrange(units, base), {p: paged[p][fit] for p, fit in chosen.fits.items()}, chosen.held)
    again = _probed_again(typeset, edition.trying(decisions), names, first_page, known, probes, breaking, planned,
                          sheet)
    if again:  # the plan is made again with what the second probe found
        extra, words, more_tracking = again
        for paragraph, more in extra.items():
            paged.setdefault(paragraph, {}).update(more)
        tracking |= more_tracking
        chosen = plan(arrange(units, base), sheet, paged, fixed, edition.figure_sizes, most_held)
        decisions = decisions.keeping_whole((paragraph, word) for (paragraph, fit), kept in words.items()
                                            if chosen.fits.get(paragraph) == fit for word in kept)
    fits = {paragraph: fit for paragraph, fit in chosen.fits.items() if fit != decisions.fitted.get(paragraph, _AS_SET)}
    tracked = {paragraph: lines for paragraph, lines in tracked.items() if paragraph not in rebroken}
    for paragraph in rebroken | set(fits):
        fit = fits.get(paragraph, decisions.fitted.get(paragraph, _AS_SET))
        tracked.pop(paragraph, None)
        if tracking.get((paragraph, fit)):
            tracked[paragraph] = tracking[(paragraph, fit)]
    new = decisions.fitting(fits)
    new = new.tracking({**new.tracked, **tracked}).holding_more(chosen.held)
    return None if new == edition.decisions else new


def _probed_again(typeset: Typeset, edition: PrintEdition, names: Iterable[str] | None, first_page: int,
                  known: Names, probed: Mapping[str, set[str]], breaking: Mapping[tuple[str, str], frozenset[int]],
                  flow: list[Unit], sheet: Sheet) -> tuple[dict, dict, dict] | None:
    """When the planned `flow` leaves pages short, the paragraphs near them in one more probe layout:
    the fits `probed` before that only broke a word badly (`breaking`), with those words kept whole, and
    those not `probed` at all. As `_probe` gives them, with (paragraph, fit) -> the words kept whole;
    None if there are none."""
    starts = paginate(flow, sheet)
    short = short_pages(flow, starts, sheet)
    ends = [*starts[1:], len(flow)]
    near = {unit.block for page in short for number in range(max(page - 1, 0), min(page + 2, len(starts)))
            for unit in flow[starts[number]:ends[number]] if unit.block.startswith(PARAGRAPH_ID_PREFIX)}
    wanted = {key: words for key, words in breaking.items() if key[0] in near and key[1] != _AS_SET}
    probes: dict[str, set[str]] = {fit: near - probed.get(fit, set()) for fit in ("loose", "tight")}
    for paragraph, fit in wanted:
        probes[fit].add(paragraph)
    if not any(probes.values()):
        return None
    whole = edition.trying(edition.decisions.keeping_whole(
        (paragraph, word) for (paragraph, _), words in wanted.items() for word in words))
    variants, tracking = _probe(typeset, whole, names, first_page, probes, known)
    kept = {(paragraph, fit): words for (paragraph, fit), words in wanted.items() if fit in variants.get(paragraph, {})}
    return (variants, kept, tracking) if variants else None


def _mended(variants: Mapping[str, int], lines: int) -> str | None:
    """The fit that mends a paragraph's loose line or stranded word: one that keeps its count of lines
    if one does, else the first of the others; None if every fit spoils it."""
    clean = [fit for fit in ("loose", "tight") if fit in variants]
    return next((fit for fit in clean if variants[fit] == lines), clean[0] if clean else None)


def _loose_lines(rendered: Rendered, lines: Lines, decisions: Decisions) -> tuple[Tracked, set[str], set[str]]:
    """What the loose lines of `rendered` call for: the lines to letter-space (every paragraph's), the
    paragraphs whose lines break anew (a loose line tightened to take the next word in), and those a
    fit must mend (a line too loose for either, or a word stranded mid-paragraph).

    A loose line (word spaces widened past `_LOOSE_LINE`) is letter-spaced just enough to bring them
    under `_TRACKED_LINE`, less than its slack, so its words stay on it; one that cannot be, before a
    long word, is tightened to take that word in."""
    texts_of = {paragraph: [line.text for line in laid] for paragraph, laid in lines_by_paragraph(lines).items()}
    seen: dict[str, int] = {}  # paragraph -> its lines met so far
    words_of = {paragraph: line_words(texts) for paragraph, texts in texts_of.items()}
    tracked: Tracked = {paragraph: dict(lines) for paragraph, lines in decisions.tracked.items()}
    rebroken, too_loose = set(), stranded_words(lines)
    for page, page_lines in zip(rendered.pages, lines, strict=True):
        for (paragraph, text), widening in zip(page_lines, line_widenings(page, PARAGRAPH_ID_PREFIX), strict=True):
            number = seen[paragraph] = seen.get(paragraph, -1) + 1
            words = words_of[paragraph][number]
            tracking = _tracking(tracked, decisions.fitted, paragraph, words)
            if widening + 2 * tracking <= _LOOSE_LINE:
                continue
            steps = _line_tracking(text, widening, tracking)
            following = texts_of[paragraph][number + 1] if number + 1 < len(texts_of[paragraph]) else None
            if steps is None and following and not text.endswith(RUN_ON) and tracking <= 0:
                words, steps = (words[0], words[1] + 1), _line_tightening(text, widening, following.split()[0])
                rebroken.add(paragraph)
            if steps is None:
                too_loose.add(paragraph)
                rebroken.discard(paragraph)
            else:
                tracked.setdefault(paragraph, {})[words] = steps
    return tracked, rebroken, too_loose


def _tracking(tracked: Mapping[str, Mapping[tuple[int, int], int]], fitted: Mapping[str, str], paragraph: str,
              words: tuple[int, int]) -> float:
    """The letter-spacing of a line, in em: its own, else its paragraph's."""
    steps = tracked.get(paragraph, {}).get(words)
    return steps * _LINE_TRACKING_STEP if steps is not None else _PARAGRAPH_TRACKING[fitted.get(paragraph, _AS_SET)]


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


def _near_short_pages(units: list[Unit], starts: list[int], short: Mapping[int, int], lines: Lines,
                      spare: float) -> set[str]:
    """The paragraphs on each short page, the page before and the page after, that a looser or tighter
    setting may well make a line longer or shorter: by an estimate that may miss by `spare` characters
    (the probe measures them)."""
    texts_of = {paragraph: [line.text for line in laid] for paragraph, laid in lines_by_paragraph(lines).items()}
    ends = [*starts[1:], len(units)]
    near = {unit.block for page in short for number in range(max(page - 1, 0), min(page + 2, len(starts)))
            for unit in units[starts[number]:ends[number]] if unit.block in texts_of}
    measure = max((len(text) for texts in texts_of.values() for text in texts), default=0)  # a full line's characters
    chosen = set()
    for paragraph in near:
        texts = texts_of[paragraph]
        give, last = sum(map(len, texts)) / _LETTER, len(texts[-1])
        looser = give * _PARAGRAPH_TRACKING["loose"] - (measure - last)
        tighter = -give * _PARAGRAPH_TRACKING["tight"] - last
        if max(looser, tighter) > -spare:
            chosen.add(paragraph)
    return chosen


def _probe(typeset: Typeset, edition: PrintEdition, names: Iterable[str] | None, first_page: int,
           probes: Mapping[str, set[str]], known: Names, breaking: dict | None = None) -> tuple[dict, dict]:
    """Each paragraph of `probes` (fit -> paragraphs) set with each fit it is probed in, all in one layout:
    a copy of the book a fit, each with only its paragraphs (the others left out by CSS, so each is
    styled as in the book). Gives paragraph -> fit -> its count of lines, for the fits that leave no
    loose line, stranded word or bad break; and (paragraph, fit) -> the letter-spacing of its lines
    that are a little loose. A paragraph breaks into the same lines on whatever page it falls. The words
    each fit breaks badly go into `breaking`, (paragraph, fit) -> word numbers, if given."""
    breaking = {} if breaking is None else breaking
    fits = [fit for fit, paragraphs in probes.items() if paragraphs]
    if not fits:
        return {}, {}
    bodies, head = [], ""
    for copy, fit in enumerate(fits):
        decisions = edition.decisions
        if fit != _AS_SET:
            decisions = decisions.fitting(dict.fromkeys(probes[fit], fit))
        xhtml = only_paragraphs(edition.trying(decisions).book(None, names), probes[fit])
        opened = xhtml.index("<body")
        head, body = xhtml[:opened], xhtml[opened:xhtml.rindex("</body>")]
        body = body[body.index(">") + 1:]
        bodies.append(re.sub(r' id="(?:(p-\d+)|[^"]*)"', lambda m, c=copy: f' id="{m.group(1)}{_COPY}{c}"'
                             if m.group(1) else m.group(0) if not c else "", body))  # other ids: the first copy's
    probed = typeset(f"{head}<body>{''.join(bodies)}</body></html>", *numbered_from(first_page), _UNLAID)
    laid: dict[int, list[tuple[str, str]]] = {copy: [] for copy in range(len(fits))}
    widenings: dict[int, list[float]] = {copy: [] for copy in range(len(fits))}
    for page in probed.pages:
        for (ident, text), widening in zip(paragraph_lines(page, PARAGRAPH_ID_PREFIX),
                                           line_widenings(page, PARAGRAPH_ID_PREFIX), strict=True):
            paragraph, copy = ident.rsplit(_COPY, 1)
            laid[int(copy)].append((paragraph, text))
            widenings[int(copy)].append(widening)
    variants: dict[str, dict[str, int]] = {}
    tracking: dict[tuple[str, str], dict[tuple[int, int], int]] = {}
    for copy, fit in enumerate(fits):
        bad = bad_breaks([laid[copy]], known) - edition.decisions.whole
        for paragraph, word in bad:
            breaking[(paragraph, fit)] = breaking.get((paragraph, fit), frozenset()) | {word}
        spoiled = {paragraph for paragraph, _ in bad} | stranded_words([laid[copy]])
        by_paragraph: dict[str, list[tuple[str, float]]] = {}
        for (paragraph, text), widening in zip(laid[copy], widenings[copy], strict=True):
            by_paragraph.setdefault(paragraph, []).append((text, widening))
        for paragraph, set_lines in by_paragraph.items():
            steps = _probed_tracking(paragraph, fit, set_lines, edition.decisions)
            if paragraph in probes[fit] and paragraph not in spoiled and steps is not None:
                variants.setdefault(paragraph, {})[fit] = len(set_lines)
                tracking[(paragraph, fit)] = steps
    return variants, tracking


def _probed_tracking(paragraph: str, fit: str, set_lines: list[tuple[str, float]],
                     decisions: Decisions) -> dict[tuple[int, int], int] | None:
    """The letter-spacing that mends the loose lines of a probed paragraph (its own tracked lines kept,
    when it is set as it is); None if one is too loose to mend so."""
    own = dict(decisions.tracked.get(paragraph, {})) if fit == _AS_SET else {}
    for words, (text, widening) in zip(line_words([text for text, _ in set_lines]), set_lines, strict=True):
        tracking = own[words] * _LINE_TRACKING_STEP if words in own else _PARAGRAPH_TRACKING[fit]
        if widening + 2 * tracking <= _LOOSE_LINE:
            continue
        steps = _line_tracking(text, widening, tracking)
        if steps is None:
            return None
        own[words] = steps
    return own


def _laid_lines(rendered: Rendered) -> Lines:
    """Each page's lines of numbered paragraphs, as (paragraph id, line text)."""
    return [list(paragraph_lines(page, PARAGRAPH_ID_PREFIX)) for page in rendered.pages]
