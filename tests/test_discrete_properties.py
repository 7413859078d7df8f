"""Laws of entropy, cross-entropy, KL and JS, checked on hypothesis-generated distributions."""

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import kl


@st.composite
def distributions(draw, n=None, allow_zeros=True):
    """Probability vectors of n outcomes, with exact zeros allowed."""
    n = draw(st.integers(2, 12)) if n is None else n
    low = 0.0 if allow_zeros else 1e-6
    weights = draw(arrays(np.float64, n, elements=st.floats(low, 1.0)))
    assume(weights.sum() > 0)
    return weights / weights.sum()


@st.composite
def pairs(draw, allow_zeros=True):
    n = draw(st.integers(2, 12))
    return draw(distributions(n, allow_zeros)), draw(distributions(n, allow_zeros))


@given(pairs())
def test_kl_is_non_negative_and_never_nan(pq):
    p, q = pq
    value = kl.kl_divergence(p, q)
    assert not math.isnan(value)
    assert value >= 0


@given(distributions())
def test_kl_of_a_distribution_with_itself_is_exactly_zero(p):
    assert kl.kl_divergence(p, p) == 0.0


@given(pairs(allow_zeros=False))
def test_kl_is_positive_when_the_distributions_differ(pq):
    p, q = pq
    assume(np.max(np.abs(p - q)) > 1e-6)
    assert kl.kl_divergence(p, q) > 0


@given(pairs())
def test_kl_is_infinite_exactly_when_p_has_mass_where_q_has_none(pq):
    p, q = pq
    value = kl.kl_divergence(p, q)
    mismatch = bool(np.any((p > 0) & (q == 0)))
    assert math.isinf(value) == mismatch


@given(pairs())
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    h_pq = kl.cross_entropy(p, q)
    total = kl.entropy(p) + kl.kl_divergence(p, q)
    if math.isinf(h_pq):
        assert math.isinf(total)
    else:
        assert math.isclose(h_pq, total, rel_tol=1e-12, abs_tol=1e-14)


@given(pairs())
def test_js_is_symmetric_and_between_zero_and_log_two(pq):
    p, q = pq
    forward, backward = kl.js_divergence(p, q), kl.js_divergence(q, p)
    assert forward == backward
    assert 0 <= forward <= math.log(2) * (1 + 1e-15)


@given(distributions(allow_zeros=False), distributions(allow_zeros=False))
def test_js_is_log_two_for_disjoint_supports(a, b):
    p = np.concatenate([a, np.zeros_like(b)])
    q = np.concatenate([np.zeros_like(a), b])
    assert math.isclose(kl.js_divergence(p, q), math.log(2), rel_tol=1e-15)


@given(pairs(), st.sampled_from([2, 10, math.e, 0.5, 3.7]))
def test_changing_base_divides_by_the_log_of_the_base(pq, base):
    p, q = pq
    nats = kl.kl_divergence(p, q)
    assume(math.isfinite(nats))
    assert math.isclose(kl.kl_divergence(p, q, base=base), nats / math.log(base), rel_tol=1e-14, abs_tol=0)
    assert math.isclose(kl.entropy(p, base=base), kl.entropy(p) / math.log(base), rel_tol=1e-14)


@given(pairs(allow_zeros=False), pairs(allow_zeros=False))
def test_kl_is_additive_over_independent_products(pq1, pq2):
    (p1, q1), (p2, q2) = pq1, pq2
    joint_p, joint_q = np.outer(p1, p2).ravel(), np.outer(q1, q2).ravel()
    expected = kl.kl_divergence(p1, q1) + kl.kl_divergence(p2, q2)
    assert math.isclose(kl.kl_divergence(joint_p, joint_q), expected, rel_tol=1e-10, abs_tol=1e-15)


@given(pairs(allow_zeros=False))
def test_logits_form_agrees_with_probability_form(pq):
    p, q = pq
    from_logs = kl.kl_divergence_from_logits(np.log(p), np.log(q))
    assert math.isclose(from_logs, kl.kl_divergence(p, q), rel_tol=1e-9, abs_tol=1e-15)


@given(st.integers(1, 5), st.integers(2, 6), st.data())
def test_batched_call_equals_one_call_per_row_along_any_axis(rows, n, data):
    ps = np.stack([data.draw(distributions(n)) for _ in range(rows)])
    qs = np.stack([data.draw(distributions(n)) for _ in range(rows)])
    batched = kl.kl_divergence(ps, qs)
    transposed = kl.kl_divergence(ps.T, qs.T, axis=0)
    for i in range(rows):
        assert batched[i] == kl.kl_divergence(ps[i], qs[i])
        assert transposed[i] == batched[i]
