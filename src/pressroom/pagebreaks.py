"""The print edition's pages in the text: where each begins, and a marker set there for the EPUB.

The layout reports, page by page, the lines of each numbered paragraph
(`p-1`, `p-2` ...); `page_starts` turns them into "page N begins before word W
of paragraph P", and `insert_page_breaks` sets a marker before that word in
the XHTML. Both count words with the one splitter below, so a marker lands
where its page does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

PARAGRAPH_ID_PREFIX = "p-"  # the text's paragraphs are p-1, p-2 ...: the layout reports pages by them
_WORD_GAP = re.compile(r"(\s+)")  # words are what white space separates, in the layout and in the XHTML
_HYPHEN = "\u2010"  # what WeasyPrint puts at the end of a hyphenated line
_DASHES = ("–", "—")
_RUN_ON = (_HYPHEN, "-", *_DASHES, "/")  # a line that ends so breaks inside a word (so does one that begins with a dash)
_TAG = re.compile(r"(<[^>]*>)")
_PARAGRAPH = re.compile(rf'<p id="({PARAGRAPH_ID_PREFIX}\d+)"')


@dataclass(frozen=True)
class PageStart:
    """Where a print page begins in the text: before word `word` (0-based) of paragraph `paragraph`."""

    page: int
    paragraph: str
    word: int


def count_words(text: str) -> int:
    return sum(1 for piece in _WORD_GAP.split(text)[::2] if piece)


def page_starts(pages: Iterable[Iterable[tuple[str, str]]]) -> tuple[PageStart, ...]:
    """For each page with lines of numbered paragraphs (given as (paragraph id, line text), page
    by page from page 1): where that page begins.

    Lines are joined as the source has them: a line broken at a space gets its
    space back; one broken after a hyphen, dash or slash, or before a dash, runs
    on into the next; WeasyPrint's own hyphen goes. A page that begins inside a
    word begins at that word.
    """
    starts = []
    text_so_far: dict[str, str] = {}  # paragraph id -> its text laid out on earlier pages and lines
    for number, lines in enumerate(pages, start=1):
        first = True
        for paragraph, line in lines:
            before = text_so_far.get(paragraph, "")
            if first:
                words = count_words(before) - (1 if before.endswith(_RUN_ON) or line.startswith(_DASHES) else 0)
                starts.append(PageStart(number, paragraph, max(words, 0)))
                first = False
            if not before:
                text_so_far[paragraph] = line
            elif before.endswith(_HYPHEN):
                text_so_far[paragraph] = before[:-1] + line
            elif before.endswith(_RUN_ON) or line.startswith(_DASHES):  # "away" / "—that’s" is one word
                text_so_far[paragraph] = before + line
            else:
                text_so_far[paragraph] = before + " " + line
    return tuple(starts)


def page_break(page: int) -> str:
    """The EPUB's marker of where print page `page` begins."""
    return (
        f'<span id="page-{page}" class="pagebreak" epub:type="pagebreak" role="doc-pagebreak" '
        f'aria-label="{escape(str(page))}"></span>'
    )


def insert_page_breaks(xhtml: str, starts: Iterable[PageStart]) -> str:
    """`xhtml` with a page-break marker before the word where each page of `starts` begins
    (a word may run across inline elements: `<span>Williams</span>’s` is one word)."""
    pending_of: dict[str, list[PageStart]] = {}
    for start in sorted(starts, key=lambda s: (s.paragraph, s.word, s.page)):
        pending_of.setdefault(start.paragraph, []).append(start)
    out: list[str] = []
    pending: list[PageStart] = []
    words, word_ended, inside = 0, True, False
    for token in _TAG.split(xhtml):
        if token.startswith("<"):
            if (opened := _PARAGRAPH.match(token)) is not None:
                pending, words, word_ended, inside = list(pending_of.get(opened.group(1), ())), 0, True, True
            elif token == "</p>" and inside:
                out.extend(page_break(start.page) for start in pending)  # a page that begins past the last word
                pending, inside = [], False
            elif token.startswith("<br"):
                word_ended = True
            out.append(token)
            continue
        if not pending:
            out.append(token)
            continue
        for index, piece in enumerate(_WORD_GAP.split(token)):
            if index % 2:
                word_ended = True
            elif piece and word_ended:
                while pending and pending[0].word <= words:
                    out.append(page_break(pending.pop(0).page))
                words += 1
                word_ended = False
            out.append(piece)
    return "".join(out)
