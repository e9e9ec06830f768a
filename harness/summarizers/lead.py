"""Lead: the first sentences of the source, the standard news baseline (Lead-3)."""
from __future__ import annotations

from ..data import Example
from .base import Summarizer


class Lead(Summarizer):
    name = "lead"
    description = "The first sentences of the source, in order (Lead-k); with a word budget, the longest prefix that fits."

    def select(self, example: Example) -> list[int]:
        # A prefix: with a word budget, stop at the first sentence that does not
        # fit rather than skip it (the first sentence is always taken).
        spend = self.budget.start(example.sentences)
        chosen: list[int] = []
        for i in range(len(example.sentences)):
            if not spend.fits(i):
                break
            spend.add(i)
            chosen.append(i)
        return chosen
