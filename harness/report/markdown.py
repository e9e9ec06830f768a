"""The table as Markdown (GitHub-flavoured), also the terminal's default view.

Cells read `30.82▲ [27.02, 33.71]`: the mean, its significance mark against
the baseline, its confidence interval. The best value per column is bold;
upper bounds sit below a separating row, marked with a dagger.
"""
from __future__ import annotations

import re

from tabulate import tabulate

from ..rouge155 import output as rouge155_output
from ..rouge155.options import parse_string as parse_rouge155
from ..rouge155.resample import Interval
from .model import Cell, Table

SIG_MARKS = {1: "▲", -1: "▼", 0: ""}
UPPER_MARK = "†"
NOTE_MARKS = {"bold": "**Bold**", "sig": "▲/▼", "upper": UPPER_MARK}


def md_escape(text: str) -> str:
    """Text from the data (a system name, an id) safe in a Markdown table cell and on GitHub.

    `|` would end the cell (GitHub's table extension: a backslash escapes it); `<` and `>` would let
    HTML through (`<script>`), so they become entities, `&` first so that a name stays as written.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


# CommonMark's raw HTML: "<" directly followed by a tag name, "/", "!" or "?" (spec 0.31, section 6.6).
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def md_text(text: str) -> str:
    """Prose holding names from the data (a note, a verdict) with no HTML tag left in it; "p < 0.05" stays."""
    return _TAG_OPEN.sub("&lt;", text)


def cell_text(cell: Cell | None, bold: str = "**") -> str:
    if cell is None:
        return "–"
    value = f"{cell.value:.2f}"
    if cell.best:  # bold in Markdown; a star where bold cannot be shown
        value = f"{bold}{value}{bold}" if bold else f"{value}*"
    text = value + SIG_MARKS[cell.sig]
    if cell.ci is not None:
        text += f" [{cell.ci[0]:.2f}, {cell.ci[1]:.2f}]"
    return text


def notes_text(table: Table, marks: dict[str, str] = NOTE_MARKS, escape=lambda text: text) -> list[str]:
    return [f"{marks[k]}: {escape(text)}" if k else escape(text) for k, text in table.notes()]


def render(table: Table, tablefmt: str = "github") -> str:
    """Markdown table, footnotes, and the signature under it.

    `tablefmt` is any tabulate format ("github", "plain", "grid", ...);
    Markdown's bold markers are kept only for the Markdown formats.
    """
    bold = "**" if tablefmt in ("github", "pipe") else ""
    # A terminal's plain formats show names as they are.
    esc, prose = (md_escape, md_text) if bold else (str, str)
    # A "failed" column only when a run kept failed rows (--on-error record).
    failed = any(r.failed for r in table.rows)
    counts = (lambda row: [str(row.n), str(row.failed)]) if failed else (lambda row: [str(row.n)])
    headers = ["system", "n"] + (["failed"] if failed else []) + [table.column_label(c) for c in table.columns]
    body = []
    for row in table.systems:
        body.append([esc(row.label), *counts(row)] + [cell_text(row.cells.get(c), bold) for c in table.columns])
    if table.upper_bounds:
        body.append(["*upper bound*" if bold else "upper bound", *[""] * len(counts(table.upper_bounds[0]))]
                    + [""] * len(table.columns))
        for row in table.upper_bounds:
            body.append([f"{esc(row.label)} {UPPER_MARK}", *counts(row)]
                        + [cell_text(row.cells.get(c), bold) for c in table.columns])
    text = tabulate(body, headers=headers, tablefmt=tablefmt, disable_numparse=True,
                    colalign=["left"] + ["right"] * (len(headers) - 1))
    marks = dict(NOTE_MARKS, bold="**Bold**" if bold else "*")
    notes = "\n".join(notes_text(table, marks, prose))
    return f"{text}\n\n{notes}\n{rouge155_block(table)}\nsignature: {table.signature}\n"


def rouge155_block(table: Table) -> str:
    """ROUGE-1.5.5's own averages and intervals as the script prints them (its -r and -c), or nothing."""
    if not table.rouge155:
        return ""
    confidence = parse_rouge155(table.config["rouge155"]).confidence
    lines = ["", f"ROUGE-1.5.5's own averages and {confidence}% intervals (its bootstrap, -c and -r of "
                 f"{table.config['rouge155']!r}):", "```"]
    for system, by_measure in table.rouge155.items():
        for measure, values in by_measure.items():
            lines += rouge155_output.averages(system, measure, [Interval(*values[k]) for k in "RPF"], confidence)
    return "\n".join(lines + ["```", ""])

