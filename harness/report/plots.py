"""Plots of a run, drawn with matplotlib's Agg renderer (no display needed).

- `bar_chart`: each system's mean score per ROUGE type, with its bootstrap
  confidence interval as an error bar, and the baseline's mean as a dashed line.
- `distribution_chart`: each system's per-example scores per ROUGE type (box
  for the quartiles, one dot per example, a diamond at the mean), which shows
  whether a mean difference is broad or carried by a few examples.

One panel per ROUGE type, systems top to bottom in the table's order; upper
bounds (oracles) are grey and hatched so they never pass for a system. Both
figures are written as PNG, and as SVG where the SVG is a vector drawing: the
bar chart always, the distribution below `CLOUD` examples (beyond, its dots
are a bitmap even in an SVG, which then only repeats the PNG at the cost of
drawing it again: half a second on a 2,000-example run). Output is
byte-stable for equal input.
"""
from __future__ import annotations

import io
import math
import random
import textwrap
from collections import defaultdict
from typing import Iterable, NamedTuple

import matplotlib
import numpy as np
from matplotlib import cbook, rc_context
from matplotlib.figure import Figure

from ..aggregate import exact_sum
from .model import BASELINE, UPPER_BOUND, Table, pretty_type

MAX_POINTS = 2000  # dots drawn per system and panel; the box always uses every example
CLOUD = 200  # from this many examples a panel's dots are a cloud: drawn under the boxes, as a bitmap
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


# Fixed parts of the layout, in inches: drawn text whose size does not depend on the data.
_SUPTITLE, _TITLE, _XAXIS, _RIGHT, _GAP_W, _TICKS = 0.34, 0.28, 0.5, 0.25, 0.3, 0.14
_ROW, _ROW_PAD = 0.38, 0.25  # per system row, and above/below the rows in a panel
MAX_LABEL = 48  # characters of a system name shown on the y axis


def _text_width(text: str, size: float) -> float:
    """Width in inches of `text` drawn at `size` points in the default font."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    w, _, _ = RendererAgg(1, 1, 72).get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return w / 72


def _panels(table: Table, title: str, width_per_panel: float = 3.6) -> tuple[Figure, list]:
    """A figure with one panel per ROUGE type, two panels a row, systems down the y axis.

    The layout is computed, not searched for: the only text whose size varies
    is the system names, and measuring those is far cheaper than matplotlib's
    constrained layout, which draws the whole figure to find it.
    """
    types = _f_types(table)
    ncols = min(2, len(types))
    nrows = -(-len(types) // ncols)
    size = _RC["font.size"]
    left = max((_text_width(lab, size) for lab in _ylabels(table)), default=0.5) + _TICKS + 0.12
    panel_h = _ROW * len(table.rows) + _ROW_PAD
    width = left + ncols * width_per_panel + (ncols - 1) * _GAP_W + _RIGHT
    lines = textwrap.wrap(title, max(30, int(len(title) * (width - 0.3) / _text_width(title, 10)))) or [""]
    top = _SUPTITLE + 0.17 * (len(lines) - 1)
    height = top + nrows * (_TITLE + panel_h + _XAXIS)
    fig = Figure(figsize=(width, height))
    fig.suptitle("\n".join(lines), fontsize=10, y=1 - 0.08 / height, va="top")
    fig.subplots_adjust(left=left / width, right=1 - _RIGHT / width, top=1 - (top + _TITLE) / height,
                        bottom=_XAXIS / height, wspace=_GAP_W / width_per_panel,
                        hspace=(_TITLE + _XAXIS) / panel_h)
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


def _ylabels(table: Table) -> list[str]:
    out = []
    for r in table.rows:
        label = f"{r.label} (upper bound)" if r.role == UPPER_BOUND else r.label
        if len(label) > MAX_LABEL:
            label = label[:MAX_LABEL - 1] + "…"
        out.append(_plain(label))
    return out


def _plain(text: str) -> str:
    """Text that matplotlib prints as is: a `$` would start mathtext (and fail when unpaired)."""
    return text.replace("$", r"\$")


def bar_chart(table: Table) -> Figure:
    """Mean F x 100 per system and ROUGE type, with confidence-interval error bars."""
    with rc_context(_RC):
        return _bar_chart(table)


def _bar_chart(table: Table) -> Figure:
    colors = _colors(table)
    ci = f"error bars: {table.confidence:.0%} bootstrap CI" if table.has_ci else "no confidence intervals"
    base_note = f"; dashed: baseline {_plain(table.baseline)}" if table.baseline_present else ""
    fig, panels = _panels(table, f"Mean ROUGE F over {table.n_examples} examples ({ci}{base_note})")
    _dress(table, panels, "F × 100", lambda t: (0, _xmax(table, t)))
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


class Distribution:
    """One column's per-example F x 100, summarized in bounded memory for the distribution chart.

    Up to `EXACT_VALUES` values are kept as they are (the box is then
    matplotlib's own, from every value). Past that the values go into a
    histogram of `BINS` bins over [0, 100] (quartiles and whiskers to 0.01 F
    points, finer than the picture shows) and a seeded reservoir sample of
    `MAX_POINTS` dots, so a run of millions of examples is drawn in the same
    memory as one of a hundred thousand. The mean is exact either way.
    """

    EXACT_VALUES = 100_000
    BINS = 10_000

    def __init__(self) -> None:
        self.values: list[float] | None = []
        self.hist: np.ndarray | None = None
        self.sample: list[float] = []
        self.n = 0
        self.max = -np.inf
        self._sums: list[float] = []  # math.fsum partials: the exact mean, streaming
        self._rng = random.Random(0)

    def add(self, v: float) -> None:
        self.n += 1
        self.max = max(self.max, v)
        self._sums = exact_sum(self._sums + [v]) if len(self._sums) > 32 else self._sums + [v]
        if self.values is not None:
            self.values.append(v)
            if len(self.values) > self.EXACT_VALUES:
                self._to_histogram()
            return
        self.hist[min(int(v * self.BINS / 100), self.BINS - 1)] += 1
        if len(self.sample) < MAX_POINTS:
            self.sample.append(v)
            return
        j = self._rng.randrange(self.n)  # reservoir sampling (Algorithm R)
        if j < MAX_POINTS:
            self.sample[j] = v

    def _to_histogram(self) -> None:
        v = np.asarray(self.values)
        self.hist = np.bincount(np.minimum((v * self.BINS / 100).astype(np.int64), self.BINS - 1),
                                minlength=self.BINS)
        # a uniform sample of what came so far
        self.sample = self._rng.sample(self.values, min(MAX_POINTS, len(self.values)))
        self.values = None

    @property
    def mean(self) -> float:
        return math.fsum(self._sums) / self.n

    def dots(self, rng: np.random.Generator) -> np.ndarray:
        if self.values is None:
            return np.asarray(self.sample)
        v = np.asarray(self.values)
        return v if len(v) <= MAX_POINTS else rng.choice(v, MAX_POINTS, replace=False)

    def box(self) -> dict:
        """The statistics `Axes.bxp` draws (whiskers at 1.5 IQR, as `Axes.boxplot`)."""
        if self.values is not None:
            return cbook.boxplot_stats(np.asarray(self.values))[0]
        width = 100 / self.BINS
        centers = (np.arange(self.BINS) + 0.5) * width
        cdf = np.cumsum(self.hist)
        q1, med, q3 = (float(centers[np.searchsorted(cdf, p * self.n)]) for p in (0.25, 0.5, 0.75))
        iqr = q3 - q1
        seen = centers[self.hist > 0]
        low = seen[seen >= q1 - 1.5 * iqr]
        high = seen[seen <= q3 + 1.5 * iqr]
        return {"med": med, "q1": q1, "q3": q3, "iqr": iqr, "mean": self.mean, "fliers": np.zeros(0),
                "whislo": float(low.min()) if len(low) else q1, "whishi": min(float(high.max()), self.max)
                if len(high) else q3}


def per_example(rows: Iterable[dict]) -> dict[str, dict[str, Distribution]]:
    """system -> rouge_type -> its per-example F x 100 (see `Distribution`), from scores.jsonl rows."""
    acc: dict[str, dict[str, Distribution]] = defaultdict(lambda: defaultdict(Distribution))
    for r in rows:
        if r["fmeasure"] is not None:  # a failed example (--on-error record) has no score
            acc[r["system"]][r["rouge_type"]].add(100 * r["fmeasure"])
    return {s: dict(bt) for s, bt in acc.items()}


def distribution_chart(table: Table, rows: Iterable[dict]) -> Figure:
    """Every example's F x 100 per system and ROUGE type: box, dots and the mean."""
    with rc_context(_RC):
        return _distribution_chart(table, per_example(rows))


def _distribution_chart(table: Table, scores: dict[str, dict[str, Distribution]]) -> Figure:
    colors = _colors(table)
    subsampled = any(v.n > MAX_POINTS for by_type in scores.values() for v in by_type.values())
    dots = f"a sample of {MAX_POINTS} dots per system" if subsampled else "one dot per example"
    fig, panels = _panels(table, f"Per-example ROUGE F ({dots}; box: quartiles; diamond: mean)")
    _dress(table, panels, "F × 100 per example", lambda t: (-1, _dist_xmax(scores, t)))
    rng = np.random.default_rng(0)  # jitter and subsampling are fixed: same data, same picture
    for t, ax in panels:
        shown = [(i, colors[row.system], v) for i, row in enumerate(table.rows)
                 if (v := scores.get(row.system, {}).get(t)) is not None and v.n]
        if not shown:
            continue
        many = max(v.n for _, _, v in shown) >= CLOUD
        # With many examples the dots form a cloud: draw the boxes over it, and keep the
        # cloud a bitmap inside the SVG (thousands of vector dots make it megabytes).
        boxes = ax.bxp([v.box() for _, _, v in shown], positions=[i for i, _, _ in shown], **_HORIZONTAL,
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
            dots = v.dots(rng)
            xs.append(dots)
            ys.append(i + rng.uniform(-0.22, 0.22, len(dots)))
            cs += [color] * len(dots)
        ax.scatter(np.concatenate(xs), np.concatenate(ys), s=4 if many else 14, c=cs, alpha=0.3 if many else 0.85,
                   linewidths=0, zorder=3, rasterized=many)
        ax.scatter([v.mean for _, _, v in shown], [i for i, _, _ in shown], marker="D", s=30, color="white",
                   edgecolors="#222222", linewidths=1.0, zorder=4)
    return fig


def _dist_xmax(scores: dict[str, dict[str, Distribution]], t: str) -> float:
    top = max((float(v[t].max) for v in scores.values() if t in v and v[t].n), default=100.0)
    return min(102.0, 10 * np.ceil(top * 1.05 / 10) + 1)  # the next multiple of 10 above the data


def to_bytes(fig: Figure, fmt: str, dpi: int = 144) -> bytes:
    """The figure as PNG or SVG bytes, without timestamps (equal input, equal bytes)."""
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


class Plot(NamedTuple):
    """A figure of the run and the formats it is written in."""

    figure: Figure
    formats: tuple[str, ...]


def render_all(table: Table, rows: list[dict] | None) -> dict[str, Plot]:
    """The run's figures by file stem; the distribution needs the per-example rows."""
    figs = {"bars": Plot(bar_chart(table), ("png", "svg"))}
    if rows:
        scores = per_example(rows)
        cloud = any(v.n >= CLOUD for by_type in scores.values() for v in by_type.values())
        with rc_context(_RC):
            figs["distribution"] = Plot(_distribution_chart(table, scores), ("png",) if cloud else ("png", "svg"))
    return figs
