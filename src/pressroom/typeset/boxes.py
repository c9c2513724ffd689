"""The one place that reads WeasyPrint's laid-out boxes, which are not its public API.

WeasyPrint 70 keeps a page's box tree in `page._page_box`; line boxes are
`LineBox` instances whose text boxes carry `.text`. If an upgrade moves them,
this module is all that changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

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


def flow_units(pages) -> tuple[list[Unit], list[int], Sheet]:  # noqa: ANN001 - weasyprint Pages
    """The text of `pages` as the page planner sees it (planner.py): its units (each line, or picture),
    the index of the unit each page opens with, and the pages' text block."""
    notes = {note.element: note.margin_height() for page in pages for area in page._page_box.children[1:]
             if type(area).__name__ == "FootnoteAreaBox" for note in area.children}  # by its element: a note
    events: list[tuple[str, object]] = []  # may print a page after its call (WeasyPrint 70)
    starts: list[int] = []
    count = 0
    for number, page in enumerate(pages):
        starts.append(count)
        for kind, box in _flow_events(page._page_box.children[0]):
            if kind == "unit":
                count += 1
                called = sum(notes.get(inner.element, 0.0) for inner in _boxes(box) if _is_call(inner))
                box = (box, number, called)
            events.append((kind, box))
    first = pages[0]._page_box
    sheet = Sheet(first.height, common_line_height(pages[0]) if len(pages) == 1 else
                  Counter(common_line_height(page) for page in pages).most_common(1)[0][0], _note_space(pages))
    return _units(events, pages), starts, sheet


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


def _flow_events(box) -> Iterator[tuple[str, object]]:  # noqa: ANN001
    """The block boxes of a page's text opened and closed, and its units (lines, pictures), in order."""
    name = type(box).__name__
    if name == "LineBox" or (name == "BlockReplacedBox") or (not getattr(box, "children", None) and box.height):
        yield "unit", box
        return
    yield "open", box
    for child in box.children:
        yield from _flow_events(child)
    yield "close", box


def _units(events: list[tuple[str, object]], pages) -> list[Unit]:  # noqa: ANN001
    """The planner's units from the events of every page, in order (see `flow_units`)."""
    first_unit: dict[int, int] = {}  # an element (by identity) -> the index of its first unit, and of its last
    last_unit: dict[int, int] = {}
    boxes_of: dict[int, object] = {}
    open_boxes: list[object] = []
    found: list[tuple[object, int, float, tuple[object, ...]]] = []  # (box, page, notes, blocks around it)
    for kind, item in events:
        if kind == "open":
            open_boxes.append(item)
        elif kind == "close":
            open_boxes.pop()
        else:
            box, page, notes = item
            for block in open_boxes:
                key = id(block.element) if block.element is not None else id(block)
                first_unit.setdefault(key, len(found))
                last_unit[key] = len(found)
                boxes_of.setdefault(key, block)
            found.append((box, page, notes, tuple(open_boxes)))
    serial: dict[int, str] = {}
    units = []
    for index, (box, page, notes, around) in enumerate(found):
        keys = [id(block.element) if block.element is not None else id(block) for block in around]
        opened = [boxes_of[key] for key in keys if first_unit[key] == index]
        closed = [boxes_of[key] for key in keys if last_unit[key] == index]
        parent = around[-1] if type(box).__name__ == "LineBox" else box
        style = parent.style
        lead = max((_length(block.style["margin_top"]) for block in opened), default=0.0)
        trail = max((_length(block.style["margin_bottom"]) for block in closed), default=0.0)
        units.append(dict(box=box, page=page, notes=notes, around=keys, opened=opened, closed=closed,
                          style=style, lead=lead, trail=trail, block=_block_key(around, serial)))
    flow = []
    for index, unit in enumerate(units):
        box, page = unit["box"], unit["page"]
        top = box.border_box_y()
        before = units[index - 1] if index else None
        same_page = before is not None and before["page"] == page
        opened = unit["opened"]
        forced = index == 0 or any(block.style["break_before"] in _FORCED for block in opened)
        keep = before is not None and (
            any(block.style["break_after"] in _AVOID for block in before["closed"])
            or any(block.style["break_before"] in _AVOID for block in opened)
            or any(key in before["around"] and boxes_of[key].style["break_inside"] in _AVOID
                   for key in unit["around"]))
        if same_page:
            previous = before["box"]
            gap = top - (previous.border_box_y() + previous.border_height())
        else:
            gap = max(before["trail"], unit["lead"]) if before is not None else 0.0
        content_top = pages[page]._page_box.content_box_y()
        flow.append(Unit(unit["block"], box.border_height(), gap, unit["notes"], keep, forced,
                         top - content_top if forced else 0.0, unit["style"]["orphans"], unit["style"]["widows"],
                         unit["lead"], unit["trail"]))
    return flow


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
