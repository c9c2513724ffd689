"""What every importer makes: an imported interview, before it is written as a source.

A reader (plain text now; DOCX and HTML next) turns a foreign file into an
`ImportedInterview` and the review notes a person should look at; `source.py`
writes it as pressroom Markdown. Paragraphs are tuples of the model's inlines
(`Text`, `Emph`, `Mention` ...), so every reader speaks the same vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Inline, Speaker

Paragraph = tuple[Inline, ...]


@dataclass(frozen=True)
class Note:
    """Something a person should look at, at a place in the input (1-based line and column)."""

    line: int
    column: int
    kind: str  # "doubtful-film", "character", "label-once", "dropped", "speakers", "headline"
    message: str

    def located(self, path: object) -> str:
        return f"{path}:{self.line}:{self.column}: note: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class ImportedTurn:
    """One speaker's turn: the label it begins with and its paragraphs (the label taken off)."""

    label: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class ImportedInterview:
    """An interview read from a foreign file: headline, the three parts of the text, speakers, notes."""

    title: Paragraph
    subtitle: Paragraph
    speakers: tuple[Speaker, ...]
    headnote: tuple[Paragraph, ...]
    introduction: tuple[Paragraph, ...]
    turns: tuple[ImportedTurn, ...]
    notes: tuple[Note, ...] = ()
    lang: str = "en"
