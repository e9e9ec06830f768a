"""A summarizer that raises on some examples: the rest of the work is done, nothing is dropped silently."""
import json

import numpy as np
import pytest

import harness
from harness.cli import main
from harness.data import Example, Reference
from harness.errors import DataError
from harness.executors import ProcessExecutor
from harness.runner import PARTS, REPORT_LINES, RunFailed
from harness.summarizers import registry

from _helpers import Boom, ReturnsText, files, synthetic

BAD = ("ex0000003", "ex0000017")


def _jsonl(path):
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("executor", ["serial", "process"])
def test_default_finishes_the_other_work_then_fails_with_every_failure(executor, tmp_path):
    corpus = synthetic(24)
    ex = ProcessExecutor(2) if executor == "process" else "serial"
    with pytest.raises(RunFailed) as info:
        harness.run(corpus, ["lead", Boom(bad=BAD)], out=tmp_path, executor=ex, batch_size=5)
    err = info.value
    assert err.count == 2 and err.exit_code == 1
    for bad in BAD:
        assert f"  {bad}  boom  [summarize] ValueError: cannot summarize {bad}" in str(err)
    failures = _jsonl(tmp_path / "failures.jsonl")
    assert [(f["id"], f["system"], f["stage"]) for f in failures] == [(b, "boom", "summarize") for b in BAD]
    assert all("Traceback" in f["traceback"] and "raise ValueError" in f["traceback"] for f in failures)
    # every batch was done and is kept for a resume; no partial run folder was written
    assert len(list((tmp_path / PARTS).glob("*.batch.json"))) == 3  # the batches without failures
    assert len(list((tmp_path / PARTS).glob("*.failed.json"))) == 2
    assert not (tmp_path / "scores.jsonl").exists() and not (tmp_path / "table.md").exists()


def test_cli_reports_failures_and_resumes_after_the_fix(tmp_path, capsys, monkeypatch):
    class Flaky(Boom):
        name = "flaky"
        calls = []

        def summarize(self, example):
            Flaky.calls.append(example.id)
            if example.id.endswith("q2"):
                raise RuntimeError("model server timed out")
            return super().summarize(example)

    monkeypatch.setitem(registry.BUILTINS, "flaky", Flaky)
    argv = ["run", "--out", str(tmp_path), "--summarizers", "lead,flaky", "--executor", "serial", "--batch-size", "2"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "1 (example, system) pair(s) failed" in err
    assert "lavrov-2018-12-24:q2  flaky  [summarize] RuntimeError: model server timed out" in err
    assert "run the same command to resume" in err

    class Fixed(Flaky):
        def summarize(self, example):
            Flaky.calls.append(example.id)
            return list(example.sentences[:3])

    monkeypatch.setitem(registry.BUILTINS, "flaky", Fixed)  # same spec, fixed code
    Flaky.calls.clear()
    assert main(argv) == 0
    assert "resuming: 2 finished batch(es)" in capsys.readouterr().err
    assert Flaky.calls == ["lavrov-2018-12-24:q1", "lavrov-2018-12-24:q2"]  # only the failed batch ran again
    assert not (tmp_path / "failures.jsonl").exists()
    assert main(["run", "--out", str(tmp_path / "ref"), "--summarizers", "lead,lead", "--executor", "serial"]) == 2


def test_record_keeps_failed_rows_and_counts_them(tmp_path, capsys):
    corpus = synthetic(24)
    result = harness.run(corpus, ["lead", Boom(bad=BAD)], out=tmp_path, executor="serial", batch_size=5,
                         on_error="record")
    summaries = _jsonl(tmp_path / "summaries.jsonl")
    assert len(summaries) == 48
    failed = [r for r in summaries if r["summary"] is None]
    assert [(r["id"], r["system"]) for r in failed] == [(b, "boom") for b in BAD]
    assert failed[0]["error"] == f"ValueError: cannot summarize {BAD[0]}"
    scores = _jsonl(tmp_path / "scores.jsonl")
    assert len(scores) == 24 * 2 * 4
    nulls = [r for r in scores if r["fmeasure"] is None]
    assert len(nulls) == 2 * 4 and all(r["system"] == "boom" and r["error"] for r in nulls)

    summary = json.loads((tmp_path / "summary.json").read_text())
    boom, lead = summary["systems"]["boom"]["rouge1"], summary["systems"]["lead"]["rouge1"]
    assert (boom["n"], boom["failed"], lead["n"], lead["failed"]) == (22, 2, 24, 0)
    ok = [r["fmeasure"] for r in scores if r["system"] == "boom" and r["rouge_type"] == "rouge1" and r["fmeasure"] is not None]
    assert boom["fmeasure"] == pytest.approx(np.mean(ok), abs=1e-15)
    assert "p_bootstrap" in boom and boom["p_bootstrap"] == 1.0  # boom is lead on the 22 examples both have
    table = (tmp_path / "table.md").read_text()
    cells = [[c.strip() for c in line.split("|")[1:-1]] for line in table.splitlines()[:4]]
    assert cells[0] == ["system", "n", "failed", "rouge1 F", "rouge2 F", "rougeL F", "rougeLsum F"]
    assert [row[:3] for row in cells[2:]] == [["lead (baseline)", "24", "0"], ["boom", "22", "2"]]
    assert len(_jsonl(tmp_path / "failures.jsonl")) == 2
    assert not (tmp_path / PARTS).exists()
    assert result.summaries["boom"][BAD[0]] is None


def test_record_on_the_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(registry.BUILTINS, "text", ReturnsText)
    assert main(["run", "--out", str(tmp_path), "--summarizers", "lead,text", "--on-error", "record"]) == 0
    out = capsys.readouterr().out
    assert "failed" in out.splitlines()[0]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["systems"]["text"]["rouge1"]["failed"] == 6 and summary["systems"]["text"]["rouge1"]["n"] == 0
    f = _jsonl(tmp_path / "failures.jsonl")[0]
    assert f["error"].startswith("TypeError: a summarizer must return a list of sentences (str), not str")


def test_a_scoring_failure_is_a_failure_of_that_example(tmp_path, monkeypatch):
    from harness.scoring import Scorer

    corpus = synthetic(6)
    corpus[2] = Example("no-refs", "One sentence. Another one.", ["A reference."])
    # An example the scorer fails on (the run refuses examples without references before any work).
    score_example = Scorer.score_example

    def fails_on_no_refs(self, example, summaries):
        if example.id == "no-refs":
            raise ValueError("cannot score")
        return score_example(self, example, summaries)

    monkeypatch.setattr(Scorer, "score_example", fails_on_no_refs)
    with pytest.raises(RunFailed) as info:
        harness.run(corpus, ["lead", "random"], out=tmp_path, executor="serial")
    assert info.value.count == 2
    assert {(f["id"], f["system"], f["stage"]) for f in info.value.failures} == {
        ("no-refs", "lead", "score"), ("no-refs", "random", "score")}


def test_every_failure_is_in_the_report(tmp_path):
    corpus = synthetic(3 * REPORT_LINES)
    bad = tuple(ex.id for ex in corpus[::2])
    with pytest.raises(RunFailed) as info:
        harness.run(corpus, [Boom(bad=bad)], harness.ScoreConfig(rouge_types=("rouge1",)), out=tmp_path,
                    executor="serial", batch_size=50)
    message = str(info.value)
    assert f"{len(bad)} (example, system) pair(s) failed" in message
    assert f"... and {len(bad) - REPORT_LINES} more" in message
    assert [f["id"] for f in _jsonl(tmp_path / "failures.jsonl")] == list(bad)


def test_duplicate_ids_in_a_stream_are_an_error(tmp_path):
    corpus = synthetic(12)
    corpus[9] = Example(corpus[2].id, "A different source. With two sentences.", [Reference("A reference.")])
    with pytest.raises(DataError, match=r"duplicate example id\(s\): 'ex0000002' \(2 times\)"):
        harness.run(iter(corpus), ["lead"], out=tmp_path, executor="serial", batch_size=4)
    with pytest.raises(DataError, match="ex0000002"):
        harness.run(iter(corpus[:4] + corpus[2:3]), ["lead"], out=tmp_path / "b", executor="serial", batch_size=8)


def test_not_an_example_is_an_error(tmp_path):
    with pytest.raises(DataError, match="expected harness.data.Example objects, got dict"):
        harness.run([{"id": "1", "source": "x"}], ["lead"], out=tmp_path, executor="serial")


def test_a_summarizer_defined_in_a_notebook_runs_on_processes(tmp_path):
    """Workers are forked, so a class defined anywhere (a cell, a function) needs no import path."""
    class Local(Boom):
        name = "local"

    corpus = synthetic(12)
    harness.run(corpus, [Local(bad=BAD[:1])], out=tmp_path / "p", executor=ProcessExecutor(2), batch_size=3,
                on_error="record")
    harness.run(corpus, [Local(bad=BAD[:1])], out=tmp_path / "s", executor="serial", batch_size=3,
                on_error="record")
    assert files(tmp_path / "p") == files(tmp_path / "s")
