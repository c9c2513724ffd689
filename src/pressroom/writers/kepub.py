"""The Kobo edition: the EPUB with the markup of Kobo's own engine, as kepubify makes it.

A `.kepub.epub` is read by Kobo's kepub engine (page turns, reading statistics, highlights,
popup notes) rather than by its plain EPUB one. That engine needs what Kobo's store adds to its
books and what kepubify (github.com/pgaskin/kepubify, kepub/transform.go) adds to any EPUB:
in each content document, the body's content wrapped in `div#book-columns > div#book-inner`,
every sentence of the text in `<span class="koboSpan" id="kobo.P.S">` (P counts the paragraphs
that hold spans, S the sentences of one), every image in a span of its own, and kepubify's one
style hack. This writer makes the EPUB (epub.py) and does the same to its content documents, not
to the navigation document nor the cover page; the package document, the notes (`noteref` links
to `endnote` items, which Kobo shows as popups), the ids every link and locator points to and the
text are left as they are. The result is rezipped as the EPUB is, dated by the build.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..core.model import Book
from ..core.options import BuildOptions
from ..core.reprozip import normalize_zip
from ..typeset.layout import Layout
from . import epub

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
FOREIGN = frozenset({"http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/svg"})  # text kept as it is
UNSPANNED = frozenset({"script", "style", "pre", "audio", "video"})  # kepubify leaves their text alone
PARAGRAPHS = frozenset({"p", "ol", "ul", "table", "h1", "h2", "h3", "h4", "h5", "h6"})  # each begins a new P
# A sentence as kepubify splits one: up to . ! or ? (a closing quote or ellipsis may follow) and the ASCII
# whitespace after it; what follows the last such end is one more sentence.
SENTENCE = re.compile("(?s).*?[.!?]['\"\u201d\u2019\u201c\u2026]?[\t\n\f\r ]+")
STYLE_HACKS = "div#book-inner { margin-top: 0; margin-bottom: 0;}"  # kepubify's version of Kobo's own
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
OPF = "{http://www.idpf.org/2007/opf}"


def write(doc: Book, out: Path, options: BuildOptions, layout: Layout | None) -> None:
    """Write `doc` at `out` as the EPUB, then turn its content documents into a kepub's."""
    epub.write(doc, out, options, layout)
    documents = _content_documents(out)
    normalize_zip(out, options.timestamp,
                  rewrite=lambda name, data: kepubify(data) if name in documents else data)


def _content_documents(path: Path) -> frozenset[str]:
    """The zip names of the package's XHTML documents, the navigation document left out."""
    with zipfile.ZipFile(path) as package:
        container = etree.fromstring(package.read("META-INF/container.xml"))
        opf_name = container.find(f".//{CONTAINER}rootfile").get("full-path")
        opf = etree.fromstring(package.read(opf_name))
    folder = posixpath.dirname(opf_name)
    return frozenset(
        posixpath.normpath(posixpath.join(folder, item.get("href")))
        for item in opf.iter(f"{OPF}item")
        if item.get("media-type") == "application/xhtml+xml" and "nav" not in (item.get("properties") or "").split()
    )


def kepubify(data: bytes) -> bytes:
    """One XHTML content document as a kepub's: Kobo's style hack, wrappers and sentence spans.

    A cover page (whose body, or an element of it, is of `epub:type` cover) is returned as it is.
    """
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    body = root.find(f"{{{XHTML}}}body")
    if any("cover" in (e.get(f"{{{OPS}}}type") or "").split() for e in (body, *body)):
        return data
    _add_style(root.find(f"{{{XHTML}}}head"))
    _Spans().element(_wrap(body))
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8")


def _add_style(head: etree._Element) -> None:
    """kepubify's `kobostylehacks`, last in the head: Kobo's own, less what overrides the book's styles."""
    last = head[-1] if len(head) else None
    style = etree.SubElement(head, f"{{{XHTML}}}style", {"type": "text/css", "class": "kobostylehacks"})
    style.text = STYLE_HACKS
    if last is not None:  # laid out as the head's other children
        style.tail, last.tail = last.tail, head.text


def _wrap(body: etree._Element) -> etree._Element:
    """The body's content moved into `div#book-columns > div#book-inner`; the inner div returned."""
    columns = etree.Element(f"{{{XHTML}}}div", {"id": "book-columns"})
    inner = etree.SubElement(columns, f"{{{XHTML}}}div", {"id": "book-inner"})
    inner.text, body.text = body.text, None
    for child in list(body):
        inner.append(child)  # with its tail
    body.append(columns)
    return inner


def sentences(text: str) -> list[str]:
    """`text` cut after each sentence's end and the whitespace after it; the pieces join back to `text`."""
    pieces = SENTENCE.findall(text)
    rest = text[sum(map(len, pieces)):]
    return [*pieces, rest] if rest or not pieces else pieces


@dataclass
class _Spans:
    """kepubify's walk of one document in reading order, numbering its spans `kobo.P.S`."""

    paragraph: int = 0
    sentence: int = 0
    next_paragraph: bool = False  # a paragraph element began: its first span opens the next P

    def element(self, element: etree._Element) -> etree._Element:
        """Span the text in `element` and return the node that now holds its tail (an image's span)."""
        if not isinstance(element.tag, str):  # a comment or processing instruction
            return element
        name = etree.QName(element)
        if name.namespace in FOREIGN or name.localname in UNSPANNED:
            return element
        if name.localname == "img":
            return self._image(element)
        if name.localname in PARAGRAPHS:
            self.next_paragraph = True
        children = list(element)
        text, element.text = element.text, None
        self._place(element, text, is_text=True)
        for child in children:
            holder = self.element(child)
            tail, holder.tail = holder.tail, None
            self._place(holder, tail, is_text=False)
        return element

    def _image(self, image: etree._Element) -> etree._Element:
        """An image in a span of its own, which opens a P at once."""
        self.paragraph, self.sentence, self.next_paragraph = self.paragraph + 1, 0, False
        span = self._span()
        image.addprevious(span)
        span.tail, image.tail = image.tail, None
        span.append(image)
        return span

    def _span(self) -> etree._Element:
        if self.next_paragraph:
            self.paragraph, self.sentence, self.next_paragraph = self.paragraph + 1, 0, False
        self.sentence += 1
        return etree.Element(f"{{{XHTML}}}span", {"class": "koboSpan", "id": f"kobo.{self.paragraph}.{self.sentence}"})

    def _place(self, anchor: etree._Element, text: str | None, is_text: bool) -> None:
        """Put `text` back in spans, as `anchor`'s text or as its tail.

        Whitespace between sentences stays bare text, except directly in a <p>, as in kepubify.
        """
        if not text:
            return
        parent = anchor if is_text else anchor.getparent()
        in_paragraph = etree.QName(parent).localname == "p"
        previous: etree._Element | None = None  # the last span placed: bare text after it is its tail
        for piece in sentences(text):
            if piece.isspace() and not in_paragraph:
                if previous is not None:
                    previous.tail = (previous.tail or "") + piece
                elif is_text:
                    anchor.text = (anchor.text or "") + piece
                else:
                    anchor.tail = (anchor.tail or "") + piece
                continue
            span = self._span()
            span.text = piece
            if previous is not None:
                previous.addnext(span)
            elif is_text:
                anchor.insert(0, span)
            else:
                anchor.addnext(span)
            previous = span
