"""The fitting's probe: every fit of some paragraphs measured in one layout (see `probe`).

A paragraph breaks into the same lines on whatever page it falls. So a probe lays out a copy of the
book for each fit, each with only the paragraphs probed in that fit (the others left out by CSS,
so each paragraph is styled as in the book), and reads each paragraph's lines: how many, whether
one is loose, whether a word is broken badly or stranded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .boxes import line_widenings, paragraph_lines
from .hyphenation import Names, bad_breaks, stranded_words
from .pagebreaks import PARAGRAPH_ID_PREFIX, line_words, only_paragraphs
from .print_edition import Decisions, PrintEdition
from .proof_checks import LOOSE_SPACE
from .typesetter import Typeset, font_dir, font_file, numbered_from

AS_SET = ""  # the fit of a paragraph set as it is, with its words kept whole and its lines tracked
PARAGRAPH_TRACKING = MappingProxyType({AS_SET: 0.0, "loose": 0.018, "tight": -0.02})  # print.css's, in em
LOOSE_LINE = 0.4  # em added to a word space by justification past which a line looks loose (the gap near 3 spaces)
LINE_TRACKING_STEP = 0.005  # print.css's .track-1 ... .track-8 and .tighten-1 ... .tighten-4, a step in em
_UNDER_LOOSE = 0.05  # em under the loose limit that a letter-spaced loose line's word spaces are widened to at most
_PROOF_MARGIN = 0.02  # em: what the proof's median word space may fall by once the loose lines are mended
_LINE_TRACKING_STEPS = 8
_UNLAID = "[data-unlaid] { display: none !important; }"  # the paragraphs a probe leaves out
_COPY = "~"  # what ends a paragraph's id in the probe's copies of the book: p-12~1 is p-12 in copy 1

Fitted = tuple[str, str]  # (paragraph, fit)
Tracking = dict[tuple[int, int], int]  # (first, last word) of a line -> steps of letter-spacing


@dataclass
class Probed:
    """What probes measured, by (paragraph, fit): each line's text; whether the fit is clean (no loose
    line left, no stranded word, no bad break), and then the letter-spacing that mends its lines that
    are a little loose; the words it breaks badly."""

    lines: dict[Fitted, list[str]] = field(default_factory=dict)
    tracking: dict[Fitted, Tracking] = field(default_factory=dict)  # the clean fits only
    breaking: dict[Fitted, frozenset[int]] = field(default_factory=dict)

    def variants(self) -> dict[str, dict[str, int]]:
        """paragraph -> fit -> its count of lines, for the clean fits."""
        found: dict[str, dict[str, int]] = {}
        for paragraph, fit in self.tracking:
            found.setdefault(paragraph, {})[fit] = len(self.lines[(paragraph, fit)])
        return found

    def updated(self, other: Probed) -> Probed:
        """These measures, with those `other` made again in its place."""
        again = set(other.lines)
        return Probed({**self.lines, **other.lines},
                      {**{key: value for key, value in self.tracking.items() if key not in again}, **other.tracking},
                      {**{key: value for key, value in self.breaking.items() if key not in again}, **other.breaking})


def loose_limit(gaps: Iterable[float]) -> float:
    """The most, in em, that a line's word spaces may be widened (by justification and letter-spacing)
    in a text whose spaces are widened by `gaps` (one a space): under the proof's limit, LOOSE_SPACE x
    the median word space. A text of short turns, set mostly at the natural space, has a lower one."""
    widened = sorted(gaps)
    if not widened:
        return LOOSE_LINE
    space = body_space()
    return min(LOOSE_LINE, LOOSE_SPACE * (space + widened[len(widened) // 2]) - space - _PROOF_MARGIN)


def body_space() -> float:
    """The body face's word space, in em."""
    from fontTools.ttLib import TTFont  # WeasyPrint's own dependency, for one table: only when a text is fitted

    font = TTFont(font_file(font_dir(), "Regular"), lazy=True)
    return font["hmtx"]["space"][0] / font["head"].unitsPerEm


def probe(typeset: Typeset, edition: PrintEdition, names: Iterable[str] | None, first_page: int,
          probes: Mapping[str, set[str]], known: Names, loose: float = LOOSE_LINE) -> Probed:
    """Each paragraph of `probes` (fit -> paragraphs) set with each fit it is probed in, all in one
    layout (numbered from `first_page` as the text is); `known`: the names of hyphenation.py; `loose`:
    the widening of a word space past which a line is loose (see `loose_limit`)."""
    fits = [fit for fit, paragraphs in probes.items() if paragraphs]
    if not fits:
        return Probed()
    bodies, head = [], ""
    for copy, fit in enumerate(fits):
        decisions = edition.decisions if fit == AS_SET else edition.decisions.fitting(dict.fromkeys(probes[fit], fit))
        xhtml = only_paragraphs(edition.trying(decisions).book(None, names), probes[fit])
        opened = xhtml.index("<body")
        head, body = xhtml[:opened], xhtml[opened:xhtml.rindex("</body>")]
        body = body[body.index(">") + 1:]
        bodies.append(re.sub(r' id="(?:(p-\d+)|[^"]*)"', lambda m, c=copy: f' id="{m.group(1)}{_COPY}{c}"'
                             if m.group(1) else m.group(0) if not c else "", body))  # other ids: the first copy's
    laid_out = typeset(f"{head}<body>{''.join(bodies)}</body></html>", *numbered_from(first_page), _UNLAID)
    laid: dict[int, list[tuple[str, str, float]]] = {copy: [] for copy in range(len(fits))}
    for page in laid_out.pages:
        for (ident, text), widening in zip(paragraph_lines(page, PARAGRAPH_ID_PREFIX),
                                           line_widenings(page, PARAGRAPH_ID_PREFIX), strict=True):
            paragraph, copy = ident.rsplit(_COPY, 1)
            laid[int(copy)].append((paragraph, text, widening))
    probed = Probed()
    for copy, fit in enumerate(fits):
        texts = [(paragraph, text) for paragraph, text, _ in laid[copy]]
        bad = bad_breaks([texts], known) - edition.decisions.whole  # one page: a probe's pages are not the book's
        for paragraph, word in bad:
            probed.breaking[(paragraph, fit)] = probed.breaking.get((paragraph, fit), frozenset()) | {word}
        spoiled = {paragraph for paragraph, _ in bad} | stranded_words([texts])
        by_paragraph: dict[str, list[tuple[str, float]]] = {}
        for paragraph, text, widening in laid[copy]:
            by_paragraph.setdefault(paragraph, []).append((text, widening))
        for paragraph, set_lines in by_paragraph.items():
            if paragraph not in probes[fit]:
                continue
            probed.lines[(paragraph, fit)] = [text for text, _ in set_lines]
            steps = _mending(paragraph, fit, set_lines, edition.decisions, loose)
            if paragraph not in spoiled and steps is not None:
                probed.tracking[(paragraph, fit)] = steps
    return probed


def _mending(paragraph: str, fit: str, set_lines: list[tuple[str, float]], decisions: Decisions,
             loose: float) -> Tracking | None:
    """The letter-spacing that mends the loose lines of a probed paragraph (its own tracked lines kept,
    when it is set as it is); None if one is too loose to mend so."""
    own = dict(decisions.tracked.get(paragraph, {})) if fit == AS_SET else {}
    for words, (text, widening) in zip(line_words([text for text, _ in set_lines]), set_lines, strict=True):
        tracking = own[words] * LINE_TRACKING_STEP if words in own else PARAGRAPH_TRACKING[fit]
        if widening + 2 * tracking <= loose:
            continue
        steps = line_tracking(text, widening, tracking, loose)
        if steps is None:
            return None
        own[words] = steps
    return own


def line_tracking(text: str, widening: float, tracking: float, loose: float = LOOSE_LINE) -> int | None:
    """The steps of letter-spacing that bring a loose line's word spaces `_UNDER_LOOSE` under `loose`; None
    if more than print.css allows. Tracking t em widens each word space by 2t (the letter before it, and
    the space itself) and takes t x letters / spaces from what justification adds to each."""
    spaces = len(text.split()) - 1
    per_space = len(text) / spaces if spaces else 0
    if per_space <= 2:
        return None
    wanted = (widening + tracking * per_space - loose + _UNDER_LOOSE) / (per_space - 2)  # em per letter
    steps = math.ceil(wanted / LINE_TRACKING_STEP - 1e-9)
    return steps if steps <= _LINE_TRACKING_STEPS else None
