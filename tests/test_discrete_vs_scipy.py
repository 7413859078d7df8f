"""Agreement with scipy where scipy is right, and the places where it is not."""

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats
from scipy.spatial.distance import jensenshannon

import kl


def _pairs(count, seed):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(2, 30))
        yield rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))


def test_kl_agrees_with_scipy_on_well_separated_pairs():
    for p, q in _pairs(200, 0):
        assert kl.kl_divergence(p, q) == pytest.approx(scipy.stats.entropy(p, q), rel=1e-13)
        assert kl.kl_divergence(p, q) == pytest.approx(scipy.special.rel_entr(p, q).sum(), rel=1e-13)
        assert kl.kl_divergence(p, q, base=2) == pytest.approx(scipy.stats.entropy(p, q, base=2), rel=1e-13)


def test_entropy_agrees_with_scipy():
    for p, _ in _pairs(100, 1):
        assert kl.entropy(p) == pytest.approx(scipy.stats.entropy(p), rel=1e-13)


def test_js_divergence_is_the_square_of_scipys_jensen_shannon_distance():
    for p, q in _pairs(100, 2):
        assert kl.js_divergence(p, q) == pytest.approx(jensenshannon(p, q) ** 2, rel=1e-10)
        assert kl.js_divergence(p, q, base=2) == pytest.approx(jensenshannon(p, q, base=2) ** 2, rel=1e-10)


def test_scipy_entropy_normalises_silently_where_kl_refuses():
    assert scipy.stats.entropy([0.5, 0.5], [0.3, 0.3]) == 0.0
    with pytest.raises(ValueError, match="q: probabilities must sum to 1"):
        kl.kl_divergence([0.5, 0.5], [0.3, 0.3])


def test_scipy_kl_div_overflows_for_subnormal_q_where_kl_does_not():
    p, q = np.array([0.5, 0.5]), np.array([1e-310, 1.0])
    assert math.isinf(scipy.special.kl_div(p, q).sum())
    assert math.isfinite(kl.kl_divergence(p, q))
