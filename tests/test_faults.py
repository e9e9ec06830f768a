"""Fault injection: interrupts at many moments, concurrent runs, damaged checkpoints, a read-only or full
disk, a dying worker. Each case checks the exit code, the message, that the folder holds one complete run
whose rows, summary.json and tables agree, and that the same command again finishes the run."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import harness
from harness import folder
from harness.cli import main
from harness.run_folder import PARTS

from _helpers import files, synthetic, write_jsonl
from test_folder import consistent

TESTS = Path(__file__).resolve().parent
N, BATCH = 48, 8
OLD = "lead"
NEW = "lead,random,_helpers:slow_lead:delay=0.01"
NEW_SYSTEMS = {"lead", "random", "_helpers:slow_lead:delay=0.01"}

# `harness ...` as a terminal runs it: Ctrl-C raises KeyboardInterrupt even under a parent that ignores
# SIGINT (a background CI job does, and Python then installs no handler of its own).
CLI = f"""
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {str(TESTS)!r})
from harness.cli import build_parser, main
import os
build_parser()  # what main does before its error handling: the imports of every command's options
if os.environ.get("READY"):  # from here on an interrupt lands in the harness, not in Python's imports
    open(os.environ["READY"], "w").close()
sys.exit(main(sys.argv[1:]))
"""

# Dies by SIGKILL at the K-th rename of the commit (harness.folder's roll-forward), once.
KILLED_IN_COMMIT = f"""
import os, signal, sys
sys.path.insert(0, {str(TESTS)!r})
import harness
from harness import folder
from _helpers import synthetic
out, k = sys.argv[1], int(sys.argv[2])
real, seen = os.replace, []
def replace(src, dst):
    if ".harness/staging" in str(src) and ".harness" not in str(dst):
        if len(seen) == k:
            os.kill(os.getpid(), signal.SIGKILL)
        seen.append(dst)
    real(src, dst)
folder.os.replace = replace
harness.run(synthetic({N}), ["lead", "random"], out=out, executor="serial", batch_size={BATCH})
"""


def cli(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, **popen)


def run_args(data: Path, out: Path, systems: str, *extra: str) -> list[str]:
    return ["run", "--data", str(data), "--summarizers", systems, "--out", str(out), "--batch-size", str(BATCH),
            "--executor", "serial", "--quiet", "--no-explorer", *extra]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_jsonl(tmp_path_factory.mktemp("data") / "data.jsonl", N)


@pytest.fixture(scope="module")
def runs(data, tmp_path_factory):
    """The old run (lead) and a fresh new run (three systems), and how long the new one takes."""
    root = tmp_path_factory.mktemp("runs")
    assert main(run_args(data, root / "old", OLD)) == 0
    t0 = time.monotonic()
    proc = cli(*run_args(data, root / "new", NEW))
    assert proc.wait(120) == 0, proc.communicate()
    return root / "old", root / "new", time.monotonic() - t0


def assert_old_or_new(out: Path, old: Path, new: Path) -> None:
    systems = consistent(out)
    assert systems in ({"lead"}, NEW_SYSTEMS), systems
    assert files(out) == files(old if systems == {"lead"} else new)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupted_at_many_moments(tmp_path, data, runs, sig):
    old, new, seconds = runs
    for i, fraction in enumerate((0.2, 0.45, 0.7, 0.9)):
        out = tmp_path / f"run{i}"
        shutil.copytree(old, out)
        ready = tmp_path / f"ready{i}"
        proc = cli(*run_args(data, out, NEW), env={**os.environ, "READY": str(ready)})
        while not ready.exists() and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(seconds * fraction)
        os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
        # -SIGINT: the signal came while Python shut down after the run (the default handler is back then)
        assert proc.returncode in (0, -sig, *((130,) if sig == signal.SIGINT else ())), (fraction, err)
        assert "Traceback" not in err, err
        if proc.returncode == 130:
            assert "harness: interrupted" in err
        assert_old_or_new(out, old, new)
        if proc.returncode == 0:
            continue  # it finished before the signal
        again = cli(*run_args(data, out, NEW))
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert files(out) == files(new) and consistent(out) == NEW_SYSTEMS
        assert not (out / PARTS).exists()


@pytest.mark.slow
def test_killed_at_each_step_of_the_commit(tmp_path):
    harness.run(synthetic(N), ["lead", "random"], out=tmp_path / "fresh", executor="serial", batch_size=BATCH)
    n_files = len(folder.read_manifest(tmp_path / "fresh")["files"])
    for k in (0, 1, n_files // 2, n_files - 1):
        out = tmp_path / f"k{k}"
        harness.run(synthetic(N), ["lead"], out=out, executor="serial", batch_size=BATCH)
        proc = subprocess.run([sys.executable, "-c", KILLED_IN_COMMIT, str(out), str(k)], capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert folder.read_manifest(out)["state"] == "committing"
        assert main(["report", str(out), "--no-write"]) == 0  # a reader finishes the commit first
        assert consistent(out) == {"lead", "random"}
        assert files(out) == files(tmp_path / "fresh")


def test_two_runs_into_one_folder(tmp_path, data, capsys):
    out = tmp_path / "c"
    first = cli(*run_args(data, out, "lead,_helpers:slow_lead:delay=0.05"))
    lock = out / ".harness" / "lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip()):
        assert time.monotonic() < deadline and first.poll() is None, first.communicate()
        time.sleep(0.02)
    holder = int(lock.read_text())
    assert main(run_args(data, out, "lead,random")) == 2
    err = capsys.readouterr().err
    assert f"{out}: another harness process (pid {holder}) is writing this run folder" in err
    assert main(["report", str(out)]) == 2 and f"(pid {holder})" in capsys.readouterr().err
    assert first.wait(120) == 0, first.communicate()
    assert consistent(out) == {"lead", "_helpers:slow_lead:delay=0.05"}
    assert main(run_args(data, out, "lead,random")) == 0  # now it is free
    assert consistent(out) == {"lead", "random"}


def _damage_after_three_batches(out: Path, damage) -> list[str]:
    corpus = synthetic(N)

    def stop(n):
        if n >= 3 * BATCH:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        harness.run(corpus, ["lead"], out=out, executor="serial", batch_size=BATCH, progress=stop)
    damage(out / PARTS)
    messages = []
    harness.run(corpus, ["lead"], out=out, executor="serial", batch_size=BATCH, log=messages.append)
    return messages


@pytest.mark.parametrize("damage, resumed", [
    (lambda p: (p / "00000001.scores.jsonl").write_bytes(b""), 3),  # an empty part: its marker disagrees
    (lambda p: (p / "00000000.summaries.jsonl").unlink(), 3),  # a part gone
    (lambda p: (p / "00000002.batch.json").write_bytes((p / "00000002.batch.json").read_bytes()[:50]), 3),
    (lambda p: (p / "00000001.summaries.jsonl").write_text("garbage\n" * 3), 3),
    (lambda p: (p / "manifest.json").write_text("{not json"), 0),  # the fingerprint unreadable: all discarded
], ids=["empty-part", "missing-part", "truncated-marker", "garbage-part", "garbage-manifest"])
def test_damaged_checkpoints_are_run_again(tmp_path, damage, resumed):
    messages = _damage_after_three_batches(tmp_path / "out", damage)
    if resumed:
        assert messages == [f"resuming: {resumed} finished batch(es) found in {tmp_path / 'out' / PARTS}"]  # markers
    else:
        assert "discarding the checkpoints" in messages[0]
    harness.run(synthetic(N), ["lead"], out=tmp_path / "fresh", executor="serial", batch_size=BATCH)
    assert files(tmp_path / "out") == files(tmp_path / "fresh")
    assert consistent(tmp_path / "out") == {"lead"}


@pytest.fixture
def tmpfs(tmp_path):
    """A 1.5 MB tmpfs mounted on a fresh folder (root only), unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mnt)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)])


def _remount(mnt: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mnt)], check=True)


def test_a_full_disk(tmpfs, data, capsys):
    out = tmpfs / "run"
    assert main(run_args(data, out, OLD)) == 0
    old = files(out)
    assert main(run_args(data, out, NEW)) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and f"the run folder {out} keeps its previous complete run" in err
    assert "Traceback" not in err
    assert files(out) == old and consistent(out) == {"lead"}
    _remount(tmpfs, "size=16m")
    assert main(run_args(data, out, NEW)) == 0
    assert consistent(out) == NEW_SYSTEMS


def test_a_read_only_folder(tmpfs, data, capsys):
    _remount(tmpfs, "size=16m")
    out = tmpfs / "run"
    assert main(run_args(data, out, OLD)) == 0
    old = files(out)
    _remount(tmpfs, "ro")
    try:
        assert main(run_args(data, out, NEW)) == 2
        err = capsys.readouterr().err
        assert f"{out}: cannot write the run folder: Read-only file system" in err and "Traceback" not in err
        assert main(["report", str(out)]) == 2
        assert "Read-only file system" in capsys.readouterr().err
        assert main(["report", str(out), "--no-write"]) == 0  # reading needs no write access
        assert main(["compare", str(out), str(out)]) == 0
        assert files(out) == old
    finally:
        _remount(tmpfs, "rw")
    assert main(run_args(data, out, NEW)) == 0
    assert consistent(out) == NEW_SYSTEMS


@pytest.mark.slow
def test_a_dying_worker(tmp_path, data):
    flag = tmp_path / "flag"
    flag.write_text("die")
    out = tmp_path / "out"
    systems = f"lead,_helpers:dies_while_flagged:flag={flag}:bad=ex{N - 1:07d}"
    args = ["run", "--data", str(data), "--summarizers", systems, "--out", str(out), "--batch-size", str(BATCH),
            "--executor", "process", "--workers", "2", "--quiet"]
    proc = cli(*args)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 2, err
    assert "worker processes died 3 times" in err and "finished batches are saved" in err
    assert not (out / "scores.jsonl").exists() and len(list((out / PARTS).glob("*.batch.json"))) == N // BATCH - 1
    flag.unlink()
    again = cli(*args)
    _, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    assert consistent(out) == {"lead", systems.split(",")[1]}
