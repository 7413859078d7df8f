"""Speed of kl.kl_divergence against scipy and torch on the same data, in one run.

Prints the median time of each over several repetitions and the ratio to
``scipy.special.rel_entr(p, q).sum()``. Target (foundation issue): the validated
``kl.kl_divergence`` within 1.5x of ``rel_entr`` on NumPy input.

    python benchmarks/bench_discrete.py [--repeat 7]

``kl`` does more than the peers: it validates both inputs (NaN, inf, negative
entries, sums) and keeps full relative accuracy when p and q are nearly equal.
Two data sets: independent random distributions, where few entries are close,
and nearly equal ones, where every entry takes the series branch.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import scipy.special
import torch
import torch.nn.functional as F

import kl


def median_seconds(function, repeat: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def data(n: int, nearly_equal: bool, rng) -> tuple[np.ndarray, np.ndarray]:
    p = rng.random(n) + 1e-3
    p /= p.sum()
    if nearly_equal:
        q = p * (1 + 1e-6 * rng.uniform(-1, 1, n))
    else:
        q = rng.random(n) + 1e-3
    q /= q.sum()
    return p, q


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)  # compare single-threaded kernels
    rng = np.random.default_rng(0)
    print(
        f"numpy {np.__version__}, scipy {scipy.__version__}, torch {torch.__version__}; float64; median of {args.repeat}"
    )
    print(
        f"{'n':>10} {'data':>13} {'rel_entr':>10} {'kl':>10} {'kl/rel_entr':>12} {'F.kl_div':>10} {'kl/F.kl_div':>12}"
    )
    for n in (10**6, 10**7):
        for nearly_equal in (False, True):
            p, q = data(n, nearly_equal, rng)
            tp, tq = torch.from_numpy(p), torch.from_numpy(q)
            log_tq = tq.log()
            t_scipy = median_seconds(lambda p=p, q=q: scipy.special.rel_entr(p, q).sum(), args.repeat)
            t_kl = median_seconds(lambda p=p, q=q: kl.kl_divergence(p, q), args.repeat)
            t_torch = median_seconds(
                lambda log_tq=log_tq, tp=tp: F.kl_div(log_tq, tp, reduction="sum"), args.repeat
            )
            label = "nearly equal" if nearly_equal else "independent"
            print(
                f"{n:>10} {label:>13} {t_scipy * 1e3:8.1f}ms {t_kl * 1e3:8.1f}ms {t_kl / t_scipy:12.2f} "
                f"{t_torch * 1e3:8.1f}ms {t_kl / t_torch:12.2f}"
            )


if __name__ == "__main__":
    main()
