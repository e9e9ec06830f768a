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

from collections import Counter

from ..data import Example
from .base import Budget, Summarizer, ranking
from .terms import STOP_WORDS, stem, tokens


def cluster_score(significant: list[bool], gap: int) -> float:
    """The best (significant words)^2 / span over a sentence's clusters."""
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


class Luhn(Summarizer):
    name = "luhn"
    description = "Luhn (1958): sentences scored by their densest cluster of frequent non-stop words."

    def __init__(self, budget: Budget | None = None, gap: int = 4, min_count: int = 2, stem: bool = True) -> None:
        super().__init__(budget)
        self.gap = int(gap)
        self.min_count = int(min_count)
        self.stem = bool(stem)

    def _words(self, sentence: str) -> list[str | None]:
        """Each token as its term, None for a stop word (never significant)."""
        return [None if t in STOP_WORDS else (stem(t) if self.stem else t) for t in tokens(sentence)]

    def scores(self, sentences) -> list[float]:
        words = [self._words(s) for s in sentences]
        freq = Counter(w for ws in words for w in ws if w is not None)
        significant = {w for w, c in freq.items() if c >= self.min_count}
        return [cluster_score([w in significant for w in ws], self.gap) for ws in words]

    def select(self, example: Example) -> list[int]:
        sents = example.sentences
        return sorted(self.budget.take(ranking(self.scores(sents)), sents))
