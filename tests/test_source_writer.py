"""`writers/source.py`: every fixture source, read, written and read again, is the same model.

The model is compared in everything but where things stand in the file (the
positions of mentions, for error messages) and the source text itself.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE, without_positions
from pressroom.core import model as m
from pressroom.reading.reader import read
from pressroom.reading.registry import load_registry
from pressroom.writers.source import write_source

TESTS = ROOT / "tests"
FIXTURES = [
    SOURCE,
    *sorted((TESTS / "books").glob("*.md")),
    TESTS / "golden" / "craft.md",
    *sorted((TESTS / "cases").glob("*/source.md")),
]


def _ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _round_trip(source: Path, folder: Path) -> tuple[m.Document, m.Document, str]:
    """(the model of `source`, the model of its written source, that text), written beside its registries."""
    doc = read(source)
    folder.mkdir(parents=True, exist_ok=True)
    for registry in source.parent.glob("*.yaml"):
        shutil.copy(registry, folder)
    text = write_source(doc, load_registry(folder).entries)
    written = folder / source.name
    written.write_text(text, encoding="utf-8")
    return doc, read(written), text


@pytest.mark.parametrize("source", FIXTURES, ids=_ids)
def test_a_source_written_from_its_model_reads_back_as_the_same_model(source: Path, tmp_path: Path) -> None:
    doc, again, text = _round_trip(source, tmp_path / "out")
    assert without_positions(again) == without_positions(doc), text


@pytest.mark.parametrize("source", FIXTURES, ids=_ids)
def test_writing_a_written_source_again_changes_nothing(source: Path, tmp_path: Path) -> None:
    _, again, text = _round_trip(source, tmp_path / "out")
    assert write_source(again, load_registry(tmp_path / "out").entries) == text


def test_generated_interviews_round_trip(tmp_path: Path) -> None:
    generated = tmp_path / "generated"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(generated), "--count", "2",
                    "--words", "1500", "--seed", "7"], check=True)
    for source in sorted(generated.glob("*.md")):
        doc, again, text = _round_trip(source, tmp_path / "out")
        assert without_positions(again) == without_positions(doc), text


def test_a_source_without_the_folders_registry_carries_its_entries_in_the_front_matter(tmp_path: Path) -> None:
    case = TESTS / "cases" / "front-matter-films" / "source.md"
    doc = read(case)
    text = write_source(doc, {})  # a folder with no films.yaml or people.yaml
    (tmp_path / "source.md").write_text(text, encoding="utf-8")
    again = read(tmp_path / "source.md")
    assert "films:\n  anora:" in text and "sort: \"Mepris, Le\"" in text
    assert without_positions(again) == without_positions(doc)


def test_a_mention_whose_text_names_another_entry_keeps_its_key(tmp_path: Path) -> None:
    case = TESTS / "cases" / "person-bracket" / "source.md"
    text = write_source(read(case))
    assert "[Sam [Samantha Quan]]{.person key=samantha-quan}" in text
    assert "[Yuri [Borisov]]{.person}" in text  # the registry finds it by its text: no key needed


EVERY_NODE = r"""---
title: "A *Test* of [Every]{.smallcaps} Node"
subtitle: "With **strong** words and `code`"
running-head: "Every Node"
lang: en-GB
date: 2024-01-31
identifier: "urn:isbn:9780000000002"
author: [Jane Doe, "No"]
publisher: "A Press"
rights: "© 2024: all rights reserved."
history:
  - "First written for the tests."
keywords: [a, "b: c"]
speakers:
  Q: {role: interviewer, name: "Yes"}
  Baker: {role: interviewee}
---

::: headnote
A headnote with a [link](https://example.com/a_(b)) and <https://example.com>, a line\
break, and \# a hash, \*stars\*, 1\. a number, \[brackets\] and [balanced] ones.
:::

::: introduction
> A quotation with [Anora]{.film}
>
> > and a nested one.

- a list
- of [Tangerine]{.film} and
  two lines

3. an ordered
4. list

```
code with ``` in it
```

Text with \"straight\" quotes, \-\- dashes, a\.\.\. dot, ``a `tick` code``, $5 and \~tilde\~ \^caret\^.[^n]
:::

::: interview
## A subhead with a closing \#

Q: **Bold** first, *then* ***both*** and _under_.

> A quotation inside a turn.

- a list inside it

Baker: An answer.[^m]

* * *

Q: After the break.

Baker:
:::

[^n]: A note with a list:

    - one
    - two

[^m]: And a quote:

    > quoted
"""


def test_every_kind_of_node_round_trips(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for registry in SOURCE.parent.glob("*.yaml"):
        shutil.copy(registry, folder)
    (folder / "every.md").write_text(EVERY_NODE, encoding="utf-8")
    doc, again, text = _round_trip(folder / "every.md", tmp_path / "out")
    assert without_positions(again) == without_positions(doc), text
    kinds = {type(node).__name__ for node in _walk(doc)}
    assert {"BlockQuote", "ListBlock", "CodeBlock", "Code", "Link", "LineBreak", "SmallCaps", "Strong", "Emph",
            "NoteRef", "Heading", "Rule", "Mention", "Turn"} <= kinds
    assert doc.front.authors == ("Jane Doe", "No") and doc.front.speakers[0].name == "Yes"


def _walk(value: object):  # noqa: ANN202
    """Every model node inside `value`."""
    if isinstance(value, tuple):
        for item in value:
            yield from _walk(item)
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        yield value
        for name in value.__dataclass_fields__:
            if name not in ("registry", "index"):
                yield from _walk(getattr(value, name))


def test_emphasis_pandoc_would_read_as_text_is_refused() -> None:
    doc = read(SOURCE)
    para = m.Para((m.Text("word"), m.Emph((m.Text("“quoted”"),)), m.Text(" x")))
    with pytest.raises(ValueError, match="emphasis on '“quoted”'"):
        write_source(dataclasses.replace(doc, headnote=(para,)))


def test_the_written_canonical_source_builds_the_same_pdf_text(editions: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pressroom.cli import app

    _, _, text = _round_trip(SOURCE, tmp_path / "out")
    result = CliRunner().invoke(
        app, ["build", str(tmp_path / "out" / SOURCE.name), "--to", "pdf", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output

    def pdf_text(pdf: Path) -> str:
        return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    assert pdf_text(tmp_path / f"{SOURCE.stem}.pdf") == pdf_text(editions / f"{SOURCE.stem}.pdf")
