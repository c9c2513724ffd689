"""The DOCX writer: the canonical source built once, its bytes checked by properties."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pypandoc
import pytest

from conftest import SOURCE, missing_in_order, words
from pressroom.core import model as m
from pressroom.core.errors import OutputError
from pressroom.core.options import BuildOptions
from pressroom.core.words import imprint_lines
from pressroom.writers import docx
from pressroom.writers.docx import entry_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STAMP = datetime(2025, 3, 3, 12, 30, tzinfo=UTC)
XE = re.compile(r'^ XE "((?:[^"\\]|\\.)*)"(?: \\f "(\w)")? $')  # the first index has no entry type


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
        expected[None, f"{entry.heading} ({entry.detail})"] += len(entry.locators)
    for entry in doc.index.people:
        expected["n", entry.heading] += len(entry.locators)
    assert marked == expected
    assert sum(marked.values()) == sum(len(e.locators) for e in doc.index.films + doc.index.people)

    assert [i for i in instructions if i.strip().startswith("TOC ")] == [' TOC \\o "1-3" \\h ']
    indexes = [i.strip() for i in instructions if i.strip().startswith("INDEX ")]
    assert len(indexes) == 2
    assert "\\f" not in indexes[0] and '\\f "n"' in indexes[1]  # films: Word's default entry type


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
    title = next(p for p in paragraphs if _style(p) == "Heading1")
    subtitle = next(p for p in paragraphs if _style(p) == "HeadlineSubtitle")
    in_headline = sum(1 for e in doc.index.films + doc.index.people for loc in e.locators if loc.part == "headline")
    assert in_headline and len(xe_fields(title) + xe_fields(subtitle)) == in_headline
    assert any('"Anora (2024, Sean Baker)"' in field for field in xe_fields(subtitle))


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
    title = "“There’s Only One Life, and I Believe in Tarantino’s Idea of a Strong, Solid Filmography”"
    assert by_style["Title"] == [title]
    assert by_style["Subtitle"] == ["Sean Baker on His Oscar-Winning Anora"]
    assert by_style["Author"] == ["An interview with Sean Baker"]
    assert by_style["Imprint"] == imprint_lines(doc.front, printed=False)  # the EPUB's lines (core/words.py)
    assert by_style["Imprint"][0] == "© 2024 Filmmaker Magazine. All rights reserved."
    assert by_style["Imprint"][-1] == "Produced by pressroom."

    core = _part(built, "docProps/core.xml")
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
    assert core.findtext("dc:title", namespaces=ns).startswith("“There’s Only One Life")
    assert core.findtext("dc:creator", namespaces=ns) == "Sean Baker"
    assert core.findtext("dc:subject", namespaces=ns) == "Sean Baker on His Oscar-Winning Anora"
    assert core.findtext("dc:language", namespaces=ns) == "en-US"
    assert "independent film" in core.findtext("{*}keywords")
    assert core.findtext("dcterms:created", namespaces=ns) == "2025-03-03T12:30:00Z"
    assert core.findtext("dcterms:modified", namespaces=ns) == "2025-03-03T12:30:00Z"


def test_without_a_source_date_core_xml_has_no_created_date(doc, options, tmp_path):
    undated = dataclasses.replace(doc, front=dataclasses.replace(doc.front, date=None))
    out = tmp_path / "undated.docx"
    docx.write(undated, out, options)
    core = _part(out, "docProps/core.xml")
    assert core.find("{http://purl.org/dc/terms/}created") is None
    assert core.findtext("{http://purl.org/dc/terms/}modified") == "2025-03-03T12:30:00Z"


def test_two_writes_give_identical_bytes(built, doc, options, tmp_path):
    again = tmp_path / "again.docx"
    docx.write(doc, again, options)
    assert again.read_bytes() == built.read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {info.date_time for info in z.infolist()} == {(2025, 3, 3, 12, 30, 0)}
    assert [p.name for p in tmp_path.iterdir()] == ["again.docx"]  # no temporary file left behind


def test_zip_entry_dates_are_clamped_to_1980(doc, tmp_path):
    out = tmp_path / "old.docx"
    docx.write(doc, out, BuildOptions(timestamp=datetime(1970, 1, 1, tzinfo=UTC)))
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


def test_a_reference_document_pandoc_cannot_read_is_an_output_error_and_writes_nothing(doc, tmp_path):
    """pandoc's failure comes back through the gateway (core/pandoc.py) as an OutputError naming the file."""
    styles = tmp_path / "styles"
    styles.mkdir()
    (styles / "reference.docx").write_bytes(b"not a zip")
    out = tmp_path / "x.docx"
    with pytest.raises(OutputError, match=rf"^{re.escape(str(out))}: pandoc could not write the DOCX: "):
        docx.write(doc, out, BuildOptions(styles_dir=styles, timestamp=STAMP))
    assert not out.exists()


def test_an_unknown_node_fails_loudly(doc, tmp_path):
    class Mystery:
        pass

    broken = m.Document(
        # type: ignore[arg-type]
        doc.source_name, doc.front, (m.Para((Mystery(),)),), (), (), doc.registry, index=doc.index
    )
    with pytest.raises(TypeError, match="Mystery"):
        docx.write(broken, tmp_path / "x.docx", BuildOptions(timestamp=STAMP))
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.slow
def test_libreoffice_opens_it_and_prints_the_whole_interview(built, source_words, tmp_path):
    """LibreOffice converts the DOCX to PDF; it exits 0 even when it cannot load a file, so read the PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: `make test` installs libreoffice-writer-nogui"
    profile = (tmp_path / "profile").as_uri()  # a fresh profile: no state shared with other runs
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(built)],
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


# --- the page, the heads and folios, the styles (issue 12) ---------------------------------

CASE_NO_PEOPLE = Path(__file__).parent / "cases" / "note-subhead-rule-no-people" / "source.md"
FONT_DIR = None  # the book's face, for LibreOffice: see _libreoffice_update


@pytest.fixture(scope="module")
def no_people(tmp_path_factory) -> tuple[m.Document, Path]:
    """A source with a note, a subhead, a section break and films but no people: one index."""
    from pressroom.reading.reader import read

    case = read(CASE_NO_PEOPLE)
    out = tmp_path_factory.mktemp("docx-no-people") / "no-people.docx"
    docx.write(case, out, BuildOptions(timestamp=STAMP))
    return case, out


def _sections(path: Path) -> list[ET.Element]:
    return list(_part(path, "word/document.xml").iter(f"{W}sectPr"))


def _twips(element: ET.Element, *names: str) -> tuple[int, ...]:
    return tuple(int(element.get(f"{W}{name}")) for name in names)


@pytest.mark.parametrize(("trim", "size"), [(None, (8640, 12960)), ("a5", (8391, 11906)), ("5.5x8.5in", (7920, 12240))])
def test_every_section_has_the_trim_and_the_print_margins_mirrored(doc, tmp_path, trim, size):
    """6 × 9 in by default, the `--trim` otherwise; print.css's margins: 54 pt top and inside,
    45 pt outside, 62 pt bottom, mirrored on versos (w:left is the inside margin)."""
    from pressroom.core.options import parse_trim

    options = BuildOptions(timestamp=STAMP, **({"trim": parse_trim(trim)} if trim else {}))
    out = tmp_path / "trim.docx"
    docx.write(doc, out, options)
    sections = _sections(out)
    assert len(sections) == 5  # front matter, opening, interview, two indexes
    for sect in sections:
        assert _twips(sect.find(f"{W}pgSz"), "w", "h") == size
        assert _twips(sect.find(f"{W}pgMar"), "top", "left", "right", "bottom") == (1080, 1080, 900, 1240)
    settings = _part(out, "word/settings.xml")
    assert settings.find(f"{W}mirrorMargins") is not None
    assert settings.find(f"{W}evenAndOddHeaders") is not None


def _parts_of(path: Path, sect: ET.Element) -> dict[tuple[str, str], ET.Element]:
    """(header|footer, default|even|first) -> the part a section's references point to."""
    rels = _part(path, "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}
    types = _part(path, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    out = {}
    for ref in sect:
        kind = ref.tag.removeprefix(W).removesuffix("Reference")
        if kind in ("header", "footer"):
            name = "word/" + target[ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            assert overrides["/" + name].endswith(f".{kind}+xml"), name
            out[kind, ref.get(f"{W}type")] = _part(path, name)
    return out


def _text_of(element: ET.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def test_headers_carry_the_running_heads_and_footers_a_page_field(built):
    """The front matter has no head or folio; each part of the text has a head-less first page,
    the running head on versos, its own title on rectos, and a PAGE field in every footer."""
    sections = _sections(built)
    front = _parts_of(built, sections[0])
    assert len(front) == 6 and all(not _text_of(p) and not list(p.iter(f"{W}fldSimple")) for p in front.values())
    assert sections[0].find(f"{W}titlePg") is None
    rectos = []
    for sect in sections[1:]:
        parts = _parts_of(built, sect)
        assert sect.find(f"{W}titlePg") is not None
        assert _text_of(parts["header", "first"]) == ""
        assert _text_of(parts["header", "even"]) == "Sean Baker"
        rectos.append(_text_of(parts["header", "default"]))
        for kind in ("default", "even", "first"):
            fields = [f.get(f"{W}instr").split() for f in parts["footer", kind].iter(f"{W}fldSimple")]
            assert fields == [["PAGE"]], kind
    assert rectos == ["Introduction", "The Interview", "Index of Films", "Index of Names"]


def _toc_cache(path: Path) -> list[str]:
    body = _part(path, "word/document.xml")
    return [_text_of(p) for p in body.iter(f"{W}p")
            if (_style(p) or "").startswith("TOC") and _style(p) != "TOCHeading"]


def _headings_read_back(path: Path) -> list[str]:
    """The headings of levels 1-3, as pandoc (not pressroom) reads them from the DOCX (pandoc reads
    the TOC's own "Contents", a TOC Heading, as a heading; its outline level keeps it out of the TOC)."""
    ast = json.loads(pypandoc.convert_file(str(path), "json", format="docx"))
    headings = [_plain(b["c"][2]) for b in ast["blocks"] if b["t"] == "Header" and b["c"][0] <= 3]
    assert headings[0] == "Contents"
    return headings[1:]


def test_the_toc_cache_lists_the_real_headings(built, no_people):
    for path in (built, no_people[1]):
        assert _toc_cache(path) == _headings_read_back(path)
    assert _toc_cache(built)[:2] == [
        "“There’s Only One Life, and I Believe in Tarantino’s Idea of a Strong, Solid Filmography”", "The Interview"
    ]
    assert _toc_cache(no_people[1]) == ["A Test Interview", "The Interview", "On casting", "Index of Films"]


def _xe_and_cache(path: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per INDEX field (by its entry type, "" for none): the XE texts it collects and its cached entries."""
    body = _part(path, "word/document.xml")
    xe: dict[str, set[str]] = {}
    for instruction in _instructions(path):
        found = re.match(r'^ XE "((?:[^"\\]|\\.)*)"(?: \\f "(\w)")? $', instruction)
        if found:
            xe.setdefault(found[2] or "", set()).add(_unescape(found[1]))
    cache: dict[str, set[str]] = {}
    current = None
    for p in body.iter(f"{W}p"):
        for t in p.iter(f"{W}instrText"):
            index = re.match(r'^ INDEX(?: \\f "(\w)")? ', t.text or "")
            if index:
                current = index[1] or ""
                cache[current] = set()
        if _style(p) == "Index1" and current is not None:
            cache[current].add(_text_of(p))
    return xe, cache


def test_xe_fields_say_what_the_index_cache_prints(built, no_people):
    """An index updated by Word or LibreOffice lists its XE fields' texts: the cache must be those."""
    for path in (built, no_people[1]):
        xe, cache = _xe_and_cache(path)
        assert xe == cache and xe
    xe, _ = _xe_and_cache(built)
    assert "Florida Project, The (2017, Sean Baker)" in xe[""] and "Madison, Mikey" in xe["n"]


def test_an_index_with_no_entries_has_no_heading_and_no_field(no_people):
    case, path = no_people
    assert not case.index.people and case.index.films
    body = _part(path, "word/document.xml")
    texts = [_text_of(p) for p in body.iter(f"{W}p")]
    assert "Index of Names" not in texts and "Index of Films" in texts
    indexes = [i for i in _instructions(path) if i.startswith(" INDEX")]
    assert len(indexes) == 1 and "\\f" not in indexes[0]  # one index: Word needs no entry types
    assert not any("\\f" in i for i in _instructions(path) if i.startswith(" XE "))
    assert "No index entries" not in " ".join(texts)


def test_headings_and_titles_are_black_in_the_body_face(built):
    """No theme colour or theme font left in the title and heading styles: Spectral, named in the
    font table with a serif stand-in, and black."""
    styles = _part(built, "word/styles.xml")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}ascii") == "Spectral" and defaults.get(f"{W}asciiTheme") is None
    for style_id in ("Title", "Subtitle", "TOCHeading", "Heading1", "Heading2", "Heading3", "Heading4"):
        run = by_id[style_id].find(f"{W}rPr")
        assert run.find(f"{W}color").get(f"{W}val") == "000000", style_id
        assert run.find(f"{W}color").get(f"{W}themeColor") is None, style_id
        fonts = run.find(f"{W}rFonts")
        assert {fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Spectral"}, style_id
        assert not [k for k in fonts.attrib if k.endswith("Theme") or k.endswith("theme")], style_id
    fonts = {f.get(f"{W}name"): f for f in _part(built, "word/fontTable.xml")}
    assert fonts["Spectral"].find(f"{W}altName").get(f"{W}val") == "Georgia"
    assert fonts["Spectral"].find(f"{W}family").get(f"{W}val") == "roman"


def test_the_title_page_writes_the_date_out_in_the_sources_language(built, no_people):
    for path, expected in ((built, "March 3, 2025"), (no_people[1], "3 March 2025")):  # en-US, en-GB
        body = _part(path, "word/document.xml")
        dates = [_text_of(p) for p in body.iter(f"{W}p") if _style(p) == "Date"]
        assert dates == [expected]
        assert "2025-03-03" not in _text_of(body)


def test_the_headline_is_a_title_and_a_subtitle_without_a_colon(built, doc):
    body = _part(built, "word/document.xml")
    paragraphs = list(body.iter(f"{W}p"))
    i = next(i for i, p in enumerate(paragraphs) if _style(p) == "Heading1")
    assert _text_of(paragraphs[i]) == m.plain_text(doc.front.title)
    assert _style(paragraphs[i + 1]) == "HeadlineSubtitle"
    assert _text_of(paragraphs[i + 1]) == "Sean Baker on His Oscar-Winning Anora"


# --- LibreOffice updates the fields ------------------------------------------------------

UPDATE_SCRIPT = Path(__file__).parent / "lo_update_indexes.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno


@pytest.mark.slow
def test_libreoffice_updates_the_first_index_of_a_two_index_book_to_the_entries_it_lists(built, doc, tmp_path):
    """The canonical book: its first index (films) has Word's default entry type, which LibreOffice 7.4
    updates to the same entries; the Index of Names is typed (\\f "n"), which LibreOffice imports but
    updates empty (Word updates both), so it is not compared here."""
    found, _ = _libreoffice_update(built, tmp_path)
    indexes = [i for i in found["indexes"] if i["service"] == "DocumentIndex"]
    assert len(indexes) == 1
    films = [entry_text(e) for e in doc.index[m.MentionKind.FILM]]
    assert _entries(indexes[0]["after"]) == _entries(indexes[0]["before"]) == films


def _libreoffice_update(path: Path, tmp_path: Path) -> tuple[dict, Path]:
    """Run tests/lo_update_indexes.py: the fields before and after LibreOffice updates them, and the PDF."""
    from pressroom.typeset.typesetter import font_dir

    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    assert probe.returncode == 0, "python3-uno is not installed: `make test` installs it (.ci/install-system-deps test)"
    out, pdf = tmp_path / f"{path.stem}.json", tmp_path / f"{path.stem}.pdf"
    subprocess.run(
        [SYSTEM_PYTHON, str(UPDATE_SCRIPT), str(path), str(out), "--fonts", str(font_dir()), "--pdf-before", str(pdf)],
        capture_output=True, text=True, timeout=300, check=True,
    )
    return json.loads(out.read_text(encoding="utf-8")), pdf


def _entries(text: str) -> list[str]:
    """An index's or TOC's entries without page numbers or letter headings."""
    out = []
    for line in text.split("\n"):
        entry = re.sub(r"\t[\d,\s–-]*$", "", line).strip()
        if entry and not re.fullmatch(r"[\d,\s–-]*|\w", entry):
            out.append(entry)
    return out


@pytest.mark.slow
def test_libreoffice_updates_the_toc_to_what_it_already_lists(built, tmp_path):
    found, pdf = _libreoffice_update(built, tmp_path)
    tocs = [i for i in found["indexes"] if i["service"] == "ContentIndex"]
    assert len(tocs) == 1
    assert _entries(tocs[0]["after"]) == _entries(tocs[0]["before"]) == _toc_cache(built)
    assert re.search(r"\t\d+$", tocs[0]["after"].split("\n")[0])  # an update adds the page numbers

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+432 x 648 pts", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    heads, folios = [], []
    for number in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        heads.append(re.sub(r"\s", "", lines[0]).casefold() if lines else "")
        folios.append(lines[-1] if lines else "")
    assert heads[:3] == [h for h in heads[:3] if h not in ("seanbaker", "theinterview")]  # no head on the front matter
    assert not any(f.isdigit() for f in folios[:3])  # nor a folio
    assert heads.count("seanbaker") >= 4 and heads.count("theinterview") >= 4  # versos and rectos
    body = [int(folio) for folio in folios[3:] if folio.isdigit()]  # the text opens on a recto: an odd folio
    assert len(body) == pages - 3 and body[0] % 2 == 1 and body == list(range(body[0], body[0] + len(body)))


@pytest.mark.slow
def test_libreoffice_updates_a_one_index_book_to_the_entries_it_already_lists(no_people, tmp_path):
    """A book with one index: its INDEX and XE fields carry no entry type, and LibreOffice updates it."""
    case, path = no_people
    found, _ = _libreoffice_update(path, tmp_path)
    by_service = {i["service"]: i for i in found["indexes"]}
    assert set(by_service) == {"ContentIndex", "DocumentIndex"}
    for index in by_service.values():
        assert _entries(index["after"]) == _entries(index["before"]) and _entries(index["before"])
    assert _entries(by_service["DocumentIndex"]["after"]) == [f"{e.heading} ({e.detail})" for e in case.index.films]
