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

import re
from pathlib import Path
from types import MappingProxyType
from xml.sax.saxutils import escape

from ..core import model as m
from ..core.errors import OutputError
from ..core.options import BuildOptions
from ..core.pandoc import write_docx
from ..core.pandoc_ast import (
    ast_text,
    attr,
    div,
    document,
    inlines_of,
    meta_inlines,
    node,
    para,
    raw_block,
    raw_inline,
    space,
    span,
)
from ..core.reprozip import normalize_zip
from ..core.stamp import stamp
from ..core.words import EDITED_BY, INTERVIEW_WITH, Words, imprint_lines, words_for
from ..reading.collation import same_letter
from ..reading.frontmatter import split_front_matter
from ..reading.images import data_url
from ..typeset.xhtml import chapter_id
from . import docx_page as page
from . import docx_source as kept_source

PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
# a picture at most the 6 × 9 in book's measure wide and 0.6 of its depth tall
_FIGURE_WIDTH_IN, _FIGURE_HEIGHT_IN = 4.6, 4.4
# XE/INDEX entry types: one Word index each
INDEX_TYPES = MappingProxyType({m.MentionKind.FILM: "f", m.MentionKind.PERSON: "n"})
# the character styles of mentions
MENTION_STYLES = MappingProxyType({m.MentionKind.FILM: "Film Title", m.MentionKind.PERSON: "Person"})
INDEX_SWITCHES = '\\e "\t" \\h "A"'  # tab before the page numbers; a letter heading per group

XeTexts = dict[tuple[m.MentionKind, str], str]  # (kind, key) -> the XE field instruction that marks a mention


def write(doc: m.Book, out: Path, options: BuildOptions, layout: object = None) -> None:
    """Render `doc` as a DOCX at `out`, byte-for-byte repeatably. Word paginates it: the print `layout`
    every writer is handed is not read."""
    reference = options.styles_dir / "reference.docx"
    if not reference.is_file():
        raise OutputError(f"{reference}: reference document not found (run styles/make_reference_docx.py)")
    xe = _xe_texts(doc)
    sections, blocks = _body(doc, xe, options.trim)
    write_docx(document(_meta(doc, xe), blocks), out, reference)
    if isinstance(doc, m.Collection):
        verso = m.plain_text(doc.front.running_head or doc.front.title)
    else:
        verso = _running_head(doc.front)
    _finish(out, options, sections, verso, dated=doc.front.date is not None, kept=_kept_front_matter(doc))


# --- the document ------------------------------------------------------------


def _meta(doc: m.Book, xe: XeTexts) -> dict:
    """Pandoc metadata: the core properties, and the title block pandoc sets as the title page
    (display front matter: no XE fields or bookmarks there; the headline that opens the text has them)."""
    front = doc.front
    words = words_for(front.lang)
    if front.authors:
        authors = [meta_inlines(inlines_of(name)) for name in front.authors]
    else:  # the raw words around the name show on the title page but stay out of the creator property
        before, _, after = words.say(EDITED_BY if front.editors else INTERVIEW_WITH, names="\0").partition("\0")
        around = [[raw_inline("openxml", _run(said))] if said else [] for said in (before, after)]
        authors = [meta_inlines([*around[0], *inlines_of(name), *around[1]])
                   for name in front.editors or front.interviewee_names]
    meta = {
        "title": meta_inlines(_inlines(front.title, None)),
        "subtitle": meta_inlines(_inlines(front.subtitle, None)),
        "author": {"t": "MetaList", "c": authors},
        "subject": {"t": "MetaString", "c": m.plain_text(front.subtitle)},
        "lang": {"t": "MetaString", "c": front.lang},
        "keywords": {"t": "MetaList", "c": [meta_inlines(inlines_of(k)) for k in front.keywords]},
    }
    if front.date:
        meta["date"] = meta_inlines(inlines_of(words.long_date(front.date)))
    return meta


def _body(doc: m.Book, xe: XeTexts, trim: str) -> tuple[list[page.Section], list[dict]]:
    """Everything after the title page, in reading order, cut into Word sections (see docx_page)."""
    words = words_for(doc.front.lang)
    interviewees = []
    if doc.front.authors:  # the title block names the authors; name the interviewees too
        names = words.and_list(doc.front.interviewee_names)
        interviewees = [div("Author", [para(inlines_of(words.say(INTERVIEW_WITH, names=names)))])]
    if isinstance(doc, m.Collection):
        text_parts = [_collection_part(item, xe, doc.front.lang) for item in doc.contents]
    else:
        interview = [_heading("interview", words.part("interview")), *_interview(doc.interview, xe, words)]
        head = words.part("opening" if doc.introduction else "interview")  # no Introduction where there is none
        text_parts = [(page.Section(head, odd_page=True), _opening(doc, xe, "opening")),
                      (page.Section(words.part("interview")), interview)]
    indexed = [kind for kind in m.MentionKind if doc.index[kind]]  # an index with no entries is left out
    text_parts += [
        (page.Section(words.part(kind.index_id)), _index(kind, doc.index[kind], _entry_type(doc, kind), doc.front.lang))
        for kind in indexed]
    text = [block for _, blocks in text_parts for block in blocks]
    page_break = raw_block("openxml", PAGE_BREAK)
    front = [*interviewees, page_break, div("Imprint", _imprint(doc)), page_break,
             raw_block("openxml", _toc(text, words.part("contents")))]
    sections = [page.Section(""), *(section for section, _ in text_parts)]
    out = []
    for i, blocks in enumerate([front, *(blocks for _, blocks in text_parts)]):
        out += blocks
        if i < len(sections) - 1:  # the last section's properties close the body
            out.append(raw_block("openxml", page.section_break(sections, i, trim)))
    return sections, out


def _opening(doc: m.Document, xe: XeTexts, ident: str) -> list[dict]:
    """An interview's headline, headnote and introduction (those it has)."""
    parts = (("Headnote", doc.headnote), ("Introduction", doc.introduction))
    return [*_headline(doc.front, xe, ident), *(div(style, _blocks(blocks, xe)) for style, blocks in parts if blocks)]


def _collection_part(item: m.Document | m.PartTitle, xe: XeTexts, lang: str) -> tuple[page.Section, list[dict]]:
    """A collection's part title, or an interview as a chapter: a section opening on a recto, whose
    rectos carry the interviewee's name (its notes are numbered from 1, as every section's are). A
    chapter in another language than the book's (`lang`) is marked so (Word's w:lang on its runs)."""
    if isinstance(item, m.PartTitle):
        return page.Section(item.title, odd_page=True), [_heading(item.ident, item.title)]
    opening = _opening(item, xe, chapter_id(item.chapter))  # the id the EPUB and the print edition give it
    blocks = [*opening, *_interview(item.interview, xe, words_for(item.front.lang))]
    if item.front.lang != lang:
        blocks = [node("Div", [["", [], [["lang", item.front.lang]]], blocks])]
    return page.Section(_running_head(item.front), odd_page=True), blocks


def _headline(front: m.FrontMatter, xe: XeTexts, ident: str) -> list[dict]:
    """The headline opening the text: the title as the first heading, the subtitle a paragraph
    of its own below it (no colon between them). Its mentions carry the XE fields (the title
    page is display front matter, which is not indexed)."""
    headline = [node("Header", [1, attr(ident=ident), _inlines(front.title, xe)])]
    if front.subtitle:
        headline.append(div("Headline Subtitle", [para(_inlines(front.subtitle, xe))]))
    return headline


def _heading(ident: str, title: str) -> dict:
    """A heading of the text's first level (an interview's, a part's, an index's), with its bookmark."""
    return node("Header", [1, attr(ident=ident), inlines_of(title)])


def _running_head(front: m.FrontMatter) -> str:
    """The print edition's verso head: the source's `running-head`, or the interviewees' names."""
    return m.plain_text(front.running_head) if front.running_head else words_for(front.lang).and_list(
        front.interviewee_names)


def _imprint(doc: m.Book) -> list[dict]:
    lines = imprint_lines(doc.front, printed=False, collection=isinstance(doc, m.Collection))
    return [para(inlines_of(line)) for line in lines]


def _toc(text: list[dict], heading: str) -> str:
    """The contents: a TOC field whose cached result lists the headings of levels 1 to 3 that the
    text holds, as an update collects them (without page numbers)."""
    result = [(f"TOC{level}", text) for level, text in _headings(text) if level <= 3]
    return _xml_para("TOCHeading", _run(heading)) + _field_paras('TOC \\o "1-3" \\h', result)


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


def _index(kind: m.MentionKind, entries: tuple[m.IndexEntry, ...], entry_type: str, lang: str) -> list[dict]:
    """A heading and an INDEX field of one entry type (`_entry_type`); its cached result groups the
    entries by letter, as the book's language counts letters (German Ä under A, Swedish Å a letter)."""
    result, letter = [], None
    same = same_letter(lang)
    for entry in entries:
        first = entry.heading[:1].upper()
        if letter is None or not same(first, letter):
            letter = first
            result.append(("IndexHeading", letter))
        result.append(("Index1", entry_text(entry)))
    index = _field_paras(f"INDEX{entry_type} {INDEX_SWITCHES}", result)
    return [_heading(kind.index_id, words_for(lang).part(kind.index_id)), raw_block("openxml", index)]


def entry_text(entry: m.IndexEntry) -> str:
    """How an index prints an entry, and so what its XE fields say: "Florida Project, The (2017, Sean Baker)"."""
    return f"{entry.heading} ({entry.detail})" if entry.detail else entry.heading


# --- blocks ------------------------------------------------------------------


def _blocks(blocks: tuple[m.Block, ...], xe: XeTexts) -> list[dict]:
    return [_block(block, xe) for block in blocks]


def _block(block: m.Block, xe: XeTexts) -> dict:
    match block:
        case m.Para(children):
            return para(_inlines(children, xe))
        case m.Heading(level, children):
            return node("Header", [level + 1, attr(), _inlines(children, xe)])
        case m.BlockQuote(blocks):
            return node("BlockQuote", _blocks(blocks, xe))
        case m.ListBlock():
            return _list(block, xe)
        case m.CodeBlock(text):
            return node("CodeBlock", [attr(), text])
        case m.Rule():
            return node("HorizontalRule")
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
    sized = ["", [], [["width", f"{width:.2f}in"]]]
    picture: list[dict] = [node("Image", [sized, inlines_of(figure.alt), [data_url(image), ""]])]
    if figure.film is not None:
        marker = raw_inline("openxml", _field(xe[figure.film.kind, figure.film.key] + " \\i"))
        picture = [span("Figure", picture, figure.film.anchor), marker]
    credit = [space(), span("Credit", inlines_of(figure.credit))] if figure.credit else []
    caption = div("Caption", [para([*_inlines(figure.caption, xe), *credit])])
    return div("Figure", [para(picture), caption])


def _interview(blocks: tuple[m.Block, ...], xe: XeTexts, words: Words) -> list[dict]:
    """An interview's blocks: its turns (the reader keeps them at its top level), the breaks and
    subheads between them."""
    return [_turn(block, xe, words) if isinstance(block, m.Turn) else _block(block, xe) for block in blocks]


def _turn(turn: m.Turn, xe: XeTexts, words: Words) -> dict:
    """A Div in the Question or Answer style; the first paragraph opens with the speaker's label, as
    the interview's language sets it (French: "Q\u202f:")."""
    style = turn.speaker.role.turn_kind.capitalize()  # the Question and Answer paragraph styles
    label = span("Speaker", inlines_of(words.labelled(turn.speaker.label)))
    if turn.timecode is not None:  # a hidden bookmark around the label: Word and LibreOffice keep it, print nothing
        label = node("Span", [[kept_source.timecode_bookmark(turn.timecode), [], []], [label]])
    blocks = _blocks(turn.blocks, xe)
    if blocks and blocks[0]["t"] == "Para":
        first = blocks[0]["c"]
        blocks[0] = para([label, space(), *first] if first else [label])
    else:
        blocks.insert(0, para([label]))
    return div(style, blocks)


def _list(block: m.ListBlock, xe: XeTexts) -> dict:
    items = [_blocks(item, xe) for item in block.items]
    if block.ordered:
        return node("OrderedList", [[block.start, node("Decimal"), node("Period")], items])
    return node("BulletList", items)


# --- inlines -----------------------------------------------------------------


def _inlines(nodes: tuple[m.Inline, ...], xe: XeTexts) -> list[dict]:
    return [out for inline in nodes for out in _inline(inline, xe)]


def _inline(inline: m.Inline, xe: XeTexts) -> list[dict]:
    match inline:
        case m.Text(text):
            return inlines_of(text)
        case m.Emph(children):
            return [node("Emph", _inlines(children, xe))]
        case m.Strong(children):
            return [node("Strong", _inlines(children, xe))]
        case m.SmallCaps(children):
            return [node("SmallCaps", _inlines(children, xe))]
        case m.Code(text):
            return [node("Code", [attr(), text])]
        case m.LineBreak():
            return [node("LineBreak")]
        case m.Link(url, children):
            return [node("Link", [attr(), _inlines(children, xe), [url, ""]])]
        case m.Mention():
            return _mention(inline, xe)
        case m.NoteRef(_, blocks):
            return [node("Note", _blocks(blocks, xe))]
        case _:
            raise TypeError(f"docx: unknown inline {type(inline).__name__}")


def _mention(mention: m.Mention, xe: XeTexts | None) -> list[dict]:
    """The mention in its kind's character style, then the XE field that marks it for that kind's
    index (with no `xe`, a repeated title: neither field nor bookmark)."""
    style = MENTION_STYLES[mention.kind]
    if xe is None:
        return [span(style, _inlines(mention.children, xe))]
    marked = span(style, _inlines(mention.children, xe), mention.anchor)
    return [marked, raw_inline("openxml", _field(xe[mention.kind, mention.key]))]


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
    written = stamp(options.timestamp).encode()
    added = page.parts(sections, running_head)

    def rewrite(name: str, data: bytes) -> bytes:
        match name:
            case "docProps/core.xml":
                if not dated:
                    data = re.sub(rb"<dcterms:created\b[^>]*>[^<]*</dcterms:created>", b"", data)
                return re.sub(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*", lambda g: g[1] + written, data)
            case "word/document.xml":
                last = page.section_properties(sections, len(sections) - 1, options.trim)
                return page.body(data.decode("utf-8"), last).encode("utf-8")
            case "word/settings.xml":
                return page.settings(data.decode("utf-8")).encode("utf-8")
            case "word/_rels/document.xml.rels":
                xml = page.relationships(data.decode("utf-8"), added)
                if kept:
                    xml = xml.replace("</Relationships>", kept_source.relationship() + "</Relationships>")
                return xml.encode("utf-8")
            case "[Content_Types].xml":
                xml = page.content_types(data.decode("utf-8"), added)
                if kept:
                    xml = xml.replace("</Types>", kept_source.content_type() + "</Types>")
                return xml.encode("utf-8")
        return data

    parts = {n: x for n, (_, _, x) in added.items()} | kept
    normalize_zip(path, options.timestamp, stored=frozenset(), rewrite=rewrite, added=parts)
