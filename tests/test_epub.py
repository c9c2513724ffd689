"""The e-reader edition: EPUBCheck, and the text of its spine read back."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from lxml import etree
from typer.testing import CliRunner

from conftest import SOURCE, assert_ace_clean, assert_epubcheck_clean, missing_in_order, words
from pressroom.cli import app

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB = "{http://www.idpf.org/2007/ops}"
_BLOCKS = {"p", "div", "section", "aside", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "nav"}


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


VALIDATED = ["editions", "craft", "figures"]  # the canonical source; the golden one (notes, subheads, a section break,
# no date); the canonical source with two photographs (conftest.make_figure_source)


@pytest.mark.parametrize("build", VALIDATED)
def test_epubcheck_reports_nothing(request: pytest.FixtureRequest, build: str) -> None:
    assert_epubcheck_clean(next(request.getfixturevalue(build).glob("*.epub")))


def test_mimetype_comes_first_and_stored(editions: Path) -> None:
    with zipfile.ZipFile(editions / "sean-baker-anora.epub") as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"


@pytest.mark.slow
def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    for name in ("one", "two"):
        result = CliRunner().invoke(app, ["build", str(SOURCE), "--to", "epub", "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "one" / "sean-baker-anora.epub").read_bytes() == (
        tmp_path / "two" / "sean-baker-anora.epub").read_bytes()


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


def test_page_list_has_one_entry_per_printed_page_that_holds_text(editions: Path) -> None:
    """Every print page with words has its entry, the title page and the indexes too; only the print edition's
    own half-title and contents (which the EPUB has as its navigation) have none."""
    from test_pdf import _destinations

    documents = _documents(editions / "sean-baker-anora.epub")
    labels = [int(a.text) for a in _nav(documents, "page-list")]
    pdf = editions / "sean-baker-anora.pdf"
    dests = _destinations(pdf)
    print_only = {dests["halftitle"], dests["contents"]}
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True, check=True).stdout).group(1))
    written = [n for n in range(1, pages + 1) if n not in print_only and _pdf_page_words(pdf, n)]
    assert labels == written
    assert dests["film-index"] in labels and dests["name-index"] in labels


def test_each_page_list_entry_points_where_the_print_page_begins(editions: Path) -> None:
    """The words after each marker begin its print page (a headline's, an index's page too: the marker
    comes before the heading), and the words before it end the page before."""
    pdf = editions / "sean-baker-anora.pdf"
    documents = _documents(editions / "sean-baker-anora.epub")
    checked = 0
    for link in _nav(documents, "page-list"):
        page = int(link.text)
        marker = _by_id(documents, link.get("href"))
        assert marker.get(f"{EPUB}type") == "pagebreak" and marker.get("aria-label") == str(page)
        document = documents[link.get("href").split("#")[0]]
        parents = {child: parent for parent in document.iter() for child in parent}
        ancestors = [parents[marker]]
        while ancestors[-1] in parents:
            ancestors.append(parents[ancestors[-1]])
        # the paragraph the page begins in, else the section or index entry it opens with (the marker its first child)
        container = next((a for a in ancestors if a.tag == f"{XHTML}p"), ancestors[0])
        text = _text(container)
        marker_at = len(_text_before(container, marker))
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
    locators = [
        a for a in dict(spine)[f"{index}.xhtml"].iter(f"{XHTML}a") if "locator" in (a.get("class") or "").split()
    ]
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


def test_the_accessibility_metadata_says_only_what_is_true(editions: Path, tmp_path: Path) -> None:
    """A book with indexes says they link to every mention and lists the `index` feature; one that
    mentions no film and nobody says neither."""
    def metadata(epub: Path) -> tuple[str, set[str]]:
        with zipfile.ZipFile(epub) as z:
            opf = ElementTree.fromstring(z.read("EPUB/content.opf"))
        metas = [(m.get("property"), m.text) for m in opf.iter(f"{OPF}meta")]
        summary = next(text for prop, text in metas if prop == "schema:accessibilitySummary")
        return summary, {text for prop, text in metas if prop == "schema:accessibilityFeature"}

    indexed = "Each entry of its indexes links to every mention."
    summary, features = metadata(editions / "sean-baker-anora.epub")
    assert indexed in summary and "index" in features
    source = tmp_path / "plain.md"
    source.write_text("---\ntitle: Plain\nspeakers:\n  Q: {role: interviewer}\n  A: {role: interviewee}\n---\n\n"
                      "::: interview\nQ: Why?\n\nA: Because.\n:::\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(source), "--to", "epub", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    summary, features = metadata(tmp_path / "out" / "plain.epub")
    assert indexed not in summary and "index" not in features and "tableOfContents" in features


@pytest.mark.parametrize("build", VALIDATED)
def test_daisy_ace_finds_no_violation(request: pytest.FixtureRequest, build: str, tmp_path: Path) -> None:
    assert_ace_clean(next(request.getfixturevalue(build).glob("*.epub")), tmp_path)


# --- the e-reader's craft: notes, styles, headings, metadata (tests/golden/craft.md) ----------------

GOLDEN = Path(__file__).parent / "golden"
CRAFT = GOLDEN / "craft.md"  # a note in each part, two levels of subhead, a section break; no date, nobody mentioned
OPS = "http://www.idpf.org/2007/ops"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": OPS, "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="session")
def craft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden source built to PDF and EPUB (the EPUB's page-list needs the print layout)."""
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("craft")
    result = CliRunner().invoke(app, ["build", str(CRAFT), "--to", "pdf,epub", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _xhtml(epub: Path) -> dict[str, etree._Element]:
    """Every XHTML file of the EPUB parsed by lxml, by its path relative to the package."""
    with zipfile.ZipFile(epub) as z:
        return {n.removeprefix("EPUB/"): etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def _opf(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


def _golden_parts(epub: Path) -> dict[str, etree._Element]:
    """The pieces whose XHTML is kept in tests/golden/craft/: the opening, a turn, a note, an index entry."""
    documents = _xhtml(epub)
    return {
        "opening": documents["opening.xhtml"].xpath("//x:section[@id='opening']", namespaces=NS)[0],
        "turn": documents["interview.xhtml"].xpath("//x:div[contains(@class, 'turn')][.//x:a[@epub:type='noteref']]",
                                                   namespaces=NS)[0],
        "note": documents["interview.xhtml"].xpath("//x:li[@id='note-2']", namespaces=NS)[0],
        "index-entry": documents["film-index.xhtml"].xpath("//x:li[@epub:type='index-entry']", namespaces=NS)[-1],
    }


@pytest.mark.parametrize("name", ["opening", "turn", "note", "index-entry"])
def test_golden_xhtml(craft: Path, name: str, update_golden: bool) -> None:
    """The XHTML of each piece, as written: `pytest --update-golden` rewrites the files (check the diff by eye)."""
    element = _golden_parts(craft / "craft.epub")[name]
    actual = etree.tostring(element, encoding="unicode", with_tail=False) + "\n"
    expected = GOLDEN / "craft" / f"{name}.xhtml"
    if update_golden:
        expected.write_text(actual, encoding="utf-8")
        return
    assert expected.is_file(), f"{expected} is missing; run pytest --update-golden and check it by eye"
    assert actual == expected.read_text(encoding="utf-8")


def test_every_note_is_an_endnote_whose_back_link_returns_to_its_call(craft: Path) -> None:
    """Standard Ebooks' notes: each call `noteref-N` (doc-noteref) links to `note-N`, an `endnote` item of an
    <ol> in a doc-endnotes section, whose last paragraph ends in a ↩ back link (doc-backlink) to the call."""
    documents = _xhtml(craft / "craft.epub")
    calls = {(name, a.get("id")): a for name, d in documents.items()
             for a in d.xpath("//x:a[@epub:type='noteref']", namespaces=NS)}
    notes = {(name, li.get("id")): li for name, d in documents.items()
             for li in d.xpath("//x:li[@epub:type='endnote']", namespaces=NS)}
    assert len(calls) == 3 and len(notes) == 3, (calls, notes)
    for (name, ident), call in calls.items():
        number = re.fullmatch(r"noteref-(\d+)", ident).group(1)
        assert call.get("role") == "doc-noteref" and call.text == number
        file, _, target = call.get("href").rpartition("#")
        note = notes[(file or name, target)]
        assert target == f"note-{number}"
        assert note.get("role") is None  # DPUB-ARIA 1.1 deprecates doc-endnote: an <li> is a list item
        section = note.getparent().getparent()
        assert note.getparent().tag == f"{{{NS['x']}}}ol"
        assert section.get(f"{{{OPS}}}type") == "endnotes" and section.get("role") == "doc-endnotes"
        *_, last = note.iterchildren()
        assert last.tag == f"{{{NS['x']}}}p"
        *_, back = last.iterchildren()
        assert (back.tail or "").strip() == "", "the back link ends the note's last paragraph"
        assert back.get(f"{{{OPS}}}type") == "backlink" and back.get("role") == "doc-backlink"
        assert back.text == "↩" and back.get("aria-label") == f"Back to note reference {number}"
        back_file, _, back_target = back.get("href").rpartition("#")
        assert ((back_file or file or name), back_target) == (name, ident), "the back link returns to the call"
        assert last.xpath("string()").rstrip("↩").endswith("\u00a0"), "the arrow is held to the note's last word"


def test_note_paragraphs_leave_the_text_numbered_as_in_print(craft: Path) -> None:
    """Paragraphs p-1, p-2 ... are the text's, numbered as the print layout numbers them; a note's are not."""
    documents = _xhtml(craft / "craft.epub")
    ids = [p.get("id") for name in ("opening.xhtml", "interview.xhtml")
           for p in documents[name].xpath("//x:p[@id]", namespaces=NS)]
    assert ids == [f"p-{n}" for n in range(1, len(ids) + 1)]
    assert not any(d.xpath("//x:li[@epub:type='endnote']//x:p[@id]", namespaces=NS) for d in documents.values())


@pytest.mark.parametrize("build", ["craft", "editions"])
def test_no_heading_level_is_skipped(request: pytest.FixtureRequest, build: str) -> None:
    """In every document, each heading is at most one level below the heading before it (a `##` subhead is
    an <h3> under its section's <h2>, and a `###` after it an <h4>)."""
    built = request.getfixturevalue(build)
    epub = next(built.glob("*.epub"))
    found = set()
    for name, document in _xhtml(epub).items():
        levels = [int(h.tag[-1]) for h in document.iter(*(f"{{{NS['x']}}}h{n}" for n in range(1, 7)))]
        for before, level in zip([1, *levels], levels, strict=False):
            assert level <= before + 1, (name, levels)
        found |= set(levels)
    if build == "craft":
        assert {3, 4} <= found, "the golden source's two levels of subhead"


def test_title_and_subtitle_are_separate_elements_with_no_colon_between(craft: Path) -> None:
    documents = _xhtml(craft / "craft.epub")
    title, subtitle = "Shooting on a Phone, Cutting on a Laptop", "Sean Baker on the Making of Tangerine"
    for name, heading, sub in (("titlepage.xhtml", "h1[@class='title']", "p[@class='subtitle']"),
                               ("opening.xhtml", "hgroup/x:h2", "hgroup/x:p[@class='opening-subtitle']")):
        assert documents[name].xpath(f"string(//x:{heading})", namespaces=NS) == title, name
        assert documents[name].xpath(f"string(//x:{sub})", namespaces=NS) == subtitle, name
    opf = _opf(craft / "craft.epub")
    titles = {t.get("id"): t.text for t in opf.iterfind(".//dc:title", NS)}
    assert titles == {"title": title, "subtitle": subtitle}
    types = {m.get("refines"): m.text for m in opf.iterfind(".//opf:meta[@property='title-type']", NS)}
    assert types == {"#title": "main", "#subtitle": "subtitle"}


def _credits(opf: etree._Element) -> list[tuple[str, str, str, list[str]]]:
    """(element, name, file-as, MARC roles) of every dc:creator and dc:contributor."""
    credits = []
    for element in opf.xpath(".//dc:creator | .//dc:contributor", namespaces=NS):
        refines = opf.xpath(f".//opf:meta[@refines='#{element.get('id')}']", namespaces=NS)
        file_as = [m.text for m in refines if m.get("property") == "file-as"]
        roles = [m.text for m in refines if m.get("property") == "role" and m.get("scheme") == "marc:relators"]
        credits.append((etree.QName(element).localname, element.text, *file_as, roles))
    return credits


def test_interviewee_is_the_creator_and_a_named_interviewer_a_contributor(craft: Path, editions: Path) -> None:
    assert _credits(_opf(craft / "craft.epub")) == [
        ("creator", "Sean Baker", "Baker, Sean", ["aut", "ive"]), ("contributor", "Jane Doe", "Doe, Jane", ["ivr"]),
    ]  # aut first: calibre, and the Kindle files it makes, file the book under no other creator
    # The canonical interviewer is a masthead label ("Filmmaker"), not a name: no contributor.
    assert _credits(_opf(editions / "sean-baker-anora.epub")) == [
        ("creator", "Sean Baker", "Baker, Sean", ["aut", "ive"])]


def test_no_date_is_claimed_without_one_in_the_source(craft: Path) -> None:
    """With no `date`, the OPF has no dc:date (only dcterms:modified, which EPUB requires) and the PDF no
    CreationDate (a store would show "published 1980")."""
    assert "date:" not in CRAFT.read_text(encoding="utf-8")
    opf = _opf(craft / "craft.epub")
    assert opf.find(".//dc:date", NS) is None
    assert len(opf.findall(".//opf:meta[@property='dcterms:modified']", NS)) == 1
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(craft / "craft.pdf")], capture_output=True, text=True, check=True
    )
    assert "CreationDate" not in info.stdout and "ModDate" in info.stdout, info.stdout
    meta = subprocess.run(["pdfinfo", "-meta", str(craft / "craft.pdf")], capture_output=True, text=True, check=True)
    assert "CreateDate" not in meta.stdout


def test_the_golden_source_builds_to_the_same_bytes_twice(craft: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["build", str(CRAFT), "--to", "pdf,epub", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("craft.pdf", "craft.epub"):
        assert (tmp_path / name).read_bytes() == (craft / name).read_bytes(), name


# --- styles/epub.css, read as CSS ----------------------------------------------------------------


def _css_rules() -> list[tuple[list[str], dict[str, str]]]:
    """(selectors, {property: value}) of every rule of styles/epub.css, parsed by tinycss2."""
    import tinycss2

    sheet = (Path(__file__).parents[1] / "styles" / "epub.css").read_text(encoding="utf-8")
    rules = []
    for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        assert rule.type == "qualified-rule", rule
        selectors = [" ".join(s.split()) for s in tinycss2.serialize(rule.prelude).split(",")]
        declarations = {
            d.lower_name: tinycss2.serialize(d.value).strip()
            for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"
        }
        rules.append((selectors, declarations))
    return rules


def _declared(selector: str) -> dict[str, str]:
    """The declarations the stylesheet gives `selector` (rules in order, a later one wins)."""
    found: dict[str, str] = {}
    for selectors, declarations in _css_rules():
        if selector in selectors:
            found |= declarations
    return found


def test_text_is_justified_and_hyphenated_in_every_reading_system_s_dialect() -> None:
    body = _declared("body")
    assert body.get("text-align") == "justify"
    for prop in ("hyphens", "-epub-hyphens", "-webkit-hyphens"):
        assert body.get(prop) == "auto", prop


def test_text_follows_the_reader_s_font_and_size() -> None:
    for selectors, declarations in _css_rules():
        assert "font-family" not in declarations and "font" not in declarations, selectors
        size = declarations.get("font-size", "1em")
        assert re.fullmatch(r"\d*\.?\d+(em|rem|%)", size), (selectors, size)


def test_a_section_break_is_visible() -> None:
    """`* * *` is an <hr class="section-break"> (a separator to assistive technology): no border, so its
    mark is generated content, which must be there and shown."""
    drawn = _declared("hr.section-break::after")
    assert re.fullmatch(r'"[^"]*\S[^"]*"', drawn.get("content", "")), drawn
    assert drawn.get("display", "block") != "none"
    assert _declared("hr.section-break").get("display", "block") != "none"


def test_the_cover_fits_the_screen() -> None:
    image = _declared("section.cover img")
    assert image.get("max-height") == "100vh" and image.get("max-width") == "100%", image


def test_emphasis_in_an_italic_subtitle_is_set_roman() -> None:
    for subtitle in (".subtitle", ".opening-subtitle"):
        assert _declared(subtitle).get("font-style") == "italic", subtitle
        for inner in ("em", "cite"):
            assert _declared(f"{subtitle} {inner}").get("font-style") == "normal", (subtitle, inner)
