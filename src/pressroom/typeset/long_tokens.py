"""Long tokens (web addresses, e-mail addresses, file names) broken where the Chicago Manual allows.

A justified line cannot stretch around an address of sixty letters that will not break: it is left
with holes, or the address is hyphenated as if it were a word, and a reader takes the hyphen for part
of it. The Chicago Manual of Style (6.8, 7.42) breaks an address, never with an added hyphen, after a
colon or a double slash; before a single slash, a tilde, a period, a comma, a hyphen, an underline, a
question mark, a number sign or a percent sign; before or after an equals sign or an ampersand. The
print and e-reader editions set each piece between those places unbreakable (`.nobr`) with a `<wbr>`
between them, so a line may end at those places and nowhere else in the token, and no hyphen is ever
added (on a phone's narrow page too).
"""

from __future__ import annotations

import re
from html import escape

_LONG = 20  # letters without a space past which a run is worth breaking
_TOKEN = re.compile(rf"\S{{{_LONG},}}")
_ADDRESS = re.compile(r"://|^www\.|@[^@\s]+\.|[/_]")  # what makes a long run an address or a file name
_TRAILING = ".,;:!?)]}»”’'\""  # the sentence's punctuation after an address: it stays with the last piece
_BEFORE = frozenset("/~.,-_?#%=&")
_AFTER = frozenset("=&")
_SHORTEST = 3  # letters a piece keeps at the token's start and end


def breakable(text: str) -> str:
    """`text` as XHTML, each long address in it set to break only where Chicago allows."""
    out, at = [], 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        core = token.rstrip(_TRAILING)
        if len(core) < _LONG or not _ADDRESS.search(core):
            continue
        out.append(escape(text[at:match.start()], quote=False))
        out.append(_set(core) + escape(token[len(core):], quote=False))
        at = match.end()
    out.append(escape(text[at:], quote=False))
    return "".join(out)


def break_points(token: str) -> list[int]:
    """The places (indexes into `token`) a line may end before."""
    points = []
    for i in range(_SHORTEST, len(token) - _SHORTEST + 1):
        before, char = token[i - 1], token[i]
        if token[i - 2:i] == "//" and char != "/":  # after a double slash
            points.append(i)
        elif before == ":" and char != "/":  # after a colon (not inside "://")
            points.append(i)
        elif char in _BEFORE and before != "-" and not (char == "/" and (before == "/" or token[i + 1:i + 2] == "/")):
            points.append(i)  # before a single slash or other punctuation; never right after a hyphen
        elif before in _AFTER and before != "-":
            points.append(i)
    return points


def _set(token: str) -> str:
    cuts = [0, *break_points(token), len(token)]
    pieces = [token[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    return ('<span class="url">'
            + "<wbr/>".join(f'<span class="nobr">{escape(piece, quote=False)}</span>' for piece in pieces)
            + "</span>")
