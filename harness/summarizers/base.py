"""The one interface every summarizer implements.

A summarizer gets an `Example` (its sentences, and the question or other
context where the data has one) and a `Budget`, and returns the summary's
sentences. Extractive methods return source sentences in source order.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

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
        spend = self.start(sentences)
        chosen: list[int] = []
        for i in ranked:
            if spend.full():
                break
            if spend.fits(i):
                spend.add(i)
                chosen.append(i)
        return chosen

    def start(self, sentences: Sequence[str]) -> "Spend":
        """The running account of a greedy selection under this budget."""
        return Spend(self, sentences)

    def describe(self) -> str:
        if self.k is not None:
            return f"k={self.k}"
        if self.words is not None:
            return f"words={self.words}"
        return f"ratio={self.ratio}"


class Spend:
    """What a greedy selection has used of its budget so far.

    Methods that re-score candidates after each pick (MMR, SumBasic, KL-Sum,
    the oracle) consult it at every step, so a sentence too long for the word
    budget is passed over without changing the state the next pick sees.
    The rules are those of `Budget.take`: at most `max_sentences`, and with a
    word budget the first sentence is always admitted.
    """

    def __init__(self, budget: Budget, sentences: Sequence[str]) -> None:
        self.limit = budget.max_sentences(len(sentences))
        self.words = budget.words
        self.lengths = [len(s.split()) for s in sentences] if budget.words is not None else None
        self.count = 0
        self.used = 0
        self._lengths = None

    def admissible(self, available):
        """`fits` for every sentence at once: a boolean mask, given the mask of sentences not yet chosen."""
        import numpy as np

        if self.count >= self.limit:
            return np.zeros_like(available)
        if self.lengths is None or self.count == 0:
            return available
        if self._lengths is None:
            self._lengths = np.asarray(self.lengths)
        return available & (self._lengths <= self.words - self.used)

    def full(self) -> bool:
        return self.count >= self.limit

    def fits(self, i: int) -> bool:
        if self.count >= self.limit:
            return False
        return self.lengths is None or self.count == 0 or self.used + self.lengths[i] <= self.words

    def add(self, i: int) -> None:
        self.count += 1
        if self.lengths is not None:
            self.used += self.lengths[i]


class Summarizer:
    """Base class: subclasses set `name` and `description` and implement `summarize`.

    Options a summarizer takes are keyword arguments of its constructor; the
    budget options `k`, `words` and `ratio` are understood by every summarizer.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    uses_references: ClassVar[bool] = False  # True only for oracles: an upper bound, not a system
    needs_question: ClassVar[bool] = False  # True for query-focused methods: left out of default runs on data without questions

    # Constructor options that cannot change a summary (a log path, a delay): left out of `signature`.
    not_in_signature: ClassVar[tuple[str, ...]] = ()

    def __new__(cls, *args: Any, **kwargs: Any):
        self = super().__new__(cls)
        self._options = _constructor_options(cls, args, kwargs)
        return self

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget()

    def signature(self) -> str:
        """What decides this system's summaries, as a spec: `textrank:k=3:damping=0.85:...:max_sentences=2000`.

        Every constructor option with the value it was given or its default, so that
        a limit the user never typed (the graph summarizers' `max_sentences`) is on
        record in summary.json (`config.system_signatures`), as sacrebleu records
        every choice that changes a number.
        """
        options = {k: v for k, v in self._options.items() if k not in self.not_in_signature}
        return spec_text(self.name or type(self).__name__, self.budget, options)

    def summarize(self, example: Example) -> list[str]:
        """The summary's sentences; extractive methods: `select`'s sentences in source order."""
        return in_source_order(self.select(example), example.sentences)

    def select(self, example: Example) -> list[int]:
        """Indices of the chosen source sentences (extractive methods implement this)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({opts})"

    def __call__(self, example: Example) -> list[str]:
        return self.summarize(example)


def _constructor_options(cls: type, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The options a constructor call gives, defaults filled in (the budget apart); {} if they do not bind."""
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:  # unpickling calls __new__ with no arguments; __dict__ then brings the real ones
        return {}
    bound.apply_defaults()
    options: dict[str, Any] = {}
    for name, value in list(bound.arguments.items())[1:]:
        kind = inspect.signature(cls.__init__).parameters[name].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            options.update(value)
        elif kind is not inspect.Parameter.VAR_POSITIONAL and name != "budget":
            options[name.rstrip("_")] = value
    return options


def spec_text(name: str, budget: Budget, options: dict[str, Any]) -> str:
    """`name:<budget>:key=value...` in the syntax of a --summarizers spec; options left at None are unset."""
    return ":".join([name, budget.describe(), *(f"{k}={_option_text(v)}" for k, v in options.items() if v is not None)])


def _option_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "+".join(map(_option_text, value))
    # an object (a function, a model): its type, never its address, so the record is the same every run
    return f"<{getattr(value, '__qualname__', type(value).__qualname__)}>"


def ranking(scores) -> list[int]:
    """Indices by decreasing score, earlier sentence first on ties.

    Scores are compared to 9 significant digits of the largest, so sentences
    whose scores are equal in exact arithmetic (duplicates, symmetric graphs)
    tie even when floating-point solvers leave them a few ulps apart.
    """
    import numpy as np

    s = np.asarray(scores, dtype=np.float64)
    if not len(s):
        return []
    scale = float(np.max(np.abs(s))) or 1.0
    return np.argsort(-np.round(s / scale, 9), kind="stable").tolist()


def argbest(values, candidates, lowest: bool = False) -> int:
    """The candidate index with the highest value (lowest with `lowest`); the earliest on ties.

    Values within 1e-9 (relative) of the best count as ties, for the reason
    given in `ranking`.
    """
    sign = -1.0 if lowest else 1.0
    vals = [sign * float(values[c]) for c in candidates]
    top = max(vals)
    tol = 1e-9 * max(1.0, abs(top))
    return next(int(c) for c, v in zip(candidates, vals) if v >= top - tol)


def argbest_masked(values, mask, lowest: bool = False) -> int | None:
    """`argbest` over the indices where `mask` is True (None when there are none); numpy throughout."""
    import numpy as np

    if not mask.any():
        return None
    vals = np.where(mask, -values if lowest else values, -np.inf)
    top = vals.max()
    return int(np.flatnonzero(vals >= top - 1e-9 * max(1.0, abs(top)))[0])


def in_source_order(indices: Sequence[int], sentences: Sequence[str]) -> list[str]:
    return [sentences[i] for i in sorted(indices)]
