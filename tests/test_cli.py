"""The `pressroom` command, driven through Typer's CliRunner."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SOURCE
from typer.testing import CliRunner

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


def test_check_accepts_the_canonical_source() -> None:
    result = runner.invoke(app, ["check", str(SOURCE)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\nBaker: It’s actually not that", "\nMacaulay: It’s actually not that", "'Macaulay' is not a speaker declared"),
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
    assert "unknown format 'mobi' (known: pdf, epub, docx)" in result.output
    assert not any(tmp_path.iterdir())


def test_build_writes_the_three_editions(editions: Path) -> None:
    assert sorted(p.name for p in editions.iterdir()) == [
        "SHA256SUMS", "sean-baker-anora.docx", "sean-baker-anora.epub", "sean-baker-anora.pdf",
    ]
