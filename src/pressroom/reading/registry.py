"""The film and people registries: `films.yaml` and `people.yaml` beside the sources.

A source's own `films:` / `people:` front-matter block adds entries; it may not
redefine one. A mention span is matched by `key=`, or by its text against each
entry's title (or name) and aliases, compared in `match_form`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from yaml.nodes import Node

from ..core.errors import SourceError
from ..core.model import Entry, Film, MentionKind, Person
from .numerals import spell_numerals
from .yamltree import YamlFile

KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_LEADING_ARTICLES = ("the ", "a ", "an ")
_FILM_FIELDS = frozenset({"title", "year", "director", "sort", "aliases"})
_PERSON_FIELDS = frozenset({"name", "sort", "aliases"})
MAX_REGISTRY_BYTES = 2 * 1024 * 1024  # as for a source: thousands of entries, and hostile files fail fast


def match_form(text: str) -> str:
    """How span texts and names are compared: no editorial brackets, straight quotes, any case."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("[", "").replace("]", "").replace("…", "...")
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.split()).casefold()


def sort_form(sort_key: str) -> str:
    """A sort key with accents and case taken off: how English files its index entries, letter for letter
    (the index itself is collated in the book's language: see `collation`)."""
    decomposed = unicodedata.normalize("NFKD", sort_key)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def heading_and_sort_key(explicit: str | None, default_heading: str) -> tuple[str, str]:
    """An entry's printed heading and filing key: an explicit `sort:` is both, as written (it always
    wins); else the default heading, filed with its numerals spelled out ("8½" under E, Chicago 16.66)."""
    if explicit is not None:
        return explicit, explicit
    return default_heading, spell_numerals(default_heading)


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
    """The entries of every mention kind known to a source, with where each was defined (for errors)."""

    entries: dict[MentionKind, dict[str, Entry]] = field(default_factory=lambda: {kind: {} for kind in MentionKind})
    defined_at: dict[tuple[MentionKind, str], str] = field(default_factory=dict)  # (kind, key) -> "films.yaml:12"

    def find(self, kind: MentionKind, text: str) -> list[Entry]:
        """The entries of `kind` that `text` names, by title or name or alias."""
        wanted = match_form(text)
        return [e for e in self.entries[kind].values() if wanted in {match_form(n) for n in e.names}]


def registry_files(folder: Path) -> list[tuple[MentionKind, Path]]:
    """The registry files beside the sources of `folder` (each is optional), with their kinds."""
    return [(kind, folder / kind.registry_file) for kind in MentionKind if (folder / kind.registry_file).is_file()]


def load_registry(folder: Path) -> Registry:
    """The registries shared by every source in `folder`."""
    registry = Registry()
    for kind, path in registry_files(folder):
        text = read_utf8(path, "registry", MAX_REGISTRY_BYTES)
        yaml_file = YamlFile(path, text.split("\n"))
        root = yaml_file.parse(text)
        if root is not None:
            add_entries(registry, yaml_file, root, kind, origin=kind.registry_file)
    return registry


def add_entries(registry: Registry, yaml_file: YamlFile, node: Node, kind: MentionKind, origin: str) -> None:
    """Add the entries of one kind from a YAML mapping (key -> entry) to `registry`."""
    table = registry.entries[kind]
    noun = kind.span_class
    for key, key_node, entry in yaml_file.mapping(node, f"the {noun} registry"):
        if not KEY_PATTERN.match(key):
            raise yaml_file.error(key_node, f"{noun} key '{key}' must be lowercase letters, digits and hyphens")
        if key in table:
            where = registry.defined_at[(kind, key)]
            raise yaml_file.error(key_node, f"{noun} key '{key}' is already defined in {where}")
        table[key] = _READERS[kind](yaml_file, key, entry)
        registry.defined_at[(kind, key)] = f"{origin}:{yaml_file.first_line + key_node.start_mark.line}"


def _fields(yaml_file: YamlFile, entry: Node, key: str, allowed: set[str], noun: str) -> dict[str, Node]:
    fields = {}
    for name, name_node, value in yaml_file.mapping(entry, f"{noun} '{key}'"):
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise yaml_file.error(name_node, f"unknown field '{name}' in {noun} '{key}' (known: {known})")
        fields[name] = value
    return fields


def _film(yaml_file: YamlFile, key: str, entry: Node) -> Film:
    fields = _fields(yaml_file, entry, key, _FILM_FIELDS, MentionKind.FILM.span_class)
    if "title" not in fields:
        raise yaml_file.error(entry, f"film '{key}' has no title")
    title = yaml_file.string(fields["title"], "a film title")
    explicit = yaml_file.string(fields["sort"], "a sort key") if "sort" in fields else None
    heading, sort_key = heading_and_sort_key(explicit, default_film_sort(title))
    return Film(
        key=key,
        title=title,
        year=yaml_file.integer(fields["year"], "a film's year") if "year" in fields else None,
        director=yaml_file.string(fields["director"], "a director") if "director" in fields else None,
        heading=heading,
        sort_key=sort_key,
        aliases=yaml_file.strings(fields["aliases"], "an alias") if "aliases" in fields else (),
    )


def _person(yaml_file: YamlFile, key: str, entry: Node) -> Person:
    fields = _fields(yaml_file, entry, key, _PERSON_FIELDS, MentionKind.PERSON.span_class)
    if "name" not in fields:
        raise yaml_file.error(entry, f"person '{key}' has no name")
    name = yaml_file.string(fields["name"], "a person's name")
    explicit = yaml_file.string(fields["sort"], "a sort key") if "sort" in fields else None
    heading, sort_key = heading_and_sort_key(explicit, default_person_sort(name))
    return Person(
        key=key,
        name=name,
        heading=heading,
        sort_key=sort_key,
        aliases=yaml_file.strings(fields["aliases"], "an alias") if "aliases" in fields else (),
    )


_READERS = MappingProxyType({MentionKind.FILM: _film, MentionKind.PERSON: _person})  # how each kind's entries are read


def read_utf8(path: Path, what: str, limit: int) -> str:
    """The text of a source or registry file; an error at 1:1 if it cannot be read or is over `limit` bytes."""
    return decode_utf8(path, read_limited(path, what, limit))


def read_limited(path: Path, what: str, limit: int) -> bytes:
    """The bytes of an input file; an error at 1:1 if it cannot be read or is over `limit` bytes."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceError(path, 1, 1, f"the {what} is {size:,} bytes; pressroom reads at most {limit:,}")
        return path.read_bytes()
    except OSError as err:
        raise SourceError(path, 1, 1, f"cannot read the {what}: {err.strerror}") from None


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
