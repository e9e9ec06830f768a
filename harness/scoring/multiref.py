"""How the scores against several references become one score per ROUGE type.

- `max` (default): the reference with the highest F, the first on ties;
  rouge-score's `RougeScorer.score_multi` (np.argmax picks the first max).
- `mean`: the mean over references of precision, recall and F, each on its
  own (the mean is numpy's, float for float: `np.mean` over the references).
- `jackknife`: for each reference, the `max` score over the others; then the
  mean of those leave-one-out scores, as GEM-metrics does (`gem_metrics/
  rouge.py`) after the ROUGE paper and as SacreROUGE jackknifes metrics. With
  one reference it is that reference's score.
- `pooled`: ROUGE-1.5.5's default `-f A` ("model average"): the counts are
  pooled over references, R = sum(hits) / sum(reference counts),
  P = sum(hits) / (references x summary count), F = 2PR / (P + R). Hits are
  clipped per reference, as ROUGE-1.5.5 does. Needs sufficient statistics, so
  only the harness engine offers it.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .engine import Stats, prf

RULES = ("max", "mean", "jackknife", "pooled")
PRF = tuple[float, float, float]


def np_mean(values: Sequence[float]) -> float:
    """`float(np.mean(values))`, without the cost of building an array.

    numpy sums float64 pairwise: below 8 values that is a plain left-to-right
    sum from 0.0, up to 128 it runs 8 interleaved partial sums. Anything else
    goes to numpy itself. (Checked against np.mean in the tests.)
    """
    n = len(values)
    if n < 8:
        total = 0.0
        for x in values:
            total += x
        return total / n
    if n <= 128:
        r = list(values[:8])
        i = 8
        while i + 8 <= n:
            for k in range(8):
                r[k] += values[i + k]
            i += 8
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for x in values[i:]:
            total += x
        return total / n
    return float(np.mean(np.asarray(values, dtype=np.float64)))


def _best(scores: Sequence[PRF]) -> PRF:
    best = scores[0]
    for s in scores[1:]:
        if s[2] > best[2]:
            best = s
    return best


def _mean(scores: Sequence[PRF]) -> PRF:
    return (np_mean([s[0] for s in scores]), np_mean([s[1] for s in scores]), np_mean([s[2] for s in scores]))


def combine_scores(rule: str, per_ref: Sequence[Sequence[PRF]]) -> list[PRF]:
    """`per_ref[r][t]` = (P, R, F) of reference r and ROUGE type t -> one (P, R, F) per type."""
    k = len(per_ref)
    out = []
    for t in range(len(per_ref[0])):
        scores = [per_ref[r][t] for r in range(k)]
        if rule == "max" or k == 1:
            out.append(_best(scores))
        elif rule == "mean":
            out.append(_mean(scores))
        elif rule == "jackknife":
            out.append(_mean([_best(scores[:i] + scores[i + 1:]) for i in range(k)]))
        else:
            raise ValueError(f"multi-reference rule {rule!r} needs sufficient statistics")
    return out


def combine_stats(rule: str, per_ref: Sequence[Sequence[Stats]]) -> list[PRF]:
    """Like `combine_scores`, from `(hits, summary count, reference count)` triples."""
    if rule != "pooled":
        return combine_scores(rule, [[prf(*s) for s in stats] for stats in per_ref])
    out = []
    for t in range(len(per_ref[0])):
        hits = n_pred = n_ref = 0
        for stats in per_ref:
            h, p, r = stats[t]
            hits += h
            n_pred += p
            n_ref += r
        out.append(prf(hits, n_pred, n_ref))
    return out
