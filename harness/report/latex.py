"""The table as LaTeX with booktabs rules, ready to paste into a paper.

Needs `\\usepackage{booktabs}` in the preamble and nothing else. Every piece
of text from the run (system names, the signature) is escaped, so a name like
`lead:k=3_v2 & co` or a path with `%` cannot break the document.
"""
from __future__ import annotations

import re

from .model import MEASURES, Cell, Table, pretty_type

# Characters with a meaning to TeX, and what prints them literally. `<`, `>`
# and `|` print as other glyphs in the default OT1 font encoding.
_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))

SIG_MARKS = {1: r"$^{\uparrow}$", -1: r"$^{\downarrow}$", 0: ""}
UPPER_MARK = r"$^{\dagger}$"


def escape(text: str) -> str:
    """`text` as LaTeX that prints it verbatim."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], str(text))


def _cell(cell: Cell | None) -> str:
    if cell is None:
        return "--"
    value = f"{cell.value:.2f}"
    text = (rf"\textbf{{{value}}}" if cell.best else value) + SIG_MARKS[cell.sig]
    if cell.ci is not None:
        text += rf" {{\scriptsize[{cell.ci[0]:.2f}, {cell.ci[1]:.2f}]}}"
    return text


def _signature(sig: str) -> str:
    # A line break may fall after any field separator: signatures are long.
    return r"\textbar{}\allowbreak{}".join(escape(part) for part in sig.split("|"))


def render(table: Table) -> str:
    types = list(dict.fromkeys(t for t, _ in table.columns))
    per_type = len(table.columns) // max(len(types), 1)
    ncols = 2 + len(table.columns)
    lines = [
        "% ROUGE table written by harness; needs \\usepackage{booktabs}.",
        r"\begin{table}[t]",
        r"\centering",
        *([r"\small", r"\setlength{\tabcolsep}{4pt}"] if per_type > 1 else []),  # P, R and F: 3x the columns
        r"\begin{tabular}{l" + "r" * (ncols - 1) + "}",
        r"\toprule",
    ]
    if per_type > 1:  # a spanning header per ROUGE type over its P, R, F
        spans = [rf"\multicolumn{{{per_type}}}{{c}}{{{escape(pretty_type(t))}}}" for t in types]
        lines.append(" & ".join(["", ""] + spans) + r" \\")
        rules = [rf"\cmidrule(lr){{{3 + i * per_type}-{2 + (i + 1) * per_type}}}" for i in range(len(types))]
        lines.append("".join(rules))
        heads = [MEASURES[m] for _, m in table.columns]
    else:
        heads = [f"{pretty_type(t)} {MEASURES[m]}" for t, m in table.columns]
    lines.append(" & ".join(["System", "$n$"] + [escape(h) for h in heads]) + r" \\")
    lines.append(r"\midrule")
    for row in table.systems:
        label = escape(row.system) + (r" \textit{(baseline)}" if row.role == "baseline" else "")
        lines.append(" & ".join([label, row.n_text] + [_cell(row.cells.get(c)) for c in table.columns]) + r" \\")
    if table.upper_bounds:
        lines.append(r"\midrule")
        lines.append(rf"\multicolumn{{{ncols}}}{{l}}{{\textit{{Upper bound}}}} \\")
        for row in table.upper_bounds:
            lines.append(" & ".join([escape(row.system) + UPPER_MARK, row.n_text]
                                    + [_cell(row.cells.get(c)) for c in table.columns]) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    marks = {"bold": r"\textbf{Bold}", "sig": r"$\uparrow$/$\downarrow$", "upper": r"$\dagger$"}
    notes = " ".join(f"{marks[k]}: {escape(text)}" if k else escape(text) for k, text in table.notes())
    lines += [
        rf"\caption{{{notes}}}",
        r"\label{tab:rouge}",
        r"\par\smallskip{\footnotesize\raggedright Signature: \texttt{" + _signature(table.signature) + r"}\par}",
        r"\end{table}",
    ]
    return "\n".join(lines) + "\n"
