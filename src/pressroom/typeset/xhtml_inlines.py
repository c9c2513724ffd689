"""The model's inlines as XHTML: text, emphasis, mentions, and the places notes are called.

The print edition sets a note's text where it is called, in a span that print.css floats to the
foot of the page; the e-reader edition links the call to the note, and the part's renderer sets
the notes called (`notes`) at the part's end (see xhtml.py).
"""

from __future__ import annotations

from html import escape

from ..core import model as m
from .long_tokens import breakable

TITLE_KINDS = frozenset({m.MentionKind.FILM})  # kinds whose names are titles: set in italics, as <cite>
_CALL = "<!--call-->"  # where a note's call goes, in the span that keeps it with its word (print)


class InlineRenderer:
    """Renders inlines, for `Renderer` (xhtml.py), which renders the blocks and parts around them.

    print_edition: notes are set where they are called (print footnotes), not linked to.
    ids:   the id prefix of the chapter being rendered ("c2-"): its note ids are unique in the book.
    notes: the notes called in the part being rendered, for the e-reader edition to set at its end.
    """

    def __init__(self, print_edition: bool) -> None:
        self.print_edition = print_edition
        self.ids = ""
        self.notes: list[m.NoteRef] = []

    def inlines(self, inlines: tuple[m.Inline, ...], anchors: bool = True) -> str:
        out = []
        for node, following in zip(inlines, [*inlines[1:], None], strict=False):  # None: no node follows the last
            if self.print_edition and anchors and isinstance(node, m.Text) and isinstance(following, m.NoteRef):
                out.append(self._before_call(node.text))
            elif self.print_edition and anchors and isinstance(node, m.NoteRef) and out and out[-1].endswith(_CALL):
                out[-1] = out[-1][: -len(_CALL)] + self.inline(node, anchors) + "</span>"
            else:
                out.append(self.inline(node, anchors))
        return "".join(out)

    def _before_call(self, text: str) -> str:
        """Text followed by a note's call, its last word and the call set together: a call never begins a line."""
        head, space, word = text.rpartition(" ")
        return escape(head + space, quote=False) + f'<span class="call">{escape(word, quote=False)}{_CALL}'

    def inline(self, node: m.Inline, anchors: bool = True) -> str:
        match node:
            case m.Text(text):  # an address broken only where Chicago allows
                return breakable(text)
            case m.Emph(children):
                return f"<em>{self.inlines(children, anchors)}</em>"
            case m.Strong(children):
                return f"<strong>{self.inlines(children, anchors)}</strong>"
            case m.SmallCaps(children):
                return f'<span class="smallcaps">{self.inlines(children, anchors)}</span>'
            case m.Code(text):
                return f"<code>{escape(text, quote=False)}</code>"
            case m.LineBreak():
                return "<br/>"
            case m.Link(url, children):
                return f'<a href="{escape(url)}">{self.inlines(children, anchors)}</a>'
            case m.Mention():
                return self._mention(node, anchors)
            case m.NoteRef(number, blocks):
                if not anchors:
                    return ""
                if self.print_edition:  # set at the foot of the page by print.css (float: footnote)
                    return f'<span id="{self.ids}note-{number}" class="footnote">{self._footnote(blocks)}</span>'
                self.notes.append(node)
                return (
                    f'<a id="{self.ids}noteref-{number}" class="noteref" epub:type="noteref" role="doc-noteref" '
                    f'href="#{self.ids}note-{number}">{number}</a>'
                )
            case _:
                raise TypeError(f"html: unknown inline {type(node).__name__}")

    def _footnote(self, blocks: tuple[m.Block, ...]) -> str:
        """A note's blocks as spans (print.css makes them blocks): a footnote sits inside the paragraph
        that calls it."""
        return "".join(self._footnote_block(block) for block in blocks)

    def _footnote_block(self, block: m.Block) -> str:
        match block:
            case m.Para(children):
                return f'<span class="footnote-para">{self.inlines(children)}</span>'
            case m.BlockQuote(blocks):
                return f'<span class="footnote-quote">{self._footnote(blocks)}</span>'
            case m.ListBlock(_, items):
                return "".join(f'<span class="footnote-item">{self._footnote(item)}</span>' for item in items)
            case m.CodeBlock(text):
                return f'<span class="footnote-para"><code>{escape(text, quote=False)}</code></span>'
            case m.Rule():
                return ""
            case _:
                raise TypeError(f"html: unknown block in a note {type(block).__name__}")

    def _mention(self, node: m.Mention, anchors: bool) -> str:
        tag = "cite" if node.kind in TITLE_KINDS else "span"
        ident = f' id="{node.anchor}"' if anchors else ""  # an anchor exists once, where the index points
        return f'<{tag} class="{node.kind.span_class}"{ident}>{self.inlines(node.children, anchors)}</{tag}>'
