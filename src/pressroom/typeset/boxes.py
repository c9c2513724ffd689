"""The one place that reads WeasyPrint's laid-out boxes, which are not its public API.

WeasyPrint 70 keeps a page's box tree in `page._page_box`; line boxes are
`LineBox` instances whose text boxes carry `.text`. If an upgrade moves them,
this module is all that changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .planner import Sheet, Unit


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


def foot_margin(page) -> float:  # noqa: ANN001
    """The page's margin below its text block."""
    return page._page_box.margin_bottom


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


_AVOID = frozenset({"avoid", "avoid-page"})
_FORCED = frozenset({"page", "left", "right", "recto", "verso"})


@dataclass(frozen=True)
class _Placed:
    """A unit of the text as laid out: its box, its page (from 0), the depth of the notes it calls, and
    the block boxes around it, outermost first."""

    box: object
    page: int
    notes: float
    around: tuple[object, ...]


def flow_units(pages) -> tuple[list[Unit], list[int], Sheet]:  # noqa: ANN001 - weasyprint Pages
    """The text of `pages` as the page planner sees it (planner.py): its units (each line, or picture),
    the index of the unit each page opens with, and the pages' text block."""
    notes = {note.element: note.margin_height() for page in pages for area in page._page_box.children[1:]
             if type(area).__name__ == "FootnoteAreaBox" for note in area.children}  # by its element: WeasyPrint
    placed: list[_Placed] = []  # 70 may print a note a page after its call
    starts = []
    for number, page in enumerate(pages):
        starts.append(len(placed))
        _place(page._page_box.children[0], (), number, notes, placed)
    line = Counter(common_line_height(page) for page in pages).most_common(1)[0][0]
    return _units(placed, pages), starts, Sheet(pages[0]._page_box.height, line, _note_space(pages))


def _place(box, around: tuple[object, ...], page: int, notes: dict, placed: list[_Placed]) -> None:  # noqa: ANN001
    """The units in `box` (lines, pictures, blocks of their own height and nothing in them), added to `placed`."""
    name = type(box).__name__
    if name in ("LineBox", "BlockReplacedBox") or (not getattr(box, "children", None) and box.height):
        called = sum(notes.get(inner.element, 0.0) for inner in _boxes(box) if _is_call(inner))
        placed.append(_Placed(box, page, called, around))
        return
    for child in box.children:
        _place(child, (*around, box), page, notes, placed)


def _is_call(box) -> bool:  # noqa: ANN001
    """Whether `box` is a note's call (its number in the text)."""
    return type(box).__name__ == "InlineBox" and (getattr(box, "element_tag", "") or "").endswith("::footnote-call")


def _note_space(pages) -> float:  # noqa: ANN001
    """What a page's notes area takes besides its notes: its margin, padding and rule."""
    for page in pages:
        for area in page._page_box.children[1:]:
            if type(area).__name__ == "FootnoteAreaBox" and area.children:
                return area.margin_height() - sum(note.margin_height() for note in area.children)
    return 0.0


def _units(placed: list[_Placed], pages) -> list[Unit]:  # noqa: ANN001
    """The planner's units, from the units `placed` on every page in order (see `flow_units`). A block
    split over pages is one element: what it opens and closes, its first and its last unit do."""
    keys = [[_element_key(block) for block in unit.around] for unit in placed]
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    block_of: dict[int, object] = {}
    for index, unit in enumerate(placed):
        for block, key in zip(unit.around, keys[index], strict=True):
            first.setdefault(key, index)
            last[key] = index
            block_of.setdefault(key, block)
    serial: dict[int, str] = {}
    flow: list[Unit] = []
    closed_before: list = []  # the blocks the unit before closes
    for index, unit in enumerate(placed):
        opened = [block_of[key] for key in keys[index] if first[key] == index]
        closed = [block_of[key] for key in keys[index] if last[key] == index]
        lead, trail = _most(opened, "margin_top"), _most(closed, "margin_bottom")
        forced = not index or any(block.style["break_before"] in _FORCED for block in opened)
        keep = bool(index) and (
            any(block.style["break_after"] in _AVOID for block in closed_before)
            or any(block.style["break_before"] in _AVOID for block in opened)
            or any(key in keys[index - 1] and block_of[key].style["break_inside"] in _AVOID for key in keys[index]))
        top = unit.box.border_box_y()
        if index and placed[index - 1].page == unit.page:  # the space measured, else the margins that meet
            previous = placed[index - 1].box
            gap = top - (previous.border_box_y() + previous.border_height())
        else:
            gap = max(flow[-1].trail, lead) if flow else 0.0
        offset = top - pages[unit.page]._page_box.content_box_y() if forced else 0.0
        style = (unit.around[-1] if type(unit.box).__name__ == "LineBox" else unit.box).style
        flow.append(Unit(_block_key(unit.around, serial), unit.box.border_height(), gap, unit.notes, keep, forced,
                         offset, style["orphans"], style["widows"], lead, trail))
        closed_before = closed
    return flow


def _element_key(box) -> int:  # noqa: ANN001
    """A block box's element, by identity (an anonymous box's own): the same on every page it runs over."""
    return id(box.element) if box.element is not None else id(box)


def _most(blocks: list, margin: str) -> float:
    """The largest of the `margin` of `blocks` (what collapses to one margin), in px; 0 if none."""
    return max((_length(block.style[margin]) for block in blocks), default=0.0)


def _block_key(around: tuple[object, ...], serial: dict[int, str]) -> str:
    """What a unit is a line of: the innermost block around it kept whole (a figure) with an id, else the
    block whose line it is, by its id or, with none, a key of its own."""
    for block in reversed(around):
        if block.style["break_inside"] in _AVOID and block.element is not None and block.element.get("id"):
            return block.element.get("id")
    inner = around[-1]
    element = inner.element
    if element is not None and element.get("id"):
        return element.get("id")
    return serial.setdefault(id(element if element is not None else inner), f"~{len(serial)}")


def _length(value) -> float:  # noqa: ANN001 - a computed CSS length
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0
