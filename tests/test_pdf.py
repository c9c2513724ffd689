"""The print edition, read back with poppler and checked with qpdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import SOURCE, missing_in_order, words

from pressroom.cli import app


def _text_block(pdf: Path) -> str:
    """pdftotext of each page's text block only, so running heads and folios stay out."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    margin = 0.7 * 72  # just inside print.css's top and bottom margins
    crop = ["-x", "0", "-y", str(int(margin)), "-W", str(int(width)), "-H", str(int(height - 2 * margin))]
    return subprocess.run(["pdftotext", *crop, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_holds_the_whole_interview_in_order(editions: Path, source_words: list[str]) -> None:
    assert missing_in_order(source_words, words(_text_block(editions / "sean-baker-anora.pdf"))) == []


def test_pdf_is_a_6x9_book_with_embedded_subset_fonts(editions: Path) -> None:
    pdf = str(editions / "sean-baker-anora.pdf")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "432 x 648 pts" in info
    assert re.search(r"Title:\s+“There’s Only One Life", info)
    assert re.search(r"Author:\s+Sean Baker", info)
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts
    assert any("Source-Serif-4" in line for line in fonts)


def test_qpdf_finds_no_problem(editions: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(editions / "sean-baker-anora.pdf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    for name in ("one", "two"):
        result = CliRunner().invoke(app, ["build", str(SOURCE), "--to", "pdf", "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "one" / "sean-baker-anora.pdf").read_bytes() == (tmp_path / "two" / "sean-baker-anora.pdf").read_bytes()
