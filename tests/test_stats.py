"""The streaming resampler: its draws are an exact multinomial bootstrap, and the
intervals and p-values equal direct, slow loops written with the same draws."""
import math

import numpy as np
import pytest

from harness import stats


# --- direct slow loops over the same draws ---------------------------------------------------------

def _slow_resample_means(x, n_resamples, seed):
    """Each resample written out as the list of drawn examples, and its plain mean."""
    counts = stats.bootstrap_counts(len(x), n_resamples, seed)
    out = []
    for row in counts:
        drawn = [x[i] for i in range(len(x)) for _ in range(row[i])]
        out.append(sum(drawn) / len(drawn))
    return np.array(out)


def _slow_randomization(a, b, n_trials, seed):
    flips = stats.randomization_flips(len(a), n_trials, seed)
    real = abs(np.mean(a) - np.mean(b))
    count = 0
    for row in flips:
        x = [b[i] if row[i] else a[i] for i in range(len(a))]
        y = [a[i] if row[i] else b[i] for i in range(len(a))]
        count += abs(np.mean(x) - np.mean(y)) >= real - 1e-12
    return (count + 1) / (n_trials + 1)


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
    assert p == pytest.approx(_slow_randomization(a, b, 300, 5))


def test_paired_tests_give_the_interval_and_both_p_values_in_one_pass():
    rng = np.random.default_rng(6)
    a, b = rng.random((40, 2)), rng.random((40, 2))
    res = stats.paired_tests(a, b, 200, seed=4)
    d = a - b
    for j in range(2):
        means = _slow_resample_means(d[:, j], 200, 4)
        assert res.ci_low[j] == pytest.approx(np.quantile(means, 0.025), abs=1e-12)
        assert res.delta[j] == math.fsum(d[:, j]) / 40
        assert res.p_randomization[j] == pytest.approx(_slow_randomization(a[:, j], b[:, j], 200, 4))
    assert np.array_equal(res.p_bootstrap, stats.paired_bootstrap(a, b, 200, seed=4))


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
    for j in range(4):  # a column's numbers do not depend on the other columns, to the bit
        l1, h1 = stats.bootstrap_ci(s[:, j], 200, seed=9)
        assert (low[j], high[j]) == (l1[0], h1[0])
    assert np.array_equal(stats.bootstrap_ci(s, 200, seed=9)[0], low)
    assert not np.array_equal(stats.bootstrap_ci(s, 200, seed=10)[0], low)


# --- the sampler is an exact multinomial bootstrap ------------------------------------------------

def test_every_resample_draws_n_examples_across_chunks():
    counts = stats.bootstrap_counts(1000, 300, seed=1, chunk=64)  # 16 chunks, the last one short
    assert counts.shape == (300, 1000) and (counts.sum(axis=1) == 1000).all()
    assert counts.min() >= 0


def test_counts_have_the_moments_of_a_multinomial():
    """Multinomial(n, 1/n each): every count has mean 1 and variance 1 - 1/n, two examples
    covariance -1/n, and a chunk of m examples gets Binomial(n, m/n) draws."""
    n, r, chunk = 200, 20000, 16
    counts = stats.bootstrap_counts(n, r, seed=2, chunk=chunk).astype(np.float64)
    se_mean = math.sqrt((1 - 1 / n) / r)
    assert abs(counts.mean(axis=0) - 1).max() < 5 * se_mean  # every example, within 5 standard errors
    assert counts.mean() == pytest.approx(1.0, abs=1e-12)  # rows sum to n exactly
    var = counts.var(axis=0)
    assert var.mean() == pytest.approx(1 - 1 / n, rel=0.01)
    assert abs(var - (1 - 1 / n)).max() < 0.06  # each: about 4.5 standard errors of a variance
    cov = np.cov(counts[:, [0, 1, 17, 199]], rowvar=False)  # same chunk, other chunks, the last one
    off = cov[~np.eye(4, dtype=bool)]
    assert abs(off + 1 / n).max() < 0.035  # -1/n = -0.005; standard error about 0.007
    in_chunk = counts[:, :chunk].sum(axis=1)  # Binomial(n, chunk/n): mean 16, variance 16 * (1 - 16/200)
    assert in_chunk.mean() == pytest.approx(chunk, abs=5 * math.sqrt(chunk / r))
    assert in_chunk.var() == pytest.approx(chunk * (1 - chunk / n), rel=0.05)


def test_intervals_cover_the_true_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(7)
    trials, n = 300, 60
    covered = 0
    for t in range(trials):
        x = rng.normal(0.3, 0.1, n)
        low, high = stats.bootstrap_ci(x, 300, seed=t)
        covered += low[0] <= 0.3 <= high[0]
    # percentile intervals run slightly narrow at n = 60 (about 94%); 300 trials: standard error 1.3%
    assert 0.89 <= covered / trials <= 0.985


def test_randomization_p_values_are_uniform_under_the_null():
    rng = np.random.default_rng(8)
    ps = []
    for t in range(300):
        a, b = rng.random(30), rng.random(30)  # same distribution: no difference
        ps.append(stats.approximate_randomization(a, b, 200, seed=t)[0])
    ps = np.array(ps)
    assert 0.02 <= (ps < 0.05).mean() <= 0.09
    assert 0.42 <= np.median(ps) <= 0.58


def test_flips_are_fair_coins():
    flips = stats.randomization_flips(300, 2000, seed=3, chunk=37)
    assert set(np.unique(flips)) == {0, 1}
    assert flips.mean() == pytest.approx(0.5, abs=0.005)
    assert abs(np.corrcoef(flips[:, [0, 1, 36, 37, 299]], rowvar=False)[~np.eye(5, dtype=bool)]).max() < 0.08


# --- streaming: the numbers do not depend on how the rows arrive ----------------------------------

def test_blocks_of_rows_and_of_resamples_give_the_same_bits(monkeypatch):
    rng = np.random.default_rng(9)
    x = rng.random((1000, 3))
    x[rng.random((1000, 3)) < 0.05] = np.nan

    def run(cuts):
        r = stats.Resampler(1000, 3, 150, seed=11, randomize=[0, 2], chunk=64)
        for lo, hi in zip([0, *cuts], [*cuts, 1000]):
            r.add(x[lo:hi])
        return r.finish()

    whole = run([])
    for cuts in ([1, 2, 3, 500], list(range(7, 1000, 7)), [64, 128, 999]):
        res = run(cuts)
        assert np.array_equal(res.means, whole.means, equal_nan=True)
        assert np.array_equal(res.flipped, whole.flipped)
    monkeypatch.setattr(stats, "_BLOCK_CELLS", 300)  # 4 resamples of a 64-example chunk per block
    assert stats._block_rows(64) == 4
    res = run([500])
    assert np.array_equal(res.means, whole.means, equal_nan=True)
    assert np.array_equal(res.flipped, whole.flipped)


def test_resampler_refuses_more_or_fewer_rows_than_announced():
    r = stats.Resampler(10, 1, 5)
    r.add(np.zeros((6, 1)))
    with pytest.raises(ValueError, match="more than the 10"):
        r.add(np.zeros((5, 1)))
    with pytest.raises(ValueError, match="6 examples given, 10 announced"):
        r.finish()
    with pytest.raises(ValueError, match="columns"):
        r.add(np.zeros((1, 2)))


# --- columns with unscored examples (NaN) ---------------------------------------------------------

def test_unscored_examples_take_the_weighted_mean_on_the_same_resamples():
    rng = np.random.default_rng(10)
    x = rng.random(50)
    y = x.copy()
    y[[3, 10, 11, 40]] = np.nan
    res = stats.resample(np.column_stack([x, y]), 300, seed=2)
    counts = stats.bootstrap_counts(50, 300, seed=2)
    scored = ~np.isnan(y)
    for r in (0, 1, 150, 299):
        drawn = [y[i] for i in range(50) if scored[i] for _ in range(counts[r, i])]
        assert res.means[r, 1] == pytest.approx(sum(drawn) / len(drawn), abs=1e-12)
        assert res.means[r, 0] == pytest.approx(counts[r] @ x / 50, abs=1e-12)


def test_a_resample_that_draws_no_scored_example_is_left_out():
    x = np.full(40, np.nan)
    x[7] = 0.5  # one scored example: about a third of the resamples miss it
    res = stats.resample(x, 200, seed=1)
    missed = stats.bootstrap_counts(40, 200, seed=1)[:, 7] == 0
    assert missed.any() and np.isnan(res.means[missed, 0]).all()
    assert (res.means[~missed, 0] == 0.5).all()
    low, high = stats.percentile_interval(res.means)
    assert low[0] == high[0] == 0.5
    # every resampled value equals the observed one: shifted to mean zero, none reaches 0.5;
    # the trials are the resamples that have a mean
    assert stats.paired_bootstrap_p(res.means, [0.5])[0] == 1 / ((~missed).sum() + 1)


def test_chunk_partials_added_in_chunk_order_are_the_resampler_bit_for_bit():
    """The map/reduce layout: partials per chunk (computable anywhere), added in chunk order."""
    rng = np.random.default_rng(12)
    x = rng.random((230, 3))
    x[rng.random((230, 3)) < 0.1] = np.nan
    whole = stats.Resampler(230, 3, 120, seed=8, randomize=[1], chunk=50)
    whole.add(x)
    res = whole.finish()
    sums, weights, flipped = np.zeros((120, 3)), np.zeros((120, 3)), np.zeros((120, 1))
    for c, draws in enumerate(stats.allocation(230, 120, seed=8, chunk=50)):
        part = stats.chunk_partials(x[50 * c:50 * (c + 1)], draws, 8, c, [1])
        sums += part.sums
        weights += part.weights
        flipped += part.flipped
    assert np.array_equal(np.where(weights > 0, sums / np.where(weights > 0, weights, 1), np.nan), res.means,
                          equal_nan=True)
    assert np.array_equal(flipped, res.flipped)
