"""The reader: a source file in, a `model.Document` out, or a SourceError at the place.

pandoc (sandboxed, `commonmark_x+sourcepos`) parses the body into its JSON AST;
with `sourcepos` every element carries `data-pos` and inlines come wrapped in
`wrapper` spans, which we unwrap while remembering the position. The front
matter is read by `frontmatter.py`; its title and subtitle are Markdown, read
by a second pandoc process beside the first.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypandoc

from ..core import model as m
from ..core.errors import SourceError
from . import proposed
from .images import load_image
from .index import build_index, inline_mentions
from .frontmatter import FrontFields, read_front_matter, split_front_matter
from .registry import Registry, load_registry, read_utf8

# commonmark_x, less what an interview never needs and an untrusted source should not get
# (fancy_lists also reads "* * *" as nested empty lists rather than a rule).
PANDOC_FORMAT = (
    "commonmark_x"
    "-yaml_metadata_block-tex_math_dollars-emoji-raw_attribute-alerts-task_lists"
    "-implicit_header_references-definition_lists-fancy_lists+sourcepos"
)
SECTIONS = ("headnote", "introduction", "interview")
_FRONT_LINES = {"title": 1, "subtitle": 3, "running_head": 5}  # where `_front_markdown` puts them
_MAX_DEPTH = 64  # nesting of quotes, lists and notes; deeper is an error, not a crash
MAX_SOURCE_BYTES = 2 * 1024 * 1024  # five times a book-length interview; pandoc's sourcepos is slow beyond
MAX_PARAGRAPH_CHARS = 100_000  # about 15,000 words: no interview paragraph comes near it
_PANDOC_HEAP_BASE, _PANDOC_HEAP_PER_BYTE = 256 << 20, 300  # measured: a 3.8 MB source peaks near 600 MB
_PANDOC_SECONDS = 120
_POS = re.compile(r"(?:.*@)?(\d+):(\d+)-")


def read(path: Path, chapter: int = 0) -> m.Document:
    """Read and check one source file (as chapter `chapter` of a collection: its anchors say so)."""
    path = Path(path)
    text = read_utf8(path, "source", MAX_SOURCE_BYTES).replace("\r\n", "\n").replace("\r", "\n")  # LF only
    _refuse_control_characters(path, text)
    _refuse_huge_paragraphs(path, text)
    _refuse_deep_quotes(path, text)
    yaml_file, yaml_text, body = split_front_matter(path, text)
    registry = load_registry(path.parent)
    fields = read_front_matter(yaml_file, yaml_text, registry, path.stem)
    with ThreadPoolExecutor(max_workers=1) as beside:  # two pandoc processes at once
        front = beside.submit(_pandoc, path, _front_markdown(fields))
        body_ast = _pandoc(path, body)
        front_ast = front.result()
    doc = _document(path, text.split("\n"), registry, fields, body_ast, front_ast, chapter)
    return replace(doc, index=build_index(doc))


def _refuse_control_characters(path: Path, text: str) -> None:
    match = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if match:
        before = text[: match.start()]
        line = before.count("\n") + 1
        column = match.start() - (before.rfind("\n") + 1) + 1
        shown = text.split("\n")[line - 1]
        code = f"U+{ord(match.group()):04X}"
        raise SourceError(path, line, column, f"the control character {code} is not allowed in a source", shown)


def _refuse_deep_quotes(path: Path, text: str) -> None:
    """Quote markers nested past the limit, found on the raw text: pandoc's AST would be too deep to load."""
    for number, line in enumerate(text.split("\n"), start=1):
        markers = re.match(r"[ \t]*((?:>[ \t]?)+)", line)
        if markers and markers.group(1).count(">") > _MAX_DEPTH:
            column = [i for i, char in enumerate(line) if char == ">"][_MAX_DEPTH] + 1  # the quote one too deep
            raise SourceError(path, number, column, f"quotes, lists or notes nested more than {_MAX_DEPTH} deep", line)


def _refuse_huge_paragraphs(path: Path, text: str) -> None:
    """Checked on the raw text, before pandoc, which would take minutes over such a paragraph."""
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", text):
        if len(block) > MAX_PARAGRAPH_CHARS and block.strip():
            message = f"a paragraph of more than {MAX_PARAGRAPH_CHARS:,} characters; split it"
            raise SourceError(path, line, 1, message, block.partition("\n")[0])
        line += block.count("\n")


def _front_markdown(fields: FrontFields) -> str:
    """The title, subtitle and running head on lines 1, 3 and 5, each on one line, for pandoc to read apart from the body."""
    lines = [" ".join(text.split()) for text in (fields.title, fields.subtitle or "", fields.running_head or "")]
    return "\n\n".join(lines) + "\n"


def _pandoc(path: Path, markdown: str) -> dict:
    """pandoc's AST of `markdown`: sandboxed, with a heap limit and a time limit.

    A footnote that cites itself sends pandoc 3.9 into endless recursion; the
    limits turn that into an error instead of a machine out of memory.
    """
    command = [
        pypandoc.get_pandoc_path(), "--from", PANDOC_FORMAT, "--to", "json", "--sandbox",
        "+RTS", f"-M{_PANDOC_HEAP_BASE + _PANDOC_HEAP_PER_BYTE * len(markdown.encode('utf-8'))}", "-RTS",
    ]
    try:
        run = subprocess.run(command, input=markdown.encode("utf-8"), capture_output=True, timeout=_PANDOC_SECONDS)
    except subprocess.TimeoutExpired:
        raise SourceError(path, 1, 1, f"pandoc did not finish reading the source in {_PANDOC_SECONDS} s") from None
    if run.returncode != 0:
        if b"Heap exhausted" in run.stderr:
            message = "pandoc ran out of memory reading the source (footnotes that cite themselves or each other?)"
        else:
            lines = run.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit code {run.returncode}"]
            message = f"pandoc could not read the source: {lines[0]}"
        raise SourceError(path, 1, 1, message)
    try:
        return json.loads(run.stdout)
    except RecursionError:
        raise SourceError(path, 1, 1, "the source is nested too deeply to read") from None


class _Positions:
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


class _FixedPosition(_Positions):
    """For the title and subtitle: every error points at their place in the YAML front matter."""

    def __init__(self, path: Path, lines: list[str], pos: m.Pos):
        super().__init__(path, lines)
        self.pos = pos

    def of(self, attr: list, outer: m.Pos) -> m.Pos:
        return self.pos


@dataclass
class _Numbering:
    """Counters shared by the title, subtitle and body, so notes and mentions count in reading order."""

    notes: int = 0
    figures: int = 0
    mentions: dict[tuple[m.MentionKind, str], int] = field(default_factory=dict)
    prefix: str = ""  # a chapter's ids begin with it ("c2-"): anchors are unique in the whole book

    def mention_anchor(self, kind: m.MentionKind, key: str) -> str:
        number = self.mentions[kind, key] = self.mentions.get((kind, key), 0) + 1
        return f"{self.prefix}{kind.span_class}-{key}-{number}"


@dataclass
class _Converter:
    """pandoc's AST elements to model nodes; `where` locates them, `numbering` counts notes and mentions."""

    where: _Positions
    registry: Registry
    numbering: _Numbering
    notes_allowed: bool = True

    # --- blocks ------------------------------------------------------------

    def unwrapped_blocks(self, items: list, pos: m.Pos) -> Iterator[tuple[dict, m.Pos]]:
        """(pandoc block, position) pairs with sourcepos' wrapper divs taken away."""
        for item in items:
            if item["t"] == "Div" and _is_wrapper(item["c"][0]):
                yield from self.unwrapped_blocks(item["c"][1], self.where.of(item["c"][0], pos))
            else:
                attr = _attr_of(item)
                yield item, (self.where.of(attr, pos) if attr else pos)

    def blocks(self, items: list, pos: m.Pos, depth: int) -> list[tuple[m.Block, m.Pos]]:
        if depth > _MAX_DEPTH:
            raise self.where.error(pos, f"quotes, lists or notes nested more than {_MAX_DEPTH} deep")
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
                    return self.figure(image, dict(_attributes(image["c"][0])), None, self.where.of(image["c"][0], pos), depth)
                return m.Para(_merge(self.inlines(c, pos, depth)))
            case "Header":
                return m.Heading(c[0], _merge(self.inlines(c[2], pos, depth)))
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
                raise self.where.error(pos, "fenced divs other than headnote, introduction, interview and figure are not allowed")
            case _:
                raise self.where.error(pos, f"{_describe(kind)} cannot be used in a pressroom source")

    def figure_div(self, c: list, pos: m.Pos, depth: int) -> m.Figure:
        """`::: {.figure credit="..." film=key}`: a paragraph holding only the picture (its
        bracketed text the alt text), then one paragraph of caption."""
        attr, items = c
        inner = list(self.unwrapped_blocks(items, pos))
        image = _lone_image(inner[0][0]["c"]) if inner and inner[0][0]["t"] in ("Para", "Plain") else None
        if image is None or len(inner) != 2 or inner[1][0]["t"] not in ("Para", "Plain"):
            raise self.where.error(pos, "a ::: figure holds its picture, ![alt text](file), then one paragraph of caption")
        if _attributes(image["c"][0]):
            raise self.where.error(inner[0][1], "a ::: figure takes credit= and film= on the div, not on its picture")
        fields = dict(_attributes(attr))
        if "alt" in fields:
            raise self.where.error(pos, "in a ::: figure the alt text is the picture's bracketed text, ![alt text](file)")
        fields["alt"] = m.plain_text(_merge(self.inlines(image["c"][1], pos, depth)))
        caption = inner[1][0]["c"]
        return self.figure(image, fields, caption, inner[1][1], depth, at=pos)

    def figure(
        self, image: dict, fields: dict[str, str], caption: list | None, pos: m.Pos, depth: int, at: m.Pos | None = None,
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
        words = _merge(self.inlines(caption if caption is not None else image["c"][1], pos, depth))
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

    # --- inlines -----------------------------------------------------------

    def inlines(self, items: list, pos: m.Pos, depth: int) -> list[m.Inline]:
        result: list[m.Inline] = []
        for item in items:
            result.extend(self.inline(item, pos, depth))
        return result

    def inline(self, item: dict, pos: m.Pos, depth: int) -> list[m.Inline]:
        kind, c = item["t"], item.get("c")

        def sub(children: list) -> tuple[m.Inline, ...]:
            return _merge(self.inlines(children, pos, depth))

        match kind:
            case "Str":
                return [m.Text(c)]
            case "Space" | "SoftBreak":
                return [m.Text(" ")]
            case "LineBreak":
                return [m.LineBreak()]
            case "Emph" | "Underline":
                return [m.Emph(sub(c))]
            case "Strong":
                return [m.Strong(sub(c))]
            case "SmallCaps":
                return [m.SmallCaps(sub(c))]
            case "Code":
                return [m.Code(c[1])]
            case "Quoted":
                opening, closing = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
                return [m.Text(opening), *sub(c[1]), m.Text(closing)]
            case "Cite":
                return list(sub(c[1]))
            case "Link":
                return _link(c[2][0], sub(c[1]))
            case "Note":
                return [self.note(c, pos, depth)]
            case "Span":
                return self.span(c, pos, depth)
            case "RawInline":
                self.raw(c, pos)  # a comment is dropped; anything else raises
                return []
            case "Image":
                where = self.where.of(c[0], pos)
                raise self.where.error(where, "a picture stands alone in its paragraph (a figure), not in running text")
            case _:
                attr = _attr_of(item)
                where = self.where.of(attr, pos) if attr else pos
                raise self.where.error(where, f"{_describe(kind)} cannot be used in a pressroom source")

    def note(self, c: list, pos: m.Pos, depth: int) -> m.NoteRef:
        if not self.notes_allowed:
            raise self.where.error(pos, "the title, subtitle and running head cannot have footnotes")
        self.numbering.notes += 1
        number = self.numbering.notes
        return m.NoteRef(number, tuple(b for b, _ in self.blocks(c, pos, depth + 1)))

    def span(self, c: list, pos: m.Pos, depth: int) -> list[m.Inline]:
        attr, children = c
        pos = self.where.of(attr, pos)
        if _is_wrapper(attr):
            return self.inlines(children, pos, depth)
        classes = attr[1]
        known = [*_MENTION_CLASSES, "smallcaps"]
        unknown = [cls for cls in classes if cls not in known]
        if unknown:
            raise self.where.error(pos, f"unknown span class .{unknown[0]} (known: {', '.join('.' + k for k in known)})")
        kind = next((_MENTION_CLASSES[cls] for cls in classes if cls in _MENTION_CLASSES), None)
        content = _merge(self.inlines(children, pos, depth))
        if kind is not None:
            return [self.mention(kind, attr, content, pos)]
        return [m.SmallCaps(content)] if "smallcaps" in classes else list(content)

    def mention(self, kind: m.MentionKind, attr: list, content: tuple[m.Inline, ...], pos: m.Pos) -> m.Mention:
        inner = next(inline_mentions(content), None)
        if inner is not None:
            raise self.where.error(inner.pos, f"a {inner.kind.span_class} mention inside another mention")
        key = dict((k, v) for k, v in attr[2] if k != "data-pos").get("key") or self.key_named(kind, content, pos)
        if key not in self.registry.entries[kind]:
            if kind is m.MentionKind.FILM and proposed.refused_because_proposed(self.where.path.parent, key):
                raise self.where.error(pos, f"film '{key}' is only proposed in {proposed.FILE}: fill in its year and "
                                            f"director and move it to {kind.registry_file} (or write the mention as *italics*)")
            raise self.where.error(pos, f"no {kind.span_class} with key '{key}' in {kind.registry_file} or the front matter")
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


_MENTION_CLASSES = {kind.span_class: kind for kind in m.MentionKind}


# --- the document ------------------------------------------------------------


def _document(
    path: Path, lines: list[str], registry: Registry, fields: FrontFields, body: dict, front: dict, chapter: int = 0
) -> m.Document:
    where = _Positions(path, lines)
    converter = _Converter(where, registry, _Numbering(prefix=m.id_prefix(chapter)))
    # Title first, so that mentions and notes are numbered in reading order.
    title = _front_line(converter, front, fields, "title")
    subtitle = _front_line(converter, front, fields, "subtitle") if fields.subtitle else ()
    running_head = _front_line(converter, front, fields, "running_head") if fields.running_head else ()
    sections = _sections(converter, body)
    parts: dict[str, tuple[m.Block, ...]] = {}
    for name in SECTIONS:
        if name in sections:
            item, pos = sections[name]
            blocks = converter.blocks(item["c"][1], pos, depth=0)
            if name == "interview":
                labels = ", ".join(f"'{s.label}: '" for s in fields.speakers)
                message = f"a paragraph in the interview that no speaker says; begin it with {labels}"
                unspoken = lambda pos: where.error(pos, message)  # noqa: E731
                parts[name] = group_turns(_labelled(where, blocks, fields.speakers), unspoken)
            else:
                parts[name] = tuple(b for b, _ in blocks)
    f = fields
    front_matter = m.FrontMatter(
        title=title, subtitle=subtitle, running_head=running_head, lang=f.lang, speakers=f.speakers, date=f.date,
        identifier=f.identifier, authors=f.authors, publisher=f.publisher, rights=f.rights,
        history=f.history, keywords=f.keywords, blurb=f.blurb,
    )
    return m.Document(
        source_name=path.stem, front=front_matter,
        headnote=parts.get("headnote", ()), introduction=parts.get("introduction", ()),
        interview=parts["interview"], registry=registry.entries, source_text="\n".join(lines), chapter=chapter,
    )


def _sections(converter: _Converter, body: dict) -> dict[str, tuple[dict, m.Pos]]:
    """The body's ::: headnote, introduction and interview divs, each at most once."""
    sections: dict[str, tuple[dict, m.Pos]] = {}
    start = m.Pos(1, 1)
    for item, pos in converter.unwrapped_blocks(body["blocks"], start):
        if item["t"] == "RawBlock" and converter.raw(item["c"], pos) is None:
            continue  # an HTML comment between the divs
        classes = item["c"][0][1] if item["t"] == "Div" else []
        section = next((c for c in classes if c in SECTIONS), None)
        if section is None:
            raise converter.where.error(pos, "text outside the ::: headnote, ::: introduction and ::: interview divs")
        if section in sections:
            raise converter.where.error(pos, f"a second ::: {section} div; the source may have only one")
        sections[section] = (item, pos)
    if "interview" not in sections:
        raise converter.where.error(start, "the source has no ::: interview div")
    return sections


def _front_line(body: _Converter, front: dict, fields: FrontFields, name: str) -> tuple[m.Inline, ...]:
    """The title or subtitle: the one paragraph pandoc read on its line of the front-matter Markdown,
    converted like the body (counting on its notes and mentions) but located in the YAML."""
    mark = getattr(fields, f"{name}_node").start_mark
    pos = m.Pos(mark.line + 2, mark.column + 1)  # the YAML text starts on line 2 of the file
    converter = replace(body, where=_FixedPosition(body.where.path, body.where.lines, pos), notes_allowed=False)
    locate = replace(body, where=_Positions(body.where.path, []))  # positions in the front-matter Markdown
    unwrapped = locate.unwrapped_blocks(front["blocks"], m.Pos(0, 0))
    blocks = [item for item, at in unwrapped if locate.first_pos(item, at).line == _FRONT_LINES[name]]
    if len(blocks) != 1 or blocks[0]["t"] not in ("Para", "Plain"):
        raise converter.where.error(pos, f"the {name.replace('_', ' ')} must be one line of text")
    return _merge(converter.inlines(blocks[0]["c"], pos, depth=0))


def _labelled(
    where: _Positions, blocks: list[tuple[m.Block, m.Pos]], speakers: tuple[m.Speaker, ...]
) -> list[tuple[m.Block, m.Speaker | None, m.Pos]]:
    """Each block of the interview with the speaker whose label opens it (the label taken off)."""
    by_label = {s.label: s for s in speakers}
    result = []
    for block, pos in blocks:
        split = split_label(block) if isinstance(block, m.Para) else None
        if split is None:
            result.append((block, None, pos))
            continue
        label, body = split
        if label in by_label:
            result.append((body, by_label[label], pos))
        elif _looks_like_a_name(label):
            declared = ", ".join(by_label)
            raise where.error(pos, f"'{label}' is not a speaker declared under speakers: (declared: {declared})")
        else:
            result.append((block, None, pos))
    return result


def split_label(para: m.Para) -> tuple[str, m.Para] | None:
    """(label, the paragraph without it) when `para` begins "Label: " (or "**Label:** ")."""
    children = list(para.children)
    if children and isinstance(children[0], m.Strong):  # **Baker:** or **Baker**:
        inner = children[0].children
        if len(inner) == 1 and isinstance(inner[0], m.Text):
            rest = children[1] if len(children) > 1 and isinstance(children[1], m.Text) else m.Text("")
            children = [m.Text(inner[0].text + rest.text), *children[2 if rest.text else 1 :]]
    if not children or not isinstance(children[0], m.Text):
        return None
    head, colon, tail = children[0].text.partition(":")
    if not colon or (tail and not tail[0].isspace()) or (not tail and len(children) > 1):
        return None  # "Baker:x", "Baker:*x*" or "10:30" is text, not a label
    rest = tail.lstrip()
    return head.strip(), m.Para(tuple(([m.Text(rest)] if rest else []) + children[1:]))


def _looks_like_a_name(label: str) -> bool:
    """One to three capitalised words: a speaker label, probably undeclared by mistake."""
    words = label.split()
    return 1 <= len(words) <= 3 and all(w[0].isupper() for w in words)


def group_turns(
    blocks: list[tuple[m.Block, m.Speaker | None, m.Pos]], unspoken: Callable[[m.Pos], Exception]
) -> tuple[m.Block, ...]:
    """Paragraphs grouped into turns: a labelled one opens a turn, unlabelled ones (and figures) continue
    it; headings and rules stand between turns."""
    result: list[m.Block] = []
    turn: m.Turn | None = None
    for block, speaker, pos in blocks:
        if speaker is not None:
            turn = m.Turn(speaker, (block,))
            result.append(turn)
        elif isinstance(block, (m.Heading, m.Rule)):
            turn = None
            result.append(block)
        elif isinstance(block, m.Figure) and turn is None:  # a picture between turns; inside one it goes with it
            result.append(block)
        elif turn is None:
            raise unspoken(pos)
        else:
            turn = replace(turn, blocks=(*turn.blocks, block))
            result[-1] = turn
    return tuple(result)


def _character_column(line: str, column: int) -> int:
    """pandoc counts a tab to the next multiple-of-4 stop; errors count characters."""
    visual = 1
    for index, char in enumerate(line):
        if visual >= column:
            return index + 1
        visual = (visual - 1) // 4 * 4 + 5 if char == "\t" else visual + 1
    return len(line) + 1


def _attr_of(item: dict) -> list | None:
    """The pandoc attributes of a block or inline element, where it has any."""
    match item["t"]:
        case "Div" | "CodeBlock" | "Table" | "Figure" | "Span" | "Code" | "Image" | "Link":
            return item["c"][0]
        case "Header":
            return item["c"][1]
    return None


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


def _link(url: str, children: tuple[m.Inline, ...]) -> list[m.Inline]:
    if re.match(r"(https?|mailto):", url, re.I):
        return [m.Link(url, children)]
    return list(children)  # a link into the file system or the page: kept as its text, never followed


def _merge(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
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
    return tuple(merged)


_DESCRIPTIONS = {
    "Table": "a table", "Image": "an image", "Math": "math", "Figure": "a figure",
    "LineBlock": "a line block", "DefinitionList": "a definition list",
    "Strikeout": "struck-out text", "Superscript": "superscript", "Subscript": "subscript",
}


def _describe(kind: str) -> str:
    return _DESCRIPTIONS.get(kind, f"the pandoc element {kind}")

