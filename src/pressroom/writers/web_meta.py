"""What the web edition says about itself and what its search reads: the <head>'s description, Open
Graph and schema.org JSON-LD (`head_metadata`), and the search's data (`search_entries`).

The JSON-LD is an `Article` for an interview, a `Book` for a collection (each chapter's page an
`Article` that `isPartOf` it): the interviewees are what it is `about`, its interviewers and authors
its `author`s, the films it names `Movie`s with their director and year. It is data in a <script>
element, escaped so that no text of the source can close that element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape

from lxml import html as lxml_html

from ..core.model import Book, Collection, Document, Film, MentionKind, plain_text
from ..core.options import BuildOptions
from ..core.stamp import stamp
from .epub import description

_PARAGRAPH = re.compile(r"(?:c\d+-)?p-\d+")


def head_metadata(doc: Book, options: BuildOptions, file: str, home: str, chapters: Mapping[str, Document]) -> str:
    """The <head>'s description, Open Graph properties and JSON-LD for the page `file`; `chapters`: a
    collection's chapters by the file each is on."""
    chapter = chapters.get(file)
    front = (chapter or doc).front
    about = description(chapter or doc)
    og_type = "book" if isinstance(doc, Collection) and chapter is None else "article"
    properties = [("og:type", og_type), ("og:title", plain_text(front.title)),
                  ("og:locale", front.lang.replace("-", "_"))]
    if about:
        properties.append(("og:description", about))
    if doc.front.publisher:
        properties.append(("og:site_name", doc.front.publisher))
    tags = f'<meta name="description" content="{escape(about)}"/>\n' if about else ""
    tags += "".join(f'<meta property="{name}" content="{escape(value)}"/>\n' for name, value in properties)
    data = _book_data(doc, options, home, chapters) if chapter is None else _article(chapter, options, file)
    if chapter is not None:
        data["isPartOf"] = {"@type": "Book", "name": plain_text(doc.front.title), "url": home}
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, indent=1)
    return tags + f'<script type="application/ld+json">\n{script_safe(text)}\n</script>\n'


def _book_data(doc: Book, options: BuildOptions, home: str, chapters: Mapping[str, Document]) -> dict:
    if not isinstance(doc, Collection):
        return _article(doc, options, home)
    front = doc.front
    data = _work("Book", "name", doc, home)
    if front.editors:
        data["editor"] = [_person(name) for name in front.editors]
    _published(data, doc, options)
    data["hasPart"] = [{"@type": "Article", "headline": plain_text(d.front.title), "url": file}
                       for file, d in chapters.items()]
    return data


def _article(doc: Document, options: BuildOptions, url: str) -> dict:
    front = doc.front
    data = _work("Article", "headline", doc, url)
    if front.interviewee_names:
        data["about"] = [_person(name) for name in front.interviewee_names]
    if authors := [*front.authors, *(n for n in front.interviewer_names if n not in front.authors)]:
        data["author"] = [_person(name) for name in authors]
    _published(data, doc, options)
    mentioned = {entry.key for entry in doc.index[MentionKind.FILM]}
    movies = [_movie(film) for key, film in sorted(doc.films.items()) if key in mentioned]
    if movies:
        data["mentions"] = movies
    return data


def _work(kind: str, named: str, doc: Book, url: str) -> dict:
    """A Book or an Article: its title (a Book's `name`, an Article's `headline`), subtitle, language and page."""
    front = doc.front
    data: dict = {"@type": kind, named: plain_text(front.title), "inLanguage": front.lang, "url": url}
    if front.subtitle:
        data["alternativeHeadline"] = plain_text(front.subtitle)
    return data


def _published(data: dict, doc: Book, options: BuildOptions) -> None:
    front = doc.front
    if front.date is not None:
        data["datePublished"] = stamp(options.timestamp)[:10]
    if front.publisher:
        data["publisher"] = {"@type": "Organization", "name": front.publisher}
    if front.identifier:
        data["identifier"] = front.identifier
    if front.rights:
        data["copyrightNotice"] = front.rights
    if front.keywords:
        data["keywords"] = ", ".join(front.keywords)


def _person(name: str) -> dict:
    return {"@type": "Person", "name": name}


def _movie(film: Film) -> dict:
    movie: dict = {"@type": "Movie", "name": film.title}
    if film.director:
        movie["director"] = _person(film.director)
    if film.year:
        movie["dateCreated"] = str(film.year)
    return movie


def script_safe(text: str) -> str:
    """JSON that cannot end its <script> element: every < escaped (as JSON reads it back)."""
    return text.replace("<", "\\u003c")


def search_entries(pages: list[tuple[str, str]]) -> list[dict[str, str]]:
    """What the search finds, page by page: each numbered paragraph of the text and each index entry, as
    its link (`u`) and its words (`t`); index entries are marked (`k`: the index's id)."""
    entries = []
    for file, body in pages:
        tree = lxml_html.fragment_fromstring(body, create_parent="div")
        for element in tree.iter():
            ident = element.get("id") or ""
            classes = (element.get("class") or "").split()
            if "index-entry" in classes:
                index = next(a.get("id") for a in element.iterancestors() if a.tag == "section")
                entries.append({"u": f"{file}#{ident}", "t": _words(element), "k": index})
            elif _PARAGRAPH.fullmatch(ident):
                entries.append({"u": f"{file}#{ident}", "t": _words(element)})
    return entries


def _words(element) -> str:  # noqa: ANN001 - an lxml element
    return " ".join(element.text_content().split())
