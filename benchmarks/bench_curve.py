"""Benchmark: the in-memory curve engine against its anchors, in one run.

Data: labels with 10% positives and logistic scores of a noisy signal (almost
every score distinct, the hard case for a curve). For each n:

* ``confusion_curve(y, s)`` (public, validation included) against
  scikit-learn's ``confusion_matrix_at_thresholds(y, s)`` (public from 1.8);
* the same with ``sample_weight`` (the index-sort path);
* the physical floors: one ``np.sort`` and one ``np.argsort`` of the scores;
* peak extra memory of ``confusion_curve`` per row (tracemalloc: every
  allocation numpy makes, the returned curve included);
* ``ThresholdTunedClassifier(model, cv="prefit").fit`` (F1) against its
  floor, ``predict_proba`` plus one ``np.sort`` of the scores, and against
  scikit-learn's ``TunedThresholdClassifierCV(cv="prefit")``.

Medians over repeated calls; ratios are taken between medians of the same run.

Run: ``python benchmarks/bench_curve.py`` (add ``--quick`` for n <= 1e6).
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix_at_thresholds
from sklearn.model_selection import TunedThresholdClassifierCV

from skeval import ThresholdTunedClassifier
from skeval.metrics import confusion_curve


def median_time(repeat, func, *args, **kwargs):
    """Median wall time of ``func(*args, **kwargs)`` over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def peak_bytes_per_row(func, n, *args, **kwargs):
    tracemalloc.start()
    func(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / n


def curve_rows(n, rng):
    y = (rng.random(n) < 0.1).astype(np.int64)
    s = 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 2.0 * y)))
    w = rng.random(n)
    repeat = 3 if n >= 10_000_000 else 7
    t_sv = median_time(repeat, confusion_curve, y, s)
    t_sk = median_time(repeat, confusion_matrix_at_thresholds, y, s)
    t_svw = median_time(repeat, confusion_curve, y, s, sample_weight=w)
    t_skw = median_time(repeat, confusion_matrix_at_thresholds, y, s, sample_weight=w)
    t_sort = median_time(repeat, np.sort, s)
    t_argsort = median_time(repeat, np.argsort, s)
    mem = peak_bytes_per_row(confusion_curve, n, y, s)
    return [
        (n, "confusion_curve", t_sv, t_sk, t_sk / t_sv),
        (n, "  weighted", t_svw, t_skw, t_skw / t_svw),
        (n, "  / np.sort", t_sv, t_sort, t_sv / t_sort),
        (n, "  / np.argsort", t_sv, t_argsort, t_sv / t_argsort),
        (n, "  peak B/row", mem, None, None),
    ]


def tuner_rows(n, rng):
    X = rng.normal(size=(20_000 + n, 10))
    y = (X[:, 0] + X[:, 1] + rng.normal(size=len(X)) > 2.0).astype(int)
    model = LogisticRegression().fit(X[:20_000], y[:20_000])
    Xv, yv = X[20_000:], y[20_000:]

    def floor():
        np.sort(model.predict_proba(Xv)[:, 1])

    sv = ThresholdTunedClassifier(model, cv="prefit", objective="f1")
    sk = TunedThresholdClassifierCV(model, cv="prefit", refit=False, scoring="f1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_sv = median_time(7, sv.fit, Xv, yv)
        t_floor = median_time(7, floor)
        t_sk = median_time(3, sk.fit, Xv, yv)
    return [
        (n, "tuner prefit f1", t_sv, t_sk, t_sk / t_sv),
        (n, "  / (proba + sort)", t_sv, t_floor, t_sv / t_floor),
    ]


def main(sizes, tuner_n):
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        rows += curve_rows(n, rng)
    rows += tuner_rows(tuner_n, rng)
    print(f"{'n':>9} {'case':<22} {'skeval':>10} {'anchor':>10} {'ratio':>8}")
    for n, case, a, b, r in rows:
        if b is None:
            print(f"{n:>9} {case:<22} {a:>10.1f}")
        else:
            print(f"{n:>9} {case:<22} {a:>10.4f} {b:>10.4f} {r:>7.2f}x")
    print(
        "seconds (medians); ratio = anchor / skeval for scikit-learn anchors "
        "(higher: skeval faster), skeval / floor for np.sort, np.argsort and "
        "proba + sort (lower: closer to the floor)."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n up to 1e6 only")
    args = parser.parse_args()
    sizes = [100_000, 1_000_000] if args.quick else [1_000_000, 10_000_000]
    main(sizes, tuner_n=1_000_000)
