"""Corpus-level scores: the mean over examples of per-example scores, with
bootstrap confidence intervals and paired tests against a baseline system.

Every statistic is of the F-measure unless named otherwise; intervals and
tests resample examples (see harness.stats), seeded for reproducibility.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from . import stats

DEFAULT_BASELINE = "lead"


@dataclass
class Column:
    """One system's scores for one ROUGE type, one entry per example of the run.

    `f` holds each example's F-measure, NaN where there is none (the example
    failed for this system, or the system has no summary of it); `failed`
    counts the failures. Precision and recall enter only the corpus means, so
    a streamed run keeps just their exact sums (see `exact_sum`), not one
    number per example.
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
                 seed: int = stats.DEFAULT_SEED, baseline: str | None = DEFAULT_BASELINE,
                 confidence: float = 0.95) -> dict[str, dict[str, dict]]:
    """`{system: {rouge_type: {"precision", "recall", "fmeasure", "n", "failed", "ci_low", "ci_high",
    "p_bootstrap", "p_randomization"}}}`.

    Means are over the `n` examples the system was scored on (exactly rounded
    sums divided by `n`); `failed` counts the examples it failed on.
    `ci_low`/`ci_high` bound the mean F (percentile bootstrap over examples,
    `n_resamples` resamples, 0 disables). The p-values test each system's mean
    F against the `baseline` system's on the examples both were scored on;
    they are omitted for the baseline itself and when the baseline is not in
    the run. Columns over the same examples are resampled together, in one
    pass (see harness.stats).
    """
    out: dict[str, dict[str, dict]] = {}
    for system, by_type in columns.items():
        out[system] = {}
        for t, col in by_type.items():
            f = col.f[~np.isnan(col.f)]
            n = len(f)
            out[system][t] = {"precision": col.precision_sum / n if n else 0.0,
                              "recall": col.recall_sum / n if n else 0.0,
                              "fmeasure": math.fsum(f) / n if n else 0.0, "n": n, "failed": col.failed}
    if not n_resamples:
        return out
    # Columns scored on the same examples are resampled together (one draw
    # for all of them); a paired bootstrap between two such columns is then
    # the difference of their resampled means, since a mean is linear.
    groups: dict[bytes, list] = defaultdict(list)
    for system, by_type in columns.items():
        for t, col in by_type.items():
            mask = ~np.isnan(col.f)
            if mask.any():
                groups[_mask_key(mask)].append(((system, t), col.f, mask))
    resampled: dict[tuple[str, str], tuple[np.ndarray, bytes]] = {}
    alpha = (1 - confidence) / 2
    for group, members in groups.items():
        mask = members[0][2]
        means = stats.bootstrap_means(np.column_stack([m[1][mask] for m in members]), n_resamples, seed)
        low, high = np.quantile(means, alpha, axis=0), np.quantile(means, 1 - alpha, axis=0)
        for j, (key, _, _) in enumerate(members):
            out[key[0]][key[1]]["ci_low"], out[key[0]][key[1]]["ci_high"] = float(low[j]), float(high[j])
            resampled[key] = (means[:, j], group)
    if baseline in columns:
        pairs = [((s, t), c.f, columns[baseline][t].f) for s, bt in columns.items() if s != baseline
                 for t, c in bt.items() if t in columns[baseline]]
        together = [p for p in pairs if p[0] in resampled and (baseline, p[0][1]) in resampled
                    and resampled[p[0]][1] == resampled[baseline, p[0][1]][1]]
        joint = {p[0] for p in together}
        apart = [p for p in pairs if p[0] not in joint]
        boot = _grouped(stats.paired_bootstrap, apart, n_resamples, seed)
        for key, a, b in together:
            mask = ~np.isnan(a)
            diff = resampled[key][0] - resampled[baseline, key[1]][0]
            boot[key] = float(stats.paired_bootstrap_p(diff[:, None], [(a[mask] - b[mask]).mean()])[0])
        rand = _grouped(stats.approximate_randomization, pairs, n_resamples, seed)
        for key in boot:
            out[key[0]][key[1]]["p_bootstrap"] = boot[key]
            out[key[0]][key[1]]["p_randomization"] = rand[key]
    return out


def _mask_key(mask: np.ndarray) -> bytes:
    return np.packbits(mask).tobytes() + len(mask).to_bytes(8, "little")


def _grouped(test, items, *args) -> dict:
    """Run `test` once per group of columns scored on the same examples.

    `items` are `(key, a, b)` with `b` None for one-sample statistics; NaN
    marks an example a column has no score for. Returns key -> float, or key
    -> (low, high) for an interval.
    """
    groups: dict[bytes, list] = defaultdict(list)
    for key, a, b in items:
        mask = ~np.isnan(a) if b is None else ~(np.isnan(a) | np.isnan(b))
        if mask.any():
            groups[_mask_key(mask)].append((key, a, b, mask))
    out = {}
    for members in groups.values():
        mask = members[0][3]
        a = np.column_stack([m[1][mask] for m in members])
        if members[0][2] is None:
            low, high = test(a, *args)
            out.update({m[0]: (float(lo), float(hi)) for m, lo, hi in zip(members, low, high)})
        else:
            p = test(a, np.column_stack([m[2][mask] for m in members]), *args)
            out.update({m[0]: float(v) for m, v in zip(members, p)})
    return out
