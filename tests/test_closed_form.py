"""kl.divergence against mpmath quadrature of the definition, torch, and Monte Carlo."""

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from reference import relative_error
from reference_distributions import kl_continuous, kl_discrete, kl_mvn
from scipy import stats

import kl

# (family_p, params_p, family_q, params_q); params as scipy keywords.
CONTINUOUS_CASES = [
    ("norm", {"loc": 0, "scale": 1}, "norm", {"loc": 1, "scale": 2}),
    ("norm", {"loc": 1, "scale": 2}, "norm", {"loc": 0, "scale": 1}),
    ("norm", {"loc": -3, "scale": 0.1}, "norm", {"loc": 5, "scale": 7}),
    ("norm", {"loc": 0, "scale": 1}, "norm", {"loc": 1e-8, "scale": 1}),
    ("norm", {"loc": 0, "scale": 1}, "norm", {"loc": 1e-8, "scale": 1 + 1e-9}),
    ("norm", {"loc": 2, "scale": 3}, "norm", {"loc": 2 + 1e-5, "scale": 3 - 1e-6}),
    ("expon", {"loc": 0, "scale": 1}, "expon", {"loc": 0, "scale": 2}),
    ("expon", {"loc": 1, "scale": 2}, "expon", {"loc": 0.5, "scale": 1}),
    ("expon", {"loc": 0, "scale": 1}, "expon", {"loc": 0, "scale": 1 + 1e-9}),
    ("gamma", {"a": 2, "loc": 0, "scale": 3}, "gamma", {"a": 2.5, "loc": 0, "scale": 2}),
    ("gamma", {"a": 0.5, "loc": 0, "scale": 1}, "gamma", {"a": 3, "loc": 0, "scale": 0.2}),
    ("gamma", {"a": 2, "loc": 0, "scale": 1}, "gamma", {"a": 2 + 1e-9, "loc": 0, "scale": 1}),
    ("gamma", {"a": 5, "loc": 0, "scale": 1}, "gamma", {"a": 5, "loc": 0, "scale": 1 + 1e-8}),
    ("gamma", {"a": 30, "loc": 0, "scale": 1}, "gamma", {"a": 30.001, "loc": 0, "scale": 0.9999}),
    ("beta", {"a": 2, "b": 3, "loc": 0, "scale": 1}, "beta", {"a": 2.5, "b": 1, "loc": 0, "scale": 1}),
    ("beta", {"a": 0.5, "b": 0.7, "loc": 0, "scale": 1}, "beta", {"a": 2, "b": 2, "loc": 0, "scale": 1}),
    (
        "beta",
        {"a": 2, "b": 3, "loc": 0, "scale": 1},
        "beta",
        {"a": 2 + 1e-9, "b": 3 - 1e-9, "loc": 0, "scale": 1},
    ),
    ("uniform", {"loc": 0, "scale": 1}, "uniform", {"loc": -1, "scale": 3}),
    ("uniform", {"loc": 0, "scale": 1}, "uniform", {"loc": 0, "scale": 1 + 1e-9}),
    ("laplace", {"loc": 0, "scale": 1}, "laplace", {"loc": 1, "scale": 2}),
    ("laplace", {"loc": 0, "scale": 1}, "laplace", {"loc": 1e-9, "scale": 1}),
    ("laplace", {"loc": 0, "scale": 1}, "laplace", {"loc": 0, "scale": 1 + 1e-9}),
    ("uniform", {"loc": 0, "scale": 1}, "norm", {"loc": 0, "scale": 1}),
    ("uniform", {"loc": -2, "scale": 3}, "norm", {"loc": 1, "scale": 0.5}),
    ("expon", {"loc": 0, "scale": 2}, "gamma", {"a": 1.5, "loc": 0, "scale": 1}),
    ("gamma", {"a": 1.5, "loc": 0, "scale": 1}, "expon", {"loc": 0, "scale": 2}),
]

DISCRETE_CASES = [
    ("bernoulli", {"p": 0.3}, "bernoulli", {"p": 0.6}),
    ("bernoulli", {"p": 0.3}, "bernoulli", {"p": 0.3 + 1e-9}),
    ("bernoulli", {"p": 1e-6}, "bernoulli", {"p": 0.5}),
    ("binom", {"n": 10, "p": 0.3}, "binom", {"n": 10, "p": 0.5}),
    ("binom", {"n": 10, "p": 0.3}, "binom", {"n": 10, "p": 0.3 + 1e-9}),
    ("poisson", {"mu": 3}, "poisson", {"mu": 4}),
    ("poisson", {"mu": 3}, "poisson", {"mu": 3 + 1e-8}),
    ("poisson", {"mu": 0.1}, "poisson", {"mu": 20}),
    ("geom", {"p": 0.3}, "geom", {"p": 0.5}),
    ("geom", {"p": 0.3}, "geom", {"p": 0.3 + 1e-9}),
]


def _frozen(family, params):
    return getattr(stats, family)(**params)


def _label(case):
    return f"{case[0]}{list(case[1].values())}||{case[2]}{list(case[3].values())}"


def _ours_and_reference(case, reference_function):
    family_p, params_p, family_q, params_q = case
    ours = kl.divergence(_frozen(family_p, params_p), _frozen(family_q, params_q), full_output=True)
    return ours, reference_function(family_p, params_p, family_q, params_q)


@pytest.mark.parametrize("case", CONTINUOUS_CASES, ids=_label)
def test_continuous_closed_form_matches_mpmath_quadrature(case):
    value, reference = _ours_and_reference(case, kl_continuous)
    assert value.method == "closed form"
    assert relative_error(value.value, reference) <= 1e-12


@pytest.mark.parametrize("case", DISCRETE_CASES, ids=_label)
def test_discrete_closed_form_matches_mpmath_summation(case):
    value, reference = _ours_and_reference(case, kl_discrete)
    assert value.method == "closed form"
    assert relative_error(value.value, reference) <= 1e-12


def _random_spd(rng, k, scale=1.0):
    a = rng.standard_normal((k, k))
    return scale * (a @ a.T + k * np.eye(k))


@pytest.mark.parametrize("delta", [None, 1e-3, 1e-6, 1e-9])
def test_multivariate_normal_matches_the_40_digit_formula(delta):
    rng = np.random.default_rng(3)
    for k in (1, 2, 5):
        mean_p, cov_p = rng.standard_normal(k), _random_spd(rng, k)
        if delta is None:
            mean_q, cov_q = rng.standard_normal(k), _random_spd(rng, k)
        else:
            mean_q = mean_p + delta * rng.standard_normal(k)
            perturbation = delta * rng.standard_normal((k, k))
            cov_q = cov_p + (perturbation + perturbation.T) / 2
        value = kl.divergence(
            stats.multivariate_normal(mean_p, cov_p), stats.multivariate_normal(mean_q, cov_q)
        )
        assert relative_error(value, kl_mvn(mean_p, cov_p, mean_q, cov_q)) <= 1e-12


def test_torch_loses_the_digits_we_keep_for_nearly_equal_normals():
    # Documented peer behaviour: torch's Normal-Normal formula cancels.
    p, q = torch.distributions.Normal(0.0, 1.0), torch.distributions.Normal(1e-8, 1.0)
    p64 = torch.distributions.Normal(
        torch.tensor(0.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64)
    )
    q64 = torch.distributions.Normal(
        torch.tensor(1e-8, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64)
    )
    assert torch.distributions.kl_divergence(p64, q64).item() == 0.0
    del p, q
    ours = kl.divergence(stats.norm(0, 1), stats.norm(1e-8, 1))
    reference = kl_continuous("norm", {"loc": 0, "scale": 1}, "norm", {"loc": 1e-8, "scale": 1})
    assert relative_error(ours, reference) <= 1e-15


def _t(value):
    return torch.tensor(value, dtype=torch.float64)


TORCH_PAIRS = {
    "normal": lambda r: (stats.norm(r[0], r[1]), torch.distributions.Normal(_t(r[0]), _t(r[1]))),
    "exponential": lambda r: (stats.expon(scale=r[1]), torch.distributions.Exponential(_t(1 / r[1]))),
    "gamma": lambda r: (stats.gamma(r[1], scale=r[2]), torch.distributions.Gamma(_t(r[1]), _t(1 / r[2]))),
    "beta": lambda r: (stats.beta(r[1], r[2]), torch.distributions.Beta(_t(r[1]), _t(r[2]))),
    "laplace": lambda r: (stats.laplace(r[0], r[1]), torch.distributions.Laplace(_t(r[0]), _t(r[1]))),
    "poisson": lambda r: (stats.poisson(r[1]), torch.distributions.Poisson(_t(r[1]))),
    "bernoulli": lambda r: (stats.bernoulli(r[3]), torch.distributions.Bernoulli(probs=_t(r[3]))),
    "binomial": lambda r: (stats.binom(7, r[3]), torch.distributions.Binomial(7, probs=_t(r[3]))),
    # torch counts failures (support 0, 1, ...), scipy trials (1, 2, ...): a shift, same KL.
    "geometric": lambda r: (stats.geom(r[3]), torch.distributions.Geometric(probs=_t(r[3]))),
    "uniform-normal": lambda r: (
        stats.uniform(r[0], r[1]),
        torch.distributions.Uniform(_t(r[0]), _t(r[0] + r[1])),
    ),
}


@pytest.mark.parametrize("name", list(TORCH_PAIRS))
def test_agrees_with_torch_distributions_on_random_parameters(name):
    rng = np.random.default_rng(4)
    make = TORCH_PAIRS[name]
    for _ in range(20):
        r_p = [
            float(rng.normal()),
            float(rng.exponential()) + 0.1,
            float(rng.exponential()) + 0.1,
            float(rng.uniform(0.05, 0.95)),
        ]
        r_q = [
            float(rng.normal()),
            float(rng.exponential()) + 0.1,
            float(rng.exponential()) + 0.1,
            float(rng.uniform(0.05, 0.95)),
        ]
        (sp, tp), (sq, tq) = make(r_p), make(r_q)
        if name == "uniform-normal":
            sq, tq = stats.norm(r_q[0], r_q[1]), torch.distributions.Normal(_t(r_q[0]), _t(r_q[1]))
        expected = torch.distributions.kl_divergence(tp, tq).item()
        # torch's formulas cancel for close parameters; these are far apart, where it is accurate.
        assert kl.divergence(sp, sq) == pytest.approx(expected, rel=1e-11, abs=1e-14)


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (stats.norm(0.3, 1.2), stats.norm(-0.5, 0.8)),
        (stats.gamma(2.0, scale=1.5), stats.gamma(3.0, scale=0.7)),
        (stats.laplace(0.0, 1.0), stats.laplace(0.5, 1.5)),
        (stats.poisson(4.0), stats.poisson(6.0)),
    ],
)
def test_monte_carlo_mean_of_log_ratio_agrees_within_five_standard_errors(p, q):
    samples = p.rvs(size=200_000, random_state=np.random.default_rng(5))
    log_ratio = (
        (p.logpmf(samples) - q.logpmf(samples))
        if hasattr(p, "pmf")
        else (p.logpdf(samples) - q.logpdf(samples))
    )
    estimate, stderr = log_ratio.mean(), log_ratio.std(ddof=1) / math.sqrt(samples.size)
    assert abs(kl.divergence(p, q) - estimate) < 5 * stderr


def test_array_parameters_broadcast_to_an_array_of_divergences():
    loc = np.array([0.0, 1.0, 2.0])
    values = kl.divergence(stats.norm(loc, 1.0), stats.norm(0.0, np.array([[1.0], [2.0]])))
    assert values.shape == (2, 3)
    for i, scale in enumerate([1.0, 2.0]):
        for j, m in enumerate(loc):
            assert values[i, j] == kl.divergence(stats.norm(m, 1.0), stats.norm(0.0, scale))


def test_support_mismatch_gives_inf_never_nan():
    assert kl.divergence(stats.norm(0, 1), stats.uniform(0, 1)) == math.inf
    assert kl.divergence(stats.uniform(0, 2), stats.uniform(0.5, 1)) == math.inf
    assert kl.divergence(stats.expon(0, 1), stats.expon(1, 1)) == math.inf
    assert kl.divergence(stats.bernoulli(0.5), stats.bernoulli(1.0)) == math.inf
    assert kl.divergence(stats.poisson(2), stats.poisson(0)) == math.inf
    assert kl.divergence(stats.poisson(3), stats.geom(0.3)) == math.inf  # P has mass at 0, Q starts at 1


def test_numerical_fallback_for_an_unregistered_pair_reports_its_error():
    result = kl.divergence(stats.t(5), stats.norm(0, 1), full_output=True)
    assert result.method == "quadrature"
    assert 0 < result.error < 1e-9
    # Independent check: Monte Carlo with its standard error.
    samples = stats.t(5).rvs(size=400_000, random_state=np.random.default_rng(6))
    log_ratio = stats.t(5).logpdf(samples) - stats.norm.logpdf(samples)
    assert abs(result.value - log_ratio.mean()) < 5 * log_ratio.std() / math.sqrt(samples.size)


FALLBACK_CASES = [
    # different loc: outside the gamma closed form's assumptions
    ("gamma", {"a": 2, "loc": 1, "scale": 3}, "gamma", {"a": 2.5, "loc": 0, "scale": 2}),
    ("norm", {"loc": 0.5, "scale": 2}, "laplace", {"loc": 0, "scale": 1}),
    ("beta", {"a": 2, "b": 3, "loc": 0, "scale": 1}, "uniform", {"loc": 0, "scale": 1}),
    ("laplace", {"loc": 0, "scale": 1}, "norm", {"loc": 1, "scale": 2}),
]


@pytest.mark.parametrize("case", FALLBACK_CASES, ids=_label)
def test_numerical_fallback_matches_mpmath(case):
    result, reference = _ours_and_reference(case, kl_continuous)
    assert result.method == "quadrature"
    assert relative_error(result.value, reference) <= 1e-10
    assert abs(result.value - float(reference)) <= max(result.error, 1e-15) * 10


def test_discrete_fallback_sums_and_agrees_with_the_closed_form():
    from kl import _frozen
    from kl.numerical import numerical_divergence

    for p, q in [(stats.poisson(3), stats.poisson(4.5)), (stats.binom(8, 0.2), stats.binom(8, 0.6))]:
        closed = kl.divergence(p, q)
        summed = numerical_divergence(_frozen.read(p, "p"), _frozen.read(q, "q"))
        assert summed.method == "summation"
        assert relative_error(summed.value, closed) <= 1e-12
    different_n = kl.divergence(stats.binom(5, 0.3), stats.binom(6, 0.3), full_output=True)
    reference = kl_discrete("binom", {"n": 5, "p": 0.3}, "binom", {"n": 6, "p": 0.3})
    assert different_n.method == "summation" and relative_error(different_n.value, reference) <= 1e-12


def test_heavy_tailed_p_against_a_normal_q_raises_instead_of_guessing():
    with pytest.raises(ValueError, match="did not converge.*may be infinite"):
        kl.divergence(stats.cauchy(), stats.norm())


def test_errors_name_the_argument():
    with pytest.raises(TypeError, match="p: expected a frozen scipy.stats distribution"):
        kl.divergence(stats.norm, stats.norm(0, 1))
    with pytest.raises(ValueError, match=r"q: invalid parameters for scipy.stats.norm"):
        kl.divergence(stats.norm(0, 1), stats.norm(0, -1))
    with pytest.raises(NotImplementedError, match="no closed form"):
        kl.divergence(stats.t(5), stats.norm(0, 1), numerical=False)
    with pytest.raises(NotImplementedError, match="more than one dimension"):
        kl.divergence(stats.multivariate_normal([0, 0]), stats.multivariate_t([0, 0]))


def test_bits_divide_by_log_two():
    nats = kl.divergence(stats.norm(0, 1), stats.norm(1, 2))
    assert kl.divergence(stats.norm(0, 1), stats.norm(1, 2), base=2) == pytest.approx(
        nats / math.log(2), rel=1e-15
    )


finite = st.floats(-50, 50)
positive = st.floats(1e-3, 50)


@given(finite, positive, finite, positive)
def test_normal_divergence_is_non_negative_and_zero_only_for_equal_parameters(m1, s1, m2, s2):
    value = kl.divergence(stats.norm(m1, s1), stats.norm(m2, s2))
    assert value >= 0
    if m1 == m2 and s1 == s2:
        assert value == 0
    elif abs(m1 - m2) / s2 > 1e-150 or abs(s1 - s2) / s2 > 1e-150:
        assert value > 0  # otherwise the true value (~ difference^2) underflows


@given(finite, positive, finite, positive, st.floats(-10, 10).filter(lambda a: abs(a) > 1e-3), finite)
def test_normal_divergence_is_invariant_under_a_common_affine_map(m1, s1, m2, s2, a, b):
    m1_new, m2_new = a * m1 + b, a * m2 + b
    # Floating point can round the map itself (1e-45 + 1 == 1): test only maps that
    # keep the difference of the means to 1e-12, which the divergence depends on.
    assume(abs((m1_new - m2_new) - a * (m1 - m2)) <= 1e-12 * abs(a * (m1 - m2)))
    before = kl.divergence(stats.norm(m1, s1), stats.norm(m2, s2))
    after = kl.divergence(stats.norm(m1_new, abs(a) * s1), stats.norm(m2_new, abs(a) * s2))
    assert after == pytest.approx(before, rel=1e-9, abs=1e-300)


@given(st.floats(0.05, 20), positive, st.floats(0.05, 20), positive)
def test_gamma_divergence_is_non_negative(a1, s1, a2, s2):
    assert kl.divergence(stats.gamma(a1, scale=s1), stats.gamma(a2, scale=s2)) >= 0
