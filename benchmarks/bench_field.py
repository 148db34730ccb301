"""Held-out comparison of selection rules on real data (issue 12, item 3).

For each data set, ``--splits`` random stratified train/test splits (70/30,
fixed seeds). On each split three tuners are fitted on the training part with
5-fold CV and the same logistic-regression pipeline, and their held-out value
is measured on the test part:

* skeval ``selection="exact"`` (the argmax of the exact mean CV curve),
* skeval ``selection="one_se"`` (the centre of the within-one-SE plateau),
* scikit-learn's ``TunedThresholdClassifierCV`` (100-point grid).

Data and objectives:

* ``Default`` (ISLP): a missed default costs its balance, a review costs 10
  (per-sample cost; held-out mean cost per client, lower is better);
* ``Caravan`` (ISLP): F1 of "Purchase";
* breast cancer (scikit-learn): F1 of malignant (label 0) as positive;
* breast cancer: precision subject to recall >= 0.95 (skeval only: scikit-learn
  cannot express the constraint), held-out recall shortfall rate.

Paired over the splits: means, the paired difference and its standard error.
ISLP is a benchmark-only dependency (``pip install ISLP``).

Run: ``python benchmarks/bench_field.py --splits 30``.
"""

import argparse
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer, precision_score, recall_score
from sklearn.model_selection import TunedThresholdClassifierCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skeval import ThresholdTunedClassifier, make_cost_scorer


def _model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _default():
    from ISLP import load_data

    d = load_data("Default")
    X = np.column_stack(
        [d["balance"], d["income"], (d["student"] == "Yes").astype(float)]
    )
    y = (d["default"] == "Yes").astype(int).to_numpy()
    return X, y, d["balance"].to_numpy(dtype=float)


def _caravan():
    from ISLP import load_data

    c = load_data("Caravan")
    y = (c.pop("Purchase") == "Yes").astype(int).to_numpy()
    return c.to_numpy(dtype=float), y


def _mean_cost(y, pred, balance):
    """A miss costs the balance, a review (any positive prediction) costs 10."""
    return float(np.mean(np.where((y == 1) & (pred == 0), balance, 0.0) + 10 * pred))


def _neg_cost(y, pred, balance):
    return -_mean_cost(y, pred, balance)


def _paired(name, a, b):
    d = np.asarray(a) - np.asarray(b)
    se = d.std(ddof=1) / np.sqrt(len(d))
    return f"{name}: mean difference {d.mean():+.4g} (paired SE {se:.3g})"


def run_cost(splits):
    X, y, balance = _default()
    cost = make_cost_scorer([[0, 10], ["balance", 10]])
    rows = {"exact": [], "one_se": [], "sklearn": []}
    for seed in range(splits):
        idx = np.arange(len(y))
        tr, te = train_test_split(idx, test_size=0.3, stratify=y, random_state=seed)
        for rule in ("exact", "one_se"):
            tuner = ThresholdTunedClassifier(_model(), objective=cost, selection=rule)
            tuner.fit(X[tr], y[tr], balance=balance[tr])
            rows[rule].append(_mean_cost(y[te], tuner.predict(X[te]), balance[te]))
        # scikit-learn's grid tuner reaches per-sample costs through routing
        with sklearn.config_context(enable_metadata_routing=True):
            scorer = make_scorer(_neg_cost).set_score_request(balance=True)
            sk = TunedThresholdClassifierCV(_model(), scoring=scorer, cv=5)
            sk.fit(X[tr], y[tr], balance=balance[tr])
        rows["sklearn"].append(_mean_cost(y[te], sk.predict(X[te]), balance[te]))
    return rows


def run_f1(X, y, splits, pos_label=1):
    rows = {"exact": [], "one_se": [], "sklearn": []}
    for seed in range(splits):
        Xtr, Xte, ytr, yte = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        for rule in ("exact", "one_se"):
            tuner = ThresholdTunedClassifier(
                _model(), objective="f1", pos_label=pos_label, selection=rule
            ).fit(Xtr, ytr)
            rows[rule].append(f1_score(yte, tuner.predict(Xte), pos_label=pos_label))
        sk = TunedThresholdClassifierCV(
            _model(),
            scoring=make_scorer(f1_score, pos_label=pos_label),
            cv=5,
        ).fit(Xtr, ytr)
        rows["sklearn"].append(f1_score(yte, sk.predict(Xte), pos_label=pos_label))
    return rows


def run_constraint(splits, target=0.95):
    X, y = load_breast_cancer(return_X_y=True)
    rows = {"exact": [], "one_se": []}
    shortfall = {"exact": 0, "one_se": 0}
    for seed in range(splits):
        Xtr, Xte, ytr, yte = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        for rule in ("exact", "one_se"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tuner = ThresholdTunedClassifier(
                    _model(),
                    objective="precision",
                    constraint=("recall", target),
                    pos_label=0,
                    selection=rule,
                ).fit(Xtr, ytr)
            pred = tuner.predict(Xte)
            rows[rule].append(precision_score(yte, pred, pos_label=0))
            shortfall[rule] += recall_score(yte, pred, pos_label=0) < target
    return rows, shortfall


def _report(title, rows, lower_is_better=False):
    print(f"\n{title} ({len(rows['exact'])} splits)")
    for name, values in rows.items():
        print(f"  {name:8s} held-out mean {np.mean(values):.4f}")
    sign = "lower" if lower_is_better else "higher"
    print(f"  ({sign} is better)", flush=True)
    print("  " + _paired("one_se - exact", rows["one_se"], rows["exact"]))
    if "sklearn" in rows:
        print("  " + _paired("exact - sklearn", rows["exact"], rows["sklearn"]))
        print("  " + _paired("one_se - sklearn", rows["one_se"], rows["sklearn"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, default=30)
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["cancer", "caravan", "default", "constraint"],
        default=["cancer", "caravan", "default", "constraint"],
    )
    args = parser.parse_args()
    start = time.perf_counter()
    if "cancer" in args.only:
        X, y = load_breast_cancer(return_X_y=True)
        rows = run_f1(X, y, args.splits, pos_label=0)
        _report("Breast cancer, F1 of malignant", rows)
    if "caravan" in args.only:
        X, y = _caravan()
        _report("Caravan, F1 of Purchase", run_f1(X, y, args.splits))
    if "default" in args.only:
        _report(
            "Default, balance cost (mean per client)",
            run_cost(args.splits),
            lower_is_better=True,
        )
    if "constraint" in args.only:
        rows, shortfall = run_constraint(args.splits)
        _report("Breast cancer, precision s.t. recall >= 0.95", rows)
        print(f"  held-out recall below 0.95: {shortfall}", flush=True)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
