"""The C kernels (harness/rouge155/_kernels.c) give the pure-Python kernels' numbers, float for float."""
import random
from collections import Counter

import pytest

from harness.rouge155 import kernels, measures
from harness.rouge155.measures import Summary

pytestmark = pytest.mark.skipif(not kernels.NATIVE, reason="the C kernels are not built (or HARNESS_NATIVE=0)")


def _summary(rng, vocabulary):
    units = [[rng.choice("abcdefgh") * rng.randint(1, 2) for _ in range(rng.choice([0, 1, 3, 8, 25]))]
             for _ in range(rng.randint(0, 4))]
    tokens = [t for u in units for t in u]
    native = Summary(tokens, units, kernels.ids(tokens, vocabulary), [kernels.ids(u, vocabulary) for u in units])
    return native, Summary(tokens, units)


@pytest.mark.parametrize("seed", range(4))
def test_c_kernels_equal_python(seed):
    rng, vocabulary = random.Random(seed), {}
    for _ in range(300):
        (peer_c, peer_py), (model_c, model_py) = _summary(rng, vocabulary), _summary(rng, vocabulary)
        for n in (1, 2, 3):
            assert measures.ngram_counts(peer_c, model_c, n) == measures.ngram_counts(peer_py, model_py, n)
        for skip, unigrams in ((-1, False), (0, True), (4, True), (2, False)):
            assert measures.skip_counts(peer_c, model_c, skip, unigrams) == \
                measures.skip_counts(peer_py, model_py, skip, unigrams)
        for weight in (None, 1.2, 2.0):
            assert measures.lcs_hits(model_c, peer_c, weight) == measures.lcs_hits(model_py, peer_py, weight)


def test_python_counts_are_clipped():
    assert measures._clipped(Counter("aab"), Counter("abbb")) == (2, 4, 3)


def test_sample_sums_add_in_draw_order():
    import numpy as np

    from harness.rouge155 import resample
    values = np.random.default_rng(5).random(37) * 1e3
    picks = resample.draws(50, 37)
    native = np.frombuffer(kernels.sample_sums(values, picks, 50, 37), dtype=np.float64)
    assert native.tolist() == np.cumsum(values[picks], axis=1)[:, -1].tolist()
    assert native.tolist() == [sum(values[i] for i in row) for row in picks.tolist()]
