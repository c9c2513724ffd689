"""The Kobo edition (`--to kepub`): the EPUB with Kobo's wrappers and sentence spans, as kepubify makes it.

The kepub is read back with lxml, EPUBCheck and DAISY Ace, and compared with the EPUB of the same
build: with its spans and wrappers taken out, each content document is the EPUB's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, SOURCE
from pressroom.writers.kepub import kepubify, sentences

X = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
COLLECTION = ROOT / "source" / "filmmaker-interviews.collection.yaml"
CRAFT = ROOT / "tests" / "golden" / "craft.md"  # notes in each part
BUILDS = {"canonical": SOURCE, "collection": COLLECTION, "notes": CRAFT}
UNWRAP = "{urn:pressroom:test}unwrap"


@pytest.fixture(scope="module")
def kobo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canonical source, the example collection and the golden source with notes, built by the command
    `--to pdf,epub,kepub` into one folder."""
    out = tmp_path_factory.mktemp("kepub")
    run = subprocess.run([sys.executable, "-m", "pressroom", "build", *map(str, BUILDS.values()),
                          "--to", "pdf,epub,kepub", "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


def _kepub(folder: Path, build: str) -> Path:
    return folder / f"{BUILDS[build].name.removesuffix('.md').removesuffix('.yaml')}.kepub.epub"


def _epub(folder: Path, build: str) -> Path:
    return _kepub(folder, build).with_name(_kepub(folder, build).name.replace(".kepub.epub", ".epub"))


def _parts(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as z:
        return {name: z.read(name) for name in z.namelist()}


def _content(kepub: Path) -> dict[str, etree._Element]:
    """The kepub's documents that carry Kobo's markup (all XHTML but the navigation and the cover), parsed."""
    return {name: root for name, data in _parts(kepub).items() if name.endswith(".xhtml")
            and (root := etree.fromstring(data)).find(f".//{{{X}}}div[@id='book-columns']") is not None}


def _spans(root: etree._Element) -> list[etree._Element]:
    return root.xpath("//x:span[@class='koboSpan']", namespaces={"x": X})


# --- the builds ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_command_names_the_kepub_and_records_it(kobo: Path) -> None:
    sums = (kobo / "SHA256SUMS").read_text(encoding="utf-8")
    for build in BUILDS:
        assert _kepub(kobo, build).is_file() and _epub(kobo, build).is_file(), build
        assert f"  {_kepub(kobo, build).name}\n" in sums, build


@pytest.mark.slow
@pytest.mark.parametrize("build", list(BUILDS))
def test_epubcheck_reports_nothing(kobo: Path, build: str) -> None:
    run = subprocess.run([sys.executable, "-m", "epubcheck", str(_kepub(kobo, build))], capture_output=True, text=True)
    report = run.stdout + run.stderr
    assert run.returncode == 0 and not re.search(r"ERROR|WARNING|FATAL|USAGE", report), report


@pytest.mark.slow
@pytest.mark.parametrize("build", list(BUILDS))
def test_daisy_ace_finds_no_violation(kobo: Path, build: str, tmp_path: Path) -> None:
    ace = shutil.which("ace-cli")
    assert ace, "DAISY Ace is not installed: `make test` installs it (npm @daisy/ace-cli)"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")}
    for _ in range(2):  # Ace's headless Chromium can crash on a loaded machine: a run with no report is run again
        run = subprocess.run([ace, "--force", "--silent", "--outdir", str(tmp_path / "ace"), str(_kepub(kobo, build))],
                             capture_output=True, text=True, env=env, timeout=600)
        if (tmp_path / "ace" / "report.json").exists():
            break
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    violations = [(test["earl:test"]["dct:title"], document["earl:testSubject"]["url"])
                  for document in report["assertions"] for test in document["assertions"]]
    assert violations == [] and report["earl:result"]["earl:outcome"] == "pass", violations


@pytest.mark.slow
def test_two_builds_give_the_same_bytes_whatever_else_is_built(kobo: Path, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "pressroom", "build", str(SOURCE), str(COLLECTION),
                          "--to", "kepub", "--out", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for build in ("canonical", "collection"):
        assert _kepub(tmp_path, build).read_bytes() == _kepub(kobo, build).read_bytes(), build


# --- the kepub is the EPUB, plus Kobo's markup ----------------------------------------------------


def _without_kobo(root: etree._Element) -> bytes:
    """The document with its koboSpans, its two wrappers and kepubify's style taken out, canonicalised."""
    root = etree.fromstring(etree.tostring(root))
    for element in root.iter(f"{{{X}}}span", f"{{{X}}}div"):
        if element.get("class") == "koboSpan" or element.get("id") in ("book-columns", "book-inner"):
            element.tag = UNWRAP
    etree.strip_tags(root, UNWRAP)
    etree.cleanup_namespaces(root)
    for style in root.iterfind(f"{{{X}}}head/{{{X}}}style[@class='kobostylehacks']"):
        style.getprevious().tail = style.tail  # the head laid out as before
        style.getparent().remove(style)
    return etree.tostring(root, method="c14n")


@pytest.mark.slow
@pytest.mark.parametrize("build", list(BUILDS))
def test_the_kepub_is_the_epub_with_spans_and_wrappers_only(kobo: Path, build: str) -> None:
    """The same entries in the same order, stored alike and dated by the build; every document but the content
    documents (the package, the navigation, the cover page, the styles, the pictures) byte for byte the EPUB's,
    and each content document the EPUB's once its spans, wrappers and kepubify's style are taken out."""
    kepub, epub = _kepub(kobo, build), _epub(kobo, build)
    with zipfile.ZipFile(kepub) as k, zipfile.ZipFile(epub) as e:
        assert [(i.filename, i.date_time, i.compress_type) for i in k.infolist()] == [
            (i.filename, i.date_time, i.compress_type) for i in e.infolist()]
    ours, theirs = _parts(kepub), _parts(epub)
    content = _content(kepub)
    assert content, "no document has Kobo's markup"
    assert {n for n in ours if n.endswith(".xhtml")} - set(content) == {"EPUB/nav.xhtml", "EPUB/cover.xhtml"}
    for name, data in ours.items():
        if name in content:
            assert _without_kobo(content[name]) == _without_kobo(etree.fromstring(theirs[name])), name
        else:
            assert data == theirs[name], name


@pytest.mark.slow
@pytest.mark.parametrize("build", list(BUILDS))
def test_every_word_is_in_exactly_one_kobo_span(kobo: Path, build: str) -> None:
    """Every piece of text in a body is the whole text of one koboSpan, none inside another; only whitespace
    outside a <p> is left bare; the spans' text is the document's text."""
    for name, root in _content(kepub := _kepub(kobo, build)).items():
        body = root.find(f"{{{X}}}body")
        spans = _spans(root)
        assert spans, name
        for span in spans:
            assert len(span) == 0 or [e.tag for e in span] == [f"{{{X}}}img"], (name, span.get("id"))
            assert not any(a.get("class") == "koboSpan" for a in span.iterancestors()), (name, span.get("id"))
        for element in body.iter():
            bare = [(element.tail, element.getparent())]  # a tail is never a span's own text
            if element.get("class") != "koboSpan":
                bare.append((element.text, element))
            for text, holder in bare:
                if text and holder is not None:
                    assert text.isspace() and etree.QName(holder).localname != "p", (name, text[:40])
        spanned = "".join(s.text or "" for s in spans)  # spans hold no span: no text is counted twice
        assert re.sub(r"\s", "", spanned) == re.sub(r"\s", "", "".join(body.itertext())), name
    assert sum(len(_spans(root)) for root in _content(kepub).values()) > 50


@pytest.mark.slow
@pytest.mark.parametrize("build", list(BUILDS))
def test_span_ids_are_unique_and_numbered_in_reading_order(kobo: Path, build: str) -> None:
    for name, root in _content(_kepub(kobo, build)).items():
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), name
        numbers = [tuple(map(int, re.fullmatch(r"kobo\.(\d+)\.(\d+)", s.get("id")).groups())) for s in _spans(root)]
        assert numbers[0] in ((0, 1), (1, 1)), (name, numbers[0])
        for before, after in zip(numbers, numbers[1:], strict=False):
            assert after in ((before[0], before[1] + 1), (before[0] + 1, 1)), (name, before, after)


@pytest.mark.slow
@pytest.mark.parametrize("build", list(BUILDS))
def test_the_book_columns_and_inner_divs_wrap_the_body(kobo: Path, build: str) -> None:
    for name, root in _content(_kepub(kobo, build)).items():
        body = root.find(f"{{{X}}}body")
        assert not (body.text or "").strip() and [c.get("id") for c in body] == ["book-columns"], name
        assert [c.get("id") for c in body[0]] == ["book-inner"] and not (body[0].text or "").strip(), name
        style = root.find(f"{{{X}}}head")[-1]
        assert (style.tag, style.get("class"), style.get("type")) == (f"{{{X}}}style", "kobostylehacks", "text/css")


@pytest.mark.slow
@pytest.mark.parametrize("build", list(BUILDS))
def test_note_references_index_locators_and_every_link_resolve(kobo: Path, build: str) -> None:
    """Every link of every document lands on an element that exists; note references still go from a `noteref`
    to an `endnote` (Kobo's popup notes), index locators to their mentions."""
    documents = {name.removeprefix("EPUB/"): etree.fromstring(data)
                 for name, data in _parts(_kepub(kobo, build)).items() if name.endswith(".xhtml")}
    ids = {(name, e.get("id")): e for name, root in documents.items() for e in root.iter() if e.get("id")}
    kinds: dict[str, int] = {}
    for name, root in documents.items():
        for link in root.iter(f"{{{X}}}a"):
            href = link.get("href")
            if href is None or re.match(r"[a-z]+:", href):
                continue
            file, _, ident = href.partition("#")
            target = ids.get((file or name, ident)) if ident else documents.get(file)
            assert target is not None, (name, href)
            kind = link.get(f"{{{OPS}}}type")
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "noteref":
                assert target.get(f"{{{OPS}}}type") == "endnote" and link.get("role") == "doc-noteref", href
            if kind == "index-locator":
                assert target.get("class") in ("film", "person"), href
    assert kinds.get("index-locator", 0) >= 4, kinds
    if build == "notes":
        assert kinds.get("noteref") == kinds.get("backlink") == 3, kinds


# --- kepubify's rules, on small documents -----------------------------------------------------------

PAGE = """<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en">
  <head>
    <title>T</title>
  </head>
  <body>{}</body>
</html>"""


def _kobo(body: str) -> etree._Element:
    return etree.fromstring(kepubify(PAGE.format(body).encode()))


def _inner(body: str) -> str:
    """The content of div#book-inner, as written."""
    inner = _kobo(body).find(f".//{{{X}}}div[@id='book-inner']")
    text = etree.tostring(inner, encoding="unicode", with_tail=False)
    return re.sub(r' xmlns(:\w+)?="[^"]+"', "", text).removeprefix('<div id="book-inner">').removesuffix("</div>")


def span(ident: str, text: str) -> str:
    return f'<span class="koboSpan" id="kobo.{ident}">{text}</span>'


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two? Three! Four", ["One. ", "Two? ", "Three! ", "Four"]),
    ("“Go.” She went.  Then… ", ["“Go.” ", "She went.  ", "Then… "]),
    ("Dr.Who and 3.5 cm", ["Dr.Who and 3.5 cm"]),  # no whitespace after the point: no end
    ("Why?! Because.\n", ["Why?! ", "Because.\n"]),
    ("a\u00a0b. c", ["a\u00a0b. ", "c"]),
    ("no end", ["no end"]),
    ("  ", ["  "]),
])
def test_sentences_end_as_kepubify_ends_them(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected and "".join(sentences(text)) == text


def test_the_body_is_wrapped_and_the_style_hack_added() -> None:
    root = _kobo("<p>Hi.</p>")
    body = root.find(f"{{{X}}}body")
    assert [(e.tag, e.get("id")) for e in body.iter(f"{{{X}}}div")] == [
        (f"{{{X}}}div", "book-columns"), (f"{{{X}}}div", "book-inner")]
    assert root.find(f"{{{X}}}head")[-1].get("class") == "kobostylehacks"


def test_paragraphs_headings_and_lists_open_a_paragraph_number_and_their_items_do_not() -> None:
    assert _inner("<h2>A. B</h2><p>C <em>d.</em> E</p><ul><li>F</li><li>G</li></ul>") == (
        f'<h2>{span("1.1", "A. ")}{span("1.2", "B")}</h2>'
        f'<p>{span("2.1", "C ")}<em>{span("2.2", "d.")}</em>{span("2.3", " E")}</p>'
        f'<ul><li>{span("3.1", "F")}</li><li>{span("3.2", "G")}</li></ul>'
    )


def test_whitespace_is_spanned_only_directly_in_a_paragraph() -> None:
    assert _inner("<p><em>a</em> <em>b</em></p>\n<div><em>c</em> <em>d</em></div>") == (
        f'<p><em>{span("1.1", "a")}</em>{span("1.2", " ")}<em>{span("1.3", "b")}</em></p>\n'
        f'<div><em>{span("1.4", "c")}</em> <em>{span("1.5", "d")}</em></div>'
    )


def test_text_before_any_paragraph_is_paragraph_zero_and_an_image_opens_one_at_once() -> None:
    assert _inner('<div>Lead</div><figure><img src="a.png" alt="A"/><figcaption>Cap</figcaption></figure>') == (
        f'<div>{span("0.1", "Lead")}</div>'
        f'<figure><span class="koboSpan" id="kobo.1.1"><img src="a.png" alt="A"/></span>'
        f'<figcaption>{span("1.2", "Cap")}</figcaption></figure>'
    )


def test_code_scripts_mathml_and_svg_keep_their_text() -> None:
    body = ('<pre>x. y</pre><math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>s</text></svg><p>z</p>')
    assert _inner(body) == (
        '<pre>x. y</pre><math><mi>x</mi></math><svg><text>s</text></svg>'
        f'<p>{span("1.1", "z")}</p>'
    )


def test_links_keep_their_attributes_and_get_spans_inside() -> None:
    assert _inner('<p>See<a epub:type="noteref" role="doc-noteref" href="#note-1" id="noteref-1">1</a>.</p>') == (
        f'<p>{span("1.1", "See")}<a epub:type="noteref" role="doc-noteref" href="#note-1" id="noteref-1">'
        f'{span("1.2", "1")}</a>{span("1.3", ".")}</p>'
    )


def test_a_cover_page_is_left_as_it_is() -> None:
    page = PAGE.format('<section epub:type="cover"><img src="c.png" alt="C"/></section>').encode()
    assert kepubify(page) == page
