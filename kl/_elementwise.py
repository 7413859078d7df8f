"""Elementwise kernels behind :mod:`kl.discrete`, written once for every array namespace.

The relative-entropy kernel evaluates each outcome's contribution in the form

.. math::

    t_i = p_i \\log\\frac{p_i}{q_i} - p_i + q_i = q_i\\,\\varphi\\!\\left(\\frac{p_i}{q_i}\\right),
    \\qquad \\varphi(r) = r\\log r - r + 1 \\ge 0 .

For probability vectors :math:`\\sum_i t_i = D(P\\,\\|\\,Q)`, but every term is
non-negative, so the sum has no cancellation, and the result does not move when
the inputs' sums are off by rounding (the :math:`-p_i + q_i` terms absorb it).
Near :math:`p_i = q_i` the expression :math:`r\\log r - r + 1` cancels
catastrophically, so there we use the series
:math:`\\varphi(1+\\varepsilon) = \\varepsilon^2 \\sum_{k\\ge 0} (-\\varepsilon)^k / ((k+1)(k+2))`.
"""

from __future__ import annotations

import math

import array_api_compat

#: Below this |p/q - 1| the series is used.  Above it, r log r - r + 1 loses at
#: most log10(2/0.01) ~ 2.3 of the 16 digits (relative error < 1e-14).
NEAR = 0.01
# The same test in log space: |log r| < 0.0099 implies |r - 1| < NEAR.
_NEAR_LOG = 0.0099
# Coefficients (-1)^k / ((k+1)(k+2)); nine terms leave a truncation error below
# 0.01^9 / 110 ~ 1e-20 relative to the leading term at |eps| = NEAR.
_SERIES = tuple((-1) ** k / ((k + 1) * (k + 2)) for k in range(9))


def _phi_near_one(eps):
    """phi(1 + eps) / eps**2 for |eps| small, by Horner's rule."""
    acc = _SERIES[-1] + 0 * eps
    for c in reversed(_SERIES[:-1]):
        acc = c + eps * acc
    return acc


def _xlogy(x, y, xp):
    """x * log(y) with 0 * log(anything) = 0, safe for autograd."""
    positive = x > 0
    usable = positive & (y > 0)
    value = xp.where(usable, x * xp.log(xp.where(usable, y, 1)), 0)
    # log 0 = -inf, set explicitly so that no backend warns about it.
    return xp.where(positive & (y == 0), -xp.inf, value)


def relative_entropy_terms(p, q, xp):
    """Return ``q * phi(p / q)`` elementwise (``+inf`` where ``q == 0 < p``)."""
    diff = p - q
    # |p/q - 1| < NEAR, tested without dividing (a subnormal q cannot overflow);
    # it implies q > 0.
    near = xp.abs(diff) < NEAR * q
    if bool(xp.all(near)):
        return _series_terms(diff / q, q)
    far = _far_terms(p, q, diff, xp)
    if not bool(xp.any(near)):
        return far
    if array_api_compat.is_numpy_namespace(xp):
        # Typically few entries are near: evaluate the series on those alone.
        near_q = xp.broadcast_to(q, far.shape)[near]
        far[near] = _series_terms(diff[near] / near_q, near_q)
        return far
    eps = xp.where(near, diff, 0) / xp.where(near, q, 1)
    return xp.where(near, _series_terms(eps, q), far)


def _series_terms(eps, q):
    """q * phi(1 + eps) for |eps| < NEAR."""
    return q * (eps * eps) * _phi_near_one(eps)


def _far_terms(p, q, diff, xp):
    """p log(p/q) - p + q where p/q is not close to 1 (cancellation is mild there)."""
    if array_api_compat.is_numpy_namespace(xp):
        from scipy.special import rel_entr

        # rel_entr is one C loop with the right conventions at 0 and inf, and it
        # avoids the overflow of p / q for subnormal q (scipy's kl_div does not).
        return rel_entr(p, q) - diff
    p_positive, q_positive = p > 0, q > 0
    q_safe = xp.where(q_positive, q, 1)
    log_ratio = xp.log(xp.where(p_positive, p, 1) / q_safe)
    overflow = xp.isinf(log_ratio) & p_positive & q_positive
    if bool(xp.any(overflow)):
        log_ratio = xp.where(overflow, xp.log(xp.where(p_positive, p, 1)) - xp.log(q_safe), log_ratio)
    far = xp.where(p_positive, p * log_ratio, 0) - diff
    return xp.where(q_positive | ~p_positive, far, xp.inf)


def jensen_shannon_terms(p, q, xp):
    """Twice the Jensen–Shannon terms: ``t(p, m) + t(q, m)`` with ``m = (p + q)/2``."""
    m = (p + q) / 2
    return relative_entropy_terms(p, m, xp) + relative_entropy_terms(q, m, xp)


def relative_entropy_terms_from_logs(log_p, log_q, xp):
    """``q * phi(p / q)`` from normalised log-probabilities (``-inf`` allowed)."""
    p = xp.exp(log_p)
    q = xp.exp(log_q)
    p_positive = xp.isfinite(log_p)
    q_positive = xp.isfinite(log_q)
    both = p_positive & q_positive
    log_ratio = xp.where(both, log_p, 0) - xp.where(both, log_q, 0)
    # expm1 only ever sees small arguments, so saturated logits do not overflow.
    near = both & (xp.abs(log_ratio) < _NEAR_LOG)
    eps = xp.expm1(xp.where(near, log_ratio, 0))
    far = xp.where(both, p * log_ratio, 0) - p + q
    far = xp.where(q_positive | ~p_positive, far, xp.inf)
    if not bool(xp.any(near)):
        return far
    return xp.where(near, _series_terms(eps, q), far)


def expm1_minus_x(x, xp):
    """expm1(x) - x >= 0, with a power series for |x| < 0.1 where the subtraction cancels.

    Both branches see only safe arguments, so gradients stay finite under autograd.
    """
    small = xp.abs(x) < 0.1
    t = xp.where(small, x, 0)
    # sum_{k>=2} t^k / k! = t^2 (1/2! + t/3! + ...); 13 terms reach 1e-18 at |t| = 0.1.
    acc = 1.0 / math.factorial(14) + 0 * t
    for k in range(13, 1, -1):
        acc = 1.0 / math.factorial(k) + t * acc
    u = xp.where(small, 0, x)
    return xp.where(small, t * t * acc, xp.expm1(u) - u)


def entropy_terms(p, xp):
    """``-p log p`` with ``0 log 0 = 0``."""
    return -_xlogy(p, p, xp)


def cross_entropy_terms(p, q, xp):
    """``-p log q`` with ``0 log q = 0`` and ``+inf`` where ``q == 0 < p``."""
    return -_xlogy(p, q, xp)


def log_softmax(x, xp):
    """Normalise logits along the last axis: ``x - logsumexp(x)``, accurately.

    With ``m = max(x)`` at index ``j`` and ``s = sum_{i != j} exp(x_i - m)``,
    ``log p_i = (x_i - m) - log1p(s)``.  Keeping the largest term out of ``s``
    matters: for a nearly certain outcome, ``log p_j = -log1p(s)`` is a tiny
    negative number that ``log(1 + s)`` would round to 0.  Rows hold at least
    one finite entry (checked by the caller).
    """
    top = xp.argmax(x, axis=-1, keepdims=True)
    positions = xp.arange(x.shape[-1], device=array_api_compat.device(x))
    is_top = positions == top
    shift = xp.max(x, axis=-1, keepdims=True)
    shifted = x - shift
    rest = xp.sum(xp.where(is_top, 0, xp.exp(shifted)), axis=-1, keepdims=True)
    return xp.where(is_top, 0, shifted) - xp.log1p(rest)
