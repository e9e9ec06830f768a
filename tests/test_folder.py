"""A run folder's ownership, lock and all-or-nothing commit (harness.folder), through the doors users take."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import harness
from harness import folder
from harness.cli import main
from harness.folder import FolderBusy
from harness.run_folder import PARTS

from _helpers import files, synthetic

TESTS = Path(__file__).resolve().parent
BATCH = 8

# Holds a folder as its writer until killed, the way a long run does (prints its pid once it holds it).
HOLDER = """
import sys, time
from harness import folder
with folder.writing(sys.argv[1]):
    print("holding", flush=True)
    time.sleep(120)
"""


def consistent(out: Path) -> set[str]:
    """The systems of a run folder, after checking that its rows, summary.json and tables agree."""
    summary = json.loads((out / "summary.json").read_text())
    systems = set(summary["systems"])
    n = summary["config"]["n_examples"]
    types = summary["config"]["rouge_types"]
    rows = [json.loads(line) for line in (out / "scores.jsonl").open()]
    assert len(rows) == n * len(systems) * len(types), out
    assert {r["system"] for r in rows} == systems
    summaries = [json.loads(line) for line in (out / "summaries.jsonl").open()]
    assert len(summaries) == n * len(systems) and {r["system"] for r in summaries} == systems
    for s in systems:
        mean = sum(r["fmeasure"] for r in rows if r["system"] == s and r["rouge_type"] == types[0]) / n
        assert mean == pytest.approx(summary["systems"][s][types[0]]["fmeasure"], abs=1e-12)
    if (out / "table.json").exists():
        table = json.loads((out / "table.json").read_text())
        assert {r["system"] for r in table["rows"]} == systems, out
    manifest = folder.read_manifest(out)
    assert manifest["state"] == "complete"
    for rel, rec in manifest["files"].items():
        assert (out / rel).stat().st_size == rec["bytes"], rel
    return systems


def test_a_users_files_are_left_alone(tmp_path, capsys):
    od = tmp_path / "od"
    (od / "parts").mkdir(parents=True)
    (od / "parts" / "important.txt").write_text("x")  # the case: a folder named like the old checkpoints
    (od / "notes.txt").write_text("mine")
    assert main(["run", "--summarizers", "lead", "--out", str(od), "--no-explorer"]) == 0
    assert "holds files harness did not write (notes.txt, parts): they are left alone" in capsys.readouterr().err
    assert (od / "parts" / "important.txt").read_text() == "x" and (od / "notes.txt").read_text() == "mine"
    assert main(["run", "--summarizers", "lead,random", "--out", str(od), "--restart", "--no-explorer"]) == 0
    assert (od / "parts" / "important.txt").read_text() == "x" and (od / "notes.txt").read_text() == "mine"
    assert consistent(od) == {"lead", "random"}


def test_a_file_the_run_would_replace_but_did_not_write_is_refused(tmp_path, capsys):
    (tmp_path / "table.md").write_text("my own table")
    assert main(["run", "--summarizers", "lead", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}: table.md was not written by harness and would be replaced" in err
    assert "Traceback" not in err
    assert (tmp_path / "table.md").read_text() == "my own table"
    assert not (tmp_path / "scores.jsonl").exists()


def test_only_the_harness_files_of_the_old_run_go(tmp_path):
    corpus = synthetic(16)
    harness.run(corpus, ["lead"], out=tmp_path, executor="serial", explorer=False)
    (tmp_path / "plots" / "mine.txt").write_text("kept")
    harness.run(corpus, ["lead", "random"], out=tmp_path, executor="serial", report=False)
    assert not (tmp_path / "table.md").exists()  # the harness's, from the old run: gone with it
    assert (tmp_path / "plots" / "mine.txt").read_text() == "kept"
    assert not (tmp_path / "plots" / "bars.png").exists()
    assert consistent(tmp_path) == {"lead", "random"}


def test_a_run_folder_of_an_older_harness_is_adopted(tmp_path):
    corpus = synthetic(16)
    harness.run(corpus, ["lead"], out=tmp_path, executor="serial", explorer=False)
    for p in (tmp_path / ".harness").iterdir():
        p.unlink()
    (tmp_path / ".harness").rmdir()  # as an older harness left it: no manifest
    harness.run(corpus, ["random"], out=tmp_path, executor="serial", explorer=False)
    assert consistent(tmp_path) == {"random"}


def test_checkpoints_live_in_the_harness_folder(tmp_path):
    corpus = synthetic(40)

    def stop(n):
        if n >= 2 * BATCH:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        harness.run(corpus, ["lead"], out=tmp_path, executor="serial", batch_size=BATCH, progress=stop)
    assert PARTS == ".harness/parts" and len(list((tmp_path / PARTS).glob("*.batch.json"))) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".harness"]  # nothing half-written outside it


def _hold(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_writer_is_refused_naming_the_folder_and_the_pid(tmp_path, capsys):
    corpus = synthetic(16)
    harness.run(corpus, ["lead"], out=tmp_path, executor="serial", explorer=False)
    before = files(tmp_path)
    proc = _hold(tmp_path)
    try:
        busy = f"{tmp_path}: another harness process (pid {proc.pid}) is writing this run folder"
        assert main(["run", "--summarizers", "random", "--out", str(tmp_path)]) == 2
        assert busy in capsys.readouterr().err
        assert main(["report", str(tmp_path)]) == 2
        assert busy in capsys.readouterr().err
        with pytest.raises(FolderBusy, match=f"pid {proc.pid}"):
            harness.run(corpus, ["random"], out=tmp_path, executor="serial")
        with pytest.raises(FolderBusy):
            harness.write_report(tmp_path, *harness.load_run(tmp_path))  # reading is allowed meanwhile
        assert files(tmp_path) == before
    finally:
        proc.kill()
        proc.wait()
    # its lock died with it: taken over, and the pid it left is named
    messages = []
    harness.run(corpus, ["random"], out=tmp_path, executor="serial", explorer=False, log=messages.append)
    assert f"{tmp_path}: taking over the lock of pid {proc.pid}, which ended without releasing it" in messages
    assert consistent(tmp_path) == {"random"}
    assert (tmp_path / ".harness" / "lock").read_text() == ""  # released in order


def test_a_commit_cut_short_is_finished_by_the_next_reader(tmp_path, monkeypatch):
    corpus = synthetic(16)
    harness.run(corpus, ["lead"], out=tmp_path, executor="serial", explorer=False)
    real = os.replace
    moved = []

    def dies_after_two(src, dst):
        if ".harness/staging" in str(src) and ".harness" not in str(dst):  # a rename of the commit
            if len(moved) == 2:
                raise KeyboardInterrupt  # the process stops between two of them
            moved.append(dst)
        real(src, dst)

    monkeypatch.setattr(folder.os, "replace", dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        harness.run(corpus, ["lead", "random"], out=tmp_path, executor="serial", explorer=False)
    monkeypatch.setattr(folder.os, "replace", real)
    assert folder.read_manifest(tmp_path)["state"] == "committing"
    summary, rows = harness.load_run(tmp_path)  # finishes the commit, then reads
    assert set(summary["systems"]) == {r["system"] for r in rows} == {"lead", "random"}
    assert consistent(tmp_path) == {"lead", "random"}
    assert not (tmp_path / PARTS).exists()


def test_result_write_copies_only_the_run_files(tmp_path):
    result = harness.run(synthetic(16), ["lead"], executor="serial", explorer=False)
    (result.folder / "stray.txt").write_text("not the run's")
    result.write(tmp_path / "copy")
    assert consistent(tmp_path / "copy") == {"lead"}
    assert not (tmp_path / "copy" / "stray.txt").exists()
    assert sorted(folder.read_manifest(tmp_path / "copy")["files"]) == sorted(folder.read_manifest(result.folder)["files"])


def test_result_write_in_place_adds_the_tables(tmp_path):
    corpus = synthetic(16)
    result = harness.score(corpus, harness.summarize(corpus, ["lead"]), out=tmp_path)
    assert not (tmp_path / "table.md").exists()
    result.write(tmp_path)
    assert consistent(tmp_path) == {"lead"} and (tmp_path / "examples.html").exists()
