"""Who speaks: each label's role (who asks is an interviewer) and the name the text spells out for it.

    Interview with Jane Roe                   <- "interview with X": an interviewee's name
    John Doe, Interviewer                     <- "X, Interviewer", "interviewed by X": an interviewer's
    John Doe (JD): ...  JD: ...               <- a label written once with its name
    Q: ...   Roe: ...   JR: ...               <- labels matched to those names (a word, the initials)

Roles: a label that says it (Q, Host, Interviewer; A, Guest, Narrator) or a name credited as
one; else by the share of turns with a question and the length of the turns: the one who asks
most is an interviewer, the one who asks least and talks longest an interviewee, and a co-host
who asks as much as they answer is an interviewer too. Nothing here knows a particular interview.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..core.model import MentionKind, Role, Speaker
from ..core.prose import CAPITAL
from ..reading.registry import Registry
from .labels import INTERVIEWEE_LABELS, INTERVIEWER_LABELS

_PART = rf"{CAPITAL}[\w’'.-]*"
_PARTICLE = r"(?:de|van|von|der|den|da|di|du|la|le|del|dos|bin|al|ter)"
NAME = rf"{_PART}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_PART}){{1,3}}"
# capitalised words that end a name in a title-case headline ("Interview with Jane Roe About ...")
_NOT_IN_NAMES = frozenset("about on for and but or the a an at in of with from to by after before as when while his "
                          "her their its our my your is was interview interviewer interviewed conversation part "
                          "episode transcript director filmmaker actor actress producer writer author host guest "
                          "mr mrs ms dr professor prof".split())
INTERVIEWER_CREDITS = (  # the words around a name case-blind ((?i:...)), the name itself capitalised
    re.compile(rf"(?P<n>{NAME}),?[ \t]+(?i:(?:the[ \t]+)?(?:interviewer|host|moderator|co-host))\b"),
    re.compile(rf"\b(?i:(?:interview(?:ed)?|conducted|hosted|moderated|questions)[ \t]+by)[ \t]+(?P<n>{NAME})"),
    re.compile(rf"^(?i:(?:interviewers?|hosts?|moderators?)[ \t]*:)[ \t]*(?P<n>{NAME})", re.MULTILINE),
)
INTERVIEWEE_CREDITS = (
    re.compile(rf"\b(?i:(?:interview|conversation|talk|chat|talking|speaks|speaking|sits down)[ \t]+with)[ \t]+"
               rf"(?:(?:the[ \t]+)?[a-z][\w-]*[ \t]+)?(?P<n>{NAME})"),
    re.compile(rf"^(?i:(?:interviewees?|narrators?|guests?)[ \t]*:)[ \t]*(?P<n>{NAME})", re.MULTILINE),
    re.compile(rf"(?P<n>{NAME}),?[ \t]+(?i:(?:the[ \t]+)?(?:interviewee|narrator))\b"),
)
_MORE = re.compile(rf"(?:,[ \t]*|[ \t]+(?:and|&)[ \t]+)(?P<n>{NAME})")
_ANY_NAME = re.compile(NAME)
_ANSWER = frozenset({"a", "answer"})  # the answers to a Q's questions, not Speaker A of a recording
_CO_HOST_QUESTIONS = 0.25  # a second speaker asking in a quarter of their turns or more is an interviewer


@dataclass(frozen=True)
class Credits:
    """The names the text gives its interviewers and interviewees ("X, Interviewer", "interview with Y")."""

    interviewers: tuple[str, ...] = ()
    interviewees: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # named, role unsaid (a YAML `speakers:` list)


def credits_in(texts: Iterable[str]) -> Credits:
    """The names `texts` (a headline, a byline, an introduction) credit as interviewer or interviewee."""
    found: dict[Role, list[str]] = {Role.INTERVIEWER: [], Role.INTERVIEWEE: []}
    for text in texts:
        for role, patterns in ((Role.INTERVIEWER, INTERVIEWER_CREDITS), (Role.INTERVIEWEE, INTERVIEWEE_CREDITS)):
            for pattern in patterns:
                for match in pattern.finditer(text):
                    names = [match.group("n")]
                    rest = text[match.end("n"):]
                    while (more := _MORE.match(rest)) is not None:
                        names.append(more.group("n"))
                        rest = rest[more.end():]
                    for name in filter(None, map(clean_name, names)):
                        if name not in found[role]:
                            found[role].append(name)
    return Credits(tuple(found[Role.INTERVIEWER]), tuple(found[Role.INTERVIEWEE]))


def clean_name(words: str) -> str | None:
    """The name in capitalised `words`: the words that are no part of one taken off the front, cut at the
    next such word or after a possessive; None when less than two words are left."""
    kept: list[str] = []
    for word in words.split():
        bare = word.rstrip(".,")
        if bare.casefold() in _NOT_IN_NAMES:
            if kept:
                break
            continue
        possessive = bare.endswith(("’s", "'s"))
        kept.append(bare[:-2] if possessive else bare)
        if possessive:
            break
    return " ".join(kept) if len(kept) >= 2 else None


def person_names(registry: Registry) -> tuple[str, ...]:
    """The names of `people.yaml`, which a label may stand for."""
    return tuple(person.name for person in registry.entries[MentionKind.PERSON].values())


def cast(
    turns: Sequence[tuple[str, str]], written: Mapping[str, str], credits: Credits, context: Sequence[str],
    known_names: Iterable[str] = (),
) -> tuple[tuple[Speaker, ...], str]:
    """The speakers of `turns` ((label, words) in order) with roles and names, and a note saying how they
    were told apart. `written`: the names written beside labels; `context`: texts that may name them."""
    labels = list(dict.fromkeys(label for label, _ in turns))
    asked: dict[str, list[bool]] = {label: [] for label in labels}
    words: Counter[str] = Counter()
    for label, said in turns:
        asked[label].append("?" in said)
        words[label] += len(said.split())
    share = {label: sum(flags) / len(flags) for label, flags in asked.items()}
    length = {label: words[label] / len(asked[label]) for label in labels}
    names = {label: _name(label, written, credits, context, known_names) for label in labels}
    roles = _roles(labels, share, length, names, credits)
    for label in labels:  # a generic label takes the name credited to the one speaker in its role
        credited = credits.interviewers if roles[label] is Role.INTERVIEWER else credits.interviewees
        alone = sum(roles[other] is roles[label] for other in labels) == 1
        if names[label] is None and alone and len(credited) == 1 and _generic(label):
            names[label] = credited[0]
    speakers = tuple(Speaker(label, roles[label], names[label] if names[label] != label else None) for label in labels)
    shares = ", ".join(f"{label} {share[label]:.0%}" for label in labels)
    told = ", ".join(f"{s.label} ({s.role.value}{', ' + s.name if s.name else ''})" for s in speakers)
    return speakers, f"speakers {told}; turns with a question: {shares}; check the roles and names in speakers:"


def _generic(label: str) -> bool:
    """A label that names a role, not a person ("Q", "Host", "Guest 2")."""
    return label.casefold().rstrip(" 0123456789") in INTERVIEWER_LABELS | INTERVIEWEE_LABELS


def _roles(labels: list[str], share: dict[str, float], length: dict[str, float], names: dict[str, str | None],
           credits: Credits) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    asked_by_q = any(label.casefold() in ("q", "question") for label in labels)  # else A and B are two voices
    for label in labels:
        folded, name = label.casefold().rstrip(" 0123456789"), names[label] or label
        if folded in INTERVIEWER_LABELS or name in credits.interviewers:
            roles[label] = Role.INTERVIEWER
        elif (folded in INTERVIEWEE_LABELS and (folded not in _ANSWER or asked_by_q)) or name in credits.interviewees:
            roles[label] = Role.INTERVIEWEE
    undecided = [label for label in labels if label not in roles]
    if len(labels) == 1 and undecided:  # a monologue, or one voice of a recording
        return {labels[0]: Role.INTERVIEWEE}
    if undecided and Role.INTERVIEWER not in roles.values():
        asker = max(undecided, key=lambda label: (share[label], -length[label], -labels.index(label)))
        roles[asker] = Role.INTERVIEWER
        undecided.remove(asker)
    if undecided and Role.INTERVIEWEE not in roles.values():
        answerer = min(undecided, key=lambda label: (share[label], -length[label], labels.index(label)))
        roles[answerer] = Role.INTERVIEWEE
        undecided.remove(answerer)
    interviewees = [label for label in labels if roles.get(label) is Role.INTERVIEWEE]
    least = min(share[label] for label in interviewees) if interviewees else 0.0
    longest = max(length[label] for label in interviewees) if interviewees else 0.0
    for label in undecided:
        co_host = share[label] >= max(_CO_HOST_QUESTIONS, 2 * least) and length[label] < longest
        roles[label] = Role.INTERVIEWER if co_host else Role.INTERVIEWEE
    return roles


def _name(label: str, written: Mapping[str, str], credits: Credits, context: Sequence[str],
          known_names: Iterable[str]) -> str | None:
    """The full name the text gives `label`: written beside it, credited, or a name in the text that holds
    the label as a word ("Jane Roe" for Roe) or has it as initials ("Jane Roe" for JR)."""
    if label in written:
        return written[label]
    if " " in label or _generic(label):
        return None
    candidates = [*credits.interviewees, *credits.interviewers, *known_names]
    found: Counter[str] = Counter()
    for text in context:
        for match in _ANY_NAME.finditer(text):
            name = clean_name(match.group(0))
            if name:
                found[name] += 1
    candidates += [name for name, _ in found.most_common()]
    folded = label.casefold()
    for name in candidates:
        parts = name.split()
        if folded in (part.casefold().rstrip(".") for part in parts):
            return name
        if label.isupper() and len(label) >= 2 and "".join(p[0] for p in parts if p[0].isupper()) == label:
            return name
    return None
