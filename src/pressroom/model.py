"""The intermediate document model: one frozen dataclass per node kind.

Every writer reads this and nothing else. It imports nothing from the rest of
pressroom, so it stays at the bottom of the import graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


# --- positions -------------------------------------------------------------


@dataclass(frozen=True)
class Pos:
    """A place in the source file, 1-based, for error messages."""

    line: int
    column: int


# --- inlines ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Running text: words, spaces and punctuation as they are printed."""

    text: str


@dataclass(frozen=True)
class Emph:
    """Emphasised (italic) text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    """Strongly emphasised (bold) text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class SmallCaps:
    """Text set in small capitals."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    """Verbatim text."""

    text: str


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True)
class Link:
    """A hyperlink to a web or mail address (never fetched)."""

    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class FilmMention:
    """A film named in the text: `[Anora]{.film}`; `anchor` is unique in the document."""

    key: str
    anchor: str
    children: tuple[Inline, ...]
    pos: Pos


@dataclass(frozen=True)
class PersonMention:
    """A real person named in the text: `[Yuri [Borisov]]{.person}`."""

    key: str
    anchor: str
    children: tuple[Inline, ...]
    pos: Pos


@dataclass(frozen=True)
class NoteRef:
    """The place a footnote is called; `number` counts from 1 in document order."""

    number: int
    blocks: tuple[Block, ...]


Inline = Text | Emph | Strong | SmallCaps | Code | LineBreak | Link | FilmMention | PersonMention | NoteRef


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The words of some inlines without their markup or notes: for metadata and matching."""
    parts = []
    for node in inlines:
        match node:
            case Text(text) | Code(text):
                parts.append(text)
            case LineBreak():
                parts.append(" ")
            case NoteRef():
                pass
            case Emph(children) | Strong(children) | SmallCaps(children) | Link(_, children):
                parts.append(plain_text(children))
            case FilmMention(children=children) | PersonMention(children=children):
                parts.append(plain_text(children))
            case _:
                raise TypeError(f"plain_text: unknown inline {type(node).__name__}")
    return "".join(parts)


# --- blocks ----------------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """A paragraph."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    """A section heading inside the text; level 1 is the largest."""

    level: int
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class BlockQuote:
    """A quotation set off from the text."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of blocks."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class CodeBlock:
    """Verbatim lines."""

    text: str


@dataclass(frozen=True)
class Rule:
    """A section break (thematic break)."""


class Role(Enum):
    """Who a speaker is in the interview."""

    INTERVIEWER = "interviewer"
    INTERVIEWEE = "interviewee"


@dataclass(frozen=True)
class Speaker:
    """A speaker declared under `speakers:`; `label` is how turns begin ("Baker")."""

    label: str
    role: Role
    name: str | None = None


@dataclass(frozen=True)
class Turn:
    """One speaker's turn: the labelled paragraph and the unlabelled ones after it."""

    speaker: Speaker
    blocks: tuple[Block, ...]
    pos: Pos


Block = Para | Heading | BlockQuote | ListBlock | CodeBlock | Rule | Turn


# --- registries ------------------------------------------------------------


@dataclass(frozen=True)
class Film:
    """A film in the registry (`films.yaml`)."""

    key: str
    title: str
    year: int | None
    director: str | None
    sort_key: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """A person in the registry (`people.yaml`)."""

    key: str
    name: str
    sort_key: str
    aliases: tuple[str, ...] = ()


# --- the indexes (built by index.py, once, after reading) ------------------


@dataclass(frozen=True)
class Locator:
    """One mention of an entry: the mention's anchor and the part of the text it is in."""

    anchor: str
    part: str  # "title", "headnote", "introduction" or "interview"


@dataclass(frozen=True)
class IndexEntry:
    """One film or person in an index, with every place the text names it."""

    key: str
    heading: str  # "Florida Project, The" / "Borisov, Yura": the words the entry is printed under
    detail: str  # "2017, Sean Baker" for a film; "" for a person
    sort_key: str
    locators: tuple[Locator, ...]


@dataclass(frozen=True)
class Index:
    """The film index and the index of names, each sorted as printed."""

    films: tuple[IndexEntry, ...] = ()
    people: tuple[IndexEntry, ...] = ()


# --- the document ----------------------------------------------------------


@dataclass(frozen=True)
class FrontMatter:
    """What the YAML block says about the interview, typed and defaulted."""

    title: tuple[Inline, ...]
    subtitle: tuple[Inline, ...]
    lang: str
    speakers: tuple[Speaker, ...]
    date: date | None = None
    identifier: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    rights: str | None = None
    history: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def interviewees(self) -> tuple[Speaker, ...]:
        return tuple(s for s in self.speakers if s.role is Role.INTERVIEWEE)

    @property
    def interviewee_names(self) -> tuple[str, ...]:
        return tuple(s.name or s.label for s in self.interviewees)


@dataclass(frozen=True)
class Document:
    """A whole interview: front matter, the three parts of the text, the registries."""

    source_name: str  # the source file's stem, e.g. "sean-baker-anora"
    front: FrontMatter
    headnote: tuple[Block, ...]
    introduction: tuple[Block, ...]
    interview: tuple[Block, ...]
    films: dict[str, Film] = field(hash=False, compare=True)
    people: dict[str, Person] = field(hash=False, compare=True)
    source_text: str = field(repr=False, default="")  # the canonical source, for archival copies
    index: Index = Index()
