"""The e-reader edition: EPUBCheck, and the text of its spine read back."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from conftest import SOURCE, missing_in_order, words

from pressroom.cli import app

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
_BLOCKS = {"p", "div", "section", "aside", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "nav"}


def _spine_text(epub: Path) -> str:
    """The text of the spine's documents in reading order, parsed as XML (not by pressroom)."""
    with zipfile.ZipFile(epub) as z:
        container = ElementTree.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = ElementTree.fromstring(z.read(opf_path))
        base = opf_path.rpartition("/")[0]
        hrefs = {item.get("id"): item.get("href") for item in opf.iter(f"{OPF}item")}
        texts = []
        for ref in opf.iter(f"{OPF}itemref"):
            page = ElementTree.fromstring(z.read(f"{base}/{hrefs[ref.get('idref')]}"))
            texts.append(_text(page.find(f"{XHTML}body")))
    return "\n".join(texts)


def _text(element: ElementTree.Element) -> str:
    """Text as a reader sees it: inline elements run on, block elements end a line."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_text(child))
        if child.tag.removeprefix(XHTML) in _BLOCKS:
            parts.append("\n")
        parts.append(child.tail or "")
    return "".join(parts)


def test_epub_holds_the_whole_interview_in_order(editions: Path, source_words: list[str]) -> None:
    assert missing_in_order(source_words, words(_spine_text(editions / "sean-baker-anora.epub"))) == []


def test_epubcheck_reports_nothing(editions: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "epubcheck", str(editions / "sean-baker-anora.epub")],
        capture_output=True, text=True,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "ERROR" not in report and "WARNING" not in report and "FATAL" not in report, report


def test_mimetype_comes_first_and_stored(editions: Path) -> None:
    with zipfile.ZipFile(editions / "sean-baker-anora.epub") as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    for name in ("one", "two"):
        result = CliRunner().invoke(app, ["build", str(SOURCE), "--to", "epub", "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "one" / "sean-baker-anora.epub").read_bytes() == (tmp_path / "two" / "sean-baker-anora.epub").read_bytes()
