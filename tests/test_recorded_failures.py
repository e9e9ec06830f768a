"""`compare` and `check` on a run kept with `--on-error record`: the failed examples are left out and counted."""
import json

import pytest

from _runs import lead_failing_on_q2, make_run
from harness.cli import main


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    d = tmp_path_factory.mktemp("failures")
    return {
        "base": make_run(d / "base", {"lead": "lead", "random": "random"}, full=False),
        "failed": make_run(d / "failed", {"lead": lead_failing_on_q2, "random": "random"}, full=False,
                           on_error="record"),
    }


def test_the_run_records_one_failure(runs):
    rows = [json.loads(line) for line in (runs["failed"] / "scores.jsonl").read_text().splitlines()]
    failed = [r for r in rows if r["fmeasure"] is None]
    assert len(failed) == 4 and {r["id"][-3:] for r in failed} == {":q2"} and all(r["error"] for r in failed)


def test_compare_leaves_the_failed_examples_out(runs, capsys):
    assert main(["compare", str(runs["base"]), str(runs["failed"]), "--format", "json", "--bootstrap", "200"]) == 0
    out = json.loads(capsys.readouterr().out)
    n_shared = out["n_shared"]
    lead = [d for d in out["differences"] if d["system"] == "lead"]
    assert lead and all(d["n"] == n_shared - 1 for d in lead)  # the failed example is not paired
    assert all(d["n"] == n_shared for d in out["differences"] if d["system"] == "random")
    assert any("1 failed (example, system) pair(s) in B (lead: 1)" in n for n in out["notes"])
    # lead is otherwise the same: no difference on the examples both scored
    assert all(d["delta"] == 0 for d in lead)


def test_check_leaves_the_failed_examples_out(runs, tmp_path, capsys):
    baseline = tmp_path / "baseline.json"
    assert main(["check", str(runs["base"]), "--baseline", str(baseline), "--update-baseline"]) == 0
    capsys.readouterr()
    assert main(["check", str(runs["failed"]), "--baseline", str(baseline), "--bootstrap", "200"]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "1 failed (example, system) pair(s) in the run (lead: 1)" in out


def test_a_baseline_cannot_be_made_from_a_run_with_failures(runs, tmp_path, capsys):
    assert main(["check", str(runs["failed"]), "--baseline", str(tmp_path / "b.json"), "--update-baseline"]) == 2
    assert "a baseline needs every example" in capsys.readouterr().err
