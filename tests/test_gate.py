"""`harness check`: the regression gate fails on real drops, passes on noise, refuses what it cannot compare."""
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import harness
from _runs import make_run, nudged_lead, one_example_worse, worse_lead
from harness import gate
from harness.cli import main

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "results" / "interview.baseline.json"
TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    d = tmp_path_factory.mktemp("gate")
    corpus = harness.load("interview")
    base = {"lead": "lead", "random": "random"}
    return {
        "base": make_run(d / "base", base, full=False),
        "worse": make_run(d / "worse", {**base, "lead": worse_lead}, full=False),
        "nudged": make_run(d / "nudged", {**base, "lead": nudged_lead}, full=False),
        "one": make_run(d / "one", {**base, "lead": one_example_worse}, full=False),
        "reseeded": make_run(d / "reseeded", {**base, "random": "random:seed=3"}, full=False),
        "extra": make_run(d / "extra", {**base, "lead:k=2": "lead:k=2"}, full=False),
        "nostem": make_run(d / "nostem", base, full=False, use_stemmer=False),
        "subset": make_run(d / "subset", base, full=False,
                           corpus=harness.Corpus("first5", corpus.examples[:5], origin="first five")),
        "leadonly": make_run(d / "leadonly", {"lead": "lead"}, full=False),
    }


@pytest.fixture(scope="module")
def baseline(runs, tmp_path_factory):
    path = tmp_path_factory.mktemp("baseline") / "baseline.json"
    assert main(["check", str(runs["base"]), "--baseline", str(path), "--update-baseline"]) == 0
    return path


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def check(run, baseline, *extra):
    return main(["check", str(run), "--baseline", str(baseline), *extra])


def test_baseline_file_is_small_and_complete(runs, baseline):
    data = json.loads(baseline.read_text())
    assert data["format"] == "harness-baseline/1" and len(data["ids"]) == 6
    assert set(data["fmeasure"]) == {"lead", "random"} and list(data["fmeasure"]["lead"]) == TYPES
    rows = [json.loads(l) for l in (runs["base"] / "scores.jsonl").read_text().splitlines()]
    f = {(r["id"], r["system"], r["rouge_type"]): r["fmeasure"] for r in rows}
    for s, by_type in data["fmeasure"].items():
        for t, values in by_type.items():
            assert values == [f[(i, s, t)] for i in data["ids"]]  # exact floats
    assert baseline.stat().st_size < 5000
    assert data["signature"] == json.loads((runs["base"] / "summary.json").read_text())["signature"]


def test_same_run_passes(runs, baseline, capsys):
    assert check(runs["base"], baseline) == 0
    out = capsys.readouterr().out
    assert out.count("unchanged") == 8 and "PASS" in out


def test_worse_summarizer_fails_naming_system_and_metric(runs, baseline, capsys):
    assert check(runs["worse"], baseline) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    for t in TYPES:
        assert f"lead {t} F:" in out  # the verdict names the system and the metric
    rows = [l for l in out.splitlines() if l.startswith("| lead")]
    assert len(rows) == 4 and all("REGRESSION" in r for r in rows)
    assert not any("REGRESSION" in l for l in out.splitlines() if l.startswith("| random"))


def test_noise_level_changes_pass(runs, baseline, capsys):
    # within the tolerance
    assert check(runs["nudged"], baseline) == 0
    out = capsys.readouterr().out
    assert "REGRESSION" not in out and "| lead     | rouge1    " in out
    # a reseeded random summarizer: drops of several points that no paired test calls significant
    assert check(runs["reseeded"], baseline) == 0
    out = capsys.readouterr().out
    assert "drop, not significant" in out and "PASS" in out


def test_drop_on_one_example_passes_unless_significance_is_off(runs, baseline, capsys):
    assert check(runs["one"], baseline) == 0
    assert "drop, not significant" in capsys.readouterr().out
    assert check(runs["one"], baseline, "--no-significance") == 1
    out = capsys.readouterr().out
    assert "lead rouge1 F:" in out and "--no-significance" in out


def test_tolerance_per_metric(runs, baseline, capsys):
    assert check(runs["worse"], baseline, "--tolerance", "30") == 0
    capsys.readouterr()
    assert check(runs["worse"], baseline, "--tolerance", "30,rouge2=1") == 1
    out = capsys.readouterr().out
    assert "lead rouge2 F:" in out and "lead rouge1 F:" not in out
    assert check(runs["worse"], baseline, "--tolerance", "rouge9=1") == 2
    assert "not a ROUGE type" in capsys.readouterr().err


def test_alpha_is_configurable(runs, baseline, capsys):
    # six examples all worse: approximate randomization gives p of about 2/64 = 0.03
    assert check(runs["worse"], baseline, "--alpha", "0.01") == 0
    assert "drop, not significant" in capsys.readouterr().out


def test_signature_mismatch_exits_2_naming_the_settings(runs, baseline, capsys):
    assert check(runs["nostem"], baseline) == 2
    err = capsys.readouterr().err
    assert "scored differently" in err and "stem: porter in the baseline, none in the run" in err


def test_different_examples_exit_2(runs, baseline, capsys):
    assert check(runs["subset"], baseline) == 2
    err = capsys.readouterr().err
    assert "different examples" in err and "lavrov-2018-12-24:q6" in err


def test_missing_baseline_and_missing_system_exit_2(runs, baseline, tmp_path, capsys):
    assert check(runs["base"], tmp_path / "nope.json") == 2
    assert "no such baseline file" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    assert check(runs["base"], tmp_path / "bad.json") == 2
    assert "not a harness baseline" in capsys.readouterr().err
    assert check(runs["leadonly"], baseline) == 2
    assert "random / rouge1" in capsys.readouterr().err


def test_new_system_is_reported_not_failed(runs, baseline, capsys):
    assert check(runs["extra"], baseline) == 0
    assert "new (not in baseline)" in capsys.readouterr().out


def test_step_summary_is_appended(runs, baseline, tmp_path, monkeypatch, capsys):
    summary = tmp_path / "step_summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert check(runs["worse"], baseline) == 1
    assert check(runs["nostem"], baseline) == 2
    text = summary.read_text()
    assert text.startswith("# earlier step\n")  # appended, not replaced
    assert "## harness check: FAIL" in text and "| lead     | rouge1" in text and "REGRESSION" in text
    assert "## harness check: ERROR" in text and "stem: porter in the baseline" in text


def test_junit_report(runs, baseline, tmp_path, capsys):
    path = tmp_path / "junit.xml"
    assert check(runs["worse"], baseline, "--junit", str(path)) == 1
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites" and root.get("failures") == "4"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 8
    assert {(c.get("classname"), c.get("name")) for c in cases} == \
        {(f"harness.{s}", f"{t} F") for s in ("lead", "random") for t in TYPES}
    failed = [c for c in cases if c.find("failure") is not None]
    assert {c.get("classname") for c in failed} == {"harness.lead"}
    assert "lead rouge1 F dropped" in next(c for c in failed if c.get("name") == "rouge1 F").find("failure").get("message")
    assert check(runs["nostem"], baseline, "--junit", str(path)) == 2
    error = ET.parse(path).getroot().find("./testsuite/testcase/error")
    assert error is not None and "stem" in error.get("message")


def test_update_baseline_then_pass(runs, tmp_path, capsys):
    path = tmp_path / "results" / "b.json.gz"
    assert check(runs["worse"], path, "--update-baseline") == 0
    assert "wrote baseline" in capsys.readouterr().out
    assert check(runs["worse"], path) == 0
    assert check(runs["base"], path) == 0  # lead got better than the new baseline: improved, not failed
    assert "improved" in capsys.readouterr().out


def test_committed_baseline_gate(tmp_path, capsys):
    """What CI runs: `harness run` on the bundled corpus, then `harness check` against results/.

    When the scores or the signature change on purpose (a new scoring engine,
    a new harness version), regenerate the baseline with `make baseline`.
    """
    recorded = gate.read_baseline(COMMITTED)
    run_dir = tmp_path / "run"
    assert main(["run", "--summarizers", ",".join(recorded["summarizers"]), "--out", str(run_dir), "--quiet"]) == 0
    capsys.readouterr()
    junit = tmp_path / "junit.xml"
    code = main(["check", str(run_dir), "--baseline", str(COMMITTED), "--junit", str(junit)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err + "\n(regenerate with `make baseline` if the change is intended)"
    assert ET.parse(junit).getroot().get("failures") == "0"
