"""How the editions record their making in their metadata: the program's name and the build's date."""

from __future__ import annotations

from datetime import UTC, datetime

GENERATOR = "pressroom"  # the program the metadata names as the file's maker


def stamp(moment: datetime) -> str:
    """`moment` as the editions' metadata writes a date (W3C date-time in UTC): "2025-03-03T00:00:00Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
