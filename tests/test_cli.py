"""The `pressroom` command, driven through Typer's CliRunner."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from typer.testing import CliRunner

from conftest import SOURCE
from pressroom import __version__
from pressroom.cli import app

runner = CliRunner()
ERROR_LINE = re.compile(r"^\S+:\d+:\d+: ")


def _copy_source(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """The canonical source and its registries in a folder of their own, with one edit."""
    folder = tmp_path / "src"
    folder.mkdir()
    for registry in SOURCE.parent.glob("*.yaml"):
        shutil.copy(registry, folder)
    text = SOURCE.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    source = folder / SOURCE.name
    source.write_text(text, encoding="utf-8")
    return source


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"pressroom {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["check", "--help"], ["index", "--help"]])
def test_help_everywhere(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "Usage" in result.output


_IMPORTED_FOR = """
import sys
from pressroom.cli import app
try:
    app(sys.argv[1:], prog_name="pressroom")
except SystemExit:
    pass
print(sorted(name for name in ("weasyprint", "pypandoc", "ebooklib", "distributed") if name in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"]])
def test_help_imports_neither_weasyprint_nor_pandocs_wrapper(args: list[str]) -> None:
    """The heavy libraries are imported by the commands that use them, so --help answers at once."""
    run = subprocess.run([sys.executable, "-c", _IMPORTED_FOR, *args], capture_output=True, text=True, check=True)
    assert "Usage" in run.stdout and run.stdout.splitlines()[-1] == "[]", run.stdout


def test_check_accepts_the_canonical_source() -> None:
    result = runner.invoke(app, ["check", str(SOURCE)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\nBaker: It’s actually not that", "\nMacaulay: It’s actually not that",
         "'Macaulay' is not a speaker declared"),
        ("[Starlet]{.film}", "[Starlit]{.film}", "'Starlit' names no film"),
    ],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_bad_source_gives_one_located_error_line(
    tmp_path: Path, command: str, old: str, new: str, message: str
) -> None:
    source = _copy_source(tmp_path, old, new)
    out = tmp_path / "out"
    args = [command, str(source)] + (["--out", str(out)] if command == "build" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    located = [line for line in result.output.splitlines() if ERROR_LINE.match(line)]
    assert len(located) == 1 and located[0].startswith(f"{source}:") and message in located[0], result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SOURCE), "--to", "pdf,mobi", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown format 'mobi' (known: pdf, epub, kepub, docx, html, cover)" in result.output
    assert not any(tmp_path.iterdir())


def test_build_writes_the_three_editions(editions: Path) -> None:
    assert sorted(p.name for p in editions.iterdir()) == [
        "SHA256SUMS", "sean-baker-anora.docx", "sean-baker-anora.epub", "sean-baker-anora.pdf",
    ]


# --- the date every edition records -------------------------------------------


def _front_date(source: Path) -> date:
    front = re.match(r"---\n(.*?)\n---\n", source.read_text(encoding="utf-8"), re.S).group(1)
    found = yaml.safe_load(front).get("date")
    assert isinstance(found, date), "the test needs a source whose front matter has a date:"
    return found


def _recorded_dates(out: Path, stem: str) -> dict[str, str]:
    """Where each edition records when it was made and changed, read by poppler and by XML parsers."""
    pdf = out / f"{stem}.pdf"
    info = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True, check=True)
    dates = {f"pdf {key}": value for key, value in re.findall(r"^(CreationDate|ModDate):\s+(\S+)", info.stdout, re.M)}
    xmp = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True)
    for element in ElementTree.fromstring(xmp.stdout.strip()).iter():
        if element.tag in ("{http://ns.adobe.com/xap/1.0/}CreateDate", "{http://ns.adobe.com/xap/1.0/}ModifyDate"):
            dates[f"pdf xmp:{element.tag.rpartition('}')[2]}"] = element.text
    with zipfile.ZipFile(out / f"{stem}.epub") as z:
        opf_path = ElementTree.fromstring(z.read("META-INF/container.xml")).find(".//{*}rootfile").get("full-path")
        opf = ElementTree.fromstring(z.read(opf_path))
    dates["epub dc:date"] = opf.findtext(".//{http://purl.org/dc/elements/1.1/}date")
    metas = opf.iter("{http://www.idpf.org/2007/opf}meta")
    modified = [m.text for m in metas if m.get("property") == "dcterms:modified"]
    dates["epub dcterms:modified"] = modified[0] if len(modified) == 1 else modified
    with zipfile.ZipFile(out / f"{stem}.docx") as z:
        core = ElementTree.fromstring(z.read("docProps/core.xml"))
    for name in ("created", "modified"):
        dates[f"docx dcterms:{name}"] = core.findtext(f"{{http://purl.org/dc/terms/}}{name}")
    assert len(dates) == 8, dates
    return dates


@pytest.mark.slow
def test_source_date_epoch_dates_every_edition_over_the_front_matter(tmp_path: Path, monkeypatch) -> None:
    source = _copy_source(tmp_path)
    # an instant that is no midnight and not the front matter's day
    instant = datetime.combine(_front_date(source) - timedelta(days=400), time(13, 14, 15), tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(instant.timestamp())))
    result = runner.invoke(app, ["build", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    dates = _recorded_dates(tmp_path / "out", source.stem)
    assert set(dates.values()) == {instant.strftime("%Y-%m-%dT%H:%M:%SZ")}, dates


@pytest.mark.slow
def test_without_source_date_epoch_every_edition_carries_the_front_matter_date(tmp_path: Path, monkeypatch) -> None:
    source = _copy_source(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = runner.invoke(app, ["build", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    dates = _recorded_dates(tmp_path / "out", source.stem)
    assert set(dates.values()) == {f"{_front_date(source).isoformat()}T00:00:00Z"}, dates  # midnight UTC


def test_a_bad_source_date_epoch_is_a_usage_error_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    source = _copy_source(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "SOURCE_DATE_EPOCH" in lines[0] and "yesterday" in lines[0], result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_bad_source_date_epoch_is_reported_before_any_source_is_read(tmp_path: Path, monkeypatch) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("no front matter here\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = runner.invoke(app, ["build", str(broken), str(tmp_path / "missing.md"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "SOURCE_DATE_EPOCH" in lines[0], result.output
