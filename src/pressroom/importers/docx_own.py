"""pressroom's own DOCX (the edition `build --to docx` writes), read back by its named styles.

    title page + Imprint + TOC            -> front matter (with docProps/core.xml; see docx_front.py)
    Heading 1 (the headline), Headline Subtitle -> title, subtitle (with their XE fields)
    Headnote / Introduction paragraphs    -> headnote / introduction
    Question / Answer paragraphs, Speaker -> turns, speakers and their roles
    Film Title / Person + XE field        -> mentions, the key found by the XE text
    the index sections                    -> skipped (the index is rebuilt from the mentions)

The source's front matter kept in a custom XML part (writers/docx_source.py) gives what the pages
do not print. The inlines are mapped as the source reader maps them (`pandoc_ast.InlineWalk`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import partial
from pathlib import Path
from types import MappingProxyType
from xml.etree import ElementTree

from ..core import model as m
from ..core.errors import SourceError
from ..core.pandoc_ast import InlineWalk, ast_text, style_of
from ..core.timecode import Timecode
from ..core.words import INTERVIEW_WITH, imprint_lines, words_for
from ..reading.frontmatter import FrontFields, read_front_matter
from ..reading.registry import Registry
from ..reading.yamltree import YamlFile
from ..writers import docx_source as kept_source
from .docx_front import imprint_fields, imprint_of, long_date_of
from .notes import Note

MAX_KEPT_CHARS = 1024 * 1024  # the kept front matter (writers/docx_source.py): a few kilobytes, never megabytes of YAML
OWN_STYLES = frozenset({"Question", "Answer", "Headnote", "Introduction", "Headline Subtitle", "Imprint"})
MENTION_STYLES = MappingProxyType({"Film Title": m.MentionKind.FILM, "Person": m.MentionKind.PERSON})
PART_STYLES = MappingProxyType({"Headnote": "headnote", "Introduction": "introduction"})
TURN_STYLES = MappingProxyType({"Question": m.Role.INTERVIEWER, "Answer": m.Role.INTERVIEWEE})
CUSTOM_XML = re.compile(r"customXml/item\d+\.xml")  # the kept front matter's part (Word may renumber the items)
_NS = MappingProxyType({
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
})
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class OwnReader(InlineWalk[None]):
    """The edition pressroom writes, read back by its styles and XE fields."""

    def __init__(self, path: Path, registry: Registry, notes: list[Note], parts: dict[str, bytes]):
        self.path, self.registry, self.notes, self.parts = path, registry, notes, parts
        self.kept = self.kept_front_matter()
        self.mentions: Counter[tuple[m.MentionKind, str]] = Counter()
        self.footnotes = 0
        self.images = 0
        self.running: tuple[m.Inline, ...] | None = None
        # the XE text of every registry entry, as writers/docx.py writes it: "Anora (2024, Sean Baker)"
        self.by_xe: dict[tuple[m.MentionKind, str], list[str]] = {}
        for kind, entries in registry.entries.items():
            for key, entry in entries.items():
                text = f"{entry.heading} ({entry.detail})" if entry.detail else entry.heading
                self.by_xe.setdefault((kind, text), []).append(key)

    def note(self, kind: str, message: str) -> None:
        self.notes.append(Note(1, 1, kind, message))

    def kept_front_matter(self) -> FrontFields | None:
        """The source's front matter the DOCX keeps (writers/docx_source.py), its own films and people
        added to the registry; None in a DOCX without it (an editor's) or with a damaged one."""
        texts = [kept_source.front_matter_of(data) for name, data in self.parts.items() if CUSTOM_XML.fullmatch(name)]
        yaml_text = next((text for text in texts if text is not None), None)
        if yaml_text is None:
            return None
        if len(yaml_text) > MAX_KEPT_CHARS:
            self.note("dropped", f"the source's front matter kept in the DOCX is over {MAX_KEPT_CHARS:,} characters: "
                                 "read from the pages alone")
            return None
        own = Registry()
        try:
            fields = read_front_matter(YamlFile(self.path, yaml_text.split("\n")), yaml_text, own, self.path.stem)
        except SourceError as error:
            self.note("dropped", f"the source's front matter kept in the DOCX is damaged ({error.message}): "
                                 "read from the pages alone")
            return None
        for kind, entries in own.entries.items():
            for key, entry in entries.items():
                known = self.registry.entries[kind].setdefault(key, entry)
                self.registry.defined_at.setdefault((kind, key), own.defined_at[kind, key])
                if known != entry:
                    self.note("dropped", f"the source's own {kind.span_class} '{key}' differs from "
                                         f"{kind.registry_file}'s: {kind.registry_file}'s is used")
        return fields

    # the parts of the document, in the order the edition prints them
    def document(self, ast: dict) -> m.Document:
        blocks = ast["blocks"]
        author = ast["meta"].get("author", {})
        items = author.get("c", []) if author.get("t") == "MetaList" else [author] if author else []
        self.meta_authors = [ast_text(item["c"]) for item in items if item.get("t") == "MetaInlines"]
        date = ast["meta"].get("date", {})
        self.meta_date = ast_text(date["c"]) if date.get("t") == "MetaInlines" else ""  # the title page's
        self.lang = xml_text(self.parts.get("docProps/core.xml"), "dc:language") or "en"
        words = words_for(self.lang)  # the book's words are read back in the language they were written in
        imprint: list[str] = []
        author_line = None
        title: tuple[m.Inline, ...] = ()
        subtitle: tuple[m.Inline, ...] = ()
        parts: dict[str, list[m.Block]] = {"headnote": [], "introduction": [], "interview": []}
        turns: list[tuple[str, m.Role, list[m.Block]]] = []
        section = "front"  # front, contents, headline, headnote/introduction, interview, index
        i = 0
        while i < len(blocks):
            block, style = blocks[i], style_of(blocks[i])
            i += 1
            if section in ("front", "contents"):
                if style == "Imprint":
                    imprint += [ast_text(b["c"]) for b in block["c"][1] if b["t"] in ("Para", "Plain")]
                elif style == "Author":
                    author_line = " ".join(ast_text(b["c"]) for b in block["c"][1] if b["t"] in ("Para", "Plain"))
                elif block["t"] == "Header" and "TOC-Heading" in block["c"][1][1]:
                    section = "contents"
                elif block["t"] == "Header" and block["c"][0] == 1 and section == "contents":
                    title = self.merged(block["c"][2])
                    section = "headline"
                continue
            if self.running is None and not (style == "Headline Subtitle" and section == "headline"):
                self.running = self.running_head(title, subtitle)  # numbered before the text, as the source reader does
            if block["t"] == "Header" and block["c"][0] == 1:
                heading = ast_text(block["c"][2])
                if section != "interview" and heading == words.part("interview"):
                    section = "interview"
                    continue
                if heading in {words.part(kind.index_id) for kind in m.MentionKind}:
                    break  # the indexes: rebuilt from the mentions, not read
            if style == "Headline Subtitle" and section == "headline":
                subtitle = self.merged(next((b["c"] for b in block["c"][1] if b["t"] in ("Para", "Plain")), []))
                continue
            if style in PART_STYLES and section != "interview":
                section = PART_STYLES[style]
                parts[section] += self.blocks(block["c"][1])
                continue
            if section == "interview":
                self.interview_block(block, style, turns, parts["interview"])
                continue
            if section == "headline":
                section = "headnote" if not parts["headnote"] else section
            parts[section if section in parts else "introduction"] += self.blocks([block])
        if section == "front" or not title:
            raise SourceError(self.path, 1, 1, "no headline (Heading 1 after the contents) in this pressroom DOCX")
        front = self.front_matter(title, subtitle, turns, imprint, author_line)
        by_label = {speaker.label: speaker for speaker in front.speakers}
        timecodes = iter(_turn_timecodes(self.parts.get("word/document.xml", b"")))
        interview = tuple(m.Turn(by_label[item[0]], tuple(item[2]), next(timecodes, None))
                          if isinstance(item, tuple) else item for item in parts["interview"])
        if self.images:
            self.note("dropped", f"{self.images} image(s) dropped: a source holds no images")
        return m.Document(
            source_name=self.path.stem,
            front=front,
            headnote=tuple(parts["headnote"]),
            introduction=tuple(parts["introduction"]),
            interview=interview,
            registry=self.registry.entries,
        )

    def interview_block(self, block: dict, style: str | None, turns: list, out: list) -> None:
        """A Question or Answer paragraph opens a turn when it begins with a Speaker label, else continues one."""
        if style in TURN_STYLES:
            inner = block["c"][1]
            first = inner[0] if inner else None
            if first and first["t"] in ("Para", "Plain") and first["c"] and style_of(first["c"][0]) == "Speaker":
                label = ast_text(first["c"][0]["c"][1]).strip().removesuffix(":").rstrip()  # French: "Q\u202f:"
                rest = first["c"][1:]
                if rest and rest[0]["t"] == "Space":
                    rest = rest[1:]
                turn = (label, TURN_STYLES[style], [])
                turns.append(turn)
                out.append(turn)
                if rest:
                    turn[2].append(m.Para(self.merged(rest)))
                turn[2].extend(self.blocks(inner[1:]))
                return
            if out and isinstance(out[-1], tuple):
                out[-1][2].extend(self.blocks(inner))
                return
            out.extend(self.blocks(inner))
            return
        if block["t"] != "Header" and out and isinstance(out[-1], tuple):
            out[-1][2].extend(self.blocks([block]))  # a quotation or list inside a turn
            return
        out.extend(self.blocks([block]))

    def front_matter(self, title: tuple, subtitle: tuple, turns: list, imprint: list[str],
                     author_line: str | None) -> m.FrontMatter:
        core = self.parts.get("docProps/core.xml")
        lang, words = self.lang, words_for(self.lang)
        named = partial(words.field, INTERVIEW_WITH, "names")  # "An interview with X" as the language says it: X
        # the source names authors: the title page lists them, the Author line the interviewees; else the
        # title page says "An interview with X" for each interviewee
        authors: tuple[str, ...] = tuple(self.meta_authors) if author_line else ()
        interviewee_text = named(author_line) if author_line else words.and_list(list(map(named, self.meta_authors)))
        front = imprint_fields(imprint, long_date_of(self.meta_date, lang), lang, authors)
        if self.kept and imprint == imprint_lines(imprint_of(self.kept), printed=False):  # the kept fields, not a guess
            front = {"date": self.kept.date, "identifier": self.kept.identifier, "publisher": self.kept.publisher,
                     "rights": self.kept.rights, "history": self.kept.history}
        speakers = self.speakers_named(turns, interviewee_text, front.get("interviewers", ()))
        default_head = words.and_list([s.name or s.label for s in speakers if s.role is m.Role.INTERVIEWEE])
        running = self.running if self.running is not None else self.running_head(title, subtitle)
        return m.FrontMatter(
            title=title,
            subtitle=subtitle,
            lang=lang,
            speakers=speakers,
            running_head=running if m.plain_text(running) != default_head else (),
            date=front.get("date"),
            identifier=front.get("identifier"),
            authors=authors,
            publisher=front.get("publisher"),
            rights=front.get("rights"),
            history=tuple(front.get("history", ())),
            keywords=self.keywords(xml_text(core, "cp:keywords")),
        )

    def speakers_named(self, turns: list, interviewee_text: str,
                       interviewers: tuple[str, ...]) -> tuple[m.Speaker, ...]:
        """The speakers in the order of their first turns, named as the title page names the interviewees
        (`interviewee_text`) and the imprint the `interviewers`; the kept ones when the pages agree with them."""
        roles: dict[str, m.Role] = {}
        for label, role, _ in turns:
            roles.setdefault(label, role)
        named: dict[str, str] = {}
        names_of = words_for(self.lang).names_of
        for role, text, names in ((m.Role.INTERVIEWEE, interviewee_text, names_of(interviewee_text)),
                                  (m.Role.INTERVIEWER, "", list(interviewers))):
            labels = [label for label, each in roles.items() if each is role]
            if text and len(names) != len(labels):
                self.note("speakers", f"the interviewees' names '{text}' do not match the labels; names left out")
            elif len(names) == len(labels):
                named |= dict(zip(labels, names, strict=True))
        speakers = tuple(m.Speaker(label, role, (named.get(label) or None) if named.get(label) != label else None)
                         for label, role in roles.items())
        kept = self.kept_speakers(speakers)
        if kept:
            return kept
        if any(s.role is m.Role.INTERVIEWER and not s.name for s in speakers):
            self.note("speakers", "an interviewer's name is not in the DOCX: add `name:` under speakers: "
                                  "if the source had one")
        return speakers

    def keywords(self, core: str | None) -> tuple[str, ...]:
        """The core properties' keywords, split as the writer joined them; the kept ones when they have the same
        words (LibreOffice saves them joined by spaces, so their boundaries are only in the kept front matter)."""
        if self.kept and re.findall(r"\w+", " ".join(self.kept.keywords)) == re.findall(r"\w+", core or ""):
            return self.kept.keywords
        return tuple(core.split(", ")) if core else ()

    def kept_speakers(self, seen: tuple[m.Speaker, ...]) -> tuple[m.Speaker, ...] | None:
        """The kept `speakers:` (names, order, those who never speak) when the pages agree with them:
        every label that speaks is there, in its role, under the name the title page prints."""
        if self.kept is None:
            return None
        kept = {speaker.label: speaker for speaker in self.kept.speakers}
        for speaker in seen:
            known = kept.get(speaker.label)
            if known is None or known.role is not speaker.role or (speaker.name and speaker.name != known.name):
                return None
        return self.kept.speakers

    def running_head(self, title: tuple[m.Inline, ...], subtitle: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        """The verso head (plain text in its header part), its mentions marked where the headline marks the
        same words."""
        text = _running_head(self.parts.get("word/header-verso.xml")) or ""
        marked = {(m.plain_text(x.children), x.kind, x.key) for x in (*title, *subtitle) if isinstance(x, m.Mention)}
        # the head is plain text: a film's title in it is taken to be marked, as a mention in the headline is
        films = self.registry.entries.get(m.MentionKind.FILM, {})
        marked |= {(name, m.MentionKind.FILM, key) for key, film in films.items() for name in film.names
                   if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)}
        out: list[m.Inline] = []
        while text:
            found = min(((text.find(words), words, kind, key) for words, kind, key in marked
                         if words and words in text), default=None)
            if found is None:
                out.append(m.Text(text))
                break
            at, words, kind, key = found
            out.append(m.Text(text[:at]))
            out.append(self.marked(kind, key, (m.Text(words),)))
            text = text[at + len(words):]
        return self.merge(out)

    # --- blocks and inlines --------------------------------------------------

    def blocks(self, items: list) -> list[m.Block]:
        out: list[m.Block] = []
        for item in items:
            block = self.block(item)
            for one in block if isinstance(block, list) else [block] if block is not None else []:
                if isinstance(one, m.BlockQuote) and out and isinstance(out[-1], m.BlockQuote):
                    out[-1] = m.BlockQuote(out[-1].blocks + one.blocks)  # Word has a paragraph style, not a quotation
                else:
                    out.append(one)
        return out

    def block(self, item: dict) -> m.Block | list[m.Block] | None:
        kind, c = item["t"], item.get("c")
        match kind:
            case "Para" | "Plain":
                inlines = self.merged(c)
                return m.Para(inlines) if inlines or not c else None
            case "Header":
                return m.Heading(max(1, c[0] - 1), self.merged(c[2]))
            case "BlockQuote":
                return m.BlockQuote(tuple(self.blocks(c)))
            case "BulletList":
                return m.ListBlock(False, tuple(tuple(self.blocks(entry)) for entry in c))
            case "OrderedList":
                return m.ListBlock(True, tuple(tuple(self.blocks(entry)) for entry in c[1]), start=c[0][0])
            case "CodeBlock":
                return m.CodeBlock(c[1])
            case "HorizontalRule":
                return m.Rule()
            case "Div":
                style = style_of(item)
                if style in ("Block Text", "Quote"):
                    inner = self.blocks(c[1])
                    if inner and all(isinstance(b, m.BlockQuote) for b in inner):
                        return inner  # pandoc read the style's indent as a quotation already
                    return m.BlockQuote(tuple(inner))
                return self.blocks(c[1])
            case "Figure":
                self.images += 1
                return None
            case "Table":  # a transcript laid out as a table, or a table of who and when: its rows as paragraphs
                self.note("dropped", "a table's layout dropped: each row is a paragraph (two cells: 'first: second')")
                return [m.Para(row) for row in self.table_rows(c) if row]
            case _:
                self.note("dropped", f"a {kind} dropped")
                return None

    def table_rows(self, c: list) -> list[tuple[m.Inline, ...]]:
        """Each row of a pandoc Table (head, bodies, foot) as inlines: its cells' words, two cells joined as a
        label and its text ("SMITH" | "I was born ..." reads "SMITH: I was born ...")."""
        _, _, _, head, bodies, foot = c
        rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
        out = []
        for row in rows:
            cells = [self.cell(cell[4]) for cell in row[1]]
            cells = [cell for cell in cells if m.plain_text(cell).strip()]
            if len(cells) == 2 and not m.plain_text(cells[0]).rstrip().endswith(":"):
                cells[0] = self.merge([*cells[0], m.Text(":")])
            joined: list[m.Inline] = []
            for number, cell in enumerate(cells):
                joined += [m.Text(" ")] * bool(number) + list(cell)
            out.append(self.merge(joined))
        return out

    def cell(self, blocks: list) -> tuple[m.Inline, ...]:
        """A table cell's paragraphs as one run of inlines."""
        out: list[m.Inline] = []
        for block in self.blocks(blocks):  # a cell's paragraphs come in their style's Div
            if isinstance(block, m.Para):
                out += [m.Text(" ")] * bool(out) + list(block.children)
        return self.merge(out)

    def merged(self, items: list, at: None = None) -> tuple[m.Inline, ...]:
        return super().merged(items, at)  # nothing passed down: a DOCX's inlines carry no position

    def inlines(self, items: list, at: None = None) -> list[m.Inline]:
        """The model inlines of `items`: InlineWalk's, but for a span in a mention's style, whose XE field
        (pandoc's `indexref` span after it) names its entry."""
        out: list[m.Inline] = []
        i = 0
        while i < len(items):
            item = items[i]
            i += 1
            style = style_of(item)
            if style in MENTION_STYLES:
                entry = None
                if i < len(items) and _is_indexref(items[i]):
                    entry = dict(items[i]["c"][0][2]).get("entry")
                    i += 1
                out.append(self.mention(MENTION_STYLES[style], item["c"][1], entry))
                continue
            out += self.inline(item, at)
        return out

    def mention(self, kind: m.MentionKind, children: list, entry: str | None) -> m.Inline:
        content = self.merged(children)
        text = m.plain_text(content)
        keys = self.by_xe.get((kind, entry), []) if entry else []
        if not keys:
            keys = [e.key for e in self.registry.find(kind, text)]
        if len(keys) != 1:
            why = f"its index entry '{entry}'" if entry else "its text"
            self.note("doubtful-film" if kind is m.MentionKind.FILM else "dropped",
                      f"'{text}' is marked {kind.span_class} in the DOCX but {why} names "
                      f"{'no' if not keys else 'more than one'} entry of {kind.registry_file}: left unmarked")
            if kind is m.MentionKind.FILM or len(content) != 1:
                return m.Emph(content)
            return content[0]
        key = keys[0]
        return self.marked(kind, key, content)

    def marked(self, kind: m.MentionKind, key: str, content: tuple[m.Inline, ...]) -> m.Mention:
        """A mention of the entry `key`, its anchor numbered as the source reader numbers it."""
        self.mentions[kind, key] += 1
        return m.Mention(kind, key, m.mention_anchor(kind, key, self.mentions[kind, key]), content, m.Pos(1, 1))

    def footnote(self, blocks: list, at: None = None) -> m.Inline:
        self.footnotes += 1
        return m.NoteRef(self.footnotes, tuple(self.blocks(blocks)))

    def span(self, c: list, at: None = None) -> list[m.Inline]:
        return [] if "indexref" in c[0][1] else list(self.merged(c[1]))  # an XE field: read with its mention

    def other(self, item: dict, at: None = None) -> list[m.Inline]:
        match item["t"]:
            case "Image":
                self.images += 1
                return []
            case "Strikeout" | "Superscript" | "Subscript":
                return list(self.merged(item["c"]))
        return []

    def merge(self, inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
        return _merge(inlines)


def _is_indexref(item: dict) -> bool:
    return item["t"] == "Span" and "indexref" in item["c"][0][1]


def _running_head(data: bytes | None) -> str | None:
    root = _xml_root(data)
    if root is None:
        return None
    return "".join(node.text or "" for node in root.iter(f"{_W}t")) or None


def _xml_root(data: bytes | None) -> ElementTree.Element | None:
    """A small part's XML, or None when it is missing or damaged (the reader then goes without it)."""
    if not data:
        return None
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None


def xml_text(data: bytes | None, tag: str) -> str | None:
    """The text of the element `tag` (core properties' prefixes) in a small part, if it has one."""
    root = _xml_root(data)
    if root is None:
        return None
    node = root.find(tag, dict(_NS))
    return node.text if node is not None and node.text else None


def _merge(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
    """Adjacent texts joined into one, as the source reader joins them; italics (or bold) that run
    across a mention hold it: Word has italic runs, not nesting, and pandoc moves the spaces between
    them out (`*Emphasis around [Anora]{.film} too*` comes back as three runs)."""
    merged: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.Mention) and len(node.children) == 1 and isinstance(node.children[0], m.Emph | m.Strong):
            outer = type(node.children[0])
            node = outer((m.Mention(node.kind, node.key, node.anchor, node.children[0].children, node.pos),))
        if isinstance(node, m.Emph | m.Strong):
            kind = type(node)
            if merged and type(merged[-1]) is kind:
                merged[-1] = kind(_merge([*merged[-1].children, *node.children]))
                continue
            spaced = len(merged) >= 2 and isinstance(merged[-1], m.Text) and not merged[-1].text.strip()
            if spaced and type(merged[-2]) is kind:
                space = merged.pop()
                merged[-1] = kind(_merge([*merged[-1].children, space, *node.children]))
                continue
        if isinstance(node, m.Text) and merged and isinstance(merged[-1], m.Text):
            merged[-1] = m.Text(merged[-1].text + node.text)
        elif not (isinstance(node, m.Text) and not node.text):
            merged.append(node)
    return tuple(merged)


def _turn_timecodes(document_xml: bytes) -> list[Timecode | None]:
    """The timecode kept in each turn's opening paragraph (one with a Speaker run), in order: the bookmark
    the DOCX edition sets around a timed turn's label (writers/docx_source.py)."""
    if not document_xml:
        return []
    found = []
    for paragraph in ElementTree.fromstring(document_xml).iter(f"{_W}p"):
        styles = {style.get(f"{_W}val") for style in paragraph.iter(f"{_W}rStyle")}
        if "Speaker" not in styles:
            continue
        names = (mark.get(f"{_W}name", "") for mark in paragraph.iter(f"{_W}bookmarkStart"))
        found.append(next(filter(None, map(kept_source.timecode_of_bookmark, names)), None))
    return found
