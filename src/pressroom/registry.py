"""The film and people registries: `films.yaml` and `people.yaml` beside the sources.

A source's own `films:` / `people:` front-matter block adds entries; it may not
redefine one. A mention span is matched by `key=`, or by its text against each
entry's title (or name) and aliases, compared in `match_form`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node

from .errors import SourceError
from .model import Film, Person
from .yamltree import YamlFile

KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_LEADING_ARTICLES = ("the ", "a ", "an ")
_FILM_FIELDS = {"title", "year", "director", "sort", "aliases"}
_PERSON_FIELDS = {"name", "sort", "aliases"}


def match_form(text: str) -> str:
    """How span texts and names are compared: no editorial brackets, straight quotes, any case."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("[", "").replace("]", "").replace("…", "...")
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.split()).casefold()


def sort_form(sort_key: str) -> str:
    """How index entries are ordered: accents and case ignored, then the exact key as tie-break."""
    decomposed = unicodedata.normalize("NFKD", sort_key)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def default_film_sort(title: str) -> str:
    """'The Florida Project' sorts as 'Florida Project, The'."""
    for article in _LEADING_ARTICLES:
        if title.casefold().startswith(article) and len(title) > len(article):
            return f"{title[len(article):]}, {title[: len(article) - 1]}"
    return title


def default_person_sort(name: str) -> str:
    """'Yura Borisov' sorts as 'Borisov, Yura'."""
    first, _, last = name.rpartition(" ")
    return f"{last}, {first}" if first else name


@dataclass(frozen=True)
class Registry:
    """Films and people known to a source, with the place each was defined (for errors)."""

    films: dict[str, Film]
    people: dict[str, Person]
    defined_at: dict[tuple[str, str], str]  # ("film", key) -> "films.yaml:12"

    def film_for(self, text: str) -> list[Film]:
        wanted = match_form(text)
        return [f for f in self.films.values() if wanted in {match_form(n) for n in (f.title, *f.aliases)}]

    def person_for(self, text: str) -> list[Person]:
        wanted = match_form(text)
        return [p for p in self.people.values() if wanted in {match_form(n) for n in (p.name, *p.aliases)}]


def load_registry(folder: Path) -> Registry:
    """The registries shared by every source in `folder` (each file is optional)."""
    registry = Registry({}, {}, {})
    for name, kind in (("films.yaml", "film"), ("people.yaml", "person")):
        path = folder / name
        if not path.is_file():
            continue
        text = decode_utf8(path, path.read_bytes())
        yaml_file = YamlFile(path, text.split("\n"))
        root = yaml_file.parse(text)
        if root is not None:
            add_entries(registry, yaml_file, root, kind, origin=name)
    return registry


def add_entries(registry: Registry, yaml_file: YamlFile, node: Node, kind: str, origin: str) -> None:
    """Add the films or people of a YAML mapping (key -> entry) to `registry`."""
    table = registry.films if kind == "film" else registry.people
    for key, key_node, entry in yaml_file.mapping(node, f"the {kind} registry"):
        if not KEY_PATTERN.match(key):
            raise yaml_file.error(key_node, f"{kind} key '{key}' must be lowercase letters, digits and hyphens")
        if key in table:
            where = registry.defined_at[(kind, key)]
            raise yaml_file.error(key_node, f"{kind} key '{key}' is already defined in {where}")
        table[key] = _film(yaml_file, key, entry) if kind == "film" else _person(yaml_file, key, entry)
        registry.defined_at[(kind, key)] = f"{origin}:{yaml_file.first_line + key_node.start_mark.line}"


def _fields(yaml_file: YamlFile, entry: Node, key: str, allowed: set[str], kind: str) -> dict[str, Node]:
    fields = {}
    for name, name_node, value in yaml_file.mapping(entry, f"{kind} '{key}'"):
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise yaml_file.error(name_node, f"unknown field '{name}' in {kind} '{key}' (known: {known})")
        fields[name] = value
    return fields


def _film(yaml_file: YamlFile, key: str, entry: Node) -> Film:
    fields = _fields(yaml_file, entry, key, _FILM_FIELDS, "film")
    if "title" not in fields:
        raise yaml_file.error(entry, f"film '{key}' has no title")
    title = yaml_file.string(fields["title"], "a film title")
    return Film(
        key=key,
        title=title,
        year=yaml_file.integer(fields["year"], "a film's year") if "year" in fields else None,
        director=yaml_file.string(fields["director"], "a director") if "director" in fields else None,
        sort_key=yaml_file.string(fields["sort"], "a sort key") if "sort" in fields else default_film_sort(title),
        aliases=yaml_file.strings(fields["aliases"], "an alias") if "aliases" in fields else (),
    )


def _person(yaml_file: YamlFile, key: str, entry: Node) -> Person:
    fields = _fields(yaml_file, entry, key, _PERSON_FIELDS, "person")
    if "name" not in fields:
        raise yaml_file.error(entry, f"person '{key}' has no name")
    name = yaml_file.string(fields["name"], "a person's name")
    return Person(
        key=key,
        name=name,
        sort_key=yaml_file.string(fields["sort"], "a sort key") if "sort" in fields else default_person_sort(name),
        aliases=yaml_file.strings(fields["aliases"], "an alias") if "aliases" in fields else (),
    )


def decode_utf8(path: Path, data: bytes) -> str:
    """The text of a file, or an error at the first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise SourceError(path, line, column, f"not UTF-8 text (byte 0x{data[err.start]:02X})") from None
    return text.removeprefix("\ufeff")
