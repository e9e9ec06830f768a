"""Result tables: rows are systems, columns the ROUGE types' F (x100)."""
from __future__ import annotations

from tabulate import tabulate


def render_table(summary: dict, fmt: str = "github") -> str:
    """The table of a run's `summary.json` content, with its signature under it."""
    systems = summary["systems"]
    types = summary["config"]["rouge_types"]
    # A "failed" column appears when a run kept failed rows (--on-error record):
    # n counts the examples each system was scored on, failed the others.
    failed = any(e.get("failed") for by_type in systems.values() for e in by_type.values())
    rows = []
    for system, by_type in systems.items():
        first = next(iter(by_type.values()), {})
        counts = [first.get("n", 0)] + ([first.get("failed", 0)] if failed else [])
        rows.append([system, *counts] + [100 * by_type[t]["fmeasure"] for t in types])
    headers = ["system", "n"] + (["failed"] if failed else []) + [f"{t} F" for t in types]
    table = tabulate(rows, headers=headers, tablefmt=fmt, floatfmt=".2f")
    return f"{table}\n\nsignature: {summary['signature']}\n"
