r"""Numerical Kullback–Leibler divergence between scipy.stats distributions.

The fallback of :func:`kl.divergence` where no closed form applies. It
integrates (continuous, one-dimensional) or sums (discrete) the non-negative form

.. math::

    D(P\,\|\,Q) = \int_{\operatorname{supp} P} \Bigl(p \log\frac{p}{q} - p + q\Bigr)
                  + Q\bigl(\mathcal{X} \setminus \operatorname{supp} P\bigr),

whose integrand is :math:`q\,\varphi(p/q) \ge 0`: there is no cancellation
between regions, and the quadrature error estimate is meaningful. A result whose
error estimate is not small, or an integration that scipy flags as not
converged, raises ``ValueError`` instead of returning a number that may be wrong
(a heavy-tailed ``p`` against a light-tailed ``q`` often has an infinite
divergence that no quadrature can confirm).
"""

from __future__ import annotations

import math
import warnings

import array_api_compat
import numpy as np
from scipy import integrate

from ._elementwise import relative_entropy_terms_from_logs
from ._result import Divergence, scalar_or_array
from ._special import phi1p

__all__ = ["numerical_divergence"]

#: Accepted relative size of the error estimate.
RTOL = 1e-8
_TAIL = 1e-17  # probability left out of a discrete sum
_MAX_TERMS = 10_000_000


def numerical_divergence(fp, fq):
    """Divergence of two read frozen distributions (see :mod:`kl._frozen`), broadcasting."""
    if fp.multivariate or fq.multivariate:
        raise NotImplementedError(
            f"no closed form for ({fp.family}, {fq.family}) and no numerical fallback in more than one dimension"
        )
    if fp.discrete != fq.discrete:
        # A discrete P has atoms, which a density Q gives probability zero; a
        # continuous P gives probability 1 to sets where a discrete Q has none.
        shape = np.broadcast_shapes(fp.shape, fq.shape)
        return Divergence(
            scalar_or_array(np.full(shape, np.inf)), scalar_or_array(np.zeros(shape)), "summation"
        )
    shape = np.broadcast_shapes(fp.shape, fq.shape)
    values, errors = np.empty(shape), np.empty(shape)
    method = "summation" if fp.discrete else "quadrature"
    for index in np.ndindex(shape):
        p_dist, q_dist = _element(fp, index, shape), _element(fq, index, shape)
        values[index], errors[index] = (_sum if fp.discrete else _integrate)(p_dist, q_dist)
    return Divergence(scalar_or_array(values), scalar_or_array(errors), method)


def _element(frozen, index, shape):
    """The scalar frozen distribution at ``index`` of the broadcast parameters."""
    params = {k: np.broadcast_to(v, shape)[index] for k, v in frozen.params.items()}
    return frozen.dist.dist(**{k: float(v) for k, v in params.items()})


def _integrate(p, q):
    a, b = (float(x) for x in p.support())
    qa, qb = (float(x) for x in q.support())
    if a < qa or b > qb:
        return math.inf, 0.0
    # Q's mass outside P's support enters through the "+ q" term.
    outside = float(q.cdf(a) + q.sf(b))

    def integrand(x):
        log_p, log_q = float(p.logpdf(x)), float(q.logpdf(x))
        if math.exp(log_p) == 0.0:
            # Far in P's tail: p (log p - log q) is below the smallest double even
            # when scipy's log q underflows to -inf there (it does for laplace).
            return math.exp(log_q)
        if log_q == -math.inf:
            if qa <= x <= qb:
                raise ValueError(
                    f"q: log-density underflows to -inf at x = {x:g} inside its support, where p "
                    "has mass; the divergence cannot be integrated numerically"
                )
            return math.inf
        d = log_p - log_q
        if d > 700:  # p/q overflows; p d dominates p - q
            return math.exp(log_p) * (d - 1) + math.exp(log_q)
        # q * phi(p/q), >= 0 and accurate where p ~ q.
        return float(math.exp(log_q) * phi1p(math.expm1(d)))

    cuts = [a]
    for x in p.ppf([1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1 - 1e-6]):
        if math.isfinite(x) and cuts[-1] < x < b:
            cuts.append(float(x))
    cuts.append(b)
    total, error = outside, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", integrate.IntegrationWarning)
        for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
            try:
                value, err = integrate.quad(integrand, lo, hi, epsabs=0.0, epsrel=1e-12, limit=500)
            except integrate.IntegrationWarning as warning:
                raise ValueError(
                    f"numerical integration of D(p || q) did not converge on [{lo:g}, {hi:g}] "
                    f"({str(warning).splitlines()[0]}); the divergence may be infinite "
                    "(for example a heavy-tailed p against a light-tailed q)"
                ) from None
            if not math.isfinite(value):
                return math.inf, 0.0
            total += value
            error += err
    if error > RTOL * max(total, 1e-300):
        raise ValueError(
            f"numerical integration of D(p || q) is unreliable: {total:g} with error estimate {error:g}"
        )
    return total, error


def _sum(p, q):
    lo, hi = p.support()
    lo = int(lo)
    if math.isfinite(hi):
        hi = int(hi)
    else:
        # Grow the range until P's tail beyond it is negligible (isf can be NaN this far out).
        hi = max(lo, int(p.median()))
        while p.sf(hi) > _TAIL and hi - lo < _MAX_TERMS:
            hi = 2 * hi - lo + 16
    if hi - lo + 1 > _MAX_TERMS:
        raise ValueError(f"summation of D(p || q) would need {hi - lo + 1} terms")
    k = np.arange(lo, hi + 1)
    log_p, log_q = p.logpmf(k), q.logpmf(k)
    has_mass = np.isfinite(log_p)
    if np.any(has_mass & ~np.isfinite(log_q)):
        return math.inf, 0.0
    xp = array_api_compat.array_namespace(log_p)
    terms = relative_entropy_terms_from_logs(log_p, log_q, xp)
    outside_q = float(q.cdf(lo - 1) + q.sf(hi))
    tail_p = float(p.sf(hi))
    total = float(np.sum(terms)) + outside_q
    # What is left out: the P-tail beyond hi, weighted by the last log-ratio.
    last = abs(float(log_p[-1] - log_q[-1])) if np.isfinite(log_q[-1]) else 0.0
    error = tail_p * (1.0 + last)
    if error > RTOL * max(total, 1e-300) and error > 1e-15:
        raise ValueError(f"summation of D(p || q) is unreliable: {total:g} with error estimate {error:g}")
    return total, error
