"""LSA sentence selection by vector length in the latent space (Steinberger & Ježek, 2004).

Steinberger, J. and Ježek, K. (2004). Using Latent Semantic Analysis in Text
Summarization and Summary Evaluation. Proceedings of ISIM 2004, 93-100.
The document is a terms x sentences matrix A (column j: the term
frequencies of sentence j), decomposed by SVD as A = U Sigma V^T. Row k of V
(the k-th column of V^T) gives sentence k's weight in each latent topic, and
the sentence's salience is its length in the space of the r strongest topics,
each scaled by its singular value:

    s_k = sqrt( sum_{i=1..r} v_{k,i}^2 * sigma_i^2 )

which, unlike Gong & Liu's (2001) one-sentence-per-topic rule, lets a
sentence that is strong in several important topics win. The top-scoring
sentences form the summary.

The number of dimensions r matters: with every dimension kept, s_k is just
the norm of column k of A. `dims` sets r; the default (0) takes r = the
number of sentences the budget allows (k, or ratio x n; for a word budget,
the words over the mean sentence length, rounded up), i.e. as many topics as
the summary has sentences, as in Gong & Liu. Words are terms (see `terms`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import math

from ..data import Example
from .base import Budget, Summarizer, ranking
from .terms import Analyzer, Bag

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np


def lsa_scores(term_sentence: np.ndarray, dims: int) -> np.ndarray:
    """s_k of every sentence (column) of a terms x sentences matrix, over the `dims` largest singular values."""
    import numpy as np

    n = term_sentence.shape[1]
    if term_sentence.size == 0:
        return np.zeros(n)
    # A^T A = V Sigma^2 V^T: the right singular vectors and squared singular
    # values come from the small sentences x sentences Gram matrix, much
    # cheaper than the SVD of the terms x sentences matrix (tests check they agree).
    sigma2, v = np.linalg.eigh(term_sentence.T @ term_sentence)
    order = np.argsort(sigma2)[::-1][:min(dims, n)]
    sigma2 = np.clip(sigma2[order], 0.0, None)
    return np.sqrt(((v[:, order] ** 2) * sigma2[None, :]).sum(axis=1))


class LSA(Summarizer):
    name = "lsa"
    description = "LSA (Steinberger & Ježek 2004): sentence length in the SVD topic space, weighted by singular values."

    def __init__(self, budget: Budget | None = None, dims: int = 0, stem: bool = True, stopwords: bool = True) -> None:
        super().__init__(budget)
        if dims < 0:
            raise ValueError("lsa: dims must be >= 0 (0: as many as summary sentences)")
        self.dims = int(dims)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def n_dims(self, sentences) -> int:
        if self.dims:
            return self.dims
        n = len(sentences)
        if self.budget.words is not None:
            mean = sum(len(s.split()) for s in sentences) / n
            return max(1, min(n, math.ceil(self.budget.words / mean))) if mean else 1
        return max(1, self.budget.max_sentences(n))

    def select(self, example: Example) -> list[int]:
        sents = example.sentences
        if not sents:
            return []
        bag = Bag.of(sents, self.analyzer)
        scores = lsa_scores(bag.counts.T, self.n_dims(sents))
        return sorted(self.budget.take(ranking(scores), sents))
