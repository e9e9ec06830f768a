"""The harness engine gives rouge-score 0.1.2's floats, exactly, on every pair we can think of.

Every pair is checked against an independent computation: rouge-score-rs (a
Rust port, bit-identical to rouge-score) for the 20,000 realistic pairs, and
rouge-score itself for a fixed subset of them, for the adversarial
(hypothesis) texts, the rouge-score test data and real summaries.
"""
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rouge_score import rouge_scorer

import harness
from harness.data import Example, Reference
from harness.loaders.predictions import Predictions
from harness.scoring import ScoreConfig
from harness.scoring import native
from harness.scoring.engine import Engine
from harness.scoring.synthetic import TextMaker
from harness.scoring.backend import get_tokenizer

from conftest import shared_path

ALL_TYPES = [f"rouge{n}" for n in range(1, 10)] + ["rougeL", "rougeLsum"]

# Both implementations of the harness engine are held to rouge-score: the C
# core (where it is built) and the pure-Python one.
IMPLS = ["python"] + (["native"] if native.AVAILABLE else [])


def engine(types=ALL_TYPES, stem=True, tokenizer="rouge-score", impl="native"):
    cls = native.NativeEngine if impl == "native" and native.AVAILABLE else Engine
    return cls(types, get_tokenizer(tokenizer, stem))


@pytest.fixture(params=IMPLS)
def impl(request, monkeypatch):
    """Run a test through the Scorer with each engine implementation."""
    monkeypatch.setattr(native, "ENABLED", request.param == "native")
    return request.param


def as_tuples(scores, types):
    return {t: (scores[t].precision, scores[t].recall, scores[t].fmeasure) for t in types}


def assert_same(got, want, context):
    for t in want:
        assert got[t] == want[t], f"{t}: harness {got[t]} != reference {want[t]} for {context!r}"


def _independent(types, stem):
    """rouge-score-rs when installed (fast), else rouge-score."""
    try:
        from rouge_score_rs import rouge_scorer as rs
    except ImportError:
        return rouge_scorer.RougeScorer(types, use_stemmer=stem)
    return rs.RougeScorer(types, use_stemmer=stem)


@pytest.fixture(scope="module")
def realistic_pairs():
    maker = TextMaker(seed=2024)
    short = [maker.pair(55, 40) for _ in range(19_500)]
    long = [maker.pair(400, 400) for _ in range(500)]
    return short + long


def _harness_scores(pairs, types, stem):
    """Through the run path a user takes (two worker processes), one reference per summary."""
    examples = [Example(id=str(i), source="(scored from predictions)", references=[Reference(ref)])
                for i, (ref, _) in enumerate(pairs)]
    system = Predictions("s", {str(i): summ.split("\n") for i, (_, summ) in enumerate(pairs)})
    config = ScoreConfig(rouge_types=tuple(types), use_stemmer=stem, lsum_split="newline", cache=False, bootstrap=0)
    rows = iter(harness.run(examples, [system], config, executor="process", workers=2, report=False).rows)
    return [{t: (r["precision"], r["recall"], r["fmeasure"]) for t, r in zip(types, rows)} for _ in pairs]


@pytest.mark.slow
@pytest.mark.parametrize("stem", [True, False], ids=["stem", "nostem"])
def test_20000_realistic_pairs(realistic_pairs, stem, impl):
    assert len(realistic_pairs) >= 20_000
    got = _harness_scores(realistic_pairs, ALL_TYPES, stem)
    other = _independent(ALL_TYPES, stem)
    want = other.score_batch([r for r, _ in realistic_pairs], [s for _, s in realistic_pairs]) \
        if hasattr(other, "score_batch") else [other.score(r, s) for r, s in realistic_pairs]
    for (ref, summ), g, w in zip(realistic_pairs, got, want):
        assert_same(g, as_tuples(w, ALL_TYPES), (ref, summ))
    # and rouge-score itself on a fixed subset (short and long)
    reference = rouge_scorer.RougeScorer(ALL_TYPES, use_stemmer=stem)
    for i in list(range(0, 19_500, 100)) + list(range(19_500, 20_000, 100)):
        ref, summ = realistic_pairs[i]
        assert_same(got[i], as_tuples(reference.score(ref, summ), ALL_TYPES), (ref, summ))


def test_realistic_pairs_are_realistic(realistic_pairs):
    """The generator gives CNN/DM-like overlap, not trivially 0 or 1 scores."""
    mine = engine(["rouge1", "rouge2", "rougeL", "rougeLsum"])
    f = [mine.score(r, s) for r, s in realistic_pairs[:500]]
    for t, lo, hi in (("rouge1", 0.25, 0.6), ("rouge2", 0.05, 0.3), ("rougeLsum", 0.2, 0.55)):
        mean = sum(x[t][2] for x in f) / len(f)
        assert lo < mean < hi, (t, mean)
    lengths = [len(s.split()) for _, s in realistic_pairs[-500:]]
    assert 350 < sum(lengths) / len(lengths) < 450


# -- adversarial text -----------------------------------------------------------------------
SEPARATORS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x1c", "\x1d", "\x1e", "\t", " ", "  "]
WORDS = ["the", "The", "cat", "cats", "running", "runs", "ran", "a", "I", "İstanbul", "Straße", "naïve", "東京",
         "москва", "123", "x1", "--", "...", "K", "ǅ", "ﬁne", "ΣΑΣ", "généralement", "don't", "U.S.", "e-mail",
         "sky", "skies", "dying", "ied", "agreed", "feed", "a1b2"]

word_soup = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.text(max_size=3)),
                     max_size=80).map(lambda parts: " ".join(parts))
punctuation_only = st.text(alphabet=string.punctuation + " \n\t", max_size=60)
repeated = st.builds(lambda w, sep, n: sep.join([w] * n), st.sampled_from(WORDS), st.sampled_from(SEPARATORS),
                     st.integers(0, 120))
small_alphabet = st.lists(st.sampled_from(["a", "b", "c", "a b", "\n", "\n\n", ". "]), max_size=100).map("".join)
texts = st.one_of(st.text(), word_soup, punctuation_only, repeated, small_alphabet, st.just(""))

TYPES = ["rouge1", "rouge2", "rouge3", "rouge4", "rouge9", "rougeL", "rougeLsum"]
REFERENCE = {stem: rouge_scorer.RougeScorer(TYPES, use_stemmer=stem) for stem in (True, False)}
MINE = {stem: engine(TYPES, stem) for stem in (True, False)}
PURE = {stem: engine(TYPES, stem, impl="python") for stem in (True, False)}


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=texts, prediction=texts, stem=st.booleans())
def test_adversarial_text(target, prediction, stem):
    want = as_tuples(REFERENCE[stem].score(target, prediction), TYPES)
    assert_same(MINE[stem].score(target, prediction), want, (target, prediction))
    assert_same(PURE[stem].score(target, prediction), want, (target, prediction))


@settings(max_examples=150, deadline=None)
@given(target=texts, prediction=texts)
def test_rougeLsum_alone(target, prediction):
    """rouge-score tokenizes differently when rougeLsum is the only type."""
    ref = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=True)
    for impl in IMPLS:
        assert_same(engine(["rougeLsum"], impl=impl).score(target, prediction),
                    as_tuples(ref.score(target, prediction), ["rougeLsum"]), (target, prediction))


def test_very_long_texts_with_many_ties():
    maker = TextMaker(seed=7)
    few = ["the", "of", "a", "cat", "cats", "dog", "running", "\n"]
    target = " ".join(maker.rng.choices(few, k=1000))
    prediction = " ".join(maker.rng.choices(few, k=800))
    one_line_t, one_line_p = target.replace("\n", " "), prediction.replace("\n", " ")
    for mine in (MINE, PURE):
        for stem in (True, False):
            assert_same(mine[stem].score(target, prediction),
                        as_tuples(REFERENCE[stem].score(target, prediction), TYPES), "long")
        # one 1000-token line: rougeLsum's LCS over 16 machine words
        assert_same(mine[True].score(one_line_t, one_line_p),
                    as_tuples(REFERENCE[True].score(one_line_t, one_line_p), TYPES), "long, one line")


def test_empty_and_degenerate_cases_match():
    cases = [("", ""), ("", "a"), ("a", ""), ("!!!", "a b"), ("a b c", "a b c"), ("\n\n", "\n"), ("a", "a"),
             ("a\n\nb", "b\n\na"), ("\r\n", "x\r\ny")]
    for t, p in cases:
        for stem in (True, False):
            for mine in (MINE, PURE):
                assert_same(mine[stem].score(t, p), as_tuples(REFERENCE[stem].score(t, p), TYPES), (t, p))


# -- published test data ------------------------------------------------------------------
def test_rouge_score_testdata():
    d = shared_path("rouge_score_testdata")
    targets = (d / "target.txt").read_text(encoding="utf-8").splitlines()
    predictions = (d / "prediction.txt").read_text(encoding="utf-8").splitlines()
    expected = json.loads((d / "expected.json").read_text(encoding="utf-8"))
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    for stem in (True, False):
        ref = rouge_scorer.RougeScorer(types, use_stemmer=stem)
        for impl in IMPLS:
            mine = engine(types, stem, impl=impl)
            for t, p in zip(targets, predictions):
                assert_same(mine.score(t, p), as_tuples(ref.score(t, p), types), (t, p))
    for case in expected["pairs"]:  # ROUGE-1.5.5's numbers, printed with 5 decimals
        got = engine(types, case["stem"]).score(targets[case["line"]], predictions[case["line"]])
        for t in ("rouge1", "rouge2", "rougeL"):
            if t in case:
                p, r, f = got[t]
                assert (p, r, f) == pytest.approx((case[t]["P"], case[t]["R"], case[t]["F"]), abs=1.01e-5)
    for case in expected["unit_cases_from_tests"]:
        got = engine(types, False).score(case["target"], case["prediction"])
        for t in types:
            if t in case:
                assert got[t] == pytest.approx((case[t]["P"], case[t]["R"], case[t]["F"]), abs=1e-4)


def _real_pairs():
    pairs = []
    for name, path in (("realsumm", ("realsumm", "realsumm100.jsonl")), ("summeval", ("summeval", "summeval100.jsonl")),
                       ("samsum", ("dialsummeval", "samsum100.jsonl")), ("dialogsum", ("dialogsum", "test.jsonl"))):
        with open(shared_path(*path), encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                for summary in row.get("system_outputs", {}).values():
                    for ref in row["references"]:
                        pairs.append((ref, summary))
    return pairs


def test_real_summaries_from_shared_data():
    """Every (reference, system output) pair of four real evaluation sets (read at run time)."""
    pairs = _real_pairs()
    assert len(pairs) > 20_000
    types = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"]
    other = _independent(types, True)
    want = other.score_batch([r for r, _ in pairs], [s for _, s in pairs])
    reference = rouge_scorer.RougeScorer(types, use_stemmer=True)
    for impl in IMPLS:
        mine = engine(types, True, impl=impl)
        for (r, s), w in zip(pairs, want):
            assert_same(mine.score(r, s), as_tuples(w, types), (r, s))
        for r, s in pairs[::200]:
            assert_same(mine.score(r, s), as_tuples(reference.score(r, s), types), (r, s))
