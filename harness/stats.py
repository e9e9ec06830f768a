"""Confidence intervals and paired significance tests over per-example scores.

A corpus ROUGE score is the mean of per-example scores, so the per-example
scores are the sufficient statistics: every resample below is a weighted mean
of them, computed for all systems and ROUGE types at once as one matrix
product. The tests follow sacrebleu's `significance.py` (paired bootstrap
resampling after Koehn 2004; approximate randomization after Riezler & Maxwell
2005), including its p-value rule `(count + 1) / (trials + 1)` (ties count as
at least as extreme, see `_p_value`).

Arrays are shaped `(n_examples, k)`: one column per (system, ROUGE type).
"""
from __future__ import annotations

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345  # sacrebleu's default seed


def _as_2d(a) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a[:, None] if a.ndim == 1 else a


def bootstrap_weights(n: int, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """`(n_resamples, n)` matrix whose row r, times a score column, is the mean of resample r.

    Each row holds how often each example was drawn (with replacement, n
    draws) divided by n. Seeded: the same (n, n_resamples, seed) always gives
    the same resamples, so every system is resampled on the same examples.
    """
    if n == 0:
        return np.zeros((n_resamples, 0))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_resamples, n))
    counts = np.bincount((idx + (np.arange(n_resamples) * n)[:, None]).ravel(), minlength=n_resamples * n)
    return counts.reshape(n_resamples, n) / n


# Resamples are drawn in blocks of rows so that memory stays bounded for
# large corpora: a block of b resamples of n examples takes about 24*b*n
# bytes. Drawing in blocks gives exactly the numbers of drawing at once (numpy's
# Generator draws int64 values one after another; int8 values come 4 to a
# 32-bit word, so int8 blocks are a multiple of 4 rows). Tests check both.
_BLOCK_CELLS = 4_000_000


def _block_rows(n: int, n_resamples: int) -> int:
    return max(4, (_BLOCK_CELLS // max(n, 1)) // 4 * 4)


def bootstrap_means(scores, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """`(n_resamples, k)`: the mean of each column on each bootstrap resample of the rows.

    Equal to `bootstrap_weights(n, n_resamples, seed) @ scores`, computed
    block by block (every column sees the same resamples).
    """
    s = _as_2d(scores)
    n = len(s)
    if n == 0:
        return np.zeros((n_resamples, s.shape[1]))
    rng = np.random.default_rng(seed)
    out = np.empty((n_resamples, s.shape[1]))
    step = _block_rows(n, n_resamples)
    for r0 in range(0, n_resamples, step):
        b = min(step, n_resamples - r0)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b) * n)[:, None]
        counts = np.bincount(idx.ravel(), minlength=b * n).reshape(b, n)
        out[r0:r0 + b] = (counts / n) @ s
    return out


def bootstrap_ci(scores, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                 confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of the mean, per column: `(low, high)`."""
    means = bootstrap_means(scores, n_resamples, seed)
    alpha = (1 - confidence) / 2
    return np.quantile(means, alpha, axis=0), np.quantile(means, 1 - alpha, axis=0)


def _p_value(stats: np.ndarray, real: np.ndarray) -> np.ndarray:
    # +1 on both sides as sacrebleu (after multeval) does, so a p-value is
    # never 0. sacrebleu counts `stats > real`; we count `>=`, which differs
    # only on exact ties and makes a system against itself p = 1, not 1/(N+1).
    return ((stats >= real - 1e-12).sum(axis=0) + 1) / (len(stats) + 1)


def paired_bootstrap(system, baseline, n_resamples: int = DEFAULT_RESAMPLES,
                     seed: int = DEFAULT_SEED) -> np.ndarray:
    """Two-sided p-value per column that `system` and `baseline` differ in mean.

    Both are resampled on the same examples; the observed |difference| is
    compared with the resampled |differences| shifted to mean zero (the null).
    """
    a, b = _as_2d(system), _as_2d(baseline)
    d = a - b
    return paired_bootstrap_p(bootstrap_means(d, n_resamples, seed), d.mean(axis=0))


def paired_bootstrap_p(resampled_differences, observed_difference) -> np.ndarray:
    """The paired bootstrap p-value from the resampled mean differences `(n_resamples, k)`.

    A mean is linear, so the resampled mean difference is the difference of
    the resampled means: callers that already resampled both systems (for
    their confidence intervals) pass `means_a - means_b` and resample nothing.
    """
    sample = np.abs(np.asarray(resampled_differences))
    return _p_value(sample - sample.mean(axis=0), np.abs(np.asarray(observed_difference)))


def approximate_randomization(system, baseline, n_trials: int = DEFAULT_RESAMPLES,
                              seed: int = DEFAULT_SEED) -> np.ndarray:
    """Two-sided p-value per column from paired approximate randomization.

    Each trial swaps the two systems' scores on a random half of the examples,
    which flips the sign of those examples' differences.
    """
    a, b = _as_2d(system), _as_2d(baseline)
    d = a - b
    n = len(d)
    if n == 0:
        return np.ones(d.shape[1])
    rng = np.random.default_rng(seed)
    stats = np.empty((n_trials, d.shape[1]))
    step = _block_rows(n, n_trials)
    for r0 in range(0, n_trials, step):
        b = min(step, n_trials - r0)
        flips = rng.integers(0, 2, size=(b, n), dtype=np.int8)
        # sign +1 keeps the pair, -1 swaps it: sum of signed differences
        # = 2 * (sum over kept) - (sum over all)
        stats[r0:r0 + b] = np.abs(2.0 * (flips @ d) - d.sum(axis=0)) / n
    return _p_value(stats, np.abs(d.mean(axis=0)))
