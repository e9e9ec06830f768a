"""Graph summarizers rank at most `max_sentences` sentences (issue 13, item 9: TextRank and LexRank's
memory grew with the square of the sentence count, 2.7 GB at 8,000 sentences)."""
from __future__ import annotations

import tracemalloc

import pytest

from harness.data import Example
from harness.summarizers import build
from harness.summarizers.graph import MAX_SENTENCES

from _helpers import synthetic_record


def long_example(n_sentences: int) -> Example:
    sentences = []
    i = 0
    while len(sentences) < n_sentences:
        sentences += synthetic_record(i)["source"].split(". ")
        i += 1
    text = ". ".join(s.rstrip(".") for s in sentences[:n_sentences]) + "."
    return Example("long", text, ["A reference."], question="What did the minister say about trade?")


@pytest.mark.parametrize("name", ["textrank", "lexrank", "qlexrank"])
def test_only_the_first_sentences_are_ranked(name):
    ex = long_example(120)
    capped = build(f"{name}:max_sentences=40")
    chosen = capped.select(ex)
    assert chosen and max(chosen) < 40
    head = Example("head", " ".join(ex.sentences[:40]), ["A reference."], question=ex.question)
    assert build(name).select(head) == chosen  # the same as ranking the first 40 alone


@pytest.mark.parametrize("name", ["textrank", "lexrank"])
def test_memory_stays_bounded_beyond_the_limit(name):
    ex = long_example(MAX_SENTENCES + 1000)
    assert len(ex.sentences) > MAX_SENTENCES
    tracemalloc.start()
    try:
        build(name).select(ex)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # a few MAX_SENTENCES^2 float64 matrices (32 MB each; 136 MB in all on 2026-12-02), not of
    # (MAX_SENTENCES + 1000)^2 (268 MB without the limit)
    assert peak < 6 * MAX_SENTENCES ** 2 * 8, peak


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError, match="max_sentences must be >= 0"):
        build("textrank:max_sentences=-1")


@pytest.mark.parametrize("name", ["textrank", "lexrank", "qlexrank"])
def test_the_limit_is_in_the_system_signature(name):
    assert f":max_sentences={MAX_SENTENCES}" in build(name).signature()
    assert build(f"{name}:max_sentences=0").signature().endswith(":max_sentences=0")


def test_summary_json_records_every_option_of_each_summarizer(tmp_path):
    import json

    import harness
    from harness.summarizers.textrank import TextRank

    from _helpers import synthetic

    harness.run(synthetic(6), ["lead", "textrank:k=2", TextRank(max_sentences=10)], out=tmp_path / "run",
                executor="serial")
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["config"]["system_signatures"] == {
        "lead": "lead:k=3",
        "textrank:k=2": f"textrank:k=2:damping=0.85:stem=true:stopwords=true:max_sentences={MAX_SENTENCES}",
        "textrank": "textrank:k=3:damping=0.85:stem=true:stopwords=true:max_sentences=10",
    }
    table = json.loads((tmp_path / "run" / "table.json").read_text())
    assert table["system_signatures"] == summary["config"]["system_signatures"]
    assert "max_sentences=10" in (tmp_path / "run" / "report.html").read_text()
