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
    Turn,
    mention_anchor,
)
from ..reading.registry import Registry
from . import proposals
from . import text as text_rules
from .notes import Note
from .people import People

_LINE = "data-pressroom-line"
_LABEL = re.compile(r"\A([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}):\s*\Z")  # a bold label: "Baker:"
_LABEL_IN_BOLD = re.compile(r"\A([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}):\s+(?=\S)")  # a bold question: "Q: Why?"
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
    outside = _strip_page(root)
    try:
        summary = Readable(lxml.html.tostring(root, encoding="unicode")).summary(html_partial=True)
    except Exception as error:  # readability raises its own Unparseable and lxml's errors
        raise SourceError(path, 1, 1, f"no article found in the page: {error}") from None
    article = lxml.html.fragment_fromstring(summary, create_parent="div", parser=parser)
    _strip_article(article, notes)
    if outside:
        kinds = ", ".join(f"{count} × {what}" for what, count in sorted(outside.items()))
        notes.append(Note(1, 1, "dropped", f"dropped from the page (never fetched): {kinds}"))
    if headline_element is None:
        raise SourceError(path, 1, 1, "no <h1> headline in the page")
    headline = _Block(_runs(headline_element, notes), _line(headline_element), "h1")
    blocks = [b for b in _blocks(article, notes) if isinstance(b, tuple) and b[1] or
              isinstance(b, _Block) and b.text.strip() and _norm(b.text) != _norm(headline.text)]  # not the h1 again
    if not blocks:
        raise SourceError(path, headline.line, 1, "the article holds no paragraphs to import")
    lang = (root.get("lang") or "").strip()
    lang = lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang) else "en"
    return _document(path, headline, blocks, registry, notes, lang)


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
            if child.tag == "br":
                runs.append((" ", italic, bold))
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


def _label(runs: list[tuple[str, bool, bool]]) -> tuple[str | None, list[tuple[str, bool, bool]]]:
    """A paragraph's bold "Label:" and the rest of it; a whole bold question loses its bold, not its words."""
    if not runs or not runs[0][2]:
        return None, runs
    first, italic, _ = runs[0]
    rest = runs[1:]
    if match := _LABEL.match(first):
        if rest and rest[0][0].startswith(" "):
            rest = [(rest[0][0].lstrip(), *rest[0][1:]), *rest[1:]]
        return match.group(1), [r for r in rest if r[0]]
    if (match := _LABEL_IN_BOLD.match(first)) and all(r[2] or not r[0].strip() for r in rest):
        return match.group(1), [(first[match.end():], italic, False), *((w, i, False) for w, i, _ in rest)]
    if len(runs) > 1 and first.rstrip().endswith(":") is False and rest and rest[0][0].startswith(":"):
        # <strong>Baker</strong>: the colon outside the bold
        label = first.strip()
        if re.fullmatch(r"[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}", label):
            return label, [(rest[0][0][1:].lstrip(), *rest[0][1:]), *rest[1:]]
    return None, runs


def _document(path: Path, headline: _Block, blocks: list, registry: Registry, notes: list[Note], lang: str = "en"
              ) -> tuple[Document, tuple[Note, ...]]:
    items = []  # (label or None, runs or ("blockquote", blocks), block)
    for block in blocks:
        if isinstance(block, tuple):
            items.append((None, block, block[1][0] if block[1] else headline))
            continue
        runs = _normalised(block.runs)
        label, rest = _label(runs)
        items.append((label, rest if label else runs, block))
    counts = Counter(label for label, _, _ in items if label)
    declared = [label for label in counts if counts[label] >= 2]
    if not declared:
        raise SourceError(path, headline.line, 1, text_rules.no_turns("bold 'Label:'"))
    first_turn = next(i for i, (label, _, _) in enumerate(items) if label in declared)
    before = items[:first_turn]
    headnote_count = 0
    for _, runs, block in before:
        if isinstance(runs, tuple) or block.tag.startswith("h"):
            break
        words = "".join(r[0] for r in runs)
        headnote = block.headnote_class or _EDITORS_NOTE.match(words) or text_rules._is_headnote(words)
        if headnote and headnote_count == 0:
            headnote_count = 1
        break

    anchors: Counter[str] = Counter()
    people = People(registry, notes, anchors)

    def inlines(runs: list[tuple[str, bool, bool]], line: int) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for words, italic, bold in runs:
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

    def block_of(runs, block: _Block):  # noqa: ANN001, ANN202
        if isinstance(runs, tuple):
            return BlockQuote(tuple(Para(inlines(_normalised(b.runs), b.line)) for b in runs[1]))
        if block.tag in ("h2", "h3", "h4", "h5", "h6"):
            return Heading(2, inlines(runs, block.line))
        return Para(inlines(runs, block.line))

    head = _normalised(headline.runs)
    head_text = "".join(r[0] for r in head)
    head_para = text_rules._Para(head_text, ((0, headline.line, 1),))
    title_para, subtitle_para = text_rules._headline(head_para, notes)
    split = len(head_text) - len(subtitle_para.text)
    title_runs = _sliced(head, 0, len(title_para.text))
    subtitle_runs = _sliced(head, split) if subtitle_para.text else []

    turns: list[tuple[str, list]] = []
    for label, runs, block in items[first_turn:]:
        if label in declared:
            turns.append((label, [(runs, block)]))
            continue
        if label:
            notes.append(Note(block.line, 1, "label-once", text_rules.label_once(label)))
            runs = [(f"{label}:", True, False), (" ", False, False), *runs]
        turns[-1][1].append((runs, block))

    @dataclass
    class _Said:
        text: str

    said = [(label, [_Said("".join(r[0] for r in runs) if not isinstance(runs, tuple) else "")
                     for runs, _ in paras]) for label, paras in turns]
    context = [head_text, *("".join(r[0] for r in runs) for _, runs, _ in before if not isinstance(runs, tuple))]
    speakers = text_rules._speakers(declared, said, context, head_para, notes)
    by_label = {s.label: s for s in speakers}
    people.speakers = text_rules._speaker_words(speakers)

    # the inlines in reading order, as the source reader numbers the mentions
    title, subtitle = inlines(title_runs, headline.line), inlines(subtitle_runs, headline.line)
    headnote = []
    for _, runs, block in before[:headnote_count]:
        words = "".join(r[0] for r in runs)
        if match := _EDITORS_NOTE.match(words):
            runs = _normalised(_sliced(runs, match.end()))
        headnote.append(Para(inlines(runs, block.line)))
    introduction = [block_of(runs, block) for _, runs, block in before[headnote_count:]]

    front = FrontMatter(title=title, subtitle=subtitle, lang=lang, speakers=speakers)
    headnote_blocks = tuple(headnote)
    introduction_blocks = tuple(introduction)
    interview = []
    for label, paras in turns:
        parts = []
        for runs, block in paras:
            if isinstance(runs, tuple) or block.tag not in ("h2", "h3", "h4", "h5", "h6"):
                parts.append(block_of(runs, block))
            else:
                parts.append(Para((Strong(inlines(runs, block.line)),)))
        interview.append(Turn(by_label[label], tuple(parts)))
    document = Document(
        source_name=path.stem,
        front=front,
        headnote=headnote_blocks,
        introduction=introduction_blocks,
        interview=tuple(interview),
        registry=registry.entries,
    )
    notes.sort(key=lambda n: (n.line, n.column))
    return document, tuple(notes)


def _italic(words: str, line: int, registry: Registry, notes: list[Note], anchors: Counter[str]) -> Inline:
    """Italic words: a film mention when they name one film of the registry, or when shaped like a title
    that names none (proposed: see proposals.py); else italics and a note."""
    films = [f for f in registry.find(MentionKind.FILM, words) if isinstance(f, Film)]
    if not films and proposals.title_shaped(words):
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
        notes.append(Note(line, 1, "unknown-film", f"italic '{words}' names no film in the registry and is not shaped "
                          "like a title: left in italics (add it to films.yaml if it is a film)"))
    return Emph((Text(words),))
