"""Input checking shared by every public function of :mod:`kl`.

Every check raises an error that names the argument and the problem, so that a
caller never receives a silent NaN.  Normalising is opt-in (``normalize=True``).
"""

from __future__ import annotations

import math
import numbers

import array_api_compat
import numpy as np

__all__ = [
    "SUM_TOLERANCE",
    "sum_tolerance",
    "namespace",
    "as_float_array",
    "as_distribution",
    "as_logits",
    "check_base",
    "move_axis_last",
]

#: Documented tolerance on ``|sum - 1|`` per distribution, by float dtype: the
#: square root of the machine epsilon (1.5e-8 for float64, 3.5e-4 for float32).
#: Loose enough for probabilities produced by floating-point arithmetic, tight
#: enough to reject vectors that were never normalised.
SUM_TOLERANCE = {
    "float64": math.sqrt(np.finfo(np.float64).eps),
    "float32": math.sqrt(np.finfo(np.float32).eps),
    "float16": math.sqrt(np.finfo(np.float16).eps),
}


def sum_tolerance(dtype) -> float:
    """Return the tolerance on ``|sum - 1|`` for arrays of ``dtype``."""
    if hasattr(dtype, "is_floating_point"):  # a torch.dtype
        name = str(dtype).removeprefix("torch.")
    else:
        name = np.dtype(dtype).name
    # bfloat16 and other short floats get the float32 tolerance: their own
    # square-root epsilon (0.09 for bfloat16) would accept garbage.
    return SUM_TOLERANCE.get(name, SUM_TOLERANCE["float32"])


def namespace(*arrays):
    """Array namespace shared by ``arrays``; plain Python input means NumPy.

    NumPy arrays and torch tensors cannot be mixed: converting silently would
    either detach a tensor from autograd or copy a large array.
    """
    api_objects = [a for a in arrays if array_api_compat.is_array_api_obj(a)]
    # NumPy scalars count as array objects but carry no namespace preference.
    api_objects = [a for a in api_objects if not isinstance(a, np.generic)]
    if not api_objects:
        return array_api_compat.array_namespace(np.empty(0))
    try:
        return array_api_compat.array_namespace(*api_objects)
    except TypeError:
        kinds = sorted({type(a).__module__ + "." + type(a).__name__ for a in api_objects})
        raise TypeError(
            "inputs must all be NumPy arrays or all be torch tensors; got " + ", ".join(kinds)
        ) from None


def _reference_array(xp, like):
    return like if array_api_compat.is_array_api_obj(like) and not isinstance(like, np.generic) else None


def as_float_array(x, name: str, xp, like=None):
    """Convert ``x`` to a real floating array of namespace ``xp``.

    Integers become float64; booleans, complex numbers, strings and objects are
    rejected with ``TypeError``; ragged or empty input with ``ValueError``.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name}: expected an array of real numbers, got {type(x).__name__}")
    if not array_api_compat.is_array_api_obj(x) or isinstance(x, np.generic):
        try:
            as_np = np.asarray(x)
        except ValueError as exc:  # ragged nested sequences
            raise ValueError(f"{name}: could not form a rectangular array ({exc})") from None
        x = as_np
        if array_api_compat.is_torch_namespace(xp):
            ref = _reference_array(xp, like)
            if as_np.dtype.kind not in "biuf":
                raise TypeError(f"{name}: expected real numbers, got dtype {as_np.dtype}")
            dtype = ref.dtype if ref is not None and xp.isdtype(ref.dtype, "real floating") else None
            device = ref.device if ref is not None else None
            x = xp.asarray(as_np, dtype=dtype, device=device)
    dtype = x.dtype
    if xp.isdtype(dtype, "bool") or not xp.isdtype(dtype, ("real floating", "integral")):
        raise TypeError(f"{name}: expected real numbers, got dtype {dtype}")
    if xp.isdtype(dtype, "integral"):
        x = xp.astype(x, xp.float64)
    if x.ndim == 0:
        raise ValueError(f"{name}: expected at least one dimension, got a scalar")
    if math.prod(x.shape) == 0:
        raise ValueError(f"{name}: empty input (shape {tuple(x.shape)})")
    return x


def _first_index(mask) -> tuple[int, ...]:
    """Index of the first True entry of a boolean array (NumPy or torch)."""
    if hasattr(mask, "detach"):
        mask = mask.detach().cpu().numpy()
    idx = np.argwhere(np.asarray(mask))[0]
    return tuple(int(i) for i in idx)


def _entry(x, index) -> float:
    value = x[index]
    return float(value.detach()) if hasattr(value, "detach") else float(value)


def _fmt_index(index: tuple[int, ...]) -> str:
    return str(index[0]) if len(index) == 1 else str(index)


def move_axis_last(x, axis, name: str, xp):
    """Move ``axis`` of ``x`` to the end, checking that it exists."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis: expected an integer, got {type(axis).__name__}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis: {axis} is out of range for {name} with {x.ndim} dimension(s)")
    axis = int(axis) % x.ndim
    return x if axis == x.ndim - 1 else xp.moveaxis(x, axis, -1)


def as_distribution(x, name: str, xp, *, axis: int = -1, normalize: bool = False, like=None):
    """Validate ``x`` as probability vectors along ``axis`` and move that axis last.

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        Empty input, NaN or infinite entries, negative entries, or a vector whose
        sum differs from 1 by more than :func:`sum_tolerance` (unless
        ``normalize=True``, which divides by the sum instead).
    """
    given = as_float_array(x, name, xp, like=like)
    x = move_axis_last(given, axis, name, xp)
    # Two cheap reductions find every problem at once: a NaN or inf makes a
    # row sum non-finite, a negative entry makes the minimum negative.
    sums = xp.sum(x, axis=-1, keepdims=True)
    minimum = xp.min(x)
    if not bool(xp.all(xp.isfinite(sums))) or not bool(minimum >= 0):
        _raise_bad_entry(given, name, xp)  # indices as the caller sees them
    if normalize:
        if not bool(xp.all(sums > 0)):
            index = _first_index(sums[..., 0] <= 0)
            raise ValueError(f"{name}: cannot normalise a vector that sums to 0 (batch index {index})")
        return x / sums
    tolerance = sum_tolerance(x.dtype)
    off = xp.abs(sums[..., 0] - 1) > tolerance
    if bool(xp.any(off)):
        index = _first_index(off) if off.ndim else ()
        total = _entry(sums[..., 0], index) if index else _entry(sums, (0,))
        where = f" (batch index {index})" if index else ""
        raise ValueError(
            f"{name}: probabilities must sum to 1 within {tolerance:.2g}; got sum {total!r}{where}. "
            "Pass normalize=True to divide by the sum."
        )
    return x


def _raise_bad_entry(x, name: str, xp):
    nan = xp.isnan(x)
    if bool(xp.any(nan)):
        raise ValueError(f"{name}: entries must not be NaN; got NaN at index {_fmt_index(_first_index(nan))}")
    infinite = xp.isinf(x)
    if bool(xp.any(infinite)):
        index = _first_index(infinite)
        raise ValueError(
            f"{name}: entries must be finite; got {_entry(x, index)} at index {_fmt_index(index)}"
        )
    negative = x < 0
    if bool(xp.any(negative)):
        index = _first_index(negative)
        raise ValueError(
            f"{name}: entries must be non-negative; got {_entry(x, index)!r} at index {_fmt_index(index)}"
        )
    raise ValueError(f"{name}: the sum of the entries overflows; these are not probabilities")


def as_logits(x, name: str, xp, *, axis: int = -1, like=None):
    """Validate logits (or log-probabilities) and move ``axis`` last.

    Entries may be ``-inf`` (probability zero) but not NaN or ``+inf``, and each
    vector needs at least one finite entry.
    """
    x = as_float_array(x, name, xp, like=like)
    nan = xp.isnan(x)
    if bool(xp.any(nan)):
        raise ValueError(f"{name}: entries must not be NaN; got NaN at index {_fmt_index(_first_index(nan))}")
    positive_inf = xp.isinf(x) & (x > 0)
    if bool(xp.any(positive_inf)):
        raise ValueError(
            f"{name}: entries must not be +inf; got +inf at index {_fmt_index(_first_index(positive_inf))}"
        )
    x = move_axis_last(x, axis, name, xp)
    all_minus_inf = xp.all(xp.isinf(x), axis=-1)
    if bool(xp.any(all_minus_inf)):
        index = _first_index(all_minus_inf) if all_minus_inf.ndim else ()
        where = f" (batch index {index})" if index else ""
        raise ValueError(f"{name}: every entry is -inf, which is no distribution{where}")
    return x


def check_base(base):
    """Return ``log(base)`` for a logarithm base, or ``None`` for nats."""
    if base is None:
        return None
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(f"base: expected a real number or None, got {type(base).__name__}")
    base = float(base)
    if not math.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(f"base: must be finite, positive and different from 1; got {base!r}")
    return math.log(base)


def check_same_support(p, q, names=("p", "q")):
    """Both arrays have the same length along the last axis and broadcast."""
    if p.shape[-1] != q.shape[-1]:
        raise ValueError(
            f"{names[0]} and {names[1]}: distributions must have the same number of outcomes "
            f"along axis; got {p.shape[-1]} and {q.shape[-1]} (shapes {tuple(p.shape)} and {tuple(q.shape)})"
        )
    try:
        np.broadcast_shapes(tuple(p.shape), tuple(q.shape))
    except ValueError:
        raise ValueError(
            f"{names[0]} and {names[1]}: shapes {tuple(p.shape)} and {tuple(q.shape)} do not broadcast"
        ) from None
