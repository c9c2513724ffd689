"""An imported interview written as a pressroom source (format version 1, see README).

Text is escaped so that pandoc's `commonmark_x` reads back exactly the words
that were imported: no emphasis, link, smart quote, dash, list or math appears
that the input did not have. Film mentions are `[Title]{.film}`, with `key=`
when their text could name more than one film.
"""

from __future__ import annotations

import json
import re

from ..model import Emph, Inline, Mention, MentionKind, Strong, Text, plain_text
from ..registry import Registry
from .interview import ImportedInterview, Paragraph

_ALWAYS = set("\\*_`<$~^{}\"'@|")  # markup anywhere in a line in commonmark_x (smart quotes included)
_LINE_START = re.compile(r"(?:[#>+=:-]|\d+[.)])")  # a heading, quote, list, div fence ... when a line begins so
_SIMPLE_YAML = re.compile(r"[A-Za-z][A-Za-z0-9 .’-]*\Z")


def write_source(interview: ImportedInterview, registry: Registry) -> str:
    """The source text of `interview`: front matter, then the headnote, introduction and interview divs."""
    lines = ["---", f"title: {_yaml_string(_inlines(interview.title, registry))}"]
    if interview.subtitle:
        lines.append(f"subtitle: {_yaml_string(_inlines(interview.subtitle, registry))}")
    lines.append(f"lang: {interview.lang}")
    lines.append("speakers:")
    for speaker in interview.speakers:
        fields = [f"role: {speaker.role.value}"] + ([f"name: {_yaml_scalar(speaker.name)}"] if speaker.name else [])
        lines.append(f"  {_yaml_scalar(speaker.label)}: {{{', '.join(fields)}}}")
    lines += ["---", ""]
    for name, paragraphs in (("headnote", interview.headnote), ("introduction", interview.introduction)):
        if paragraphs:
            lines.append(f"::: {name}")
            lines.append("\n\n".join(_paragraph(p, registry) for p in paragraphs))
            lines += [":::", ""]
    lines.append("::: interview")
    turns = []
    for turn in interview.turns:
        first, *rest = turn.paragraphs or ((),)
        body = [f"{turn.label}: {_inlines(first, registry, at_line_start=False)}".rstrip()]
        turns.append("\n\n".join(body + [_paragraph(p, registry) for p in rest]))
    lines.append("\n\n".join(turns))
    lines.append(":::")
    return "\n".join(lines) + "\n"


def _paragraph(paragraph: Paragraph, registry: Registry) -> str:
    return _inlines(paragraph, registry, at_line_start=True)


def _inlines(inlines: Paragraph, registry: Registry, at_line_start: bool = False) -> str:
    parts = []
    for node in inlines:
        parts.append(_inline(node, registry, at_line_start and not parts))
    return "".join(parts)


def _inline(node: Inline, registry: Registry, at_line_start: bool) -> str:
    match node:
        case Text(text):
            return _text(text, at_line_start)
        case Emph(children):
            return f"*{_inlines(children, registry)}*"
        case Strong(children):
            return f"**{_inlines(children, registry)}**"
        case Mention(kind=kind, key=key, children=children):
            return f"[{_inlines(children, registry)}]{{{_mention_attrs(kind, key, plain_text(children), registry)}}}"
        case _:
            raise TypeError(f"source writer: cannot write {type(node).__name__} yet")


def _mention_attrs(kind: MentionKind, key: str, text: str, registry: Registry) -> str:
    """`.film`, with `key=` unless the text names this one entry and no other."""
    named = [entry.key for entry in registry.find(kind, text)]
    return f".{kind.span_class}" if named == [key] else f".{kind.span_class} key={key}"


def _text(text: str, at_line_start: bool) -> str:
    """`text` escaped for commonmark_x: it reads back as these very characters."""
    out = []
    for i, char in enumerate(text):
        after, before = text[i + 1 : i + 2], text[i - 1 : i]
        escape = (
            char in _ALWAYS
            or (char == "[" and after in ("^", "@"))
            or (char == "]" and after in ("(", "[", "{", ":"))
            or (char in "-." and char in (after, before))  # -- and ... would become dashes and an ellipsis
            or (char == "&" and re.match(r"&#?\w+;", text[i:]) is not None)  # an entity
            or (char == ":" and re.match(r":[\w+-]+:", text[i:]) is not None)  # an emoji code
        )
        out.append("\\" + char if escape else char)
    escaped = "".join(out)
    if at_line_start:
        start = _LINE_START.match(escaped)
        if start:  # "#", "> ", "- ", "1. ", ":::": escape the marker's last character
            end = start.end() - 1
            if escaped[end] != "\\" and (end == 0 or escaped[end - 1] != "\\"):
                escaped = escaped[:end] + "\\" + escaped[end:]
    return escaped


def _yaml_string(markdown: str) -> str:
    return json.dumps(markdown, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _yaml_scalar(text: str) -> str:
    return text if _SIMPLE_YAML.match(text) else json.dumps(text, ensure_ascii=False)
