"""Outside systems' summaries (--predictions), scored like built-in summarizers and equal to rouge-score."""
import json

from rouge_score import rouge_scorer

import harness
from harness.cli import main
from harness.loaders.predictions import Predictions, load_predictions, parse_prediction_arg
from harness.sentences import split_sentences
from harness.summarizers import Summarizer

ROWS = [
    {"id": "n1", "source": "The council approved the new park. Work begins in May. It will cost two million.",
     "references": ["The council approved a park costing two million.", "A new park was approved."]},
    {"id": "n2", "source": "Heavy rain flooded the valley. Roads were closed. Schools stayed shut on Monday.",
     "references": ["Rain flooded the valley and closed roads and schools."]},
    {"id": "n3", "source": "The team won the final. Fans celebrated downtown. The coach praised the players.",
     "references": ["The team won the final and fans celebrated."]},
]
SUMMARIES = {"n1": "The council approved the new park.\nWork begins in May.",
             "n2": "Heavy rain flooded the valley.",
             "n3": ""}  # an empty summary is legal


def write(tmp_path, rows, name="data.jsonl"):
    p = tmp_path / name
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return p


def direct(refs, summary):
    """rouge-score itself, on texts split into sentences the way the default config does for rougeLsum."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    prep = lambda t: "\n".join(split_sentences(t))
    return scorer.score_multi([prep(r) for r in refs], prep(summary))


def test_parse_prediction_arg():
    assert parse_prediction_arg("bart=out/bart.jsonl") == ("bart", __import__("pathlib").Path("out/bart.jsonl"))
    assert parse_prediction_arg("out/pegasus.txt")[0] == "pegasus"


def test_score_jsonl_predictions_equals_rouge_score(tmp_path, capsys):
    data = write(tmp_path, ROWS)
    preds = write(tmp_path, [{"id": k, "summary": v} for k, v in SUMMARIES.items()], "mine.jsonl")
    out = tmp_path / "run"
    assert main(["score", "--data", str(data), "--predictions", f"mine={preds}", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| mine" in printed
    assert "note: system 'mine': 1 of 3 summaries are empty (scored 0)" in printed
    rows = [json.loads(l) for l in (out / "scores.jsonl").read_text().splitlines()]
    assert {r["system"] for r in rows} == {"mine"}  # no built-in summarizer ran
    for r in rows:
        ex = next(x for x in ROWS if x["id"] == r["id"])
        want = direct(ex["references"], SUMMARIES[r["id"]])[r["rouge_type"]]
        assert (r["precision"], r["recall"], r["fmeasure"]) == (want.precision, want.recall, want.fmeasure)
    assert [r["fmeasure"] for r in rows if r["id"] == "n3"] == [0.0] * 4
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["predictions"] == {"mine": str(preds)}
    assert summary["systems"]["mine"]["rouge1"]["n"] == 3  # the empty summary is counted
    assert any("empty (scored 0)" in n for n in summary["config"]["notes"])
    written = [json.loads(l) for l in (out / "summaries.jsonl").read_text().splitlines()]
    assert {w["id"]: w["summary"] for w in written} == SUMMARIES


def test_text_predictions_in_data_order_with_sentence_markers(tmp_path, capsys):
    data = write(tmp_path, ROWS)
    txt = tmp_path / "pegasus.txt"
    txt.write_text("\n".join(SUMMARIES[r["id"]].replace("\n", "<n>") for r in ROWS) + "\n", encoding="utf-8")
    jl = write(tmp_path, [{"id": k, "summary": v} for k, v in SUMMARIES.items()], "mine.jsonl")
    out = tmp_path / "run"
    assert main(["score", "--data", str(data), "--predictions", f"txt={txt}", "--predictions", f"jl={jl}",
                 "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["systems"]["txt"] == summary["systems"]["jl"]


def test_configurable_prediction_fields_and_sentence_lists(tmp_path, capsys):
    data = write(tmp_path, ROWS)
    preds = write(tmp_path, [{"doc": k, "output": v.split("\n") if v else []} for k, v in SUMMARIES.items()], "p.jsonl")
    out = tmp_path / "run"
    assert main(["score", "--data", str(data), "--predictions", f"p={preds}", "--prediction-id-field", "doc",
                 "--prediction-summary-field", "output", "--out", str(out)]) == 0
    written = {json.loads(l)["id"]: json.loads(l)["summary"] for l in (out / "summaries.jsonl").read_text().splitlines()}
    assert written == SUMMARIES


def test_run_scores_predictions_alongside_builtins(tmp_path, capsys):
    data = write(tmp_path, ROWS)
    preds = write(tmp_path, [{"id": k, "summary": v} for k, v in SUMMARIES.items()], "mine.jsonl")
    out = tmp_path / "run"
    assert main(["run", "--data", str(data), "--summarizers", "lead:k=1", "--predictions", f"mine={preds}",
                 "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["systems"]) == {"lead:k=1", "mine"}
    assert summary["config"]["summarizers"] == ["lead:k=1"]


def test_predictions_are_a_summarizer_in_the_api(tmp_path):
    corpus = harness.load(str(write(tmp_path, ROWS)))
    systems, notes = load_predictions([f"mine={write(tmp_path, [{'id': k, 'summary': v} for k, v in SUMMARIES.items()], 'm.jsonl')}"],
                                      corpus)
    assert notes == [] and isinstance(systems[0], Summarizer)
    summaries = harness.summarize(corpus, ["lead:k=1", systems[0]])
    assert summaries["mine"]["n1"] == ["The council approved the new park.", "Work begins in May."]
    assert summaries["mine"]["n3"] == []
    result = harness.score(corpus, summaries)
    assert result.summary()["systems"]["mine"]["rouge1"]["n"] == 3
    p = Predictions("partial", {"n1": ["x"]})
    assert p.covers(corpus["n1"]) and not p.covers(corpus["n2"])
    assert list(harness.summarize(corpus, [p])["partial"]) == ["n1"]


def test_text_predictions_stay_aligned_when_examples_are_left_out(tmp_path, capsys):
    rows = [dict(ROWS[0]), dict(ROWS[1], references=[]), dict(ROWS[2])]
    data = write(tmp_path, rows)
    txt = tmp_path / "sys.txt"
    txt.write_text("The council approved the new park.\nRain.\nThe team won the final.\n", encoding="utf-8")
    out = tmp_path / "run"
    assert main(["score", "--data", str(data), "--predictions", f"s={txt}", "--allow-missing",
                 "--out", str(out)]) == 0
    written = {json.loads(l)["id"]: json.loads(l)["summary"] for l in (out / "summaries.jsonl").read_text().splitlines()}
    assert written == {"n1": "The council approved the new park.", "n3": "The team won the final."}
