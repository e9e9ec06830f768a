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

value for value (the tests check it), only faster: the resamples of a score
type are drawn and averaged in blocks instead of one at a time. `seed=None`
draws from numpy's global state, as rouge-score does.
"""
from __future__ import annotations

import abc
import collections

import numpy as np

from ..stats import DEFAULT_SEED  # the harness's one default seed (sacrebleu's), also `harness score --seed`

_BLOCK = 1 << 22  # resampled scores of one measure gathered at once (x 8 bytes: 32 MiB)


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
    percentiles of `n_samples` resampled means, `mid` their median. `seed`
    (default `harness.stats.DEFAULT_SEED`, 12345) makes the result repeat;
    `None` uses numpy's global random state, as rouge-score does.
    """

    def __init__(self, confidence_interval=0.95, n_samples=1000, seed: int | None = DEFAULT_SEED):
        if confidence_interval < 0 or confidence_interval > 1:
            raise ValueError("confidence_interval must be in range [0, 1]")
        if n_samples <= 0:
            raise ValueError("n_samples must be positive")
        self._n_samples = n_samples
        self._confidence_interval = confidence_interval
        self._seed = seed
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
            percentiles = self._bootstrap_resample(np.vstack(tuple(scores)), rng)
            low, mid, high = (scores[0].__class__(*percentiles[j, :]) for j in range(3))
            result[score_type] = AggregateScore(low=low, mid=mid, high=high)
        return result

    def _bootstrap_resample(self, matrix: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
        """(3 bounds, measures): the percentiles of the resampled means.

        rouge-score draws `choice(arange(n), size=n)` per resample, which is
        `randint(0, n, n)`; a block of k resamples drawn as one `randint(0, n,
        (k, n))` consumes the generator identically. Its `np.mean(sample,
        axis=0)` adds the n rows one after the other (numpy reduces an (n, 3)
        array row by row); here each measure's k resamples are summed the
        same way, row by row over an (n, k) block, so the sums are the same
        floats, and then divided by n as np.mean divides.
        """
        n = matrix.shape[0]
        columns = np.ascontiguousarray(matrix.T, dtype=np.float64)
        sample_mean = np.zeros((self._n_samples, matrix.shape[1]))
        step = max(1, _BLOCK // n)
        for start in range(0, self._n_samples, step):
            k = min(step, self._n_samples - start)
            rows = rng.randint(0, n, size=(k, n)).T  # (n, k): resample j is column j
            for m, column in enumerate(columns):
                drawn = column[rows]
                total = drawn[0].copy()
                for row in drawn[1:]:
                    total += row
                sample_mean[start:start + k, m] = total / n
        delta = (1 - self._confidence_interval) / 2
        q = 100 * np.array([delta, 0.5, 1 - delta])
        return np.percentile(sample_mean, q, axis=0)
