"""Question-focused LexRank (Otterbacher, Erkan & Radev, 2005): the answer's sentences that bear on the question.

Otterbacher, J., Erkan, G. and Radev, D. R. (2005). Using Random Walks for
Question-focused Sentence Retrieval. HLT/EMNLP 2005, 915-922 (extended as
"Biased LexRank", IP&M 45(1), 2009). LexRank's random walk, with the jump
biased towards sentences relevant to the question:

    p(s|q) = d * rel(s|q) / sum_z rel(z|q) + (1 - d) * sum_v sim(s, v) / sum_z sim(z, v) * p(v|q)

where d is the "question bias" and relevance is IDF-weighted word overlap
with the question (equation 1):

    rel(s|q) = sum_{w in q} log(tf_{w,s} + 1) * log(tf_{w,q} + 1) * idf_w

and sim is LexRank's idf-modified cosine, here thresholded (link weight 1
when the cosine exceeds `threshold`) as in the paper's experiments, or
continuous. The question is `example.question` (the interview corpus has
one for every answer); an example without one is an error. When no question
term occurs in the source the bias is uniform and the method is plain
LexRank. The defaults (bias 0.85, threshold 0.2) are ours; the paper tunes
both on development questions.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import Example
from ..errors import DataError
from .base import Budget, Summarizer, ranking
from .graph import MAX_SENTENCES, check_limit, pagerank, ranked_part
from .lexrank import lexrank_graph
from .terms import Analyzer, Bag

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np


def relevance(bag: Bag, question: np.ndarray) -> np.ndarray:
    """rel(s|q) for every sentence, given the question's term counts over the document's terms."""
    import numpy as np

    return (np.log1p(bag.counts) * np.log1p(question)[None, :] * bag.idf()[None, :]).sum(axis=1)


class QuestionLexRank(Summarizer):
    name = "qlexrank"
    needs_question = True
    description = ("Question-focused LexRank (Otterbacher et al. 2005): a random walk biased towards "
                   "sentences that share words with the example's question.")

    def __init__(self, budget: Budget | None = None, bias: float = 0.85, threshold: float = 0.2,
                 continuous: bool = False, stem: bool = True, stopwords: bool = True,
                 max_sentences: int = MAX_SENTENCES) -> None:
        super().__init__(budget)
        self.max_sentences = check_limit("qlexrank", max_sentences)
        if not 0 < bias <= 1:
            raise ValueError("qlexrank: bias must be in (0, 1]")
        self.bias = float(bias)
        if not 0 <= threshold <= 1:
            raise ValueError("qlexrank: threshold must be in [0, 1] (a cosine similarity)")
        self.threshold = float(threshold)
        self.continuous = bool(continuous)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def rank(self, sentences, question: str) -> np.ndarray:
        import numpy as np

        if not sentences:
            return np.zeros(0)
        bag = Bag.of(sentences, self.analyzer)
        rel = relevance(bag, bag.vector(self.analyzer.terms(question)))
        jump = rel / rel.sum() if rel.sum() > 0 else None
        # PageRank's damping is the follow-a-link probability, 1 - d.
        return pagerank(lexrank_graph(bag, self.threshold, self.continuous), 1.0 - self.bias, jump)

    def select(self, example: Example) -> list[int]:
        if not example.question:
            raise DataError(f"example {example.id!r}: qlexrank needs the question the source answers, and it has none")
        sents = example.sentences
        ranks = self.rank(ranked_part(sents, self.max_sentences), example.question)
        return sorted(self.budget.take(ranking(ranks), sents))
