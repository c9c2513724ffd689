"""The reader: a source file in, a `model.Document` out, or a SourceError at the place.

pandoc (through the gateway, core/pandoc.py: `commonmark_x+sourcepos`) parses the body into its
JSON AST, which ast_to_model.py turns into model nodes, each located in the source. The front
matter is read by `frontmatter.py`; its title and subtitle are Markdown, read by a second pandoc
process beside the first. What would make pandoc slow or deep (a paragraph of megabytes, quotes
nested hundreds deep) is refused on the raw text first, with its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from types import MappingProxyType

from ..core import model as m
from ..core.errors import SourceError
from ..core.pandoc import MAX_DEPTH, MAX_PARAGRAPH_CHARS, markdown_ast
from ..core.words import warn_uncatalogued, words_for
from .ast_to_model import SECTIONS, Converter, FixedPosition, Numbering, Positions, TimeMark
from .frontmatter import FrontFields, read_front_matter, split_front_matter
from .index import build_index
from .registry import Registry, load_registry, read_utf8

# commonmark_x, less what an interview never needs and an untrusted source should not get
# (fancy_lists also reads "* * *" as nested empty lists rather than a rule).
PANDOC_FORMAT = (
    "commonmark_x"
    "-yaml_metadata_block-tex_math_dollars-emoji-raw_attribute-alerts-task_lists"
    "-implicit_header_references-definition_lists-fancy_lists+sourcepos"
)
_FRONT_LINES = MappingProxyType({"title": 1, "subtitle": 3, "running_head": 5})  # where `_front_markdown` puts them
MAX_SOURCE_BYTES = 2 * 1024 * 1024  # five times a book-length interview; pandoc's sourcepos is slow beyond


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
    warn_uncatalogued(path, fields.lang)
    with ThreadPoolExecutor(max_workers=1) as beside:  # two pandoc processes at once
        front = beside.submit(markdown_ast, path, _front_markdown(fields), PANDOC_FORMAT)
        body_ast = markdown_ast(path, body, PANDOC_FORMAT)
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
        if markers and markers.group(1).count(">") > MAX_DEPTH:
            column = [i for i, char in enumerate(line) if char == ">"][MAX_DEPTH] + 1  # the quote one too deep
            raise SourceError(path, number, column, f"quotes, lists or notes nested more than {MAX_DEPTH} deep", line)


def _refuse_huge_paragraphs(path: Path, text: str) -> None:
    """Checked on the raw text, before pandoc, which would take minutes over such a paragraph."""
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", text):
        if len(block) > MAX_PARAGRAPH_CHARS and block.strip():
            message = f"a paragraph of more than {MAX_PARAGRAPH_CHARS:,} characters; split it"
            raise SourceError(path, line, 1, message, block.partition("\n")[0])
        line += block.count("\n")


def _front_markdown(fields: FrontFields) -> str:
    """The title, subtitle and running head on lines 1, 3 and 5, each on one line, for pandoc to read
    apart from the body."""
    lines = [" ".join(text.split()) for text in (fields.title, fields.subtitle or "", fields.running_head or "")]
    return "\n\n".join(lines) + "\n"




# --- the document ------------------------------------------------------------


def _document(
    path: Path, lines: list[str], registry: Registry, fields: FrontFields, body: dict, front: dict, chapter: int = 0
) -> m.Document:
    where = Positions(path, lines)
    converter = Converter(where, registry, Numbering(prefix=m.id_prefix(chapter)), words=words_for(fields.lang))
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
                unspoken = partial(where.error, message=message)
                labelled = _labelled(where, blocks, fields.speakers)
                placed = {id(mark) for *_, mark in labelled if mark is not None}
                stray = next((mark for mark in converter.numbering.timecodes if id(mark) not in placed), None)
                if stray is not None:
                    raise where.error(stray.pos, "a timecode ([hh:mm:ss]{.time}) belongs right after a turn's label")
                parts[name] = group_turns(labelled, unspoken)
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


def _sections(converter: Converter, body: dict) -> dict[str, tuple[dict, m.Pos]]:
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


def _front_line(body: Converter, front: dict, fields: FrontFields, name: str) -> tuple[m.Inline, ...]:
    """The title or subtitle: the one paragraph pandoc read on its line of the front-matter Markdown,
    converted like the body (counting on its notes and mentions) but located in the YAML."""
    mark = getattr(fields, f"{name}_node").start_mark
    pos = m.Pos(mark.line + 2, mark.column + 1)  # the YAML text starts on line 2 of the file
    converter = replace(body, where=FixedPosition(body.where.path, body.where.lines, pos), notes_allowed=False)
    locate = replace(body, where=Positions(body.where.path, []))  # positions in the front-matter Markdown
    unwrapped = locate.unwrapped_blocks(front["blocks"], m.Pos(0, 0))
    blocks = [item for item, at in unwrapped if locate.first_pos(item, at).line == _FRONT_LINES[name]]
    if len(blocks) != 1 or blocks[0]["t"] not in ("Para", "Plain"):
        raise converter.where.error(pos, f"the {name.replace('_', ' ')} must be one line of text")
    return converter.merged(blocks[0]["c"], (pos, 0))


_Labelled = tuple[m.Block, m.Speaker | None, m.Pos, TimeMark | None]  # a block, who opens a turn with it, where


def _labelled(
    where: Positions, blocks: list[tuple[m.Block, m.Pos]], speakers: tuple[m.Speaker, ...]
) -> list[_Labelled]:
    """Each block of the interview with the speaker whose label opens it (the label and the timecode
    after it taken off)."""
    by_label = {s.label: s for s in speakers}
    result = []
    for block, pos in blocks:
        split = split_label(block) if isinstance(block, m.Para) else None
        if split is None:
            result.append((block, None, pos, None))
            continue
        label, body = split
        if label in by_label:
            mark = body.children[0] if body.children and isinstance(body.children[0], TimeMark) else None
            if mark is not None:
                rest = body.children[1:]
                if rest and isinstance(rest[0], m.Text):
                    rest = (m.Text(rest[0].text.lstrip()), *rest[1:]) if rest[0].text.strip() else rest[1:]
                body = m.Para(rest)
            result.append((body, by_label[label], pos, mark))
        elif _looks_like_a_name(label):
            declared = ", ".join(by_label)
            raise where.error(pos, f"'{label}' is not a speaker declared under speakers: (declared: {declared})")
        else:
            result.append((block, None, pos, None))
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


def group_turns(blocks: list[_Labelled], unspoken: Callable[[m.Pos], Exception]) -> tuple[m.Block, ...]:
    """Paragraphs grouped into turns: a labelled one opens a turn, unlabelled ones (and figures) continue
    it; headings and rules stand between turns."""
    result: list[m.Block] = []
    turn: m.Turn | None = None
    for block, speaker, pos, mark in blocks:
        if speaker is not None:
            turn = m.Turn(speaker, (block,), mark.timecode if mark else None)
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
