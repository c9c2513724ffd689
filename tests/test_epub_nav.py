"""The e-reader edition's navigation: where each print page begins (every page that holds text, its
marker before its first word) and how a collection's contents nest and name their chapters."""

from __future__ import annotations

from dataclasses import replace

from pressroom.core import model as m
from pressroom.typeset.pagebreaks import AT_ITS_START, PageStart, every_page_start, insert_page_breaks
from pressroom.writers.epub_nav import chapter_label


def test_a_page_that_opens_with_a_headline_begins_before_it() -> None:
    """Page 7 opens with the headline of section `opening` (its first numbered paragraph comes after it);
    page 8 begins inside paragraph p-3; page 9 opens the index with its heading; page 10 begins with an
    index entry; page 11 runs on with an entry from page 10 and then begins the next one."""
    lines = (PageStart(7, "p-1", 0), PageStart(8, "p-3", 12))
    pages = [
        [], [], [], [], [], [],  # front matter with no ids of its own here
        [("opening", True), ("p-1", False), ("p-2", False)],
        [("opening", False), ("p-3", True)],
        [("film-index", True), ("film-index-1", False)],
        [("film-index", False), ("film-index-7", True), ("film-index-8", False)],
        [("film-index", False), ("film-index-8", True), ("film-index-9", False)],
    ]
    assert every_page_start(lines, pages) == (
        PageStart(7, "opening", AT_ITS_START), PageStart(8, "p-3", 12), PageStart(9, "film-index", AT_ITS_START),
        PageStart(10, "film-index-7", AT_ITS_START), PageStart(11, "film-index-9", AT_ITS_START),
    )


def test_a_page_marker_at_an_elements_start_is_its_first_child() -> None:
    xhtml = ('<section id="opening" class="opening"><h2>Title</h2><p id="p-1">One two three.</p></section>'
             '<li id="film-index-3" class="index-entry"><span>Anora</span></li>')
    marked = insert_page_breaks(xhtml, (PageStart(7, "opening", AT_ITS_START), PageStart(8, "p-1", 2),
                                        PageStart(9, "film-index-3", AT_ITS_START)))
    assert marked.index('id="page-7"') < marked.index("<h2>") < marked.index('id="page-8"') < marked.index("three")
    assert marked.index('id="film-index-3"') < marked.index('id="page-9"') < marked.index("<span>Anora")


def _document(title: str, names: tuple[str, ...]) -> m.Document:
    speakers = tuple(m.Speaker(name.split()[-1], m.Role.INTERVIEWEE, name) for name in names)
    front = m.FrontMatter(title=(m.Text(title),), subtitle=(), lang="en", speakers=speakers)
    return m.Document(source_name="x", front=front, headnote=(), introduction=(), interview=(), registry={})


def test_a_chapter_is_listed_by_its_interviewees_and_its_title_shortened_for_a_sidebar() -> None:
    long = "“There’s Only One Life, and I Believe in Tarantino’s Idea of a Strong, Solid Filmography”"
    shortened = chapter_label(_document(long, ("Sean Baker",)), "en")
    assert shortened == "Sean Baker — There’s Only One Life, and I Believe …"
    assert chapter_label(_document("Short Title", ("Ann Lee", "Bo Ma")), "en") == "Ann Lee and Bo Ma — Short Title"
    three = chapter_label(_document("On Light", ("Ann Lee", "Bo Ma", "Cy Ng")), "en-GB")
    assert three == "Ann Lee, Bo Ma and Cy Ng — On Light"
    assert chapter_label(_document("« Lumière »", ("Ann Lee", "Bo Ma")), "fr") == "Ann Lee et Bo Ma — Lumière"
    nobody = replace(_document("On Light", ()), front=replace(_document("On Light", ()).front, speakers=()))
    assert chapter_label(nobody, "en") == "On Light"
