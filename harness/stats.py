"""Confidence intervals and paired significance tests over per-example scores, streamed.

A corpus ROUGE score is the mean of per-example scores, so the per-example
scores are the sufficient statistics: every resample below is a weighted mean
of them, computed for all systems and ROUGE types at once (matrix products).
The tests follow sacrebleu's `significance.py` (paired bootstrap resampling
after Koehn 2004; approximate randomization after Riezler & Maxwell 2005),
including its p-value rule `(count + 1) / (trials + 1)` (ties count as at
least as extreme, see `_p_value`).

There is ONE resampling implementation, `Resampler`: it consumes the scores
chunk by chunk in example order and holds O(resamples x columns) numbers plus
one chunk's draws, whatever the number of examples n. Runs, `compare`, the
gate and in-memory rows all go through it, so they give the same numbers.

The bootstrap is the exact multinomial one (n draws with replacement from the
n examples), drawn chunk by chunk once n is known. Examples are cut into
chunks of `CHUNK` by their position in the run (not by batch: the numbers do
not depend on the batch size, the executor or the number of workers). For
each chunk and resample, the number of the resample's draws that land in the
chunk is Binomial(draws left, chunk size / examples left) -- a sequential
pass of R numbers per chunk from the stream (seed, "alloc"); that is exactly
the multinomial's split of n draws over the chunks. Those draws are then
spread uniformly inside the chunk (integers + bincount) from the stream
(seed, chunk index, "boot"). So a chunk's partial sums need only its scores
and its R draw counts: a worker can compute them anywhere, and the reduce adds
R x k matrices in chunk order (the layout of a 100M-example run on Dask).

Approximate randomization flips the sign of each example's difference with
probability 1/2, independently per trial; the flips of a chunk come from the
stream (seed, chunk index, "ar"), so they stream too.

Scores may be NaN: an example a column was not scored on (a failure kept
with `--on-error record`, a system without that example). Such a column's
resampled mean is the weighted mean over the examples it was scored on, on
the SAME resamples as every other column: sum(w * F) / sum(w) over its scored
examples, where w counts how often resample r drew each example. It is the
bootstrap of "the mean over the scored examples" with scoring treated as part
of each example; for a column scored everywhere sum(w) = n and it is the
plain bootstrap mean. A resample that drew none of a column's scored
examples has no mean for that column and is left out of its percentiles and
p-values (only possible when the column has very few scored examples).

Arrays are shaped `(n_examples, k)`: one column per (system, ROUGE type).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple, Sequence

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345  # sacrebleu's default seed
DEFAULT_ALPHA = 0.05
DEFAULT_BASELINE = "lead"  # the system every other one is tested against
DEFAULT_CONFIDENCE = 0.95


class PairedTest(NamedTuple):
    """A paired test as the tables, `compare` and the gate name it: its p-value field and its name."""

    field: str | None  # in summary.json's cells; None for "both" (the larger of the two)
    name: str


TESTS = {
    "randomization": PairedTest("p_randomization", "approximate randomization"),
    "bootstrap": PairedTest("p_bootstrap", "paired bootstrap"),
    "both": PairedTest(None, "paired bootstrap and approximate randomization"),
}
DEFAULT_TEST = "randomization"


def test_p(p_bootstrap: float | None, p_randomization: float | None, test: str) -> float | None:
    """The p-value `test` decides by; "both" takes the larger, so both tests must agree."""
    if test == "both":
        return None if p_bootstrap is None or p_randomization is None else max(p_bootstrap, p_randomization)
    return p_bootstrap if test == "bootstrap" else p_randomization


def format_p(p: float | None) -> str:
    """A p-value as every table prints it: 3 decimals, scientific below 0.001, blank when absent."""
    if p is None:
        return ""
    return f"{p:.3f}" if p >= 0.001 else f"{p:.1e}"

# Examples per chunk: fixed, so results depend only on the examples' order.
CHUNK = 4096
# Named in the signature (field `resample`): the numbers of every interval
# and p-value depend on the scheme, its chunk size and its streams.
RESAMPLER = f"multinomial-chunked{CHUNK}"

# Stream tags: SeedSequence entropy is integers, so the names are spelled as
# their ASCII codes ("alloc", "boot", "ar").
_ALLOC, _BOOT, _AR = 0x616C6C6F63, 0x626F6F74, 0x6172

# Resamples of a chunk are processed in blocks of rows, so that a chunk's
# draws take about 12 * _BLOCK_CELLS bytes (3 MB: int32 draws, float64
# counts) at a time whatever the number of resamples. Blocking changes no number: a resample's draws are contiguous
# in its chunk's stream (tests check it).
_BLOCK_CELLS = 1 << 18


def _block_rows(m: int) -> int:
    return max(4, (_BLOCK_CELLS // max(m, 1)) // 4 * 4)


def _as_2d(a) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a[:, None] if a.ndim == 1 else a


def _flip_bytes(m: int) -> int:
    """Random bytes per trial for a chunk of m examples: whole 32-bit words, so
    drawing trials in blocks reads the same bits as drawing them at once."""
    return (m + 31) // 32 * 4


class _Allocation:
    """The sequential split of each resample's n draws over the chunks (binomial per chunk)."""

    def __init__(self, n: int, n_resamples: int, seed: int) -> None:
        self.rng = np.random.default_rng([seed, _ALLOC])
        self.draws_left = np.full(n_resamples, n, dtype=np.int64)
        self.examples_left = n

    def next(self, m: int) -> np.ndarray:
        """How many of each resample's draws land in the next chunk of m examples."""
        if m > self.examples_left:
            raise ValueError(f"a chunk of {m} examples past the {self.examples_left} left")
        if m == self.examples_left:
            k = self.draws_left.copy()  # the last chunk takes every draw left (p = 1)
        else:
            k = self.rng.binomial(self.draws_left, m / self.examples_left)
        self.draws_left -= k
        self.examples_left -= m
        return k


def _count_blocks(k: np.ndarray, m: int, seed: int, chunk_index: int):
    """`(r0, counts)`: how often each of the chunk's m examples is drawn in
    resamples r0, r0+1, ... (`counts` is `(b, m)`, whole numbers as float64, ready
    for a matrix product), given each resample's `k` draws in the chunk, spread
    uniformly from the stream (seed, chunk, "boot")."""
    rng = np.random.default_rng([seed, chunk_index, _BOOT])
    step = _block_rows(m)
    for r0 in range(0, len(k), step):
        kb = k[r0:r0 + step]
        idx = rng.integers(0, m, size=int(kb.sum()), dtype=np.int32)
        ends = np.cumsum(kb)
        counts = np.empty((len(kb), m))
        # one small bincount per resample (its draws are contiguous): m bins stay in cache
        for r, (lo, hi) in enumerate(zip((ends - kb).tolist(), ends.tolist())):
            counts[r] = np.bincount(idx[lo:hi], minlength=m)
        yield r0, counts


def _flip_blocks(n_trials: int, m: int, seed: int, chunk_index: int):
    """`(r0, flips)`: 0/1 per trial and example of the chunk (1: the pair is swapped)."""
    rng = np.random.default_rng([seed, chunk_index, _AR])
    nb = _flip_bytes(m)
    step = _block_rows(m)
    for r0 in range(0, n_trials, step):
        b = min(step, n_trials - r0)
        raw = np.frombuffer(rng.bytes(b * nb), dtype=np.uint8).reshape(b, nb)
        yield r0, np.unpackbits(raw, axis=1, count=m, bitorder="little")


@dataclass
class Resampled:
    """What a `Resampler` gives back.

    `means`: `(R, q)` each column's mean on each bootstrap resample (NaN where
    the resample drew none of the column's scored examples). `flipped`: `(R, p)`
    per trial, the sum of the randomized columns' values over the examples whose
    sign the trial flips (NaN values count as 0).
    """

    means: np.ndarray
    flipped: np.ndarray


class Resampler:
    """The bootstrap and approximate randomization, streamed over the rows of an `(n, q)` score matrix.

    Give `n` (the number of examples) first, then the rows in example order,
    in blocks of any size (`add`); `finish` returns the `Resampled`. Memory:
    `R x q` sums and weights, `R x len(randomize)` flip sums, one chunk of
    rows and one block of draws, whatever `n` is. The same rows give the same
    numbers however they are cut into blocks. `randomize` names the columns
    (paired differences) that approximate randomization needs.
    """

    def __init__(self, n: int, q: int, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                 randomize: Sequence[int] = (), chunk: int | None = None) -> None:
        if n_resamples < 1:
            raise ValueError(f"resamples must be at least 1, not {n_resamples}")
        chunk = CHUNK if chunk is None else chunk  # read here, so tests can make chunks small
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1, not {chunk}")
        self.n, self.q, self.n_resamples, self.seed, self.chunk = n, q, n_resamples, seed, chunk
        self.randomize = np.asarray(list(randomize), dtype=np.intp)
        self.sums = np.zeros((n_resamples, q))  # sum of w * x over scored examples
        self.weights = np.zeros((n_resamples, q))  # sum of w over scored examples
        self.flipped = np.zeros((n_resamples, len(self.randomize)))
        self._allocation = _Allocation(n, n_resamples, seed)
        self._pending: list[np.ndarray] = []
        self._pending_rows = 0
        self._chunks = 0
        self._rows = 0  # rows received

    def add(self, rows) -> None:
        rows = np.asarray(rows, dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != self.q:
            raise ValueError(f"expected rows of {self.q} columns, got shape {rows.shape}")
        if self._rows + len(rows) > self.n:
            raise ValueError(f"more than the {self.n} examples announced")
        self._rows += len(rows)
        self._pending.append(rows)
        self._pending_rows += len(rows)
        while self._pending_rows >= self.chunk:
            block = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
            self._chunk(block[:self.chunk])
            rest = block[self.chunk:]
            self._pending, self._pending_rows = ([rest], len(rest)) if len(rest) else ([], 0)

    def finish(self) -> Resampled:
        if self._rows != self.n:
            raise ValueError(f"{self._rows} examples given, {self.n} announced")
        if self._pending_rows:
            self._chunk(np.concatenate(self._pending))
            self._pending, self._pending_rows = [], 0
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(self.weights > 0, self.sums / self.weights, np.nan)
        return Resampled(means, self.flipped)

    def merge(self, part: "ChunkPartials", m: int) -> None:
        """The partials of the next chunk (`m` rows), computed elsewhere by `chunk_partials` with
        `allocation`'s draws: called in chunk order, this gives the totals `add` would, bit for bit."""
        self._allocation.next(m)
        self._rows += m
        self.sums += part.sums
        self.weights += part.weights
        self.flipped += part.flipped
        self._chunks += 1

    def _chunk(self, x: np.ndarray) -> None:
        """One chunk: its partial sums (the map step), added to the totals in chunk order (the reduce)."""
        part = chunk_partials(x, self._allocation.next(len(x)), self.seed, self._chunks, self.randomize)
        self.sums += part.sums
        self.weights += part.weights
        self.flipped += part.flipped
        self._chunks += 1


@dataclass
class ChunkPartials:
    """What one chunk contributes: `(R, q)` sums of w * x and of w over scored examples, `(R, p)` flip sums."""

    sums: np.ndarray
    weights: np.ndarray
    flipped: np.ndarray


def chunk_partials(x, draws: np.ndarray, seed: int, chunk_index: int, randomize: Sequence[int] = ()) -> ChunkPartials:
    """The map step of the resampling, for one chunk: needs only the chunk's `(m, q)` scores (NaN: not
    scored), its index, and `draws` (how many of each resample's draws land in it, from `allocation`).

    Any process can compute it; adding the partials of all chunks in chunk order gives a `Resampler`'s
    totals bit for bit (the reduce).
    """
    x = np.asarray(x, dtype=np.float64)
    m, q = x.shape
    randomize = np.asarray(list(randomize), dtype=np.intp)
    n_resamples = len(draws)
    scored = ~np.isnan(x)
    # columns as contiguous rows: each column's sums are its own matrix-vector
    # products, so a column's numbers do not depend on the other columns of the
    # run (and OpenBLAS does a product with few columns ~10x faster this way)
    x0 = np.ascontiguousarray(np.where(scored, x, 0.0).T)
    partial = np.flatnonzero(~scored.all(axis=0))  # columns with an unscored example here
    full = np.flatnonzero(scored.all(axis=0))
    partial_mask = np.ascontiguousarray(scored[:, partial].T, dtype=np.float64)
    sums, weights = np.zeros((n_resamples, q)), np.zeros((n_resamples, q))
    for r0, w in _count_blocks(draws, m, seed, chunk_index):
        b = len(w)
        for j in range(q):
            sums[r0:r0 + b, j] = w @ x0[j]
        # counts are integers: these sums are exact whatever the order
        weights[r0:r0 + b, full] = draws[r0:r0 + b, None]
        for i, j in enumerate(partial):
            weights[r0:r0 + b, j] = w @ partial_mask[i]
    flipped = np.zeros((n_resamples, len(randomize)))
    if len(randomize):
        d = x0[randomize]
        for r0, flips in _flip_blocks(n_resamples, m, seed, chunk_index):
            f = flips.astype(np.float64)
            for i in range(len(randomize)):
                flipped[r0:r0 + len(f), i] = f @ d[i]
    return ChunkPartials(sums, weights, flipped)


def allocation(n: int, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
               chunk: int | None = None):
    """The sequential pass: per chunk of the n examples in order, `(R,)` draws that land in it."""
    chunk = CHUNK if chunk is None else chunk
    alloc = _Allocation(n, n_resamples, seed)
    for start in range(0, n, chunk):
        yield alloc.next(min(chunk, n - start))


def resample(scores, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
             randomize: Sequence[int] = ()) -> Resampled:
    """`Resampler` over an in-memory `(n, q)` array (NaN: not scored)."""
    s = _as_2d(scores)
    r = Resampler(len(s), s.shape[1], n_resamples, seed, randomize)
    r.add(s)
    return r.finish()


# --- the draws themselves, whole (for tests and small corpora) ------------------------------------

def bootstrap_counts(n: int, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                     chunk: int | None = None) -> np.ndarray:
    """`(n_resamples, n)`: how often each example is drawn in each resample (rows sum to n)."""
    chunk = CHUNK if chunk is None else chunk
    out = np.zeros((n_resamples, n), dtype=np.int64)
    alloc = _Allocation(n, n_resamples, seed)
    for c, start in enumerate(range(0, n, chunk)):
        m = min(chunk, n - start)
        for r0, counts in _count_blocks(alloc.next(m), m, seed, c):
            out[r0:r0 + len(counts), start:start + m] = counts.astype(np.int64)
    return out


def bootstrap_weights(n: int, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """`(n_resamples, n)` matrix whose row r, times a score column, is the mean of resample r."""
    return bootstrap_counts(n, n_resamples, seed) / max(n, 1)


def randomization_flips(n: int, n_trials: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                        chunk: int | None = None) -> np.ndarray:
    """`(n_trials, n)` 0/1: which examples' pairs each randomization trial swaps."""
    chunk = CHUNK if chunk is None else chunk
    out = np.zeros((n_trials, n), dtype=np.uint8)
    for c, start in enumerate(range(0, n, chunk)):
        m = min(chunk, n - start)
        for r0, flips in _flip_blocks(n_trials, m, seed, c):
            out[r0:r0 + len(flips), start:start + m] = flips
    return out


# --- statistics from the resamples ----------------------------------------------------------------

def percentile_interval(means: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the percentile interval of the resampled means (resamples without a mean left out)."""
    means = _as_2d(means)
    alpha = (1 - confidence) / 2
    if not np.isnan(means).any():
        return np.quantile(means, alpha, axis=0), np.quantile(means, 1 - alpha, axis=0)
    low, high = np.full(means.shape[1], np.nan), np.full(means.shape[1], np.nan)
    some = ~np.isnan(means).all(axis=0)  # a column with no mean at all has no interval
    low[some] = np.nanquantile(means[:, some], alpha, axis=0)
    high[some] = np.nanquantile(means[:, some], 1 - alpha, axis=0)
    return low, high


def bootstrap_means(scores, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """`(n_resamples, k)`: the mean of each column on each bootstrap resample of the rows."""
    s = _as_2d(scores)
    if len(s) == 0:
        return np.zeros((n_resamples, s.shape[1]))
    return resample(s, n_resamples, seed).means


def bootstrap_ci(scores, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                 confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of the mean, per column: `(low, high)`."""
    return percentile_interval(bootstrap_means(scores, n_resamples, seed), confidence)


def _p_value(stats: np.ndarray, real: np.ndarray) -> np.ndarray:
    # +1 on both sides as sacrebleu (after multeval) does, so a p-value is
    # never 0. sacrebleu counts `stats > real`; we count `>=`, which differs
    # only on exact ties and makes a system against itself p = 1, not 1/(N+1).
    # Resamples without a value (NaN) are not trials.
    valid = ~np.isnan(stats)
    return ((stats >= real - 1e-12).sum(axis=0) + 1) / (valid.sum(axis=0) + 1)


def one_sided_p(samples, observed) -> np.ndarray:
    """The share of `samples` `(n, k)` at least `observed` (per column), by the rule above: (count + 1) / (n + 1)."""
    return _p_value(_as_2d(samples), np.asarray(observed, dtype=np.float64))


def paired_bootstrap_p(resampled_differences, observed_difference) -> np.ndarray:
    """The paired bootstrap p-value from the resampled mean differences `(n_resamples, k)`.

    The observed |difference| is compared with the resampled |differences|
    shifted to mean zero (the null hypothesis).
    """
    sample = np.abs(_as_2d(resampled_differences))
    return _p_value(sample - np.nanmean(sample, axis=0), np.abs(np.asarray(observed_difference)))


def randomization_p(flipped, total, count) -> np.ndarray:
    """Approximate randomization's p-value from `Resampled.flipped` `(n_trials, k)`.

    `total` is each column's sum of differences and `count` its number of
    (scored) examples: a trial's mean difference is (total - 2 * flipped) / count,
    since swapping the pair of an example flips the sign of its difference.
    """
    total, count = np.asarray(total, dtype=np.float64), np.asarray(count, dtype=np.float64)
    stats = np.abs(total - 2.0 * _as_2d(flipped)) / count
    return _p_value(stats, np.abs(total / count))


@dataclass
class Paired:
    """Per column: the mean difference system - baseline over the examples both
    were scored on, its percentile bootstrap interval, and both tests' p-values."""

    delta: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_bootstrap: np.ndarray
    p_randomization: np.ndarray


def paired_tests(system, baseline, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                 confidence: float = 0.95) -> Paired:
    """Both paired tests and the interval of the difference, in one pass over the examples.

    NaN in either column marks an example that pair was not scored on: the
    difference is over the examples both were scored on (see the module
    docstring for how resamples treat the others).
    """
    d = _as_2d(system) - _as_2d(baseline)
    scored = ~np.isnan(d)
    count = scored.sum(axis=0)
    if len(d) == 0 or not count.all():
        raise ValueError("a paired test needs at least one example both columns were scored on")
    total = np.array([math.fsum(d[scored[:, j], j]) for j in range(d.shape[1])])
    delta = total / count
    res = resample(d, n_resamples, seed, randomize=range(d.shape[1]))
    low, high = percentile_interval(res.means, confidence)
    return Paired(delta, low, high, paired_bootstrap_p(res.means, delta),
                  randomization_p(res.flipped, total, count))


def paired_bootstrap(system, baseline, n_resamples: int = DEFAULT_RESAMPLES,
                     seed: int = DEFAULT_SEED) -> np.ndarray:
    """Two-sided p-value per column that `system` and `baseline` differ in mean (paired bootstrap)."""
    return paired_tests(system, baseline, n_resamples, seed).p_bootstrap


def approximate_randomization(system, baseline, n_trials: int = DEFAULT_RESAMPLES,
                              seed: int = DEFAULT_SEED) -> np.ndarray:
    """Two-sided p-value per column from paired approximate randomization.

    Each trial swaps the two systems' scores on a random half of the
    examples, which flips the sign of those examples' differences.
    """
    return paired_tests(system, baseline, n_trials, seed).p_randomization
