"""Lead: the first sentences of the source, the standard news baseline (Lead-3)."""
from __future__ import annotations

from ..data import Example
from .base import Summarizer


class Lead(Summarizer):
    name = "lead"
    description = "The first sentences of the source, in order (Lead-k)."

    def summarize(self, example: Example) -> list[str]:
        sents = example.sentences
        return [sents[i] for i in self.budget.take(range(len(sents)), sents)]
