"""The print edition, read back with poppler and checked with qpdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from conftest import SOURCE, missing_in_order, words
from pressroom.cli import app


def _text_block(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """pdftotext of each page's text block only, so running heads and folios stay out; in the order
    the text was set (-raw), so that a two-column index reads column by column."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    margin = 0.6 * 72  # inside print.css's top and bottom margins, and a long page's foot margin (a line less)
    crop = ["-x", "0", "-y", str(int(margin)), "-W", str(int(width)), "-H", str(int(height - 2 * margin))]
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(
        ["pdftotext", "-raw", *crop, *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_holds_the_whole_interview_in_order(editions: Path, source_words: list[str]) -> None:
    assert missing_in_order(source_words, words(_text_block(editions / "sean-baker-anora.pdf"))) == []


def test_pdf_is_a_6x9_book_with_embedded_subset_fonts(editions: Path) -> None:
    pdf = str(editions / "sean-baker-anora.pdf")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "432 x 648 pts" in info
    assert re.search(r"Title:\s+“There’s Only One Life", info)
    assert re.search(r"Author:\s+Sean Baker", info)
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts
    assert any("Spectral" in line for line in fonts)


def test_qpdf_finds_no_problem(editions: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(editions / "sean-baker-anora.pdf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.slow
def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    for name in ("one", "two"):
        result = CliRunner().invoke(app, ["build", str(SOURCE), "--to", "pdf", "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "one" / "sean-baker-anora.pdf").read_bytes() == (
        tmp_path / "two" / "sean-baker-anora.pdf").read_bytes()


# --- questions and answers, by their fonts ----------------------------------

_WEIGHT_NAMES = (  # compound names first: "SemiBold" is not "Bold"
    ("extralight", 200), ("ultralight", 200), ("semibold", 600), ("demibold", 600), ("extrabold", 800),
    ("ultrabold", 800), ("bold", 700), ("black", 900), ("heavy", 900), ("medium", 500), ("light", 300), ("thin", 100),
)


def _weight_of(font_name: str) -> int:
    """A font's weight, read off its name: 'ABCDEF+Spectral-Semi-Bold-Italic' -> 600."""
    face = re.sub(r"[^a-z]", "", font_name.partition("+")[2].casefold() or font_name.casefold())
    return next((weight for name, weight in _WEIGHT_NAMES if name in face), 400)


def _css_weight(css: str, *selectors: str) -> int:
    """The font-weight a stylesheet gives the first of `selectors` it styles at all (else normal, 400)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = [([s.strip() for s in head.split(",")], body) for head, body in re.findall(r"([^{}]*)\{([^{}]*)\}", css)]
    for selector in selectors:
        weights = [w for heads, body in rules if selector in heads for w in re.findall(r"font-weight:\s*(\w+)", body)]
        if weights:
            return {"normal": 400, "bold": 700}.get(weights[-1]) or int(weights[-1])
    return 400


def _runs(pdf: Path, first: int, last: int | None) -> list[tuple[str, int]]:
    """(text, weight of its font) of every run of text poppler finds on the pages, in reading order."""
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    names = [line.split()[0] for line in fonts]
    pages = ["-f", str(first), *(["-l", str(last)] if last else [])]
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", *pages, str(pdf)], capture_output=True, text=True, check=True
    )
    root = ElementTree.fromstring(xml.stdout)
    weight = {}  # pdftohtml shortens the family ("Spectral-Semi"): its subset tag says which font it is
    for spec in root.iter("fontspec"):
        family = spec.get("family")
        tag = family.partition("+")[0] + "+" if "+" in family else None
        weight[spec.get("id")] = _weight_of(next((name for name in names if tag and name.startswith(tag)), family))
    return [("".join(text.itertext()), weight[text.get("font")]) for text in root.iter("text")]


def test_questions_and_answers_are_set_in_the_weights_print_css_gives_them(
    editions: Path, source_turns: list[tuple[str, str]]
) -> None:
    """The words that open each turn, after the speaker's label, are in the face of its role."""
    css = (SOURCE.parents[1] / "styles" / "print.css").read_text(encoding="utf-8")
    question, answer = _css_weight(css, ".question p", ".question"), _css_weight(css, ".answer p", ".answer")
    assert question != answer, "print.css sets questions and answers in one weight: check what tells them apart"
    pdf = editions / "sean-baker-anora.pdf"
    dests = _destinations(pdf)
    indexes = [dests[name] for name in ("film-index", "name-index") if name in dests]
    runs = _runs(pdf, dests["interview"], min(indexes) - 1 if indexes else None)
    labels = {label for label, _ in source_turns}
    found = []
    for number, (text, weight) in enumerate(runs):
        label, colon, rest = text.partition(":")
        if label in labels and colon and (not rest or rest[0].isspace()):
            # the turn's first words: the rest of the label's run, or the next run when the label is set apart
            found.append((label, weight if rest.strip() else runs[number + 1][1]))
    assert found == [(label, question if role == "interviewer" else answer) for label, role in source_turns]


# --- the index, proven against the PDF itself ---------------------------------


def _destinations(pdf: Path) -> dict[str, int]:
    """Named destination -> page, as poppler reads them."""
    out = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {name: int(page) for page, name in re.findall(r'^\s*(\d+)\s+\[.*?\]\s+"(.*)"$', out, re.M)}


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


_LOCATORS = re.compile(r"\s*\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*")


def _printed_locators(numbers: str) -> list[tuple[int, int]]:
    """'3, 7, 8–9, 13 …' -> [(3, 3), (7, 7), (8, 9), (13, 13)]: the comma-separated run at the start
    (a folio may follow)."""
    return [
        (int(start), int(end or start))
        for start, end in re.findall(r"(\d+)(?:\s*[–-]\s*(\d+))?", _LOCATORS.match(numbers).group())
    ]


def _printed_pages(numbers: str) -> set[int]:
    """'3, 7, 8–9, 13 …' -> {3, 7, 8, 9, 13}: every page the locators cover."""
    return {page for start, end in _printed_locators(numbers) for page in range(start, end + 1)}


def _index_entries(pdf: Path, heading: str, next_heading: str | None) -> str:
    """The text of one index, from its heading to the next index (or the end); no running heads or folios."""
    text = " ".join(_text_block(pdf).split())
    start = text.rindex(heading)
    end = text.index(next_heading, start) if next_heading else len(text)
    return text[start + len(heading) : end]


def _registry(name: str) -> dict[str, dict]:
    """A registry of the canonical source: its YAML file beside it, with the front matter's own entries."""
    entries = yaml.safe_load((SOURCE.parent / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    front = yaml.safe_load(re.match(r"---\n(.*?)\n---\n", SOURCE.read_text(encoding="utf-8"), re.S).group(1))
    return {**entries, **(front.get(name) or {})}


def _film_heading(film: dict) -> str:
    title = film["title"]
    article = re.match(r"(The|A|An) (.+)", title)
    return film.get("sort") or (f"{article[2]}, {article[1]}" if article else title)


def _person_heading(person: dict) -> str:
    first, _, last = person["name"].rpartition(" ")
    return person.get("sort") or (f"{last}, {first}" if first else last)


INDEXES = [
    pytest.param("films", "film", "Index of Films", "Index of Names", _film_heading, id="films"),
    pytest.param("people", "person", "Index of Names", None, _person_heading, id="names"),
]


def _keyed_mentions(kind: str, key: str) -> list[str]:
    """The texts of the source's mentions of `key` that say more than a spelling of its entry ("Sam
    [Samantha Quan]"), as the page reads them without brackets: a break inside one is a break in the mention."""
    found = re.finditer(rf"\[((?:[^\[\]]|\[[^\]]*\])+)\]\{{\.{kind} key={re.escape(key)}\}}",
                        SOURCE.read_text(encoding="utf-8"))
    return [" ".join(match.group(1).replace("[", "").replace("]", "").split()) for match in found]


@pytest.mark.parametrize("build", ["editions", "small_trim"])
@pytest.mark.parametrize(("registry", "kind", "heading", "next_heading", "heading_of"), INDEXES)
def test_every_index_entry_lists_exactly_the_pages_of_its_mentions(
    request: pytest.FixtureRequest, build: str, registry: str, kind: str, heading: str, next_heading: str | None,
    heading_of,  # noqa: ANN001
) -> None:
    pdf = request.getfixturevalue(build) / "sean-baker-anora.pdf"
    index = _index_entries(pdf, heading, next_heading).strip()
    check_index_pages(
        index, _registry(registry), heading_of, _destinations(pdf), lambda key: rf"{kind}-{re.escape(key)}-\d+"
    )


def check_index_pages(
    index: str, entries: dict[str, dict], heading_of, dests: dict[str, int], mention,  # noqa: ANN001
) -> dict[str, set[str]]:
    """Assert that every entry of `index` (one index's printed text) lists exactly the pages its mentions
    begin on, each once, a range only for a page and the next, and that every entry mentioned is
    there. `mention(key)`: the pattern of its mentions' destinations. Returns key -> those destinations."""
    starts = {}  # key -> (where its entry starts, where its page numbers start)
    for key, entry in entries.items():
        # an entry begins the index or follows the last page number of the one before; a film's (year, director) follows
        found = re.search(rf"(?:^|(?<=\d )){re.escape(heading_of(entry))}(?: \([^()]*\))? (?=\d)", index)
        if found:
            starts[key] = (found.start(), found.end())
    positions = sorted((start, numbers, key) for key, (start, numbers) in starts.items())
    assert positions, index[:200]
    mentions = {key: {name for name in dests if re.fullmatch(mention(key), name)} for key in entries}
    for (_, numbers, key), (end, _, _) in zip(positions, [*positions[1:], (len(index), None, None)], strict=True):
        # a mention's destination is where its text begins; a range's last page is where a broken one ends
        mention_pages = {dests[name] for name in mentions[key]}
        printed = _printed_locators(index[numbers:end])
        assert [first for first, _ in printed] == sorted({first for first, _ in printed}), (key, printed)  # once each
        assert {first for first, _ in printed} <= mention_pages <= _printed_pages(index[numbers:end]), (key, printed)
        assert all(last in (first, first + 1) for first, last in printed), (key, printed)
    assert {key for _, _, key in positions} == {key for key, names in mentions.items() if names}
    return {key: mentions[key] for _, _, key in positions}


def _split_mentions(pdf: Path, kind: str, names: dict[str, list[str]]) -> set[tuple[str, int, int]]:
    """(key, page, next page) for every mention whose name the PDF breaks over a page: read off the
    text (a name straddling the end of one page's text block and the start of the next) and the
    destinations (a mention of that entry begins on the first page), not from pressroom's layout."""
    pages = [" ".join(page.split()) for page in _text_block(pdf).split("\f")]
    dests = _destinations(pdf)
    found = set()
    for number, (tail, head) in enumerate(zip(pages, pages[1:], strict=False), start=1):
        # "Yuri [Borisov]"
        tail, head = tail[-80:].replace("[", "").replace("]", ""), head[:80].replace("[", "").replace("]", "")
        joined, boundary = (tail[:-1] + head, len(tail) - 1) if tail.endswith(("-", "\u2010")) else (
            tail + " " + head, len(tail))
        for key, spellings in names.items():
            begins_here = any(
                page == number and re.fullmatch(rf"{kind}-{re.escape(key)}-\d+", name) for name, page in dests.items()
            )
            if begins_here and any(
                match.start() < boundary < match.end() for spelling in spellings
                for match in re.finditer(re.escape(spelling), joined)
            ):
                found.add((key, number, number + 1))
    return found


@pytest.mark.parametrize("build", ["editions", "small_trim"])
@pytest.mark.parametrize(("registry", "kind", "heading", "next_heading", "heading_of"), INDEXES)
def test_a_range_is_printed_only_for_a_mention_broken_over_a_page(
    request: pytest.FixtureRequest, build: str, registry: str, kind: str, heading: str, next_heading: str | None,
    heading_of,  # noqa: ANN001
) -> None:
    """Chicago: separate mentions on pages 7, 8 and 9 print "7, 8, 9"; one mention whose text runs
    from page 11 onto 12 prints "11–12"."""
    pdf = request.getfixturevalue(build) / "sean-baker-anora.pdf"
    entries = _registry(registry)
    names = {key: [entry.get("title") or entry["name"], *entry.get("aliases", []), *_keyed_mentions(kind, key)]
             for key, entry in entries.items()}
    index = _index_entries(pdf, heading, next_heading).strip()
    ranges = set()
    for key, entry in entries.items():
        found = re.search(rf"(?:^|(?<=\d )){re.escape(heading_of(entry))}(?: \([^()]*\))? (?=\d)", index)
        if found:
            ranges |= {(key, first, last) for first, last in _printed_locators(index[found.end():]) if first != last}
    assert ranges == _split_mentions(pdf, kind, names)
    if build == "small_trim" and kind == "person":  # the fixture found a trim that breaks a name over a page
        assert ranges


def test_the_title_page_is_not_indexed(editions: Path) -> None:
    """Display front matter is not indexed: the title's mentions are located on the opening page."""
    pdf = editions / "sean-baker-anora.pdf"
    dests = _destinations(pdf)
    title_page = next(n for n, text in enumerate(_page_texts(pdf), start=1) if "Oscar-Winning" in text)
    assert title_page < dests["opening"]
    assert dests["film-anora-1"] == dests["opening"]  # the subtitle names Anora; the headline opens the text
    mentions = {name: page for name, page in dests.items() if re.fullmatch(r"(film|person)-[a-z0-9-]+-\d+", name)}
    assert title_page not in mentions.values()
    anora = re.search(r"Anora \(2024[^)]*\)\s*([\d,\s–-]+)", _index_entries(pdf, "Index of Films", "Index of Names"))
    assert title_page not in _printed_pages(anora.group(1))
    assert dests["opening"] in _printed_pages(anora.group(1))


def test_anora_the_character_adds_no_page_to_anora_the_film(editions: Path) -> None:
    pdf = editions / "sean-baker-anora.pdf"
    dests = _destinations(pdf)
    film_pages = {page for name, page in dests.items() if name.startswith("film-anora-")}
    texts = _page_texts(pdf)
    index_start = next(i for i, text in enumerate(texts) if "Index of Films" in text and "Contents" not in text)
    character_only = {
        number for number, text in enumerate(texts[:index_start], start=1)
        if "Anora" in text and number not in film_pages
    }
    assert character_only, "the test needs a page where only the character is named"
    entry = _index_entries(pdf, "Index of Films", "Index of Names")
    anora = re.search(r"Anora \(2024[^)]*\)\s*([\d,\s–-]+)", entry).group(1)
    assert _printed_pages(anora) == film_pages
    assert not _printed_pages(anora) & character_only


def test_pdf_is_archival_with_its_source_attached(editions: Path) -> None:
    pdf = str(editions / "sean-baker-anora.pdf")
    meta = subprocess.run(["pdfinfo", "-meta", pdf], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="A"' in meta
    attached = subprocess.run(["pdfdetach", "-list", pdf], capture_output=True, text=True, check=True).stdout
    assert "sean-baker-anora.md" in attached
    saved = editions / "attached.md"
    subprocess.run(["pdfdetach", "-save", "1", "-o", str(saved), pdf], check=True)
    assert saved.read_bytes() == SOURCE.read_bytes()
    saved.unlink()


def test_bookmarks_for_every_section(editions: Path) -> None:
    outline = subprocess.run(
        ["qpdf", "--json", "--json-key=outlines", str(editions / "sean-baker-anora.pdf")],
        capture_output=True, text=True, check=True,
    ).stdout
    for title in ("Contents", "Introduction", "The Interview", "Index of Films", "Index of Names"):
        assert f'"title": "{title}"' in outline, title


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--pdf-variant", "ua"], {"Tagged": "yes"}),
        (["--trim", "a5"], {"Page size": "419.528 x 595.276 pts"}),
        (["--trim", "5.5x8.5in", "--bleed", "3mm", "--marks", "crop,cross"], {"Page size": "413.008 x 629.008 pts"}),
    ],
)
@pytest.mark.slow
def test_print_options(tmp_path: Path, args: list[str], expected: dict[str, str]) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["build", str(SOURCE), "--to", "pdf", "--out", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(tmp_path / "sean-baker-anora.pdf")], capture_output=True, text=True).stdout
    for key, value in expected.items():
        assert re.search(rf"^{key}:\s+{re.escape(value)}", info, re.M), info


def _build_variant(tmp_path: Path, edit, *options: str) -> Path:  # noqa: ANN001 - edit: str -> str
    """The canonical source, its front matter edited by `edit`, built to a PDF with `options`."""
    from typer.testing import CliRunner

    folder = tmp_path / "src"
    folder.mkdir()
    for registry in SOURCE.parent.glob("*.yaml"):
        (folder / registry.name).write_bytes(registry.read_bytes())
    source = folder / SOURCE.name
    source.write_text(edit(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(source), "--to", "pdf", *options, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / SOURCE.with_suffix(".pdf").name


def _heads(pdf: Path) -> dict[int, str]:
    """The running head of every page that has one: the text above the text block, without its folio."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r"Page size:\s+([\d.]+)", info).group(1))
    heads = {}
    for number in range(1, len(_page_texts(pdf))):
        crop = ["-f", str(number), "-l", str(number), "-x", "0", "-y", "0", "-W", str(int(width)), "-H", "40"]
        top = subprocess.run(["pdftotext", *crop, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(word for word in top.split() if not word.isdigit())
        if text:
            heads[number] = text
    return heads


@pytest.mark.slow
def test_the_running_head_is_the_front_matter_running_head_printed_as_itself(tmp_path: Path) -> None:
    """`running-head` sets the verso head, on the text's pages and the index pages (laid out on their
    own) alike; an ampersand, quotes and a backslash print as themselves (no HTML or CSS escapes)."""
    head = r"Love & “Death” \\\\ on [Anora]{.film}"  # YAML's "\\\\" is two backslashes, Markdown's one
    pdf = _build_variant(
        tmp_path, lambda text: text.replace("\nlang:", f'\nrunning-head: "{head}"\nlang:', 1), "--trim", "4.25x6.87in",
    )
    heads = _heads(pdf)
    versos = {page: text for page, text in heads.items() if page % 2 == 0}
    dests = _destinations(pdf)
    assert any(page >= dests["film-index"] for page in versos), heads  # the index pages have versos too
    assert versos and all(text == "Love & “Death” \\ on Anora" for text in versos.values()), versos


def test_without_a_running_head_the_versos_name_the_interviewee(editions: Path) -> None:
    heads = _heads(editions / "sean-baker-anora.pdf")
    versos = {page: text for page, text in heads.items() if page % 2 == 0}
    assert versos and all(text.lower() == "sean baker" for text in versos.values()), versos


def test_a_section_s_opening_page_has_no_running_head(editions: Path) -> None:
    pdf = editions / "sean-baker-anora.pdf"
    heads = _heads(pdf)
    sections = ("opening", "interview", "film-index", "name-index")
    openings = {name: page for name, page in _destinations(pdf).items() if name in sections}
    assert len(openings) == len(sections)
    assert not {page for page in openings.values() if page in heads}, (openings, heads)
    assert "the interview" in {text.lower() for text in heads.values()}  # the rectos name their section
