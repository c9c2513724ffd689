"""Rules of running text, defined once for the typesetting, the proof and the importers.

A capital letter is a clue to a name only where no sentence begins: the typesetting keeps a
capitalised word whole at a line's end (a name is not broken), the proof reports one broken, and
the importers leave a one-word name unmarked where its capital says nothing. Each asks whether the
word before ends a sentence; the importers, which would rather leave a name unmarked than mark a
wrong one, also count the places where a clause or a quotation opens (`FRESH_START`), and the
people importer those where an aside opens (`ASIDE_OPENS`).
"""

from __future__ import annotations

SENTENCE_END = (".", "?", "!", ":")  # after these a capital begins a sentence: an ordinary word, not a name
CLOSING_MARKS = "”’)\"'"  # may follow a sentence's end ('."', '?)'): looked through for it
OPENING_MARKS = "“‘([\"'"  # may open a word ('“Anora'): looked through for its capital

CLAUSE_OPENS = (";", "—", "–", "“", '"')  # a clause or a quotation opens: its first word may be capitalised
FRESH_START = SENTENCE_END + CLAUSE_OPENS  # after these a capital says nothing of a name
# A single-quoted phrase or a bracket opens (an aside, an editor's insertion): the people importer
# counts these as a fresh start too; the film importer does not (a one-word title after them is marked).
ASIDE_OPENS = ("‘", "(", "[")


def ends_sentence(word: str) -> bool:
    """`word` ends a sentence ("said.", 'it?"'): the word after it begins one."""
    return word.rstrip(CLOSING_MARKS).endswith(SENTENCE_END)
