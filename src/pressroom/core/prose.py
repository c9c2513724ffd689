"""Rules of running text, defined once for the typesetting, the proof and the importers.

A capital letter is a clue to a name only where no sentence begins: the typesetting keeps a
capitalised word whole at a line's end (a name is not broken), the proof reports one broken, and
the importers leave a one-word name unmarked where its capital says nothing. Each asks whether the
word before ends a sentence; the importers, which would rather leave a name unmarked than mark a
wrong one, also count the places where a clause or a quotation opens (`FRESH_START`), and the
people importer those where an aside opens (`ASIDE_OPENS`).
"""

from __future__ import annotations

import re

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


# the blocks of the Basic Multilingual Plane that hold capitals: Latin, Greek, Coptic, Cyrillic, Armenian,
# Georgian, Cherokee and their extensions, letterlike symbols, fullwidth Latin (looked through at import:
# a few thousand characters, not the plane's 65,536)
_CASED_BLOCKS = ((0x0041, 0x058F), (0x10A0, 0x10FF), (0x13A0, 0x13FF), (0x1C80, 0x1CBF), (0x1E00, 0x1FFF),
                 (0x2100, 0x218F), (0x2C00, 0x2CFF), (0xA640, 0xA7FF), (0xAB70, 0xABBF), (0xFF21, 0xFF3A))


def _letters(test) -> str:  # noqa: ANN001
    """A regular-expression class of the cased blocks' characters that pass `test`."""
    spans: list[list[int]] = []
    for first, last in _CASED_BLOCKS:
        for code in range(first, last + 1):
            if test(chr(code)):
                if spans and spans[-1][1] == code - 1:
                    spans[-1][1] = code
                else:
                    spans.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in spans) + "]"


# A capital letter in any cased script ("Élodie", "Ömer", "Ђорђе"): what a name, a label or a title begins with
CAPITAL = _letters(lambda char: char.isupper() or char.istitle())
