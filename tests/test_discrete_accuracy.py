"""kl.discrete against mpmath at 50 digits: relative error bounds from the foundation issue."""

import math

import numpy as np
import pytest
from reference import cross_entropy_mp, entropy_mp, js_mp, kl_logits_mp, kl_mp, relative_error

import kl

RNG_SEED = 20261121


def _random_pairs(count, rng):
    for _ in range(count):
        n = int(rng.integers(2, 60))
        # Dirichlet with small concentration gives entries spanning many decades.
        alpha = float(rng.choice([0.1, 0.5, 1.0, 5.0]))
        p = rng.dirichlet(np.full(n, alpha))
        q = rng.dirichlet(np.full(n, alpha))
        # Dirichlet draws can underflow to exact zeros; keep q positive where p is.
        q = np.where((q == 0) & (p > 0), 1e-300, q)
        yield p / p.sum(), q / q.sum()


def test_kl_matches_mpmath_to_1e12_on_random_pairs():
    rng = np.random.default_rng(RNG_SEED)
    worst = 0.0
    for p, q in _random_pairs(300, rng):
        worst = max(worst, relative_error(kl.kl_divergence(p, q), kl_mp(p, q)))
    assert worst <= 1e-12, worst


@pytest.mark.parametrize("delta", [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8])
def test_kl_keeps_relative_accuracy_for_nearly_equal_distributions(delta):
    # q = p (1 + delta u), renormalised: the first-order terms of sum p log(p/q)
    # cancel and the divergence is of order delta^2.
    rng = np.random.default_rng(RNG_SEED)
    worst = 0.0
    for _ in range(50):
        n = int(rng.integers(2, 50))
        p = rng.dirichlet(np.ones(n))
        q = p * (1 + delta * rng.uniform(-1, 1, n))
        q = q / q.sum()
        reference = kl_mp(p, q)
        assert 0 < reference < delta**2
        worst = max(worst, relative_error(kl.kl_divergence(p, q), reference))
    assert worst <= 1e-9, worst


def test_entropy_cross_entropy_and_js_match_mpmath():
    rng = np.random.default_rng(RNG_SEED + 1)
    for p, q in _random_pairs(100, rng):
        assert relative_error(kl.entropy(p), entropy_mp(p)) <= 1e-12
        assert relative_error(kl.cross_entropy(p, q), cross_entropy_mp(p, q)) <= 1e-12
        assert relative_error(kl.js_divergence(p, q), js_mp(p, q)) <= 1e-12


@pytest.mark.parametrize("delta", [1e-3, 1e-5, 1e-7])
def test_js_keeps_relative_accuracy_for_nearly_equal_distributions(delta):
    rng = np.random.default_rng(RNG_SEED + 2)
    for _ in range(20):
        p = rng.dirichlet(np.ones(8))
        q = p * (1 + delta * rng.uniform(-1, 1, 8))
        q = q / q.sum()
        assert relative_error(kl.js_divergence(p, q), js_mp(p, q)) <= 1e-9


def test_logits_entry_point_matches_mpmath_including_saturated_logits():
    rng = np.random.default_rng(RNG_SEED + 3)
    for scale in [1.0, 10.0, 100.0, 1000.0]:
        for _ in range(30):
            n = int(rng.integers(2, 20))
            zp = scale * rng.standard_normal(n)
            zq = scale * rng.standard_normal(n)
            reference = kl_logits_mp(zp, zq)
            value = kl.kl_divergence_from_logits(zp, zq)
            assert math.isfinite(value)
            assert relative_error(value, reference) <= 1e-12, (scale, zp, zq)


def test_logits_entry_point_is_accurate_for_nearly_equal_logits():
    rng = np.random.default_rng(RNG_SEED + 4)
    for delta in [1e-3, 1e-5, 1e-7]:
        for _ in range(20):
            zp = rng.standard_normal(10)
            zq = zp + delta * rng.uniform(-1, 1, 10)
            assert relative_error(kl.kl_divergence_from_logits(zp, zq), kl_logits_mp(zp, zq)) <= 1e-8


def test_subnormal_q_gives_the_finite_value_not_an_overflow():
    # p/q overflows for q = 1e-310 (scipy.special.kl_div returns inf here);
    # the true value is finite.
    p, q = np.array([0.5, 0.5]), np.array([1e-310, 1.0])
    reference = kl_mp(p, q)
    assert relative_error(kl.kl_divergence(p, q), reference) <= 1e-12


def test_base_two_gives_bits():
    p, q = [0.5, 0.5], [0.3, 0.7]
    bits = kl_mp(p, q) / math.log(2)
    assert relative_error(kl.kl_divergence(p, q, base=2), bits) <= 1e-14
    assert relative_error(kl.entropy([0.25] * 4, base=2), 2.0) == 0.0
