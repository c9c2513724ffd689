"""The model rendered to XHTML, once, for both the PDF and the EPUB.

The book is a list of `Part`s (title page, imprint, opening, interview,
indexes ...). The PDF writer joins them into one document; the EPUB writer
makes one file of each. They differ in stylesheet and packaging only; the one
thing a renderer must know is where a part lives, so that index locators and
note references link across files in the EPUB.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from types import MappingProxyType

from ..core import model as m
from ..core.words import BACK_TO_NOTE, BY, EDITED_BY, INTERVIEW_WITH, imprint_lines, words_for
from ..reading.images import data_url
from ..reading.index import PageSpan, printed_locators
from .pagebreaks import PARAGRAPH_ID_PREFIX
from .xhtml_inlines import TITLE_KINDS, InlineRenderer

XHTML_NS = "http://www.w3.org/1999/xhtml"
INDEX_PARTS = tuple(kind.index_id for kind in m.MentionKind)  # the back matter that prints page numbers
EPUB_NS = "http://www.idpf.org/2007/ops"

# Which part of the book a locator's part of the text is printed in: the headline opens the text
# (the title page, display front matter, holds no anchors and is never indexed).
_PART_OF_TEXT = MappingProxyType(
    {"headline": "opening", "headnote": "opening", "introduction": "opening", "interview": "interview"})


@dataclass(frozen=True)
class FigureSize:
    """A figure's picture as printed, in points: its box, and the caption's inset on each side
    (the caption spans the picture's width, or more of the measure when the picture is narrow)."""

    width: float
    height: float
    caption_inset: float


@dataclass(frozen=True)
class Part:
    """One division of the book: a file of its own in the EPUB, a page sequence in the PDF."""

    name: str  # "titlepage", "interview", "film-index" ...: the id of its <section>, and the EPUB file stem
    title: str  # how the table of contents names it
    body: str  # the XHTML of the <section>
    in_contents: bool = True  # listed by the print contents, the EPUB navigation and the PDF's outline
    front: bool = False  # display front matter (half-title to contents), set before the text


class Renderer(InlineRenderer):
    """Renders the parts of a book: one interview, or a collection of them as chapters.

    href_of: where a part lives, for links ("" when the book is one file).
    pages:   the print pages of each mention's anchor (first and last), once the book is
             laid out; index locators then print page numbers (see `printed_locators`).
             Without it they print the mention's ordinal (1, 2, 3 ...).
    print_edition: the book is printed: a half-title and contents page, notes
             at the foot of the page where they are called (the e-reader
             edition has them at the end of the section).
    columned_indexes: the indexes long enough to be set in two columns (print).
    section_pages: the print page each part opens on, when the parts are laid out apart (a
             collection's chapters): the contents page then prints these numbers, since a
             page counter cannot reach into another laid-out document.
    figure_sizes: the printed width and height of each figure's picture, in points, on the
             baseline grid (print; see layout.py). The print edition embeds its pictures;
             the e-reader edition links to them as `images/<figure id>.<extension>`.
    picture_url: how the print edition embeds a picture (a PDF/X file's separated for the press).
    held_figures: print figures set after the next N paragraphs of the text rather than where
             the source has them, as a typesetter floats a picture that does not fit at
             the foot of a page to the next (see layout.py); the e-reader keeps the source's order.
    """

    def __init__(
        self,
        book: m.Book,
        href_of: Callable[[str], str] = lambda part: "",
        pages: Mapping[str, PageSpan] | None = None,
        print_edition: bool = False,
        columned_indexes: frozenset[str] = frozenset(),
        section_pages: Mapping[str, int] | None = None,
        figure_sizes: Mapping[str, FigureSize] | None = None,
        held_figures: Mapping[str, int] | None = None,
        picture_url: Callable[[m.Image], str] = data_url,
    ):
        super().__init__(print_edition)
        self.book = book
        self.words = words_for(book.front.lang)  # the book's; a chapter's own words are `chapter_words`
        self.figure_sizes = figure_sizes or {}
        self.held_figures = held_figures or {}
        self.picture_url = picture_url
        self._held: list[list] = []  # [figure's XHTML, paragraphs still to pass] for each figure held back
        self._depth = 0  # of `blocks` calls: a part's text ends where the outermost one does
        self.section_pages = section_pages
        self.href_of = href_of
        self.pages = pages
        self.columned_indexes = columned_indexes
        self.last_heading = 2  # the rank of the heading rendered last: each part opens with an h2
        self.paragraphs = 0  # numbers the text's paragraphs: p-1, p-2 ... in reading order, through the book
        self.numbered = True  # False inside a note: its paragraphs are not numbered (print sets them as spans)
        self._enter(book.chapters[0])

    def _enter(self, doc: m.Document) -> None:
        """Render the interview `doc` from here on (a collection's chapters, one after another)."""
        self.doc = doc
        self.chapter_words = words_for(doc.front.lang)
        self.ids = doc.id_prefix  # "c2-": a chapter's note ids are unique in the book, as its anchors are
        self.subheads = 0
        text = doc.headnote + doc.introduction + doc.interview
        self.heading_levels = sorted({b.level for b in m.nested(text, m.Heading)})  # the source's, in use; see `block`

    # --- the book ------------------------------------------------------------

    def parts(self) -> list[Part]:
        """The book's parts in reading order; the half-title and contents page are print-only.

        One interview is an opening (headline, headnote, introduction) and the interview; a
        collection has a chapter for each interview, with its part titles between them."""
        print_edition = self.print_edition
        parts = []
        if print_edition:
            parts.append(self._front("halftitle", self._halftitle()))
        parts.append(self._front("titlepage", self._titlepage()))
        parts.append(self._front("imprint", self._imprint()))
        if print_edition:
            parts.append(self._front("contents", ""))
        if isinstance(self.book, m.Collection):
            for item in self.book.contents:
                if isinstance(item, m.PartTitle):
                    parts.append(Part(item.ident, item.title, self._part_title(item)))
                else:
                    parts.append(Part(chapter_id(item.chapter), m.plain_text(item.front.title), self._chapter(item)))
        else:
            parts.append(self._opening())
            parts.append(Part("interview", self.words.part("interview"), self._interview()))
        parts.extend(self.index_parts())
        if print_edition:
            contents = next(i for i, p in enumerate(parts) if p.name == "contents")
            parts[contents] = self._front("contents", self.contents(parts))
        return parts

    def index_parts(self) -> list[Part]:
        """The back matter that prints page numbers: one index per mention kind that has entries."""
        kinds = [kind for kind in m.MentionKind if self.book.index[kind]]
        return [Part(kind.index_id, self.words.part(kind.index_id), self._index(kind)) for kind in kinds]

    def _section(
        self, part: str, epub_type: str, inner: str, role: str | None = None, classes: str = "",
        lang: str | None = None, running_head: str | None = None,
    ) -> str:
        attributes = f' role="{role}"' if role else ""
        if running_head and self.print_edition:  # the recto head over the part (print.css's string-set)
            attributes += f' data-part-title="{escape(running_head)}"'
        if lang:  # a chapter in another language than the book's: read aloud and hyphenated as its own
            attributes += f' lang="{escape(lang)}" xml:lang="{escape(lang)}"'
        classes = classes or (f"{part} index" if epub_type == "index" else part)
        if part in self.columned_indexes:
            classes += " columned"
        return f'<section id="{part}" class="{classes}" epub:type="{epub_type}"{attributes}>\n{inner}</section>\n'

    def _halftitle(self) -> str:
        title = self.inlines(self.book.front.title, anchors=False)
        return self._section("halftitle", "halftitlepage", f'<p class="halftitle-title">{title}</p>\n')

    def _titlepage(self) -> str:
        """The title page: display lines, not paragraphs of text. They stand in a <header> (the title and
        subtitle in an <hgroup>, as the headline's), whose paragraphs reading systems leave as the book sets
        them (Readium CSS's alignment and indent settings pass over them); epub.css centres each line by a
        rule of its own."""
        front = self.book.front
        inner = f'<h1 class="title">{self.inlines(front.title, anchors=False)}</h1>\n'
        if front.subtitle:
            subtitle = self.inlines(front.subtitle, anchors=False)
            inner = f'<hgroup>\n{inner}<p class="subtitle">{subtitle}</p>\n</hgroup>\n'
        say, names = self.words.say, self.words.and_list
        if front.interviewee_names:
            inner += f'<p class="interviewee">{escape(say(INTERVIEW_WITH, names=names(front.interviewee_names)))}</p>\n'
        if front.interviewer_names:
            inner += f'<p class="interviewer">{escape(say(BY, names=names(front.interviewer_names)))}</p>\n'
        if front.editors:
            inner += f'<p class="editor">{escape(say(EDITED_BY, names=names(front.editors)))}</p>\n'
        if front.publisher:
            inner += f'<p class="publisher">{escape(front.publisher)}</p>\n'
        return self._section("titlepage", "titlepage", f"<header>\n{inner}</header>\n")

    def _imprint(self) -> str:
        """The copyright page (core/words.py's lines); no labels."""
        lines = imprint_lines(self.book.front, self.print_edition, isinstance(self.book, m.Collection))
        inner = "".join(f'<p class="imprint-line">{escape(line)}</p>\n' for line in lines)
        return self._section("imprint", "copyright-page", inner)

    def contents(self, parts: list[Part]) -> str:
        """The contents page: each part (with its page, in print); a collection's chapters by interviewee
        and title. The print edition's contents page, and the web edition's collection's home page."""
        chapters = {chapter_id(d.chapter): d for d in self.book.chapters} if isinstance(self.book, m.Collection) else {}
        items = "".join(self._contents_item(p, chapters.get(p.name)) for p in parts if p.in_contents)
        heading = escape(self.words.part("contents"))
        inner = f'<h2 class="contents-heading">{heading}</h2>\n<ol class="contents-list">\n{items}</ol>\n'
        return self._section("contents", "toc", inner, role="doc-toc")

    def _contents_item(self, part: Part, chapter: m.Document | None) -> str:
        page = f' data-page="{self.section_pages[part.name]}"' if self.section_pages else ""
        link = f'<a href="{self.href_of(part.name)}#{part.name}"{page}>'
        if chapter is None:
            kind = ' class="contents-part"' if part.name.startswith("part-") else ""
            return f"<li{kind}>{link}{escape(part.title)}</a></li>\n"
        name = escape(self.words.and_list(chapter.front.interviewee_names))
        title = self.inlines(chapter.front.title, anchors=False)
        return (f'<li class="contents-chapter">{link}<span class="contents-name">{name}</span> '
                f'<span class="contents-title">{title}</span></a></li>\n')

    def _part_title(self, part: m.PartTitle) -> str:
        """A part title between a collection's chapters, on a page of its own."""
        return self._section(part.ident, "part", f'<h2 class="part-title">{escape(part.title)}</h2>\n', role="doc-part",
                             classes="part")

    def _chapter(self, doc: m.Document) -> str:
        """One interview of a collection: its opening, then its interview, which print begins on a page
        of its own as the book of one interview does (no heading of its own: the headline has opened
        it); its notes are numbered from 1."""
        self._enter(doc)
        head = f'<div class="chapter-head" aria-hidden="true">{self._running_head_text(doc.front)}</div>\n'
        inner = (head if self.print_edition else "") + self._headline()  # first: paragraphs numbered in reading order
        interview = self.blocks(doc.interview)
        inner += f'<div id="{chapter_interview_id(doc.chapter)}" class="chapter-interview">\n{interview}</div>\n'
        inner += self._notes()
        lang = doc.front.lang if doc.front.lang != self.book.front.lang else None
        return self._section(
            chapter_id(doc.chapter), "bodymatter chapter", inner, role="doc-chapter", classes="chapter", lang=lang)

    def _opening(self) -> Part:
        """The first page of the text: the headline as a book sets it, title and subtitle on lines of their own.

        It is the Introduction only when the source has one: else it is the interview's title page, which
        the contents, the navigation and the PDF's outline do not list (class `headline-only`: the print
        stylesheet gives it no bookmark and the interview's running head)."""
        if self.doc.introduction:
            title = self.words.part("opening")
            body = self._section("opening", "bodymatter chapter", self._headline(title) + self._notes(),
                                 role="doc-chapter", running_head=title)
            return Part("opening", title, body)
        body = self._section("opening", "bodymatter chapter", self._headline() + self._notes(), role="doc-chapter",
                             classes="opening headline-only", running_head=self.words.part("interview"))
        return Part("opening", m.plain_text(self.doc.front.title), body, in_contents=False)

    def _headline(self, bookmark: str | None = None) -> str:
        """An interview's headline, headnote and introduction; `bookmark`: the PDF outline's name for it."""
        front = self.doc.front
        self.last_heading = 2
        marked = f' data-bookmark="{escape(bookmark)}"' if bookmark and self.print_edition else ""
        inner = f'<h2 class="opening-title"{marked}>{self.inlines(front.title)}</h2>\n'  # the index points here
        if front.subtitle:
            inner = (
                f'<hgroup class="headline">\n{inner}'
                f'<p class="opening-subtitle">{self.inlines(front.subtitle)}</p>\n</hgroup>\n'
            )
        if self.doc.headnote:
            inner += f'<div class="headnote">\n{self.blocks(self.doc.headnote)}</div>\n'
        if self.doc.introduction:
            inner += f'<div class="introduction">\n{self.blocks(self.doc.introduction)}</div>\n'
        return inner

    def _interview(self) -> str:
        self.last_heading = 2
        title = self.words.part("interview")
        inner = f'<h2 class="interview-heading">{escape(title)}</h2>\n' + self.blocks(self.doc.interview)
        return self._section("interview", "bodymatter chapter", inner + self._notes(), role="doc-chapter",
                             running_head=title)

    def _index(self, kind: m.MentionKind) -> str:
        items = "".join(self._entry(entry, kind, f"{kind.index_id}-{number}")
                        for number, entry in enumerate(self.book.index[kind], start=1))
        title = self.words.part(kind.index_id)
        inner = (
            f'<h2 class="index-heading">{escape(title)}</h2>\n'
            f'<ul class="index-entries" epub:type="index-entry-list">\n{items}</ul>\n'
        )
        return self._section(kind.index_id, "index", inner, role="doc-index", running_head=title)

    def _entry(self, entry: m.IndexEntry, kind: m.MentionKind, ident: str) -> str:
        """An entry of an index; its id is where the EPUB marks a print page that begins with it."""
        term = escape(entry.heading)
        if kind in TITLE_KINDS:
            term = f"<cite>{term}</cite>"
        detail = f' <span class="entry-detail">({escape(entry.detail)})</span>' if entry.detail else ""
        if self.pages is None:
            locators = ", ".join(self._locator(loc, str(n)) for n, loc in enumerate(entry.locators, start=1))
        else:  # one link per printed locator, a range ("8–9") included
            locators = ", ".join(
                self._locator(p.target, f"<i>{p.label}</i>" if p.illustration else p.label)
                for p in printed_locators(entry.locators, self.pages))
        return (
            f'<li id="{ident}" class="index-entry" epub:type="index-entry">'
            f'<span class="index-term" epub:type="index-term">'
            f'{term}</span>{detail} <span class="locators">{locators}</span></li>\n'
        )

    def _locator(self, loc: m.Locator, label: str) -> str:
        part = chapter_id(loc.chapter) if loc.chapter else _PART_OF_TEXT[loc.part]
        href = f"{self.href_of(part)}#{loc.anchor}"
        return f'<a class="locator" epub:type="index-locator" href="{href}">{label}</a>'

    def _notes(self) -> str:
        """The notes called in the part just rendered, as endnotes at its end (Standard Ebooks' markup):
        a numbered list, each note closed by a link back to where it is called. An <li> is already a
        list item to assistive technology: DPUB-ARIA 1.1 deprecates role="doc-endnote" (EPUBCheck warns)."""
        if not self.notes:
            return ""
        rendered: dict[int, str] = {}
        while self.notes:  # a note may call a later one: it joins the list
            pending, self.notes = self.notes, []
            for note in pending:
                rendered.setdefault(note.number, self._endnote(note))
        numbers = sorted(rendered)
        values = {n: "" if n == numbers[0] + i else f' value="{n}"' for i, n in enumerate(numbers)}  # a gap: say so
        items = "".join(
            f'<li id="{self.ids}note-{n}" epub:type="endnote"{values[n]}>\n{rendered[n]}</li>\n' for n in numbers)
        return (
            f'<section id="{self.ids}notes-{numbers[0]}" class="notes" epub:type="endnotes" role="doc-endnotes">\n'
            f'<h3 class="notes-heading">{escape(self.chapter_words.part("notes"))}</h3>\n'
            f'<ol start="{numbers[0]}">\n{items}</ol>\n</section>\n'
        )

    def _endnote(self, note: m.NoteRef) -> str:
        """A note's blocks, its back link ending its last paragraph (or a paragraph of its own).

        Its paragraphs are not the text's: unnumbered, as in print, so that the paragraphs after
        them keep the numbers the print layout reports its pages by.
        """
        backlink = (
            f'<a href="#{self.ids}noteref-{note.number}" class="backlink" epub:type="backlink" role="doc-backlink" '
            f'aria-label="{escape(self.chapter_words.say(BACK_TO_NOTE, number=note.number))}">↩</a>'
        )
        *body, last = note.blocks or (m.Para(()),)
        self.numbered = False
        try:
            inner = self.blocks(tuple(body))
            if isinstance(last, m.Para):  # the arrow never alone on a line
                return inner + f"<p>{self.inlines(last.children)}\u00a0{backlink}</p>\n"
            return inner + self.block(last) + f"<p>{backlink}</p>\n"
        finally:
            self.numbered = True

    # --- blocks -------------------------------------------------------------

    def blocks(self, blocks: tuple[m.Block, ...]) -> str:
        self._depth += 1
        try:
            out = "".join(self.block(b) for b in blocks)
        finally:
            self._depth -= 1
        if not self._depth and self._held:  # the end of a part of the text: no figure held past it
            out += "".join(figure for figure, _ in self._held)
            self._held = []
        return out

    def block(self, block: m.Block) -> str:
        match block:
            case m.Para(children):
                return self._paragraph(children)
            case m.Turn():
                return self._turn(block)
            case m.Heading(level, children):  # under the section's h2, the source's levels in turn: no level skipped
                rank = min(3 + sum(used < level for used in self.heading_levels), self.last_heading + 1, 6)
                self.last_heading = rank
                tag = f"h{rank}"
                self.subheads += 1  # its id: where the EPUB marks a print page that begins with it
                ident = f"{self.ids}subhead-{self.subheads}"
                return f'<{tag} id="{ident}" class="subhead">{self.inlines(children)}</{tag}>\n'
            case m.BlockQuote(blocks):
                return f"<blockquote>\n{self.blocks(blocks)}</blockquote>\n"
            case m.ListBlock(ordered, items, start):
                tag = "ol" if ordered else "ul"
                start_attr = f' start="{start}"' if ordered and start != 1 else ""
                lis = "".join(f"<li>{self.blocks(item)}</li>\n" for item in items)
                return f"<{tag}{start_attr}>\n{lis}</{tag}>\n"
            case m.CodeBlock(text):
                return f"<pre><code>{escape(text)}</code></pre>\n"
            case m.Rule():
                return '<hr class="section-break"/>\n'
            case m.Figure():
                if self.print_edition and self.held_figures.get(block.ident):
                    self._held.append([self._figure(block), self.held_figures[block.ident]])
                    return ""
                return self._figure(block)
            case _:
                raise TypeError(f"html: unknown block {type(block).__name__}")

    def _figure(self, figure: m.Figure) -> str:
        """The picture and, under it, its caption with the credit run on (Chicago 3.29)."""
        image = figure.image
        anchor = f' id="{figure.film.anchor}"' if figure.film is not None else ""  # where the index points
        if self.print_edition:
            size = self.figure_sizes[figure.ident]  # layout.py sizes every figure of the print edition
            src = self.picture_url(image)
            dimensions = f' style="width: {size.width:.2f}pt; height: {size.height:.2f}pt"'
            inset = f' style="margin: 0 {size.caption_inset:.2f}pt"' if size.caption_inset else ""
        else:
            src, dimensions, inset = figure_href(figure), f' width="{image.width}" height="{image.height}"', ""
        credit = f' <span class="credit">{escape(figure.credit)}</span>' if figure.credit else ""
        return (
            f'<figure id="{figure.ident}" class="figure">\n'
            f'<img{anchor} src="{src}" alt="{escape(figure.alt)}"{dimensions}/>\n'
            f"<figcaption{inset}>{self.inlines(figure.caption)}{credit}</figcaption>\n</figure>\n"
        )

    def _turn(self, turn: m.Turn) -> str:
        first, *rest = turn.blocks  # the reader opens every turn with its labelled paragraph
        opening = self._paragraph(first.children, speaker=turn.speaker.label)
        time = f' data-timecode="{turn.timecode}"' if turn.timecode is not None else ""  # for read-along, unprinted
        return f'<div class="turn {turn.speaker.role.turn_kind}"{time}>\n{opening}{self.blocks(tuple(rest))}</div>\n'

    def _paragraph(self, children: tuple[m.Inline, ...], speaker: str = "") -> str:
        """A numbered paragraph of the text, opened by a speaker's label when it begins a turn."""
        said = escape(self.chapter_words.labelled(speaker), quote=False)
        label = f'<span class="speaker">{said}</span> ' if speaker else ""
        if not self.numbered:
            return f"<p>{label}{self.inlines(children)}</p>\n"
        self.paragraphs += 1
        paragraph = f'<p id="{PARAGRAPH_ID_PREFIX}{self.paragraphs}">{label}{self.inlines(children)}</p>\n'
        return paragraph + self._release_figures()

    def _release_figures(self) -> str:
        """The held figures whose paragraphs have now all been set."""
        for held in self._held:
            held[1] -= 1
        released = "".join(figure for figure, left in self._held if left <= 0)
        self._held = [held for held in self._held if held[1] > 0]
        return released

    def running_head(self) -> str:
        """The verso running head of the print edition: for one interview the source's `running-head`, or
        the interviewee's name; for a collection its `running-head` or title (a chapter's goes on its rectos)."""
        front = self.book.front
        if isinstance(self.book, m.Collection):
            text = self.inlines(front.running_head or front.title, anchors=False)
        else:
            text = self._running_head_text(front)
        return f'<div class="running-head" aria-hidden="true">{text}</div>\n'

    def _running_head_text(self, front: m.FrontMatter) -> str:
        if front.running_head:
            return self.inlines(front.running_head, anchors=False)
        return escape(words_for(front.lang).and_list(front.interviewee_names))

    def _front(self, name: str, body: str) -> Part:
        """A part of the display front matter: never listed in the contents."""
        return Part(name, self.words.part(name), body, in_contents=False, front=True)


def figure_href(figure: m.Figure) -> str:
    """Where the e-reader edition keeps a figure's picture."""
    return f"images/{figure.ident}.{figure.image.extension}"


def chapter_id(chapter: int) -> str:
    """The id of a collection's chapter (its section, and its file in the EPUB)."""
    return f"{m.id_prefix(chapter)}opening"


def chapter_interview_id(chapter: int) -> str:
    """The id of a chapter's interview, which opens a print page as the `interview` section does."""
    return f"{m.id_prefix(chapter)}interview"


def xhtml_page(title: str, lang: str, body: str, stylesheet: str | None) -> str:
    """A complete XHTML5 file around `body`."""
    link = f'<link rel="stylesheet" type="text/css" href="{escape(stylesheet)}"/>\n' if stylesheet else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="{escape(lang)}" xml:lang="{escape(lang)}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{escape(title)}</title>\n{link}</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )
