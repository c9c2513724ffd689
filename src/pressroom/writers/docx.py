"""The DOCX edition: the model as a pandoc JSON AST, written by pandoc with styles/reference.docx.

Paragraph and character styles are named through pandoc's `custom-style` attribute and defined in
the reference document (see styles/make_reference_docx.py). Word fields pass through as raw
OpenXML: a TOC, an XE field after every film and person mention, and one INDEX field per index,
whose cached result already lists the entries so the file reads well before Word updates it.
Pandoc's zip is then rewritten with fixed dates, so the same model always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pypandoc

from .. import model as m
from ..errors import OutputError
from ..layout import Layout
from ..options import BuildOptions
from ..reprozip import normalize_zip

API_VERSION = [1, 23, 1]
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
SPACE = {"t": "Space"}
INDEX_TYPES = {m.MentionKind.FILM: "f", m.MentionKind.PERSON: "n"}  # XE/INDEX entry types: one Word index each
MENTION_STYLES = {m.MentionKind.FILM: "Film Title", m.MentionKind.PERSON: "Person"}  # character styles
INDEX_SWITCHES = '\\e "\t" \\h "A"'  # tab before the page numbers; a letter heading per group

XeTexts = dict[tuple[m.MentionKind, str], str]  # (kind, key) -> the entry's text in the XE field


def write(doc: m.Document, out: Path, options: BuildOptions, layout: Layout | None = None) -> None:
    """Render `doc` as a DOCX at `out`, byte-for-byte repeatably (Word paginates it: no print layout)."""
    reference = options.styles_dir / "reference.docx"
    if not reference.is_file():
        raise OutputError(f"{reference}: reference document not found (run styles/make_reference_docx.py)")
    xe = _xe_texts(doc)
    ast = {"pandoc-api-version": API_VERSION, "meta": _meta(doc, xe), "blocks": _body(doc, xe)}
    try:
        pypandoc.convert_text(
            json.dumps(ast),
            "docx",
            format="json",
            outputfile=str(out),
            sandbox=True,
            extra_args=["--reference-doc", str(reference)],
        )
    except RuntimeError as error:
        raise OutputError(f"{out}: pandoc could not write the DOCX: {error}") from error
    _fix_dates(out, options.timestamp)


# --- the document ------------------------------------------------------------


def _meta(doc: m.Document, xe: XeTexts) -> dict:
    """Pandoc metadata: the core properties, and the title block pandoc sets as the title page
    (display front matter: no XE fields or bookmarks there; the headline that opens the text has them)."""
    front = doc.front
    if front.authors:
        authors = [_inlines_meta(_text(name)) for name in front.authors]
    else:  # the raw prefix shows on the title page but stays out of the creator property
        prefix = _raw_inline(_run("An interview with "))
        authors = [_inlines_meta([prefix, *_text(name)]) for name in front.interviewee_names]
    meta = {
        "title": _inlines_meta(_inlines(front.title, None)),
        "subtitle": _inlines_meta(_inlines(front.subtitle, None)),
        "author": {"t": "MetaList", "c": authors},
        "subject": {"t": "MetaString", "c": m.plain_text(front.subtitle)},
        "lang": {"t": "MetaString", "c": front.lang},
        "keywords": {"t": "MetaList", "c": [_inlines_meta(_text(k)) for k in front.keywords]},
    }
    if front.date:
        meta["date"] = {"t": "MetaString", "c": front.date.isoformat()}
    return meta


def _body(doc: m.Document, xe: XeTexts) -> list[dict]:
    """Everything after the title page, in reading order."""
    interviewees = []
    if doc.front.authors:  # the title block names the authors; name the interviewees too
        names = " and ".join(doc.front.interviewee_names)
        interviewees = [_div("Author", [_para_node(_text(f"An interview with {names}"))])]
    return [
        *interviewees,
        _raw_block(PAGE_BREAK),
        _div("Imprint", _imprint(doc.front)),
        _raw_block(PAGE_BREAK),
        _raw_block(_toc(doc)),
        _raw_block(PAGE_BREAK),
        _node("Header", [1, _attr(ident="opening"), _headline(doc.front, xe)]),
        _div("Headnote", _blocks(doc.headnote, xe)),
        _div("Introduction", _blocks(doc.introduction, xe)),
        _node("Header", [1, _attr(ident="interview"), _text("The Interview")]),
        *_blocks(doc.interview, xe),
        _raw_block(PAGE_BREAK),
        *(block for kind in m.MentionKind for block in _index(kind, doc.index[kind])),
    ]


def _headline(front: m.FrontMatter, xe: XeTexts) -> list[dict]:
    """The magazine's headline, "Title: Subtitle", opening the text: its mentions carry the XE fields
    (the title page is display front matter, which is not indexed)."""
    headline = _inlines(front.title, xe)
    if front.subtitle:
        headline += [*_text(": "), *_inlines(front.subtitle, xe)]
    return headline


def _imprint(front: m.FrontMatter) -> list[dict]:
    lines = [front.publisher, *front.history, front.rights, front.identifier, front.date and front.date.isoformat()]
    return [_para_node(_text(line)) for line in [*lines, "Typeset with pressroom"] if line]


def _toc(doc: m.Document) -> str:
    """The contents: a TOC field whose cached result lists the headings, without page numbers."""
    parts = doc.headnote + doc.introduction + doc.interview
    headings = [(h.level + 1, m.plain_text(h.children)) for h in m.headings(parts)]
    headings += [(1, kind.index_title) for kind in m.MentionKind]
    result = [(f"TOC{level}", text) for level, text in headings if level <= 3]
    return _xml_para("TOCHeading", _run("Contents")) + _field_paras('TOC \\o "1-3" \\h', result)


def _index(kind: m.MentionKind, entries: tuple[m.IndexEntry, ...]) -> list[dict]:
    """A heading and an INDEX field of one entry type; its cached result groups the entries by letter."""
    result, letter = [], None
    for entry in entries:
        if entry.heading[:1].upper() != letter:
            letter = entry.heading[:1].upper()
            result.append(("IndexHeading", letter))
        result.append(("Index1", f"{entry.heading} ({entry.detail})" if entry.detail else entry.heading))
    title = kind.index_title
    heading = _node("Header", [1, _attr(ident=title.lower().replace(" ", "-")), _text(title)])
    field = f"INDEX \\f {_quoted(INDEX_TYPES[kind])} {INDEX_SWITCHES}"
    return [heading, _raw_block(_field_paras(field, result))]


# --- blocks ------------------------------------------------------------------


def _blocks(blocks: tuple[m.Block, ...], xe: XeTexts) -> list[dict]:
    return [_block(block, xe) for block in blocks]


def _block(block: m.Block, xe: XeTexts) -> dict:
    match block:
        case m.Para(children):
            return _para_node(_inlines(children, xe))
        case m.Heading(level, children):
            return _node("Header", [level + 1, _attr(), _inlines(children, xe)])
        case m.BlockQuote(blocks):
            return _node("BlockQuote", _blocks(blocks, xe))
        case m.ListBlock():
            return _list(block, xe)
        case m.CodeBlock(text):
            return _node("CodeBlock", [_attr(), text])
        case m.Rule():
            return _node("HorizontalRule")
        case m.Turn():
            return _turn(block, xe)
        case _:
            raise TypeError(f"docx: unknown block {type(block).__name__}")


def _turn(turn: m.Turn, xe: XeTexts) -> dict:
    """A Div in the Question or Answer style; the first paragraph opens with the speaker's label."""
    style = turn.speaker.role.turn_kind.capitalize()  # the Question and Answer paragraph styles
    label = _span("Speaker", _text(f"{turn.speaker.label}:"))
    blocks = _blocks(turn.blocks, xe)
    if blocks and blocks[0]["t"] == "Para":
        first = blocks[0]["c"]
        blocks[0] = _para_node([label, SPACE, *first] if first else [label])
    else:
        blocks.insert(0, _para_node([label]))
    return _div(style, blocks)


def _list(block: m.ListBlock, xe: XeTexts) -> dict:
    items = [_blocks(item, xe) for item in block.items]
    if block.ordered:
        return _node("OrderedList", [[block.start, _node("Decimal"), _node("Period")], items])
    return _node("BulletList", items)


# --- inlines -----------------------------------------------------------------


def _inlines(nodes: tuple[m.Inline, ...], xe: XeTexts) -> list[dict]:
    return [out for node in nodes for out in _inline(node, xe)]


def _inline(node: m.Inline, xe: XeTexts) -> list[dict]:
    match node:
        case m.Text(text):
            return _text(text)
        case m.Emph(children):
            return [_node("Emph", _inlines(children, xe))]
        case m.Strong(children):
            return [_node("Strong", _inlines(children, xe))]
        case m.SmallCaps(children):
            return [_node("SmallCaps", _inlines(children, xe))]
        case m.Code(text):
            return [_node("Code", [_attr(), text])]
        case m.LineBreak():
            return [_node("LineBreak")]
        case m.Link(url, children):
            return [_node("Link", [_attr(), _inlines(children, xe), [url, ""]])]
        case m.Mention():
            return _mention(node, xe)
        case m.NoteRef(_, blocks):
            return [_node("Note", _blocks(blocks, xe))]
        case _:
            raise TypeError(f"docx: unknown inline {type(node).__name__}")


def _mention(mention: m.Mention, xe: XeTexts | None) -> list[dict]:
    """The mention in its kind's character style, then the XE field that marks it for that kind's
    index (with no `xe`, a repeated title: neither field nor bookmark)."""
    style = MENTION_STYLES[mention.kind]
    if xe is None:
        return [_span(style, _inlines(mention.children, xe))]
    span = _span(style, _inlines(mention.children, xe), mention.anchor)
    entry_type = INDEX_TYPES[mention.kind]
    return [span, _raw_inline(_field(f"XE {_quoted(xe[mention.kind, mention.key])} \\f {_quoted(entry_type)}"))]


def _text(text: str) -> list[dict]:
    """Words as Str, runs of ordinary white space as Space (no-break spaces stay inside words)."""
    out: list[dict] = []
    for i, word in enumerate(re.split(r"[ \t\r\n]+", text)):
        if i:
            out.append(SPACE)
        if word:
            out.append(_node("Str", word))
    return out


# --- index entries and Word fields ---------------------------------------------


def _xe_texts(doc: m.Document) -> XeTexts:
    """Each indexed entry's text as its XE fields carry it: the heading, and a film's year."""
    texts: XeTexts = {}
    for kind, entries in doc.index.by_kind.items():
        for entry in entries:
            match doc.registry[kind][entry.key]:
                case m.Film(year=year) if year:
                    texts[kind, entry.key] = f"{entry.heading} ({year})"
                case _:
                    texts[kind, entry.key] = entry.heading
    return texts


def _quoted(text: str) -> str:
    """A field argument: quoted, with backslash, quote and colon (Word's subentry mark) escaped."""
    return '"' + re.sub(r'([\\":])', r"\\\1", text) + '"'


def _fld(kind: str, extra: str = "") -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"{extra}/></w:r>'


def _instr(instruction: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'


def _field(instruction: str) -> str:
    """A field with no result (XE)."""
    return _fld("begin") + _instr(instruction) + _fld("end")


def _field_paras(instruction: str, result: list[tuple[str, str]]) -> str:
    """A field whose cached result is paragraphs (style id, text): it begins in the first and ends
    in the last; marked dirty, so Word offers to update it when the file is opened."""
    begin = _fld("begin", ' w:dirty="true"') + _instr(instruction) + _fld("separate")
    result = result or [("Normal", "")]
    last = len(result) - 1
    paras = []
    for i, (style, text) in enumerate(result):
        paras.append(_xml_para(style, (begin if i == 0 else "") + _run(text) + (_fld("end") if i == last else "")))
    return "".join(paras)


def _xml_para(style_id: str, runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{runs}</w:p>'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""


# --- pandoc AST nodes --------------------------------------------------------


def _node(kind: str, content: object = None) -> dict:
    return {"t": kind} if content is None else {"t": kind, "c": content}


def _attr(style: str | None = None, ident: str = "") -> list:
    return [ident, [], [["custom-style", style]] if style else []]


def _div(style: str, blocks: list[dict]) -> dict:
    return _node("Div", [_attr(style), blocks])


def _span(style: str, inlines: list[dict], ident: str = "") -> dict:
    return _node("Span", [_attr(style, ident), inlines])


def _para_node(inlines: list[dict]) -> dict:
    return _node("Para", inlines)


def _inlines_meta(inlines: list[dict]) -> dict:
    return _node("MetaInlines", inlines)


def _raw_block(xml: str) -> dict:
    return _node("RawBlock", ["openxml", xml])


def _raw_inline(xml: str) -> dict:
    return _node("RawInline", ["openxml", xml])


# --- repeatable bytes --------------------------------------------------------


def _fix_dates(path: Path, timestamp: datetime) -> None:
    """Rewrite pandoc's zip in place: fixed entry dates, and core.xml dated `timestamp`."""
    stamp = timestamp.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def dated(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return re.sub(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*", lambda g: g[1] + stamp, data)

    normalize_zip(path, timestamp, stored=frozenset(), rewrite=dated)
