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
