"""The one interface every summarizer implements.

A summarizer gets an `Example` (its sentences, and the question or other
context where the data has one) and a `Budget`, and returns the summary's
sentences. Extractive methods return source sentences in source order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

from ..data import Example


@dataclass(frozen=True)
class Budget:
    """How long a summary may be: `k` sentences, `words` words, or `ratio` of the source's sentences.

    Exactly one is set; the default is three sentences (the Lead-3 convention).
    """

    k: int | None = None
    words: int | None = None
    ratio: float | None = None

    def __post_init__(self) -> None:
        given = [x for x in (self.k, self.words, self.ratio) if x is not None]
        if len(given) > 1:
            raise ValueError("give one of k, words, ratio")
        if not given:
            object.__setattr__(self, "k", 3)
        if self.k is not None and self.k < 0 or self.words is not None and self.words < 0:
            raise ValueError("a budget must not be negative")
        if self.ratio is not None and not 0 < self.ratio <= 1:
            raise ValueError("ratio must be in (0, 1]")

    def max_sentences(self, n_sentences: int) -> int:
        """Sentence count allowed for a source of `n_sentences` (word budgets: all)."""
        if self.k is not None:
            return min(self.k, n_sentences)
        if self.ratio is not None:
            return min(n_sentences, max(1, round(self.ratio * n_sentences)))
        return n_sentences

    def take(self, ranked: Sequence[int], sentences: Sequence[str]) -> list[int]:
        """Pick sentence indices in `ranked` order until the budget is spent.

        With a word budget, sentences are added while the total stays within
        `words`; the first sentence is always taken so a summary is never
        empty because one sentence is long.
        """
        limit = self.max_sentences(len(sentences))
        chosen: list[int] = []
        used = 0
        for i in ranked:
            if len(chosen) >= limit:
                break
            if self.words is not None:
                n = len(sentences[i].split())
                if chosen and used + n > self.words:
                    continue
                used += n
            chosen.append(i)
        return chosen

    def describe(self) -> str:
        if self.k is not None:
            return f"k={self.k}"
        if self.words is not None:
            return f"words={self.words}"
        return f"ratio={self.ratio}"


class Summarizer:
    """Base class: subclasses set `name` and `description` and implement `summarize`.

    Options a summarizer takes are keyword arguments of its constructor; the
    budget options `k`, `words` and `ratio` are understood by every summarizer.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    uses_references: ClassVar[bool] = False  # True only for oracles: an upper bound, not a system

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget()

    def summarize(self, example: Example) -> list[str]:
        raise NotImplementedError

    def __call__(self, example: Example) -> list[str]:
        return self.summarize(example)


def in_source_order(indices: Sequence[int], sentences: Sequence[str]) -> list[str]:
    return [sentences[i] for i in sorted(indices)]
