"""Luhn's auto-abstract: sentences with dense clusters of significant words (Luhn, 1958).

Luhn, H. P. (1958). The Automatic Creation of Literature Abstracts. IBM
Journal of Research and Development 2(2), 159-165. A word is *significant*
when it is frequent in the document but not a common word: here, a stemmed
non-stop word that occurs at least `min_count` times. Within a sentence,
significant words are bracketed into clusters: a cluster runs from a
significant word to the last significant word reachable without passing
more than `gap` (Luhn: four or five) non-significant words in a row. A
cluster's significance is

    (number of significant words in it)^2 / (number of words it spans),

and a sentence's score is that of its best cluster (0 without one). The
top-scoring sentences form the abstract. All words, stop words included,
count towards a cluster's span.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import Example
from .base import Budget, Summarizer, ranking
from .terms import STOP, Analyzer

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np


def cluster_score(significant: list[bool], gap: int) -> float:
    """The best (significant words)^2 / span over one sentence's clusters (the definition, word by word)."""
    best = 0.0
    positions = [i for i, s in enumerate(significant) if s]
    if not positions:
        return 0.0
    start = prev = positions[0]
    count = 1
    for pos in positions[1:]:
        if pos - prev - 1 > gap:  # too many insignificant words: close the cluster
            best = max(best, count * count / (prev - start + 1))
            start, count = pos, 0
        count += 1
        prev = pos
    return max(best, count * count / (prev - start + 1))


def cluster_scores(sentence: np.ndarray, significant: np.ndarray, n: int, gap: int) -> np.ndarray:
    """`cluster_score` of every sentence at once, from the document's word sequence.

    `sentence[j]` is the sentence of word j and `significant[j]` whether it is
    significant; words are in text order.
    """
    import numpy as np

    out = np.zeros(n)
    pos = np.flatnonzero(significant)
    if not len(pos):
        return out
    sent = sentence[pos]
    # A new cluster starts at a sentence's first significant word or after more than `gap` others.
    starts = np.ones(len(pos), dtype=bool)
    starts[1:] = (sent[1:] != sent[:-1]) | (pos[1:] - pos[:-1] - 1 > gap)
    cluster = np.cumsum(starts) - 1
    first = pos[starts]
    last = np.empty(len(first), dtype=pos.dtype)
    last[cluster] = pos  # the last write per cluster is its last word
    count = np.bincount(cluster)
    np.maximum.at(out, sent[starts], count * count / (last - first + 1))
    return out


class Luhn(Summarizer):
    name = "luhn"
    description = "Luhn (1958): sentences scored by their densest cluster of frequent non-stop words."

    def __init__(self, budget: Budget | None = None, gap: int = 4, min_count: int = 2, stem: bool = True) -> None:
        super().__init__(budget)
        if gap < 0 or min_count < 1:
            raise ValueError("luhn: gap must be >= 0 and min_count >= 1")
        self.gap = int(gap)
        self.min_count = int(min_count)
        self.stem = bool(stem)

    def scores(self, sentences) -> np.ndarray:
        """Each sentence's best cluster significance."""
        # Every word in order, stop words kept as STOP placeholders: they count in a cluster's span.
        import numpy as np

        sentence, ids = Analyzer(stem=self.stem, stopwords=True).encode(sentences, placeholders=True)
        content = ids != STOP
        terms, inverse = np.unique(np.where(content, ids, -1), return_inverse=True)
        freq = np.bincount(inverse)
        significant = content & (freq[inverse] >= self.min_count)
        return cluster_scores(sentence, significant, len(sentences), self.gap)

    def select(self, example: Example) -> list[int]:
        sents = example.sentences
        return sorted(self.budget.take(ranking(self.scores(sents)), sents))
