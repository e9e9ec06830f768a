"""Confidence intervals and paired tests in summary.json, checked against direct slow loops."""
import json
import math

import numpy as np
import pytest

from harness import stats
from harness.aggregate import corpus_means
from harness.cli import main


def rows_for(scores):
    """scores: {system: {type: [F per example]}} -> scores.jsonl-like rows."""
    out = []
    for system, by_type in scores.items():
        for t, fs in by_type.items():
            for i, f in enumerate(fs):
                out.append({"id": f"e{i}", "system": system, "rouge_type": t, "precision": f, "recall": f,
                            "fmeasure": f})
    return out


def slow_resample_means(x, n_resamples, seed, n=None):
    """Each resample written out from the sampler's draws over the run's n examples; the mean over
    the drawn examples that have a score (x: None or NaN where the column has none)."""
    counts = stats.bootstrap_counts(n or len(x), n_resamples, seed)
    out = []
    for row in counts:
        drawn = [x[i] for i in range(len(x)) for _ in range(row[i]) if x[i] is not None and not np.isnan(x[i])]
        out.append(sum(drawn) / len(drawn))
    return np.array(out)


def slow_paired_bootstrap(a, b, n_resamples, seed):
    d = np.abs(slow_resample_means(a - b, n_resamples, seed))
    real = abs(math.fsum(d_i for d_i in a - b if not np.isnan(d_i)) / np.sum(~np.isnan(a - b)))
    return (np.sum(d - d.mean() >= real - 1e-12) + 1) / (n_resamples + 1)


def slow_randomization(a, b, n_trials, seed):
    """Trials swap the pairs the sampler's flips name; examples either system lacks (NaN) are left out."""
    flips = stats.randomization_flips(len(a), n_trials, seed)
    both = [i for i in range(len(a)) if not (np.isnan(a[i]) or np.isnan(b[i]))]
    real = abs(np.mean([a[i] for i in both]) - np.mean([b[i] for i in both]))
    count = 0
    for row in flips:
        x = [b[i] if row[i] else a[i] for i in both]
        y = [a[i] if row[i] else b[i] for i in both]
        count += abs(np.mean(x) - np.mean(y)) >= real - 1e-12
    return (count + 1) / (n_trials + 1)


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(42)
    base = rng.random(30) * 0.5
    return {"lead": {"rouge1": base, "rougeL": base * 0.9},
            "good": {"rouge1": base + 0.08 + rng.normal(0, 0.02, 30), "rougeL": base * 0.9 + 0.01},
            "same": {"rouge1": base + rng.normal(0, 0.001, 30), "rougeL": base * 0.9 - rng.normal(0, 0.05, 30)}}


def test_corpus_means_match_direct_loops(small):
    out = corpus_means(rows_for(small), n_resamples=300, seed=9, baseline="lead")
    for system, by_type in small.items():
        for t, f in by_type.items():
            got = out[system][t]
            means = slow_resample_means(f, 300, 9)
            assert got["fmeasure"] == pytest.approx(f.mean(), abs=1e-15)
            assert got["ci_low"] == pytest.approx(np.quantile(means, 0.025), abs=1e-12)
            assert got["ci_high"] == pytest.approx(np.quantile(means, 0.975), abs=1e-12)
            if system == "lead":
                assert "p_bootstrap" not in got and "p_randomization" not in got
                continue
            base = small["lead"][t]
            assert got["p_bootstrap"] == pytest.approx(slow_paired_bootstrap(f, base, 300, 9))
            assert got["p_randomization"] == pytest.approx(slow_randomization(f, base, 300, 9))
    assert out["good"]["rouge1"]["p_bootstrap"] < 0.01 and out["good"]["rouge1"]["p_randomization"] < 0.01
    assert out["same"]["rouge1"]["p_randomization"] > 0.05


def test_blocks_of_resamples_give_the_same_numbers(small, monkeypatch):
    whole = corpus_means(rows_for(small), n_resamples=203, seed=5, baseline="lead")
    monkeypatch.setattr(stats, "_BLOCK_CELLS", 90)  # 4 resamples of 30 examples per block
    assert stats._block_rows(30) == 4
    blocks = corpus_means(rows_for(small), n_resamples=203, seed=5, baseline="lead")
    assert blocks == whole


def test_chunks_of_examples_give_the_numbers_of_the_direct_loops(small, monkeypatch):
    """Chunks of 7 examples (30 = 4 x 7 + 2): the allocation of draws over chunks is exercised."""
    monkeypatch.setattr(stats, "CHUNK", 7)
    assert stats.bootstrap_counts(30, 5, 1).tolist() != stats.bootstrap_counts(30, 5, 1, chunk=30).tolist()
    test_corpus_means_match_direct_loops(small)


def test_tests_are_paired_over_the_same_examples(small):
    rows = [r for r in rows_for(small) if not (r["system"] == "good" and r["id"] == "e3")]
    out = corpus_means(rows, n_resamples=50, seed=1, baseline="lead")
    # paired over the examples both were scored on: good's 29, not lead's 30, on the
    # resamples of the run's 30 examples (e3 drawn or not, it adds nothing to good's mean)
    good = small["good"]["rouge1"].copy()
    good[3] = np.nan
    lead = small["lead"]["rouge1"]
    assert out["good"]["rouge1"]["n"] == 29 and "ci_low" in out["good"]["rouge1"]
    assert out["good"]["rouge1"]["fmeasure"] == math.fsum(np.delete(good, 3)) / 29
    means = slow_resample_means(good, 50, 1)
    assert out["good"]["rouge1"]["ci_low"] == pytest.approx(np.quantile(means, 0.025), abs=1e-12)
    assert out["good"]["rouge1"]["p_randomization"] == pytest.approx(slow_randomization(good, lead, 50, 1))
    assert out["good"]["rouge1"]["p_bootstrap"] == pytest.approx(slow_paired_bootstrap(good, lead, 50, 1))
    assert "p_bootstrap" in out["same"]["rouge1"]
    out = corpus_means(rows_for(small), n_resamples=50, seed=1, baseline="missing")
    assert all("p_bootstrap" not in v for by in out.values() for v in by.values())
    out = corpus_means(rows_for(small), n_resamples=0, baseline="lead")
    assert all(set(v) == {"precision", "recall", "fmeasure", "n", "failed"} for by in out.values() for v in by.values())


def _summary(tmp_path, name, *args):
    assert main(["run", "--no-cache", "--summarizers", "lead,random", "--out", str(tmp_path / name), *args]) == 0
    return json.loads((tmp_path / name / "summary.json").read_text())


def test_summary_json_carries_intervals_and_p_values(tmp_path):
    s = _summary(tmp_path, "default")
    assert s["config"]["bootstrap"] == 1000 and s["config"]["seed"] == 12345 and s["config"]["baseline_system"] == "lead"
    assert "|boot:1000|seed:12345|base:lead|" in s["signature"]
    for t, v in s["systems"]["random"].items():
        assert v["ci_low"] <= v["fmeasure"] <= v["ci_high"]
        assert 0 < v["p_bootstrap"] <= 1 and 0 < v["p_randomization"] <= 1
    assert "p_bootstrap" not in s["systems"]["lead"]["rouge1"]
    other = _summary(tmp_path, "other", "--baseline-system", "random", "--bootstrap", "200", "--seed", "7")
    assert "p_bootstrap" in other["systems"]["lead"]["rouge1"] and "p_bootstrap" not in other["systems"]["random"]["rouge1"]
    assert "|boot:200|seed:7|base:random|" in other["signature"]
    assert other["systems"]["lead"]["rouge1"]["ci_low"] != s["systems"]["lead"]["rouge1"]["ci_low"]
    none = _summary(tmp_path, "none", "--bootstrap", "0")
    assert "ci_low" not in none["systems"]["lead"]["rouge1"]
