"""The hyphenation rules a layout is held to, on laid-out lines (paragraph id, line text), page by page."""

from __future__ import annotations

import re

from pressroom.typeset.hyphenation import bad_breaks, stranded_words
from pressroom.typeset.pagebreaks import HYPHEN, keep_whole, line_words, paragraph_words, track_lines

H = HYPHEN  # WeasyPrint's hyphen at a line's end


def test_a_word_broken_once_in_running_text_is_allowed() -> None:
    pages = [[("p-1", f"one two three impul{H}"), ("p-1", "sive four five six"), ("p-1", "seven eight.")]]
    assert bad_breaks(pages) == set()


def test_a_capitalised_word_is_never_broken() -> None:
    pages = [[("p-1", f"fixer Toros and Karagu{H}"), ("p-1", "lian with his muscle"), ("p-1", "and more.")]]
    assert bad_breaks(pages) == {("p-1", 3)}  # one, two, three: "Karagulian" is word 3 (from 0)


def test_a_capital_after_an_opening_quote_counts() -> None:
    pages = [[("p-2", f"he said “Sere{H}"), ("p-2", "bryakov” and left at"), ("p-2", "once.")]]
    assert bad_breaks(pages) == {("p-2", 2)}


def test_the_third_hyphen_in_a_row_is_one_too_many() -> None:
    pages = [[
        ("p-1", f"accepts his impul{H}"), ("p-1", f"sive post-coital offer of likeli{H}"),
        ("p-1", f"hood that the immedi{H}"), ("p-1", "ately jetting over the sea"), ("p-1", "and home."),
    ]]
    assert bad_breaks(pages) == {("p-1", 9)}  # "immediately": only the third is kept whole


def test_a_compound_s_own_hyphen_counts_towards_the_run_but_is_never_kept_whole() -> None:
    pages = [[
        ("p-1", "a post-"), ("p-1", f"coital offer of likeli{H}"), ("p-1", f"hood that the immedi{H}"),
        ("p-1", "ately jetting over the sea"), ("p-1", "and home."),
    ]]
    assert bad_breaks(pages) == {("p-1", 7)}  # "immediately", the third line end with a hyphen


def test_a_fragment_alone_on_a_line_is_kept_whole() -> None:
    pages = [[("p-3", "both parents immediately"), ("p-3", f"jet{H}"), ("p-3", "ting over the sea and"),
              ("p-3", "home.")]]
    assert bad_breaks(pages) == {("p-3", 3)}


def test_a_paragraph_s_last_line_that_is_only_a_tail_is_kept_whole() -> None:
    pages = [[("p-3", f"it was not a movie but a perfor{H}"), ("p-3", "mance.")]]
    assert bad_breaks(pages) == {("p-3", 7)}


def test_a_word_broken_across_a_page_is_kept_whole() -> None:
    pages = [[("p-4", "one two three four"), ("p-4", f"five six seven eigh{H}")],
             [("p-4", "teen nine ten."), ("p-4", "eleven.")]]
    assert bad_breaks(pages) == {("p-4", 7)}


def test_keep_whole_wraps_exactly_the_word_counted_in_the_layout() -> None:
    xhtml = ('<p id="p-1">one <cite class="film">Two</cite> three<span id="note-1" class="footnote">not counted</span>'
             ' Karagulian and</p>')
    assert [w for _, p, w in paragraph_words(xhtml) if w is not None] == [0, 1, 2, 3, 4]
    assert '<span class="whole">Karagulian</span>' in keep_whole(xhtml, {("p-1", 3)})
    assert keep_whole(xhtml, {("p-1", 3)}).count('class="whole"') == 1


def test_line_words_counts_a_word_broken_over_lines_once() -> None:
    assert line_words([f"One two thre{H}", "e four", "five—", "six"]) == [(0, 2), (2, 3), (4, 4), (4, 4)]


def test_track_lines_spaces_out_a_lines_words_and_spaces_but_not_a_note_or_the_next_word() -> None:
    xhtml = ('<p id="p-1">One <em>two</em> three<span class="footnote">a note</span> four five</p>'
             '<p id="p-2">One two</p>')
    tracked = track_lines(xhtml, {"p-1": {(1, 3): "track-2"}})
    spaced = re.findall(r'<span class="track-2">([^<]*)</span>', tracked)
    assert spaced == ["two", " ", "three", " ", "four"]
    assert ('<span class="footnote">a note</span>' in tracked
            and tracked.endswith('</span> five</p><p id="p-2">One two</p>'))


def test_a_capitalised_word_that_begins_a_sentence_is_an_ordinary_word() -> None:
    pages = [[("p-5", f"nobody complained. Fortu{H}"), ("p-5", "nately nobody has, yet, and"), ("p-5", "so on.")]]
    assert bad_breaks(pages) == set()



def test_a_word_stranded_mid_paragraph_marks_its_paragraph_for_refitting() -> None:
    """WeasyPrint 70 sometimes leaves a word alone on a line in mid-paragraph ("model / of / making")."""
    lines = [[("p-6", "the Hollywood model"), ("p-6", "of"), ("p-6", "making my next film"), ("p-6", "and.")],
             [("p-7", "a paragraph whose last line is"), ("p-7", "short.")]]
    assert stranded_words(lines) == {"p-6"}
