"""A turn's timecode: where it begins in the recording, kept as data and never printed as text.

The source writes it as a span right after the turn's label, `Baker: [00:08:12]{.time} ...`
(milliseconds when the recording gives them: `[00:08:12.250]{.time}`). Imports read it from a
subtitle cue's start, a transcription export's `Name  00:08:12` line, or `[08:12]` opening a turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# 8:12, 08:12, 65:30 (a podcast's minutes), 1:08:12, 01:08:12.250, 00:08:12,250 (SRT's comma)
PATTERN = r"(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)(?:[.,](\d{1,3}))?"
_WHOLE = re.compile(rf"\A{PATTERN}\Z")


@dataclass(frozen=True, order=True)
class Timecode:
    """A point in the recording, in milliseconds from its start."""

    milliseconds: int

    def __str__(self) -> str:
        seconds, millis = divmod(self.milliseconds, 1000)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
        return f"{text}.{millis:03d}" if millis else text


def parse(text: str) -> Timecode | None:
    """The timecode `text` writes (`8:12`, `01:08:12`, `00:08:12.250`, `00:08:12,250`), else None."""
    match = _WHOLE.match(text.strip())
    if match is None or (match.group(1) is not None and int(match.group(2)) > 59):
        return None  # 1:75:00 is no time
    return from_groups(match.groups())


def from_groups(groups: Sequence[str | None]) -> Timecode:
    """The timecode of PATTERN's four groups (hours, minutes, seconds, fraction) as a match gives them."""
    hours, minutes, seconds, fraction = groups
    millis = int((fraction or "0").ljust(3, "0"))
    return Timecode(((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis)
