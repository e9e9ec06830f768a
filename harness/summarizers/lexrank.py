"""LexRank: graph-based lexical centrality (Erkan & Radev, 2004).

Erkan, G. and Radev, D. R. (2004). LexRank: Graph-based Lexical Centrality as
Salience in Text Summarization. JAIR 22, 457-479. Sentences are TF-IDF
vectors compared by the idf-modified cosine (equation 1),

    idf-modified-cosine(x, y) = sum_w tf_{w,x} tf_{w,y} idf_w^2
                                / (sqrt(sum_{x_i} (tf_{x_i,x} idf_{x_i})^2) * sqrt(sum_{y_i} (tf_{y_i,y} idf_{y_i})^2)),

and a sentence's salience is its stationary probability in a random walk on
the similarity graph (equation 5):

    p(u) = d/N + (1 - d) * sum_{v adj u} p(v) / deg(v).

*Thresholded* LexRank (the paper's Algorithm 3, the default here) links two
sentences when their cosine exceeds `threshold` (0.1 in the paper's best
runs) and weighs every link 1; *continuous* LexRank (section 3.3) weighs each
link by the cosine itself. As in the paper's cosine matrix, every sentence
is linked to itself. The paper's d is the jump probability; `damping` here
is the follow-a-link probability in PageRank's (and networkx's) convention,
so damping = 1 - d (paper: d in [0.1, 0.2]; default damping 0.85). IDF is
computed over the document's sentences (see `terms`). A sentence without
links (no term with non-zero IDF) jumps uniformly, as in PageRank.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import Example
from .base import Budget, Summarizer, ranking
from .graph import MAX_SENTENCES, check_limit, pagerank, ranked_part
from .terms import Analyzer, Bag, cosine_matrix

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np


def lexrank_graph(bag: Bag, threshold: float = 0.1, continuous: bool = False) -> np.ndarray:
    """Edge weights of the LexRank graph: cosine > threshold -> 1 (thresholded) or the cosine (continuous)."""
    import numpy as np

    cos = cosine_matrix(bag.counts * bag.idf())
    if continuous:
        return cos
    return (cos > threshold).astype(np.float64)


class LexRank(Summarizer):
    name = "lexrank"
    description = "LexRank (Erkan & Radev 2004): PageRank over the idf-modified cosine graph, thresholded or continuous."

    def __init__(self, budget: Budget | None = None, threshold: float = 0.1, continuous: bool = False,
                 damping: float = 0.85, stem: bool = True, stopwords: bool = True,
                 max_sentences: int = MAX_SENTENCES) -> None:
        super().__init__(budget)
        if not 0 <= damping < 1:
            raise ValueError("lexrank: damping must be in [0, 1)")
        self.max_sentences = check_limit("lexrank", max_sentences)
        if not 0 <= threshold <= 1:
            raise ValueError("lexrank: threshold must be in [0, 1] (a cosine similarity)")
        self.threshold = float(threshold)
        self.continuous = bool(continuous)
        self.damping = float(damping)
        self.analyzer = Analyzer(stem=stem, stopwords=stopwords)

    def graph(self, sentences) -> np.ndarray:
        return lexrank_graph(Bag.of(sentences, self.analyzer), self.threshold, self.continuous)

    def rank(self, sentences) -> np.ndarray:
        """The LexRank score (stationary probability) of each sentence."""
        import numpy as np

        if not sentences:
            return np.zeros(0)
        return pagerank(self.graph(sentences), self.damping)

    def select(self, example: Example) -> list[int]:
        sents = example.sentences
        return sorted(self.budget.take(ranking(self.rank(ranked_part(sents, self.max_sentences))), sents))
