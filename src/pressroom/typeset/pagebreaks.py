"""The print edition's pages in the text: where each begins, and a marker set there for the EPUB.

The layout reports, page by page, the lines of each numbered paragraph
(`p-1`, `p-2` ...); `page_starts` turns them into "page N begins before word W
of paragraph P", and `insert_page_breaks` sets a marker before that word in
the XHTML. Both count words with the one splitter below, so a marker lands
where its page does.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import escape

PARAGRAPH_ID_PREFIX = "p-"  # the text's paragraphs are p-1, p-2 ...: the layout reports pages by them
_WORD_GAP = re.compile(r"(\s+)")  # words are what white space separates, in the layout and in the XHTML
HYPHEN = "\u2010"  # what WeasyPrint puts at the end of a hyphenated line (pdftotext reads it back as it is)
HYPHENS = (HYPHEN, "-")  # a line ending in either ends in a hyphen: WeasyPrint's break, or a compound's own
DASHES = ("–", "—")
RUN_ON = (*HYPHENS, *DASHES, "/")  # a line that ends so breaks inside a word (so does one that begins with a dash)
_TAG = re.compile(r"(<[^>]*>)")
WORD_JOINER = "\u2060"  # no break here, and nothing to see or copy
_DASH_AFTER_WORD = re.compile(r"([^\s>]|</[^>]+>)—")  # an em dash close up after a word (or an element ending one)
_PARAGRAPH = re.compile(rf'<p id="({PARAGRAPH_ID_PREFIX}\d+)"')
_WHOLE_PARAGRAPH = re.compile(rf'<p id="({PARAGRAPH_ID_PREFIX}\d+)"([^>]*)>.*?</p>', re.S)  # no <p> holds another
_FOOTNOTE = re.compile(r'<span [^>]*class="footnote"')


AT_ITS_START = -1  # PageStart.word of a page that begins with an element (a headline's section, an index entry)
_OPENING_ID = re.compile(r'<[a-z][^>]*\sid="([^"]+)"')


@dataclass(frozen=True)
class PageStart:
    """Where a print page begins in the text: before word `word` (0-based) of paragraph `paragraph`, or,
    with `word` AT_ITS_START, first thing inside the element of id `paragraph` (a section, an index entry)."""

    page: int
    paragraph: str
    word: int


def every_page_start(line_starts: Iterable[PageStart], pages: Iterable[Iterable[tuple[str, bool]]]
                     ) -> tuple[PageStart, ...]:
    """Where each page that holds text begins: `line_starts` (the pages that begin in a numbered paragraph)
    and, for the others, the first element that begins on them. `pages`: each page's block ids in reading
    order, each with whether the page's first line is inside it (boxes.block_ids). A page that opens with
    a headline, a part title or an index begins before it, not at the paragraph after it."""
    by_page = {start.page: start for start in line_starts}
    seen: set[str] = set()
    starts = []
    for number, blocks in enumerate(map(list, pages), start=1):
        holding = [ident for ident, holds in blocks if holds]
        new = [ident for ident in holding if ident not in seen]
        if new and not holding[-1].startswith(PARAGRAPH_ID_PREFIX):
            starts.append(PageStart(number, new[0], AT_ITS_START))  # the outermost: a section before its heading
        elif number in by_page:
            starts.append(by_page[number])
        elif fresh := next((ident for ident, _ in blocks if ident not in seen), None):
            starts.append(PageStart(number, fresh, AT_ITS_START))  # runs on from the page before: the next block
        seen.update(ident for ident, _ in blocks)
    return tuple(starts)


def count_words(text: str) -> int:
    return sum(1 for piece in _WORD_GAP.split(text)[::2] if piece)


def join_line(before: str, line: str) -> str:
    """A paragraph's text so far with its next laid-out line joined as the source has it: a line
    broken at a space gets its space back; one broken after a hyphen, dash or slash, or before a
    dash, runs on into the next; WeasyPrint's own hyphen goes."""
    if not before:
        return line
    if before.endswith(HYPHEN):
        return before[:-1] + line
    if before.endswith(RUN_ON) or line.startswith(DASHES):  # "away" / "—that’s" is one word
        return before + line
    return before + " " + line


def page_starts(pages: Iterable[Iterable[tuple[str, str]]]) -> tuple[PageStart, ...]:
    """For each page with lines of numbered paragraphs (given as (paragraph id, line text), page
    by page from page 1): where that page begins. A page that begins inside a word begins at that word."""
    starts = []
    text_so_far: dict[str, str] = {}  # paragraph id -> its text laid out on earlier pages and lines
    for number, lines in enumerate(pages, start=1):
        first = True
        for paragraph, line in lines:
            before = text_so_far.get(paragraph, "")
            if first:
                starts.append(PageStart(number, paragraph, _first_word(before, line)))
                first = False
            text_so_far[paragraph] = join_line(before, line)
    return tuple(starts)


def _first_word(before: str, line: str) -> int:
    """The number of the word a laid-out line begins with, after a paragraph's text `before` it
    (a line that begins inside a word begins at that word)."""
    return max(count_words(before) - (1 if before.endswith(RUN_ON) or line.startswith(DASHES) else 0), 0)


def line_words(lines: Iterable[str]) -> list[tuple[int, int]]:
    """The numbers of the first and last word on each of a paragraph's laid-out lines."""
    ranges, before = [], ""
    for line in lines:
        first, before = _first_word(before, line), join_line(before, line)
        ranges.append((first, count_words(before) - 1))
    return ranges


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
    at_start_of: dict[str, list[PageStart]] = {}
    for start in sorted(starts, key=lambda s: (s.paragraph, s.word, s.page)):
        (at_start_of if start.word == AT_ITS_START else pending_of).setdefault(start.paragraph, []).append(start)
    out: list[str] = []
    pending: list[PageStart] = []
    for piece, paragraph, word in paragraph_words(xhtml):
        if at_start_of and (opened := _OPENING_ID.match(piece)) and opened.group(1) in at_start_of:
            out.append(piece)
            out.extend(page_break(start.page) for start in at_start_of[opened.group(1)])
            continue
        if piece.startswith("<p ") and paragraph is not None:
            pending = list(pending_of.get(paragraph, ()))
        elif piece == "</p>":
            out.extend(page_break(start.page) for start in pending)  # a page that begins past the last word
            pending = []
        elif word is not None:
            while pending and pending[0].word <= word:
                out.append(page_break(pending.pop(0).page))
        out.append(piece)
    return "".join(out)


def keep_whole(xhtml: str, words: Iterable[tuple[str, int]]) -> str:
    """`xhtml` with each (paragraph id, word number) wrapped in `<span class="whole">`, which print.css
    never hyphenates (the part of the word in one text run: a break inside it is what is avoided)."""
    wanted = set(words)
    out: list[str] = []
    for piece, paragraph, word in paragraph_words(xhtml):
        out.append(f'<span class="whole">{piece}</span>' if (paragraph, word) in wanted else piece)
    return "".join(out)


def track_lines(xhtml: str, lines: Mapping[str, Mapping[tuple[int, int], str]]) -> str:
    """`xhtml` with the text of each line of `lines` (paragraph id -> (first word, last word) -> class)
    in a span of that class, which print.css letter-spaces: a loose line's extra space spread over its
    letters as well as its word spaces (the words stay on the line: the layout asks for less than its slack)."""
    out: list[str] = []
    word = -1  # the word last begun in the paragraph
    for piece, paragraph, begun in paragraph_words(xhtml):
        if piece.startswith("<"):
            word = -1 if _PARAGRAPH.match(piece) else word
            out.append(piece)
            continue
        word = begun if begun is not None else word
        name = _line_class(lines.get(paragraph, {}) if paragraph else {}, word, piece.isspace())
        out.append(f'<span class="{name}">{piece}</span>' if name else piece)
    return "".join(out)


def _line_class(ranges: Mapping[tuple[int, int], str], word: int, space: bool) -> str | None:
    """The class of the line range that word number `word` (or the space after it) is in."""
    for (first, last), name in ranges.items():
        if first <= word < last or (word == last and not space):
            return name
    return None


def hold_dashes(body: str) -> str:
    """`body` (XHTML elements) with a word joiner before each em dash set close up after a word, so that a
    line breaks after the dash, never before it ("Tangerine— / meaning", not "Tangerine / —meaning"),
    as Chicago asks; Unicode line breaking allows either."""
    return _DASH_AFTER_WORD.sub(lambda m: m.group(1) + WORD_JOINER + "—", body)


def with_classes(xhtml: str, classes: Mapping[str, str]) -> str:
    """`xhtml` with each numbered paragraph of `classes` (paragraph id -> class) in that class."""
    def tagged(opened: re.Match) -> str:
        name = classes.get(opened.group(1))
        return f'{opened.group(0)} class="{name}"' if name else opened.group(0)

    return _PARAGRAPH.sub(tagged, xhtml)


def only_paragraphs(xhtml: str, kept: Collection[str]) -> str:
    """`xhtml` with every numbered paragraph but those of `kept` emptied and marked `data-unlaid`, for
    a stylesheet to leave out: the elements stay where they were, so the selectors match as before."""
    def emptied(paragraph: re.Match) -> str:
        ident, attributes = paragraph.group(1), paragraph.group(2)
        return paragraph.group(0) if ident in kept else f'<p id="{ident}"{attributes} data-unlaid=""></p>'

    return _WHOLE_PARAGRAPH.sub(emptied, xhtml)


def paragraph_words(xhtml: str) -> Iterator[tuple[str, str | None, int | None]]:
    """`xhtml` in pieces (tags, white space, words), each with the numbered paragraph it is in and,
    for a piece that begins a word, that word's number (from 0). Footnotes set inside a paragraph
    (print) are in none: the layout sets them apart, at the foot of the page."""
    paragraph: str | None = None
    words, word_ended, note_depth = 0, True, 0
    for token in _TAG.split(xhtml):
        if token.startswith("<"):
            if (opened := _PARAGRAPH.match(token)) is not None:
                paragraph, words, word_ended = opened.group(1), 0, True
            elif token == "</p>" and paragraph is not None:
                yield token, paragraph, None
                paragraph = None
                continue
            elif token.startswith("<br"):
                word_ended = True
            elif note_depth or _FOOTNOTE.match(token):
                note_depth += 1 if token.startswith("<span") else -1 if token == "</span>" else 0
                yield token, None, None
                continue
            yield token, paragraph, None
            continue
        if paragraph is None or note_depth:
            yield token, None if note_depth else paragraph, None
            continue
        for index, piece in enumerate(_WORD_GAP.split(token)):
            if index % 2:
                word_ended = True
                yield piece, paragraph, None
            elif piece and word_ended:
                yield piece, paragraph, words
                words += 1
                word_ended = False
            elif piece:
                yield piece, paragraph, None
