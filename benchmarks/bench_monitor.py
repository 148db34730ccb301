"""Benchmark: what a monitor check costs, against the bare confusion matrix.

Data (seeded): binary labels with 30% positives, predictions with recall 0.85
and false positive rate 0.1. The baseline holds 10,000 cases.

Cases, per batch size n (1,000, 100,000 and 1,000,000 cases):

* anchor: ``sklearn.metrics.confusion_matrix(y, pred)`` and recall, precision
  and F1 from it (what any monitor must at least compute);
* ``PerformanceMonitor.check`` with recall and precision (exact bounds) and F1
  (resampled bound), no store;
* the same with an SQLite ``store=`` (one committed transaction per check,
  ``synchronous=FULL``).

The fixed cost of a check (the tests and the bootstrap) does not grow with n;
the per-case cost is the label checks and one ``bincount``.

Run: ``python benchmarks/bench_monitor.py`` (about half a minute).
"""

import logging
import os
import tempfile
import time

import numpy as np
from sklearn.metrics import confusion_matrix

from skeval.monitoring import PerformanceMonitor


def median_time(repeat, func, *args):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def make_batch(rng, n):
    y = (rng.uniform(size=n) < 0.3).astype(np.int64)
    pred = (rng.uniform(size=n) < np.where(y == 1, 0.85, 0.1)).astype(np.int64)
    return y, pred


def anchor(y, pred):
    tn, fp, fn, tp = confusion_matrix(y, pred).ravel()
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    return recall, precision, 2 * tp / (2 * tp + fp + fn)


def main():
    logging.getLogger("skeval.monitoring").setLevel(logging.ERROR)
    rng = np.random.default_rng(0)
    baseline = make_batch(rng, 10_000)
    metrics = ["recall", "precision", "f1"]
    plain = PerformanceMonitor(metrics=metrics).set_baseline(*baseline)
    folder = tempfile.mkdtemp()
    stored = PerformanceMonitor(
        metrics=metrics, store=os.path.join(folder, "bench.db")
    ).set_baseline(*baseline)
    print(f"{'n':>9} {'anchor ms':>10} {'check ms':>9} {'ratio':>6} "
          f"{'stored ms':>10} {'ratio':>6}")
    for n in (1_000, 100_000, 1_000_000):
        y, pred = make_batch(rng, n)
        expected = anchor(y, pred)
        got = plain.check(y, pred).metrics
        assert np.allclose(expected, [got[m].value for m in metrics])
        repeat = 7 if n == 1_000_000 else 21
        t_anchor = median_time(repeat, anchor, y, pred)
        t_check = median_time(repeat, plain.check, y, pred)
        t_stored = median_time(repeat, stored.check, y, pred)
        print(f"{n:>9,} {1e3 * t_anchor:>10.2f} {1e3 * t_check:>9.2f} "
              f"{t_check / t_anchor:>6.2f} {1e3 * t_stored:>10.2f} "
              f"{t_stored / t_anchor:>6.2f}")


if __name__ == "__main__":
    main()
