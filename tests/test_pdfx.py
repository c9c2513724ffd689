"""Print production: PDF/X-4 with its CMYK output intent, exact page boxes, and the printer presets.

pikepdf reads the PDFs: an independent reader, not WeasyPrint's writer checking itself.
`check_pdfx` and `check_page_boxes` take any PDF, so other tests can call them on theirs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from pressroom.cli import app

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "sean-baker-anora.md"
TRIM_6X9 = (432.0, 648.0)
MM = 72 / 25.4
EXACT = 1e-3  # points: pydyf writes six decimals


def check_pdfx(path: Path, trim_pt: tuple[float, float], bleed_pt: float) -> None:
    """`path` is a PDF/X-4 with a CMYK output intent, and its page boxes are the trim and bleed given."""
    with pikepdf.open(path) as pdf:
        intents = pdf.Root.get("/OutputIntents")
        assert intents is not None and len(intents) == 1, "no output intent"
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFX
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[16:20] == b"CMYK", f"the output profile's colour space is {profile[16:20]!r}"
        assert str(intent.OutputConditionIdentifier)
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert re.search(r"GTS_PDFXVersion>PDF/X-4<", xmp), "no PDF/X-4 version in the XMP"
        assert "xmp.did:" in xmp
        assert pdf.docinfo.get("/CreationDate") and pdf.docinfo.get("/ModDate")
    check_page_boxes(path, trim_pt, bleed_pt)


def check_page_boxes(path: Path, trim_pt: tuple[float, float], bleed_pt: float) -> None:
    """On every page TrimBox within BleedBox within MediaBox; TrimBox the trim, BleedBox the trim
    and `bleed_pt` on each side."""
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            media, trim, bleed = (_box(page.obj, name) for name in ("/MediaBox", "/TrimBox", "/BleedBox"))
            assert _within(trim, bleed) and _within(bleed, media), (number, media, bleed, trim)
            assert _close((trim[2] - trim[0], trim[3] - trim[1]), trim_pt), (number, trim)
            widened = (trim[0] - bleed_pt, trim[1] - bleed_pt, trim[2] + bleed_pt, trim[3] + bleed_pt)
            assert _close(bleed, widened), (number, bleed, widened)


def _box(page: pikepdf.Dictionary, name: str) -> tuple[float, ...]:
    return tuple(float(value) for value in page[name])


def _within(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (inner[0] >= outer[0] - EXACT and inner[1] >= outer[1] - EXACT
            and inner[2] <= outer[2] + EXACT and inner[3] <= outer[3] + EXACT)


def _close(found: tuple[float, ...], wanted: tuple[float, ...]) -> bool:
    return all(abs(a - b) < EXACT for a, b in zip(found, wanted, strict=True))


def _qpdf_check(path: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _build(folder: Path, *options: str, edit: Callable[[str], str] = lambda text: text) -> Path:
    """The canonical source (with its registries, copied to `folder`; its text changed by `edit`)
    built to a PDF with `options`."""
    source_dir = folder / "src"
    source_dir.mkdir(parents=True)
    for path in SOURCE.parent.glob("*.yaml"):
        shutil.copyfile(path, source_dir / path.name)
    (source_dir / SOURCE.name).write_text(edit(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    out = folder / "out"
    source = source_dir / SOURCE.name
    result = CliRunner().invoke(app, ["build", str(source), "--to", "pdf", "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return out / "sean-baker-anora.pdf"


@pytest.fixture(scope="module")
def x4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("x4"), "--pdf-variant", "x4", "--bleed", "3mm")


def test_x4_has_a_cmyk_output_intent_and_exact_boxes(x4: Path) -> None:
    check_pdfx(x4, TRIM_6X9, 3 * MM)
    _qpdf_check(x4)


def test_x4_text_is_black_ink_alone(x4: Path) -> None:
    """RGB black would print in four inks; a PDF/X with a CMYK intent wants no DeviceRGB."""
    with pikepdf.open(x4) as pdf:
        operators = {str(op) for page in pdf.pages for _, op in pikepdf.parse_content_stream(page)}
    assert not operators & {"rg", "RG"}, "DeviceRGB colour in the PDF/X"


def test_x4_is_repeatable(x4: Path, tmp_path: Path) -> None:
    again = _build(tmp_path, "--pdf-variant", "x4", "--bleed", "3mm")
    assert again.read_bytes() == x4.read_bytes()


@pytest.mark.slow
def test_an_undated_source_is_created_at_the_build_date_not_the_clock(tmp_path: Path) -> None:
    """PDF/X needs a CreationDate; WeasyPrint would take the clock's for a source without a date."""
    pdf = _build(tmp_path, "--pdf-variant", "x4", edit=lambda text: text.replace("date: 2025-03-03\n", "", 1))
    with pikepdf.open(pdf) as opened:
        assert str(opened.docinfo["/CreationDate"]) == str(opened.docinfo["/ModDate"]) == "D:19800101000000Z"


@pytest.mark.slow
def test_a_bleed_past_10pt_is_the_bleed_box_exactly(tmp_path: Path) -> None:
    """WeasyPrint stops the BleedBox 10 pt past the trim; pressroom sets it to the bleed asked for."""
    pdf = _build(tmp_path, "--pdf-variant", "none", "--bleed", "5mm", "--marks", "crop")
    check_page_boxes(pdf, TRIM_6X9, 5 * MM)


@pytest.mark.slow
def test_kdp_has_no_marks_and_no_bleed(tmp_path: Path) -> None:
    pdf = _build(tmp_path, "--printer", "kdp")
    check_page_boxes(pdf, TRIM_6X9, 0.0)
    with pikepdf.open(pdf) as opened:
        for page in opened.pages:  # nothing outside the trim: no room for a mark
            assert _close(_box(page.obj, "/MediaBox"), _box(page.obj, "/TrimBox"))
        assert "/OutputIntents" not in opened.Root  # a plain PDF
        assert "/EmbeddedFiles" not in opened.Root.get("/Names", {})  # no attached source
    _qpdf_check(pdf)


@pytest.mark.slow
def test_ingram_is_pdfx4_with_its_bleed(tmp_path: Path) -> None:
    pdf = _build(tmp_path, "--printer", "ingram", "--trim", "5.5x8.5in")
    check_pdfx(pdf, (396.0, 612.0), 9.0)


@pytest.mark.parametrize(
    ("options", "refused"),
    [
        (["--printer", "kdp", "--marks", "crop"], "--marks"),
        (["--printer", "kdp", "--bleed", "0.125in"], "--bleed"),
        (["--printer", "ingram", "--marks", "cross"], "--marks"),
        (["--printer", "ingram", "--pdf-variant", "a"], "--pdf-variant"),
        (["--printer", "ingram", "--bleed", "5mm"], "--bleed"),
        (["--printer", "archive", "--pdf-variant", "x4"], "--pdf-variant"),
        (["--printer", "lulu"], "unknown printer"),
    ],
)
def test_options_that_break_the_printers_rules_are_refused(tmp_path: Path, options: list[str], refused: str) -> None:
    result = CliRunner().invoke(app, ["build", str(SOURCE), "--to", "pdf", "--out", str(tmp_path), *options])
    assert result.exit_code == 2, result.output
    assert refused in result.output
    assert not (tmp_path / "sean-baker-anora.pdf").exists()


def test_a_missing_cmyk_profile_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pressroom.typeset import pdfx

    monkeypatch.setattr(pdfx, "CMYK_PROFILE", tmp_path / "absent.icc")
    options = ["--to", "pdf", "--out", str(tmp_path), "--pdf-variant", "x4"]
    result = CliRunner().invoke(app, ["build", str(SOURCE), *options])
    assert result.exit_code == 2, result.output
    assert "absent.icc" in result.output and pdfx.CMYK_PROFILE_PACKAGE in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
