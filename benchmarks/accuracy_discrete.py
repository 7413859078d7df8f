"""Accuracy of kl.kl_divergence and its peers against mpmath (50 digits).

    python benchmarks/accuracy_discrete.py

For random pairs and for nearly equal pairs (q = p (1 + delta u), renormalised,
where the first-order terms cancel), prints the worst relative error over the
trials of: kl.kl_divergence, scipy.special.rel_entr(p, q).sum(),
scipy.special.kl_div(p, q).sum(), scipy.stats.entropy(p, q) and
torch.nn.functional.kl_div(q.log(), p, reduction="sum").
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import scipy.special
import scipy.stats
import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
from reference import kl_mp, kl_raw_mp, relative_error  # noqa: E402

import kl  # noqa: E402

PEERS = {
    "kl.kl_divergence": lambda p, q: kl.kl_divergence(p, q),
    "rel_entr().sum()": lambda p, q: scipy.special.rel_entr(p, q).sum(),
    "kl_div().sum()": lambda p, q: scipy.special.kl_div(p, q).sum(),
    "stats.entropy(p,q)": lambda p, q: scipy.stats.entropy(p, q),
    "F.kl_div(log q,p)": lambda p, q: F.kl_div(
        torch.from_numpy(q).log(), torch.from_numpy(p), reduction="sum"
    ).item(),
}


def pairs(delta, trials, rng):
    for _ in range(trials):
        n = int(rng.integers(2, 50))
        p = rng.dirichlet(np.ones(n))
        if delta is None:
            q = rng.dirichlet(np.ones(n))
        else:
            q = p * (1 + delta * rng.uniform(-1, 1, n))
        yield p, q / q.sum()


def main(trials: int = 200) -> None:
    for name, reference in [("normalised", kl_mp), ("raw", kl_raw_mp)]:
        table(trials, reference, name)
    sensitivity()


def sensitivity() -> None:
    """How much each quantity moves when q is normalised in two equally valid ways."""
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(20))
    q0 = p * (1 + 1e-7 * rng.uniform(-1, 1, 20))
    q_a, q_b = q0 / q0.sum(), q0 * (1 / q0.sum())
    print("\nq normalised as q / q.sum() and as q * (1 / q.sum()), delta = 1e-7:")
    for label, reference in [("normalised reference", kl_mp), ("raw-sum reference", kl_raw_mp)]:
        a, b = float(reference(p, q_a)), float(reference(p, q_b))
        print(f"  {label:>20}: {a:.6e} vs {b:.6e} (relative change {abs(a - b) / a:.1e})")
    a, b = kl.kl_divergence(p, q_a), kl.kl_divergence(p, q_b)
    print(f"  {'kl.kl_divergence':>20}: {a:.6e} vs {b:.6e} (relative change {abs(a - b) / a:.1e})")


def table(trials, reference_function, reference_name) -> None:
    rng = np.random.default_rng(20261121)
    print(f"\nworst relative error against the {reference_name} mpmath reference over {trials} pairs")
    print(f"{'pairs':>16} " + " ".join(f"{name:>19}" for name in PEERS))
    for delta in [None, 1e-2, 1e-4, 1e-6, 1e-7, 1e-8]:
        worst = dict.fromkeys(PEERS, 0.0)
        for p, q in pairs(delta, trials, rng):
            reference = reference_function(p, q)
            for name, function in PEERS.items():
                worst[name] = max(worst[name], relative_error(function(p, q), reference))
        label = "random" if delta is None else f"delta = {delta:g}"
        print(f"{label:>16} " + " ".join(f"{worst[name]:19.2e}" for name in PEERS))


if __name__ == "__main__":
    main()
