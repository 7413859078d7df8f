"""Speed of kl.estimators.knn as n = m grows, and the fitted growth exponent.

    python benchmarks/bench_knn.py [--dim 5] [--repeat 3]

Target (issue): n = m = 10^5 in d = 5 in a few seconds on this 2-core machine.
The exponent is the slope of log(time) against log(n); k-d tree queries are
about n log n, so expect a little above 1 (it grows with the dimension).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np

from kl.estimators import knn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dim", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    sizes = [1_000, 3_000, 10_000, 30_000, 100_000]
    times = []
    print(f"d = {args.dim}, median of {args.repeat}; true divergence 0.5 (unit shift of a standard normal)")
    print(f"{'n = m':>8} {'seconds':>9} {'estimate':>9}")
    for n in sizes:
        x = rng.standard_normal((n, args.dim))
        y = rng.standard_normal((n, args.dim))
        y[:, 0] += 1.0
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            estimate = knn(x, y)
            runs.append(time.perf_counter() - start)
        times.append(statistics.median(runs))
        print(f"{n:>8} {times[-1]:9.3f} {estimate:9.4f}")
    slope = np.polyfit(np.log(sizes), np.log(times), 1)[0]
    print(
        f"fitted exponent: time ~ n^{slope:.2f} (n log n would show as about {1 + 1 / math.log(sizes[-1]):.2f})"
    )


if __name__ == "__main__":
    main()
