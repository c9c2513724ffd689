"""`pressroom import` of transcripts as their owners save them: each shape of tests/transcripts/ (written
for these tests, no real transcript) imports with exit 0 into a source `check` accepts, with the right
headline, roles, names, turns and timecodes, and keeps the words of every turn."""

from __future__ import annotations

import difflib
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.core import model as m
from pressroom.reading.reader import read

runner = CliRunner()
FIXTURES = Path(__file__).parent / "transcripts"
ASKS, ANSWERS = m.Role.INTERVIEWER, m.Role.INTERVIEWEE

# file -> (title, subtitle, [(label, role, name)], turns, the first turns' timecodes, date)
EXPECTED = {
    "finch-1988.htm": (  # Word 97's HTML in windows-1252: no <h1>, plain labels, a dateline and a credit
        "Oral History Interview with Harold Finch", "Duluth, Minnesota, March 3, 1988",
        [("OLSEN", ASKS, "Margaret Olsen"), ("FINCH", ANSWERS, "Harold Finch")], 10, [], "1988-03-03"),
    "abernathy-1987.txt": (  # a headline block of three lines; surnames in capitals
        "Interview with Ruth Abernathy", "Tulsa, Oklahoma, June 12, 1987",
        [("DWYER", ASKS, "Carl Dwyer"), ("ABERNATHY", ANSWERS, "Ruth Abernathy")], 6, [], "1987-06-12"),
    "field-notes-ep7.txt": (  # opens with a turn; Full Name (FN) then FN; two hosts; a Break
        "Field Notes Ep7", "",
        [("AO", ASKS, "Amara Osei"), ("BC", ASKS, "Ben Carver"), ("LV", ANSWERS, "Lena Vogt")], 12, [], None),
    "lighthouse-ep12.md": (  # Markdown: **Full Name:** labels, \[08:12\] timestamps, a link, a subhead
        "The Lighthouse Keepers, Episode 12", "",
        [("Nadia Haddad", ASKS, None), ("Tomas Weber", ANSWERS, None)], 6, ["00:00:05", "00:00:12", "00:01:40"], None),
    "rivers-and-roads.md": (  # Markdown with YAML front matter (title, date, speakers) and plain labels
        "Rivers and Roads", "", [("Ines", ASKS, "Ines Moreau"), ("Karl", ANSWERS, "Karl Lindqvist")], 6, [],
        "2021-05-04"),
}


def _import(tmp_path: Path, name: str | Path, *options: str) -> tuple[m.Document, str, str]:
    """The fixture `name` (or the file at a path) imported (exit 0) into tmp_path/out and read back as `check`
    reads it: (model, source text, stderr)."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    path = name if isinstance(name, Path) else FIXTURES / name
    result = runner.invoke(app, ["import", str(path), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    source = out / f"{path.stem}.md"
    return read(source), source.read_text(encoding="utf-8"), result.stderr


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’']+", text.replace("'", "’"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_shape_imports_with_its_headline_speakers_turns_and_timecodes(tmp_path: Path, name: str) -> None:
    title, subtitle, speakers, turns, timecodes, when = EXPECTED[name]
    doc, _, _ = _import(tmp_path, name)
    assert m.plain_text(doc.front.title) == title
    assert m.plain_text(doc.front.subtitle) == subtitle
    assert [(s.label, s.role, s.name) for s in doc.front.speakers] == speakers
    said = [block for block in doc.interview if isinstance(block, m.Turn)]
    assert len(said) == turns
    assert [str(turn.timecode) for turn in said[: len(timecodes)]] == timecodes
    assert (str(doc.front.date) if doc.front.date else None) == when


def _input_words(name: str) -> list[str]:
    """The words of a fixture as a reader sees them: its markup, front matter, labels and timecodes left out."""
    data = (FIXTURES / name).read_bytes()
    text = data.decode("cp1252" if name.endswith(".htm") else "utf-8")
    text = re.sub(r"(?s)\A---\n.*?\n---\n", "", text)  # YAML front matter
    text = re.sub(r"(?m)^\W*Break\W*:.*$", "", text)  # a programme break: dropped, with a note
    text = re.sub(r"(?s)<head.*?</head>|<[^>]+>|&nbsp;|https?://[^\s)>]+", " ", text)
    text = re.sub(r"(?m)^\W*(?:[A-Z][\w.]*\s?){1,3}(?:\([A-Z]+\))?\W*:|\\?\[\d\d:\d\d:\d\d\\?\]", " ", text)
    return _words(text)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_words_are_kept_in_order_and_no_markup_is_printed(tmp_path: Path, name: str) -> None:
    """At least 95 % of a fixture's words are the source's, in order (a Break's words are dropped on purpose,
    and the credit line under a headline gives a name); the source's text holds none of the input's markup."""
    doc, source, _ = _import(tmp_path, name)
    parts = [doc.front.title, doc.front.subtitle]
    parts += [p.children for p in (*doc.headnote, *doc.introduction) if isinstance(p, m.Para)]
    for block in doc.interview:
        if isinstance(block, m.Heading):
            parts.append(block.children)
        elif isinstance(block, m.Turn):
            parts += [p.children for p in block.blocks if isinstance(p, m.Para)]
    kept = _words(" ".join(m.plain_text(p) for p in parts))
    given = _input_words(name)
    matcher = difflib.SequenceMatcher(a=given, b=kept, autojunk=False)
    in_order = sum(block.size for block in matcher.get_matching_blocks())
    lost = [given[i1:i2] for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
    assert in_order / len(given) >= 0.95, lost
    body = source.split("\n---\n", 1)[1]
    assert not re.search(r"\*\*|\\\[|<https?:|\]\(http|&nbsp;|<o:p>|MsoNormal", body)


def test_a_guessed_headline_is_said_and_the_command_line_can_give_it(tmp_path: Path) -> None:
    _, _, stderr = _import(tmp_path, "field-notes-ep7.txt")
    assert "no headline before the interview" in stderr and "--title" in stderr
    doc, _, stderr = _import(tmp_path, "field-notes-ep7.txt", "--force", "--title", "Field Notes",
                             "--subtitle", "Lena Vogt on the Ice")
    assert (m.plain_text(doc.front.title), m.plain_text(doc.front.subtitle)) == ("Field Notes", "Lena Vogt on the Ice")
    assert "no headline" not in stderr
    assert m.plain_text(doc.interview[0].blocks[0].children).startswith("Welcome to Field Notes")


def test_the_encoding_a_page_declares_is_used_and_said(tmp_path: Path) -> None:
    doc, _, stderr = _import(tmp_path, "finch-1988.htm")
    assert "read as cp1252, the encoding the page declares" in stderr
    assert "I’m speaking with Harold Finch" in m.plain_text(doc.interview[0].blocks[0].children)


def test_a_text_in_an_undeclared_legacy_encoding_is_detected_and_said(tmp_path: Path) -> None:
    text = (FIXTURES / "abernathy-1987.txt").read_text(encoding="utf-8").replace("didn't", "didn’t")
    text = text.replace("It was one room", "It was one room – a “school” of sorts – with")
    legacy = tmp_path / "abernathy-1987.txt"
    legacy.write_bytes(text.encode("cp1252"))
    _, source, stderr = _import(tmp_path, legacy)
    assert "not UTF-8" in stderr and "read as" in stderr
    assert "a “school” of sorts" in source


def test_a_break_is_a_section_break_and_never_a_speaker(tmp_path: Path) -> None:
    doc, _, stderr = _import(tmp_path, "field-notes-ep7.txt")
    assert "Break" not in {s.label for s in doc.front.speakers}
    assert any(isinstance(block, m.Rule) for block in doc.interview)
    assert "'Break:' is no speaker" in stderr


def test_the_yaml_front_matter_is_never_text(tmp_path: Path) -> None:
    doc, source, stderr = _import(tmp_path, "rivers-and-roads.md")
    assert doc.introduction == () and doc.headnote == ()
    assert "tags" not in source and "front matter 'tags' not used" in stderr


def test_a_timecode_is_data_never_text(tmp_path: Path) -> None:
    doc, source, _ = _import(tmp_path, "lighthouse-ep12.md")
    assert "Nadia Haddad: [00:00:05]{.time} Welcome back." in source
    assert all("00:" not in m.plain_text(p.children) for t in doc.interview if isinstance(t, m.Turn)
               for p in t.blocks if isinstance(p, m.Para))
    result = runner.invoke(app, ["index", "--json", str(tmp_path / "out" / "lighthouse-ep12.md")])
    assert '"timecode": "00:10:09"' in result.stdout


def test_the_subhead_of_a_markdown_transcript_is_a_subhead_and_its_link_its_words(tmp_path: Path) -> None:
    doc, _, stderr = _import(tmp_path, "lighthouse-ep12.md")
    assert [m.plain_text(b.children) for b in doc.interview if isinstance(b, m.Heading)] == ["After the break"]
    assert "dropped the link to https://example.org/tomas; its words 'Tomas Weber' kept" in stderr


def test_an_import_check_would_refuse_is_exit_3_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import pressroom.importers as importers

    monkeypatch.setattr(importers, "write_source", lambda doc, registry: "---\ntitle: \"\"\n---\n")
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["import", str(FIXTURES / "rivers-and-roads.md"), "--out", str(out)])
    assert result.exit_code == 3
    assert re.search(r"rivers-and-roads\.md:1:1: this input gives no source that check accepts", result.stderr)
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_the_imported_transcripts_build_and_print_none_of_their_markup(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sources = []
    for name in sorted(EXPECTED):
        _import(tmp_path, name)
        sources.append(str(out / f"{Path(name).stem}.md"))
    result = runner.invoke(app, ["build", "--to", "pdf,epub,docx", "--out", str(tmp_path / "build"), *sources])
    assert result.exit_code == 0, result.output
    for name in EXPECTED:
        pdf = tmp_path / "build" / f"{Path(name).stem}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert EXPECTED[name][0].split()[-1] in text
        assert not re.search(r"\*\*|\\\[|\[00:|<https?:|\]\(http|-->|&nbsp;", text), name


def test_a_docx_with_no_title_style_and_plain_labels_takes_its_headline_as_html_does(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Interview with Jane Roe").bold = True
    document.add_paragraph("Interviewed by John Doe, May 2, 1994")
    for label, words in [("Q", "Where did you grow up?"), ("Roe", "On a farm near the river."),
                         ("Q", "What did you grow?"), ("Roe", "Beets, mostly, and trouble.")]:
        document.add_paragraph(f"{label}: {words}")
    path = tmp_path / "roe-1994.docx"
    document.save(path)
    doc, _, _ = _import(tmp_path, path)
    assert m.plain_text(doc.front.title) == "Interview with Jane Roe"
    assert [(s.label, s.role, s.name) for s in doc.front.speakers] == [("Q", ASKS, "John Doe"),
                                                                     ("Roe", ANSWERS, "Jane Roe")]
    assert len([b for b in doc.interview if isinstance(b, m.Turn)]) == 4


def test_a_word_file_with_a_project_line_a_table_of_who_and_q_and_a_labels(tmp_path: Path) -> None:
    """An oral history as archives typed them: two bold lines on top (the project, the interview), a table of
    who and when, then `Q.` and `A.` paragraphs."""
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("SOUTHSIDE ORAL HISTORY PROJECT").bold = True
    document.add_paragraph().add_run("Interview with Ruth Okafor").bold = True
    table = document.add_table(rows=3, cols=2)
    for row, (field, value) in zip(table.rows, [("Interviewee", "Ruth Okafor"), ("Interviewer", "Sam Lee"),
                                                ("Date", "April 2, 1991")], strict=True):
        row.cells[0].text, row.cells[1].text = field, value
    for words in ["Q. When did your family come here?", "A. In 1952, above a laundry.",
                  "Q. What was it like?", "A. Loud and friendly.", "And everybody fed you."]:
        document.add_paragraph(words)
    path = tmp_path / "okafor-1991.docx"
    document.save(path)
    doc, _, _ = _import(tmp_path, path)
    assert (m.plain_text(doc.front.title), m.plain_text(doc.front.subtitle)) == (
        "Interview with Ruth Okafor", "SOUTHSIDE ORAL HISTORY PROJECT")
    assert [(s.label, s.role, s.name) for s in doc.front.speakers] == [("Q", ASKS, "Sam Lee"),
                                                                     ("A", ANSWERS, "Ruth Okafor")]
    assert str(doc.front.date) == "1991-04-02"
    assert [m.plain_text(p.children) for p in doc.introduction] == [
        "Interviewee: Ruth Okafor", "Interviewer: Sam Lee", "Date: April 2, 1991"]
    assert [len(t.blocks) for t in doc.interview if isinstance(t, m.Turn)] == [1, 1, 1, 2]


def test_markdown_turns_on_lines_of_one_paragraph_are_turns(tmp_path: Path) -> None:
    """Markdown joins lines with no blank line between into one paragraph; lines that open with a label are
    turns of their own (and a line that does not continues its turn)."""
    source = tmp_path / "joined.md"
    source.write_text("# Rain\n\nAna: Where were you?\nBen: At home.\nAna: Why?\nBen: It rained,\nall day.\n",
                      encoding="utf-8")
    doc, _, stderr = _import(tmp_path, source)
    said = [(t.speaker.label, m.plain_text(t.blocks[0].children)) for t in doc.interview if isinstance(t, m.Turn)]
    assert said == [("Ana", "Where were you?"), ("Ben", "At home."), ("Ana", "Why?"), ("Ben", "It rained, all day.")]
    assert "joined.md:4:1: note" in stderr or "joined.md:3:1: note" in stderr  # located by line


def test_a_word_page_titled_by_its_file_name_takes_its_first_line(tmp_path: Path) -> None:
    page = ("<html><head><meta name=Generator content='Microsoft Word 9'><title>Microsoft Word - roe.doc</title>"
            "</head><body><p><b>Interview with Jane Roe</b></p><p>Q: Where?</p><p>ROE: Here.</p>"
            "<p>Q: When?</p><p>ROE: Now.</p></body></html>")
    path = tmp_path / "roe.htm"
    path.write_text(page, encoding="utf-8")
    doc, _, _ = _import(tmp_path, path)
    assert m.plain_text(doc.front.title) == "Interview with Jane Roe"
    assert [(s.label, s.name) for s in doc.front.speakers] == [("Q", None), ("ROE", "Jane Roe")]


def test_raw_html_images_and_links_in_markdown_are_dropped_never_fetched(tmp_path: Path) -> None:
    source = tmp_path / "raw.md"
    source.write_text("# T\n\n<script>alert(1)</script>\n\nA: one <img src=http://example.invalid/x.png> ?\n\n"
                      "B: ![x](file:///etc/passwd) two.\n\nA: [x](file:///etc/passwd) three?\n\nB: four.\n",
                      encoding="utf-8")
    doc, text, stderr = _import(tmp_path, source)
    assert not re.search(r"script|alert|img|passwd|example\.invalid", text)
    assert "raw.md:3:1: note: dropped raw html '<script>alert(1)</script>'" in stderr
    assert "dropped the link to file:///etc/passwd" in stderr and "1 image(s) dropped" in stderr
    # A and B are two voices here, not a Q's answers: the one who asks interviews
    assert [(s.label, s.role) for s in doc.front.speakers] == [("A", ASKS), ("B", ANSWERS)]


def test_a_timecode_on_its_own_line_and_a_bold_name_without_a_colon_open_turns(tmp_path: Path) -> None:
    source = tmp_path / "ep3.md"
    source.write_text("# Ep 3\n\n\\[00:00:00\\]\n\n**Jane Roe** \\[00:00:03\\] Hello there, how are you?\n\n"
                      "\\[00:00:09\\]\n\n**Max Mann:** Fine, thanks, and you.\n\n"
                      "**Jane Roe** \\[00:00:20\\] Why radio?\n\n"
                      "**Max Mann** \\[00:00:25\\] Because of my father.\n", encoding="utf-8")
    doc, text, _ = _import(tmp_path, source)
    said = [(t.speaker.label, str(t.timecode)) for t in doc.interview if isinstance(t, m.Turn)]
    assert said == [("Jane Roe", "00:00:03"), ("Max Mann", "00:00:09"), ("Jane Roe", "00:00:20"),
                    ("Max Mann", "00:00:25")]
    assert doc.introduction == () and "[00:00:00]" not in text


@pytest.mark.parametrize("break_", ["<br>", "<br/>\n"])
def test_lines_of_one_web_paragraph_that_open_turns_are_turns(tmp_path: Path, break_: str) -> None:
    page = (f"<html><body><p><b>Interview with Ann Lee</b></p><p>Q: Where?{break_}LEE: Here, in the{break_}valley."
            f"{break_}Q: When?{break_}LEE: Now.</p></body></html>")
    path = tmp_path / "lee.html"
    path.write_text(page, encoding="utf-8")
    doc, _, _ = _import(tmp_path, path)
    said = [(t.speaker.label, m.plain_text(t.blocks[0].children)) for t in doc.interview if isinstance(t, m.Turn)]
    assert said == [("Q", "Where?"), ("LEE", "Here, in the valley."), ("Q", "When?"), ("LEE", "Now.")]


def test_lines_of_one_word_paragraph_that_open_turns_are_turns(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Interview with Ann Lee", style="Title")
    paragraph = document.add_paragraph("Q: Where?")
    for line in ["LEE: Here, in the", "valley.", "Q: When?", "LEE: Now."]:
        paragraph.add_run().add_break()
        paragraph.add_run(line)
    path = tmp_path / "lee.docx"
    document.save(path)
    doc, _, _ = _import(tmp_path, path)
    said = [(t.speaker.label, m.plain_text(t.blocks[0].children)) for t in doc.interview if isinstance(t, m.Turn)]
    assert said == [("Q", "Where?"), ("LEE", "Here, in the valley."), ("Q", "When?"), ("LEE", "Now.")]


def test_a_capital_is_a_capital_in_every_cased_script() -> None:
    """Labels and names begin with a capital of any cased script, not only A to Z."""
    from pressroom.core.prose import CAPITAL

    capitals = [chr(code) for code in range(0x10000) if chr(code).isupper() and not 0x24B6 <= code <= 0x24CF]
    assert all(re.fullmatch(CAPITAL, char) for char in capitals) and len(capitals) > 1000
    assert not any(re.fullmatch(CAPITAL, char) for char in "aéßж1_ ")


def test_labels_and_names_in_other_scripts(tmp_path: Path) -> None:
    source = tmp_path / "entretien.txt"
    source.write_text("Entretien avec Élodie Durand\n\nQ: Où êtes-vous née ?\n\nDurand: À Évry, en 1961.\n\n"
                      "Q: Et ensuite ?\n\nDurand: Öresund, puis Łódź.\n", encoding="utf-8")
    doc, _, _ = _import(tmp_path, source)
    assert [(s.label, s.role, s.name) for s in doc.front.speakers] == [("Q", ASKS, None),
                                                                     ("Durand", ANSWERS, "Élodie Durand")]


def test_a_timecode_between_a_label_and_its_colon_is_the_turns(tmp_path: Path) -> None:
    source = tmp_path / "timed.md"
    source.write_text("# Timed\n\n**Jane Roe [00:00:03]:** Hello, how are you?\n\n**Max Mann (00:00:09):** Fine.\n\n"
                      "**Jane Roe [00:01:00]:** Why radio?\n\n**Max Mann (01:02):** Because of my father.\n",
                      encoding="utf-8")
    doc, _, _ = _import(tmp_path, source)
    said = [(t.speaker.label, str(t.timecode), m.plain_text(t.blocks[0].children)) for t in doc.interview
            if isinstance(t, m.Turn)]
    assert said == [("Jane Roe", "00:00:03", "Hello, how are you?"), ("Max Mann", "00:00:09", "Fine."),
                    ("Jane Roe", "00:01:00", "Why radio?"), ("Max Mann", "00:01:02", "Because of my father.")]


def test_a_header_that_credits_the_speakers_by_their_labels_is_no_turn(tmp_path: Path) -> None:
    source = tmp_path / "okafor.txt"
    source.write_text("Oral History of the River Valley\n\nInterviewer: Sam Lee\n\nNarrator: Ruth Okafor\n\n"
                      "Interviewer: Where were you born?\n\nNarrator: In Lagos, in 1931.\n\n"
                      "Interviewer: And then?\n\nNarrator: Then Chicago.\n", encoding="utf-8")
    doc, _, _ = _import(tmp_path, source)
    said = [(t.speaker.label, m.plain_text(t.blocks[0].children)) for t in doc.interview if isinstance(t, m.Turn)]
    assert said[0] == ("Interviewer", "Where were you born?") and len(said) == 4
    assert [(s.label, s.role, s.name) for s in doc.front.speakers] == [
        ("Interviewer", ASKS, "Sam Lee"), ("Narrator", ANSWERS, "Ruth Okafor")]


def test_a_bold_name_with_no_colon_opens_a_turn(tmp_path: Path) -> None:
    page = ("<html><body><h1>A Talk</h1><p><strong>FILMMAKER</strong> Where did it start?</p>"
            "<p><strong>Sean Baker</strong> In New York, years ago.</p><p><strong>FILMMAKER</strong> And then?</p>"
            "<p><strong>Sean Baker</strong> Then Los Angeles.</p><p><strong>Los Angeles</strong> was home.</p>"
            "</body></html>")
    path = tmp_path / "talk.html"
    path.write_text(page, encoding="utf-8")
    doc, _, _ = _import(tmp_path, path)
    said = [(t.speaker.label, m.plain_text(t.blocks[0].children)) for t in doc.interview if isinstance(t, m.Turn)]
    assert said == [("FILMMAKER", "Where did it start?"), ("Sean Baker", "In New York, years ago."),
                    ("FILMMAKER", "And then?"), ("Sean Baker", "Then Los Angeles.")]
    assert m.plain_text(doc.interview[-1].blocks[-1].children) == "Los Angeles was home."  # bold once: words
