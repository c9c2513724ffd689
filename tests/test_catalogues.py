"""The message catalogues (src/pressroom/locales): the template holds every message core/words.py marks,
each language translates every one of them with the same fields, and the words are said, joined, dated,
quoted and read back in the book's language; a language with no catalogue is English, with one warning."""

from __future__ import annotations

import logging
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import pressroom.core.words as words_module
from pressroom.core.words import (
    FIRST_PUBLISHED,
    INTERVIEW_BY,
    INTERVIEW_WITH,
    catalogue_for,
    catalogue_languages,
    words_for,
)
from pressroom.reading.reader import read

LOCALES = Path(words_module.__file__).parents[1] / "locales"
# the languages the issue asks for, besides English
REQUIRED = ("cs", "da", "de", "es", "fr", "it", "nb", "nl", "pl", "pt", "ru", "sv")


def _fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_the_template_holds_every_message_words_py_marks() -> None:
    """`make messages` has been run since the last message was added, changed or removed."""
    marked = {message for _, message, _, _ in extract_from_file("python", words_module.__file__)}
    with (LOCALES / "pressroom.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert marked == template


@pytest.mark.parametrize("lang", sorted({*REQUIRED, *catalogue_languages()}))
def test_each_language_translates_every_message_with_its_fields(lang: str) -> None:
    with (LOCALES / "pressroom.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    with (LOCALES / lang / "LC_MESSAGES" / "pressroom.po").open("rb") as po:
        catalogue = {m.id: m for m in read_po(po) if m.id}
    assert set(catalogue) == template
    for message in catalogue.values():
        assert message.string and not message.fuzzy, message.id
        assert _fields(message.string) == _fields(message.id), message.id
    assert lang in catalogue_languages()


@pytest.mark.parametrize(("tag", "catalogue"), [
    ("fr-CA", "fr"), ("de_AT", "de"), ("pt-BR", "pt"), ("no", "nb"), ("nb-NO", "nb"), ("en-GB", "en"),
    ("pt-PT", "pt_PT"), ("sr-Cyrl-RS", "sr"), ("cy", None), ("he", None),
])
def test_a_language_tag_finds_its_catalogue(tag: str, catalogue: str | None) -> None:
    assert catalogue_for(tag) == catalogue


def test_the_book_s_words_are_said_in_its_language() -> None:
    french, german, english = words_for("fr-FR"), words_for("de-DE"), words_for("en-GB")
    assert french.part("contents") != english.part("contents") == "Contents"
    assert german.part("film-index") != english.part("film-index") == "Index of Films"
    assert english.say(INTERVIEW_WITH, names=english.and_list(["A", "B", "C"])) == "An interview with A, B and C"
    assert german.and_list(["A", "B", "C"]) == "A, B und C"
    assert german.long_date(date(2025, 3, 3)) == "3. März 2025"
    assert words_for("cy").part("contents") == "Contents"  # no catalogue: English


@pytest.mark.parametrize("lang", sorted({*REQUIRED, *catalogue_languages(), "en-US"}))
def test_what_is_said_is_read_back(lang: str) -> None:
    """The DOCX importer reads a pressroom imprint and title page back in the language they were printed in."""
    words = words_for(lang)
    names = ["Ann Lee", "Bo Ma", "Cy Ng"]
    joined = words.and_list(names)
    assert words.names_of(joined) == names
    assert words.parse(INTERVIEW_BY, words.say(INTERVIEW_BY, names=joined)) == {"names": joined}
    assert words.field(INTERVIEW_WITH, "names", words.say(INTERVIEW_WITH, names="Ann Lee")) == "Ann Lee"
    day = words.long_date(date(2025, 3, 14))
    assert words.parse(FIRST_PUBLISHED, words.say(FIRST_PUBLISHED, date=day)) == {"date": day}


@pytest.mark.parametrize(("lang", "marks"), [
    ("en", "“”‘’"), ("de", "„“‚‘"), ("fr", "«\u202f\u202f»«\u202f\u202f»"), ("ru", "«»„“"), ("sv", "””’’"),
])
def test_quotation_marks_are_the_language_s(lang: str, marks: str) -> None:
    assert "".join(words_for(lang).quotes) == marks


def test_french_text_gets_narrow_no_break_spaces_where_it_has_plain_ones() -> None:
    french = words_for("fr")
    assert french.spaced("Pourquoi ? Parce que : « oui » ; non !") == (
        "Pourquoi\u202f? Parce que\u202f: «\u202foui\u202f»\u202f; non\u202f!")
    assert french.spaced("Pourquoi? 10:30") == "Pourquoi? 10:30"  # no space, none added
    assert words_for("en").spaced("Why ? Because") == "Why ? Because"
    assert (french.labelled("Q"), words_for("de").labelled("Q")) == ("Q\u202f:", "Q:")


def _source(tmp_path: Path, lang: str, body: str) -> Path:
    path = tmp_path / "source.md"
    front = f"title: Essai\nlang: {lang}\nspeakers:\n  Q: {{role: interviewer}}\n  A: {{role: interviewee}}\n"
    path.write_text(f"---\n{front}---\n\n::: interview\nQ: {body}\n\nA: Oui.\n:::\n", encoding="utf-8")
    return path


def test_a_source_s_quotes_and_spaces_are_set_in_its_language(tmp_path: Path) -> None:
    turn = read(_source(tmp_path, "fr-FR", 'Il dit "bonjour \'toi\'" ; pourquoi ?')).interview[0]
    assert turn.blocks[0].children[0].text == "Il dit «\u202fbonjour «\u202ftoi\u202f»\u202f»\u202f; pourquoi\u202f?"
    turn = read(_source(tmp_path, "de", 'Er sagt "hallo \'du\'".')).interview[0]
    assert turn.blocks[0].children[0].text == "Er sagt „hallo ‚du‘“."


def test_a_language_with_no_catalogue_is_english_with_one_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    read(_source(tmp_path, "cy", "Pam?"))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "'cy'" in warnings[0].getMessage()
    warnings[0].expected = True
    read(_source(tmp_path, "fr", "Pourquoi ?"))
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
