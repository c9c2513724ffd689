"""The print proof (`pressroom proof`, and the end of every build): each check can fail.

Every check gets a fixture PDF with exactly its defect, made here by WeasyPrint
from a small pressroom-like book: a title page, an `opening` section of text
and a `film-index`, so the named destinations the proof reads exist. The text
is set in a monospaced face, a measure of 42 characters and lines of four
nine-letter words, so that every paragraph has a known number of lines and
every page break falls where the fixture wants it (12 lines a page).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from conftest import BOOKS, ROOT, SOURCE
from pressroom.cli import app
from pressroom.typeset.proof import Finding, proof
from pressroom.typeset.proof_reading import _fast_to_read
from test_bad_builds import _canonical_copy, _fails_with, _use_writer

GENERATE = ROOT / "benchmarks" / "generate.py"
WORDS = ("afternoon", "landscape", "beginning", "character", "discovery", "everybody", "framework", "household")
CSS = """
@page { size: 300pt 268pt; margin: 50pt 24pt;
        @top-center { content: "Running head"; font-size: 7pt; }
        @bottom-center { content: counter(page); font-size: 7pt; } }
@page :first { @top-center { content: none; } }
html { font-family: "DejaVu Sans Mono"; font-size: 10pt; line-height: 14pt; text-align: justify; hyphens: manual; }
body { margin: 0; }
section { break-before: page; }
h1 { font-size: 20pt; line-height: 28pt; margin: 0; }
h2 { font-size: 14pt; line-height: 28pt; margin: 0; }
p { margin: 0; orphans: 2; widows: 2; }
p + p { text-indent: 2ch; }
"""


def para(lines: int, style: str = "") -> str:
    """A paragraph of `lines` lines: four words a line, two on the last."""
    words = [WORDS[i % len(WORDS)] for i in range(4 * (lines - 1) + 2)]
    return f'<p style="{style}">{" ".join(words)}.</p>'


# 10 lines on page 2 (under the heading), 12 on pages 3 and 4, the rest on page 5; the paragraph
# breaks fall so that no page ends short: the clean book has six pages and nothing to report.
CLEAN = (para(7), para(9), para(8), para(10), para(5))
LONE = ("<p>afternoon landscape beginning character pneumonoultramicroscopicsilicovolcan&shy;oconiosis"
        " framework household afternoon.</p>")  # the word's head fills a line of its own
STACK = ('<p style="hyphens: auto">the characteristically incomprehensibilities of internationalization'
         " uncharacteristically institutionalization electroencephalographically and the sound.</p>")
DASH = ('<p>afternoon landscape beginning character'  # an atomic box: the line breaks before the dash
        '<span style="display: inline-block; text-indent: 0">—discovery</span> framework house.</p>')
CAPITAL = "<p>beginning afternoon Wolfeschlegelstei&shy;nhausenbergerdorffvoralternwaren and.</p>"
LONG_HEAD = '@page { @top-center { content: "A running head long enough to wrap onto a second line of the margin"; } }'


def book(paragraphs: tuple[str, ...] = CLEAN, css: str = "", index: str = "Anora 2, 3–4", after: str = "") -> str:
    body = (
        '<section id="titlepage"><h1>Title</h1></section>'
        f'<section id="opening"><h2>Opening</h2>{"".join(paragraphs)}</section>'
        f'<section id="film-index"><h2>Index</h2><p>{index}</p></section>{after}'
    )
    return (f'<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><style>{CSS}{css}</style></head>'
            f"<body>{body}</body></html>")


def pdf_of(folder: Path, xhtml: str, name: str = "book") -> Path:
    from weasyprint import HTML

    out = folder / f"{name}.pdf"
    HTML(string=xhtml).write_pdf(out)
    return out


def helvetica_pdf() -> bytes:
    """Two pages of text in Helvetica, a standard font a PDF may name without embedding it."""
    text = b"BT /F1 10 Tf 24 200 Td (Helvetica, named but not embedded) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 268] /Resources << /Font << /F1 5 0 R >> >>"
          b" /Contents 6 0 R >>"] * 2,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


# --- each check finds its defect, and only it ----------------------------------------------

DEFECTS = {  # name: (the book, the check that must fire, on which pages)
    "odd-page-count": (book(after='<section id="colophon"><p>Colophon.</p></section>'), "odd-page-count", {None}),
    "locator-before-opening": (book(index="Anora 1, 3"), "locator-before-opening", {6}),
    "running-head-lines": (book(css=LONG_HEAD), "running-head-lines", {2, 3, 4, 5, 6}),
    "lone-fragment": (book((para(7), para(9), LONE, para(5), para(10), para(5))), "lone-fragment", {3}),
    "hyphen-stack": (book((para(7), para(9), STACK, para(4), para(10), para(5))), "hyphen-stack", {3}),
    "split-capitalised-word": (
        book((para(7), para(9), CAPITAL, para(6), para(10), para(5))), "split-capitalised-word", {3}),
    "dash-line-start": (book((para(7), para(9), DASH, para(6), para(10), para(5))), "dash-line-start", {3}),
    "loose-spacing": (book((*CLEAN[:4], para(4, "word-spacing: 1em"))), "loose-spacing", {5}),
    "off-grid": (book((para(7), para(9), para(2, "margin-top: 5pt"), para(6), para(9), para(5))), "off-grid", {3}),
    "widow": (book((para(7), para(9), para(4), para(3, "widows: 1"), para(11), para(4))), "widow", {4}),
    "orphan": (book((para(7), para(9), para(5), para(5, "orphans: 1"), para(8), para(4))), "orphan", {3}),
}
HARD = {"odd-page-count", "locator-before-opening", "running-head-lines", "font-not-embedded"}


@pytest.mark.parametrize("name", DEFECTS)
def test_each_check_reports_its_defect_and_nothing_else(name: str, tmp_path: Path) -> None:
    xhtml, check, pages = DEFECTS[name]
    findings = proof(pdf_of(tmp_path, xhtml))
    assert {f.check for f in findings} == {check}, findings
    assert {f.page for f in findings} == pages, findings
    assert all(f.hard == (check in HARD) for f in findings), findings


def test_a_hard_hyphen_at_a_lines_end_is_the_words_own_not_a_split_name(tmp_path: Path) -> None:
    compound = CAPITAL.replace("&shy;", "-")  # "Wolfeschlegelstei-" ends the line, as "Palme-" would
    assert proof(pdf_of(tmp_path, book((para(7), para(9), compound, para(6), para(10), para(5))))) == []


def test_a_font_not_embedded_is_a_hard_finding(tmp_path: Path) -> None:
    pdf = tmp_path / "helvetica.pdf"
    pdf.write_bytes(helvetica_pdf())
    assert proof(pdf) == [Finding(None, "font-not-embedded", "font Helvetica (Type 1) is not embedded", True)]


def test_a_clean_book_has_no_findings(tmp_path: Path) -> None:
    assert proof(pdf_of(tmp_path, book())) == []


@pytest.mark.parametrize(("long", "paragraphs", "findings"), [
    ((2, 3), (para(7), para(4), para(9), para(4), *[para(8), para(4)] * 3, para(5)), set()),  # both pages long
    ((3,), (para(7), para(3), para(9), para(4), *[para(8), para(4)] * 3, para(5)), {3}),  # one page of it alone
])
def test_a_spread_may_run_a_line_long_but_not_one_page_of_it(long: tuple[int, ...], paragraphs: tuple[str, ...],
                                                                  findings: set[int], tmp_path: Path) -> None:
    css = "".join(f"@page :nth({page}) {{ margin-bottom: 36pt; }}" for page in long)  # 14 pt, a line, less
    found = proof(pdf_of(tmp_path, book(paragraphs, css=css)))
    assert {(f.check, f.page) for f in found} == {("off-grid", page) for page in findings}, found


def test_the_findings_name_the_locator_and_the_opening_page(tmp_path: Path) -> None:
    (finding,) = proof(pdf_of(tmp_path, book(index="Anora 1, 3")))
    assert finding.located("book.pdf") == "book.pdf:6: index locator 1 (Anora) points before the opening page 2"


def test_poppler_reads_a_copy_without_the_output_intent_and_finds_the_same_words(tmp_path: Path) -> None:
    """poppler remakes the output intent's colour transforms on every page it reads (most of the
    proof's time on a PDF/A): it reads a copy without it, which must hold the same words."""
    from weasyprint import HTML

    pdf = tmp_path / "book.pdf"
    HTML(string=book((para(10),) * 4)).write_pdf(pdf, pdf_variant="pdf/a-3b")
    with pikepdf.open(pdf) as original:
        assert "/OutputIntents" in original.Root  # a PDF/A, as the build writes
    with _fast_to_read(pdf) as (readable, _):
        assert readable != pdf
        with pikepdf.open(readable) as copy:
            assert "/OutputIntents" not in copy.Root
        words = [
            subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True, text=True, check=True).stdout
            for path in (pdf, readable)
        ]
    assert words[0] == words[1] and "<word" in words[0]
    assert not readable.exists()  # the copy goes with the proof


def test_the_words_read_from_pdftotext_are_those_an_xml_parser_reads(tmp_path: Path) -> None:
    """The proof reads pdftotext's boxes with a pattern over its markup (half ElementTree's time
    on a long book): each line must hold the words, unescaped, and boxes an XML parser reads there."""
    from xml.etree import ElementTree

    from pressroom.typeset.proof_reading import _lines_by_page

    ampersands = '<p>Tom &amp; Jerry say &lt;hello&gt; to "Anora" at 3<sup>rd</sup> and 4&#8217;s.</p>'
    pdf = pdf_of(tmp_path, book((ampersands, *CLEAN[1:])))
    boxes = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    xhtml = "{http://www.w3.org/1999/xhtml}"
    parsed = [sorted((float(word.get("xMin")), float(word.get("xMax")), word.text)
                     for line in page.iter(f"{xhtml}line") for word in line.iter(f"{xhtml}word"))
              for page in ElementTree.fromstring(boxes).iter(f"{xhtml}page")]
    read = _lines_by_page(boxes)
    assert [sorted(tuple(word) for line in page for word in line.words) for page in read] == parsed
    first = " ".join(line.text for line in read[1])
    assert 'Tom & Jerry say <hello> to "Anora" at 3rd' in first.replace("3 rd", "3rd"), first
    (superscripted,) = [line for line in read[1] if "rd" in line.text.split()]
    body_height = Counter(line.height for line in read[1]).most_common(1)[0][0]
    assert superscripted.height == body_height  # the line's own words' height, not its superscript's


# --- the command -------------------------------------------------------------------------------


def test_proof_json_lists_every_finding_with_its_file(tmp_path: Path) -> None:
    pdf = pdf_of(tmp_path, book(index="Anora 1, 3"))
    result = CliRunner().invoke(app, ["proof", str(pdf), "--json"])
    assert result.exit_code == 5, result.output
    assert json.loads(result.stdout) == [{
        "file": str(pdf), "page": 6, "check": "locator-before-opening",
        "message": "index locator 1 (Anora) points before the opening page 2", "hard": True,
    }]


def test_proof_exits_5_on_a_hard_defect(tmp_path: Path) -> None:
    pdf = tmp_path / "helvetica.pdf"
    pdf.write_bytes(helvetica_pdf())
    result = CliRunner().invoke(app, ["proof", str(pdf)])
    assert result.exit_code == 5
    assert result.stderr == f"{pdf}: font Helvetica (Type 1) is not embedded\n"


def test_proof_exits_0_with_warnings_only_and_prints_them(tmp_path: Path) -> None:
    pdf = pdf_of(tmp_path, DEFECTS["widow"][0])
    result = CliRunner().invoke(app, ["proof", str(pdf)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{pdf}:4: widow: ")


@pytest.mark.parametrize("content", [None, b"%PDF-1.4\nnot really\n", b"plain text\n"])
def test_a_missing_or_unreadable_pdf_is_one_line_and_no_traceback(content: bytes | None, tmp_path: Path) -> None:
    pdf = tmp_path / "book.pdf"
    if content is not None:
        pdf.write_bytes(content)
    result = CliRunner().invoke(app, ["proof", str(pdf)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{pdf}: "), result.output


# --- the build ---------------------------------------------------------------------------------


def _writes(pdf: bytes):  # noqa: ANN202 - a PDF writer that writes these bytes whatever the book
    def write(doc, out, options, layout=None) -> None:  # noqa: ANN001
        Path(out).write_bytes(pdf)

    return write


@pytest.mark.slow
def test_a_build_whose_pdf_has_a_hard_defect_is_exit_5_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    _use_writer(monkeypatch, "pdf", _writes(helvetica_pdf()))
    source = _canonical_copy(tmp_path / "src")
    out = tmp_path / "out"
    output = _fails_with([str(source), "--to", "pdf,epub"], 5, out, source.stem)
    assert f"{out / 'sean-baker-anora.pdf'}: font Helvetica (Type 1) is not embedded" in output, output


@pytest.mark.slow
def test_a_build_with_proof_warnings_writes_the_pdf_and_logs_them(tmp_path: Path, monkeypatch, caplog) -> None:
    _use_writer(monkeypatch, "pdf", _writes(pdf_of(tmp_path, DEFECTS["widow"][0]).read_bytes()))
    source = _canonical_copy(tmp_path / "src")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "--to", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "sean-baker-anora.pdf").is_file()
    logged = [r.getMessage() for r in caplog.get_records("call") if r.name == "pressroom.typeset.proof"]
    assert len(logged) == 1 and logged[0].startswith(f"{out / 'sean-baker-anora.pdf'}:4: widow: "), logged


# --- real books -----------------------------------------------------------------------------------

def test_the_canonical_book_has_no_findings(editions: Path) -> None:
    findings = proof(editions / f"{SOURCE.stem}.pdf")
    assert findings == [], "\n".join(f.located(SOURCE.stem + ".pdf") for f in findings)


@pytest.mark.parametrize("source", BOOKS, ids=lambda s: s.stem)
def test_every_test_book_has_no_findings(books: Path, source: Path) -> None:
    pdf = books / f"{source.stem}.pdf"
    findings = proof(pdf)
    assert findings == [], "\n".join(f.located(pdf.name) for f in findings)


@pytest.mark.slow
def test_a_generated_interview_has_no_hard_finding(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATE), str(tmp_path), "--count", "1", "--words", "1200"], check=True)
    (source,) = tmp_path.glob("*.md")
    result = CliRunner().invoke(app, ["build", str(source), "--to", "pdf", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    hard = [f for f in proof(tmp_path / "out" / f"{source.stem}.pdf") if f.hard]
    assert hard == [], hard


def test_a_named_turn_flush_left_after_a_full_last_line_is_no_widow(tmp_path: Path) -> None:
    """A paragraph whose last line fills the measure ends page 3; a one-line turn, flush left, opens page 4.
    By geometry alone it reads as a paragraph's last line going on (a widow); pressroom names each
    paragraph where it begins (p-12), and the proof reads those names."""
    def named(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(p.replace("<p ", f'<p id="p-{n}" ', 1) for n, p in enumerate(paragraphs, start=1))

    full_last = para(6, "text-align-last: justify")
    paragraphs = (para(7), para(9), full_last, '<p style="text-indent: 0">afternoon landscape.</p>', para(11), para(4))
    unnamed = proof(pdf_of(tmp_path, book(paragraphs), "unnamed"))
    assert [f.page for f in unnamed if f.check == "widow"] == [4]  # the page breaks where the test means it to
    findings = proof(pdf_of(tmp_path, book(named(paragraphs)), "named"))
    assert [f for f in findings if f.check in ("widow", "orphan")] == []


def test_one_line_paragraphs_at_a_page_break_are_no_widows_or_orphans(tmp_path: Path) -> None:
    """A page of one-line turns, flush left, still has the book's measure: its lines end short of it, so each
    is a whole paragraph, not a widow or orphan (the measure was each page's most common line end)."""
    def turn(words: str) -> str:
        return f'<p style="text-indent: 0">{words}</p>'

    medium, short, longer = turn("afternoon landscape."), turn("afternoon."), turn("afternoon landscape beginning.")
    for shift in (0, 2):  # a longer line at a page's foot or top, after or before a shorter one
        turns = (medium,) * shift + (medium, medium, short, longer) * 10  # most lines end at the same place
        findings = proof(pdf_of(tmp_path, book((para(7), para(9), *turns, para(4)))))
        assert [f for f in findings if f.check in ("widow", "orphan")] == [], shift
