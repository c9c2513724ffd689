r"""The Markdown reader: a transcript in Markdown, as podcasts and archives keep them.

    ---
    title: Episode 12                     <- YAML front matter: title, subtitle, date, speakers (never text)
    speakers: [Jane Roe, John Doe]
    ---
    # A Headline                          <- else the first heading, a bold first line, the file's name
    **Jane Roe:** \[08:12\] Words ...     <- bold or plain labels open turns; a timecode is data
    ## A subhead                          <- headings are subheads
    [a link](https://...)                 <- links are their words (the address dropped, with a note)

pandoc reads the Markdown (CommonMark with pandoc's extensions, through the one gateway:
core/pandoc.py), so escapes are undone and emphasis is emphasis; the blocks are then read as an
editor's transcript is (docx_editor.py and the shared reading, transcript.py). Raw HTML, images
and link targets are dropped, each with a note: nothing is fetched.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core import model as m
from ..core.errors import SourceError
from ..core.pandoc import markdown_ast
from ..core.prose import CAPITAL
from ..reading.frontmatter import split_front_matter
from ..reading.registry import Registry
from .cast import Credits
from .docx_editor import EditorReader, turns_apart
from .headline import Headline, date_in, headline_colon
from .labels import INTERVIEWEE_LABELS, INTERVIEWER_LABELS
from .notes import Note

FORMAT = "commonmark_x+sourcepos"  # pandoc's CommonMark: YAML blocks, footnotes, attributes; positions kept
_POS = re.compile(r"(?:.*@)?(\d+):(\d+)-")
_BOLD_LABELS = re.compile(rf"^\*\*{CAPITAL}[^*\n]{{0,60}}:\*\*|^\*\*{CAPITAL}[^*\n]{{0,60}}\*\*:", re.MULTILINE)
_USED_KEYS = frozenset({"title", "subtitle", "date", "speakers", "lang", "language", "hosts", "host", "guests",
                        "guest", "interviewer", "interviewers", "interviewee", "interviewees"})


def sniff(text: str) -> bool:
    """Whether a text saved under another name is Markdown: YAML front matter, or bold labels."""
    return text.startswith("---\n") and "\n---" in text[:65536] or len(_BOLD_LABELS.findall(text[:65536])) >= 2


def read(path: Path, text: str, registry: Registry) -> tuple[m.Document, tuple[Note, ...]]:
    """The interview in the Markdown `text` (read from `path`), and the notes for review."""
    notes: list[Note] = []
    meta: dict[str, object] = {}
    body = text
    if text.startswith("---\n"):
        yaml_file, yaml_text, body = split_front_matter(path, text)
        meta = _metadata(yaml_file, yaml_text, notes)
    ast = markdown_ast(path, body, FORMAT)
    reader = _MarkdownReader(path, registry, notes, {})
    return reader.from_markdown(ast, meta), tuple(sorted(notes, key=lambda n: (n.line, n.column)))


def _metadata(yaml_file, yaml_text: str, notes: list[Note]) -> dict[str, object]:  # noqa: ANN001
    """The front matter's keys that say something of the interview, as strings or lists of them."""
    root = yaml_file.parse(yaml_text)
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        raise yaml_file.error(root, "the YAML front matter must be a mapping of keys to values")
    meta: dict[str, object] = {}
    for key_node, value in root.value:
        key = str(key_node.value).casefold()
        if key in _USED_KEYS:
            meta[key] = _value(value)
        else:
            mark = key_node.start_mark
            notes.append(Note(mark.line + 2, mark.column + 1, "dropped", f"front matter '{key_node.value}' not used"))
    return meta


def _value(node: Node) -> object:
    if isinstance(node, ScalarNode):
        return str(node.value).strip()
    if isinstance(node, SequenceNode):
        return [_value(item) for item in node.value]
    if isinstance(node, MappingNode):
        return {str(k.value): _value(v) for k, v in node.value}
    return ""


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [item for entry in value for item in _strings(entry)]
    return []


def _stated(meta: dict[str, object]) -> Credits:
    """The speakers the front matter names, by role where it says one."""
    asking = [*_strings(meta.get("host")), *_strings(meta.get("hosts")), *_strings(meta.get("interviewer")),
              *_strings(meta.get("interviewers"))]
    answering = [*_strings(meta.get("guest")), *_strings(meta.get("guests")), *_strings(meta.get("interviewee")),
                 *_strings(meta.get("interviewees"))]
    others: list[str] = []
    speakers = meta.get("speakers")
    if isinstance(speakers, dict):  # label: name, label: role, or label: {name: ..., role: ...}
        for label, value in speakers.items():
            fields = value if isinstance(value, dict) else {"name": value}
            name = str(fields.get("name") or "")
            role = str(fields.get("role") or "").casefold()
            if name.casefold() in INTERVIEWER_LABELS | INTERVIEWEE_LABELS:
                name, role = "", name.casefold()
            name = name or label
            target = asking if role in INTERVIEWER_LABELS else answering if role in INTERVIEWEE_LABELS else others
            target.append(name)
    else:
        others += _strings(speakers)
    return Credits(tuple(asking), tuple(answering), tuple(others))


def _date(value: object) -> date | None:
    text = value if isinstance(value, str) else ""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return date_in(text)


class _MarkdownReader(EditorReader):
    """pandoc's AST of Markdown read as an editor's transcript, its blocks located by sourcepos."""

    label_form = "'Label:' (plain or **bold**)"
    at = m.Pos(1, 1)  # the block being read

    def from_markdown(self, ast: dict, meta: dict[str, object]) -> m.Document:
        self.positions: dict[int, m.Pos] = {}
        pieces, payloads = [], []
        for block in self.flatten(ast["blocks"]):
            piece, payload = self.piece(block, len(pieces))
            if piece is not None:
                pieces.append(piece)
                payloads.append(payload)
        if not pieces:
            raise SourceError(self.path, 1, 1, "the file holds no text to import")
        title = " ".join(_strings(meta.get("title")))
        given = None
        if title:
            subtitle = " ".join(_strings(meta.get("subtitle")))
            colon = headline_colon(title) if not subtitle else None
            if colon is not None:
                title, subtitle = title[:colon].strip(), title[colon + 1 :].strip()
            given = Headline((title,), (subtitle,) if subtitle else ())
        lang = (_strings(meta.get("lang")) or _strings(meta.get("language")) or ["en"])[0]
        lang = lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang) else "en"
        return self.interpreted(pieces, payloads, given, lang, _stated(meta), _date(meta.get("date")))

    def flatten(self, blocks: list, at: m.Pos | None = None) -> list[dict]:
        """The blocks with sourcepos' wrapper divs opened, each block's position remembered."""
        out = []
        for block in blocks:
            attr = _attributes(block)
            pos = _position(attr) if attr else None
            if block["t"] == "Div" and any(name == "wrapper" for name, _ in attr[2]):
                out += self.flatten(block["c"][1], pos or at)
                continue
            parts = turns_apart(block, _first_pos)
            if len(parts) > 1:
                out += self.flatten(parts, pos or at)
                continue
            self.positions[id(block)] = pos or at or m.Pos(1, 1)
            out.append(block)
        return out

    def position(self, block: dict) -> m.Pos:
        self.at = self.positions.get(id(block), m.Pos(1, 1))  # where the notes on its inlines point
        return self.at

    def note(self, kind: str, message: str) -> None:
        self.notes.append(Note(self.at.line, self.at.column, kind, message))

    def block(self, item: dict) -> m.Block | list[m.Block] | None:
        if item["t"] == "RawBlock":
            words = " ".join(item["c"][1].split())[:60]
            self.note("dropped", f"dropped raw {item['c'][0]} '{words}': never read, run or fetched")
            return None
        return super().block(item)

    def inline(self, item: dict, at: None = None) -> list[m.Inline]:
        match item["t"]:
            case "Link":
                words = self.merged(item["c"][1])
                self.note("dropped", f"dropped the link to {item['c'][2][0]}; its words '{m.plain_text(words)}' kept")
                return list(words)
            case "RawInline":
                words = " ".join(item["c"][1].split())[:60]
                self.note("dropped", f"dropped raw {item['c'][0]} '{words}': never read, run or fetched")
                return []
        return super().inline(item, at)


def _first_pos(items: list[dict]) -> list[list[str]]:
    """The data-pos of a line's first inline, for the paragraph cut from it."""
    for item in items:
        if item["t"] == "Span":
            value = dict(item["c"][0][2]).get("data-pos")
            if value:
                return [["data-pos", value]]
    return []


def _attributes(block: dict) -> list | None:
    """A block's pandoc attributes, where its kind has them (sourcepos puts the position there)."""
    match block["t"]:
        case "Header":
            return block["c"][1]
        case "Div" | "CodeBlock":
            return block["c"][0]
    return None


def _position(attr: list) -> m.Pos | None:
    value = dict(attr[2]).get("data-pos", "")
    match = _POS.match(value)
    return m.Pos(int(match.group(1)), int(match.group(2))) if match else None
