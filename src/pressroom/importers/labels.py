"""How transcripts open a turn: a speaker's label, perhaps a timecode, as people write them.

    Baker: ...                 a label (one to three capitalised words, a colon)
    Full Name (FN): ...        a label with its speaker's name, once; `FN:` after it
    [08:12] Baker: ...         a timecode before the label, or after it:
    Baker: [00:08:12] ...      `[08:12]`, `(08:12)`, `00:08:12`
    Baker (00:08:12): ...      or between the label and its colon
    Break: ...                 a label that is no speaker: a break in the programme

Every importer reads labels with these rules (in plain text, or in bold: the reader says where
its bold ends), so that a transcript means the same whatever format it was saved in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.prose import CAPITAL
from ..core.timecode import PATTERN, Timecode, from_groups

_WORD = rf"{CAPITAL}[\w.’'-]*"
_PARTICLE = r"(?:de|van|von|der|den|da|di|du|la|le|del|dos|bin|al|ter)"
# "Baker", "Sean Baker", "Jean de Vries", "Speaker 1": up to three words, a particle between them free
_NAME = rf"{_WORD}(?: (?:{_PARTICLE} )?(?:{_WORD}|\d{{1,2}})){{0,2}}"
_TIME = rf"(?:\[{PATTERN}\]|\({PATTERN}\))"  # bracketed: certainly a timecode wherever it stands
_BARE_TIME = rf"(?<![\w:.]){PATTERN}(?![\w:])"  # 00:08:12 alone: a timecode only where a turn begins
_LEADING_TIME = re.compile(rf"[ \t]*(?:{_TIME}|{_BARE_TIME})[ \t]*(?:[-–—][ \t]*)?")
_LABEL = re.compile(rf"(?P<label>{_NAME})(?:[ \t]*\((?P<short>{_WORD}(?: {_WORD})?)\))?[ \t]*:(?:[ \t]+|\Z)")
_TIMED_LABEL = re.compile(rf"(?P<label>{_NAME})[ \t]*{_TIME}[ \t]*:(?:[ \t]+|\Z)")  # Rev's "Speaker 1 (00:12):"
_BOLD_NAME = re.compile(rf"({_NAME})[ \t]*\Z")
_Q_OR_A = re.compile(r"(Q|A)\.[ \t]+(?=\S)")
BRACKETED_TIME = re.compile(rf"[ \t]*{_TIME}")  # one inside running text: dropped, never printed

# labels of programme furniture: a section break in their place, their words dropped
BREAK_LABELS = frozenset({
    "break", "ad", "ads", "advert", "advertisement", "commercial", "sponsor", "sponsors", "sponsor break",
    "sponsored", "promo", "intro", "outro", "music", "song", "theme", "jingle", "interlude", "transition",
})
# labels that open no one's turn either, but whose words are the text's: kept, the label in italics
NOT_SPEAKERS = BREAK_LABELS | frozenset({
    "applause", "laughter", "crosstalk", "inaudible", "end", "pause", "note", "editor’s note", "editor's note",
    "update", "correction", "photo", "source", "sources", "tags", "share", "transcript", "audio", "video",
})
INTERVIEWER_LABELS = frozenset({"q", "question", "interviewer", "int", "host", "co-host", "cohost", "moderator",
                                "presenter"})
INTERVIEWEE_LABELS = frozenset({"a", "answer", "guest", "interviewee", "narrator", "respondent", "subject"})


@dataclass(frozen=True)
class Opening:
    """How a paragraph opens: the speaker's label (and the full name written beside it, once), its
    timecode, and `end`, where its words begin."""

    label: str | None
    name: str | None
    timecode: Timecode | None
    end: int


def opening(text: str, bold_end: int = 0) -> Opening:
    """How the paragraph `text` opens. `bold_end` > 0: the reader set its first `bold_end` characters in
    bold (a label in bold needs only its colon after it: `**Baker**: ...`)."""
    timecode, start = leading_timecode(text, 0, bare="hours")  # "10:30 we met" is no timecode
    if question := _Q_OR_A.match(text, start):  # "Q. Where were you born?" as oral histories write it
        return Opening(question.group(1), None, timecode, question.end())
    match = _LABEL.match(text, start) if start < len(text) else None
    if match is None and (timed := _TIMED_LABEL.match(text, start)):
        stamp, _ = leading_timecode(text, timed.end("label"))
        return Opening(timed.group("label"), None, timecode or stamp, timed.end())
    if match is None and bold_end and (named := _BOLD_NAME.match(text[:bold_end], start)):
        after, end = leading_timecode(text, bold_end, bare="hours")  # **Jane Roe** [00:01:02] Words: a label
        if after is not None:
            return Opening(named.group(1), None, timecode or after, end)
        if text[bold_end:bold_end + 1].isspace() and text[bold_end:].strip():  # **FILMMAKER** Back when ...
            return Opening(named.group(1), None, timecode, len(text) - len(text[bold_end:].lstrip()))
    if match is None or (len(text) == match.end() and not bold_end):
        return Opening(None, None, timecode, start)
    label, short = match.group("label"), match.group("short")
    if short:
        label, name = short, label
    else:
        name = None
    after, end = leading_timecode(text, match.end(), bare="hours")
    return Opening(label, name, timecode or after, end)


def leading_timecode(text: str, start: int, bare: str = "none") -> tuple[Timecode | None, int]:
    """The timecode at `start` of `text` and where the words after it begin. `bare`: whether one with no
    brackets counts: "none", or "hours" (00:08:12, not 10:30, which is as often the time of day)."""
    match = _LEADING_TIME.match(text, start)
    if match is None:
        return None, start
    groups = match.groups()
    for first in range(0, len(groups), 4):
        if groups[first + 2] is None:
            continue
        if first == 8 and (bare == "none" or groups[first] is None):
            return None, start
        return from_groups(groups[first : first + 4]), match.end()
    return None, start


def is_speaker(label: str) -> bool:
    """Whether a label could be a person's: `Break:`, `Music:` or `Note:` is not."""
    return " ".join(label.casefold().split()) not in NOT_SPEAKERS


def is_break(label: str) -> bool:
    """Whether a label marks a break in the programme (`Break:`, `Sponsor:`, `Music:`)."""
    return " ".join(label.casefold().split()) in BREAK_LABELS
