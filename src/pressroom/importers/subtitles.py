"""Subtitle files and transcription services' exports: their cues and speaker blocks become turns.

    WEBVTT - Title                       WebVTT: the speaker in a voice tag (or `Name:` opening the cue);
    00:00:04.000 --> 00:00:09.500        NOTE, STYLE and REGION blocks, cue identifiers, styling tags,
    <v Mara Quill>What brought you?      inline timestamps and entities are no words

    1                                    SRT: `Name:`, `- Name:`, `>> Name:` or `[Name]` opening
    00:00:04,000 --> 00:00:09,500        a line of the cue names its speaker
    Mara Quill: What brought you?

    Mara Quill  0:04                     a transcription service's plain export: the speaker and the
    What brought you?                    time on a line of their own (Otter), or `Mara Quill (00:00:04):`
                                         or `Mara Quill: (00:04)` (Rev), then the paragraphs

Each turn is handed to the plain-text interpretation (text.read_paragraphs) as the paragraph
`Label: [00:00:04] words`, the start of its first cue as the timecode, and with its positions mapped
back into the input: so labels, roles and names follow the rules every importer shares, and every
note points at the input. Consecutive cues of one speaker are one paragraph; a cue that names no
speaker continues the one speaking. Captions that repeat the cue before (roll-up) are kept as they are.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from ..core.errors import SourceError
from ..core.model import Document, Emph, Para, Speaker, Text, Turn
from ..core.prose import CAPITAL
from ..core.timecode import Timecode
from ..core.timecode import parse as parse_time
from ..reading.registry import Registry
from . import headline as headlines
from .labels import is_speaker, opening
from .notes import Note
from .text import Paragraph, read_paragraphs

_Word = tuple[str, int, int]  # a word (for an export, a line's words) and where it begins: line, column

SUFFIXES = frozenset({".vtt", ".srt"})
_SNIFFED_BYTES = 65536
_SKIPPED_BLOCKS = frozenset({"NOTE", "STYLE", "REGION"})  # WebVTT blocks that hold no cue
_WEBVTT = re.compile(r"\ufeff?WEBVTT(?=[ \t\n]|\Z)")
_CUE_TIME = re.compile(r"(?:(\d{1,2}):)?([0-5]\d):([0-5]\d)[.,](\d{1,3})")  # 100 hours: no recording
_TIMING = re.compile(r"[ \t]*(?P<start>[^\s>-]\S*?)[ \t]*-->[ \t]*(?P<end>\S+)")  # cue settings may follow
# a timing line with a typo in its arrow ("00:00:01,000 -> 00:00:04,000"): an error, not words
_TIMING_LIKE = re.compile(r"[ \t]*\d{1,2}:\d\d[\d:.,]*[ \t]*(?:-+>?|–|—|→|to)[ \t]*\d")
_MARKUP = re.compile(r"<(?P<tag>[^<>\n]*)>|\{\\[^{}\n]*\}|(?P<entity>&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);)")
_VOICE = re.compile(r"v(?:\.[\w.-]*)?[ \t]+(?P<name>[^<>]+)")
_INVISIBLE = frozenset({"\u200e", "\u200f", "\u200b", "\ufeff"})  # &lrm; &rlm; and the like: no text
_UNSAFE_IN_LABEL = re.compile(r"[^\w .’'-]+")  # a label is words: markup characters would be read as markup

# a speaker's name as captions and services write it: "Mara Quill", "Speaker 2", "Jean de Vries", "DR. ROE"
_PARTICLES = "de|van|von|der|den|da|di|du|la|le|del|dos|bin|al|ter"
_NAME_WORD = rf"{CAPITAL}[\w.’'-]*"
_SPEAKER = rf"{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|\d+|(?:{_PARTICLES})(?=[ \t]))){{0,4}}"
_CUE_LABEL = re.compile(rf"[ \t]*(?:(?:>>+|-)[ \t]*)?"
                        rf"(?:(?P<name>{_SPEAKER})[ \t]*:|\[(?P<bracket>{_SPEAKER})\][ \t]*:?)(?:[ \t]+|\Z)")
_DIALOGUE = re.compile(r"[ \t]*(?:>>+|-(?=[ \t]))[ \t]*")  # a change of speaker the caption does not name
# what a caption describes in brackets is no speaker: [Laughs] twice opens no turn
_SOUNDS = frozenset({"laughs", "laughing", "chuckles", "chuckling", "sighs", "coughs", "cheering", "cheers",
                     "gasps", "crying", "cries", "silence", "static", "beep", "beeping", "indistinct",
                     "unintelligible", "background noise", "overlapping", "both", "all", "unknown"})
_CLOCK = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_OTTER = re.compile(rf"(?P<name>{_SPEAKER})[ \t]+(?P<time>{_CLOCK})[ \t]*\Z")
_REV = re.compile(rf"(?P<name>{_SPEAKER})[ \t]*(?:\([ \t]*(?P<time>{_CLOCK})[ \t]*\)[ \t]*:"
                  rf"|:[ \t]*\([ \t]*(?P<alone>{_CLOCK})[ \t]*\)[ \t]*\Z)[ \t]*")
_BOILERPLATE = re.compile(r"[ \t]*(?:transcribed|transcription|transcript|generated|created) (?:by|with|using)\b"
                          r".*(?:otter\.ai|rev\.com|https?://)", re.IGNORECASE)
# how each kind of input names a speaker, for the error when none speaks twice
_NO_SPEAKERS = MappingProxyType({
    "vtt": "no voice tag (<v Name>) or 'Name:' opening a cue names the speaker of",
    "srt": "no 'Name:', '- Name:', '>> Name:' or '[Name]' opening a cue names the speaker of",
    "export": "no speaker's line ('Name  00:01:23', 'Name (00:01:23):') opens",
})
_LONGEST_LABEL = 3  # words: labels.py reads no longer one


@dataclass(frozen=True)
class _Line:
    """A line of cue text with its markup taken out: its text, the input column of each character,
    and the voice tags in it ((offset in text, name, column))."""

    number: int
    text: str
    columns: tuple[int, ...]
    voices: tuple[tuple[int, str, int], ...]

    def words(self, start: int, end: int) -> list[_Word]:
        return [(w.group(), self.number, self.columns[start + w.start()])
                for w in re.finditer(r"\S+", self.text[start:end])]


@dataclass(frozen=True)
class _Cue:
    start: Timecode
    at: tuple[int, int]  # its timing line
    lines: tuple[_Line, ...]


@dataclass
class _Turn:
    """A speaker's turn as the input gives it (speaker None: words before anyone is named)."""

    speaker: str | None
    timecode: Timecode | None
    at: tuple[int, int]  # where the speaker is named: the timing line, the voice tag, the export's header
    paras: list[list[_Word]] = field(default_factory=lambda: [[]])


def kind_of(data: bytes, suffix: str) -> bool:
    """Whether `data` (the file's bytes, named with `suffix`) is a subtitle file or a service's export."""
    if suffix in SUFFIXES:
        return True
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    head = data[:_SNIFFED_BYTES].decode("utf-16" if utf16 else "utf-8", errors="replace")
    head = head.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return _cue_kind(head) is not None or sniff(head)


def sniff(text: str) -> bool:
    """Whether `text` is a transcription service's export: speaker-and-time lines (`Name  0:04`,
    `Name (00:00:04):`) are a fifth of its lines or more, and one speaker has two."""
    lines = [line for line in text.split("\n") if line.strip()]
    names = Counter(header[0] for header in map(_header, lines) if header)
    return bool(names) and max(names.values()) >= 2 and 5 * sum(names.values()) >= len(lines)


def read(path: Path, text: str, registry: Registry) -> tuple[Document, tuple[Note, ...]]:
    """The interview in the subtitle file or export `text` (read from `path`), and the notes for review."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    notes: list[Note] = []
    kind = _cue_kind(text)
    if kind is None and sniff(text):
        kind, turns = "export", _export(path, lines, notes)
        headline = None  # a title line before the first speaker is the headline, as in plain text
    else:
        kind = kind or ("vtt" if path.suffix.casefold() == ".vtt" else "srt")
        first = 0
        title = ""
        if _WEBVTT.match(lines[0]):  # the header: "WEBVTT - Title", then metadata up to a blank line (or a cue)
            title = lines[0][6:].strip(" \t-–—:")
            first = next((i for i, line in enumerate(lines) if i and (not line.strip() or "-->" in line)), len(lines))
        turns = _cue_turns(_cues(path, lines, first, kind == "vtt", notes))
        headline = _headline(path, title, notes)
    return _document(path, turns, registry, headline, notes, _NO_SPEAKERS[kind])


def _cue_kind(text: str) -> str | None:
    """"vtt" for a WebVTT file, "srt" for a text whose first block is an SRT cue (a number, a timing line)."""
    if _WEBVTT.match(text):
        return "vtt"
    block = text.lstrip("\n").split("\n\n", 1)[0].split("\n")
    if "-->" in block[0] or (len(block) > 1 and block[0].strip().isdigit() and "-->" in block[1]):
        return "srt"
    return None


def _headline(path: Path, title: str, notes: list[Note]) -> headlines.Headline:
    """The title the WebVTT header gives, else one made of the file's name: a caption is never a headline."""
    if not title or title.casefold() == "file":
        title = headlines.from_stem(path.stem)
        notes.append(Note(1, 1, "headline", f"no headline in a subtitle file: the title '{title}' is made of the "
                                            "file's name; write the real one (or use --title)"))
        return headlines.Headline((title,))
    colon = headlines.headline_colon(title)
    if colon is None:
        return headlines.Headline((title,), (), headlines.date_in(title))
    return headlines.Headline((title[:colon].strip(),), (title[colon + 1 :].strip(),), headlines.date_in(title))


def _cues(path: Path, lines: list[str], first: int, vtt: bool, notes: list[Note]) -> list[_Cue]:
    """The cues of a WebVTT or SRT file from line index `first` on."""
    cues: list[_Cue] = []
    timing: tuple[Timecode, tuple[int, int]] | None = None
    text: list[_Line] = []
    in_cue = False  # inside a cue's text: up to the next blank line
    i = first
    while i < len(lines):
        raw, number = lines[i], i + 1
        column = len(raw) - len(raw.lstrip()) + 1
        if not raw.strip():
            in_cue = False
        elif "-->" in raw:
            if in_cue and text and text[-1].text.strip().isdigit():
                text.pop()  # no blank line before this cue: that was its number
            if timing:
                cues.append(_Cue(*timing, tuple(text)))
            timing, text, in_cue = (_timing(path, number, raw), (number, column)), [], True
        elif in_cue:
            text.append(_line(number, raw))
        elif vtt and raw.split(None, 1)[0] in _SKIPPED_BLOCKS:
            while i + 1 < len(lines) and lines[i + 1].strip():
                i += 1
        elif i + 1 < len(lines) and "-->" in lines[i + 1]:
            pass  # a cue's identifier (an SRT cue's number): not its words
        elif _TIMING_LIKE.match(raw):
            raise SourceError(path, number, column, _NOT_TIMING, raw)
        elif raw.strip().isdigit():
            after = lines[i + 1] if i + 1 < len(lines) else ""
            raise SourceError(path, number + 1, 1, f"cue {raw.strip()} has no timing line after its number: "
                              "'start --> end' (00:00:01,000 --> 00:00:04,000)", after)
        elif timing:  # a blank line inside a cue's text, as sloppy SRT files have: the words are kept
            notes.append(Note(number, column, "subtitles", "text after a blank line, with no timing line: "
                                                           "kept with the cue before"))
            text.append(_line(number, raw))
            in_cue = True
        else:
            raise SourceError(path, number, column, "text before the first cue: a cue begins with its timing "
                              "line, 'start --> end' (00:00:01.000 --> 00:00:04.000)", raw)
        i += 1
    if timing:
        cues.append(_Cue(*timing, tuple(text)))
    if not cues:
        raise SourceError(path, min(first + 1, len(lines)), 1,
                          "no cue in the file: a cue is a timing line, 'start --> end', then its text")
    return cues


_NOT_TIMING = "not a cue timing line: 'start --> end', times as 00:00:01.000 (WebVTT) or 00:00:01,000 (SRT)"


def _timing(path: Path, number: int, raw: str) -> Timecode:
    """The start of the cue whose timing line `raw` (line `number`) is; a malformed one is an error."""
    match = _TIMING.match(raw)
    if match is None:
        raise SourceError(path, number, len(raw) - len(raw.lstrip()) + 1, _NOT_TIMING, raw)
    times = []
    for group in ("start", "end"):
        found = _CUE_TIME.fullmatch(match.group(group))
        if found is None:
            raise SourceError(path, number, match.start(group) + 1, f"'{match.group(group)}' is not a cue time: "
                              "hh:mm:ss.ttt or mm:ss.ttt (SRT: hh:mm:ss,ttt)", raw)
        hours, minutes, seconds, fraction = found.groups()
        seconds_in = (int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)
        times.append(Timecode(seconds_in * 1000 + int(fraction.ljust(3, "0"))))
    if times[1] < times[0]:
        raise SourceError(path, number, match.start("end") + 1, f"the cue ends ({match.group('end')}) before "
                          f"it begins ({match.group('start')})", raw)
    return times[0]


def _line(number: int, raw: str) -> _Line:
    """A line of cue text without its tags, `{\\an8}` overrides and ruby readings, entities decoded;
    voice tags kept aside, each where it stands."""
    chars: list[str] = []
    columns: list[int] = []
    voices: list[tuple[int, str, int]] = []
    reading = False  # inside <rt>: a ruby's reading, not words of the text

    def keep(chunk: str, at: int, one_place: bool = False) -> None:
        if not reading:
            chars.extend(chunk)
            columns.extend([at + 1] * len(chunk) if one_place else range(at + 1, at + 1 + len(chunk)))

    done = 0
    for match in _MARKUP.finditer(raw):
        keep(raw[done : match.start()], done)
        done = match.end()
        if match.group("entity"):
            decoded = html.unescape(match.group("entity"))
            decoded = "".join(" " if c == "\xa0" else c for c in decoded if c not in _INVISIBLE)
            keep(decoded, match.start(), one_place=True)
        elif match.group("tag") is not None:
            tag = match.group("tag").strip()
            if voice := _VOICE.fullmatch(tag):
                name = " ".join(_UNSAFE_IN_LABEL.sub(" ", html.unescape(voice.group("name"))).split())
                if name:
                    voices.append((len(chars), name, match.start() + 1))
            elif tag.casefold() in ("rt", "/rt"):
                reading = tag.casefold() == "rt"
    keep(raw[done:], done)
    return _Line(number, "".join(chars), tuple(columns), tuple(voices))


def _cue_turns(cues: list[_Cue]) -> list[_Turn]:
    """The turns of the cues: a voice tag, or a label that opens lines of two cues or more, names the
    speaker; a line that names none continues the one speaking."""
    counted: Counter[str] = Counter()
    for cue in cues:
        for line in cue.lines:
            if not (line.voices and line.voices[0][0] == 0) and (match := _CUE_LABEL.match(line.text)):
                counted[match.group("name") or match.group("bracket")] += 1
    labels = {name for name, n in counted.items() if n >= 2 and is_speaker(name) and name.casefold() not in _SOUNDS}
    turns: list[_Turn] = []
    for cue in cues:
        for index, line in enumerate(cue.lines):
            cuts = [(offset, offset, name, (line.number, column)) for offset, name, column in line.voices]
            start = 0
            match = None if cuts and cuts[0][0] == 0 else _CUE_LABEL.match(line.text)
            if match and (name := match.group("name") or match.group("bracket")) in labels:
                at = line.columns[match.start("name" if match.group("name") else "bracket")]
                cuts.insert(0, (0, match.end(), name, (line.number, at)))
            elif dash := _DIALOGUE.match(line.text):
                start = dash.end()
            for begin, end, name, at in [*cuts, (len(line.text), len(line.text), None, (0, 0))]:
                words = line.words(start, begin)
                if words and not turns:
                    turns.append(_Turn(None, cue.start, cue.at))
                if words:
                    turns[-1].paras[-1].extend(words)
                if name is not None and (not turns or turns[-1].speaker != name):
                    opens_cue = index == 0 and not line.text[:begin].strip()
                    turns.append(_Turn(name, cue.start, cue.at if opens_cue else at))
                start = end
    merged: list[_Turn] = []
    for turn in turns:  # a voice tag with no words, between two of one speaker's, opens no turn
        if not turn.paras[-1]:
            continue
        if merged and merged[-1].speaker == turn.speaker:
            merged[-1].paras[-1].extend(turn.paras[-1])
        else:
            merged.append(turn)
    return merged


def _header(line: str) -> tuple[str, int, str, int, int] | None:
    """A service's speaker line: (name, its column, the time, its column, where words after it begin)."""
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    match = _OTTER.match(stripped) or _REV.match(stripped)
    if match is None:
        return None
    group = "time" if match.group("time") else "alone"
    return (match.group("name"), indent + 1, match.group(group), indent + match.start(group) + 1,
            indent + match.end())


def _export(path: Path, lines: list[str], notes: list[Note]) -> list[_Turn]:
    """The turns of a service's export: a speaker line opens one, the paragraphs after it (lines between
    blank lines, wrapped as in plain text) are its words; the service's own credit line is dropped."""
    turns: list[_Turn] = []
    blank = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            blank = True
            continue
        column = len(line) - len(line.lstrip()) + 1
        if _BOILERPLATE.match(line):
            notes.append(Note(number, column, "dropped", f"dropped the service's credit '{line.strip()}'"))
            continue
        header = _header(line)
        if header is not None:
            name, at, time, time_at, end = header
            timecode = parse_time(time)
            if timecode is None:
                raise SourceError(path, number, time_at, f"'{time}' is not a time: mm:ss or hh:mm:ss", line)
            turns.append(_Turn(name, timecode, (number, at)))
            words = line[end:].strip()
            if words:
                turns[-1].paras[-1].append((words, number, end + 1))
            blank = False
            continue
        if not turns:
            turns.append(_Turn(None, None, (number, column)))
        elif blank and turns[-1].paras[-1]:
            turns[-1].paras.append([])
        turns[-1].paras[-1].append((line.strip(), number, column))
        blank = False
    return turns


def _document(path: Path, turns: list[_Turn], registry: Registry, headline: headlines.Headline | None,
              notes: list[Note], hint: str) -> tuple[Document, tuple[Note, ...]]:
    """The model of `turns`, read as plain text's paragraphs are; the labels written as the input names
    its speakers (a label the plain-text rules would not read stands in for it while they run)."""
    shown, names, stand_ins = _labels(turns, notes)
    opened = Counter(turn.speaker for turn in turns if turn.speaker and is_speaker(turn.speaker) and turn.paras[0])
    if not opened or max(opened.values()) < 2:
        at = turns[0].at if turns else (1, 1)
        raise SourceError(path, at[0], at[1], f"no speaker labels: {hint} two turns, so there are no turns to import")
    paras: list[Paragraph] = []
    for turn in turns:
        for number, words in enumerate(turn.paras):
            if not words:
                continue
            prefix = ""
            if number == 0 and turn.speaker is not None:
                # a speaker of one turn is no speaker (the shared rules): its words join the turn before, untimed
                timed = turn.timecode is not None and opened[turn.speaker] >= 2
                time = f"[{turn.timecode}] " if timed else ""
                prefix = f"{stand_ins[turn.speaker]}: {time}"
            paras.append(_paragraph(prefix, turn.at, words))
    document, read_notes = read_paragraphs(path, paras, registry, headline)
    back = {stand_ins[name]: shown[name] for name in stand_ins if stand_ins[name] != shown[name]}
    document = _renamed(document, back, names)
    renamed = [replace(note, message=_with_labels(note.message, back)) for note in read_notes]
    return document, tuple(sorted((*notes, *renamed), key=lambda n: (n.line, n.column)))


def _labels(turns: list[_Turn], notes: list[Note]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """For each speaker's name: the label the source writes, the full name when the label is shorter,
    and the label the plain-text rules read in its place (itself when they read it)."""
    first_at = {}
    for turn in turns:
        if turn.speaker is not None:
            first_at.setdefault(turn.speaker, turn.at)
    shown: dict[str, str] = {}
    names: dict[str, str] = {}
    for name, at in first_at.items():
        words = name.split()
        label = name
        if len(words) > _LONGEST_LABEL:  # printed before every turn: a surname, or the initials
            initials = "".join(word[0] for word in words if word[0].isupper())
            label = next((c for c in (words[-1], initials) if c not in shown.values() and c not in first_at), name)
            names[label] = name
            notes.append(Note(at[0], at[1], "speakers", f"'{name}' is too long for a speaker's label: labelled "
                                                        f"'{label}', the full name under speakers:"))
        shown[name] = label
    stand_ins: dict[str, str] = {}
    taken = set(shown.values())
    for name, label in shown.items():
        if opening(f"{label}: words").label == label:
            stand_ins[name] = label
            continue
        number = len(stand_ins) + 1
        while f"Voice{number}" in taken:
            number += 1
        stand_ins[name] = f"Voice{number}"
        taken.add(stand_ins[name])
    return shown, names, stand_ins


def _paragraph(prefix: str, at: tuple[int, int], words: list[_Word]) -> Paragraph:
    """The paragraph `prefix` + `words`: the prefix placed at `at`, each word where the input has it."""
    text = prefix
    starts = [(0, at[0], at[1])] if prefix else []
    for word, line, column in words:
        if text and not text.endswith(" "):
            text += " "
        starts.append((len(text), line, column))
        text += word
    return Paragraph(text, tuple(starts))


def _renamed(document: Document, back: Mapping[str, str], names: Mapping[str, str]) -> Document:
    """`document` with each stand-in label (`back`'s keys) written as the input names the speaker, and
    the full names of speakers whose label is shorter."""
    if not back and not names:
        return document
    speakers = {}
    for speaker in document.front.speakers:
        label = back.get(speaker.label, speaker.label)
        speakers[speaker.label] = Speaker(label, speaker.role, names.get(label, speaker.name))

    def unstood(block: object) -> object:  # a label-once stand-in the interpretation set in italics
        if isinstance(block, Para) and block.children and isinstance(block.children[0], Emph):
            inner = block.children[0].children
            if len(inner) == 1 and isinstance(inner[0], Text) and inner[0].text[:-1] in back:
                emph = Emph((Text(back[inner[0].text[:-1]] + ":"),))
                return Para((emph, *block.children[1:]))
        return block

    interview = tuple(
        replace(block, speaker=speakers[block.speaker.label], blocks=tuple(map(unstood, block.blocks)))
        if isinstance(block, Turn) else block for block in document.interview)
    front = replace(document.front, speakers=tuple(speakers.values()))
    return replace(document, front=front, interview=interview)


def _with_labels(message: str, back: Mapping[str, str]) -> str:
    for stand_in, label in back.items():
        message = re.sub(rf"\b{re.escape(stand_in)}\b", label, message)
    return message
