"""The print edition's tags, read with tools pressroom did not write: poppler's `pdfinfo -struct-text` (the
headings in order with their text, every paragraph once and in order, labels, notes, figures with their
alternative text, the contents) and pikepdf walking the structure tree (no link inside a link, every
marked-content sequence in the tree or an artifact, the document's language, marked, its title shown),
for the canonical source, the golden source (notes, subheads), the figure fixture and the example
collection; and every PDF variant but `none` tagged."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from conftest import ROOT, structure_elements
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.core.words import words_for
from pressroom.reading.collection import read_book

GOLDEN = ROOT / "tests" / "golden" / "craft.md"  # notes in each part, two levels of subhead, a section break
COLLECTION = ROOT / "source" / "filmmaker-interviews.collection.yaml"


@dataclass
class Element:
    """An element of `pdfinfo -struct-text`'s tree: its type, and its text runs and kids in order."""

    kind: str
    items: list[str | Element] = field(default_factory=list)

    @property
    def kids(self) -> list[Element]:
        return [item for item in self.items if isinstance(item, Element)]

    def walk(self):  # noqa: ANN201
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def text(self, leave_out: tuple[str, ...] = ()) -> str:
        """Its text, its kids' in their places (but for the kids of the kinds `leave_out`)."""
        return "".join(item if isinstance(item, str) else item.text(leave_out) if item.kind not in leave_out else ""
                       for item in self.items)


def structure(pdf: Path) -> Element:
    out = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    root = Element("root")
    stack = [(-1, root)]
    for line in out.splitlines():
        depth = len(line) - len(line.lstrip(" "))
        content = line.strip()
        while stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1]
        if content.startswith('"'):
            parent.items.append(content[1:-1])
        elif not content.startswith(("Object ", "/")):  # an annotation (a link's), an attribute: no text
            element = Element(content.split()[0].rstrip(":"))
            parent.items.append(element)
            stack.append((depth, element))
    return root


def _letters(text: str) -> str:
    """What two renderings of a text share whatever their line breaks: no spaces, no hyphens."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden source and the example collection built to PDF (the default variant)."""
    out = tmp_path_factory.mktemp("tagged")
    result = CliRunner().invoke(app, ["build", str(GOLDEN), str(COLLECTION), "--to", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _pdfs(request: pytest.FixtureRequest) -> list[tuple[Path, Path]]:
    """(PDF, its source) of each book the tests read."""
    figures = request.getfixturevalue("figures")
    tagged = request.getfixturevalue("tagged")
    return [
        (request.getfixturevalue("editions") / "sean-baker-anora.pdf", ROOT / "source" / "sean-baker-anora.md"),
        (tagged / "craft.pdf", GOLDEN),
        (next(figures.glob("*.pdf")), Path((figures.parent / f"{figures.name}.source").read_text(encoding="utf-8"))),
        (tagged / "filmmaker-interviews.collection.pdf", COLLECTION),
    ]


BOOKS = ["canonical", "golden", "figures", "collection"]


@pytest.fixture(params=BOOKS)
def book(request: pytest.FixtureRequest) -> tuple[Path, m.Book]:
    pdf, source = _pdfs(request)[BOOKS.index(request.param)]
    return pdf, read_book(source)


def _paragraphs(doc: m.Document) -> list[m.Para]:
    """The text's paragraphs in reading order (those of quotations and lists are inside others' elements)."""
    blocks = [*doc.headnote, *doc.introduction, *doc.interview]
    out = []
    for block in blocks:
        if isinstance(block, m.Turn):
            out += [b for b in block.blocks if isinstance(b, m.Para)]
        elif isinstance(block, m.Para):
            out.append(block)
    return out


def test_every_paragraph_is_one_p_in_reading_order(book: tuple[Path, m.Book]) -> None:
    pdf, doc = book
    found = [_letters(p.text(leave_out=("Lbl", "Note", "Reference"))) for p in structure(pdf).walk() if p.kind == "P"]
    position = 0
    for chapter in getattr(doc, "chapters", (doc,)):
        for paragraph in _paragraphs(chapter):
            expected = _letters(m.plain_text(paragraph.children))
            assert expected in found[position:], m.plain_text(paragraph.children)[:80]
            position = found.index(expected, position) + 1


def test_headings_are_in_order_the_headline_an_h1(book: tuple[Path, m.Book]) -> None:
    pdf, doc = book
    headings = [(e.kind, _letters(e.text())) for e in structure(pdf).walk() if re.fullmatch(r"H\d", e.kind)]
    words = words_for(doc.front.lang)
    chapters = getattr(doc, "chapters", (doc,))
    titles = [_letters(m.plain_text(c.front.title)) for c in chapters]
    assert [text for kind, text in headings if kind == "H1"][-len(titles):] == titles
    assert headings[0] == ("H2", _letters(words.part("contents")))
    indexes = [("H2", _letters(words.part(k.index_id))) for k in m.MentionKind if doc.index[k]]
    assert headings[-len(indexes):] == indexes
    if not isinstance(doc, m.Collection):
        subheads = [_letters(m.plain_text(h.children)) for h in m.nested(doc.interview, m.Heading)]
        assert [text for kind, text in headings if kind in ("H3", "H4", "H5", "H6")] == subheads


def test_each_turn_opens_with_its_speaker_s_label(book: tuple[Path, m.Book]) -> None:
    pdf, doc = book
    labels = [e.text() for e in structure(pdf).walk() if e.kind == "P" for e in e.kids if e.kind == "Lbl"]
    turns = [t for c in getattr(doc, "chapters", (doc,)) for t in c.interview if isinstance(t, m.Turn)]
    assert labels == [f"{t.speaker.label}:" for t in turns]


def _note_refs(blocks: tuple) -> list[m.NoteRef]:
    """The notes called in `blocks` (paragraphs, turns, quotations), in reading order."""
    found = []
    for block in blocks:
        match block:
            case m.Para(children) | m.Heading(_, children):
                found += [n for n in _inline_walk(children) if isinstance(n, m.NoteRef)]
            case m.Turn(_, inner) | m.BlockQuote(inner):
                found += _note_refs(inner)
    return found


def _inline_walk(inlines: tuple):  # noqa: ANN202
    for node in inlines:
        yield node
        yield from _inline_walk(getattr(node, "children", ()))


def test_notes_are_notes_after_their_reference(book: tuple[Path, m.Book]) -> None:
    pdf, doc = book
    notes = [n for c in getattr(doc, "chapters", (doc,)) for n in _note_refs((*c.headnote, *c.introduction,
                                                                               *c.interview))]
    found = []
    for element in structure(pdf).walk():
        for before, kid in zip(element.kids, element.kids[1:], strict=False):
            if kid.kind == "Note":
                assert before.kind == "Reference", kid.text()
                found.append(_letters(kid.text(leave_out=("Lbl",))))
    assert len(found) == len(notes)
    assert found == [_letters(" ".join(m.plain_text(b.children) for b in n.blocks if isinstance(b, m.Para)))
                     for n in notes]


def test_figures_have_their_alternative_text_and_caption(figures: Path) -> None:
    pdf = next(figures.glob("*.pdf"))
    with pikepdf.open(pdf) as document:
        alts = [str(e.get("/Alt")) for e in _elements(document) if e.get("/S") == "/Figure"]
    doc = read_book(Path((figures.parent / f"{figures.name}.source").read_text(encoding="utf-8")))
    assert alts == [f.alt for f in doc.figures]
    figure_elements = [e for e in structure(pdf).walk() if e.kind == "Figure"]
    assert [[k.kind for k in e.kids] for e in figure_elements] == [["Caption"]] * len(doc.figures)


def test_the_contents_is_a_toc_of_one_link_each(editions: Path) -> None:
    (toc,) = [e for e in structure(editions / "sean-baker-anora.pdf").walk() if e.kind == "TOC"]
    assert [k.kind for k in toc.kids] == ["TOCI"] * len(toc.kids) and toc.kids
    assert all([k.kind for k in item.kids] == ["Link"] for item in toc.kids)
    assert [item.text().rstrip("0123456789") for item in toc.kids] == ["Introduction", "The Interview",
                                                                      "Index of Films", "Index of Names"]


# --- the tree as pikepdf reads it ---------------------------------------------------------------------


def _elements(document: pikepdf.Pdf):  # noqa: ANN202
    return structure_elements(document.Root.StructTreeRoot)


def _marked_content(document: pikepdf.Pdf) -> list[tuple[int, str, int | None]]:
    """(page, tag, MCID) of every marked-content sequence of every page's content stream."""
    found = []
    for number, page in enumerate(document.pages):
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) in ("BDC", "BMC"):
                properties = operands[1] if len(operands) > 1 else None
                mcid = int(properties.MCID) if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties \
                    else None
                found.append((number, str(operands[0]), mcid))
    return found


def test_the_tree_is_sound(book: tuple[Path, m.Book]) -> None:
    pdf, doc = book
    with pikepdf.open(pdf) as document:
        root = document.Root
        assert str(root.Lang) == doc.front.lang and bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        links = [e for e in _elements(document) if e.get("/S") == "/Link"]
        nested = [e for e in links if any(d.get("/S") == "/Link" for d in list(structure_elements(e))[1:])]
        assert nested == []
        parents = root.StructTreeRoot.ParentTree.Nums
        by_page = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)
                   if isinstance(parents[i + 1], pikepdf.Array)}
        for page, tag, mcid in _marked_content(document):
            if tag != "/Artifact":
                assert mcid is not None, (page, tag)
                assert isinstance(by_page[page][mcid], pikepdf.Dictionary), (page, tag, mcid)


def test_the_default_pdf_is_pdfa_3a_and_every_variant_but_none_is_tagged(
        editions: Path, tmp_path: Path) -> None:
    pdf = editions / "sean-baker-anora.pdf"
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="A"' in meta
    for variant, tagged in (("ua", "yes"), ("x4", "yes"), ("none", "no")):
        out = tmp_path / variant
        result = CliRunner().invoke(app, ["build", str(ROOT / "tests" / "books" / "short.md"), "--to", "pdf",
                                          "--pdf-variant", variant, "--out", str(out)])
        assert result.exit_code == 0, result.output
        info = subprocess.run(["pdfinfo", str(out / "short.pdf")], capture_output=True, text=True, check=True).stdout
        assert re.search(rf"^Tagged:\s+{tagged}$", info, re.M), variant
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
