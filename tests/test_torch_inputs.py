"""kl.discrete with torch tensors: same numbers, torch outputs, working gradients."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from reference import kl_mp, relative_error

import kl


def _t(values, dtype=torch.float64, **kw):
    return torch.tensor(values, dtype=dtype, **kw)


def test_torch_input_returns_a_tensor_with_the_same_value_as_numpy():
    p, q = [0.5, 0.5], [0.3, 0.7]
    value = kl.kl_divergence(_t(p), _t(q))
    assert isinstance(value, torch.Tensor) and value.dtype == torch.float64
    assert relative_error(value.item(), kl_mp(p, q)) <= 1e-14


def test_float32_stays_float32():
    value = kl.kl_divergence(_t([0.5, 0.5], torch.float32), _t([0.3, 0.7], torch.float32))
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(float(kl_mp([0.5, 0.5], [0.3, 0.7])), rel=1e-6)


def test_python_list_next_to_a_tensor_takes_the_tensor_dtype():
    value = kl.kl_divergence(_t([0.5, 0.5], torch.float32), [0.3, 0.7])
    assert isinstance(value, torch.Tensor) and value.dtype == torch.float32


def test_batched_tensor_input_matches_rowwise_numpy():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(5), size=7), rng.dirichlet(np.ones(5), size=7)
    torch_values = kl.kl_divergence(torch.from_numpy(p), torch.from_numpy(q), axis=-1)
    np.testing.assert_allclose(torch_values.numpy(), kl.kl_divergence(p, q), rtol=1e-14)


@pytest.mark.parametrize("function", [kl.kl_divergence, kl.js_divergence, kl.cross_entropy])
def test_gradients_pass_gradcheck_in_float64(function):
    # gradcheck perturbs single entries, which breaks the sum-to-one check, so the
    # inputs are positive weights normalised inside the checked function.
    torch.manual_seed(0)
    a = torch.rand(3, 6, dtype=torch.float64) + 0.05
    b = torch.rand(3, 6, dtype=torch.float64) + 0.05
    a.requires_grad_(True)
    b.requires_grad_(True)

    def f(x, y):
        return function(x / x.sum(-1, keepdim=True), y / y.sum(-1, keepdim=True))

    assert torch.autograd.gradcheck(f, (a, b))


def test_gradient_is_log_ratio_plus_constant():
    # d/dp_i of sum p log(p/q) - p + q is log(p_i/q_i): a closed form to compare with.
    p = _t([0.2, 0.3, 0.5], requires_grad=True)
    q = _t([0.4, 0.4, 0.2])
    kl.kl_divergence(p, q).backward()
    torch.testing.assert_close(p.grad, torch.log(p.detach() / q), rtol=1e-13, atol=0)


def test_gradient_near_equality_is_finite_and_correct():
    p = _t([0.25, 0.25, 0.5], requires_grad=True)
    q = _t([0.25, 0.25 + 1e-9, 0.5 - 1e-9])
    kl.kl_divergence(p, q).backward()
    torch.testing.assert_close(p.grad, torch.log(p.detach() / q), rtol=1e-6, atol=1e-18)


def test_logits_gradients_pass_gradcheck_and_stay_finite_when_saturated():
    torch.manual_seed(1)
    zp = (100 * torch.randn(4, 5, dtype=torch.float64)).requires_grad_(True)
    zq = (100 * torch.randn(4, 5, dtype=torch.float64)).requires_grad_(True)
    value = kl.kl_divergence_from_logits(zp, zq).sum()
    value.backward()
    assert torch.isfinite(zp.grad).all() and torch.isfinite(zq.grad).all()
    small_p = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    small_q = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(kl.kl_divergence_from_logits, (small_p, small_q))


def test_agrees_with_torch_kl_div_where_torch_is_right():
    # F.kl_div(input=log q, target=p, reduction='sum') is KL(p || q).
    rng = np.random.default_rng(2)
    p = torch.from_numpy(rng.dirichlet(np.ones(10)))
    q = torch.from_numpy(rng.dirichlet(np.ones(10)))
    expected = F.kl_div(q.log(), p, reduction="sum")
    torch.testing.assert_close(kl.kl_divergence(p, q), expected, rtol=1e-13, atol=0)


def test_mixing_numpy_and_torch_is_a_type_error():
    with pytest.raises(TypeError, match="all be NumPy arrays or all be torch tensors"):
        kl.kl_divergence(np.array([0.5, 0.5]), _t([0.5, 0.5]))


def test_tensor_validation_messages_match_numpy():
    with pytest.raises(ValueError, match=r"q: entries must be non-negative; got -0\.5 at index 1"):
        kl.kl_divergence(_t([0.5, 0.5]), _t([1.5, -0.5]))
    with pytest.raises(TypeError, match="p: expected real numbers"):
        kl.entropy(torch.tensor([True, False]))


def test_infinite_result_is_inf_not_nan_for_tensors():
    value = kl.kl_divergence(_t([0.5, 0.5]), _t([1.0, 0.0]))
    assert math.isinf(value.item())
