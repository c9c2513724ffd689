"""Hyphenation by language: in German every noun is capitalised, so a capitalised word is broken like any
other (long compounds must break), with German patterns, while names stay whole in every language."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyphen
import pytest

from pressroom.typeset.hyphenation import Names, bad_breaks, known_names, name_words
from pressroom.typeset.pagebreaks import HYPHEN

H = HYPHEN
DE = frozenset({("p-1", n) for n in range(40)})  # every word of p-1 is German

PEOPLE = """\
florian-donnersmarck:
  name: Florian Henckel von Donnersmarck
  sort: Donnersmarck, Florian Henckel von
  aliases: [Donnersmarck]
margarethe-trottenberger:
  name: Margarethe Trottenberger
  aliases: [Trottenberger]
"""
NAMES = ("Florian", "Henckel", "Donnersmarck", "Margarethe", "Trottenberger", "Redaktion")

SOURCE = """\
---
title: "Die Filmfestspiele"
subtitle: "Ein Gespräch über Kinematographie"
lang: de-DE
date: 2024-02-20
identifier: urn:pressroom:test-festspiele
publisher: Filmverlag Prüfstand
rights: "© 2024 Filmverlag Prüfstand."
speakers:
  Redaktion: {role: interviewer}
  Trottenberger: {role: interviewee, name: Margarethe Trottenberger}
---

::: headnote
Margarethe Trottenberger, Dokumentarfilmregisseurin und Kinematographiehistorikerin, spricht über \
Filmfestspiele, Donaudampfschifffahrtsgesellschaften und die Produktionsbedingungen ihrer Arbeit mit \
[Florian Henckel von Donnersmarck]{.person}.
:::

::: interview
Redaktion: Frau Trottenberger, Ihre Dokumentarfilmreihe über die Donaudampfschifffahrtsgesellschaft läuft auf \
allen Filmfestspielen. Wie kam es zu dieser Zusammenarbeit mit Donnersmarck?

Trottenberger: Die Produktionsgesellschaft suchte eine Kinematographiehistorikerin, und die \
Filmförderungsanstalt verlangte Wirtschaftlichkeitsberechnungen, Versicherungsbedingungen und \
Drehgenehmigungsverfahren. Donnersmarck hatte Verständnis für die Auseinandersetzungen mit der \
Landesrundfunkanstalt, die Fernsehredaktionsleiterin nicht. Die Kinematographie der Donaudampfschifffahrt ist \
eine Geschichte der Verantwortungslosigkeit und der Bürgerbeteiligungsverfahren, der Hafenverwaltungsbehörden \
und der Schifffahrtsgesellschaften.

Redaktion: Wie haben die Filmfestspiele reagiert?

Trottenberger: Die Auswahlkommission der Filmfestspiele lobte die Kameraführung, die Festivalleitung die \
Öffentlichkeitsarbeit, und Donnersmarck die Zusammenarbeit mit den Nachwuchsschauspielerinnen. Die \
Filmfestspielbesucherinnen und Filmfestspielbesucher diskutierten über Erinnerungskultur, \
Vergangenheitsbewältigung und Gegenwartsbezogenheit. Die Dokumentarfilmregisseurin in mir wollte die \
Donaudampfschifffahrtsgesellschaftskapitäne zeigen, die Produktionsgesellschaft wollte Unterhaltungswert. \
Trottenberger gegen Trottenberger, könnte man sagen, und Donnersmarck dazwischen, mit seinen \
Aufnahmegenehmigungen und Finanzierungsvereinbarungen.
:::
"""


# --- the rule, on laid-out lines ----------------------------------------------


def test_a_german_noun_is_broken_like_any_word() -> None:
    pages = [[("p-1", f"die Auswahlkommission der Filmfest{H}"), ("p-1", "spiele lobte die Kamera"), ("p-1", "und.")]]
    assert bad_breaks(pages, Names(capitalising=DE)) == set()
    assert bad_breaks(pages) == {("p-1", 3)}  # without its language, a capitalised word is a name: English unchanged


def test_a_name_from_the_registry_is_kept_whole_in_german_even_where_a_sentence_begins() -> None:
    known = Names(capitalising=DE, words=frozenset({"Donnersmarck"}))
    mid = [[("p-1", f"lobte die Arbeit, und Donners{H}"), ("p-1", "marck die Zusammenarbeit"), ("p-1", "mit.")]]
    start = [[("p-1", f"Drehgenehmigungsverfahren. Donners{H}"), ("p-1", "marck hatte Verständnis"), ("p-1", "für.")]]
    genitive = [[("p-1", f"die Arbeit von Donners{H}"), ("p-1", "marcks Kamera und mehr"), ("p-1", "als.")]]
    assert bad_breaks(mid, known) == {("p-1", 4)}
    assert bad_breaks(start, known) == {("p-1", 1)}
    assert bad_breaks(genitive, known) == {("p-1", 3)}


def test_a_word_in_a_mention_is_kept_whole_in_german() -> None:
    pages = [[("p-1", f"die Arbeit von Donners{H}"), ("p-1", "marck hatte eine Kamera"), ("p-1", "und.")]]
    assert bad_breaks(pages, Names(capitalising=DE, named=frozenset({("p-1", 3)}))) == {("p-1", 3)}


def test_only_the_broken_part_of_a_compound_counts_as_a_name() -> None:
    known = Names(capitalising=DE, words=frozenset({"Donnersmarck"}))
    pages = [[("p-1", f"die Donnersmarck-Filmfest{H}"), ("p-1", "spiele waren lang und"), ("p-1", "schön.")]]
    assert bad_breaks(pages, known) == set()


def test_known_names_reads_each_word_s_language_and_mentions_from_the_xhtml() -> None:
    xhtml = ('<html lang="en-US"><body><p id="p-1">The <span class="person">Karagulian</span> film</p>'
             '<section lang="de-DE"><p id="p-2"><span class="speaker">Redaktion:</span> Die Filmfestspiele'
             '<span class="footnote">Eine Notiz</span> und (<span class="person">Donnersmarck</span>)</p></section>'
             '<p id="p-3">Back <span lang="de">Filmfestspiele</span></p></body></html>')
    known = known_names(xhtml, {"Baker"})
    assert known.named == {("p-1", 1), ("p-2", 0), ("p-2", 4)}
    assert known.capitalising == {("p-2", n) for n in range(5)} | {("p-3", 1)}
    assert known.words == {"Baker"}


def test_name_words_are_the_people_s_names_and_the_speakers(doc) -> None:  # noqa: ANN001 - the canonical Document
    words = name_words(doc)
    assert {"Karagulian", "Karren", "Baker", "Sean", "Filmmaker", "Mikey"} <= words
    assert not {word for word in words if not word[:1].isupper()}


# --- a German book, laid out --------------------------------------------------


@pytest.fixture(scope="module")
def german_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A German interview set in a narrow measure (4 x 6 in)."""
    from typer.testing import CliRunner

    from pressroom.cli import app

    folder = tmp_path_factory.mktemp("german")
    (folder / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (folder / "festspiele.md").write_text(SOURCE, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(folder / "festspiele.md"), "--to", "pdf", "--trim", "4x6in",
                                      "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out" / "festspiele.pdf"


@pytest.fixture(scope="module")
def german(german_pdf: Path) -> list[str]:
    """The lines of its text block."""
    return subprocess.run(["pdftotext", "-raw", str(german_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def test_the_proof_takes_a_broken_german_noun_for_no_name(german_pdf: Path) -> None:
    """The preflight's rule of a capital knows the PDF's language: a German noun broken is no name split."""
    from pressroom.typeset.proof import proof

    assert [f for f in proof(german_pdf) if f.check == "split-capitalised-word"] == []


def _broken_words(lines: list[str]) -> list[tuple[str, str]]:
    """(before, after) the hyphen of each word broken at a line's end."""
    return [(re.sub(r"^\W+", "", line.split()[-1][:-1]), re.sub(r"\W+$", "", following.split()[0]))
            for line, following in zip(lines, lines[1:], strict=False) if line.endswith(H) and following.split()]


@pytest.mark.slow
def test_a_german_compound_noun_breaks_at_a_line_s_end(german: list[str]) -> None:
    nouns = [(before, after) for before, after in _broken_words(german)
             if before[:1].isupper() and before + after not in NAMES]
    assert nouns, german


@pytest.mark.slow
def test_german_is_hyphenated_with_german_patterns(german: list[str]) -> None:
    de, en = pyphen.Pyphen(lang="de_DE"), pyphen.Pyphen(lang="en_US")
    broken = _broken_words(german)
    assert all(len(before) in de.positions(before + after) for before, after in broken), broken
    assert any(len(before) not in en.positions(before + after) for before, after in broken), broken


@pytest.mark.slow
def test_no_name_from_the_registry_is_broken(german: list[str]) -> None:
    split = [(before, after) for before, after in _broken_words(german)
             if any((before + after).startswith(name) for name in NAMES)]
    assert not split, split
    assert sum(line.count("Donnersmarck") for line in german) >= 4  # the unmarked name is there, set whole
