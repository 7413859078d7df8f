"""Non-negative building blocks of closed-form divergences, accurate near zero.

Each closed form of :mod:`kl.closed_form` is written as a sum of these terms,
each >= 0 and each evaluated without cancellation when its argument is small.
A textbook formula such as ``log(s2/s1) + (s1**2 + d**2) / (2 s2**2) - 1/2`` adds
terms of size 1 to get a result of size ``delta**2``, and so loses every digit
when the two distributions are nearly equal; these do not.

All functions take and return NumPy arrays (or scalars) elementwise.
"""

from __future__ import annotations

import array_api_compat
import numpy as np
from scipy import special

from . import _elementwise as _ew

_NUMPY = array_api_compat.array_namespace(np.empty(0))

# Below this |argument| the power series is used (18 terms reach 1e-18 of the
# leading term); above it the direct formula loses at most ~1.5 of 16 digits.
_SMALL = 0.1
_TERMS = 18


def _where_small(x, small, series, direct):
    """series(x) where ``small``, direct(x) elsewhere, evaluating each only where needed."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    if np.any(small):
        out[small] = series(x[small])
    if not np.all(small):
        out[~small] = direct(x[~small])
    return out[()] if out.ndim == 0 else out


def phi1p(eps):
    """phi(1 + eps) with phi(r) = r log r - r + 1 >= 0, i.e. (1+eps) log1p(eps) - eps.

    ``eps = -1`` gives 1 (0 log 0 = 0); ``eps = inf`` gives inf.
    """
    eps = np.asarray(eps, dtype=float)

    def series(e):
        # e^2 sum_{k>=0} (-e)^k / ((k+1)(k+2)), by Horner's rule.
        acc = np.full_like(e, 1.0 / (_TERMS * (_TERMS + 1)))
        for k in range(_TERMS - 2, -1, -1):
            acc = 1.0 / ((k + 1) * (k + 2)) - e * acc
        return e * e * acc

    def direct(e):
        with np.errstate(invalid="ignore", divide="ignore"):
            value = special.xlog1py(1 + e, e) - e
        return np.where(np.isinf(e), np.inf, value)

    return _where_small(eps, np.abs(eps) < _SMALL, series, direct)


def x_minus_log1p(eps):
    """eps - log1p(eps) = psi(1 + eps) with psi(r) = r - 1 - log r >= 0."""

    def series(e):
        # sum_{k>=2} (-1)^k e^k / k = e^2 (1/2 - e/3 + e^2/4 - ...), by Horner's rule.
        acc = np.full_like(e, 1.0 / (_TERMS + 2))
        for k in range(_TERMS + 1, 1, -1):
            acc = 1.0 / k - e * acc
        return e * e * acc

    def direct(e):
        with np.errstate(divide="ignore"):
            return e - np.log1p(e)

    eps = np.asarray(eps, dtype=float)
    return _where_small(eps, np.abs(eps) < _SMALL, series, direct)


def expm1_minus_x(x):
    """expm1(x) - x >= 0 (= x^2/2 + x^3/6 + ...), elementwise on NumPy input."""
    value = _ew.expm1_minus_x(np.asarray(x, dtype=float), _NUMPY)
    return value[()] if value.ndim == 0 else value


def ratio_minus_one(a, b):
    """(a - b) / b, accurate when a and b are close (the difference is exact then)."""
    return (np.asarray(a, dtype=float) - b) / b


def gammaln_bregman(a_new, a):
    """lnGamma(a_new) - lnGamma(a) - (a_new - a) digamma(a) >= 0 (lnGamma is convex on a > 0).

    For |a_new - a| < a/4 a Taylor series in polygamma functions is used; its
    terms shrink like ((a_new - a)/a)^k, so 40 terms reach 1e-24.
    """
    a_new, a = np.broadcast_arrays(np.asarray(a_new, dtype=float), np.asarray(a, dtype=float))
    d = a_new - a
    small = np.abs(d) < 0.25 * a
    out = np.empty_like(d)
    if np.any(small):
        ds, base = d[small], a[small]
        total = np.zeros_like(ds)
        power = ds * ds / 2.0  # d^k / k!, starting at k = 2
        for k in range(2, 42):
            total += special.polygamma(k - 1, base) * power
            power = power * ds / (k + 1)
        out[small] = total
    if not np.all(small):
        big = ~small
        out[big] = special.gammaln(a_new[big]) - special.gammaln(a[big]) - d[big] * special.digamma(a[big])
    return out[()] if out.ndim == 0 else out
