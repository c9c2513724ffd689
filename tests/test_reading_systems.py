"""The EPUB as real reading systems see it: epub.js in headless Chromium, calibre's ebook-meta and ebook-convert.

epub.js (tests/readers/) goes to print pages through the page-list, follows index locators and notes with the
mouse and says which words it shows; calibre reads the metadata that shops and readers read and converts to AZW3
as Kindle users do. The PDF (poppler) says what each print page holds. `make test` installs both readers
(npm epubjs and playwright-core, run with Debian's Chromium; Debian's calibre).

The builds: the canonical source (conftest's `editions`), the example collection in source/ (one interview, no
editor), the tests' collection (test_collection's `book`: three interviews, a part, an editor, an ISBN) and the
golden source with notes (test_epub's `craft`).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
import yaml
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from conftest import ROOT, SOURCE, words
from pressroom.cli import app
from test_collection import book, collection  # noqa: F401 - fixtures: the tests' collection, built once here
from test_epub import CRAFT, craft  # noqa: F401 - fixture: the golden source with notes, built once here
from test_pdf import _destinations, _text_block

pytestmark = pytest.mark.slow

READERS = Path(__file__).parent / "readers"
EXAMPLE = ROOT / "source" / "filmmaker-interviews.collection.yaml"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "ncx": "http://www.daisy.org/z3986/2005/ncx/",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
BLOCKS = {"p", "div", "section", "aside", "li", "ol", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "blockquote",
          "figure", "figcaption", "header", "footer", "nav", "dl", "dt", "dd", "table", "tr", "td", "th", "body", "br"}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example collection of source/ (one interview, no editor), built to PDF and EPUB."""
    out = tmp_path_factory.mktemp("example")
    result = CliRunner().invoke(app, ["build", str(EXAMPLE), "--to", "pdf,epub", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


# --- an edition and what its files say -------------------------------------------------------------------

@dataclass
class Edition:
    source: Path
    epub: Path
    pdf: Path


def _edition(request: pytest.FixtureRequest, build: str) -> Edition:
    """The EPUB and PDF of one of the builds above, with their source."""
    out = request.getfixturevalue(build)
    sources = {"editions": SOURCE, "example": EXAMPLE, "craft": CRAFT}
    source = sources[build] if build in sources else request.getfixturevalue("collection")
    return Edition(source, out / f"{source.stem}.epub", out / f"{source.stem}.pdf")


class Package:
    """An EPUB's files, parsed: the OPF, the nav, the NCX and the XHTML documents, by path in the zip."""

    def __init__(self, epub: Path) -> None:
        with zipfile.ZipFile(epub) as z:
            self.files = {name: z.read(name) for name in z.namelist()}
        container = etree.fromstring(self.files["META-INF/container.xml"])
        self.opf_path = container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]
        self.opf = etree.fromstring(self.files[self.opf_path])
        items = self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)
        self.nav_path = next(self.path(i.get("href")) for i in items if "nav" in (i.get("properties") or "").split())
        ncx = self.opf.xpath("//opf:spine/@toc", namespaces=NS)
        self.ncx_path = next((self.path(i.get("href")) for i in items if ncx and i.get("id") == ncx[0]), None)
        self.spine = [self.path(next(i.get("href") for i in items if i.get("id") == ref))
                      for ref in self.opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)]

    def path(self, href: str, base: str | None = None) -> str:
        """A zip path from an href relative to `base` (a file in the zip; the OPF by default), fragment kept."""
        file, _, fragment = href.partition("#")
        base = (base or self.opf_path).partition("#")[0]
        path = posixpath.normpath(posixpath.join(posixpath.dirname(base), file)) if file else base
        return path + (f"#{fragment}" if fragment else "")

    def document(self, path: str) -> etree._Element:
        return etree.fromstring(self.files[path.partition("#")[0]])

    def element(self, path: str) -> etree._Element:
        file, _, ident = path.partition("#")
        found = self.document(file).xpath("//*[@id=$i]", i=ident)
        assert len(found) == 1, path
        return found[0]

    def nav(self, kind: str) -> etree._Element:
        navs = self.document(self.nav_path).xpath("//x:nav[contains(concat(' ', @epub:type, ' '), $k)]",
                                                  namespaces=NS, k=f" {kind} ")
        assert len(navs) == 1, kind
        return navs[0]

    def page_list(self) -> list[tuple[str, str]]:
        """The nav's page-list: (label, zip path#id) of each entry."""
        return [(_text(a).strip(), self.path(a.get("href"), self.nav_path))
                for a in self.nav("page-list").xpath(".//x:a", namespaces=NS)]

    def relative(self, path: str) -> str:
        """A zip path as an href relative to the OPF's folder, which epub.js displays."""
        return posixpath.relpath(path, posixpath.dirname(self.opf_path))


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _words_from(element: etree._Element, count: int = 8) -> list[str]:
    """The first `count` words of a document from the start of `element` on (its own text first), in reading
    order, blocks apart."""
    text: list[str] = []
    started = False
    for event, node in etree.iterwalk(element.getroottree().getroot(), events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        block = etree.QName(node).localname in BLOCKS
        if event == "start":
            started = started or node is element
            if started:
                text += [" " if block else "", node.text or ""]
        elif started:
            text += [" " if block else "", node.tail or ""]
        if started and len(words("".join(text))) > count:
            break
    return words("".join(text))[:count]


def _flat(tokens: list[str]) -> str:
    """Words as one string, spaces and hyphens out: a word hyphenated over two lines of print reads as one."""
    return re.sub(r"[\s\-\u2010\u2011\u00ad]", "", " ".join(words(" ".join(tokens))))


def _page_text(pdf: Path, page: int) -> str:
    """What the print page holds: its text block (running heads and folios left out), as poppler reads it."""
    return _text_block(pdf, first=page, last=page)


def _opens_page(first_words: list[str], page: str) -> bool:
    """Whether `first_words` are the first words of the print page: the page begins with the first of them
    (or with the end of it, when the page begins inside a word hyphenated over two pages) and goes on
    with the next."""
    flat_page = _flat([page])
    first, rest = _flat(first_words[:1]), _flat(first_words[1:5])
    if not rest:  # a page of one word: a part's title
        return bool(first) and flat_page.startswith(first)
    at = flat_page.find(rest)
    return at > 0 and first.endswith(flat_page[:at])


def _pdf_pages(pdf: Path) -> list[str]:
    """The label of each page of the PDF (its folio), in order."""
    with pikepdf.open(pdf) as document:
        return [page.label for page in document.pages]


def _front(source: Path) -> dict:
    text = source.read_text(encoding="utf-8")
    if source.name.endswith(".collection.yaml"):
        return yaml.safe_load(text)
    return yaml.safe_load(re.match(r"---\n(.*?)\n---\n", text, re.S).group(1))


def _plain(markdown: str) -> str:
    """A front-matter text without its spans' markup: "[Anora]{.film}" is "Anora"."""
    return re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", markdown)


def _interviews(source: Path) -> list[Path]:
    if not source.name.endswith(".collection.yaml"):
        return [source]
    return [source.parent / item for item in _front(source)["interviews"] if isinstance(item, str)]


def _interviewees(source: Path) -> list[str]:
    return [spec.get("name", label) for label, spec in _front(source)["speakers"].items()
            if spec.get("role") == "interviewee"]


def _authors(source: Path) -> list[str]:
    """Whom readers and shops should file the book under: a collection's editors, else the interviewees."""
    editors = _front(source).get("editor") if source.name.endswith(".collection.yaml") else None
    if editors:
        return [editors] if isinstance(editors, str) else list(editors)
    return list(dict.fromkeys(name for interview in _interviews(source) for name in _interviewees(interview)))


# --- epub.js in headless Chromium ------------------------------------------------------------------------

def _epubjs(epub: Path, steps: list[dict]) -> list:
    """What epub.js shows for each step (tests/readers/epubjs.cjs says which steps there are)."""
    program = shutil.which("playwright-core")
    modules = Path(program).parent.parent if program else Path(sys.prefix) / "node" / "node_modules"
    assert (modules / "epubjs").is_dir() and (modules / "playwright-core").is_dir(), (
        "epub.js and Playwright are not installed: `make test` installs them (npm epubjs, playwright-core)")
    request = {"epub": str(epub), "modules": str(modules), "steps": steps, "width": 600, "height": 900,
               "chromium": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")}
    run = subprocess.run(["node", str(READERS / "epubjs.cjs")], input=json.dumps(request), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    output = json.loads(run.stdout)
    assert output["errors"] == [], output["errors"]
    return output["results"]


@pytest.mark.parametrize(("build", "which"), [("editions", "page 12"), ("book", "a page of the second interview")])
def test_epubjs_goes_to_a_print_page_where_the_pdf_page_begins(
    request: pytest.FixtureRequest, build: str, which: str
) -> None:
    """A reader's "go to page": epub.js finds the page in the page-list and shows the screen that holds its
    marker; the words shown from the marker on are the first words of that page of the PDF."""
    edition = _edition(request, build)
    package = Package(edition.epub)
    if which == "page 12":
        page = 12
    else:  # the second interview's second page (its first is its headline)
        chapters = [a.get("href") for a in package.nav("toc").xpath(".//x:a", namespaces=NS)
                    if "chapter" in (_section_type(package, package.path(a.get("href"), package.nav_path)))]
        assert len(chapters) >= 2, chapters
        page = _destinations(edition.pdf)[chapters[1].partition("#")[2]] + 1
    [shown] = _epubjs(edition.epub, [{"op": "page", "label": str(page)}])
    assert shown.get("found") and shown["visible"], shown
    pdf_page = _page_text(edition.pdf, page)
    assert _opens_page(shown["words"], pdf_page), (page, shown["words"][:6], words(pdf_page)[:6])


def _section_type(package: Package, path: str) -> str:
    """The epub:type of the section a nav entry points to (its body's first section for a whole file)."""
    file, _, ident = path.partition("#")
    element = package.element(path) if ident else package.document(file).xpath("//x:body/*", namespaces=NS)[0]
    return element.get(f"{{{NS['epub']}}}type") or ""


def test_epubjs_follows_an_index_locator_to_its_mention(editions: Path) -> None:
    """A tap on a locator of the film index shows the mention: the film's title, on the screen."""
    package = Package(editions / "sean-baker-anora.epub")
    index = next(path for path in package.spine if path.endswith("film-index.xhtml"))
    entry = package.document(index).xpath("//x:li[@epub:type='index-entry']", namespaces=NS)[0]
    href = entry.xpath(".//x:a[@epub:type='index-locator']/@href", namespaces=NS)[-1]  # the first film's last
    mention = package.element(package.path(href, index))
    [landed] = _epubjs(editions / "sean-baker-anora.epub", [
        {"op": "follow", "href": package.relative(index), "selector": f'a[href="{href}"]'},
    ])
    assert landed["relocated"] and landed["target"] == mention.get("id"), landed
    assert landed["visible"] and landed["shown"] == package.relative(package.path(href, index).partition("#")[0])
    assert _flat(landed["words"]).startswith(_flat(words(_text(mention)))), (landed["words"], _text(mention))


# The golden source (a note in each part: a call and its note may share a screen) and the tests' collection,
# whose third interview (tests/books/three-speakers.md) has its notes at its end, screens after their calls.
@pytest.mark.parametrize(("build", "far"), [("craft", None), ("book", True)])
def test_epubjs_follows_a_note_reference_and_its_back_link(
    request: pytest.FixtureRequest, build: str, far: bool | None
) -> None:
    """A tap on a note's call shows the note; a tap on the note's back link shows the call again."""
    epub = _edition(request, build).epub
    package = Package(epub)
    calls = [(path, call) for path in package.spine
             for call in package.document(path).xpath("//x:a[@epub:type='noteref']", namespaces=NS)]
    assert calls
    path = calls[-1][0]
    call = next(call for where, call in calls if where == path)  # the first call of the last document with notes
    note = package.element(package.path(call.get("href"), path))
    back = note.xpath(".//x:a[@epub:type='backlink' or @role='doc-backlink']", namespaces=NS)
    assert len(back) == 1, etree.tostring(note)
    document = package.relative(path)
    before, there, again = _epubjs(epub, [
        {"op": "show", "href": f"{document}#{call.get('id')}"},
        {"op": "follow", "href": document, "selector": f'a[id="{call.get("id")}"]'},
        {"op": "follow", "href": document, "selector": f'[id="{note.get("id")}"] a[href="{back[0].get("href")}"]'},
    ])
    assert before["visible"] and there["relocated"], (before, there)
    assert far is None or (there["screen"] != before["screen"]) == far, (before, there)
    assert there["target"] == note.get("id") and there["visible"], there
    assert _flat(there["words"][:6]) == _flat(_words_from(note, 6)), (there["words"], _words_from(note))
    assert again["target"] == call.get("id") and again["visible"], again
    assert again["screen"] == before["screen"], (before, again)
    assert _flat(again["words"][:6]) == _flat(_words_from(call, 6)), (again["words"], _words_from(call))


def test_epubjs_shows_the_opening_page(editions: Path, tmp_path: Path) -> None:
    """The opening of the text at 600 x 900: the headline first. With PRESSROOM_DOCS_IMAGES=1 the screen is
    saved as the README's picture, docs/reading-systems-epubjs.png."""
    package = Package(editions / "sean-baker-anora.epub")
    start = package.nav("toc").xpath(".//x:a/@href", namespaces=NS)[0]
    opening = package.element(package.path(start, package.nav_path))
    picture = tmp_path / "opening.png"
    shown, _ = _epubjs(editions / "sean-baker-anora.epub", [
        {"op": "show", "href": package.relative(package.path(start, package.nav_path).partition("#")[0])},
        {"op": "screenshot", "path": str(picture)},
    ])
    assert _flat(shown["screen"][:6]) == _flat(_words_from(opening, 6)), shown["screen"]
    with Image.open(picture) as image:
        assert image.size == (600, 900)
    if os.environ.get("PRESSROOM_DOCS_IMAGES") == "1":
        shutil.copy(picture, ROOT / "docs" / "reading-systems-epubjs.png")


# --- print pages: the page-list and the NCX's pageList -------------------------------------------------

PAGED = ["editions", "example", "book", "craft"]


def _pages_with_words(pdf: Path) -> list[int]:
    count = len(_pdf_pages(pdf))
    return [n for n in range(1, count + 1) if words(_page_text(pdf, n))]


@pytest.mark.parametrize("build", PAGED)
def test_the_page_list_covers_every_printed_page_from_the_text_to_the_last_index_page(
    request: pytest.FixtureRequest, build: str
) -> None:
    """Every page of the PDF that holds words, from the first page of the text (the contents' first entry)
    to the last (the indexes', part titles included), has its entry in the page-list, labelled with its folio;
    and every entry is a page of the PDF that holds words."""
    edition = _edition(request, build)
    package = Package(edition.epub)
    labels = [label for label, _ in package.page_list()]
    folios = _pdf_pages(edition.pdf)
    start = package.nav("toc").xpath(".//x:a/@href", namespaces=NS)[0].partition("#")[2]
    first = _destinations(edition.pdf)[start]
    with_words = _pages_with_words(edition.pdf)
    wanted = [folios[n - 1] for n in with_words if n >= first]
    assert [label for label in wanted if label not in labels] == [], (wanted, labels)
    assert [label for label in labels if label not in [folios[n - 1] for n in with_words]] == [], labels
    assert len(set(labels)) == len(labels) and [folios.index(label) for label in labels] == sorted(
        folios.index(label) for label in labels)


@pytest.mark.parametrize("build", PAGED)
def test_each_page_marker_s_first_words_are_on_its_pdf_page(request: pytest.FixtureRequest, build: str) -> None:
    """The first words after each page-list entry's marker in the XHTML are on that page of the PDF."""
    edition = _edition(request, build)
    package = Package(edition.epub)
    folios = _pdf_pages(edition.pdf)
    wrong = []
    for label, path in package.page_list():
        after = _words_from(package.element(path), 4)
        page = _flat([_page_text(edition.pdf, folios.index(label) + 1)])
        if not after or _flat(after[1:]) not in page or _flat(after[:1])[-3:] not in page:
            wrong.append((label, after))
    assert wrong == []


@pytest.mark.parametrize("build", PAGED)
def test_each_page_marker_stands_before_the_first_word_of_its_page(request: pytest.FixtureRequest, build: str) -> None:
    """A page-list entry leads to where the print page begins, headlines included: the first words after its
    marker in the XHTML are the first words of the PDF page."""
    edition = _edition(request, build)
    package = Package(edition.epub)
    folios = _pdf_pages(edition.pdf)
    wrong = []
    for label, path in package.page_list():
        after = _words_from(package.element(path), 6)
        page = _page_text(edition.pdf, folios.index(label) + 1)
        if not _opens_page(after, page):
            wrong.append((label, " ".join(after), " ".join(words(page)[:6])))
    assert wrong == []


@pytest.mark.parametrize("build", PAGED)
def test_the_ncx_page_list_is_the_nav_s_with_the_true_page_count(request: pytest.FixtureRequest, build: str) -> None:
    """Readers that read print pages from the NCX (calibre, Adobe's RMSDK on e-ink readers, Adobe Digital
    Editions) get the nav's page-list, labels and targets, and the book's page count: the PDF's last folio."""
    edition = _edition(request, build)
    package = Package(edition.epub)
    assert package.ncx_path, "the EPUB has no NCX"
    ncx = package.document(package.ncx_path)
    targets = ncx.xpath("//ncx:pageList/ncx:pageTarget", namespaces=NS)
    ncx_pages = [(t.xpath("string(ncx:navLabel/ncx:text)", namespaces=NS).strip(),
                  package.path(t.xpath("string(ncx:content/@src)", namespaces=NS), package.ncx_path))
                 for t in targets]
    assert ncx_pages == package.page_list()
    assert [(t.get("type"), t.get("value")) for t in targets] == [("normal", label) for label, _ in ncx_pages]
    head = {m.get("name"): m.get("content") for m in ncx.xpath("//ncx:head/ncx:meta", namespaces=NS)}
    assert head.get("dtb:totalPageCount") == _pdf_pages(edition.pdf)[-1]


# --- a collection's navigation ---------------------------------------------------------------------------

def _toc_tree(items: list[etree._Element], package: Package, base: str, ncx: bool = False) -> list[tuple]:
    """(label, target, children) of each entry of the nav's toc (an <ol>'s <li>s) or the NCX's navMap."""
    tree = []
    for item in items:
        if ncx:
            label = item.xpath("string(ncx:navLabel/ncx:text)", namespaces=NS)
            href = item.xpath("string(ncx:content/@src)", namespaces=NS)
            children = item.xpath("ncx:navPoint", namespaces=NS)
        else:
            link = item.xpath("x:a | x:span", namespaces=NS)[0]
            label, href = _text(link), link.get("href") or ""
            children = item.xpath("x:ol/x:li", namespaces=NS)
        tree.append((" ".join(label.split()), package.path(href, base) if href else "",
                     _toc_tree(children, package, base, ncx)))
    return tree


@pytest.mark.parametrize("build", ["book", "example"])
def test_a_collection_s_navigation_nests_its_chapters_in_their_parts_and_names_the_interviewees(
    request: pytest.FixtureRequest, build: str
) -> None:
    """The contents hold each part's chapters under the part (in the nav and the NCX alike), and each
    chapter's entry is "Interviewee — Title", the title shortened at most."""
    edition = _edition(request, build)
    package = Package(edition.epub)
    toc = _toc_tree(package.nav("toc").xpath("x:ol/x:li", namespaces=NS), package, package.nav_path)
    ncx = package.document(package.ncx_path)
    assert _toc_tree(ncx.xpath("//ncx:navMap/ncx:navPoint", namespaces=NS), package, package.ncx_path, ncx=True) == toc

    interviews = iter(_interviews(edition.source))
    expected: list[tuple[str | None, Path]] = []  # (part, interview) in the book's order
    part = None
    for item in _front(edition.source)["interviews"]:
        if isinstance(item, dict) and "part" in item:
            part = item["part"]
        else:
            expected.append((part, next(interviews)))
    found = [(parent, label) for parent, label, target, _ in _entries(toc, None)
             if "chapter" in _section_type(package, target)]
    assert [parent for parent, _ in found] == [part for part, _ in expected], toc
    for (_, label), (_, interview) in zip(found, expected, strict=True):
        names, dash, title = label.partition(" — ")
        assert dash and all(name in names for name in _interviewees(interview)), label
        said = [w for w in _title_words(title) if w != "…"]
        whole = _title_words(_plain(_front(interview)["title"]))
        assert said and said[:-1] == whole[: len(said) - 1] and whole[len(said) - 1].startswith(said[-1]), label


def _entries(tree: list[tuple], parent: str | None):  # noqa: ANN202 - a generator of tuples
    """(the label of the part above, label, target, children) of every entry of a toc tree, in order."""
    for label, target, children in tree:
        yield parent, label, target, children
        yield from _entries(children, label)


def _title_words(title: str) -> list[str]:
    return [w.strip("“”\"‘’'") for w in title.replace("…", " … ").split() if w.strip("“”\"‘’'")]


# --- calibre ---------------------------------------------------------------------------------------------

ISO639_2 = {"en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld"}
CALIBRE_BUILDS = ["editions", "example", "book"]


def _calibre(tool: str, *args: str, tmp: Path) -> subprocess.CompletedProcess:
    program = shutil.which(tool)
    assert program, f"calibre's {tool} is not installed: `make test` installs it (Debian calibre)"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CALIBRE_CONFIG_DIRECTORY": str(tmp / "calibre-config")}
    return subprocess.run([program, *args], capture_output=True, text=True, env=env, timeout=600)


def _ebook_meta(path: Path, tmp: Path) -> dict[str, str]:
    """What calibre reads from a book: ebook-meta's fields ("Author(s)", "Identifiers", ...)."""
    run = _calibre("ebook-meta", str(path), tmp=tmp)
    assert run.returncode == 0, run.stdout + run.stderr
    return dict(re.findall(r"^(\S[^:\n]*?)\s*: (.*)$", run.stdout, re.M))


def _calibre_authors(field: str) -> list[str]:
    """"Sean Baker & Ada Lindqvist [Baker, Sean & Lindqvist, Ada]" -> the names (the sort key left out)."""
    return re.sub(r"\s*\[[^\]]*\]$", "", field).split(" & ")


def _calibre_identifiers(field: str) -> dict[str, str]:
    return dict(item.strip().split(":", 1) for item in field.split(",") if item.strip())


def _book_identifier(source: Path) -> tuple[str, str]:
    """The book's identifier as calibre names it: (scheme, value); an ISBN's hyphens left out."""
    front = _front(source)
    if front.get("isbn"):
        return "isbn", re.sub(r"[^0-9X]", "", str(front["isbn"]))
    scheme, _, value = str(front["identifier"]).removeprefix("urn:").partition(":")
    return scheme, value


@pytest.mark.parametrize("build", CALIBRE_BUILDS)
def test_calibre_reads_the_authors_title_identifier_language_publisher_and_date(
    request: pytest.FixtureRequest, build: str, tmp_path: Path
) -> None:
    edition = _edition(request, build)
    front = _front(edition.source)
    meta = _ebook_meta(edition.epub, tmp_path)
    assert _calibre_authors(meta.get("Author(s)", "")) == _authors(edition.source), meta
    title, subtitle = _plain(front["title"]), _plain(front.get("subtitle", ""))
    assert meta.get("Title") in (title, f"{title}: {subtitle}"), meta
    scheme, value = _book_identifier(edition.source)
    assert _calibre_identifiers(meta.get("Identifiers", "")).get(scheme) == value, meta
    language = Package(edition.epub).opf.xpath("string(//dc:language)", namespaces=NS)
    assert meta.get("Languages") == ISO639_2[language.split("-")[0]], meta
    if front.get("publisher"):
        assert meta.get("Publisher") == front["publisher"], meta
    assert meta.get("Published", "").startswith(str(front["date"])), meta


@pytest.mark.parametrize("build", CALIBRE_BUILDS)
def test_calibre_converts_to_azw3_keeping_the_authors_and_the_identifier(
    request: pytest.FixtureRequest, build: str, tmp_path: Path
) -> None:
    """ebook-convert to AZW3, as Kindle users do. An AZW3 holds only an ISBN (EXTH 104) of a book's
    identifiers, and calibre 6 writes a random ASIN into every one: the identifiers it reads back are the
    EPUB's ISBN, where there is one, and that ASIN, no other."""
    edition = _edition(request, build)
    azw3 = tmp_path / f"{edition.source.stem}.azw3"
    run = _calibre("ebook-convert", str(edition.epub), str(azw3), tmp=tmp_path)
    assert run.returncode == 0 and azw3.is_file(), run.stdout[-3000:] + run.stderr[-3000:]
    meta = _ebook_meta(azw3, tmp_path)
    assert _calibre_authors(meta.get("Author(s)", "")) == _authors(edition.source), meta
    identifiers = _calibre_identifiers(meta.get("Identifiers", ""))
    identifiers.pop("mobi-asin", None)
    scheme, value = _book_identifier(edition.source)
    assert identifiers == ({scheme: value} if scheme == "isbn" else {}), meta
    assert meta.get("Title", "").startswith(_plain(_front(edition.source)["title"])), meta
