"""pandoc's AST of a source to model nodes, each located in the source or refused with a SourceError.

With `sourcepos` every element carries `data-pos` and inlines come wrapped in `wrapper` spans,
which the `Converter` unwraps while remembering the position (`Positions`); the inline mapping
itself is the one the DOCX importer shares (`pandoc_ast.InlineWalk`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..core import model as m
from ..core.errors import SourceError
from ..core.pandoc import MAX_DEPTH
from ..core.pandoc_ast import InlineWalk, ast_text, attr_of
from ..core.timecode import Timecode
from ..core.timecode import parse as parse_timecode
from ..core.words import ENGLISH, Words, words_for
from . import proposed
from .images import load_image
from .index import inline_mentions
from .registry import Registry

SECTIONS = ("headnote", "introduction", "interview")
# passed down with inlines: the position of an element that has none of its own, and the nesting depth
Where = tuple[m.Pos, int]
_POS = re.compile(r"(?:.*@)?(\d+):(\d+)-")


class Positions:
    """Turns pandoc's `data-pos` into `Pos` and errors into SourceErrors quoting the line."""

    def __init__(self, path: Path, lines: list[str]):
        self.path = path
        self.lines = lines
        self.tabbed = {number for number, line in enumerate(lines, start=1) if "\t" in line}

    def of(self, attr: list, outer: m.Pos) -> m.Pos:
        """Where an element with pandoc attributes `attr` starts; `outer` when it does not say."""
        for name, value in attr[2]:
            if name == "data-pos" and (match := _POS.match(value)):
                line, column = int(match.group(1)), int(match.group(2))
                if line in self.tabbed:  # only a line with tabs needs its columns counted
                    column = _character_column(self.lines[line - 1], column)
                return m.Pos(line, column)
        return outer

    def error(self, pos: m.Pos, message: str) -> SourceError:
        line = self.lines[pos.line - 1] if 0 < pos.line <= len(self.lines) else None
        return SourceError(self.path, pos.line, pos.column, message, line)


class FixedPosition(Positions):
    """For the title and subtitle: every error points at their place in the YAML front matter."""

    def __init__(self, path: Path, lines: list[str], pos: m.Pos):
        super().__init__(path, lines)
        self.pos = pos

    def of(self, attr: list, outer: m.Pos) -> m.Pos:
        return self.pos


@dataclass
class Numbering:
    """Counters shared by the title, subtitle and body, so notes and mentions count in reading order."""

    notes: int = 0
    figures: int = 0
    mentions: dict[tuple[m.MentionKind, str], int] = field(default_factory=dict)
    prefix: str = ""  # a chapter's ids begin with it ("c2-"): anchors are unique in the whole book
    timecodes: list[TimeMark] = field(default_factory=list)  # every [..]{.time} read: each must open a turn

    def mention_anchor(self, kind: m.MentionKind, key: str) -> str:
        number = self.mentions[kind, key] = self.mentions.get((kind, key), 0) + 1
        return m.mention_anchor(kind, key, number, self.prefix)


@dataclass(frozen=True, eq=False)
class TimeMark:
    """A turn's timecode span (`[00:08:12]{.time}`) as read; the reader moves it onto the turn it opens."""

    timecode: Timecode
    pos: m.Pos


@dataclass
class Converter(InlineWalk[Where]):
    """pandoc's AST elements to model nodes; `where` locates them, `numbering` counts notes and mentions."""

    where: Positions
    registry: Registry
    numbering: Numbering
    notes_allowed: bool = True
    words: Words = field(default_factory=lambda: words_for(ENGLISH))  # the source's language: its typography

    # --- blocks ------------------------------------------------------------

    def unwrapped_blocks(self, items: list, pos: m.Pos) -> Iterator[tuple[dict, m.Pos]]:
        """(pandoc block, position) pairs with sourcepos' wrapper divs taken away."""
        for item in items:
            if item["t"] == "Div" and _is_wrapper(item["c"][0]):
                yield from self.unwrapped_blocks(item["c"][1], self.where.of(item["c"][0], pos))
            else:
                attr = attr_of(item)
                yield item, (self.where.of(attr, pos) if attr else pos)

    def blocks(self, items: list, pos: m.Pos, depth: int) -> list[tuple[m.Block, m.Pos]]:
        if depth > MAX_DEPTH:
            raise self.where.error(pos, f"quotes, lists or notes nested more than {MAX_DEPTH} deep")
        result = []
        for item, item_pos in self.unwrapped_blocks(items, pos):
            item_pos = self.first_pos(item, item_pos)
            block = self.block(item, item_pos, depth)
            if block is not None:
                result.append((block, item_pos))
        return result

    def first_pos(self, item: dict, pos: m.Pos) -> m.Pos:
        """Where a paragraph starts: its first wrapped inline knows, the paragraph does not."""
        if item["t"] in ("Para", "Plain") and item["c"] and item["c"][0]["t"] == "Span":
            return self.where.of(item["c"][0]["c"][0], pos)
        return pos

    def block(self, item: dict, pos: m.Pos, depth: int) -> m.Block | None:
        kind, c = item["t"], item.get("c")

        def sub(blocks: list) -> tuple[m.Block, ...]:
            return tuple(b for b, _ in self.blocks(blocks, pos, depth + 1))

        match kind:
            case "Para" | "Plain":
                image = _lone_image(c)
                if image is not None:  # pandoc's implicit figure: ![caption](picture){alt="..." credit="..."}
                    fields = dict(_attributes(image["c"][0]))
                    return self.figure(image, fields, None, self.where.of(image["c"][0], pos), depth)
                return m.Para(self.merged(c, (pos, depth)))
            case "Header":
                return m.Heading(c[0], self.merged(c[2], (pos, depth)))
            case "BlockQuote":
                return m.BlockQuote(sub(c))
            case "BulletList":
                return m.ListBlock(False, tuple(sub(entry) for entry in c))
            case "OrderedList":
                return m.ListBlock(True, tuple(sub(entry) for entry in c[1]), start=c[0][0])
            case "CodeBlock":
                return m.CodeBlock(c[1])
            case "HorizontalRule":
                return m.Rule()
            case "RawBlock":
                return self.raw(c, pos)
            case "Div":
                classes = c[0][1]
                if "figure" in classes:
                    return self.figure_div(c, pos, depth)
                if any(cls in SECTIONS for cls in classes):
                    raise self.where.error(pos, "::: headnote, introduction and interview cannot be nested")
                message = "fenced divs other than headnote, introduction, interview and figure are not allowed"
                raise self.where.error(pos, message)
            case _:
                raise self.where.error(pos, f"{_describe(kind)} cannot be used in a pressroom source")

    def figure_div(self, c: list, pos: m.Pos, depth: int) -> m.Figure:
        """`::: {.figure credit="..." film=key}`: a paragraph holding only the picture (its
        bracketed text the alt text), then one paragraph of caption."""
        attr, items = c
        inner = list(self.unwrapped_blocks(items, pos))
        image = _lone_image(inner[0][0]["c"]) if inner and inner[0][0]["t"] in ("Para", "Plain") else None
        if image is None or len(inner) != 2 or inner[1][0]["t"] not in ("Para", "Plain"):
            message = "a ::: figure holds its picture, ![alt text](file), then one paragraph of caption"
            raise self.where.error(pos, message)
        if _attributes(image["c"][0]):
            raise self.where.error(inner[0][1], "a ::: figure takes credit= and film= on the div, not on its picture")
        fields = dict(_attributes(attr))
        if "alt" in fields:
            message = "in a ::: figure the alt text is the picture's bracketed text, ![alt text](file)"
            raise self.where.error(pos, message)
        fields["alt"] = m.plain_text(self.merged(image["c"][1], (pos, depth)))
        caption = inner[1][0]["c"]
        return self.figure(image, fields, caption, inner[1][1], depth, at=pos)

    def figure(
        self, image: dict, fields: dict[str, str], caption: list | None, pos: m.Pos, depth: int,
        at: m.Pos | None = None,
    ) -> m.Figure:
        """A figure of the picture `image` (a pandoc Image), with its `fields` (alt, credit, film) and
        `caption` (pandoc inlines; None: the picture's bracketed text)."""
        at = at or pos
        unknown = sorted(set(fields) - {"alt", "credit", "film"})
        if unknown:
            raise self.where.error(at, f"unknown figure attribute '{unknown[0]}' (known: alt, credit, film)")
        alt = " ".join(fields.get("alt", "").split())
        if not alt:
            raise self.where.error(at, 'a figure needs alt text saying what the picture shows: {alt="..."}')
        try:
            picture = load_image(self.where.path.parent, image["c"][2][0])
        except ValueError as error:
            raise self.where.error(at, str(error)) from None
        words = self.merged(caption if caption is not None else image["c"][1], (pos, depth))
        if not m.plain_text(words).strip():
            raise self.where.error(at, "a figure needs a caption")
        if any(isinstance(node, m.NoteRef) for node in words):
            raise self.where.error(at, "a figure's caption cannot have footnotes")
        film = None
        if "film" in fields:
            key = fields["film"]
            if key not in self.registry.entries[m.MentionKind.FILM]:
                raise self.where.error(at, f"no film with key '{key}' in films.yaml or the front matter")
            anchor = self.numbering.mention_anchor(m.MentionKind.FILM, key)
            film = m.Mention(m.MentionKind.FILM, key, anchor, (), at, illustration=True)
        self.numbering.figures += 1
        ident = f"{self.numbering.prefix}figure-{self.numbering.figures}"
        credit = " ".join(fields.get("credit", "").split())
        return m.Figure(picture, alt, words, credit, ident, at, str(self.where.path), film)

    def raw(self, c: list, pos: m.Pos) -> None:
        fmt, text = c
        if fmt == "html" and re.fullmatch(r"(\s*<!--.*?-->)+\s*", text, re.S):
            return None  # HTML comments: an editor's notes, never printed
        if fmt == "html" and re.match(r"\s*<!--.*?-->", text, re.S):
            message = "text after an HTML comment on its line is read as HTML; put the comment on a line of its own"
            raise self.where.error(pos, message)
        raise self.where.error(pos, "raw HTML is not allowed in a source; write it in Markdown")

    # --- inlines (the shared mapping is InlineWalk's) ------------------------

    def other(self, item: dict, at: Where) -> list[m.Inline]:
        pos, _ = at
        match item["t"]:
            case "RawInline":
                self.raw(item["c"], pos)  # a comment is dropped; anything else raises
                return []
            case "Image":
                where = self.where.of(item["c"][0], pos)
                raise self.where.error(where, "a picture stands alone in its paragraph (a figure), not in running text")
            case kind:
                attr = attr_of(item)
                where = self.where.of(attr, pos) if attr else pos
                raise self.where.error(where, f"{_describe(kind)} cannot be used in a pressroom source")

    def footnote(self, blocks: list, at: Where) -> m.NoteRef:
        pos, depth = at
        if not self.notes_allowed:
            raise self.where.error(pos, "the title, subtitle and running head cannot have footnotes")
        self.numbering.notes += 1
        number = self.numbering.notes
        return m.NoteRef(number, tuple(b for b, _ in self.blocks(blocks, pos, depth + 1)))

    def span(self, c: list, at: Where) -> list[m.Inline]:
        attr, children = c
        pos = self.where.of(attr, at[0])
        if _is_wrapper(attr):
            return self.inlines(children, (pos, at[1]))
        classes = attr[1]
        if "time" in classes:
            return [self.time_mark(children, pos)]
        known = [*_MENTION_CLASSES, "smallcaps", "time"]
        unknown = [cls for cls in classes if cls not in known]
        if unknown:
            listed = ", ".join("." + k for k in known)
            raise self.where.error(pos, f"unknown span class .{unknown[0]} (known: {listed})")
        kind = next((_MENTION_CLASSES[cls] for cls in classes if cls in _MENTION_CLASSES), None)
        content = self.merged(children, (pos, at[1]))
        if kind is not None:
            return [self.mention(kind, attr, content, pos)]
        return [m.SmallCaps(content)] if "smallcaps" in classes else list(content)

    def time_mark(self, children: list, pos: m.Pos) -> TimeMark:
        words = ast_text(children)
        timecode = parse_timecode(words)
        if timecode is None:
            raise self.where.error(pos, f"'{words}' is not a timecode: write [hh:mm:ss]{{.time}} "
                                        "or [hh:mm:ss.mmm]{.time}")
        mark = TimeMark(timecode, pos)
        self.numbering.timecodes.append(mark)
        return mark

    def merge(self, inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
        """Adjacent texts joined into one, as a reader of the model expects."""
        merged: list[m.Inline] = []
        for node in inlines:
            if isinstance(node, m.Text) and merged and isinstance(merged[-1], m.Text):
                left, right = merged[-1].text, node.text
                if left.endswith(" ") and right.startswith(" "):  # the spaces around a dropped comment
                    right = right[1:]
                merged[-1] = m.Text(left + right)
            elif not (isinstance(node, m.Text) and not node.text):
                merged.append(node)
        spaced = self.words.spaced  # French spacing; the text itself in any other language
        return tuple(m.Text(said) if isinstance(n, m.Text) and (said := spaced(n.text)) != n.text else n
                     for n in merged)

    def quotation_marks(self) -> tuple[str, str, str, str]:
        return self.words.quotes

    def mention(self, kind: m.MentionKind, attr: list, content: tuple[m.Inline, ...], pos: m.Pos) -> m.Mention:
        inner = next(inline_mentions(content), None)
        if inner is not None:
            raise self.where.error(inner.pos, f"a {inner.kind.span_class} mention inside another mention")
        key = dict((k, v) for k, v in attr[2] if k != "data-pos").get("key") or self.key_named(kind, content, pos)
        if key not in self.registry.entries[kind]:
            if kind is m.MentionKind.FILM and proposed.refused_because_proposed(self.where.path.parent, key):
                raise self.where.error(pos, f"film '{key}' is only proposed in {proposed.FILE}: fill in its year and "
                                            f"director and move it to {kind.registry_file} "
                                            "(or write the mention as *italics*)")
            registries = f"{kind.registry_file} or the front matter"
            raise self.where.error(pos, f"no {kind.span_class} with key '{key}' in {registries}")
        return m.Mention(kind, key, self.numbering.mention_anchor(kind, key), content, pos)

    def key_named(self, kind: m.MentionKind, content: tuple[m.Inline, ...], pos: m.Pos) -> str:
        """The key of the one entry a mention's text names."""
        text = m.plain_text(content)
        found = self.registry.find(kind, text)
        if not found:
            hint = f"add it to {kind.registry_file}, or name its key with {{.{kind.span_class} key=...}}"
            raise self.where.error(pos, f"'{text}' names no {kind.span_class} in the registry; {hint}")
        if len(found) > 1:
            keys = ", ".join(sorted(e.key for e in found))
            raise self.where.error(pos, f"'{text}' could be any of {keys}; say which with key=")
        return found[0].key


_MENTION_CLASSES = MappingProxyType({kind.span_class: kind for kind in m.MentionKind})


def _character_column(line: str, column: int) -> int:
    """pandoc counts a tab to the next multiple-of-4 stop; errors count characters."""
    visual = 1
    for index, char in enumerate(line):
        if visual >= column:
            return index + 1
        visual = (visual - 1) // 4 * 4 + 5 if char == "\t" else visual + 1
    return len(line) + 1


def _lone_image(inlines: list) -> dict | None:
    """The pandoc Image that is all a paragraph holds (white space and sourcepos' wrappers aside)."""
    found = []
    for item in inlines:
        while item["t"] == "Span" and _is_wrapper(item["c"][0]) and len(item["c"][1]) == 1:
            item = item["c"][1][0]
        if item["t"] not in ("Space", "SoftBreak"):
            found.append(item)
    return found[0] if len(found) == 1 and found[0]["t"] == "Image" else None


def _attributes(attr: list) -> list[tuple[str, str]]:
    """An element's key=value attributes as the source wrote them (sourcepos' own left out)."""
    return [(k, v) for k, v in attr[2] if k not in ("data-pos", "wrapper")]


def _is_wrapper(attr: list) -> bool:
    return any(name == "wrapper" for name, _ in attr[2])


_DESCRIPTIONS = MappingProxyType({
    "Table": "a table", "Image": "an image", "Math": "math", "Figure": "a figure",
    "LineBlock": "a line block", "DefinitionList": "a definition list",
    "Strikeout": "struck-out text", "Superscript": "superscript", "Subscript": "subscript",
})


def _describe(kind: str) -> str:
    return _DESCRIPTIONS.get(kind, f"the pandoc element {kind}")
