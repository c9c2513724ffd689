"""The page planner on synthetic lines: pages of five lines, paragraphs of so many lines each."""

from __future__ import annotations

from dataclasses import replace

from pressroom.typeset.planner import Sheet, Unit, arrange, paginate, plan, short_pages

LINE = 10.0
PAGE = Sheet(depth=5 * LINE, line=LINE, note_space=LINE)


def text(*counts: int, **extra) -> list[Unit]:  # noqa: ANN003
    """Paragraphs p-1, p-2 ... of `counts` lines each; the first opens the section."""
    units = [Unit(f"p-{number}", LINE) for number, count in enumerate(counts, start=1) for _ in range(count)]
    return [Unit(units[0].block, LINE, forced=True), *units[1:]] if units else []


def test_a_page_takes_as_many_lines_as_fit() -> None:
    assert paginate(text(3, 4, 3), PAGE) == [0, 5]


def test_widows_and_orphans_move_the_break() -> None:
    # 4 + 3: the page could end after one line of p-2, an orphan: p-2 goes whole
    assert paginate(text(4, 3), PAGE) == [0, 4]
    # 3 + 3: two lines of p-2 fit, but one would be left a widow: p-2 goes whole
    assert paginate(text(3, 3), PAGE) == [0, 3]
    # 2 + 5: three lines fit and two go on
    assert paginate(text(2, 5), PAGE) == [0, 5]


def test_a_heading_keeps_with_what_follows() -> None:
    units = text(4, 1, 3)
    units[5] = Unit("p-3", LINE, keep=True)  # p-2 is a one-line subhead: no break between it and p-3
    assert paginate(units, PAGE) == [0, 4]


def test_a_note_takes_its_depth_from_the_page_and_its_line_goes_on_when_it_does_not_fit() -> None:
    units = text(2, 2, 2)
    units[3] = Unit("p-2", LINE, notes=LINE)  # a line that calls a note of one line (and its rule: one line)
    # p-1, p-2 and the note with its rule take 2 + 2 + 2 lines: more than 5, so p-2 goes on with its note
    assert paginate(units, PAGE) == [0, 2, 4]


def test_a_forced_break_opens_a_page_and_the_page_before_is_not_short() -> None:
    units = [*text(2, 2), Unit("p-3", LINE, forced=True), Unit("p-3", LINE)]
    starts = paginate(units, PAGE)
    assert starts == [0, 4]
    assert short_pages(units, starts, PAGE) == {}


def test_a_short_page_in_the_middle_of_a_section_is_found() -> None:
    units = text(4, 3, 2, 3)
    starts = paginate(units, PAGE)
    assert starts == [0, 4, 9]
    assert short_pages(units, starts, PAGE) == {0: 1}


def test_arrange_gives_a_paragraph_its_fits_count_of_lines() -> None:
    units = arrange(text(4, 3, 2, 3), {"p-2": 2, "p-3": 3})
    assert [unit.block for unit in units] == ["p-1"] * 4 + ["p-2"] * 2 + ["p-3"] * 3 + ["p-4"] * 3


def test_the_plan_sets_a_paragraph_tighter_to_bring_up_what_widow_control_held_back() -> None:
    units = text(4, 2, 2, 3)  # page 1 is a line short (p-2 cannot leave one line), and so page 2 (nor p-4)
    chosen = plan(units, PAGE, {"p-1": {"tight": 3}, "p-3": {"loose": 3}})
    assert chosen.fits == {"p-1": "tight"}
    flow = arrange(units, {"p-1": 3})
    assert short_pages(flow, paginate(flow, PAGE), PAGE) == {}


def test_the_plan_sets_a_paragraph_looser_to_make_the_line_the_page_lacks() -> None:
    units = text(4, 3, 2, 3)
    chosen = plan(units, PAGE, {"p-1": {"loose": 5}, "p-2": {"loose": 4}})
    assert chosen.fits == {"p-1": "loose"}


def test_the_plan_keeps_what_is_fixed_and_leaves_a_page_nothing_fills() -> None:
    units = text(4, 3, 2, 3)
    chosen = plan(units, PAGE, {"p-1": {"loose": 4}}, fixed={"p-3": "loose"})
    assert chosen.fits == {"p-3": "loose"} and chosen.held == {}


def test_the_plan_holds_a_figure_back_when_it_left_the_page_before_short() -> None:
    figure = [Unit("figure-1", 3 * LINE, gap=0.0, keep=False)]
    units = text(3) + figure + [Unit("p-2", LINE)] * 2 + [Unit("p-3", LINE)] * 3
    starts = paginate(units, PAGE)
    assert short_pages(units, starts, PAGE) == {0: 2}  # the figure did not fit under p-1's three lines
    chosen = plan(units, PAGE, {}, figures=["figure-1"])
    assert chosen.held == {"figure-1": 1}
    flow = arrange(units, held=chosen.held)
    assert [unit.block for unit in flow][:6] == ["p-1"] * 3 + ["p-2"] * 2 + ["figure-1"]


def test_the_plan_takes_the_fit_that_leaves_no_page_short_further_on() -> None:
    # page 1 is a line short; p-1 set tighter fills it but sends the text on, leaving page 3 two lines
    # short; set looser it fills page 1 and the pages after fall as before
    units = text(4, 2, 3, 2, 3, 3, 2, 3)
    tighter = arrange(units, {"p-1": 3})
    assert short_pages(tighter, paginate(tighter, PAGE), PAGE) == {2: 2}
    assert plan(units, PAGE, {"p-1": {"firmer": 3, "looser": 5}}).fits == {"p-1": "looser"}  # not by name


def test_the_plan_reaches_back_pages_for_a_fit_when_one_line_turns_leave_none_near() -> None:
    # page 3 is a line short (p-13 cannot leave one line), and every paragraph on it and the page before
    # is a line long: only p-1, two pages back, set tighter moves the text up a line and fills it
    units = text(3, *[1] * 11, 2, 1, 1, 1)
    assert short_pages(units, paginate(units, PAGE), PAGE) == {2: 1}
    chosen = plan(units, PAGE, {"p-1": {"tight": 2}, **{f"p-{n}": {"loose": 1} for n in range(2, 13)}})
    assert chosen.fits == {"p-1": "tight"}
    flow = arrange(units, {"p-1": 2})
    assert short_pages(flow, paginate(flow, PAGE), PAGE) == {}


def test_the_plan_runs_a_spread_a_line_long_when_no_fit_fills_its_page() -> None:
    # pages 1, 2 and 3 are each a line short (p-3, p-4 and p-5 cannot leave one line) and no paragraph
    # has another fit: pages 1 and 2 (folios 2 and 3, a spread) a line long take p-3 and p-4 whole
    units = text(5, 4, 4, 4, 3, 2)
    assert short_pages(units, paginate(units, PAGE), PAGE) == {1: 1, 2: 1, 3: 1}
    chosen = plan(units, PAGE, {})
    assert chosen.long == {1, 2}
    longer = replace(PAGE, long=chosen.long)
    assert short_pages(units, paginate(units, longer), longer) == {}


def test_a_long_spread_is_a_verso_and_its_recto_and_only_taken_if_it_fills_them() -> None:
    assert PAGE.spread(1) == PAGE.spread(2) == (1, 2)  # folio 2, a verso, faces folio 3
    assert replace(PAGE, first_folio=2).spread(1) == (0, 1)
    # page 1 is two lines short (p-3 cannot break 2 + 1): a line more takes p-3 in, but then the long
    # page 2 cannot end a line into p-4 (a widow) and is a line short of its depth
    units = text(5, 3, 3, 7, 5)
    assert short_pages(units, paginate(units, PAGE), PAGE) == {1: 2}
    assert plan(units, PAGE, {}).long == frozenset()


def test_a_long_spread_that_only_sends_the_short_page_on_is_taken_with_the_next_that_fills_it() -> None:
    # page 1 is a line short; pages 1 and 2 a line long take p-3 in, but page 3 is then a line short
    # (p-7 cannot break 3 + 1): with pages 3 and 4 a line long too (four of nine), no page is short
    units = text(5, 4, 2, 3, 1, 4, 4, 1, 3, 5, 5, 5)
    assert short_pages(units, paginate(units, PAGE), PAGE) == {1: 1}
    chosen = plan(units, PAGE, {})
    assert chosen.long == {1, 2, 3, 4}
    longer = replace(PAGE, long=chosen.long)
    assert short_pages(units, paginate(units, longer), longer) == {}


def test_long_pages_stay_the_exception_fewer_than_half_the_pages() -> None:
    units = text(5, 4, 2, 3, 1, 4, 4)  # as above with no pages after: four long pages of six would be too many
    assert plan(units, PAGE, {}).long == frozenset()
