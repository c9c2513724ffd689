"""Automatic hyphenation held to a book typesetter's rules.

WeasyPrint hyphenates wherever pyphen allows and a word does not fit, with no
limit on hyphens in a row and no idea of a proper name. After a layout,
`bad_breaks` finds the hyphenated words a book would not break:

- a capitalised word: a name ("Karagu-lian", "FilmNa-tion"), unless it begins a sentence;
- the third hyphen and later in a run of hyphenated line ends;
- a fragment alone on a line ("jet-" by itself, or a paragraph's last line
  that is nothing but the tail of a word);
- a word broken across a page, where the reader must turn the page mid-word.

The layout then keeps those words whole (`pagebreaks.keep_whole`) and lays the
book out again, until no bad break is left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.prose import OPENING_MARKS, ends_sentence
from .pagebreaks import HYPHEN, HYPHENS, RUN_ON, count_words, join_line

MAX_HYPHENS_IN_A_ROW = 2  # Chicago 7.41 and most house styles: no more than two consecutive hyphenated lines


@dataclass(frozen=True)
class _Line:
    page: int
    text: str


def lines_by_paragraph(pages: Iterable[Iterable[tuple[str, str]]]) -> dict[str, list[_Line]]:
    """Each numbered paragraph's lines in order, with their pages, from each page's (paragraph id, line text)."""
    lines_of: dict[str, list[_Line]] = {}
    for number, lines in enumerate(pages, start=1):
        for paragraph, text in lines:
            lines_of.setdefault(paragraph, []).append(_Line(number, text))
    return lines_of


def bad_breaks(pages: Iterable[Iterable[tuple[str, str]]]) -> set[tuple[str, int]]:
    """The words to keep whole, as (paragraph id, word number from 0), given each page's lines of
    numbered paragraphs (paragraph id, line text), page by page."""
    return {
        (paragraph, word)
        for paragraph, lines in lines_by_paragraph(pages).items() for word in _bad_in_paragraph(lines)
    }


def stranded_words(pages: Iterable[Iterable[tuple[str, str]]]) -> set[str]:
    """Paragraphs with a word alone on a line in their middle ("model / of / making"): WeasyPrint 70
    leaves one so when it fails to fit or hyphenate the next word; no hyphen rule can prevent it."""
    return {
        paragraph for paragraph, lines in lines_by_paragraph(pages).items()
        if any(len(line.text.split()) == 1 and not line.text.endswith(RUN_ON) for line in lines[:-1])
    }


def _bad_in_paragraph(lines: list[_Line]) -> Iterable[int]:
    text, in_a_row = "", 0
    for index, line in enumerate(lines):
        text = join_line(text, line.text)
        in_a_row = in_a_row + 1 if line.text.endswith(HYPHENS) else 0  # a compound's own hyphen counts too
        if not line.text.endswith(HYPHEN):
            continue
        word = count_words(text) - 1
        fragment = line.text.split()[-1].lstrip(OPENING_MARKS)
        words = text.split()
        sentence_start = len(words) < 2 or ends_sentence(words[-2])  # a paragraph's first word begins one
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            (fragment[:1].isupper() and not sentence_start)
            or in_a_row > MAX_HYPHENS_IN_A_ROW
            or len(line.text.split()) == 1
            or (following is not None and index + 2 == len(lines) and len(following.text.split()) == 1)
            or (following is not None and following.page != line.page)
        ):
            yield word
