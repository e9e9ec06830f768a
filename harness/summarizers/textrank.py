"""TextRank for sentence extraction (Mihalcea & Tarau, 2004).

Mihalcea, R. and Tarau, P. (2004). TextRank: Bringing Order into Texts.
EMNLP 2004, section 4.1. Sentences are vertices; two sentences are linked by
their content overlap, normalised by their lengths so that long sentences are
not favoured:

    Similarity(S_i, S_j) = |{w_k : w_k in S_i and w_k in S_j}| / (log|S_i| + log|S_j|)

(the number of distinct terms the two share, over the sum of the logs of
their lengths in terms). Vertices are scored by the weighted PageRank of
equation 2,

    WS(V_i) = (1 - d) + d * sum_{V_j in In(V_i)} w_ji / (sum_{V_k in Out(V_j)} w_jk) * WS(V_j),

with d = 0.85, and the top-scoring sentences form the summary. The paper
iterates to a threshold of 1e-4; this module solves the same fixed point
exactly. Two one-term sentences that share their term have a zero
denominator; their similarity is then their overlap, 1 (sumy does the same).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import Example
from .base import Budget, Summarizer, ranking
from .graph import MAX_SENTENCES, check_limit, ranked_part
from .terms import Analyzer, Bag

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np


def similarity(bag: Bag) -> np.ndarray:
    """The TextRank similarity of every pair of sentences (zero diagonal: no self-loops)."""
    import numpy as np

    present = (bag.counts > 0).astype(np.float64)
    overlap = present @ present.T
    with np.errstate(divide="ignore"):
        log_len = np.log(bag.lengths)  # -inf for term-less sentences, whose overlap is 0
    denom = log_len[:, None] + log_len[None, :]
    sim = np.where(overlap > 0, np.divide(overlap, denom, out=overlap.copy(), where=denom > 0), 0.0)
    np.fill_diagonal(sim, 0.0)
    return sim


def scores(weights: np.ndarray, damping: float = 0.85) -> np.ndarray:
    """WS of equation 2: the fixed point of WS = (1-d) + d * M^T WS, M row-normalised; isolated vertices get 1-d."""
    import numpy as np

    n = len(weights)
    out = weights.sum(axis=1)
    m = weights / np.where(out > 0, out, 1.0)[:, None]
    return np.linalg.solve(np.eye(n) - damping * m.T, np.full(n, 1.0 - damping))


class TextRank(Summarizer):
    name = "textrank"
    description = "TextRank (Mihalcea & Tarau 2004): weighted PageRank over the sentence content-overlap graph."

    def __init__(self, budget: Budget | None = None, damping: float = 0.85, stem: bool = True,
                 stopwords: bool = True, max_sentences: int = MAX_SENTENCES) -> None:
        super().__init__(budget)
        self.max_sentences = check_limit("textrank", max_sentences)
        if not 0 <= damping < 1:
            raise ValueError("textrank: damping must be in [0, 1)")
        self.damping = float(damping)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def rank(self, sentences) -> np.ndarray:
        """The WS score of each sentence."""
        import numpy as np

        if not sentences:
            return np.zeros(0)
        return scores(similarity(Bag.of(sentences, self.analyzer)), self.damping)

    def select(self, example: Example) -> list[int]:
        sents = example.sentences
        ws = self.rank(ranked_part(sents, self.max_sentences))
        return sorted(self.budget.take(ranking(ws), sents))
