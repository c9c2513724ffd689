"""YAML read for untrusted sources: positions kept, aliases and duplicate keys refused.

PyYAML's composer gives nodes that know their line and column; we read values
off those nodes ourselves, so every problem in front matter or a registry is
reported at its place. Aliases are refused outright (no alias bombs), and so
are duplicate keys (YAML silently keeps the last one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.errors import SourceError


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(AliasEvent):
            event = self.peek_event()
            mark = event.start_mark
            raise _AliasRefused(mark)
        return super().compose_node(parent, index)


class _AliasRefused(Exception):
    def __init__(self, mark):  # noqa: ANN001
        self.mark = mark


@dataclass(frozen=True)
class YamlFile:
    """Where a YAML text comes from, to turn node marks into `file:line:col` errors."""

    path: Path
    lines: list[str]
    first_line: int = 1  # line of the file where the YAML text begins

    def error(self, node_or_mark, message: str) -> SourceError:  # noqa: ANN001
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        line = self.first_line + mark.line
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return SourceError(self.path, line, mark.column + 1, message, text)

    def parse(self, text: str) -> Node | None:
        """The root node of `text`, or None when it is empty."""
        try:
            return yaml.compose(text, Loader=_NoAliasLoader)
        except _AliasRefused as refused:
            raise self.error(refused.mark, "YAML aliases (*name) are not allowed here") from None
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            if err.context_mark and any(end in (err.problem or "") for end in ("end of stream", "stream end")):
                mark = err.context_mark  # an unclosed quote or bracket: point where it opens
            problem = err.problem or err.context or "malformed YAML"
            raise self.error(mark, f"malformed YAML: {problem}") from None
        except yaml.reader.ReaderError as err:  # a character YAML does not allow
            before = text[: err.position]
            line = self.first_line + before.count("\n")
            column = err.position - (before.rfind("\n") + 1) + 1
            message = f"YAML does not allow the character U+{err.character:04X} here"
            raise SourceError(self.path, line, column, message, self.lines[line - 1]) from None

    # --- reading values off nodes -------------------------------------------

    def mapping(self, node: Node, what: str) -> list[tuple[str, Node, Node]]:
        """(key, key node, value node) for each entry of a mapping with string keys, unique."""
        if not isinstance(node, MappingNode):
            raise self.error(node, f"{what} must be a mapping (key: value)")
        seen: dict[str, Node] = {}
        entries = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.error(key_node, f"a key in {what} must be plain text")
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark.line + self.first_line
                raise self.error(key_node, f"duplicate key '{key}' in {what} (first at line {first})")
            seen[key] = key_node
            entries.append((key, key_node, value_node))
        return entries

    def fields(self, node: Node, what: str, kind: str, known: Sequence[str],
               required: Sequence[str]) -> dict[str, Node]:
        """The value node of each key of a top-level mapping (`what`: "the front matter"), every key
        one of `known` and every one of `required` there; `kind` names the keys ("front matter")."""
        nodes: dict[str, Node] = {}
        for key, key_node, value in self.mapping(node, what):
            if key not in known:
                raise self.error(key_node, f"unknown {kind} key '{key}' (known: {', '.join(known)})")
            nodes[key] = value
        for name in required:
            if name not in nodes:
                raise self.error(node, f"{what} has no '{name}'")
        return nodes

    def string(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag.endswith((":null", ":bool")):
            raise self.error(node, f"{what} must be text")
        text = str(node.value).strip()
        if not text:
            raise self.error(node, f"{what} must not be empty")
        bad = next((c for c in text if _is_control(c)), None)
        if bad is not None:
            raise self.error(node, f"{what} contains the control character U+{ord(bad):04X}")
        return text

    def strings(self, node: Node, what: str) -> tuple[str, ...]:
        """One string or a list of them (front matter allows both)."""
        if isinstance(node, SequenceNode):
            return tuple(self.string(item, what) for item in node.value)
        return (self.string(node, what),)

    def integer(self, node: Node, what: str) -> int:
        if not isinstance(node, ScalarNode) or not node.tag.endswith(":int"):
            raise self.error(node, f"{what} must be a whole number")
        return int(node.value)

    def date(self, node: Node, what: str) -> date:
        if isinstance(node, ScalarNode):
            try:
                return date.fromisoformat(str(node.value).strip())
            except ValueError:
                pass
        raise self.error(node, f"{what} must be a date written YYYY-MM-DD")


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 and char not in "\t\n" or 0x7F <= code < 0xA0
