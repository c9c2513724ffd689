"""Every build setting and its default, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import UsageError

STYLES_DIR = Path(__file__).resolve().parents[2] / "styles"  # the repository's styles/ folder
FALLBACK_DATE = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the earliest date a zip entry can hold


@dataclass(frozen=True)
class BuildOptions:
    """How the editions are made.

    styles_dir: where print.css, epub.css and reference.docx are read from
                (nothing outside it and the source's folder is ever read).
    timestamp:  the date every edition records as its creation and modification
                date; see `build_timestamp`. Never the clock, so builds repeat.
    """

    styles_dir: Path = STYLES_DIR
    timestamp: datetime = FALLBACK_DATE


def build_timestamp(front_date: date | None) -> datetime:
    """SOURCE_DATE_EPOCH if set, else the front matter's date, else 1980-01-01 (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'") from None
    if front_date is not None:
        return datetime(front_date.year, front_date.month, front_date.day, tzinfo=timezone.utc)
    return FALLBACK_DATE
