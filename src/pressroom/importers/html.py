"""The HTML reader: a saved magazine web page, its article found among the site's chrome.

    <h1>“Title”: Subtitle</h1>                         <- the headline
    <p class="editors-note">Editor’s note: ...</p>      <- the headnote
    <p>The introduction ...</p>
    <p><strong>Q:</strong> A question about <em>Anora</em>?</p>   <- turns, films in italics
    <p>More of the answer (no label: it continues the turn).</p>

readability-lxml finds the article (the navigation, share buttons, newsletter
boxes, related posts and comments around it are left out); the headline is the
page's `<h1>` that the page's `<title>` names. Nothing is fetched: images,
iframes, scripts and links are dropped and reported, and only the input is read.
Italic text that names one film of the registry is a film mention; italic text
that names none, or several, stays in italics with a note. Turns, speakers, the
headnote and the introduction follow the plain-text reader's rules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..core.errors import SourceError
from ..core.model import (
    Block,
    BlockQuote,
    Document,
    Emph,
    Film,
    FrontMatter,
    Heading,
    Inline,
    Mention,
    MentionKind,
    Para,
    Pos,
    Strong,
    Text,
    mention_anchor,
)
from ..reading.registry import Registry
from . import proposals
from .cast import person_names
from .headline import Headline, Part, headline_colon
from .labels import BRACKETED_TIME, opening
from .notes import Note
from .people import People, speaker_words
from .transcript import Item, Piece, assembled, headline_inlines, interpret

_LINE = "data-pressroom-line"
_EDITORS_NOTE = re.compile(r"\A\s*editor[’']?s[’']? note\s*[:.—–-]?\s*", re.IGNORECASE)
_HEADNOTE_CLASS = re.compile(r"editor|headnote|standfirst|intro-note|repost", re.IGNORECASE)
_NOT_ARTICLE_CLASS = re.compile(
    r"byline|author|dateline|posted-on|entry-meta|share|social|tags?\b|related|newsletter|subscribe|comment|promo"
    r"|advert|sponsor|caption|credit|breadcrumb",
    re.IGNORECASE,
)
_DROPPED = MappingProxyType({  # what is never imported, and how a note names it
    "img": "an image", "picture": "an image", "svg": "an image", "canvas": "a canvas", "figure": "a figure",
    "video": "a video", "audio": "an audio player", "iframe": "an embedded frame", "frame": "an embedded frame",
    "object": "an embedded object", "embed": "an embedded object", "script": "a script", "noscript": "a script",
    "style": "a style sheet", "template": "a template", "form": "a form", "input": "a form field",
    "button": "a button", "select": "a form field", "textarea": "a form field", "link": "a linked resource",
    "meta": None, "title": None, "head": None, "base": None,
})
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "pre", "div", "section", "article",
                     "dd", "dt"})
_ITALIC = frozenset({"em", "i", "cite"})
_BOLD = frozenset({"strong", "b"})


@dataclass
class _Block:
    """A paragraph of the article: its runs of text, each (text, italic, bold), and where it begins."""

    runs: list[tuple[str, bool, bool]]
    line: int
    tag: str
    headnote_class: bool = False

    @property
    def text(self) -> str:
        return "".join(r[0] for r in self.runs)


def read(path: Path, text: str, registry: Registry) -> tuple[Document, tuple[Note, ...]]:
    """The interview in the web page `text` (read from `path`, for messages), and the notes for review."""
    import lxml.html  # start-up time (these three): only an HTML import needs them
    from lxml import etree
    from readability import Document as Readable

    if not re.search(r"<\s*(?:html|body|p|div|article|h1)\b", text[:65536], re.IGNORECASE):
        raise SourceError(path, 1, 1, "not an HTML page: no <html>, <body>, <p> or <h1> element")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                                  huge_tree=False, default_doctype=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise SourceError(path, 1, 1, f"not an HTML page that can be read: {error}") from None
    for element in root.iter():
        if isinstance(element.tag, str):
            element.set(_LINE, str(element.sourceline or 1))
    notes: list[Note] = []
    headline_element = _headline_element(root)
    page_title = _page_title(root)
    page_title = "" if page_title.casefold() == path.stem.casefold() else page_title  # a file's name is no title
    document_page = _is_document_page(root)
    outside = _strip_page(root)
    if document_page:  # a word processor's page: all of its body is the document, there is no site around it
        article = root.find("body") if root.find("body") is not None else root
    else:
        try:
            summary = Readable(lxml.html.tostring(root, encoding="unicode")).summary(html_partial=True)
        except Exception as error:  # readability raises its own Unparseable and lxml's errors
            raise SourceError(path, 1, 1, f"no article found in the page: {error}") from None
        article = lxml.html.fragment_fromstring(summary, create_parent="div", parser=parser)
    _strip_article(article, notes)
    if outside:
        kinds = ", ".join(f"{count} × {what}" for what, count in sorted(outside.items()))
        notes.append(Note(1, 1, "dropped", f"dropped from the page (never fetched): {kinds}"))
    headline = None
    if headline_element is not None:
        headline = _Block(_runs(headline_element, notes), _line(headline_element), "h1")
    again = _norm(headline.text) if headline else page_title
    blocks = [b for b in _turns_apart(_blocks(article, notes)) if isinstance(b, tuple) and b[1] or
              isinstance(b, _Block) and b.text.strip() and _norm(b.text) != again]  # not the headline again
    if not blocks:
        raise SourceError(path, headline.line if headline else 1, 1, "the article holds no paragraphs to import")
    given = None
    first = blocks[0]
    title_opens_it = isinstance(first, _Block) and _norm(first.text).casefold().startswith(page_title.casefold())
    if headline is None and page_title and not title_opens_it:  # else the first line, which it shortens, is it
        given = Headline((page_title,))
        colon = headline_colon(page_title)
        if colon is not None:
            given = Headline((page_title[:colon].strip(),), (page_title[colon + 1 :].strip(),))
        notes.append(Note(1, 1, "headline", f"no <h1> in the page: the headline is its <title>, '{page_title}'"))
    lang = (root.get("lang") or "").strip()
    lang = lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang) else "en"
    return _document(path, [headline, *blocks] if headline else blocks, given, registry, notes, lang)


def _page_title(root) -> str:  # noqa: ANN001
    """The page's `<title>`, without a site's name after a bar; "" when it has none (or a word processor's
    placeholder)."""
    for element in root.iter("title"):
        words = _norm(element.text_content()).split(" | ")[0].strip()
        if re.match(r"(?:Microsoft Word|Word) - |.*\.(?:docx?|rtf|odt|wpd|txt)\Z", words, flags=re.I):
            return ""  # the file's name, as Word titles a page it saved: no headline
        if words and words.casefold() not in ("untitled", "untitled document", "document", "new document"):
            return words
    return ""


def _is_document_page(root) -> bool:  # noqa: ANN001
    """A page a word processor saved (Word, LibreOffice, Pages), or one with no site around its text."""
    generator = " ".join(meta.get("content") or "" for meta in root.iter("meta")
                         if (meta.get("name") or "").lower() == "generator")
    if re.search(r"microsoft|word|libreoffice|openoffice|staroffice|pages|textedit|abiword", generator, re.I):
        return True
    return not any(True for _ in root.iter("nav", "header", "footer", "aside", "form", "article", "main"))


def _line(element: object) -> int:
    try:
        return int(element.get(_LINE) or 1)  # type: ignore[attr-defined]
    except ValueError:
        return 1


def _norm(words: str) -> str:
    return " ".join(words.split())


def _headline_element(root):  # noqa: ANN001, ANN202
    """The page's <h1> that its <title> (or og:title) names, else its first <h1> outside navigation and asides."""
    h1s = [h for h in root.iter("h1") if not any(a.tag in ("nav", "aside", "footer") for a in h.iterancestors())]
    if not h1s:
        return None
    names = [_norm(t.text_content()) for t in root.iter("title")]
    names += [_norm(m.get("content") or "") for m in root.iter("meta") if m.get("property") == "og:title"]
    names = [n for n in names if n]
    for h1 in h1s:
        words = _norm(h1.text_content())
        if any(words and (n.startswith(words) or words.startswith(n.split(" | ")[0])) for n in names):
            return h1
    return h1s[0]


def _strip_page(root) -> Counter:  # noqa: ANN001
    """Drop what is never read from the whole page (scripts, styles, forms ...); count them for the report."""
    found: Counter[str] = Counter()
    for element in list(root.iter(*[t for t in _DROPPED if t not in ("img", "picture", "figure", "iframe", "video",
                                                                     "audio", "svg", "object", "embed")])):
        what = _DROPPED[element.tag]
        if what:
            found[what] += 1
        if element.getparent() is not None:
            element.drop_tree()
    return found


def _strip_article(article, notes: list[Note]) -> int:  # noqa: ANN001
    """Drop images, frames, figures and site furniture from the article, unwrap links: each with a note."""
    count = 0
    gone: set = set()
    for element in list(article.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if any(a in gone for a in element.iterancestors()):
            continue
        if element.tag in _DROPPED and _DROPPED[element.tag]:
            source = element.get("src") or next((e.get("src") for e in element.iter() if e.get("src")), "")
            where = f" ({source})" if source else ""
            notes.append(Note(_line(element), 1, "dropped", f"dropped {_DROPPED[element.tag]}{where}: never fetched"))
            gone.add(element)
            element.drop_tree()
            count += 1
        elif _NOT_ARTICLE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"):
            gone.add(element)
            element.drop_tree()
    for inline in list(article.iter("em", "i", "cite", "b", "strong", "span", "font", "u", "small")):
        # malformed HTML: an unclosed <em> holds the paragraphs after it; they are paragraphs, not italics
        if any(isinstance(e.tag, str) and e.tag in _BLOCKS for e in inline.iterdescendants()):
            notes.append(Note(_line(inline), 1, "dropped",
                              f"<{inline.tag}> left open around paragraphs: its style dropped, its words kept"))
            inline.drop_tag()
    for link in list(article.iter("a")):
        href = link.get("href", "")
        notes.append(Note(_line(link), 1, "dropped",
                          f"dropped the link to {href or 'nowhere'}; its words '{_norm(link.text_content())}' kept"))
        link.drop_tag()
        count += 1
    return count


def _runs(element, notes: list[Note], italic: bool = False, bold: bool = False) -> list[tuple[str, bool, bool]]:  # noqa: ANN001
    """The element's text as runs (text, italic, bold); <br> is a space."""
    runs = []
    if element.text:
        runs.append((element.text, italic, bold))
    for child in element:
        if isinstance(child.tag, str):
            if child.tag == "br":  # a space, or where a line opens a turn, the end of a paragraph (_turns_apart)
                runs.append(("\n", italic, bold))
            else:
                runs += _runs(child, notes, italic or child.tag in _ITALIC, bold or child.tag in _BOLD)
        if child.tail:
            runs.append((child.tail, italic, bold))
    return runs


def _blocks(element, notes: list[Note], inherited: bool = False) -> list[_Block | tuple[str, list[_Block]]]:  # noqa: ANN001
    """The article's paragraphs in reading order; a block quote is ("blockquote", its paragraphs)."""
    marked = inherited or bool(_HEADNOTE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"))
    has_blocks = any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in element)
    if element.tag == "blockquote":
        if has_blocks:
            inner = _blocks_in(element, notes, marked)
        else:
            inner = [_Block(_runs(element, notes), _line(element), "p")]
        return [("blockquote", [b for b in inner if isinstance(b, _Block) and b.text.strip()])]
    if not has_blocks:
        return [_Block(_runs(element, notes), _line(element), element.tag, marked)]
    return _blocks_in(element, notes, marked)


def _blocks_in(element, notes: list[Note], marked: bool) -> list:  # noqa: ANN001
    found: list = []
    loose: list[tuple[str, bool, bool]] = []  # text directly inside a <div> between its blocks
    if element.text and element.text.strip():
        loose.append((element.text, False, False))
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _BLOCKS:
            if any(r[0].strip() for r in loose):
                found.append(_Block(loose, _line(element), "p", marked))
            loose = []
            found += _blocks(child, notes, marked)
        else:
            loose += _runs(child, notes, child.tag in _ITALIC, child.tag in _BOLD)
        if child.tail and child.tail.strip():
            loose.append((child.tail, False, False))
    if any(r[0].strip() for r in loose):
        found.append(_Block(loose, _line(element), "p", marked))
    return found


def _turns_apart(blocks: list) -> list:
    """Paragraphs whose lines (broken by <br>) open turns, as a word processor saves a transcript typed with
    line breaks, cut into a paragraph for each such line."""
    out: list = []
    for block in blocks:
        if isinstance(block, tuple) or not any("\n" in words for words, _, _ in block.runs):
            out.append(block)
            continue
        lines: list[list[tuple[str, bool, bool]]] = [[]]
        for words, italic, bold in block.runs:
            for number, part in enumerate(words.split("\n")):
                if number:
                    lines.append([])
                if part:
                    lines[-1].append((part, italic, bold))
        cut = [lines[0]]
        for line in lines[1:]:
            runs = _normalised(line)
            bold_end = len(runs[0][0]) if runs and runs[0][2] else 0
            if runs and opening("".join(r[0] for r in runs), bold_end).label:
                cut.append(line)
            else:
                cut[-1] += [("\n", False, False), *line]
        out += [_Block(runs, block.line, block.tag, block.headnote_class) for runs in cut]
    return out


def _normalised(runs: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """Runs with white space collapsed across them and trimmed at both ends, spaces moved out of italics."""
    out: list[tuple[str, bool, bool]] = []
    previous_space = True
    for words, italic, bold in runs:
        words = re.sub(r"\s+", " ", words)
        if previous_space:
            words = words.lstrip(" ")
        if not words:
            continue
        previous_space = words.endswith(" ")
        if out and (out[-1][1], out[-1][2]) == (italic, bold):
            out[-1] = (out[-1][0] + words, italic, bold)
        else:
            out.append((words, italic, bold))
    if out:
        out[-1] = (out[-1][0].rstrip(" "), *out[-1][1:])
    result: list[tuple[str, bool, bool]] = []
    for words, italic, bold in out:  # " <em> Anora </em>": the spaces are not the title's
        if (italic or bold) and words.strip() != words:
            lead, core, trail = re.match(r"( *)(.*?)( *)\Z", words, re.S).groups()
            for part, styled in ((lead, False), (core, True), (trail, False)):
                if part:
                    result.append((part, italic and styled, bold and styled))
        elif words:
            result.append((words, italic, bold))
    merged: list[tuple[str, bool, bool]] = []
    for run in result:
        if merged and merged[-1][1:] == run[1:]:
            merged[-1] = (merged[-1][0] + run[0], *run[1:])
        else:
            merged.append(run)
    return [r for r in merged if r[0]]


def _sliced(runs: list[tuple[str, bool, bool]], start: int, end: int | None = None) -> list[tuple[str, bool, bool]]:
    """The runs from character `start` to `end` of their text."""
    out, offset = [], 0
    for words, italic, bold in runs:
        lo, hi = max(start - offset, 0), len(words) if end is None else min(end - offset, len(words))
        if lo < hi:
            out.append((words[lo:hi], italic, bold))
        offset += len(words)
    return out


def _piece(block: _Block | tuple[str, list[_Block]]) -> tuple[Piece, list]:
    """The piece the interpretation reads of a block, and the block's runs (a quotation: its paragraphs')."""
    if isinstance(block, tuple):
        inner = [_normalised(b.runs) for b in block[1]]
        words = " ".join("".join(r[0] for r in runs) for runs in inner)
        return Piece(words, Pos(block[1][0].line, 1), kind="quote"), inner
    runs = _normalised(block.runs)
    words = "".join(r[0] for r in runs)
    bold_end = len(runs[0][0]) if runs and runs[0][2] else 0
    if bold_end and all(r[2] or not r[0].strip() for r in runs):
        bold_end = len(words)
    heading = block.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
    headnote = block.headnote_class or bool(_EDITORS_NOTE.match(words))
    return Piece(words, Pos(block.line, 1), "heading" if heading else "para", bold_end, headnote=headnote), runs


def _document(path: Path, blocks: list, given: Headline | None, registry: Registry, notes: list[Note],
              lang: str = "en") -> tuple[Document, tuple[Note, ...]]:
    read = [_piece(block) for block in blocks]
    pieces = [piece for piece, _ in read]
    runs_of = [runs for _, runs in read]
    reading = interpret(str(path), pieces, given, known_names=person_names(registry),
                        label_form="'Label:' (bold or plain)")
    notes += reading.notes
    anchors: Counter[str] = Counter()
    people = People(registry, notes, anchors, speaker_words(reading.speakers))

    def inlines(runs: list[tuple[str, bool, bool]], line: int) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for words, italic, bold in runs:
            words = BRACKETED_TIME.sub("", words)
            if italic:
                nodes = [_italic(words, line, registry, notes, anchors)]
            else:
                nodes = people.marked(words, lambda _: Pos(line, 1))
            if bold:
                nodes = [Strong(tuple(nodes))]
            for node in nodes:
                if out and isinstance(out[-1], Text) and isinstance(node, Text):
                    out[-1] = Text(out[-1].text + node.text)
                else:
                    out.append(node)
        return tuple(out)

    def part(item: Part) -> tuple[Inline, ...]:
        if isinstance(item, str):
            return (Text(item),)
        index, start, end = item  # a headline's bold is the headline's setting: dropped
        runs = [(words, italic, False) for words, italic, _ in _sliced(runs_of[index], start, end)]
        return inlines(_normalised(runs), pieces[index].pos.line)

    def block_of(index: int, start: int = 0, plain: bool = False) -> Block:
        piece, runs = pieces[index], runs_of[index]
        if piece.kind == "quote":
            return BlockQuote(tuple(Para(inlines(r, piece.pos.line)) for r in runs))
        runs = _normalised(_sliced(runs, start))
        if plain:  # a wholly bold question loses its bold, not its words
            runs = [(words, italic, False) for words, italic, _ in runs]
        if piece.kind == "heading":
            return Heading(2, inlines(runs, piece.pos.line))
        return Para(inlines(runs, piece.pos.line))

    title, subtitle = (headline_inlines(parts, part, separator)
                       for parts, separator in ((reading.headline.title, " "), (reading.headline.subtitle, ", ")))
    headnote = []
    for index in reading.headnote:
        match = _EDITORS_NOTE.match(pieces[index].text)
        headnote.append(block_of(index, match.end() if match else 0))
    introduction = [block_of(index) for index in reading.introduction]

    def render(item: Item) -> list[Block]:  # a wholly bold question loses its bold, not its words
        wholly_bold = item.what != "heading" and pieces[item.piece].bold_end >= len(pieces[item.piece].text)
        return [block_of(item.piece, item.start, plain=wholly_bold)]

    front = FrontMatter(title=title, subtitle=subtitle, lang=lang, speakers=reading.speakers,
                        date=reading.headline.date)
    document = Document(
        source_name=path.stem, front=front, headnote=tuple(headnote), introduction=tuple(introduction),
        interview=assembled(reading, render), registry=registry.entries,
    )
    notes.sort(key=lambda n: (n.line, n.column))
    return document, tuple(notes)


def _italic(words: str, line: int, registry: Registry, notes: list[Note], anchors: Counter[str]) -> Inline:
    """Italic words: a film mention when they name one film of the registry, or when shaped like a title
    that names none (proposed: see proposals.py); else italics and a note."""
    films = [f for f in registry.find(MentionKind.FILM, words) if isinstance(f, Film)]
    if not films and proposals.proposable(words, registry):
        films = [proposals.proposed_film(words, registry)]
        notes.append(Note(line, 1, "proposed-film", proposals.message(words, films[0].key)))
    if len(films) == 1:
        key = films[0].key
        anchors[f"film-{key}"] += 1
        anchor = mention_anchor(MentionKind.FILM, key, anchors[f"film-{key}"])
        return Mention(MentionKind.FILM, key, anchor, (Text(words),), Pos(line, 1))
    if films:
        notes.append(Note(line, 1, "doubtful-film", f"italic '{words}' could be any of "
                          f"{', '.join(f.key for f in films)}: left in italics; mark it [{words}]{{.film key=...}}"))
    else:
        shaped = proposals.title_shaped(words)
        why = "there is no film registry to propose it in" if shaped else "it is not shaped like a title"
        notes.append(Note(line, 1, "unknown-film", f"italic '{words}' names no film in the registry and {why}: "
                          "left in italics (add it to films.yaml if it is a film)"))
    return Emph((Text(words),))
