"""SumBasic (Nenkova & Vanderwende, 2005): frequent words, with their weight spent once used.

Nenkova, A. and Vanderwende, L. (2005). The impact of frequency on
summarization. Microsoft Research Technical Report MSR-TR-2005-101,
section 4:

1. p(w_i) = n / N: the share of the input's content words that are w_i.
2. weight(S_j) = the average p(w_i) over the words of S_j.
3. Pick the best-scoring sentence that contains the highest-probability word.
4. For each word w_i of the chosen sentence, p_new(w_i) = p_old(w_i)^2, so
   what is already said counts less (the method's redundancy control).
5. Repeat from step 2 until the summary is long enough.

Content words are terms (stop words removed, stemmed; see `terms`); the
average in step 2 is over the sentence's term tokens, and step 4 squares each
distinct word once. The highest-probability word of step 3 is sought among
the words of the sentences still available; when none of them has a content
word, the earliest available sentence is taken.
"""
from __future__ import annotations

from ..data import Example
from .base import Budget, Summarizer, argbest_masked
from .terms import Analyzer, Bag


class SumBasic(Summarizer):
    name = "sumbasic"
    description = "SumBasic (Nenkova & Vanderwende 2005): average word probability, squared after each pick."

    def __init__(self, budget: Budget | None = None, stem: bool = True, stopwords: bool = True) -> None:
        super().__init__(budget)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def select(self, example: Example) -> list[int]:
        import numpy as np

        sents = example.sentences
        if not sents:
            return []
        bag = Bag.of(sents, self.analyzer)
        counts, lengths = bag.counts, bag.lengths
        total = counts.sum()
        p = counts.sum(axis=0) / total if total else np.zeros(counts.shape[1])
        present = counts > 0
        spend = self.budget.start(sents)
        available = np.ones(len(sents), dtype=bool)
        chosen: list[int] = []
        safe_lengths = np.where(lengths > 0, lengths, 1.0)
        while not spend.full():
            candidates = spend.admissible(available)
            if not candidates.any():
                break
            weight = (counts @ p) / safe_lengths  # 0 for a sentence without content words
            # Step 3: the highest-probability word among the candidates' words, and the candidates holding it.
            words = (candidates.astype(np.float64) @ counts) > 0
            if words.any():
                top = p[words].max()
                holders = candidates & ((counts @ ((p >= top) & words)) > 0)
            else:
                holders = candidates
            best = argbest_masked(weight, holders)
            chosen.append(best)
            spend.add(best)
            available[best] = False
            p = np.where(present[best], p * p, p)
        return sorted(chosen)
