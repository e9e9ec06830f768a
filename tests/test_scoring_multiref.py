"""Several references (max, mean, jackknife, pooled) and length limits, against direct
computations and against ROUGE-1.5.5's own outputs (../shared/data/rouge155_golden)."""
import json
from collections import Counter

import numpy as np
import pytest
from rouge_score import rouge_scorer

from harness.data import Example, Reference
from harness.scoring import ScoreConfig, Scorer
from harness.scoring.length import limit_bytes, limit_words
from harness.scoring.multiref import np_mean
from harness.scoring.synthetic import TextMaker

from conftest import shared_path

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


@pytest.fixture(scope="module")
def multiref_examples():
    maker = TextMaker(seed=11)
    examples, summaries = [], {}
    for i in range(60):
        source = maker.sentences(300)
        k = 1 + i % 4  # 1 to 4 references
        refs = [" ".join(maker.rewrite(source, 50, keep=0.8)) for _ in range(k)]
        examples.append(Example(id=f"e{i}", source=" ".join(source), references=[Reference(r) for r in refs]))
        summaries[f"e{i}"] = maker.rewrite(source, 40)
    if True:  # exact ties between references: two identical references
        examples[0].references.append(Reference(examples[0].references[0].text))
    return examples, summaries


def per_reference(examples, summaries, split="newline"):
    """(P, R, F) per example, reference and type, straight from rouge-score."""
    sc = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    scorer = Scorer(ScoreConfig(lsum_split=split))
    out = {}
    for ex in examples:
        pred = scorer.prepare("\n".join(summaries[ex.id]))
        out[ex.id] = [sc.score(scorer.prepare(r), pred) for r in ex.reference_texts]
    return out


def scored(examples, summaries, **config):
    scorer = Scorer(ScoreConfig(cache=False, **config))
    return {ex.id: scorer.score(ex, summaries[ex.id]) for ex in examples}


def test_np_mean_is_numpys():
    rng = np.random.default_rng(0)
    for n in list(range(1, 40)) + [127, 128, 129, 300]:
        for _ in range(200):
            x = (rng.random(n) * rng.choice([1e-3, 1, 1e3], n)).tolist()
            assert np_mean(x) == float(np.mean(x))


@pytest.mark.parametrize("engine", ["harness", "rouge-score"])
@pytest.mark.parametrize("split", ["newline", "nupunkt"])
def test_max_is_score_multi(multiref_examples, engine, split):
    examples, summaries = multiref_examples
    sc = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    scorer = Scorer(ScoreConfig(engine=engine, lsum_split=split))
    got = scored(examples, summaries, engine=engine, lsum_split=split)
    for ex in examples:
        want = sc.score_multi([scorer.prepare(r) for r in ex.reference_texts],
                              scorer.prepare("\n".join(summaries[ex.id])))
        for t in TYPES:
            g = got[ex.id][t]
            assert (g.precision, g.recall, g.fmeasure) == tuple(want[t]), (ex.id, t)


@pytest.mark.parametrize("engine", ["harness", "rouge-score"])
def test_mean_and_jackknife_as_gem_metrics(multiref_examples, engine):
    """mean: np.mean of each of P, R, F; jackknife: GEM-metrics' leave-one-out max, then np.mean."""
    examples, summaries = multiref_examples
    refs = per_reference(examples, summaries)
    mean = scored(examples, summaries, multiref="mean", lsum_split="newline", engine=engine)
    jack = scored(examples, summaries, multiref="jackknife", lsum_split="newline", engine=engine)
    for ex in examples:
        scores = refs[ex.id]
        for t in TYPES:
            want_mean = tuple(float(np.mean([getattr(s[t], f) for s in scores]))
                              for f in ("precision", "recall", "fmeasure"))
            g = mean[ex.id][t]
            assert (g.precision, g.recall, g.fmeasure) == want_mean
            if len(scores) == 1:
                want_jack = tuple(scores[0][t])
            else:  # gem_metrics/rouge.py
                best = [max([scores[s][t] for s in range(len(scores)) if s != leave], key=lambda x: x.fmeasure)
                        for leave in range(len(scores))]
                want_jack = (np.mean([b.precision for b in best]), np.mean([b.recall for b in best]),
                             np.mean([b.fmeasure for b in best]))
            g = jack[ex.id][t]
            assert (g.precision, g.recall, g.fmeasure) == want_jack


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def test_pooled_counts(multiref_examples):
    """pooled: R = sum hits / sum reference counts, P = sum hits / (k x summary count), from direct counts."""
    examples, summaries = multiref_examples
    sc = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    tok = sc._tokenizer.tokenize
    got = scored(examples, summaries, multiref="pooled", lsum_split="newline")
    for ex in examples:
        pred_text = "\n".join(summaries[ex.id])
        pred = tok(pred_text)
        for t in TYPES:
            hits = n_ref = 0
            for ref in ex.reference_texts:
                r = tok(ref)
                if t.startswith("rouge") and t[5:].isdigit():
                    n = int(t[5:])
                    rg, pg = _ngrams(r, n), _ngrams(pred, n)
                    hits += sum(min(c, pg[g]) for g, c in rg.items())
                    n_ref += sum(rg.values())
                    n_pred = sum(pg.values())
                elif t == "rougeL":
                    hits += rouge_scorer._lcs_table(r, pred)[-1][-1]
                    n_ref += len(r)
                    n_pred = len(pred)
                else:  # union-LCS hits, recovered from rouge-score's recall
                    s = sc.score(ref, pred_text)[t]
                    hits += round(s.recall * len(r))
                    n_ref += len(r)
                    n_pred = len(pred)
            k = len(ex.reference_texts)
            p, rc = hits / (k * n_pred), hits / n_ref
            want = (p, rc, 2 * p * rc / (p + rc) if p + rc else 0.0)
            g = got[ex.id][t]
            assert (g.precision, g.recall, g.fmeasure) == pytest.approx(want, abs=1e-15), (ex.id, t)


def test_rules_agree_with_one_reference():
    ex = Example(id="x", source="s", references=[Reference("The cat sat on the mat.\nIt was happy.")])
    summary = ["A cat sat on a mat.", "It purred."]
    results = [scored([ex], {"x": summary}, multiref=rule)["x"] for rule in ("max", "mean", "jackknife", "pooled")]
    for r in results[1:]:
        assert r == results[0]


def test_no_references_is_a_clear_error():
    from harness.errors import HarnessError

    with pytest.raises(HarnessError, match="'lonely' has no references"):
        Scorer().score(Example(id="lonely", source="x"), ["a summary"])


# -- length limits --------------------------------------------------------------------------
def test_limit_words_and_bytes():
    s = ["One two three.", "Four five six seven.", "Eight."]
    assert limit_words(s, 2) == ["One two"]
    assert limit_words(s, 3) == ["One two three."]
    assert limit_words(s, 5) == ["One two three.", "Four five"]
    assert limit_words(s, 100) == s
    assert limit_words(["  spaced   out  words "], 2) == ["spaced out"]
    # bytes: separators are not counted, as in ROUGE-1.5.5
    assert limit_bytes(s, 14) == ["One two three."]
    assert limit_bytes(s, 20) == ["One two three.", "Four f"]
    assert limit_bytes(["héllo"], 2) == ["h"]  # a character cut in half is dropped
    assert limit_bytes(["héllo"], 3) == ["hé"]


def test_length_limit_applies_to_the_summary_only():
    ex = Example(id="x", source="s", references=[Reference("alpha beta gamma delta epsilon")])
    full = scored([ex], {"x": ["alpha beta gamma delta epsilon"]})["x"]["rouge1"]
    cut = scored([ex], {"x": ["alpha beta gamma delta epsilon"]}, max_words=2)["x"]["rouge1"]
    assert full.recall == 1.0 and cut.recall == 2 / 5 and cut.precision == 1.0
    cut_b = scored([ex], {"x": ["alpha beta gamma delta epsilon"]}, max_bytes=10)["x"]["rouge1"]
    assert cut_b.recall == 2 / 5  # "alpha beta" is 10 bytes


def test_length_limit_validation():
    with pytest.raises(ValueError, match="not both"):
        ScoreConfig(max_words=10, max_bytes=10)
    with pytest.raises(ValueError, match="positive"):
        ScoreConfig(max_words=0)


# -- ROUGE-1.5.5 itself ----------------------------------------------------------------------
def _golden():
    d = shared_path("rouge155_golden", "sl2003")
    rows = [json.loads(l) for l in (d / "sl2003.jsonl").read_text(encoding="utf-8").splitlines()]
    per_eval = [json.loads(l) for l in (d / "per_eval.jsonl").read_text(encoding="utf-8").splitlines()]
    averages = json.loads((d / "averages.json").read_text(encoding="utf-8"))
    return rows, per_eval, averages


def _pooled(rows, limit=None, cut=None, types=("rouge1", "rouge2", "rougeLsum")):
    """Harness scores of every (doc, peer) of sl2003, as ROUGE-1.5.5 -a -f A (no stemming) computes them.

    ROUGE-1.5.5 cuts the references with the same length rule as the
    summaries, so for -l / -b the references are cut here with the harness's
    own rule first.
    """
    scorer = Scorer(ScoreConfig(rouge_types=types, use_stemmer=False, multiref="pooled", lsum_split="newline",
                                cache=False, **(limit or {})))
    out = {}
    for row in rows:
        refs = [cut([r])[0] if cut else r for r in row["references"]]
        ex = Example(id=row["id"], source="", references=[Reference(r) for r in refs])
        for peer, text in row["system_outputs"].items():
            out[row["id"], peer] = scorer.score(ex, [text])
    return out


NAMES = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeLsum": "ROUGE-L"}


def test_pooled_equals_rouge155_per_document():
    rows, per_eval, _ = _golden()
    got = _pooled(rows)
    checked = 0
    for pe in per_eval:
        if pe["tag"] != "base":
            continue
        for t, name in NAMES.items():
            g, w = got[pe["id"], pe["system"]][t], pe["scores"][name]
            assert g.recall == pytest.approx(w["R"], abs=5.01e-6), (pe["id"], pe["system"], t)
            assert g.precision == pytest.approx(w["P"], abs=5.01e-6), (pe["id"], pe["system"], t)
            assert g.fmeasure == pytest.approx(w["F"], abs=1.5e-5), (pe["id"], pe["system"], t)
            checked += 1
    assert checked == 200 * 3


def _perl_resampled_average(values, n_resamples=1000):
    """ROUGE-1.5.5's reported average: the mean of its bootstrap resample means.

    It seeds Perl's rand with the resample number (srand($i)); Perl's rand is
    drand48 (48-bit LCG, a = 0x5DEECE66D, c = 0xB, seeded as (seed << 16) + 0x330E).
    """
    n = len(values)
    means = []
    for seed in range(n_resamples):
        state = (seed << 16) + 0x330E
        total = None
        for _ in range(n):
            state = (state * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
            v = values[int(state / 2.0 ** 48 * n)]
            total = list(v) if total is None else [a + b for a, b in zip(total, v)]
        means.append([x / n for x in total])
    out = []
    for k in range(3):
        s = 0.0
        for x in sorted(m[k] for m in means):
            s += x
        out.append(float(f"{s / n_resamples:7.5f}"))
    return out


@pytest.mark.parametrize("tag", ["base", "l10", "b75"])
def test_length_limits_and_pooling_reproduce_rouge155_averages(tag):
    """The averages ROUGE-1.5.5 printed for -l 10 and -b 75 (and no limit), to the last digit."""
    rows, _, averages = _golden()
    limit, cut = {"base": ({}, None), "l10": ({"max_words": 10}, lambda s: limit_words(s, 10)),
                  "b75": ({"max_bytes": 75}, lambda s: limit_bytes(s, 75))}[tag]
    got = _pooled(rows, limit, cut)
    order = sorted(range(len(rows)), key=lambda i: str(i + 1))  # ROUGE sorts its eval ids "1".."25" as strings
    for peer, by_metric in averages[tag]["peers"].items():
        for t, name in NAMES.items():
            per_doc = []
            for i in order:
                s = got[rows[i]["id"], peer][t]
                r, p = float(f"{s.recall:7.5f}"), float(f"{s.precision:7.5f}")
                f = float(f"{p * r / (0.5 * p + 0.5 * r):7.5f}") if p + r > 0 else 0.0  # ROUGE's F, from rounded P, R
                per_doc.append((r, p, f))
            want = by_metric[name]
            assert _perl_resampled_average(per_doc) == [want["R"], want["P"], want["F"]], (tag, peer, name)
