"""What every importer hands back beside the model: notes for a person to review.

A reader (plain text, HTML, DOCX) turns a foreign file into a
`model.Document` and these notes; `writers/source.py` writes the model as a
pressroom source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """Something a person should look at, at a place in the input (1-based line and column)."""

    line: int
    column: int
    kind: str  # "doubtful-film", "character", "label-once", "dropped", "speakers", "headline", "encoding", "converted"
    message: str

    def located(self, path: object) -> str:
        return f"{path}:{self.line}:{self.column}: note: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "kind": self.kind, "message": self.message}
