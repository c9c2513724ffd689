"""The book's own words, defined once for every edition and said in the book's language.

Every label, heading and credit the editions print outside the source's text is a message below,
marked with `_` for extraction (`make messages` writes locales/pressroom.pot with Babel); its
translations are gettext catalogues, one `.po` file per language in `locales/<lang>/LC_MESSAGES/`.
Lists, dates and quotation marks come from CLDR (Babel; ICU for the quotation marks, which Babel
does not carry). A language with no catalogue is said in English (`catalogue_for` says so, and the
reader warns once per source).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list

from .isbn import isbn_of
from .model import FrontMatter


def _(message: str) -> str:
    """Marks a message for extraction; `Words.say` translates it."""
    return message


# The book's parts by name, as the contents, the navigation and the running heads call them.
PART_TITLES = MappingProxyType({
    "cover": _("Cover"), "halftitle": _("Half-title"), "titlepage": _("Title Page"), "imprint": _("Imprint"),
    "contents": _("Contents"), "opening": _("Introduction"), "interview": _("The Interview"),
    "film-index": _("Index of Films"), "name-index": _("Index of Names"), "notes": _("Notes"),
})
# the title page, and the DOCX's title block
INTERVIEW_WITH = _("An interview with {names}")
BY = _("by {names}")
EDITED_BY = _("Edited by {names}")
# the copyright page: whole sentences
FIRST_PUBLISHED = _("First published {date}.")
INTERVIEW_BY = _("Interview by {names}.")
INTERVIEWS_BY = _("Interviews by {names}.")
EDITED_BY_LINE = _("Edited by {names}.")
PRINTED_BY = _("Typeset in Spectral by pressroom.")  # the colophon of the print edition
PRODUCED_BY = _("Produced by pressroom.")  # of the editions pressroom does not set on pages itself
# the e-reader edition's navigation and what assistive technology reads out
START_OF_TEXT = _("Start of the text")
LANDMARKS = _("Landmarks")
PAGES = _("Pages")
BACK_TO_NOTE = _("Back to note reference {number}")
COVER_OF = _("Cover: {description}")
PRINT_EDITION_OF = _("{title} (print edition, pressroom)")
SUMMARY = _("Structured text with headings, a table of contents and page-break markers matching the print edition.")
SUMMARY_INDEXES = _("Each entry of its indexes links to every mention.")
SUMMARY_FIGURES = _("The photographs have captions and text alternatives, as has the cover.")
SUMMARY_COVER = _("The only image is the cover, which has a text alternative.")
SEARCH = _("Search")  # the web edition's search: its button and page
SEARCH_THE_TEXT = _("Search the text")
NO_MATCH = _("Nothing found.")
SEARCH_NEEDS_SCRIPT = _("The search needs JavaScript; the contents and the indexes work without it.")

ENGLISH = "en"
_ALIASES = MappingProxyType({"no": "nb"})  # Norwegian without a written standard named: Bokmål, as CLDR reads it


@dataclass(frozen=True)
class Words:
    """The book's words in one language: `lang` the BCP 47 tag asked for, `catalogue` its translations
    (empty for English, whose messages are the catalogue's ids)."""

    lang: str
    catalogue: MappingProxyType

    def say(self, message: str, **fields: str | int) -> str:
        """`message` in this language, its `{fields}` filled."""
        return self.catalogue.get(message, message).format(**fields)

    def part(self, name: str) -> str:
        return self.say(PART_TITLES[name])

    def parse(self, message: str, text: str) -> dict[str, str] | None:
        """The fields of `text` if it is `message` as this language says it (reading an imprint back)."""
        said = re.escape(self.catalogue.get(message, message))
        pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m[1]}>.+)", said)
        found = re.fullmatch(pattern, text)
        return found.groupdict() if found else None

    def field(self, message: str, name: str, text: str) -> str:
        """The field `name` of `text` said as `message`; else `text` itself."""
        return (self.parse(message, text) or {name: text})[name]

    def and_list(self, names: tuple[str, ...] | list[str]) -> str:
        """'A', 'A and B', 'A, B and C', as CLDR joins a list in this language."""
        return format_list(list(names), locale=self.locale) if names else ""

    def names_of(self, text: str) -> list[str]:
        """The names `and_list` joined into `text`, apart again."""
        patterns = self.locale.list_patterns["standard"]
        joints = {patterns[k].split("{0}")[1].split("{1}")[0] for k in ("start", "middle", "end", "2")}
        return re.split("|".join(map(re.escape, sorted(joints, key=len, reverse=True))), text) if text else []

    def long_date(self, day: date) -> str:
        """The date written out as the language writes it (CLDR): "3 March 2025" (en-GB), "March 3, 2025" (en-US)."""
        return format_date(day, format="long", locale=self.locale)

    @property
    def locale(self) -> Locale:
        return locale_of(self.lang)

    @property
    def quotes(self) -> tuple[str, str, str, str]:
        """The opening and closing quotation marks, then those of a quotation inside one (CLDR)."""
        return quotation_marks(self.lang)

    def labelled(self, label: str) -> str:
        """A speaker's label as it opens a turn: "Q:", in French "Q\u202f:"."""
        return self.spaced(f"{label} :") if primary_language(self.lang) == "fr" else f"{label}:"

    def spaced(self, text: str) -> str:
        """French spacing where the text has plain spaces: a narrow no-break space before ; : ! ? and »
        and after «."""
        if primary_language(self.lang) != "fr":
            return text
        return re.sub(r"(«) | (?=[;:!?»])", lambda m: (m[1] or "") + "\u202f", text)


def primary_language(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].casefold()


def locale_of(lang: str) -> Locale:
    """The CLDR locale of a BCP 47 language tag ("en-US"); English for a tag CLDR does not know."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(ENGLISH)


def quotation_marks(lang: str) -> tuple[str, str, str, str]:
    import icu  # ICU's locale data: CLDR's delimiters, which Babel does not carry

    data, kind = icu.LocaleData(lang.replace("-", "_")), icu.ULocaleDataDelimiterType
    marks = tuple(data.getDelimiter(k) for k in (
        kind.QUOTATION_START, kind.QUOTATION_END, kind.ALT_QUOTATION_START, kind.ALT_QUOTATION_END))
    if primary_language(lang) == "fr":  # French sets a narrow no-break space inside its guillemets
        marks = tuple(f"{q}\u202f" if i % 2 == 0 and q in "«‹" else f"\u202f{q}" if q in "»›" else q
                      for i, q in enumerate(marks))
    return marks  # type: ignore[return-value]


def catalogue_languages() -> tuple[str, ...]:
    """The languages with a catalogue (English needs none)."""
    root = files("pressroom") / "locales"
    return tuple(sorted(d.name for d in root.iterdir() if (d / "LC_MESSAGES" / "pressroom.po").is_file()))


def catalogue_for(lang: str) -> str | None:
    """The catalogue `lang` is said with ("fr" for "fr-CA", "pt_BR" for "pt-BR"), ENGLISH for an English
    tag, or None: there is none and the book is said in English."""
    tag = lang.replace("-", "_")
    parts = tag.split("_")
    primary = _ALIASES.get(parts[0].casefold(), parts[0].casefold())
    if primary == ENGLISH:
        return ENGLISH
    known = catalogue_languages()
    for candidate in (f"{primary}_{parts[1].upper()}" if len(parts) > 1 else None, primary):
        if candidate in known:
            return candidate
    return None


def warn_uncatalogued(where: object, lang: str) -> None:
    """Say that the book's words will be English, for a language with no catalogue."""
    if catalogue_for(lang) is None:
        logging.getLogger("pressroom").warning(
            "%s: pressroom has no catalogue for the language '%s': the book's own words (contents, running heads, "
            "credits) are printed in English; see the README's 'Languages' to add one", where, lang)


def words_for(lang: str) -> Words:
    """The book's words in the language of the BCP 47 tag `lang`."""
    catalogue = catalogue_for(lang)
    return Words(lang, MappingProxyType(_read_catalogue(catalogue) if catalogue not in (None, ENGLISH) else {}))


def _read_catalogue(name: str) -> dict[str, str]:
    from babel.messages.pofile import read_po  # only a book in another language reads a catalogue

    path = files("pressroom") / "locales" / name / "LC_MESSAGES" / "pressroom.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=name)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def copyright_line(front: FrontMatter, words: Words) -> str:
    """The source's `rights`, or a © line made from the year of its date and its publisher (or authors)."""
    if front.rights:
        return front.rights
    holder = front.publisher or words.and_list(front.authors or front.interviewer_names)
    if not holder:
        return ""
    year = f"{front.date.year} " if front.date else ""
    return f"© {year}{holder}"


def imprint_lines(front: FrontMatter, printed: bool, collection: bool = False) -> list[str]:
    """The copyright page's lines, as plain text and without labels: the © line, the publication
    history (or the date first published), the credits, the ISBN and the colophon (`printed`: the
    print edition's, else `PRODUCED_BY`)."""
    words = words_for(front.lang)
    lines = [copyright_line(front, words), *front.history]
    if front.date and not front.history:
        lines.append(words.say(FIRST_PUBLISHED, date=words.long_date(front.date)))
    names = front.interviewer_names or front.authors
    if names:
        lines.append(words.say(INTERVIEWS_BY if collection else INTERVIEW_BY, names=words.and_list(names)))
    if front.editors:
        lines.append(words.say(EDITED_BY_LINE, names=words.and_list(front.editors)))
    isbn = isbn_of(front.identifier)
    if isbn:
        lines.append(f"ISBN {isbn}")
    lines.append(words.say(PRINTED_BY if printed else PRODUCED_BY))
    return [line for line in lines if line]
