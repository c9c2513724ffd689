"""Index order per language: the Unicode Collation Algorithm with CLDR's tailoring for the book's `lang`.

Each index is checked against a list made by hand from the language's own alphabet: Swedish
files Å Ä Ö after Z, Spanish ñ after n, Czech ch after h, German ä with a; English ignores
accents as it always has. A collection collates by the collection's `lang`, not its chapters'.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.core import model as m
from pressroom.reading.collection import read_collection
from pressroom.reading.index import sorted_entries
from pressroom.reading.reader import read

# (lang, film titles in the order the language files them): every title is its own sort key
ORDERS = {
    "sv": ["Alm", "Orm", "Zebra", "Åsa", "Ärt", "Öga"],
    "es": ["Nube", "Nudo", "Ñandú", "Ñu", "Oso"],
    "cs": ["Hrad", "Husa", "Chata", "Chudák", "Ivo"],
    "de": ["Affe", "Äpfel", "Ast", "Bär", "Birne"],
    "en-US": ["Eclair", "Éclair", "Eclipse", "Ode", "Ödön", "Oz"],
}


def _write_interview(folder: Path, titles: list[str], lang: str, name: str = "talk.md") -> Path:
    """An interview in `lang` that mentions each title once, and the films.yaml that defines them."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = [f"film-{i}" for i in range(len(titles))]
    (folder / "films.yaml").write_text(
        "".join(f"{key}:\n  title: \"{title}\"\n" for key, title in zip(keys, titles, strict=True)), encoding="utf-8")
    (folder / "people.yaml").write_text("{}\n", encoding="utf-8")
    mentions = " ".join(f"[{title}]{{.film key={key}}}." for key, title in zip(keys, titles, strict=True))
    source = folder / name
    source.write_text(
        f"---\ntitle: A Test Interview\nlang: {lang}\nspeakers:\n  Q: {{role: interviewer}}\n"
        f"  A: {{role: interviewee, name: Ann Example}}\n---\n\n::: interview\nQ: {mentions}\n\nA: Yes.\n:::\n",
        encoding="utf-8",
    )
    return source


def _filed(index: m.Index) -> list[str]:
    return [entry.sort_key for entry in index.films]


@pytest.mark.parametrize("lang", ORDERS)
def test_an_interviews_index_is_in_its_languages_order(tmp_path: Path, lang: str) -> None:
    expected = ORDERS[lang]
    doc = read(_write_interview(tmp_path, list(reversed(expected)), lang))
    assert doc.front.lang == lang
    assert _filed(doc.index) == expected


def test_the_same_titles_file_differently_in_swedish_and_in_english(tmp_path: Path) -> None:
    """Swedish Å Ä Ö are letters of their own after Z; in English they are A and O with accents."""
    titles = ["Zebra", "Öga", "Alm", "Åsa", "Orm", "Ärt"]
    swedish = read(_write_interview(tmp_path / "sv", titles, "sv"))
    english = read(_write_interview(tmp_path / "en", titles, "en"))
    assert _filed(swedish.index) == ["Alm", "Orm", "Zebra", "Åsa", "Ärt", "Öga"]
    assert _filed(english.index) == ["Alm", "Ärt", "Åsa", "Öga", "Orm", "Zebra"]


def test_a_collection_collates_by_its_own_language(tmp_path: Path) -> None:
    """An English interview in a Swedish collection: the book's index is in the book's language."""
    _write_interview(tmp_path, ["Zebra", "Åsa", "Alm"], "en")
    collection = tmp_path / "book.collection.yaml"
    collection.write_text("title: En bok\nlang: sv\ninterviews:\n  - talk.md\n", encoding="utf-8")
    book = read_collection(collection)
    assert book.front.lang == "sv" and book.chapters[0].front.lang == "en"
    assert _filed(book.index) == ["Alm", "Zebra", "Åsa"]


def _entry(key: str, sort_key: str) -> m.IndexEntry:
    return m.IndexEntry(key, sort_key, None, sort_key, ())


def test_entries_that_collate_alike_are_ordered_by_sort_key_then_key() -> None:
    """Case and accents decide only between otherwise equal keys, and then deterministically."""
    entries = [_entry("b", "Eclair"), _entry("a", "Eclair"), _entry("c", "eclair"), _entry("d", "Éclair")]
    for lang in ("en", "de", "sv"):
        ordered = sorted_entries(entries, lang)
        assert [e.key for e in ordered] == [e.key for e in sorted_entries(list(reversed(entries)), lang)]
        assert [e.key for e in ordered][:2] in (["c", "a"], ["a", "b"])  # lower case first (ICU's default)
        assert [e.key for e in ordered].index("a") < [e.key for e in ordered].index("b")


def test_an_inverted_heading_files_before_a_hyphenated_name() -> None:
    """The comma that ends the surname files right after the space: Day, Doris before Day-Lewis."""
    entries = [_entry("dl", "Day-Lewis, Daniel"), _entry("dd", "Day, Doris"), _entry("dt", "Day Tripper")]
    assert [e.sort_key for e in sorted_entries(entries, "en")] == ["Day Tripper", "Day, Doris", "Day-Lewis, Daniel"]


def test_an_unknown_or_malformed_language_collates_as_english() -> None:
    entries = [_entry(str(i), title) for i, title in enumerate(["Zebra", "Åsa", "Alm", "Öga"])]
    english = [e.sort_key for e in sorted_entries(entries, "en")]
    assert english == ["Alm", "Åsa", "Öga", "Zebra"]
    for lang in ("xx", "not a tag", ""):
        assert [e.sort_key for e in sorted_entries(entries, lang)] == english


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "letters"), [("de", ["A", "B"]), ("sv", ["A", "O", "Z", "Å", "Ä", "Ö"])])
def test_the_docx_index_heads_the_letters_the_language_has(tmp_path: Path, lang: str, letters: list[str]) -> None:
    """German Äpfel files under A; Swedish Å, Ä and Ö are letters with headings of their own."""
    import zipfile
    from xml.etree import ElementTree

    from typer.testing import CliRunner

    from pressroom.cli import app

    source = _write_interview(tmp_path, list(reversed(ORDERS[lang])), lang)
    result = CliRunner().invoke(app, ["build", "--to", "docx", "--out", str(tmp_path / "out"), str(source)])
    assert result.exit_code == 0, result.output
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(tmp_path / "out" / "talk.docx") as package:  # the index's cached letter headings
        body = ElementTree.fromstring(package.read("word/document.xml"))
    headings = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in body.iter(f"{w}p")
                if any(s.get(f"{w}val") == "IndexHeading" for s in p.iter(f"{w}pStyle"))]
    assert headings == letters
