"""Books in other languages (tests/languages): every word the PDF, the EPUB and the DOCX print outside the
source's own text comes from the language's catalogue, the indexes are filed as the language files them
(lists made by hand in each folder's expected-order.yaml), and the language is declared where each format
declares it, a collection's chapter in its own."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from babel.dates import format_date
from lxml import etree

from conftest import LANGUAGE_BOOKS as BOOKS
from conftest import LANGUAGES as HERE
from conftest import language_stem as _stem
from conftest import structure_elements
from pressroom.core.words import words_for
from pressroom.reading.collection import read_collection
from pressroom.reading.reader import read
from pressroom.typeset.proof import proof

EDITIONS = ("pdf", "epub", "docx")  # what conftest's `languages` builds
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC, OPF = "http://purl.org/dc/elements/1.1/", "http://www.idpf.org/2007/opf"


def _book(folder: str):  # noqa: ANN202 - a Document or a Collection
    path = HERE / folder / BOOKS[folder]
    return read_collection(path) if path.name.endswith(".collection.yaml") else read(path)


def _tokens(text: str) -> set[str]:
    """The words of `text`, casefolded: runs of letters (digits, page numbers and ISBNs are no words)."""
    return {w.casefold() for w in re.findall(r"[^\W\d_]{2,}", text)}  # a letter alone: an index's letter heading


def _allowed(folder: str) -> set[str]:
    """What a book may print: the words of its sources and registries (its own text, the index's entries),
    of its languages' catalogues, and of the dates and lists CLDR writes in them."""
    text = [p.read_text(encoding="utf-8") for p in (HERE / folder).rglob("*.md")]
    text += [_strings(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in (HERE / folder).rglob("*.yaml")
             if p.name != "expected-order.yaml"]  # the registries' entries, not their comments
    book = _book(folder)
    for doc in (book, *getattr(book, "chapters", ())):
        words = words_for(doc.front.lang)
        text += list(words.catalogue.values())
        text.append(words.and_list(["a", "b", "c"]))
        if doc.front.date:
            text.append(format_date(doc.front.date, format="long", locale=words.locale))
    return _tokens(" ".join(text)) | {"isbn"}  # "ISBN 978-…", the same in every language


def _strings(data: object) -> str:
    """Every key and value of parsed YAML, as text."""
    if isinstance(data, dict):
        return " ".join(f"{k} {_strings(v)}" for k, v in data.items())
    if isinstance(data, list):
        return " ".join(map(_strings, data))
    return str(data)


def _pdf_text(pdf: Path) -> str:
    """The pages' text (poppler) and the outline's entries (pikepdf)."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    def titles(items: list) -> list[str]:
        return [t for item in items for t in (item.title, *titles(item.children))]

    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        bookmarks = titles(outline.root)
    return re.sub(r"[\u2010\u00ad]\n", "", text) + " ".join(bookmarks)  # a word hyphenated at a line's end read whole


def _epub_text(epub: Path) -> str:
    """Every text a reader sees or hears: the documents' text and labels, the navigation, the NCX, and the
    metadata a reading system shows (not the machine-readable values of the accessibility metadata)."""
    out = []
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith((".xhtml", ".ncx")):
                tree = etree.fromstring(z.read(name))
                out += tree.itertext()
                out += [v for e in tree.iter() for k, v in e.attrib.items() if k in ("alt", "aria-label", "title")]
            elif name.endswith(".opf"):
                tree = etree.fromstring(z.read(name))
                out += tree.xpath("//dc:*[not(self::dc:identifier or self::dc:language or self::dc:date)]/text()",
                                  namespaces={"dc": DC})
                out += tree.xpath("//opf:meta[@property='schema:accessibilitySummary' or @property='pageBreakSource']"
                                  "/text()", namespaces={"opf": OPF})
    return " ".join(out)


def _docx_text(docx: Path) -> str:
    """The text of the document, its headers and footers (not their fields' instructions), and its core
    properties but its language."""
    out = []
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if re.fullmatch(r"word/(document|header[^/]*|footer[^/]*)\.xml", name):
                out += etree.fromstring(z.read(name)).xpath("//w:t/text()", namespaces={"w": W[1:-1]})
            elif name == "docProps/core.xml":
                out += etree.fromstring(z.read(name)).xpath("//*[local-name() != 'language']/text()")
    return " ".join(out)


READ = {"pdf": _pdf_text, "epub": _epub_text, "docx": _docx_text}


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("folder", BOOKS)
def test_every_word_printed_is_the_source_s_or_the_language_s(languages: Path, folder: str, edition: str) -> None:
    printed = _tokens(READ[edition](languages / f"{_stem(folder)}.{edition}"))
    assert sorted(printed - _allowed(folder)) == []


@pytest.mark.parametrize("folder", BOOKS)
def test_the_book_s_words_are_printed_in_its_language(languages: Path, folder: str) -> None:
    """The catalogue's words are there (the test above would pass on a book that printed none)."""
    book = _book(folder)
    words = words_for(book.front.lang)
    expected = [words.part("contents"), words.part("film-index"), words.part("name-index")]
    for edition in EDITIONS:
        text = " ".join(READ[edition](languages / f"{_stem(folder)}.{edition}").split())
        missing = [said for said in expected if said.casefold() not in text.casefold()]
        assert missing == [], edition


@pytest.mark.parametrize("folder", BOOKS)
def test_the_indexes_are_filed_in_the_language_s_order(languages: Path, folder: str) -> None:
    expected = yaml.safe_load((HERE / folder / "expected-order.yaml").read_text(encoding="utf-8"))
    with zipfile.ZipFile(languages / f"{_stem(folder)}.epub") as z:
        for kind, part in (("films", "film-index"), ("people", "name-index")):
            tree = etree.fromstring(z.read(f"EPUB/{part}.xhtml"))
            terms = tree.xpath("//*[@class='index-term']")
            assert [" ".join("".join(t.itertext()).split()) for t in terms] == expected[kind], kind


@pytest.mark.parametrize("folder", BOOKS)
def test_the_proof_finds_nothing(languages: Path, folder: str) -> None:
    assert proof(languages / f"{_stem(folder)}.pdf") == []


def test_each_chapter_declares_its_own_language(languages: Path) -> None:
    """The mixed collection is German; its French chapter says so in the EPUB and the DOCX."""
    with zipfile.ZipFile(languages / "grenzgaenge.collection.epub") as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        assert opf.xpath("//dc:language/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}) == ["de-DE"]
        langs = {}
        for name in z.namelist():
            if re.fullmatch(r"EPUB/c\d+-opening\.xhtml", name):
                section = etree.fromstring(z.read(name)).find(".//{http://www.w3.org/1999/xhtml}section")
                langs[name] = section.get("lang")
    assert sorted(langs.values(), key=str) == sorted([None, "fr-FR"], key=str), langs
    with zipfile.ZipFile(languages / "grenzgaenge.collection.docx") as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        document = etree.fromstring(z.read("word/document.xml"))
    assert styles.find(f".//{W}docDefaults//{W}lang").get(f"{W}val") == "de-DE"
    french = {e.get(f"{W}val") for e in document.iter(f"{W}lang")}
    assert french == {"fr-FR"}
    with pikepdf.open(languages / "grenzgaenge.collection.pdf") as pdf:  # the tagged PDF: the chapter's element
        assert str(pdf.Root.Lang) == "de-DE"
        tagged = [str(e.Lang) for e in structure_elements(pdf.Root.StructTreeRoot) if "/Lang" in e]
    assert tagged == ["fr-FR"]


def test_a_french_label_has_a_narrow_space_before_its_colon(languages: Path) -> None:
    """In the French book and the French chapter of the German one; not in the German chapter."""
    def labels(epub: str, part: str) -> set[str]:
        with zipfile.ZipFile(languages / epub) as z:
            tree = etree.fromstring(z.read(f"EPUB/{part}.xhtml"))
        return {"".join(s.itertext()) for s in tree.xpath("//*[@class='speaker']")}

    french = {"Travelling\u202f:", "Roussel\u202f:"}
    assert labels("entretien.epub", "interview") == labels("grenzgaenge.collection.epub", "c2-opening") == french
    assert labels("grenzgaenge.collection.epub", "c1-opening") == {"Filmblatt:", "Brandt:"}
    with zipfile.ZipFile(languages / "entretien.docx") as z:
        texts = etree.fromstring(z.read("word/document.xml")).xpath("//w:t/text()", namespaces={"w": W[1:-1]})
    assert french <= set(texts)
