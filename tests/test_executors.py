"""Every executor writes the same bytes: serial, process, an in-process Dask cluster, a two-process one."""
import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import harness
from harness.cli import main
from harness.executors import DaskExecutor, ProcessExecutor, SerialExecutor
from harness.runner import AUTO_PROCESS_MIN, PARTS, choose_executor

from _helpers import Slow, files, read_jsonl, synthetic, write_jsonl

SYSTEMS = ["lead", "random:seed=3", "lead:k=1"]
pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def corpus():
    return synthetic(41)


@pytest.fixture(scope="module")
def serial_run(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    harness.run(corpus, SYSTEMS, out=out, executor="serial", batch_size=4)
    return files(out)


def test_stream_equals_the_in_memory_path(corpus, serial_run, tmp_path):
    """The streamed run folder has the same rows as summarize() + score() held in memory."""
    c = harness.Corpus("synthetic", corpus)
    harness.score(c, harness.summarize(c, SYSTEMS)).write(tmp_path)
    mine = files(tmp_path)
    assert mine["summaries.jsonl"] == serial_run["summaries.jsonl"]
    assert mine["scores.jsonl"] == serial_run["scores.jsonl"]
    # the statistics agree too; only the list of summarizers is extra in a run's config
    a, b = json.loads(mine["summary.json"]), json.loads(serial_run["summary.json"])
    assert a["systems"] == b["systems"]


@pytest.mark.parametrize("make", [
    pytest.param(lambda: ProcessExecutor(2), id="process"),
    pytest.param(lambda: DaskExecutor(2, processes=False), id="dask-in-process"),
])
def test_executors_write_identical_files(make, corpus, serial_run, tmp_path):
    result = harness.run(corpus, SYSTEMS, out=tmp_path, executor=make(), batch_size=4)
    assert files(tmp_path) == serial_run
    assert result.summary()["config"]["n_examples"] == 41
    assert not (tmp_path / PARTS).exists()


@pytest.mark.slow
def test_two_process_dask_cluster(corpus, serial_run, tmp_path):
    harness.run(iter(corpus), SYSTEMS, out=tmp_path, executor="dask", workers=2, batch_size=4)
    assert files(tmp_path) == serial_run


def test_batch_size_changes_no_byte(corpus, serial_run, tmp_path):
    """Means are exactly rounded sums, so even the batching leaves summary.json unchanged."""
    for size in (1, 1000):
        harness.run(corpus, SYSTEMS, out=tmp_path / str(size), executor="serial", batch_size=size)
        assert files(tmp_path / str(size)) == serial_run


def test_results_come_back_in_example_order(corpus, serial_run, tmp_path):
    """The first batches are the slowest, so they finish last; the files keep the input order."""
    corpus = corpus[:16]
    slow = Slow(delay=0.01, slow_ids=tuple(ex.id for ex in corpus[:2]))
    harness.run(corpus, [slow, "lead"], out=tmp_path / "p", executor=ProcessExecutor(2), batch_size=2)
    harness.run(corpus, [Slow(delay=0), "lead"], out=tmp_path / "s", executor="serial", batch_size=2)
    assert files(tmp_path / "p") == files(tmp_path / "s")
    ids = [json.loads(l)["id"] for l in (tmp_path / "p" / "summaries.jsonl").read_text().splitlines()]
    assert ids == [ex.id for ex in corpus for _ in range(2)]


def test_streamed_jsonl_and_lazy_result(tmp_path, corpus, serial_run):
    """Any iterable of examples works: here a generator reading JSONL, with no length."""
    path = write_jsonl(tmp_path / "data.jsonl", 41)
    result = harness.run(read_jsonl(path), SYSTEMS, out=tmp_path / "run", executor="serial", batch_size=4)
    assert files(tmp_path / "run") == serial_run
    rows = list(result.rows)
    assert len(rows) == 41 * 3 * 4 and rows[0]["id"] == "ex0000000"
    assert result.summaries["lead:k=1"]["ex0000040"] == [corpus[40].sentences[0]]
    # without `out` the run lives in a temporary folder as long as the result
    mem = harness.run(read_jsonl(path), SYSTEMS, executor="serial")
    assert mem.rows == rows and mem.table() == result.table()
    mem.write(tmp_path / "copy")
    assert files(tmp_path / "copy") == serial_run


def test_auto_picks_process_for_large_inputs_only(corpus):
    ex, _ = choose_executor(corpus, "auto", None, None)
    assert isinstance(ex, SerialExecutor)
    many = list(itertools.islice(itertools.cycle(corpus), AUTO_PROCESS_MIN))
    ex, same = choose_executor(many, "auto", None, None)
    assert isinstance(ex, ProcessExecutor) and same is many and ex.workers >= 1
    # a stream without a length is read ahead, and nothing read is lost
    ex, stream = choose_executor(iter(many + many[:5]), "auto", None, None)
    assert isinstance(ex, ProcessExecutor) and len(list(stream)) == AUTO_PROCESS_MIN + 5
    ex, stream = choose_executor(iter(corpus), "auto", None, None)
    assert isinstance(ex, SerialExecutor) and len(list(stream)) == 41
    assert isinstance(choose_executor(corpus, "auto", 1, None)[0], SerialExecutor)


@pytest.mark.slow
def test_cli_executors_agree(tmp_path):
    assert main(["run", "--out", str(tmp_path / "s"), "--executor", "serial"]) == 0
    assert main(["run", "--out", str(tmp_path / "p"), "--executor", "process", "--workers", "2",
                 "--batch-size", "2"]) == 0
    assert files(tmp_path / "s") == files(tmp_path / "p")


@pytest.mark.slow
def test_cli_joins_a_running_scheduler(tmp_path, capsys):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert main(["run", "--out", str(tmp_path / "d"), "--scheduler", cluster.scheduler_address,
                     "--batch-size", "1"]) == 0
        assert len(cluster.scheduler.workers) == 2  # the run left the cluster running
    assert main(["run", "--out", str(tmp_path / "s"), "--executor", "serial"]) == 0
    assert files(tmp_path / "s") == files(tmp_path / "d")


@pytest.mark.parametrize("argv, message", [
    (["--executor", "process", "--scheduler", "tcp://127.0.0.1:1"], "needs --executor dask"),
    (["--executor", "process", "--workers", "0"], "at least 1"),
    (["--batch-size", "0"], "at least 1"),
])
def test_bad_execution_options(argv, message, tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.floats(0, 1), max_size=60), cuts=st.lists(st.integers(0, 60), max_size=5),
       seed=st.integers(0, 1000))
def test_exact_sums_do_not_depend_on_batching_or_order(values, cuts, seed):
    """What makes summary.json identical for every executor and batch size."""
    import math
    import random

    from harness.aggregate import exact_sum

    edges = sorted({0, len(values), *[min(c, len(values)) for c in cuts]})
    batches = [values[a:b] for a, b in zip(edges, edges[1:])]
    random.Random(seed).shuffle(batches)  # batches finish in any order
    merged: list[float] = []
    for batch in batches:
        merged = exact_sum(merged + exact_sum(batch))
    assert math.fsum(merged) == math.fsum(values)
