"""Corpus-level scores: the mean over examples of per-example scores, with
bootstrap confidence intervals and paired tests against a baseline system.

Every statistic is of the F-measure unless named otherwise; intervals and
tests resample examples (see harness.stats), seeded for reproducibility.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import numpy as np

from . import stats

DEFAULT_BASELINE = "lead"


def _columns(rows: Iterable[dict]):
    """system -> rouge_type -> (ids, array[n, 3] of P, R, F), in first-seen order."""
    acc: dict[str, dict[str, tuple[list, list]]] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    for r in rows:
        ids, vals = acc[r["system"]][r["rouge_type"]]
        ids.append(r["id"])
        vals.append((r["precision"], r["recall"], r["fmeasure"]))
    return {s: {t: (ids, np.asarray(v, dtype=np.float64).reshape(-1, 3)) for t, (ids, v) in bt.items()}
            for s, bt in acc.items()}


def corpus_means(rows: Iterable[dict], *, n_resamples: int = stats.DEFAULT_RESAMPLES,
                 seed: int = stats.DEFAULT_SEED, baseline: str | None = DEFAULT_BASELINE,
                 confidence: float = 0.95) -> dict[str, dict[str, dict]]:
    """`{system: {rouge_type: {"precision", "recall", "fmeasure", "n", "ci_low", "ci_high",
    "p_bootstrap", "p_randomization"}}}`.

    `ci_low`/`ci_high` bound the mean F (percentile bootstrap over examples,
    `n_resamples` resamples, 0 disables). The p-values test each system's mean
    F against the `baseline` system's on the same examples; they are omitted
    for the baseline itself and when the baseline is not in the run.
    """
    cols = _columns(rows)
    out: dict[str, dict[str, dict]] = {}
    for system, by_type in cols.items():
        out[system] = {}
        for t, (ids, v) in by_type.items():
            m = v.mean(axis=0) if len(v) else np.zeros(3)
            out[system][t] = {"precision": float(m[0]), "recall": float(m[1]), "fmeasure": float(m[2]), "n": len(v)}
    if not n_resamples:
        return out
    # Columns over the same examples share one set of resamples: each
    # statistic below is one call over a matrix of columns, so every column
    # sees the resamples a call on it alone would (they depend only on the
    # number of examples, n_resamples and seed) and they are drawn once.
    groups: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for system, by_type in cols.items():
        for t, (ids, v) in by_type.items():
            if len(v):
                groups[tuple(ids)].append((system, t))
    resampled: dict[tuple[str, str], np.ndarray] = {}  # (system, type) -> resampled means of F
    for members in groups.values():
        means = stats.bootstrap_means(np.column_stack([cols[s][t][1][:, 2] for s, t in members]), n_resamples, seed)
        alpha = (1 - confidence) / 2
        low, high = np.quantile(means, alpha, axis=0), np.quantile(means, 1 - alpha, axis=0)
        for j, (s, t) in enumerate(members):
            out[s][t]["ci_low"], out[s][t]["ci_high"] = float(low[j]), float(high[j])
            resampled[s, t] = means[:, j]
    if baseline not in cols:
        return out
    paired: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for system, by_type in cols.items():
        if system == baseline:
            continue
        for t, (ids, v) in by_type.items():
            base = cols[baseline].get(t)
            if base is None or base[0] != ids or not len(v):
                continue  # tests are paired: only over the very same examples
            paired[tuple(ids)].append((system, t))
    for members in paired.values():
        a = np.column_stack([cols[s][t][1][:, 2] for s, t in members])
        b = np.column_stack([cols[baseline][t][1][:, 2] for _, t in members])
        # same examples, same resamples: the resampled difference is the difference of the resampled means
        diffs = np.column_stack([resampled[s, t] - resampled[baseline, t] for s, t in members])
        p_boot = stats.paired_bootstrap_p(diffs, (a - b).mean(axis=0))
        p_rand = stats.approximate_randomization(a, b, n_resamples, seed)
        for j, (s, t) in enumerate(members):
            out[s][t]["p_bootstrap"], out[s][t]["p_randomization"] = float(p_boot[j]), float(p_rand[j])
    return out
