"""The one place that reads WeasyPrint's laid-out boxes, which are not its public API.

WeasyPrint 70 keeps a page's box tree in `page._page_box`; line boxes are
`LineBox` instances whose text boxes carry `.text`. If an upgrade moves them,
this module is all that changes.
"""

from __future__ import annotations

from collections.abc import Iterator


def paragraph_lines(page, id_prefix: str) -> Iterator[tuple[str, str]]:  # noqa: ANN001 - a weasyprint Page
    """(paragraph id, text of the line) for every line on `page` inside an element whose id starts with `id_prefix`."""
    yield from _lines(page._page_box, id_prefix, None)


def _lines(box, id_prefix: str, paragraph: str | None) -> Iterator[tuple[str, str]]:  # noqa: ANN001
    element = getattr(box, "element", None)
    if element is not None and hasattr(element, "get"):
        ident = element.get("id") or ""
        if ident.startswith(id_prefix):
            paragraph = ident
    if type(box).__name__ == "LineBox":
        if paragraph:
            yield paragraph, "".join(_texts(box)).strip()
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, id_prefix, paragraph)


def _texts(box) -> Iterator[str]:  # noqa: ANN001
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)
