"""One reading of a transcript, whatever format it came in: which paragraph is the headline, the
headnote, the introduction, which opens whose turn, which is a break.

    reader (text, HTML, DOCX, Markdown, subtitles) ──pieces──▶ interpret ──Reading──▶ reader builds the model

A reader cuts its input into `Piece`s (a paragraph's plain words, where it is, whether it is a
heading or a quotation, where its bold label ends) and hands them here; the `Reading` says what
each piece is and where its words begin (after a label and a timecode), and the reader renders
its own inlines (italics, films, people) from there. The rules, in labels.py (how a turn opens),
cast.py (who speaks) and headline.py, are so the same for every format.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from ..core.errors import SourceError
from ..core.model import Pos, Speaker
from ..core.timecode import Timecode
from . import headline as headlines
from .cast import cast, credits_in
from .labels import BRACKETED_TIME, Opening, is_speaker, opening
from .notes import Note

_HEADNOTE_WORDS = 80  # a headnote is a sentence or two; an introduction paragraph is longer


@dataclass(frozen=True)
class Piece:
    """A paragraph of an input: its words (white space as one space), where it begins, what it is."""

    text: str
    pos: Pos
    kind: str = "para"  # "para", "heading" or "quote"
    bold_end: int = 0  # the reader set text[:bold_end] in bold (a label in bold is a strong one)
    lines: tuple[tuple[int, int], ...] = ()  # (start, end) of each line where the input broke it by hand
    headnote: bool = False  # the input marks it as one (an "editors-note" class)


@dataclass(frozen=True)
class Item:
    """What a piece of the interview is: `turn` (opened by `label`), `more` of the turn before, a
    `heading`, or a `break` (programme furniture); `start`, where its words begin; `once`, a label that
    opens it but no other paragraph (set in italics, kept as words)."""

    piece: int
    what: str
    label: str | None = None
    start: int = 0
    timecode: Timecode | None = None
    once: str | None = None


@dataclass(frozen=True)
class Reading:
    headline: headlines.Headline
    headnote: tuple[int, ...]
    introduction: tuple[int, ...]
    interview: tuple[Item, ...]
    speakers: tuple[Speaker, ...]
    notes: tuple[Note, ...] = field(default=())


def interpret(
    path_name: str, pieces: Sequence[Piece], given: headlines.Headline | None = None, *,
    about_the_article: Callable[[str], bool], known_names: Iterable[str] = (),
    context: Sequence[str] = (), label_form: str = "'Label:'",
) -> Reading:
    """The reading of `pieces` (from the file named `path_name`, whose stem titles a transcript with no
    headline). `given`: a headline the format states (YAML, `<h1>`, a Title paragraph); `context`: other
    texts that may name the speakers (a byline); `label_form`: how the error names a label."""
    notes: list[Note] = []
    openings = [opening(p.text, p.bold_end) if p.kind == "para" else Opening(None, None, None, 0) for p in pieces]
    declared, written = _declared(pieces, openings)
    if not declared:
        where = pieces[0].pos if pieces else Pos(1, 1)
        raise SourceError(path_name, where.line, where.column,
                          f"no speaker labels: no {label_form} begins two paragraphs, so there are no turns to import")
    first = next(i for i, o in enumerate(openings) if o.label in declared)
    before = list(range(first))
    head = given
    if head is None:
        head, before = _headline(path_name, pieces, before, notes)
    else:
        before = [i for i in before if pieces[i].text.strip()]
    for i in before:
        o = openings[i]
        if o.label and is_speaker(o.label):
            notes.append(Note(pieces[i].pos.line, pieces[i].pos.column, "label-once",
                              f"'{o.label}:' begins only this paragraph, before the interview: kept as text"))
    headnote = tuple(before[:1]) if before and _is_headnote(pieces[before[0]], about_the_article) else ()
    introduction = tuple(before[len(headnote):])
    interview = _interview(pieces, openings, declared, first, notes)
    said = [(item.label or "", _words(pieces, item)) for item in interview if item.what in ("turn", "more")]
    turns: list[tuple[str, str]] = []
    for item, words in zip([i for i in interview if i.what in ("turn", "more")], said, strict=True):
        if item.what == "turn":
            turns.append(words)
        elif turns:
            turns[-1] = (turns[-1][0], f"{turns[-1][1]} {words[1]}")
    texts = [*_head_texts(pieces, head), *(pieces[i].text for i in before), *context]
    credits = credits_in([*texts, *head.credits])
    speakers, told = cast(turns, written, credits, texts, known_names)
    at = pieces[first].pos
    notes.append(Note(at.line, at.column, "speakers", told))
    return Reading(head, headnote, introduction, interview, speakers, tuple(notes))


def _declared(pieces: Sequence[Piece], openings: list[Opening]) -> tuple[set[str], dict[str, str]]:
    """The labels that open two paragraphs or more (a label in bold, if any is, else a plain one), and
    the names written beside them (`Full Name (FN):`)."""
    bold = Counter(o.label for p, o in zip(pieces, openings, strict=True) if o.label and _in_bold(p, o))
    plain = Counter(o.label for o in openings if o.label)
    counts = bold if any(n >= 2 for n in bold.values()) else plain
    declared = {label for label, n in counts.items() if n >= 2 and is_speaker(label)}
    written = {o.label: o.name for o in openings if o.label in declared and o.name}
    return declared, written


def _in_bold(piece: Piece, o: Opening) -> bool:
    """Whether the label of `o` is set in bold in `piece` (its colon may be outside the bold)."""
    return piece.bold_end > 0 and piece.bold_end >= piece.text.find(o.label or "") + len(o.label or "")


def _headline(path_name: str, pieces: Sequence[Piece], before: list[int], notes: list[Note]
              ) -> tuple[headlines.Headline, list[int]]:
    """The headline found in the first paragraph, or made of the file's name; what is left before the interview."""
    first = next((i for i in before if pieces[i].text.strip()), None)
    if first is not None:
        piece = pieces[first]
        if headlines.is_headline(piece.text, piece.kind == "heading", piece.bold_end >= len(piece.text.rstrip())):
            lines = piece.lines or ((0, len(piece.text)),)
            head = headlines.split(first, piece.text, lines)
            if not head.subtitle:
                notes.append(Note(piece.pos.line, piece.pos.column, "headline",
                                  "the headline has no 'Title: Subtitle' colon: all of it is the title"))
            return head, [i for i in before if i > first]
    title = headlines.from_stem(PurePath(path_name).stem)
    at = pieces[0].pos
    notes.append(Note(at.line, at.column, "headline", f"no headline before the interview: the title '{title}' is "
                                                      "made of the file's name; write the real one (or use --title)"))
    return headlines.Headline((title,)), before


def _is_headnote(piece: Piece, about_the_article: Callable[[str], bool]) -> bool:
    return piece.headnote or (len(piece.text.split()) <= _HEADNOTE_WORDS and about_the_article(piece.text))


def _interview(pieces: Sequence[Piece], openings: list[Opening], declared: set[str], first: int,
               notes: list[Note]) -> tuple[Item, ...]:
    """The pieces from the first turn on: turns, more of them, subheads and breaks."""
    items: list[Item] = []
    speaking: str | None = None
    reopen = False  # after a subhead or a break, the next paragraph opens a turn of the one speaking
    for i in range(first, len(pieces)):
        piece, o = pieces[i], openings[i]
        if not piece.text[o.end:].strip() and piece.kind != "heading":
            if piece.text.strip():  # a timecode alone, or a label with no words
                notes.append(Note(piece.pos.line, piece.pos.column, "dropped",
                                  f"'{piece.text.strip()}' opens no words: dropped"))
            continue
        if piece.kind == "heading":
            items.append(Item(i, "heading"))
            reopen = True
        elif o.label in declared:
            speaking = o.label
            items.append(Item(i, "turn", o.label, o.end, o.timecode))
            reopen = False
        elif o.label and not is_speaker(o.label):
            notes.append(Note(piece.pos.line, piece.pos.column, "dropped",
                              f"'{o.label}:' is no speaker: a section break in its place, its words dropped "
                              f"('{_clip(piece.text)}')"))
            if items and items[-1].what != "break":
                items.append(Item(i, "break"))
            reopen = True
        else:
            once = o.label if o.label else None
            if once:
                notes.append(Note(piece.pos.line, piece.pos.column, "label-once",
                                  f"'{once}:' begins only this paragraph: not declared as a speaker; kept in the turn "
                                  "before, the label in italics (declare it under speakers: if it is one)"))
            start = o.end if not once else _after_label(piece.text, o)
            items.append(Item(i, "turn" if reopen else "more", speaking, start, None if once else o.timecode, once))
            reopen = False
    while items and items[-1].what == "break":
        items.pop()
    return tuple(items)


def _after_label(text: str, o: Opening) -> int:
    """Where the words after an undeclared label begin (the label itself is kept, in italics)."""
    end = text.find(":", text.find(o.label or "")) + 1
    return end + len(text[end:]) - len(text[end:].lstrip())


def _words(pieces: Sequence[Piece], item: Item) -> str:
    return BRACKETED_TIME.sub("", pieces[item.piece].text[item.start:])


def _head_texts(pieces: Sequence[Piece], head: headlines.Headline) -> list[str]:
    return [part if isinstance(part, str) else pieces[part[0]].text[part[1]:part[2]]
            for part in (*head.title, *head.subtitle)]


def _clip(text: str, words: int = 8) -> str:
    kept = text.split()
    return " ".join(kept[:words]) + (" …" if len(kept) > words else "")
