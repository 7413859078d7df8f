"""kl.estimators: unbiasedness, coverage, convergence, and clear errors."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from kl import estimators

P, Q = stats.norm(0, 1), stats.norm(0.5, 1)
TRUE_PQ = 0.125  # (0.5)^2 / 2, the Gaussian closed form with equal variances


def test_k1_interval_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(0)
    reps, covered = 1000, 0
    for _ in range(reps):
        x = P.rvs(size=200, random_state=rng)
        r = estimators.monte_carlo(P.logpdf(x), Q.logpdf(x))
        covered += abs(r.estimate - TRUE_PQ) <= 1.96 * r.stderr
    # Binomial(1000, 0.95) has standard deviation 0.0069; allow 3.5 of them.
    assert abs(covered / reps - 0.95) < 0.025, covered / reps


@pytest.mark.parametrize(("estimator", "samples_from"), [("k1", "p"), ("k3", "p"), ("k1", "q"), ("k3", "q")])
def test_unbiased_estimators_average_to_the_true_divergence(estimator, samples_from):
    p, q = stats.norm(0, 1), stats.norm(1, 2)
    truth = math.log(2) - 0.25
    sampler = p if samples_from == "p" else q
    x = sampler.rvs(size=400_000, random_state=np.random.default_rng(1))
    r = estimators.monte_carlo(p.logpdf(x), q.logpdf(x), estimator=estimator, samples_from=samples_from)
    assert abs(r.estimate - truth) < 4 * r.stderr


def test_k2_is_biased_towards_half_the_mean_squared_log_ratio():
    p, q = stats.norm(0, 1), stats.norm(1, 2)
    # E_p[(log q/p)^2] / 2 by quadrature: what k2 estimates instead of the divergence.
    target = integrate.quad(lambda t: p.pdf(t) * 0.5 * (q.logpdf(t) - p.logpdf(t)) ** 2, -np.inf, np.inf)[0]
    x = p.rvs(size=400_000, random_state=np.random.default_rng(2))
    r = estimators.monte_carlo(p.logpdf(x), q.logpdf(x), estimator="k2")
    assert abs(r.estimate - target) < 4 * r.stderr
    assert abs(r.estimate - (math.log(2) - 0.25)) > 20 * r.stderr


def test_k3_terms_are_never_negative_and_k3_has_lower_variance_for_close_distributions():
    x = P.rvs(size=50_000, random_state=np.random.default_rng(3))
    close = stats.norm(0.1, 1)
    k1 = estimators.monte_carlo(P.logpdf(x), close.logpdf(x), estimator="k1")
    k3 = estimators.monte_carlo(P.logpdf(x), close.logpdf(x), estimator="k3")
    log_r = close.logpdf(x) - P.logpdf(x)
    assert np.all(np.expm1(log_r) - log_r >= 0)
    assert k3.stderr < k1.stderr / 5


def test_bits_and_infinite_divergence():
    x = P.rvs(size=1000, random_state=np.random.default_rng(4))
    nats = estimators.monte_carlo(P.logpdf(x), Q.logpdf(x))
    bits = estimators.monte_carlo(P.logpdf(x), Q.logpdf(x), base=2)
    assert bits.estimate == pytest.approx(nats.estimate / math.log(2), rel=1e-14)
    log_q = Q.logpdf(x)
    log_q[3] = -np.inf
    assert estimators.monte_carlo(P.logpdf(x), log_q).estimate == math.inf


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"log_p": [0.1], "log_q": [0.2]}, ValueError, "log_p: need at least 2 samples"),
        ({"log_p": [0.1, 0.2], "log_q": [0.2, 0.1, 0.3]}, ValueError, "one value per sample"),
        ({"log_p": [0.1, np.nan], "log_q": [0.2, 0.1]}, ValueError, "log_p: NaN at sample 1"),
        ({"log_p": [0.1, 0.2], "log_q": [0.2, 0.1], "estimator": "k4"}, ValueError, "estimator: must be"),
        (
            {"log_p": [0.1, 0.2], "log_q": [0.2, 0.1], "estimator": "k2", "samples_from": "q"},
            ValueError,
            "only defined",
        ),
        ({"log_p": [-np.inf, 0.2], "log_q": [0.2, 0.1]}, ValueError, "cannot have been drawn from p"),
        ({"log_p": ["a", "b"], "log_q": [0.2, 0.1]}, TypeError, "log_p: expected real numbers"),
    ],
)
def test_monte_carlo_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        estimators.monte_carlo(**kwargs)


@pytest.mark.parametrize("d", [1, 2, 5])
def test_knn_estimate_converges_on_gaussian_pairs(d):
    rng = np.random.default_rng(5)
    shift = np.zeros(d)
    shift[0] = 1.0  # true divergence |shift|^2 / 2 = 0.5
    estimates = [
        estimators.knn(rng.standard_normal((20_000, d)), rng.standard_normal((20_000, d)) + shift)
        for _ in range(5)
    ]
    # Bias shrinks with n but is visible in 5 dimensions at this n (about -0.04; see the computing chapter).
    assert abs(np.mean(estimates) - 0.5) < (0.02 if d < 5 else 0.08)
    assert np.std(estimates) < 0.05


def test_knn_is_invariant_under_a_common_scaling_and_shift():
    rng = np.random.default_rng(6)
    x, y = rng.standard_normal((2000, 3)), rng.standard_normal((1500, 3)) * 1.3 + 0.2
    base = estimators.knn(x, y, k=3)
    moved = estimators.knn(7.0 * x - 4.0, 7.0 * y - 4.0, k=3)
    assert moved == pytest.approx(base, rel=1e-12, abs=1e-12)


def test_knn_uses_the_bias_correction_for_unequal_sample_sizes():
    rng = np.random.default_rng(7)
    ests = [
        estimators.knn(rng.standard_normal((4000, 1)), rng.standard_normal((40_000, 1))) for _ in range(10)
    ]
    assert abs(np.mean(ests)) < 0.02  # P = Q: the log(m / (n - 1)) term removes the size mismatch


def test_knn_errors_are_clear():
    rng = np.random.default_rng(8)
    x, y = rng.standard_normal((50, 2)), rng.standard_normal((40, 2))
    with pytest.raises(ValueError, match="same dimension"):
        estimators.knn(x, rng.standard_normal((40, 3)))
    with pytest.raises(ValueError, match=r"k: needs k <= n - 1 = 49"):
        estimators.knn(x, y, k=50)
    with pytest.raises(ValueError, match=r"k: needs k <= m = 40"):
        estimators.knn(x, y, k=45)
    with pytest.raises(ValueError, match="k: must be a positive integer"):
        estimators.knn(x, y, k=0)
    duplicated = np.vstack([x, x[:1]])
    with pytest.raises(ValueError, match="x: sample 0 has 1 or more exact duplicates"):
        estimators.knn(duplicated, y)
    with pytest.raises(ValueError, match="coincides with a sample of y"):
        estimators.knn(x, np.vstack([y, x[5:6]]))
    with pytest.raises(ValueError, match="x: samples must be finite"):
        estimators.knn(np.vstack([x, [[np.nan, 0.0]]]), y)


def test_histogram_estimate_is_close_for_many_samples_and_moderate_bins():
    rng = np.random.default_rng(9)
    x, y = rng.standard_normal(400_000), rng.standard_normal(400_000) + 0.5
    # Far tails are left out: a y bin there would be empty and the estimate infinite.
    value = estimators.histogram(x, y, bins=60, range=[(-3.5, 4.0)])
    assert abs(value - TRUE_PQ) < 0.01


def test_histogram_without_smoothing_is_infinite_when_y_misses_a_bin_and_smoothing_is_opt_in():
    rng = np.random.default_rng(10)
    x, y = rng.standard_normal(200), rng.standard_normal(200) + 3
    assert estimators.histogram(x, y, bins=40) == math.inf
    smoothed = estimators.histogram(x, y, bins=40, pseudocount=0.5)
    assert math.isfinite(smoothed) and smoothed > 0
    with pytest.raises(ValueError, match="pseudocount: must be finite and >= 0"):
        estimators.histogram(x, y, pseudocount=-1)
