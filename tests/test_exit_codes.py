"""Exit codes and messages: 0, 1 (failed examples, a regression), 2 (bad input, I/O), 130, and never a traceback.

Each case of issue 13 (items 5 and 9) that ended in a traceback or a wrong code: the command is run in a
child process, as a user runs it, and its exit code and stderr are checked.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import harness
from harness.cli import main
from harness.runner import RunFailed

from _helpers import Boom, synthetic

ROOT = Path(__file__).resolve().parents[1]
GOOD = ('{"id": "a", "source": "The cat sat on the mat. It was happy.", "references": ["The cat sat."]}\n'
        '{"id": "b", "source": "Rain fell all day. The river rose.", "references": ["The river rose."]}\n')


def harness_cli(*argv: str, env: dict | None = None, stdout=subprocess.PIPE, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness", *argv], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=300)


@pytest.fixture
def data(tmp_path) -> Path:
    path = tmp_path / "good.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def run_dir(tmp_path, data) -> Path:
    out = tmp_path / "run"
    assert main(["run", "--data", str(data), "--summarizers", "lead", "--out", str(out), "--quiet",
                 "--no-explorer"]) == 0
    return out


@pytest.mark.parametrize("argv", [["list"], ["inspect"]])
def test_a_closed_stdout_ends_quietly(argv):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line: `harness list | head -0`
    try:
        done = harness_cli(*argv, stdout=write)
    finally:
        os.close(write)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


def test_out_pointing_at_a_file_is_exit_2_naming_it(tmp_path, data):
    (tmp_path / "afile").write_text("mine\n")
    done = harness_cli("run", "--data", str(data), "--summarizers", "lead", "--out", str(tmp_path / "afile"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(tmp_path / "afile") in done.stderr
    assert (tmp_path / "afile").read_text() == "mine\n"


def test_debug_shows_the_traceback(tmp_path, data):
    (tmp_path / "afile").write_text("mine\n")
    done = harness_cli("run", "--data", str(data), "--summarizers", "lead", "--out", str(tmp_path / "afile"),
                       "--debug")
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "harness: error:" in done.stderr


def test_an_unwritable_junit_file_is_exit_2(tmp_path, run_dir, capsys):
    assert main(["check", str(run_dir), "--baseline", str(tmp_path / "b.json"), "--update-baseline"]) == 0
    (tmp_path / "afile").write_text("x")
    assert main(["check", str(run_dir), "--baseline", str(tmp_path / "b.json"),
                 "--junit", str(tmp_path / "afile" / "junit.xml")]) == 2
    assert str(tmp_path / "afile") in capsys.readouterr().err


@pytest.mark.parametrize("summary_file, reason", [("folder", "Is a directory"), ("/dev/full", "No space left")])
def test_an_unwritable_step_summary_is_exit_2(tmp_path, run_dir, summary_file, reason, capsys, monkeypatch):
    if summary_file == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full (a device that is always full) on this system")
    assert main(["check", str(run_dir), "--baseline", str(tmp_path / "b.json"), "--update-baseline"]) == 0
    target = summary_file if summary_file.startswith("/") else str(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", target)
    assert main(["check", str(run_dir), "--baseline", str(tmp_path / "b.json")]) == 2
    err = capsys.readouterr().err
    assert target in err and reason in err


def test_a_dying_worker_prints_no_traceback_under_quiet(tmp_path):
    (tmp_path / "dying_plugin.py").write_text(
        "import os, signal\n"
        "def summarize(example):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-m", "harness", "run", "--summarizers", "lead,dying_plugin:summarize",
                           "--out", str(tmp_path / "out"), "--quiet", "--no-explorer", "--executor", "process",
                           "--workers", "2"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "worker processes died" in done.stderr and "(examples 'lavrov-2018-12-24:q1'" in done.stderr


def test_run_failed_without_a_folder_names_no_deleted_folder():
    with pytest.raises(RunFailed) as caught:
        harness.run(synthetic(4), [Boom(bad=("ex0000001",))], executor="serial")
    message = str(caught.value)
    assert "ex0000001" in message
    assert "harness-run-" not in message and "parts" not in message
    assert caught.value.path is None


def test_run_failed_is_exit_1(tmp_path, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "failing_plugin.py").write_text("def summarize(example):\n    raise ValueError('no')\n")
    assert main(["run", "--summarizers", "failing_plugin:summarize", "--out", str(tmp_path / "o"), "--quiet",
                 "--no-explorer"]) == 1


@pytest.fixture
def small_disk(tmp_path):
    """A 200 kB tmpfs (where the tests run as root and may mount one), else skip."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("a small tmpfs needs root and mount")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_exit_2_naming_the_file(small_disk):
    done = harness_cli("run", "--summarizers", "lead,textrank", "--out", str(small_disk / "run"), "--quiet")
    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr and str(small_disk / "run") in done.stderr
    assert "Traceback" not in done.stderr


def test_ctrl_c_while_the_options_are_built_is_130_without_traceback(monkeypatch, capsys):
    """Building `run`'s options imports numpy and scipy (its defaults' home): Ctrl-C can land there."""
    import harness.cli as cli

    def interrupted(only=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert main(["run", "--quiet"]) == 130
    err = capsys.readouterr().err
    assert err == "harness: interrupted\n"
    assert main(["run", "--debug"]) == 130
    assert "Traceback" in capsys.readouterr().err
