"""Question/answer transcript pages (interviews, press conferences) as examples.

A page is read paragraph by paragraph, and each paragraph is one of:

- a question: it opens with a question marker ("Question:", "QUESTION:",
  "Q:", "Q." or a bare "Q" and a space, as White House transcripts write it);
- a speaker's turn: it opens with a speaker label, a name and a colon
  ("Sergey Lavrov:", "MR. KIRBY:", "SENIOR ADMINISTRATION OFFICIAL:", "A:")
  or, in the Public Papers style, "The President." with a period;
- a stage direction on its own, "(Cross-talk.)" or "[Laughter]": skipped;
- anything else continues the current turn while it reads as prose.

The markers are named in `Layout`, not in the code. Who answers is found
from the page unless the layout names them: every speaker who talks after a
question is answering it, except moderators, who hand the floor to the next
reporter rather than reply ("MODERATOR:", or a speaker whose turns more often
lead into a question than follow one). Each answer is everything the
answerers say between one question and the next (a panel's several officials
together); consecutive questions with no answer between them ("John --" /
"What was his response?") are one question; moderator turns never join an
answer.

Scraped pages carry boilerplate around the transcript: donation widgets,
"Support ..." banners, comment sections, time stamps, "END". A turn
therefore ends at the first short paragraph that is not prose (no closing
punctuation, such as "Support SouthFront", "12:00 P.M. EDT" or a topic
heading), and nothing after it joins an answer until the next question.
Speaker turns before the first question (opening statements, a title line
that happens to contain a colon) are never answers.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from ..data import Example
from ..errors import DataError

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)
_MD_ESCAPE = re.compile(r"\\([\[\]()*_#`])")


@dataclass(frozen=True)
class Layout:
    """The markers of a transcript layout.

    question_markers: literal prefixes of a question paragraph. A marker that
        ends in ":" or "." is matched as written; any other ("Q") may be
        followed by ":" or "." or just by a space.
    speaker_pattern: a speaker label before its colon.
    period_speaker_pattern: a label followed by a period instead ("The President.").
    answerers: the speaker labels whose turns are answers; empty: whoever answers.
    moderators: labels that are never answers, besides those `moderator_pattern` finds.
    """

    question_markers: tuple[str, ...] = ("Question:", "QUESTION:", "Q")
    # One to five words opening with a capital ("Sergey Lavrov", "MS. O’CONNELL", "A"),
    # perhaps with a role in parentheses ("MS. LEE (MODERATOR)").
    speaker_pattern: str = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}(?: \([^()\n]{1,40}\))?"
    period_speaker_pattern: str = r"The(?: [A-Z][a-z]+){1,3}"
    # Closing punctuation that makes a paragraph prose (dashes: cut-off speech).
    prose_end: str = r"[.!?…:;\"'”’)\]—–-]"
    # A paragraph without closing punctuation ends a turn only when it is this short;
    # a longer one is prose whose punctuation was lost.
    max_heading_words: int = 12
    # Lines that always end an answer, whatever their punctuation.
    boilerplate: tuple[str, ...] = (r"Support\b", r"Notify of\b", r"Newest Most Voted", r"Inline Feedbacks",
                                    r"View all comments", r"END$")
    # Stage directions: dropped where they stand, inside a turn or on their own.
    stage_directions: str = (r"[(\[](?:Laughter|Applause|Cross-?talk|Crosstalk|Inaudible|Pause|Audio [^)\]]*)"
                             r"\.?[)\]]")
    moderator_pattern: str = r"\b(?:MODERATOR|OPERATOR)\b"
    answerers: tuple[str, ...] = field(default=())  # empty: whoever answers the questions
    moderators: tuple[str, ...] = field(default=())


DEFAULT_LAYOUT = Layout()


@dataclass
class Turn:
    """One question or one speaker's turn, with its paragraphs."""

    kind: str  # "question" or "speaker"
    speaker: str
    paragraphs: list[str]


def _marker_regex(marker: str) -> str:
    m = re.escape(marker.strip())
    return m + (r"\s*" if marker.strip()[-1:] in (":", ".") else r"(?:\s*[:.]\s*|\s+)")


class _Patterns:
    def __init__(self, layout: Layout) -> None:
        if not layout.question_markers:
            raise ValueError("a transcript layout needs at least one question marker")
        q = "|".join(_marker_regex(m) for m in layout.question_markers)
        self.question = re.compile(rf"^(?:{q})(?P<text>.*)$", re.S)
        self.speaker = re.compile(rf"^(?P<speaker>{layout.speaker_pattern})\s*:\s+(?P<text>\S.*)$", re.S)
        self.period_speaker = (re.compile(rf"^(?P<speaker>{layout.period_speaker_pattern})\.\s+(?P<text>\S.*)$", re.S)
                               if layout.period_speaker_pattern else None)
        self.prose = re.compile(rf"{layout.prose_end}\s*$")
        self.boilerplate = (re.compile("^(?:" + "|".join(layout.boilerplate) + ")", re.I)
                            if layout.boilerplate else None)
        self.stage = re.compile(layout.stage_directions, re.I) if layout.stage_directions else None
        self.moderator = re.compile(layout.moderator_pattern, re.I) if layout.moderator_pattern else None
        self.max_heading_words = layout.max_heading_words

    def opens_turn(self, line: str) -> bool:
        line = line.strip()
        return bool(self.question.match(line) or self.speaker.match(line)
                    or (self.period_speaker and self.period_speaker.match(line)))

    def speaker_turn(self, para: str):
        return self.speaker.match(para) or (self.period_speaker.match(para) if self.period_speaker else None)

    def closes_turn(self, para: str) -> bool:
        if self.boilerplate and self.boilerplate.match(para):
            return True
        return not self.prose.search(para) and len(para.split()) <= self.max_heading_words


def page_paragraphs(text: str, layout: Layout = DEFAULT_LAYOUT) -> list[str]:
    """The paragraphs of a page, each on one line with whitespace collapsed.

    Pages come two ways: hard-wrapped lines with blank lines between
    paragraphs (White House transcripts), or one paragraph per line (Public
    Papers, scraped pages). A page whose lines are long on average is the
    second kind; in it a line that starts in lower case continues the line
    before. In either kind a line that opens a turn starts a paragraph.
    """
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n").replace("\r", "\n"), count=1)
    text = _MD_ESCAPE.sub(r"\1", text)
    pats = _Patterns(layout)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines:
        return []
    one_per_line = statistics.fmean(len(ln) for ln in lines) > 150 or not _BLANK_LINE.search(text)
    out: list[str] = []
    for block in _BLANK_LINE.split(text):
        current: list[str] = []
        for line in block.split("\n"):
            if not line.strip():
                continue
            starts = pats.opens_turn(line) or (one_per_line and not line.strip()[:1].islower())
            if current and starts:
                out.append(" ".join(" ".join(current).split()))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(" ".join(current).split()))
    return [p for p in out if p]


def parse_turns(text: str, layout: Layout = DEFAULT_LAYOUT) -> list[Turn]:
    """The question and speaker turns of a page, boilerplate and stage directions left out."""
    pats = _Patterns(layout)
    turns: list[Turn] = []
    current: Turn | None = None
    for para in page_paragraphs(text, layout):
        if pats.stage:
            stripped = " ".join(pats.stage.sub(" ", para).split())
            if not stripped:
                continue  # a stage direction on its own: the turn goes on
            para = stripped
        if m := pats.question.match(para):
            q = m["text"].strip()
            current = Turn("question", "", [q] if q else [])
            turns.append(current)
            continue
        m = pats.speaker_turn(para)
        # After boilerplate (current is None) a "Name:" line is a reader
        # comment, not a speaker: wait for the next question.
        if m and current is not None:
            current = Turn("speaker", m["speaker"], [m["text"].strip()])
            turns.append(current)
            continue
        if current is None:
            continue
        if pats.closes_turn(para):
            current = None  # boilerplate closes the turn; skip until the next question
            continue
        current.paragraphs.append(para)
    return turns


def find_moderators(turns: list[Turn], layout: Layout = DEFAULT_LAYOUT) -> set[str]:
    """Speakers who hand the floor to reporters rather than answer them.

    A speaker is a moderator when the layout names them, when their label
    says so ("MODERATOR"), or when more of their turns lead straight into a
    question (without following one) than follow a question.
    """
    pats = _Patterns(layout)
    follows: dict[str, int] = {}
    leads: dict[str, int] = {}
    for i, t in enumerate(turns):
        if t.kind != "speaker":
            continue
        prev_q = i > 0 and turns[i - 1].kind == "question"
        next_q = i + 1 == len(turns) or turns[i + 1].kind == "question"
        follows[t.speaker] = follows.get(t.speaker, 0) + prev_q
        leads[t.speaker] = leads.get(t.speaker, 0) + (next_q and not prev_q)
    named = set(layout.moderators)
    return {s for s in follows
            if s in named or (pats.moderator and pats.moderator.search(s)) or leads[s] > follows[s]}


@dataclass
class Exchange:
    """A question (one or more consecutive question turns) and the turns answering it."""

    question: list[Turn]
    answer: list[Turn]


def exchanges(turns: list[Turn], layout: Layout = DEFAULT_LAYOUT) -> list[Exchange]:
    """Group turns into exchanges; opening turns before the first question are dropped."""
    moderators = find_moderators(turns, layout)
    out: list[Exchange] = []
    for t in turns:
        if t.kind == "question":
            if out and not out[-1].answer:
                out[-1].question.append(t)  # no answer yet: the same question goes on
            else:
                out.append(Exchange([t], []))
        elif out and t.speaker not in moderators and t.paragraphs:
            out[-1].answer.append(t)
    return out


def parse_transcript(text: str, name: str, origin: str = "", layout: Layout = DEFAULT_LAYOUT) -> list[Example]:
    """One example per answered question: the question as context, the answer as source.

    Ids are stable: `<name>:q<N>` for the N-th answered question. With
    `layout.answerers` set, only those speakers' turns make up the answers.
    """
    examples: list[Example] = []
    for ex in exchanges(parse_turns(text, layout), layout):
        turns = [t for t in ex.answer if not layout.answerers or t.speaker in layout.answerers]
        if not turns:
            continue
        speakers = list(dict.fromkeys(t.speaker for t in turns))
        paragraphs = tuple(p for t in turns for p in t.paragraphs)
        question = " ".join(p for q in ex.question for p in q.paragraphs)
        examples.append(Example(
            id=f"{name}:q{len(examples) + 1}",
            source="\n\n".join(paragraphs),
            question=question or None,
            speaker=", ".join(speakers),
            paragraphs=paragraphs,
            meta={"origin": origin, "speakers": speakers, "turns": len(turns)},
        ))
    if not examples:
        markers = ", ".join(f"{m!r}" for m in layout.question_markers)
        who = f" by {', '.join(map(repr, layout.answerers))}" if layout.answerers else ""
        raise DataError(
            f"{origin or name}: no question/answer pair found (looked for paragraphs starting with "
            f"{markers} followed by a '<Name>:' answer{who}; name the markers with --question-marker "
            "and the speakers with --answerer)"
        )
    return examples


def read_page(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise DataError(f"{path}:{line}: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}: {e.reason})") from None


def load_transcript(path: str | Path, layout: Layout = DEFAULT_LAYOUT) -> list[Example]:
    path = Path(path)
    return parse_transcript(read_page(path), name=path.stem, origin=str(path), layout=layout)
