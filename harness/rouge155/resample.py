"""ROUGE-1.5.5's averages and bootstrap confidence intervals, random stream included.

Observed from the script's behaviour (and its README's note on resampling): the printed average is
not the mean of the per-evaluation scores but the mean of `-r` bootstrap means. Sample i (0, 1, ...)
seeds Perl's generator with srand(i) and draws n indices int(rand(n)) into the evaluations sorted as
strings ("<eval id>.<peer id>"); Perl's rand is its own drand48 since 5.20: x <- (0x5DEECE66D x + 0xB)
mod 2**48 from x = (seed << 16) + 0x330E, rand(n) = n x / 2**48. The sample means are sorted and
the interval's ends interpolated between neighbouring ranks, at delta = r (100 - c) / 200:
lower = s[int(delta)] + (s[int(delta) + 1] - s[int(delta)]) * ratio,
upper = s[u] + (s[u + 1] - s[u]) * ratio, u = int(r - delta - 1), ratio = r - delta - 1 - u
(a rank past the end counts as 0, which is why `-r 1` prints an interval above its average).
Sums run in the script's order (draw order, then ascending), so every float matches.
"""
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from . import kernels

_MULT, _ADD, _MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1


class Interval(NamedTuple):
    average: float
    low: float
    high: float


class Averages(NamedTuple):
    """What ROUGE prints for one peer and measure: R, P and F, each (average, low, high)."""
    recall: Interval
    precision: Interval
    f: Interval


@lru_cache(maxsize=8)
def draws(samples: int, n: int) -> np.ndarray:
    """The indices ROUGE draws: row i is sample i's n draws of int(rand(n)) after srand(i) (the same for
    every measure and peer of a run: kept; read-only)."""
    state = (np.arange(samples, dtype=np.uint64) << np.uint64(16)) + np.uint64(0x330E)
    out = np.empty((samples, n), dtype=np.int64)
    for k in range(n):
        state = (state * np.uint64(_MULT) + np.uint64(_ADD)) & np.uint64(_MASK)
        out[:, k] = (state.astype(np.float64) * 2.0 ** -48 * n).astype(np.int64)
    out.flags.writeable = False
    return out


def _sample_sums(values: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """Sums over each sample's draws, added in draw order as the script adds them (in C where the
    kernels are built; else cumsum, which adds sequentially, unlike sum's pairwise summation)."""
    if kernels.NATIVE:
        values = np.ascontiguousarray(values, dtype=np.float64)
        return np.frombuffer(kernels.sample_sums(values, picks, picks.shape[0], picks.shape[1]), dtype=np.float64)
    return np.cumsum(values[picks], axis=1)[:, -1]


def _interval(sample_means: np.ndarray, confidence: float) -> Interval:
    ranked = sorted(sample_means.tolist())
    r = len(ranked)
    average = float("%7.5f" % (sum(ranked) / r))
    delta = r * ((100 - confidence) / 2.0) / 100.0
    upper, lower = int(r - delta - 1), int(delta)
    ratio = r - delta - 1 - upper

    def at(i):
        return ranked[i] if 0 <= i < r else 0.0
    low = at(lower) + (at(lower + 1) - at(lower)) * ratio
    high = at(upper) + (at(upper + 1) - at(upper)) * ratio
    return Interval(average, float("%7.5f" % low), float("%7.5f" % high))


def per_summary(scores: list, samples: int, confidence: float) -> Averages:
    """Averages of per-evaluation (R, P, F) rows (already in ROUGE's string order), -t 0."""
    table = np.array(scores, dtype=np.float64).reshape(-1, 3)
    n = len(table)
    if n == 0:
        zero = np.zeros(samples)
        return Averages(*(_interval(zero, confidence),) * 3)
    picks = draws(samples, n)
    return Averages(*(_interval(_sample_sums(table[:, c], picks) / n, confidence) for c in range(3)))


def per_token(counts: list, samples: int, confidence: float, alpha: float) -> Averages:
    """Averages of per-evaluation (model count, peer count, hit) rows, -t 1: each sample's ratios
    of summed counts."""
    table = np.array(counts, dtype=np.float64).reshape(-1, 3)
    picks = draws(samples, len(table))
    model, peer, hit = (_sample_sums(table[:, c], picks) for c in range(3))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(model > 0, hit / model, 0.0)
        p = np.where(peer > 0, hit / peer, 0.0)
        den = (1 - alpha) * p + alpha * r
        f = np.where(den > 0, r * p / den, 0.0)
    return Averages(_interval(r, confidence), _interval(p, confidence), _interval(f, confidence))
