"""The e-reader edition: the shared XHTML, one file per part, packaged by EbookLib."""

from __future__ import annotations

from pathlib import Path

from ebooklib import epub

from ..atomic import atomic_path
from ..errors import OutputError
from ..html import Part, Renderer
from ..model import Document, plain_text
from ..options import BuildOptions
from ..reprozip import normalize_zip

_LANDMARKS = {"titlepage": "title-page", "opening": "bodymatter", "film-index": "index"}


def write(doc: Document, out: Path, options: BuildOptions) -> None:
    """Package `doc` as an EPUB 3 at `out`."""
    book = _book(doc, options)
    writer_options = {"epub3_pages": False, "raise_exceptions": True, "mtime": options.timestamp}
    try:
        with atomic_path(out) as tmp:
            epub.write_epub(str(tmp), book, writer_options)
            normalize_zip(tmp, options.timestamp)
    except OSError as err:
        raise OutputError(f"{out}: cannot write the EPUB: {err.strerror or err}") from None


def _book(doc: Document, options: BuildOptions) -> epub.EpubBook:
    front = doc.front
    book = epub.EpubBook()
    book.set_identifier(front.identifier)
    book.set_title(plain_text(front.title))
    book.set_language(front.lang)
    for name in front.authors or front.interviewee_names:
        book.add_author(name)
    if front.subtitle:
        book.add_metadata("DC", "description", plain_text(front.subtitle))
    if front.publisher:
        book.add_metadata("DC", "publisher", front.publisher)
    if front.rights:
        book.add_metadata("DC", "rights", front.rights)
    for keyword in front.keywords:
        book.add_metadata("DC", "subject", keyword)
    book.add_metadata("DC", "date", options.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"))

    css = epub.EpubItem(
        uid="style", file_name="style/epub.css", media_type="text/css",
        content=(options.styles_dir / "epub.css").read_bytes(),
    )
    book.add_item(css)

    parts = Renderer(doc, href_of=lambda name: f"{name}.xhtml").parts(print_edition=False)
    pages = {part.name: _page(part, front.lang) for part in parts}
    for page in pages.values():
        page.add_item(css)
        book.add_item(page)
    nav = epub.EpubNav(title="Contents")
    nav.add_item(css)
    book.add_item(nav)
    book.add_item(epub.EpubNcx())  # EbookLib's spine names an NCX; older readers use it

    book.toc = [epub.Link(f"{p.name}.xhtml#{p.name}", p.title, p.name) for p in parts if p.in_contents]
    book.spine = [pages["titlepage"], pages["imprint"], nav, *(pages[p.name] for p in parts if p.in_contents)]
    book.guide = [
        {"type": kind, "href": f"{name}.xhtml", "title": pages[name].title}
        for name, kind in _LANDMARKS.items() if name in pages
    ]
    return book


def _page(part: Part, lang: str) -> epub.EpubHtml:
    page = epub.EpubHtml(uid=part.name, file_name=f"{part.name}.xhtml", title=part.title, lang=lang)
    page.content = f"<html><body>{part.body}</body></html>"
    return page
