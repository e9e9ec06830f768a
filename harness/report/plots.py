"""Plots of a run, drawn with matplotlib's Agg renderer (no display needed).

- `bar_chart`: each system's mean score per ROUGE type, with its bootstrap
  confidence interval as an error bar, and the baseline's mean as a dashed line.
- `distribution_chart`: each system's per-example scores per ROUGE type (box
  for the quartiles, one dot per example, a diamond at the mean), which shows
  whether a mean difference is broad or carried by a few examples.

One panel per ROUGE type, systems top to bottom in the table's order; upper
bounds (oracles) are grey and hatched so they never pass for a system. Both
figures are written as PNG and SVG; output is byte-stable for equal input.
"""
from __future__ import annotations

import io
from collections import defaultdict
from typing import Iterable

import matplotlib
import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

from .model import BASELINE, UPPER_BOUND, Table, pretty_type

MAX_POINTS = 2000  # dots drawn per system and panel; the box always uses every example
_RC = {"svg.hashsalt": "harness", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
# Ten distinct hues, then lighter versions of them: twenty systems before a colour repeats.
_PALETTE = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C",
            "#CCB974", "#64B5CD", "#A1B9E0", "#F2B58F", "#9FD4AC", "#E39A9C", "#BCAEE0", "#C9AE9A", "#F0BEDF",
            "#C4C4C4", "#E5DA9C", "#A8DCEC"]
_UPPER_COLOR = "#B0B0B0"
# Matplotlib 3.10 renamed boxplot's `vert=False` to `orientation="horizontal"`.
_HORIZONTAL = ({"orientation": "horizontal"} if tuple(map(int, matplotlib.__version__.split(".")[:2])) >= (3, 10)
               else {"vert": False})


def _colors(table: Table) -> dict[str, str]:
    systems = [r.system for r in table.systems]
    out = {s: _PALETTE[i % len(_PALETTE)] for i, s in enumerate(systems)}
    out.update({r.system: _UPPER_COLOR for r in table.upper_bounds})
    return out


def _f_types(table: Table) -> list[str]:
    return list(dict.fromkeys(t for t, _ in table.columns))


def _panels(table: Table, width_per_panel: float = 3.6) -> tuple[Figure, list]:
    """A figure with one panel per ROUGE type, two panels a row, systems down the y axis."""
    types = _f_types(table)
    ncols = min(2, len(types))
    nrows = -(-len(types) // ncols)
    label_width = min(3.0, 0.8 + 0.07 * max((len(lab) for lab in _ylabels(table)), default=4))
    height = nrows * (0.9 + 0.38 * len(table.rows)) + 0.4
    fig = Figure(figsize=(label_width + width_per_panel * ncols, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    for ax in axes[len(types):]:
        ax.set_visible(False)  # an odd number of types leaves one panel empty
    return fig, list(zip(types, axes))


def _dress(table: Table, panels: list, xlabel: str, xlim) -> None:
    """Titles, labels, limits and grid of every panel: all the layout depends on."""
    for t, ax in panels:
        ax.set_title(pretty_type(t))
        ax.set_xlabel(xlabel)
        ax.set_xlim(*xlim(t))
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
        ax.set_axisbelow(True)
    ax0 = panels[0][1]
    ax0.set_yticks(range(len(table.rows)), _ylabels(table))
    ax0.set_ylim(len(table.rows) - 0.5, -0.5)  # first system on top


def _freeze_layout(fig: Figure) -> None:
    """Lay the figure out once, before the data is drawn, and keep that layout.

    The constrained layout needs a full draw; done on the empty panels (every
    label and limit is set, and the data stays inside the limits) it is cheap,
    and saving as PNG and SVG does not lay the figure out again.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def _ylabels(table: Table) -> list[str]:
    return [f"{r.label} (upper bound)" if r.role == UPPER_BOUND else r.label for r in table.rows]


def bar_chart(table: Table) -> Figure:
    """Mean F x 100 per system and ROUGE type, with confidence-interval error bars."""
    with rc_context(_RC):
        return _bar_chart(table)


def _bar_chart(table: Table) -> Figure:
    colors = _colors(table)
    fig, panels = _panels(table)
    _dress(table, panels, "F × 100", lambda t: (0, _xmax(table, t)))
    ci = f"error bars: {table.confidence:.0%} bootstrap CI" if table.has_ci else "no confidence intervals"
    base_note = f"; dashed: baseline {table.baseline}" if table.baseline_present else ""
    fig.suptitle(f"Mean ROUGE F over {table.n_examples} examples ({ci}{base_note})", fontsize=10)
    _freeze_layout(fig)
    for t, ax in panels:
        # One call per kind of artist and panel: matplotlib's cost is per call, not per bar.
        shown = [(i, row, row.cells[(t, "fmeasure")]) for i, row in enumerate(table.rows)
                 if (t, "fmeasure") in row.cells]
        y = np.array([i for i, _, _ in shown], dtype=float)
        values = np.array([c.value for _, _, c in shown])
        bars = ax.barh(y, values, height=0.7, color=[colors[r.system] for _, r, _ in shown], linewidth=0)
        for bar, (_, row, _) in zip(bars, shown):
            if row.role == UPPER_BOUND:
                bar.set_hatch("//")
                bar.set_edgecolor("white")
        with_ci = [(yi, c) for yi, (_, _, c) in zip(y, shown) if c.ci is not None]
        if with_ci:
            ax.errorbar([c.value for _, c in with_ci], [yi for yi, _ in with_ci],
                        xerr=[[max(c.value - c.ci[0], 0) for _, c in with_ci],
                              [max(c.ci[1] - c.value, 0) for _, c in with_ci]],
                        fmt="none", ecolor="#222222", elinewidth=1.1, capsize=3)
        for yi, (_, _, cell) in zip(y, shown):
            right = cell.ci[1] if cell.ci else cell.value
            ax.annotate(f"{cell.value:.2f}", (right, yi), xytext=(5, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=8, color="#222222", zorder=5,
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.6})
        base = next((r for r in table.rows if r.role == BASELINE), None)
        if base is not None and (t, "fmeasure") in base.cells:
            ax.axvline(base.cells[(t, "fmeasure")].value, color="#555555", linestyle="--", linewidth=0.9)
    return fig


def _xmax(table: Table, t: str) -> float:
    tops = [max(c.value, c.ci[1] if c.ci else c.value) for r in table.rows if (c := r.cells.get((t, "fmeasure")))]
    # Room for the value label right of the longest bar; 100 is the ceiling of F x 100.
    return min(100.0, max(tops, default=1.0) * 1.22 + 1.0)


def per_example(rows: Iterable[dict]) -> dict[str, dict[str, np.ndarray]]:
    """system -> rouge_type -> per-example F x 100, from scores.jsonl rows."""
    acc: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        acc[r["system"]][r["rouge_type"]].append(100 * r["fmeasure"])
    return {s: {t: np.asarray(v) for t, v in bt.items()} for s, bt in acc.items()}


def distribution_chart(table: Table, rows: Iterable[dict]) -> Figure:
    """Every example's F x 100 per system and ROUGE type: box, dots and the mean."""
    with rc_context(_RC):
        return _distribution_chart(table, per_example(rows))


def _distribution_chart(table: Table, scores: dict[str, dict[str, np.ndarray]]) -> Figure:
    colors = _colors(table)
    fig, panels = _panels(table)
    subsampled = any(len(v) > MAX_POINTS for by_type in scores.values() for v in by_type.values())
    dots = f"a sample of {MAX_POINTS} dots per system" if subsampled else "one dot per example"
    fig.suptitle(f"Per-example ROUGE F ({dots}; box: quartiles; diamond: mean)", fontsize=10)
    _dress(table, panels, "F × 100 per example", lambda t: (-1, _dist_xmax(scores, t)))
    _freeze_layout(fig)
    rng = np.random.default_rng(0)  # jitter and subsampling are fixed: same data, same picture
    for t, ax in panels:
        shown = [(i, colors[row.system], v) for i, row in enumerate(table.rows)
                 if (v := scores.get(row.system, {}).get(t)) is not None and len(v)]
        if not shown:
            continue
        many = max(len(v) for _, _, v in shown) >= 200
        # With many examples the dots form a cloud: draw the boxes over it, and keep the
        # cloud a bitmap inside the SVG (thousands of vector dots make it megabytes).
        boxes = ax.boxplot([v for _, _, v in shown], positions=[i for i, _, _ in shown], **_HORIZONTAL,
                           widths=0.6, showfliers=False, patch_artist=True, manage_ticks=False,
                           zorder=3.5 if many else 2, medianprops={"linewidth": 1.5})
        for k, (_, color, _) in enumerate(shown):
            boxes["boxes"][k].set(facecolor=color, alpha=0.25, edgecolor=color)
            boxes["medians"][k].set_color(color)
            for part in ("whiskers", "caps"):
                for line in boxes[part][2 * k:2 * k + 2]:
                    line.set_color(color)
        xs, ys, cs = [], [], []
        for i, color, v in shown:
            dots = v if len(v) <= MAX_POINTS else rng.choice(v, MAX_POINTS, replace=False)
            xs.append(dots)
            ys.append(i + rng.uniform(-0.22, 0.22, len(dots)))
            cs += [color] * len(dots)
        ax.scatter(np.concatenate(xs), np.concatenate(ys), s=4 if many else 14, c=cs, alpha=0.3 if many else 0.85,
                   linewidths=0, zorder=3, rasterized=many)
        ax.scatter([v.mean() for _, _, v in shown], [i for i, _, _ in shown], marker="D", s=30, color="white",
                   edgecolors="#222222", linewidths=1.0, zorder=4)
    return fig


def _dist_xmax(scores: dict[str, dict[str, np.ndarray]], t: str) -> float:
    top = max((float(v[t].max()) for v in scores.values() if t in v and len(v[t])), default=100.0)
    return min(102.0, 10 * np.ceil(top * 1.05 / 10) + 1)  # the next multiple of 10 above the data


def to_bytes(fig: Figure, fmt: str, dpi: int = 144) -> bytes:
    """The figure as PNG or SVG bytes, without timestamps (equal input, equal bytes)."""
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


def render_all(table: Table, rows: list[dict] | None) -> dict[str, Figure]:
    """The run's figures by file stem; the distribution needs the per-example rows."""
    figs = {"bars": bar_chart(table)}
    if rows:
        figs["distribution"] = distribution_chart(table, rows)
    return figs
