"""harness correlate: levels, coefficients (scipy's numbers), resampling, tests of two metrics, judgments, the CLI."""
import csv
import json

import numpy as np
import pytest
from scipy import stats

from harness.cli import main
from harness.correlate import Options, align, correlate, read_judgments
from harness.correlate.coefficients import correlation
from harness.correlate.levels import estimate
from harness.correlate.resampling import permutation_p, samples, williams_p
from harness.errors import DataError

SCIPY = {"pearson": lambda a, b: stats.pearsonr(a, b).statistic,
         "spearman": lambda a, b: stats.spearmanr(a, b).statistic,
         "kendall": lambda a, b: stats.kendalltau(a, b).statistic,
         "kendall-c": lambda a, b: stats.kendalltau(a, b, variant="c").statistic}


def matrices(seed=0, s=7, n=12, ties=True):
    rng = np.random.default_rng(seed)
    z = rng.integers(1, 6, (s, n)).astype(float) if ties else rng.random((s, n))
    x = z * 0.1 + rng.random((s, n))
    return np.round(x, 1) if ties else x, z


def independent(level, coef, x, z):
    """The level's definition, one scipy call per correlation (nothing vectorized)."""
    f = SCIPY[coef]
    if level == "system":
        return f(x.mean(axis=1), z.mean(axis=1)), x.shape[0]
    if level == "global":
        return f(x.ravel(), z.ravel()), x.size
    values = [f(x[:, j], z[:, j]) for j in range(x.shape[1])
              if np.ptp(x[:, j]) > 0 and np.ptp(z[:, j]) > 0]
    return float(np.mean(values)), len(values)


@pytest.mark.parametrize("coef", list(SCIPY))
@pytest.mark.parametrize("level", ["system", "summary", "global"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_level_equals_scipy_on_the_same_vectors(level, coef, seed):
    x, z = matrices(seed)
    z[:, 3] = 2.0  # a constant example: undefined at summary level
    e = estimate(level, coef, x, z)
    value, n = independent(level, coef, x, z)
    assert float(e.value) == pytest.approx(value, abs=1e-12)
    assert int(e.n) == n
    assert int(e.skipped) == (1 if level == "summary" else 0)


@pytest.mark.parametrize("coef", list(SCIPY))
def test_fast_resample_form_equals_scipy(coef):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 4, (300, 9)).astype(float)
    y = rng.integers(0, 4, (300, 9)).astype(float)
    fast = correlation(coef, x, y, fast=True)
    ref = np.array([SCIPY[coef](a, b) if np.ptp(a) and np.ptp(b) else np.nan for a, b in zip(x, y)])
    assert np.array_equal(np.isnan(fast), np.isnan(ref))
    assert np.nanmax(np.abs(fast - ref)) < 1e-12


def test_undefined_rows_are_nan():
    assert np.isnan(correlation("pearson", [1, 1, 1], [1, 2, 3]))
    assert np.isnan(correlation("kendall", [1, np.nan, 3], [1, 2, 3]))
    assert np.isnan(correlation("spearman", [1], [2]))


def test_bootstrap_draws_are_seeded_and_methods_share_them():
    s_both, i_both = samples(5, 8, "both", 50, 7)
    s_sys, i_sys = samples(5, 8, "systems", 50, 7)
    s_in, i_in = samples(5, 8, "inputs", 50, 7)
    assert np.array_equal(s_both, s_sys) and np.array_equal(i_both, i_in)
    assert (i_sys == np.arange(8)).all() and (s_in == np.arange(5)).all()
    again = samples(5, 8, "both", 50, 7)
    assert np.array_equal(again[0], s_both) and np.array_equal(again[1], i_both)
    assert not np.array_equal(samples(5, 8, "both", 50, 8)[1], i_both)


def test_permutation_test_direction_and_seed():
    x, z = matrices(3, ties=False)
    rng = np.random.default_rng(9)
    good, bad = z + rng.random(z.shape) * 0.5, rng.random(z.shape)
    diff, p = permutation_p("global", "pearson", good, bad, z, "both", 200, 1)
    assert diff > 0 and p < 0.05
    assert permutation_p("global", "pearson", good, bad, z, "both", 200, 1) == (diff, p)
    _, p_reverse = permutation_p("global", "pearson", bad, good, z, "both", 200, 1)
    assert p_reverse > 0.9


def test_williams_test():
    rng = np.random.default_rng(4)
    z = rng.random(12)
    a, b = z + rng.random(12) * 0.2, z + rng.random(12) * 2
    diff, p = williams_p(a, b, z)
    assert diff == pytest.approx(stats.pearsonr(a, z).statistic - stats.pearsonr(b, z).statistic)
    assert p < 0.05
    assert williams_p(b, a, z)[1] == pytest.approx(1 - p)
    assert np.isnan(williams_p(a, a.copy(), z)[1])  # two identical metrics: the test is undefined


# --- judgments, alignment and the command line -------------------------------------------------------

SYSTEMS = ["s1", "s2", "s3", "s4", "s5"]
IDS = ["e1", "e2", "e3", "e4"]


def human(seed=0):
    rng = np.random.default_rng(seed)
    return {(i, s): {"coherence": float(rng.integers(1, 6)), "relevance": float(rng.integers(1, 6))}
            for i in IDS for s in SYSTEMS}


def write_run(folder, scores, signature="sig-a"):
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": i, "system": s, "rouge_type": t, "precision": v, "recall": v, "fmeasure": v}
            for (i, s), by in scores.items() for t, v in by.items()]
    (folder / "scores.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (folder / "summary.json").write_text(json.dumps({"signature": signature, "systems": {}, "config": {}}))
    return folder


def run_scores(seed=1):
    rng = np.random.default_rng(seed)
    return {(i, s): {"rouge1": float(rng.random()), "rouge2": float(rng.random())} for i in IDS for s in SYSTEMS}


def write_field_file(path, judged):
    rows = {}
    for (i, s), by in judged.items():
        rows.setdefault(i, {})[s] = by
    path.write_text("".join(json.dumps({"id": i, "source": "x", "references": ["y"], "human_scores": by}) + "\n"
                            for i, by in rows.items()))
    return path


def write_long(path, judged, annotators=("a", "b")):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "system", "dimension", "score", "annotator"])
        for (i, s), by in judged.items():
            for d, v in by.items():
                for k, a in enumerate(annotators):
                    w.writerow([i, s, d, v + (0.5 if k else -0.5), a])
    return path


def test_judgment_forms_agree(tmp_path):
    judged = human()
    field = read_judgments(write_field_file(tmp_path / "data.jsonl", judged))
    long = read_judgments(write_long(tmp_path / "long.csv", judged))
    summeval = tmp_path / "model_annotations.aligned.jsonl"
    summeval.write_text("".join(json.dumps({"id": i, "model_id": s, "expert_annotations": [by, by, by],
                                            "turker_annotations": [{k: 1.0 for k in by}]}) + "\n"
                                for (i, s), by in judged.items()))
    expert, turker = read_judgments(summeval), read_judgments(summeval, annotators="turker")
    assert field.scores == long.scores == expert.scores == judged
    assert (field.form, long.form, expert.form) == ("field:human_scores", "long", "summeval:expert")
    assert set(turker.scores[("e1", "s1")].values()) == {1.0}


@pytest.mark.parametrize("text, message", [
    ('{"id": "e1", "human_scores": {"s1": {"coherence": "high"}}}\n', "data.jsonl:1: example 'e1', system 's1', "
     "dimension 'coherence': not a finite number: 'high'"),
    ('{"id": "e1", "human_scores": {"s1": {"coherence": 1}}}\n{"id": "e1", "human_scores": {"s1": {"coherence": 2}}}\n',
     "data.jsonl:2: a second judgment of example 'e1', system 's1' (first at"),
    ('{"id": "e1", "human_scores": {"s1": [{"coherence": 1}, {"fluency": 2}]}}\n',
     "data.jsonl:1: example 'e1', system 's1': dimension 'coherence' scored by 1 of 2 annotators"),
    ('{"id": "e1", "scores": {}}\n', "data.jsonl:1: not a judgments record"),
])
def test_bad_judgments_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "data.jsonl"
    path.write_text(text)
    with pytest.raises(DataError) as e:
        read_judgments(path)
    assert message in str(e.value)


def test_long_csv_non_numeric_score(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("id,system,dimension,score\ne1,s1,coherence,4\ne1,s2,coherence,n/a\n")
    with pytest.raises(DataError, match=r"long.csv:3: field 'score': not a number: 'n/a'"):
        read_judgments(path)


def test_alignment_errors_and_allow_missing(tmp_path):
    judged = human()
    scores = run_scores()
    del scores[("e2", "s3")]
    run = write_run(tmp_path / "run", scores)
    j = read_judgments(write_field_file(tmp_path / "data.jsonl", judged))
    with pytest.raises(DataError, match=r"rouge1 fmeasure: 1 judged summaries without a score: \('e2', 's3'\)"):
        align([run], j)
    a = align([run], j, allow_missing=True)
    assert np.isnan(a.metrics[("rouge1", "fmeasure")][2, 1])
    only4 = {k: v for k, v in run_scores().items() if k[1] != "s5"}
    with pytest.raises(DataError, match=r"no scores for judged system\(s\) 's5'"):
        align([write_run(tmp_path / "run4", only4)], j)


def test_cli_rows_equal_scipy_and_are_reproducible(tmp_path, capsys):
    judged, scores = human(), run_scores()
    scores.update({(i, "oracle"): {"rouge1": 1.0, "rouge2": 1.0} for i in IDS})  # not judged: left out, noted
    run = write_run(tmp_path / "run", scores)
    data = write_field_file(tmp_path / "data.jsonl", judged)
    args = ["correlate", str(run), "--human", str(data), "--bootstrap", "50", "--compare-metrics", "rouge1,rouge2",
            "--out", str(tmp_path / "out"), "--quiet"]
    assert main([*args, "--json", str(tmp_path / "rows.json")]) == 0
    printed = capsys.readouterr().out
    assert "system(s) 'oracle' have no human judgments and are left out" in printed
    assert "signature: levels:system+summary+global|coef:pearson+spearman+kendall|resample:both|boot:50" in printed
    rows = json.loads((tmp_path / "rows.json").read_text())
    corr = [r for r in rows if "ci_low" in r]
    assert set(corr[0]) == {"metric", "component", "dimension", "level", "coefficient", "value", "ci_low",
                            "ci_high", "n"}
    assert len(corr) == 2 * 2 * 3 * 3
    x = np.array([[scores[(i, s)]["rouge1"] for i in IDS] for s in SYSTEMS])
    z = np.array([[judged[(i, s)]["relevance"] for i in IDS] for s in SYSTEMS])
    for r in corr:
        if r["metric"] == "rouge1" and r["dimension"] == "relevance":
            value, n = independent(r["level"], r["coefficient"], x, z)
            assert r["value"] == pytest.approx(value, abs=1e-12) and r["n"] == n
            assert r["ci_low"] <= r["ci_high"]
    tests = [r for r in rows if "p_value" in r]
    assert {r["test"] for r in tests} == {"permutation", "williams"}
    assert all(0 < r["p_value"] <= 1 for r in tests)
    assert main([*args, "--json", str(tmp_path / "again.json")]) == 0
    assert (tmp_path / "again.json").read_text() == (tmp_path / "rows.json").read_text()
    for name in ("correlation.md", "correlation.csv", "correlation.json", "correlation.tex", "plots/heatmap.png",
                 "plots/systems-rouge1.svg"):
        assert (tmp_path / "out" / name).is_file()


def test_two_runs_name_their_columns(tmp_path, capsys):
    judged = human()
    data = write_field_file(tmp_path / "data.jsonl", judged)
    a, b = write_run(tmp_path / "a", run_scores(1), "sig-a"), write_run(tmp_path / "b", run_scores(2), "sig-b")
    assert main(["correlate", str(a), str(b), "--human", str(data), "--bootstrap", "0", "--levels", "system",
                 "--coefficients", "kendall-c", "--no-plots", "--out", str(tmp_path / "o"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "| a/rouge1" in out and "| b/rouge2" in out and "run:sig-a || run:sig-b" in out
    assert main(["correlate", str(a), "--human", str(data), "--bootstrap", "0", "--compare-metrics", "rouge1,rouge2",
                 "--no-plots", "--out", str(tmp_path / "o2"), "--quiet"]) == 0
    assert "note: metric comparisons need resamples (the permutation test): none with --bootstrap 0" in \
        capsys.readouterr().out
    assert main(["correlate", str(a), "--human", str(data), "--compare-metrics", "rouge1,bleu",
                 "--no-plots", "--out", str(tmp_path / "o3"), "--quiet"]) == 2
    assert "--compare-metrics: no metric 'bleu'" in capsys.readouterr().err
