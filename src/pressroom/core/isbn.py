"""ISBNs: checked where the front matter gives one, and read back for the cover's barcode.

A wrong check digit is refused rather than mended: the barcode would then scan as another
book than the one the imprint names (python-barcode recomputes a check digit silently).
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")
_IDENTIFIER = re.compile(r"(?:urn:)?isbn[:\s]\s*(.+)\Z", re.IGNORECASE)


def isbn_problem(text: str) -> str | None:
    """Why `text` is no ISBN-10 or ISBN-13 (a message for the source's author); None if it is one."""
    digits = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"\d{13}|\d{9}[\dXx]", digits):
        return f"ISBN '{text}' must have 13 digits (or 10, the last may be X), with hyphens or spaces between groups"
    if _check_digit(digits[:-1]) != digits[-1].upper():
        return f"ISBN '{text}' has the wrong check digit: it should end in {_check_digit(digits[:-1])}"
    return None


def isbn13(text: str) -> str:
    """The 13 digits of a valid ISBN (an ISBN-10 becomes the 978 ISBN-13 it is): what the EAN-13 barcode encodes."""
    digits = _SEPARATORS.sub("", text)
    if len(digits) == 10:
        digits = "978" + digits[:9]
        return digits + _check_digit(digits)
    return digits


def isbn_of(identifier: str | None) -> str | None:
    """The ISBN an identifier such as "urn:isbn:978-..." carries, as written; None for any other identifier."""
    match = _IDENTIFIER.match(identifier or "")
    return match.group(1).strip() if match else None


def _check_digit(body: str) -> str:
    """The check digit of the first 12 (ISBN-13) or 9 (ISBN-10) digits."""
    if len(body) == 12:
        return str(-sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10)
    value = -sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
    return "X" if value == 10 else str(value)
