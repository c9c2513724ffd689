"""The one place that reads WeasyPrint's laid-out boxes, which are not its public API.

WeasyPrint 70 keeps a page's box tree in `page._page_box`; line boxes are
`LineBox` instances whose text boxes carry `.text`. If an upgrade moves them,
this module is all that changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator


def paragraph_lines(page, id_prefix: str) -> Iterator[tuple[str, str]]:  # noqa: ANN001 - a weasyprint Page
    """(paragraph id, text of the line) for every line on `page` inside an element whose id starts with `id_prefix`."""
    for paragraph, line in _line_boxes(page._page_box, id_prefix, None):
        yield paragraph, "".join(_texts(line)).strip()


def _texts(box) -> Iterator[str]:  # noqa: ANN001
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def extent(page, ident: str) -> tuple[float, float] | None:  # noqa: ANN001 - a weasyprint Page
    """(top, bottom) of the element with id `ident` on `page`, from its boxes there; None if it is not on it."""
    found = [box for box in _boxes(page._page_box)
             if getattr(getattr(box, "element", None), "get", lambda _: None)("id") == ident]
    if not found:
        return None
    return min(box.position_y for box in found), max(box.position_y + box.margin_height() for box in found)


def text_height(page) -> float:  # noqa: ANN001
    """The height of the page's text block (its page area, inside the margins)."""
    return page._page_box.height


def text_width(page) -> float:  # noqa: ANN001
    """The width of the page's text block: the measure."""
    return page._page_box.width


def content_top(page) -> float:  # noqa: ANN001
    """The top of the page's text block (its page area, inside the margins)."""
    return page._page_box.content_box_y()


def _boxes(box) -> Iterator:  # noqa: ANN001
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def room_below_text(page) -> float:  # noqa: ANN001
    """The height left on `page` under its last line of text, above its footnotes or the page's foot."""
    root, *others = page._page_box.children
    notes = [box for box in others if type(box).__name__ == "FootnoteAreaBox" and box.children]
    bottom = notes[0].position_y if notes else page._page_box.content_box_y() + page._page_box.height
    lines = [box for box in _boxes(root) if type(box).__name__ == "LineBox"]
    return bottom - max((box.position_y + box.height for box in lines), default=bottom)


def common_line_height(page) -> float:  # noqa: ANN001
    """The height of most lines of text on `page`: the body's line on the baseline grid."""
    lines = (box for box in _boxes(page._page_box.children[0]) if type(box).__name__ == "LineBox")
    heights = Counter(round(box.height, 2) for box in lines)
    return heights.most_common(1)[0][0] if heights else float("inf")


def line_widenings(page, id_prefix: str) -> Iterator[float]:  # noqa: ANN001 - a weasyprint Page
    """For each line that `paragraph_lines` gives, in its order: the most its word spaces were widened to
    justify it, in em (WeasyPrint records the widening of each space as `justification_spacing`; 0 if none)."""
    for _, line in _line_boxes(page._page_box, id_prefix, None):
        yield max(
            (box.justification_spacing / box.style["font_size"]
             for box in _boxes(line) if getattr(box, "justification_spacing", 0) and box.style["font_size"]),
            default=0.0,
        )


_INLINE = frozenset({"LineBox", "InlineBox", "TextBox", "InlineBlockBox", "InlineReplacedBox", "InlineFlexBox"})


def block_ids(page) -> Iterator[tuple[str, bool]]:  # noqa: ANN001 - a weasyprint Page
    """The ids of the blocks on `page`'s text (not its running heads or footnotes), in reading order, each
    with whether the first line of text on the page is inside it (its innermost such block comes last)."""
    root = page._page_box.children[0]
    found: list[tuple[str, bool]] = []
    first_line_seen = False

    def walk(box, owners: tuple[str, ...]) -> None:  # noqa: ANN001
        nonlocal first_line_seen
        element = getattr(box, "element", None)
        name = type(box).__name__
        ident = element.get("id") if name not in _INLINE and element is not None and hasattr(element, "get") else None
        if ident and (not found or found[-1][0] != ident):  # anonymous boxes share their parent's element
            found.append((ident, False))
            owners = (*owners, ident)
        if name == "LineBox":
            if not first_line_seen and "".join(_texts(box)).strip():
                first_line_seen = True
                holding = set(owners)
                found[:] = [(i, i in holding) for i, _ in found]
            return
        for child in getattr(box, "children", ()):
            walk(child, owners)

    walk(root, ())
    return iter(found)


def _line_boxes(box, id_prefix: str, paragraph: str | None) -> Iterator[tuple[str, object]]:  # noqa: ANN001
    element = getattr(box, "element", None)
    if element is not None and hasattr(element, "get") and (element.get("id") or "").startswith(id_prefix):
        paragraph = element.get("id")
    if type(box).__name__ == "LineBox":
        if paragraph:
            yield paragraph, box
        return
    for child in getattr(box, "children", ()):
        yield from _line_boxes(child, id_prefix, paragraph)
