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

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import SourceError
from ..core.model import (
    Document,
    Emph,
    FrontMatter,
    Inline,
    Mention,
    MentionKind,
    Para,
    Pos,
    Role,
    Speaker,
    Text,
    Turn,
    mention_anchor,
)
from ..reading.registry import Registry
from . import films as film_rules
from .notes import Note
from .people import People

_Inlines = tuple[Inline, ...]

_LABEL = re.compile(r"([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}):[ \t]+(?=\S)")
_ABOUT_THE_ARTICLE = re.compile(
    r"\b(?:repost\w*|republish\w*|(?:originally|first) (?:published|appeared|ran)|appeared in|cover story"
    r"|this (?:interview|article|story|piece|conversation)|edited (?:and condensed|for length|for clarity)"
    r"|editor[’']s note|we[’']re (?:publishing|running|sharing))\b",
    re.IGNORECASE,
)
_HEADNOTE_WORDS = 80  # a headnote is a sentence or two; an introduction paragraph is longer
_WRAPPED_LINE = 100  # lines of a hard-wrapped paragraph are at most this long
_NOT_A_NAME = frozenset(
    "the a an with in on of and but for his her their our my your its when while after before as at by from to"
    " why how what who director filmmaker actor actress producer writer interview interviewer conversation".split()
)


def no_turns(label: str) -> str:
    """The error of an input where no speaker label (`label`: how the input sets one) begins two paragraphs."""
    return f"no speaker labels: no {label} begins two paragraphs, so there are no turns to import"


def label_once(label: str) -> str:
    """The note on a label that begins one paragraph of the interview only (the HTML importer's too)."""
    return (f"'{label}:' begins only this paragraph: not declared as a speaker; kept in the turn before, "
            "the label in italics (declare it under speakers: if it is one)")


@dataclass(frozen=True)
class _Para:
    """A paragraph of the input and where each of its lines begins (offset, line, column)."""

    text: str
    starts: tuple[tuple[int, int, int], ...]

    def pos(self, offset: int) -> Pos:
        base = max((s for s in self.starts if s[0] <= offset), default=self.starts[0])
        return Pos(base[1], base[2] + offset - base[0])

    def sub(self, start: int, end: int | None = None) -> _Para:
        """The paragraph from `start` (to `end`), positions kept."""
        end = len(self.text) if end is None else end
        inside = [(o - start, ln, col) for o, ln, col in self.starts if start <= o < end]
        first = self.pos(start)
        if not inside or inside[0][0] != 0:
            inside.insert(0, (0, first.line, first.column))
        return _Para(self.text[start:end], tuple(inside))


def read(path: Path, text: str, registry: Registry) -> tuple[Document, tuple[Note, ...]]:
    """The interview in the plain text `text` (read from `path`, for messages), and the notes for review."""
    notes: list[Note] = []
    paras = _paragraphs(text)
    if not paras:
        raise SourceError(path, 1, 1, "the file holds no text to import")
    headline, rest = paras[0], paras[1:]
    title, subtitle = _headline(headline, notes)

    labelled = [(_LABEL.match(p.text), p) for p in rest]
    counts = Counter(m.group(1) for m, _ in labelled if m)
    declared = [label for label in counts if counts[label] >= 2]
    if not declared:
        where = rest[0].pos(0) if rest else headline.pos(0)
        raise SourceError(path, where.line, where.column, no_turns("'Label: '"))
    first_turn = next(i for i, (m, _) in enumerate(labelled) if m and m.group(1) in declared)
    before = [p for _, p in labelled[:first_turn]]
    headnote = before[:1] if before and _is_headnote(before[0].text) else []
    introduction = before[len(headnote):]

    turns: list[tuple[str, list[_Para | tuple[str, _Para]]]] = []
    for match, para in labelled[first_turn:]:
        if match and match.group(1) in declared:
            turns.append((match.group(1), [para.sub(match.end())]))
            continue
        if match:  # a label seen once: a note, and its words stay in the turn before
            where = para.pos(0)
            notes.append(Note(where.line, where.column, "label-once", label_once(match.group(1))))
            turns[-1][1].append((match.group(1), para.sub(match.end())))
            continue
        turns[-1][1].append(para)
    for match, para in labelled[:first_turn]:
        if match:
            where = para.pos(0)
            notes.append(Note(where.line, where.column, "label-once",
                              f"'{match.group(1)}:' begins only this paragraph, before the interview: kept as text"))

    context_texts = [title.text, subtitle.text, *(p.text for p in before)]
    speakers = _speakers(declared, turns, context_texts, headline, notes)

    every = [title.text, subtitle.text, *(p.text for p in before)]
    every += [(p[1] if isinstance(p, tuple) else p).text for _, paras_ in turns for p in paras_]
    context = film_rules.Context(registry, film_rules.name_like_titles(every, registry))
    anchors: Counter[str] = Counter()  # mentions numbered per entry in reading order, as the source reader does
    people = People(registry, notes, anchors, _speaker_words(speakers))

    def inlines(para: _Para, headline: bool = False) -> _Inlines:
        return _marked(para, context, notes, headline, anchors, people)

    def turn_paragraph(item: _Para | tuple[str, _Para]) -> Para:
        if isinstance(item, tuple):
            label, para = item
            rest = inlines(para)
            if rest and isinstance(rest[0], Text):  # one text, as the source reader joins them
                return Para((Emph((Text(f"{label}:"),)), Text(" " + rest[0].text), *rest[1:]))
            return Para((Emph((Text(f"{label}:"),)), Text(" "), *rest))
        return Para(inlines(item))

    by_label = {speaker.label: speaker for speaker in speakers}
    front = FrontMatter(
        title=inlines(title, headline=True),
        subtitle=inlines(subtitle, headline=True) if subtitle.text else (),
        lang="en",
        speakers=speakers,
    )
    document = Document(
        source_name=path.stem,
        front=front,
        headnote=tuple(Para(inlines(p)) for p in headnote),
        introduction=tuple(Para(inlines(p)) for p in introduction),
        interview=tuple(Turn(by_label[label], tuple(turn_paragraph(p) for p in paras_)) for label, paras_ in turns),
        registry=registry.entries,
    )
    notes.sort(key=lambda n: (n.line, n.column))
    return document, tuple(notes)


def _paragraphs(text: str) -> list[_Para]:
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
                   and not any(_LABEL.match(line.strip()) for _, line in block[1:]))
        if wrapped:
            parts, starts, offset = [], [], 0
            for number, line in block:
                stripped = line.strip()
                starts.append((offset, number, len(line) - len(line.lstrip()) + 1))
                parts.append(stripped)
                offset += len(stripped) + 1
            paras.append(_Para(" ".join(parts), tuple(starts)))
        else:
            for number, line in block:
                paras.append(_Para(line.strip(), ((0, number, len(line) - len(line.lstrip()) + 1),)))
    return paras


def _headline(headline: _Para, notes: list[Note]) -> tuple[_Para, _Para]:
    """Title and subtitle: the headline split at its first colon outside quotation marks."""
    depth = 0
    text = headline.text
    for i, char in enumerate(text):
        if char in "“‘":
            depth += 1
        elif char in "”" and depth:  # ’ is also an apostrophe: it closes nothing
            depth -= 1
        elif char == '"':
            depth = 0 if depth else 1
        elif char == ":" and depth == 0 and text[i + 1 : i + 2] == " ":
            start = i + 2
            return headline.sub(0, i), headline.sub(start)
    where = headline.pos(0)
    message = "the headline has no 'Title: Subtitle' colon: all of it is the title"
    notes.append(Note(where.line, where.column, "headline", message))
    return headline, headline.sub(len(text))


def _is_headnote(text: str) -> bool:
    """A short paragraph that speaks of the article itself (a repost, an editor's note)."""
    return len(text.split()) <= _HEADNOTE_WORDS and _ABOUT_THE_ARTICLE.search(text) is not None


def _speakers(
    declared: list[str], turns: list, context_texts: list[str], headline: _Para, notes: list[Note]
) -> tuple[Speaker, ...]:
    """The declared labels with roles (the one who asks is the interviewer) and names from the text."""
    asks: dict[str, list[bool]] = {label: [] for label in declared}
    for label, paras in turns:
        words = " ".join((p[1] if isinstance(p, tuple) else p).text for p in paras)
        asks[label].append("?" in words)
    share = {label: sum(flags) / len(flags) for label, flags in asks.items()}
    interviewer = max(declared, key=lambda label: (share[label], -declared.index(label)))
    if len(declared) == 1 and share[interviewer] < 0.5:
        interviewer = ""
    speakers = []
    for label in declared:
        role = Role.INTERVIEWER if label == interviewer else Role.INTERVIEWEE
        speakers.append(Speaker(label, role, _name(label, context_texts)))
    where = headline.pos(0)
    shares = ", ".join(f"{label} {share[label]:.0%}" for label in declared)
    notes.append(Note(where.line, where.column, "speakers",
                      f"speakers {', '.join(declared)}; turns with a question: {shares}; "
                      f"interviewer: {interviewer or 'none'}; check the roles and names in speakers:"))
    return tuple(speakers)


def _name(label: str, texts: list[str]) -> str | None:
    """The full name a one-word label stands for, as the headline or introduction writes it ("Sean Baker")."""
    if " " in label:
        return None
    found: Counter[str] = Counter()
    for text in texts:
        for match in re.finditer(r"((?:[A-Z][\w’'-]+ ){1,2})" + re.escape(label) + r"\b", text):
            words = match.group(1).split()
            while words and words[0].casefold() in _NOT_A_NAME:
                words = words[1:]
            if words and words[-1].casefold() not in _NOT_A_NAME and not words[-1].endswith(("’s", "'s")):
                found[" ".join([*words, label])] += 1
    return found.most_common(1)[0][0] if found else None


def _marked(
    para: _Para, context: film_rules.Context, notes: list[Note], headline: bool, anchors: Counter[str], people: People
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


def _speaker_words(speakers: tuple[Speaker, ...]) -> frozenset[str]:
    """The labels and names of the interview's speakers, and each word of their names."""
    texts = (text for s in speakers for text in (s.label, s.name or "") if text)
    return frozenset(word for text in texts for word in (text, *text.split()))
