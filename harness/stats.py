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

# Resamples are drawn a block of rows at a time so that a (resamples x examples)
# matrix never holds more than about this many numbers: 1,000 resamples of a
# million examples would otherwise take 8 GB. NumPy's generator keeps its
# leftover random bits in its state, so the draws do not depend on the blocks
# (for the int8 coin flips, blocks are a multiple of 4 rows: one byte each of a
# 32-bit word); below the limit there is one block and nothing changes.
MAX_BLOCK = 1 << 20


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
    return _weights(np.random.default_rng(seed), n, n_resamples)


def _weights(rng: np.random.Generator, n: int, rows: int) -> np.ndarray:
    idx = rng.integers(0, n, size=(rows, n))
    counts = np.bincount((idx + (np.arange(rows) * n)[:, None]).ravel(), minlength=rows * n)
    return counts.reshape(rows, n) / n


def _blocks(n_rows: int, n: int, multiple: int = 1):
    """Row counts of the blocks `n_rows` resamples of `n` examples are drawn in."""
    size = max(multiple, MAX_BLOCK // max(n, 1) // multiple * multiple)
    for start in range(0, n_rows, size):
        yield min(size, n_rows - start)


def resample_means(scores, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """`(n_resamples, k)`: the mean of each column in each bootstrap resample of the rows.

    Equal to `bootstrap_weights(n, n_resamples, seed) @ scores`, in bounded memory.
    """
    s = _as_2d(scores)
    n = len(s)
    if n == 0:
        return np.zeros((n_resamples, s.shape[1]))
    rng = np.random.default_rng(seed)
    return np.concatenate([_weights(rng, n, rows) @ s for rows in _blocks(n_resamples, n)])


def bootstrap_ci(scores, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                 confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of the mean, per column: `(low, high)`."""
    means = resample_means(scores, n_resamples, seed)
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
    sample = np.abs(resample_means(d, n_resamples, seed))
    return _p_value(sample - sample.mean(axis=0), np.abs(d.mean(axis=0)))


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
    stats = np.concatenate([
        np.abs(np.where(rng.integers(0, 2, size=(rows, n), dtype=np.int8) == 1, 1.0, -1.0) @ d) / n
        for rows in _blocks(n_trials, n, multiple=4)])
    return _p_value(stats, np.abs(d.mean(axis=0)))
