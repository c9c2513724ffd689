"""The YAML front matter: found, parsed with positions, checked and typed.

pressroom reads the front matter itself rather than through pandoc, so that
every problem in it has a line and column, and so that pandoc sees only the
body (with the front matter's lines blanked, to keep line numbers true).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from yaml.nodes import Node

from ..core.errors import SourceError
from ..core.isbn import isbn_of, isbn_problem
from ..core.model import MentionKind, Role, Speaker
from .registry import Registry, add_entries
from .yamltree import YamlFile

_FENCE = "---"
_CLOSERS = ("---", "...")
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
_KNOWN_KEYS = tuple((
    "title subtitle running-head lang date identifier isbn author publisher rights history keywords blurb speakers"
    " films people"
).split())


@dataclass
class FrontFields:
    """The front matter's values; title and subtitle are still Markdown, parsed with the body."""

    title: str
    title_node: Node
    subtitle: str | None = None
    subtitle_node: Node | None = None
    running_head: str | None = None  # the verso running head of the print edition, when the title is too long for one
    running_head_node: Node | None = None
    lang: str = "en"
    speakers: tuple[Speaker, ...] = ()
    date: date | None = None
    identifier: str = ""
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    rights: str | None = None
    history: tuple[str, ...] = ()
    keywords: tuple[str, ...] = field(default_factory=tuple)
    blurb: str | None = None  # the back cover's text, when not the headnote


def split_front_matter(path: Path, text: str) -> tuple[YamlFile, str, str]:
    """(where the YAML is, the YAML text, the body with the front matter's lines blanked)."""
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])  # LF only, as pandoc counts
    if not lines or lines[0].rstrip("\r\n").rstrip() != _FENCE:
        first = lines[0] if lines else None
        raise SourceError(path, 1, 1, "the source must begin with a YAML front matter block (---)", first)
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip("\r\n").rstrip() in _CLOSERS:
            yaml_text = "".join(lines[1 : number - 1])
            body = "\n" * number + "".join(lines[number:])
            return YamlFile(path, text.split("\n"), first_line=2), yaml_text, body
    raise SourceError(path, 1, 1, "the front matter opened here is never closed with ---", lines[0])


def language(yaml_file: YamlFile, node: Node) -> str:
    """A `lang` value, which must be a language tag."""
    lang = yaml_file.string(node, "lang")
    if not _LANG_TAG.match(lang):
        raise yaml_file.error(node, f"lang '{lang}' is not a language tag such as en or en-US")
    return lang


def read_front_matter(yaml_file: YamlFile, yaml_text: str, registry: Registry, stem: str) -> FrontFields:
    """Check the front matter and type its values; adds its films and people to `registry`."""
    root = yaml_file.parse(yaml_text)
    if root is None:
        raise SourceError(yaml_file.path, 1, 1, "the front matter is empty; it needs at least title and speakers")
    nodes = yaml_file.fields(root, "the front matter", "front matter", _KNOWN_KEYS, ("title", "speakers"))

    fields = FrontFields(title=yaml_file.string(nodes["title"], "the title"), title_node=nodes["title"])
    if "subtitle" in nodes:
        fields.subtitle = yaml_file.string(nodes["subtitle"], "the subtitle")
        fields.subtitle_node = nodes["subtitle"]
    if "running-head" in nodes:
        fields.running_head = yaml_file.string(nodes["running-head"], "the running head")
        fields.running_head_node = nodes["running-head"]
    if "lang" in nodes:
        fields.lang = language(yaml_file, nodes["lang"])
    fields.speakers = _speakers(yaml_file, nodes["speakers"])
    if "date" in nodes:
        fields.date = yaml_file.date(nodes["date"], "date")
    if "author" in nodes:
        fields.authors = yaml_file.strings(nodes["author"], "an author")
    for name in ("publisher", "rights"):
        if name in nodes:
            setattr(fields, name, yaml_file.string(nodes[name], name))
    if "history" in nodes:
        fields.history = yaml_file.strings(nodes["history"], "a line of history")
    if "keywords" in nodes:
        fields.keywords = yaml_file.strings(nodes["keywords"], "a keyword")
    if "blurb" in nodes:
        fields.blurb = yaml_file.string(nodes["blurb"], "the blurb")
    fields.identifier = book_identifier(yaml_file, nodes, stem, fields.title)
    for kind in MentionKind:
        if kind.front_matter_key in nodes:
            origin = f"{yaml_file.path.name} front matter"
            add_entries(registry, yaml_file, nodes[kind.front_matter_key], kind, origin=origin)
    return fields


def book_identifier(yaml_file: YamlFile, nodes: dict[str, Node], stem: str, title: str) -> str:
    """The book's identifier: its `identifier`, or its `isbn` as a URN (as a collection file gives it),
    or else a uuid made from the file's name and the title, stable across builds and machines (never random)."""
    if "identifier" in nodes and "isbn" in nodes:
        raise yaml_file.error(nodes["isbn"], "give either identifier or isbn, not both")
    if "identifier" in nodes:
        return checked_identifier(yaml_file, nodes["identifier"], "identifier")
    if "isbn" in nodes:
        return checked_identifier(yaml_file, nodes["isbn"], "the ISBN", prefix="urn:isbn:")
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"pressroom:{stem}:{title}"))


def checked_identifier(yaml_file: YamlFile, node: Node, what: str, prefix: str = "") -> str:
    """An identifier (`prefix` + the node's text); one that is an ISBN must be a valid one (its check digit
    right), since the cover prints it as a barcode."""
    identifier = prefix + yaml_file.string(node, what)
    isbn = isbn_of(identifier)
    problem = isbn_problem(isbn) if isbn is not None else None
    if problem:
        raise yaml_file.error(node, problem)
    return identifier


def _speakers(yaml_file: YamlFile, node: Node) -> tuple[Speaker, ...]:
    speakers = []
    for label, label_node, entry in yaml_file.mapping(node, "speakers"):
        if not label.strip() or ":" in label:
            raise yaml_file.error(label_node, f"speaker label '{label}' must be a non-empty name without ':'")
        role, name = None, None
        for field_name, field_node, value in yaml_file.mapping(entry, f"speaker '{label}'"):
            if field_name == "role":
                text = yaml_file.string(value, "a speaker's role")
                try:
                    role = Role(text)
                except ValueError:
                    raise yaml_file.error(value, f"role '{text}' must be interviewer or interviewee") from None
            elif field_name == "name":
                name = yaml_file.string(value, "a speaker's name")
            else:
                raise yaml_file.error(
                    field_node, f"unknown field '{field_name}' for speaker '{label}' (known: role, name)")
        if role is None:
            raise yaml_file.error(label_node, f"speaker '{label}' has no role (interviewer or interviewee)")
        speakers.append(Speaker(label=label, role=role, name=name))
    if not speakers:
        raise yaml_file.error(node, "speakers must declare at least one speaker")
    return tuple(speakers)
