"""The real sets in ../shared/data load, and their systems' outputs given as --predictions score
exactly as rouge-score computes them directly (skipped when ../shared is absent).

Each set is loaded whole; to keep the suite fast, scores are checked for a
slice of each system's outputs (the rest are missing, which --allow-missing
allows and counts). benchmarks/real_sets.py checks every system on every example.
"""
import json

from rouge_score import rouge_scorer

from conftest import shared_path
from harness.cli import main
from harness.loaders import load
from harness.sentences import split_sentences

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


def read_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(l) for l in fh if l.strip()]


def score_and_compare(tmp_path, data, rows, outputs, extra=(), text_system=None):
    """Write each system's outputs as a predictions file, run `harness score`, compare every score."""
    argv = ["score", "--data", str(data), *extra, "--out", str(tmp_path / "run")]
    for system, by_id in outputs.items():
        p = tmp_path / f"{system.replace('/', '_')}.jsonl"
        p.write_text("".join(json.dumps({"id": i, "summary": s}) + "\n" for i, s in by_id.items()), encoding="utf-8")
        argv += ["--predictions", f"{system}={p}"]
    if text_system:
        p = tmp_path / "system.txt"
        p.write_text("".join(outputs[text_system][r["id"]].replace("\n", "<n>") + "\n" for r in rows), encoding="utf-8")
        argv += ["--predictions", f"{text_system}(txt)={p}"]
    assert main(argv) == 0
    scored = read_jsonl(tmp_path / "run" / "scores.jsonl")
    by_id = {r["id"]: r for r in rows}
    scorer = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    prep = lambda t: "\n".join(split_sentences(t))
    want = {}
    for system, preds in outputs.items():
        for id_, text in preds.items():
            want[id_, system] = scorer.score_multi([prep(r) for r in by_id[id_]["references"]], prep(text))
    n = sum(len(p) for p in outputs.values()) + (len(rows) if text_system else 0)
    assert len(scored) == n * len(TYPES)
    for r in scored:
        w = want[r["id"], r["system"].removesuffix("(txt)")][r["rouge_type"]]
        assert (r["precision"], r["recall"], r["fmeasure"]) == (w.precision, w.recall, w.fmeasure), r
    return json.loads((tmp_path / "run" / "summary.json").read_text())


def test_dialogsum_three_references(tmp_path):
    data = shared_path("dialogsum", "test.jsonl")
    corpus = load(str(data))
    assert len(corpus) == 500 and all(len(e.references) == 3 for e in corpus)
    rows = read_jsonl(data)
    outputs = {"bart": {r["id"]: r["system_outputs"]["bart_large_baseline"] for r in rows[:150]}}
    summary = score_and_compare(tmp_path, data, rows, outputs, extra=["--allow-missing"])
    assert summary["systems"]["bart"]["rouge1"]["n"] == 150


def test_summeval_eleven_references(tmp_path, capsys):
    data = shared_path("summeval", "summeval100.jsonl")
    corpus = load(str(data))
    assert len(corpus) == 100 and all(len(e.references) == 11 for e in corpus)
    rows = read_jsonl(data)
    # Two systems on the first 12 articles: the other 88 are missing, allowed and counted.
    outputs = {s: {r["id"]: r["system_outputs"][s] for r in rows[:12]} for s in ("M11", "M23")}
    summary = score_and_compare(tmp_path, data, rows, outputs, extra=["--allow-missing"])
    assert summary["systems"]["M11"]["rouge1"]["n"] == 12
    assert sum("88 of 100 example(s) have no prediction" in n for n in summary["config"]["notes"]) == 2


def test_realsumm_jsonl_and_text_predictions(tmp_path):
    data = shared_path("realsumm", "realsumm100.jsonl")
    rows = read_jsonl(data)
    assert len(load(str(data))) == 100
    systems = sorted(rows[0]["system_outputs"])[:1]
    outputs = {s: {r["id"]: r["system_outputs"][s] for r in rows} for s in systems}
    summary = score_and_compare(tmp_path, data, rows, outputs, text_system=systems[0])
    assert summary["systems"][systems[0]] == summary["systems"][f"{systems[0]}(txt)"]


def test_qmsum_spans_with_queries(tmp_path):
    data = shared_path("qmsum", "spans.jsonl")
    corpus = load(str(data), question_field="query")
    assert len(corpus) == 481 and all(e.question for e in corpus)
    rows = read_jsonl(data)
    ids = {r["id"] for r in rows}
    hmnet = {h["matched_query_id"]: h["prediction"]
             for h in read_jsonl(shared_path("qmsum", "hmnet_test_outputs.jsonl")) if h.get("matched_query_id") in ids}
    assert len(hmnet) == 237
    hmnet = dict(list(hmnet.items())[:80])
    summary = score_and_compare(tmp_path, data, rows, {"hmnet": hmnet}, extra=["--question-field", "query",
                                                                                "--allow-missing"])
    assert summary["systems"]["hmnet"]["rouge1"]["n"] == 80
    assert any("401 of 481 example(s) have no prediction" in n for n in summary["config"]["notes"])
