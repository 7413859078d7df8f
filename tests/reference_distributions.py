"""Independent references for kl.divergence: densities written out in mpmath and the
definition integrated (mp.quad) or summed (mp.nsum) at 40 digits.

Nothing here uses scipy or kl. Parameters are floats, read exactly by mpmath.
"""

from __future__ import annotations

from mpmath import mp, mpf

DIGITS = 40


def _m(x):
    return mpf(float(x))


# log-densities: family -> function(params dict) -> (logpdf(x), support (lo, hi), kinks)
def _norm(loc, scale):
    loc, scale = _m(loc), _m(scale)
    return (
        (lambda x: -(((x - loc) / scale) ** 2) / 2 - mp.log(scale) - mp.log(2 * mp.pi) / 2),
        (-mp.inf, mp.inf),
        [loc],
    )


def _expon(loc, scale):
    loc, scale = _m(loc), _m(scale)
    return (lambda x: -mp.log(scale) - (x - loc) / scale), (loc, mp.inf), []


def _gamma(a, loc, scale):
    a, loc, scale = _m(a), _m(loc), _m(scale)

    def logpdf(x):
        y = (x - loc) / scale
        return (a - 1) * mp.log(y) - y - mp.loggamma(a) - mp.log(scale)

    return logpdf, (loc, mp.inf), []


def _beta(a, b, loc, scale):
    a, b = _m(a), _m(b)
    log_norm = mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)
    return (lambda x: (a - 1) * mp.log(x) + (b - 1) * mp.log(1 - x) - log_norm), (mpf(0), mpf(1)), []


def _uniform(loc, scale):
    loc, scale = _m(loc), _m(scale)
    return (lambda x: -mp.log(scale)), (loc, loc + scale), []


def _laplace(loc, scale):
    loc, scale = _m(loc), _m(scale)
    return (lambda x: -mp.log(2 * scale) - abs(x - loc) / scale), (-mp.inf, mp.inf), [loc]


CONTINUOUS = {
    "norm": _norm,
    "expon": _expon,
    "gamma": _gamma,
    "beta": _beta,
    "uniform": _uniform,
    "laplace": _laplace,
}


def _bernoulli(p, loc=0):
    p = _m(p)
    return (lambda k: mp.log(p) if k == 1 else mp.log(1 - p)), (0, 1)


def _binom(n, p, loc=0):
    n, p = int(n), _m(p)
    return (lambda k: mp.log(mp.binomial(n, k)) + k * mp.log(p) + (n - k) * mp.log(1 - p)), (0, n)


def _poisson(mu, loc=0):
    mu = _m(mu)
    return (lambda k: -mu + k * mp.log(mu) - mp.loggamma(k + 1)), (0, mp.inf)


def _geom(p, loc=0):
    p = _m(p)
    return (lambda k: (k - 1) * mp.log(1 - p) + mp.log(p)), (1, mp.inf)


DISCRETE = {"bernoulli": _bernoulli, "binom": _binom, "poisson": _poisson, "geom": _geom}


def kl_continuous(family_p, params_p, family_q, params_q):
    """D(P||Q) = int over supp P of q phi(p/q), plus Q's mass outside supp P (here 0 or inf)."""
    with mp.workdps(DIGITS):
        log_p, (a, b), kinks_p = CONTINUOUS[family_p](**params_p)
        log_q, (qa, qb), kinks_q = CONTINUOUS[family_q](**params_q)
        if a < qa or b > qb:
            return mp.inf

        def integrand(x):
            d = log_p(x) - log_q(x)
            return mp.exp(log_q(x)) * (mp.exp(d) * d - mp.expm1(d))

        points = sorted({a, b, *[k for k in kinks_p + kinks_q if a < k < b]})
        # Finite breakpoints around the bulk help quad on infinite intervals.
        centre = [k for k in kinks_p if mp.isfinite(k)] or [a if mp.isfinite(a) else mpf(0)]
        for c in centre:
            for width in (1, 5, 20):
                for x in (c - width, c + width):
                    if a < x < b:
                        points.append(x)
        points = sorted(set(points))
        total = mp.quad(integrand, points)
        # Mass of Q outside P's support (the "+ q" part of the integrand there).
        if qa < a:
            total += mp.quad(lambda x: mp.exp(log_q(x)), [qa, a])
        if b < qb:
            total += mp.quad(lambda x: mp.exp(log_q(x)), [b, qb])
        return total


def kl_discrete(family_p, params_p, family_q, params_q):
    with mp.workdps(DIGITS):
        log_p, (a, b) = DISCRETE[family_p](**params_p)
        log_q, (qa, qb) = DISCRETE[family_q](**params_q)
        if a < qa or b > qb:
            return mp.inf

        def term(k):
            k = int(k)
            lp = log_p(k)
            return mp.exp(lp) * (lp - log_q(k))

        if b == mp.inf:
            return mp.nsum(term, [a, mp.inf])
        return mp.fsum(term(k) for k in range(int(a), int(b) + 1))


def kl_mvn(mean_p, cov_p, mean_q, cov_q):
    """The textbook closed form evaluated at 40 digits (an independent evaluation path)."""
    with mp.workdps(DIGITS):
        mp_, sp_ = mp.matrix([_m(v) for v in mean_p]), mp.matrix([[_m(v) for v in row] for row in cov_p])
        mq, sq = mp.matrix([_m(v) for v in mean_q]), mp.matrix([[_m(v) for v in row] for row in cov_q])
        k = len(mean_p)
        inv_q = sq**-1
        diff = mq - mp_
        trace = sum((inv_q * sp_)[i, i] for i in range(k))
        quad = (diff.T * inv_q * diff)[0, 0]
        return (trace + quad - k + mp.log(mp.det(sq) / mp.det(sp_))) / 2
