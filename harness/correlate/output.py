"""A correlation's table in every format, and its JSON rows.

The table has one line per (level, coefficient, metric, component) and one
column per human dimension; a cell reads `0.52 [0.31, 0.70]` (the
correlation and its bootstrap interval). Metric comparisons follow in a
second table: the difference of the two correlations and its p-value.

    markdown  correlation.md     csv  correlation.csv (one line per --json row)
    json      correlation.json   {"rows", "comparisons", "notes", "signature"}
    latex     correlation.tex    booktabs
"""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from tabulate import tabulate

from .. import storage
from ..report.latex import escape
from ..stats import format_p
from .compute import Comparison, Correlation, Row

FILES = {"markdown": "correlation.md", "csv": "correlation.csv", "json": "correlation.json",
         "latex": "correlation.tex"}


def rows_json(c: Correlation) -> list[dict]:
    """The `--json FILE` content: every correlation row, then every comparison row."""
    return [r._asdict() for r in c.rows] + [r._asdict() for r in c.comparisons]


def _value(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}"


def _cell(r: Row) -> str:
    text = _value(r.value)
    if r.ci_low is not None and r.ci_high is not None:
        text += f" [{_value(r.ci_low)}, {_value(r.ci_high)}]"
    return text


def _grid(c: Correlation) -> tuple[list[str], list[list[str]]]:
    dims = list(dict.fromkeys(r.dimension for r in c.rows))
    lines: dict[tuple, dict[str, Row]] = {}
    for r in c.rows:
        lines.setdefault((r.level, r.coefficient, r.metric, r.component), {})[r.dimension] = r
    headers = ["level", "coefficient", "metric", "n", *dims]
    body = []
    for (level, coef, metric, comp), by_dim in lines.items():
        n = "/".join(dict.fromkeys(str(r.n) for r in by_dim.values()))
        label = metric if comp == "fmeasure" else f"{metric} {comp}"
        body.append([level, coef, label, n, *(_cell(by_dim[d]) if d in by_dim else "" for d in dims)])
    return headers, body


def _comparison_grid(c: Correlation) -> tuple[list[str], list[list[str]]]:
    headers = ["level", "coefficient", "test", "A", "B", "dimension", "A - B", "p (A > B)"]
    body = [[r.level, r.coefficient, r.test, _label(r.metric, r.component), _label(r.other, r.component),
             r.dimension, _value(r.difference), format_p(r.p_value)] for r in c.comparisons]
    return headers, body


def _label(metric: str, component: str) -> str:
    return metric if component == "fmeasure" else f"{metric} {component}"


FOOTNOTE = ("Cells: the correlation and its 95% bootstrap interval. n: systems (system level), examples with a "
            "defined correlation (summary level), (example, system) pairs (global level).")


def markdown(c: Correlation, tablefmt: str = "github") -> str:
    headers, body = _grid(c)
    parts = [tabulate(body, headers=headers, tablefmt=tablefmt, disable_numparse=True), "", FOOTNOTE]
    if c.comparisons:
        headers, body = _comparison_grid(c)
        parts += ["", tabulate(body, headers=headers, tablefmt=tablefmt, disable_numparse=True), "",
                  "p: one-sided, that A correlates more with the human scores than B."]
    parts += [""] + [f"note: {note}" for note in c.notes] if c.notes else []
    return "\n".join(parts) + f"\n\nsignature: {c.signature}\n"


def csv_text(c: Correlation) -> str:
    fields = list(dict.fromkeys([*Row._fields, *Comparison._fields, "signature"]))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for row in rows_json(c):
        w.writerow({k: "" if v is None else v for k, v in row.items()} | {"signature": c.signature})
    return buf.getvalue()


def json_text(c: Correlation) -> str:
    data = {"rows": [r._asdict() for r in c.rows], "comparisons": [r._asdict() for r in c.comparisons],
            "notes": c.notes, "signature": c.signature}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def latex(c: Correlation) -> str:
    headers, body = _grid(c)
    spec = "llll" + "r" * (len(headers) - 4)
    lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule", " & ".join(escape(h) for h in headers) + r" \\",
             "\\midrule"]
    lines += [" & ".join(escape(cell) for cell in row) + r" \\" for row in body]
    lines += ["\\bottomrule", "\\end{tabular}", "", f"% signature: {c.signature}"]
    return "\n".join(lines) + "\n"


RENDERERS = {"markdown": markdown, "csv": csv_text, "json": json_text, "latex": latex}


def render(c: Correlation, fmt: str = "markdown") -> str:
    return RENDERERS[fmt](c)


def write(out: Path, c: Correlation) -> None:
    """Every format into `out`, each file atomically."""
    for fmt, name in FILES.items():
        storage.write_text(Path(out) / name, render(c, fmt))


def write_rows(path: str | Path, c: Correlation) -> None:
    rows = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in rows_json(c)]
    storage.write_text(path, json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
