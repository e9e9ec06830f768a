"""Random walks on sentence graphs (PageRank), solved exactly.

TextRank, LexRank and Biased LexRank each rank sentences by the stationary
distribution of a walk that follows a weighted edge with probability
`damping` and otherwise jumps. The papers find it by power iteration; for
graphs of a few hundred sentences solving the linear system directly is both
faster and exact, so the result does not depend on a convergence threshold.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used: `harness list` reads these classes without it
    import numpy as np

# The graph summarizers hold a few n x n float64 matrices of an n-sentence source and solve an n x n
# linear system: memory grows with n^2 (8,000 sentences took 2.7 GB) and time with n^3. They rank
# only a source's first MAX_SENTENCES sentences (about 32 MB a matrix, ~0.2 GB in all, a solve of
# about a second); the option `max_sentences` changes it, 0 for no limit. See docs/reliability.md.
MAX_SENTENCES = 2000


def check_limit(name: str, max_sentences: int) -> int:
    if max_sentences < 0:
        raise ValueError(f"{name}: max_sentences must be >= 0 (0: no limit)")
    return int(max_sentences)


def ranked_part(sentences, max_sentences: int):
    """The sentences a graph summarizer ranks: the first `max_sentences` (all when 0)."""
    return sentences[:max_sentences] if max_sentences else sentences


def transition(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-normalised weights (row i: where a walker at i goes) and a mask of dangling rows (no out-edges)."""
    import numpy as np

    out = weights.sum(axis=1)
    dangling = out <= 0
    m = weights / np.where(dangling, 1.0, out)[:, None]
    return m, dangling


def pagerank(weights: np.ndarray, damping: float = 0.85, jump: np.ndarray | None = None) -> np.ndarray:
    """Stationary distribution of the walk `p = (1-d) * jump + d * (M^T p + dangling mass * jump)`.

    `weights[i, j]` is the weight of the edge i -> j (self-loops allowed).
    `jump` is the teleport distribution (uniform when None); a node without
    out-edges sends its mass along `jump` too, as networkx's `pagerank` does
    (its `dangling=None` default). The result sums to 1.
    """
    import numpy as np

    n = len(weights)
    if n == 0:
        return np.zeros(0)
    jump = np.full(n, 1.0 / n) if jump is None else np.asarray(jump, dtype=np.float64)
    m, dangling = transition(weights)
    m[dangling] = jump  # dangling nodes jump
    p = np.linalg.solve(np.eye(n) - damping * m.T, (1.0 - damping) * jump)
    return p / p.sum()
