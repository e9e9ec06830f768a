"""Bootstrap and paired tests checked against direct, slow implementations."""
import numpy as np
import pytest

from harness import stats


def _slow_resample_means(x, n_resamples, seed):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(n_resamples, len(x)))
    return np.array([[x[i].mean() for i in row[None]][0] for row in idx])


def test_bootstrap_ci_matches_direct_loop():
    rng = np.random.default_rng(0)
    x = rng.random(37)
    low, high = stats.bootstrap_ci(x, 500, seed=3)
    means = _slow_resample_means(x, 500, 3)
    assert low[0] == pytest.approx(np.quantile(means, 0.025), abs=1e-12)
    assert high[0] == pytest.approx(np.quantile(means, 0.975), abs=1e-12)
    assert low[0] < x.mean() < high[0]


def test_paired_bootstrap_matches_direct_loop():
    rng = np.random.default_rng(1)
    a, b = rng.random(25), rng.random(25) * 0.9
    p = stats.paired_bootstrap(a, b, 400, seed=7)[0]
    diffs = np.abs(_slow_resample_means(a - b, 400, 7))
    shifted = diffs - diffs.mean()
    expected = (np.sum(shifted >= abs((a - b).mean()) - 1e-12) + 1) / 401
    assert p == pytest.approx(expected)


def test_approximate_randomization_matches_direct_loop():
    rng = np.random.default_rng(2)
    a, b = rng.random(20), rng.random(20)
    p = stats.approximate_randomization(a, b, 300, seed=5)[0]
    r = np.random.default_rng(5)
    flips = r.integers(0, 2, size=(300, 20), dtype=np.int8)
    real = abs(a.mean() - b.mean())
    count = 0
    for row in flips:
        x = np.where(row == 1, a, b)
        y = np.where(row == 1, b, a)
        count += abs(x.mean() - y.mean()) >= real - 1e-12
    assert p == pytest.approx((count + 1) / 301)


def test_system_against_itself_is_never_significant():
    x = np.random.default_rng(3).random(50)
    assert stats.paired_bootstrap(x, x)[0] == 1.0
    assert stats.approximate_randomization(x, x)[0] == 1.0


def test_clear_difference_is_significant():
    rng = np.random.default_rng(4)
    base = rng.random(200) * 0.5
    better = base + 0.1 + rng.normal(0, 0.02, 200)
    assert stats.paired_bootstrap(better, base)[0] < 0.01
    assert stats.approximate_randomization(better, base)[0] < 0.01


def test_columns_are_independent_and_seeded():
    rng = np.random.default_rng(5)
    s = rng.random((30, 4))
    low, high = stats.bootstrap_ci(s, 200, seed=9)
    for j in range(4):
        l1, h1 = stats.bootstrap_ci(s[:, j], 200, seed=9)
        assert (low[j], high[j]) == pytest.approx((l1[0], h1[0]), abs=1e-12)
    assert np.array_equal(stats.bootstrap_ci(s, 200, seed=9)[0], low)
