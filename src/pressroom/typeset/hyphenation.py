"""Automatic hyphenation held to a book typesetter's rules.

WeasyPrint hyphenates wherever pyphen allows and a word does not fit, with no
limit on hyphens in a row and no idea of a proper name. After a layout,
`bad_breaks` finds the hyphenated words a book would not break:

- a capitalised word: a name ("Karagu-lian", "FilmNa-tion"), unless it begins a sentence; in a
  language that capitalises every noun (German: "Filmfest-spiele") only a name: a word in a mention
  or a speaker's label, or a word of a name in `people.yaml` or of a speaker's (see `Names`);
- a name, in any language, wherever it stands;
- the third hyphen and later in a run of hyphenated line ends;
- a fragment alone on a line ("jet-" by itself, or a paragraph's last line
  that is nothing but the tail of a word);
- a word broken across a page, where the reader must turn the page mid-word.

The layout then keeps those words whole (`pagebreaks.keep_whole`) and lays the
book out again, until no bad break is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.prose import OPENING_MARKS, ends_sentence
from .pagebreaks import HYPHEN, HYPHENS, RUN_ON, count_words, join_line, paragraph_words

if TYPE_CHECKING:
    from ..core.model import Book

MAX_HYPHENS_IN_A_ROW = 2  # Chicago 7.41 and most house styles: no more than two consecutive hyphenated lines
# languages that capitalise every noun (German, Swiss German, Luxembourgish, Low German, Bavarian): a capital there
# says nothing of a name, and a long compound must break like any word
NOUNS_CAPITALISED = frozenset({"de", "gsw", "lb", "nds", "bar"})
_NAME_CLASSES = frozenset({"person", "film", "speaker"})  # the spans that hold a name: mentions, a turn's label
_CLASS = re.compile(r'\sclass="([^"]*)"')
_LANG = re.compile(r'\slang="([^"]*)"')
_COMPONENT = re.compile(r"[^-\u2010/\u2013\u2014]+")  # a compound's parts, between its own hyphens, dashes, slashes
_WORD_CORE = re.compile(r"\w+(?:['’]\w+)*")
_POSSESSIVE = ("’s", "'s", "s")  # "Baker’s", German "Bakers": the name is the word without them


@dataclass(frozen=True)
class Names:
    """What the lines alone do not say: which words are names, and which are in a language that capitalises
    every noun. Without it (`Names()`) every word is taken as English: a capitalised word is a name.

    capitalising: (paragraph id, word number) of the words in such a language (their element's `lang`).
    named: (paragraph id, word number) of the words in a mention (`.person`, `.film`) or a speaker's label.
    words: the words of the people's names (`people.yaml`, aliases too) and of the speakers' labels and names.
    """

    capitalising: frozenset[tuple[str, int]] = frozenset()
    named: frozenset[tuple[str, int]] = frozenset()
    words: frozenset[str] = frozenset()


def name_words(doc: Book) -> frozenset[str]:
    """The capitalised words of the names `doc` knows: its people's (names and aliases), and its speakers'
    labels and names, in every chapter."""
    names = [name for person in doc.people.values() for name in person.names]
    names += [text for chapter in doc.chapters for speaker in chapter.front.speakers
              for text in (speaker.label, speaker.name) if text]
    return frozenset(word for name in names for word in _WORD_CORE.findall(name) if word[:1].isupper())


def known_names(xhtml: str, words: Iterable[str] = ()) -> Names:
    """The `Names` of the numbered paragraphs of the print edition's `xhtml` (whose words the layout's
    lines count): each word's language is its element's `lang` (the page's, a chapter's, a span's)."""
    capitalising, named = set(), set()
    stack: list[tuple[str, bool]] = [("", False)]  # each open element's (lang, inside a name)
    word = -1
    for piece, paragraph, begun in paragraph_words(xhtml):
        lang, in_name = stack[-1]
        if piece.startswith("</"):
            if len(stack) > 1:  # the page's own stays, whatever is closed
                stack.pop()
        elif piece.startswith("<") and not piece.startswith(("<!", "<?")) and not piece.endswith("/>"):
            own = _LANG.search(piece)
            classes = set(found.group(1).split()) if (found := _CLASS.search(piece)) else set()
            stack.append((own.group(1) if own else lang, in_name or bool(classes & _NAME_CLASSES)))
        elif paragraph is not None and not piece.startswith("<") and not piece.isspace():
            word = begun if begun is not None else word
            if begun is not None and capitalises_nouns(lang):
                capitalising.add((paragraph, word))
            if in_name:
                named.add((paragraph, word))
    return Names(frozenset(capitalising), frozenset(named), frozenset(words))


def capitalises_nouns(lang: str) -> bool:
    """Whether the language capitalises every noun (German): a capital there says nothing of a name."""
    return lang.replace("_", "-").split("-")[0].casefold() in NOUNS_CAPITALISED


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


def bad_breaks(pages: Iterable[Iterable[tuple[str, str]]], names: Names | None = None) -> set[tuple[str, int]]:
    """The words to keep whole, as (paragraph id, word number from 0), given each page's lines of
    numbered paragraphs (paragraph id, line text), page by page, and what is known of their words'
    `names` and languages (none: every word is English)."""
    known = names if names is not None else Names()
    return {
        (paragraph, word)
        for paragraph, lines in lines_by_paragraph(pages).items() for word in _bad_in_paragraph(paragraph, lines, known)
    }


def stranded_words(pages: Iterable[Iterable[tuple[str, str]]]) -> set[str]:
    """Paragraphs with a word alone on a line in their middle ("model / of / making"): WeasyPrint 70
    leaves one so when it fails to fit or hyphenate the next word; no hyphen rule can prevent it."""
    return {
        paragraph for paragraph, lines in lines_by_paragraph(pages).items()
        if any(len(line.text.split()) == 1 and not line.text.endswith(RUN_ON) for line in lines[:-1])
    }


def _bad_in_paragraph(paragraph: str, lines: list[_Line], names: Names) -> Iterable[int]:
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
        broken = _broken_part(words[-1], following.text if following is not None else "")
        capital = fragment[:1].isupper() and not sentence_start and (paragraph, word) not in names.capitalising
        if (
            capital
            or (paragraph, word) in names.named
            or _is_name(broken, names.words)
            or in_a_row > MAX_HYPHENS_IN_A_ROW
            or len(line.text.split()) == 1
            or (following is not None and index + 2 == len(lines) and len(following.text.split()) == 1)
            or (following is not None and following.page != line.page)
        ):
            yield word


def _broken_part(before: str, after: str) -> str:
    """The part of a compound that a line's hyphen breaks: the word is `before` (up to the hyphen, which
    it ends with) and the next line's first word; its parts are what its own hyphens and dashes separate."""
    start = before[:-1]
    whole = start + (after.split() or [""])[0]
    at = len(start)
    return next((part.group(0) for part in _COMPONENT.finditer(whole) if part.start() < at < part.end()), "")


def _is_name(part: str, words: frozenset[str]) -> bool:
    """Whether a word's `part` ("(Karagulian’s") is one of the names' `words` ("Karagulian"), or one of
    them in the possessive."""
    core = _WORD_CORE.search(part)
    if core is None or not words:
        return False
    text = core.group(0)
    return text in words or any(text.endswith(ending) and text[: -len(ending)] in words for ending in _POSSESSIVE)
