"""Corpus-level scores: the mean over examples of per-example scores."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import numpy as np


def corpus_means(rows: Iterable[dict]) -> dict[str, dict[str, dict[str, float]]]:
    """`{system: {rouge_type: {"precision", "recall", "fmeasure", "n"}}}`, in first-seen order."""
    acc: dict[str, dict[str, list[list[float]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        acc[r["system"]][r["rouge_type"]].append([r["precision"], r["recall"], r["fmeasure"]])
    out: dict[str, dict[str, dict[str, float]]] = {}
    for system, by_type in acc.items():
        out[system] = {}
        for t, vals in by_type.items():
            m = np.asarray(vals, dtype=np.float64).mean(axis=0)
            out[system][t] = {"precision": float(m[0]), "recall": float(m[1]), "fmeasure": float(m[2]), "n": len(vals)}
    return out
