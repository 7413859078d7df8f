"""kl.nn against torch.distributions, F.kl_div and mpmath, with gradcheck."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mpmath import mp
from reference import kl_logits_mp, relative_error

import kl
import kl.nn

D = torch.float64


def test_kl_div_logits_matches_torch_categorical_and_f_kl_div():
    torch.manual_seed(0)
    zp, zq = torch.randn(16, 7, dtype=D), torch.randn(16, 7, dtype=D)
    per_row = kl.nn.kl_div_logits(zp, zq, reduction="none")
    expected = torch.distributions.kl_divergence(
        torch.distributions.Categorical(logits=zp), torch.distributions.Categorical(logits=zq)
    )
    torch.testing.assert_close(per_row, expected, rtol=1e-12, atol=0)
    batchmean = F.kl_div(F.log_softmax(zq, -1), F.log_softmax(zp, -1), log_target=True, reduction="batchmean")
    torch.testing.assert_close(kl.nn.kl_div_logits(zp, zq), batchmean, rtol=1e-12, atol=0)
    torch.testing.assert_close(
        kl.nn.kl_div_logits(zp, zq, reduction="sum"), per_row.sum(), rtol=1e-12, atol=0
    )


def test_kl_div_logits_is_accurate_and_differentiable_for_saturated_logits():
    torch.manual_seed(1)
    zp = (100 * torch.randn(8, 5, dtype=D)).requires_grad_(True)
    zq = (100 * torch.randn(8, 5, dtype=D)).requires_grad_(True)
    values = kl.nn.kl_div_logits(zp, zq, reduction="none")
    for i in range(8):
        assert relative_error(values[i].item(), kl_logits_mp(zp[i].tolist(), zq[i].tolist())) <= 1e-12
    values.sum().backward()
    assert torch.isfinite(zp.grad).all() and torch.isfinite(zq.grad).all()


def test_kl_div_logits_passes_gradcheck():
    torch.manual_seed(2)
    zp = torch.randn(3, 4, dtype=D, requires_grad=True)
    zq = torch.randn(3, 4, dtype=D, requires_grad=True)
    assert torch.autograd.gradcheck(kl.nn.kl_div_logits, (zp, zq))


def test_reduction_mean_is_refused_with_an_explanation():
    z = torch.zeros(2, 3, dtype=D)
    with pytest.raises(ValueError, match="'mean' is ambiguous.*use 'batchmean'"):
        kl.nn.kl_div_logits(z, z, reduction="mean")
    with pytest.raises(TypeError, match="logits_p: expected a torch.Tensor"):
        kl.nn.kl_div_logits(np.zeros((2, 3)), z)


def test_gaussian_kl_matches_torch_distributions():
    torch.manual_seed(3)
    mu, logvar = torch.randn(10, 4, dtype=D), torch.randn(10, 4, dtype=D)
    q = torch.distributions.Independent(torch.distributions.Normal(mu, torch.exp(0.5 * logvar)), 1)
    prior = torch.distributions.Independent(
        torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1
    )
    torch.testing.assert_close(
        kl.nn.gaussian_kl(mu, logvar), torch.distributions.kl_divergence(q, prior), rtol=1e-12, atol=0
    )


def test_gaussian_kl_keeps_digits_near_the_prior_where_the_textbook_form_cancels():
    logvar = torch.tensor([[1e-8, -3e-6]], dtype=D)
    mu = torch.zeros_like(logvar)
    with mp.workdps(40):
        exact = sum(mp.expm1(mp.mpf(v)) - mp.mpf(v) for v in logvar[0].tolist()) / 2
    ours = kl.nn.gaussian_kl(mu, logvar).item()
    textbook = (0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum()).item()
    assert relative_error(ours, exact) <= 1e-13
    assert relative_error(textbook, exact) > 1e-8  # the textbook form loses half the digits or more


def test_gaussian_kl_passes_gradcheck():
    torch.manual_seed(4)
    mu = torch.randn(3, 2, dtype=D, requires_grad=True)
    logvar = (0.05 * torch.randn(3, 2, dtype=D)).requires_grad_(True)  # both branches of the series switch
    logvar.data[0, 0] = 1.5
    assert torch.autograd.gradcheck(kl.nn.gaussian_kl, (mu, logvar))


def test_distillation_loss_is_t_squared_times_the_softened_kl():
    torch.manual_seed(5)
    student, teacher = torch.randn(6, 10, dtype=D), torch.randn(6, 10, dtype=D)
    for temperature in (1.0, 2.0, 4.0):
        expected = temperature**2 * F.kl_div(
            F.log_softmax(student / temperature, -1),
            F.softmax(teacher / temperature, -1),
            reduction="batchmean",
        )
        torch.testing.assert_close(
            kl.nn.distillation_loss(student, teacher, temperature), expected, rtol=1e-12, atol=0
        )


def test_distillation_loss_gradient_flows_to_the_student_and_checks_temperature():
    student = torch.randn(4, 5, dtype=D, requires_grad=True)
    teacher = torch.randn(4, 5, dtype=D)
    assert torch.autograd.gradcheck(lambda s: kl.nn.distillation_loss(s, teacher, 3.0), (student,))
    with pytest.raises(ValueError, match="temperature: must be finite and > 0"):
        kl.nn.distillation_loss(student, teacher, 0.0)
    with pytest.raises(TypeError, match="temperature: expected a real number"):
        kl.nn.distillation_loss(student, teacher, "2")
    assert math.isclose(kl.nn.distillation_loss(teacher, teacher, 2.0).item(), 0.0, abs_tol=0)
