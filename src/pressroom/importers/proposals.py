"""New films proposed from italics that name no film of the registry: `DIR/films.proposed.yaml`.

An editor sets film titles in italics, so an italic phrase shaped like a title ("The Sweet
East": its first word and every word but the small ones capitalised) that names no film is
probably a film the registry lacks. It is proposed, not registered: the source marks it
`[The Sweet East]{.film key=the-sweet-east}`, `films.proposed.yaml` gets an entry with the
title and `year:` and `director:` left empty, and `check` refuses the source until a person has
filled them in and moved the entry to `films.yaml` (or, when it is no film, unmarked it). Italics
of any other shape (emphasis, "*really*"; a sentence; a foreign phrase in lower case) stay
italics with a note: precision before recall.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from ..core.model import Film, MentionKind
from ..reading.proposed import FILE
from ..reading.registry import (
    Registry,
    default_film_sort,
    heading_and_sort_key,
)

_MINOR = frozenset(
    "a an the and but or nor for so yet as at by in of off on onto out per to up via with from into over upon than"
    " till until without within de del der des di du el la las le les lo los und van von y".split()
)
_EMPHASISED = frozenset(
    "i you he she it we they me him her us them this that these those what who why how when where yes no not never"
    " always all every one is was are were do did so very really just only here there now then".split()
)
_HEADER = (
    "# Films pressroom import found in italics that name no film in films.yaml.\n"
    "# For each: fill in year and director and move the entry to films.yaml; the sources\n"
    "# that mark it are refused by `pressroom check` until then. One that is no film:\n"
    "# delete it here and write its mentions as italics (*Title*) in the source.\n"
)


def title_shaped(words: str) -> bool:
    """A film title as an editor capitalises it: the first word and every word but the small ones."""
    tokens = re.findall(r"[^\W_][\w’'.-]*", words)
    if not tokens or len(tokens) > 12 or not (tokens[0][0].isupper() or tokens[0][0].isdigit()):
        return False
    if len(tokens) == 1 and (tokens[0].casefold() in _MINOR or tokens[0].casefold() in _EMPHASISED):
        return False  # "*That* was the moment": a stressed word, not a title
    return all(t[0].isupper() or t[0].isdigit() or t.casefold() in _MINOR for t in tokens[1:])


def proposable(words: str, registry: Registry) -> bool:
    """Italic words to propose as a film: shaped like a title, in an archive that keeps a film registry
    (one with no films.yaml indexes no films, so its italics stay italics and nothing blocks its build)."""
    return bool(registry.entries[MentionKind.FILM]) and title_shaped(words)


def proposed_film(words: str, registry: Registry) -> Film:
    """A new film for `words`, its key made from them and not yet taken in `registry` (which it joins,
    so the same words propose the same film again and no two proposals share a key)."""
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode().casefold()
    stem = "-".join(re.findall(r"[a-z0-9]+", ascii_words)) or "film"
    films = registry.entries[MentionKind.FILM]
    key, n = stem, 1
    while key in films:
        n += 1
        key = f"{stem}-{n}"
    heading, sort_key = heading_and_sort_key(None, default_film_sort(words))
    film = Film(key=key, title=words, year=None, director=None, heading=heading, sort_key=sort_key)
    films[key] = film
    registry.defined_at[(MentionKind.FILM, key)] = FILE
    return film


def message(words: str, key: str) -> str:
    return (f"italic '{words}' names no film in films.yaml: marked key={key} and proposed in {FILE}; "
            "`check` refuses the source until it is accepted there (year, director) and moved to films.yaml")


def appended(path: Path, films: list[Film]) -> str:
    """The proposals file with `films` added after what it holds (a person's edits kept), or a new
    one that begins with the instructions."""
    before = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    entries = "".join(f"{film.key}:\n  title: {json.dumps(film.title, ensure_ascii=False)}\n  year:\n  director:\n"
                      for film in films)
    return before + ("" if before.endswith("\n") or not before else "\n") + entries
