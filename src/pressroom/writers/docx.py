"""The DOCX edition: the model as a pandoc JSON AST, written by pandoc with styles/reference.docx.

Paragraph and character styles are named through pandoc's `custom-style` attribute and defined in
the reference document (see styles/make_reference_docx.py). Word fields pass through as raw
OpenXML: a TOC, an XE field after every film and person mention, and one INDEX field per index
that has entries, whose cached results already hold what an update gives (the TOC lists the
document's headings; an index entry's text is its XE fields' text), so the file reads well before
Word or LibreOffice updates them. The page (trim, mirrored margins, running heads, folios) is set
in docx_page.py. Pandoc's zip is then rewritten with fixed dates and the header and footer parts
added, so the same model always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from datetime import timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pypandoc

from ..core import model as m
from ..core.errors import OutputError
from ..core.words import imprint_lines, long_date
from ..typeset.layout import Layout
from ..core.options import BuildOptions
from ..core.reprozip import normalize_zip
from ..reading.frontmatter import split_front_matter
from ..typeset.xhtml import chapter_id
from ..reading.images import data_url
from . import docx_page as page
from . import docx_source as kept_source

API_VERSION = [1, 23, 1]
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
SPACE = {"t": "Space"}
_FIGURE_WIDTH_IN, _FIGURE_HEIGHT_IN = 4.6, 4.4  # a picture at most the 6 × 9 in book's measure wide and 0.6 of its depth tall
INDEX_TYPES = {m.MentionKind.FILM: "f", m.MentionKind.PERSON: "n"}  # XE/INDEX entry types: one Word index each
MENTION_STYLES = {m.MentionKind.FILM: "Film Title", m.MentionKind.PERSON: "Person"}  # character styles
INDEX_SWITCHES = '\\e "\t" \\h "A"'  # tab before the page numbers; a letter heading per group

XeTexts = dict[tuple[m.MentionKind, str], str]  # (kind, key) -> the XE field instruction that marks a mention


def write(doc: m.Book, out: Path, options: BuildOptions, layout: Layout | None = None) -> None:
    """Render `doc` as a DOCX at `out`, byte-for-byte repeatably (Word paginates it: no print layout)."""
    reference = options.styles_dir / "reference.docx"
    if not reference.is_file():
        raise OutputError(f"{reference}: reference document not found (run styles/make_reference_docx.py)")
    xe = _xe_texts(doc)
    sections, blocks = _body(doc, xe, options.trim)
    ast = {"pandoc-api-version": API_VERSION, "meta": _meta(doc, xe), "blocks": blocks}
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
    verso = m.plain_text(doc.front.running_head or doc.front.title) if isinstance(doc, m.Collection) else _running_head(doc.front)
    _finish(out, options, sections, verso, dated=doc.front.date is not None, kept=_kept_front_matter(doc))


# --- the document ------------------------------------------------------------


def _meta(doc: m.Book, xe: XeTexts) -> dict:
    """Pandoc metadata: the core properties, and the title block pandoc sets as the title page
    (display front matter: no XE fields or bookmarks there; the headline that opens the text has them)."""
    front = doc.front
    if front.authors:
        authors = [_inlines_meta(_text(name)) for name in front.authors]
    else:  # the raw prefix shows on the title page but stays out of the creator property
        prefix = _raw_inline(_run("Edited by " if front.editors else "An interview with "))
        authors = [_inlines_meta([prefix, *_text(name)]) for name in front.editors or front.interviewee_names]
    meta = {
        "title": _inlines_meta(_inlines(front.title, None)),
        "subtitle": _inlines_meta(_inlines(front.subtitle, None)),
        "author": {"t": "MetaList", "c": authors},
        "subject": {"t": "MetaString", "c": m.plain_text(front.subtitle)},
        "lang": {"t": "MetaString", "c": front.lang},
        "keywords": {"t": "MetaList", "c": [_inlines_meta(_text(k)) for k in front.keywords]},
    }
    if front.date:
        meta["date"] = _inlines_meta(_text(long_date(front.date, front.lang)))
    return meta




def _body(doc: m.Book, xe: XeTexts, trim: str) -> tuple[list[page.Section], list[dict]]:
    """Everything after the title page, in reading order, cut into Word sections (see docx_page)."""
    interviewees = []
    if doc.front.authors:  # the title block names the authors; name the interviewees too
        names = " and ".join(doc.front.interviewee_names)
        interviewees = [_div("Author", [_para_node(_text(f"An interview with {names}"))])]
    if isinstance(doc, m.Collection):
        text_parts = [_collection_part(item, xe) for item in doc.contents]
    else:
        interview = [_node("Header", [1, _attr(ident="interview"), _text("The Interview")]), *_blocks(doc.interview, xe)]
        text_parts = [(page.Section("Introduction", odd_page=True), _opening(doc, xe, "opening")),
                      (page.Section("The Interview"), interview)]
    indexed = [kind for kind in m.MentionKind if doc.index[kind]]  # an index with no entries is left out
    text_parts += [(page.Section(kind.index_title), _index(kind, doc.index[kind], _entry_type(doc, kind))) for kind in indexed]
    text = [block for _, blocks in text_parts for block in blocks]
    front = [*interviewees, _raw_block(PAGE_BREAK), _div("Imprint", _imprint(doc.front)), _raw_block(PAGE_BREAK), _raw_block(_toc(text))]
    sections = [page.Section(""), *(section for section, _ in text_parts)]
    out = []
    for i, blocks in enumerate([front, *(blocks for _, blocks in text_parts)]):
        out += blocks
        if i < len(sections) - 1:  # the last section's properties close the body
            out.append(_raw_block(page.section_break(sections, i, trim)))
    return sections, out


def _opening(doc: m.Document, xe: XeTexts, ident: str) -> list[dict]:
    """An interview's headline, headnote and introduction."""
    return [
        *_headline(doc.front, xe, ident),
        _div("Headnote", _blocks(doc.headnote, xe)),
        _div("Introduction", _blocks(doc.introduction, xe)),
    ]


def _collection_part(item: m.Document | m.PartTitle, xe: XeTexts) -> tuple[page.Section, list[dict]]:
    """A collection's part title, or an interview as a chapter: a section opening on a recto, whose
    rectos carry the interviewee's name (its notes are numbered from 1, as every section's are)."""
    if isinstance(item, m.PartTitle):
        return page.Section(item.title, odd_page=True), [_node("Header", [1, _attr(ident=item.ident), _text(item.title)])]
    opening = _opening(item, xe, chapter_id(item.chapter))  # the id the EPUB and the print edition give it
    return page.Section(_running_head(item.front), odd_page=True), [*opening, *_blocks(item.interview, xe)]


def _headline(front: m.FrontMatter, xe: XeTexts, ident: str) -> list[dict]:
    """The headline opening the text: the title as the first heading, the subtitle a paragraph
    of its own below it (no colon between them). Its mentions carry the XE fields (the title
    page is display front matter, which is not indexed)."""
    headline = [_node("Header", [1, _attr(ident=ident), _inlines(front.title, xe)])]
    if front.subtitle:
        headline.append(_div("Headline Subtitle", [_para_node(_inlines(front.subtitle, xe))]))
    return headline


def _running_head(front: m.FrontMatter) -> str:
    """The print edition's verso head: the source's `running-head`, or the interviewees' names."""
    return m.plain_text(front.running_head) if front.running_head else " and ".join(front.interviewee_names)


def _imprint(front: m.FrontMatter) -> list[dict]:
    return [_para_node(_text(line)) for line in imprint_lines(front, printed=False)]




def _toc(text: list[dict]) -> str:
    """The contents: a TOC field whose cached result lists the headings of levels 1 to 3 that the
    text holds, as an update collects them (without page numbers)."""
    result = [(f"TOC{level}", text) for level, text in _headings(text) if level <= 3]
    return _xml_para("TOCHeading", _run("Contents")) + _field_paras('TOC \\o "1-3" \\h', result)


def _headings(blocks: list) -> list[tuple[int, str]]:
    """(level, text) of every Header in pandoc blocks, in reading order, inside Divs and quotations too."""
    found = []
    for block in blocks:
        match block:
            case {"t": "Header", "c": [level, _, inlines]}:
                found.append((level, ast_text(inlines)))
            case {"t": "Div", "c": [_, inner]} | {"t": "BlockQuote", "c": inner}:
                found += _headings(inner)
    return found


def ast_text(inlines: list[dict]) -> str:
    """The words of some pandoc AST inlines, markup dropped (notes and raw fields print none in a TOC);
    the DOCX importer reads its headings and labels with it too."""
    out = []
    for node in inlines:
        match node:
            case {"t": "Str", "c": text}:
                out.append(text)
            case {"t": "Space" | "SoftBreak" | "LineBreak"}:
                out.append(" ")
            case {"t": "Code", "c": [_, text]}:
                out.append(text)
            case {"t": "Emph" | "Strong" | "SmallCaps" | "Underline", "c": inner}:
                out.append(ast_text(inner))
            case {"t": "Span", "c": [_, inner]} | {"t": "Link", "c": [_, inner, _]} | {"t": "Quoted", "c": [_, inner]}:
                out.append(ast_text(inner))
    return "".join(out)


def _index(kind: m.MentionKind, entries: tuple[m.IndexEntry, ...], entry_type: str) -> list[dict]:
    """A heading and an INDEX field of one entry type (`_entry_type`); its cached result groups the entries by letter."""
    result, letter = [], None
    for entry in entries:
        if entry.heading[:1].upper() != letter:
            letter = entry.heading[:1].upper()
            result.append(("IndexHeading", letter))
        result.append(("Index1", entry_text(entry)))
    title = kind.index_title
    heading = _node("Header", [1, _attr(ident=kind.index_id), _text(title)])
    return [heading, _raw_block(_field_paras(f"INDEX{entry_type} {INDEX_SWITCHES}", result))]


def entry_text(entry: m.IndexEntry) -> str:
    """How an index prints an entry, and so what its XE fields say: "Florida Project, The (2017, Sean Baker)"."""
    return f"{entry.heading} ({entry.detail})" if entry.detail else entry.heading


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
        case m.Figure():
            return _figure(block, xe)
        case _:
            raise TypeError(f"docx: unknown block {type(block).__name__}")


def _figure(figure: m.Figure, xe: XeTexts) -> dict:
    """The picture inline in a paragraph of its own (embedded from memory: pandoc reads no file), then
    its caption in Word's Caption style with the credit run on. A figure that shows a film marks it for
    the index with an italic page number (XE's \\i: Chicago's mark of an illustration)."""
    image = figure.image
    width = min(_FIGURE_WIDTH_IN, _FIGURE_HEIGHT_IN * image.width / image.height)  # as print.css sets it
    attr = ["", [], [["width", f"{width:.2f}in"]]]
    picture: list[dict] = [_node("Image", [attr, _text(figure.alt), [data_url(image), ""]])]
    if figure.film is not None:
        marker = _raw_inline(_field(xe[figure.film.kind, figure.film.key] + " \\i"))
        picture = [_span("Figure", picture, figure.film.anchor), marker]
    credit = [SPACE, _span("Credit", _text(figure.credit))] if figure.credit else []
    caption = _div("Caption", [_para_node([*_inlines(figure.caption, xe), *credit])])
    return _div("Figure", [_para_node(picture), caption])


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
    return [span, _raw_inline(_field(xe[mention.kind, mention.key]))]


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


def _xe_texts(doc: m.Book) -> XeTexts:
    """Each indexed entry's text as its XE fields carry it: the entry as its index prints it (so an
    update of the index gives the entries it already shows), with Word's entry type when the book
    has more than one index."""
    texts: XeTexts = {}
    for kind, entries in doc.index.by_kind.items():
        for entry in entries:
            texts[kind, entry.key] = f"XE {_quoted(entry_text(entry))}{_entry_type(doc, kind)}"
    return texts


def _entry_type(doc: m.Book, kind: m.MentionKind) -> str:
    """The \\f switch that keeps an index's XE and INDEX fields apart from another index's: none for the
    book's first index (Word's default entry type, and the one LibreOffice 7.4 updates: it imports typed
    indexes but updates them empty), the kind's letter for a later one."""
    first = next((k for k in m.MentionKind if doc.index[k]), None)
    return "" if kind == first else f" \\f {_quoted(INDEX_TYPES[kind])}"


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


def _kept_front_matter(doc: m.Book) -> dict[str, bytes]:
    """The source's front matter as a data part (see docx_source), when the model was read from a source
    (a collection keeps none: it is imported interview by interview)."""
    if isinstance(doc, m.Collection) or not doc.source_text:
        return {}
    _, yaml_text, _ = split_front_matter(Path(f"{doc.source_name}.md"), doc.source_text)
    return kept_source.parts(yaml_text, doc.front.identifier or doc.source_name)


def _finish(path: Path, options: BuildOptions, sections: list[page.Section], running_head: str, dated: bool,
            kept: dict[str, bytes]) -> None:
    """Rewrite pandoc's zip in place: the page set up (docx_page), fixed entry dates, core.xml
    dated the build's timestamp (its created date only where the source gives one: no "created 1980"),
    and the `kept` front matter part."""
    stamp = options.timestamp.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    added = page.parts(sections, running_head)

    def rewrite(name: str, data: bytes) -> bytes:
        match name:
            case "docProps/core.xml":
                if not dated:
                    data = re.sub(rb"<dcterms:created\b[^>]*>[^<]*</dcterms:created>", b"", data)
                return re.sub(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*", lambda g: g[1] + stamp, data)
            case "word/document.xml":
                last = page.section_properties(sections, len(sections) - 1, options.trim)
                return page.body(data.decode("utf-8"), last).encode("utf-8")
            case "word/settings.xml":
                return page.settings(data.decode("utf-8")).encode("utf-8")
            case "word/_rels/document.xml.rels":
                xml = page.relationships(data.decode("utf-8"), added)
                return (xml.replace("</Relationships>", kept_source.relationship() + "</Relationships>") if kept else xml).encode("utf-8")
            case "[Content_Types].xml":
                xml = page.content_types(data.decode("utf-8"), added)
                return (xml.replace("</Types>", kept_source.content_type() + "</Types>") if kept else xml).encode("utf-8")
        return data

    parts = {n: x for n, (_, _, x) in added.items()} | kept
    normalize_zip(path, options.timestamp, stored=frozenset(), rewrite=rewrite, added=parts)
