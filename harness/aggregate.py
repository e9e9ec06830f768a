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
            entry = {"precision": float(m[0]), "recall": float(m[1]), "fmeasure": float(m[2]), "n": len(v)}
            if n_resamples and len(v):
                low, high = stats.bootstrap_ci(v[:, 2], n_resamples, seed, confidence)
                entry["ci_low"], entry["ci_high"] = float(low[0]), float(high[0])
            out[system][t] = entry
    if baseline in cols and n_resamples:
        for system, by_type in cols.items():
            if system == baseline:
                continue
            for t, (ids, v) in by_type.items():
                base = cols[baseline].get(t)
                if base is None or base[0] != ids:
                    continue  # tests are paired: only over the very same examples
                a, b = v[:, 2], base[1][:, 2]
                out[system][t]["p_bootstrap"] = float(stats.paired_bootstrap(a, b, n_resamples, seed)[0])
                out[system][t]["p_randomization"] = float(stats.approximate_randomization(a, b, n_resamples, seed)[0])
    return out
