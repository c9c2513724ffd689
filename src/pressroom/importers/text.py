"""The plain-text reader: a headline, a headnote, an introduction, then "Label:" turns.

    “Title”: Subtitle                        <- the first line: the headline

    With X’s film winning ..., we’re reposting our interview with X.   <- the headnote
    The introduction, one or more paragraphs ...
    Interviewer: A question?                 <- a label that begins two or more paragraphs
    X: An answer.
    More of the answer (no label: it continues the turn).

A paragraph is a line, or lines between blank lines when they are a wrapped
paragraph. Nothing here knows a particular interview: speakers, roles and names
come from the labels and the words of the headline and introduction. The result
is the model (`model.Document`) the source reader would make of the source that
`writers/source.py` writes from it, and the notes for review.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import SourceError
from ..core.model import (
    Document,
    FrontMatter,
    Inline,
    Mention,
    MentionKind,
    Para,
    Pos,
    Text,
    mention_anchor,
)
from ..reading.registry import Registry
from . import films as film_rules
from .cast import person_names
from .headline import Headline, Part
from .labels import BRACKETED_TIME, opening
from .notes import Note
from .people import People, speaker_words
from .transcript import Piece, assembled, headline_inlines, interpret

_Inlines = tuple[Inline, ...]

_WRAPPED_LINE = 100  # lines of a hard-wrapped paragraph are at most this long


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the input and where each of its lines begins (offset, line, column)."""

    text: str
    starts: tuple[tuple[int, int, int], ...]

    def pos(self, offset: int) -> Pos:
        base = max((s for s in self.starts if s[0] <= offset), default=self.starts[0])
        return Pos(base[1], base[2] + offset - base[0])

    def sub(self, start: int, end: int | None = None) -> Paragraph:
        """The paragraph from `start` (to `end`), positions kept."""
        end = len(self.text) if end is None else end
        inside = [(o - start, ln, col) for o, ln, col in self.starts if start <= o < end]
        first = self.pos(start)
        if not inside or inside[0][0] != 0:
            inside.insert(0, (0, first.line, first.column))
        return Paragraph(self.text[start:end], tuple(inside))

    def lines(self) -> tuple[tuple[int, int], ...]:
        """(start, end) of each line the input broke this paragraph into, when it is more than one."""
        offsets = [start[0] for start in self.starts]
        if len(offsets) < 2:
            return ()
        return tuple(zip(offsets, [offset - 1 for offset in offsets[1:]] + [len(self.text)], strict=True))


def read(path: Path, text: str, registry: Registry) -> tuple[Document, tuple[Note, ...]]:
    """The interview in the plain text `text` (read from `path`, for messages), and the notes for review."""
    paras = _paragraphs(text)
    if not paras:
        raise SourceError(path, 1, 1, "the file holds no text to import")
    return read_paragraphs(path, paras, registry)


def read_paragraphs(
    path: Path, paras: list[Paragraph], registry: Registry, headline: Headline | None = None
) -> tuple[Document, tuple[Note, ...]]:
    """The interview in `paras` (plain text's, or a subtitle file's cues): see `transcript.interpret`."""
    pieces = [Piece(p.text, p.pos(0), lines=p.lines()) for p in paras]
    reading = interpret(str(path), pieces, headline, known_names=person_names(registry))
    notes = list(reading.notes)
    head = reading.headline

    def part(item: Part) -> Paragraph:
        return Paragraph(item, ((0, 1, 1),)) if isinstance(item, str) else paras[item[0]].sub(item[1], item[2])

    said = [part(x) for x in (*head.title, *head.subtitle)]
    said += [paras[i] for i in (*reading.headnote, *reading.introduction)]
    said += [paras[item.piece].sub(item.start) for item in reading.interview]
    context = film_rules.Context(registry, film_rules.name_like_titles([p.text for p in said], registry))
    anchors: Counter[str] = Counter()  # mentions numbered per entry in reading order, as the source reader does
    people = People(registry, notes, anchors, speaker_words(reading.speakers))

    def inlines(para: Paragraph, headline: bool = False) -> _Inlines:
        return _marked(_without_timecodes(para), context, notes, headline, anchors, people)

    def headline_part(item: Part) -> _Inlines:
        return inlines(part(item), headline=True)

    title, subtitle = (headline_inlines(parts, headline_part, separator)
                       for parts, separator in ((head.title, " "), (head.subtitle, ", ")))
    headnote = tuple(Para(inlines(paras[i])) for i in reading.headnote)
    introduction = tuple(Para(inlines(paras[i])) for i in reading.introduction)
    interview = assembled(reading, lambda item: [Para(inlines(paras[item.piece].sub(item.start)))])
    front = FrontMatter(title=title, subtitle=subtitle, lang="en", speakers=reading.speakers, date=head.date)
    document = Document(
        source_name=path.stem, front=front, headnote=headnote, introduction=introduction,
        interview=interview, registry=registry.entries,
    )
    notes.sort(key=lambda n: (n.line, n.column))
    return document, tuple(notes)


def _without_timecodes(para: Paragraph) -> Paragraph:
    """The paragraph with bracketed timecodes inside it taken out: they mark the recording, not the words."""
    spans = [match.span() for match in BRACKETED_TIME.finditer(para.text)]
    if not spans:
        return para
    kept, done = [], 0
    for start, end in spans:
        kept.append(para.sub(done, start))
        done = end
    kept.append(para.sub(done))
    text, starts = "", []
    for piece in kept:
        starts += [(offset + len(text), line, column) for offset, line, column in piece.starts]
        text += piece.text
    return Paragraph(text, tuple(starts))


def _paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs: each line, except that lines between blank lines that wrap one paragraph are joined."""
    lines = text.split("\n")
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines, 1):
        if line.strip():
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    paras = []
    for block in blocks:
        if not block:
            continue
        wrapped = (len(block) > 1 and all(len(line) <= _WRAPPED_LINE for _, line in block[:-1])
                   and not any(opening(line.strip()).label for _, line in block[1:]))
        if wrapped:
            parts, starts, offset = [], [], 0
            for number, line in block:
                stripped = line.strip()
                starts.append((offset, number, len(line) - len(line.lstrip()) + 1))
                parts.append(stripped)
                offset += len(stripped) + 1
            paras.append(Paragraph(" ".join(parts), tuple(starts)))
        else:
            for number, line in block:
                paras.append(Paragraph(line.strip(), ((0, number, len(line) - len(line.lstrip()) + 1),)))
    return paras


def _marked(
    para: Paragraph, context: film_rules.Context, notes: list[Note], headline: bool, anchors: Counter[str],
    people: People,
) -> _Inlines:
    """The paragraph as inlines, its film titles marked where the rules say film, noted where they do not,
    and the registry's people marked in the text between."""
    result: list[Inline] = []
    done = 0

    def text_until(end: int) -> None:
        start = done
        result.extend(people.marked(para.text[start:end], lambda offset: para.pos(start + offset)))

    for found in film_rules.classify(para.text, context, headline):
        where = para.pos(found.start)
        words = para.text[found.start : found.end]
        if found.verdict == "film" and found.film is not None:
            text_until(found.start)
            anchors[f"film-{found.film.key}"] += 1
            anchor = mention_anchor(MentionKind.FILM, found.film.key, anchors[f"film-{found.film.key}"])
            result.append(Mention(MentionKind.FILM, found.film.key, anchor, (Text(words),), where))
            done = found.end
        else:
            kind = "character" if found.verdict == "character" else "doubtful-film"
            notes.append(Note(where.line, where.column, kind, f"'{words}' left unmarked: {found.reason}"))
    text_until(len(para.text))
    return tuple(result)
