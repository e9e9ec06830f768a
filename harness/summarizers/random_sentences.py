"""Random: sentences drawn uniformly without replacement, a floor for any method."""
from __future__ import annotations

import random as _random

from ..data import Example
from .base import Budget, Summarizer


class RandomSentences(Summarizer):
    name = "random"
    description = "Random sentences in source order; seeded per example, so runs repeat."

    def __init__(self, budget: Budget | None = None, seed: int = 0) -> None:
        super().__init__(budget)
        self.seed = int(seed)

    def select(self, example: Example) -> list[int]:
        import hashlib  # here: `harness list` need not load OpenSSL

        sents = example.sentences
        # The stream depends on the seed and the example id only, never on
        # which other examples ran before: batches and workers agree.
        digest = hashlib.sha256(f"{self.seed}\0{example.id}".encode()).digest()
        order = list(range(len(sents)))
        _random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
        return sorted(self.budget.take(order, sents))
