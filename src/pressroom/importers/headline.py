"""The headline of a transcript: given (a YAML title, an `<h1>`, a Title paragraph) or found, never
taken from the interview's own words.

    Interview with Jane Roe                  <- the title ("Title: Subtitle" split at its colon)
    Chicago, Illinois, March 3, 1988         <- a dateline: the subtitle, and the date
    John Doe, Interviewer                    <- a credit: names the interviewer, not printed as text

A first paragraph is a headline when it is a heading, wholly bold or short; a transcript that
opens with a turn or a long paragraph takes its title from the file's name. Whatever was
guessed is said in a `headline` note. Trailing colons and full stops are trimmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .cast import INTERVIEWEE_CREDITS, INTERVIEWER_CREDITS

# a part of a piece's text (piece index, start, end), or words from elsewhere (the file's name, YAML)
Part = tuple[int, int, int] | str

_SHORT_WORDS = 12  # a first line this short is a headline whatever its punctuation
_HEADLINE_WORDS = 25  # this short, it is one unless it ends as a sentence does
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(?P<month>" + "|".join(m[:3] + r"(?:" + m[3:] + r")?\.?" for m in _MONTHS) + ")"
_DATES = (
    re.compile(rf"\b{_MONTH}[ \t]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(?P<year>1[89]\d\d|20\d\d)\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[ \t]+{_MONTH}[ \t]+(?P<year>1[89]\d\d|20\d\d)\b", re.I),
    re.compile(r"\b(?P<year>1[89]\d\d|20\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
)


@dataclass(frozen=True)
class Headline:
    """The title and subtitle as parts, the date a dateline gives, and the lines that credit people."""

    title: tuple[Part, ...]
    subtitle: tuple[Part, ...] = ()
    date: date | None = None
    credits: tuple[str, ...] = ()  # the headline block's credit lines, for names ("John Doe, Interviewer")


def date_in(text: str) -> date | None:
    """The calendar date a dateline writes ("March 3, 1988", "3 March 1988", "1988-03-03"), if any."""
    for pattern in _DATES:
        if match := pattern.search(text):
            month = match.group("month")
            number = int(month) if month.isdigit() else _MONTHS.index(
                next(m for m in _MONTHS if m.startswith(month[:3].casefold()))) + 1
            try:
                return date(int(match.group("year")), number, int(match.group("day")))
            except ValueError:
                return None
    return None


def is_headline(text: str, heading: bool, bold: bool) -> bool:
    """Whether a first paragraph reads as a headline rather than as the introduction's first words."""
    words = len(text.split())
    if heading or bold:
        return words <= 3 * _HEADLINE_WORDS
    return words <= _SHORT_WORDS or (words <= _HEADLINE_WORDS and not text.rstrip().endswith((".", "!", "”", '"')))


def from_stem(stem: str) -> str:
    """A title made of a file's name: "sean-baker_anora" -> "Sean Baker Anora"."""
    words = re.sub(r"[-_.]+", " ", stem).split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Untitled"


def split(piece: int, text: str, lines: tuple[tuple[int, int], ...]) -> Headline:
    """The headline in the first paragraph `text` (the piece `piece`) whose lines are at `lines`
    ((start, end) offsets): the first line the title (with a subtitle after its colon), a credit line
    kept for names, a dateline's date; other lines the subtitle."""
    title_start, title_end = lines[0]
    subtitle: list[Part] = []
    credits: list[str] = []
    when = None
    colon = headline_colon(text[title_start:title_end])
    if colon is not None:
        subtitle.append(_trimmed(piece, text, title_start + colon + 2, title_end))
        title_end = title_start + colon
    for start, end in lines[1:]:
        line = text[start:end]
        if is_credit(line):
            credits.append(line)
            continue
        when = when or date_in(line)
        subtitle.append(_trimmed(piece, text, start, end))
    return Headline((_trimmed(piece, text, title_start, title_end),), tuple(subtitle), when, tuple(credits))


def names_an_interview(line: str) -> bool:
    """A line that says whose interview it is ("Interview with Jane Roe"): the title, among headline lines."""
    return any(pattern.search(line) for pattern in INTERVIEWEE_CREDITS[:1])


def is_credit(line: str) -> bool:
    """A line that credits the interviewer ("John Doe, Interviewer", "Interviewed by John Doe")."""
    return any(pattern.search(line) for pattern in INTERVIEWER_CREDITS)


def headline_colon(text: str) -> int | None:
    """The offset of the headline's first colon outside quotation marks that a space follows."""
    depth = 0
    for i, char in enumerate(text):
        if char in "“‘":
            depth += 1
        elif char in "”" and depth:  # ’ is also an apostrophe: it closes nothing
            depth -= 1
        elif char == '"':
            depth = 0 if depth else 1
        elif char == ":" and depth == 0 and text[i + 1 : i + 2] == " " and text[i + 2 :].strip():
            return i
    return None


def _trimmed(piece: int, text: str, start: int, end: int) -> Part:
    """The part from `start` to `end`, white space and a trailing colon or full stop taken off
    (an ellipsis or an abbreviation's stop kept)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or (text[end - 1] in ":." and not _keeps_stop(text[start:end]))):
        end -= 1
    return (piece, start, end)


def _keeps_stop(words: str) -> bool:
    return words.endswith(("...", "Jr.", "Sr.", "St.", "Inc.", "Co.")) or bool(re.search(r"\b[A-Z]\.\Z", words))
