"""rouge-score's `scoring` module: Score, AggregateScore, BootstrapAggregator, fmeasure.

The value types are rouge-score 0.1.2's (namedtuples of the same names and
fields, so results compare, unpack and print alike). `BootstrapAggregator`
differs in one documented way: it is seeded. rouge-score draws its resamples
from numpy's global random state, so two runs give different intervals (and a
different `mid`, which is the median of the resampled means, not the mean).
Here each `aggregate()` call draws from `numpy.random.RandomState(seed)`, in
the order rouge-score draws (score types in insertion order, one
`choice(n, size=n)` per resample), so

    BootstrapAggregator(seed=s).aggregate()
    == (numpy.random.seed(s), rouge_score.scoring.BootstrapAggregator().aggregate())

value for value (the tests check it): the resamples of a score type are
drawn and averaged in blocks instead of one at a time. `seed=None` draws
from numpy's global state, as rouge-score does. `resampler="harness"` takes
the resamples from `harness.stats` instead (faster on large corpora, other
draws).
"""
from __future__ import annotations

import abc
import collections

import numpy as np

from .. import stats
from ..stats import DEFAULT_SEED  # the harness's one default seed (sacrebleu's), also `harness score --seed`

_BLOCK = 1 << 21  # resampled score rows gathered at once (x 3 measures x 8 bytes: 48 MiB)
RESAMPLERS = ("rouge-score", "harness")


class Score(collections.namedtuple("Score", ["precision", "recall", "fmeasure"])):
    """Tuple containing precision, recall, and f-measure values."""


class AggregateScore(collections.namedtuple("AggregateScore", ["low", "mid", "high"])):
    """Tuple containing confidence intervals for scores."""


class BaseScorer(metaclass=abc.ABCMeta):
    """Base class for Scorer objects (rouge-score's)."""

    @abc.abstractmethod
    def score(self, target: str, prediction: str) -> dict[str, Score]:
        """Calculates score between the target and prediction."""


def fmeasure(precision, recall):
    """Computes f-measure given precision and recall values (rouge-score's formula)."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


class BootstrapAggregator:
    """Confidence intervals of the mean score by bootstrap resampling, as rouge-score computes them.

    `low` and `high` are the (1 - confidence_interval) / 2 and 1 - that
    percentiles of `n_samples` resampled means, `mid` their median
    (np.percentile, as rouge-score). `seed` (default
    `harness.stats.DEFAULT_SEED`, 12345) makes the result repeat; `None`
    uses numpy's global random state, as rouge-score does.

    `resampler` says which resamples: "rouge-score" (default) draws them as
    rouge-score does, so the numbers equal rouge-score's after
    `numpy.random.seed(seed)`; "harness" takes them from `harness.stats`
    (the same multinomial bootstrap, with the harness's own draws: the
    intervals `harness score` reports), which is several times faster on
    large corpora (each resample is a weighted sum, not a gather of n rows)
    and uses the same resamples for every score type.
    """

    def __init__(self, confidence_interval=0.95, n_samples=1000, seed: int | None = DEFAULT_SEED,
                 resampler: str = "rouge-score"):
        if confidence_interval < 0 or confidence_interval > 1:
            raise ValueError("confidence_interval must be in range [0, 1]")
        if n_samples <= 0:
            raise ValueError("n_samples must be positive")
        if resampler not in RESAMPLERS:
            raise ValueError(f"unknown resampler {resampler!r}; choose from {', '.join(RESAMPLERS)}")
        if resampler == "harness" and seed is None:
            raise ValueError("the harness resampler needs a seed (an integer >= 0)")
        self._n_samples = n_samples
        self._confidence_interval = confidence_interval
        self._seed = seed
        self._resampler = resampler
        self._scores = collections.defaultdict(list)

    def add_scores(self, scores):
        """Adds a sample: a dict mapping score types to Score-like namedtuples."""
        for score_type, score in scores.items():
            self._scores[score_type].append(score)

    def aggregate(self):
        """A dict mapping each score type to an AggregateScore(low, mid, high)."""
        rng = np.random.mtrand._rand if self._seed is None else np.random.RandomState(self._seed)
        result = {}
        for score_type, scores in self._scores.items():
            matrix = np.vstack(tuple(scores))
            if self._resampler == "harness":
                sample_mean = stats.bootstrap_means(matrix, self._n_samples, self._seed)
            else:
                sample_mean = self._resampled_means(matrix, rng)
            delta = (1 - self._confidence_interval) / 2
            percentiles = np.percentile(sample_mean, 100 * np.array([delta, 0.5, 1 - delta]), axis=0)
            low, mid, high = (scores[0].__class__(*percentiles[j, :]) for j in range(3))
            result[score_type] = AggregateScore(low=low, mid=mid, high=high)
        return result

    def _resampled_means(self, matrix: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
        """(n_samples, measures): rouge-score's resampled means, resample for resample.

        rouge-score draws `choice(arange(n), size=n)` per resample, which is
        `randint(0, n, n)`; a block of k resamples drawn as one `randint(0, n,
        (k, n))` consumes the generator identically. The mean over axis 1 of
        the gathered (k, n, measures) block adds each resample's rows in the
        order rouge-score's `np.mean(sample, axis=0)` adds them (checked in
        the tests to the bit). Blocks save rouge-score's per-resample
        overhead; on large corpora both are bound by the gather.
        """
        n = matrix.shape[0]
        sample_mean = np.zeros((self._n_samples, matrix.shape[1]))
        step = max(1, _BLOCK // n)
        for start in range(0, self._n_samples, step):
            k = min(step, self._n_samples - start)
            idx = rng.randint(0, n, size=(k, n))
            sample_mean[start:start + k] = np.mean(matrix[idx], axis=1)
        return sample_mean
