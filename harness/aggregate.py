"""Corpus-level scores: the mean over examples of per-example scores, with
bootstrap confidence intervals and paired tests against a baseline system.

Every statistic is of the F-measure unless named otherwise; intervals and
tests resample examples (see harness.stats), seeded for reproducibility.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple

import numpy as np

from . import stats


@dataclass
class Column:
    """One system's scores for one ROUGE type, one entry per example of the run.

    `f` holds each example's F-measure, NaN where there is none (the example
    failed for this system, or the system has no summary of it); `failed`
    counts the failures. Precision and recall enter only the corpus means, so
    a streamed run keeps just their exact sums (see `exact_sum`), not one
    number per example; it streams F through `Statistics` instead and passes
    Columns with an empty `f` to `Statistics.result`.
    """

    f: np.ndarray
    precision_sum: float
    recall_sum: float
    failed: int = 0


def exact_sum(values: Iterable[float]) -> list[float]:
    """Floats whose exact (unrounded) sum is the exact sum of `values`.

    `math.fsum` rounds the exact sum once; the remainder it leaves is summed
    again until nothing is left (two or three rounds). Sums of batches merged
    this way give the same corpus mean in any order and for any batching, so
    every executor and every batch size agree to the last bit.
    """
    values = list(values)
    parts: list[float] = []
    while True:
        rest = math.fsum(values + [-p for p in parts])
        if rest == 0.0:
            return parts
        if not math.isfinite(rest):
            raise ValueError(f"cannot sum non-finite scores exactly: {rest}")
        parts.append(rest)


def _columns(rows: Iterable[dict]) -> dict[str, dict[str, Column]]:
    """system -> rouge_type -> Column over the rows' ids in first-seen order.

    A row whose scores are null (a failure kept with `--on-error record`)
    counts as failed.
    """
    ids: dict[str, int] = {}
    acc: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        i = ids.setdefault(r["id"], len(ids))
        acc[r["system"]][r["rouge_type"]].append((i, r["precision"], r["recall"], r["fmeasure"]))
    out: dict[str, dict[str, Column]] = {}
    for system, by_type in acc.items():
        out[system] = {}
        for t, entries in by_type.items():
            f = np.full(len(ids), np.nan)
            scored = [e for e in entries if e[3] is not None]
            f[[e[0] for e in scored]] = [e[3] for e in scored]
            out[system][t] = Column(f, math.fsum(e[1] for e in scored), math.fsum(e[2] for e in scored),
                                    failed=len(entries) - len(scored))
    return out


def corpus_means(rows: Iterable[dict], **options) -> dict[str, dict[str, dict]]:
    """The statistics of `column_means` from scores.jsonl rows."""
    return column_means(_columns(rows), **options)


def column_means(columns: dict[str, dict[str, Column]], *, n_resamples: int = stats.DEFAULT_RESAMPLES,
                 seed: int = stats.DEFAULT_SEED, baseline: str | None = stats.DEFAULT_BASELINE,
                 confidence: float = stats.DEFAULT_CONFIDENCE) -> dict[str, dict[str, dict]]:
    """`{system: {rouge_type: {"precision", "recall", "fmeasure", "n", "failed", "ci_low", "ci_high",
    "p_bootstrap", "p_randomization"}}}` of in-memory columns (see `Statistics`)."""
    keys = [(system, t) for system, by_type in columns.items() for t in by_type]
    n = len(columns[keys[0][0]][keys[0][1]].f) if keys else 0
    acc = Statistics(keys, n, n_resamples=n_resamples, seed=seed, baseline=baseline, confidence=confidence)
    if keys and n:
        acc.add(np.column_stack([columns[s][t].f for s, t in keys]))
    return acc.result({key: columns[key[0]][key[1]] for key in keys})


def with_differences(f, k: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """`(m, k)` F with a column per paired test appended: system minus baseline (NaN where either is)."""
    f = np.asarray(f, dtype=np.float64).reshape(-1, k)
    if not pairs:
        return f
    a, b = zip(*pairs)
    return np.hstack([f, f[:, list(a)] - f[:, list(b)]])


def column_sums(x: np.ndarray) -> tuple[np.ndarray, list[list[float]]]:
    """Scored values per column and their exact sums (`exact_sum` parts)."""
    scored = ~np.isnan(x)
    return scored.sum(axis=0), [exact_sum(x[scored[:, j], j].tolist()) for j in range(x.shape[1])]


class ChunkStatistics(NamedTuple):
    """One resampling chunk's share of a run's statistics, computed wherever its F values are."""

    counts: np.ndarray
    sums: list[list[float]]
    partials: stats.ChunkPartials


def chunk_statistics(f, k: int, pairs: list[tuple[int, int]], draws: np.ndarray, seed: int,
                     chunk_index: int) -> ChunkStatistics:
    """The map step of `Statistics` for one chunk of `(m, k)` F (`Statistics.chunks` gives the draws)."""
    x = with_differences(f, k, pairs)
    return ChunkStatistics(*column_sums(x), stats.chunk_partials(x, draws, seed, chunk_index,
                                                                 randomize=range(k, x.shape[1])))


class Statistics:
    """Every corpus statistic of a run, from its per-example F streamed in example order.

    `keys` are the (system, ROUGE type) columns and `n` the run's number of
    examples; `add` takes `(m, len(keys))` blocks of F (NaN where a system has
    no score for the example), `result` gives summary.json's "systems". Memory
    does not grow with n (harness.stats.Resampler).

    Means are over the `n` examples a column was scored on (exactly rounded
    sums divided by `n`). `ci_low`/`ci_high` bound the mean F (percentile
    bootstrap over the run's examples, `n_resamples` resamples, 0 disables).
    The p-values test each system's mean F against the `baseline` system's on
    the examples both were scored on: they are omitted for the baseline itself
    and when the baseline is not in the run. Every column is resampled on the
    same resamples of the run's examples; a column with unscored examples
    takes the weighted mean over its scored ones (see harness.stats), and a
    paired test resamples the per-example differences over the examples both
    systems were scored on, the same way.
    """

    def __init__(self, keys: list[tuple[str, str]], n: int, *, n_resamples: int = stats.DEFAULT_RESAMPLES,
                 seed: int = stats.DEFAULT_SEED, baseline: str | None = stats.DEFAULT_BASELINE,
                 confidence: float = stats.DEFAULT_CONFIDENCE) -> None:
        self.keys, self.n, self.confidence = list(keys), n, confidence
        index = {key: j for j, key in enumerate(self.keys)}
        # (column, baseline's column) of every paired test
        self.pairs = [(j, index[baseline, t]) for j, (s, t) in enumerate(self.keys)
                      if s != baseline and (baseline, t) in index]
        q = len(self.keys) + len(self.pairs)  # F columns, then the paired differences
        self.sums: list[list[float]] = [[] for _ in range(q)]  # exact_sum parts of each column
        self.counts = np.zeros(q, dtype=np.int64)  # scored examples per column
        self.resampler = None
        if n_resamples and n:
            self.resampler = stats.Resampler(n, q, n_resamples, seed,
                                             randomize=range(len(self.keys), q))

    def add(self, f) -> None:
        x = with_differences(f, len(self.keys), self.pairs)
        self._count(*column_sums(x))
        if self.resampler is not None:
            self.resampler.add(x)

    def chunks(self) -> Iterator[tuple[int, int, np.ndarray]]:
        """(chunk index, rows, draws) of each resampling chunk in order, for `chunk_statistics` elsewhere."""
        for i, draws in enumerate(stats.allocation(self.n, self.resampler.n_resamples, self.resampler.seed,
                                                   self.resampler.chunk)):
            yield i, min(self.resampler.chunk, self.n - i * self.resampler.chunk), draws

    def merge(self, part: "ChunkStatistics", m: int) -> None:
        """What `chunk_statistics` gave for the next chunk of `m` rows: call in chunk order."""
        self._count(part.counts, part.sums)
        self.resampler.merge(part.partials, m)

    def _count(self, counts: np.ndarray, sums: list[list[float]]) -> None:
        self.counts += counts
        for j, s in enumerate(sums):
            self.sums[j] = exact_sum(self.sums[j] + s)

    def result(self, columns: dict[tuple[str, str], Column]) -> dict[str, dict[str, dict]]:
        """The statistics, given each column's precision and recall sums and failure count."""
        out: dict[str, dict[str, dict]] = {}
        for j, (system, t) in enumerate(self.keys):
            col, n = columns[system, t], int(self.counts[j])
            out.setdefault(system, {})[t] = {
                "precision": col.precision_sum / n if n else 0.0, "recall": col.recall_sum / n if n else 0.0,
                "fmeasure": math.fsum(self.sums[j]) / n if n else 0.0, "n": n, "failed": col.failed}
        if self.resampler is None:
            return out
        res = self.resampler.finish()
        k = len(self.keys)
        low, high = stats.percentile_interval(res.means[:, :k], self.confidence)
        for j, (system, t) in enumerate(self.keys):
            if self.counts[j]:
                out[system][t]["ci_low"], out[system][t]["ci_high"] = float(low[j]), float(high[j])
        for i, (j, _) in enumerate(self.pairs):
            count = int(self.counts[k + i])
            if not count:
                continue  # no example both were scored on: nothing to test
            total = math.fsum(self.sums[k + i])
            cell = out[self.keys[j][0]][self.keys[j][1]]
            cell["p_bootstrap"] = float(stats.paired_bootstrap_p(res.means[:, k + i], [total / count])[0])
            cell["p_randomization"] = float(stats.randomization_p(res.flipped[:, i:i + 1], [total], [count])[0])
        return out
