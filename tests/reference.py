"""Independent references: the same quantities in mpmath at 50 significant digits.

Nothing here calls :mod:`kl`. Inputs are read as exact binary fractions (mpmath
converts a float exactly), so the only rounding is mpmath's own, 34 digits below
what the tests ask for.
"""

from mpmath import mp, mpf

DIGITS = 50


def _normalised(v):
    v = [mpf(float(x)) for x in v]
    total = sum(v)
    return [x / total for x in v]


def kl_mp(p, q):
    """D(P||Q) in nats of the exactly normalised vectors p/sum(p), q/sum(q).

    Normalising in high precision is the honest reference for float input: a
    vector that was normalised in float64 sums to 1 only up to ~1e-16, and the
    distribution it stands for is the exactly normalised one.
    """
    with mp.workdps(DIGITS):
        return _relative_entropy_sum(_normalised(p), _normalised(q))


def _relative_entropy_sum(p, q):
    """sum p log(p/q) of mpf sequences, with 0 log 0 = 0 and inf where q = 0 < p."""
    total = mpf(0)
    for a, b in zip(p, q, strict=True):
        if a == 0:
            continue
        if b == 0:
            return mp.inf
        total += a * mp.log(a / b)
    return total


def entropy_mp(p):
    with mp.workdps(DIGITS):
        return -sum(a * mp.log(a) for a in _normalised(p) if a != 0)


def cross_entropy_mp(p, q):
    with mp.workdps(DIGITS):
        pairs = [(a, b) for a, b in zip(_normalised(p), _normalised(q), strict=True) if a != 0]
        if any(b == 0 for _, b in pairs):
            return mp.inf
        return -mp.fsum(a * mp.log(b) for a, b in pairs)


def js_mp(p, q):
    with mp.workdps(DIGITS):
        p, q = _normalised(p), _normalised(q)
        m = [(a + b) / 2 for a, b in zip(p, q, strict=True)]

        def kl(a_vec):
            return sum(a * mp.log(a / c) for a, c in zip(a_vec, m, strict=True) if a != 0)

        return (kl(p) + kl(q)) / 2


def relative_error(value, reference):
    with mp.workdps(DIGITS):
        reference = mpf(reference)
        if reference == 0:
            return abs(mpf(float(value)))
        return float(abs((mpf(float(value)) - reference) / reference))


def kl_logits_mp(zp, zq):
    """D(P||Q) for P = softmax(zp), Q = softmax(zq), in mpmath.

    The working precision grows with the spread of the logits: with logits
    1000 apart, log-probabilities near 0 carry information e^-1000 below their
    leading digit, which a fixed 50 digits would round away.
    """
    finite = [float(v) for v in list(zp) + list(zq) if float(v) != float("-inf")]
    spread = max(finite) - min(finite)
    with mp.workdps(DIGITS + int(spread / 2.302585) + 10):

        def log_softmax(z):
            z = [mpf(float(v)) if float(v) != float("-inf") else None for v in z]
            finite = [v for v in z if v is not None]
            top = max(finite)
            log_norm = top + mp.log(sum(mp.exp(v - top) for v in finite))
            return [None if v is None else v - log_norm for v in z]

        lp, lq = log_softmax(zp), log_softmax(zq)
        total = mpf(0)
        for a, b in zip(lp, lq, strict=True):
            if a is None:
                continue
            if b is None:
                return mp.inf
            total += mp.exp(a) * (a - b)
        return total


def kl_raw_mp(p, q):
    """sum p log(p/q) over the given float values, not normalised (for comparison only).

    Equal to :func:`kl_mp` when both inputs sum to exactly 1. For float vectors
    that sum to 1 only up to rounding, it differs from the divergence of the
    distributions they stand for by about sum(p) - sum(q), i.e. ~1e-16.
    """
    with mp.workdps(DIGITS):
        return _relative_entropy_sum([mpf(float(a)) for a in p], [mpf(float(b)) for b in q])
