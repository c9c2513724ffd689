"""The e-reader edition: the shared XHTML, one file per part, packaged by EbookLib.

Its print page numbers are the print edition's: from the print layout the
build made, a page-break marker is set where each print page of the text
begins (pagebreaks.py), and the indexes print those pages too.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path

from ebooklib import epub

from ..core.model import Book, Collection, Document, MentionKind, Para, plain_text
from ..core.options import BuildOptions
from ..core.reprozip import normalize_zip
from ..core.stamp import stamp
from ..core.words import (
    PRINT_EDITION_OF,
    START_OF_TEXT,
    SUMMARY,
    SUMMARY_COVER,
    SUMMARY_FIGURES,
    SUMMARY_INDEXES,
    words_for,
)
from ..reading.registry import default_person_sort
from ..typeset.cover import cover_description, cover_png
from ..typeset.layout import Layout
from ..typeset.pagebreaks import insert_page_breaks
from ..typeset.xhtml import Renderer, figure_href
from .epub_nav import navigation, ncx, page_targets

ACCESSIBILITY = (
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),  # the cover image
    ("schema:accessModeSufficient", "textual"),
    *(("schema:accessibilityFeature", f) for f in (
        "structuralNavigation", "tableOfContents", "pageBreakMarkers", "pageNavigation",
        "readingOrder", "alternativeText", "displayTransformability",
    )),
    ("schema:accessibilityHazard", "none"),
    ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
)


def write(doc: Book, out: Path, options: BuildOptions, layout: Layout | None) -> None:
    """Package `doc` as an EPUB 3 at `out`, with the print pages of `layout`."""
    assert layout is not None, "the EPUB writer needs the print layout for its page-list"
    book, ncx = _book(doc, options, layout)
    writer_options = {
        "epub3_pages": False, "epub3_landmark": False, "raise_exceptions": True, "mtime": options.timestamp,
    }
    epub.write_epub(str(out), book, writer_options)
    normalize_zip(out, options.timestamp, rewrite=_rewritten(doc.front.lang, ncx))


def _rewritten(lang: str, ncx: str):  # noqa: ANN202
    """What EbookLib writes short: xml:lang on <package> (it writes dc:language only; reading systems and
    Ace want both), and an NCX with nested contents and a page list (epub_nav.py)."""

    def rewrite(name: str, data: bytes) -> bytes:
        if name.endswith(".ncx"):
            return ncx.encode("utf-8")
        if not name.endswith(".opf"):
            return data
        return data.replace(b"<package ", f'<package xml:lang="{escape(lang)}" '.encode(), 1)

    return rewrite


def _book(doc: Book, options: BuildOptions, layout: Layout) -> tuple[epub.EpubBook, str]:
    """The book EbookLib packages, and the NCX that replaces its own."""
    front = doc.front
    rendered = Renderer(doc, href_of=lambda name: f"{name}.xhtml", pages=layout.mention_pages).parts()
    parts = [replace(part, body=insert_page_breaks(part.body, layout.page_starts)) for part in rendered]

    words = words_for(front.lang)
    book = epub.EpubBook()
    _metadata(book, doc, options)
    css = epub.EpubItem(
        uid="style", file_name="style/epub.css", media_type="text/css",
        content=(options.styles_dir / "epub.css").read_bytes(),
    )
    book.add_item(css)
    book.set_cover("images/cover.png", cover_png(doc), create_page=False)
    cover = _page("cover", words.part("cover"), front.lang, css, (
        f'<section id="cover" class="cover" epub:type="cover">'
        f'<img src="images/cover.png" role="doc-cover" alt="{escape(cover_description(doc))}"/></section>'
    ))
    book.add_item(cover)
    for figure in doc.figures:
        image = figure.image
        book.add_item(epub.EpubItem(uid=figure.ident, file_name=figure_href(figure), media_type=image.media_type,
                                    content=image.data))
    pages = {part.name: _page(part.name, part.title, front.lang, css, part.body) for part in parts}
    for page in pages.values():
        book.add_item(page)
    pages_of_print = page_targets(parts, layout.page_starts)
    nav = _page("nav", words.part("contents"), front.lang, css, navigation(doc, parts, pages_of_print))
    nav.properties = ["nav"]
    book.add_item(nav)
    book.add_item(epub.EpubNcx())  # EbookLib's spine names an NCX; older readers use it

    text = [p for p in parts if not p.front]  # one spine document each: a collection's chapters, the indexes
    book.toc = [epub.Link(f"{p.name}.xhtml#{p.name}", p.title, p.name) for p in text if p.in_contents]
    book.spine = [cover, pages["titlepage"], pages["imprint"], nav, *(pages[p.name] for p in text)]
    book.guide = [  # the EPUB 2 guide, for readers that still look for one
        {"type": "cover", "href": "cover.xhtml", "title": words.part("cover")},
        {"type": "title-page", "href": "titlepage.xhtml", "title": words.part("titlepage")},
        {"type": "toc", "href": "nav.xhtml", "title": words.part("contents")},
        {"type": "text", "href": f"{text[0].name}.xhtml", "title": words.say(START_OF_TEXT)},
    ]
    return book, ncx(doc, parts, pages_of_print, front.identifier, len(layout.rendered.pages))


def _metadata(book: epub.EpubBook, doc: Book, options: BuildOptions) -> None:
    front = doc.front
    book.set_identifier(front.identifier)
    book.title = plain_text(front.title)  # what EbookLib's NCX shows; the dc:title elements are written below
    _refined(book, "title", "title", book.title, {"title-type": "main"})
    if front.subtitle:  # a title of its own, never glued to the title with a colon
        _refined(book, "title", "subtitle", plain_text(front.subtitle), {"title-type": "subtitle"})
    book.set_language(front.lang)
    credits = _credits(doc)
    for element, name, roles in credits:
        number = [c[1] for c in credits if c[0] == element].index(name) + 1  # creator1, creator2 ..., contributor1 ...
        _refined(book, element, f"{element}{number}", name, {"file-as": _file_as(doc, name)}, roles)
    if about := description(doc):
        book.add_metadata("DC", "description", about)
    if isinstance(doc, Collection):  # calibre and Apple Books show it as the series the interviews belong to
        book.add_metadata(None, "meta", plain_text(front.title), {"property": "belongs-to-collection", "id": "set"})
        book.add_metadata(None, "meta", "set", {"refines": "#set", "property": "collection-type"})
    if front.publisher:
        book.add_metadata("DC", "publisher", front.publisher)
    if front.rights:
        book.add_metadata("DC", "rights", front.rights)
    for keyword in front.keywords:
        book.add_metadata("DC", "subject", keyword)
    if front.date is not None:  # a publication date only where the source gives one (dcterms:modified is always there)
        book.add_metadata("DC", "date", stamp(options.timestamp))
    indexed = any(doc.index[kind] for kind in MentionKind)
    for prop, value in (*ACCESSIBILITY, *((("schema:accessibilityFeature", "index"),) if indexed else ())):
        book.add_metadata(None, "meta", value, {"property": prop})
    words = words_for(front.lang)
    said = [SUMMARY, *([SUMMARY_INDEXES] if indexed else []), SUMMARY_FIGURES if doc.figures else SUMMARY_COVER]
    summary = " ".join(words.say(message) for message in said)
    book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
    book.add_metadata(None, "meta", words.say(PRINT_EDITION_OF, title=plain_text(front.title)),
                      {"property": "pageBreakSource"})


# MARC relator codes (https://id.loc.gov/vocabulary/relators): who made the interview, in which role.
INTERVIEWEE, INTERVIEWER, AUTHOR, EDITOR = "ive", "ivr", "aut", "edt"


def _credits(doc: Book) -> list[tuple[str, str, tuple[str, ...]]]:
    """(DC element, name, MARC roles) of everyone the source credits, each name once with all its roles.
    The creators are those a reader files the book under, with `aut` among their roles (calibre, and the
    Kindle files it makes, read no other creator as an author): the interviewees (`aut`, `ive`) and the
    `author`s; a collection's editors (`edt`, `aut`), else its interviewees. An interviewer the source
    names is a contributor (`ivr`), a creator too when also an author."""
    collection = isinstance(doc, Collection)
    credited = [(n, role) for n in doc.front.editors for role in (EDITOR, AUTHOR)]
    filed_under_interviewees = not collection or not doc.front.editors
    for front in (chapter.front for chapter in doc.chapters):
        for name in front.interviewee_names:
            credited += [(name, AUTHOR), (name, INTERVIEWEE)] if filed_under_interviewees else [(name, INTERVIEWEE)]
        credited += [*((n, AUTHOR) for n in front.authors), *((n, INTERVIEWER) for n in front.interviewer_names)]
    roles: dict[str, list[str]] = {}
    for name, role in credited:
        if role not in roles.setdefault(name, []):
            roles[name].append(role)
    return [("creator" if AUTHOR in found else "contributor", name, tuple(found)) for name, found in roles.items()]


def description(doc: Book) -> str:
    """What a store or a library shows of the book: the `blurb`, else the headnote, else the subtitle."""
    if doc.front.blurb:
        return " ".join(doc.front.blurb.split())
    headnote = doc.headnote if isinstance(doc, Document) else ()
    words = " ".join(plain_text(block.children) for block in headnote if isinstance(block, Para))
    return words or plain_text(doc.front.subtitle)


def _file_as(doc: Book, name: str) -> str:
    """How a name files: as the people registry files it ("Baker, Sean"), else surname first."""
    person = next((p for p in doc.people.values() if name in p.names), None)
    return person.heading if person is not None else default_person_sort(name)


def _refined(book: epub.EpubBook, element: str, ident: str, value: str, properties: dict[str, str],
             roles: tuple[str, ...] = ()) -> None:
    """A DC element with an id, and the <meta refines> that qualify it (MARC roles with their scheme)."""
    book.add_metadata("DC", element, value, {"id": ident})
    for prop, text in properties.items():
        book.add_metadata(None, "meta", text, {"refines": f"#{ident}", "property": prop})
    for role in roles:
        book.add_metadata(None, "meta", role, {"refines": f"#{ident}", "property": "role", "scheme": "marc:relators"})


def _page(name: str, title: str, lang: str, css: epub.EpubItem, body: str) -> epub.EpubHtml:
    page = epub.EpubHtml(uid=name, file_name=f"{name}.xhtml", title=title, lang=lang)
    page.content = f"<html><body>{body}</body></html>"
    page.add_item(css)
    return page
