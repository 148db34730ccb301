"""Benchmark: peak memory and time of one exact multiclass offset step.

One call of ``skeval._offsets.coordinate_curve`` (the step the offset tuner
repeats for every class and sweep) on ``n`` samples and ``K`` classes, for the
four confusion formulas and a cost matrix. Peak memory is measured with
``tracemalloc`` *beyond the inputs* (the ``n x K`` scores, which the caller
holds anyway), in bytes per sample per class; the target is under 100.

Anchor, in the same run: the previous implementation of the formula step,
which stacked one ``K x K`` confusion matrix per sample (about ``3 n K**2``
floats). It runs only where that fits in memory (``--anchor-max-k``, default
10); at ``K = 50`` and ``n = 1e5`` it would need about 6 GB.

Run: ``python benchmarks/bench_offsets_memory.py [--n 100000] [--k 10 50]``.
"""

import argparse
import time
import tracemalloc

import numpy as np

from skeval._core._counts import label_counts
from skeval._core._multiclass import MULTICLASS_FORMULAS
from skeval._offsets import OffsetObjective, _others_best, coordinate_curve


def _anchor_step(scores, y_idx, w, offsets, k, formula):
    """The previous formula step: an (n, K, K) cumulated stack."""
    n, n_classes = scores.shape
    rest, rest_score = _others_best(scores, offsets, k)
    cut = rest_score - scores[:, k]
    order = np.argsort(cut, kind="stable")
    ends = np.arange(n)
    y_o, r_o, w_o = y_idx[order], rest[order], w[order]
    base = label_counts(y_idx, rest, n_classes, w)
    moved = np.zeros((n, n_classes * n_classes))
    moved[np.arange(n), y_o * n_classes + r_o] = w_o
    moved = np.cumsum(moved, axis=0)[ends].reshape(-1, n_classes, n_classes)
    stack = np.broadcast_to(base, (n + 1, n_classes, n_classes)).copy()
    stack[1:] -= moved
    stack[1:, :, k] += moved.sum(axis=2)
    with np.errstate(invalid="ignore"):  # its rounding noise can go negative
        return formula(stack)


def measure(func, *args):
    """Peak traced bytes and seconds of one call."""
    tracemalloc.start()
    start = time.perf_counter()
    func(*args)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--k", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--anchor-max-k", type=int, default=10)
    args = parser.parse_args()
    n = args.n
    print(f"n = {n}; peak memory beyond the inputs, bytes per sample per class")
    print(
        f"{'K':>4} {'objective':<18} {'bytes/(n*K)':>12} {'seconds':>8} "
        f"{'anchor bytes/(n*K)':>19} {'anchor s':>9}"
    )
    for n_classes in args.k:
        rng = np.random.default_rng(0)
        y = rng.integers(0, n_classes, n)
        scores = rng.normal(size=(n, n_classes)) + np.eye(n_classes)[y]
        w = rng.uniform(0.5, 2.0, n)
        offsets = np.zeros(n_classes)
        costs = rng.uniform(0, 5, (n_classes, n_classes)) * (1 - np.eye(n_classes))
        objectives = {
            name: OffsetObjective(formula=f) for name, f in MULTICLASS_FORMULAS.items()
        }
        objectives["cost"] = OffsetObjective(sample_costs=costs[y])
        for name, objective in objectives.items():
            peak, seconds = measure(
                coordinate_curve, scores, y, w, offsets, 1, objective
            )
            anchor = ""
            if name != "cost" and n_classes <= args.anchor_max_k:
                a_peak, a_seconds = measure(
                    _anchor_step, scores, y, w, offsets, 1, objective.formula
                )
                anchor = f"{a_peak / (n * n_classes):19.1f} {a_seconds:9.3f}"
            print(
                f"{n_classes:>4} {name:<18} {peak / (n * n_classes):12.1f} "
                f"{seconds:8.3f} {anchor}"
            )


if __name__ == "__main__":
    main()
