"""Examples from tables read batch by batch (local files, hub datasets, saved folders).

A `TableSource` gives Arrow record batches one at a time (Parquet, hub
datasets, saved folders: read through `datasets`), or plain rows one at a
time (JSON Lines, JSON and CSV files: read with the standard library), so
only about a thousand rows are in memory however long the data is. Each row
becomes an Example through `Fields`; the caller validates the stream.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Callable, Iterator

from ..data import Example
from ..errors import DataError
from .fields import DEFAULT_FIELDS, Fields, resolve, to_example

BATCH_ROWS = 1000


@dataclass
class TableSource:
    """Where rows come from and how to talk about them.

    batches: a fresh iterator of Arrow tables, in data order (None when `rows` is given).
    where: row index -> its place in messages ("data.jsonl:12").
    recover: called with the exception `batches` raised and the number of
        rows already read; it raises a DataError that names the place (a
        file's line), or returns an iterator of the remaining rows when the
        data is sound and only the reader failed.
    reader: what `harness.loaders.shards` needs to cut the source into
        pieces a worker reads itself; None where it cannot be cut.
    """

    name: str
    origin: str
    batches: Callable[[], Iterator] | None
    where: Callable[[int], str]
    recover: Callable[[Exception, int], Iterator[dict]] | None = None
    fields: Fields = DEFAULT_FIELDS
    auto_preset: bool = True
    id_given: bool = False
    notes: list[str] = field(default_factory=list)  # notes known before reading (e.g. the preset used)
    # (kind, location, *options) for `shards.plan`, when workers can read pieces of the source themselves
    reader: tuple | None = None
    rows: Callable[[], Iterator[dict]] | None = None  # a fresh iterator of plain rows, instead of `batches`


def _is_json(arrow_type) -> bool:
    return getattr(arrow_type, "extension_name", None) == "arrow.json"


def json_columns(schema) -> dict[str, str]:
    """Columns `datasets` stored JSON-encoded because their rows mix types: the whole value ("whole": a
    string here, a list there) or each item of a list ("items": `["x", 123]`)."""
    out = {}
    for f in schema:
        if _is_json(f.type):
            out[f.name] = "whole"
        elif _is_json(getattr(f.type, "value_type", None)):
            out[f.name] = "items"
    return out


class _DropReaderFailures(logging.Filter):
    """`datasets`' file readers log each error they are about to raise; the harness raises its own, clearer one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to")


_READER_LOGGERS = ("datasets.packaged_modules.json.json", "datasets.packaged_modules.csv.csv",
                   "datasets.packaged_modules.parquet.parquet")


def quiet_reader_logs() -> None:
    for name in _READER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropReaderFailures) for f in logger.filters):
            logger.addFilter(_DropReaderFailures())


def _row_columns(src: TableSource, head: list[dict]) -> list[str]:
    """The columns of plain rows: the keys of the first `BATCH_ROWS` in the order first seen, as the columns
    of the first Arrow batch are (a row without a key has that column empty)."""
    if not head:
        raise DataError(f"{src.origin}: no examples (the data is empty)")
    return list(dict.fromkeys(k for r in head for k in r))


def row_examples(src: TableSource, notes: list[str]) -> Iterator[tuple[int, Example]]:
    """(row index, Example) for every plain row of `src.rows`."""
    rows = src.rows()
    head = list(islice(rows, BATCH_ROWS))
    fields = resolve(_row_columns(src, head), src.origin, src.fields, auto_preset=src.auto_preset,
                     id_given=src.id_given, notes=notes)
    for row, r in enumerate(chain(head, rows)):
        yield row, to_example(r, fields, row, src.where)


def table_examples(src: TableSource, notes: list[str]) -> Iterator[tuple[int, Example]]:
    """(row index, Example) for every row of the source."""
    notes.extend(src.notes)
    if src.rows is not None:
        yield from row_examples(src, notes)
        return
    fields: Fields | None = None
    used: list[str] = []
    json_cols: dict[str, str] = {}
    row = 0
    try:
        quiet_reader_logs()
        for batch in src.batches():
            if fields is None:
                fields = resolve(batch.column_names, src.origin, src.fields, auto_preset=src.auto_preset,
                                 id_given=src.id_given, notes=notes)
                used = fields.columns()
                json_cols = json_columns(batch.select(used).schema)
            # Only the columns an Example needs become Python objects (not, say, a
            # dataset's per-system outputs and human scores, unless asked for as extra).
            for r in batch.select(used).to_pylist():
                yield row, to_example(r, fields, row, src.where, json_cols)
                row += 1
    except (DataError, GeneratorExit):
        raise
    except Exception as e:  # the reader failed: find out where, or read on without it
        if src.recover is None:
            raise DataError(f"{src.origin}: cannot be read: {e}") from e
        rest = src.recover(e, row)
        for r in rest:
            if fields is None:
                fields = resolve(list(r), src.origin, src.fields, auto_preset=src.auto_preset,
                                 id_given=src.id_given, notes=notes)
            yield row, to_example(r, fields, row, src.where)
            row += 1
    if row == 0:
        raise DataError(f"{src.origin}: no examples (the data is empty)")
