"""Accuracy of kl.divergence's closed forms against mpmath, and torch on the same pairs.

    python benchmarks/accuracy_closed_form.py

For every case of tests/test_closed_form.py (including nearly equal
distributions), prints kl's relative error against the 40-digit mpmath
quadrature or summation of the definition, the worst per pair of families, and
torch.distributions.kl_divergence's error where torch has the pair.
"""

from __future__ import annotations

import pathlib
import sys
from collections import defaultdict

import torch
from scipy import stats

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
from reference import relative_error  # noqa: E402
from reference_distributions import kl_continuous, kl_discrete  # noqa: E402
from test_closed_form import CONTINUOUS_CASES, DISCRETE_CASES  # noqa: E402

import kl  # noqa: E402

T = torch.float64
TORCH = {
    "norm": lambda d: torch.distributions.Normal(
        torch.tensor(d["loc"], dtype=T), torch.tensor(d["scale"], dtype=T)
    ),
    "laplace": lambda d: torch.distributions.Laplace(
        torch.tensor(d["loc"], dtype=T), torch.tensor(d["scale"], dtype=T)
    ),
    "poisson": lambda d: torch.distributions.Poisson(torch.tensor(d["mu"], dtype=T)),
    "bernoulli": lambda d: torch.distributions.Bernoulli(probs=torch.tensor(d["p"], dtype=T)),
    "geom": lambda d: torch.distributions.Geometric(probs=torch.tensor(d["p"], dtype=T)),
}


def main() -> None:
    worst = defaultdict(float)
    print(f"{'case':58} {'kl rel. error':>14} {'torch rel. error':>17}")
    for cases, reference_function in [(CONTINUOUS_CASES, kl_continuous), (DISCRETE_CASES, kl_discrete)]:
        for family_p, params_p, family_q, params_q in cases:
            p, q = getattr(stats, family_p)(**params_p), getattr(stats, family_q)(**params_q)
            reference = reference_function(family_p, params_p, family_q, params_q)
            error = relative_error(kl.divergence(p, q), reference)
            worst[(family_p, family_q)] = max(worst[(family_p, family_q)], error)
            torch_error = ""
            if family_p == family_q and family_p in TORCH:
                value = torch.distributions.kl_divergence(
                    TORCH[family_p](params_p), TORCH[family_q](params_q)
                ).item()
                torch_error = f"{relative_error(value, reference):17.2e}"
            label = f"{family_p}{list(params_p.values())} || {family_q}{list(params_q.values())}"
            print(f"{label[:58]:58} {error:14.2e} {torch_error}")
    print("\nworst relative error per pair of families:")
    for pair, error in sorted(worst.items()):
        print(f"  {pair[0]:>10} || {pair[1]:<10} {error:.2e}")


if __name__ == "__main__":
    main()
