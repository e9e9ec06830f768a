"""The three levels of a metric-human correlation (Deutsch, Dror and Roth 2021, section 2), on score matrices.

Arguments are arrays `(..., systems, examples)` of metric scores `x` and
human scores `z` (NaN: no score or no judgment); leading axes are resamples.

- system: the correlation, across systems, of each system's mean over the
  examples where both scores exist;
- summary: for each example, the correlation across systems; then the mean
  over the examples where it is defined (an example with constant scores, a
  NaN, or fewer than two systems is skipped and counted);
- global: the correlation of all (example, system) pairs.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .coefficients import correlation

LEVELS = ("system", "summary", "global")


class Estimate(NamedTuple):
    value: np.ndarray  # (...,) the correlation
    n: np.ndarray  # systems (system level), examples averaged (summary), pairs (global)
    skipped: np.ndarray  # examples without a defined correlation (summary level), else 0


def _both(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, z = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(z, dtype=np.float64))
    keep = ~np.isnan(x) & ~np.isnan(z)
    return np.where(keep, x, np.nan), np.where(keep, z, np.nan)


def _nanmean(a: np.ndarray, axis: int) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nansum(a, axis=axis) / np.sum(~np.isnan(a), axis=axis)


def system_level(coefficient: str, x, z, fast: bool = False) -> Estimate:
    x, z = _both(x, z)
    xm, zm = _nanmean(x, -1), _nanmean(z, -1)
    zero = np.zeros(xm.shape[:-1], dtype=np.int64)
    return Estimate(correlation(coefficient, xm, zm, fast), zero + xm.shape[-1], zero)


def summary_level(coefficient: str, x, z, fast: bool = False) -> Estimate:
    x, z = _both(x, z)
    r = correlation(coefficient, np.swapaxes(x, -1, -2), np.swapaxes(z, -1, -2), fast)  # (..., examples)
    n = np.sum(~np.isnan(r), axis=-1)
    return Estimate(_nanmean(r, -1), n, r.shape[-1] - n)


def global_level(coefficient: str, x, z, fast: bool = False) -> Estimate:
    x, z = _both(x, z)
    x, z = x.reshape(*x.shape[:-2], -1), z.reshape(*z.shape[:-2], -1)
    n = np.sum(~np.isnan(x), axis=-1)
    if (n == x.shape[-1]).all():
        return Estimate(correlation(coefficient, x, z, fast), n, np.zeros_like(n))
    flat_x, flat_z = x.reshape(-1, x.shape[-1]), z.reshape(-1, z.shape[-1])
    keep = ~np.isnan(flat_x)
    r = np.array([correlation(coefficient, a[k], b[k], fast) for a, b, k in zip(flat_x, flat_z, keep)])
    return Estimate(r.reshape(n.shape), n, np.zeros_like(n))


LEVEL_FUNCTIONS = {"system": system_level, "summary": summary_level, "global": global_level}


def estimate(level: str, coefficient: str, x, z, fast: bool = False) -> Estimate:
    """The correlation at `level`; `fast` for resamples (see `coefficients.correlation`)."""
    return LEVEL_FUNCTIONS[level](coefficient, x, z, fast)
