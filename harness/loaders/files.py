"""Local data files: JSON Lines, JSON and CSV/TSV with the standard library, Parquet through `datasets`.

JSON Lines and CSV are read a line at a time, checked as they are read:
a large file is never held whole in memory, and a bad line stops the read
with what is wrong and where (`data.jsonl:7: malformed JSON: ...`,
`data.csv:12: expected 3 fields, saw 4`, a byte that is not UTF-8). A JSON
array is read whole (`json.loads`). Every CSV cell is text, as written (ids
such as "007" stay so, no cell becomes NaN). Parquet is streamed through
`datasets.load_dataset(..., data_files=..., streaming=True)`. Reading these
formats with the standard library instead of building Arrow tables spares
a run the import of `datasets` and pyarrow (about half a second) and gives
the same examples (tests/test_load_readers.py reads every file both ways).
Dask workers read their shards of the same files with the same functions
(`json_rows`, `csv_rows`; harness.loaders.shards).
"""
from __future__ import annotations

import codecs
import csv
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ..errors import DataError
from .fields import FieldOptions
from .tables import BATCH_ROWS, TableSource

FORMATS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet"}


def is_data_file(path: Path) -> bool:
    return path.suffix.lower() in FORMATS


def _dataset(builder: str, path: Path, **kwargs):
    import datasets

    # datasets pings a download counter for its packaged builders (json, csv, ...)
    # with a 3 s timeout: pointless for a local file, and a 3 s stall offline.
    datasets.config.HF_UPDATE_DOWNLOAD_COUNTS = False
    return datasets.load_dataset(builder, data_files=str(path.resolve()), split="train", streaming=True, **kwargs)


def _batches(builder: str, path: Path, **kwargs):
    def gen():
        ds = _dataset(builder, path, **kwargs)
        yield from ds.with_format("arrow").iter(batch_size=BATCH_ROWS)
    return gen


# --- JSON Lines and JSON -------------------------------------------------------------------------

def _decode(raw: bytes, path: Path, lineno: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}:{lineno}: not UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1}: "
                        f"{e.reason})") from None


def _is_json_array(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"[")


def read_text(path: Path) -> str:
    """A whole file as UTF-8 (a BOM dropped); bad bytes are a DataError naming the line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise DataError(f"{path}:{line}: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}: {e.reason})") from None


def _json_array(path: Path) -> list:
    text = read_text(path)
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as e:
        raise DataError(f"{path}:{e.lineno}: malformed JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(rows, list):
        raise DataError(f"{path}: expected a JSON array of objects or JSON Lines")
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            raise DataError(f"{path}: element {i} is not a JSON object")
    return rows


def numbered_json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """`(line number, object)` for each non-blank line of a JSON Lines file, checked line by line."""
    with open(path, "rb") as fh:
        yield from json_rows(path, enumerate(fh, 1))


def json_rows(path: Path, lines, line_of=lambda n: n, bom: bool = True) -> Iterator[tuple[int, dict]]:
    """`(line number, object)` of numbered raw lines of `path` (all of it, or a shard's byte range).

    `line_of` turns a number into the file's line for messages (a shard
    numbers its lines from its own start, and counts where it starts only for
    a message); `bom`: the lines start the file.
    """
    for lineno, raw in lines:
        if bom and lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode(raw, path, line_of(lineno))
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as e:
            raise DataError(f"{path}:{line_of(lineno)}: malformed JSON: {e.msg} (column {e.colno})") from None
        if not isinstance(row, dict):
            raise DataError(f"{path}:{line_of(lineno)}: expected a JSON object, got {type(row).__name__}")
        yield lineno, row


def json_lines(path: Path) -> Iterator[dict]:
    """The objects of a JSON Lines file, checked line by line."""
    for _, row in numbered_json_lines(path):
        yield row


@lru_cache(maxsize=8)
def _json_line_of_row(path: Path, mtime: float, row: int) -> int:
    """The line number of the row-th object (blank lines hold none)."""
    n = -1
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if raw.strip():
                n += 1
                if n == row:
                    return lineno
    return lineno + 1 if n >= 0 else 1


# A JSON escape of a UTF-16 surrogate (\ud800-\udfff). A pair is one character; a lone one is not
# Unicode at all, and the JSON reader `datasets` uses drops it without a word.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_surrogates(path: Path) -> None:
    """A DataError naming the line and the id of the first lone surrogate in a JSON Lines file, if any.

    Only lines holding a surrogate escape are parsed (by Python's json, which keeps a lone surrogate
    as it is, where a paired one becomes its character), so the cost is one scan of the bytes.
    """
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not _SURROGATE_ESCAPE.search(raw):
                continue
            try:
                row = json.loads(raw)
            except ValueError:
                continue  # malformed: the reader says where
            for key, value in (row.items() if isinstance(row, dict) else ()):
                lone = _first_lone_surrogate(value)
                if lone is not None:
                    raise DataError(f"{path}:{lineno}: field {key!r} of id {row.get('id', '?')!r} holds a lone "
                                    f"surrogate {lone!r}, which is not Unicode text (a broken UTF-16 pair?)")


def _first_lone_surrogate(value) -> str | None:
    if isinstance(value, str):
        m = _LONE_SURROGATE.search(value)
        return m.group() if m else None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        found = _first_lone_surrogate(item)
        if found is not None:
            return found
    return None


def _json_source(path: Path, **kw) -> TableSource:
    if _is_json_array(path):
        return TableSource(path.stem, str(path), None, lambda row: f"{path}: element {row}",
                           rows=lambda: iter(_json_array(path)), **kw)

    def where(row: int) -> str:
        return f"{path}:{_json_line_of_row(path, path.stat().st_mtime, row)}"

    def rows() -> Iterator[dict]:
        check_surrogates(path)  # a lone surrogate is no text: named with its line and id, never read on
        yield from json_lines(path)

    return TableSource(path.stem, str(path), None, where, rows=rows, **kw, reader=("jsonl", path.resolve()))


# --- CSV and TSV ---------------------------------------------------------------------------------

def csv_dialect(path: Path) -> dict:
    if path.suffix.lower() == ".tsv":
        return {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
    return {"delimiter": ","}


def _csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each record, checking encoding and shape as it goes."""
    with open(path, "rb") as fh:
        yield from csv_rows(path, enumerate(fh, 1))


def csv_rows(path: Path, lines, line_of=lambda n: n, width: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each record of numbered raw lines of `path` (all of it, or a shard's range).

    `line_of` turns a number into the file's line for messages; `width`: the
    header's, when the lines come after it.
    """
    def decoded() -> Iterator[str]:
        for lineno, raw in lines:
            raw = raw.removeprefix(codecs.BOM_UTF8) if lineno == 1 else raw
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield _decode(raw, path, line_of(lineno))

    reader = csv.reader(decoded(), strict=True, **csv_dialect(path))
    start = 1
    try:
        for rec in reader:
            if rec:
                if width is None:
                    width = len(rec)
                elif len(rec) != width:
                    raise DataError(f"{path}:{line_of(start)}: malformed CSV: expected {width} fields, saw {len(rec)}")
                yield start, rec
            start = reader.line_num + 1
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            raise DataError(f"{path}:{line_of(start)}: malformed CSV: a quoted field opened on line "
                            f"{line_of(start)} is never closed") from None
        raise DataError(f"{path}:{line_of(reader.line_num)}: malformed CSV: {e}") from None


@lru_cache(maxsize=8)
def _csv_line_of_row(path: Path, mtime: float, row: int) -> int:
    for i, (line, _) in enumerate(_csv_records(path)):
        if i == row + 1:  # record 0 is the header
            return line
    return 0


def _csv_header(path: Path) -> list[str]:
    for _, rec in _csv_records(path):
        return rec
    raise DataError(f"{path}: empty file (no header line)")


def numbered_csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """`(line number, {column: text})` for each record after the header of a CSV/TSV file, checked as read."""
    header = None
    for line, rec in _csv_records(path):
        if header is None:
            header = rec
            continue
        yield line, dict(zip(header, rec))


def _csv_source(path: Path, **kw) -> TableSource:
    header = _csv_header(path)
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise DataError(f"{path}:1: column(s) named twice in the header: {', '.join(dupes)}")

    def where(row: int) -> str:
        return f"{path}:{_csv_line_of_row(path, path.stat().st_mtime, row)}"

    def rows() -> Iterator[dict]:
        return (row for _, row in numbered_csv_rows(path))

    return TableSource(path.stem, str(path), None, where, rows=rows, **kw, reader=("csv", path.resolve()))


# --- Parquet -------------------------------------------------------------------------------------

def _parquet_source(path: Path, **kw) -> TableSource:
    def recover(err: Exception, done: int) -> Iterator[dict]:
        raise DataError(f"{path}: not a readable Parquet file (row {done}): {err}")

    return TableSource(path.stem, str(path), _batches("parquet", path), lambda row: f"{path}: row {row}",
                       recover, **kw, reader=("parquet", path.resolve()))


def file_source(path: str | Path, opts: FieldOptions = FieldOptions()) -> TableSource:
    """The rows of a local data file, chosen by its suffix."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    fields, auto, id_given = opts.plan()
    kw = dict(fields=fields, auto_preset=auto, id_given=id_given)
    if suffix in (".jsonl", ".json"):
        return _json_source(path, **kw)
    if suffix in (".csv", ".tsv"):
        return _csv_source(path, **kw)
    if suffix == ".parquet":
        return _parquet_source(path, **kw)
    raise DataError(f"{path}: unknown data format {suffix!r} (expected one of {', '.join(FORMATS)} or .txt)")
