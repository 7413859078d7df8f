"""The result type shared by the closed forms and the numerical fallback."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Divergence(NamedTuple):
    """A divergence with how it was obtained (``full_output=True``)."""

    value: float | np.ndarray
    #: Absolute error estimate of the quadrature or summation; 0 for a closed form
    #: (whose only error is floating-point rounding, < 1e-12 relative in the tests).
    error: float | np.ndarray
    method: str  # "closed form", "quadrature" or "summation"


def scalar_or_array(value):
    """A float64 array, or a NumPy scalar when it is 0-dimensional."""
    value = np.asarray(value, dtype=float)
    return value[()] if value.ndim == 0 else value
