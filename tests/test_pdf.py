"""The print edition, read back with poppler and checked with qpdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import SOURCE, missing_in_order, words

from pressroom.cli import app


def _text_block(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """pdftotext of each page's text block only, so running heads and folios stay out."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    margin = 0.7 * 72  # just inside print.css's top and bottom margins
    crop = ["-x", "0", "-y", str(int(margin)), "-W", str(int(width)), "-H", str(int(height - 2 * margin))]
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", *crop, *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


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
    assert any("Spectral" in line for line in fonts)


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


# --- the index, proven against the PDF itself ---------------------------------


def _destinations(pdf: Path) -> dict[str, int]:
    """Named destination -> page, as poppler reads them."""
    out = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {name: int(page) for page, name in re.findall(r'^\s*(\d+)\s+\[.*?\]\s+"(.*)"$', out, re.M)}


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


_LOCATORS = re.compile(r"\s*\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*")


def _printed_pages(numbers: str) -> set[int]:
    """'3, 7–9, 13 …' -> {3, 7, 8, 9, 13}: the comma-separated run at the start (a folio may follow)."""
    pages: set[int] = set()
    for start, end in re.findall(r"(\d+)(?:\s*[–-]\s*(\d+))?", _LOCATORS.match(numbers).group()):
        pages.update(range(int(start), int(end or start) + 1))
    return pages


def _index_entries(pdf: Path, heading: str, next_heading: str | None) -> str:
    """The text of one index, from its heading to the next index (or the end)."""
    text = " ".join(" ".join(_page_texts(pdf)).split())
    start = text.rindex(heading)
    end = text.index(next_heading, start) if next_heading else len(text)
    return text[start + len(heading) : end]


def test_every_film_entry_lists_exactly_the_pages_of_its_mentions(editions: Path) -> None:
    pdf = editions / "sean-baker-anora.pdf"
    films = yaml.safe_load((SOURCE.parent / "films.yaml").read_text(encoding="utf-8"))
    dests = _destinations(pdf)
    index = _index_entries(pdf, "Index of Films", "Index of Names")
    headings = {key: film.get("sort", film["title"]) for key, film in films.items()}
    positions = sorted((index.find(h + " ("), key) for key, h in headings.items() if index.find(h + " (") >= 0)
    assert positions, index[:200]
    for (start, key), (end, _) in zip(positions, [*positions[1:], (len(index), None)]):
        numbers = index[start:end].rsplit(")", 1)[1]
        mention_pages = {page for name, page in dests.items() if re.fullmatch(rf"film-{re.escape(key)}-\d+", name)}
        assert _printed_pages(numbers) == mention_pages, (key, numbers, sorted(mention_pages))
    mentioned = {key for key in films if any(name.startswith(f"film-{key}-") for name in dests)}
    assert {key for _, key in positions} == mentioned


def test_anora_the_character_adds_no_page_to_anora_the_film(editions: Path) -> None:
    pdf = editions / "sean-baker-anora.pdf"
    dests = _destinations(pdf)
    film_pages = {page for name, page in dests.items() if name.startswith("film-anora-")}
    texts = _page_texts(pdf)
    index_start = next(i for i, text in enumerate(texts) if "Index of Films" in text and "Contents" not in text)
    character_only = {
        number for number, text in enumerate(texts[:index_start], start=1)
        if "Anora" in text and number not in film_pages
    }
    assert character_only, "the test needs a page where only the character is named"
    entry = _index_entries(pdf, "Index of Films", "Index of Names")
    anora = re.search(r"Anora \(2024[^)]*\)\s*([\d,\s–-]+)", entry).group(1)
    assert _printed_pages(anora) == film_pages
    assert not _printed_pages(anora) & character_only


def test_pdf_is_archival_with_its_source_attached(editions: Path) -> None:
    pdf = str(editions / "sean-baker-anora.pdf")
    meta = subprocess.run(["pdfinfo", "-meta", pdf], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    attached = subprocess.run(["pdfdetach", "-list", pdf], capture_output=True, text=True, check=True).stdout
    assert "sean-baker-anora.md" in attached
    saved = editions / "attached.md"
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(saved), pdf], check=True)
    assert saved.read_bytes() == SOURCE.read_bytes()
    saved.unlink()


def test_bookmarks_for_every_section(editions: Path) -> None:
    outline = subprocess.run(
        ["qpdf", "--json", "--json-key=outlines", str(editions / "sean-baker-anora.pdf")],
        capture_output=True, text=True, check=True,
    ).stdout
    for title in ("Contents", "Introduction", "The Interview", "Index of Films", "Index of Names"):
        assert f'"title": "{title}"' in outline, title


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--pdf-variant", "ua"], {"Tagged": "yes"}),
        (["--trim", "a5"], {"Page size": "419.528 x 595.276 pts"}),
        (["--trim", "5.5x8.5in", "--bleed", "3mm", "--marks", "crop,cross"], {"Page size": "413.008 x 629.008 pts"}),
    ],
)
def test_print_options(tmp_path: Path, args: list[str], expected: dict[str, str]) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["build", str(SOURCE), "--to", "pdf", "--out", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(tmp_path / "sean-baker-anora.pdf")], capture_output=True, text=True).stdout
    for key, value in expected.items():
        assert re.search(rf"^{key}:\s+{re.escape(value)}", info, re.M), info


def test_the_running_head_prints_an_ampersand_as_itself(tmp_path: Path) -> None:
    """The verso head of the index pages (laid out on their own) is the subtitle, set as a CSS string."""
    from typer.testing import CliRunner

    folder = tmp_path / "src"
    folder.mkdir()
    for registry in SOURCE.parent.glob("*.yaml"):
        (folder / registry.name).write_bytes(registry.read_bytes())
    text = SOURCE.read_text(encoding="utf-8")
    subtitle = re.search(r'^subtitle: "(.*)"$', text, re.M).group(1)
    source = folder / SOURCE.name
    source.write_text(text.replace(subtitle, "Love & “Death” \\\\ " + subtitle, 1), encoding="utf-8")
    args = ["build", str(source), "--to", "pdf", "--trim", "3x4in", "--out", str(tmp_path / "out")]  # indexes over pages
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / SOURCE.with_suffix(".pdf").name
    dests = _destinations(pdf)
    pages = _page_texts(pdf)[dests["film-index"] - 1 :]
    heads = [page.strip().splitlines()[0] for page in pages if page.strip()]
    versos = [head for head in heads if "Love" in head]
    assert versos, heads
    assert all(head.startswith("Love & “Death” \\") for head in versos), versos
