"""Zip containers (EPUB, DOCX) rewritten so that the same content gives the same bytes.

EbookLib and pandoc stamp zip entries with the clock; we keep their entries
and order, and give every entry the build's timestamp and fixed attributes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from .options import FALLBACK_DATE  # the earliest date a zip entry can hold


def normalize_zip(
    path: Path,
    when: datetime,
    stored: frozenset[str] = frozenset({"mimetype"}),
    rewrite: Callable[[str, bytes], bytes] = lambda name, data: data,
    added: Mapping[str, bytes] | None = None,
) -> None:
    """Rewrite the zip at `path` in place, dated `when`; entries in `stored` stay uncompressed.

    `rewrite(name, data)` may change an entry's content on the way (dates inside XML parts);
    `added` entries (name -> content) follow the existing ones, in the mapping's order.
    """
    date_time = max(when.astimezone(UTC), FALLBACK_DATE).timetuple()[:6]
    with zipfile.ZipFile(path) as old:
        entries = [(info.filename, rewrite(info.filename, old.read(info))) for info in old.infolist()]
    entries += list((added or {}).items())
    with zipfile.ZipFile(path, "w") as new:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, whatever machine wrote it
            new.writestr(info, data)
