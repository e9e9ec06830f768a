"""KL-Sum (Haghighi & Vanderwende, 2009): the summary whose word distribution is closest to the document's.

Haghighi, A. and Vanderwende, L. (2009). Exploring Content Models for
Multi-Document Summarization. NAACL-HLT 2009, section 3 ("KLSum"):

    S* = argmin_{S : |S| <= L} KL(P_D || P_S),

found greedily: repeatedly add the sentence that makes the summary's unigram
distribution P_S closest to the document's P_D, until the length budget is
spent. KL(P_D || P_S) = sum_w P_D(w) log(P_D(w) / P_S(w)) is infinite when the
summary lacks a document word, so P_S is additively smoothed over the
document's vocabulary V: P_S(w) = (c_S(w) + delta) / (|S| + delta |V|), with
delta = `smoothing` (0.01). Words are terms (stop words removed, stemmed;
see `terms`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import Example
from .base import Budget, Summarizer, argbest_masked
from .terms import Analyzer, Bag

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np


def kl_divergence(p_doc: np.ndarray, summary_counts: np.ndarray, smoothing: float) -> np.ndarray:
    """KL(P_D || P_S) for each row of `summary_counts` (term counts of candidate summaries)."""
    import numpy as np

    v = p_doc.shape[0]
    q = (summary_counts + smoothing) / (summary_counts.sum(axis=-1, keepdims=True) + smoothing * v)
    nz = p_doc > 0
    return (p_doc[nz] * (np.log(p_doc[nz]) - np.log(q[..., nz]))).sum(axis=-1)


class KLSum(Summarizer):
    name = "klsum"
    description = "KL-Sum (Haghighi & Vanderwende 2009): greedily minimise KL(document || summary) word distributions."

    def __init__(self, budget: Budget | None = None, smoothing: float = 0.01, stem: bool = True,
                 stopwords: bool = True) -> None:
        super().__init__(budget)
        if smoothing <= 0:
            raise ValueError("klsum: smoothing must be positive (KL to an unsmoothed summary is infinite)")
        self.smoothing = float(smoothing)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def select(self, example: Example) -> list[int]:
        import numpy as np

        sents = example.sentences
        if not sents:
            return []
        bag = Bag.of(sents, self.analyzer)
        counts = bag.counts
        doc = counts.sum(axis=0)
        p_doc = doc / doc.sum() if doc.sum() else doc
        summary = np.zeros(counts.shape[1])
        spend = self.budget.start(sents)
        available = np.ones(len(sents), dtype=bool)
        chosen: list[int] = []
        while not spend.full():
            candidates = spend.admissible(available)
            if not candidates.any():
                break
            kl = kl_divergence(p_doc, summary[None, :] + counts, self.smoothing)
            best = argbest_masked(kl, candidates, lowest=True)
            chosen.append(best)
            spend.add(best)
            available[best] = False
            summary = summary + counts[best]
        return sorted(chosen)
