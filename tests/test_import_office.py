"""`pressroom import` of office documents (.doc, .odt, .rtf ...), which LibreOffice converts to DOCX.

The fixtures are made here: an editor's DOCX (tests/editor_docx.py) saved by LibreOffice as a Word 97
.doc, an .odt and an .rtf; each must import as the DOCX itself does. The refusals (a damaged .doc, a
conversion that does not end, no LibreOffice) are exit 3 with nothing written; a macro bound to the
opening of a document is never run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SOURCE, accept_proposals, words_of_source
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.importers import format_of, office
from pressroom.reading.reader import read

runner = CliRunner()
FORMATS = ("doc", "odt", "rtf", "fodt")
WORD_STREAM = "WordDocument".encode("utf-16-le")


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: `make` installs libreoffice-writer-nogui"
    return soffice


def _out(folder: Path) -> Path:
    """A folder with the canonical registries, where imports are written."""
    out = folder / "out"
    out.mkdir()
    for registry in ("films.yaml", "people.yaml"):
        shutil.copy(SOURCE.parent / registry, out)
    return out


def _written(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The editor's DOCX and what LibreOffice saves it as: {"docx": ..., "doc": ..., "odt": ..., "rtf": ...}."""
    from editor_docx import editor_docx

    folder = tmp_path_factory.mktemp("office")
    made = {"docx": editor_docx(folder / "transcript.docx")}
    profile = (folder / "profile").as_uri()
    for kind in FORMATS:
        subprocess.run([_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", kind,
                        "--outdir", str(folder / kind), str(made["docx"])],
                       capture_output=True, timeout=300, check=True, stdin=subprocess.DEVNULL)
        made[kind] = folder / kind / f"transcript.{kind}"
    return made


@pytest.fixture(scope="module")
def imported(made: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Each of `made` imported through the CLI into a folder of its own: {kind: (written source, stderr, notes)}."""
    imported = {}
    for kind, path in made.items():
        out = _out(tmp_path_factory.mktemp(f"import-{kind}"))
        report = out.parent / "report.json"
        result = runner.invoke(app, ["import", str(path), "--out", str(out), "--report", str(report)])
        assert result.exit_code == 0, result.output
        accept_proposals(out)  # "Four Letter Words" is proposed as a film: the editor accepts it
        notes = json.loads(report.read_text(encoding="utf-8"))["imports"][0]["notes"]
        imported[kind] = (out / "transcript.md", result.stderr, notes)
    return imported


@pytest.mark.slow
@pytest.mark.parametrize("kind", FORMATS)
def test_an_office_file_imports_as_the_docx_it_was_saved_from(kind: str, made, imported) -> None:
    written, stderr, notes = imported[kind]
    assert made[kind].read_bytes()[:8] != made["docx"].read_bytes()[:8]  # LibreOffice did write another format
    assert runner.invoke(app, ["check", str(written)]).exit_code == 0
    doc = read(written)
    assert m.plain_text(doc.front.title) == "Shooting on a Phone"
    assert m.plain_text(doc.front.subtitle) == "Sean Baker on the Making of Tangerine"
    assert [(s.label, s.role, s.name) for s in doc.front.speakers] == [
        ("Q", m.Role.INTERVIEWER, None), ("Baker", m.Role.INTERVIEWEE, "Sean Baker")]
    assert [(t.speaker.label, t.speaker.role) for t in doc.interview] == [
        ("Q", m.Role.INTERVIEWER), ("Baker", m.Role.INTERVIEWEE)] * 2
    assert words_of_source(written) == words_of_source(imported["docx"][0])  # every word, in order
    assert "It *really* worked?" in written.read_text(encoding="utf-8")  # italics that name no film stay italics
    converted = [n["message"] for n in notes if n["kind"] == "converted"]
    what = office.kind_of(made[kind].read_bytes()).what
    assert len(converted) == 1 and re.fullmatch(rf"converted from {re.escape(what)} to DOCX by LibreOffice [0-9.]+",
                                                converted[0]), converted
    assert f"{made[kind]}:1:1: note: {converted[0]}" in stderr


# --- what format_of tells apart (no LibreOffice runs) -------------------------------------------------


def _zip(path: Path, parts: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            stored = name == "mimetype"  # ODF's first entry, uncompressed
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return path.read_bytes()


def _ole(*streams: str) -> bytes:
    """The start of a compound file whose directory names `streams` (all format_of looks at)."""
    return office.OLE + bytes(504) + b"".join(name.encode("utf-16-le").ljust(128, b"\0") for name in streams)


def test_office_files_are_told_by_their_content(tmp_path: Path) -> None:
    odt = _zip(tmp_path / "a.zip", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    docx = _zip(tmp_path / "b.zip", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    fodt = (b'<?xml version="1.0"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            b'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"><office:body/>'
            b"</office:document>")
    word_xml = b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?><w:wordDocument/>'
    cases = [  # (name, content, kind format_of gives, office's kind)
        ("interview.odt", odt, "office", ".odt"), ("interview.docx", odt, "office", ".odt"),  # the content decides
        ("interview.odt", docx, "docx", None), ("interview.doc", _ole("Root Entry", "WordDocument"), "office", ".doc"),
        ("interview.txt", b"{\\rtf1\\ansi Q: hello}", "office", ".rtf"),
        ("x.wpd", b"\xffWPC\x10\x00", "office", ".wpd"),
        ("x.fodt", fodt, "office", ".fodt"), ("x.xml", word_xml, "office", ".xml"),
        ("x.wps", _ole("Root Entry", "CONTENTS"), "office", ".wps"),  # Works: told from other OLE by its name only
        ("interview.doc", b"Interview with X\n\nQ: Why?\n\nX: Because.\n", "text", None),  # a .doc that is text
    ]
    for name, data, kind, suffix in cases:
        assert format_of(Path(name), data) == kind, name
        found = office.kind_of(data, Path(name).suffix)
        assert (found.suffix if found else None) == suffix, name


@pytest.mark.parametrize(("name", "parts", "message"), [
    ("sheet.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "a ZIP archive, not text"),
    ("sheet.xls", None, "an Office file that holds no Word document"),
])
def test_other_office_files_are_refused_as_before(tmp_path: Path, name: str, parts, message: str) -> None:
    path = tmp_path / name
    if parts:
        _zip(path, parts)
    else:
        path.write_bytes(_ole("Root Entry", "Workbook"))
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(path), "--out", str(out)])
    assert result.exit_code == 3
    assert f"{path}:1:1: {message}" in result.stderr
    assert "pressroom imports plain text, HTML, Markdown, DOCX and office documents" in result.stderr
    assert _written(out) == ["films.yaml", "people.yaml"]


# --- refusals ------------------------------------------------------------------------------------------


def test_an_ole_file_of_garbage_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    damaged = tmp_path / "interview.doc"
    damaged.write_bytes(office.OLE + os.urandom(20_000).replace(WORD_STREAM, b""))
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(damaged), "--out", str(out)])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{damaged}:1:1: an Office file that holds no Word document")
    assert _written(out) == ["films.yaml", "people.yaml"]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["word-stream", "all-but-the-name"])
def test_a_doc_whose_text_is_damaged_is_refused_by_libreoffice_and_nothing_is_written(
        made, tmp_path: Path, damage: str) -> None:
    """A whole compound file whose Word stream begins with garbage, or garbage that names a Word stream:
    LibreOffice refuses it with each Word filter (left to guess, it would read the second as plain text),
    and the import is exit 3."""
    if damage == "word-stream":
        data = bytearray(made["doc"].read_bytes())
        sector = 1 << int.from_bytes(data[30:32], "little")
        entry = data.index(WORD_STREAM)  # its directory entry: the stream's first sector at 0x74
        start = (int.from_bytes(data[entry + 0x74 : entry + 0x78], "little") + 1) * sector
        data[start : start + 1024] = os.urandom(1024)
    else:
        data = bytearray(office.OLE + os.urandom(8192) + WORD_STREAM + os.urandom(8192))
    damaged = tmp_path / "interview.doc"
    damaged.write_bytes(bytes(data))
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(damaged), "--out", str(out)])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{damaged}:1:1: LibreOffice could not read it as a Word document (.doc)")
    assert _written(out) == ["films.yaml", "people.yaml"]


def test_a_conversion_that_does_not_end_is_stopped_with_its_process_group(tmp_path: Path, monkeypatch) -> None:
    """A stand-in soffice that starts a child and sleeps: at the time-out both are killed, the temporary
    directory is removed, and the import is exit 3 with nothing written."""
    bin_dir, pids = tmp_path / "bin", tmp_path / "pids"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! > {pids}\nwait\n", encoding="utf-8")
    script.chmod(0o755)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(office, "SECONDS", 1)
    path = tmp_path / "interview.doc"
    path.write_bytes(_ole("Root Entry", "WordDocument"))
    out = _out(tmp_path)
    started = time.monotonic()
    result = runner.invoke(app, ["import", str(path), "--out", str(out)])
    assert time.monotonic() - started < 10
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{path}:1:1: LibreOffice did not convert it in 1 s")
    assert _written(out) == ["films.yaml", "people.yaml"]
    assert list(temp.iterdir()) == []
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), pid


@pytest.mark.parametrize(("script", "message"), [
    ("echo 'Error: boom' >&2\nexit 77\n", "LibreOffice failed with exit code 77 (Error: boom)"),
    ("echo 'Error: source file could not be loaded' >&2\n",
     "LibreOffice could not read it as a Word document (.doc): a damaged file? "
     "(Error: source file could not be loaded)"),
    ("kill -SEGV $$\n", "LibreOffice stopped on SIGSEGV (a crash)"),
])
def test_a_libreoffice_that_fails_or_writes_nothing_is_an_error(tmp_path: Path, monkeypatch, script: str,
                                                                   message: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text(f"#!/bin/sh\n{script}", encoding="utf-8")
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    path = tmp_path / "interview.doc"
    path.write_bytes(_ole("Root Entry", "WordDocument"))
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(path), "--out", str(out)])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{path}:1:1: {message}"), result.stderr
    assert _written(out) == ["films.yaml", "people.yaml"]


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, killed and waiting for a parent that is not ours to reap it, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_without_libreoffice_the_import_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    path = tmp_path / "interview.rtf"
    path.write_bytes(b"{\\rtf1\\ansi Q: Why?\\par}")
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(path), "--out", str(out)])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"{path}:1:1: an RTF document (.rtf): pressroom converts it with LibreOffice")
    assert "libreoffice-writer-nogui" in result.stderr
    assert _written(out) == ["films.yaml", "people.yaml"]


# --- macros --------------------------------------------------------------------------------------------

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:ooo="http://openoffice.org/2004/office"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dom="http://www.w3.org/2001/xml-events"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:scripts>
  <office:script script:language="ooo:Basic">
   <ooo:libraries>
    <ooo:library-embedded ooo:name="Standard">
     <ooo:module ooo:name="Module1">
      <ooo:source-code>Sub Main
  Dim n As Integer
  n = FreeFile
  Open "MARKER" For Output As #n
  Print #n, "the macro ran"
  Close #n
End Sub
</ooo:source-code>
     </ooo:module>
    </ooo:library-embedded>
   </ooo:libraries>
  </office:script>
  <office:event-listeners>
   <script:event-listener script:language="ooo:script" script:event-name="dom:load" xlink:type="simple"
    xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>
  </office:event-listeners>
 </office:scripts>
 <office:styles>
  <style:style style:name="Title" style:family="paragraph"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 </office:automatic-styles>
 <office:body>
  <office:text>
   <text:p text:style-name="Title">A Macro Bound to Opening</text:p>
   <text:p><text:span text:style-name="B">Q:</text:span> Does it run?</text:p>
   <text:p><text:span text:style-name="B">Baker:</text:span> Never here.</text:p>
   <text:p><text:span text:style-name="B">Q:</text:span> Are you sure?</text:p>
   <text:p><text:span text:style-name="B">Baker:</text:span> The file it writes is not there.</text:p>
  </office:text>
 </office:body>
</office:document>
"""


@pytest.mark.slow
def test_a_macro_bound_to_opening_the_document_is_not_run(tmp_path: Path) -> None:
    """The same .fodt, opened by LibreOffice with macros allowed (security "low"), runs its macro, which
    writes a file: the macro is live. Imported, it does not run, and the interview imports."""
    marker = tmp_path / "ran.txt"
    fodt = tmp_path / "macro.fodt"
    fodt.write_text(FODT.replace("MARKER", str(marker)), encoding="utf-8")
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(fodt), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    doc = read(out / "macro.md")
    assert m.plain_text(doc.front.title) == "A Macro Bound to Opening"
    assert [t.speaker.label for t in doc.interview] == ["Q", "Baker", "Q", "Baker"]
    assert "Basic" not in (out / "macro.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_private_profile_forbids_the_macro_that_libreoffice_runs_with_macros_allowed(tmp_path: Path) -> None:
    """`--convert-to` runs no macro whatever the settings, so the import's test cannot tell whether the
    private profile forbids them: here LibreOffice opens the document (which runs a macro bound to its
    opening, if the security level allows it) once with the import's profile, once with security "low"."""
    marker = tmp_path / "ran.txt"
    fodt = tmp_path / "macro.fodt"
    fodt.write_text(FODT.replace("MARKER", str(marker)), encoding="utf-8")
    office.write_profile(tmp_path / "import-profile")
    lock = tmp_path / f".~lock.{fodt.name}#"  # LibreOffice's lock beside a document it opens, as it begins to load
    _open(fodt, tmp_path / "import-profile", lambda: lock.exists(), linger=5)
    assert lock.exists(), "LibreOffice did not open the document"
    assert not marker.exists()
    lock.unlink()
    low = tmp_path / "low-profile"
    (low / "user").mkdir(parents=True)
    (low / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry">'
        '<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" '
        'oor:op="fuse"><value>0</value></prop></item></oor:items>\n', encoding="utf-8")
    _open(fodt, low, marker.exists)
    assert marker.exists(), "the fixture's macro does not run even with macros allowed: the test proves nothing"


def _open(document: Path, profile: Path, until: Callable[[], bool], linger: float = 0) -> None:
    """Open `document` in a headless LibreOffice with `profile` until `until()` (then `linger` seconds
    more: a macro bound to opening runs a tenth of a second after the lock appears) or two minutes; then
    stop it."""
    process = subprocess.Popen([_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                                str(document)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not until() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        time.sleep(linger)
    finally:
        if process.poll() is None:  # a headless LibreOffice with a document open runs until it is stopped
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
