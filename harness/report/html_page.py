"""A self-contained HTML page: the table, its footnotes, the signature and the plots.

The page needs no other file: styles are inline and plots are embedded as
`data:` URIs, so it can be mailed, attached to a CI job or opened offline.
Hovering a score shows its p-values against the baseline.
"""
from __future__ import annotations

import base64
from html import escape

from .model import BASELINE, MEASURES, Cell, Table, pretty_type

SIG_MARKS = {1: ("▲", "significantly better than the baseline"), -1: ("▼", "significantly worse than the baseline")}

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 2em auto;
       max-width: 72em; padding: 0 1.5em; line-height: 1.45; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.1em; margin-top: 2em; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3em 0.8em; text-align: right; white-space: nowrap; }
th[scope="row"], th.sys { text-align: left; }
thead th { vertical-align: bottom; } th[scope="colgroup"] { text-align: center; }
tbody th[scope="row"] { font-weight: normal; }
.scroll { overflow-x: auto; }
thead tr:last-child th { border-bottom: 1px solid #222; }
table { border-top: 2px solid #222; border-bottom: 2px solid #222; }
tbody.upper { border-top: 1px solid #999; color: #555; }
tbody.upper th[colspan] { font-style: italic; font-weight: normal; text-align: left; }
.ci { color: #777; font-size: 0.85em; }
.sig-up { color: #1a7f37; } .sig-down { color: #c62828; }
.baseline { font-style: italic; color: #555; }
.notes { color: #444; font-size: 0.9em; } .notes p { margin: 0.2em 0; }
code.sig { font-size: 0.85em; background: #f4f4f4; padding: 0.2em 0.4em; word-break: break-all; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
"""


def _cell(cell: Cell | None) -> str:
    if cell is None:
        return "<td>–</td>"
    value = f"{cell.value:.2f}"
    text = f"<strong>{value}</strong>" if cell.best else value
    if cell.sig:
        mark, what = SIG_MARKS[cell.sig]
        text += f'<span class="sig-{"up" if cell.sig > 0 else "down"}" title="{what}">{mark}</span>'
    if cell.ci is not None:
        text += f' <span class="ci">[{cell.ci[0]:.2f}, {cell.ci[1]:.2f}]</span>'
    ps = [f"{name} p = {p:.4g}" for name, p in (("paired bootstrap", cell.p_bootstrap),
                                                  ("approximate randomization", cell.p_randomization))
          if p is not None]
    title = f' title="{escape("; ".join(ps))}"' if ps else ""
    return f"<td{title}>{text}</td>"


def _row(row, label_html: str, columns) -> str:
    return f"<tr><th scope=\"row\">{label_html}</th><td>{row.n_text}</td>" + "".join(_cell(row.cells.get(c)) for c in columns) + "</tr>"


def table_html(table: Table) -> str:
    types = list(dict.fromkeys(t for t, _ in table.columns))
    per_type = len(table.columns) // max(len(types), 1)
    head = []
    if per_type > 1:
        head.append('<tr><th rowspan="2" scope="col" class="sys">system</th><th rowspan="2" scope="col">n</th>'
                    + "".join(f'<th colspan="{per_type}" scope="colgroup">{escape(pretty_type(t))}</th>' for t in types)
                    + "</tr>")
        head.append("<tr>" + "".join(f'<th scope="col">{MEASURES[m]}</th>' for _, m in table.columns) + "</tr>")
    else:
        head.append('<tr><th scope="col" class="sys">system</th><th scope="col">n</th>'
                    + "".join(f'<th scope="col">{escape(table.column_label(c, pretty=True))}</th>' for c in table.columns)
                    + "</tr>")
    body = []
    for row in table.systems:
        label = escape(row.system) + (' <span class="baseline">(baseline)</span>' if row.role == BASELINE else "")
        body.append(_row(row, label, table.columns))
    parts = ['<div class="scroll">', "<table>", "<thead>", *head, "</thead>", "<tbody>", *body, "</tbody>"]
    if table.upper_bounds:
        parts += ['<tbody class="upper">',
                  f'<tr><th colspan="{2 + len(table.columns)}" scope="rowgroup">upper bound</th></tr>']
        parts += [_row(row, escape(row.system) + "†", table.columns) for row in table.upper_bounds]
        parts.append("</tbody>")
    parts += ["</table>", "</div>"]
    return "\n".join(parts)


def _systems_settings(table: Table) -> str:
    """Each summarizer's every option, defaults included (summary.json `config.system_signatures`)."""
    signatures = table.config.get("system_signatures") or {}
    if not signatures:
        return ""
    rows = "".join(f"<tr><th scope=\"row\">{escape(name)}</th><td><code>{escape(sig)}</code></td></tr>"
                   for name, sig in signatures.items())
    return f"<details><summary>Summarizer settings</summary>\n<table class=\"settings\"><tbody>{rows}</tbody></table>\n</details>"


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


FIGURE_CAPTIONS = {
    "bars": ("Mean ROUGE F per system with confidence intervals",
             "Mean F x 100 per system and ROUGE type; error bars: bootstrap confidence interval of the mean; "
             "dashed line: the baseline's mean."),
    "distribution": ("Per-example ROUGE F per system",
                     "Each example's F x 100: box for the quartiles, a dot per example, a diamond at the mean."),
}


def render(table: Table, images: dict[str, bytes] | None = None, title: str = "") -> str:
    """The page; `images` maps plot names (`bars`, `distribution`) to PNG bytes."""
    marks = {"bold": "<strong>Bold</strong>", "sig": '<span class="sig-up">▲</span>/<span class="sig-down">▼</span>',
             "upper": "†"}
    notes = "\n".join(f"<p>{marks[k] + ': ' if k else ''}{escape(text)}</p>" for k, text in table.notes())
    data = table.config.get("data", "")
    title = title or "ROUGE results" + (f": {data.rsplit('/', 1)[-1]}" if data else "")
    n_sys = len(table.systems)
    meta = f"{table.n_examples} examples · {n_sys} system{'s' * (n_sys != 1)}"
    if table.upper_bounds:
        meta += f" · {len(table.upper_bounds)} upper bound{'s' * (len(table.upper_bounds) != 1)}"
    if data:
        meta += f" · data: {data}"
    figures = []
    for name, png in (images or {}).items():
        alt, caption = FIGURE_CAPTIONS.get(name, (name, name))
        figures.append(f'<figure id="{escape(name)}"><img src="{_data_uri(png)}" alt="{escape(alt)}">'
                       f"<figcaption>{escape(caption)}</figcaption></figure>")
    fields = "".join(f"<tr><th scope=\"row\">{escape(k)}</th><td>{escape(v)}</td></tr>"
                     for k, v in table.signature_fields.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{escape(title)}</h1>
<p class="meta">{escape(meta)}</p>
{table_html(table)}
<div class="notes">
{notes}
<p>signature: <code class="sig">{escape(table.signature)}</code></p>
</div>
{"<h2>Plots</h2>" if figures else ""}
{chr(10).join(figures)}
<details><summary>Scoring settings</summary>
<table class="settings"><tbody>{fields}</tbody></table>
</details>
{_systems_settings(table)}
</body>
</html>
"""
