"""Result tables: rows are systems, columns the ROUGE types' F (x100)."""
from __future__ import annotations

from tabulate import tabulate


def render_table(summary: dict, fmt: str = "github") -> str:
    """The table of a run's `summary.json` content, with its signature under it."""
    systems = summary["systems"]
    types = summary["config"]["rouge_types"]
    rows = []
    for system, by_type in systems.items():
        n = next(iter(by_type.values()))["n"] if by_type else 0
        rows.append([system, n] + [100 * by_type[t]["fmeasure"] for t in types])
    table = tabulate(rows, headers=["system", "n"] + [f"{t} F" for t in types], tablefmt=fmt, floatfmt=".2f")
    return f"{table}\n\nsignature: {summary['signature']}\n"
