"""Benchmark: the cluster-versus-class metrics against scikit-learn's
contingency matrix, same run.

Data (seeded): n = 1,000,000 samples, 100 classes of unequal sizes, and 100
clusters that keep a sample's class with probability 0.7 and otherwise pick a
cluster at random, with the ids shuffled (so no id equals its class).

Timed (median of ``--repeat`` calls, default 5):

* the anchor: scikit-learn's ``contingency_matrix(y, p, sparse=True)``, and
  ``contingency_matrix`` + ``homogeneity_score`` (what a user of scikit-learn
  computes for one clustering);
* ``matched_accuracy_score`` and ``cluster_class_report`` (``output_dict=True``;
  it includes homogeneity, completeness, V-measure, adjusted Rand and the
  chance baseline), unweighted and with integer weights, and with string
  class labels (where every method must sort).

The target (issue 14): ``matched_accuracy_score`` and ``cluster_class_report``
within 2x of computing the contingency matrix once. Ratios printed are
skeval's time over the contingency matrix's time. Values are checked against
scikit-learn before timing (homogeneity, adjusted Rand; matched accuracy
against a dense Hungarian assignment on scikit-learn's matrix).

Run: ``python benchmarks/bench_cluster.py`` (about half a minute;
``--n 100000`` for a quick look).
"""

import argparse
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, homogeneity_score
from sklearn.metrics.cluster import contingency_matrix

from skeval.metrics import cluster_class_report, matched_accuracy_score


def median_time(repeat, func, *args, **kwargs):
    """Median wall time of ``func(*args, **kwargs)`` over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def make_data(n, n_classes=100, n_clusters=100, seed=0):
    rng = np.random.default_rng(seed)
    sizes = rng.dirichlet(np.full(n_classes, 2.0))
    y = rng.choice(n_classes, size=n, p=sizes)
    keep = rng.uniform(size=n) < 0.7
    p = np.where(keep, y % n_clusters, rng.integers(0, n_clusters, size=n))
    p = rng.permutation(n_clusters)[p]
    w = rng.integers(1, 4, size=n)
    return y, p, w


def sklearn_anchor(y, p):
    contingency_matrix(y, p, sparse=True)
    return homogeneity_score(y, p)


def check(y, p):
    report = cluster_class_report(y, p, output_dict=True)
    np.testing.assert_allclose(report["homogeneity"], homogeneity_score(y, p))
    np.testing.assert_allclose(report["adjusted_rand"], adjusted_rand_score(y, p))
    table = contingency_matrix(y, p)
    rows, cols = linear_sum_assignment(table, maximize=True)
    expected = table[rows, cols].sum() / len(y)
    np.testing.assert_allclose(matched_accuracy_score(y, p), expected)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    y, p, w = make_data(args.n)
    y_str = np.array([f"class_{i:03d}" for i in range(100)])[y]
    report = check(y, p)
    print(
        f"n = {args.n:,}, 100 classes x 100 clusters; matched accuracy "
        f"{report['matched_accuracy']:.3f} (chance "
        f"{report['chance']['matched_accuracy']:.3f}), purity {report['purity']:.3f} "
        f"(chance {report['chance']['purity']:.3f})"
    )
    r = args.repeat
    anchor = median_time(r, contingency_matrix, y, p, sparse=True)
    rows = [
        ("sklearn contingency_matrix (sparse)", anchor),
        (
            "sklearn contingency_matrix + homogeneity_score",
            median_time(r, sklearn_anchor, y, p),
        ),
        ("matched_accuracy_score", median_time(r, matched_accuracy_score, y, p)),
        (
            "cluster_class_report",
            median_time(r, cluster_class_report, y, p, output_dict=True),
        ),
        (
            "matched_accuracy_score, integer weights",
            median_time(r, matched_accuracy_score, y, p, sample_weight=w),
        ),
        (
            "cluster_class_report, integer weights",
            median_time(
                r, cluster_class_report, y, p, output_dict=True, sample_weight=w
            ),
        ),
    ]
    anchor_str = median_time(r, contingency_matrix, y_str, p, sparse=True)
    rows_str = [
        ("sklearn contingency_matrix (sparse), string classes", anchor_str),
        (
            "matched_accuracy_score, string classes",
            median_time(r, matched_accuracy_score, y_str, p),
        ),
        (
            "cluster_class_report, string classes",
            median_time(r, cluster_class_report, y_str, p, output_dict=True),
        ),
    ]
    print(f"\n{'case':<55} {'median s':>9} {'/ contingency':>14}")
    for group, base in ((rows, anchor), (rows_str, anchor_str)):
        for name, seconds in group:
            print(f"{name:<55} {seconds:>9.4f} {seconds / base:>13.2f}x")


if __name__ == "__main__":
    main()
