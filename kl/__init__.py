"""kl: verified Kullback–Leibler divergences and their relatives.

The package behind the executable book *Kullback–Leibler divergence, verified*.
Every formula is checked against an independent reference (mpmath at 50 digits,
quadrature, or another library where that library is right); see ``tests/``.

Units: natural logarithms (nats) unless ``base`` is given; ``base=2`` gives bits.
"""

from . import estimators
from ._validation import sum_tolerance
from .closed_form import Divergence, divergence, register, registered_pairs
from .discrete import (
    JS_BOUND_NATS,
    cross_entropy,
    entropy,
    js_divergence,
    kl_divergence,
    kl_divergence_from_logits,
)

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "kl_divergence_from_logits",
    "js_divergence",
    "sum_tolerance",
    "estimators",
    "divergence",
    "register",
    "registered_pairs",
    "Divergence",
    "JS_BOUND_NATS",
]

__version__ = "0.1.0"


def __getattr__(name):
    # kl.nn needs torch, an optional dependency: import it on first use only.
    if name == "nn":
        import importlib

        return importlib.import_module(".nn", __name__)
    raise AttributeError(f"module 'kl' has no attribute {name!r}")
