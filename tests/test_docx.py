"""The DOCX writer: the canonical source built once, its bytes checked by properties."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree as ET

import pypandoc
import pytest

from conftest import SOURCE, missing_in_order, words

from pressroom import model as m
from pressroom.errors import OutputError
from pressroom.options import BuildOptions
from pressroom.writers import docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STAMP = datetime(2025, 3, 3, 12, 30, tzinfo=timezone.utc)
XE = re.compile(r'^ XE "((?:[^"\\]|\\.)*)" \\f "(\w)" $')


@pytest.fixture(scope="module")
def options() -> BuildOptions:
    return BuildOptions(timestamp=STAMP)


@pytest.fixture(scope="module")
def built(doc, options, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "sean-baker-anora.docx"
    docx.write(doc, out, options)
    return out


def _part(path: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        return ET.fromstring(z.read(name))


def _instructions(path: Path) -> list[str]:
    """Every field instruction in the body and the footnotes."""
    with zipfile.ZipFile(path) as z:
        names = [n for n in ("word/document.xml", "word/footnotes.xml") if n in z.namelist()]
        return [e.text or "" for n in names for e in ET.fromstring(z.read(n)).iter(f"{W}instrText")]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_text_holds_every_word_of_the_source_in_order(built):
    body = _part(built, "word/document.xml")
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    words = "\n".join(paragraphs).split()
    expected = pypandoc.convert_file(str(SOURCE), "plain", format="commonmark_x", extra_args=["--wrap=none"]).split()
    assert len(expected) > 3000
    remaining = iter(words)
    missing = [word for word in expected if not any(word == w for w in remaining)]
    assert not missing, f"first word not found in order: {missing[0]!r}"


def test_named_styles_survive_a_round_trip_through_pandoc(built):
    ast = json.loads(pypandoc.convert_file(str(built), "json", format="docx+styles"))
    styled: dict[str, set[str]] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") in ("Span", "Div"):
                attrs = dict(node["c"][0][2])
                if "custom-style" in attrs:
                    styled.setdefault(attrs["custom-style"], set()).add(_plain(node["c"][1]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast["blocks"])
    assert "Filmmaker:" in styled["Speaker"]
    assert "Baker:" in styled["Speaker"]
    assert {"Anora", "The Florida Project", "Starlet"} <= styled["Film Title"]
    assert "Mikey Madison" in styled["Person"]
    for paragraph_style in ("Question", "Answer", "Headnote", "Introduction", "Imprint"):
        assert paragraph_style in styled, paragraph_style


def _plain(inlines) -> str:
    out = []
    for node in inlines:
        match node.get("t"):
            case "Str":
                out.append(node["c"])
            case "Space" | "SoftBreak":
                out.append(" ")
            case "Span":
                out.append(_plain(node["c"][1]))
            case "Emph" | "Strong":
                out.append(_plain(node["c"]))
            case "Para" | "Plain":
                out.append(_plain(node["c"]))
    return "".join(out)


def test_each_turn_is_a_question_or_an_answer_by_its_speakers_role(editions, source_turns):
    """pandoc reads the built DOCX back: a turn's labelled paragraph is in its role's paragraph style."""
    ast = json.loads(pypandoc.convert_file(str(editions / "sean-baker-anora.docx"), "json", format="docx+styles"))
    labels = {label for label, _ in source_turns}
    found = []

    def walk(node, styles: tuple[str, ...]) -> None:
        if isinstance(node, list):
            for value in node:
                walk(value, styles)
        elif isinstance(node, dict) and node.get("t") == "Div":
            style = dict(node["c"][0][2]).get("custom-style")
            walk(node["c"][1], styles + ((style,) if style in ("Question", "Answer") else ()))
        elif isinstance(node, dict) and node.get("t") == "Para":
            label, _, rest = _plain(node["c"]).partition(":")
            if label in labels and rest[:1].isspace():
                found.append((label, styles))
        elif isinstance(node, dict):
            walk(list(node.values()), styles)

    walk(ast["blocks"], ())
    assert found == [(label, ("Question" if role == "interviewer" else "Answer",)) for label, role in source_turns]


def test_every_mention_has_its_xe_field_and_the_fields_are_complete(built, doc):
    instructions = _instructions(built)
    marked = Counter()
    for instruction in instructions:
        if instruction.startswith(" XE "):
            found = XE.match(instruction)
            assert found, instruction
            marked[found[2], _unescape(found[1])] += 1

    expected = Counter()
    for entry in doc.index.films:
        year = doc.films[entry.key].year
        expected["f", f"{entry.heading} ({year})" if year else entry.heading] += len(entry.locators)
    for entry in doc.index.people:
        expected["n", entry.heading] += len(entry.locators)
    assert marked == expected
    assert sum(marked.values()) == sum(len(e.locators) for e in doc.index.films + doc.index.people)

    assert [i for i in instructions if i.strip().startswith("TOC ")] == [' TOC \\o "1-3" \\h ']
    indexes = [i.strip() for i in instructions if i.strip().startswith("INDEX ")]
    assert len(indexes) == 2
    assert '\\f "f"' in indexes[0] and '\\f "n"' in indexes[1]


def test_the_title_page_holds_no_xe_field_and_the_headline_marks_the_titles_mentions(built, doc):
    """Display front matter is not indexed: the XE fields of the title's mentions are in the
    headline that opens the text, as the PDF and EPUB locate them."""
    body = _part(built, "word/document.xml")
    paragraphs = list(body.iter(f"{W}p"))

    def xe_fields(paragraph: ET.Element) -> list[str]:
        return [t.text for t in paragraph.iter(f"{W}instrText") if t.text.startswith(" XE ")]

    for paragraph in paragraphs:
        if _style(paragraph) in ("Title", "Subtitle"):
            assert not xe_fields(paragraph), _style(paragraph)
    headline = next(p for p in paragraphs if _style(p) == "Heading1")
    in_headline = sum(1 for e in doc.index.films + doc.index.people for loc in e.locators if loc.part == "headline")
    assert in_headline and len(xe_fields(headline)) == in_headline
    assert any('"Anora (2024)"' in field for field in xe_fields(headline))


def test_index_fields_carry_a_readable_cached_result(built, doc):
    body = _part(built, "word/document.xml")
    entries = ["".join(t.text for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p") if _style(p) == "Index1"]
    assert entries == [f"{e.heading} ({e.detail})" for e in doc.index.films] + [e.heading for e in doc.index.people]
    assert "Florida Project, The (2017, Sean Baker)" in entries


def _style(paragraph: ET.Element) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(f"{W}val")


def test_title_page_and_core_properties(built, doc):
    body = _part(built, "word/document.xml")
    by_style = {}
    for p in body.iter(f"{W}p"):
        by_style.setdefault(_style(p), []).append("".join(t.text or "" for t in p.iter(f"{W}t")))
    assert by_style["Title"] == ["“There’s Only One Life, and I Believe in Tarantino’s Idea of a Strong, Solid Filmography”"]
    assert by_style["Subtitle"] == ["Sean Baker on His Oscar-Winning Anora"]
    assert by_style["Author"] == ["An interview with Sean Baker"]
    assert "Typeset with pressroom" in by_style["Imprint"]
    assert "Filmmaker Magazine" in by_style["Imprint"]

    core = _part(built, "docProps/core.xml")
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
    assert core.findtext("dc:title", namespaces=ns).startswith("“There’s Only One Life")
    assert core.findtext("dc:creator", namespaces=ns) == "Sean Baker"
    assert core.findtext("dc:subject", namespaces=ns) == "Sean Baker on His Oscar-Winning Anora"
    assert core.findtext("dc:language", namespaces=ns) == "en-US"
    assert "independent film" in core.findtext("{*}keywords")
    assert core.findtext("dcterms:created", namespaces=ns) == "2025-03-03T12:30:00Z"
    assert core.findtext("dcterms:modified", namespaces=ns) == "2025-03-03T12:30:00Z"


def test_two_writes_give_identical_bytes(built, doc, options, tmp_path):
    again = tmp_path / "again.docx"
    docx.write(doc, again, options)
    assert again.read_bytes() == built.read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {info.date_time for info in z.infolist()} == {(2025, 3, 3, 12, 30, 0)}
    assert [p.name for p in tmp_path.iterdir()] == ["again.docx"]  # no temporary file left behind


def test_zip_entry_dates_are_clamped_to_1980(doc, tmp_path):
    out = tmp_path / "old.docx"
    docx.write(doc, out, BuildOptions(timestamp=datetime(1970, 1, 1, tzinfo=timezone.utc)))
    with zipfile.ZipFile(out) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"1970-01-01T00:00:00Z" in z.read("docProps/core.xml")  # only zip entries need clamping


def test_every_xml_part_parses(built):
    with zipfile.ZipFile(built) as z:
        parts = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
        assert "word/document.xml" in parts and "word/styles.xml" in parts
        for name in parts:
            ET.fromstring(z.read(name))


def test_reference_document_defines_the_named_styles(options):
    styles = _part(options.styles_dir / "reference.docx", "word/styles.xml")
    kinds = {s.find(f"{W}name").get(f"{W}val"): s.get(f"{W}type") for s in styles.iter(f"{W}style")}
    for name in ("Title", "Subtitle", "Headnote", "Introduction", "Question", "Answer", "Imprint", "index heading"):
        assert kinds[name] == "paragraph", name
    for name in ("Speaker", "Film Title", "Person"):
        assert kinds[name] == "character", name


def test_missing_reference_document_is_an_output_error_and_writes_nothing(doc, tmp_path):
    out = tmp_path / "out" / "x.docx"
    with pytest.raises(OutputError):
        docx.write(doc, out, BuildOptions(styles_dir=tmp_path / "nowhere", timestamp=STAMP))
    assert not out.exists()


def test_an_unknown_node_fails_loudly(doc, tmp_path):
    class Mystery:
        pass

    broken = m.Document(
        doc.source_name, doc.front, (m.Para((Mystery(),)),), (), (), doc.registry, index=doc.index  # type: ignore[arg-type]
    )
    with pytest.raises(TypeError, match="Mystery"):
        docx.write(broken, tmp_path / "x.docx", BuildOptions(timestamp=STAMP))
    assert not (tmp_path / "x.docx").exists()


def test_libreoffice_opens_it_and_prints_the_whole_interview(built, source_words, tmp_path):
    """LibreOffice converts the DOCX to PDF; it exits 0 even when it cannot load a file, so read the PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: `make test` installs libreoffice-writer-nogui"
    profile = (tmp_path / "profile").as_uri()  # a fresh profile: no state shared with other runs
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(built)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    pdf = tmp_path / f"{built.stem}.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Small capitals (the Speaker style) come out of LibreOffice's PDF as capitals: compare without case.
    assert missing_in_order([w.casefold() for w in source_words], words(text.casefold())) == []


def test_the_committed_reference_docx_is_what_its_script_makes(tmp_path):
    """styles/reference.docx is reviewed as code: the script must still make exactly the committed file."""
    made = tmp_path / "reference.docx"
    script = SOURCE.parents[1] / "styles" / "make_reference_docx.py"
    subprocess.run([sys.executable, str(script), str(made)], check=True, capture_output=True)
    assert made.read_bytes() == (script.parent / "reference.docx").read_bytes()
