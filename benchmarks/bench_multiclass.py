"""Benchmark: multiclass decisions under an asymmetric cost matrix.

Held-out cost of four decision rules on the same fitted model family:

* ``argmax``: the estimator's own ``predict``;
* ``min expected cost``: :class:`skeval.MinimumExpectedCostClassifier` on the
  raw probabilities;
* ``min expected cost, calibrated``: the same on
  ``CalibratedClassifierCV(estimator, cv=3)`` (isotonic);
* ``tuned offsets``: :class:`skeval.ThresholdTunedClassifier` with
  ``objective=make_cost_scorer(C)`` (5-fold CV, exact coordinate steps).

Data: ``load_digits`` (10 classes), ``load_wine`` (3) and a generated
imbalanced 5-class problem; estimators: ``LogisticRegression`` and
``GaussianNB`` (poorly calibrated). Cost: predicting class ``j`` for true
class ``i`` costs ``5 * (i - j)`` when ``j < i`` (under-triage) and ``j - i``
when ``j > i``. Each data set is split 50/50 (stratified, seeded); the
table reports the mean cost per held-out sample and, for the tuner, its fit
time against one fit of the estimator.

Run: ``python benchmarks/bench_multiclass.py``.
"""

import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_digits, load_wine, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skeval import MinimumExpectedCostClassifier, ThresholdTunedClassifier
from skeval.metrics import cost_loss, make_cost_scorer


def triage_costs(n_classes):
    i, j = np.indices((n_classes, n_classes))
    return np.where(j < i, 5.0 * (i - j), (j - i).astype(float))


def datasets():
    yield "digits", *load_digits(return_X_y=True)
    yield "wine", *load_wine(return_X_y=True)
    X, y = make_classification(
        n_samples=3000,
        n_features=20,
        n_informative=8,
        n_classes=5,
        weights=[0.5, 0.25, 0.15, 0.07, 0.03],
        random_state=0,
    )
    yield "imbalanced-5", X, y


ESTIMATORS = {
    "logistic": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    "naive bayes": GaussianNB(),
}


def timed(func, *args, repeat=3, **kwargs):
    """Result of the last call and the median time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return out, float(np.median(times))


def main():
    rows = []
    for data_name, X, y in datasets():
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.5, stratify=y, random_state=0
        )
        C = triage_costs(len(np.unique(y)))
        for est_name, est in ESTIMATORS.items():
            base, t_fit = timed(clone(est).fit, X_tr, y_tr)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                mec = MinimumExpectedCostClassifier(
                    est, cost_matrix=C, calibration_cv=None
                ).fit(X_tr, y_tr)
                cal = MinimumExpectedCostClassifier(
                    CalibratedClassifierCV(est, cv=3, method="isotonic"),
                    cost_matrix=C,
                    calibration_cv=None,
                ).fit(X_tr, y_tr)
                tuner, t_tune = timed(
                    ThresholdTunedClassifier(est, objective=make_cost_scorer(C)).fit,
                    X_tr,
                    y_tr,
                )
            costs = [
                cost_loss(y_te, model.predict(X_te), cost_matrix=C)
                for model in (base, mec, cal, tuner)
            ]
            rows.append((data_name, est_name, *costs, t_tune / t_fit))
    header = (
        f"{'data':<13} {'estimator':<12} {'argmax':>7} {'MEC raw':>8} "
        f"{'MEC cal':>8} {'offsets':>8} {'tune/fit':>9}"
    )
    print(header)
    for name, est, a, b, c, d, ratio in rows:
        print(
            f"{name:<13} {est:<12} {a:>7.3f} {b:>8.3f} {c:>8.3f} {d:>8.3f} "
            f"{ratio:>8.1f}x"
        )
    print(
        "Mean cost per held-out sample (lower is better); tune/fit: the tuner's "
        "fit time (5 fold fits + refit + offsets) over one fit of the estimator."
    )


if __name__ == "__main__":
    main()
