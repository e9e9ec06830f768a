"""Question/answer transcript pages (interviews, press conferences) as examples.

A page is read paragraph by paragraph. The markers of the layout are named in
`Layout`, not in the code: a paragraph that opens with a question marker
("Question:") starts a question; a paragraph that opens with a speaker name
and a colon ("Sergey Lavrov:") starts that speaker's answer. Paragraphs
without a marker continue the current turn while they read as prose.

Scraped pages carry boilerplate around the transcript: donation widgets,
"Support ..." banners, comment sections. An answer therefore ends at the first
paragraph that is not prose (a short line without closing punctuation such as
"Support SouthFront" or "Notify of"), and nothing after it joins an answer
until the next question. Speaker turns that follow no question (a title line
that happens to contain a colon) are never answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..data import Example
from ..errors import DataError
from ..sentences import paragraphs as split_paragraphs


@dataclass(frozen=True)
class Layout:
    """The markers of a transcript layout."""

    question_markers: tuple[str, ...] = ("Question",)
    # A speaker label: one to four capitalised words, e.g. "Sergey Lavrov".
    speaker_pattern: str = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
    # Closing punctuation that makes a paragraph prose.
    prose_end: str = r"[.!?…:;\"'”’)\]]"
    # Lines that always end an answer, whatever their punctuation.
    boilerplate: tuple[str, ...] = (r"Support\b", r"Notify of\b", r"Newest Most Voted", r"Inline Feedbacks", r"View all comments")
    answerers: tuple[str, ...] = field(default=())  # empty: whoever answers the questions


DEFAULT_LAYOUT = Layout()


@dataclass
class _Turn:
    kind: str  # "question" or "answer"
    speaker: str
    paragraphs: list[str]


def _compile(layout: Layout):
    q = "|".join(re.escape(m) for m in layout.question_markers)
    return (
        re.compile(rf"^(?:{q})\s*:\s*(?P<text>.*)$", re.S),
        re.compile(rf"^(?P<speaker>{layout.speaker_pattern})\s*:\s+(?P<text>\S.*)$", re.S),
        re.compile(rf"{layout.prose_end}\s*$"),
        re.compile("^(?:" + "|".join(layout.boilerplate) + ")", re.I) if layout.boilerplate else None,
    )


def parse_turns(text: str, layout: Layout = DEFAULT_LAYOUT) -> list[_Turn]:
    """The question and answer turns of a page, boilerplate left out."""
    q_re, speaker_re, prose_re, boiler_re = _compile(layout)
    turns: list[_Turn] = []
    current: _Turn | None = None
    for para in split_paragraphs(text):
        para = " ".join(para.split())  # unwrap hard line breaks inside a paragraph
        if m := q_re.match(para):
            current = _Turn("question", "", [m["text"].strip()] if m["text"].strip() else [])
            turns.append(current)
            continue
        m = speaker_re.match(para)
        if m and turns and turns[-1].kind in ("question", "answer") and current is not None:
            speaker = m["speaker"]
            if not layout.answerers or speaker in layout.answerers:
                current = _Turn("answer", speaker, [m["text"].strip()])
                turns.append(current)
                continue
        if current is None:
            continue
        if (boiler_re and boiler_re.match(para)) or not prose_re.search(para):
            current = None  # boilerplate closes the turn; skip until the next question
            continue
        current.paragraphs.append(para)
    return turns


def parse_transcript(text: str, name: str, origin: str = "", layout: Layout = DEFAULT_LAYOUT) -> list[Example]:
    """One example per answer: its question as context, its paragraphs as source.

    Ids are stable: `<name>:q<N>` for the answer to the N-th question (a
    second answer to the same question gets a letter suffix: `q3b`).
    """
    examples: list[Example] = []
    question: _Turn | None = None
    qn = 0
    answers_to_q = 0
    for turn in parse_turns(text, layout):
        if turn.kind == "question":
            question, qn, answers_to_q = turn, qn + 1, 0
            continue
        if question is None or not turn.paragraphs:
            continue
        answers_to_q += 1
        suffix = "" if answers_to_q == 1 else chr(ord("a") + answers_to_q - 1)
        examples.append(
            Example(
                id=f"{name}:q{qn}{suffix}",
                source="\n\n".join(turn.paragraphs),
                question=" ".join(question.paragraphs) or None,
                speaker=turn.speaker,
                paragraphs=tuple(turn.paragraphs),
                meta={"origin": origin},
            )
        )
    if not examples:
        markers = ", ".join(f"{m!r}" for m in layout.question_markers)
        raise DataError(
            f"{origin or name}: no question/answer pair found (looked for paragraphs starting with "
            f"{markers} followed by a '<Name>:' answer)"
        )
    return examples


def load_transcript(path: str | Path, layout: Layout = DEFAULT_LAYOUT) -> list[Example]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8 (byte {e.start}: {e.reason})") from None
    return parse_transcript(text, name=path.stem, origin=str(path), layout=layout)
