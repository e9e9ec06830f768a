"""An interrupted run resumes: the same command again ends with the files of an uninterrupted run."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import harness
from harness.executors import DaskExecutor, ProcessExecutor
from harness.runner import PARTS

from _helpers import Slow, files, read_jsonl, synthetic, write_jsonl

TESTS = Path(__file__).resolve().parent
N, BATCH = 120, 8

SCRIPT = f"""
import signal
import sys
# Ctrl-C as at a terminal, even when this test runs under a parent that ignores SIGINT (a background
# CI job does; Python then installs no KeyboardInterrupt handler of its own)
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {str(TESTS)!r})
import harness
from _helpers import Slow, read_jsonl
data, out, calls, executor = sys.argv[1:5]
try:
    harness.run(read_jsonl(data), [Slow(delay=0.15, calls=calls), "lead:k=1"], out=out, executor=executor,
                workers=2, batch_size={BATCH}, log=lambda m: print(m, file=sys.stderr, flush=True))
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_jsonl(tmp_path_factory.mktemp("data") / "data.jsonl", N)


@pytest.fixture(scope="module")
def expected(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("expected")
    harness.run(read_jsonl(data), [Slow(delay=0), "lead:k=1"], out=out, executor="serial", batch_size=BATCH)
    return files(out)


def _start(tmp_path, data, executor):
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    cmd = [sys.executable, str(script), str(data), str(tmp_path / "out"), str(tmp_path / "calls.txt"), executor]
    return cmd, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)


def _wait_for_batches(proc, parts: Path, n: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = len(list(parts.glob("*.batch.json")))
        if done >= n:
            return done
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the run made no progress")


def _session_processes(sid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # field 6 of stat: the session id
            out.append(int(stat.parent.name))
    return out


def _calls(tmp_path) -> int:
    p = tmp_path / "calls.txt"
    return len(p.read_text().splitlines()) if p.exists() else 0


@pytest.mark.slow
def test_sigkill_midway_then_rerun(tmp_path, data, expected):
    cmd, proc = _start(tmp_path, data, "process")
    parts = tmp_path / "out" / PARTS
    _wait_for_batches(proc, parts, 4)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole run dies at once, as in a crash
    proc.wait()
    assert not (tmp_path / "out" / "scores.jsonl").exists()
    saved = len(list(parts.glob("*.batch.json")))
    assert 4 <= saved < N // BATCH
    before = _calls(tmp_path)

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"resuming: {saved} finished batch(es)" in again.stderr
    assert files(tmp_path / "out") == expected
    assert not parts.exists()
    # only the batches that were not saved ran again
    assert _calls(tmp_path) - before == N - saved * BATCH


def test_ctrl_c_then_rerun(tmp_path, data, expected):
    cmd, proc = _start(tmp_path, data, "process")
    _wait_for_batches(proc, tmp_path / "out" / PARTS, 3)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches every process of the terminal's group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "run the same command again to resume" in err and "Traceback" not in err
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "resuming:" in again.stderr
    assert files(tmp_path / "out") == expected


def test_killed_driver_leaves_no_worker_behind(tmp_path, data):
    cmd, proc = _start(tmp_path, data, "process")
    _wait_for_batches(proc, tmp_path / "out" / PARTS, 2)
    assert len(_session_processes(proc.pid)) >= 3  # the driver, the fork server, the workers
    os.kill(proc.pid, signal.SIGKILL)  # only the driver
    proc.wait()
    deadline = time.monotonic() + 15
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(proc.pid) == []


def _interrupt_after(batches: int):
    def progress(n_examples):
        if n_examples >= batches * BATCH:
            raise KeyboardInterrupt
    return progress


def test_changed_data_reruns_only_the_changed_batches(tmp_path):
    corpus = synthetic(40)
    out, calls = tmp_path / "out", tmp_path / "calls.txt"
    systems = [Slow(delay=0, calls=str(calls)), "lead:k=1"]
    with pytest.raises(KeyboardInterrupt):
        harness.run(corpus, systems, out=out, executor="serial", batch_size=BATCH, progress=_interrupt_after(3))
    assert len(list((out / PARTS).glob("*.batch.json"))) == 3
    corpus[1].source += " An extra closing sentence."  # batch 0 changes; batches 1 and 2 do not
    calls.unlink()
    messages = []
    harness.run(corpus, systems, out=out, executor="serial", batch_size=BATCH, log=messages.append)
    assert messages == [f"resuming: 3 finished batch(es) found in {out / PARTS}"]
    assert calls.read_text().splitlines() == [ex.id for ex in corpus[:BATCH] + corpus[3 * BATCH:]]
    harness.run(corpus, systems, out=tmp_path / "fresh", executor="serial", batch_size=BATCH)
    assert files(out) == files(tmp_path / "fresh")


def test_other_settings_or_restart_discard_checkpoints(tmp_path):
    corpus = synthetic(40)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        harness.run(corpus, ["lead"], out=out, executor="serial", batch_size=BATCH, progress=_interrupt_after(2))
    messages = []
    harness.run(corpus, ["lead"], harness.ScoreConfig(use_stemmer=False), out=out, executor="serial",
                batch_size=BATCH, log=messages.append)
    assert "discarding" in messages[0] and "other settings" in messages[0]
    assert "stem:none" in json.loads((out / "summary.json").read_text())["signature"]

    with pytest.raises(KeyboardInterrupt):
        harness.run(corpus, ["lead"], out=out, executor="serial", batch_size=BATCH, progress=_interrupt_after(2))
    messages = []
    harness.run(corpus, ["lead"], out=out, executor="serial", batch_size=BATCH, resume=False, log=messages.append)
    assert "discarding" in messages[0] and "--restart" in messages[0]


def test_torn_part_is_run_again(tmp_path):
    corpus = synthetic(40)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        harness.run(corpus, ["lead"], out=out, executor="serial", batch_size=BATCH, progress=_interrupt_after(3))
    part = out / PARTS / "00000001.scores.jsonl"
    part.write_bytes(part.read_bytes()[:-40])  # as if the machine lost power mid-write
    (out / PARTS / "00000002.batch.json").write_text("{not json")
    harness.run(corpus, ["lead"], out=out, executor="serial", batch_size=BATCH)
    harness.run(corpus, ["lead"], out=tmp_path / "fresh", executor="serial", batch_size=BATCH)
    assert files(out) == files(tmp_path / "fresh")


@pytest.mark.slow
def test_lost_process_worker_is_replaced(tmp_path):
    corpus = synthetic(48)
    executor = ProcessExecutor(2)
    killed = []

    def progress(n):
        if not killed:
            pid = next(iter(executor._pool._processes))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    harness.run(corpus, [Slow(delay=0.01), "lead:k=1"], out=tmp_path / "p", executor=executor, batch_size=4,
                progress=progress)
    harness.run(corpus, [Slow(delay=0), "lead:k=1"], out=tmp_path / "s", executor="serial", batch_size=4)
    assert killed and files(tmp_path / "p") == files(tmp_path / "s")


@pytest.mark.slow
def test_lost_dask_worker_is_replaced(tmp_path):
    pytest.importorskip("distributed")
    corpus = synthetic(48)
    executor = DaskExecutor(2)
    killed = []

    def progress(n):
        if not killed:
            pids = executor.client.run(os.getpid)
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    harness.run(corpus, [Slow(delay=0.02), "lead:k=1"], out=tmp_path / "d", executor=executor, batch_size=4,
                progress=progress)
    harness.run(corpus, [Slow(delay=0), "lead:k=1"], out=tmp_path / "s", executor="serial", batch_size=4)
    assert killed and files(tmp_path / "d") == files(tmp_path / "s")
