"""Plots of a correlation, drawn with matplotlib's Agg renderer (byte-stable, as the run's plots).

- `systems_chart`: for one metric column, one panel per human dimension:
  each system's mean metric score against its mean human score, with the
  least-squares line (numpy's `polyfit`, degree 1) and the Pearson r.
- `heat_map`: the system-level correlation (first coefficient) of every
  metric column (rows) with every dimension (columns), one panel per level.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

from .. import storage
from ..report.plots import _RC, to_bytes
from .align import Column
from .compute import Correlation
from .levels import _both, _nanmean

PLOT_FORMATS = ("png", "svg")


def _label(col: Column) -> str:
    return col.metric if col.component == "fmeasure" else f"{col.metric} {col.component}"


def systems_chart(c: Correlation, col: Column) -> Figure:
    a = c.aligned
    dims = list(a.human)
    with rc_context(_RC):
        fig = Figure(figsize=(3.2 * len(dims), 3.2), layout="constrained")
        for k, dim in enumerate(dims):
            ax = fig.add_subplot(1, len(dims), k + 1)
            x, z = _both(a.metrics[col], a.human[dim])
            xm, zm = _nanmean(x, -1), _nanmean(z, -1)
            keep = ~np.isnan(xm) & ~np.isnan(zm)
            ax.scatter(zm[keep], xm[keep], s=14, color="#4C72B0")
            if keep.sum() >= 2 and np.ptp(zm[keep]) > 0:
                slope, intercept = np.polyfit(zm[keep], xm[keep], 1)
                grid = np.linspace(zm[keep].min(), zm[keep].max(), 2)
                ax.plot(grid, slope * grid + intercept, color="#C44E52", linewidth=1)
                r = np.corrcoef(zm[keep], xm[keep])[0, 1]
                ax.set_title(f"{dim} (r = {r:.2f})")
            else:
                ax.set_title(dim)
            ax.set_xlabel(f"human {dim} (system mean)")
            if k == 0:
                ax.set_ylabel(f"{_label(col)} (system mean)")
    return fig


def heat_map(c: Correlation) -> Figure:
    coef = c.rows[0].coefficient
    levels = list(dict.fromkeys(r.level for r in c.rows))
    cols = list(dict.fromkeys((r.metric, r.component) for r in c.rows))
    dims = list(dict.fromkeys(r.dimension for r in c.rows))
    with rc_context(_RC):
        fig = Figure(figsize=(1.2 + 1.1 * len(dims) * len(levels), 1.0 + 0.35 * len(cols)), layout="constrained")
        for k, level in enumerate(levels):
            grid = np.full((len(cols), len(dims)), np.nan)
            for r in c.rows:
                if r.level == level and r.coefficient == coef and r.value is not None:
                    grid[cols.index((r.metric, r.component)), dims.index(r.dimension)] = r.value
            ax = fig.add_subplot(1, len(levels), k + 1)
            image = ax.imshow(grid, vmin=-1, vmax=1, cmap="RdBu_r", aspect="auto")
            for (i, j), v in np.ndenumerate(grid):
                if not math.isnan(v):
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7)
            ax.set_xticks(range(len(dims)), dims, rotation=30, ha="right")
            ax.set_yticks(range(len(cols)), [_label(Column(*col)) for col in cols] if k == 0 else [])
            ax.set_title(f"{level} level, {coef}")
        fig.colorbar(image, ax=fig.axes, shrink=0.8)
    return fig


def _stem(col: Column) -> str:
    return "systems-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in _label(col))


def write_plots(out: Path, c: Correlation) -> list[Path]:
    """plots/heatmap.* and plots/systems-<metric>.* (one per metric column), PNG and SVG."""
    figures = {"heatmap": heat_map(c)} if c.rows else {}
    for col in c.aligned.metrics:
        figures[_stem(col)] = systems_chart(c, col)
    written = []
    for stem, fig in figures.items():
        for fmt in PLOT_FORMATS:
            path = Path(out) / "plots" / f"{stem}.{fmt}"
            with storage.atomic_open(path, "wb") as fh:
                fh.write(to_bytes(fig, fmt))
            written.append(path)
    return written
