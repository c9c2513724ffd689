"""The e-reader edition: EPUBCheck, and the text of its spine read back."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from conftest import SOURCE, missing_in_order, words

from pressroom.cli import app

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB = "{http://www.idpf.org/2007/ops}"
_BLOCKS = {"p", "div", "section", "aside", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "nav"}


def _spine_text(epub: Path) -> str:
    """The text of the spine's documents in reading order, parsed as XML (not by pressroom)."""
    return "\n".join(_text(page.find(f"{XHTML}body")) for _, page in _spine(epub))


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


TURN_CLASS = {"interviewer": "question", "interviewee": "answer"}


def _spine(epub: Path) -> list[tuple[str, ElementTree.Element]]:
    """(href relative to the package, parsed document) for each spine item, in reading order."""
    with zipfile.ZipFile(epub) as z:
        container = ElementTree.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = ElementTree.fromstring(z.read(opf_path))
        base = opf_path.rpartition("/")[0]
        hrefs = {item.get("id"): item.get("href") for item in opf.iter(f"{OPF}item")}
        spine = [hrefs[ref.get("idref")] for ref in opf.iter(f"{OPF}itemref")]
        return [(href, ElementTree.fromstring(z.read(f"{base}/{href}"))) for href in spine]


def test_each_turn_is_a_question_or_an_answer_by_its_speakers_role(
    editions: Path, source_turns: list[tuple[str, str]]
) -> None:
    labels = {label for label, _ in source_turns}
    found = []
    for _, document in _spine(editions / "sean-baker-anora.epub"):
        parent = {child: element for element in document.iter() for child in element}
        for paragraph in document.iter(f"{XHTML}p"):
            label, _, rest = _text(paragraph).partition(":")
            if label in labels and rest[:1].isspace():
                kinds, element = set(), paragraph
                while element in parent:
                    element = parent[element]
                    kinds |= set((element.get("class") or "").split()) & set(TURN_CLASS.values())
                found.append((label, kinds))
    assert found == [(label, {TURN_CLASS[role]}) for label, role in source_turns]


# --- navigation, print pages and indexes --------------------------------------


def _documents(epub: Path) -> dict[str, ElementTree.Element]:
    """Every XHTML file of the EPUB, parsed, by its path relative to the package."""
    with zipfile.ZipFile(epub) as z:
        return {
            name.removeprefix("EPUB/"): ElementTree.fromstring(z.read(name))
            for name in z.namelist() if name.endswith(".xhtml")
        }


def _by_id(documents: dict[str, ElementTree.Element], href: str) -> ElementTree.Element:
    file, _, ident = href.partition("#")
    found = [e for e in documents[file].iter() if e.get("id") == ident]
    assert len(found) == 1, href
    return found[0]


def _nav(documents: dict[str, ElementTree.Element], kind: str) -> list[ElementTree.Element]:
    navs = [n for n in documents["nav.xhtml"].iter(f"{XHTML}nav") if n.get(f"{EPUB}type") == kind]
    assert len(navs) == 1, kind
    return list(navs[0].iter(f"{XHTML}a"))


def _pdf_page_words(pdf: Path, page: int) -> list[str]:
    from test_pdf import _text_block

    return words(_text_block(pdf, first=page, last=page))


def test_page_list_has_one_entry_per_page_of_the_print_body(editions: Path) -> None:
    from test_pdf import _destinations

    documents = _documents(editions / "sean-baker-anora.epub")
    labels = [int(a.text) for a in _nav(documents, "page-list")]
    dests = _destinations(editions / "sean-baker-anora.pdf")
    body = range(dests["opening"], dests["film-index"])
    written = [n for n in body if _pdf_page_words(editions / "sean-baker-anora.pdf", n)]
    assert labels == written


def test_each_page_list_entry_points_where_the_print_page_begins(editions: Path) -> None:
    pdf = editions / "sean-baker-anora.pdf"
    documents = _documents(editions / "sean-baker-anora.epub")
    checked = 0
    for link in _nav(documents, "page-list"):
        page = int(link.text)
        marker = _by_id(documents, link.get("href"))
        assert marker.get(f"{EPUB}type") == "pagebreak" and marker.get("aria-label") == str(page)
        paragraph = next(p for p in documents[link.get("href").split("#")[0]].iter(f"{XHTML}p") if marker in list(p.iter()))
        text = _text(paragraph)
        marker_at = len(_text_before(paragraph, marker))
        after, before = words(text[marker_at:])[:4], words(text[:marker_at])[-4:]
        page_words = _pdf_page_words(pdf, page)
        # The page may begin inside the marker's word ("specifici-" / "ty"): then only its end is on the page.
        assert after[0] in page_words or after[0].endswith(page_words[0]), (page, after, page_words[:3])
        assert missing_in_order(after[1:], page_words) == [], (page, after)
        if before:
            assert missing_in_order(before, _pdf_page_words(pdf, page - 1)) == [], (page, before)
            checked += 1
    assert checked >= 3  # pages that begin mid-paragraph: the hard case was exercised


def _text_before(element: ElementTree.Element, stop: ElementTree.Element) -> str:
    """The text of `element` up to the start of its descendant `stop`."""
    parts = [element.text or ""]
    for child in element:
        if child is stop:
            return "".join(parts)
        if stop in list(child.iter()):
            return "".join(parts) + _text_before(child, stop)
        parts.append(_text(child))
        parts.append(child.tail or "")
    raise AssertionError("stop is not inside element")


def test_every_index_locator_resolves_to_the_mention(editions: Path) -> None:
    films = yaml.safe_load((SOURCE.parent / "films.yaml").read_text(encoding="utf-8"))
    names = {film.get("sort", film["title"]): {film["title"], *film.get("aliases", [])} for film in films.values()}
    documents = _documents(editions / "sean-baker-anora.epub")
    index = documents["film-index.xhtml"]
    entries = [li for li in index.iter(f"{XHTML}li") if li.get(f"{EPUB}type") == "index-entry"]
    assert entries
    for entry in entries:
        heading = _text(next(e for e in entry.iter() if e.get(f"{EPUB}type") == "index-term")).strip()
        locators = [a for a in entry.iter(f"{XHTML}a") if a.get(f"{EPUB}type") == "index-locator"]
        assert locators, heading
        for locator in locators:
            mention = _by_id(documents, locator.get("href"))
            assert mention.tag == f"{XHTML}cite" and mention.get("class") == "film"
            assert _text(mention).replace("[", "").replace("]", "") in names[heading], (heading, _text(mention))


def _print_pages(spine: list[tuple[str, ElementTree.Element]]) -> dict[str, int | None]:
    """'file#id' -> the print page the element's text begins on: the number of the last page-break
    marker before its first word in reading order (a marker may open the element: `<cite><span
    epub:type="pagebreak"/>Tangerine</cite>`); None before the first marker."""
    page: int | None = None
    pages: dict[str, int | None] = {}
    waiting: list[str] = []  # elements whose first word is still to come

    def text(value: str | None) -> None:
        if value and value.strip():
            pages.update(dict.fromkeys(waiting, page))
            waiting.clear()

    def walk(href: str, element: ElementTree.Element) -> None:
        nonlocal page
        if "pagebreak" in (element.get(f"{EPUB}type") or "").split():
            page = int(re.fullmatch(r"page-(\d+)", element.get("id")).group(1))
        if element.get("id"):
            waiting.append(f"{href}#{element.get('id')}")
        text(element.text)
        for child in element:
            walk(href, child)
            text(child.tail)

    for href, document in spine:
        walk(href, document)
        pages.update(dict.fromkeys(waiting, page))
        waiting.clear()
    return pages


INDEXES = ["film-index", "name-index"]


@pytest.mark.parametrize("build", ["editions", "small_trim"])
@pytest.mark.parametrize("index", INDEXES)
def test_every_index_locator_prints_the_print_page_of_its_mention(
    request: pytest.FixtureRequest, build: str, index: str
) -> None:
    """A locator's label is the print page its mention begins on (the page-break markers say which);
    a range 11–12 is one link, to a mention that holds the marker of the page it runs onto."""
    from test_pdf import _destinations

    built = request.getfixturevalue(build)
    spine = _spine(built / "sean-baker-anora.epub")
    page_of = _print_pages(spine)
    dests = _destinations(built / "sean-baker-anora.pdf")
    locators = [a for a in dict(spine)[f"{index}.xhtml"].iter(f"{XHTML}a") if "locator" in (a.get("class") or "").split()]
    assert locators
    by_markers = 0
    for locator in locators:
        href = locator.get("href")
        assert not href.startswith(("halftitle.", "titlepage.")), href  # display front matter is not indexed
        page = page_of[href]
        if page is None:  # the opening headline, before the first marker (set in the first paragraph): ask the PDF
            assert href.startswith("opening.xhtml#"), href
            page = dests[href.partition("#")[2]]
        else:
            by_markers += 1
        first, _, last = locator.text.partition("–")
        assert first == str(page), (href, locator.text, page)
        if last:
            mention = _by_id(_documents(built / "sean-baker-anora.epub"), href)
            markers = [e.get("id") for e in mention.iter() if "pagebreak" in (e.get(f"{EPUB}type") or "").split()]
            assert markers == [f"page-{last}"], (href, locator.text, markers)
    assert by_markers, "no locator lies after a page-break marker: the EPUB has lost its print pages"


@pytest.mark.parametrize("build", ["editions", "small_trim"])
@pytest.mark.parametrize("index", INDEXES)
def test_one_link_per_printed_locator_each_to_a_mention(request: pytest.FixtureRequest, build: str, index: str) -> None:
    """The EPUB index mirrors the print one: each locator it prints (a page, or a range) is one link,
    and every link lands on a mention of its entry."""
    documents = _documents(request.getfixturevalue(build) / "sean-baker-anora.epub")
    kind = "film" if index == "film-index" else "person"
    entries = [li for li in documents[f"{index}.xhtml"].iter(f"{XHTML}li") if li.get(f"{EPUB}type") == "index-entry"]
    assert entries
    for entry in entries:
        numbers = next(e for e in entry.iter() if "locators" in (e.get("class") or "").split())
        printed = [item.strip() for item in _text(numbers).split(",")]
        links = [a for a in numbers.iter(f"{XHTML}a") if a.get(f"{EPUB}type") == "index-locator"]
        assert [a.text for a in links] == printed, (printed, [a.text for a in links])
        keys = set()
        for link in links:
            mention = _by_id(documents, link.get("href"))
            assert (mention.get("class") or "").split() == [kind], link.get("href")
            keys.add(re.fullmatch(rf"{kind}-(.+)-\d+", link.get("href").partition("#")[2]).group(1))
        assert len(keys) == 1, keys  # one entry's links all go to its own mentions


def _entry_text(text: str) -> str:
    """One index entry's text, as the PDF and the EPUB both print it: spaces collapsed, none around a dash."""
    return re.sub(r"\s*–\s*", "–", " ".join(text.split()))


@pytest.mark.parametrize("index", INDEXES)
def test_every_index_entry_reads_as_in_the_pdf(editions: Path, index: str) -> None:
    from test_pdf import _destinations, _text_block

    pdf = editions / "sean-baker-anora.pdf"
    dests = _destinations(pdf)
    printed = _entry_text(_text_block(pdf, first=dests[index]))  # this index to the end of the book
    documents = _documents(editions / "sean-baker-anora.epub")
    entries = [li for li in documents[f"{index}.xhtml"].iter(f"{XHTML}li") if li.get(f"{EPUB}type") == "index-entry"]
    assert entries
    for entry in entries:
        text = _entry_text(_text(entry))
        assert re.search(rf"(?:^|(?<= )){re.escape(text)}(?![\d–,])", printed), (text, printed[:300])


def test_landmarks_and_accessibility_metadata(editions: Path) -> None:
    documents = _documents(editions / "sean-baker-anora.epub")
    kinds = {a.get(f"{EPUB}type") for a in _nav(documents, "landmarks")}
    assert kinds == {"cover", "titlepage", "toc", "bodymatter", "index"}
    with zipfile.ZipFile(editions / "sean-baker-anora.epub") as z:
        opf = z.read("EPUB/content.opf").decode()
    for needed in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityHazard",
                   "schema:accessibilitySummary", "pageBreakSource", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"):
        assert needed in opf, needed
    for feature in ("structuralNavigation", "tableOfContents", "index", "pageBreakMarkers", "readingOrder"):
        assert f'"schema:accessibilityFeature">{feature}<' in opf, feature
    cover = next(documents["cover.xhtml"].iter(f"{XHTML}img"))
    assert cover.get("alt", "").startswith("Cover: “There’s Only One Life")
    for name, document in documents.items():
        assert document.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US", name


def test_daisy_ace_finds_no_violation(editions: Path, tmp_path: Path) -> None:
    ace = shutil.which("ace-cli")
    assert ace, "DAISY Ace is not installed: `make test` installs it (npm @daisy/ace-cli)"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")}
    result = subprocess.run(
        [ace, "--force", "--silent", "--outdir", str(tmp_path / "ace"), str(editions / "sean-baker-anora.epub")],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    violations = [
        (test["earl:test"]["earl:impact"], test["earl:test"]["dct:title"], document["earl:testSubject"]["url"])
        for document in report["assertions"] for test in document["assertions"]
    ]
    assert violations == [] and report["earl:result"]["earl:outcome"] == "pass", violations
