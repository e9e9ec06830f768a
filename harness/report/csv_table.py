"""The table as CSV: one row per system, every mark in its own column.

Columns: `system`, `role` (baseline, system or upper_bound), `n`, then for
each ROUGE type and measure `<type>_<p|r|f>` (points, x100) and
`<type>_<m>_best` (1 for the best in the column); for F also `_ci_low`,
`_ci_high`, `_p_bootstrap`, `_p_randomization` and `_sig` (+1 better, -1
worse than the baseline under the table's test, 0 neither); last the
`signature`, the same on every row, so the file parses with any CSV reader.
Empty means "not computed".
"""
from __future__ import annotations

import csv
import io

from .model import Table

SHORT = {"precision": "p", "recall": "r", "fmeasure": "f"}


def fieldnames(table: Table) -> list[str]:
    names = ["system", "role", "n", "failed"]
    for t, m in table.columns:
        key = f"{t}_{SHORT[m]}"
        names += [key, f"{key}_best"]
        if m == "fmeasure":
            names += [f"{key}_ci_low", f"{key}_ci_high", f"{key}_p_bootstrap", f"{key}_p_randomization", f"{key}_sig"]
    return names + ["signature"]


# OWASP's CSV injection rule: a cell a spreadsheet would read as a formula (it starts with one of
# these) is prefixed with a single quote, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """A text cell (a system name, the signature) that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _num(x) -> str:
    return "" if x is None else repr(float(x))


def render(table: Table) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fieldnames(table), lineterminator="\n")
    writer.writeheader()
    for row in table.rows:
        out = {"system": text_cell(row.system), "role": row.role, "n": row.n, "failed": row.failed,
               "signature": text_cell(table.signature)}
        for col in table.columns:
            cell = row.cells.get(col)
            if cell is None:
                continue
            key = f"{col[0]}_{SHORT[col[1]]}"
            out[key], out[f"{key}_best"] = _num(cell.value), int(cell.best)
            if col[1] == "fmeasure":
                out[f"{key}_ci_low"] = _num(cell.ci[0] if cell.ci else None)
                out[f"{key}_ci_high"] = _num(cell.ci[1] if cell.ci else None)
                out[f"{key}_p_bootstrap"] = _num(cell.p_bootstrap)
                out[f"{key}_p_randomization"] = _num(cell.p_randomization)
                out[f"{key}_sig"] = cell.sig
        writer.writerow(out)
    return buf.getvalue()
