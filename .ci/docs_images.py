"""Renders the README's pictures of a print edition with pdftoppm: title page, a spread, the first index page."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image


def page_of(pdf: Path, text: str, after: int = 1) -> int:
    """The first page from `after` on whose text contains `text`."""
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    return next(n for n, page in enumerate(pages, start=1) if n >= after and text in page)


def render(pdf: Path, page: int, folder: Path) -> Image.Image:
    prefix = folder / f"p{page}"
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                    str(prefix)], check=True)
    return Image.open(f"{prefix}.png")


def main(pdf: Path, out: Path) -> None:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    interview = page_of(pdf, "The Interview", after=6)
    left = interview + 1 if (interview + 1) % 2 == 0 else interview + 2  # a verso, with its recto beside it
    index = page_of(pdf, "Index of Films", after=left)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        render(pdf, page_of(pdf, "An interview with"), folder).save(out / "title-page.png")
        verso, recto = render(pdf, left, folder), render(pdf, min(left + 1, pages), folder)
        spread = Image.new("RGB", (verso.width + recto.width, verso.height), "white")
        spread.paste(verso, (0, 0))
        spread.paste(recto, (verso.width, 0))
        spread.save(out / "spread.png")
        render(pdf, index, folder).save(out / "index.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
