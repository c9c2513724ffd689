"""Open a DOCX in LibreOffice, update its TOC and indexes, and say what they held before and after.

Run with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno), not a venv:

    /usr/bin/python3 tests/lo_update_indexes.py IN.docx OUT.json [--fonts DIR] [--pdf-before PDF] [--pdf-after PDF]

It starts its own headless soffice with a private profile, listening on a pipe of its own,
loads the document hidden, reads the text of every document index (the TOC, the alphabetical
indexes) as the file caches it, calls `update()` on each, reads them again, and writes JSON:
{"indexes": [{"service", "title", "before", "after"}]}. `--pdf-before` and `--pdf-after` export
the document as PDF before and after the update; `--fonts` adds a folder of fonts (the book's
face, which is a Python package, not a system font) through a fontconfig file of its own.
soffice is always ended (terminate, then kill) and the whole run is bounded by timeouts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import uno  # the system's LibreOffice bridge
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

TIMEOUT = 120.0  # seconds for soffice to start and accept the connection


def _props(**values: object) -> tuple:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def _connect(pipe: str, process: subprocess.Popen):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if process.poll() is not None:
                raise SystemExit(f"soffice exited with {process.returncode} before accepting a connection") from None
            if time.monotonic() > deadline:
                raise SystemExit("soffice did not accept a connection in time") from None
            time.sleep(0.25)


def _service(index) -> str:
    for name in ("com.sun.star.text.ContentIndex", "com.sun.star.text.DocumentIndex", "com.sun.star.text.UserIndex"):
        if index.supportsService(name):
            return name.rsplit(".", 1)[1]
    return index.getImplementationName()


def _text(index) -> str:
    return index.getAnchor().getString().replace("\r\n", "\n").replace("\r", "\n")


def _fontconfig(tmp: str, fonts: Path | None) -> dict[str, str]:
    if fonts is None:
        return {}
    conf = Path(tmp, "fonts.conf")
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts.resolve()}</dir><cachedir>{Path(tmp, 'fontcache')}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


def _export(document, pdf: Path | None) -> None:
    if pdf is not None:
        document.storeToURL(pdf.resolve().as_uri(), _props(FilterName="writer_pdf_Export"))


def main(docx: Path, out: Path, fonts: Path | None, pdf_before: Path | None, pdf_after: Path | None) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-update-") as tmp:
        pipe = f"pressroom-{os.getpid()}"
        process = subprocess.Popen(
            [
                soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--invisible",
                "--nologo", "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **_fontconfig(tmp, fonts)},
        )
        try:
            context = _connect(pipe, process)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            document = desktop.loadComponentFromURL(docx.resolve().as_uri(), "_blank", 0, _props(Hidden=True))
            if document is None:
                raise SystemExit(f"LibreOffice could not load {docx}")
            _export(document, pdf_before)
            indexes = document.getDocumentIndexes()
            found = []
            for i in range(indexes.getCount()):
                index = indexes.getByIndex(i)
                entry = {"service": _service(index), "title": index.Title, "before": _text(index)}
                index.update()
                entry["after"] = _text(index)
                found.append(entry)
            _export(document, pdf_after)
            document.close(True)
            out.write_text(json.dumps({"indexes": found}, ensure_ascii=False, indent=1), encoding="utf-8")
            try:
                desktop.terminate()
            except Exception:  # noqa: BLE001 - the bridge drops as soffice quits
                pass
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("docx", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--fonts", type=Path)
    parser.add_argument("--pdf-before", type=Path)
    parser.add_argument("--pdf-after", type=Path)
    args = parser.parse_args()
    main(args.docx, args.out, args.fonts, args.pdf_before, args.pdf_after)
