"""Correlation coefficients along the last axis of arrays, computed by scipy.stats.

Every coefficient is scipy's: `pearsonr`, `kendalltau` (variant "b", or
"c" on request) and, for Spearman, `pearsonr` of scipy's `rankdata` ranks
(the definition `spearmanr` computes; `spearmanr` itself has no row-wise
form: on 2-D input it returns a correlation matrix). A row with a NaN, or
constant in either argument, has no coefficient: NaN.

Resamples (`fast=True`) compute Pearson's r with numpy (`_product_moment`),
equal to `pearsonr`'s within 1e-12: `pearsonr` also computes a p-value per row.
For short rows (the systems of one example, at most `SIGN_ROWS_MAX`)
Kendall's tau-b is computed as scipy's Pearson correlation of the two rows'
pairwise sign vectors sign(x_i - x_j) over all ordered pairs i != j: that
is tau-b's definition (Kendall 1945, "The treatment of ties in ranking
problems", tau-b = sum s_x s_y / sqrt(sum s_x^2 sum s_y^2), and the sign
vectors have mean 0), vectorized, because `kendalltau` loops over rows in
Python and a bootstrap of summary-level correlations needs 10^5 rows.
tests/test_correlate_coefficients.py holds both forms to scipy's
`kendalltau` on the same vectors.
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

COEFFICIENTS = ("pearson", "spearman", "kendall", "kendall-c")
DEFAULT_COEFFICIENTS = ("pearson", "spearman", "kendall")
SIGN_ROWS_MAX = 64  # rows up to this length use the sign-vector form of tau-b (see above)
_SIGN_CELLS = 1 << 22  # rows of the sign form handled at a time: about 32 MB of float64 per argument


def _quiet(fn, *args, **kwargs) -> np.ndarray:
    """`fn`'s statistic, with scipy's warnings about constant or NaN input silenced (they give NaN)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return np.asarray(fn(*args, **kwargs).statistic, dtype=np.float64)


def _undefined(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rows with a NaN, or constant in x or y."""
    bad = np.isnan(x).any(axis=-1) | np.isnan(y).any(axis=-1)
    with np.errstate(invalid="ignore"):
        return bad | (np.ptp(x, axis=-1) == 0) | (np.ptp(y, axis=-1) == 0)


def _product_moment(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson's r row by row in numpy, as `pearsonr` computes it (centre, normalize, dot, clip to [-1, 1]).

    `pearsonr` also computes a p-value per row, which costs 10 times the
    coefficient: resamples use this form, point estimates scipy's own.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = x - x.mean(axis=-1, keepdims=True)
        ym = y - y.mean(axis=-1, keepdims=True)
        xm /= np.linalg.norm(xm, axis=-1, keepdims=True)
        ym /= np.linalg.norm(ym, axis=-1, keepdims=True)
        return np.clip(np.einsum("...i,...i->...", xm, ym), -1.0, 1.0)


def pearson(x: np.ndarray, y: np.ndarray, fast: bool = False) -> np.ndarray:
    return _product_moment(x, y) if fast else _quiet(stats.pearsonr, x, y, axis=-1)


def spearman(x: np.ndarray, y: np.ndarray, fast: bool = False) -> np.ndarray:
    return pearson(stats.rankdata(x, axis=-1), stats.rankdata(y, axis=-1), fast)


def _pair_signs(x: np.ndarray) -> np.ndarray:
    i, j = np.nonzero(~np.eye(x.shape[-1], dtype=bool))
    return np.sign(x[..., i] - x[..., j])


def _kendall_signs(x: np.ndarray, y: np.ndarray, fast: bool) -> np.ndarray:
    flat_x, flat_y = x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])
    step = max(1, _SIGN_CELLS // max(1, x.shape[-1] ** 2))
    out = np.concatenate([pearson(_pair_signs(flat_x[s:s + step]), _pair_signs(flat_y[s:s + step]), fast)
                          for s in range(0, len(flat_x), step)] or [np.empty(0)])
    return out.reshape(x.shape[:-1])


def kendall(x: np.ndarray, y: np.ndarray, variant: str = "b", fast: bool = False) -> np.ndarray:
    if variant == "b" and x.shape[-1] <= SIGN_ROWS_MAX:
        return _kendall_signs(x, y, fast)
    return _quiet(stats.kendalltau, x, y, variant=variant, axis=-1)


def correlation(coefficient: str, x, y, fast: bool = False) -> np.ndarray:
    """The coefficient of each row pair of `x` and `y` (same shape, rows on the last axis); NaN where undefined.

    `fast` (for resamples) computes Pearson's product moment in numpy rather
    than through `pearsonr` (equal to it within 1e-12, tests check).
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape[-1] < 2:
        return np.full(x.shape[:-1], np.nan)
    if coefficient == "pearson":
        r = pearson(x, y, fast)
    elif coefficient == "spearman":
        r = spearman(x, y, fast)
    elif coefficient in ("kendall", "kendall-c"):
        r = kendall(x, y, "c" if coefficient == "kendall-c" else "b", fast)
    else:
        raise ValueError(f"unknown coefficient {coefficient!r} (expected one of {', '.join(COEFFICIENTS)})")
    return np.where(_undefined(x, y), np.nan, r)
