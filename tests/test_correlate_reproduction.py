"""SacreROUGE's documented correlations for its `fabbri2020` set, reproduced (needs ../shared/data).

SacreROUGE (github.com/danieldeutsch/sacrerouge, doc/metrics/rouge.md) lists
the correlations of ROUGE with SummEval's expert relevance judgments (16
systems x 100 CNN/DM articles, the original CNN/DM reference only): r
(Pearson), p (Spearman), k (Kendall tau-b), two decimals, summary and
system level. Two ways to the same cells:

- `harness score --system-outputs` (rouge-score's ROUGE) + `harness correlate`;
- `harness.rouge155` (ROUGE-1.5.5 with SacreROUGE's options) written as a
  run folder + `harness correlate`.

docs/correlate-reproduction.md lists every cell and explains those that
differ; this test holds the harness to the published values where they are
equal and to its own recorded values where they are not, so any change is seen.
"""
import json

import pytest

from conftest import shared_path
from harness.cli import main

COEFFICIENTS = ("pearson", "spearman", "kendall")
COMPONENTS = ("precision", "recall", "fmeasure")
# (level, ROUGE type) -> ((r, p, k) of P, of R, of F1), as published.
PUBLISHED = {
    ("summary", "rouge1"): ((0.13, 0.12, 0.09), (0.31, 0.28, 0.23), (0.28, 0.26, 0.20)),
    ("summary", "rouge2"): ((0.15, 0.13, 0.09), (0.26, 0.23, 0.18), (0.23, 0.19, 0.14)),
    ("summary", "rougeL"): ((0.10, 0.09, 0.07), (0.27, 0.26, 0.21), (0.21, 0.18, 0.14)),
    ("summary", "rougeSU4"): ((0.13, 0.12, 0.09), (0.26, 0.24, 0.19), (0.23, 0.19, 0.15)),
    ("system", "rouge1"): ((0.29, 0.15, 0.03), (0.55, 0.56, 0.42), (0.61, 0.62, 0.50)),
    ("system", "rouge2"): ((0.49, 0.41, 0.25), (0.65, 0.78, 0.57), (0.64, 0.60, 0.43)),
    ("system", "rougeL"): ((0.28, 0.18, 0.07), (0.70, 0.83, 0.65), (0.61, 0.48, 0.32)),
    ("system", "rougeSU4"): ((0.43, 0.37, 0.18), (0.60, 0.70, 0.52), (0.62, 0.56, 0.38)),
}
# Where the harness's two decimals differ: (level, type, component, coefficient) -> ours.
DIFFERENT_ROUGE_SCORE = {
    ("summary", "rougeL", "fmeasure", "spearman"): 0.19,
    ("system", "rouge1", "precision", "pearson"): 0.30, ("system", "rouge1", "precision", "spearman"): 0.16,
    ("system", "rouge1", "precision", "kendall"): 0.05, ("system", "rouge1", "recall", "pearson"): 0.56,
    ("system", "rouge1", "recall", "spearman"): 0.57, ("system", "rouge1", "recall", "kendall"): 0.43,
    ("system", "rouge1", "fmeasure", "kendall"): 0.48, ("system", "rouge2", "recall", "kendall"): 0.58,
    ("system", "rouge2", "fmeasure", "spearman"): 0.62, ("system", "rougeL", "precision", "pearson"): 0.29,
    ("system", "rougeL", "precision", "spearman"): 0.20, ("system", "rougeL", "precision", "kendall"): 0.08,
    ("system", "rougeL", "recall", "spearman"): 0.85, ("system", "rougeL", "recall", "kendall"): 0.67,
    ("system", "rougeL", "fmeasure", "spearman"): 0.45, ("system", "rougeL", "fmeasure", "kendall"): 0.30,
}
# ROUGE-1.5.5 differs in the same cells, with the same two decimals, and in these of ROUGE-SU4 (rouge-score has none).
DIFFERENT_ROUGE155 = {
    **DIFFERENT_ROUGE_SCORE,
    ("summary", "rougeSU4", "precision", "spearman"): 0.11, ("summary", "rougeSU4", "precision", "kendall"): 0.08,
    ("summary", "rougeSU4", "fmeasure", "kendall"): 0.14, ("system", "rougeSU4", "precision", "pearson"): 0.44,
    ("system", "rougeSU4", "fmeasure", "pearson"): 0.63, ("system", "rougeSU4", "fmeasure", "spearman"): 0.55,
}
SACREROUGE_OPTIONS = "-n 4 -a -c 95 -r 1000 -p 0.5 -t 0 -m -2 4 -u -f A"
ROUGE155_NAMES = {"ROUGE-1": "rouge1", "ROUGE-2": "rouge2", "ROUGE-L": "rougeL", "ROUGE-SU4": "rougeSU4"}


def original_reference_only(path, out):
    """fabbri2020's summaries.jsonl scores against the CNN/DM reference: references[0] of the shared copy."""
    with open(path, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            row = json.loads(line)
            dst.write(json.dumps(dict(row, references=row["references"][:1])) + "\n")
    return out


def correlations(run, human, tmp_path):
    rows = tmp_path / f"{run.name}.rows.json"
    assert main(["correlate", str(run), "--human", str(human), "--components", ",".join(COMPONENTS),
                 "--levels", "summary,system", "--bootstrap", "0", "--no-plots", "--quiet", "--json", str(rows),
                 "--out", str(tmp_path / f"{run.name}-correlation")]) == 0
    return {(r["level"], r["metric"], r["component"], r["coefficient"]): r["value"]
            for r in json.loads(rows.read_text()) if r["dimension"] == "relevance"}


def check(got, different) -> int:
    """Every published cell the run has: equal at two decimals, or the recorded differing value. Equal cells."""
    equal = 0
    for (level, rouge_type), by_component in PUBLISHED.items():
        if (level, rouge_type, "fmeasure", "pearson") not in got:
            continue
        for component, values in zip(COMPONENTS, by_component):
            for coef, published in zip(COEFFICIENTS, values):
                key = (level, rouge_type, component, coef)
                ours = round(got[key], 2)
                assert ours == different.get(key, published), (key, got[key], published)
                equal += ours == published
    return equal


@pytest.mark.slow
def test_fabbri2020_with_rouge_score_rouge(tmp_path):
    human = shared_path("summeval", "summeval100.jsonl")
    data = original_reference_only(human, tmp_path / "summeval-ref0.jsonl")
    run = tmp_path / "run"
    assert main(["score", "--data", str(data), "--system-outputs", "system_outputs", "--rouge-types",
                 "rouge1,rouge2,rougeL", "--bootstrap", "0", "--baseline-system", "M0", "--executor", "serial",
                 "--no-explorer", "--quiet", "--out", str(run)]) == 0
    assert check(correlations(run, human, tmp_path), DIFFERENT_ROUGE_SCORE) == 54 - 17


@pytest.mark.slow
def test_fabbri2020_with_rouge155(tmp_path):
    from harness.rouge155 import Rouge155

    human = shared_path("summeval", "summeval100.jsonl")
    # The empty exception database (`none`) and each summary as one unit: see docs/correlate-reproduction.md.
    rouge = Rouge155(SACREROUGE_OPTIONS, exceptions="none")
    rows = []
    for line in human.read_text(encoding="utf-8").splitlines():
        ex = json.loads(line)
        for system, summary in ex["system_outputs"].items():
            scores = rouge.score([summary], [[ex["references"][0]]])
            rows += [{"id": ex["id"], "system": system, "rouge_type": name, "precision": scores[measure].precision,
                      "recall": scores[measure].recall, "fmeasure": scores[measure].f}
                     for measure, name in ROUGE155_NAMES.items()]
    run = tmp_path / "rouge155"
    run.mkdir()
    (run / "scores.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (run / "summary.json").write_text(json.dumps({"signature": f"rouge155:{SACREROUGE_OPTIONS}|exceptions:none",
                                                  "systems": {}, "config": {}}))
    assert check(correlations(run, human, tmp_path), DIFFERENT_ROUGE155) == 72 - 23
