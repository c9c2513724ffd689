"""The print edition's structure tree, made one a screen reader can follow.

WeasyPrint 70 tags a PDF page by page, one structure element per box: a paragraph that a page break
splits is two `P`s, every section one `Sect` per page, every run of text a `Span`, a link inside the
contents' leader three `Link`s deep, footnotes at the foot of the page away from their calls, running
heads and folios in elements the tree never reaches (Kozea/WeasyPrint#2902, #2903). `repair` rewrites
that tree in the PDF WeasyPrint is about to write (its `finisher`), knowing which HTML element each
structure element was made for (`recording`, around `write_pdf`):

    the same element on two pages     one element, its marked content on each page (MCRs)
    wrappers (div, header, spans ...)  dissolved: their content goes to the element above
    the headline / h2 / h3 ...        H1 / H2 / H3 ...; the title page's title a P (display type)
    the contents                      TOC > TOCI > one Link
    a speaker's label                 Lbl, inside its turn's P
    a footnote                        Note, after the Reference that calls it
    a figure                          Figure (its picture's Alt and BBox) holding its Caption
    a link inside a link              one Link
    running heads, folios, ornaments  artifacts (pagination), out of the tree
    an element in another language    /Lang
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

_BOXES: ContextVar[dict | None] = ContextVar("pressroom_structure_boxes", default=None)


@contextmanager
def recording() -> Iterator[dict]:
    """Within it, WeasyPrint's tagging records the box each structure element is made for."""
    from weasyprint.pdf import tags  # start-up time: WeasyPrint only when a PDF is written

    if not getattr(tags._build_box_tree, "pressroom", False):  # once per process; a no-op outside `recording`
        built = tags._build_box_tree

        def traced(box, *args):  # noqa: ANN001, ANN202 - WeasyPrint's own signature
            boxes = _BOXES.get()
            for element in built(box, *args):
                if boxes is not None:  # the innermost call made it: the first record is its box
                    boxes.setdefault(id(element), (element, box))
                yield element

        traced.pressroom = True
        tags._build_box_tree = traced
        _remember_page_references()
    boxes: dict = {}
    token = _BOXES.set(boxes)
    try:
        yield boxes
    finally:
        _BOXES.reset(token)


def _remember_page_references() -> None:
    """pydyf 0.13 makes the tuple of every page's reference anew each time it is asked for one, and
    WeasyPrint's tagging asks for each element it tags: a time the square of the book's length (a
    collection of 500 pages spent seconds on it). Made once for as many pages as the PDF has."""
    import pydyf  # start-up time: only when a PDF is written

    def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]  # [number, 0, "R"] a page, only ever appended to
        made = pdf.__dict__.get("_pressroom_page_references")
        if made is None or made[0] != len(kids):
            made = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            pdf.__dict__["_pressroom_page_references"] = made
        return made[1]

    pydyf.PDF.page_references = property(page_references)


@dataclass
class _Node:
    obj: dict  # the pydyf StructElem
    element: object  # the lxml element it was made for, None for an anonymous box
    tag: str  # the box's element tag ("p", "a::after", "span::footnote-call" ...)
    leader: bool  # a leader's dots (the contents')
    kids: list = field(default_factory=list)  # _Node | ("mcid", n, page ref) | ("objr", ref)

    @property
    def classes(self) -> set[str]:
        return set((self.element.get("class") or "").split()) if self.element is not None else set()

    @property
    def is_note(self) -> bool:
        """A footnote's own box (its call and marker are pseudo-elements of it)."""
        return self.tag == "span" and "footnote" in self.classes


_DISSOLVED = frozenset({"/Div", "/NonStruct", "/Span"})


def repair(pdf, boxes: dict) -> None:  # noqa: ANN001 - a pydyf.PDF
    """Rewrite the structure tree of `pdf` (see the module's docstring); `boxes` is what `recording` kept."""
    by_number = {id(obj): box for obj, box in boxes.values()}
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    document = _object(pdf, root["K"][0])
    tree = _node(pdf, document, by_number)
    pages = {ref: number for number, ref in enumerate(pdf.page_references)}
    tree.kids = _merged(tree.kids)
    _relocate_notes(tree)
    tree.kids = _merged(tree.kids)  # a note that runs on to the next page: its two parts now side by side
    tree.kids = _rewritten(tree)
    _write(pdf, tree, root, pages)


def _object(pdf, reference):  # noqa: ANN001, ANN202
    return pdf.objects[int(bytes(reference).split()[0])]


def _node(pdf, obj: dict, boxes: dict) -> _Node:  # noqa: ANN001
    box = boxes.get(id(obj))
    node = _Node(obj, getattr(box, "element", None), (getattr(box, "element_tag", None) or "") if box else "",
                 getattr(box, "is_leader", False))
    for kid in obj["K"]:
        if isinstance(kid, int):
            node.kids.append(("mcid", kid, obj["Pg"]))
            continue
        child = _object(pdf, kid)
        if child.get("Type") == "/OBJR":
            node.kids.append(("objr", kid))
        else:
            node.kids.append(_node(pdf, child, boxes))
    return node


def _merged(kids: list) -> list:
    """Siblings made for the same element on consecutive pages joined into one, all the way down."""
    out: list = []
    for kid in kids:
        if isinstance(kid, _Node) and not any(_flat(kid)):
            continue  # nothing left in it (the foot of a page whose notes went to their calls)
        last = out[-1] if out else None
        if (isinstance(kid, _Node) and isinstance(last, _Node) and kid.element is not None
                and kid.element is last.element and kid.tag == last.tag):
            last.kids += kid.kids
        else:
            out.append(kid)
    for kid in out:
        if isinstance(kid, _Node):
            kid.kids = _merged(kid.kids)
    return out


def _walk(node: _Node) -> Iterator[tuple[_Node, _Node]]:
    for kid in node.kids:
        if isinstance(kid, _Node):
            yield node, kid
            yield from _walk(kid)


def _relocate_notes(tree: _Node) -> None:
    """Each footnote taken from the foot of its page and put right after the call in the text."""
    notes = [(parent, kid) for parent, kid in _walk(tree) if kid.is_note]
    calls = {id(kid.element): (parent, kid) for parent, kid in _walk(tree) if kid.tag == "span::footnote-call"}
    for parent, note in notes:
        if id(note.element) not in calls:
            continue
        parent.kids.remove(note)
        holder, call = calls[id(note.element)]
        holder.kids.insert(holder.kids.index(call) + 1, note)


def _rewritten(node: _Node) -> list:
    """`node`'s kids, each retagged, dissolved into its own kids, or made an artifact (dropped)."""
    out: list = []
    for kid in node.kids:
        if not isinstance(kid, _Node):
            out.append(kid)
            continue
        role = _role(kid, node)
        if role is None:  # an artifact: its marked content leaves the tree, its links' annotations stay
            out += [objr for objr in _flat(kid) if objr[0] == "objr"]
            continue
        if role != "dissolve":
            kid.obj["S"] = role  # before its kids, whose roles may depend on it
        kid.kids = _rewritten(kid)
        out += kid.kids if role == "dissolve" else [kid]
    return out


def _flat(node: _Node) -> Iterator[tuple]:
    """The marked content and annotations under `node`, in order."""
    for kid in node.kids:
        yield from _flat(kid) if isinstance(kid, _Node) else (kid,)


def _role(node: _Node, parent: _Node) -> str | None:
    """The structure type `node` becomes, "dissolve", or None for an artifact."""
    tag, classes, kind = node.tag, node.classes, node.obj["S"]
    if node.leader or tag.startswith("hr") or "running-head" in classes or "chapter-head" in classes:
        return None
    if node.element is not None and node.element is parent.element and tag == parent.tag:
        return "dissolve"  # a box of the element's own (its columns, say)
    if node.is_note:
        return "/Note"
    if tag == "span::footnote-call":
        return "/Reference"
    if tag == "span::footnote-marker":
        return "/Lbl"
    if tag == "span" and "speaker" in classes:
        return "/Lbl"
    if tag == "h1":
        return "/P"  # the title page's title: display type, not the text's first heading
    if tag == "h2":
        return "/H1" if classes & {"opening-title", "part-title"} else "/H2"
    if tag in ("h3", "h4", "h5", "h6"):  # the source's subheads, at their levels
        return f"/{tag.upper()}"
    if tag == "pre":  # a block of verbatim text: a paragraph of its own
        return "/P"
    if tag == "ol" and "contents-list" in classes:
        return "/TOC"
    if kind == "/LI" and parent.obj["S"] == "/TOC":
        return "/TOCI"
    if kind == "/LBody" and parent.obj["S"] == "/TOCI":  # WeasyPrint's body of a list item: a TOCI has none
        return "dissolve"
    if kind == "/Link" and parent.obj["S"] == "/Link":
        return "dissolve"
    if tag == "figure":
        return "/Figure"
    if tag == "img" and parent.tag == "figure":
        parent.obj["Alt"], parent.obj["A"] = node.obj.get("Alt"), node.obj.get("A")
        return "dissolve"
    if kind in _DISSOLVED and not (node.element is not None and node.element.get("lang") and tag != "html"):
        return "dissolve"
    return kind


def _write(pdf, tree: _Node, root: dict, pages: dict) -> None:  # noqa: ANN001
    """The tree back into the PDF's objects: each element's kids and parent, and the parent tree; an
    element left out is emptied, and marked content no element holds is made an artifact."""
    import pydyf  # WeasyPrint's PDF library

    owner: dict[tuple[int, int], bytes] = {}  # (page, mcid) -> the element that holds it
    annotated: dict[int, bytes] = {}  # an annotation's StructParent -> the element that holds it
    written: set[int] = set()

    def write(node: _Node, parent_ref: bytes) -> None:
        obj = node.obj
        written.add(id(obj))
        obj["P"] = parent_ref
        if node.element is not None and node.element.get("lang") and obj["S"] != "/Document":
            obj["Lang"] = pydyf.String(node.element.get("lang"))
        if obj["S"] == "/Note":  # PDF/UA: a note has an ID
            obj["ID"] = pydyf.String(node.element.get("id") or f"note-{obj.number}")
        kids = pydyf.Array()
        for kid in node.kids:
            if isinstance(kid, _Node):
                write(kid, obj.reference)
                kids.append(kid.obj.reference)
            elif kid[0] == "mcid":
                _, mcid, page = kid
                owner[pages[page], mcid] = obj.reference
                if page == obj.get("Pg"):
                    kids.append(mcid)
                else:  # a paragraph that runs on to the next page: its content there
                    kids.append(pydyf.Dictionary({"Type": "/MCR", "Pg": page, "MCID": mcid}))
            else:
                annotated[_object(pdf, _object(pdf, kid[1])["Obj"])["StructParent"]] = obj.reference
                kids.append(kid[1])
        obj["K"] = kids

    write(tree, root.reference)
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/StructElem" and id(obj) not in written:
            obj.clear()  # dissolved, or never in the tree (a margin box's): an empty object
    parent_tree = _object(pdf, root["ParentTree"])
    nums = parent_tree["Nums"]
    rebuilt = pydyf.Array()
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if isinstance(value, pydyf.Array):  # a page's marked content, by MCID
            refs = [owner.get((key, mcid), b"null") for mcid in range(len(value))]
            _artifacts(pdf, key, {mcid for mcid, ref in enumerate(refs) if ref == b"null"})
            rebuilt += [key, pydyf.Array(refs)]
        else:  # an annotation's StructParent
            rebuilt += [key, annotated.get(key, value)]
    parent_tree["Nums"] = rebuilt


def _artifacts(pdf, page: int, mcids: set[int]) -> None:  # noqa: ANN001
    """The marked content `mcids` of page `page` made pagination artifacts (out of the structure tree)."""
    if not mcids:
        return
    page_object = _object(pdf, pdf.page_references[page])
    commands = _object(pdf, page_object["Contents"]).stream
    for index, command in enumerate(commands):
        if isinstance(command, dict) and command.get("MCID") in mcids and commands[index + 1] == b"BDC":
            commands[index - 1] = "/Artifact"
            del command["MCID"]
            command["Type"] = "/Pagination"
