"""The source writer: any model written back as a pressroom source (format version 1, see README).

    importers/ ──▶ model.Document ──write_source──▶ Markdown ──reader.read──▶ the same model

It closes the loop of DESIGN.md ("Growing the pipeline"): an importer builds the
model and this writes it, and `read(write_source(doc)) == doc` (source positions
aside) is a property test over every fixture.

It is not an edition, so it is not in `WRITERS`: those are what `build --to`
offers, each writing a file from build options and a print layout; this returns
the text of one source and needs neither.

Text is escaped so that pandoc's `commonmark_x` reads back exactly the model's
characters: no emphasis, link, smart quote, dash, list or heading appears that
the model does not have. A mention is `[text]{.film}`, with `key=` only when its
text does not name that one entry in the document's registry.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping

from ..core.model import (
    Block,
    BlockQuote,
    Code,
    CodeBlock,
    Document,
    Emph,
    Entry,
    Figure,
    Film,
    FrontMatter,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Mention,
    MentionKind,
    NoteRef,
    Para,
    Person,
    Rule,
    SmallCaps,
    Strong,
    Text,
    Turn,
    plain_text,
)
from ..core.timecode import Timecode
from ..reading.registry import Registry, default_film_sort, default_person_sort, heading_and_sort_key

Entries = Mapping[MentionKind, Mapping[str, Entry]]

_ALWAYS = frozenset("\\*_`<$~^{}\"'@|")  # markup anywhere in a line in commonmark_x (smart quotes included)
_LINE_START = re.compile(r"(?:[#>+=:-]|\d+[.)])")  # a heading, quote, list, div fence ... when a line begins so
_SIMPLE_YAML = re.compile(r"[A-Za-z][A-Za-z0-9 .’-]*\Z")
# plain scalars YAML reads as non-text
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def write_source(doc: Document, shared: Entries | None = None) -> str:
    """The source text of `doc`: front matter, then the headnote, introduction and interview divs, then notes.

    `shared` is the registry of the folder the source will be read in (its films.yaml and
    people.yaml): the document's entries that it lacks are written in the front matter's
    `films:` and `people:`. Without it, every entry is taken to be in the folder's registries.
    """
    writer = _Writer(Registry(entries={kind: dict(doc.registry.get(kind, {})) for kind in MentionKind}))
    out = ["---", *_front_matter(doc.front, writer), *_own_entries(doc.registry, shared), "---", ""]
    for name in ("headnote", "introduction", "interview"):
        blocks = getattr(doc, name)
        if blocks or name == "interview":
            body = writer.blocks(blocks, interview=name == "interview")
            out += [f"::: {name}", *([body] if body else []), ":::", ""]
    for number, blocks in sorted(writer.notes, key=lambda note: note[0]):  # pandoc numbers them as called
        out += [_prefixed(writer.blocks(blocks), f"[^{number}]: ", "    "), ""]
    return "\n".join(out)


# --- front matter ------------------------------------------------------------


def _front_matter(front: FrontMatter, writer: _Writer) -> list[str]:
    lines = [f"title: {_quoted(writer.inlines(front.title, at_line_start=True))}"]
    if front.subtitle:
        lines.append(f"subtitle: {_quoted(writer.inlines(front.subtitle, at_line_start=True))}")
    if front.running_head:
        lines.append(f"running-head: {_quoted(writer.inlines(front.running_head, at_line_start=True))}")
    lines.append(f"lang: {_scalar(front.lang)}")
    if front.date is not None:
        lines.append(f"date: {front.date.isoformat()}")
    if front.identifier:
        lines.append(f"identifier: {_quoted(front.identifier)}")
    if front.authors:
        lines.append(f"author: [{', '.join(_quoted(a) for a in front.authors)}]")
    for name, value in (("publisher", front.publisher), ("rights", front.rights)):
        if value:
            lines.append(f"{name}: {_quoted(value)}")
    if front.history:
        lines += ["history:", *(f"  - {_quoted(line)}" for line in front.history)]
    if front.keywords:
        lines.append(f"keywords: [{', '.join(_quoted(k) for k in front.keywords)}]")
    lines.append("speakers:")
    for speaker in front.speakers:
        fields = [f"role: {speaker.role.value}"] + ([f"name: {_scalar(speaker.name)}"] if speaker.name else [])
        lines.append(f"  {_scalar(speaker.label)}: {{{', '.join(fields)}}}")
    return lines


def _own_entries(registry: Entries, shared: Entries | None) -> list[str]:
    """The `films:` and `people:` blocks: the entries `shared` does not hold."""
    if shared is None:
        return []
    lines = []
    for kind in MentionKind:
        own = [e for key, e in registry.get(kind, {}).items() if key not in shared.get(kind, {})]
        if own:
            lines.append(f"{kind.front_matter_key}:")
            for entry in own:
                lines += [f"  {entry.key}:", *(f"    {field}" for field in _entry_fields(entry))]
    return lines


def _entry_fields(entry: Entry) -> list[str]:
    match entry:
        case Film(title=title, year=year, director=director):
            fields = [f"title: {_quoted(title)}"]
            fields += [f"year: {year}"] if year is not None else []
            fields += [f"director: {_quoted(director)}"] if director else []
            default = default_film_sort(title)
        case Person(name=name):
            fields = [f"name: {_quoted(name)}"]
            default = default_person_sort(name)
        case _:
            raise TypeError(f"source writer: unknown registry entry {type(entry).__name__}")
    if heading_and_sort_key(None, default) != (entry.heading, entry.sort_key):
        fields.append(f"sort: {_quoted(entry.sort_key)}")  # an explicit sort: is both heading and key
    if entry.aliases:
        fields.append(f"aliases: [{', '.join(_quoted(a) for a in entry.aliases)}]")
    return fields


def _attribute(value: str) -> str:
    """A pandoc attribute value, quoted (a backslash escapes a quote or a backslash in it)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _scalar(text: str) -> str:
    plain = _SIMPLE_YAML.match(text) and text.casefold() not in _YAML_WORDS
    return text if plain else _quoted(text)


# --- blocks and inlines --------------------------------------------------------


class _Writer:
    """Renders blocks and inlines; collects the notes in the order they are called."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.notes: list[tuple[int, tuple[Block, ...]]] = []

    def blocks(self, blocks: tuple[Block, ...], interview: bool = False) -> str:
        rendered: list[str] = []
        for i, block in enumerate(blocks):
            after_list = i > 0 and isinstance(blocks[i - 1], ListBlock) and isinstance(block, ListBlock)
            rendered.append(self.block(block, interview, other_bullet=after_list and len(rendered) % 2 == 1))
        return "\n\n".join(rendered)

    def block(self, block: Block, interview: bool = False, other_bullet: bool = False) -> str:
        match block:
            case Turn(speaker, blocks, timecode):
                if not interview:
                    raise TypeError("source writer: a turn outside the interview")
                return self.turn(speaker.label, blocks, timecode)
            case Para(children):
                return self.inlines(children, at_line_start=True)
            case Heading(level, children):
                text = self.inlines(children)
                if text.endswith("#"):  # a closing sequence pandoc would take off
                    text = text[:-1] + "\\#"
                return f"{'#' * level} {text}".rstrip()
            case BlockQuote(blocks):
                return _prefixed(self.blocks(blocks), "> ", "> ")
            case ListBlock(ordered, items, start):
                rendered = []
                for number, item in enumerate(items, start):
                    marker = f"{number}. " if ordered else ("* " if other_bullet else "- ")
                    rendered.append(_prefixed(self.blocks(item), marker, " " * len(marker)))
                tight = all(len(item) <= 1 for item in items)  # the model does not tell; tight reads the same
                return ("\n" if tight else "\n\n").join(rendered)
            case CodeBlock(text):
                fence = "`" * max(3, *(len(run) + 1 for run in re.findall(r"`+", text)))
                return f"{fence}\n{text}\n{fence}"
            case Rule():
                return "* * *"
            case Figure():
                return self.figure(block)
            case _:
                raise TypeError(f"source writer: unknown block {type(block).__name__}")

    def figure(self, figure: Figure) -> str:
        """The `::: figure` div: its picture (alt text in brackets), then the caption."""
        attributes = [".figure"]
        if figure.credit:
            attributes.append(f"credit={_attribute(figure.credit)}")
        if figure.film is not None:
            attributes.append(f"film={_attribute(figure.film.key)}")
        name = figure.image.name
        target = f"<{name}>" if re.search(r"[\s()<>]", name) else name
        picture = f"![{self.inlines((Text(figure.alt),))}]({target})"
        return f"::: {{{' '.join(attributes)}}}\n{picture}\n\n{self.inlines(figure.caption, at_line_start=True)}\n:::"

    def turn(self, label: str, blocks: tuple[Block, ...], timecode: Timecode | None = None) -> str:
        first, *rest = blocks or (Para(()),)
        if not isinstance(first, Para):
            raise TypeError(f"source writer: {label}'s turn must begin with a paragraph")
        time = f"[{timecode}]{{.time}} " if timecode is not None else ""
        opening = f"{label}: {time}{self.inlines(first.children)}".rstrip()
        return "\n\n".join([opening, *(self.block(b) for b in rest)])

    def inlines(self, inlines: tuple[Inline, ...], at_line_start: bool = False, closer: str = "") -> str:
        """The inlines as Markdown; rendered from the end, so that each text knows what follows it."""
        pieces: list[str] = [""] * len(inlines)
        following = closer
        for i in range(len(inlines) - 1, -1, -1):
            line_start = (at_line_start and i == 0) or (i > 0 and isinstance(inlines[i - 1], LineBreak))
            pieces[i] = self.inline(inlines[i], line_start, following)
            following = pieces[i][:1] or following
        _check_delimiters(inlines, pieces)
        notes = [node for node in inlines if isinstance(node, NoteRef)]
        self.notes += [(n.number, n.blocks) for n in notes if (n.number, n.blocks) not in self.notes]
        return "".join(pieces)

    def inline(self, node: Inline, at_line_start: bool, following: str) -> str:
        match node:
            case Text(text):
                return _text(text, at_line_start, following)
            case Emph(children):
                return f"*{self.inlines(children, closer='*')}*"
            case Strong(children):
                return f"**{self.inlines(children, closer='*')}**"
            case SmallCaps(children):
                return f"[{self.inlines(children, closer=']')}]{{.smallcaps}}"
            case Code(text):
                ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
                pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
                return f"{ticks}{pad}{text}{pad}{ticks}"
            case LineBreak():
                return "\\\n"
            case Link(url, children):
                target = f"<{url}>" if re.search(r"[\s()<>]", url) else url
                return f"[{self.inlines(children, closer=']')}]({target})"
            case Mention(kind=kind, key=key, children=children):
                named = [entry.key for entry in self.registry.find(kind, plain_text(children))]
                attrs = f".{kind.span_class}" if named == [key] else f".{kind.span_class} key={key}"
                return f"[{self.inlines(children, closer=']')}]{{{attrs}}}"
            case NoteRef(number):
                return f"[^{number}]"
            case _:
                raise TypeError(f"source writer: unknown inline {type(node).__name__}")


def _text(text: str, at_line_start: bool, following: str) -> str:
    """`text` escaped for commonmark_x: it reads back as these very characters, whatever `following` it."""
    out = []
    closes = _balanced_brackets(text + following)
    for i, char in enumerate(text):
        after = text[i + 1 : i + 2] or following[:1]
        before = text[i - 1 : i]
        escape = (
            char in _ALWAYS
            or (char in "[]" and i not in closes)  # a bracket with no partner could open or close a span
            or (char == "[" and after in ("^", "@"))
            or (char == "]" and after in ("(", "[", "{", ":"))
            or (char == "!" and after == "[")  # ![ is an image
            or (char in "-." and char in (after, before))  # -- and ... would become dashes and an ellipsis
            or (char == "&" and re.match(r"&#?\w+;", text[i:]) is not None)  # an entity
            or (char == ":" and re.match(r":[\w+-]+:", text[i:]) is not None)  # an emoji code
        )
        out.append("\\" + char if escape else char)
    escaped = "".join(out)
    if at_line_start:
        start = _LINE_START.match(escaped)
        if start:  # "#", "> ", "- ", "1. ", ":::": escape the marker's last character
            end = start.end() - 1
            if escaped[end] != "\\" and (end == 0 or escaped[end - 1] != "\\"):
                escaped = escaped[:end] + "\\" + escaped[end:]
    return escaped


def _balanced_brackets(text: str) -> set[int]:
    """The offsets of the `[` and `]` in `text` that pair up with each other."""
    paired, open_ = set(), []
    for i, char in enumerate(text):
        if char == "[":
            open_.append(i)
        elif char == "]" and open_:
            paired |= {open_.pop(), i}
    return paired


def _check_delimiters(inlines: tuple[Inline, ...], pieces: list[str]) -> None:
    """Emphasis markers pandoc would read as text (`word*“quoted”*`) are an error, never a silent change."""
    for i, node in enumerate(inlines):
        if not isinstance(node, (Emph, Strong)):
            continue
        marker = "*" if isinstance(node, Emph) else "**"
        inner = pieces[i][len(marker) : -len(marker)]
        before = "".join(pieces[:i])[-1:] or " "
        after = "".join(pieces[i + 1 :])[:1] or " "
        opens = inner[:1] and not inner[0].isspace() and (not _punct(inner[0]) or before.isspace() or _punct(before))
        closes = inner[-1:] and not inner[-1].isspace() and (not _punct(inner[-1]) or after.isspace() or _punct(after))
        if not (opens and closes):
            raise ValueError(f"source writer: emphasis on {plain_text((node,))!r} cannot be written where it stands")


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _prefixed(text: str, first: str, rest: str) -> str:
    """`text` with `first` before its first line and `rest` before the others (blank lines kept blank)."""
    lines = text.split("\n")
    return "\n".join([first + lines[0], *(rest + line if line else rest.rstrip() for line in lines[1:])])
