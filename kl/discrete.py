"""Entropy, cross-entropy and the Kullback–Leibler and Jensen–Shannon divergences
of discrete distributions.

Every function accepts NumPy arrays, Python sequences or torch tensors (a torch
input gives a torch output and gradients flow), works along ``axis`` and is
batched over the other axes, and reports in nats (``base=None``), bits
(``base=2``) or any other base.
"""

from __future__ import annotations

import math

import array_api_compat

from . import _elementwise as _ew
from ._validation import (
    as_distribution,
    as_logits,
    check_base,
    check_same_support,
    namespace,
)

__all__ = ["entropy", "cross_entropy", "kl_divergence", "kl_divergence_from_logits", "js_divergence"]


def _finish(total, log_base, xp):
    """Convert nats to the requested base; NumPy 0-d results become scalars."""
    if log_base is not None:
        total = total / log_base
    if array_api_compat.is_numpy_namespace(xp) and getattr(total, "ndim", 0) == 0:
        return total[()]
    return total


# Elements per block when NumPy sums elementwise terms of a large input: small
# enough that the kernel's temporaries stay in cache and cost no page faults.
_BLOCK = 1 << 14


def _sum_terms(kernel, xp, *arrays):
    """``sum(kernel(*arrays), axis=-1)``, evaluated in column blocks for large NumPy input.

    Blocking changes only the order of a sum of non-negative (or same-sign)
    terms, not its accuracy; torch input is left whole so autograd sees one graph.
    """
    n = arrays[0].shape[-1]
    batch = max(math.prod(a.shape[:-1]) for a in arrays)
    width = max(1, _BLOCK // max(batch, 1))
    if not array_api_compat.is_numpy_namespace(xp) or n <= width:
        return xp.sum(kernel(*arrays, xp), axis=-1)
    total = 0
    for start in range(0, n, width):
        block = [a[..., start : start + width] for a in arrays]
        total = total + xp.sum(kernel(*block, xp), axis=-1)
    return total


def _pair(p, q, *, axis, normalize):
    xp = namespace(p, q)
    p_arr = as_distribution(p, "p", xp, axis=axis, normalize=normalize, like=q)
    q_arr = as_distribution(q, "q", xp, axis=axis, normalize=normalize, like=p)
    check_same_support(p_arr, q_arr)
    if p_arr.dtype != q_arr.dtype:
        dtype = xp.result_type(p_arr, q_arr)
        p_arr, q_arr = xp.astype(p_arr, dtype), xp.astype(q_arr, dtype)
    return xp, p_arr, q_arr


def entropy(p, *, base=None, axis=-1, normalize=False):
    r"""Shannon entropy of a discrete distribution.

    .. math::

        H(P) = -\sum_{x} P(x) \log P(x), \qquad 0 \log 0 = 0 .

    Parameters
    ----------
    p : array_like or torch.Tensor
        Probabilities along ``axis``: non-negative, finite, summing to 1 within
        :func:`kl.sum_tolerance` (1.5e-8 in float64).
    base : float, optional
        Logarithm base: ``None`` for nats (natural log), ``2`` for bits.
    axis : int, optional
        Axis holding the outcomes; the other axes are a batch.
    normalize : bool, optional
        Divide ``p`` by its sum first instead of requiring it to sum to 1.

    Returns
    -------
    float, ndarray or torch.Tensor
        :math:`0 \le H(P) \le \log K` for ``K`` outcomes; one value per batch entry.

    Raises
    ------
    TypeError
        Non-numeric input, or NumPy mixed with torch.
    ValueError
        Empty input; NaN, infinite or negative entries; a sum other than 1.

    Examples
    --------
    >>> import kl
    >>> float(kl.entropy([0.5, 0.5], base=2))
    1.0
    """
    log_base = check_base(base)
    xp = namespace(p)
    p_arr = as_distribution(p, "p", xp, axis=axis, normalize=normalize)
    return _finish(_sum_terms(_ew.entropy_terms, xp, p_arr), log_base, xp)


def cross_entropy(p, q, *, base=None, axis=-1, normalize=False):
    r"""Cross-entropy of ``q`` relative to ``p``.

    .. math::

        H(P, Q) = -\sum_{x} P(x) \log Q(x) = H(P) + D(P \,\|\, Q).

    The expected code length (in nats or bits) of outcomes drawn from ``P`` when
    the code is optimal for ``Q``. It is ``+inf`` when ``P(x) > 0 = Q(x)`` for
    some ``x``; terms with ``P(x) = 0`` contribute 0 whatever ``Q(x)`` is.

    Parameters
    ----------
    p, q : array_like or torch.Tensor
        Probability vectors along ``axis`` with the same number of outcomes;
        the other axes broadcast.
    base, axis, normalize
        As in :func:`entropy`.

    Returns
    -------
    float, ndarray or torch.Tensor

    Raises
    ------
    TypeError, ValueError
        As in :func:`entropy`, and for shapes that do not match.

    Examples
    --------
    >>> import kl
    >>> round(float(kl.cross_entropy([0.5, 0.5], [0.3, 0.7])), 12)
    0.780323874132
    """
    log_base = check_base(base)
    xp, p_arr, q_arr = _pair(p, q, axis=axis, normalize=normalize)
    return _finish(_sum_terms(_ew.cross_entropy_terms, xp, p_arr, q_arr), log_base, xp)


def kl_divergence(p, q, *, base=None, axis=-1, normalize=False):
    r"""Kullback–Leibler divergence (relative entropy) of ``p`` from ``q``.

    .. math::

        D(P \,\|\, Q) = \sum_{x:\,P(x) > 0} P(x) \log \frac{P(x)}{Q(x)}

    with the conventions :math:`0 \log (0/q) = 0` and :math:`p \log(p/0) = +\infty`
    for :math:`p > 0`.  So the result is ``+inf`` exactly when ``P`` puts mass
    where ``Q`` has none, and finite otherwise (also when ``Q`` has mass where
    ``P`` has none).  It is never NaN.

    Parameters
    ----------
    p, q : array_like or torch.Tensor
        Probability vectors along ``axis`` with the same number of outcomes;
        the other axes broadcast (one ``q`` against a batch of ``p``, say).
        Each must be non-negative, finite and sum to 1 within
        :func:`kl.sum_tolerance`; pass ``normalize=True`` to divide by the sums.
    base : float, optional
        ``None`` for nats, ``2`` for bits, or any base > 0 other than 1.
    axis : int, optional
        Axis holding the outcomes.
    normalize : bool, optional
        Normalise ``p`` and ``q`` instead of rejecting vectors whose sums are
        not 1. Off by default, unlike :func:`scipy.stats.entropy`, which
        normalises silently.

    Returns
    -------
    float, ndarray or torch.Tensor
        :math:`D(P\|Q) \ge 0`, in the requested unit; one value per batch entry.

    Raises
    ------
    TypeError
        Non-numeric input, or NumPy mixed with torch.
    ValueError
        Empty input; NaN, infinite or negative entries; sums other than 1;
        different numbers of outcomes.

    Notes
    -----
    Each outcome contributes :math:`P\log(P/Q) - P + Q = Q\,\varphi(P/Q)` with
    :math:`\varphi(r) = r\log r - r + 1 \ge 0`, which sums to the same value
    for probability vectors but has no negative terms, hence no cancellation.
    Near :math:`P = Q` a series for :math:`\varphi` keeps full relative
    accuracy where ``scipy.special.kl_div`` loses most digits.

    Float vectors sum to 1 only up to rounding (about 1e-16). The result is the
    divergence of the distributions they stand for, :math:`P/\sum P` and
    :math:`Q/\sum Q`: the :math:`-P + Q` terms absorb the rounding of the sums
    to first order. The literal sum :math:`\sum P\log(P/Q)` of the same floats
    differs from it by about :math:`\sum P - \sum Q`, which is rounding noise
    but dominates once the divergence is below ~1e-14.  Verified against mpmath
    at 50 digits (``tests/test_discrete_accuracy.py``;
    ``benchmarks/accuracy_discrete.py`` compares scipy and torch).

    References
    ----------
    .. [1] S. Kullback and R. A. Leibler, "On information and sufficiency",
       Ann. Math. Statist. 22(1):79-86, 1951.
    .. [2] T. M. Cover and J. A. Thomas, *Elements of Information Theory*,
       2nd ed., Wiley, 2006, section 2.3.

    Examples
    --------
    >>> import kl
    >>> round(float(kl.kl_divergence([0.5, 0.5], [0.3, 0.7])), 10)
    0.0871766936
    >>> round(float(kl.kl_divergence([0.5, 0.5], [0.3, 0.7], base=2)), 10)
    0.1257693835
    >>> float(kl.kl_divergence([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    log_base = check_base(base)
    xp, p_arr, q_arr = _pair(p, q, axis=axis, normalize=normalize)
    return _finish(_sum_terms(_ew.relative_entropy_terms, xp, p_arr, q_arr), log_base, xp)


def kl_divergence_from_logits(logits_p, logits_q, *, base=None, axis=-1):
    r"""Kullback–Leibler divergence of two categorical distributions given by logits.

    .. math::

        \log P = z_P - \operatorname{logsumexp}(z_P), \qquad
        D(P \,\|\, Q) = \sum_x P(x)\,\bigl(\log P(x) - \log Q(x)\bigr).

    The log-sum-exp shift makes saturated logits (``|z| ~ 1000``) safe, and
    log-probabilities are accepted as they are (normalising them again is
    harmless). ``-inf`` means probability zero.

    Parameters
    ----------
    logits_p, logits_q : array_like or torch.Tensor
        Unnormalised log-probabilities along ``axis``; no NaN or ``+inf``, and
        at least one finite entry per distribution.
    base, axis
        As in :func:`kl_divergence`.

    Returns
    -------
    float, ndarray or torch.Tensor

    Examples
    --------
    >>> import math, kl
    >>> a = [math.log(0.5), math.log(0.5)]
    >>> b = [math.log(0.3), math.log(0.7)]
    >>> round(float(kl.kl_divergence_from_logits(a, b)), 10)
    0.0871766936
    >>> round(float(kl.kl_divergence_from_logits([1000.0, 0.0], [0.0, 1000.0])), 6)
    1000.0
    """
    log_base = check_base(base)
    xp = namespace(logits_p, logits_q)
    zp = as_logits(logits_p, "logits_p", xp, axis=axis, like=logits_q)
    zq = as_logits(logits_q, "logits_q", xp, axis=axis, like=logits_p)
    check_same_support(zp, zq, names=("logits_p", "logits_q"))
    if zp.dtype != zq.dtype:
        dtype = xp.result_type(zp, zq)
        zp, zq = xp.astype(zp, dtype), xp.astype(zq, dtype)
    log_p = _ew.log_softmax(zp, xp)
    log_q = _ew.log_softmax(zq, xp)
    return _finish(_sum_terms(_ew.relative_entropy_terms_from_logs, xp, log_p, log_q), log_base, xp)


def js_divergence(p, q, *, base=None, axis=-1, normalize=False):
    r"""Jensen–Shannon divergence.

    .. math::

        \mathrm{JS}(P, Q) = \tfrac12 D(P \,\|\, M) + \tfrac12 D(Q \,\|\, M),
        \qquad M = \tfrac12 (P + Q).

    Symmetric, always finite, and :math:`0 \le \mathrm{JS} \le \log 2` (1 bit),
    with the upper bound reached exactly when the supports are disjoint.
    :func:`scipy.spatial.distance.jensenshannon` returns the *square root* of
    this quantity (the Jensen–Shannon distance, a metric).

    Parameters
    ----------
    p, q, base, axis, normalize
        As in :func:`kl_divergence`.

    Examples
    --------
    >>> import kl
    >>> round(float(kl.js_divergence([0.5, 0.5], [0.3, 0.7])), 12)
    0.021005925702
    >>> float(kl.js_divergence([1, 0], [0, 1], base=2))
    1.0
    """
    log_base = check_base(base)
    xp, p_arr, q_arr = _pair(p, q, axis=axis, normalize=normalize)
    return _finish(_sum_terms(_ew.jensen_shannon_terms, xp, p_arr, q_arr) / 2, log_base, xp)


#: log 2, the upper bound of :func:`js_divergence` in nats.
JS_BOUND_NATS = math.log(2.0)
