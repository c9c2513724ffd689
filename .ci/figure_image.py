"""Renders the README's picture of a print spread with a figure: the tests' figure source (the canonical
interview with two pictures Pillow draws, tests/conftest.py's make_figure_source), built with pressroom,
and the spread on which the wide still stands."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import make_figure_source  # noqa: E402 - the fixture the tests build, not a copy of it


def main(pressroom: str, png: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = make_figure_source(folder / "src")
        subprocess.run([pressroom, "build", "--jobs", "1", "--to", "pdf", "--out", str(folder / "out"), str(source)],
                       check=True)
        pdf = folder / "out" / f"{source.stem}.pdf"
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        page = int(listing.splitlines()[2].split()[0])  # the first picture's page
        verso = page if page % 2 == 0 else page - 1
        images = []
        for number in (verso, verso + 1):
            prefix = folder / f"p{number}"
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                            str(pdf), str(prefix)], check=True)
            images.append(Image.open(f"{prefix}.png"))
        spread = Image.new("RGB", (images[0].width + images[1].width, images[0].height), "white")
        spread.paste(images[0], (0, 0))
        spread.paste(images[1], (images[0].width, 0))
        spread.save(png)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
