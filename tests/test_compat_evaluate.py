"""harness.compat.evaluate_rouge.compute against Hugging Face evaluate's rouge metric.

evaluate loads its metric script from the hub, which this machine cannot
reach, so `evaluate_reference` below re-implements what the script does
(metrics/rouge/rouge.py in huggingface/evaluate: rouge-score's RougeScorer,
its BootstrapAggregator, `mid.fmeasure`, `score_multi` when references[0] is
a list, a callable tokenizer wrapped into an object with `tokenize`), on the
installed rouge-score. evaluate's aggregate draws from numpy's global random
state; seeding it with the compat seed makes the two comparable value for value.
"""
import random

import numpy as np
import pytest
from rouge_score import rouge_scorer as rs_scorer, scoring as rs_scoring

from harness.compat import evaluate_rouge
from harness.scoring.synthetic import TextMaker

from test_compat import adversarial_text


def evaluate_reference(predictions, references, rouge_types=None, use_aggregator=True, use_stemmer=False,
                       tokenizer=None, seed=None):
    """evaluate's Rouge._compute, as documented by its source, on rouge-score itself."""
    if rouge_types is None:
        rouge_types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    multi_ref = isinstance(references[0], list)
    if tokenizer is not None:
        func = tokenizer
        tokenizer = type("Tokenizer", (), {"tokenize": staticmethod(lambda text: func(text))})()
    scorer = rs_scorer.RougeScorer(rouge_types=rouge_types, use_stemmer=use_stemmer, tokenizer=tokenizer)
    scores = [scorer.score_multi(ref, pred) if multi_ref else scorer.score(ref, pred)
              for ref, pred in zip(references, predictions)]
    if use_aggregator:
        aggregator = rs_scoring.BootstrapAggregator()
        for s in scores:
            aggregator.add_scores(s)
        if seed is not None:
            np.random.seed(seed)
        return {key: agg.mid.fmeasure for key, agg in aggregator.aggregate().items()}
    return {key: [s[key].fmeasure for s in scores] for key in scores[0]}


def same(got: dict, want: dict) -> bool:
    if list(got) != list(want):
        return False
    for k in want:
        g, w = got[k], want[k]
        if isinstance(w, list):
            if g != w or [type(x) for x in g] != [type(x) for x in w]:
                return False
        elif not (g == w and type(g) is type(w)):
            return False
    return True


@pytest.fixture(scope="module")
def data():
    maker = TextMaker(seed=41)
    pairs = [maker.pair(55, 40) for _ in range(800)]
    rng = random.Random(41)
    pairs += [(adversarial_text(rng), adversarial_text(rng)) for _ in range(400)]
    rng.shuffle(pairs)
    return [p for _, p in pairs], [r for r, _ in pairs]


@pytest.mark.parametrize("use_aggregator", [True, False])
@pytest.mark.parametrize("use_stemmer", [True, False])
def test_single_reference_equals_evaluate(data, use_aggregator, use_stemmer):
    preds, refs = data
    got = evaluate_rouge.compute(predictions=preds, references=refs, use_aggregator=use_aggregator,
                                 use_stemmer=use_stemmer, seed=7)
    want = evaluate_reference(preds, refs, use_aggregator=use_aggregator, use_stemmer=use_stemmer, seed=7)
    assert same(got, want)


@pytest.mark.parametrize("use_aggregator", [True, False])
def test_multi_reference_equals_evaluate(data, use_aggregator):
    preds, refs = data
    multi = [[refs[i], refs[(i + 1) % len(refs)], refs[(i + 7) % len(refs)]][: 1 + i % 3] for i in range(600)]
    got = evaluate_rouge.compute(predictions=preds[:600], references=multi, use_aggregator=use_aggregator,
                                 use_stemmer=True, rouge_types=["rouge1", "rougeLsum", "rouge3"], seed=3)
    want = evaluate_reference(preds[:600], multi, use_aggregator=use_aggregator, use_stemmer=True,
                              rouge_types=["rouge1", "rougeLsum", "rouge3"], seed=3)
    assert same(got, want)


def test_callable_tokenizer_as_evaluate_wraps_it(data):
    preds, refs = data
    for use_aggregator in (True, False):
        got = evaluate_rouge.compute(predictions=preds[:300], references=refs[:300], tokenizer=lambda s: s.split(" "),
                                     use_aggregator=use_aggregator, seed=1)
        want = evaluate_reference(preds[:300], refs[:300], tokenizer=lambda s: s.split(" "),
                                  use_aggregator=use_aggregator, seed=1)
        assert same(got, want)


def test_evaluates_docstring_example():
    out = evaluate_rouge.compute(predictions=["hello there", "general kenobi"],
                                 references=["hello there", "general kenobi"])
    assert out == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0, "rougeLsum": 1.0}


def test_deterministic_by_default_unlike_evaluate(data):
    preds, refs = data
    a = evaluate_rouge.compute(predictions=preds[:200], references=refs[:200])
    b = evaluate_rouge.compute(predictions=preds[:200], references=refs[:200])
    assert a == b
    assert a == evaluate_reference(preds[:200], refs[:200], seed=evaluate_rouge.DEFAULT_SEED)
    # evaluate's own (unseeded) aggregate moves between calls; seed=None reproduces that behaviour
    np.random.seed(0)
    c = evaluate_rouge.compute(predictions=preds[:200], references=refs[:200], seed=None)
    np.random.seed(0)
    assert c == evaluate_reference(preds[:200], refs[:200])


def test_precision_and_recall_on_request(data):
    preds, refs = data
    for use_aggregator in (True, False):
        got = evaluate_rouge.compute(predictions=preds[:300], references=refs[:300], rouge_types=["rouge1", "rougeL"],
                                     use_aggregator=use_aggregator, precision_recall=True, seed=2)
        assert list(got) == ["rouge1", "rouge1_precision", "rouge1_recall", "rougeL", "rougeL_precision",
                             "rougeL_recall"]
        scorer = rs_scorer.RougeScorer(["rouge1", "rougeL"])
        scores = [scorer.score(r, p) for r, p in zip(refs[:300], preds[:300])]
        if use_aggregator:
            agg = rs_scoring.BootstrapAggregator()
            for s in scores:
                agg.add_scores(s)
            np.random.seed(2)
            want = agg.aggregate()
            for t in ("rouge1", "rougeL"):
                assert (got[t], got[f"{t}_precision"], got[f"{t}_recall"]) == \
                       (want[t].mid.fmeasure, want[t].mid.precision, want[t].mid.recall)
        else:
            for t in ("rouge1", "rougeL"):
                assert got[f"{t}_precision"] == [s[t].precision for s in scores]
                assert got[f"{t}_recall"] == [s[t].recall for s in scores]
                assert got[t] == [s[t].fmeasure for s in scores]


def test_harness_resampler_option(data):
    preds, refs = data
    fast = evaluate_rouge.compute(predictions=preds, references=refs, resampler="harness")
    assert fast == evaluate_rouge.compute(predictions=preds, references=refs, resampler="harness")
    exact = evaluate_rouge.compute(predictions=preds, references=refs)
    assert list(fast) == list(exact)
    assert all(abs(fast[k] - exact[k]) < 0.01 for k in exact)  # two bootstraps of the same mean


def test_bad_input_is_rejected_clearly():
    with pytest.raises(ValueError, match=r"Mismatch in the number of predictions \(2\) and references \(1\)"):
        evaluate_rouge.compute(predictions=["a", "b"], references=["a"])
    with pytest.raises(ValueError, match=r"references\[1\] is str, but references\[0\] is a list"):
        evaluate_rouge.compute(predictions=["a", "b"], references=[["a"], "b"])
    with pytest.raises(ValueError, match=r"references\[1\] is list, but references\[0\] is one reference"):
        evaluate_rouge.compute(predictions=["a", "b"], references=["a", ["b"]])
    with pytest.raises(ValueError, match="no predictions"):
        evaluate_rouge.compute(predictions=[], references=[])
    with pytest.raises(ValueError, match="Invalid rouge type: rougeX"):
        evaluate_rouge.compute(predictions=["a"], references=["a"], rouge_types=["rougeX"])
