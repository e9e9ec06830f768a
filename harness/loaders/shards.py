"""Shards: pieces of a data source that a worker reads and parses by itself.

A run on a Dask cluster sends each task a `Shard` instead of its examples, so
the driver never reads, parses or ships an example (docs/large-runs.md):

    JSON Lines   a byte range aligned to line starts: the driver seeks to
                 every `step` bytes and reads on to the next newline (UTF-8
                 never has a 0x0A byte inside a character, so a range never
                 cuts one); it reads nothing else of the file
    CSV, TSV     a byte range aligned to record starts: the driver reads the
                 file once, line by line, counting quote marks, so that a
                 range never starts inside a quoted field that holds a newline
                 (an even count of `"` before a newline means it ends a record:
                 RFC 4180 doubles a quote inside a field)
    Parquet      consecutive row groups (from the file's footer)
    saved folder a range of rows of a `save_to_disk` folder
    hub          one of `datasets`' own shards (`IterableDataset.shard`: one or
                 more of the dataset's files)

`plan` cuts a `TableSource` into shards of about `batch_size` rows, having
resolved the fields on the first rows exactly as the streamed path does
(`tables.table_examples`), or returns None where a source cannot be cut (a
JSON array, a transcript, rows limited with `[:N]`, ids that are row numbers
of a source whose row offsets are unknown): the run then reads the examples
on the driver as before. `read_shard` runs on the worker: it reads, parses
and validates the shard's rows with the same checks and the same messages
(file and line) as the streamed path. Rows are numbered from the start of
the data where the plan knows where a shard starts (every kind but hub);
a line number is counted from the start of the file only when a message
needs one.
"""
from __future__ import annotations

import csv
import itertools
import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from ..data import Example
from ..errors import DataError
from .fields import Fields, resolve, to_example
from .files import csv_dialect, csv_rows, json_rows
from .tables import BATCH_ROWS, TableSource, json_columns, quiet_reader_logs
from .validation import validate

HEAD_BYTES = 1 << 20  # bytes read to estimate a JSON Lines file's bytes per line


class Shard(NamedTuple):
    """One task's input: where its rows are and how to make them examples (plain data: it is pickled)."""

    kind: str  # "jsonl", "csv", "parquet", "saved", "hub"
    origin: str  # the source as messages name it
    location: str  # the file, folder or hub repository
    start: int  # first byte / row group / row / shard index
    stop: int  # end byte / row group / row / number of shards
    first_row: int | None  # the data row of the shard's first row, where known
    first_line: int | None  # the file line of the shard's first byte, where known
    fields: Fields
    options: tuple = ()  # csv: the header; hub: (config, split); saved: (split,)
    stamp: tuple = ()  # (size, mtime_ns) of a file: part of the resume digest
    require_references: bool = True

    def digest(self) -> str:
        """What decides the shard's examples: a reused checkpoint needs the same digest."""
        return hashlib.sha256(json.dumps(list(self), default=repr).encode()).hexdigest()


class ShardPlan(NamedTuple):
    shards: list[Shard]
    notes: list[str]  # the source's notes (field presets, row-number ids), as the streamed path makes them


def plan(src: TableSource, batch_size: int, check: dict) -> ShardPlan | None:
    """The shards of `src`, about `batch_size` rows each; None where the source cannot be cut."""
    if src.reader is None or check.get("allow_missing"):
        return None
    notes = list(src.notes)
    kind, location, *options = src.reader
    columns = _head_columns(src, kind, Path(location) if kind != "hub" else location)
    if not columns:  # an unreadable or empty source: the streamed path names the problem
        return None
    fields = resolve(columns, src.origin, src.fields, auto_preset=src.auto_preset,
                     id_given=src.id_given, notes=notes)
    cut = _PLANNERS[kind](Path(location) if kind != "hub" else location, batch_size, fields, tuple(options))
    if cut is None:
        return None
    base = Shard(kind, src.origin, str(location), 0, 0, None, None, fields, tuple(options), _stamp(kind, location),
                 check.get("require_references", True))
    return ShardPlan([base._replace(start=a, stop=b, first_row=row, first_line=line, options=opts)
                      for a, b, row, line, opts in cut], notes)


def _head_columns(src: TableSource, kind: str, location) -> list[str] | None:
    """The columns of the source's first block of rows, as the streamed path resolves its fields on them.

    A JSON Lines file's are the keys of its first `HEAD_BYTES` (and the rest
    of that line; `datasets` reads blocks of the same size), in the order
    first seen, as Arrow names them: read with the standard library, so the
    driver does not import `datasets` to plan a run. None when a row there is
    not a JSON object, or the source is empty or unreadable.
    """
    if kind == "jsonl":
        return _json_head_columns(location)
    try:
        quiet_reader_logs()
        if src.rows is not None:  # read with the standard library (CSV): the keys of its first rows, as tables'
            return list(dict.fromkeys(k for r in itertools.islice(src.rows(), BATCH_ROWS) for k in r)) or None
        return next(iter(src.batches())).column_names
    except Exception:
        return None


def _json_head_columns(path: Path) -> list[str] | None:
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES) + fh.readline()
    columns: dict[str, None] = {}
    for n, raw in enumerate(head.split(b"\n")):
        raw = raw.removeprefix(b"\xef\xbb\xbf") if n == 0 else raw
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(row, dict):
            return None
        columns.update(dict.fromkeys(row))
    return list(columns) or None


def _stamp(kind: str, location) -> tuple:
    if kind == "hub":
        return ()
    st = os.stat(location)
    return st.st_size, st.st_mtime_ns


# --- planners: (start, stop, first row, first line, options) per shard -----------------------------

def _jsonl_ranges(path: Path, batch_size: int, fields: Fields, options: tuple):
    if fields.id is None:
        return _line_ranges(path, batch_size, quoted=False, header=False, options=options)
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        bounds = _jsonl_bounds(fh, size, max(1, len(head) * batch_size // max(head.count(b"\n"), 1)))
    return [(a, b, None, 1 if a == 0 else None, options) for a, b in zip(bounds, bounds[1:])]


def _jsonl_bounds(fh, size: int, step: int) -> list[int]:
    """Byte offsets of line starts about `step` apart, from 0 to `size`: a seek and a line read per shard."""
    bounds = [0]
    while bounds[-1] + step < size:
        fh.seek(bounds[-1] + step - 1)  # the line holding the byte before the target ends the shard
        fh.readline()
        if fh.tell() >= size:
            break
        bounds.append(fh.tell())
    return bounds + [size]


def _csv_ranges(path: Path, batch_size: int, fields: Fields, options: tuple):
    header = _csv_header(path)
    return _line_ranges(path, batch_size, quoted=csv_dialect(path).get("quoting") != csv.QUOTE_NONE, header=True,
                        options=(tuple(header),))


def _csv_header(path: Path) -> list[str]:
    from .files import _csv_header as header  # the streamed path's own reader of the header

    return header(path)


def _line_ranges(path: Path, batch_size: int, quoted: bool, header: bool, options: tuple):
    """Ranges of `batch_size` records, by reading every line once: rows and lines counted exactly."""
    out = []
    pos = begin = 0
    line = begin_line = 1
    rows = begin_row = 0
    inside = False  # in a quoted field across lines
    skip_header = header
    with open(path, "rb") as fh:
        for raw in fh:
            pos += len(raw)
            line += 1
            if quoted and raw.count(b'"') % 2:
                inside = not inside
            if inside or not (raw.rstrip(b"\r\n") if header else raw.strip()):
                continue  # a record goes on, or a blank line
            if skip_header:
                skip_header = False
                begin, begin_line = pos, line
                continue
            rows += 1
            if rows - begin_row >= batch_size:
                out.append((begin, pos, begin_row, begin_line, options))
                begin, begin_line, begin_row = pos, line, rows
    if rows > begin_row or not out:
        out.append((begin, pos, begin_row, begin_line, options))
    else:  # blank lines after the last row: the last shard reads them
        out[-1] = (*out[-1][:1], pos, *out[-1][2:])
    return out


def _parquet_groups(path: Path, batch_size: int, fields: Fields, options: tuple):
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    out, start, row, first = [], 0, 0, 0
    for g in range(meta.num_row_groups):
        row += meta.row_group(g).num_rows
        if row - first >= batch_size or g == meta.num_row_groups - 1:
            out.append((start, g + 1, first, None, options))
            start, first = g + 1, row
    return out


def _saved_rows(path: Path, batch_size: int, fields: Fields, options: tuple):
    split, limit = options
    n = len(_saved_dataset(str(path), split))
    n = n if limit is None else min(limit, n)
    return [(a, min(a + batch_size, n), a, None, options) for a in range(0, n, batch_size)]


def _hub_shards(repo: str, batch_size: int, fields: Fields, options: tuple):
    if fields.id is None:
        return None  # a shard's first row is unknown before the shards before it are read
    n = _hub_dataset(repo, *options).num_shards
    return [(i, n, None, None, options) for i in range(n)]


_PLANNERS: dict[str, Callable] = {"jsonl": _jsonl_ranges, "csv": _csv_ranges, "parquet": _parquet_groups,
                                  "saved": _saved_rows, "hub": _hub_shards}


def _saved_dataset(path: str, split: str | None):
    import datasets

    ds = datasets.load_from_disk(path)
    return ds[split] if split else ds


def _hub_dataset(repo: str, config: str | None, split: str):
    import datasets

    datasets.config.HF_UPDATE_DOWNLOAD_COUNTS = False  # a download-counter ping, see files._dataset
    return datasets.load_dataset(repo, config, split=split, streaming=True)


# --- the worker's side ---------------------------------------------------------------------------

class _Lines:
    """Line numbers of a shard in the file: counted from the file's start only when a message needs one."""

    def __init__(self, shard: Shard) -> None:
        self.shard, self._first = shard, shard.first_line

    def __call__(self, relative: int) -> int:
        if self._first is None:
            with open(self.shard.location, "rb") as fh:
                self._first = 1 + _count_newlines(fh, self.shard.start)
        return self._first + relative - 1


def _count_newlines(fh, end: int) -> int:
    n, left = 0, end
    while left > 0:
        block = fh.read(min(left, 1 << 24))
        if not block:
            break
        n += block.count(b"\n")
        left -= len(block)
    return n


def _read_range(shard: Shard) -> bytes:
    with open(shard.location, "rb") as fh:
        fh.seek(shard.start)
        return fh.read(shard.stop - shard.start)


def _range_lines(shard: Shard) -> Iterator[tuple[int, bytes]]:
    """(line number within the shard, from 1; raw line) of the shard's byte range."""
    data = _read_range(shard)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return enumerate((raw + b"\n" for raw in lines), 1)


def _jsonl_records(shard: Shard, line_of: Callable[[int], int]) -> Iterator[tuple[int, dict]]:
    return json_rows(Path(shard.origin), _range_lines(shard), line_of, bom=shard.start == 0)


def _csv_records(shard: Shard, line_of: Callable[[int], int]) -> Iterator[tuple[int, dict]]:
    header = list(shard.options[0])
    for line, rec in csv_rows(Path(shard.origin), _range_lines(shard), line_of, width=len(header)):
        yield line, dict(zip(header, rec))


Rows = tuple[Iterator[tuple[int, Example]], Callable[[int], str]]  # (row, example) pairs, row -> its place


def _file_rows(shard: Shard) -> Rows:
    line_of = _Lines(shard)
    records = (_jsonl_records if shard.kind == "jsonl" else _csv_records)(shard, line_of)
    base = shard.first_row or 0
    lines: list[int] = []  # the file line of each row read so far (a batch's worth)

    def where(row: int) -> str:
        return f"{shard.origin}:{line_of(lines[row - base])}"

    def pairs() -> Iterator[tuple[int, Example]]:
        for k, (line, record) in enumerate(records):
            lines.append(line)
            yield base + k, to_example(record, shard.fields, base + k, where)

    return pairs(), where


def _arrow_rows(shard: Shard, batches: Iterator, where: Callable[[int], str]) -> Rows:
    def pairs() -> Iterator[tuple[int, Example]]:
        row = shard.first_row or 0
        for batch in batches:
            part = batch.select(shard.fields.columns())
            cols = json_columns(part.schema)
            for r in part.to_pylist():
                yield row, to_example(r, shard.fields, row, where, cols)
                row += 1

    return pairs(), where


def _parquet_rows(shard: Shard) -> Rows:
    import pyarrow.parquet as pq

    batches = pq.ParquetFile(shard.location).iter_batches(BATCH_ROWS, row_groups=range(shard.start, shard.stop),
                                                          columns=shard.fields.columns())
    return _arrow_rows(shard, batches, lambda row: f"{shard.origin}: row {row}")


def _saved_rows_of(shard: Shard) -> Rows:
    ds = _saved_dataset(shard.location, shard.options[0]).select(range(shard.start, shard.stop))
    return _arrow_rows(shard, ds.with_format("arrow").iter(batch_size=BATCH_ROWS),
                       lambda row: f"{shard.origin}: row {row}")


def _hub_rows(shard: Shard) -> Rows:
    ds = _hub_dataset(shard.location, *shard.options).shard(num_shards=shard.stop, index=shard.start)
    return _arrow_rows(shard, ds.with_format("arrow").iter(batch_size=BATCH_ROWS),
                       lambda row: f"{shard.origin}: row {row} of shard {shard.start + 1} of {shard.stop}")


_READERS: dict[str, Callable[[Shard], Rows]] = {
    "jsonl": _file_rows, "csv": _file_rows, "parquet": _parquet_rows, "saved": _saved_rows_of, "hub": _hub_rows}


def read_shard(shard: Shard) -> list[Example]:
    """The shard's examples, read, parsed and validated (a DataError names the file and line)."""
    pairs, where = _READERS[shard.kind](shard)
    return list(validate(pairs, where, [], None, require_references=shard.require_references))
