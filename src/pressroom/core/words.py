"""The book's own words, defined once for every edition: the imprint's lines, a list of names, a date."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from .isbn import isbn_of
from .model import FrontMatter

PRINTED_BY = "Typeset in Spectral by pressroom."  # the colophon of the print edition
PRODUCED_BY = "Produced by pressroom."  # of the editions pressroom does not set on pages itself
# The book's parts by name, as the contents, the navigation and the running heads call them.
PART_TITLES = MappingProxyType({
    "cover": "Cover", "halftitle": "Half-title", "titlepage": "Title Page", "imprint": "Imprint",
    "contents": "Contents", "opening": "Introduction", "interview": "The Interview",
})


def and_list(names: tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def locale_of(lang: str) -> Locale:
    """The CLDR locale of a BCP 47 language tag ("en-US"); English for a tag CLDR does not know."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def long_date(day: date, lang: str) -> str:
    """The date written out as the book's language writes it (CLDR): "3 March 2025" (en-GB), "March 3, 2025" (en-US)."""
    return format_date(day, format="long", locale=locale_of(lang))


def copyright_line(front: FrontMatter) -> str:
    """The source's `rights`, or a © line made from the year of its date and its publisher (or authors)."""
    if front.rights:
        return front.rights
    holder = front.publisher or and_list(front.authors or front.interviewer_names)
    if not holder:
        return ""
    year = f"{front.date.year} " if front.date else ""
    return f"© {year}{holder}"


def imprint_lines(front: FrontMatter, printed: bool) -> list[str]:
    """The copyright page's lines, as plain text and without labels: the © line, the publication
    history (or the date first published), the credits, the ISBN and the colophon (`printed`: the
    print edition's, else `PRODUCED_BY`)."""
    lines = [copyright_line(front), *front.history]
    if front.date and not front.history:
        lines.append(f"First published {long_date(front.date, front.lang)}.")
    credits = and_list(front.interviewer_names or front.authors)
    if credits:
        lines.append(f"Interview by {credits}.")
    if front.editors:
        lines.append(f"Edited by {and_list(front.editors)}.")
    isbn = isbn_of(front.identifier)
    if isbn:
        lines.append(f"ISBN {isbn}")
    lines.append(PRINTED_BY if printed else PRODUCED_BY)
    return [line for line in lines if line]
