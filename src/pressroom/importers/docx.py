"""The DOCX reader: pandoc's docx reader (`docx+styles`) gives an AST; this turns it into the model.

    pressroom's own DOCX (the edition `build --to docx` writes) is read by its named styles:
      title page + Imprint + TOC            -> front matter (with docProps/core.xml)
      Heading 1 (the headline), Headline Subtitle -> title, subtitle (with their XE fields)
      Headnote / Introduction paragraphs    -> headnote / introduction
      Question / Answer paragraphs, Speaker -> turns, speakers and their roles
      Film Title / Person + XE field        -> mentions, the key found by the XE text
      the index sections                    -> skipped (the index is rebuilt from the mentions)

Tracked changes are accepted and comments dropped (pandoc's `--track-changes=accept`), images
are dropped with a note, nothing outside the file is read (pandoc runs with `--sandbox`).
The DOCX is checked as a zip first: a truncated zip or one without word/document.xml is a
`SourceError` (exit 3) with nothing written.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pypandoc

from babel import Locale, UnknownLocaleError

from ..core import model as m
from ..core.errors import SourceError
from ..reading.frontmatter import FrontFields, read_front_matter
from ..reading.registry import Registry
from ..writers import docx_source as kept_source
from ..core.words import imprint_lines, long_date
from ..writers.docx import ast_text
from ..reading.yamltree import YamlFile
from . import proposals
from . import text as text_rules
from .notes import Note
from .people import People, mark_document

MAX_UNCOMPRESSED = 64 * 1024 * 1024  # a zip bomb is refused before pandoc sees it
MAX_KEPT_CHARS = 1024 * 1024  # the kept front matter (writers/docx_source.py): a few kilobytes, never megabytes of YAML
OWN_STYLES = frozenset({"Question", "Answer", "Headnote", "Introduction", "Headline Subtitle", "Imprint"})
MENTION_STYLES = {"Film Title": m.MentionKind.FILM, "Person": m.MentionKind.PERSON}
PART_STYLES = {"Headnote": "headnote", "Introduction": "introduction"}
TURN_STYLES = {"Question": m.Role.INTERVIEWER, "Answer": m.Role.INTERVIEWEE}
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CUSTOM_XML = re.compile(r"customXml/item\d+\.xml")


def read(path: Path, data: bytes, registry: Registry) -> tuple[m.Document, tuple[Note, ...]]:
    """The interview in the DOCX `data` (read from `path`, for messages), and the notes for review."""
    parts = _parts(path, data)
    try:
        ast = json.loads(pypandoc.convert_text(data, "json", format="docx+styles", sandbox=True,
                                               extra_args=["--track-changes=accept"]))
    except RuntimeError as error:
        raise SourceError(path, 1, 1, f"pandoc could not read the DOCX: {str(error).strip()[:300]}") from None
    notes: list[Note] = []
    if parts.get("word/comments.xml") and b"<w:comment " in parts["word/comments.xml"]:
        notes.append(Note(1, 1, "dropped", "Word comments dropped"))
    if b"<w:ins " in parts["word/document.xml"] or b"<w:del " in parts["word/document.xml"]:
        notes.append(Note(1, 1, "dropped", "tracked changes accepted (insertions kept, deletions removed)"))
    styles = _styles(ast["blocks"])
    if styles & OWN_STYLES:
        reader = _OwnReader(path, registry, notes, parts)
        document = reader.document(ast)
    else:
        document = _EditorReader(path, registry, notes, parts).document(ast)
    return document, tuple(notes)


# --- the package -------------------------------------------------------------


def _parts(path: Path, data: bytes) -> dict[str, bytes]:
    """The few small XML parts read beside pandoc (core properties, the running head, comments)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
                raise SourceError(path, 1, 1, f"the DOCX unpacks to more than {MAX_UNCOMPRESSED:,} bytes")
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                raise SourceError(path, 1, 1, "a ZIP archive without word/document.xml: not a DOCX")
            wanted = {"word/document.xml", "docProps/core.xml", "word/header-verso.xml", "word/comments.xml"}
            wanted |= {name for name in names if _CUSTOM_XML.fullmatch(name)}  # Word may renumber the items
            parts = {name: archive.read(name) for name in sorted(wanted & names)}
            parts["media"] = "\n".join(sorted(n for n in names if n.startswith("word/media/"))).encode()
            return parts
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError, ValueError) as error:
        raise SourceError(path, 1, 1, f"not a readable DOCX (a damaged or truncated zip: {error})") from None


def _xml_root(data: bytes | None) -> ElementTree.Element | None:
    """A small part's XML, or None when it is missing or damaged (the reader then goes without it)."""
    if not data:
        return None
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None


def _xml_text(data: bytes | None, tag: str, ns: dict[str, str] = _NS) -> str | None:
    root = _xml_root(data)
    if root is None:
        return None
    node = root.find(tag, ns)
    return node.text if node is not None and node.text else None


def _styles(blocks: list) -> set[str]:
    return {_style(block) for block in blocks if block["t"] == "Div"} - {None}


def _style(block: dict) -> str | None:
    if block["t"] != "Div":
        return None
    return dict(block["c"][0][2]).get("custom-style")


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
            if len(merged) >= 2 and type(merged[-2]) is kind and isinstance(merged[-1], m.Text) and not merged[-1].text.strip():
                space = merged.pop()
                merged[-1] = kind(_merge([*merged[-1].children, space, *node.children]))
                continue
        if isinstance(node, m.Text) and merged and isinstance(merged[-1], m.Text):
            merged[-1] = m.Text(merged[-1].text + node.text)
        elif not (isinstance(node, m.Text) and not node.text):
            merged.append(node)
    return tuple(merged)


# --- pressroom's own DOCX ------------------------------------------------------


class _OwnReader:
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
        texts = [kept_source.front_matter_of(data) for name, data in self.parts.items() if _CUSTOM_XML.fullmatch(name)]
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
            self.note("dropped", f"the source's front matter kept in the DOCX is damaged ({error.message}): read from the pages alone")
            return None
        for kind, entries in own.entries.items():
            for key, entry in entries.items():
                known = self.registry.entries[kind].setdefault(key, entry)
                self.registry.defined_at.setdefault((kind, key), own.defined_at[kind, key])
                if known != entry:
                    self.note("dropped", f"the source's own {kind.span_class} '{key}' differs from {kind.registry_file}'s: "
                                         f"{kind.registry_file}'s is used")
        return fields

    # the parts of the document, in the order the edition prints them
    def document(self, ast: dict) -> m.Document:
        blocks = ast["blocks"]
        author = ast["meta"].get("author", {})
        items = author.get("c", []) if author.get("t") == "MetaList" else [author] if author else []
        self.meta_authors = [ast_text(item["c"]) for item in items if item.get("t") == "MetaInlines"]
        imprint: list[str] = []
        author_line = None
        title: tuple[m.Inline, ...] = ()
        subtitle: tuple[m.Inline, ...] = ()
        parts: dict[str, list[m.Block]] = {"headnote": [], "introduction": [], "interview": []}
        turns: list[tuple[str, m.Role, list[m.Block]]] = []
        section = "front"  # front, contents, headline, headnote/introduction, interview, index
        i = 0
        while i < len(blocks):
            block, style = blocks[i], _style(blocks[i])
            i += 1
            if section in ("front", "contents"):
                if style == "Imprint":
                    imprint += [ast_text(b["c"]) for b in block["c"][1] if b["t"] in ("Para", "Plain")]
                elif style == "Author":
                    author_line = " ".join(ast_text(b["c"]) for b in block["c"][1] if b["t"] in ("Para", "Plain"))
                elif block["t"] == "Header" and "TOC-Heading" in block["c"][1][1]:
                    section = "contents"
                elif block["t"] == "Header" and block["c"][0] == 1 and section == "contents":
                    title = self.inlines(block["c"][2])
                    section = "headline"
                continue
            if self.running is None and not (style == "Headline Subtitle" and section == "headline"):
                self.running = self.running_head(title, subtitle)  # numbered before the text, as the source reader does
            if block["t"] == "Header" and block["c"][0] == 1:
                heading = ast_text(block["c"][2])
                if section != "interview" and heading == "The Interview":
                    section = "interview"
                    continue
                if heading in {kind.index_title for kind in m.MentionKind}:
                    break  # the indexes: rebuilt from the mentions, not read
            if style == "Headline Subtitle" and section == "headline":
                subtitle = self.inlines(next((b["c"] for b in block["c"][1] if b["t"] in ("Para", "Plain")), []))
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
        interview = tuple(
            m.Turn(by_label[item[0]], tuple(item[2])) if isinstance(item, tuple) else item for item in parts["interview"]
        )
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
            if first and first["t"] in ("Para", "Plain") and first["c"] and _style_of_span(first["c"][0]) == "Speaker":
                label = ast_text(first["c"][0]["c"][1]).strip().removesuffix(":")
                rest = first["c"][1:]
                if rest and rest[0]["t"] == "Space":
                    rest = rest[1:]
                turn = (label, TURN_STYLES[style], [])
                turns.append(turn)
                out.append(turn)
                if rest:
                    turn[2].append(m.Para(self.inlines(rest)))
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

    def front_matter(self, title: tuple, subtitle: tuple, turns: list, imprint: list[str], author_line: str | None) -> m.FrontMatter:
        core = self.parts.get("docProps/core.xml")
        lang = _xml_text(core, "dc:language") or "en"
        keywords = _xml_text(core, "cp:keywords")
        day = _long_date_of(imprint, lang)
        authors: tuple[str, ...] = ()
        if author_line:  # the source names authors: the title page lists them, the Author line the interviewees
            authors = tuple(self.meta_authors)
            interviewee_text = author_line.removeprefix("An interview with ")
        else:  # the title page says "An interview with X" for each interviewee
            interviewee_text = " and ".join(a.removeprefix("An interview with ") for a in self.meta_authors)
        roles: dict[str, m.Role] = {}
        for label, role, _ in turns:
            roles.setdefault(label, role)
        interviewees = [label for label, role in roles.items() if role is m.Role.INTERVIEWEE]
        names = interviewee_text.split(" and ") if interviewee_text else []
        if len(names) != len(interviewees):
            names = [""] * len(interviewees)
            if interviewee_text:
                self.note("speakers", f"the interviewees' names '{interviewee_text}' do not match the labels; names left out")
        named = dict(zip(interviewees, names, strict=True))
        speakers = tuple(m.Speaker(label, role, (named.get(label) or None) if named.get(label) != label else None)
                         for label, role in roles.items())
        kept = self.kept_speakers(speakers)
        if kept:
            speakers = kept
        elif any(s.role is m.Role.INTERVIEWER for s in speakers):
            self.note("speakers", "an interviewer's name is not in the DOCX: add `name:` under speakers: if the source had one")
        front = dict(_imprint(imprint, day, lang))
        if self.kept and imprint == imprint_lines(_imprint_of(self.kept), printed=False):  # the kept fields, not a guess
            day = self.kept.date
            front = {"identifier": self.kept.identifier, "publisher": self.kept.publisher, "rights": self.kept.rights,
                     "history": self.kept.history}
        default_head = " and ".join(s.name or s.label for s in speakers if s.role is m.Role.INTERVIEWEE)
        running = self.running if self.running is not None else self.running_head(title, subtitle)
        return m.FrontMatter(
            title=title,
            subtitle=subtitle,
            lang=lang,
            speakers=speakers,
            running_head=running if m.plain_text(running) != default_head else (),
            date=day,
            identifier=front.get("identifier"),
            authors=authors,
            publisher=front.get("publisher"),
            rights=front.get("rights"),
            history=tuple(front.get("history", ())),
            keywords=self.keywords(keywords),
        )

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
        """The verso head (plain text in its header part), its mentions marked where the headline marks the same words."""
        text = _running_head(self.parts.get("word/header-verso.xml")) or ""
        marked = {(m.plain_text(x.children), x.kind, x.key) for x in (*title, *subtitle) if isinstance(x, m.Mention)}
        # the head is plain text: a film's title in it is taken to be marked, as a mention in the headline is
        films = self.registry.entries.get(m.MentionKind.FILM, {})
        marked |= {(name, m.MentionKind.FILM, key) for key, film in films.items() for name in film.names
                   if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)}
        out: list[m.Inline] = []
        while text:
            found = min(((text.find(words), words, kind, key) for words, kind, key in marked if words and words in text),
                        default=None)
            if found is None:
                out.append(m.Text(text))
                break
            at, words, kind, key = found
            out.append(m.Text(text[:at]))
            self.mentions[kind, key] += 1
            out.append(m.Mention(kind, key, f"{kind.span_class}-{key}-{self.mentions[kind, key]}", (m.Text(words),), m.Pos(1, 1)))
            text = text[at + len(words):]
        return _merge(out)

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
                inlines = self.inlines(c)
                return m.Para(inlines) if inlines or not c else None
            case "Header":
                return m.Heading(max(1, c[0] - 1), self.inlines(c[2]))
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
                style = _style(item)
                if style in ("Block Text", "Quote"):
                    inner = self.blocks(c[1])
                    if inner and all(isinstance(b, m.BlockQuote) for b in inner):
                        return inner  # pandoc read the style's indent as a quotation already
                    return m.BlockQuote(tuple(inner))
                return self.blocks(c[1])
            case "Figure":
                self.images += 1
                return None
            case "Table":
                self.note("dropped", "a table dropped: a source holds no tables")
                return None
            case _:
                self.note("dropped", f"a {kind} dropped")
                return None

    def inlines(self, items: list) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        i = 0
        while i < len(items):
            item = items[i]
            i += 1
            style = _style_of_span(item)
            if style in MENTION_STYLES:
                entry = None
                if i < len(items) and _is_indexref(items[i]):
                    entry = dict(items[i]["c"][0][2]).get("entry")
                    i += 1
                out.append(self.mention(MENTION_STYLES[style], item["c"][1], entry))
                continue
            out += self.inline(item)
        return _merge(out)

    def mention(self, kind: m.MentionKind, children: list, entry: str | None) -> m.Inline:
        content = self.inlines(children)
        text = m.plain_text(content)
        keys = self.by_xe.get((kind, entry), []) if entry else []
        if not keys:
            keys = [e.key for e in self.registry.find(kind, text)]
        if len(keys) != 1:
            why = f"its index entry '{entry}'" if entry else "its text"
            self.note("doubtful-film" if kind is m.MentionKind.FILM else "dropped",
                      f"'{text}' is marked {kind.span_class} in the DOCX but {why} names "
                      f"{'no' if not keys else 'more than one'} entry of {kind.registry_file}: left unmarked")
            return m.Emph(content) if kind is m.MentionKind.FILM else (content[0] if len(content) == 1 else m.Emph(content))
        key = keys[0]
        self.mentions[kind, key] += 1
        return m.Mention(kind, key, f"{kind.span_class}-{key}-{self.mentions[kind, key]}", content, m.Pos(1, 1))

    def inline(self, item: dict) -> list[m.Inline]:
        kind, c = item["t"], item.get("c")
        match kind:
            case "Str":
                return [m.Text(c)]
            case "Space" | "SoftBreak":
                return [m.Text(" ")]
            case "LineBreak":
                return [m.LineBreak()]
            case "Emph" | "Underline":
                return [m.Emph(self.inlines(c))]
            case "Strong":
                return [m.Strong(self.inlines(c))]
            case "SmallCaps":
                return [m.SmallCaps(self.inlines(c))]
            case "Code":
                return [m.Code(c[1])]
            case "Quoted":
                opening, closing = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
                return [m.Text(opening), *self.inlines(c[1]), m.Text(closing)]
            case "Link":
                url = c[2][0]
                children = self.inlines(c[1])
                if re.match(r"(https?|mailto):", url, re.I):
                    return [m.Link(url, children)]
                return list(children)
            case "Note":
                self.footnotes += 1
                return [m.NoteRef(self.footnotes, tuple(self.blocks(c)))]
            case "Span":
                if _is_indexref(item):
                    return []
                return list(self.inlines(c[1]))
            case "Image":
                self.images += 1
                return []
            case "Strikeout" | "Superscript" | "Subscript" | "Cite":
                inner = c[1] if kind == "Cite" else c
                return list(self.inlines(inner))
            case _:
                return []


def _style_of_span(item: dict) -> str | None:
    if item["t"] != "Span":
        return None
    return dict(item["c"][0][2]).get("custom-style")


def _is_indexref(item: dict) -> bool:
    return item["t"] == "Span" and "indexref" in item["c"][0][1]


def _running_head(data: bytes | None) -> str | None:
    root = _xml_root(data)
    if root is None:
        return None
    return "".join(node.text or "" for node in root.iter(f"{_W}t")) or None


def _long_date_of(imprint: list[str], lang: str) -> date | None:
    """The source's date, from the imprint line that writes it out (core.xml holds the build's time)."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    months = {name.casefold(): number for number, name in locale.months["format"]["wide"].items()}
    for line in reversed(imprint):
        year = re.search(r"\b(\d{4})\b", line)
        month = next((n for name, n in months.items() if re.search(rf"\b{re.escape(name)}\b", line.casefold())), None)
        if not year or not month:
            continue
        for day in re.findall(r"\b(\d{1,2})\b", line):
            try:
                candidate = date(int(year[1]), month, int(day))
            except ValueError:
                continue
            if long_date(candidate, lang) == line:
                return candidate
    return None


def _imprint_of(fields: FrontFields) -> m.FrontMatter:
    """Front matter with the fields the imprint page prints, to compare the page with what was kept."""
    return m.FrontMatter(title=(), subtitle=(), lang=fields.lang, speakers=(), date=fields.date, identifier=fields.identifier,
                         publisher=fields.publisher, rights=fields.rights, history=fields.history)


_IDENTIFIER = re.compile(r"(urn|doi|isbn|https?|uuid|tag):\S+|\S+:\S+", re.I)
_RIGHTS = re.compile(r"^(©|\(c\)|copyright\b)|rights reserved|licen[cs]e|creative commons", re.I)


def _imprint(lines: list[str], day: date | None, lang: str) -> dict:
    """The imprint page's lines as the DOCX writer sets them (publisher, history..., rights,
    identifier, date, "Typeset with pressroom"), told apart by what each looks like: the page
    carries no field names, so this is the one part of the front matter that is a guess."""
    lines = [line for line in lines if line != "Typeset with pressroom"]
    if day and lines and lines[-1] == long_date(day, lang):
        lines = lines[:-1]
    found: dict = {}
    if lines and " " not in lines[-1] and _IDENTIFIER.fullmatch(lines[-1]):
        found["identifier"] = lines.pop()
    if lines and _RIGHTS.search(lines[-1]):
        found["rights"] = lines.pop()
    if lines and not lines[0].endswith((".", "!", "?")) and len(lines[0].split()) <= 8:
        found["publisher"] = lines.pop(0)
    if lines:
        found["history"] = lines
    return found


# --- an editor's DOCX ----------------------------------------------------------

_LABEL = re.compile(r"([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}):?\Z")
_INTERVIEWER_LABELS = frozenset({"Q", "Question", "Interviewer"})


class _EditorReader(_OwnReader):
    """A transcript as an editor writes it in Word: Title and Subtitle paragraphs, an italic standfirst
    (the headnote), introduction paragraphs, then turns whose labels are in bold (`Q:`, `Baker:`);
    film titles in italics, matched against the registry; Quote paragraphs are quotations."""

    def document(self, ast: dict) -> m.Document:
        meta = ast["meta"]
        title = self.inlines(meta.get("title", {}).get("c", [])) if meta.get("title", {}).get("t") == "MetaInlines" else ()
        subtitle = self.inlines(meta.get("subtitle", {}).get("c", [])) if meta.get("subtitle", {}).get("t") == "MetaInlines" else ()
        if not title:
            self.note("headline", "no paragraph in the Title style: the title is empty; write one before `check`")
        flat = self.flatten(ast["blocks"])
        labelled = [(self.label_of(block), block) for block in flat]
        counts = Counter(label for label, _ in labelled if label)
        declared = {label for label, n in counts.items() if n >= 2}
        if not declared:
            raise SourceError(self.path, 1, 1, "no speaker labels: no bold 'Label:' begins two paragraphs, so there are no turns to import")
        first = next(i for i, (label, _) in enumerate(labelled) if label in declared)
        before = [block for _, block in labelled[:first]]
        headnote: list[m.Block] = []
        if before and before[0]["t"] == "Para" and len(before[0]["c"]) == 1 and before[0]["c"][0]["t"] == "Emph":
            headnote = [m.Para(self.inlines(before[0]["c"][0]["c"]))]  # the italic standfirst, its italics dropped
            before = before[1:]
        introduction = self.blocks(before)
        turns: list[tuple[str, list[m.Block]]] = []
        for label, block in labelled[first:]:
            if label in declared:
                rest = block["c"][1:]
                if rest and rest[0]["t"] == "Str" and rest[0]["c"].startswith(":"):
                    rest = [{"t": "Str", "c": rest[0]["c"][1:]}, *rest[1:]]
                while rest and (rest[0]["t"] in ("Space", "SoftBreak") or rest[0] == {"t": "Str", "c": ""}):
                    rest = rest[1:]
                turns.append((label, [m.Para(self.inlines(rest))] if rest else []))
            else:
                if label:
                    self.note("label-once", f"'{label}:' begins only one paragraph: not declared as a speaker; kept as text")
                turns[-1][1].extend(self.blocks([block]))
        speakers = self.speakers(turns, [m.plain_text(title), m.plain_text(subtitle),
                                         *(_plain_blocks(b) for b in (*headnote, *introduction))])
        by_label = {speaker.label: speaker for speaker in speakers}
        if self.images:
            self.note("dropped", f"{self.images} image(s) dropped: a source holds no images")
        people = People(self.registry, self.notes, Counter(), text_rules._speaker_words(speakers))
        return mark_document(m.Document(
            source_name=self.path.stem,
            front=m.FrontMatter(title=title, subtitle=subtitle, lang=_xml_text(self.parts.get("docProps/core.xml"), "dc:language") or "en",
                                speakers=speakers),
            headnote=tuple(headnote),
            introduction=tuple(introduction),
            interview=tuple(m.Turn(by_label[label], tuple(blocks)) for label, blocks in turns),
            registry=self.registry.entries,
        ), people)

    def flatten(self, blocks: list) -> list[dict]:
        """Top-level blocks with the style Divs opened, but for quotations (kept whole)."""
        out = []
        for block in blocks:
            style = _style(block)
            if block["t"] == "Div" and style not in ("Quote", "Intense Quote", "Block Text"):
                out += self.flatten(block["c"][1])
            else:
                out.append(block)
        return out

    @staticmethod
    def label_of(block: dict) -> str | None:
        """The bold label that opens a paragraph (`**Baker:**` or `**Baker**:`), if any."""
        if block["t"] != "Para" or not block["c"] or block["c"][0]["t"] != "Strong":
            return None
        text = ast_text(block["c"][0]["c"]).strip()
        after = block["c"][1] if len(block["c"]) > 1 else None
        if not text.endswith(":") and not (after and after["t"] == "Str" and after["c"].startswith(":")):
            return None
        match = _LABEL.match(text)
        return match.group(1) if match else None

    def speakers(self, turns: list, context: list[str]) -> tuple[m.Speaker, ...]:
        """The interviewer asks (a `Q` label, or the most paragraphs ending in '?'); names from the headline or introduction."""
        labels = list(dict.fromkeys(label for label, _ in turns))
        asks = Counter(label for label, blocks in turns for b in blocks[:1] if _plain_blocks(b).rstrip().endswith("?"))
        interviewer = next((label for label in labels if label in _INTERVIEWER_LABELS), None)
        interviewer = interviewer or max(labels, key=lambda label: (asks[label], -labels.index(label)))
        speakers = []
        for label in labels:
            role = m.Role.INTERVIEWER if label == interviewer else m.Role.INTERVIEWEE
            name = None
            if role is m.Role.INTERVIEWEE and " " not in label:
                pattern = re.compile(rf"\b([A-Z][\w’'-]+ ){re.escape(label)}\b")  # "Sean Baker" for Baker
                found = next((hit for text in reversed(context) if (hit := pattern.search(text))), None)
                name = f"{found.group(1)}{label}" if found else None
            speakers.append(m.Speaker(label, role, name))
        self.note("speakers", "speakers as guessed: " + ", ".join(
            f"{s.label} ({s.role.value}{', ' + s.name if s.name else ''})" for s in speakers))
        return tuple(speakers)

    def inline(self, item: dict) -> list[m.Inline]:
        if item["t"] == "Emph":
            content = self.inlines(item["c"])
            text = m.plain_text(content).strip()
            films = self.registry.find(m.MentionKind.FILM, text) if text else []
            if not films and proposals.title_shaped(text):
                films = [proposals.proposed_film(text, self.registry)]
                self.note("proposed-film", proposals.message(text, films[0].key))
            if len(films) == 1:
                key = films[0].key
                self.mentions[m.MentionKind.FILM, key] += 1
                return [m.Mention(m.MentionKind.FILM, key, f"film-{key}-{self.mentions[m.MentionKind.FILM, key]}", content, m.Pos(1, 1))]
            if text and len(text.split()) <= 8:
                why = "names more than one film" if films else "matches no film"
                self.note("doubtful-film", f"italic '{text}' {why} in {m.MentionKind.FILM.registry_file}: left in italics, unmarked")
            return [m.Emph(content)]
        return super().inline(item)


def _plain_blocks(block: m.Block) -> str:
    match block:
        case m.Para(children) | m.Heading(_, children):
            return m.plain_text(children)
        case m.BlockQuote(blocks) | m.Turn(_, blocks):
            return " ".join(_plain_blocks(b) for b in blocks)
    return ""
