"""Benchmark: skeval's metrics against scikit-learn equivalents, same run.

Data (seeded): binary labels with 10% positives, predictions that are right
85% of the time, weights uniform in [0.5, 2], per-sample amounts lognormal;
scores for the operating point: a noisy, continuous function of the label (so
about one distinct score per row).

Cases at n = 1,000,000 labels (the issue's goal: skeval at least 5x faster):

* ``specificity_score`` against ``confusion_matrix(...).ravel()`` then
  ``tn / (tn + fp)``, unweighted and weighted (and string labels);
* ``cost_loss`` against ``(confusion_matrix(...) * C).sum() / n``, fixed
  costs, then with per-sample amounts (scikit-learn side: confusion_matrix for
  the fixed cells plus a masked sum of the amounts);
* ``expected_calibration_error`` against ``calibration_curve`` plus the bin
  counts.

The operating point "precision at recall >= 0.9" at n = 5,000 and 20,000:
``operating_point`` against ``sklearn.metrics.metric_at_thresholds`` (1.9+)
with one metric function returning precision and recall (one scan, not
two), then a masked argmax. scikit-learn calls the metric
once per distinct score, so its time grows with n squared; the growth factors
from 5,000 to 20,000 rows are printed. skeval alone at 1,000,000 for scale.

Every pair is checked to give the same value before it is timed.

Run: ``python benchmarks/bench_metrics.py`` (under three minutes, nearly all
of it scikit-learn's scan; ``--quick`` skips the 20,000-row scan: 40 seconds).
"""

import argparse
import time

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from skeval.metrics import (
    cost_loss,
    expected_calibration_error,
    operating_point,
    specificity_score,
)


def median_time(repeat, func, *args, **kwargs):
    """Median wall time of ``func(*args, **kwargs)`` over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def make_data(n, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=n) < 0.1).astype(np.int64)
    p = np.where(rng.uniform(size=n) < 0.85, y, 1 - y)
    w = rng.uniform(0.5, 2.0, size=n)
    amount = rng.lognormal(3.0, 1.0, size=n)
    score = 1 / (1 + np.exp(-(1.5 * y + rng.normal(size=n))))
    return y, p, w, amount, score


# ---------------------------------------------------- scikit-learn equivalents
def sk_specificity(y, p, sample_weight=None):
    tn, fp, fn, tp = confusion_matrix(y, p, sample_weight=sample_weight).ravel()
    return tn / (tn + fp)


def sk_specificity_str(ys, ps):
    # rows and columns in the order of labels: "fraud" (positive), then "ok"
    (tp, fn), (fp, tn) = confusion_matrix(ys, ps, labels=["fraud", "ok"])
    return tn / (tn + fp)


def sk_cost(y, p, C, sample_weight=None):
    M = confusion_matrix(y, p, sample_weight=sample_weight)
    total = M.sum() if sample_weight is None else sample_weight.sum()
    return (M * C).sum() / total


def sk_cost_amount(y, p, amount, sample_weight=None):
    """[[0, 5], ["amount", 0]]: fixed cells from confusion_matrix, amounts masked."""
    M = confusion_matrix(y, p, sample_weight=sample_weight)
    w = np.ones(len(y)) if sample_weight is None else sample_weight
    missed = (y == 1) & (p == 0)
    return (5 * M[0, 1] + np.sum(amount[missed] * w[missed])) / w.sum()


def sk_ece(y, prob, n_bins=10):
    prob_true, prob_pred = calibration_curve(y, prob, n_bins=n_bins)
    bins = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], prob)
    counts = np.bincount(bins, minlength=n_bins)
    counts = counts[counts > 0]
    return float(np.sum(counts / counts.sum() * np.abs(prob_true - prob_pred)))


def precision_and_recall(y_true, y_pred):
    """Both metrics from one call, so the scan runs once."""
    precision, recall, _, _ = precision_recall_fscore_support(
        y_true, y_pred, average="binary", zero_division=0
    )
    return precision, recall


def sk_precision_at_recall(y, score, min_recall=0.9):
    from sklearn.metrics import metric_at_thresholds

    values, _ = metric_at_thresholds(y, score, precision_and_recall)
    precision, recall = values[:, 0], values[:, 1]
    return float(np.max(np.where(recall >= min_recall, precision, -np.inf)))


def sv_precision_at_recall(y, score, min_recall=0.9):
    return operating_point(
        y, score, objective="precision", constraint=("recall", min_recall)
    ).score


# ------------------------------------------------------------------- the runs
def label_rows(n, repeat):
    y, p, w, amount, score = make_data(n)
    ys, ps = np.where(y == 1, "fraud", "ok"), np.where(p == 1, "fraud", "ok")
    C = np.array([[0, 5], [50, 0]])
    cases = [
        (
            "specificity",
            lambda: specificity_score(y, p),
            lambda: sk_specificity(y, p),
        ),
        (
            "specificity, weighted",
            lambda: specificity_score(y, p, sample_weight=w),
            lambda: sk_specificity(y, p, sample_weight=w),
        ),
        (
            "specificity, str labels",
            lambda: specificity_score(ys, ps, pos_label="fraud"),
            lambda: sk_specificity_str(ys, ps),
        ),
        (
            "cost, fixed",
            lambda: cost_loss(y, p, cost_matrix=C),
            lambda: sk_cost(y, p, C),
        ),
        (
            "cost, fixed, weighted",
            lambda: cost_loss(y, p, cost_matrix=C, sample_weight=w),
            lambda: sk_cost(y, p, C, sample_weight=w),
        ),
        (
            "cost, per-sample amount",
            lambda: cost_loss(
                y,
                p,
                cost_matrix=[[0, 5], ["amount", 0]],
                sample_weight=w,
                amount=amount,
            ),
            lambda: sk_cost_amount(y, p, amount, sample_weight=w),
        ),
        (
            "expected calibration error",
            lambda: expected_calibration_error(y, score),
            lambda: sk_ece(y, score),
        ),
    ]
    rows = []
    for name, sv, sk in cases:
        np.testing.assert_allclose(sv(), sk(), rtol=1e-9)
        t_sv, t_sk = median_time(repeat, sv), median_time(repeat, sk)
        rows.append((n, name, t_sv, t_sk))
    return rows


def operating_point_rows(sizes, repeats):
    rows = []
    for n, repeat in zip(sizes, repeats):
        y, _, _, _, score = make_data(n, seed=1)
        sv = sv_precision_at_recall(y, score)
        sk = sk_precision_at_recall(y, score) if repeat else None
        if sk is not None:
            np.testing.assert_allclose(sv, sk, rtol=1e-12)
        t_sv = median_time(7, sv_precision_at_recall, y, score)
        t_sk = median_time(repeat, sk_precision_at_recall, y, score) if repeat else None
        rows.append((n, "precision @ recall>=0.9", t_sv, t_sk))
    return rows


def main(quick):
    rows = label_rows(1_000_000, repeat=7)
    sizes = [5_000, 20_000, 1_000_000]
    repeats = [3, 0 if quick else 1, 0]  # scikit-learn's scan is slow
    op_rows = operating_point_rows(sizes, repeats)

    print(f"{'n':>9}  {'case':<27} {'skeval s':>9} {'sklearn s':>10} {'ratio':>8}")
    for n, name, a, b in rows + op_rows:
        b_txt = f"{b:>10.4f}" if b is not None else f"{'-':>10}"
        r_txt = f"{b / a:>7.1f}x" if b is not None else f"{'-':>8}"
        print(f"{n:>9}  {name:<27} {a:>9.4f} {b_txt} {r_txt}")
    by_n = {n: (a, b) for n, _, a, b in op_rows}
    if by_n[20_000][1] is not None:
        print(
            "operating point, 5,000 -> 20,000 rows (4x): skeval time x"
            f"{by_n[20_000][0] / by_n[5_000][0]:.1f}, scikit-learn time x"
            f"{by_n[20_000][1] / by_n[5_000][1]:.1f}"
        )
    print(
        "medians over 7 calls (scikit-learn's scan: 3 at 5,000 rows, 1 at "
        "20,000); ratio = scikit-learn / skeval (higher: skeval faster)."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="skip the 20,000-row sklearn scan"
    )
    main(parser.parse_args().quick)
