"""Numbers are checked on read (issue 13, item 4 and 9): NaN or infinity in a run or a baseline, rows
missing or doubled against summary.json's counts: exit 2 naming the file and the line; the gate never
passes on NaN."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.cli import main

GOOD = ('{"id": "a", "source": "The cat sat on the mat. It was happy.", "references": ["The cat sat."]}\n'
        '{"id": "b", "source": "Rain fell all day. The river rose.", "references": ["The river rose."]}\n'
        '{"id": "c", "source": "Stocks rallied. Bonds fell.", "references": ["Stocks rallied."]}\n')


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("read-checks")
    data = root / "good.jsonl"
    data.write_text(GOOD)
    run = root / "run"
    assert main(["run", "--data", str(data), "--summarizers", "lead,random", "--out", str(run), "--quiet",
                 "--no-explorer"]) == 0
    baseline = root / "baseline.json"
    assert main(["check", str(run), "--baseline", str(baseline), "--update-baseline"]) == 0
    return run, baseline


def copy_run(made, tmp_path) -> Path:
    run = tmp_path / "copy"
    shutil.copytree(made[0], run)
    return run


def edit_scores(run: Path, edit) -> None:
    path = run / "scores.jsonl"
    path.write_text("".join(edit(path.read_text().splitlines(keepends=True))))


def set_first_f(lines: list[str], value: str) -> list[str]:
    row = json.loads(lines[0])
    lines[0] = json.dumps(row)[:-1].rsplit('"fmeasure": ', 1)[0] + f'"fmeasure": {value}}}\n'
    return lines


COMMANDS = {
    "report": lambda run, made: ["report", str(run), "--no-write"],
    "check": lambda run, made: ["check", str(run), "--baseline", str(made[1])],
    "compare": lambda run, made: ["compare", str(made[0]), str(run)],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("value", ["NaN", "Infinity", "-0.5", "\"x\""])
def test_a_non_finite_score_is_exit_2_naming_file_and_line(made, tmp_path, capsys, command, value):
    run = copy_run(made, tmp_path)
    edit_scores(run, lambda lines: set_first_f(lines, value))
    assert main(COMMANDS[command](run, made)) == 2
    err = capsys.readouterr().err
    assert f"{run / 'scores.jsonl'}:1: fmeasure must be a number between 0 and 1" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_truncated_scores_file_is_exit_2(made, tmp_path, capsys, command):
    run = copy_run(made, tmp_path)
    edit_scores(run, lambda lines: lines[:-1])
    assert main(COMMANDS[command](run, made)) == 2
    assert "the file is truncated, doubled or from another run" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_doubled_scores_file_is_exit_2(made, tmp_path, capsys, command):
    run = copy_run(made, tmp_path)
    edit_scores(run, lambda lines: lines + lines)
    assert main(COMMANDS[command](run, made)) == 2
    assert "is scored twice" in capsys.readouterr().err


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1.5])
def test_a_non_finite_baseline_is_exit_2_and_never_a_pass(made, tmp_path, capsys, value):
    baseline = json.loads(made[1].read_text())
    baseline["fmeasure"]["lead"]["rouge1"][1] = value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(baseline))
    assert main(["check", str(made[0]), "--baseline", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: lead / rouge1: the score of example 'b' (number 2) must be a number between 0 and 1" in err


def test_a_non_finite_mean_in_summary_json_is_exit_2(made, tmp_path, capsys):
    run = copy_run(made, tmp_path)
    summary = json.loads((run / "summary.json").read_text())
    summary["systems"]["lead"]["rouge2"]["fmeasure"] = float("nan")
    (run / "summary.json").write_text(json.dumps(summary))
    assert main(["report", str(run), "--no-write"]) == 2
    assert f"{run / 'summary.json'}: lead / rouge2: fmeasure must be a number" in capsys.readouterr().err
