"""Every metric column against every human dimension, at every level and coefficient, with intervals and tests."""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .. import stats
from ..version import __version__
from .align import Aligned, Column
from .coefficients import DEFAULT_COEFFICIENTS
from .levels import LEVELS, _both, _nanmean, estimate
from .resampling import DEFAULT_RESAMPLING, interval, permutation_p, samples, williams_p

TESTS = ("permutation", "williams")


@dataclass(frozen=True)
class Options:
    """Every choice that changes a number of `harness correlate` (each default defined once, here or beside it)."""

    levels: tuple[str, ...] = LEVELS
    coefficients: tuple[str, ...] = DEFAULT_COEFFICIENTS
    resampling: str = DEFAULT_RESAMPLING
    n_resamples: int = stats.DEFAULT_RESAMPLES
    seed: int = stats.DEFAULT_SEED
    confidence: float = stats.DEFAULT_CONFIDENCE
    compare: tuple[tuple[str, str], ...] | None = ()  # metric pairs to test; None: all pairs

    def signature(self, run_signatures, human: str) -> str:
        parts = [f"levels:{'+'.join(self.levels)}", f"coef:{'+'.join(self.coefficients)}",
                 f"resample:{self.resampling}", f"boot:{self.n_resamples}", f"seed:{self.seed}",
                 f"conf:{self.confidence:g}", f"human:{human}", f"harness:{__version__}", f"scipy:{_scipy()}"]
        return "|".join(parts) + "".join(f" || run:{s}" for s in dict.fromkeys(run_signatures))


def _scipy() -> str:
    import scipy

    return scipy.__version__


class Row(NamedTuple):
    """One correlation, as `--json` writes it."""

    metric: str
    component: str
    dimension: str
    level: str
    coefficient: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int


class Comparison(NamedTuple):
    """One test of metric A's correlation against metric B's (one-sided: A's is the larger)."""

    metric: str
    other: str
    component: str
    dimension: str
    level: str
    coefficient: str
    test: str
    difference: float | None
    p_value: float | None
    n: int


@dataclass
class Correlation:
    rows: list[Row]
    comparisons: list[Comparison]
    signature: str
    notes: list[str] = field(default_factory=list)
    aligned: Aligned | None = None


def _number(v: float) -> float | None:
    return None if v is None or math.isnan(v) else float(v)


def _cells(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The systems and examples with at least one (score, judgment) pair."""
    x, z = _both(x, z)
    keep = ~np.isnan(x)
    rows, cols = keep.any(axis=1), keep.any(axis=0)
    return x[rows][:, cols], z[rows][:, cols]


def _rows(a: Aligned, opt: Options, notes: list[str]) -> list[Row]:
    out = []
    for col, dim in itertools.product(a.metrics, a.human):
        x, z = _cells(a.metrics[col], a.human[dim])
        draws = samples(x.shape[0], x.shape[1], opt.resampling, opt.n_resamples, opt.seed) if opt.n_resamples else None
        for level, coef in itertools.product(opt.levels, opt.coefficients):
            e = estimate(level, coef, x, z)
            low, high = interval(level, coef, x, z, draws, opt.confidence) if draws is not None else (None, None)
            out.append(Row(col.metric, col.component, dim, level, coef, _number(float(e.value)), _number(low),
                           _number(high), int(e.n)))
            if level == "summary" and coef == opt.coefficients[0] and e.skipped:
                notes.append(f"summary level, {col.metric} {col.component} vs {dim}: {int(e.skipped)} of "
                             f"{x.shape[1]} examples skipped (correlation undefined: constant scores or a "
                             "missing cell)")
    return out


def _pairs(a: Aligned, opt: Options) -> list[tuple[Column, Column]]:
    by_metric = {}
    for col in a.metrics:
        by_metric.setdefault(col.metric, {})[col.component] = col
    if opt.compare is None:
        names = list(by_metric)
        wanted = [(m, o) for m in names for o in names if m != o]
    else:
        wanted = list(opt.compare)
    for m, o in wanted:
        for name in (m, o):
            if name not in by_metric:
                raise ValueError(f"--compare-metrics: no metric {name!r} (the runs have {', '.join(by_metric)})")
    return [(by_metric[m][c], by_metric[o][c]) for m, o in wanted for c in by_metric[m] if c in by_metric[o]]


def _joint(xa, xb, z):
    keep = ~np.isnan(xa) & ~np.isnan(xb) & ~np.isnan(z)
    xa, xb, z = (np.where(keep, v, np.nan) for v in (xa, xb, z))
    rows, cols = keep.any(axis=1), keep.any(axis=0)
    return (v[rows][:, cols] for v in (xa, xb, z))


def _comparisons(a: Aligned, opt: Options) -> list[Comparison]:
    out = []
    for (ca, cb), dim in itertools.product(_pairs(a, opt), a.human):
        xa, xb, z = _joint(a.metrics[ca], a.metrics[cb], a.human[dim])
        for level, coef in itertools.product(opt.levels, opt.coefficients):
            diff, p = permutation_p(level, coef, xa, xb, z, opt.resampling, opt.n_resamples, opt.seed)
            n = int(estimate(level, coef, xa, z).n)
            out.append(Comparison(ca.metric, cb.metric, ca.component, dim, level, coef, "permutation",
                                  _number(diff), _number(p), n))
        if "system" in opt.levels and "pearson" in opt.coefficients:
            diff, p = williams_p(_nanmean(xa, -1), _nanmean(xb, -1), _nanmean(z, -1))
            out.append(Comparison(ca.metric, cb.metric, ca.component, dim, "system", "pearson", "williams",
                                  _number(diff), _number(p), xa.shape[0]))
    return out


def correlate(aligned: Aligned, options: Options = Options(), human: str = "") -> Correlation:
    notes = list(aligned.notes)
    rows = _rows(aligned, options, notes)
    comparisons = []
    if options.compare != () and options.n_resamples:
        comparisons = _comparisons(aligned, options)
    elif options.compare != ():
        notes.append("metric comparisons need resamples (the permutation test): none with --bootstrap 0")
    return Correlation(rows, comparisons, options.signature(aligned.signatures, human), notes, aligned)
