"""An editor's DOCX, read by what the paragraphs look like (pressroom's own is read in docx_own.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from ..core import model as m
from ..core.pandoc_ast import ast_text, style_of
from . import proposals
from .cast import Credits, person_names
from .docx_own import OwnReader, _merge, xml_text
from .headline import Headline, Part
from .labels import opening
from .people import People, mark_document, speaker_words
from .transcript import Piece, assembled, headline_inlines, interpret, sliced, unbold


class EditorReader(OwnReader):
    """A transcript as an editor writes it in Word: Title and Subtitle paragraphs (else a headline found as
    in any transcript: transcript.py), an italic standfirst (the headnote), introduction paragraphs, then
    turns opened by labels in bold or plain (`Q:`, `**Baker:**`); film titles in italics, matched against
    the registry; Quote paragraphs are quotations. The Markdown reader reads pandoc's AST of Markdown so too."""

    def document(self, ast: dict) -> m.Document:
        title, subtitle = (self.meta_inlines(ast["meta"], name) for name in ("title", "subtitle"))
        given = None
        pieces: list[Piece] = []
        payloads: list[tuple[m.Inline, ...] | list[m.Block]] = []
        if title:  # the Title and Subtitle paragraphs, as pandoc reads them into the metadata
            for inlines in (title, subtitle) if subtitle else (title,):
                pieces.append(Piece(m.plain_text(inlines), m.Pos(1, 1), "heading"))
                payloads.append(inlines)
            given = Headline(((0, 0, len(pieces[0].text)),), ((1, 0, len(pieces[1].text)),) if subtitle else ())
        for block in self.flatten(ast["blocks"]):
            piece, payload = self.piece(block, len(pieces))
            if piece is not None:
                pieces.append(piece)
                payloads.append(payload)
        return self.interpreted(pieces, payloads, given, self.language())

    def interpreted(self, pieces: list[Piece], payloads: list, given: Headline | None, lang: str,
                    stated: Credits | None = None, date: dt.date | None = None) -> m.Document:
        """The document the shared reading of `pieces` makes, each rendered from its `payloads` (a paragraph's
        or heading's inlines, or the blocks of a quotation or list)."""
        reading = interpret(str(self.path), pieces, given, known_names=person_names(self.registry),
                            label_form=self.label_form, stated=stated)
        self.notes += reading.notes

        def part(item: Part) -> tuple[m.Inline, ...]:  # a headline's bold is the headline's setting: dropped
            return (m.Text(item),) if isinstance(item, str) else unbold(sliced(payloads[item[0]], item[1], item[2]))

        def block(index: int, start: int = 0) -> list[m.Block]:
            payload = payloads[index]
            if not isinstance(payload, tuple):
                return payload
            inlines = sliced(payload, start)
            if pieces[index].kind == "heading":
                return [m.Heading(2, inlines)]
            return [m.Para(inlines)]

        headnote = []
        for index in reading.headnote:
            payload = payloads[index]
            if isinstance(payload, tuple) and len(payload) == 1 and isinstance(payload[0], m.Emph):
                headnote.append(m.Para(payload[0].children))  # the italic standfirst, its italics dropped
            else:
                headnote += block(index)
        introduction = [one for index in reading.introduction for one in block(index)]
        if self.images:
            self.note("dropped", f"{self.images} image(s) dropped: a source holds no images")
        people = People(self.registry, self.notes, Counter(), speaker_words(reading.speakers))
        head = reading.headline
        title, subtitle = (headline_inlines(parts, part, separator, _merge)
                           for parts, separator in ((head.title, " "), (head.subtitle, ", ")))
        front = m.FrontMatter(title=title, subtitle=subtitle, lang=lang, speakers=reading.speakers,
                              date=date or head.date)
        return mark_document(m.Document(
            source_name=self.path.stem, front=front, headnote=tuple(headnote), introduction=tuple(introduction),
            interview=assembled(reading, lambda item: block(item.piece, item.start), _merge),
            registry=self.registry.entries,
        ), people)

    label_form = "'Label:' (bold or plain)"

    def language(self) -> str:
        return xml_text(self.parts.get("docProps/core.xml"), "dc:language") or "en"

    def piece(self, block: dict, index: int) -> tuple[Piece | None, tuple[m.Inline, ...] | list[m.Block]]:
        """The piece the shared reading sees of a block, and what renders it."""
        where = self.position(block)  # first: the notes on its inlines point there
        if block["t"] in ("Para", "Plain", "Header"):
            inlines = self.merged(block["c"][2] if block["t"] == "Header" else block["c"])
            words = m.plain_text(inlines)
            if not words.strip():
                return None, ()
            bold_end = len(m.plain_text((inlines[0],))) if isinstance(inlines[0], m.Strong) else 0
            standfirst = len(inlines) == 1 and isinstance(inlines[0], m.Emph)
            kind = "heading" if block["t"] == "Header" else "para"
            return Piece(words, where, kind, bold_end, _lines(inlines), headnote=standfirst), inlines
        blocks = self.blocks([block])
        if not blocks:
            return None, []
        return Piece("\n".join(_plain_blocks(b) for b in blocks), where, "block"), blocks  # a line each: credits

    def position(self, block: dict) -> m.Pos:
        """Where a block is in the input: a DOCX's paragraphs carry none."""
        return m.Pos(1, 1)

    def meta_inlines(self, meta: dict, name: str) -> tuple[m.Inline, ...]:
        """The title or subtitle: pandoc reads the paragraph in Word's style of that name into the metadata."""
        value = meta.get(name, {})
        return self.merged(value.get("c", [])) if value.get("t") == "MetaInlines" else ()

    def flatten(self, blocks: list) -> list[dict]:
        """Top-level blocks with the style Divs opened, but for quotations (kept whole)."""
        out = []
        for block in blocks:
            style = style_of(block)
            if block["t"] == "Div" and style not in ("Quote", "Intense Quote", "Block Text"):
                out += self.flatten(block["c"][1])
            elif len(parts := turns_apart(block)) > 1:
                out += self.flatten(parts)
            else:
                out.append(block)
        return out

    def inline(self, item: dict, at: None = None) -> list[m.Inline]:
        if item["t"] == "Emph":
            content = self.merged(item["c"])
            text = m.plain_text(content).strip()
            films = self.registry.find(m.MentionKind.FILM, text) if text else []
            if not films and proposals.proposable(text, self.registry):
                films = [proposals.proposed_film(text, self.registry)]
                self.note("proposed-film", proposals.message(text, films[0].key))
            if len(films) == 1:
                return [self.marked(m.MentionKind.FILM, films[0].key, content)]
            if text and len(text.split()) <= 8:
                why = "names more than one film" if films else "matches no film"
                self.note("doubtful-film", f"italic '{text}' {why} in {m.MentionKind.FILM.registry_file}: "
                                           "left in italics, unmarked")
            return [m.Emph(content)]
        return super().inline(item, at)


def _plain_blocks(block: m.Block) -> str:
    match block:
        case m.Para(children) | m.Heading(_, children):
            return m.plain_text(children)
        case m.BlockQuote(blocks) | m.Turn(_, blocks):
            return " ".join(_plain_blocks(b) for b in blocks)
    return ""


def _lines(inlines: tuple[m.Inline, ...]) -> tuple[tuple[int, int], ...]:
    """(start, end) of each line of a paragraph broken by hand (a headline block), when it has breaks."""
    offsets, offset = [0], 0
    for node in inlines:
        if isinstance(node, m.LineBreak):
            offsets.append(offset + 1)
        offset += len(m.plain_text((node,)))
    if len(offsets) < 2:
        return ()
    return tuple(zip(offsets, [o - 1 for o in offsets[1:]] + [offset], strict=True))


def turns_apart(block: dict, position: Callable[[list[dict]], list[list[str]]] = lambda _: []) -> list[dict]:
    """A paragraph whose lines open turns (`Ana: ...` under `Ben: ...` with no blank line between, which
    Markdown joins into one paragraph; Word's line breaks) cut into a paragraph for each, each in a wrapper Div
    that `position(its inlines)` gives its sourcepos attributes."""
    if block["t"] != "Para":
        return [block]
    lines: list[list[dict]] = [[]]
    for item in block["c"]:
        if bare(item)["t"] in ("SoftBreak", "LineBreak"):
            lines.append([])
        else:
            lines[-1].append(item)
    out = [lines[0]]
    for line in lines[1:]:
        bold = bool(line) and bare(line[0])["t"] == "Strong"
        if opening(ast_text([bare(item) for item in line]), bold_end=int(bold)).label:
            out.append(line)
        else:
            out[-1] += [{"t": "SoftBreak"}, *line]
    if len(out) == 1:
        return [block]
    return [{"t": "Div", "c": [["", [], [["wrapper", "1"], *position(items)]], [{"t": "Para", "c": items}]]}
            for items in out]


def bare(item: dict) -> dict:
    """An inline without sourcepos' wrapper spans around it."""
    while item["t"] == "Span" and any(k == "wrapper" for k, _ in item["c"][0][2]) and len(item["c"][1]) == 1:
        item = item["c"][1][0]
    return item
