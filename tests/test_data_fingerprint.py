"""A run records a fingerprint of its data; compare and check refuse runs over other data unless --force
(issue 13, item 9: the same ids with reversed references and upper-cased sources moved compare by -30
points without a word)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.data_fingerprint import DataFingerprint, difference

from _helpers import synthetic

ROWS = [{"id": "a", "source": "The cat sat on the mat. It was happy.", "references": ["The cat sat."]},
        {"id": "b", "source": "Rain fell all day. The river rose.", "references": ["The river rose."]},
        {"id": "c", "source": "Stocks rallied. Bonds fell.", "references": ["Stocks rallied."]}]


def fingerprint(examples) -> dict:
    fp = DataFingerprint()
    fp.add(examples)
    return fp.to_dict()


def test_the_order_of_the_examples_does_not_matter_their_content_does():
    examples = synthetic(5)
    assert fingerprint(examples) == fingerprint(examples[::-1])
    changed = synthetic(5)
    changed[3].source = changed[3].source.upper()
    a, b = fingerprint(examples), fingerprint(changed)
    assert a["ids"] == b["ids"] and a["references"] == b["references"] and a["sources"] != b["sources"]
    assert difference(a, b, "A", "B") == ("A and B have the same example ids but different sources: "
                                          "they were not run on the same data")


def run(tmp_path: Path, name: str, rows: list[dict]) -> Path:
    data = tmp_path / f"{name}.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / name
    assert main(["run", "--data", str(data), "--summarizers", "lead", "--out", str(out), "--quiet",
                 "--no-explorer"]) == 0
    return out


@pytest.fixture
def runs(tmp_path):
    changed = [{**r, "source": r["source"].upper(), "references": [t[::-1] for t in r["references"]]}
               for r in ROWS]
    return run(tmp_path, "same", ROWS), run(tmp_path, "other", changed)


def test_a_run_records_its_data_fingerprint(runs):
    summary = json.loads((runs[0] / "summary.json").read_text())
    assert summary["config"]["data_fingerprint"] == fingerprint(
        __import__("harness").load(str(runs[0].parent / "same.jsonl")))


def test_compare_refuses_other_data_unless_forced(runs, capsys):
    assert main(["compare", str(runs[0]), str(runs[1])]) == 2
    assert "same example ids but different sources and references" in capsys.readouterr().err
    assert main(["compare", str(runs[0]), str(runs[1]), "--force"]) == 0
    assert "note: compared despite different data (--force)" in capsys.readouterr().out


def test_check_refuses_other_data_unless_forced(runs, tmp_path, capsys):
    baseline = tmp_path / "b.json"
    assert main(["check", str(runs[0]), "--baseline", str(baseline), "--update-baseline"]) == 0
    assert json.loads(baseline.read_text())["data"]["n"] == 3
    assert main(["check", str(runs[1]), "--baseline", str(baseline)]) == 2
    assert "different sources and references" in capsys.readouterr().err
    assert main(["check", str(runs[1]), "--baseline", str(baseline), "--force"]) in (0, 1)
    assert "checked despite different data (--force)" in capsys.readouterr().out


def test_the_committed_baseline_has_the_interviews_fingerprint():
    import harness

    baseline = json.loads((Path(__file__).resolve().parents[1] / "results" / "interview.baseline.json").read_text())
    assert baseline["data"] == fingerprint(harness.load("interview"))
