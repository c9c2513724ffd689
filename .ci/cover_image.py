"""Renders the README's picture of the wrap cover: the canonical source's, with an example ISBN
(978-0-306-40615-7, the one ISBN examples use) in place of its identifier, so the barcode shows."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLE_ISBN = "978-0-306-40615-7"


def main(source: Path, pressroom: str, png: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for registry in source.parent.glob("*.yaml"):
            shutil.copy(registry, folder)
        text = source.read_text(encoding="utf-8")
        identifier = next(line for line in text.splitlines() if line.startswith("identifier:"))
        (folder / source.name).write_text(text.replace(identifier, f"isbn: {EXAMPLE_ISBN}", 1), encoding="utf-8")
        subprocess.run([pressroom, "build", "--jobs", "1", "--to", "cover", "--out", str(folder / "out"),
                        str(folder / source.name)], check=True)
        cover = folder / "out" / f"{source.stem}.cover.pdf"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(cover), str(png.with_suffix(""))],
                       check=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
