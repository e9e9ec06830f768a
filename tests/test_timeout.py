"""--timeout SECONDS: a summarizer hanging on an example becomes a recorded failure of that example."""
from __future__ import annotations

import json
import time

import pytest

import harness
from harness.cli import main
from harness.errors import HarnessError

ROWS = [{"id": "a", "source": "The cat sat on the mat. It was happy.", "references": ["The cat sat."]},
        {"id": "hangs", "source": "Rain fell all day. The river rose.", "references": ["The river rose."]}]


def hang_on_some(example):
    if example.id == "hangs":
        time.sleep(3600)
    return list(example.sentences[:1])


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    return path


@pytest.mark.parametrize("executor", ["serial", "process"])
def test_a_hanging_summarizer_is_a_recorded_failure(data, tmp_path, capsys, executor):
    out = tmp_path / "run"
    started = time.monotonic()
    code = main(["run", "--data", str(data), "--summarizers", f"lead,{__name__}:hang_on_some", "--timeout", "0.5",
                 "--on-error", "record", "--executor", executor, "--workers", "2" if executor == "process" else "1",
                 "--out", str(out), "--quiet", "--no-explorer"])
    assert code == 0
    assert time.monotonic() - started < 120
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]
    assert [(f["id"], f["stage"]) for f in failures] == [("hangs", "summarize")]
    assert "ExampleTimeout" in failures[0]["error"] and "0.5 s" in failures[0]["error"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["systems"][f"{__name__}:hang_on_some"]["rouge1"]["failed"] == 1
    assert summary["systems"]["lead"]["rouge1"]["n"] == 2


def test_by_default_a_timeout_fails_the_run_with_exit_1(data, tmp_path, capsys):
    assert main(["run", "--data", str(data), "--summarizers", f"{__name__}:hang_on_some", "--timeout", "0.3",
                 "--executor", "serial", "--out", str(tmp_path / "run"), "--quiet", "--no-explorer"]) == 1
    assert "hangs" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1", "inf", "x"])
def test_a_bad_timeout_is_refused(value, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["run", "--timeout", value])
    assert caught.value.code == 2


def test_the_api_refuses_a_bad_timeout():
    with pytest.raises(HarnessError, match="--timeout must be a positive number"):
        harness.run(harness.load("interview"), ["lead"], timeout=-1)
