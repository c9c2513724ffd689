"""`pressroom import` of subtitle files and transcription services' exports: WebVTT voice tags, SRT
`Name:` cues, Otter's `Name  0:04` and Rev's `Name (00:00:04):` lines become turns with timecodes.

The fixtures are invented interviews, written for these tests. The words each should give are taken
from the fixture by the test's own means (tags and timing lines dropped with regular expressions), not
by the importer's.
"""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from conftest import missing_in_order, words
from pressroom.cli import app
from pressroom.core import model as m
from pressroom.importers import format_of, import_file
from pressroom.reading.reader import read
from test_import import _out

runner = CliRunner()

VTT = """\
WEBVTT - Keeping the Light: A conversation with Tobias Renn
Kind: captions
Language: en

NOTE
Captions checked by hand against the recording;
the guest's name spelled as he asked.

STYLE
::cue(v[voice="Mara Quill"]) { color: yellow; }

intro
00:00:04.000 --> 00:00:09.500 align:start position:10%
<v Mara Quill>Welcome back to Harbour Voices. Today I'm talking with Tobias Renn.

00:00:09.500 --> 00:00:13.000
What first drew you to recording lighthouses?

00:00:13.200 --> 00:00:19.800
<v Tobias Renn>My grandfather kept the light at <i>Skerry Point</i> for thirty years,

00:00:19.800 --> 00:00:24.000
<v Tobias Renn>and I spent every summer there <00:00:21.500><c.slow>listening</c> to the foghorn.

00:00:24.500 --> 00:00:27.000
<v.loud Mara Quill>Did the sound ever frighten you?</v>

NOTE the next cue runs over two lines

00:00:27.000 --> 00:00:33.000
<v Tobias Renn>Never. It was a heartbeat &amp; a clock at once,
<b>steady</b> and <u>patient</u>.

00:00:33.500 --> 00:00:37.000
<v Mara Quill>How do you record something that loud without distortion?

00:00:37.000 --> 00:00:44.250
<v Tobias Renn>Distance, mostly. I set the microphones on the rocks &lt;behind&gt; the keeper's cottage.

00:00:44.250 --> 00:00:47.000
The wind does the mixing for me.

00:00:47.500 --> 00:00:50.000
<v Mara Quill>And what are you working on now?

00:00:50.000 --> 00:00:56.000
<v Tobias Renn>A map of every&nbsp;foghorn still sounding on this coast. There are only eleven left.

00:00:56.500 --> 00:00:59.000
<v Mara Quill>Eleven? Why so few?

00:00:59.000 --> 00:01:05.000
<v Tobias Renn>Satellites replaced them. Ships don't need to hear the coast any more.

00:01:05.500 --> 00:01:08.000
<v Mara Quill>Thank you, Tobias. Where can people hear the recordings?

00:01:08.000 --> 00:01:12.000
<v Tobias Renn>At the harbour museum, every Sunday&lrm; in the old net loft.
"""
VTT_TURNS = [("Mara Quill", "interviewer"), ("Tobias Renn", "interviewee")] * 6
VTT_TIMES = ["00:00:04", "00:00:13.200", "00:00:24.500", "00:00:27", "00:00:33.500", "00:00:37"]

SRT = """\
1
00:00:02,000 --> 00:00:06,000
Host: This is Field Notes. My guest grows
apples nobody has tasted in a century.

2
00:00:06,500 --> 00:00:09,000
Host: Where do you even find them?

3
00:00:09,500 --> 00:00:15,000
- Ines Varga: In old hedgerows, mostly,
and in the gardens of abandoned farms.

4
00:00:15,000 --> 00:00:18,000
Some trees are two hundred years old.

5
00:00:18,500 --> 00:00:21,000
>> Host: How do you know what variety a tree is?

6
00:00:21,000 --> 00:00:28,000
Ines Varga: Often I don't. I send the leaves to a lab
and wait six months for a DNA match.

7
00:00:28,500 --> 00:00:31,000
Host: Has any tree surprised you?

8
00:00:31,000 --> 00:00:37,500
Ines Varga: One near the river was a variety
thought lost since 1890.

9
00:00:38,000 --> 00:00:40,000
Host: What did it taste like?

10
00:00:40,000 --> 00:00:45,000
Ines Varga: Like pears and smoke. I cried a little.

11
00:00:45,500 --> 00:00:48,000
Host: Where can people try one?

12
00:00:48,000 --> 00:00:52,000
Ines Varga: Come to the orchard in October. We share the first basket.
"""
SRT_TURNS = [("Host", "interviewer"), ("Ines Varga", "interviewee")] * 5
SRT_TIMES = ["00:00:02", "00:00:09.500", "00:00:18.500", "00:00:21"]

OTTER = """\
Dana Whitcombe  0:03
Thanks for joining me. You spent ten years building violins by hand. Why violins?

Rafael Okonkwo  0:11
Because my father played one badly, and I wanted to build him one he could not blame.

Dana Whitcombe  0:19
Did it work?

Rafael Okonkwo  0:21
He still blames the violin. But he plays it every evening.

The first one took me fourteen months.

Dana Whitcombe  0:35
What wood do you use for the back?

Rafael Okonkwo  0:38
Maple from a mountain slope, cut in winter when the sap is low.

Dana Whitcombe  0:46
And what do you listen for when it is finished?

Rafael Okonkwo  1:02:50
The moment the instrument stops sounding new. That takes about a year of playing.

Transcribed by https://otter.ai
"""
OTTER_TURNS = [("Dana Whitcombe", "interviewer"), ("Rafael Okonkwo", "interviewee")] * 4
OTTER_TIMES = ["00:00:03", "00:00:11", "00:00:19", "00:00:21"]

REV = """\
Night Shift Radio, episode 12

Priya Anand (00:00:01):
Welcome to Night Shift. Tonight I'm with a baker who starts work at two in the morning. What keeps you awake?

Tomas Lindqvist (00:00:09):
Coffee, and the smell of the first loaves. By four the whole street smells of bread.

Priya Anand (00:00:17):
Do you ever see your neighbours?

Tomas Lindqvist (00:00:20):
Only the taxi drivers. They buy the burnt rolls for half price.

Priya Anand: (00:28)
What is the hardest loaf to get right?

Tomas Lindqvist: (00:31)
Rye. It is sticky and stubborn and it punishes every mistake.
You learn patience or you quit.

Priya Anand (00:00:42):
Would you do it all again?

Tomas Lindqvist (00:00:45): Every night, yes.
"""
REV_TURNS = [("Priya Anand", "interviewer"), ("Tomas Lindqvist", "interviewee")] * 4
REV_TIMES = ["00:00:01", "00:00:09", "00:00:17", "00:00:20", "00:00:28", "00:00:31"]

# two co-hosts, one labelled as a service does ("Speaker 1"), the other with a particle, and a guest whose
# name is too long for a label; a cue where the speakers change twice
COHOSTS = """\
WEBVTT

00:00:01.000 --> 00:00:05.000
<v Speaker 1>Welcome to Two Lamps. I'm here with my co-host, as always.

00:00:05.000 --> 00:00:08.000
<v Jean de Vries>Hello! Our guest designs bridges. What is the first question you ask about a river?

00:00:08.000 --> 00:00:16.000
<v Maria del Carmen Ruiz Ortega>How angry it gets in spring. A calm river in August tells you nothing about
the flood that comes in April, when the snow melts in the mountains all at once.

00:00:16.000 --> 00:00:19.000
<v Speaker 1>Have you ever been wrong about one?

00:00:19.000 --> 00:00:27.000
<v Maria del Carmen Ruiz Ortega>Once. The water rose a metre above the record of a hundred years.
The bridge held, but I did not sleep for a week, and I still drive past it when it rains.

00:00:27.000 --> 00:00:30.000
<v Jean de Vries>Do you have a favourite bridge that you did not design?

00:00:30.000 --> 00:00:37.000
<v Maria del Carmen Ruiz Ortega>A stone footbridge in the mountains, eight hundred years old.
<v Speaker 1>Where is it? <v Maria del Carmen Ruiz Ortega>I will not say. It would be crowded.

00:00:37.500 --> 00:00:40.000
<v Jean de Vries>Then we will not ask again. Thank you both.
"""
COHOSTS_TURNS = [("Speaker 1", "interviewer"), ("Jean de Vries", "interviewer"), ("Ortega", "interviewee"),
                 ("Speaker 1", "interviewer"), ("Ortega", "interviewee"), ("Jean de Vries", "interviewer"),
                 ("Ortega", "interviewee"), ("Speaker 1", "interviewer"), ("Ortega", "interviewee"),
                 ("Jean de Vries", "interviewer")]
COHOSTS_TIMES = ["00:00:01", "00:00:05", "00:00:08", "00:00:16"]

CASES = {  # name: (file name, text, turns, first timecodes, labels in the input's text, headline)
    "vtt": ("keeping-the-light.vtt", VTT, VTT_TURNS, VTT_TIMES, (),
            ("Keeping the Light", "A conversation with Tobias Renn")),
    "srt": ("field-notes.srt", SRT, SRT_TURNS, SRT_TIMES, ("Host", "Ines Varga"), ("Field Notes", "")),
    "otter": ("violins.txt", OTTER, OTTER_TURNS, OTTER_TIMES, (), ("Violins", "")),
    "rev": ("night-shift.txt", REV, REV_TURNS, REV_TIMES, (), ("Night Shift Radio, episode 12", "")),
    "cohosts": ("two-lamps.vtt", COHOSTS, COHOSTS_TURNS, COHOSTS_TIMES, (), ("Two Lamps", "")),
}
_HEADER = re.compile(r"^[A-Z][\w ]*?(?:  \d[\d:]*| \(\d[\d:]*\):| ?: \(\d[\d:]*\))", re.M)


def _spoken(text: str, labels: tuple[str, ...]) -> list[str]:
    """The words a fixture says, in order: for a cue file, its cues' text without tags, timing lines,
    identifiers, NOTE and STYLE blocks and `Label:`; for an export, its lines without the speaker lines."""
    if "-->" not in text:
        kept = [line for line in text.split("\n")[2 if text.startswith("Night") else 0:] if "otter.ai" not in line]
        return words(_HEADER.sub("", "\n".join(kept)))
    said = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if lines[0].startswith(("WEBVTT", "NOTE", "STYLE")):
            continue
        for line in lines[next(i for i, line in enumerate(lines) if "-->" in line) + 1 :]:
            line = html.unescape(re.sub(r"<[^>]*>", "", line)).replace("\xa0", " ").replace("\u200e", "")
            said.append(re.sub(rf"^(?:- |>> )?(?:{'|'.join(labels) or '$^'}): ", "", line))
    return words(" ".join(said))


def _interview_words(doc: m.Document) -> list[str]:
    return [w for turn in doc.interview for para in turn.blocks for w in words(m.plain_text(para.children))]


@pytest.fixture(scope="module")
def imports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Each fixture imported once: its case, the model `check` reads, the source's text, the import's stderr."""
    found = {}
    for key, case in CASES.items():
        name, text, *_ = case
        folder = tmp_path_factory.mktemp(key)
        (folder / name).write_text(text, encoding="utf-8")
        out = _out(folder)
        result = runner.invoke(app, ["import", str(folder / name), "--out", str(out)])
        assert result.exit_code == 0, result.output
        source = out / f"{Path(name).stem}.md"
        check = runner.invoke(app, ["check", str(source)])
        assert check.exit_code == 0, check.output
        found[key] = (case, read(source), source.read_text(encoding="utf-8"), result.stderr)
    return found


@pytest.fixture(params=list(CASES))
def imported(request: pytest.FixtureRequest, imports: dict[str, tuple]) -> tuple:
    return imports[request.param]


def test_the_turns_speakers_and_roles_are_the_inputs(imported) -> None:
    (_, _, turns, *_), doc, _, _ = imported
    assert all(isinstance(block, m.Turn) for block in doc.interview)
    assert [(t.speaker.label, t.speaker.role.value) for t in doc.interview] == turns
    assert [s.label for s in doc.front.speakers] == list(dict.fromkeys(label for label, _ in turns))
    assert not doc.introduction and not doc.headnote


def test_each_turn_has_its_first_cues_start_as_timecode(imported) -> None:
    (_, _, _, times, *_), doc, source, _ = imported
    assert [str(t.timecode) for t in doc.interview[: len(times)]] == times
    body = source[source.index("::: interview") :]
    written = re.findall(r"^([^:\n]+): \[([\d:.]+)\]\{\.time\} ", body, re.M)
    assert [time for _, time in written[: len(times)]] == times
    assert len(written) == len(doc.interview)  # every turn is timed


def test_every_word_of_the_cues_is_in_the_interview_in_order(imported) -> None:
    (_, text, _, _, labels, _), doc, _, _ = imported
    assert _interview_words(doc) == _spoken(text, labels)


def test_no_markup_of_the_input_leaks_into_the_source(imported) -> None:
    (_, text, *_), doc, source, _ = imported
    body = source[source.index("::: interview") :]
    for markup in ("-->", "WEBVTT", "<v", "</", "&amp;", "&nbsp;", "{\\", "align:", ">>", "otter.ai", "NOTE"):
        assert markup not in body, markup
    assert not re.search(r"^\d+$", body, re.M)  # no cue number
    said = " ".join(_interview_words(doc))
    assert not re.search(r"\d:\d\d", said)  # no time is words
    for name in re.findall(r"<v(?:\.\w+)? ([^>]+)>", text):
        assert f"{name}:" not in said


def test_the_headline_is_the_webvtt_title_or_the_files_name(imported) -> None:
    (_, _, _, _, _, (title, subtitle)), doc, _, stderr = imported
    assert (m.plain_text(doc.front.title), m.plain_text(doc.front.subtitle)) == (title, subtitle)
    guessed = "made of the file's name" in stderr
    assert guessed == (title not in ("Keeping the Light", "Night Shift Radio, episode 12"))


def test_co_hosts_are_interviewers_and_a_long_name_is_kept_beside_a_short_label(imports) -> None:
    _, doc, source, stderr = imports["cohosts"]
    assert {s.label: (s.role.value, s.name) for s in doc.front.speakers} == {
        "Speaker 1": ("interviewer", None), "Jean de Vries": ("interviewer", None),
        "Ortega": ("interviewee", "Maria del Carmen Ruiz Ortega")}
    assert "'Maria del Carmen Ruiz Ortega' is too long for a speaker's label: labelled 'Ortega'" in stderr
    assert "Voice" not in source and "Voice" not in stderr  # the stand-ins the plain-text rules read


def test_the_service_credit_is_dropped_with_a_note(imports) -> None:
    _, _, source, stderr = imports["otter"]
    assert "violins.txt:27:1: note: dropped the service's credit 'Transcribed by https://otter.ai'" in stderr
    assert "\n\nThe first one took me fourteen months.\n" in source  # a second paragraph of the turn


def test_notes_point_into_the_input(imported) -> None:
    """The speakers' note is where the first turn begins: its cue's timing line, or the export's speaker line."""
    (name, text, *_), _, _, stderr = imported
    lines = text.split("\n")
    found = re.findall(rf"{re.escape(name)}:(\d+):(\d+): note: speakers", stderr)
    assert len(found) == 1
    line, column = map(int, found[0])
    assert column == 1 and ("-->" in lines[line - 1] or _HEADER.match(lines[line - 1])), lines[line - 1]


def test_a_voice_that_speaks_once_is_noted_at_its_tag(tmp_path: Path) -> None:
    """A voice with one turn is no speaker by the shared rules: its words stay in the turn before, its
    name in italics, and the note points at its voice tag in the middle of a cue."""
    text = VTT.replace("the coast any more.\n", "the coast any more. <v Producer Ann>We have two minutes left.\n")
    (tmp_path / "once.vtt").write_text(text, encoding="utf-8")
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(tmp_path / "once.vtt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    line = next(line for line in text.split("\n") if "<v Producer Ann>" in line)
    number, column = text.split("\n").index(line) + 1, line.index("<v Producer Ann>") + 1
    assert f"once.vtt:{number}:{column}: note: 'Producer Ann:' begins only this paragraph" in result.stderr
    doc = read(out / "once.md")
    assert [t.speaker.label for t in doc.interview] == [label for label, _ in VTT_TURNS]
    assert "*Producer Ann:* We have two minutes left." in (out / "once.md").read_text(encoding="utf-8")


def test_a_words_position_is_its_place_in_the_input_after_tags_and_entities(tmp_path: Path) -> None:
    """The model's positions point into the cue's own line, though tags and entities before it are gone."""
    line = "<v Tobias Renn><i>Well</i>, I was &amp; <b>watching</b> Anora again, twice."
    text = VTT.replace("The wind does the mixing for me.", line)  # a cue of its own line
    (tmp_path / "place.vtt").write_text(text, encoding="utf-8")
    out = _out(tmp_path)
    imported = import_file(tmp_path / "place.vtt", out, out)
    found = [node.pos for turn in imported.document.interview for para in turn.blocks for node in para.children
             if isinstance(node, m.Mention)]
    assert found == [m.Pos(text.split("\n").index(line) + 1, line.index("Anora") + 1)]


@pytest.mark.parametrize(("name", "kind"), [
    ("a.vtt", "subtitles"), ("a.srt", "subtitles"), ("a.txt", "text"),
])
def test_the_extension_names_a_subtitle_file(name: str, kind: str) -> None:
    assert format_of(Path(name), b"Plain words of a plain text.\n") == kind


@pytest.mark.parametrize("text", [VTT, SRT, OTTER, REV, "\ufeff" + VTT, SRT.replace("\n", "\r\n")])
def test_the_content_tells_a_subtitle_file_or_an_export_in_a_txt(text: str) -> None:
    assert format_of(Path("transcript.txt"), text.encode("utf-8")) == "subtitles"


def test_a_plain_text_transcript_stays_plain_text(tmp_path: Path) -> None:
    """`[00:01:23] Name: words` one a line is the plain-text reader's, timecodes and all."""
    text = "".join(f"[00:0{i}:1{i}] {who}: {said}\n" for i, (who, said) in enumerate([
        ("Ada Brook", "What did the river sound like?"), ("Olu Park", "Like a crowd far away, always."),
        ("Ada Brook", "And at night?"), ("Olu Park", "Louder. The city sleeps and the water does not.")]))
    assert format_of(Path("river.txt"), text.encode()) == "text"
    prose = b"Chapter One\n\nIt was 10:30 when we met.\nAnd 11:45 when we left.\n"
    assert format_of(Path("prose.txt"), prose) == "text"
    (tmp_path / "river.txt").write_text(text, encoding="utf-8")
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(tmp_path / "river.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = read(out / "river.md")
    assert [(t.speaker.label, str(t.timecode)) for t in doc.interview] == [
        ("Ada Brook", "00:00:10"), ("Olu Park", "00:01:11"), ("Ada Brook", "00:02:12"), ("Olu Park", "00:03:13")]


BAD_VTT = VTT.split("\n\n00:00:47.500")[0] + "\n"
REFUSED = {  # a broken input: (file name, text, the line and column the error points at, its message)
    "arrow": ("bad.vtt", BAD_VTT.replace("00:00:33.500 --> 00:00:37.000", "00:00:33.500 -> 00:00:37.000"),
              "34:1", "not a cue timing line"),
    "time": ("bad.vtt", BAD_VTT.replace("00:00:33.500 --> 00:00:37.000", "00:00:33.500 --> 00:00:3700"),
             "34:18", "'00:00:3700' is not a cue time"),
    "backwards": ("bad.vtt", BAD_VTT.replace("00:00:33.500 --> 00:00:37.000", "00:00:33.500 --> 00:00:31.000"),
                  "34:18", "the cue ends (00:00:31.000) before it begins (00:00:33.500)"),
    "settings": ("bad.vtt", BAD_VTT.replace("00:00:37.000 --> 00:00:44.250", "00:00:37.000 --> 00:00:44.250x"),
                 "37:18", "'00:00:44.250x' is not a cue time"),
    "number": ("bad.srt", SRT.replace("00:00:18,500 --> 00:00:21,000\n", ""), "20:1", "cue 5 has no timing line"),
    "no cue": ("empty.vtt", "WEBVTT\n\nNOTE nothing here yet\n", "2:1", "no cue in the file"),
    "text first": ("bad.srt", "Field Notes, episode 3\n\n" + SRT, "1:1", "text before the first cue"),
    "otter time": ("bad.txt", OTTER.replace("Dana Whitcombe  0:19", "Dana Whitcombe  0:79"), "7:17",
                   "'0:79' is not a time"),
    "no voices": ("silent.vtt", re.sub(r"<v[^>]*>", "", VTT), "13:1",
                  "no speaker labels: no voice tag (<v Name>) or 'Name:' opening a cue names the speaker of two turns"),
    "no names": ("silent.srt", re.sub(r"^(?:- |>> )?(?:Host|Ines Varga): ", "", SRT, flags=re.M), "2:1",
                 "no speaker labels: no 'Name:', '- Name:', '>> Name:' or '[Name]' opening a cue names the speaker "
                 "of two turns"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_malformed_file_is_refused_where_it_is_broken_and_nothing_is_written(tmp_path: Path, case: str) -> None:
    name, text, where, message = REFUSED[case]
    (tmp_path / name).write_text(text, encoding="utf-8")
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(tmp_path / name), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert f"{name}:{where}: {message}" in result.stderr
    assert not list(out.glob("*.md"))


def test_bracketed_names_and_sounds_in_srt(tmp_path: Path) -> None:
    """`[Name]` opening a cue names its speaker; a sound in brackets (`[Laughs]`, `[Music]`) does not."""
    cues = [("[Ada Brook]", "Was the lighthouse lonely?"), ("[Olu Park]", "Never. [Laughs]"),
            ("[Ada Brook]", "Not even in winter?"), ("[Olu Park]", "In winter I had the radio."),
            ("[Laughs]", "Every night."), ("[Laughs]", "Good night.")]
    text = "".join(f"{i}\n00:00:0{i},000 --> 00:00:0{i},900\n{a} {b}\n\n" for i, (a, b) in enumerate(cues, 1))
    (tmp_path / "brackets.srt").write_text(text, encoding="utf-8")
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(tmp_path / "brackets.srt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = read(out / "brackets.md")
    assert [(t.speaker.label, m.plain_text(t.blocks[0].children)) for t in doc.interview] == [
        ("Ada Brook", "Was the lighthouse lonely?"), ("Olu Park", "Never. [Laughs]"),
        ("Ada Brook", "Not even in winter?"),
        ("Olu Park", "In winter I had the radio. [Laughs] Every night. [Laughs] Good night.")]


PRINTED_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?")


@pytest.mark.slow
def test_the_imported_webvtt_builds_with_every_word_and_no_timecode(tmp_path: Path) -> None:
    (tmp_path / "keeping-the-light.vtt").write_text(VTT, encoding="utf-8")
    out = _out(tmp_path)
    result = runner.invoke(app, ["import", str(tmp_path / "keeping-the-light.vtt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    books = tmp_path / "books"
    result = runner.invoke(app, ["build", str(out / "keeping-the-light.md"), "--to", "pdf,epub,docx",
                                 "--out", str(books)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-raw", str(books / "keeping-the-light.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    said = [w.replace("'", "’").casefold() for w in _spoken(VTT, ())]
    printed = words(text.replace("'", "’").casefold())
    assert missing_in_order(said, printed) == []
    assert not PRINTED_TIME.search(text)
    with zipfile.ZipFile(books / "keeping-the-light.epub") as epub:
        pages = [etree.fromstring(epub.read(n)) for n in epub.namelist() if n.endswith(".xhtml")]
    epub_text = " ".join("".join(page.itertext()) for page in pages)
    assert missing_in_order(said, words(epub_text.replace("'", "’").casefold())) == []
    assert not PRINTED_TIME.search(epub_text)
    assert (books / "keeping-the-light.docx").stat().st_size > 0
