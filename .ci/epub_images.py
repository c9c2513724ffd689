"""Renders the README's pictures of the e-reader edition: XHTML files of EPUBs in headless Chromium at 600 × 900.

    python .ci/epub_images.py BOOK.epub FILE.xhtml OUT.png [BOOK.epub FILE.xhtml OUT.png ...]

Each EPUB is unzipped into a temporary folder and the file opened as a reading system opens it, with
the book's own stylesheet. Two things stand in for a reading system's settings, in the copy only:
the reader's font (`serif`: the book sets none), and hyphenation. Debian's Chromium ships no
hyphenation dictionaries (it downloads them at run time), so `hyphens: auto` would do nothing here:
the script puts soft hyphens where pyphen (WeasyPrint's hyphenator) breaks words of the book's
language, outside headings and titles and names, as a reading system with dictionaries does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pyphen
from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"
WIDTH, HEIGHT = 600, 900
_WORD = re.compile(r"\w{5,}")
_WHOLE = {f"{XHTML}h{n}" for n in range(1, 7)} | {f"{XHTML}cite", f"{XHTML}a"}  # never hyphenated (epub.css)
READER = "html { font-family: serif; }"  # the reader's font setting


def hyphenate(document: etree._Element, lang: str) -> None:
    """Soft hyphens in the text of `document`'s paragraphs and list items, as hyphens: auto would break them."""
    dictionary = pyphen.Pyphen(lang=lang.replace("-", "_"), left=2, right=2)

    def soft(text: str | None) -> str | None:
        return text and _WORD.sub(lambda word: dictionary.inserted(word.group(0), hyphen="\u00ad"), text)

    def walk(element: etree._Element, whole: bool) -> None:
        whole = whole or element.tag in _WHOLE or "person" in (element.get("class") or "").split()
        if not whole:
            element.text = soft(element.text)
        for child in element:
            walk(child, whole)
            if not whole:
                child.tail = soft(child.tail)

    for block in document.iter(f"{XHTML}p", f"{XHTML}li"):
        if not any(ancestor.tag in (f"{XHTML}p", f"{XHTML}li") for ancestor in block.iterancestors()):
            walk(block, False)


def screenshot(epub: Path, name: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with zipfile.ZipFile(epub) as z:
            z.extractall(folder)
        page = next(folder.rglob(name))
        document = etree.parse(str(page)).getroot()
        hyphenate(document, document.get("lang", "en"))
        head = document.find(f"{XHTML}head")
        etree.SubElement(head, f"{XHTML}style").text = READER
        page.write_bytes(etree.tostring(document, xml_declaration=True, encoding="utf-8"))
        chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--force-device-scale-factor=1", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={out.resolve()}",
             page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    if not out.is_file():
        raise SystemExit(f"chromium wrote no {out}")


def main(args: list[str]) -> None:
    if not args or len(args) % 3:
        raise SystemExit(__doc__)
    for epub, name, out in zip(args[::3], args[1::3], args[2::3], strict=True):
        screenshot(Path(epub), name, Path(out))


if __name__ == "__main__":
    main(sys.argv[1:])
