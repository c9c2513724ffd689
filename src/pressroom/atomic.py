"""Atomic output: a file appears whole under its name, or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside `out`; renamed onto `out` only if the block succeeds.

    Beside, not in /tmp, so the rename stays on one file system and is atomic;
    an earlier `out` is untouched until the new one is complete.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
