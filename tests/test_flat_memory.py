"""The driver holds nothing per example: statistics stream from the parts in fixed chunks, id hashes
spill to bucket files; every path (runner, in-memory rows) gives the same numbers."""
import json
import tracemalloc

import numpy as np
import pytest

import harness
from harness import stats
from harness.aggregate import Statistics, corpus_means
from harness.data import Example, Reference
from harness.errors import DataError
from harness.run_folder import IdSpill

from _helpers import Boom, files, synthetic

SYSTEMS = ["lead", "random:seed=3"]


def _rows(folder):
    return [json.loads(line) for line in (folder / "scores.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 5 examples, so that a small run crosses many chunk and batch boundaries."""
    monkeypatch.setattr(stats, "CHUNK", 5)


def test_chunks_are_fixed_by_position_not_by_batch(small_chunks, tmp_path):
    corpus = synthetic(23)
    outs = []
    for size in (1, 4, 7, 100):
        out = tmp_path / f"b{size}"
        harness.run(corpus, SYSTEMS, out=out, executor="serial", batch_size=size)
        outs.append(files(out))
    assert all(o == outs[0] for o in outs)
    # the runner's streamed statistics equal the in-memory path's on the rows it wrote
    summary = json.loads(outs[0]["summary.json"])
    cfg = summary["config"]
    assert summary["systems"] == corpus_means(_rows(tmp_path / "b4"), n_resamples=cfg["bootstrap"],
                                              seed=cfg["seed"], baseline=cfg["baseline_system"])


def test_failed_examples_stream_with_the_same_rule(small_chunks, tmp_path):
    corpus = synthetic(23)
    bad = ("ex0000003", "ex0000017", "ex0000018")
    outs = []
    for size in (3, 10):
        out = tmp_path / f"b{size}"
        harness.run(corpus, ["lead", Boom(bad=bad)], out=out, executor="serial", batch_size=size,
                    on_error="record")
        outs.append(files(out))
    assert outs[0] == outs[1]
    summary = json.loads(outs[0]["summary.json"])
    boom = summary["systems"]["boom"]["rouge1"]
    assert (boom["n"], boom["failed"]) == (20, 3) and "ci_low" in boom and "p_randomization" in boom
    assert summary["systems"] == corpus_means(_rows(tmp_path / "b3"), n_resamples=1000, seed=12345,
                                              baseline="lead")


def test_statistics_memory_does_not_grow_with_the_examples():
    """Peak memory of the statistics pass (traced numpy and Python allocations) at 4x the examples."""
    rng = np.random.default_rng(0)
    keys = [("lead", "rouge1"), ("lead", "rouge2"), ("other", "rouge1"), ("other", "rouge2")]
    block = rng.random((256, 4))

    def peak(n):
        tracemalloc.start()
        acc = Statistics(keys, n, n_resamples=20, seed=1, baseline="lead")
        for _ in range(n // 256):
            acc.add(block)
        acc.result({k: harness.aggregate.Column(np.zeros(0), 0.0, 0.0) for k in keys})
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(256 * 40), peak(256 * 320)  # 10,240 and 81,920 examples
    # holding the F values would add 2.6 MB (81,920 x 4 columns x 8 bytes)
    assert large < small + 200_000, (small, large)


def test_id_hashes_spill_to_buckets_and_duplicates_are_found(tmp_path, monkeypatch):
    monkeypatch.setattr(IdSpill, "BUFFER", 3)  # flush every batch or so
    spill = IdSpill(tmp_path / "ids")
    values = np.array([1, 2, 3, (7 << 56) + 5, (255 << 56) + 1], dtype=np.uint64)
    spill.add(values[:2])
    spill.add(values[2:])
    spill.add(np.array([(7 << 56) + 5], dtype=np.uint64))  # a duplicate, in another flush
    assert sorted(p.name for p in (tmp_path / "ids").iterdir()) == ["00.u64", "07.u64", "ff.u64"]
    assert spill.duplicates() == {(7 << 56) + 5}
    assert IdSpill(tmp_path / "ids").duplicates() == set()  # a new attempt starts empty


def test_duplicate_ids_far_apart_are_named(tmp_path, monkeypatch):
    monkeypatch.setattr(IdSpill, "BUFFER", 4)
    corpus = synthetic(30)
    corpus[27] = Example(corpus[1].id, "Another source. Two sentences.", [Reference("A reference.")])
    with pytest.raises(DataError, match=r"duplicate example id\(s\): 'ex0000001' \(2 times\)"):
        harness.run(iter(corpus), ["lead"], out=tmp_path, executor="serial", batch_size=3)


def test_run_rows_truth_does_not_read_the_rows(tmp_path):
    """The report asks `if rows:`; for a streamed run that must not load scores.jsonl into memory."""
    from harness.run_folder import RunRows

    path = tmp_path / "scores.jsonl"
    path.write_text("", encoding="utf-8")
    assert not RunRows(path)
    path.write_text('{"id": "a"}\n{"id": "b"}\n', encoding="utf-8")
    rows = RunRows(path)
    assert rows and rows._rows is None
    assert len(rows) == 2 and rows
