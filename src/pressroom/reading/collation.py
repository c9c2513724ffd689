"""Index order: the Unicode Collation Algorithm with CLDR's tailoring for the book's language.

ICU (through PyICU) collates: Swedish files Å Ä Ö after Z, Spanish ñ after n, Czech ch after h,
German ä with a (dictionary order, not the phone book's ä as ae). A tag ICU has no tailoring for
collates by CLDR's root order, which is English's: case and accents count only between entries
that are otherwise the same, and spaces and punctuation file before the letters.
One rule of pressroom's own is added in every language: the comma that ends an inverted heading
files right after the space, before the other punctuation, so "Day, Doris" precedes "Day-Lewis,
Daniel" (CLDR's root order has the hyphen first).
"""

from __future__ import annotations

from collections.abc import Callable

_COMMA_AFTER_SPACE = "&' '<','"  # ICU's rule syntax: the comma, a primary step after the space
_ATTRIBUTES = ("FRENCH_COLLATION", "ALTERNATE_HANDLING", "CASE_FIRST", "CASE_LEVEL", "STRENGTH", "NUMERIC_COLLATION")


def collation_key(lang: str) -> Callable[[str], bytes]:
    """The sort key of a text in the language `lang` (a BCP 47 tag): bytes that compare as its collation.

    Made afresh for each index (a millisecond or two; a tenth of a second for Chinese or Japanese)."""
    return _collator(lang).getSortKey


def same_letter(lang: str) -> Callable[[str, str], bool]:
    """Whether two letters are one in the language's alphabet, as an index's letter headings group them:
    German Ä is A, Swedish Å is a letter of its own (a primary-strength comparison: case and accents that
    the language does not count as letters are ignored)."""
    import icu  # see _collator

    collator = _collator(lang)
    collator.setStrength(icu.Collator.PRIMARY)
    return lambda one, other: collator.compare(one, other) == 0


def _collator(lang: str):  # an icu.Collator
    import icu  # 25 ms and 40 MB of ICU data: loaded only when an index is sorted

    try:
        tailored = icu.Collator.createInstance(icu.Locale.forLanguageTag(lang))
    except icu.ICUError:  # not a well-formed tag: the reader reports a bad `lang`; sort as CLDR's root does
        tailored = icu.Collator.createInstance(icu.Locale.getRoot())
    try:
        collator = icu.RuleBasedCollator(tailored.getRules() + _COMMA_AFTER_SPACE)
    except icu.ICUError:  # a tailoring the comma's rule does not combine with: the language's own order
        collator = tailored
    else:  # what the tag's -u- keywords set beside the rules (kn: numbers by value, kf, ka ...) carries over
        for name in _ATTRIBUTES:
            attribute = getattr(icu.UCollAttribute, name)
            collator.setAttribute(attribute, tailored.getAttribute(attribute))
    collator.setAttribute(icu.UCollAttribute.NORMALIZATION_MODE, icu.UCollAttributeValue.ON)
    return collator
