"""People of the registry found in imported text, marked `[Name]{.person}` where the words are theirs.

A name or alias of `people.yaml` (as written, capitals included, whole words) is a mention,
the longest first ("Karren Karagulian" before "Karren"); a word of it may be an editor's
insertion in brackets ("Vache [Tovmasyan]", "[Andrei] Konchalovsky"). Precision before recall: a one-word
name is left unmarked, with a note, where it could be someone else's: when a capitalised word
joins it to a longer name ("Uncle Sam", "Mark Ruffalo" for the alias "Mark"), when it is also a
film of the registry, or when it names a speaker of the interview (an interviewee is not
indexed in their own interview).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..core.model import (
    Block,
    BlockQuote,
    Document,
    Emph,
    Heading,
    Inline,
    ListBlock,
    Mention,
    MentionKind,
    NoteRef,
    Para,
    Pos,
    SmallCaps,
    Speaker,
    Strong,
    Text,
    Turn,
)
from ..core.prose import ASIDE_OPENS, CAPITAL, FRESH_START
from ..reading.registry import Registry
from .films import START, body
from .notes import Note

_CAPITALISED_AFTER = re.compile(rf"\A[ \t]+{CAPITAL}[\w’'-]*")
_CAPITALISED_BEFORE = re.compile(rf"{CAPITAL}[\w’'-]*[ \t]+\Z")


_NAME_END = r"(?!\w|-[A-Z]|[’']\w{2})"


def _compiled(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = (START + r"\s+".join(rf"\[?{body(word)}\]?" for word in name.split()) + _NAME_END for name in names)
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("[", "").replace("]", "")).replace("'", "’")


@dataclass
class People:
    """Marks the people of `registry` in texts, numbering mentions in `anchors` in reading order."""

    registry: Registry
    notes: list[Note]
    anchors: Counter[str]
    speakers: frozenset[str] = frozenset()  # the interview's labels and names: never marked

    def __post_init__(self) -> None:
        names: dict[str, list[str]] = {}
        for person in self.registry.entries[MentionKind.PERSON].values():
            for name in person.names:
                if name.strip():
                    keys = names.setdefault(_norm(name), [])
                    if person.key not in keys:
                        keys.append(person.key)
        self._names = names
        films = self.registry.entries[MentionKind.FILM].values()
        self._film_names = {name for film in films for name in film.names}
        self._longest_first = sorted(names, key=len, reverse=True)
        self._patterns: dict[tuple[str, ...], re.Pattern[str]] = {}  # compiled once for this import, by candidates

    def _pattern(self, text: str) -> re.Pattern[str] | None:
        """The names that may be in `text` (their last word is: a registry of thousands stays fast) as one
        pattern, the longest first: whole words, as for films, but a lower-case compound after is still the
        person ("Cassavetes-style"), and a word of the name may be an editor's insertion ("Vache [Tovmasyan]")."""
        curly = text.replace("'", "’")  # as the names are kept (see _norm)
        candidates = tuple(n for n in self._longest_first if n.rsplit(" ", 1)[-1] in curly)
        if not candidates:
            return None
        if candidates not in self._patterns:
            self._patterns[candidates] = _compiled(candidates)
        return self._patterns[candidates]

    def marked(self, text: str, where: Callable[[int], Pos]) -> list[Inline]:
        """`text` as Text and person Mentions; `where(offset)` is the place of a character, for notes."""
        pattern = self._pattern(text)
        if pattern is None:
            return [Text(text)] if text else []
        out: list[Inline] = []
        done = 0
        for match in pattern.finditer(text):
            start, end = match.span()
            if text.count("[", start, end) > text.count("]", start, end) and text[start] == "[":
                start += 1  # a bracket opened before the name ("[Tovmasyan and Karren]"): not the name's
            if text.count("]", start, end) > text.count("[", start, end) and text[end - 1] == "]":
                end -= 1
            name = text[start:end]
            if name.count("[") != name.count("]"):
                continue
            keys = self._names.get(_norm(name), [])
            why = self._doubt(name, keys, text[:start], text[end:])
            if why:
                pos = where(start)
                self.notes.append(Note(pos.line, pos.column, "doubtful-person", f"'{name}' left unmarked: {why}"))
                continue
            if start > done:
                out.append(Text(text[done:start]))
            key = keys[0]
            self.anchors[f"person-{key}"] += 1
            out.append(Mention(MentionKind.PERSON, key, f"person-{key}-{self.anchors[f'person-{key}']}", (Text(name),),
                               where(start)))
            done = end
        if done < len(text):
            out.append(Text(text[done:]))
        return out

    def _doubt(self, name: str, keys: list[str], before: str, after: str) -> str | None:
        name = _norm(name)
        if len(keys) != 1:
            return f"it names {len(keys)} people of people.yaml ({', '.join(keys)}); mark it with key="
        if name in self.speakers:
            return "a speaker of this interview"
        if " " in name:
            return None
        if name in self._film_names:
            return "also the title of a film in films.yaml"
        if _CAPITALISED_AFTER.match(after):
            return "a capitalised word after it makes a longer name"
        joined = _CAPITALISED_BEFORE.search(before)
        earlier = before[: joined.start()].rstrip() if joined else ""
        if joined and earlier and not earlier.endswith(FRESH_START + ASIDE_OPENS):  # not a sentence's first word
            return "a capitalised word before it makes a longer name"
        return None


def speaker_words(speakers: tuple[Speaker, ...]) -> frozenset[str]:
    """The labels and names of the interview's speakers, and each word of their names: not indexed as people
    in their own interview."""
    texts = (text for s in speakers for text in (s.label, s.name or "") if text)
    return frozenset(word for text in texts for word in (text, *text.split()))


def mark_document(doc: Document, people: People) -> Document:
    """`doc` with the people marked in its text, in reading order (title, subtitle, headnote,
    introduction, interview; a note's text where it is called), as the source reader numbers them."""
    where = lambda _offset: Pos(1, 1)  # noqa: E731 - a DOCX has no lines to point at

    def inlines(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            match node:
                case Text(text):
                    out += people.marked(text, where)
                case Emph() | Strong() | SmallCaps():
                    out.append(replace(node, children=inlines(node.children)))
                case NoteRef():
                    out.append(replace(node, blocks=blocks(node.blocks)))
                case _:  # a mention (no person inside a film's title), code, a link
                    out.append(node)
        return tuple(out)

    def blocks(nodes: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            match node:
                case Para() | Heading():
                    out.append(replace(node, children=inlines(node.children)))
                case BlockQuote() | Turn():
                    out.append(replace(node, blocks=blocks(node.blocks)))
                case ListBlock():
                    out.append(replace(node, items=tuple(blocks(item) for item in node.items)))
                case _:
                    out.append(node)
        return tuple(out)

    front = replace(doc.front, title=inlines(doc.front.title), subtitle=inlines(doc.front.subtitle))
    return replace(doc, front=front, headnote=blocks(doc.headnote), introduction=blocks(doc.introduction),
                   interview=blocks(doc.interview))
