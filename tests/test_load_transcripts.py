"""Transcript layouts: synthetic pages in each layout, then the real transcripts in ../shared."""
import json
import re

import pytest

from conftest import shared_path
from harness.cli import main
from harness.errors import DataError
from harness.loaders import load, stream
from harness.loaders.transcript import Layout, find_moderators, page_paragraphs, parse_transcript, parse_turns

NBSP = "\u00a0"

INTERVIEW = """\
Support Our Work

Minister Jane Roe’s interview with a news agency, May 1, 2020 (source)

Question: How do you see the talks going?

Jane Roe: The talks are going well. Both sides have made offers.

We expect a result by summer.

Question: And the budget?

Jane Roe: The budget will be balanced next year.

Support Our Work

Notify of

Reader One: This comment must never appear.
"""

QA = """\
Q: What is the plan for the new bridge?
A: Construction starts in March. It will take two years.
Q: Who pays for it?
A: The city and the state share the cost.
Q: Any delays expected?
A: None so far.
"""

# Press briefing: several reporters ("QUESTION:"), two officials answering,
# a moderator handing over, speaker names in capitals.
BRIEFING = """\
MR. SMITH: Good afternoon. I have a short statement on the harbour project before we start.

MS. LEE (MODERATOR): We will take questions now. First, Anna from the Daily Post.

QUESTION: Thank you. When will the harbour open?

MR. SMITH: The harbour opens in June. The last inspections are under way.

DR. BROWN: If I may add, the water quality tests have all passed.

MS. LEE (MODERATOR): Next, Tom from City Radio.

QUESTION: What did it cost?

MR. SMITH: It cost forty million, within the budget.

MS. LEE (MODERATOR): Last question, Maria.

QUESTION: Can you hear me?

QUESTION: Sorry. Will ferries stop there?

DR. BROWN: Two ferry lines will stop there from July.

MS. LEE (MODERATOR): Thank you all. That concludes the briefing.
"""

# White House style: front matter, "Q" + no-break spaces, hard-wrapped lines,
# stage directions, time stamps, END.
WHITE_HOUSE = f"""\
---
title: "Press Gaggle"
date: '2024-01-01'
---
{NBSP}
10:01 A.M. EST

MS. GRAY:{NBSP} Hi, everyone.{NBSP} I have one announcement at the top about the
schedule for next week, and then I will take your questions.

Q{NBSP}{NBSP}{NBSP} Can you say more about the
schedule?{NBSP} Will the trip go ahead?

MS. GRAY:{NBSP} The trip goes ahead on Monday.{NBSP} We will share details
later today.{NBSP}{NBSP}
{NBSP}{NBSP}
(Cross-talk.)

And one more thing: the press pool is confirmed.

Q{NBSP}{NBSP}{NBSP} John —

Q{NBSP}{NBSP}{NBSP} What about Tuesday?{NBSP} (Laughter.)

MR. HALE:{NBSP} Tuesday is a rest day. (Laughter.)

10:09 A.M. EST
"""

# Public Papers style: one paragraph per line, "Q." and "The President.", topic headings.
PAPERS = """\
The President's News Conference With Reporters
March 3, 1990
The President. I have a brief opening statement on trade, and then I will take your questions. We made progress this week.
Trade Talks
Q. Mr. President, will the trade talks succeed this year, given the objections raised by several partners at the meeting?
The President. I believe they will. [Laughter] We have worked hard on this, and the partners know it.
Yes, Helen?
Farm Policy
Q. What about farm subsidies?
The President. Farm subsidies are on the table. We will discuss them in Geneva next month.
"""


def test_question_name_layout_keeps_boilerplate_and_comments_out():
    exs = parse_transcript(INTERVIEW, "iv")
    assert [e.id for e in exs] == ["iv:q1", "iv:q2"]
    assert exs[0].source == "The talks are going well. Both sides have made offers.\n\nWe expect a result by summer."
    assert exs[0].question == "How do you see the talks going?"
    assert exs[1].source == "The budget will be balanced next year."
    assert all(e.speaker == "Jane Roe" for e in exs)
    assert not any("comment" in e.source or "Support" in e.source for e in exs)


def test_q_a_layout_without_blank_lines():
    exs = parse_transcript(QA, "qa")
    assert [(e.question, e.source, e.speaker) for e in exs] == [
        ("What is the plan for the new bridge?", "Construction starts in March. It will take two years.", "A"),
        ("Who pays for it?", "The city and the state share the cost.", "A"),
        ("Any delays expected?", "None so far.", "A"),
    ]


def test_briefing_several_officials_one_moderator():
    turns = parse_turns(BRIEFING)
    assert find_moderators(turns) == {"MS. LEE (MODERATOR)"}
    exs = parse_transcript(BRIEFING, "br")
    assert len(exs) == 3
    # Two officials answer the first question together; the moderator never joins an answer.
    assert exs[0].meta["speakers"] == ["MR. SMITH", "DR. BROWN"]
    assert exs[0].source == ("The harbour opens in June. The last inspections are under way.\n\n"
                             "If I may add, the water quality tests have all passed.")
    assert exs[1].source == "It cost forty million, within the budget."
    # "Can you hear me?" got no answer: it is one question with the next.
    assert exs[2].question == "Can you hear me? Sorry. Will ferries stop there?"
    assert exs[2].source == "Two ferry lines will stop there from July."
    for e in exs:
        assert "MODERATOR" not in e.speaker and "concludes" not in e.source and "statement" not in e.source


def test_moderator_found_by_turns_when_label_does_not_say_so():
    page = BRIEFING.replace("MS. LEE (MODERATOR)", "MS. LEE")
    assert "MS. LEE" in find_moderators(parse_turns(page))
    exs = parse_transcript(page, "br")
    assert [e.meta["speakers"] for e in exs] == [["MR. SMITH", "DR. BROWN"], ["MR. SMITH"], ["DR. BROWN"]]


def test_white_house_layout():
    paras = page_paragraphs(WHITE_HOUSE)
    assert not any(p.startswith("---") or "title:" in p for p in paras)  # front matter dropped
    exs = parse_transcript(WHITE_HOUSE, "wh")
    assert len(exs) == 2
    first, second = exs
    assert first.question == "Can you say more about the schedule? Will the trip go ahead?"
    # Hard-wrapped lines are unwrapped; the stage direction is dropped but the answer goes on after it.
    assert first.source == ("The trip goes ahead on Monday. We will share details later today.\n\n"
                            "And one more thing: the press pool is confirmed.")
    assert second.question == "John — What about Tuesday?"
    assert second.source == "Tuesday is a rest day."
    assert second.speaker == "MR. HALE"
    for e in exs:
        assert "A.M." not in e.source and "Laughter" not in e.source and NBSP not in e.source
        assert "announcement" not in e.source  # the opening statement precedes every question


def test_public_papers_layout():
    exs = parse_transcript(PAPERS, "pp")
    assert len(exs) == 2
    assert exs[0].speaker == "The President"
    assert exs[0].source == ("I believe they will. We have worked hard on this, and the partners know it.\n\n"
                             "Yes, Helen?")
    assert exs[1].question == "What about farm subsidies?"
    assert "Farm Policy" not in exs[0].source and "Trade Talks" not in exs[1].source


def test_answerer_option_keeps_only_that_speaker():
    exs = parse_transcript(BRIEFING, "br", layout=Layout(answerers=("DR. BROWN",)))
    assert [e.source for e in exs] == ["If I may add, the water quality tests have all passed.",
                                       "Two ferry lines will stop there from July."]
    assert [e.id for e in exs] == ["br:q1", "br:q2"]


def test_question_marker_option():
    page = QA.replace("Q:", "REPORTER:")
    with pytest.raises(DataError, match="no question/answer pair"):
        parse_transcript(page, "r")
    exs = parse_transcript(page, "r", layout=Layout(question_markers=("REPORTER:",)))
    assert len(exs) == 3 and exs[0].question == "What is the plan for the new bridge?"


def test_moderator_option():
    page = BRIEFING.replace("MS. LEE (MODERATOR)", "MS. LEE")
    exs = parse_transcript(page.replace("MR. SMITH: It cost", "MS. LEE: It cost"), "br",
                           layout=Layout(moderators=("MS. LEE",)))
    assert "forty million" not in " ".join(e.source for e in exs)


def test_cli_inspect_shows_each_answer(tmp_path, capsys):
    page = tmp_path / "briefing.txt"
    page.write_text(BRIEFING, encoding="utf-8")
    assert main(["inspect", "--data", str(page)]) == 0
    out = capsys.readouterr().out
    assert "3 example(s)" in out and "briefing:q1" in out and "question: Thank you. When will the harbour open?" in out
    assert "(0 references, speaker MR. SMITH, DR. BROWN)" in out
    assert main(["inspect", "--data", f"transcript:{page}", "--json", "--answerer", "MR. SMITH"]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["id"] for r in rows] == ["briefing:q1", "briefing:q2"]
    assert set(rows[0]) == {"id", "question", "source", "references"}
    assert rows[0]["source"] == "The harbour opens in June. The last inspections are under way."
    assert "2 example(s)" in captured.err


def test_cli_transcript_options(tmp_path, capsys):
    page = tmp_path / "bridge.txt"
    page.write_text(QA.replace("Q:", "REPORTER:"), encoding="utf-8")
    assert main(["inspect", "--data", str(page)]) == 2
    assert "no question/answer pair" in capsys.readouterr().err
    assert main(["inspect", "--data", str(page), "--question-marker", "REPORTER:"]) == 0
    assert "3 example(s)" in capsys.readouterr().out


def test_transcript_references_by_answer_id(tmp_path, capsys):
    page = tmp_path / "bridge.txt"
    page.write_text(QA, encoding="utf-8")
    refs = tmp_path / "bridge.references.jsonl"
    refs.write_text("".join(json.dumps({"id": f"bridge:q{i}", "annotator": "a", "summary": s}) + "\n"
                            for i, s in [(1, "Building starts in March."), (2, "City and state pay.")]))
    with pytest.raises(DataError, match=r"no reference for id 'bridge:q3'"):
        load(str(page))
    corpus = load(str(page), allow_missing=True)
    assert corpus.ids == ["bridge:q1", "bridge:q2"]
    assert corpus["bridge:q1"].reference_texts == ["Building starts in March."]
    assert any("1 example(s) without references were left out: bridge:q3" in n for n in corpus.notes)
    assert main(["run", "--data", str(page), "--out", str(tmp_path / "out")]) == 2
    assert "bridge:q3" in capsys.readouterr().err
    assert main(["run", "--data", str(page), "--summarizers", "lead,random", "--allow-missing",
                 "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "note: 1 example(s) without references were left out" in printed
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert any("left out" in n for n in summary["config"]["notes"])


def test_transcript_not_utf8(tmp_path, capsys):
    page = tmp_path / "latin.txt"
    page.write_bytes(QA.encode() + "Q: Caf\u00e9?\nA: Oui.\n".encode("latin-1"))
    assert main(["inspect", "--data", str(page)]) == 2
    assert re.search(r"latin\.txt:7: not UTF-8 \(byte 0xe9", capsys.readouterr().err)


def test_bundled_interview_still_six_answers():
    corpus = load("interview")
    assert len(corpus) == 6 and all(len(e.references) >= 3 for e in corpus)
    assert list(stream("interview")) and [e.id for e in stream("interview")] == corpus.ids


# --- the five real transcripts in ../shared/data/transcripts (skipped when absent) ---------------

def _real(name):
    path = shared_path("transcripts", name)
    return path, load(str(path), require_references=False)


def test_real_gaggle():
    path, c = _real("wh_gaggle_2024-04-18.txt")
    turns = parse_turns(path.read_text(encoding="utf-8"))
    assert sum(t.kind == "question" for t in turns) == 18
    assert len(c) == 15  # back-to-back Q turns are one question
    assert {s for e in c for s in e.meta["speakers"]} == {"MR. KIRBY", "MS. JEAN-PIERRE"}
    assert c.examples[10].meta["speakers"] == ["MR. KIRBY", "MS. JEAN-PIERRE"]  # answer block 11
    assert c.examples[-1].source.endswith("Thank you.")  # goes on past the stage direction
    for e in c:
        assert "Cross-talk" not in e.source and "EDT" not in e.source and "\u00a0" not in e.source


def test_real_background_call():
    path, c = _real("wh_background_call_2021-12-30.txt")
    assert len(c) == 4 and sum(e.meta["turns"] for e in c) == 5
    assert {e.speaker for e in c} == {"SENIOR ADMINISTRATION OFFICIAL"}
    assert "embargo" in c.examples[-1].source  # the closing turn carries the answerer's label
    assert all("MODERATOR" not in e.speaker for e in c)


def test_real_nss_call():
    path, c = _real("wh_nss_call_2022-10-12.txt")
    assert len(c) == 5
    assert {e.speaker for e in c} == {"MR. SULLIVAN"}
    assert find_moderators(parse_turns(path.read_text(encoding="utf-8"))) == {"MS. SHARMA"}
    assert c.examples[2].meta["turns"] == 2  # his answer resumes after the moderator's prompt


def test_real_mpox_panel():
    path, c = _real("wh_mpox_panel_2022-08-09.txt")
    turns = parse_turns(path.read_text(encoding="utf-8"))
    assert sum(t.kind == "question" for t in turns) == 8
    assert find_moderators(turns) == {"MR. MUNOZ"}
    assert sum(e.meta["turns"] for e in c) == 40
    assert max(len(e.meta["speakers"]) for e in c) == 7
    assert {s for e in c for s in e.meta["speakers"]} == {
        "MR. FENTON", "SECRETARY BECERRA", "DR. CALIFF", "MR. MARKS", "DR. MARKS", "DR. WALENSKY",
        "DR. DASKALAKIS", "MS. O\u2019CONNELL"}
    assert "END" not in c.examples[-1].source.split()


def test_real_public_papers():
    path, c = _real("bush_news_conference_1989-07-06.txt")
    assert len(c) == 21
    assert {e.speaker for e in c} == {"The President"}
    headings = [p for p in page_paragraphs(path.read_text(encoding="utf-8"))
                if len(p.split()) <= 6 and not p.rstrip().endswith((".", "?", "!", "]"))]
    assert headings  # topic headings exist on the page ...
    for e in c:  # ... and never join an answer
        assert not any(e.source.endswith(h) for h in headings)
        assert "[Laughter]" not in e.source


def test_real_transcripts_through_cli(capsys):
    folder = shared_path("transcripts")
    for path in sorted(folder.glob("*.txt")):
        assert main(["inspect", "--data", str(path), "--json"]) == 0, path
        rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
        assert rows and all(r["source"] and r["question"] for r in rows)
