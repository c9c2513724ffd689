"""The front matter a pressroom DOCX prints, read back: its imprint page and the date of its title page.

The imprint's lines are `core.words.imprint_lines` (the © line, the publication history or the date
first published, "Interview by ...", "Edited by ...", "ISBN ...", the colophon). The page carries no
field names, so this is the one part of the front matter that is a guess, made from what each line
looks like; pressroom's own DOCX keeps its front matter besides (writers/docx_source.py), and the
importer takes that whenever the page is what it would print.
"""

from __future__ import annotations

import re
from datetime import date

from ..core import model as m
from ..core.words import EDITED_BY_LINE, FIRST_PUBLISHED, INTERVIEW_BY, PRINTED_BY, PRODUCED_BY, words_for
from ..reading.frontmatter import FrontFields

_RIGHTS = re.compile(r"^(©|\(c\)|copyright\b)|rights reserved|licen[cs]e|creative commons", re.I)


def long_date_of(text: str, lang: str) -> date | None:
    """The date `text` is, written out as `long_date` writes it in the language `lang`; else None."""
    words = words_for(lang)
    locale = words.locale
    months = {name.casefold(): number for number, name in locale.months["format"]["wide"].items()}
    year = re.search(r"\b(\d{4})\b", text)
    month = next((n for name, n in months.items() if re.search(rf"\b{re.escape(name)}\b", text.casefold())), None)
    if not year or not month:
        return None
    for day in re.findall(r"\b(\d{1,2})\b", text):
        try:
            candidate = date(int(year[1]), month, int(day))
        except ValueError:
            continue
        if words.long_date(candidate) == text:
            return candidate
    return None


def imprint_fields(lines: list[str], day: date | None, lang: str, authors: tuple[str, ...]) -> dict:
    """The front matter's fields the imprint page's `lines` give (rights, publisher, history, identifier,
    date, and `interviewers`: the names "Interview by" gives when they are not the `authors`); `day` is
    the title page's date."""
    words = words_for(lang)  # the page is in the book's language
    lines = [line for line in lines if line not in (words.say(PRINTED_BY), words.say(PRODUCED_BY))]
    found: dict = {"date": day}
    if lines and (isbn := re.fullmatch(r"ISBN (\S.*)", lines[-1])):
        found["identifier"] = f"urn:isbn:{isbn[1]}"
        lines.pop()
    if lines and words.parse(EDITED_BY_LINE, lines[-1]):
        lines.pop()  # a collection's editors: an interview has none
    credits = None
    if lines and (credit := words.parse(INTERVIEW_BY, lines[-1])):
        credits = credit["names"]
        lines.pop()
        if credits != words.and_list(authors):
            found["interviewers"] = tuple(words.names_of(credits))
    first = words.parse(FIRST_PUBLISHED, lines[-1]) if lines else None
    when = long_date_of(first["date"], lang) if first else None
    if when and day in (None, when):  # the date, printed when there is no history (whose lines may begin so too)
        found["date"] = when
        lines.pop()
    if lines and _RIGHTS.search(lines[0]):
        found |= _copyright(lines.pop(0), found["date"], {credits, words.and_list(authors)})
    if lines:
        found["history"] = tuple(lines)
    return found


def _copyright(line: str, day: date | None, names: set[str | None]) -> dict:
    """The © line: the source's rights, or "© YEAR PUBLISHER" made of its date and publisher (or of the
    authors' or interviewers' `names`: then neither)."""
    made = re.fullmatch(rf"© {day.year} (.+)" if day else r"© (.+)", line)
    if made is None or made[1].endswith("."):  # a publisher's name seldom ends in a full stop, a rights line often
        return {"rights": line}
    return {} if made[1] in names else {"publisher": made[1]}


def imprint_of(fields: FrontFields) -> m.FrontMatter:
    """Front matter with the fields the imprint page prints, to compare the page with what was kept."""
    return m.FrontMatter(title=(), subtitle=(), lang=fields.lang, speakers=fields.speakers, date=fields.date,
                         identifier=fields.identifier, authors=fields.authors, publisher=fields.publisher,
                         rights=fields.rights, history=fields.history)
