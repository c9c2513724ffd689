"""Numerals spelled out, for filing index entries (Chicago 16.66: "8½" files as "eight and a half").

Only a sort key is spelled: what the index prints is never changed. English
only, and only what titles and names hold: whole numbers (with thousands
commas), ordinals (1st, 42nd) and the vulgar fractions ½ ¼ ¾ ⅓ ⅔. A four-digit
number from 1100 to 1999 is read as a year is said ("1984": "nineteen
eighty-four"); others as cardinals ("2001": "two thousand one").
"""

from __future__ import annotations

import re
from types import MappingProxyType

_ONES = tuple((
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split())
_TENS = tuple("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_IRREGULAR_ORDINALS = MappingProxyType({
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
    "twelve": "twelfth",
})
_FRACTIONS = MappingProxyType({  # (after a whole number, alone)
    "½": ("a half", "one half"), "¼": ("a quarter", "one quarter"), "¾": ("three quarters", "three quarters"),
    "⅓": ("a third", "one third"), "⅔": ("two thirds", "two thirds"),
})
_NUMERAL = re.compile(
    r"(?P<number>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<ordinal>st\b|nd\b|rd\b|th\b)?(?P<fraction>[½¼¾⅓⅔])?"
    r"|(?P<alone>[½¼¾⅓⅔])"
)


def spell_numerals(text: str) -> str:
    """`text` with every numeral in words: '42nd Street' -> 'forty-second Street'."""
    return _NUMERAL.sub(_spelled, text)


def _spelled(match: re.Match[str]) -> str:
    if match["alone"]:
        return _FRACTIONS[match["alone"]][1]
    number = int(match["number"].replace(",", ""))
    words = ordinal(number) if match["ordinal"] else _said(number, plain=match["number"])
    if match["fraction"]:
        words += " and " + _FRACTIONS[match["fraction"]][0]
    return words


def _said(number: int, plain: str) -> str:
    """A number as it is read: a year-like four digits in pairs ("nineteen eighty-four")."""
    if len(plain) == 4 and 1100 <= number <= 1999:
        century, rest = divmod(number, 100)
        if rest == 0:
            return f"{cardinal(century)} hundred"
        return f"{cardinal(century)} {cardinal(rest) if rest >= 10 else 'oh-' + cardinal(rest)}"
    return cardinal(number)


def cardinal(number: int) -> str:
    """0 -> 'zero', 42 -> 'forty-two', 2001 -> 'two thousand one' (American: no "and")."""
    if number < 0:
        raise ValueError(f"cardinal: {number} is negative")
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {cardinal(rest)}" if rest else "")
    scale, name = next((scale, name) for scale, name in _SCALES if number >= scale)
    high, rest = divmod(number, scale)
    return f"{cardinal(high)} {name}" + (f" {cardinal(rest)}" if rest else "")


def ordinal(number: int) -> str:
    """1 -> 'first', 42 -> 'forty-second', 100 -> 'one hundredth'."""
    head, last = re.fullmatch(r"(.*[ -])?(\w+)", cardinal(number)).groups()
    if last in _IRREGULAR_ORDINALS:
        last = _IRREGULAR_ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return (head or "") + last
