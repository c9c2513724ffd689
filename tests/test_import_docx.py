"""`pressroom import` of a DOCX: pressroom's own edition comes back as the model it was built from.

`build --to docx` then `import` gives a source whose model equals the original's: the pages give
the text, turns, mentions (by their XE fields), notes and imprint; the source's front matter kept
in a custom XML part gives what the pages do not print (see writers/docx_source.py). Without that
part (a DOCX saved by a program that drops it), what is lost is compared away by `_from_pages`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SOURCE, accept_proposals, without_positions
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.core import pandoc
from pressroom.core.errors import SourceError
from pressroom.core.isbn import isbn_of
from pressroom.core.options import BuildOptions
from pressroom.core.words import imprint_lines
from pressroom.importers.docx_front import imprint_fields
from pressroom.reading.reader import read
from pressroom.writers import docx

runner = CliRunner()
TESTS = ROOT / "tests"
OWN_ENTRIES = TESTS / "cases" / "front-matter-films" / "source.md"  # films and people of its own front matter
FIXTURES = [
    SOURCE,
    *sorted((TESTS / "books").glob("*.md")),
    TESTS / "golden" / "craft.md",
    *sorted((TESTS / "cases").glob("*/source.md")),
]
OPTIONS = BuildOptions(timestamp=datetime(2025, 3, 3, 12, 30, tzinfo=UTC))


def _ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _from_pages(doc: m.Document) -> m.Document:
    """`doc` as far as the pages of its DOCX say it, without the kept front matter: an interviewer's
    `name:` (printed nowhere), a speaker who never speaks (the pages have only turns), the order of
    `speakers:` (the pages give the order of first turns), the publisher where the imprint prints the
    rights instead, an identifier that is no ISBN (see core/words.py's imprint_lines: `check` then makes
    one, which `_identifier_made` takes away)."""
    spoken = {turn.speaker.label for turn in doc.interview if isinstance(turn, m.Turn)}
    order = list(dict.fromkeys(t.speaker.label for t in doc.interview if isinstance(t, m.Turn)))

    def speaker(s: m.Speaker) -> m.Speaker:
        return replace(s, name=None) if s.role is m.Role.INTERVIEWER else s

    speakers = sorted((speaker(s) for s in doc.front.speakers if s.label in spoken), key=lambda s: order.index(s.label))
    interview = tuple(replace(b, speaker=speaker(b.speaker)) if isinstance(b, m.Turn) else b for b in doc.interview)
    publisher = doc.front.publisher if not doc.front.rights else None
    identifier = doc.front.identifier if isbn_of(doc.front.identifier) else None
    front = replace(doc.front, speakers=tuple(speakers), publisher=publisher, identifier=identifier)
    return replace(doc, front=front, interview=interview)


def _identifier_made(doc: m.Document) -> m.Document:
    """`doc` without the identifier `check` makes for a source that gives none (from its file's name and title)."""
    assert doc.front.identifier and doc.front.identifier.startswith("urn:uuid:"), doc.front.identifier
    return replace(doc, front=replace(doc.front, identifier=None))


def _same_run(value: object) -> object:
    """`without_positions(...)` with emphasis (or bold) around a mention written as emphasis inside it:
    `*[Anora]{.film}*` and `[*Anora*]{.film}` are the same Word run (italic, in the Film Title style), so the
    DOCX cannot tell them apart."""
    if isinstance(value, dict):
        value = {key: _same_run(item) for key, item in value.items()}
        children = value.get("children")
        if value.get("node") in ("Emph", "Strong") and isinstance(children, list) and len(children) == 1 \
                and children[0].get("node") == "Mention":
            mention = children[0]
            return mention | {"children": [{"children": mention["children"], "node": value["node"]}]}
        return value
    if isinstance(value, list):
        return [_same_run(item) for item in value]
    return value


def _compared(doc: m.Document, source_name: str | None = None) -> object:
    """`doc` as the import can give it back (`_same_run`), under the name `source_name` (else its own)."""
    return _same_run(without_positions(replace(doc, source_name=source_name or doc.source_name)))


def _build_and_import(source: Path, tmp_path: Path, change=None) -> tuple[m.Document, m.Document, str, str]:
    """(the source's model, the model of the source imported from its DOCX, that text, stderr);
    `change(name, data)` may rewrite the DOCX's parts on the way (None drops a part)."""
    doc = read(source)
    out = tmp_path / "out"
    out.mkdir()
    for registry in source.parent.glob("*.yaml"):
        shutil.copy(registry, out)
    built = tmp_path / f"{source.stem}.docx"
    docx.write(doc, built, OPTIONS)
    if change:
        with zipfile.ZipFile(built) as archive:
            parts = {name: change(name, archive.read(name)) for name in archive.namelist()}
        _zip(built, {name: data for name, data in parts.items() if data is not None})
    result = runner.invoke(app, ["import", str(built), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = out / f"{source.stem}.md"
    return doc, read(written), written.read_text(encoding="utf-8"), result.stderr


def _without_kept_front_matter(name: str, data: bytes) -> bytes | None:
    return None if name.startswith("customXml/") else data


@pytest.mark.parametrize("source", FIXTURES, ids=_ids)
def test_the_docx_edition_imports_back_to_the_same_model(source: Path, tmp_path: Path) -> None:
    doc, again, text, _ = _build_and_import(source, tmp_path)
    assert _compared(again, doc.source_name) == _compared(doc), text


def test_a_sources_own_films_and_people_come_back_in_its_front_matter(tmp_path: Path) -> None:
    _, _, text, stderr = _build_and_import(OWN_ENTRIES, tmp_path)
    assert "films:\n  the-sweet-east:" in text and 'sort: "Mepris, Le"' in text
    assert "people:\n  sean-price-williams:" in text
    assert "[The Sweet East]{.film}" in text and "[Sean Price Williams]{.person}" in text
    assert stderr == ""


def test_the_interviewers_name_and_a_silent_speaker_come_back(tmp_path: Path) -> None:
    named = tmp_path / "named.md"
    named.write_text(SOURCE.read_text(encoding="utf-8").replace(
        "  Filmmaker: {role: interviewer}\n", "  Editor: {role: interviewee, name: Ann Other}\n"
        "  Filmmaker: {role: interviewer, name: Vadim Rizov}\n"), encoding="utf-8")
    for registry in SOURCE.parent.glob("*.yaml"):
        shutil.copy(registry, tmp_path)
    doc, again, _, stderr = _build_and_import(named, tmp_path)
    assert [(s.label, s.name) for s in again.front.speakers] == [
        ("Editor", "Ann Other"), ("Filmmaker", "Vadim Rizov"), ("Baker", "Sean Baker")]
    assert again.front == doc.front and "interviewer's name" not in stderr


@pytest.mark.parametrize("source", [SOURCE, OWN_ENTRIES], ids=_ids)
def test_without_the_kept_front_matter_the_pages_still_give_the_model(source: Path, tmp_path: Path) -> None:
    """A DOCX saved by a program that drops custom XML parts: the pages alone, with notes."""
    doc, again, text, stderr = _build_and_import(source, tmp_path, _without_kept_front_matter)
    if source == OWN_ENTRIES:  # the pages carry only an own entry's index text, not its key: unmarked, noted
        assert "The Sweet East" in text and "{.film}" in text and "films:" not in text
        assert "'The Sweet East' is marked film in the DOCX but its index entry" in stderr
        assert "'Sean Price Williams' is marked person" in stderr
        return
    assert _compared(_identifier_made(again), doc.source_name) == _compared(_from_pages(doc))
    assert again.front.rights == doc.front.rights and len(again.front.history) == 2
    assert again.front.date == doc.front.date
    assert "an interviewer's name is not in the DOCX" in stderr


_INTERVIEWER = m.Speaker("Q", m.Role.INTERVIEWER)
_FRONTS = {  # what the imprint prints of each, read back
    "rights-and-history": m.FrontMatter((), (), "en-US", (_INTERVIEWER,), date=date(2025, 3, 3), publisher="Reel Notes",
                                        rights="© 2024 Reel Notes. All rights reserved.",
                                        history=("First here.", "Then there.")),
    "publisher-dated": m.FrontMatter((), (), "en-GB", (_INTERVIEWER,), date=date(2024, 9, 12), publisher="Reel Notes"),
    "publisher-undated": m.FrontMatter((), (), "en-US", (_INTERVIEWER,), publisher="Harbour Light Review"),
    "isbn-and-authors": m.FrontMatter((), (), "en-GB", (_INTERVIEWER,), date=date(2025, 10, 6), authors=("A. Writer",),
                                      identifier="urn:isbn:978-1-23456-789-7", history=("First published in print.",)),
    "named-interviewers": m.FrontMatter((), (), "en-US", (replace(_INTERVIEWER, name="Ann Other"),
                                                           m.Speaker("R", m.Role.INTERVIEWER, "Ben Else")),
                                        date=date(2024, 2, 19), rights="CC BY 4.0 licence"),
}


@pytest.mark.parametrize("name", list(_FRONTS))
def test_the_imprint_page_reads_back_as_the_fields_it_prints(name: str) -> None:
    """The imprint's lines (core/words.py, as the EPUB prints them too) read back into what they print: the
    publisher only where the © line is made of it, an identifier only when it is an ISBN."""
    front = _FRONTS[name]
    found = imprint_fields(imprint_lines(front, printed=False), front.date, front.lang, front.authors)
    assert found.get("rights") == front.rights and found.get("history", ()) == front.history
    assert found.get("publisher") == (front.publisher if not front.rights else None)
    assert found.get("identifier") == (front.identifier if isbn_of(front.identifier) else None)
    assert found.get("interviewers", ()) == front.interviewer_names and found["date"] == front.date
    assert imprint_fields(imprint_lines(front, printed=False), None, front.lang, front.authors)["date"] == (
        front.date if not front.history else None)  # without the title page's date: "First published ..."


def test_without_the_kept_front_matter_the_imprint_names_the_interviewer(tmp_path: Path) -> None:
    named = tmp_path / "named.md"
    text = SOURCE.read_text(encoding="utf-8").replace("Filmmaker: {role: interviewer}",
                                                      "Filmmaker: {role: interviewer, name: Vadim Rizov}")
    named.write_text(text, encoding="utf-8")
    for registry in SOURCE.parent.glob("*.yaml"):
        shutil.copy(registry, tmp_path)
    doc, again, _, stderr = _build_and_import(named, tmp_path, _without_kept_front_matter)
    assert again.front.speakers == doc.front.speakers and "interviewer's name" not in stderr


def test_a_label_changed_in_word_overrules_the_kept_speakers(tmp_path: Path) -> None:
    """The editor renamed the interviewer's label on every turn: the pages win, and the report says
    the interviewer's name is not known."""
    def relabel(name: str, data: bytes) -> bytes:
        return data.replace(b">Filmmaker:<", b">Interviewer:<") if name == "word/document.xml" else data

    _, again, text, stderr = _build_and_import(SOURCE, tmp_path, relabel)
    assert [s.label for s in again.front.speakers] == ["Interviewer", "Baker"]
    assert "Interviewer: {role: interviewer}" in text and "an interviewer's name is not in the DOCX" in stderr


def test_a_damaged_kept_front_matter_is_reported_and_the_pages_read(tmp_path: Path) -> None:
    def damage(name: str, data: bytes) -> bytes:
        return data.replace(b"speakers:", b"speakers: [") if name.startswith("customXml/item") else data

    doc, again, _, stderr = _build_and_import(SOURCE, tmp_path, damage)
    assert "the source's front matter kept in the DOCX is damaged" in stderr
    assert again.front.title == doc.front.title


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("nodoc.docx", lambda p: _zip(p, {"word/styles.xml": b"<x/>"}), "without word/document.xml: not a DOCX"),
        ("truncated.docx", None, "not a readable DOCX"),
        ("empty.docx", lambda p: _zip(p, {"word/document.xml": b"not xml"}), "pandoc could not read the DOCX"),
    ],
)
def test_a_corrupt_docx_is_refused_with_exit_3_and_nothing_written(name: str, make, message: str,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / name
    if make is None:
        built = tmp_path / "whole.docx"
        docx.write(read(SOURCE), built, OPTIONS)
        path.write_bytes(built.read_bytes()[:5000])
    else:
        make(path)
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["import", str(path), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert f"{path}:1:1: " in result.stderr and message in result.stderr
    assert list(out.iterdir()) == []


# --- a hostile DOCX: refused where its XML says, within the gateway's limits ---------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')


def _tables_in_tables(depth: int) -> str:
    return "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth


_HOSTILE = {  # name: (document.xml's body, what the message says)
    "tables-in-tables": (_tables_in_tables(3000), "elements nested more than 256 deep"),
    "content-controls": ("<w:sdt><w:sdtContent>" * 5000 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 5000,
                         "elements nested more than 256 deep"),
    "one-huge-run": ("<w:p><w:r><w:t>" + "word " * 6_000_000 + "</w:t></w:r></w:p>",
                     "a paragraph of more than 100,000 characters; split it"),
}


def _minimal_docx(path: Path, body: str, doctype: str = "") -> Path:
    """A DOCX of the three parts pandoc needs, its document.xml's body `body`."""
    document = _DOCUMENT.format(w=_W, body=body).replace("\n", "\n" + doctype, 1)
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
             'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
             'main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return path


@pytest.mark.parametrize("name", list(_HOSTILE))
def test_a_hostile_docx_is_refused_at_its_place_with_exit_3_within_the_time_limit(name: str, tmp_path: Path) -> None:
    """Nesting thousands deep or a run of 30 MB would take pandoc minutes and gigabytes (2,000 tables: 9 s
    and 2.2 GB; the run: 45 s and 3 GB): the import refuses them first, at the line and column of
    word/document.xml where the limit is passed, as the reader refuses a source's deep quotes."""
    body, message = _HOSTILE[name]
    path = _minimal_docx(tmp_path / f"{name}.docx", body)
    out = tmp_path / "out"
    out.mkdir()
    started = time.monotonic()
    result = runner.invoke(app, ["import", str(path), "--out", str(out)])
    assert time.monotonic() - started < pandoc.SECONDS / 10  # well within it: nothing waits for pandoc
    assert result.exit_code == 3, result.output
    located = re.match(rf"{re.escape(str(path))}:(\d+):(\d+): in word/document.xml, (.*)", result.stderr)
    assert located and message in located[3], result.stderr
    line, column = int(located[1]), int(located[2])
    xml = _DOCUMENT.format(w=_W, body=body).split("\n")
    if name == "one-huge-run":  # the paragraph's own place
        assert (line, column) == (2, xml[1].index("<w:p>") + 1)
    else:  # the element one too deep
        assert line == 2 and xml[1][:column - 1].count("<w:") - xml[1][:column - 1].count("</w:") == 256
    assert list(out.iterdir()) == []


def test_a_docx_with_a_document_type_declaration_is_refused(tmp_path: Path) -> None:
    """Word never writes a DTD; one is how an entity bomb would come."""
    bomb = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    path = _minimal_docx(tmp_path / "bomb.docx", "<w:p><w:r><w:t>&b;</w:t></w:r></w:p>", doctype=bomb)
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["import", str(path), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert re.match(rf"{re.escape(str(path))}:2:\d+: in word/document.xml, a document type declaration", result.stderr)
    assert list(out.iterdir()) == []


def test_the_gateway_holds_pandoc_to_its_heap_on_a_docx_past_the_xml_check(tmp_path: Path) -> None:
    """What gets past the XML check still runs under pandoc's heap limit: tables 2,000 deep read
    without the check exhaust it in seconds, a SourceError at the file, not a machine out of memory."""
    path = _minimal_docx(tmp_path / "deep.docx", _tables_in_tables(2000))
    data = path.read_bytes()
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        pandoc.docx_ast(path, data, sum(info.file_size for info in zipfile.ZipFile(path).infolist()))
    assert time.monotonic() - started < pandoc.SECONDS
    assert str(caught.value).startswith(f"{path}:1:1: pandoc ran out of memory reading the DOCX")


# --- an editor's DOCX (tests/editor_docx.py, made with python-docx) ----------------


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Document, str, str, Path]:
    """The editor's DOCX imported once beside the canonical registries: (model `check` reads, source, stderr,
    report)."""
    from editor_docx import editor_docx

    folder = tmp_path_factory.mktemp("editor")
    out = folder / "out"
    out.mkdir()
    for registry in SOURCE.parent.glob("*.yaml"):
        shutil.copy(registry, out)
    path = editor_docx(folder / "transcript.docx")
    report = folder / "report.json"
    result = runner.invoke(app, ["import", str(path), "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    written = out / "transcript.md"
    text = written.read_text(encoding="utf-8")
    accept_proposals(out)
    return read(written), text, result.stderr, report


def test_an_editors_docx_gives_its_headline_headnote_introduction_and_turns(editor) -> None:
    doc, text, _, _ = editor
    assert m.plain_text(doc.front.title) == "Shooting on a Phone"
    assert m.plain_text(doc.front.subtitle) == "Sean Baker on the Making of Tangerine"
    assert [m.plain_text(p.children) for p in doc.headnote] == [
        "With Anora winning five Oscars, we’re reposting our interview with Sean Baker."]
    assert [m.plain_text(p.children) for p in doc.introduction] == ["Before Anora there was Tangerine, shot on phones."]
    assert [(t.speaker.label, t.speaker.role) for t in doc.interview] == [
        ("Q", m.Role.INTERVIEWER), ("Baker", m.Role.INTERVIEWEE)] * 2
    assert doc.front.speakers[1].name == "Sean Baker"
    assert isinstance(doc.interview[1].blocks[2], m.BlockQuote)  # the Quote paragraph, inside Baker's turn
    assert "Here is a picture we drop:" in text and "![" not in text


def test_an_editors_italic_film_titles_are_mentions_and_other_italics_stay_italics(editor) -> None:
    doc, text, stderr, _ = editor
    assert "Before [Anora]{.film} there was [Tangerine]{.film}" in text
    assert ("Money first. [Starlet]{.film} taught me that, and [Four Letter Words]{.film key=four-letter-words} "
            "before it, as [Samantha Quan]{.person} says.") in text
    assert "italic 'Four Letter Words' names no film in films.yaml: marked key=four-letter-words and proposed" in stderr
    assert "It *really* worked?" in text
    assert "italic 'really' matches no film in films.yaml" in stderr
    parts = [loc.part for entry in doc.index.films for loc in entry.locators if entry.key == "tangerine"]
    assert parts == ["introduction", "interview"]


def test_an_editors_footnote_tracked_change_and_comment(editor) -> None:
    doc, text, stderr, report = editor
    assert "Baker: It was very cheap.[^1]" in text and "rather" not in text  # the change accepted
    assert "[^1]: Baker shot [Tangerine]{.film} on three phones." in text
    assert "Check this against the tape" not in text  # the comment dropped
    notes = json.loads(report.read_text(encoding="utf-8"))["imports"][0]["notes"]
    for message in ("Word comments dropped", "tracked changes accepted", "1 image(s) dropped"):
        assert message in stderr
        assert any(n["kind"] == "dropped" and message in n["message"] for n in notes)


@pytest.mark.slow
def test_a_docx_saved_by_libreoffice_imports_to_the_same_model(tmp_path: Path) -> None:
    """An editor corrects the DOCX in LibreOffice and saves it as DOCX: LibreOffice keeps the custom XML part
    (and joins the keywords with spaces), and the import gives back the source's model."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: `make test` installs libreoffice-writer-nogui"
    source = tmp_path / "built" / "interview.md"
    source.parent.mkdir()
    keywords = "keywords: [film directing, Sean Baker]\nspeakers:"
    source.write_text(OWN_ENTRIES.read_text(encoding="utf-8").replace("speakers:", keywords, 1),
                      encoding="utf-8")
    for registry in OWN_ENTRIES.parent.glob("*.yaml"):
        shutil.copy(registry, source.parent)
    doc = read(source)
    assert doc.front.keywords == ("film directing", "Sean Baker")
    built = source.with_suffix(".docx")
    docx.write(doc, built, OPTIONS)
    saved = tmp_path / "saved"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(saved), str(built)],
                   capture_output=True, timeout=300, check=True)
    core = "docProps/core.xml"
    assert zipfile.ZipFile(saved / "interview.docx").read(core) != zipfile.ZipFile(built).read(core)
    out = tmp_path / "out"
    out.mkdir()
    for registry in OWN_ENTRIES.parent.glob("*.yaml"):
        shutil.copy(registry, out)
    result = runner.invoke(app, ["import", str(saved / "interview.docx"), "--out", str(out)])
    assert result.exit_code == 0 and result.stderr == "", result.output
    again = read(out / "interview.md")
    assert _compared(again, doc.source_name) == _compared(doc)


def test_a_docx_heavy_with_photographs_imports_and_one_over_32_mib_is_refused(tmp_path: Path) -> None:
    """Word files carry their photographs: a DOCX may be larger than the 2 MiB a text is held to."""
    from editor_docx import editor_docx

    out = tmp_path / "out"
    out.mkdir()
    for registry in SOURCE.parent.glob("*.yaml"):
        shutil.copy(registry, out)
    heavy = editor_docx(tmp_path / "heavy.docx")
    with zipfile.ZipFile(heavy, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/photo.jpeg", os.urandom(3 * 1024 * 1024))
    assert heavy.stat().st_size > 3 * 1024 * 1024
    assert runner.invoke(app, ["import", str(heavy), "--out", str(out)]).exit_code == 0
    huge = tmp_path / "huge.docx"
    shutil.copy(heavy, huge)
    with zipfile.ZipFile(huge, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/poster.tiff", os.urandom(30 * 1024 * 1024))
    result = runner.invoke(app, ["import", str(huge), "--out", str(out)])
    assert result.exit_code == 3 and f"{huge}:1:1: " in result.stderr and "at most 33,554,432" in result.stderr
    assert not (out / "huge.md").exists()


def test_a_kept_front_matter_of_megabytes_is_not_parsed(tmp_path: Path) -> None:
    def pad(name: str, data: bytes) -> bytes:
        if not name.startswith("customXml/item"):
            return data
        return data.replace(b"speakers:", b"#" + b"x" * (1024 * 1024) + b"\nspeakers:")

    doc, again, _, stderr = _build_and_import(SOURCE, tmp_path, pad)
    assert "the source's front matter kept in the DOCX is over 1,048,576 characters" in stderr
    assert again.front.rights == doc.front.rights and again.front.history == doc.front.history  # the pages give them
