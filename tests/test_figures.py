"""Figures: photographs with captions and credits, read only from the source's folder, in every edition.

The fixture (conftest.make_figure_source) is the canonical source with two pictures Pillow draws:
a 1400-pixel still that prints at 300 ppi or more, and a 300-pixel portrait that cannot.
EPUBCheck and DAISY Ace run on its EPUB in test_epub.py (VALIDATED).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pypandoc
import pytest
from typer.testing import CliRunner

from conftest import FIGURE_SMALL, FIGURE_WIDE, make_figure_source, without_positions
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.reading.index import PageSpan, printed_locators
from pressroom.reading.reader import read
from pressroom.typeset.proof import proof
from pressroom.typeset.xhtml import Renderer
from pressroom.writers.source import write_source

STILL_ALT = "A young woman in a fur coat laughs at a diner counter at night"
PORTRAIT_ALT = "A man in a baseball cap looks through a camera viewfinder"


def _source(figures: Path) -> Path:
    return Path((figures.parent / f"{figures.name}.source").read_text(encoding="utf-8"))


def _pdfimages(pdf: Path) -> list[dict[str, str]]:
    rows = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    names = rows[0].split()
    return [dict(zip(names, row.split(), strict=False)) for row in rows[2:] if row.split()[2] == "image"]


def test_the_pdf_prints_both_pictures_the_still_at_300_ppi(figures: Path) -> None:
    images = _pdfimages(figures / "figures.pdf")
    assert [(i["width"], i["height"]) for i in images] == [("1400", "933"), ("300", "400")]
    still, portrait = images
    assert int(still["x-ppi"]) >= 300 and int(portrait["x-ppi"]) < 300
    assert still["enc"] == "jpeg"  # the photograph as the source gave it: not decoded and re-encoded


def test_the_small_picture_draws_a_located_warning_and_the_proof_reports_its_page(figures: Path) -> None:
    log = (figures.parent / f"{figures.name}.log").read_text(encoding="utf-8")
    warned = [line for line in log.splitlines() if "ppi" in line and re.match(r"\S+:\d+:\d+: ", line)]
    assert len(warned) == 1 and FIGURE_SMALL in warned[0] and FIGURE_WIDE not in warned[0], log
    source_line = int(warned[0].split(":")[1])
    text = _source(figures).read_text(encoding="utf-8").splitlines()
    assert FIGURE_SMALL in text[source_line - 1]
    portrait_page = int(_pdfimages(figures / "figures.pdf")[1]["page"])
    low = [f for f in proof(figures / "figures.pdf") if f.check == "low-resolution"]
    assert [(f.page, f.hard) for f in low] == [(portrait_page, False)]


def test_the_epub_has_figures_with_captions_credits_and_alt_text(figures: Path) -> None:
    with zipfile.ZipFile(figures / "figures.epub") as epub:
        text = epub.read("EPUB/interview.xhtml").decode("utf-8")
        opf = epub.read("EPUB/content.opf").decode("utf-8")
        packed = {name for name in epub.namelist() if name.startswith("EPUB/images/figure-")}
    found = re.findall(r'<figure id="(figure-\d)" class="figure">\s*<img[^>]* alt="([^"]+)"[^>]*/>\s*'
                       r"<figcaption>(.*?)</figcaption>", text, re.S)
    assert [(ident, alt) for ident, alt, _ in found] == [("figure-1", STILL_ALT), ("figure-2", PORTRAIT_ALT)]
    assert "Mikey Madison as Ani" in found[0][2] and "Photo: Neon" in found[0][2]
    assert "on the set" in found[1][2] and "Photo: Drew Daniels" in found[1][2]
    assert packed == {"EPUB/images/figure-1.jpg", "EPUB/images/figure-2.png"}
    assert 'media-type="image/jpeg"' in opf and 'media-type="image/png"' in opf


def test_the_docx_has_both_pictures_and_caption_paragraphs(figures: Path) -> None:
    docx = figures / "figures.docx"
    with zipfile.ZipFile(docx) as z:
        media = [name for name in z.namelist() if name.startswith("word/media/")]
        document = z.read("word/document.xml").decode("utf-8")
    assert len(media) == 2
    captions = [para for para in document.split("</w:p>") if re.search(r'<w:pStyle w:val="Caption"\s*/>', para)]
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", caption)) for caption in captions]
    assert [("Mikey Madison as Ani" in t, "Photo: Neon" in t) for t in texts[:1]] == [(True, True)], texts
    assert "on the set" in texts[1] and "Photo: Drew Daniels" in texts[1]
    back = json.dumps(json.loads(pypandoc.convert_file(str(docx), "json", format="docx")))  # pandoc reads it back
    assert back.count('"t": "Image"') == 2
    assert re.search(r'XE "Anora \(2024, Sean Baker\)" \\i', document)  # the picture's locator, in italics


def test_every_edition_is_the_same_bytes_when_built_again(figures: Path, tmp_path: Path) -> None:
    source = _source(figures)
    run = subprocess.run([sys.executable, "-m", "pressroom", "build", str(source), "--out", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for edition in ("figures.pdf", "figures.epub", "figures.docx"):
        assert (tmp_path / edition).read_bytes() == (figures / edition).read_bytes(), edition


def test_a_figure_source_reads_back_from_the_source_writer(tmp_path: Path) -> None:
    doc = read(make_figure_source(tmp_path))
    again_path = tmp_path / "again.md"
    again_path.write_text(write_source(doc), encoding="utf-8")
    again = read(again_path)
    assert len(again.figures) == 2
    assert without_positions(replace_name(again)) == without_positions(replace_name(doc))


def replace_name(doc: m.Document) -> m.Document:
    import dataclasses

    return dataclasses.replace(doc, source_name="x")


# --- the index: a figure that shows a film is an illustration --------------------------------


def test_a_page_with_only_a_figure_of_the_film_prints_its_locator_in_italics() -> None:
    text, figure = m.Locator("film-anora-1", "interview"), m.Locator("film-anora-2", "interview", illustration=True)
    caption = m.Locator("film-anora-3", "interview")
    pages = {"film-anora-1": PageSpan(4, 4), "film-anora-2": PageSpan(9, 9), "film-anora-3": PageSpan(4, 4)}
    assert [(p.label, p.illustration) for p in printed_locators((text, figure), pages)] == [("4", False), ("9", True)]
    pages["film-anora-2"] = PageSpan(4, 4)  # the figure on a page that names the film in the text: a text page
    assert [(p.label, p.illustration) for p in printed_locators((text, figure, caption), pages)] == [("4", False)]


def test_the_index_sets_an_illustration_locator_in_italics(tmp_path: Path) -> None:
    doc = read(make_figure_source(tmp_path))
    (figure,) = [f for f in doc.figures if f.film is not None]
    pages = {
        loc.anchor: PageSpan(2, 2) for entries in doc.index.by_kind.values() for e in entries for loc in e.locators
    }
    pages[figure.film.anchor] = PageSpan(99, 99)
    index = next(p for p in Renderer(doc, pages=pages).parts() if p.name == "film-index").body
    assert f'#{figure.film.anchor}"><i>99</i></a>' in index
    assert "<i>2</i>" not in index


# --- bad figures: refused at their line, nothing written -------------------------------------

BAD_FIGURES = {
    "parent folder": ("![Caption](../still.jpg){alt=\"A still\"}", "must be a path inside the source's folder"),
    "absolute path": ("![Caption](/etc/passwd){alt=\"A still\"}", "must be a path inside the source's folder"),
    "URL": ("![Caption](https://example.com/a.jpg){alt=\"A still\"}", "must be a path inside the source's folder"),
    "file URL": ("![Caption](file:///etc/hosts){alt=\"A still\"}", "must be a path inside the source's folder"),
    "missing": ("![Caption](nothing.jpg){alt=\"A still\"}", "not found"),
    "symlink out": ("![Caption](link.jpg){alt=\"A still\"}", "leads outside the source's folder"),
    "not an image": ("![Caption](notes.jpg){alt=\"A still\"}", "cannot be read as an image"),
    "GIF": ("![Caption](anim.gif){alt=\"A still\"}", "must be JPEG or PNG"),
    "no alt text": (f"![Caption]({FIGURE_WIDE})", "needs alt text"),
    "unknown attribute": (f'![Caption]({FIGURE_WIDE}){{alt="A still" creidt="Neon"}}',
                          "unknown figure attribute 'creidt'"),
    "unknown film": (f'![Caption]({FIGURE_WIDE}){{alt="A still" film=nosuchfilm}}', "no film with key 'nosuchfilm'"),
    "in running text": (f'Baker: Look at this ![x]({FIGURE_WIDE}){{alt="A still"}} here.',
                        "stands alone in its paragraph"),
    "div without caption": (f"::: figure\n![A still]({FIGURE_WIDE})\n:::", "then one paragraph of caption"),
}


@pytest.mark.parametrize("case", BAD_FIGURES, ids=lambda case: case.replace(" ", "-"))
def test_a_bad_figure_is_refused_at_its_line_with_nothing_written(tmp_path: Path, case: str) -> None:
    from PIL import Image

    markdown, message = BAD_FIGURES[case]
    folder = tmp_path / "src"
    source = make_figure_source(folder)
    (tmp_path / "still.jpg").write_bytes((folder / FIGURE_WIDE).read_bytes())
    (folder / "link.jpg").symlink_to(tmp_path / "still.jpg")
    (folder / "notes.jpg").write_text("not a picture", encoding="utf-8")
    Image.new("RGB", (40, 40)).save(folder / "anim.gif")
    lines = source.read_text(encoding="utf-8").splitlines()
    opening = lines.index("::: interview")
    at = lines.index(":::", opening + 2) + 2  # after the interview's first figure and its blank line
    lines[at:at] = [*markdown.splitlines(), ""]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "--out", str(out), "--to", "pdf"])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert re.search(
        rf"^{re.escape(str(source))}:{at + 1}:\d+: .*{re.escape(message)}", result.output, re.M
    ), result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_picture_larger_than_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pressroom.reading import images

    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1000)
    source = make_figure_source(tmp_path)
    result = CliRunner().invoke(app, ["check", str(source)])
    assert result.exit_code == 3 and "larger than" in result.output, result.output


def test_a_bag_holds_the_pictures_and_builds_the_same_pdf_again(figures: Path, tmp_path: Path) -> None:
    import bagit

    source = _source(figures)
    bag = tmp_path / "bag"
    run = subprocess.run([sys.executable, "-m", "pressroom", "build", str(source), "--to", "pdf",
                          "--out", str(tmp_path / "out"), "--bag", str(bag)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    bagit.Bag(str(bag)).validate()
    for picture in (FIGURE_WIDE, FIGURE_SMALL):
        assert (bag / "data" / "source" / picture).read_bytes() == (source.parent / picture).read_bytes()
    again = subprocess.run([sys.executable, "-m", "pressroom", "build", str(bag / "data" / "source" / source.name),
                            "--to", "pdf", "--out", str(tmp_path / "again")], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "figures.pdf").read_bytes() == (figures / "figures.pdf").read_bytes()


def test_a_pdfx_of_the_figures_has_its_pictures_separated_for_the_press(figures: Path, tmp_path: Path) -> None:
    """PDF/X-4 with a CMYK output intent holds no device RGB: the pictures are converted to CMYK with
    the output intent's profile (and the file passes test_pdfx's independent checks)."""
    import pikepdf

    from test_pdfx import check_pdfx

    run = subprocess.run([sys.executable, "-m", "pressroom", "build", str(_source(figures)), "--to", "pdf",
                          "--pdf-variant", "x4", "--bleed", "3mm", "--out", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / "figures.pdf"
    check_pdfx(pdf, (432, 648), 3 / 25.4 * 72)
    with pikepdf.open(pdf) as opened:
        spaces = [str(obj.get("/ColorSpace")) for obj in opened.objects
                  if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
    assert spaces == ["/DeviceCMYK", "/DeviceCMYK"]
    assert [i["color"] for i in _pdfimages(pdf)] == ["cmyk", "cmyk"]
