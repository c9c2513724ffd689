"""Film titles found in plain text, marked only where the words say it is the film.

Plain text has no italics, so a registry title in running text may be the film
or a character (or person) of the same name: "Anora" the film and Anora, or Ani,
the dancer. Precision before recall: a title is marked when nothing in the
document suggests it is a name, or, when something does, only where a cue
beside it says "film" ("his eighth feature, Anora", "watching Anora", "Anora
will be released") and no cue says "person" ("Anora is", "the Anora
character", "Anora’s"). Every occurrence left unmarked for a reason is a note.

The rules look at the words around each occurrence and at the registries,
never at a particular interview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.model import Film, MentionKind, Person
from ..core.prose import CAPITAL, FRESH_START
from ..reading.registry import Registry

# A cue just before a title that says it is a work.
_FILM_BEFORE = re.compile(
    r"(?:\b(?:film|movie|feature|picture|documentary|debut|drama|comedy|thriller)[,:]?"
    r"|[-–]winning"
    r"|\b(?:in|of|with|for|on|from|about|after|before|like|since|than|into|between)"
    r"|\b(?:watch|watching|watched|rewatch|rewatching|rewatched|screening|screened|releasing|made|making|shooting|premiering)"
    r"|\b(?:your|my|his|our|their))\s+\Z",
    re.IGNORECASE,
)
# A cue just after a title that says it is a work.
_FILM_AFTER = re.compile(
    r"\A(?:\s+(?:will be |was |is |has been |had been |to be )?"
    r"(?:released|premiered|premieres|screened|screens|distributed|won|wins|winning|grossed|opens|opened)\b"
    r"|\s*[\[(]\d{4}[\])])"
)
# Cues that say a name: the person or character, not the film.
_PERSON_BEFORE = re.compile(
    r"(?:\bcharacters?\s+(?:of\s+|named\s+|called\s+)?|\b(?:who|whom|plays|played|playing)\s+|(?<!such )\bas\s+"
    r"|\b(?:dancer|girl|woman|man|boy|heroine|hero|protagonist|wife|husband|mother|father|sister|brother"
    r"|daughter|son|friend|girlfriend|boyfriend),\s+)\Z",
    re.IGNORECASE,
)
_PERSON_AFTER_STRONG = re.compile(
    rf"\A(?:[’']s\b|,\s+or\s+{CAPITAL}|\s*\(\s*{CAPITAL}[\w’'-]+\s+{CAPITAL}|\s+(?:character|role)s?\b)"
)
_PERSON_AFTER_VERB = re.compile(
    r"\A\s+(?:is|was|has|had|does|did|can|could|would|will|should|must|may|might|[a-z]+s)\b(?![’'-])"
)
_NAME_SHAPED = re.compile(rf"(?!(?:The|A|An)\b){CAPITAL}[\w’'-]*(?: {CAPITAL}[\w’'-]*){{0,2}}\Z")
_AT_FRESH_START = re.compile(r"(?:\A|[" + re.escape("".join(FRESH_START)) + r"]\s*)\Z")  # or the text's start
_WORD_BEFORE = re.compile(rf"({CAPITAL}[\w’'-]*)(?:,|\s+and|\s+or)?\s+\Z")
_WORD_AFTER = re.compile(rf"\A(?:,|\s+and|\s+or)?\s+({CAPITAL}[\w’'-]*)")


@dataclass(frozen=True)
class Found:
    """A registry title in a text: where, which film, and what the words around it say."""

    start: int
    end: int
    film: Film | None  # None when the text names more than one film
    candidates: tuple[str, ...]
    verdict: str  # "film", "character" or "doubtful"
    reason: str


@dataclass(frozen=True)
class Context:
    """What the rules know beyond one sentence: the registries and the names in the document."""

    registry: Registry
    name_like: frozenset[str]  # titles the document also uses as a name (see `name_like_titles`)

    @property
    def people_words(self) -> frozenset[str]:
        words = set()
        for person in self.registry.entries[MentionKind.PERSON].values():
            assert isinstance(person, Person)
            for name in person.names:
                words.update(name.split())
        return frozenset(words)


def occurrences(text: str, registry: Registry) -> list[tuple[int, int, list[Film]]]:
    """Every registry title or alias in `text` (as written, capitals included), longest first, not overlapping."""
    films = [f for f in registry.entries[MentionKind.FILM].values() if isinstance(f, Film)]
    hits: dict[tuple[int, int], list[Film]] = {}
    for film in films:
        for name in dict.fromkeys(film.names):
            for match in re.finditer(pattern(name), text):
                found = hits.setdefault(match.span(), [])
                if film not in found:
                    found.append(film)
    taken: list[tuple[int, int, list[Film]]] = []
    for (start, end), found in sorted(hits.items(), key=lambda item: (item[0][0], -(item[0][1] - item[0][0]))):
        if not taken or start >= taken[-1][1]:
            taken.append((start, end, found))
    return taken


TITLE_END = r"(?![\w-]|[’']\w{2})"  # not inside a longer word, a compound or a contraction


def pattern(name: str, end: str = TITLE_END) -> str:
    """A title (or name) as a regular expression: whole words, either apostrophe, either ellipsis, any spaces."""
    return START + body(name) + end


START = r"(?<![\w’'-])"  # not inside a longer word


def body(name: str) -> str:
    """`name`'s characters as a regular expression, without the word boundaries."""
    parts = []
    for char in name:
        if char in "’'":
            parts.append("[’']")
        elif char == "…":
            parts.append(r"(?:…|\.\.\.)")
        elif char.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def name_like_titles(texts: list[str], registry: Registry) -> frozenset[str]:
    """The titles that could be a name (one to three capitalised words, no article) and that the
    document, somewhere, uses as one ("Anora, or Ani", "the Anora character", "Anora’s"), or that
    the people registry has as a name."""
    people = {n for p in registry.entries[MentionKind.PERSON].values() for n in p.names}
    found = set()
    for text in texts:
        for start, end, _films in occurrences(text, registry):
            title = text[start:end]
            if not _NAME_SHAPED.match(title):
                continue
            before, after = text[:start], text[end:]
            if title in people or _PERSON_AFTER_STRONG.match(after) or _PERSON_BEFORE.search(before):
                found.add(title)
    return frozenset(found)


def classify(text: str, context: Context, headline: bool = False) -> list[Found]:
    """Each registry title in `text` with its verdict: marked as a film, a character, or doubtful."""
    result = []
    for start, end, films in occurrences(text, context.registry):
        title, before, after = text[start:end], text[:start], text[end:]
        keys = tuple(f.key for f in films)
        film = films[0] if len(films) == 1 else None
        verdict, reason = _verdict(title, before, after, films, context, headline)
        if verdict == "film" and film is None:
            verdict, reason = "doubtful", f"'{title}' could be any of {', '.join(keys)}"
        result.append(Found(start, end, film, keys, verdict, reason))
    return result


def _verdict(
    title: str, before: str, after: str, films: list[Film], context: Context, headline: bool,
) -> tuple[str, str]:
    film_cue = _film_cue(before, after, films)
    if title in context.name_like:
        person_cue = _person_cue(before, after, context)
        if film_cue and not person_cue:
            return "film", film_cue
        if person_cue and not film_cue:
            return "character", f"'{title}' reads as a name here ({person_cue}); the document also uses it as one"
        both = f"{film_cue} but {person_cue}" if film_cue else "no word around it says film or person"
        return "doubtful", f"'{title}' is both a film and a name in this document; {both}"
    listed = _listed_with_people(before, after, context)
    if listed and not film_cue:
        return "doubtful", f"'{title}' stands in a list with {listed}, a person's name"
    single = " " not in title
    if single and headline and not film_cue:
        return "doubtful", f"'{title}' is one capitalised word in a title-case headline"
    if single and _AT_FRESH_START.search(before) and not film_cue:
        return "doubtful", f"'{title}' begins a sentence, so its capital says nothing"
    longer = _longer_name(before, after, headline)
    if longer and not film_cue:
        return "doubtful", f"'{title}' may be part of a longer name ({longer})"
    return "film", film_cue or "a registry title, never used as a name here"


def _film_cue(before: str, after: str, films: list[Film]) -> str:
    if match := _FILM_BEFORE.search(before):
        return f"after '{match.group().strip()}'"
    if match := _FILM_AFTER.match(after):
        return f"before '{match.group().strip()}'"
    if before.endswith(("“", '"')) and after.startswith(("”", '"')):
        return "in quotation marks"
    for film in films:  # the director's possessive: "Sean Baker’s Anora"
        if film.director:
            for name in (film.director, film.director.split()[-1]):
                if re.search(re.escape(name) + r"[’']s?\s+\Z", before):
                    return f"after its director's '{name}’s'"
    return ""


def _person_cue(before: str, after: str, context: Context) -> str:
    if match := _PERSON_BEFORE.search(before):
        return f"after '{match.group().strip()}'"
    if match := _PERSON_AFTER_STRONG.match(after):
        return f"before '{match.group().strip()}'"
    if not _FILM_AFTER.match(after) and (match := _PERSON_AFTER_VERB.match(after)):
        return f"before the verb '{match.group().strip()}'"
    listed = _listed_with_people(before, after, context)
    return f"in a list with {listed}" if listed else ""


def _listed_with_people(before: str, after: str, context: Context) -> str:
    """A neighbour in a list ("Samantha, Anora and Ivan") that the people registry knows."""
    people = context.people_words
    for match in (_WORD_BEFORE.search(before), _WORD_AFTER.match(after)):
        if match and match.group(1) in people:
            return f"'{match.group(1)}'"
    return ""


def _longer_name(before: str, after: str, headline: bool) -> str:
    """A capitalised word right before or after, not starting a sentence: "Scream Queens"."""
    if headline:
        return ""
    if match := re.match(rf"\A ({CAPITAL}[\w’'-]+)", after):
        return f"'{match.group(1)}' follows"
    if (match := re.search(rf"({CAPITAL}[\w-]+) \Z", before)) and not _AT_FRESH_START.search(before[: match.start()]):
        return f"'{match.group(1)}' comes before"
    return ""
