"""Bootstrap intervals of a correlation and tests of the difference between two metrics' correlations.

After Deutsch, Dror and Roth (2021), "A Statistical Analysis of
Summarization Evaluation Metrics Using Resampling Methods" (TACL):

- the bootstrap resamples systems, inputs (examples), or both, with
  replacement, and recomputes the correlation on the resampled matrix; the
  interval is the percentile interval of those values. The draws are the
  harness's own (`harness.stats.bootstrap_counts`: the seeded, chunked
  multinomial every interval of the harness uses): inputs from `seed`,
  systems from `seed + SYSTEMS_SEED_OFFSET`, so "both" draws the same inputs
  as "inputs" and the same systems as "systems".
- the permutation test of H1 "metric A correlates more than metric B":
  both metrics' scores are standardized (z-scores over all cells, as
  Deutsch et al.'s nlpstats does, so that swapping makes sense between
  metrics on different scales), then swapped between A and B per cell
  ("both"), per system row ("systems") or per input column ("inputs"),
  each with probability 1/2 (the flips of `harness.stats.randomization_flips`);
  p = (trials with a difference at least the observed one + 1) / (trials + 1).
- Williams' test (Williams 1959, "Regression Analysis", as Graham and
  Baldwin 2014 apply it to metrics) of two dependent Pearson correlations
  with the human scores at system level, one-sided (A greater than B).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats as scipy_stats

from .. import stats
from .coefficients import correlation
from .levels import estimate

RESAMPLING = ("systems", "inputs", "both")
DEFAULT_RESAMPLING = "both"
SYSTEMS_SEED_OFFSET = 1  # the systems' draws: seed + 1 (the inputs' are seed's)


def _draws(n: int, n_resamples: int, seed: int) -> np.ndarray:
    """`(n_resamples, n)` indices drawn with replacement (the harness's multinomial draws, as indices)."""
    counts = stats.bootstrap_counts(n, n_resamples, seed)
    return np.repeat(np.tile(np.arange(n), n_resamples), counts.ravel()).reshape(n_resamples, n)


def samples(n_systems: int, n_inputs: int, method: str, n_resamples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The resampled (system indices `(R, S)`, input indices `(R, N)`) of each bootstrap resample."""
    if method not in RESAMPLING:
        raise ValueError(f"unknown resampling {method!r} (expected one of {', '.join(RESAMPLING)})")
    keep_s = np.tile(np.arange(n_systems), (n_resamples, 1))
    keep_i = np.tile(np.arange(n_inputs), (n_resamples, 1))
    s = _draws(n_systems, n_resamples, seed + SYSTEMS_SEED_OFFSET) if method != "inputs" else keep_s
    i = _draws(n_inputs, n_resamples, seed) if method != "systems" else keep_i
    return s, i


def take(m: np.ndarray, draws: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """`(R, S, N)`: the matrix `m` `(S, N)` on each resample."""
    s, i = draws
    return m[s[:, :, None], i[:, None, :]]


def interval(level: str, coefficient: str, x: np.ndarray, z: np.ndarray, draws,
             confidence: float = stats.DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """The percentile bootstrap interval of the correlation (resamples where it is undefined left out)."""
    values = estimate(level, coefficient, take(x, draws), take(z, draws), fast=True).value
    low, high = stats.percentile_interval(values[:, None], confidence)
    return float(low[0]), float(high[0])


def _standardize(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x - np.nanmean(x)) / np.nanstd(x)


def _flips(shape: tuple[int, int], method: str, n_trials: int, seed: int) -> np.ndarray:
    s, n = shape
    if method == "both":
        return stats.randomization_flips(s * n, n_trials, seed).reshape(n_trials, s, n).astype(bool)
    if method == "systems":
        return np.repeat(stats.randomization_flips(s, n_trials, seed).astype(bool)[:, :, None], n, axis=2)
    return np.repeat(stats.randomization_flips(n, n_trials, seed).astype(bool)[:, None, :], s, axis=1)


def permutation_p(level: str, coefficient: str, xa: np.ndarray, xb: np.ndarray, z: np.ndarray, method: str,
                  n_trials: int, seed: int) -> tuple[float, float]:
    """(observed difference of the two correlations, one-sided p-value that A's is the larger)."""
    xa, xb = _standardize(xa), _standardize(xb)
    observed = estimate(level, coefficient, xa, z).value - estimate(level, coefficient, xb, z).value
    flips = _flips(xa.shape, method, n_trials, seed)
    za = np.broadcast_to(z, flips.shape)
    trials = (estimate(level, coefficient, np.where(flips, xb, xa), za, fast=True).value
              - estimate(level, coefficient, np.where(flips, xa, xb), za, fast=True).value)
    return float(observed), float(stats.one_sided_p(trials[:, None], observed)[0])


def williams_p(xa_means: np.ndarray, xb_means: np.ndarray, z_means: np.ndarray) -> tuple[float, float]:
    """(r(A, human) - r(B, human), Williams' one-sided p) for the system means; NaN below 4 systems."""
    r12 = float(correlation("pearson", xa_means, z_means))
    r13 = float(correlation("pearson", xb_means, z_means))
    r23 = float(correlation("pearson", xa_means, xb_means))
    n = len(z_means)
    if n < 4 or any(math.isnan(r) for r in (r12, r13, r23)):
        return r12 - r13, math.nan
    k = 1 - r12 ** 2 - r13 ** 2 - r23 ** 2 + 2 * r12 * r13 * r23
    denominator = math.sqrt(2 * k * (n - 1) / (n - 3) + ((r12 + r13) ** 2 / 4) * (1 - r23) ** 3)
    if denominator == 0:
        return r12 - r13, math.nan
    t = (r12 - r13) * math.sqrt((n - 1) * (1 + r23)) / denominator
    return r12 - r13, float(scipy_stats.t.sf(t, n - 3))
