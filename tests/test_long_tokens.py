"""Long addresses break only where the Chicago Manual allows (6.8): after a double slash or a colon,
before a slash, period, hyphen, underline, question mark ..., before or after = and &, never with an
added hyphen and never right after a hyphen; the print edition of tests/books/web-links.md sets them so,
and the proof finds nothing there (test_proof.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pressroom.typeset.long_tokens import break_points, breakable

URLS = [
    "https://archive.example.org/collections/oral-history/regional-film-society/2024/index.html",
    "www.example-preservation-network.org/guides/audio/magnetic-tape/triage-before-digitisation",
    "https://archive.example.org/id/ark:/99999/fk4-regional-film-society-tape-0417",
    "https://archive.example.org/help/transcription/frequently-asked-questions-from-volunteers"
    "?edition=2024&format=long",
    "regional_film_society_tape_0417_side_b_master_96khz.wav",
    "access-requests@archive.example.org",
]


def _pieces(token: str) -> list[str]:
    cuts = [0, *break_points(token), len(token)]
    return [token[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def test_an_address_breaks_where_chicago_allows() -> None:
    assert _pieces("https://example.org/a_b?c=1&d=2~e#f%20") == [
        "https://", "example", ".org", "/a", "_b", "?c", "=", "1", "&", "d", "=", "2", "~e", "#f", "%20"]
    # no piece of two letters at the end
    assert _pieces("http://ex.org/ark:/999/x") == ["http://", "ex", ".org", "/ark:", "/999/x"]


def test_never_after_a_hyphen_nor_between_two_slashes() -> None:
    for url in [*URLS, "https://example.org/first-/second-.third-_fourth"]:
        for point in break_points(url):
            assert url[point - 1] != "-", (url, point)
            assert url[point - 1:point + 1] != "//", (url, point)


def test_only_long_addresses_are_set_apart() -> None:
    assert breakable("a well-established-and-much-loved tradition") == "a well-established-and-much-loved tradition"
    assert breakable("see www.example.org.") == "see www.example.org."  # short: it fits any line
    set_apart = breakable(f"at {URLS[0]}.")
    assert set_apart.startswith('at <span class="url">') and set_apart.endswith("</span>.")
    assert re.sub(r"<[^>]+>", "", set_apart) == f"at {URLS[0]}."  # no character added or lost
    assert breakable("a <b> & c") == "a &lt;b&gt; &amp; c"


def test_the_print_edition_breaks_addresses_only_there_and_adds_no_hyphen(books: Path) -> None:
    text = subprocess.run(["pdftotext", "-raw", str(books / "web-links.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    joined = text.replace("\n", "")
    for url in URLS:
        assert url in joined, url  # whole, with nothing added where a line ended inside it
    for line, following in zip(text.splitlines(), text.splitlines()[1:], strict=False):
        for url in URLS:
            for cut in range(1, len(url)):
                if line.endswith(url[:cut]) and following.startswith(url[cut:cut + 6]) and len(url[:cut]) > 3:
                    assert cut in break_points(url), (url[:cut], url[cut:])
