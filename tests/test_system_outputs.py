"""`harness score --system-outputs FIELD`: several systems' outputs held in the data file, scored in one run."""
import json

import pytest

from harness.cli import main
from harness.run_folder import load_scores

ROWS = [
    {"id": "n1", "source": "The council approved the new park. Work begins in May. It will cost two million.",
     "references": ["The council approved a park costing two million."],
     "system_outputs": {"a": "The council approved the new park.", "b": "Work begins in May.\nIt will cost two million."}},
    {"id": "n2", "source": "Heavy rain flooded the valley. Roads were closed. Schools stayed shut on Monday.",
     "references": ["Rain flooded the valley and closed roads and schools."],
     "system_outputs": {"a": "Heavy rain flooded the valley.", "b": ["Roads were closed.", "Schools stayed shut."]}},
]


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def scores(run):
    s = load_scores(run)
    return s.f


def test_field_systems_score_as_prediction_files(tmp_path, capsys):
    data = write(tmp_path / "data.jsonl", ROWS)
    preds = []
    for system in ("a", "b"):
        rows = [{"id": r["id"], "summary": r["system_outputs"][system]} for r in ROWS]
        preds += ["--predictions", f"{system}={write(tmp_path / f'{system}.jsonl', rows)}"]
    base = ["score", "--data", str(data), "--baseline-system", "a", "--no-explorer", "--quiet"]
    assert main([*base, "--system-outputs", "system_outputs", "--out", str(tmp_path / "field")]) == 0
    assert main([*base, *preds, "--out", str(tmp_path / "files")]) == 0
    printed = capsys.readouterr().out
    assert "| a (baseline)" in printed and "| b " in printed
    assert scores(tmp_path / "field") == scores(tmp_path / "files")
    field_rows = (tmp_path / "field" / "scores.jsonl").read_text()
    assert field_rows == (tmp_path / "files" / "scores.jsonl").read_text()


def test_missing_output_is_an_error_unless_allowed(tmp_path, capsys):
    rows = json.loads(json.dumps(ROWS))
    del rows[1]["system_outputs"]["b"]
    data = write(tmp_path / "data.jsonl", rows)
    base = ["score", "--data", str(data), "--system-outputs", "system_outputs", "--baseline-system", "a",
            "--no-explorer", "--quiet", "--out", str(tmp_path / "run")]
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "no prediction for 1 of 2 example(s): 'n2' (system 'b'" in err and "data.jsonl:system_outputs" in err
    assert main([*base, "--allow-missing"]) == 0
    assert "note: system 'b': 1 of 2 example(s) have no prediction" in capsys.readouterr().out


@pytest.mark.parametrize("value, message", [
    ({"a": 3}, "id 'n2': field 'system_outputs': the output of system 'a' should be a string or a list of strings"),
    ("text", "id 'n2': field 'system_outputs' should be an object {system: summary}, not str"),
])
def test_bad_outputs_name_the_id(tmp_path, capsys, value, message):
    rows = json.loads(json.dumps(ROWS))
    rows[1]["system_outputs"] = value
    data = write(tmp_path / "data.jsonl", rows)
    assert main(["score", "--data", str(data), "--system-outputs", "system_outputs", "--out",
                 str(tmp_path / "run")]) == 2
    assert message in capsys.readouterr().err


def test_missing_field_and_no_systems(tmp_path, capsys):
    data = write(tmp_path / "data.jsonl", ROWS)
    assert main(["score", "--data", str(data), "--system-outputs", "outputs", "--out", str(tmp_path / "r")]) == 2
    assert "field(s) 'outputs' missing" in capsys.readouterr().err
    assert main(["score", "--data", str(data), "--out", str(tmp_path / "r")]) == 2
    assert "--predictions NAME=PATH or --system-outputs FIELD" in capsys.readouterr().err


def test_name_clash_with_predictions(tmp_path, capsys):
    data = write(tmp_path / "data.jsonl", ROWS)
    preds = write(tmp_path / "a.jsonl", [{"id": r["id"], "summary": "x"} for r in ROWS])
    assert main(["score", "--data", str(data), "--system-outputs", "system_outputs", "--predictions", f"a={preds}",
                 "--out", str(tmp_path / "r")]) == 2
    assert "system name(s) 'a' also in the data's --system-outputs field" in capsys.readouterr().err
