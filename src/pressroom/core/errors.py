"""pressroom's errors: each class carries the exit code the CLI ends with.

The CLI catches `PressroomError` once, prints `str(error)` and exits with
`error.exit_code`; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class PressroomError(Exception):
    """Base of every error pressroom reports to a user."""

    exit_code = 1


class UsageError(PressroomError):
    """The command line asks for something that does not exist (an unknown format, ...)."""

    exit_code = 2


@dataclass
class SourceError(PressroomError):
    """The source (or a registry beside it) is malformed; points at the offending place."""

    path: Path
    line: int
    column: int
    message: str
    source_line: str | None = None  # the offending line, quoted under the message with a caret

    exit_code = 3

    def __str__(self) -> str:
        head = f"{self.path}:{self.line}:{self.column}: {_printable(self.message)}"
        if not self.source_line:
            return head
        line = self.source_line.rstrip("\r\n").expandtabs(1)
        start = max(self.column - 1 - _QUOTE_WIDTH // 2, 0)  # a long line is quoted around the column
        shown = line[start : start + _QUOTE_WIDTH]
        caret = " " * len(_printable(line[start : max(self.column - 1, 0)])) + "^"
        more_before, more_after = ("…" if start else ""), ("…" if start + _QUOTE_WIDTH < len(line) else "")
        return f"{head}\n    {more_before}{_printable(shown)}{more_after}\n    {' ' * len(more_before)}{caret}"


_QUOTE_WIDTH = 100  # characters of the offending line quoted under the message


def _printable(text: str) -> str:
    """Control characters shown as escapes: a source's bytes must not drive the terminal."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)


class OutputError(PressroomError):
    """An edition could not be produced or written."""

    exit_code = 4


class CheckError(PressroomError):
    """A finished edition failed one of pressroom's own proofs (index pages); it was not written."""

    exit_code = 5
