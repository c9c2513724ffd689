"""The reader: a source file in, a `model.Document` out, or a SourceError at the place.

pandoc (sandboxed, `commonmark_x+sourcepos`) parses the body into its JSON AST;
with `sourcepos` every element carries `data-pos` and inlines come wrapped in
`wrapper` spans, which we unwrap while remembering the position. The front
matter is read by `frontmatter.py`; its title and subtitle are Markdown, so
they ride along with the body in two marked divs at the end.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pypandoc

from . import model as m
from .errors import SourceError
from .index import build_index
from .frontmatter import FrontFields, read_front_matter, split_front_matter
from .registry import Registry, decode_utf8, load_registry

# commonmark_x, less what an interview never needs and an untrusted source should not get
# (fancy_lists also reads "* * *" as nested empty lists rather than a rule).
PANDOC_FORMAT = (
    "commonmark_x"
    "-yaml_metadata_block-tex_math_dollars-emoji-raw_attribute-alerts-task_lists"
    "-implicit_header_references-definition_lists-fancy_lists+sourcepos"
)
SECTIONS = ("headnote", "introduction", "interview")
_FRONT_IDS = {"title": "pressroom-front-title", "subtitle": "pressroom-front-subtitle"}
_MAX_DEPTH = 64  # nesting of quotes, lists and notes; deeper is an error, not a crash
MAX_SOURCE_BYTES = 2 * 1024 * 1024  # five times a book-length interview; pandoc's sourcepos is slow beyond
MAX_PARAGRAPH_CHARS = 100_000  # about 15,000 words: no interview paragraph comes near it
_PANDOC_HEAP_BASE, _PANDOC_HEAP_PER_BYTE = 256 << 20, 300  # measured: a 3.8 MB source peaks near 600 MB
_PANDOC_SECONDS = 120
_POS = re.compile(r"(?:.*@)?(\d+):(\d+)-")


def read(path: Path) -> m.Document:
    """Read and check one source file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(path, 1, 1, f"cannot read the source: {err.strerror}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(path, 1, 1, f"the source is {len(data):,} bytes; pressroom reads at most {MAX_SOURCE_BYTES:,}")
    text = decode_utf8(path, data).replace("\r\n", "\n").replace("\r", "\n")  # pandoc's lines: LF only
    _refuse_control_characters(path, text)
    _refuse_huge_paragraphs(path, text)
    _refuse_deep_quotes(path, text)
    yaml_file, yaml_text, body = split_front_matter(path, text)
    registry = load_registry(path.parent)
    fields = read_front_matter(yaml_file, yaml_text, registry, path.stem)
    ast = _pandoc(path, body + _front_divs(fields))
    doc = _Converter(path, text.split("\n"), registry, fields).document(ast, source_text=text)
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


def _front_divs(fields: FrontFields) -> str:
    parts = [("title", fields.title), ("subtitle", fields.subtitle)]
    return "".join(f"\n\n::::: {{#{_FRONT_IDS[name]}}}\n{' '.join(text.split())}\n:::::\n" for name, text in parts if text)


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


class _Converter:
    """Turns one pandoc AST into the model; keeps the counters that number notes and mentions."""

    def __init__(self, path: Path, lines: list[str], registry: Registry, fields: FrontFields):
        self.path = path
        self.lines = lines
        self.registry = registry
        self.fields = fields
        self.speakers = {s.label: s for s in fields.speakers}
        self.mention_counts: dict[str, int] = {}
        self.note_count = 0
        self.in_mention = False
        self.fixed_pos: m.Pos | None = None  # set while converting the title: errors point at the YAML

    # --- errors and positions --------------------------------------------

    def error(self, pos: m.Pos, message: str) -> SourceError:
        line = self.lines[pos.line - 1] if 0 < pos.line <= len(self.lines) else None
        return SourceError(self.path, pos.line, pos.column, message, line)

    def pos_of(self, attr: list, outer: m.Pos) -> m.Pos:
        if self.fixed_pos is not None:
            return self.fixed_pos
        for name, value in attr[2]:
            if name == "data-pos" and (match := _POS.match(value)):
                line = int(match.group(1))
                text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
                return m.Pos(line, _character_column(text, int(match.group(2))))
        return outer

    # --- the document ------------------------------------------------------

    def document(self, ast: dict, source_text: str) -> m.Document:
        sections: dict[str, list] = {}
        front: dict[str, tuple[m.Inline, ...]] = {}
        start = m.Pos(1, 1)
        for item, pos in self.unwrapped_blocks(ast["blocks"], start):
            if item["t"] == "RawBlock" and self.raw(item["c"], pos) is None:
                continue  # an HTML comment between the divs
            ident, classes = (item["c"][0][0], item["c"][0][1]) if item["t"] == "Div" else ("", [])
            if ident in _FRONT_IDS.values():
                front[ident] = item
                continue
            section = next((c for c in classes if c in SECTIONS), None)
            if item["t"] == "Div" and _holds_front(item):  # our title divs, appended at the end, fell inside it
                raise self.error(pos, f"this ::: {section or 'div'} is never closed; end it with ::: on a line of its own")
            if section is None:
                raise self.error(pos, "text outside the ::: headnote, ::: introduction and ::: interview divs")
            if section in sections:
                raise self.error(pos, f"a second ::: {section} div; the source may have only one")
            sections[section] = [item, pos]
        if "interview" not in sections:
            raise self.error(start, "the source has no ::: interview div")

        # Title first, so that mentions and notes are numbered in reading order.
        title = self.front_inlines(front, "title", self.fields.title_node)
        subtitle = self.front_inlines(front, "subtitle", self.fields.subtitle_node) if self.fields.subtitle else ()
        parts = {}
        for name in SECTIONS:
            if name in sections:
                item, pos = sections[name]
                blocks = self.blocks(item["c"][1], pos, depth=0)
                parts[name] = self.turns(blocks) if name == "interview" else tuple(b for b, _ in blocks)
        f = self.fields
        front_matter = m.FrontMatter(
            title=title, subtitle=subtitle, lang=f.lang, speakers=f.speakers, date=f.date,
            identifier=f.identifier, authors=f.authors, publisher=f.publisher, rights=f.rights,
            history=f.history, keywords=f.keywords,
        )
        return m.Document(
            source_name=self.path.stem, front=front_matter,
            headnote=parts.get("headnote", ()), introduction=parts.get("introduction", ()),
            interview=parts["interview"], films=self.registry.films, people=self.registry.people,
            source_text=source_text,
        )

    def front_inlines(self, front: dict, name: str, node) -> tuple[m.Inline, ...]:  # noqa: ANN001
        mark = node.start_mark
        self.fixed_pos = m.Pos(self.fields_line(mark.line), mark.column + 1)
        try:
            div = front.get(_FRONT_IDS[name])
            blocks = [b for b, _ in self.unwrapped_blocks(div["c"][1], self.fixed_pos)] if div else []
            if len(blocks) != 1 or blocks[0]["t"] not in ("Para", "Plain"):
                raise self.error(self.fixed_pos, f"the {name} must be one line of text")
            return _merge(self.inlines(blocks[0]["c"], self.fixed_pos, depth=0))
        finally:
            self.fixed_pos = None

    @staticmethod
    def fields_line(yaml_line: int) -> int:
        return yaml_line + 2  # the YAML text starts on line 2 of the file

    # --- interview turns ---------------------------------------------------

    def turns(self, blocks: list[tuple[m.Block, m.Pos]]) -> tuple[m.Block, ...]:
        result: list[m.Block] = []
        current: list[m.Block] | None = None
        speaker, turn_pos = None, None

        def close() -> None:
            if current is not None:
                result.append(m.Turn(speaker, tuple(current), turn_pos))

        for block, pos in blocks:
            label = self.label_of(block, pos) if isinstance(block, m.Para) else None
            if label is not None:
                close()
                speaker, turn_pos = self.speakers[label[0]], pos
                current = [label[1]]
            elif isinstance(block, (m.Heading, m.Rule)):
                close()
                current = None
                result.append(block)
            elif current is None:
                names = ", ".join(f"'{s}: '" for s in self.speakers)
                raise self.error(pos, f"a paragraph in the interview that no speaker says; begin it with {names}")
            else:
                current.append(block)
        close()
        return tuple(result)

    def label_of(self, para: m.Para, pos: m.Pos) -> tuple[str, m.Para] | None:
        """(speaker label, the paragraph without it) when `para` opens a turn."""
        children = list(para.children)
        if children and isinstance(children[0], m.Strong):  # **Baker:** or **Baker**:
            inner = children[0].children
            if len(inner) == 1 and isinstance(inner[0], m.Text):
                rest = children[1] if len(children) > 1 and isinstance(children[1], m.Text) else m.Text("")
                children = [m.Text(inner[0].text + rest.text), *children[2 if rest.text else 1 :]]
        if not children or not isinstance(children[0], m.Text):
            return None
        head, colon, tail = children[0].text.partition(":")
        if not colon or (tail and not tail[0].isspace()):
            return None
        label = head.strip()
        if label in self.speakers:
            rest = tail.lstrip()
            body = ([m.Text(rest)] if rest else []) + children[1:]
            return label, m.Para(tuple(body))
        words = label.split()
        if 1 <= len(words) <= 3 and all(w[0].isupper() for w in words):
            declared = ", ".join(self.speakers)
            raise self.error(pos, f"'{label}' is not a speaker declared under speakers: (declared: {declared})")
        return None

    # --- blocks ------------------------------------------------------------

    def unwrapped_blocks(self, items: list, pos: m.Pos):  # noqa: ANN201
        """(pandoc block, position) pairs with sourcepos' wrapper divs taken away."""
        for item in items:
            if item["t"] == "Div" and _is_wrapper(item["c"][0]):
                yield from self.unwrapped_blocks(item["c"][1], self.pos_of(item["c"][0], pos))
            else:
                attr = _attr_of(item)
                yield item, (self.pos_of(attr, pos) if attr else pos)

    def blocks(self, items: list, pos: m.Pos, depth: int) -> list[tuple[m.Block, m.Pos]]:
        if depth > _MAX_DEPTH:
            raise self.error(pos, f"quotes, lists or notes nested more than {_MAX_DEPTH} deep")
        result = []
        for item, item_pos in self.unwrapped_blocks(items, pos):
            block = self.block(item, item_pos, depth)
            if block is not None:
                result.append((block, self.first_pos(item, item_pos)))
        return result

    def first_pos(self, item: dict, pos: m.Pos) -> m.Pos:
        """Where a paragraph starts: its first wrapped inline knows, the paragraph does not."""
        if item["t"] in ("Para", "Plain") and item["c"] and item["c"][0]["t"] == "Span":
            return self.pos_of(item["c"][0]["c"][0], pos)
        return pos

    def block(self, item: dict, pos: m.Pos, depth: int) -> m.Block | None:
        kind, c = item["t"], item.get("c")
        pos = self.first_pos(item, pos)

        def sub(blocks: list) -> tuple[m.Block, ...]:
            return tuple(b for b, _ in self.blocks(blocks, pos, depth + 1))

        match kind:
            case "Para" | "Plain":
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
                if any(cls in SECTIONS for cls in classes):
                    raise self.error(pos, "::: headnote, introduction and interview cannot be nested")
                raise self.error(pos, "fenced divs other than headnote, introduction and interview are not allowed")
            case _:
                raise self.error(pos, f"{_describe(kind)} cannot be used in a pressroom source")

    def raw(self, c: list, pos: m.Pos) -> None:
        fmt, text = c
        if fmt == "html" and re.fullmatch(r"(\s*<!--.*?-->)+\s*", text, re.S):
            return None  # HTML comments: an editor's notes, never printed
        if fmt == "html" and re.match(r"\s*<!--.*?-->", text, re.S):
            message = "text after an HTML comment on its line is read as HTML; put the comment on a line of its own"
            raise self.error(pos, message)
        raise self.error(pos, "raw HTML is not allowed in a source; write it in Markdown")

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
                return self.link(c, sub(c[1]))
            case "Note":
                return [self.note(c, pos, depth)]
            case "Span":
                return self.span(c, pos, depth)
            case "RawInline":
                self.raw(c, pos)  # a comment is dropped; anything else raises
                return []
            case _:
                attr = _attr_of(item)
                where = self.pos_of(attr, pos) if attr else pos
                raise self.error(where, f"{_describe(kind)} cannot be used in a pressroom source")

    def link(self, c: list, children: tuple[m.Inline, ...]) -> list[m.Inline]:
        url = c[2][0]
        if re.match(r"(https?|mailto):", url, re.I):
            return [m.Link(url, children)]
        return list(children)  # a link into the file system or the page: kept as its text, never followed

    def note(self, c: list, pos: m.Pos, depth: int) -> m.NoteRef:
        if self.fixed_pos is not None:
            raise self.error(pos, "the title and subtitle cannot have footnotes")
        self.note_count += 1
        number = self.note_count
        return m.NoteRef(number, tuple(b for b, _ in self.blocks(c, pos, depth + 1)))

    def span(self, c: list, pos: m.Pos, depth: int) -> list[m.Inline]:
        attr, children = c
        pos = self.pos_of(attr, pos)
        if _is_wrapper(attr):
            return self.inlines(children, pos, depth)
        classes = attr[1]
        unknown = [cls for cls in classes if cls not in ("film", "person", "smallcaps")]
        if unknown:
            raise self.error(pos, f"unknown span class .{unknown[0]} (known: .film, .person, .smallcaps)")
        if "film" in classes or "person" in classes:
            return [self.mention("film" if "film" in classes else "person", attr, children, pos, depth)]
        content = _merge(self.inlines(children, pos, depth))
        return [m.SmallCaps(content)] if "smallcaps" in classes else list(content)

    def mention(self, kind: str, attr: list, children: list, pos: m.Pos, depth: int) -> m.Inline:
        if self.in_mention:
            raise self.error(pos, f"a {kind} mention inside another mention")
        self.in_mention = True
        try:
            content = _merge(self.inlines(children, pos, depth))
        finally:
            self.in_mention = False
        key = dict((k, v) for k, v in attr[2] if k != "data-pos").get("key")
        text = m.plain_text(content)
        if kind == "film":
            table, candidates, registry_file = self.registry.films, self.registry.film_for, "films.yaml"
        else:
            table, candidates, registry_file = self.registry.people, self.registry.person_for, "people.yaml"
        if key is not None:
            if key not in table:
                raise self.error(pos, f"no {kind} with key '{key}' in {registry_file} or the front matter")
        else:
            found = candidates(text)
            if not found:
                hint = f"add it to {registry_file}, or name its key with {{.{kind} key=...}}"
                raise self.error(pos, f"'{text}' names no {kind} in the registry; {hint}")
            if len(found) > 1:
                keys = ", ".join(sorted(e.key for e in found))
                raise self.error(pos, f"'{text}' could be any of {keys}; say which with key=")
            key = found[0].key
        number = self.mention_counts[f"{kind}:{key}"] = self.mention_counts.get(f"{kind}:{key}", 0) + 1
        anchor = f"{kind}-{key}-{number}"
        node = m.FilmMention if kind == "film" else m.PersonMention
        return node(key=key, anchor=anchor, children=content, pos=pos)


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


def _holds_front(div: dict) -> bool:
    """Whether a div holds one of the title divs the reader appends: then the div was never closed."""
    return any(
        block["t"] == "Div" and (block["c"][0][0] in _FRONT_IDS.values() or _holds_front(block))
        for block in div["c"][1]
    )


def _is_wrapper(attr: list) -> bool:
    return any(name == "wrapper" for name, _ in attr[2])


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

