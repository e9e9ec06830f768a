"""Maximal Marginal Relevance (Carbonell & Goldstein, 1998): relevant and not redundant.

Carbonell, J. and Goldstein, J. (1998). The Use of MMR, Diversity-Based
Reranking for Reordering Documents and Producing Summaries. SIGIR 1998,
335-336. Sentences are added one at a time, each the one that maximises

    MMR = argmax_{D_i in R \\ S} [ lambda * Sim1(D_i, Q) - (1 - lambda) * max_{D_j in S} Sim2(D_i, D_j) ]

where S is the summary so far. For a generic summary the query Q is the
document itself; Sim1 and Sim2 are cosine similarities of TF-IDF vectors
(IDF over the document's sentences; see `terms`). `lambda` = 1 ranks by
relevance alone; smaller values trade relevance for novelty (default 0.7).
"""
from __future__ import annotations

from ..data import Example
from .base import Budget, Summarizer, argbest_masked
from .terms import Analyzer, Bag, cosine, cosine_matrix


class MMR(Summarizer):
    name = "mmr"
    description = "MMR (Carbonell & Goldstein 1998): greedy relevance to the document minus redundancy with the summary."

    # The option is spelled `lambda` on the command line (mmr:lambda=0.7);
    # a trailing underscore keeps the Python keyword out of the signature.
    def __init__(self, budget: Budget | None = None, lambda_: float = 0.7, stem: bool = True,
                 stopwords: bool = True) -> None:
        super().__init__(budget)
        if not 0 <= lambda_ <= 1:
            raise ValueError("mmr: lambda must be in [0, 1]")
        self.lambda_ = float(lambda_)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def select(self, example: Example) -> list[int]:
        import numpy as np

        sents = example.sentences
        if not sents:
            return []
        bag = Bag.of(sents, self.analyzer)
        vectors = bag.counts * bag.idf()
        relevance = cosine(vectors, vectors.sum(axis=0))
        sim = cosine_matrix(vectors)
        lam = self.lambda_
        spend = self.budget.start(sents)
        available = np.ones(len(sents), dtype=bool)
        redundancy = np.zeros(len(sents))  # max Sim2 with the summary so far (0 while it is empty)
        chosen: list[int] = []
        while not spend.full():
            candidates = spend.admissible(available)
            if not candidates.any():
                break
            best = argbest_masked(lam * relevance - (1 - lam) * redundancy, candidates)
            chosen.append(best)
            spend.add(best)
            available[best] = False
            redundancy = np.maximum(redundancy, sim[best])
        return sorted(chosen)
