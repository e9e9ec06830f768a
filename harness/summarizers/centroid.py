"""Centroid-based summarization, MEAD's single-document scoring (Radev et al., 2004).

Radev, D. R., Jing, H., Stys, M. and Tam, D. (2004). Centroid-based
summarization of multiple documents. Information Processing and Management
40, 919-938, section 4. Each sentence S_i (i = 1..n) is scored by three
features,

    Score(S_i) = w_c * C_i + w_p * P_i + w_f * F_i

- centroid value C_i = sum of the centroid values C_w of its words, where
  the centroid holds each term's TF*IDF over the document (terms below
  `threshold` are left out of the centroid);
- positional value P_i = (n - i + 1) / n * C_max, C_max the largest C_i;
- first-sentence overlap F_i = S_1 . S_i, the inner product of the term
  count vectors of the first sentence and S_i;

and the summary is built greedily with MEAD's cross-sentence redundancy
penalty: a candidate's score is reduced by `redundancy` * R * Score_max,
with R = 2 * |overlapping words| / (|words of S_i| + |words of S_j|) its
largest overlap ratio with a sentence already chosen (R counts distinct
terms). Weights default to 1, as in the paper's experiments. IDF is computed
over the document's sentences (see `terms`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import Example
from .base import Budget, Summarizer, argbest_masked
from .terms import Analyzer, Bag

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np


class Centroid(Summarizer):
    name = "centroid"
    description = "Centroid / MEAD (Radev et al. 2004): centroid value + position + first-sentence overlap, minus redundancy."

    def __init__(self, budget: Budget | None = None, centroid: float = 1.0, position: float = 1.0,
                 first: float = 1.0, redundancy: float = 1.0, threshold: float = 0.0, stem: bool = True,
                 stopwords: bool = True) -> None:
        super().__init__(budget)
        self.weights = (float(centroid), float(position), float(first))
        self.redundancy = float(redundancy)
        self.threshold = float(threshold)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def features(self, bag: Bag) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(C_i, P_i, F_i) for every sentence."""
        import numpy as np

        n = bag.n_sentences
        centroid = bag.counts.sum(axis=0) * bag.idf()
        centroid = np.where(centroid >= self.threshold, centroid, 0.0)
        c = bag.counts @ centroid
        position = (n - np.arange(n)) / n * (c.max() if n else 0.0)  # (n - i + 1)/n with 1-based i
        f = bag.counts @ bag.counts[0] if n else np.zeros(0)
        return c, position, f

    def score(self, bag: Bag) -> np.ndarray:
        wc, wp, wf = self.weights
        c, p, f = self.features(bag)
        return wc * c + wp * p + wf * f

    def select(self, example: Example) -> list[int]:
        import numpy as np

        sents = example.sentences
        if not sents:
            return []
        bag = Bag.of(sents, self.analyzer)
        score = self.score(bag)
        present = (bag.counts > 0).astype(np.float64)
        sizes = present.sum(axis=1)
        overlap = present @ present.T
        total = sizes[:, None] + sizes[None, :]
        ratio = np.divide(2 * overlap, total, out=np.zeros_like(overlap), where=total > 0)
        top = float(score.max())
        spend = self.budget.start(sents)
        chosen: list[int] = []
        penalty = np.zeros(len(sents))  # max R with the chosen sentences
        available = np.ones(len(sents), dtype=bool)
        while not spend.full():
            adjusted = score - self.redundancy * penalty * top
            candidates = spend.admissible(available)
            if not candidates.any():
                break
            best = argbest_masked(adjusted, candidates)
            chosen.append(best)
            spend.add(best)
            available[best] = False
            penalty = np.maximum(penalty, ratio[best])
        return sorted(chosen)
