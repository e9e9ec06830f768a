"""`harness run` end to end: the run folder parses, agrees with itself and with rouge-score."""
import json

import numpy as np
import pytest
from rouge_score import rouge_scorer

import harness
from harness.cli import main
from harness.scoring.signature import parse_signature
from harness.sentences import split_sentences

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", "--summarizers", "lead,random", "--out", str(out)]) == 0
    return out


def _jsonl(path):
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]


def test_run_folder_files(run_dir):
    for name in ("summaries.jsonl", "scores.jsonl", "summary.json", "table.md"):
        assert (run_dir / name).is_file()
    assert not list(run_dir.glob(".*.tmp"))


def test_summaries_cover_every_example_and_system(run_dir, interview):
    rows = _jsonl(run_dir / "summaries.jsonl")
    assert {(r["id"], r["system"]) for r in rows} == {(i, s) for i in interview.ids for s in ("lead", "random")}
    assert len(rows) == 12
    for r in rows:
        assert set(r) == {"id", "system", "summary"}
        sents = r["summary"].split("\n")
        assert len(sents) == 3 and all(s in interview[r["id"]].sentences for s in sents)
        if r["system"] == "lead":
            assert sents == list(interview[r["id"]].sentences[:3])


def test_every_score_equals_rouge_score_directly(run_dir, interview):
    summaries = {(r["id"], r["system"]): r["summary"] for r in _jsonl(run_dir / "summaries.jsonl")}
    scorer = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    expected = {}
    for (ex_id, system), summary in summaries.items():
        refs = ["\n".join(split_sentences(r.text)) for r in interview[ex_id].references]
        expected[(ex_id, system)] = scorer.score_multi(refs, summary)
    rows = _jsonl(run_dir / "scores.jsonl")
    assert len(rows) == 6 * 2 * 4
    for r in rows:
        e = expected[(r["id"], r["system"])][r["rouge_type"]]
        assert (r["precision"], r["recall"], r["fmeasure"]) == (e.precision, e.recall, e.fmeasure), r


def test_summary_agrees_with_scores(run_dir):
    summary = json.loads((run_dir / "summary.json").read_text())
    rows = _jsonl(run_dir / "scores.jsonl")
    assert set(summary["systems"]) == {"lead", "random"}
    for system, by_type in summary["systems"].items():
        assert list(by_type) == TYPES
        for t, agg in by_type.items():
            mine = [r for r in rows if r["system"] == system and r["rouge_type"] == t]
            assert agg["n"] == len(mine) == 6
            for k in ("precision", "recall", "fmeasure"):
                assert agg[k] == pytest.approx(np.mean([r[k] for r in mine]), abs=1e-15)
    table = (run_dir / "table.md").read_text()
    assert summary["signature"] in table
    lead_f1 = f"{100 * summary['systems']['lead']['rouge1']['fmeasure']:.2f}"
    assert lead_f1 in table


def test_signature_records_every_choice(run_dir):
    summary = json.loads((run_dir / "summary.json").read_text())
    sig = parse_signature(summary["signature"])
    assert sig["types"] == "+".join(TYPES)
    assert sig["stem"] == "porter" and sig["tok"] == "rouge-score" and sig["lsum"] == "nupunkt"
    assert sig["multiref"] == "max" and sig["rouge-score"] == "0.1.2" and sig["harness"]
    assert summary["config"]["use_stemmer"] is True


def test_no_stemmer_changes_signature_and_numbers(interview):
    s = harness.summarize(interview, ["lead"])
    a, b = harness.score(interview, s), harness.score(interview, s, use_stemmer=False)
    assert a.signature != b.signature and "stem:none" in b.signature
    assert a.rows != b.rows


def test_random_is_seeded_and_repeatable(interview):
    a = harness.summarize(interview, ["random", "random:seed=1"])
    b = harness.summarize(interview, ["random"])
    assert a["random"] == b["random"]
    assert a["random"] != a["random:seed=1"]


def test_python_api_mirrors_cli(interview, tmp_path):
    result = harness.run(interview, ["lead:k=2"], out=tmp_path)
    assert "lead:k=2" in result.table()
    assert json.loads((tmp_path / "summary.json").read_text())["systems"]["lead:k=2"]["rouge1"]["n"] == 6


@pytest.mark.slow
def test_module_entry_point(tmp_path):
    import subprocess, sys

    p = subprocess.run([sys.executable, "-m", "harness", "run", "--out", str(tmp_path)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "| lead" in p.stdout


def test_bad_summarizer_option_is_an_error(capsys, tmp_path):
    assert main(["run", "--summarizers", "lead:bogus=1", "--out", str(tmp_path)]) == 2
    assert "no option 'bogus'" in capsys.readouterr().err


@pytest.mark.slow
def test_default_run_shows_every_builtin(tmp_path):
    from harness.summarizers import builtins

    assert main(["run", "--quiet", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert list(summary["systems"]) == list(builtins())
    assert summary["config"]["upper_bound"] == ["oracle"]


def test_default_run_leaves_out_question_methods_without_questions(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": "a", "source": "One thing. Another thing. A third.", "references": ["One."]}) + "\n")
    assert main(["run", "--quiet", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    systems = json.loads((tmp_path / "out" / "summary.json").read_text())["systems"]
    assert "qlexrank" not in systems and "lead" in systems and "oracle" in systems


def test_default_run_folders_of_same_named_files_do_not_collide(tmp_path, monkeypatch):
    from _helpers import write_jsonl

    for folder in ("setA", "setB"):
        (tmp_path / folder).mkdir()
        write_jsonl(tmp_path / folder / "test.jsonl", 4, seed=len(folder))
    monkeypatch.chdir(tmp_path)
    for folder in ("setA", "setB"):
        assert main(["run", "--data", f"{folder}/test.jsonl", "--summarizers", "lead", "--quiet", "--no-cache"]) == 0
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["setA-test", "setB-test"]
