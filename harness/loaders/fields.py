"""Which columns of a table hold the id, the source and the references.

Every tabular source (a local file, a Hugging Face dataset, a folder saved
by `datasets`) yields rows as dicts; `Fields` names the columns an Example
is built from. The defaults are `id`, `source` and `references`; the common
summarization datasets have presets, found by name (`hf:xsum`) or, when the
default columns are absent, by the columns a table has.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Callable, Mapping

from ..data import Example, Reference
from ..errors import DataError


@dataclass(frozen=True)
class Fields:
    """Column names. `id=None`: the row number (from 0) is the id.

    `references` names one or more columns; each holds one reference (a
    string) or several (a list of strings). `question` optionally names a
    column of context the source answers (a query, a question). `extra`
    names columns kept as they are in `Example.meta` (e.g. a data file's
    per-system outputs, read by `--system-outputs`).
    """

    id: str | None = "id"
    source: str = "source"
    references: tuple[str, ...] = ("references",)
    question: str | None = None
    extra: tuple[str, ...] = ()

    def columns(self) -> list[str]:
        """The columns an Example is built from, each once."""
        return list(dict.fromkeys(c for c in (self.id, self.source, *self.references, self.question, *self.extra) if c))

    def describe(self) -> str:
        refs = ", ".join(repr(r) for r in self.references)
        q = f", question={self.question!r}" if self.question else ""
        return f"id={self.id!r}, source={self.source!r}, references=[{refs}]{q}"


DEFAULT_FIELDS = Fields()


@dataclass(frozen=True)
class Preset:
    """A known dataset: where it lives on the hub, its default config and its fields."""

    repo: str
    fields: Fields
    config: str | None = None
    note: str = ""


# Field names from each dataset's card. cnn_dailymail's highlights are one
# reference whose sentences are on separate lines (rougeLsum reads the lines).
PRESETS: dict[str, Preset] = {
    "cnn_dailymail": Preset("abisee/cnn_dailymail", Fields("id", "article", ("highlights",)), "3.0.0",
                            "highlights: one reference, its sentences on separate lines"),
    "xsum": Preset("EdinburghNLP/xsum", Fields("id", "document", ("summary",))),
    "samsum": Preset("Samsung/samsum", Fields("id", "dialogue", ("summary",))),
    "multi_news": Preset("alexfabbri/multi_news", Fields(None, "document", ("summary",)),
                         note="no id column: ids are row numbers"),
    "billsum": Preset("FiscalNote/billsum", Fields(None, "text", ("summary",)),
                      note="no id column: ids are row numbers"),
    "dialogsum": Preset("knkarthick/dialogsum", Fields("id", "dialogue", ("summary",))),
    "gigaword": Preset("Harvard/gigaword", Fields(None, "document", ("summary",))),
    "arxiv-summarization": Preset("ccdv/arxiv-summarization", Fields(None, "article", ("abstract",))),
    "pubmed-summarization": Preset("ccdv/pubmed-summarization", Fields(None, "article", ("abstract",))),
    "big_patent": Preset("NortheasternUniversity/big_patent", Fields(None, "description", ("abstract",))),
}


def preset_for(name: str) -> tuple[str, Preset] | None:
    """The preset for a dataset name: "xsum", "EdinburghNLP/xsum", a local folder named "xsum"."""
    key = name.rstrip("/").rsplit("/", 1)[-1].lower()
    if key in PRESETS:
        return key, PRESETS[key]
    for k, p in PRESETS.items():
        if p.repo.lower() == name.lower():
            return k, p
    return None


@dataclass(frozen=True)
class FieldOptions:
    """The column names a user gave (`--id-field`, `--source-field`, `--reference-field`, `--question-field`).

    `id_field=""` asks for row numbers as ids even when an `id` column exists.
    `extra_fields` are columns to keep in `Example.meta`; naming them does not
    turn off preset detection.
    """

    id_field: str | None = None
    source_field: str | None = None
    reference_fields: tuple[str, ...] = ()
    question_field: str | None = None
    extra_fields: tuple[str, ...] = ()

    def given(self) -> bool:
        return any(v not in (None, ()) for v in (self.id_field, self.source_field, self.reference_fields,
                                                 self.question_field))

    def plan(self, preset: Fields | None = None) -> tuple[Fields, bool, bool]:
        """(fields, detect a preset by columns?, id named by the user?) on top of a preset or the defaults."""
        base = preset or DEFAULT_FIELDS
        changes: dict = {}
        if self.id_field is not None:
            changes["id"] = self.id_field or None
        if self.source_field:
            changes["source"] = self.source_field
        if self.reference_fields:
            changes["references"] = tuple(self.reference_fields)
        if self.question_field:
            changes["question"] = self.question_field
        if self.extra_fields:
            changes["extra"] = tuple(self.extra_fields)
        return replace(base, **changes), preset is None and not self.given(), bool(self.id_field)


def resolve(columns: list[str], where: str, fields: Fields = DEFAULT_FIELDS, *, auto_preset: bool = True,
            id_given: bool = False, notes: list[str] | None = None) -> Fields:
    """Check `fields` against a table's columns.

    With `auto_preset` (the user named no field and no preset applies) and
    the default source/references columns absent, a preset whose columns the
    table has is used instead, and a note says so. A missing id column means
    row numbers are the ids (noted), unless the user named the id column.
    """
    notes = notes if notes is not None else []
    cols = set(columns)
    if auto_preset and not ({fields.source, *fields.references} <= cols):
        for key, p in PRESETS.items():
            if {p.fields.source, *p.fields.references} <= cols:
                fields = replace(p.fields, extra=fields.extra)
                notes.append(f"{where}: columns of the {key} preset: {fields.describe()}")
                break
    missing = [f for f in (fields.source, *fields.references, fields.question) if f and f not in cols]
    if missing:
        flags = {fields.source: "--source-field"} | {r: "--reference-field" for r in fields.references}
        hint = ", ".join(sorted({flags.get(m, "--question-field") for m in missing}))
        raise DataError(f"{where}: required field(s) {', '.join(map(repr, missing))} missing; "
                        f"the data has {', '.join(map(repr, columns)) or 'no fields'} (name them with {hint})")
    missing = [f for f in fields.extra if f not in cols]
    if missing:
        raise DataError(f"{where}: field(s) {', '.join(map(repr, missing))} missing; the data has "
                        f"{', '.join(map(repr, columns)) or 'no fields'}")
    if fields.id is not None and fields.id not in cols:
        if id_given:
            raise DataError(f"{where}: id field {fields.id!r} missing; the data has "
                            f"{', '.join(map(repr, columns))}")
        fields = replace(fields, id=None)
    if fields.id is None:
        notes.append(f"{where}: no id field, so ids are row numbers counted from 0")
    return fields


def _text(value, name: str, where_fn: Callable[[int], str], index: int) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)  # a text given as a list of sentences: one per line
    raise DataError(f"{where_fn(index)}: field {name!r} should be a string, not {type(value).__name__}")


def decode_json_columns(row: dict, json_columns: Mapping[str, str]) -> dict:
    """The row with the values `datasets` JSON-encoded decoded again (see `tables.json_columns`).

    `datasets` keeps a column whose rows mix types (`["x", 123]`, a string here and a list there) as
    JSON text, the whole value ("whole") or each item of a list ("items"): decoding gives back the
    value as written, which the checks below then judge (`123` is not a reference).
    """
    row = dict(row)
    for name, how in json_columns.items():
        value = row.get(name)
        if how == "whole" and isinstance(value, str):
            row[name] = json.loads(value)
        elif how == "items" and isinstance(value, list):
            row[name] = [json.loads(v) if isinstance(v, str) else v for v in value]
    return row


def example_id(raw, name: str, where: Callable[[], str]) -> str:
    """The id rule: a string as written, an integer as its decimal digits; anything else is refused.

    `1.5` or `true` are not turned into "1.5" or "True": an id that was not written as one is a mistake
    in the data. `where()` names the row (called only for a message).
    """
    if isinstance(raw, str) and raw:
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    if raw is None or raw == "":
        raise DataError(f"{where()}: field {name!r} (the id) is missing")
    raise DataError(f"{where()}: field {name!r} (the id) should be a string or an integer, not "
                    f"{type(raw).__name__} {raw!r}")


def _references(row: dict, fields: Fields, id_: str, where_fn: Callable[[int], str], index: int) -> list[Reference]:
    """Every reference of the row as written; an empty or null one is kept as "" for `validate` to judge."""
    refs: list[Reference] = []
    annotate = len(fields.references) > 1
    for name in fields.references:
        value = row.get(name)
        if isinstance(value, str):
            value = (value,)
        elif value is None:
            value = ("",) if annotate else ()  # one reference column of several is null: an empty reference
        elif not isinstance(value, list):
            raise DataError(f"{where_fn(index)}: field {name!r} should be a string or a list of strings, "
                            f"not {type(value).__name__} (id {id_!r})")
        for text in value:
            if text is not None and not isinstance(text, str):
                raise DataError(f"{where_fn(index)}: field {name!r} should hold strings, not {type(text).__name__} "
                                f"{text!r} (id {id_!r})")
            refs.append(Reference(text or "", annotator=name if annotate else None))
    return refs


def to_example(row: dict, fields: Fields, index: int, where_fn: Callable[[int], str],
               json_columns: Mapping[str, str] = {}) -> Example:
    """Build the Example of row `index`.

    `where_fn(index)` names the row in messages; it is called only on an
    error (finding a line number may mean reading the file again).
    """
    if json_columns:
        row = decode_json_columns(row, json_columns)
    id_ = str(index) if fields.id is None else example_id(row.get(fields.id), fields.id, lambda: where_fn(index))
    source = row.get(fields.source)
    if not isinstance(source, str):
        if source is None:
            raise DataError(f"{where_fn(index)}: field {fields.source!r} (the source) is missing for id {id_!r}")
        source = _text(source, fields.source, where_fn, index)
    refs = _references(row, fields, id_, where_fn, index)
    question = _text(row.get(fields.question), fields.question, where_fn, index) if fields.question else None
    meta = {name: row.get(name) for name in fields.extra}
    return Example(id=id_, source=source, references=refs, question=question or None, meta=meta)
