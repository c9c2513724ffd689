"""The films `pressroom import` proposed and nobody has accepted yet: `DIR/films.proposed.yaml`
(written by importers/proposals.py). Read here too, so that `check` can say why it refuses a key."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import SourceError
from ..core.model import Film, MentionKind
from .registry import (
    KEY_PATTERN,
    MAX_REGISTRY_BYTES,
    Registry,
    decode_utf8,
    default_film_sort,
    heading_and_sort_key,
    read_limited,
)
from .yamltree import YamlFile

FILE = "films.proposed.yaml"


def load(folder: Path, registry: Registry) -> dict[str, Film]:
    """The proposals already in `folder/films.proposed.yaml`, added to `registry` so that the same
    italics are the same proposal; a key the registry holds is accepted, and skipped."""
    path = folder / FILE
    if not path.is_file():
        return {}
    text = decode_utf8(path, read_limited(path, "proposals file", MAX_REGISTRY_BYTES))
    yaml_file = YamlFile(path, text.split("\n"))
    root = yaml_file.parse(text)
    found: dict[str, Film] = {}
    if root is None:
        return found
    for key, key_node, entry in yaml_file.mapping(root, "the proposed films"):
        if not KEY_PATTERN.match(key):
            raise yaml_file.error(key_node, f"film key '{key}' must be lowercase letters, digits and hyphens")
        title = next((yaml_file.string(v, "a film title") for name, _, v in yaml_file.mapping(entry, f"film '{key}'")
                      if name == "title"), None)
        if title is None:
            raise yaml_file.error(entry, f"proposed film '{key}' has no title")
        if key in registry.entries[MentionKind.FILM]:
            continue
        heading, sort_key = heading_and_sort_key(None, default_film_sort(title))
        found[key] = Film(key=key, title=title, year=None, director=None, heading=heading, sort_key=sort_key)
        registry.entries[MentionKind.FILM][key] = found[key]
        registry.defined_at[(MentionKind.FILM, key)] = FILE
    return found


def refused_because_proposed(folder: Path, key: str) -> bool:
    """Whether `key` is a proposal in `folder` (for `check`'s message); a damaged file says no."""
    try:
        return key in load(folder, Registry())
    except SourceError:
        return False
