"""pandoc's JSON AST, the one vocabulary of the modules that talk to pandoc (see pandoc.py).

Builders for the DOCX writer (`node`, `para`, `div`, `span`, `inlines_of`, ..., and `document`,
the wrapper with the API version), and for the two readers of pandoc's AST (the source reader and
the DOCX importer) what they share: `ast_text`, an element's `attr_of` and `style_of`, and
`InlineWalk`, the one mapping of pandoc inlines to the model's.
"""

from __future__ import annotations

import re
from typing import Generic, TypeVar

from . import model as m

API_VERSION = (1, 23, 1)  # pandoc-types' version of the JSON pandoc 3.9 reads and writes

At = TypeVar("At")  # what a reader passes down with the inlines it walks (its position and depth)


# --- building ------------------------------------------------------------------


def document(meta: dict, blocks: list[dict]) -> dict:
    """A whole pandoc document: its metadata and blocks, under the API version."""
    return {"pandoc-api-version": list(API_VERSION), "meta": meta, "blocks": blocks}


def node(kind: str, content: object = None) -> dict:
    """An element of kind `kind` ("Para", "Space", ...) holding `content`, or nothing."""
    return {"t": kind} if content is None else {"t": kind, "c": content}


def attr(style: str | None = None, ident: str = "") -> list:
    """An element's attributes: its id and, for the DOCX writer, the Word style it is set in."""
    return [ident, [], [["custom-style", style]] if style else []]


def space() -> dict:
    return node("Space")


def inlines_of(text: str) -> list[dict]:
    """Words as Str, runs of ordinary white space as Space (no-break spaces stay inside words)."""
    out: list[dict] = []
    for i, word in enumerate(re.split(r"[ \t\r\n]+", text)):
        if i:
            out.append(space())
        if word:
            out.append(node("Str", word))
    return out


def para(inlines: list[dict]) -> dict:
    return node("Para", inlines)


def div(style: str, blocks: list[dict]) -> dict:
    return node("Div", [attr(style), blocks])


def span(style: str, inlines: list[dict], ident: str = "") -> dict:
    return node("Span", [attr(style, ident), inlines])


def meta_inlines(inlines: list[dict]) -> dict:
    return node("MetaInlines", inlines)


def raw_block(fmt: str, text: str) -> dict:
    return node("RawBlock", [fmt, text])


def raw_inline(fmt: str, text: str) -> dict:
    return node("RawInline", [fmt, text])


# --- reading -------------------------------------------------------------------


def ast_text(inlines: list[dict]) -> str:
    """The words of some pandoc inlines, markup dropped (notes and raw fields print none: a TOC's text,
    a heading or label the DOCX importer reads)."""
    out = []
    for item in inlines:
        match item:
            case {"t": "Str", "c": text}:
                out.append(text)
            case {"t": "Space" | "SoftBreak" | "LineBreak"}:
                out.append(" ")
            case {"t": "Code", "c": [_, text]}:
                out.append(text)
            case {"t": "Emph" | "Strong" | "SmallCaps" | "Underline", "c": inner}:
                out.append(ast_text(inner))
            case {"t": "Span", "c": [_, inner]} | {"t": "Link", "c": [_, inner, _]} | {"t": "Quoted", "c": [_, inner]}:
                out.append(ast_text(inner))
    return "".join(out)


def attr_of(item: dict) -> list | None:
    """The attributes of a block or inline element, where it has any."""
    match item["t"]:
        case "Div" | "CodeBlock" | "Table" | "Figure" | "Span" | "Code" | "Image" | "Link":
            return item["c"][0]
        case "Header":
            return item["c"][1]
    return None


def style_of(item: dict) -> str | None:
    """The Word style (pandoc's `custom-style`) a Div or Span is set in."""
    if item["t"] not in ("Div", "Span"):
        return None
    return dict(item["c"][0][2]).get("custom-style")


def link(url: str, children: tuple[m.Inline, ...]) -> list[m.Inline]:
    """A link to the web or a mailbox; any other (into the file system, the page) is kept as its text,
    never followed."""
    if re.match(r"(https?|mailto):", url, re.I):
        return [m.Link(url, children)]
    return list(children)


class InlineWalk(Generic[At]):
    """pandoc inlines to the model's: the mapping the source reader and the DOCX importer share.

    Each reader says what its footnotes and spans become, what it does with the elements they map
    apart (`other`: an image, raw HTML, struck-out text, ...) and how it joins adjacent texts
    (`merge`); `at` is passed down as it is (the reader's position and depth).
    """

    def inlines(self, items: list, at: At) -> list[m.Inline]:
        """The model inlines of `items`, not yet merged."""
        out: list[m.Inline] = []
        for item in items:
            out.extend(self.inline(item, at))
        return out

    def merged(self, items: list, at: At) -> tuple[m.Inline, ...]:
        return self.merge(self.inlines(items, at))

    def inline(self, item: dict, at: At) -> list[m.Inline]:
        kind, c = item["t"], item.get("c")
        match kind:
            case "Str":
                return [m.Text(c)]
            case "Space" | "SoftBreak":
                return [m.Text(" ")]
            case "LineBreak":
                return [m.LineBreak()]
            case "Emph" | "Underline":
                return [m.Emph(self.merged(c, at))]
            case "Strong":
                return [m.Strong(self.merged(c, at))]
            case "SmallCaps":
                return [m.SmallCaps(self.merged(c, at))]
            case "Code":
                return [m.Code(c[1])]
            case "Quoted":  # straight quotes in the source: the language's marks, a single one those of a quote inside
                marks = self.quotation_marks()
                opening, closing = marks[:2] if c[0]["t"] == "DoubleQuote" else marks[2:]
                return [m.Text(opening), *self.merged(c[1], at), m.Text(closing)]
            case "Cite":
                return list(self.merged(c[1], at))
            case "Link":
                return link(c[2][0], self.merged(c[1], at))
            case "Note":
                return [self.footnote(c, at)]
            case "Span":
                return self.span(c, at)
            case _:
                return self.other(item, at)

    def merge(self, inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
        """Adjacent texts joined into one, as a reader of the model expects."""
        raise NotImplementedError

    def quotation_marks(self) -> tuple[str, str, str, str]:
        """The quotation marks straight quotes become: opening and closing, then those of a quote inside."""
        return ("“", "”", "‘", "’")

    def footnote(self, blocks: list, at: At) -> m.Inline:
        """A footnote holding pandoc's `blocks`."""
        raise NotImplementedError

    def span(self, c: list, at: At) -> list[m.Inline]:
        """A Span's content `c` ([attributes, inlines])."""
        raise NotImplementedError

    def other(self, item: dict, at: At) -> list[m.Inline]:
        """An element the readers map apart."""
        raise NotImplementedError
