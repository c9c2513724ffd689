"""An editor's DOCX, read by what the paragraphs look like (pressroom's own is read in docx_own.py)."""

from __future__ import annotations

import re
from collections import Counter

from ..core import model as m
from ..core.errors import SourceError
from ..core.pandoc_ast import ast_text, style_of
from . import proposals
from . import text as text_rules
from .docx_own import OwnReader, xml_text
from .people import People, mark_document

_LABEL = re.compile(r"([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}):?\Z")
_INTERVIEWER_LABELS = frozenset({"Q", "Question", "Interviewer"})


class EditorReader(OwnReader):
    """A transcript as an editor writes it in Word: Title and Subtitle paragraphs, an italic standfirst
    (the headnote), introduction paragraphs, then turns whose labels are in bold (`Q:`, `Baker:`);
    film titles in italics, matched against the registry; Quote paragraphs are quotations."""

    def document(self, ast: dict) -> m.Document:
        title, subtitle = (self.meta_inlines(ast["meta"], name) for name in ("title", "subtitle"))
        if not title:
            self.note("headline", "no paragraph in the Title style: the title is empty; write one before `check`")
        flat = self.flatten(ast["blocks"])
        labelled = [(self.label_of(block), block) for block in flat]
        counts = Counter(label for label, _ in labelled if label)
        declared = {label for label, n in counts.items() if n >= 2}
        if not declared:
            raise SourceError(self.path, 1, 1, text_rules.no_turns("bold 'Label:'"))
        first = next(i for i, (label, _) in enumerate(labelled) if label in declared)
        before = [block for _, block in labelled[:first]]
        headnote: list[m.Block] = []
        if before and before[0]["t"] == "Para" and len(before[0]["c"]) == 1 and before[0]["c"][0]["t"] == "Emph":
            headnote = [m.Para(self.merged(before[0]["c"][0]["c"]))]  # the italic standfirst, its italics dropped
            before = before[1:]
        introduction = self.blocks(before)
        turns: list[tuple[str, list[m.Block]]] = []
        for label, block in labelled[first:]:
            if label in declared:
                rest = block["c"][1:]
                if rest and rest[0]["t"] == "Str" and rest[0]["c"].startswith(":"):
                    rest = [{"t": "Str", "c": rest[0]["c"][1:]}, *rest[1:]]
                while rest and (rest[0]["t"] in ("Space", "SoftBreak") or rest[0] == {"t": "Str", "c": ""}):
                    rest = rest[1:]
                turns.append((label, [m.Para(self.merged(rest))] if rest else []))
            else:
                if label:
                    self.note("label-once", f"'{label}:' begins only one paragraph: not declared as a speaker; "
                                            "kept as text")
                turns[-1][1].extend(self.blocks([block]))
        speakers = self.speakers(turns, [m.plain_text(title), m.plain_text(subtitle),
                                         *(_plain_blocks(b) for b in (*headnote, *introduction))])
        by_label = {speaker.label: speaker for speaker in speakers}
        if self.images:
            self.note("dropped", f"{self.images} image(s) dropped: a source holds no images")
        lang = xml_text(self.parts.get("docProps/core.xml"), "dc:language") or "en"
        people = People(self.registry, self.notes, Counter(), text_rules._speaker_words(speakers))
        return mark_document(m.Document(
            source_name=self.path.stem,
            front=m.FrontMatter(title=title, subtitle=subtitle, lang=lang, speakers=speakers),
            headnote=tuple(headnote),
            introduction=tuple(introduction),
            interview=tuple(m.Turn(by_label[label], tuple(blocks)) for label, blocks in turns),
            registry=self.registry.entries,
        ), people)

    def meta_inlines(self, meta: dict, name: str) -> tuple[m.Inline, ...]:
        """The title or subtitle: pandoc reads the paragraph in Word's style of that name into the metadata."""
        value = meta.get(name, {})
        return self.merged(value.get("c", [])) if value.get("t") == "MetaInlines" else ()

    def flatten(self, blocks: list) -> list[dict]:
        """Top-level blocks with the style Divs opened, but for quotations (kept whole)."""
        out = []
        for block in blocks:
            style = style_of(block)
            if block["t"] == "Div" and style not in ("Quote", "Intense Quote", "Block Text"):
                out += self.flatten(block["c"][1])
            else:
                out.append(block)
        return out

    @staticmethod
    def label_of(block: dict) -> str | None:
        """The bold label that opens a paragraph (`**Baker:**` or `**Baker**:`), if any."""
        if block["t"] != "Para" or not block["c"] or block["c"][0]["t"] != "Strong":
            return None
        text = ast_text(block["c"][0]["c"]).strip()
        after = block["c"][1] if len(block["c"]) > 1 else None
        if not text.endswith(":") and not (after and after["t"] == "Str" and after["c"].startswith(":")):
            return None
        match = _LABEL.match(text)
        return match.group(1) if match else None

    def speakers(self, turns: list, context: list[str]) -> tuple[m.Speaker, ...]:
        """The interviewer asks (a `Q` label, or the most paragraphs ending in '?'); names from the headline or
        introduction."""
        labels = list(dict.fromkeys(label for label, _ in turns))
        asks = Counter(label for label, blocks in turns if blocks and _plain_blocks(blocks[0]).rstrip().endswith("?"))
        interviewer = next((label for label in labels if label in _INTERVIEWER_LABELS), None)
        interviewer = interviewer or max(labels, key=lambda label: (asks[label], -labels.index(label)))
        speakers = []
        for label in labels:
            role = m.Role.INTERVIEWER if label == interviewer else m.Role.INTERVIEWEE
            name = None
            if role is m.Role.INTERVIEWEE and " " not in label:
                pattern = re.compile(rf"\b([A-Z][\w’'-]+ ){re.escape(label)}\b")  # "Sean Baker" for Baker
                found = next((hit for text in reversed(context) if (hit := pattern.search(text))), None)
                name = f"{found.group(1)}{label}" if found else None
            speakers.append(m.Speaker(label, role, name))
        self.note("speakers", "speakers as guessed: " + ", ".join(
            f"{s.label} ({s.role.value}{', ' + s.name if s.name else ''})" for s in speakers))
        return tuple(speakers)

    def inline(self, item: dict, at: None = None) -> list[m.Inline]:
        if item["t"] == "Emph":
            content = self.merged(item["c"])
            text = m.plain_text(content).strip()
            films = self.registry.find(m.MentionKind.FILM, text) if text else []
            if not films and proposals.title_shaped(text):
                films = [proposals.proposed_film(text, self.registry)]
                self.note("proposed-film", proposals.message(text, films[0].key))
            if len(films) == 1:
                return [self.marked(m.MentionKind.FILM, films[0].key, content)]
            if text and len(text.split()) <= 8:
                why = "names more than one film" if films else "matches no film"
                self.note("doubtful-film", f"italic '{text}' {why} in {m.MentionKind.FILM.registry_file}: "
                                           "left in italics, unmarked")
            return [m.Emph(content)]
        return super().inline(item, at)


def _plain_blocks(block: m.Block) -> str:
    match block:
        case m.Para(children) | m.Heading(_, children):
            return m.plain_text(children)
        case m.BlockQuote(blocks) | m.Turn(_, blocks):
            return " ".join(_plain_blocks(b) for b in blocks)
    return ""
