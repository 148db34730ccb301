"""Benchmark: ThresholdTunedClassifier against TunedThresholdClassifierCV.

Same run, same data: ``make_classification`` with 10% positives, a
``LogisticRegression`` fitted on 20,000 separate rows, then tuned on n
validation rows with ``cv="prefit"`` on both sides:

* skeval: ``ThresholdTunedClassifier(est, cv="prefit")``, every distinct score
  is a candidate (exact);
* scikit-learn: ``TunedThresholdClassifierCV(est, cv="prefit", refit=False)``
  at its default 100 thresholds.

Objectives: ``"f1"``; "best precision with recall >= 0.9" (skeval:
``constraint=("recall", 0.9)``; scikit-learn cannot express a constraint, so
its side uses a hand-written scorer that returns precision when recall >= 0.9
and -1 otherwise, evaluated on its grid); and a cost (a false positive costs
5, a false negative 50: skeval's ``make_cost_scorer``, scikit-learn's side a
hand-written ``make_scorer`` cost metric built on ``confusion_matrix``, as in
scikit-learn's cost-sensitive learning example).

Also reported: the sweep alone (the curve engine as the tuner runs it on
unweighted scores, without ``predict_proba``)
against one ``np.argsort`` of the same scores, and the sweep's peak extra memory
per sample (tracemalloc).

Run: ``python benchmarks/bench_threshold.py`` (about two minutes; add
``--quick`` for n up to 1e5 only).
"""

import argparse
import time
import tracemalloc
import warnings
from functools import partial

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    confusion_matrix,
    make_scorer,
    precision_score,
    recall_score,
)
from sklearn.model_selection import TunedThresholdClassifierCV

from skeval import ThresholdTunedClassifier, make_cost_scorer
from skeval._core._curve import _sweep


def median_time(repeat, func, *args):
    """Median wall time of ``func(*args)`` over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def neg_cost(y_true, y_pred):
    """scikit-learn's side of the cost case, written as scikit-learn's
    cost-sensitive learning example writes it: from the confusion matrix."""
    cm = confusion_matrix(y_true, y_pred, labels=[0, 1])
    return -float((cm * np.array([[0.0, 5.0], [50.0, 0.0]])).sum()) / len(y_true)


def precision_at_recall(y_true, y_pred, *, min_recall=0.9):
    """scikit-learn's side of the constraint: a hand-written scorer."""
    if recall_score(y_true, y_pred) < min_recall:
        return -1.0
    return precision_score(y_true, y_pred, zero_division=0.0)


def main(sizes):
    X, y = make_classification(
        n_samples=20_000 + max(sizes),
        n_features=20,
        weights=[0.9],
        random_state=0,
    )
    model = LogisticRegression().fit(X[:20_000], y[:20_000])
    X_all, y_all = X[20_000:], y[20_000:]
    rows = []
    for n in sizes:
        Xv, yv = X_all[:n], y_all[:n]
        repeat_sk = 3 if n >= 1_000_000 else 5
        repeat_sv = 7
        cases = {
            "f1": (
                dict(objective="f1"),
                dict(scoring="f1"),
            ),
            "precision@recall>=0.9": (
                dict(objective="precision", constraint=("recall", 0.9)),
                dict(scoring=make_scorer(precision_at_recall)),
            ),
            "cost (FP 5, FN 50)": (
                dict(objective=make_cost_scorer([[0, 5], [50, 0]])),
                dict(scoring=make_scorer(neg_cost)),
            ),
        }
        for case, (sv_params, sk_params) in cases.items():
            sv = ThresholdTunedClassifier(model, cv="prefit", **sv_params)
            sk = TunedThresholdClassifierCV(
                model, cv="prefit", refit=False, **sk_params
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t_sv = median_time(repeat_sv, sv.fit, Xv, yv)
                t_sk = median_time(repeat_sk, sk.fit, Xv, yv)
            rows.append(
                (
                    n,
                    case,
                    t_sv,
                    t_sk,
                    t_sk / t_sv,
                    sv.best_score_,
                    sk.best_score_,
                    len(np.unique(model.predict_proba(Xv)[:, 1])),
                )
            )

        scores = model.predict_proba(Xv)[:, 1]
        y_pos = yv == 1
        t_sweep = median_time(7, partial(_sweep, keep_order=False), y_pos, scores)
        t_sort = median_time(7, np.argsort, scores)
        tracemalloc.start()
        _sweep(y_pos, scores, keep_order=False)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(
            (
                n,
                "sweep vs argsort",
                t_sweep,
                t_sort,
                t_sweep / t_sort,
                peak / n,
                None,
                None,
            )
        )

    print(
        f"{'n':>9} {'case':<24} {'skeval s':>9} {'sklearn s':>9} "
        f"{'ratio':>7} {'skeval best':>11} {'sklearn best':>12} {'distinct':>9}"
    )
    for n, case, a, b, r, s1, s2, d in rows:
        if case == "sweep vs argsort":
            print(
                f"{n:>9} {case:<24} {a:>9.4f} {b:>9.4f} {r:>6.2f}x "
                f"{'peak mem':>11} {s1:>8.1f} B/sample"
            )
        else:
            print(
                f"{n:>9} {case:<24} {a:>9.4f} {b:>9.4f} {r:>6.1f}x "
                f"{s1:>11.4f} {s2:>12.4f} {d:>9}"
            )
    print(
        "ratio = scikit-learn median / skeval median (higher: skeval faster); "
        "for the sweep row: sweep median / argsort median."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n up to 1e5 only")
    args = parser.parse_args()
    main([10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000])
