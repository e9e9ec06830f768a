"""Human judgments in the forms they come in, read strictly: `{(example id, system): {dimension: score}}`.

Forms (`--human-format`, default `auto`: chosen from the file's suffix and first record):

- `field`: a data file whose records hold a field (`--human-field`, default
  `human_scores`) `{system: {dimension: score}}`, as the human-judgment sets
  in ../shared/data; a value may also be a list of such objects, one per
  annotator (DialSummEval's `human_scores_by_annotator`), averaged.
- `long`: JSONL or CSV rows `id, system, dimension, score[, annotator]`; the
  annotators of a (id, system, dimension) are averaged.
- `summeval`: SummEval's `model_annotations.aligned.jsonl` (Fabbri et al.
  2021): one line per summary, `id`, `model_id`, `expert_annotations` and
  `turker_annotations` (lists of {dimension: score}); `--annotators expert`
  (default) or `turker` picks the list, averaged per summary as the paper does.

Every score must be a finite number (a numeric string in a CSV); anything
else, a missing field or the same judgment twice is a DataError naming the
file and line.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import DataError
from ..loaders.files import numbered_csv_rows, numbered_json_lines

FORMATS = ("auto", "field", "long", "summeval")
ANNOTATORS = ("expert", "turker")
DEFAULT_FIELD = "human_scores"
DEFAULT_ANNOTATORS = "expert"
LONG_COLUMNS = ("id", "system", "dimension", "score")
CSV_SUFFIXES = (".csv", ".tsv")

Key = tuple[str, str]  # (example id, system)


@dataclass
class Judgments:
    """Mean human score per (example id, system) and dimension, with where each came from."""

    origin: str
    scores: dict[Key, dict[str, float]] = field(default_factory=dict)
    where: dict[Key, str] = field(default_factory=dict)  # "file:line" of a judgment's (first) record
    form: str = ""

    @property
    def dimensions(self) -> list[str]:
        return list(dict.fromkeys(d for by in self.scores.values() for d in by))

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(s for _, s in self.scores))

    @property
    def ids(self) -> list[str]:
        return list(dict.fromkeys(i for i, _ in self.scores))


def _number(value, where: str, what: str, text: bool = False) -> float:
    """A finite score; `text`: a CSV cell, whose numbers are strings."""
    if text and isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise DataError(f"{where}: {what}: not a number: {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DataError(f"{where}: {what}: not a finite number: {value!r}")
    return float(value)


def _name(row: dict, key: str, where: str) -> str:
    value = row.get(key)
    if value is None or value == "" or isinstance(value, (dict, list, bool)):
        raise DataError(f"{where}: field {key!r} missing or not a string or number")
    return str(value)


def _mean_of(annotations, where: str, what: str) -> dict[str, float]:
    """{dimension: mean} over one object or a list of per-annotator objects."""
    items = annotations if isinstance(annotations, list) else [annotations]
    if not items or not all(isinstance(a, dict) for a in items):
        raise DataError(f"{where}: {what}: expected {{dimension: score}} or a list of them (one per annotator)")
    dims = list(dict.fromkeys(d for a in items for d in a))
    out = {}
    for d in dims:
        values = [_number(a[d], where, f"{what}, dimension {d!r}") for a in items if d in a]
        if len(values) != len(items):
            raise DataError(f"{where}: {what}: dimension {d!r} scored by {len(values)} of {len(items)} annotators")
        out[d] = math.fsum(values) / len(values)
    return out


class _Collector:
    def __init__(self, origin: str, form: str) -> None:
        self.j = Judgments(origin, form=form)

    def add(self, key: Key, scores: dict[str, float], where: str) -> None:
        if key in self.j.scores:
            raise DataError(f"{where}: a second judgment of example {key[0]!r}, system {key[1]!r} "
                            f"(first at {self.j.where[key]})")
        self.j.scores[key], self.j.where[key] = scores, where


def _records(path: Path) -> Iterator[tuple[str, dict]]:
    if path.suffix.lower() in CSV_SUFFIXES:
        return ((f"{path}:{n}", row) for n, row in numbered_csv_rows(path))
    return ((f"{path}:{n}", row) for n, row in numbered_json_lines(path))


def _read_field(path: Path, name: str) -> Judgments:
    c = _Collector(str(path), f"field:{name}")
    for where, row in _records(path):
        id_ = _name(row, "id", where)
        by_system = row.get(name)
        if by_system is None:
            raise DataError(f"{where}: field {name!r} missing (example {id_!r})")
        if not isinstance(by_system, dict):
            raise DataError(f"{where}: field {name!r} should be {{system: {{dimension: score}}}} (example {id_!r})")
        for system, annotations in by_system.items():
            c.add((id_, system), _mean_of(annotations, where, f"example {id_!r}, system {system!r}"), where)
    return c.j


def _read_summeval(path: Path, annotators: str) -> Judgments:
    c = _Collector(str(path), f"summeval:{annotators}")
    key = f"{annotators}_annotations"
    for where, row in _records(path):
        id_, system = _name(row, "id", where), _name(row, "model_id", where)
        if key not in row:
            raise DataError(f"{where}: field {key!r} missing (example {id_!r}, system {system!r})")
        c.add((id_, system), _mean_of(row[key], where, f"{key} of example {id_!r}, system {system!r}"), where)
    return c.j


def _read_long(path: Path) -> Judgments:
    c = _Collector(str(path), "long")
    values: dict[Key, dict[str, list[float]]] = {}
    seen: dict[tuple, str] = {}
    for where, row in _records(path):
        id_, system, dim = (_name(row, k, where) for k in ("id", "system", "dimension"))
        if "score" not in row:
            raise DataError(f"{where}: field 'score' missing")
        annotator = row.get("annotator")
        mark = (id_, system, dim, annotator)
        if mark in seen:
            raise DataError(f"{where}: a second score of example {id_!r}, system {system!r}, dimension {dim!r}"
                            + (f", annotator {annotator!r}" if annotator not in (None, "") else "")
                            + f" (first at {seen[mark]})")
        seen[mark] = where
        c.j.where.setdefault((id_, system), where)
        score = _number(row["score"], where, "field 'score'", text=path.suffix.lower() in CSV_SUFFIXES)
        values.setdefault((id_, system), {}).setdefault(dim, []).append(score)
    c.j.scores = {k: {d: math.fsum(v) / len(v) for d, v in by.items()} for k, by in values.items()}
    return c.j


def detect(path: Path, name: str = DEFAULT_FIELD) -> str:
    """The form of a judgments file, from its suffix and its first record."""
    for where, row in _records(path):
        if name in row:
            return "field"
        if "expert_annotations" in row or "turker_annotations" in row:
            return "summeval"
        if all(k in row for k in LONG_COLUMNS):
            return "long"
        raise DataError(f"{where}: not a judgments record: expected a field {name!r} (a data file), "
                        f"SummEval's 'expert_annotations', or the columns {', '.join(LONG_COLUMNS)}; "
                        "name the form with --human-format")
    raise DataError(f"{path}: no judgments (the file is empty)")


def read_judgments(path: str | Path, form: str = "auto", *, field_name: str = DEFAULT_FIELD,
                   annotators: str = DEFAULT_ANNOTATORS) -> Judgments:
    """Read a judgments file in any of the forms above."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: judgments file not found")
    if form not in FORMATS:
        raise DataError(f"unknown judgments form {form!r} (expected one of {', '.join(FORMATS)})")
    if annotators not in ANNOTATORS:
        raise DataError(f"unknown annotators {annotators!r} (expected one of {', '.join(ANNOTATORS)})")
    form = detect(path, field_name) if form == "auto" else form
    if form == "field":
        j = _read_field(path, field_name)
    elif form == "summeval":
        j = _read_summeval(path, annotators)
    else:
        j = _read_long(path)
    if not j.scores:
        raise DataError(f"{path}: no judgments")
    return j
