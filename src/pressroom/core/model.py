"""The intermediate document model: one frozen dataclass per node kind.

Every writer reads this and nothing else. It imports nothing from the rest of
pressroom but the timecode value, so it stays at the bottom of the import graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Literal

from .timecode import Timecode

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


class MentionKind(Enum):
    """What a mention names: each kind has its span class, registry, and index.

    The span class is how a source marks the mention (`[Anora]{.film}`); the
    registry file (and the front-matter block of its stem) says what it may
    name; the index id names that kind's index in every edition (and its title in
    `core.words.PART_TITLES`).
    """

    FILM = ("film", "films.yaml", "film-index")
    PERSON = ("person", "people.yaml", "name-index")

    def __new__(cls, span_class: str, registry_file: str, index_id: str) -> MentionKind:
        kind = object.__new__(cls)
        kind._value_ = span_class  # MentionKind("film") is FILM
        kind.span_class = span_class
        kind.registry_file = registry_file
        kind.index_id = index_id
        return kind

    @property
    def front_matter_key(self) -> str:
        """The front-matter block that adds entries for this source alone (`films:`)."""
        return self.registry_file.removesuffix(".yaml")


@dataclass(frozen=True)
class Mention:
    """A film or real person named in the text: `[Anora]{.film}`; `anchor` is unique in the document."""

    kind: MentionKind
    key: str
    anchor: str
    children: tuple[Inline, ...]
    pos: Pos
    illustration: bool = False  # a figure's `film=`: the index prints its page in italics (Chicago 16.116)


@dataclass(frozen=True)
class NoteRef:
    """The place a footnote is called; `number` counts from 1 in document order."""

    number: int
    blocks: tuple[Block, ...]


Inline = Text | Emph | Strong | SmallCaps | Code | LineBreak | Link | Mention | NoteRef


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
            case (Emph(children) | Strong(children) | SmallCaps(children) | Link(_, children)
                  | Mention(children=children)):
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


@dataclass(frozen=True)
class Image:
    """A picture a figure shows, read (and checked) from the source's folder."""

    name: str  # as the source names it, relative to its folder: "images/still.jpg"
    media_type: str  # "image/jpeg" or "image/png"
    width: int  # in pixels
    height: int
    data: bytes = field(repr=False)

    @property
    def extension(self) -> str:
        return "jpg" if self.media_type == "image/jpeg" else "png"


@dataclass(frozen=True)
class Figure:
    """A photograph with its caption and credit (`::: figure`); `film` is its mention in the index."""

    image: Image
    alt: str  # what the picture shows, for a reader who cannot see it
    caption: tuple[Inline, ...]
    credit: str  # "Photo: Neon"; "" when the source gives none
    ident: str  # unique in the book: "figure-1", "c2-figure-1"
    pos: Pos
    source: str  # the source file, for a warning about the picture: "source/x.md"
    film: Mention | None = None


class Role(Enum):
    """Who a speaker is in the interview."""

    INTERVIEWER = "interviewer"
    INTERVIEWEE = "interviewee"

    @property
    def turn_kind(self) -> str:
        """What this speaker's turns are, as every edition styles them: "question" or "answer"."""
        return "question" if self is Role.INTERVIEWER else "answer"


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
    timecode: Timecode | None = None  # where the turn begins in the recording (an import's), never printed


Block = Para | Heading | BlockQuote | ListBlock | CodeBlock | Rule | Figure | Turn


# --- registries ------------------------------------------------------------


@dataclass(frozen=True)
class Film:
    """A film in the registry (`films.yaml`)."""

    key: str
    title: str
    year: int | None
    director: str | None
    heading: str  # what the index prints: the registry's `sort:`, else the title, its leading article moved
    sort_key: str  # what the index files it under: `sort:` as written, else the heading, numerals spelled out
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every text a mention may name it by."""
        return (self.title, *self.aliases)

    @property
    def detail(self) -> str:
        """What the index prints after the heading: "2017, Sean Baker"."""
        return ", ".join(str(part) for part in (self.year, self.director) if part)


@dataclass(frozen=True)
class Person:
    """A person in the registry (`people.yaml`)."""

    key: str
    name: str
    heading: str  # what the index prints: the registry's `sort:`, else "Surname, Given"
    sort_key: str  # what the index files it under: `sort:` as written, else the heading, numerals spelled out
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every text a mention may name them by."""
        return (self.name, *self.aliases)

    @property
    def detail(self) -> str:
        return ""


Entry = Film | Person  # what a mention's key names, in the registry of its kind


# --- the indexes (built by index.py, once, after reading) ------------------

# Where a mention can be: the headline is the title and subtitle as the opening page prints them
# (display front matter, the half-title and title page, is not indexed: Chicago ch. 16).
TextPart = Literal["headline", "headnote", "introduction", "interview"]


@dataclass(frozen=True)
class Locator:
    """One mention of an entry: the mention's anchor, the part of the text it is in and, in a
    collection, the chapter (1, 2 ...; 0 in the book of one interview)."""

    anchor: str
    part: TextPart
    chapter: int = 0
    illustration: bool = False  # the mention is a figure's: its page prints in italics


@dataclass(frozen=True)
class IndexEntry:
    """One film or person in an index, with every place the text names it."""

    key: str
    heading: str  # "Florida Project, The" / "Borisov, Yura": the words the entry is printed under
    detail: str  # "2017, Sean Baker" for a film; "" for a person
    sort_key: str  # what it is filed under: "Eight and a Half" for "8½" (see registry.py)
    locators: tuple[Locator, ...]


@dataclass(frozen=True)
class Index:
    """One index per mention kind, each sorted as printed; an index with no entries is left out."""

    by_kind: Mapping[MentionKind, tuple[IndexEntry, ...]] = field(default_factory=dict)

    def __getitem__(self, kind: MentionKind) -> tuple[IndexEntry, ...]:
        return self.by_kind.get(kind, ())

    @property
    def films(self) -> tuple[IndexEntry, ...]:
        return self[MentionKind.FILM]

    @property
    def people(self) -> tuple[IndexEntry, ...]:
        return self[MentionKind.PERSON]


# --- the document ----------------------------------------------------------


def id_prefix(chapter: int) -> str:
    """What every id of an interview begins with in a book: "" alone, "c2-" as chapter 2 of a collection."""
    return f"c{chapter}-" if chapter else ""


def mention_anchor(kind: MentionKind, key: str, number: int, prefix: str = "") -> str:
    """The id of the `number`th mention (from 1) of `key` in an interview whose ids begin with `prefix`."""
    return f"{prefix}{kind.span_class}-{key}-{number}"


@dataclass(frozen=True)
class FrontMatter:
    """What the YAML block says about the interview, typed and defaulted."""

    title: tuple[Inline, ...]
    subtitle: tuple[Inline, ...]
    lang: str
    speakers: tuple[Speaker, ...]
    running_head: tuple[Inline, ...] = ()  # the print edition's verso head; the interviewee's name when empty
    date: date | None = None
    identifier: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    rights: str | None = None
    history: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()  # a collection's editors
    blurb: str | None = None  # the back cover's text (else the headnote's)

    @property
    def interviewees(self) -> tuple[Speaker, ...]:
        return tuple(s for s in self.speakers if s.role is Role.INTERVIEWEE)

    @property
    def interviewee_names(self) -> tuple[str, ...]:
        return tuple(s.name or s.label for s in self.interviewees)

    @property
    def interviewer_names(self) -> tuple[str, ...]:
        """Only the interviewers the source names: a bare label ("Filmmaker") is a masthead, not a credit."""
        return tuple(s.name for s in self.speakers if s.role is Role.INTERVIEWER and s.name)


class _Registered:
    """A book's registry entries by kind, as the writers ask for them."""

    registry: Mapping[MentionKind, Mapping[str, Entry]]

    @property
    def films(self) -> Mapping[str, Film]:
        return self.registry.get(MentionKind.FILM, {})  # type: ignore[return-value]

    @property
    def people(self) -> Mapping[str, Person]:
        return self.registry.get(MentionKind.PERSON, {})  # type: ignore[return-value]


@dataclass(frozen=True)
class Document(_Registered):
    """A whole interview: front matter, the three parts of the text, the registries."""

    source_name: str  # the source file's stem, e.g. "sean-baker-anora"
    front: FrontMatter
    headnote: tuple[Block, ...]
    introduction: tuple[Block, ...]
    interview: tuple[Block, ...]
    registry: Mapping[MentionKind, Mapping[str, Entry]] = field(hash=False, compare=True)  # kind -> key -> entry
    source_text: str = field(repr=False, default="")  # the canonical source, for archival copies
    index: Index = Index()
    chapter: int = 0  # its chapter in a collection (1, 2 ...), 0 alone: what its anchors and note ids begin with

    @property
    def id_prefix(self) -> str:
        return id_prefix(self.chapter)

    @property
    def chapters(self) -> tuple[Document, ...]:
        """The interviews of the book: a source is the book of one."""
        return (self,)

    @property
    def figures(self) -> list[Figure]:
        """The interview's figures, in reading order (a collection has every chapter's)."""
        return nested((*self.headnote, *self.introduction, *self.interview), Figure)

    @property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """(file name, text) of the source files, for the archival copy's attachments."""
        return ((f"{self.source_name}.md", self.source_text),)


@dataclass(frozen=True)
class PartTitle:
    """A part title between a collection's interviews (`- part: Festival Talks`)."""

    title: str
    number: int  # 1, 2 ... in the book

    @property
    def ident(self) -> str:
        return f"part-{self.number}"


@dataclass(frozen=True)
class Collection(_Registered):
    """A book of interviews (`*.collection.yaml`): the book's front matter, its interviews as chapters
    (each a Document whose `chapter` numbers its anchors) with part titles between them, the
    interviews' registries merged, and one cumulative index whose locators carry their chapter."""

    source_name: str  # the collection file's name less .yaml: "conversations.collection"
    front: FrontMatter
    contents: tuple[Document | PartTitle, ...]
    registry: Mapping[MentionKind, Mapping[str, Entry]] = field(hash=False, compare=True)
    sources: tuple[tuple[str, str], ...] = field(repr=False, default=())  # the collection file and every interview
    index: Index = Index()

    @property
    def chapters(self) -> tuple[Document, ...]:
        return tuple(item for item in self.contents if isinstance(item, Document))

    @property
    def figures(self) -> list[Figure]:
        """Every chapter's figures, in reading order."""
        return [figure for chapter in self.chapters for figure in chapter.figures]

    @property
    def interview_files(self) -> tuple[str, ...]:
        """Each chapter's source file as the collection names it ("lantern/three-speakers.md")."""
        return tuple(name for name, _ in self.sources[1:])


Book = Document | Collection  # what the layout and the writers make editions of


def nested(blocks: tuple[Block, ...], kind: type) -> list:
    """The blocks of `kind` (Heading, Figure ...) among `blocks` and inside their turns and quotations, in
    reading order."""
    found = []
    for block in blocks:
        match block:
            case Turn(_, inner) | BlockQuote(inner):
                found += nested(inner, kind)
            case _ if isinstance(block, kind):
                found.append(block)
    return found
