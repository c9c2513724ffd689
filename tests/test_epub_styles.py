"""styles/epub.css as reading systems apply it, and the EPUB's cover image.

The title page, the imprint and the headline are display type: each line is aligned and unindented by a rule of
its own, so that no setting of the reader's moves it. That is checked in headless Chromium (Debian's) over the
EPUB's XHTML as a reading system shows it: with Readium CSS (npm @readium/css, the stylesheets of Thorium and of
the Readium toolkits) injected before and after the book's stylesheet and its user settings set on the root, and
with the paragraph rule Foliate 2 adds (`p { text-align: justify }`). Index locators, note calls and back links are
tap targets of at least 24 x 24 CSS px (WCAG 2.2, target size) with every word where it was without them. Every
rule of epub.css styles markup pressroom makes, and calibre's book check (stylelint) flags none. The cover PNG is
the render pixel for pixel, in fewer bytes, the same bytes every time.

The builds: the canonical source (conftest's `editions`), the figures (conftest's `figures`), and a source with every
kind of block the stylesheet styles, alone and as the one interview of a collection with an editor and a part.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest
from cssselect import parse as parse_selector
from lxml.cssselect import CSSSelector
from typer.testing import CliRunner

from conftest import SOURCE
from pressroom.cli import app
from test_epub import _css_rules

pytestmark = pytest.mark.slow  # every test here builds an edition, runs Chromium or calibre, or renders the cover

CHROMIUM = os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
READIUM = Path(sys.prefix) / "node" / "node_modules" / "@readium" / "css" / "css" / "dist"
GOLDEN = Path(__file__).parent / "golden"

# A source with every kind of block and inline the stylesheet styles: a headnote with emphasis, an introduction of
# two paragraphs and a section break, four levels of subhead, a quotation, a list and code in a turn, a section break
# before a turn, small capitals, a film's title in emphasis and emphasis in a film's title, notes (one of two
# paragraphs), a named interviewer and a publisher.
SINK = """\
---
title: "Every Kind of Line"
subtitle: "*Sean Baker* on [Tangerine]{.film} and [*Anora*]{.film}"
lang: en-US
publisher: Pressroom Test Editions
rights: "© 2025 Pressroom Test Editions"
speakers:
  Q: {role: interviewer, name: Jane Doe}
  Baker: {role: interviewee, name: Sean Baker}
---

::: headnote
A conversation with *every* kind of block the e-reader edition styles, about [Anora]{.film}.
:::

::: introduction
Before [Anora]{.film} there was [Tangerine]{.film}, shot in [small capitals]{.smallcaps} of light.[^budget]

A second paragraph of the introduction, indented after the first.

* * *

A paragraph after a section break, *as [Tangerine]{.film} showed*.
:::

::: interview
## The phones

Q: Why phones?

Baker: Money first, and then freedom.[^adapter] The footage is at
https://archive.example.org/collections/phones/tangerine-2015/rushes/index.html now.

> A quotation set off from the turn.

- a list item
- another

```
a code block
```

### Cutting

#### On a laptop

##### At night

Q: And then?

* * *

Baker: A turn after a section break, on [The Florida Project]{.film}.
:::

[^budget]: About a hundred thousand dollars.

[^adapter]: A prototype lent by a small company.

    Its makers visited the set.
"""

SINK_COLLECTION = """\
title: A Shelf of Lines
subtitle: Interviews for the Tests
editor: Ada Lindqvist
publisher: Pressroom Test Editions
interviews:
  - part: Conversations
  - sink.md
"""


@pytest.fixture(scope="module")
def styled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source with every kind of block built to EPUB, alone (sink.epub) and as a collection
    (sink.collection.epub): the output folder."""
    folder = tmp_path_factory.mktemp("styled-source")
    for registry in ("films.yaml", "people.yaml"):
        shutil.copy(GOLDEN / registry, folder / registry)
    (folder / "sink.md").write_text(SINK, encoding="utf-8")
    (folder / "sink.collection.yaml").write_text(SINK_COLLECTION, encoding="utf-8")
    out = tmp_path_factory.mktemp("styled")
    result = CliRunner().invoke(app, ["build", str(folder / "sink.md"), str(folder / "sink.collection.yaml"),
                                      "--to", "epub", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


# The EPUBs the tests read, by name: (fixture, file in its folder).
BUILDS = {
    "canonical": ("editions", "sean-baker-anora.epub"),
    "sink": ("styled", "sink.epub"),
    "collection": ("styled", "sink.collection.epub"),
    "figures": ("figures", "figures.epub"),
}


def _epub(request: pytest.FixtureRequest, build: str) -> Path:
    fixture, name = BUILDS[build]
    return request.getfixturevalue(fixture) / name


def _documents(epub: Path) -> dict[str, lxml.html.HtmlElement]:
    """Every XHTML file of the EPUB, by its name in the package, parsed as HTML (as cssselect matches it)."""
    with zipfile.ZipFile(epub) as z:
        return {n.removeprefix("EPUB/"): lxml.html.document_fromstring(z.read(n))
                for n in z.namelist() if n.endswith(".xhtml")}


# --- epub.css, parsed ---------------------------------------------------------------------------------------

def _matcher(selector: str) -> CSSSelector:
    """The elements `selector` styles (a pseudo-element's element)."""
    return CSSSelector(re.sub(r"::?(before|after)$", "", selector), translator="html")


def _own(element: lxml.html.HtmlElement, prop: str) -> str | None:
    """The value the stylesheet's rules that match `element` itself give `prop` (the most specific, then the
    last), or None when none does and the element inherits it."""
    document = element.getroottree()
    found = []
    for order, (selectors, declarations) in enumerate(_css_rules()):
        if prop not in declarations:
            continue
        for selector in selectors:
            if element in _matcher(selector)(document):
                found.append((parse_selector(selector)[0].specificity(), order, declarations[prop]))
    return max(found)[2] if found else None


def _display_lines(documents: dict[str, lxml.html.HtmlElement]) -> list[tuple[str, lxml.html.HtmlElement, str]]:
    """(where, element, its alignment) of every line of display type: the title page's, centred; the imprint's and
    each headline's, flush left."""
    lines = []
    for name, document in documents.items():
        for element in document.cssselect("section.titlepage h1, section.titlepage p"):
            lines.append((name, element, "center"))
        for element in document.cssselect("section.imprint p, .opening-title, .opening-subtitle"):
            lines.append((name, element, "left"))
    return lines


@pytest.mark.parametrize("build", ["canonical", "sink", "collection"])
def test_each_line_of_display_is_aligned_and_unindented_by_a_rule_of_its_own(
    request: pytest.FixtureRequest, build: str
) -> None:
    """Not by inheritance from its section: a reading system's rule for paragraphs (Foliate's `p { text-align:
    justify }`) or the book's own `p + p` indent would win over an inherited value."""
    lines = _display_lines(_documents(_epub(request, build)))
    kinds = {element.get("class") for _, element, _ in lines}
    assert {"title", "publisher", "imprint-line", "opening-title"} <= kinds, kinds
    for name, element, align in lines:
        where = (name, element.get("class"), element.text_content()[:40])
        assert _own(element, "text-align") == align, where
        assert _own(element, "text-indent") in ("0", "0em"), where


def test_the_builds_hold_every_kind_of_title_page_line(request: pytest.FixtureRequest) -> None:
    """Between them, the builds these tests read set every line a title page can have."""
    kinds = {element.get("class") for build in ("canonical", "sink", "collection")
             for element in _documents(_epub(request, build))["titlepage.xhtml"].cssselect("section.titlepage h1, "
                                                                                           "section.titlepage p")}
    assert kinds == {"title", "subtitle", "interviewee", "interviewer", "editor", "publisher"}


# --- in Chromium, as reading systems show it ------------------------------------------------------------------

# A reading system's settings: (Readium CSS's user settings on the root, or None for no Readium CSS; the CSS a
# reading system adds after the book's own).
SETTINGS = {
    "defaults": (None, ""),
    "readium-left": ("--USER__textAlign: left;", ""),
    "readium-left-night-200": (
        "--USER__textAlign: left; --USER__backgroundColor: #000000; --USER__textColor: #FEFEFE; "
        "--USER__fontSize: 200%;", ""),
    "readium-justified-indented": ("--USER__textAlign: justify; --USER__paraIndent: 2rem;", ""),
    "foliate-justified": (None, "p { text-align: justify; }"),
}
TARGETS = "a.noteref, a.backlink, a.locator"
NO_TARGETS = f"{TARGETS} {{ padding: 0 !important; margin: 0 !important; }}"  # the tap targets' rule undone

# What the page measures, as JSON (base64: no markup escapes in the dumped DOM): each display line's computed
# alignment and indent, its text's box and its section's; each tap target's boxes; the box of every line of
# every text node; the page's width and the width of what it holds.
MEASURE = """
(() => {
  const box = r => [r.left, r.top, r.width, r.height].map(v => Math.round(v * 100) / 100);
  const out = {lines: [], targets: [], words: [],
               scroll: [document.scrollingElement.scrollWidth, document.documentElement.clientWidth]};
  for (const element of document.querySelectorAll(LINES)) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const style = getComputedStyle(element);
    out.lines.push({name: element.className, align: style.textAlign, indent: style.textIndent,
                    text: box(range.getBoundingClientRect()),
                    page: box(element.closest('section').getBoundingClientRect())});
  }
  for (const target of document.querySelectorAll(TARGETS))
    for (const rect of target.getClientRects())
      out.targets.push({name: target.className, text: target.textContent, box: box(rect)});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) out.words.push([node.data.trim().slice(0, 20), ...box(rect)]);
  }
  const pre = document.createElementNS('http://www.w3.org/1999/xhtml', 'pre');
  pre.id = 'measured';
  pre.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(out))));
  document.body.appendChild(pre);
})();
"""


def _show(epub: Path, name: str, setting: str, tmp: Path, lines: str = "h1", extra_css: str = "") -> dict:
    """What Chromium measures of the EPUB's file `name` under a reading system's `setting` (see MEASURE)."""
    assert Path(CHROMIUM).exists(), "Chromium is not installed: `make test` installs it (Debian chromium)"
    user_settings, added = SETTINGS[setting]
    folder = tmp / epub.stem
    if not folder.exists():
        with zipfile.ZipFile(epub) as z:
            z.extractall(folder)
    original = folder / "EPUB" / name
    text = original.read_text(encoding="utf-8")
    if user_settings is not None:  # injected as Readium's navigators inject it: before, the book's CSS, after
        assert (READIUM / "ReadiumCSS-after.css").is_file(), (
            "Readium CSS is not installed: `make test` installs it (npm @readium/css)")
        before, after = ((READIUM / f"ReadiumCSS-{part}.css").as_uri() for part in ("before", "after"))
        text = text.replace("<head>", f'<head>\n<link rel="stylesheet" type="text/css" href="{before}"/>', 1)
        text = text.replace("</head>", f'<link rel="stylesheet" type="text/css" href="{after}"/>\n</head>', 1)
        text, count = re.subn(r"<html ", f'<html style="--USER__view: readium-scroll-on; {user_settings}" ', text,
                              count=1)
        assert count == 1
    css = added + extra_css
    if css:  # after the book's own stylesheet, as epub.js's themes add theirs
        text = text.replace("</head>", f"<style>{css}</style>\n</head>", 1)
    script = MEASURE.replace("LINES", json.dumps(lines)).replace("TARGETS", json.dumps(TARGETS))
    text = text.replace("</body>", f"<script><![CDATA[{script}]]></script>\n</body>", 1)
    page = original.with_name(f"{original.stem}-{setting}-{len(extra_css)}.xhtml")
    page.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
         f"--user-data-dir={tmp / 'chromium'}", "--window-size=600,900", "--virtual-time-budget=5000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    measured = re.search(r'<pre id="measured"[^>]*>([A-Za-z0-9+/=]+)</pre>', run.stdout)
    assert measured, (run.returncode, run.stderr[-3000:])
    return json.loads(base64.b64decode(measured.group(1)))


def _centre(box: list[float]) -> float:
    return box[0] + box[2] / 2


@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize("build", ["canonical", "sink", "collection"])
def test_the_title_page_stays_centred_under_the_reader_s_settings(
    request: pytest.FixtureRequest, build: str, setting: str, tmp_path: Path
) -> None:
    """Left alignment, justification and a paragraph indent, night colours and 200 % type in Readium CSS, and
    Foliate's justification: every line of the title page is set centred and unindented, each line's text
    centred on the page within 2 px."""
    shown = _show(_epub(request, build), "titlepage.xhtml", setting, tmp_path,
                  lines="section.titlepage h1, section.titlepage p")
    assert len(shown["lines"]) >= 3, shown["lines"]
    for line in shown["lines"]:
        assert (line["align"], line["indent"]) == ("center", "0px"), line
        assert abs(_centre(line["text"]) - _centre(line["page"])) <= 2, line


@pytest.mark.parametrize("setting", ["defaults", "readium-left", "readium-left-night-200", "foliate-justified"])
@pytest.mark.parametrize(("build", "name"), [("canonical", "imprint.xhtml"), ("canonical", "opening.xhtml"),
                                             ("collection", "imprint.xhtml"), ("collection", "c1-opening.xhtml")])
def test_the_imprint_and_the_headline_stay_flush_left_under_the_reader_s_settings(
    request: pytest.FixtureRequest, build: str, name: str, setting: str, tmp_path: Path
) -> None:
    """Their lines are never indented and never justified (a justified subtitle of one line and a bit would
    spread its first line across the page)."""
    shown = _show(_epub(request, build), name, setting, tmp_path,
                  lines="section.imprint p, .opening-title, .opening-subtitle")
    assert shown["lines"], name
    for line in shown["lines"]:
        assert (line["align"], line["indent"]) in {("left", "0px"), ("start", "0px")}, line


TAPPED = [("canonical", "film-index.xhtml"), ("canonical", "name-index.xhtml"), ("sink", "opening.xhtml"),
          ("sink", "interview.xhtml"), ("collection", "c1-opening.xhtml"), ("collection", "film-index.xhtml")]


@pytest.mark.parametrize(("build", "name"), TAPPED)
def test_locators_note_calls_and_back_links_are_tap_targets_of_24_px(
    request: pytest.FixtureRequest, build: str, name: str, tmp_path: Path
) -> None:
    """WCAG 2.2's target size (minimum): every box of every index locator, note call and back link is at least
    24 x 24 CSS px at the reading system's default size, and none makes the page wider than the screen."""
    shown = _show(_epub(request, build), name, "defaults", tmp_path)
    assert shown["targets"], name
    small = [target for target in shown["targets"] if target["box"][2] < 24 or target["box"][3] < 24]
    assert not small, small
    width, screen = shown["scroll"]
    assert width <= screen, shown["scroll"]


@pytest.mark.parametrize(("build", "name"), TAPPED)
def test_the_tap_targets_move_no_word(request: pytest.FixtureRequest, build: str, name: str, tmp_path: Path) -> None:
    """The text is set as it would be without the targets' padding: every line of every text node where it is with
    their rule undone."""
    epub = _epub(request, build)
    shown = _show(epub, name, "defaults", tmp_path)["words"]
    without = _show(epub, name, "defaults", tmp_path, extra_css=NO_TARGETS)["words"]
    assert len(shown) == len(without) > 5
    moved = [(a, b) for a, b in zip(shown, without, strict=True)
             if a[0] != b[0] or any(abs(x - y) > 0.05 for x, y in zip(a[1:], b[1:], strict=True))]
    assert not moved, moved[:5]


# --- every rule used, none flagged ----------------------------------------------------------------------------

def test_every_rule_of_the_stylesheet_styles_markup_pressroom_makes(request: pytest.FixtureRequest) -> None:
    """Each selector of epub.css matches an element of one of the builds (a pseudo-element: its element); a rule
    for markup no source can make is dead weight in every EPUB (calibre's ebook-polish would remove it)."""
    documents = [document for build in BUILDS for document in _documents(_epub(request, build)).values()]
    unused = [selector for selectors, _ in _css_rules() for selector in selectors
              if not any(_matcher(selector)(document) for document in documents)]
    assert not unused, unused


CALIBRE_CHECK = """
import json, sys
from calibre.ebooks.oeb.polish.check.main import run_checks
from calibre.ebooks.oeb.polish.container import get_container
for path in sys.argv[1:]:
    found = run_checks(get_container(path, tweak_mode=True))
    print('CHECKED ' + json.dumps([path, [[e.name, getattr(e, 'line', None), e.msg] for e in found]]))
"""


def test_calibre_s_check_flags_no_rule_of_the_stylesheet(styled: Path, tmp_path: Path) -> None:
    """calibre's book check (its editor's Check Book: stylelint in QtWebEngine) reports nothing of epub.css; the
    same check finds a rule set after a more specific one for the same elements, appended to a copy."""
    program = shutil.which("calibre-debug")
    assert program, "calibre is not installed: `make test` installs it (Debian calibre)"
    epub = styled / "sink.epub"
    flawed = tmp_path / "flawed.epub"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(flawed, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "EPUB/style/epub.css":
                data += b"\n.flawed > p:first-child { color: inherit; }\n.flaw p { color: inherit; }\n"
            copy.writestr(item, data)
    script = tmp_path / "check.py"
    script.write_text(CALIBRE_CHECK, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
           "QTWEBENGINE_DISABLE_SANDBOX": "1", "CALIBRE_CONFIG_DIRECTORY": str(tmp_path / "calibre-config")}
    run = subprocess.run([program, str(script), str(epub), str(flawed)], capture_output=True, text=True, env=env,
                         timeout=600)
    checked = dict(json.loads(line.removeprefix("CHECKED ")) for line in run.stdout.splitlines()
                   if line.startswith("CHECKED "))
    assert set(checked) == {str(epub), str(flawed)}, run.stdout + run.stderr
    assert [e for e in checked[str(epub)] if e[0].endswith(".css")] == []
    assert any(e[0].endswith("epub.css") and ".flaw p" in e[2] for e in checked[str(flawed)]), checked[str(flawed)]


# --- the cover image -----------------------------------------------------------------------------------------

def _cover(doc, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, object]:  # noqa: ANN001 - a Book
    """The EPUB's cover PNG and the image pdfium rendered for it."""
    import pypdfium2

    from pressroom.typeset.cover import cover_png

    renders = []
    to_pil = pypdfium2.PdfBitmap.to_pil

    def kept(bitmap, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        image = to_pil(bitmap, *args, **kwargs)
        renders.append(image.copy())
        return image

    monkeypatch.setattr(pypdfium2.PdfBitmap, "to_pil", kept)
    png = cover_png(doc)
    [render] = renders
    return png, render.convert("RGB")


def test_the_cover_png_is_the_render_pixel_for_pixel_in_less_than_half_the_bytes(
    doc, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    from PIL import Image

    png, render = _cover(doc, monkeypatch)
    written = Image.open(io.BytesIO(png))
    assert written.size == render.size == (1600, 2400)
    assert written.convert("RGB").tobytes() == render.tobytes()
    plain = io.BytesIO()
    render.save(plain, format="PNG", compress_level=6)  # as the cover was written before (152 KB)
    assert len(png) < len(plain.getvalue()) / 2, (len(png), len(plain.getvalue()))


def test_a_palette_that_would_change_a_pixel_is_not_used(doc, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """Should the quantizer ever give a palette that is not exact, the cover is written in RGB, pixels kept."""
    from PIL import Image

    quantize = Image.Image.quantize

    def lossy(image, colors=256, method=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return quantize(image, 16, Image.Quantize.FASTOCTREE, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "quantize", lossy)
    png, render = _cover(doc, monkeypatch)
    assert Image.open(io.BytesIO(png)).convert("RGB").tobytes() == render.tobytes()


def test_the_cover_png_is_the_same_bytes_in_two_processes(doc) -> None:  # noqa: ANN001
    """Two builds, each with its own hash seed: the same cover, byte for byte."""
    from pressroom.typeset.cover import cover_png

    code = ("import sys; from pathlib import Path; from pressroom.reading.reader import read; "
            "from pressroom.typeset.cover import cover_png; "
            "sys.stdout.buffer.write(cover_png(read(Path(sys.argv[1]))))")
    runs = [subprocess.run([sys.executable, "-c", code, str(SOURCE)], capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] == cover_png(doc)
