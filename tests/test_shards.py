"""Shards: workers read their own pieces of the data, and a run on Dask writes what the serial executor writes."""
import csv
import json
import subprocess
import sys

import pytest

import harness
from harness.errors import DataError
from harness.loaders import stream
from harness.loaders.shards import _jsonl_bounds, read_shard

from _helpers import Slow, files

SYSTEMS = ["lead", "random:seed=3"]


def _records(n: int) -> list[dict]:
    # multi-byte characters everywhere (2, 3 and 4 bytes in UTF-8), so byte ranges fall inside them
    return [{"id": f"é{i}", "source": f"Première phrase {i} — ok. Zweite Straße {i}. 第三句 {i}. 🙂 fin {i}.",
             "references": [f"Première {i}. 🙂 {i}."]} for i in range(n)]


def _jsonl(path, records, blank_lines=False):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    text = "".join(line + ("\n\n  \n" if blank_lines and i % 5 == 2 else "\n") for i, line in enumerate(lines))
    path.write_text(text, encoding="utf-8")
    return path


def _csv(path, records, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, **({} if delimiter == "," else {"quoting": csv.QUOTE_NONE}))
        w.writerow(["id", "source", "references"])
        for r in records:
            # a quoted newline inside every third source (CSV only: TSV has no quoting)
            source = r["source"].replace(" — ", "\n") if delimiter == "," and r["id"].endswith(("0", "3", "6")) \
                else r["source"]
            w.writerow([r["id"], source, r["references"][0]])
    return path


def _parquet(path, records):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=4)
    return path


def _shard_examples(spec, batch_size):
    plan = stream(spec).shard_plan(batch_size)
    assert plan is not None
    return plan, [ex for shard in plan.shards for ex in read_shard(shard)]


def _same(a, b):
    assert [(e.id, e.source, e.references, e.question) for e in a] == \
        [(e.id, e.source, e.references, e.question) for e in b]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    recs = _records(23)
    return {"jsonl": _jsonl(root / "d.jsonl", recs), "csv": _csv(root / "d.csv", recs),
            "tsv": _csv(root / "d.tsv", recs, "\t"), "parquet": _parquet(root / "d.parquet", recs),
            "blank": _jsonl(root / "blank.jsonl", [{k: v for k, v in r.items() if k != "id"} for r in recs], True)}


@pytest.mark.parametrize("kind", ["jsonl", "csv", "tsv", "parquet", "blank"])
@pytest.mark.parametrize("batch_size", [1, 2, 3, 7, 1000])
def test_shards_hold_the_streamed_examples(data, kind, batch_size):
    plan, examples = _shard_examples(data[kind], batch_size)
    _same(examples, list(stream(data[kind])))
    if batch_size == 1 and kind in ("csv", "tsv", "blank"):
        assert len(plan.shards) == 23  # counted: one row (one CSV record, quoted newlines and all) each
    elif kind == "jsonl":  # cut by bytes, about batch_size lines each
        sizes = [len(read_shard(s)) for s in plan.shards]
        assert min(sizes) >= 1 and max(sizes) <= 2 * batch_size
    assert plan.notes == stream(data[kind]).shard_plan(batch_size).notes


def test_row_number_ids_count_only_rows(data):
    """Without an id column the ids are row numbers: blank lines are no rows, as in the streamed path."""
    plan, examples = _shard_examples(data["blank"], 3)
    assert [e.id for e in examples] == [str(i) for i in range(23)]
    assert any("ids are row numbers" in n for n in plan.notes)


def test_byte_bounds_at_every_offset(tmp_path):
    """Every target offset, inside a multi-byte character or on a line end, cuts at a line start."""
    path = _jsonl(tmp_path / "d.jsonl", _records(5))
    raw = path.read_bytes()
    starts = {0} | {i + 1 for i, b in enumerate(raw) if b == 0x0A and i + 1 < len(raw)}
    for step in range(1, len(raw) + 1):
        with open(path, "rb") as fh:
            bounds = _jsonl_bounds(fh, len(raw), step)
        assert bounds[0] == 0 and bounds[-1] == len(raw) and set(bounds[:-1]) <= starts
        assert sorted(set(bounds)) == bounds
        if step == raw.index(b"\n") + 1:  # the target is exactly a line end: that line start is a bound
            assert step in bounds


def test_hub_folder_and_saved_folder_shards(tmp_path):
    """The hub path (a folder of data files, read by datasets' own shards) and a save_to_disk folder."""
    import datasets

    recs = _records(12)
    hub = tmp_path / "hubset"
    hub.mkdir()
    for i in range(3):
        _jsonl(hub / f"test-{i}.jsonl", recs[4 * i:4 * i + 4])
    spec = f"hf:{hub}:test"
    plan, examples = _shard_examples(spec, 2)
    assert len(plan.shards) == 3 and plan.shards[0].kind == "hub"
    _same(examples, list(stream(spec)))
    saved = tmp_path / "saved"
    datasets.Dataset.from_list(recs).save_to_disk(str(saved))
    plan, examples = _shard_examples(str(saved), 5)
    assert [s.kind for s in plan.shards] == ["saved"] * 3
    _same(examples, list(stream(str(saved))))


def _blank_source(text: str, i: int) -> str:
    """The source of record é{i} replaced by as many spaces (the file keeps its length)."""
    line = next(l for l in text.splitlines() if f'"id": "é{i}"' in l)
    source = json.loads(line)["source"]
    blank = json.dumps(source, ensure_ascii=False)
    return text.replace(line, line.replace(blank, '"' + " " * (len(blank.encode()) - 2) + '"'))


@pytest.mark.parametrize("kind, bad, message", [
    ("jsonl", lambda t: t.replace('"id": "é17"', '"id"; "é17"'), ":18: malformed JSON"),
    ("jsonl", lambda t: _blank_source(t, 19), ":20: empty source for id 'é19'"),
    ("csv", lambda t: t.replace("phrase 21", "phrase,21"), ":30: malformed CSV: expected 3 fields, saw 4"),
])
def test_worker_errors_name_the_file_and_line(data, tmp_path, kind, bad, message):
    """A worker finds a bad row the driver never read (the file changed after the plan; its length did not)."""
    path = tmp_path / data[kind].name
    path.write_bytes(data[kind].read_bytes())
    plan = stream(path).shard_plan(4)
    text = bad(path.read_bytes().decode("utf-8")).encode("utf-8")
    assert len(text) == path.stat().st_size
    path.write_bytes(text)
    with pytest.raises(DataError) as streamed:
        list(stream(path))
    with pytest.raises(DataError) as sharded:
        [read_shard(s) for s in plan.shards]
    assert message in str(sharded.value)
    assert str(sharded.value) == str(streamed.value)


def test_json_array_and_allow_missing_are_not_cut(tmp_path, data):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(_records(3)), encoding="utf-8")
    assert stream(path).shard_plan is None
    assert stream(data["jsonl"], allow_missing=True).shard_plan(2) is None
    assert stream("interview").shard_plan is None


@pytest.fixture(scope="module")
def dask_executor():
    pytest.importorskip("distributed")
    from harness.executors import DaskExecutor

    return lambda: DaskExecutor(2, processes=False)


@pytest.mark.parametrize("kind, batch_size", [("jsonl", 3), ("csv", 2), ("parquet", 256)])
def test_dask_reads_shards_and_writes_the_serial_files(data, kind, batch_size, dask_executor, tmp_path):
    harness.run(stream(data[kind]), SYSTEMS, out=tmp_path / "s", executor="serial", batch_size=batch_size)
    harness.run(stream(data[kind]), SYSTEMS, out=tmp_path / "d", executor=dask_executor(), batch_size=batch_size,
                explorer=False)
    assert files(tmp_path / "d") == files(tmp_path / "s")


def test_dask_duplicate_ids_across_shards(tmp_path, dask_executor):
    recs = _records(9)
    recs[7]["id"] = recs[1]["id"]
    path = _jsonl(tmp_path / "d.jsonl", recs)
    with pytest.raises(DataError, match="duplicate example id.*'é1' \\(2 times\\)"):
        harness.run(stream(path), ["lead"], out=tmp_path / "d", executor=dask_executor(), batch_size=2)


def test_dask_shards_resume(data, tmp_path, dask_executor):
    """Interrupted after some shards, the same run again reads only the others, and ends with the same files."""
    calls = tmp_path / "calls.txt"
    done = []

    def stop(n):
        done.append(n)
        if len(done) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        harness.run(stream(data["jsonl"]), [Slow(0, calls=str(calls)), "lead:k=1"], out=tmp_path / "d",
                    executor=dask_executor(), batch_size=2, progress=stop)
    first = calls.read_text().split()
    calls.unlink()
    harness.run(stream(data["jsonl"]), [Slow(0, calls=str(calls)), "lead:k=1"], out=tmp_path / "d",
                executor=dask_executor(), batch_size=2)
    again = calls.read_text().split()
    assert len(again) < 23 and len(set(first) | set(again)) == 23
    harness.run(stream(data["jsonl"]), [Slow(0), "lead:k=1"], out=tmp_path / "s", executor="serial", batch_size=2)
    assert files(tmp_path / "d") == files(tmp_path / "s")


def test_statistics_on_workers_are_the_drivers_bits(monkeypatch):
    """Chunk by chunk elsewhere (`chunk_statistics`), added up in order: the numbers of `Statistics.add`."""
    import numpy as np

    from harness import stats
    from harness.aggregate import Column, Statistics, chunk_statistics

    monkeypatch.setattr(stats, "CHUNK", 7)
    rng = np.random.default_rng(1)
    f = rng.random((40, 4))
    f[3, 1] = f[11, 2] = np.nan
    keys = [("lead", "rouge1"), ("lead", "rouge2"), ("x", "rouge1"), ("x", "rouge2")]
    totals = {k: Column(np.zeros(0), 1.0, 2.0) for k in keys}
    here = Statistics(keys, 40, n_resamples=50, seed=5, baseline="lead")
    for a in range(0, 40, 9):
        here.add(f[a:a + 9])
    there = Statistics(keys, 40, n_resamples=50, seed=5, baseline="lead")
    for index, m, draws in there.chunks():
        part = chunk_statistics(f[7 * index:7 * index + m], 4, there.pairs, draws, 5, index)
        there.merge(part, m)
    assert json.dumps(there.result(totals)) == json.dumps(here.result(totals))


def test_dask_resamples_on_workers(data, dask_executor, tmp_path, monkeypatch):
    """Several resampling chunks, computed by the workers: the serial run's summary.json, byte for byte."""
    from harness import stats

    monkeypatch.setattr(stats, "CHUNK", 5)
    harness.run(stream(data["jsonl"]), SYSTEMS, out=tmp_path / "s", executor="serial", batch_size=3)
    harness.run(stream(data["jsonl"]), SYSTEMS, out=tmp_path / "d", executor=dask_executor(), batch_size=3)
    assert files(tmp_path / "d") == files(tmp_path / "s")


def test_json_lines_columns_without_datasets(tmp_path):
    """The driver plans a JSON Lines run with the standard library: the columns `datasets` would give."""
    from harness.loaders import files
    from harness.loaders.shards import _json_head_columns

    recs = [{"id": "a", "source": "x.", "references": ["y."]}, {"id": "b", "question": "q?", "source": "x.",
                                                                 "references": "y.", "extra": 1}]
    path = _jsonl(tmp_path / "d.jsonl", recs * 3)
    first = next(iter(files._batches("json", path)()))  # what datasets gives (the loader reads JSONL without it)
    assert _json_head_columns(path) == first.column_names


@pytest.mark.slow
def test_a_data_error_on_a_dask_worker_is_one_line_and_exit_2(tmp_path):
    """Issue 13: no traceback. The worker's "Compute Failed" log is not shown; the driver reports the error once."""
    pytest.importorskip("distributed")
    recs = _records(12)
    recs[9]["source"] = "Fine. \ud800 broken."  # a lone surrogate, written as the \\ud800 escape
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="ascii")
    proc = subprocess.run([sys.executable, "-m", "harness", "run", "--data", str(path), "--summarizers", "lead",
                           "--out", str(tmp_path / "o"), "--executor", "dask", "--workers", "2", "--batch-size", "3",
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"harness: error: {path}:10: the source of id {recs[9]['id']!r} is not "
                                        "valid Unicode: a lone surrogate '\\ud800' at character 7"], proc.stderr
