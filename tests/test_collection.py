"""Collections: one book of several interviews, with one cumulative index proven in every edition.

The book is tests/collection/book.collection.yaml: the canonical interview, an invented festival
talk that shares films with both the others (one from the canonical folder's registry, one from
lantern/'s), and tests/books/three-speakers.md in a folder of its own with its own registries.
Every check reads the editions with tools pressroom did not write: poppler, EPUBCheck, DAISY Ace,
pandoc, LibreOffice.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pypandoc
import pytest
import yaml
from typer.testing import CliRunner

from conftest import SOURCE, missing_in_order, notes_of_source, words, words_of_source
from pressroom.cli import app
from pressroom.reading.registry import registry_files
from test_epub import EPUB, XHTML, _by_id, _documents, _nav, _spine, _text
from test_pdf import _destinations, _film_heading, _index_entries, _person_heading, _text_block, check_index_pages

HERE = Path(__file__).parent
FIXTURE = HERE / "collection"
NAME = "book.collection"


def _collection_folder(folder: Path) -> Path:
    """The test collection laid out as a user would have it: returns the collection file."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in [SOURCE, *(path for _, path in registry_files(SOURCE.parent)), *FIXTURE.iterdir()]:
        shutil.copy(path, folder / path.name)
    (folder / "lantern").mkdir(exist_ok=True)
    for path in [HERE / "books" / "three-speakers.md", *(HERE / "books").glob("*.yaml")]:
        shutil.copy(path, folder / "lantern" / path.name)
    return folder / f"{NAME}.yaml"


INTERVIEWS = ["sean-baker-anora.md", "festival-talk.md", "lantern/three-speakers.md"]  # in the book's order


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _collection_folder(tmp_path_factory.mktemp("collection"))


@pytest.fixture(scope="module")
def book(collection: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The collection built to all three editions, through the CLI: the output folder."""
    out = tmp_path_factory.mktemp("collection-build")
    result = CliRunner().invoke(app, ["build", str(collection), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _registry(collection: Path, name: str) -> dict[str, dict]:
    """Every entry of kind `name` the interviews can use: the folders' registries and the sources' own."""
    entries: dict[str, dict] = {}
    for interview in INTERVIEWS:
        source = collection.parent / interview
        entries |= yaml.safe_load((source.parent / f"{name}.yaml").read_text(encoding="utf-8")) or {}
        front = yaml.safe_load(re.match(r"---\n(.*?)\n---\n", source.read_text(encoding="utf-8"), re.S).group(1))
        entries |= front.get(name) or {}
    return entries


INDEXES = [
    pytest.param("films", "film", "Index of Films", "Index of Names", _film_heading, id="films"),
    pytest.param("people", "person", "Index of Names", None, _person_heading, id="names"),
]


@pytest.mark.parametrize(("registry", "kind", "heading", "next_heading", "heading_of"), INDEXES)
def test_the_cumulative_index_lists_the_pages_of_every_mention_in_every_chapter(
    # noqa: ANN001
    collection: Path, book: Path, registry: str, kind: str, heading: str, next_heading: str | None, heading_of,
) -> None:
    """Read the printed index with poppler: each entry's pages are the pages its mentions begin on
    (named destinations c1-film-KEY-1 ...) in all the chapters, each page once, a range only over a break."""
    pdf = book / f"{NAME}.pdf"
    index = _index_entries(pdf, heading, next_heading).strip()
    mentions = check_index_pages(index, _registry(collection, registry), heading_of, _destinations(pdf),
                                 lambda key: rf"c\d+-{kind}-{re.escape(key)}-\d+")
    chapters_of = {key: {name.partition("-")[0] for name in names} for key, names in mentions.items()}
    if kind == "film":  # one entry gathers the mentions of several interviews
        assert chapters_of["tangerine"] == {"c1", "c2"} and chapters_of["stalker"] == {"c2", "c3"}


def _chapter_pages(pdf: Path) -> list[range]:
    """The print pages of each chapter, from its opening to the next section (a part title, a chapter, an index)."""
    dests = _destinations(pdf)
    sections = sorted(
        page for name, page in dests.items() if re.fullmatch(r"c\d+-opening|part-\d+|film-index|name-index", name)
    )
    openings = sorted(page for name, page in dests.items() if re.fullmatch(r"c\d+-opening", name))
    return [range(page, next(s for s in sections if s > page)) for page in openings]


def _uncalled(tokens: list[str]) -> list[str]:
    """Words with a note's call taken off ("imagined.1" -> "imagined."), applied alike to what is expected
    and what is found: the editions set the call as a superscript number run on to its word."""
    return [re.sub(r"(?<=[A-Za-z.;:!?”’)])(?:\d+|\[\d+\])$", "", token) for token in tokens]  # pandoc's plain text: [1]


def _holds(found: list[str], interview: Path, case=str, notes_in: list[str] | None = None) -> None:  # noqa: ANN001
    """The text of an interview is in `found` in order, and so is each of its notes, in `notes_in` if
    given (print sets a note at the foot of the page, the EPUB at the end of its chapter, pandoc's plain
    text of the DOCX at the end of the book: each is compared on its own). `case`: str -> str, for both."""
    found = _uncalled(found)
    assert missing_in_order(_uncalled(list(map(case, words_of_source(interview)))), found) == [], interview.name
    for note in notes_of_source(interview):
        assert missing_in_order(_uncalled(list(map(case, note))), _uncalled(notes_in or found)) == [], (
            interview.name, note[:6])


def test_every_word_of_every_interview_is_in_the_pdf_in_its_chapter(collection: Path, book: Path) -> None:
    pdf = book / f"{NAME}.pdf"
    chapters = _chapter_pages(pdf)
    assert len(chapters) == len(INTERVIEWS)
    for interview, pages in zip(INTERVIEWS, chapters, strict=True):
        _holds(words(_text_block(pdf, first=pages.start, last=pages.stop - 1)), collection.parent / interview)


def test_every_word_of_every_interview_is_in_the_epub_and_the_docx_in_order(collection: Path, book: Path) -> None:
    documents = dict(_spine(book / f"{NAME}.epub"))
    docx = pypandoc.convert_file(str(book / f"{NAME}.docx"), "plain", format="docx", extra_args=["--wrap=none"])
    # where each headline begins (after the contents)
    cuts = [0, docx.rindex("“A Phone Is"), docx.rindex("“We Argue About")]
    chapters = [docx[start:end] for start, end in zip(cuts, [*cuts[1:], len(docx)], strict=True)]
    for number, interview in enumerate(INTERVIEWS, start=1):
        _holds(words(_text(documents[f"c{number}-opening.xhtml"])), collection.parent / interview)
        # pandoc sets small caps as capitals
        _holds(words(chapters[number - 1].casefold()), collection.parent / interview, str.casefold,
               words(docx.casefold()))


def test_the_epub_passes_epubcheck_with_one_spine_document_per_chapter(book: Path) -> None:
    epub = book / f"{NAME}.epub"
    result = subprocess.run([sys.executable, "-m", "epubcheck", str(epub)], capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0 and not re.search(r"ERROR|WARNING|FATAL", report), report
    spine = [href for href, _ in _spine(epub)]
    chapters = [href for href in spine if re.fullmatch(r"c\d+-opening\.xhtml", href)]
    assert chapters == [f"c{n}-opening.xhtml" for n in range(1, len(INTERVIEWS) + 1)]
    assert spine.index("part-1.xhtml") == spine.index("c2-opening.xhtml") - 1
    languages = [section.get("lang") for _, document in _spine(epub) for section in document.iter(f"{XHTML}section")
                 if re.fullmatch(r"c\d+-opening", section.get("id") or "")]
    assert languages == [None, "en", "en-GB"]  # the book is en-US, as its first interview: the others say theirs


def test_daisy_ace_finds_no_violation(book: Path, tmp_path: Path) -> None:
    from test_epub import test_daisy_ace_finds_no_violation as ace

    class Built:  # the parametrised test of test_epub, on this book
        def getfixturevalue(self, name: str) -> Path:
            return book

    ace(Built(), "book", tmp_path)


@pytest.mark.parametrize("kind", ["film", "person"])
def test_every_epub_index_locator_links_to_its_mention_and_prints_its_page(book: Path, kind: str) -> None:
    documents = _documents(book / f"{NAME}.epub")
    dests = _destinations(book / f"{NAME}.pdf")
    index = documents[f"{kind.replace('person', 'name')}-index.xhtml"]
    locators = [a for a in index.iter(f"{XHTML}a") if a.get(f"{EPUB}type") == "index-locator"]
    assert locators
    chapters = set()
    for locator in locators:
        href = locator.get("href")
        mention = _by_id(documents, href)
        assert (mention.get("class") or "").split() == [kind], href
        chapter = re.fullmatch(rf"(c\d+)-opening\.xhtml#\1-{kind}-.+-\d+", href)
        assert chapter, href  # in the chapter's own document
        chapters.add(chapter.group(1))
        page = dests[href.partition("#")[2]]  # where poppler finds the mention in the PDF
        assert locator.text.partition("–")[0] == str(page), (href, locator.text, page)
    assert chapters == {f"c{n}" for n in range(1, len(INTERVIEWS) + 1)}


def test_the_page_list_covers_every_page_of_every_chapter(book: Path) -> None:
    """Every chapter's pages, and every other printed page with words (the title page, the part titles,
    the indexes) but the print edition's own half-title and contents."""
    pdf = book / f"{NAME}.pdf"
    documents = _documents(book / f"{NAME}.epub")
    links = _nav(documents, "page-list")
    labels = [int(a.text) for a in links]
    chapters = [n for pages in _chapter_pages(pdf) for n in pages if words(_text_block(pdf, first=n, last=n))]
    assert [n for n in labels if n in set(chapters)] == chapters
    dests = _destinations(pdf)
    print_only = {dests["halftitle"], dests["contents"]}
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    last = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    written = [n for n in range(1, last + 1) if n not in print_only and words(_text_block(pdf, first=n, last=n))]
    assert labels == written and dests["part-1"] in labels and dests["name-index"] in labels
    for link in links:  # each marker is followed by the words its print page begins with
        marker = _by_id(documents, link.get("href"))
        assert marker.get(f"{EPUB}type") == "pagebreak" and marker.get("aria-label") == link.text


def test_libreoffice_opens_the_docx_and_prints_every_interview(collection: Path, book: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: `make test` installs libreoffice-writer-nogui"
    docx = book / f"{NAME}.docx"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    pdf = tmp_path / f"{NAME}.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Small capitals (the Speaker style) come out of LibreOffice's PDF as capitals: compare without case.
    for interview in INTERVIEWS:
        _holds(words(text.casefold()), collection.parent / interview, str.casefold)


def test_every_chapter_has_its_xe_fields_and_each_index_one_field(collection: Path, book: Path) -> None:
    import zipfile

    document = zipfile.ZipFile(book / f"{NAME}.docx").read("word/document.xml").decode()
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", document)
    assert sum(i.strip().startswith("INDEX") for i in instructions) == 2  # films and names
    text = pypandoc.convert_file(str(book / f"{NAME}.docx"), "plain", format="docx", extra_args=["--wrap=none"])
    for heading in ("Anora", "Night Market", "Lantern Year, The"):  # a film of each interview has its XE field
        assert any(i.strip().startswith(f'XE "{heading} (') for i in instructions), heading
    assert text.count("Index of Films") == 2 and text.count("Index of Names") == 2  # in the contents, and the heading


def test_two_builds_give_the_same_bytes(collection: Path, book: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", str(collection), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for fmt in ("pdf", "epub", "docx"):
        assert (tmp_path / f"{NAME}.{fmt}").read_bytes() == (book / f"{NAME}.{fmt}").read_bytes(), fmt


def test_the_proof_finds_nothing(book: Path) -> None:
    """Each chapter fitted on its own is as clean as its book alone: a chapter's first page ends with
    its introduction (its interview begins on the next page, as in the book of one interview), so it
    never runs short of the grid, and the page a note leaves short is filled by measured fits."""
    pdf = book / f"{NAME}.pdf"
    result = CliRunner().invoke(app, ["proof", "--json", str(pdf)])
    findings = json.loads(result.stdout)
    assert findings == [] and result.exit_code == 0, findings
    # and the interview begins on a page after the one where the introduction ends (the paragraphs of
    # each part are told apart by the EPUB, their pages read from the PDF's destinations)
    dests = _destinations(pdf)
    for href, document in _spine(book / f"{NAME}.epub"):
        for interview in (div for div in document.iter(f"{XHTML}div") if div.get("class") == "chapter-interview"):
            inside = {p.get("id") for p in interview.iter(f"{XHTML}p")}
            before = [p.get("id") for p in document.iter(f"{XHTML}p")
                      if re.fullmatch(r"p-\d+", p.get("id") or "") and p.get("id") not in inside]
            assert before and max(dests[p] for p in before) < dests[interview.get("id")], href


def test_index_json_names_the_interview_of_every_locator(collection: Path) -> None:
    result = CliRunner().invoke(app, ["index", "--json", str(collection)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [i["source"] for i in data["interviews"]] == INTERVIEWS
    stalker = next(film for film in data["films"] if film["key"] == "stalker")
    assert {loc["interview"] for loc in stalker["locators"]} == {"festival-talk.md", "lantern/three-speakers.md"}
    assert all(loc["anchor"].startswith(f"c{INTERVIEWS.index(loc['interview']) + 1}-") for loc in stalker["locators"])


# --- the collection file's errors: file:line:col, exit 3, nothing written -----------------------


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (lambda t: t.replace("  - festival-talk.md\n", "  - festival-talk.md\n  - missing.md\n"), 15,
         "interview 'missing.md' not found"),
        (lambda t: t.replace("  - festival-talk.md\n", "  - festival-talk.md\n  - sean-baker-anora.md\n"), 15,
         "interview 'sean-baker-anora.md' is already listed at line 12"),
        (lambda t: t.replace("editor:", "editors:"), 6, "unknown collection key 'editors'"),
        (lambda t: t.replace("  - festival-talk.md\n", "  - ../festival-talk.md\n"), 14,
         "must be a path inside the collection's folder"),
        (lambda t: t.replace("interviews:", "interview:"), 11, "unknown collection key 'interview'"),
    ],
    ids=["missing", "duplicate", "unknown-key", "outside", "no-interviews"],
)
# noqa: ANN001
def test_a_bad_collection_file_is_refused_at_its_place(tmp_path: Path, edit, line: int, message: str) -> None:
    collection = _collection_folder(tmp_path / "in")
    collection.write_text(edit(collection.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(collection), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert re.search(rf"{re.escape(str(collection))}:{line}:\d+: .*{re.escape(message)}", result.output), result.output
    assert not list(out.glob(f"{NAME}.*"))


def test_one_key_with_different_data_in_two_registries_names_both(tmp_path: Path) -> None:
    collection = _collection_folder(tmp_path)
    talk = tmp_path / "festival-talk.md"
    talk.write_text(talk.read_text(encoding="utf-8").replace("    year: 1979\n", "    year: 1980\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(collection)])
    assert result.exit_code == 3, result.output
    assert re.search(r":\d+:\d+: film 'stalker' is defined differently in .+ and in .+", result.output), result.output
    assert "festival-talk.md" in result.output and "lantern/films.yaml" in result.output


@pytest.mark.parametrize("cores", [1, 2, 4])
def test_fitting_the_chapters_in_one_process_or_in_workers_gives_the_same_bytes(
    collection: Path, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    """The build fits the first chapters while worker processes, as many as there are cores to
    spare, fit the rest: with one core it fits every chapter itself; with two, it fits the first
    chapter while one worker fits the part title and the chapters after it, one at a time; with
    four, three workers are handed the first three groups at once, and the build, waiting for the
    first, keeps the last for itself. Each decides the same: the book depends neither on the
    machine nor on which process fitted a chapter."""
    import pressroom.typeset.handover

    monkeypatch.setattr(pressroom.typeset.handover.os, "cpu_count", lambda: cores)
    result = CliRunner().invoke(app, ["build", str(collection), "--to", "pdf", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{NAME}.pdf").read_bytes() == (book / f"{NAME}.pdf").read_bytes()


def test_a_bag_of_a_collection_holds_its_interviews_and_builds_the_same_book(
    collection: Path, book: Path, tmp_path: Path
) -> None:
    import bagit

    bag = tmp_path / "bag"
    result = CliRunner().invoke(
        app, ["build", str(collection), "--to", "pdf", "--out", str(tmp_path / "out"), "--bag", str(bag)]
    )
    assert result.exit_code == 0, result.output
    bagit.Bag(str(bag)).validate()
    for interview in INTERVIEWS:
        assert (bag / "data" / "source" / interview).is_file(), interview
    assert (bag / "data" / "source" / "lantern" / "films.yaml").is_file()
    again = CliRunner().invoke(
        app, ["build", str(bag / "data" / "source" / f"{NAME}.yaml"), "--to", "pdf", "--out", str(tmp_path / "again")]
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / f"{NAME}.pdf").read_bytes() == (book / f"{NAME}.pdf").read_bytes()


def _ncx(epub: Path) -> ElementTree.Element:
    with zipfile.ZipFile(epub) as z:
        return ElementTree.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".ncx"))))


NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


def test_the_navigation_nests_the_chapters_in_their_parts_and_names_the_interviewees(book: Path) -> None:
    documents = _documents(book / f"{NAME}.epub")
    toc = next(n for n in documents["nav.xhtml"].iter(f"{XHTML}nav") if n.get(f"{EPUB}type") == "toc")
    top = toc.find(f"{XHTML}ol").findall(f"{XHTML}li")
    labels = [li.find(f"{XHTML}a").text for li in top]
    assert labels[0].startswith("Sean Baker — There’s Only One Life") and labels[0].endswith("…")
    assert labels[1:] == ["Festival Talks", "Index of Films", "Index of Names"]
    held = [a.text for a in top[1].find(f"{XHTML}ol").iter(f"{XHTML}a")]
    assert [label.partition(" — ")[2] != "" for label in held] == [True, True]  # "Interviewee — Title", each
    ncx = _ncx(book / f"{NAME}.epub")
    points = ncx.find(f"{NCX}navMap").findall(f"{NCX}navPoint")
    assert [p.find(f"{NCX}navLabel/{NCX}text").text for p in points] == labels
    assert [p.find(f"{NCX}navLabel/{NCX}text").text for p in points[1].findall(f"{NCX}navPoint")] == held


def test_the_ncx_page_list_is_the_navigations_with_the_true_page_count(book: Path) -> None:
    documents = _documents(book / f"{NAME}.epub")
    nav = [(a.text, a.get("href")) for a in _nav(documents, "page-list")]
    ncx = _ncx(book / f"{NAME}.epub")
    targets = [(t.find(f"{NCX}navLabel/{NCX}text").text, t.find(f"{NCX}content").get("src"))
               for t in ncx.find(f"{NCX}pageList").findall(f"{NCX}pageTarget")]
    assert targets == nav
    info = subprocess.run(["pdfinfo", str(book / f"{NAME}.pdf")], capture_output=True, text=True, check=True).stdout
    meta = {m.get("name"): m.get("content") for m in ncx.iter(f"{NCX}meta")}
    assert meta["dtb:totalPageCount"] == re.search(r"Pages:\s+(\d+)", info).group(1) == meta["dtb:maxPageNumber"]
    orders = [int(e.get("playOrder")) for e in ncx.iter() if e.get("playOrder")]
    assert sorted(set(orders)) == list(range(1, max(orders) + 1))  # one reading order, no gap


def test_the_editor_is_the_author_readers_file_it_under_and_the_interviewees_contribute(book: Path) -> None:
    with zipfile.ZipFile(book / f"{NAME}.epub") as z:
        opf = ElementTree.fromstring(z.read("EPUB/content.opf"))
    dc, meta = "{http://purl.org/dc/elements/1.1/}", "{http://www.idpf.org/2007/opf}meta"
    roles: dict[str, list[str]] = {}
    for element in opf.iter(meta):
        if element.get("property") == "role":
            roles.setdefault(element.get("refines")[1:], []).append(element.text)
    creators = {e.text: roles[e.get("id")] for e in opf.iter(f"{dc}creator")}
    contributors = {e.text: roles[e.get("id")] for e in opf.iter(f"{dc}contributor")}
    assert creators == {"Ada Lindqvist": ["edt", "aut"]}
    assert contributors["Sean Baker"] == ["ive"]
    assert [e.text for e in opf.iter(f"{dc}identifier")] == ["urn:isbn:978-0-306-40615-7"]
    assert any(e.get("property") == "belongs-to-collection" for e in opf.iter(meta))
