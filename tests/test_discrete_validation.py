"""Bad input gets a clear error that names the argument and the problem."""

import math

import numpy as np
import pytest

import kl

P, Q = [0.5, 0.5], [0.3, 0.7]


@pytest.mark.parametrize(
    ("p", "q", "error", "message"),
    [
        ([-0.2, 1.2], Q, ValueError, r"p: entries must be non-negative; got -0\.2 at index 0"),
        (P, [0.5, np.nan], ValueError, r"q: entries must not be NaN; got NaN at index 1"),
        (P, [np.inf, 0.5], ValueError, r"q: entries must be finite; got inf at index 0"),
        ([0.5, 0.6], Q, ValueError, r"p: probabilities must sum to 1 within 1\.5e-08; got sum 1\.1"),
        (P, [0.3, 0.3], ValueError, r"q: probabilities must sum to 1"),
        (P, [0.2, 0.3, 0.5], ValueError, r"p and q: distributions must have the same number of outcomes"),
        ([], [], ValueError, r"p: empty input"),
        (0.5, 0.5, ValueError, r"p: expected at least one dimension"),
        (["a", "b"], Q, TypeError, r"p: expected real numbers"),
        ("ab", Q, TypeError, r"p: expected an array of real numbers, got str"),
        (P, [True, False], TypeError, r"q: expected real numbers, got dtype bool"),
        (P, [0.5 + 0j, 0.5], TypeError, r"q: expected real numbers, got dtype complex128"),
        ([[0.5, 0.5], [1.0]], Q, ValueError, r"p: could not form a rectangular array"),
    ],
)
def test_bad_probability_input_is_rejected_with_a_named_message(p, q, error, message):
    for function in (kl.kl_divergence, kl.cross_entropy, kl.js_divergence):
        with pytest.raises(error, match=message):
            function(p, q)


def test_row_that_does_not_sum_to_one_is_located_in_the_message():
    p = np.array([[0.5, 0.5], [0.2, 0.7]])
    with pytest.raises(ValueError, match=r"p: probabilities must sum to 1 .* \(batch index \(1,\)\)"):
        kl.kl_divergence(p, Q)


def test_scipy_style_silent_normalisation_is_opt_in():
    # scipy.stats.entropy([.5, .5], [.3, .3]) silently normalises q and returns 0.0.
    with pytest.raises(ValueError, match="normalize=True"):
        kl.kl_divergence(P, [0.3, 0.3])
    assert kl.kl_divergence(P, [0.3, 0.3], normalize=True) == 0.0
    assert kl.kl_divergence([1, 1], [3, 7], normalize=True) == kl.kl_divergence(P, Q)


def test_normalising_an_all_zero_vector_is_an_error_not_nan():
    with pytest.raises(ValueError, match="p: cannot normalise a vector that sums to 0"):
        kl.kl_divergence([0.0, 0.0], Q, normalize=True)


def test_sum_tolerance_is_documented_per_dtype():
    assert kl.sum_tolerance(np.float64) == math.sqrt(np.finfo(np.float64).eps)
    assert kl.sum_tolerance(np.float32) == math.sqrt(np.finfo(np.float32).eps)
    just_inside = [0.5, 0.5 + 0.9 * kl.sum_tolerance(np.float64)]
    just_outside = [0.5, 0.5 + 1.1 * kl.sum_tolerance(np.float64)]
    kl.entropy(just_inside)
    with pytest.raises(ValueError):
        kl.entropy(just_outside)


@pytest.mark.parametrize("base", [0, -2, 1, 1.0, math.inf, math.nan])
def test_invalid_base_is_rejected(base):
    with pytest.raises(ValueError, match="base: must be finite, positive and different from 1"):
        kl.kl_divergence(P, Q, base=base)


@pytest.mark.parametrize("base", ["2", True, [2]])
def test_non_numeric_base_is_a_type_error(base):
    with pytest.raises(TypeError, match="base: expected a real number or None"):
        kl.entropy(P, base=base)


def test_axis_must_exist_and_be_an_integer():
    with pytest.raises(ValueError, match="axis: 2 is out of range for p with 1 dimension"):
        kl.kl_divergence(P, Q, axis=2)
    with pytest.raises(TypeError, match="axis: expected an integer"):
        kl.kl_divergence(P, Q, axis=0.0)


def test_batch_shapes_that_do_not_broadcast_are_rejected():
    with pytest.raises(ValueError, match=r"p and q: shapes \(2, 2\) and \(3, 2\) do not broadcast"):
        kl.kl_divergence(np.full((2, 2), 0.5), np.full((3, 2), 0.5))


def test_one_q_broadcasts_against_a_batch_of_p():
    ps = np.array([[0.5, 0.5], [0.3, 0.7]])
    np.testing.assert_array_equal(kl.kl_divergence(ps, Q), [kl.kl_divergence(P, Q), 0.0])


def test_logits_reject_nan_plus_inf_and_all_minus_inf_rows():
    with pytest.raises(ValueError, match="logits_p: entries must not be NaN"):
        kl.kl_divergence_from_logits([np.nan, 0.0], [0.0, 0.0])
    with pytest.raises(ValueError, match=r"logits_q: entries must not be \+inf"):
        kl.kl_divergence_from_logits([0.0, 0.0], [np.inf, 0.0])
    with pytest.raises(ValueError, match="logits_q: every entry is -inf"):
        kl.kl_divergence_from_logits([0.0, 0.0], [-np.inf, -np.inf])


def test_minus_inf_logits_mean_probability_zero():
    assert kl.kl_divergence_from_logits([0.0, -np.inf], [0.0, 0.0]) == pytest.approx(math.log(2), rel=1e-15)
    assert kl.kl_divergence_from_logits([0.0, 0.0], [0.0, -np.inf]) == math.inf


def test_zero_in_p_contributes_nothing_and_zero_in_q_gives_inf_never_nan():
    assert kl.kl_divergence([0.0, 1.0], P) == pytest.approx(math.log(2), rel=1e-15)
    assert kl.kl_divergence(P, [0.0, 1.0]) == math.inf
    assert kl.cross_entropy(P, [0.0, 1.0]) == math.inf
    assert kl.entropy([0.0, 1.0]) == 0.0
    assert kl.js_divergence([0.0, 1.0], [1.0, 0.0]) == pytest.approx(math.log(2), rel=1e-15)
