r"""Estimating the Kullback–Leibler divergence from samples.

Three situations, three estimators:

- densities can be evaluated at samples: :func:`monte_carlo` (unbiased, with a
  standard error), including the low-variance estimators used in
  reinforcement learning and the importance-weighted form for samples from ``q``;
- only samples, low dimension: :func:`histogram`, the plug-in estimator on bins
  (biased, see its notes);
- only samples, any dimension: :func:`knn`, the k-nearest-neighbour estimator of
  Wang, Kulkarni and Verdú (2009).

All results are in nats unless ``base`` is given.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np
from scipy.spatial import cKDTree

from ._validation import check_base
from .discrete import kl_divergence

__all__ = ["MonteCarloResult", "monte_carlo", "knn", "histogram"]


class MonteCarloResult(NamedTuple):
    """A Monte Carlo estimate with its standard error (one standard deviation)."""

    estimate: float
    stderr: float
    n: int


def _real_array(values, name: str) -> np.ndarray:
    """A float64 NumPy copy of numbers (torch tensors are detached), or TypeError."""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    arr = np.asarray(values)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    return arr.astype(float)


def _log_densities(values, name: str) -> np.ndarray:
    arr = _real_array(values, name).ravel()
    if arr.size < 2:
        raise ValueError(
            f"{name}: need at least 2 samples for an estimate and its standard error, got {arr.size}"
        )
    if np.isnan(arr).any():
        raise ValueError(f"{name}: NaN at sample {int(np.flatnonzero(np.isnan(arr))[0])}")
    if (arr == np.inf).any():
        raise ValueError(
            f"{name}: log-densities must not be +inf (sample {int(np.flatnonzero(arr == np.inf)[0])})"
        )
    return arr


def monte_carlo(
    log_p, log_q, *, estimator: str = "k1", samples_from: str = "p", base=None
) -> MonteCarloResult:
    r"""Monte Carlo estimate of :math:`D(P\,\|\,Q)` from log-densities at samples.

    Parameters
    ----------
    log_p, log_q : array_like, shape (n,)
        :math:`\log p(x_i)` and :math:`\log q(x_i)` at the same samples
        :math:`x_1, \dots, x_n`, drawn independently from ``samples_from``.
    estimator : {"k1", "k2", "k3"}
        With samples from ``p`` and :math:`r = q(x)/p(x)`:

        - ``"k1"``: :math:`-\log r = \log p(x) - \log q(x)`. Unbiased.
        - ``"k2"``: :math:`\tfrac12 (\log r)^2`. Biased (it matches the divergence
          only to second order as :math:`q \to p`), low variance.
        - ``"k3"``: :math:`(r - 1) - \log r`. Unbiased (because
          :math:`\mathbb{E}_p[r] = 1`), never negative, usually lower variance
          than ``k1``.

        With samples from ``q`` and importance weights :math:`w = p(x)/q(x)`:
        ``"k1"`` is :math:`w \log w` and ``"k3"`` is :math:`w\log w - w + 1`, both
        unbiased; ``"k2"`` is not defined.
    samples_from : {"p", "q"}
        Which distribution the samples were drawn from.
    base : float, optional
        ``None`` for nats, ``2`` for bits.

    Returns
    -------
    MonteCarloResult
        ``estimate``, ``stderr`` (sample standard deviation / sqrt(n)) and ``n``.
        A 95% interval is ``estimate ± 1.96 stderr`` for large ``n``. If some
        sample drawn from ``p`` has ``log_q = -inf``, the divergence is infinite
        and ``estimate`` and ``stderr`` are ``inf``.

    Raises
    ------
    ValueError
        Fewer than 2 samples, shapes that differ, NaN or ``+inf`` entries, an
        unknown estimator, or a sample from ``p`` at which ``log_p = -inf`` (such
        a sample cannot have been drawn from ``p``).

    Notes
    -----
    ``k1``, ``k2`` and ``k3`` with samples from ``p`` are the estimators popularised
    for policy-gradient methods (there written with the sampling distribution
    called q). Reparameterisation is a separate matter: it concerns the *gradient*
    of such an estimate with respect to the parameters of the sampling
    distribution, not the estimate itself.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> import kl
    >>> x = stats.norm(0, 1).rvs(size=100_000, random_state=0)
    >>> r = kl.estimators.monte_carlo(stats.norm(0, 1).logpdf(x), stats.norm(1, 2).logpdf(x))
    >>> bool(abs(r.estimate - (np.log(2) - 0.25)) < 4 * r.stderr)
    True
    """
    log_base = check_base(base)
    lp, lq = _log_densities(log_p, "log_p"), _log_densities(log_q, "log_q")
    if lp.shape != lq.shape:
        raise ValueError(f"log_p and log_q: need one value per sample each; got {lp.size} and {lq.size}")
    if samples_from not in ("p", "q"):
        raise ValueError(f"samples_from: must be 'p' or 'q', got {samples_from!r}")
    if estimator not in ("k1", "k2", "k3"):
        raise ValueError(f"estimator: must be 'k1', 'k2' or 'k3', got {estimator!r}")
    n = lp.size
    if samples_from == "p":
        if (lp == -np.inf).any():
            raise ValueError(
                f"log_p: -inf at sample {int(np.flatnonzero(lp == -np.inf)[0])}, which cannot have been drawn from p"
            )
        if (lq == -np.inf).any():
            return MonteCarloResult(math.inf, math.inf, n)
        log_r = lq - lp
        if estimator == "k1":
            values = -log_r
        elif estimator == "k2":
            values = 0.5 * log_r**2
        else:
            values = np.expm1(log_r) - log_r
    else:
        if estimator == "k2":
            raise ValueError("estimator: 'k2' is only defined for samples from p")
        if (lq == -np.inf).any():
            raise ValueError(
                f"log_q: -inf at sample {int(np.flatnonzero(lq == -np.inf)[0])}, which cannot have been drawn from q"
            )
        log_w = lp - lq
        w = np.exp(log_w)
        w_log_w = np.where(w > 0, w * np.where(w > 0, log_w, 0.0), 0.0)
        values = w_log_w if estimator == "k1" else w_log_w - np.expm1(log_w)
    estimate = float(np.mean(values))
    stderr = float(np.std(values, ddof=1) / math.sqrt(n))
    if log_base is not None:
        estimate, stderr = estimate / log_base, stderr / log_base
    return MonteCarloResult(estimate, stderr, n)


def _samples(values, name: str) -> np.ndarray:
    arr = _real_array(values, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected shape (n,) or (n, d), got {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name}: empty sample")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: samples must be finite (NaN or inf found)")
    return arr


def knn(x, y, k: int = 1, *, base=None, workers: int = -1) -> float:
    r"""k-nearest-neighbour estimate of :math:`D(P\,\|\,Q)` from samples.

    .. math::

        \hat D = \frac{d}{n} \sum_{i=1}^n \log\frac{\nu_k(i)}{\rho_k(i)} + \log\frac{m}{n-1},

    where :math:`\rho_k(i)` is the distance from :math:`x_i` to its k-th nearest
    neighbour among the other points of ``x``, and :math:`\nu_k(i)` the distance
    to its k-th nearest neighbour in ``y`` (Euclidean). Consistent as
    :math:`n, m \to \infty` for continuous distributions [1]_.

    Parameters
    ----------
    x : array_like, shape (n, d) or (n,)
        Independent samples from P.
    y : array_like, shape (m, d) or (m,)
        Independent samples from Q.
    k : int
        Neighbour order, ``1 <= k <= min(n - 1, m)``. Larger k lowers the
        variance and raises the bias.
    base : float, optional
        ``None`` for nats, ``2`` for bits.
    workers : int
        Threads for the neighbour queries (``-1``: all cores).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Dimensions that differ, too few samples for ``k``, non-finite samples, or
        zero distances. The estimator assumes continuous distributions: a point
        repeated in ``x``, or shared by ``x`` and ``y``, makes a log-ratio
        infinite. Remove duplicates or add noise far below the data's scale,
        and say so when reporting the estimate.

    References
    ----------
    .. [1] Q. Wang, S. R. Kulkarni and S. Verdú, "Divergence estimation for
       multidimensional densities via k-nearest-neighbor distances",
       IEEE Trans. Inf. Theory 55(5):2392-2405, 2009.
    """
    log_base = check_base(base)
    xs, ys = _samples(x, "x"), _samples(y, "y")
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(
            f"x and y: samples must have the same dimension; got {xs.shape[1]} and {ys.shape[1]}"
        )
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise ValueError(f"k: must be a positive integer, got {k!r}")
    n, d = xs.shape
    m = ys.shape[0]
    if k > n - 1:
        raise ValueError(f"k: needs k <= n - 1 = {n - 1} neighbours among the other x samples, got k = {k}")
    if k > m:
        raise ValueError(f"k: needs k <= m = {m} samples of y, got k = {k}")
    # k + 1 neighbours within x: the first is the point itself.
    rho = cKDTree(xs).query(xs, k=k + 1, workers=workers)[0][:, k]
    nu = cKDTree(ys).query(xs, k=k, workers=workers)[0]
    nu = nu if k == 1 else nu[:, k - 1]
    if (rho == 0).any():
        i = int(np.flatnonzero(rho == 0)[0])
        raise ValueError(
            f"x: sample {i} has {k} or more exact duplicates in x (k-th neighbour distance 0); the "
            "k-NN estimator assumes continuous distributions: remove duplicates or add tiny noise"
        )
    if (nu == 0).any():
        i = int(np.flatnonzero(nu == 0)[0])
        raise ValueError(
            f"x and y: sample {i} of x coincides with a sample of y (distance 0); the k-NN estimator "
            "assumes continuous distributions: remove duplicates or add tiny noise"
        )
    estimate = d * float(np.mean(np.log(nu) - np.log(rho))) + math.log(m / (n - 1))
    return estimate / log_base if log_base is not None else estimate


def histogram(x, y, bins=10, *, range=None, pseudocount: float = 0.0, base=None) -> float:
    r"""Plug-in estimate of :math:`D(P\,\|\,Q)`: the divergence of two histograms.

    Both samples are binned on the same edges; the bin frequencies
    :math:`\hat p_j, \hat q_j` give :math:`\hat D = \sum_j \hat p_j \log(\hat p_j/\hat q_j)`.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Samples from P and Q (small d: the number of bins grows as bins**d).
    bins : int or sequence
        As for :func:`numpy.histogramdd`; the edges are computed once from both
        samples together (or from ``range``).
    range : sequence of (low, high), optional
        Bin range per dimension; samples outside it are left out.
    pseudocount : float
        Added to every bin count of both samples before normalising (additive
        smoothing). 0 by default: smoothing is a choice with a bias, not a
        silent fix.
    base : float, optional
        ``None`` for nats, ``2`` for bits.

    Returns
    -------
    float
        ``inf`` when a bin holds x samples but no y samples (and ``pseudocount == 0``).

    Notes
    -----
    The estimator is biased, in two ways that pull in opposite directions. Coarse
    bins merge outcomes and can only *lower* the divergence (data processing).
    Fine bins with a finite sample make empty or nearly empty ``y`` bins, which
    inflate the estimate (to ``inf`` without smoothing); with smoothing the
    pseudocounts pull it towards 0 instead. No bin width is right for every
    sample size; the chapter on computing KL shows the trade-off.
    """
    check_base(base)  # reject a bad base before binning
    xs, ys = _samples(x, "x"), _samples(y, "y")
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(
            f"x and y: samples must have the same dimension; got {xs.shape[1]} and {ys.shape[1]}"
        )
    if not (isinstance(pseudocount, numbers.Real) and pseudocount >= 0 and math.isfinite(pseudocount)):
        raise ValueError(f"pseudocount: must be finite and >= 0, got {pseudocount!r}")
    _, edges = np.histogramdd(np.vstack([xs, ys]), bins=bins, range=range)
    counts_x = np.histogramdd(xs, bins=edges)[0].ravel() + pseudocount
    counts_y = np.histogramdd(ys, bins=edges)[0].ravel() + pseudocount
    if counts_x.sum() == 0:
        raise ValueError("x: no sample falls inside the bin range")
    if counts_y.sum() == 0:
        raise ValueError("y: no sample falls inside the bin range")
    return float(kl_divergence(counts_x, counts_y, normalize=True, base=base))
