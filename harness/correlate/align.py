"""Runs' per-summary scores beside the human judgments: one (systems x examples) matrix per column.

A metric column is a score type of a run (rouge1, rougeL, ...) and one
component (precision, recall or fmeasure); with several runs each column
is named `<run folder>/<type>`. The systems and examples are the judged
ones, in the judgments' order. A judged system or example a run lacks, or
a judged summary a run did not score, is an error unless `allow_missing`:
then that cell is NaN and counted in the notes. Systems a run scored but
nobody judged (an oracle, say) are left out, and a note says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import DataError
from ..run_folder import SCORES, load_run
from .judgments import Judgments

COMPONENTS = ("precision", "recall", "fmeasure")
DEFAULT_COMPONENTS = ("fmeasure",)


class Column(NamedTuple):
    """One metric column."""

    metric: str
    component: str


@dataclass
class Aligned:
    systems: list[str]
    ids: list[str]
    human: dict[str, np.ndarray]  # dimension -> (systems, examples)
    metrics: dict[Column, np.ndarray]  # (metric, component) -> (systems, examples)
    signatures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _list(items, n: int = 10) -> str:
    items = list(items)
    return ", ".join(map(repr, items[:n])) + (f" and {len(items) - n} more" if len(items) > n else "")


def _run_columns(run_dir: Path, prefix: str, components) -> tuple[dict, str, set[str]]:
    """{Column: {(id, system): value}}, the run's signature, its systems."""
    summary, rows = load_run(run_dir)
    columns: dict[Column, dict] = {}
    for r in rows:
        for comp in components:
            value = r.get(comp)
            if value is not None:
                columns.setdefault(Column(prefix + r["rouge_type"], comp), {})[(r["id"], r["system"])] = float(value)
    return columns, summary.get("signature", ""), {r["system"] for r in rows}


def _check_coverage(run_dir: Path, systems: set[str], judgments: Judgments, allow_missing: bool) -> list[str]:
    missing = [s for s in judgments.systems if s not in systems]
    if missing and not allow_missing:
        raise DataError(f"{run_dir}/{SCORES}: no scores for judged system(s) {_list(missing)} (judged in "
                        f"{judgments.origin}; pass --allow-missing to correlate without them)")
    unjudged = sorted(systems - set(judgments.systems))
    notes = [f"{run_dir}: system(s) {_list(unjudged)} have no human judgments and are left out"] if unjudged else []
    return notes + ([f"{run_dir}: judged system(s) {_list(missing)} not in the run: their cells are missing"]
                    if missing else [])


def _matrix(values: dict, systems: list[str], ids: list[str]) -> np.ndarray:
    return np.array([[values.get((i, s), np.nan) for i in ids] for s in systems], dtype=np.float64)


def _missing_cells(name: str, m: np.ndarray, judged: np.ndarray, systems, ids, where: str,
                   allow_missing: bool) -> list[str]:
    holes = np.argwhere(np.isnan(m) & judged)
    if not len(holes):
        return []
    cells = [f"({ids[j]!r}, {systems[i]!r})" for i, j in holes[:5]]
    text = f"{where}: {name}: {len(holes)} judged summaries without a score: {', '.join(cells)}"
    if not allow_missing:
        raise DataError(f"{text}{' ...' if len(holes) > 5 else ''} (pass --allow-missing to leave them out)")
    return [text]


def align(run_dirs, judgments: Judgments, components=DEFAULT_COMPONENTS, *, allow_missing: bool = False) -> Aligned:
    """The judged systems x examples, every run's metric columns and every human dimension as matrices."""
    systems, ids = judgments.systems, judgments.ids
    run_dirs = [Path(r) for r in run_dirs]
    labels = [f"{r.name}/" if len(run_dirs) > 1 else "" for r in run_dirs]
    if len(set(labels)) < len(labels):
        raise DataError(f"run folders with the same name: {', '.join(map(str, run_dirs))} (their columns would "
                        "be named alike)")
    out = Aligned(systems, ids, {}, {})
    for dim in judgments.dimensions:
        out.human[dim] = _matrix({k: v[dim] for k, v in judgments.scores.items() if dim in v}, systems, ids)
    judged = np.zeros((len(systems), len(ids)), dtype=bool)
    for m in out.human.values():
        judged |= ~np.isnan(m)
    for run_dir, label in zip(run_dirs, labels):
        columns, signature, run_systems = _run_columns(run_dir, label, components)
        out.signatures.append(signature)
        out.notes += _check_coverage(run_dir, run_systems, judgments, allow_missing)
        for col, values in columns.items():
            out.metrics[col] = m = _matrix(values, systems, ids)
            out.notes += _missing_cells(f"{col.metric} {col.component}", m, judged, systems, ids, str(run_dir),
                                        allow_missing)
    if not out.metrics:
        raise DataError(f"{', '.join(map(str, run_dirs))}: no scores of the component(s) {', '.join(components)}")
    return out
