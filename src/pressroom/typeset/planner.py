"""The page planner: the text's pages predicted from its lines, as TeX's page builder works from the
lines its paragraph builder made, and the paragraph fits chosen that leave no page short.

The text is a flow of `Unit`s, a line or a picture each, read from one layout (boxes.flow_units).
`paginate` breaks the flow into pages as WeasyPrint does: as many units as fit above the page's
notes, then back to the last place a break is allowed (never inside a paragraph's first `orphans`
or last `widows` lines, never where a heading keeps with what follows). A paragraph breaks into the
same lines on whatever page it falls, so a fit that changes its count of lines (`variants`, measured
in one probe layout of the paragraphs alone) is predicted by changing its units, with no layout;
nor does holding a figure back a paragraph or two need one. `plan` chooses, page by page, the
fits that fill every page but a section's last. No WeasyPrint here: the tests give it lines.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from types import MappingProxyType

_EPSILON = 0.01  # px: what WeasyPrint's own sums of lengths may be off by
_REACH = 24  # pages from a short one on that a fit for it is judged on, unless its pages fall as before sooner
_PAIRED = 8  # the best single fits of a page tried two at a time when no single one fills it
_LONG_SPREADS_AHEAD = 2  # long spreads a plan tries at once, when one only sends the short page on
PAGES_BACK = 3  # pages before a short one whose paragraphs may fill it, when those on it and the page before cannot


@dataclass(frozen=True)
class Unit:
    """One line of the text, or a picture, as the page builder sees it; lengths in CSS px.

    block: what the line is a line of (a numbered paragraph's id, a figure's id, another block's key).
    gap: the space above it when it is not the first on its page (collapsed margins, or none);
    lead, trail: its opening and closing blocks' margins, for the space at a place it is moved to.
    keep: no page break before it; forced: a page break before it, `offset` below the page's top.
    A unit at the head of a page after a break that is not forced begins `lead` below its top.
    """

    block: str
    height: float
    gap: float = 0.0
    notes: float = 0.0  # the height its footnotes take at the foot of its page
    keep: bool = False
    forced: bool = False
    offset: float = 0.0
    orphans: int = 2
    widows: int = 2
    lead: float = 0.0
    trail: float = 0.0


@dataclass(frozen=True)
class Sheet:
    """The text block of a page: its depth, the body's line (the baseline grid), and what the notes
    area takes besides its notes (its margin and rule); the folio of the run's first page, and the
    pages (from 0) set a line long, a spread at a time."""

    depth: float
    line: float
    note_space: float = 0.0
    first_folio: int = 1
    long: frozenset[int] = frozenset()

    def of(self, page: int) -> Sheet:
        """The text block of page `page` (from 0): a line deeper if it is long."""
        return replace(self, depth=self.depth + self.line, long=frozenset()) if page in self.long else self

    def spread(self, page: int) -> tuple[int, int]:
        """The pages (from 0) of the spread that page `page` is on: a verso (an even folio) and its recto."""
        verso = page - (self.first_folio + page) % 2
        return verso, verso + 1


@dataclass(frozen=True)
class Plan:
    """The fits chosen: paragraph -> fit, figure -> paragraphs it is held back, and the pages set long."""

    fits: Mapping[str, str] = field(default_factory=dict)
    held: Mapping[str, int] = field(default_factory=dict)
    long: frozenset[int] = frozenset()


_NONE: Mapping[str, int] = MappingProxyType({})


def arrange(units: Sequence[Unit], counts: Mapping[str, int] = _NONE, held: Mapping[str, int] = _NONE) -> list[Unit]:
    """The flow with each block of `counts` in that many lines, and each figure of `held` moved after
    that many more numbered paragraphs (not past the end of its section)."""
    blocks = [unit.block for unit in units]
    changes = []  # (first unit, end, its new lines) of each block whose count changes
    for block, wanted in counts.items():
        if block not in blocks:
            continue
        first = blocks.index(block)
        end = first + 1
        while end < len(units) and blocks[end] == block and not units[end].forced:
            end += 1
        if wanted != end - first:
            changes.append((first, end, _recounted(list(units[first:end]), wanted)))
    flow, done = [], 0
    for first, end, lines in sorted(changes, key=lambda change: change[0]):
        flow += units[done:first]
        flow += lines
        done = end
    flow += units[done:]
    for figure, paragraphs in held.items():
        flow = _held_back(flow, figure, paragraphs)
    return flow


def _recounted(lines: list[Unit], wanted: int) -> list[Unit]:
    """A block's lines made `wanted` (at least one): the notes of the lines that go are called from
    the last line left; a line more is like the last."""
    wanted = max(wanted, 1)
    if wanted < len(lines):
        gone = sum(unit.notes for unit in lines[wanted:])
        return [*lines[: wanted - 1], replace(lines[wanted - 1], notes=lines[wanted - 1].notes + gone,
                                                trail=lines[-1].trail)]
    more = replace(lines[-1], notes=0.0, keep=False, forced=False, gap=0.0)
    return [*lines[:-1], replace(lines[-1], trail=0.0), *[more] * (wanted - len(lines) - 1),
            replace(more, trail=lines[-1].trail)]


def _held_back(flow: list[Unit], figure: str, paragraphs: int) -> list[Unit]:
    """`flow` with the units of `figure` set after the next `paragraphs` numbered paragraphs."""
    at = [index for index, unit in enumerate(flow) if unit.block == figure]
    if not at or paragraphs <= 0:
        return flow
    first, last = at[0], at[-1] + 1
    picture, rest = flow[first:last], flow[:first] + flow[last:]
    if first < len(rest):  # what followed the figure now follows what preceded it
        before = rest[first - 1].trail if first else 0.0
        rest[first] = replace(rest[first], gap=max(before, rest[first].lead) if not _same_block(rest, first) else 0.0,
                              keep=rest[first].keep and picture[0].keep)
    place, seen = first, 0
    while place < len(rest) and not (place > first and rest[place].forced):
        ends_paragraph = place + 1 == len(rest) or rest[place + 1].block != rest[place].block
        if rest[place].block.startswith("p-") and ends_paragraph:
            seen += 1
            if seen == paragraphs:
                place += 1
                break
        place += 1
    picture = [replace(picture[0], gap=max(rest[place - 1].trail, picture[0].lead), keep=False), *picture[1:]]
    if place < len(rest):
        rest[place] = replace(rest[place], gap=max(picture[-1].trail, rest[place].lead), keep=False)
    return rest[:place] + picture + rest[place:]


def _same_block(flow: Sequence[Unit], index: int) -> bool:
    """Whether unit `index` is a line of the block the unit before it is a line of."""
    return index > 0 and flow[index - 1].block == flow[index].block and not flow[index].forced


def paginate(flow: Sequence[Unit], sheet: Sheet, start: int = 0, pages: int | None = None, first: int = 0) -> list[int]:
    """The index in `flow` of the first unit of each page, as WeasyPrint breaks the pages (from page
    `first`, which opens with unit `start`, and only `pages` of them if given)."""
    starts: list[int] = []
    while start < len(flow) and (pages is None or len(starts) < pages):
        starts.append(start)
        start = _next_page(flow, start, sheet.of(first + len(starts) - 1))
    return starts


def _next_page(flow: Sequence[Unit], start: int, sheet: Sheet) -> int:
    """The first unit of the page after the one that opens with unit `start`."""
    end = _overflow(flow, start, sheet)
    if end == len(flow) or flow[end].forced:
        return end
    return next((b for b in range(end, start, -1) if _may_break(flow, b)), end)


def _overflow(flow: Sequence[Unit], start: int, sheet: Sheet) -> int:
    """The first unit after `start` that does not fit on a page opening with unit `start` (or a forced break)."""
    y = _top(flow[start])
    notes, index = 0.0, start
    while index < len(flow) and (index == start or not flow[index].forced):
        unit = flow[index]
        bottom = y + (unit.gap if index > start else 0.0) + unit.height
        more = notes + unit.notes + (sheet.note_space if unit.notes and not notes else 0.0)
        if index > start and bottom > sheet.depth - more + _EPSILON:
            break
        y, notes, index = bottom, more, index + 1
    return index


def _top(unit: Unit) -> float:
    """Where a page's first unit begins, below the page's top: WeasyPrint 70 keeps the margin above a
    nested block at the head of a page (a subhead's), where the CSS would truncate it."""
    return unit.offset if unit.forced else unit.lead


def _may_break(flow: Sequence[Unit], index: int) -> bool:
    """Whether a page may end before unit `index`: not where it keeps with what is before it, nor inside
    a block's first `orphans` lines or last `widows`."""
    unit = flow[index]
    if unit.keep:
        return False
    before = index
    while before > 0 and _same_block(flow, before):
        before -= 1
    number = index - before  # its line's number in its block
    if number == 0:
        return True
    end = index + 1
    while end < len(flow) and _same_block(flow, end):
        end += 1
    return number >= unit.orphans and end - index >= unit.widows


def page_room(flow: Sequence[Unit], starts: Sequence[int], sheet: Sheet, first: int = 0) -> list[float]:
    """The depth left empty at the foot of each page but the last (above its notes); `starts[0]` opens page `first`."""
    room = []
    for page, (start, end) in enumerate(zip(starts, starts[1:], strict=False), start=first):
        y, notes = _top(flow[start]), 0.0
        for index in range(start, end):
            y += (flow[index].gap if index > start else 0.0) + flow[index].height
            notes += flow[index].notes + (sheet.note_space if flow[index].notes and not notes else 0.0)
        room.append(sheet.of(page).depth - notes - y)
    return room


def short_pages(flow: Sequence[Unit], starts: Sequence[int], sheet: Sheet, first: int = 0) -> dict[int, int]:
    """Page (from 0 in `starts`) -> its empty lines, for each page short of the grid that a section's
    next page follows (the last of `starts` is not judged); `starts[0]` opens page `first`."""
    short = {}
    for page, left in enumerate(page_room(flow, starts, sheet, first)):
        lines = int((left + _EPSILON) // sheet.line)
        if lines > 0 and not flow[starts[page + 1]].forced:
            short[page] = lines
    return short


Option = tuple[str, str, object]  # ("fit", paragraph, fit) or ("held", figure, paragraphs)


def plan(units: Sequence[Unit], sheet: Sheet, variants: Mapping[str, Mapping[str, int]],
         fixed: Mapping[str, str] = MappingProxyType({}), figures: Iterable[str] = (), most_held: int = 6) -> Plan:
    """The fits that leave the fewest empty lines on pages that are not a section's last.

    variants: paragraph -> fit -> its count of lines with that fit (those a fit would spoil left out);
    fixed: fits already chosen (for a stranded word or a loose line), which the plan keeps. Page by
    page, the fit of one paragraph on the short page or the page before (or of two, if one will not
    do), or holding back the figure that heads the next page, is taken if it leaves fewer empty lines
    on those two pages (else on them and the `_REACH` after). Only if none does are the paragraphs of
    the `PAGES_BACK` pages before it tried, judged on all those pages: a run of short turns that no
    fit near the page changes by a line may be filled by a longer paragraph further back. Last, as a
    typesetter does, its spread may run a line long (both pages; see `_Planning.lengthened`). A page
    nothing fills is left as it is.
    """
    planning = _Planning(units, sheet, variants, fixed, tuple(figures), most_held)
    planning.fill(0, _LONG_SPREADS_AHEAD)
    return Plan(planning.fits, planning.held, planning.sheet.long)


class _Planning:
    """A plan in the making: the fits and held figures chosen so far, the pages set long, and the flow
    and pages they give."""

    def __init__(self, units: Sequence[Unit], sheet: Sheet, variants: Mapping[str, Mapping[str, int]],
                 fixed: Mapping[str, str], figures: tuple[str, ...], most_held: int) -> None:
        self.units, self.variants, self.fixed, self.figures, self.most_held = units, variants, fixed, figures, most_held
        self.sheet, self.fits, self.held = sheet, dict(fixed), {}
        self.flow = arrange(units, _counts(variants, self.fits), self.held)
        self.starts = paginate(self.flow, sheet)

    def fill(self, page: int, lengthen: int, end: int | None = None) -> None:
        """Fill the short pages from page `page` on (up to page `end`), with long spreads judged on
        `lengthen` more of them ahead (none if 0)."""
        for _ in range(4 * len(self.starts) + 4):  # each round takes a fit or passes a page: never met
            short = _next_short(self.flow, self.starts, self.sheet, page)
            if short is None or (end is not None and short >= end):
                return
            page = short
            for back in (1, PAGES_BACK):  # the nearest fits first: a line moved far back shifts more pages
                before = min(page, back)  # the pages before the short one whose fits are tried
                best = _best(self.units, self.flow, self.starts, self.sheet, page, before, self.variants, self.fits,
                             self.fixed, self.figures, self.held, self.most_held)
                if best:
                    break
            if best:
                for kind, name, value in best:
                    (self.fits if kind == "fit" else self.held)[name] = value  # type: ignore[index]
                self.flow = arrange(self.units, _counts(self.variants, self.fits), self.held)
                page -= before
                self.starts = self.starts[:page] + paginate(self.flow, self.sheet, self.starts[page], first=page)
                continue
            longer = self.lengthened(page, lengthen - 1) if lengthen else None
            if longer is None:  # nothing fills it: on to the next
                page += 1
                continue
            vars(self).update(vars(longer))  # the branch's fits, pages and long spreads become this plan's
            page = self.sheet.spread(page)[0]

    def lengthened(self, page: int, ahead: int) -> _Planning | None:
        """This plan with the spread of the short page `page` run a line long, if that fills both its
        pages (neither long already, and fewer than half the pages long) and, with the fits then taken on
        the `_REACH` pages from it, leaves fewer empty lines on them than those fits would without it;
        None if not."""
        verso, recto = self.sheet.spread(page)
        if verso < 1 or recto >= len(self.starts) or self.sheet.long & {verso, recto}:  # the first sets the sheet
            return None
        if 2 * (len(self.sheet.long) + 2) >= len(self.starts):  # the exception: fewer than half the pages
            return None
        longer = self.branch()
        longer.sheet = replace(self.sheet, long=self.sheet.long | {verso, recto})
        longer.starts = self.starts[:verso] + paginate(self.flow, longer.sheet, self.starts[verso], first=verso)
        if any(longer.empty_lines(verso, recto + 1)):
            return None
        end = verso + _REACH
        if sum(longer.empty_lines(verso, end)) < sum(self.empty_lines(verso, end)):
            return longer
        as_is = self.branch()
        as_is.fill(page + 1, ahead, end)
        longer.fill(verso, ahead, end)
        return longer if sum(longer.empty_lines(verso, end)) < sum(as_is.empty_lines(verso, end)) else None

    def branch(self) -> _Planning:
        """A copy of this plan to try a way on with, leaving this one as it is."""
        branch = copy.copy(self)
        branch.fits, branch.held = dict(self.fits), dict(self.held)
        return branch

    def empty_lines(self, first: int, end: int) -> list[int]:
        """The empty lines of pages `first` to `end` (not included) that are short in mid-section."""
        starts = self.starts[first:end + 1]
        return _empty_lines(self.flow, starts, self.sheet, first)[:end - first]


def _best(units: Sequence[Unit], flow: Sequence[Unit], starts: Sequence[int], sheet: Sheet, page: int, before: int,
          variants: Mapping[str, Mapping[str, int]], fits: Mapping[str, str], fixed: Mapping[str, str],
          figures: Iterable[str], held: Mapping[str, int], most_held: int) -> tuple[Option, ...]:
    """The options (one, or two if one will not do) that leave the fewest empty lines on the short page
    `page` and the `before` pages before it (else on them and the `_REACH` after); none if none leaves fewer."""
    reach = starts[page - before:page - before + _REACH]
    base = _Reach(flow, reach, _empty_lines(flow, reach, sheet, page - before), page - before)
    score = base.empty_lines(before)
    options = _options(flow, starts, page, before, variants, fits, fixed, figures, held, most_held)
    trials = sorted((_judged(units, sheet, variants, fits, held, (option,), base, before), (option,))
                    for option in options)
    if trials and trials[0][0][0]:  # no one fit fills the page: two of the best
        singles = [option for _, (option,) in trials[:_PAIRED]]
        trials += [(_judged(units, sheet, variants, fits, held, pair, base, before), pair)
                   for pair in combinations(singles, 2) if pair[0][1] != pair[1][1]]
    best = min(trials, default=None)
    return best[1] if best is not None and best[0][:2] < score else ()


def _next_short(flow: Sequence[Unit], starts: Sequence[int], sheet: Sheet, page: int) -> int | None:
    """The first page from `page` on that is short in the middle of a section, if any."""
    for number in range(page, len(starts) - 1):
        if short_pages(flow, starts[number:number + 2], sheet, number):
            return number
    return None


def _counts(variants: Mapping[str, Mapping[str, int]], fits: Mapping[str, str]) -> dict[str, int]:
    return {paragraph: variants[paragraph][fit] for paragraph, fit in fits.items()
            if fit in variants.get(paragraph, {})}


def _options(flow: Sequence[Unit], starts: Sequence[int], page: int, before: int,
             variants: Mapping[str, Mapping[str, int]], fits: Mapping[str, str], fixed: Mapping[str, str],
             figures: Iterable[str], held: Mapping[str, int], most_held: int) -> list[Option]:
    """What may fill page `page`: another fit of a paragraph on it or the `before` pages before it that
    gives it another count of lines (one that does not moves nothing), or the figure that heads the next
    page held back one paragraph more."""
    end = starts[page + 1]
    index = starts[page - before]
    while index > 0 and _same_block(flow, index):  # from the first line of the window's first paragraph
        index -= 1
    lines: dict[str, int] = {}  # each paragraph of the window: its lines now
    while index < len(flow) and (index < end or _same_block(flow, index)):
        lines[flow[index].block] = lines.get(flow[index].block, 0) + 1
        index += 1
    options: list[Option] = []
    for paragraph, count in lines.items():
        if paragraph not in fixed:
            options += [("fit", paragraph, fit) for fit, fitted in variants.get(paragraph, {}).items()
                        if fit != fits.get(paragraph) and fitted != count]
    heading = flow[end].block
    if heading in set(figures) and held.get(heading, 0) < most_held:
        options.append(("held", heading, held.get(heading, 0) + 1))
    return options


def _judged(units: Sequence[Unit], sheet: Sheet, variants: Mapping[str, Mapping[str, int]], fits: Mapping[str, str],
            held: Mapping[str, int], options: Sequence[Option], base: _Reach, before: int) -> tuple[int, int, int]:
    """The empty lines of the flow with `options` taken (see `_Reach.empty_lines`), and how many they are."""
    trial_fits, trial_held = dict(fits), dict(held)
    for kind, name, value in options:
        (trial_fits if kind == "fit" else trial_held)[name] = value  # type: ignore[index]
    trial = arrange(units, _counts(variants, trial_fits), trial_held)
    changed = min(base.blocks.index(name) for _, name, _ in options)
    return (*base.compared(trial, sheet, before, changed), len(options))


class _Reach:
    """The pages of a flow from the page before a short one, `_REACH` of them, with their empty lines."""

    def __init__(self, flow: Sequence[Unit], starts: Sequence[int], empty: Sequence[int], first: int) -> None:
        self.flow, self.starts, self.empty, self.first = flow, starts, empty, first
        self.blocks = [unit.block for unit in flow]

    def empty_lines(self, before: int) -> tuple[int, int]:
        """(empty lines on the short page and the `before` pages before it, on every page of the reach)."""
        return sum(self.empty[:before + 1]), sum(self.empty)

    def compared(self, trial: Sequence[Unit], sheet: Sheet, before: int, changed: int) -> tuple[int, int]:
        """`empty_lines` of the `trial` flow, which differs from the reach's from unit `changed` on: paginated
        from the same unit as the reach until, past `changed`, a page opens with the same unit as the
        reach's page of its number; from there on, the pages are the reach's."""
        start, empty = self.starts[0], []
        shift = len(trial) - len(self.flow)  # the lines the trial adds (or takes away) before it falls as before
        for number in range(len(self.starts)):
            if start > changed and start < len(trial) and trial[start] is self.flow[self.starts[number]] and (
                    start == self.starts[number] + shift):
                empty += self.empty[number:]
                break
            if start >= len(trial):
                break
            following = _next_page(trial, start, sheet.of(self.first + number))
            empty.append(_empty_lines(trial, [start, following], sheet, self.first + number)[0]
                         if following < len(trial) else 0)
            start = following
        return sum(empty[:before + 1]), sum(empty)


def _empty_lines(flow: Sequence[Unit], starts: Sequence[int], sheet: Sheet, first: int = 0) -> list[int]:
    """The empty lines of each page of `starts` (opening with page `first`) but the last that is short in
    the middle of a section."""
    short = short_pages(flow, starts, sheet, first)
    return [short.get(page, 0) for page in range(len(starts) - 1)] + [0]
