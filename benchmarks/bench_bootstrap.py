"""Benchmark: bootstrap_operating_point against the obvious loop.

Same run, same data: n labels with 50% positives and scores rounded to three
decimals (ties, as real probabilities have), objective F1.

* skeval: ``bootstrap_operating_point(y, s, n_resamples=R)``: one sort, each
  resample a ``bincount`` of drawn sorted positions (in-bag re-selection and
  out-of-bag metrics);
* the loop: per resample, multiplicities as sample weights and
  ``operating_point`` (one sort per resample), in-bag only, timed on a
  subset of resamples and scaled to R.

Run: ``python benchmarks/bench_bootstrap.py`` (``--n``, ``--resamples``).
"""

import argparse
import time

import numpy as np

from skeval.metrics import bootstrap_operating_point, operating_point


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.RandomState(0)
    y = rng.randint(2, size=args.n)
    s = np.round(np.clip(0.25 * y + rng.normal(0.4, 0.2, size=args.n), 0, 1), 3)

    fast = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        bootstrap_operating_point(y, s, n_resamples=args.resamples, random_state=0)
        fast.append(time.perf_counter() - start)
    draws = np.random.default_rng(0)
    loop_n = max(1, args.resamples // 20)
    start = time.perf_counter()
    for _ in range(loop_n):
        m = np.bincount(draws.integers(0, args.n, args.n), minlength=args.n)
        operating_point(y, s, sample_weight=m.astype(float))
    loop = (time.perf_counter() - start) / loop_n * args.resamples
    med = float(np.median(fast))
    print(f"n={args.n}, {args.resamples} resamples")
    print(f"  bootstrap_operating_point  median {med:.2f} s (of {args.repeats})")
    print(f"  loop of operating_point    {loop:.2f} s (scaled from {loop_n})")
    print(f"  ratio loop / skeval        {loop / med:.1f}x")


if __name__ == "__main__":
    main()
