"""Office documents (.doc, .rtf, .odt, .fodt, .wpd, .wps ...): LibreOffice itself converts them to
DOCX, which the DOCX reader (docx.py) then reads like any editor's DOCX.

    bytes ──kind_of──▶ Kind ──to_docx (soffice --convert-to docx)──▶ DOCX bytes ──docx.read──▶ model + notes

The kind comes from the content (the magic bytes, an ODF zip's `mimetype`), never from the file's
name, except to tell a Works file from other OLE files, which share one signature. LibreOffice is
made to read the file with that kind's import filter (`--infilter`): left to guess, it reads what no
filter recognises as plain text, so a damaged .doc would come back as a page of mojibake.

LibreOffice (Debian: libreoffice-writer-nogui) runs headless, once per file, in a temporary directory
deleted afterwards: a private profile made there for the run, the input copied there under a
neutral name (so it reads nothing else), macros off (the profile's security level "very high" and
macro execution disabled; `--convert-to` does not run them anyway, this is the second lock), links
never updated, no proxy, standard input from /dev/null, a time-out that kills its whole process group,
and limits on its address space, processor time and the size of the files it writes. Any failure is
a SourceError at the file (exit 3).
"""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..core import model as m
from ..core.errors import SourceError
from ..reading.registry import Registry
from . import docx
from .notes import Note

PACKAGE = "libreoffice-writer-nogui"  # Debian's LibreOffice Writer without the GUI: all `import` needs
SECONDS = 120  # wall-clock for a conversion (all its attempts); LibreOffice takes one or two for an interview
MEMORY = 4 << 30  # address space per process: LibreOffice maps about 1 GiB to convert an interview
MAX_WRITTEN = 256 << 20  # the largest file it may write: the DOCX of a 32 MiB input is about as large
_POLL = 0.05  # seconds between looks at whether LibreOffice has ended


@dataclass(frozen=True)
class Kind:
    """An office format LibreOffice Writer imports: what it is (for messages and the note), the
    suffix of the temporary copy, and LibreOffice's import filters to try, in order."""

    what: str
    suffix: str
    filters: tuple[str, ...]


# A Word 6 or 95 file is refused by the Word 97 filter and the reverse: the older ones are tried when it fails.
WORD = Kind("a Word document (.doc)", ".doc", ("MS Word 97", "MS WinWord 6.0", "MS Word 95"))
WORKS = Kind("a Microsoft Works document (.wps)", ".wps", ("MS_Works",))
RTF = Kind("an RTF document (.rtf)", ".rtf", ("Rich Text Format",))
WORDPERFECT = Kind("a WordPerfect document (.wpd)", ".wpd", ("WordPerfect",))
FLAT_ODT = Kind("a flat OpenDocument text (.fodt)", ".fodt", ("OpenDocument Text Flat XML",))
WORD_XML = Kind("a Word 2003 XML document (.xml)", ".xml", ("MS Word 2003 XML",))
ODF_ZIP = MappingProxyType({  # an ODF zip's `mimetype` entry names its kind
    "application/vnd.oasis.opendocument.text": Kind("an OpenDocument text (.odt)", ".odt", ("writer8",)),
    "application/vnd.oasis.opendocument.text-template": Kind(
        "an OpenDocument text template (.ott)", ".ott", ("writer8_template",)),
    "application/vnd.sun.xml.writer": Kind("an OpenOffice.org 1 text (.sxw)", ".sxw", ("StarOffice XML (Writer)",)),
    "application/vnd.sun.xml.writer.template": Kind(
        "an OpenOffice.org 1 text template (.stw)", ".stw", ("writer_StarOffice_XML_Writer_Template",)),
})
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Word 6 to 2003, Works, Excel, PowerPoint ...
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # its directory names the stream that holds a Word text
_FLAT_ODT = re.compile(rb'<office:document\b[^>]*?\boffice:mimetype="application/vnd\.oasis\.opendocument\.text"')
_WORD_XML = b'<?mso-application progid="Word.Document"?>'
_SIGNATURES = ((b"{\\rtf", RTF), (b"\xffWPC", WORDPERFECT))

# The private profile's settings, written before LibreOffice first starts (its registrymodifications.xcu).
_SETTINGS = (
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),  # very high: trusted places only
    ("org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),  # and none is trusted
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),  # linked images
    ("org.openoffice.Office.Common/Security/Scripting", "DisableActiveContent", "true"),  # newer versions only
    ("org.openoffice.Office.Writer/Content/Update", "Link", "0"),  # links to other files: never updated
    ("org.openoffice.Inet/Settings", "ooInetProxyType", "0"),  # no proxy
)


def kind_of(data: bytes, suffix: str = "") -> Kind | None:
    """The office format of `data`, by its content; `suffix` (the input's, casefolded) only tells a
    Works file from the other OLE files that are not Word's. None: not an office text."""
    head = data[:65536]
    if data.startswith(OLE):
        if _WORD_STREAM in data:
            return WORD
        return WORKS if suffix == ".wps" else None
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return ODF_ZIP.get(_odf_mimetype(data))
    if _WORD_XML in head[:4096]:
        return WORD_XML
    if _FLAT_ODT.search(head):
        return FLAT_ODT
    return None


def _odf_mimetype(data: bytes) -> str:
    """The `mimetype` entry of a zip (ODF's first, stored entry), or "" if it has none or is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 256:  # a media type is a line; anything larger is not ODF's
                return ""
            return archive.read(info).decode("ascii", "replace").strip()
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError):
        return ""


def read(path: Path, data: bytes, registry: Registry) -> tuple[m.Document, tuple[Note, ...]]:
    """The interview in the office document `data` (read from `path`, for messages), and the notes for review."""
    kind = _kind(path, data)
    converted = to_docx(path, data)
    try:
        document, notes = docx.read(path, converted, registry)
    except SourceError as error:  # its place is in the DOCX LibreOffice made, which the user never sees
        raise SourceError(path, 1, 1, f"in the DOCX LibreOffice made of it: {error.message}") from None
    version = _version(converted)
    made = f"converted from {kind.what} to DOCX by LibreOffice{f' {version}' if version else ''}"
    return document, (Note(1, 1, "converted", made), *notes)


def to_docx(path: Path, data: bytes) -> bytes:
    """The office document `data` (read from `path`, for messages) converted to DOCX by LibreOffice."""
    kind = _kind(path, data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SourceError(path, 1, 1, f"{kind.what}: pressroom converts it with LibreOffice, which is not installed "
                                      f"(Debian: apt install {PACKAGE})")
    deadline = time.monotonic() + SECONDS
    with tempfile.TemporaryDirectory(prefix="pressroom-office-") as tmp:
        root = Path(tmp)
        profile = root / "profile"
        write_profile(profile)
        source = root / "in" / f"document{kind.suffix}"
        source.parent.mkdir()
        source.write_bytes(data)
        out = root / "out"
        said = ""
        for name in kind.filters:
            command = [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                       f"-env:UserInstallation={profile.as_uri()}", f"--infilter={name}",
                       "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
            said = _run(path, command, root, deadline)
            result = out / "document.docx"
            if result.is_file():
                return result.read_bytes()
        raise SourceError(path, 1, 1, f"LibreOffice could not read it as {kind.what}: a damaged file?"
                                      f"{f' ({said})' if said else ''}")


def write_profile(profile: Path) -> None:
    """A new LibreOffice user profile at `profile` whose settings are `_SETTINGS`: no macros, links, proxy."""
    (profile / "user").mkdir(parents=True)
    items = "".join(f'<item oor:path="/{group}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop>'
                    "</item>\n" for group, name, value in _SETTINGS)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n", encoding="utf-8")


def _kind(path: Path, data: bytes) -> Kind:
    kind = kind_of(data, path.suffix.casefold())
    if kind is None:
        raise SourceError(path, 1, 1, "not an office document that LibreOffice Writer imports")
    return kind


def _run(path: Path, command: list[str], root: Path, deadline: float) -> str:
    """Run `command` in `root` under the limits; what it said on stderr that is not noise. A time-out,
    a signal or a non-zero exit is a SourceError."""
    log = root / "soffice.log"
    with open(log, "wb") as output:
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=output, cwd=root,
                                       env=_environment(root), start_new_session=True, preexec_fn=_limits)
        except OSError as error:  # found on the PATH, but not a program that runs here
            raise SourceError(path, 1, 1, f"LibreOffice ({command[0]}) could not be started: {error}") from None
    try:
        ended = _wait(process.pid, deadline)
    finally:  # the group's leader is not yet reaped, so its group id still names only its own processes
        _kill_group(process.pid)
        process.wait()
    said = _said(log.read_text(encoding="utf-8", errors="replace"))
    if not ended:
        raise SourceError(path, 1, 1, f"LibreOffice did not convert it in {SECONDS} s; it was stopped")
    if process.returncode < 0:
        raise SourceError(path, 1, 1, f"LibreOffice stopped on {_signal(-process.returncode)}"
                                      f"{f' ({said})' if said else ''}")
    if process.returncode:
        raise SourceError(path, 1, 1, f"LibreOffice failed with exit code {process.returncode}"
                                      f"{f' ({said})' if said else ''}")
    return said


def _wait(pid: int, deadline: float) -> bool:
    """Wait, without reaping it, until the process `pid` ends (True) or the deadline passes (False)."""
    while True:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _limits() -> None:
    """In the child before LibreOffice starts: the resource limits it runs under (never above the hard ones)."""
    for limit, value in ((resource.RLIMIT_AS, MEMORY), (resource.RLIMIT_CPU, SECONDS),
                         (resource.RLIMIT_FSIZE, MAX_WRITTEN), (resource.RLIMIT_CORE, 0)):
        _, hard = resource.getrlimit(limit)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (value, hard))


def _environment(root: Path) -> dict[str, str]:
    """A small environment: home and temporary files in `root`, no display, no proxy."""
    home = str(root)
    return {"PATH": os.environ.get("PATH", os.defpath), "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
            "SAL_USE_VCLPLUGIN": "svp", "no_proxy": "*", "NO_PROXY": "*"}


def _said(log: str) -> str:
    """LibreOffice's last line of complaint, without the notice that Java cannot start (no Java is needed)."""
    lines = [line.strip() for line in log.splitlines()
             if line.strip() and "javaldx" not in line and not line.startswith("convert ")]
    return lines[-1][:300] if lines else ""


def _signal(number: int) -> str:
    why = {signal.SIGXCPU: f": over {SECONDS} s of processor time", signal.SIGXFSZ: ": a file over its size limit",
           signal.SIGKILL: "", signal.SIGABRT: " (out of memory?)", signal.SIGSEGV: " (a crash)"}
    try:
        name = signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
    return f"{name}{why.get(signal.Signals(number), '')}"


def _version(converted: bytes) -> str:
    """LibreOffice's version as the DOCX it wrote records it (docProps/app.xml), or ""."""
    try:
        with zipfile.ZipFile(io.BytesIO(converted)) as archive:
            app = archive.read("docProps/app.xml")[:4096]
    except (KeyError, zipfile.BadZipFile, EOFError, ValueError):
        return ""
    found = re.search(rb"<Application>LibreOffice/([0-9][0-9.]*[0-9])", app)
    return found.group(1).decode("ascii") if found else ""
