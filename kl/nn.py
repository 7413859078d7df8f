r"""Differentiable divergences for PyTorch models.

- :func:`kl_div_logits`: :math:`D(P\,\|\,Q)` for categorical distributions given by
  logits, stable for saturated logits, with an explicit and correct reduction;
- :func:`gaussian_kl`: the VAE term :math:`D(\mathcal N(\mu, \operatorname{diag} e^{v})\,\|\,\mathcal N(0, I))`;
- :func:`distillation_loss`: the softened-softmax loss of Hinton, Vinyals and Dean (2015).

Unlike ``torch.nn.functional.kl_div``, whose first argument is the log-probability
of the *second* distribution and whose ``reduction="mean"`` divides by the number
of elements rather than the batch size, these take both distributions in the
order of the mathematics, :math:`D(P\,\|\,Q)`.
"""

from __future__ import annotations

import math
import numbers

import array_api_compat
import torch

from ._elementwise import expm1_minus_x
from .discrete import kl_divergence_from_logits

__all__ = ["kl_div_logits", "gaussian_kl", "distillation_loss"]

_REDUCTIONS = ("batchmean", "sum", "none")


def _reduce(values: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "none":
        return values
    if reduction == "sum":
        return values.sum()
    if reduction == "batchmean":
        return values.mean() if values.ndim else values
    if reduction == "mean":
        raise ValueError(
            "reduction: 'mean' is ambiguous (torch.nn.functional.kl_div averages over every element, "
            "which divides the divergence by the number of classes); use 'batchmean'"
        )
    raise ValueError(f"reduction: must be one of {_REDUCTIONS}, got {reduction!r}")


def _check_tensor(value, name: str) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}")
    if not torch.is_floating_point(value):
        raise TypeError(f"{name}: expected a floating-point tensor, got {value.dtype}")
    return value


def kl_div_logits(
    logits_p: torch.Tensor, logits_q: torch.Tensor, reduction: str = "batchmean"
) -> torch.Tensor:
    r""":math:`D(P\,\|\,Q)` between categorical distributions given by logits (last dimension).

    .. math::

        D(P\,\|\,Q) = \sum_c P_c\,(\log P_c - \log Q_c), \qquad
        \log P = z_P - \operatorname{logsumexp}(z_P).

    Parameters
    ----------
    logits_p, logits_q : torch.Tensor, shape (..., C)
        Unnormalised log-probabilities (or log-probabilities). ``-inf`` is
        probability zero; NaN and ``+inf`` are rejected.
    reduction : {"batchmean", "sum", "none"}
        ``"batchmean"`` averages the per-distribution divergences over the batch
        (the mathematically meaningful mean); ``"none"`` returns them.

    Returns
    -------
    torch.Tensor
        In nats. ``inf`` where P has mass on a class where Q has none.

    Notes
    -----
    Stable for saturated logits (``|z| ~ 100`` or more): the log-softmax keeps the
    largest logit out of the sum, and gradients stay finite. Accurate also when
    P and Q are nearly equal (the terms are summed in a non-negative form); see
    :func:`kl.kl_divergence_from_logits`, which does the work.

    Examples
    --------
    >>> import torch, kl.nn
    >>> z_p = torch.tensor([[2.0, 0.0, -1.0]], dtype=torch.float64)
    >>> z_q = torch.tensor([[0.0, 0.0, 0.0]], dtype=torch.float64)
    >>> round(kl.nn.kl_div_logits(z_p, z_q).item(), 6)
    0.574346
    """
    _check_tensor(logits_p, "logits_p")
    _check_tensor(logits_q, "logits_q")
    return _reduce(kl_divergence_from_logits(logits_p, logits_q, axis=-1), reduction)


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    r""":math:`D\bigl(\mathcal N(\mu, \operatorname{diag} e^{v})\,\|\,\mathcal N(0, I)\bigr)`, summed over the last dimension.

    .. math::

        \tfrac12 \sum_j \bigl(\mu_j^2 + e^{v_j} - 1 - v_j\bigr)

    with :math:`v = \log\sigma^2` (``logvar``), the KL term of a variational
    autoencoder's loss. :math:`e^{v} - 1 - v` is evaluated without cancellation
    near :math:`v = 0`.

    Parameters
    ----------
    mu, logvar : torch.Tensor, shape (..., k)
        Mean and log-variance of the diagonal Gaussian (broadcast together).

    Returns
    -------
    torch.Tensor, shape (...)
        One divergence (nats) per distribution; reduce it as the loss requires.
    """
    _check_tensor(mu, "mu")
    _check_tensor(logvar, "logvar")
    if not torch.isfinite(mu).all():
        raise ValueError("mu: entries must be finite")
    if not torch.isfinite(logvar).all():
        raise ValueError("logvar: entries must be finite")
    return 0.5 * (mu * mu + expm1_minus_x(logvar, array_api_compat.array_namespace(logvar))).sum(dim=-1)


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    temperature: float,
    reduction: str = "batchmean",
) -> torch.Tensor:
    r"""Knowledge-distillation loss :math:`T^2\, D\bigl(\operatorname{softmax}(z_t/T)\,\|\,\operatorname{softmax}(z_s/T)\bigr)`.

    The teacher's softened distribution is the target (first argument). The
    factor :math:`T^2` keeps the gradient's scale independent of the temperature,
    as in Hinton, Vinyals and Dean (2015), "Distilling the Knowledge in a Neural
    Network", arXiv:1503.02531. Gradients flow to the student; detach the teacher
    logits if the teacher is not trained.

    Parameters
    ----------
    student_logits, teacher_logits : torch.Tensor, shape (..., C)
    temperature : float
        :math:`T > 0`.
    reduction : {"batchmean", "sum", "none"}
    """
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise TypeError(f"temperature: expected a real number, got {type(temperature).__name__}")
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature: must be finite and > 0, got {temperature!r}")
    _check_tensor(student_logits, "student_logits")
    _check_tensor(teacher_logits, "teacher_logits")
    per_item = kl_divergence_from_logits(teacher_logits / temperature, student_logits / temperature, axis=-1)
    return temperature**2 * _reduce(per_item, reduction)
