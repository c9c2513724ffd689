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

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from ..core.errors import SourceError
from ..core.model import (
    Block,
    Emph,
    Inline,
    Link,
    Mention,
    NoteRef,
    Para,
    Pos,
    Rule,
    SmallCaps,
    Speaker,
    Strong,
    Text,
    Turn,
    plain_text,
)
from ..core.timecode import Timecode
from . import headline as headlines
from .cast import NAME, Credits, cast, clean_name, credits_in
from .labels import BRACKETED_TIME, INTERVIEWEE_LABELS, INTERVIEWER_LABELS, Opening, is_break, is_speaker, opening
from .notes import Note

_ABOUT_THE_ARTICLE = re.compile(
    r"\b(?:repost\w*|republish\w*|(?:originally|first) (?:published|appeared|ran)|appeared in|cover story"
    r"|this (?:interview|article|story|piece|conversation)|edited (?:and condensed|for length|for clarity)"
    r"|editor[’']s note|we[’']re (?:publishing|running|sharing))\b",
    re.IGNORECASE,
)
_HEADNOTE_WORDS = 80  # a headnote is a sentence or two; an introduction paragraph is longer
_HEADLINE_BLOCK = 3  # dateline and credit lines under a headline, each a paragraph of its own
_DATELINE_WORDS = 12


@dataclass(frozen=True)
class Piece:
    """A paragraph of an input: its words (white space as one space), where it begins, what it is."""

    text: str
    pos: Pos
    kind: str = "para"  # "para", "heading", or any other block ("quote", a list): continues a turn
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
    known_names: Iterable[str] = (),
    context: Sequence[str] = (), label_form: str = "'Label:'", stated: Credits | None = None,
) -> Reading:
    """The reading of `pieces` (from the file named `path_name`, whose stem titles a transcript with no
    headline). `given`: a headline the format states (YAML, `<h1>`, a Title paragraph); `context`: other
    texts that may name the speakers (a byline); `label_form`: how the error names a label; `stated`: the
    names the input states in its metadata (a YAML `speakers:` list)."""
    notes: list[Note] = []
    stated = stated or Credits()
    openings = [opening(p.text, p.bold_end) if p.kind == "para" else Opening(None, None, None, 0) for p in pieces]
    declared, written = _declared(pieces, openings)
    if not declared:
        where = pieces[0].pos if pieces else Pos(1, 1)
        raise SourceError(path_name, where.line, where.column,
                          f"no speaker labels: no {label_form} begins two paragraphs, so there are no turns to import")
    first = next(i for i, o in enumerate(openings) if o.label in declared)
    while _credits_a_name(pieces[first], openings[first]):  # "Interviewer: Sam Lee" over the transcript
        later = next((i for i in range(first + 1, len(pieces)) if openings[i].label in declared), None)
        if later is None:
            break
        first = later
    before = list(range(first))
    head = given
    if head is None:
        head, before = _headline(path_name, pieces, before, notes)
    else:  # the pieces it names are the headline, not the introduction
        used = {part[0] for part in (*head.title, *head.subtitle) if not isinstance(part, str)}
        before = [i for i in before if pieces[i].text.strip() and i not in used]
    head, before = _headline_block(pieces, head, before)
    before = [i for i in before if openings[i].timecode is None or pieces[i].text[openings[i].end:].strip()]
    for i in before:
        o = openings[i]
        if o.label and is_speaker(o.label) and not _credits_a_name(pieces[i], o):
            notes.append(Note(pieces[i].pos.line, pieces[i].pos.column, "label-once",
                              f"'{o.label}:' begins only this paragraph, before the interview: kept as text"))
    if head.date is None:  # "Date: April 2, 1991" in a table or list of who and when
        dated = (headlines.date_in(line) for i in before for line in pieces[i].text.split("\n")
                 if line.casefold().startswith(("date", "recorded", "interview date")))
        head = replace(head, date=next(filter(None, dated), None))
    headnote = tuple(before[:1]) if before and _is_headnote(pieces[before[0]]) else ()
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
    found = credits_in([*texts, *head.credits])
    credits = Credits(tuple(dict.fromkeys((*stated.interviewers, *found.interviewers))),
                      tuple(dict.fromkeys((*stated.interviewees, *found.interviewees))))
    speakers, told = cast(turns, written, credits, texts, (*stated.others, *known_names))
    at = pieces[first].pos
    notes.append(Note(at.line, at.column, "speakers", told))
    return Reading(head, headnote, introduction, interview, speakers, tuple(notes))


def _credits_a_name(piece: Piece, o: Opening) -> bool:
    """A labelled line that credits someone rather than speaks ("Interviewer: Sam Lee" in a transcript's
    header, whose turns are labelled "Interviewer:" too): a role's label and a name, nothing else."""
    words = piece.text[o.end:].strip()
    role = (o.label or "").casefold() in INTERVIEWER_LABELS | INTERVIEWEE_LABELS - {"q", "a"}
    name = words.rstrip(".")
    return role and re.fullmatch(NAME, name) is not None and clean_name(name) == name


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
        bold = piece.bold_end >= len(piece.text.rstrip())
        if piece.kind in ("para", "heading") and headlines.is_headline(piece.text, piece.kind == "heading", bold):
            block = [first, *_set_like_a_headline(pieces, [i for i in before if i > first])]
            title = next((i for i in block if headlines.names_an_interview(pieces[i].text)), first)
            piece = pieces[title]
            head = headlines.split(title, piece.text, piece.lines or ((0, len(piece.text)),))
            others = tuple((i, 0, len(pieces[i].text)) for i in block if i != title)  # a series' name ...
            head = replace(head, subtitle=(*head.subtitle, *others))
            if not head.subtitle:
                notes.append(Note(piece.pos.line, piece.pos.column, "headline",
                                  "the headline has no 'Title: Subtitle' colon: all of it is the title"))
            return head, [i for i in before if i > block[-1]]
    title = headlines.from_stem(PurePath(path_name).stem)
    at = pieces[0].pos
    notes.append(Note(at.line, at.column, "headline", f"no headline before the interview: the title '{title}' is "
                                                      "made of the file's name; write the real one (or use --title)"))
    return headlines.Headline((title,)), before


def _set_like_a_headline(pieces: Sequence[Piece], after: list[int]) -> list[int]:
    """The paragraphs right after a headline that are set as one too (headings, or wholly bold and short):
    a project's or series' name above the title, a second headline line."""
    found = []
    for i in after[:_HEADLINE_BLOCK - 1]:
        piece = pieces[i]
        bold = piece.kind == "para" and piece.bold_end >= len(piece.text.rstrip())
        if not (piece.kind == "heading" or bold) or len(piece.text.split()) > _DATELINE_WORDS:
            break
        found.append(i)
    return found


def _headline_block(pieces: Sequence[Piece], head: headlines.Headline, before: list[int]
                    ) -> tuple[headlines.Headline, list[int]]:
    """The dateline and credit lines that follow a headline as paragraphs of their own, taken into it."""
    taken = 0
    for i in before[:_HEADLINE_BLOCK]:
        piece = pieces[i]
        if piece.kind not in ("para", "heading") or len(piece.text.split()) > _DATELINE_WORDS:
            break
        if headlines.is_credit(piece.text):
            head = replace(head, credits=(*head.credits, piece.text))
        elif headlines.date_in(piece.text) is not None:
            head = replace(head, subtitle=(*head.subtitle, (i, 0, len(piece.text))),
                           date=head.date or headlines.date_in(piece.text))
        else:
            break
        taken += 1
    return head, before[taken:]


def _is_headnote(piece: Piece) -> bool:
    """A short paragraph that speaks of the article itself (a repost, an editor's note), or one the input marks."""
    short = len(piece.text.split()) <= _HEADNOTE_WORDS
    return piece.headnote or (short and _ABOUT_THE_ARTICLE.search(piece.text) is not None)


def _interview(pieces: Sequence[Piece], openings: list[Opening], declared: set[str], first: int,
               notes: list[Note]) -> tuple[Item, ...]:
    """The pieces from the first turn on: turns, more of them, subheads and breaks."""
    items: list[Item] = []
    speaking: str | None = None
    reopen = False  # after a subhead or a break, the next paragraph opens a turn of the one speaking
    waiting: Opening | None = None  # a label on a line of its own: its words are the next paragraph
    pending = _timecode_before(pieces, openings, first)  # a timecode on a line of its own, for the next turn
    for i in range(first, len(pieces)):
        piece, o = pieces[i], openings[i]
        if o.label in declared and not piece.text[o.end:].strip():
            waiting = o
            continue
        if not piece.text[o.end:].strip() and piece.kind != "heading":
            if o.timecode is not None:  # a timecode on a line of its own: the next turn's
                pending = o.timecode
            elif piece.text.strip():
                notes.append(Note(piece.pos.line, piece.pos.column, "dropped",
                                  f"'{piece.text.strip()}' opens no words: dropped"))
            continue
        if waiting is not None and piece.kind == "para" and not o.label:
            o = Opening(waiting.label, waiting.name, waiting.timecode or o.timecode, o.end)
        waiting = None
        if piece.kind == "heading":
            items.append(Item(i, "heading"))
            reopen = True
        elif o.label in declared:
            speaking = o.label
            items.append(Item(i, "turn", o.label, o.end, o.timecode or pending))
            reopen, pending = False, None
        elif o.label and is_break(o.label):
            notes.append(Note(piece.pos.line, piece.pos.column, "dropped",
                              f"'{o.label}:' is no speaker: a section break in its place, its words dropped "
                              f"('{_clip(piece.text)}')"))
            if items and items[-1].what != "break":
                items.append(Item(i, "break"))
            reopen = True
        else:
            once = o.label if o.label and ":" in piece.text[:o.end] else None  # a bold name alone is words
            if once:
                why = "begins only this paragraph: not declared as a speaker" if is_speaker(once) else "is no speaker"
                notes.append(Note(piece.pos.line, piece.pos.column, "label-once",
                                  f"'{once}:' {why}; kept in the turn before, the label in italics "
                                  "(declare it under speakers: if it is one)"))
            start = o.end if not once else _after_label(piece.text, o)
            start = start if once or o.label is None else 0
            items.append(Item(i, "turn" if reopen else "more", speaking, start, None if once else o.timecode, once))
            reopen = False
    while items and items[-1].what == "break":
        items.pop()
    return tuple(items)


def _timecode_before(pieces: Sequence[Piece], openings: list[Opening], first: int) -> Timecode | None:
    """A timecode alone on the line before the first turn: that turn's."""
    if not first:
        return None
    o = openings[first - 1]
    return o.timecode if not pieces[first - 1].text[o.end:].strip() else None


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


def sliced(inlines: tuple[Inline, ...], start: int, end: int | None = None) -> tuple[Inline, ...]:
    """The inlines whose words are `plain_text(inlines)[start:end]`, bracketed timecodes in their texts
    taken out: a reader of model inlines renders a piece from where the reading says its words begin.
    A mention cut by `start` or `end` is kept whole when it begins inside, else left out."""
    out, _ = _slice(inlines, start, len(plain_text(inlines)) if end is None else end, 0)
    return _trim(tuple(out))


def _slice(inlines: tuple[Inline, ...], start: int, end: int, offset: int) -> tuple[list[Inline], int]:
    out: list[Inline] = []
    for node in inlines:
        size = len(plain_text((node,)))
        lo, hi = offset, offset + size
        offset = hi
        if isinstance(node, NoteRef):
            if start < lo <= end or lo == start == 0:  # a note called at the end of a cut goes with it
                out.append(node)
            continue
        if hi <= start or lo >= end:
            continue
        match node:
            case Text(words):
                out.append(Text(BRACKETED_TIME.sub("", words[max(start - lo, 0) : end - lo])))
            case Mention():
                out.append(node)  # begins inside (else it ended before `start` or began after `end`)
            case Emph(children) | Strong(children) | SmallCaps(children):
                inner, _ = _slice(children, start, end, lo)
                if inner:
                    out.append(type(node)(tuple(inner)))
            case Link(url, children):
                inner, _ = _slice(children, start, end, lo)
                out.append(Link(url, tuple(inner)))
            case _:
                out.append(node)
    return out, offset


def _trim(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """White space taken off both ends, empty texts dropped."""
    items = [node for node in inlines if not (isinstance(node, Text) and not node.text)]
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tuple(node for node in items if not (isinstance(node, Text) and not node.text))


def unbold(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The inlines with their bold taken off: a headline set in bold is a headline, its bold no emphasis."""
    out: list[Inline] = []
    for node in inlines:
        out += list(unbold(node.children)) if isinstance(node, Strong) else [node]
    return tuple(out)


# --- the model a reader builds of a reading ------------------------------------------------------


def merge_texts(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent texts as one, empty ones dropped, as the source reader joins them."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def headline_inlines(parts: tuple[headlines.Part, ...], render: Callable[[headlines.Part], tuple[Inline, ...]],
                     separator: str, merge: Callable[[list[Inline]], tuple[Inline, ...]] = merge_texts,
                     ) -> tuple[Inline, ...]:
    """The title's (or subtitle's) parts, each as the reader `render`s it, joined by `separator`."""
    out: list[Inline] = []
    for number, item in enumerate(parts):
        out += [Text(separator)] * bool(number) + list(render(item))
    return merge(out)


def assembled(reading: Reading, render: Callable[[Item], list[Block]],
              merge: Callable[[list[Inline]], tuple[Inline, ...]] = merge_texts) -> tuple[Block, ...]:
    """The interview of `reading`: its turns, the paragraphs that continue them, subheads and breaks, each
    piece's blocks as the reader `render`s them from where its words begin; a label that opens one paragraph
    only is kept in italics before its words."""
    by_label = {speaker.label: speaker for speaker in reading.speakers}
    interview: list[Block] = []
    for item in reading.interview:
        if item.what == "break":
            interview.append(Rule())
            continue
        blocks = list(render(item))
        if item.what == "heading":
            interview += blocks
            continue
        if item.once and blocks and isinstance(blocks[0], Para):
            blocks[0] = Para(merge([Emph((Text(f"{item.once}:"),)), Text(" "), *blocks[0].children]))
        if item.what == "turn":  # opened by a paragraph: the reading's openings are paragraphs'
            interview.append(Turn(by_label[item.label], tuple(blocks), item.timecode))
        else:
            interview[-1] = replace(interview[-1], blocks=(*interview[-1].blocks, *blocks))
    return tuple(interview)
