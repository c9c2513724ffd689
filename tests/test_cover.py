"""The wrap cover (`--to cover`): its size from the page count and paper, its text, its spine, its barcode."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SOURCE
from pressroom.cli import app
from pressroom.core.options import BuildOptions
from pressroom.reading.reader import read
from pressroom.typeset.cover import SPINE_TEXT_MIN_PAGES, spread, write_cover

ISBN = "978-0-306-40615-7"
BLURB = "A conversation about casting, budgets and the Italian sex comedies behind a Palme d’Or."
# KDP's inches of spine a page: white, cream, premium colour (the figures the test holds the code to)
THICKNESS = {"white": 0.002252, "cream": 0.0025, "color": 0.002347}


def _source(folder: Path, front: str = f"isbn: {ISBN}\nblurb: {BLURB}") -> Path:
    """The canonical source and its registries in `folder`, its identifier replaced by the front-matter \
lines `front`."""
    folder.mkdir(parents=True, exist_ok=True)
    for registry in (ROOT / "source").glob("*.yaml"):
        shutil.copy(registry, folder)
    text = SOURCE.read_text(encoding="utf-8").replace("identifier: urn:pressroom:sean-baker-anora\n", front + "\n", 1)
    source = folder / SOURCE.name
    source.write_text(text, encoding="utf-8")
    return source


def _build(source: Path, out: Path, *options: str) -> Path:
    result = CliRunner().invoke(
        app, ["build", "--jobs", "1", "--to", "cover", "--out", str(out), *options, str(source)]
    )
    assert result.exit_code == 0, result.output
    return out / f"{source.stem}.cover.pdf"


@pytest.fixture(scope="module")
def cover(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cover")
    return _build(_source(folder / "src"), folder / "out")


@pytest.fixture(scope="module")
def pages(cover: Path) -> int:
    """The page count of the print edition of the same source, built on its own."""
    out = cover.parent.parent / "pdf"
    result = CliRunner().invoke(app, ["build", "--jobs", "1", "--to", "pdf", "--pdf-variant", "none", "--out", str(out),
                                      str(cover.parent.parent / "src" / SOURCE.name)])
    assert result.exit_code == 0, result.output
    return _pages(out / f"{SOURCE.stem}.pdf")


def _boxes(pdf: Path) -> dict[str, tuple[float, ...]]:
    """The page boxes pdfinfo reports, in points: name -> (x0, y0, x1, y1)."""
    info = subprocess.run(["pdfinfo", "-box", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {name: tuple(map(float, values.split())) for name, values in re.findall(r"(\w+Box):\s+(.+)", info)}


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _text(pdf: Path, *area: str) -> str:
    return subprocess.run(["pdftotext", *area, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("paper", sorted(THICKNESS))
@pytest.mark.parametrize("pages", [20, 100, 300])
def test_the_spread_is_two_covers_the_spine_and_the_bleed_wide(pages: int, paper: str) -> None:
    geometry = spread(pages, paper, "6in 9in", "0.125in")
    expected = 2 * 6 + pages * THICKNESS[paper] + 2 * 0.125
    assert geometry.width / 72 == pytest.approx(expected, abs=0.01)
    assert geometry.spine / 72 == pytest.approx(pages * THICKNESS[paper], abs=0.0005)
    assert geometry.height / 72 == pytest.approx(9.25, abs=0.01)


def test_the_built_cover_has_the_spread_of_the_real_page_count(cover: Path, pages: int) -> None:
    """MediaBox: the whole spread with its bleed; TrimBox: the spread less the bleed; the spine from the
    page count of the print edition (the PDF built on its own says how many)."""
    geometry = spread(pages, "white", "6in 9in", "0.125in")
    x0, y0, x1, y1 = _boxes(cover)["MediaBox"]
    assert (x1 - x0, y1 - y0) == pytest.approx((geometry.width, geometry.height), abs=0.01 * 72)
    tx0, ty0, tx1, ty1 = _boxes(cover)["TrimBox"]
    assert (tx0 - x0, ty0 - y0, x1 - tx1, y1 - ty1) == pytest.approx((9, 9, 9, 9), abs=0.01)


@pytest.mark.parametrize("paper", ["cream", "color"])
def test_the_paper_makes_the_spine(cover: Path, pages: int, paper: str) -> None:
    """--paper cream or color prints the spread wider than white by its extra thickness times the page count."""
    other = _boxes(_build(cover.parent.parent / "src" / SOURCE.name, cover.parent.parent / paper, "--paper", paper))
    white = _boxes(cover)
    wider = (other["MediaBox"][2] - other["MediaBox"][0]) - (white["MediaBox"][2] - white["MediaBox"][0])
    assert wider == pytest.approx(pages * (THICKNESS[paper] - THICKNESS["white"]) * 72, abs=0.005)


def test_the_cover_prints_title_names_publisher_blurb_and_isbn(cover: Path) -> None:
    text = " ".join(_text(cover).split())
    for words in ("There’s Only One Life", "Strong, Solid Filmography", "SEAN BAKER", "Filmmaker Magazine",
                  BLURB, ISBN):
        assert words in text, (words, text)


@pytest.mark.slow
def test_the_headnote_is_the_back_cover_without_a_blurb(tmp_path: Path) -> None:
    text = " ".join(_text(_build(_source(tmp_path / "src", front=""), tmp_path / "out")).split())
    assert "we’re reposting our Fall, 2024 cover story interview with Baker" in text


def _spine_text(pdf: Path, pages: int) -> str:
    """The text in the spine's strip (pdftotext's area is in points at its default 72 dpi)."""
    geometry = spread(pages, "white", "6in 9in", "0.125in")
    left = geometry.bleed + geometry.trim_width
    area = ["-x", str(int(left)), "-y", "0", "-W", str(int(geometry.spine) + 1), "-H", str(int(geometry.height))]
    return " ".join(_text(pdf, *area).split())


@pytest.mark.slow
def test_the_spine_has_text_only_from_the_printers_minimum(tmp_path: Path) -> None:
    doc = read(_source(tmp_path / "src"))
    for pages in (SPINE_TEXT_MIN_PAGES - 2, SPINE_TEXT_MIN_PAGES, 300):
        write_cover(doc, tmp_path / f"{pages}.pdf", BuildOptions(), pages)
    assert _spine_text(tmp_path / f"{SPINE_TEXT_MIN_PAGES - 2}.pdf", SPINE_TEXT_MIN_PAGES - 2) == ""
    for pages in (SPINE_TEXT_MIN_PAGES, 300):
        assert "SEAN BAKER" in _spine_text(tmp_path / f"{pages}.pdf", pages), pages


def test_the_real_book_is_too_thin_for_spine_text(cover: Path, pages: int) -> None:
    assert pages < SPINE_TEXT_MIN_PAGES
    assert _spine_text(cover, pages) == ""


def test_the_barcode_scans_as_the_isbn(cover: Path, tmp_path: Path) -> None:
    """The back panel (the left 6.125 in) at 300 dpi, read by zbar."""
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "-x", "0", "-y", "0", "-W", str(int(6.125 * 300)),
                    "-H", str(int(9.25 * 300)), str(cover), str(tmp_path / "back")], check=True)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "back.png")], capture_output=True, text=True)
    assert scanned.stdout.split() == [ISBN.replace("-", "")], scanned


@pytest.mark.slow
def test_no_isbn_no_barcode(tmp_path: Path) -> None:
    cover = _build(_source(tmp_path / "src", front="blurb: Short."), tmp_path / "out")
    assert "ISBN" not in _text(cover)


@pytest.mark.parametrize("front, column", [(f"isbn: {ISBN[:-1]}8", 7), ("isbn: 978-0-306", 7),
                                           (f"identifier: urn:isbn:{ISBN[:-1]}8", 13)])
def test_a_bad_isbn_is_refused_where_it_is(tmp_path: Path, front: str, column: int) -> None:
    source = _source(tmp_path / "src", front=front)
    line = source.read_text(encoding="utf-8").split("\n").index(front) + 1
    result = CliRunner().invoke(app, ["build", "--to", "cover", "--out", str(tmp_path / "out"), str(source)])
    assert result.exit_code == 3, result.output
    assert re.search(rf"^{re.escape(str(source))}:{line}:{column}: ISBN '.*' "
                     r"(has the wrong check digit|must have 13 digits)",
                     result.output, re.M), result.output
    assert not (tmp_path / "out" / f"{SOURCE.stem}.cover.pdf").exists()


def test_two_builds_give_the_same_bytes(cover: Path, tmp_path: Path) -> None:
    again = _build(cover.parent.parent / "src" / SOURCE.name, tmp_path)
    assert again.read_bytes() == cover.read_bytes()


def test_the_epub_cover_is_the_front_panel() -> None:
    """The EPUB's cover image is the front panel of the same design, 1600 x 2400, the same bytes each time."""
    import io

    from PIL import Image

    from pressroom.typeset.cover import cover_png

    doc = read(SOURCE)
    image = cover_png(doc)
    assert image == cover_png(doc)
    assert Image.open(io.BytesIO(image)).size == (1600, 2400)
