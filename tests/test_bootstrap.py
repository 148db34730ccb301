"""bootstrap_operating_point: the vectorised resamples equal a slow loop."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skeval import make_cost_scorer
from skeval.exceptions import InfeasibleConstraintWarning
from skeval.metrics import bootstrap_operating_point, operating_point
from skeval.metrics._bootstrap import _draws, _Sorted


def _data(n=300, seed=0):
    rng = np.random.RandomState(seed)
    y = rng.randint(2, size=n)
    scores = np.round(np.clip(0.3 * y + rng.normal(0.35, 0.2, size=n), 0, 1), 2)
    return y, scores, rng.uniform(1, 50, size=n)


def _slow(y, scores, n_resamples, seed, stratify, objective, constraint, **md):
    """Resample with the same draws and call operating_point on each resample."""
    order = np.argsort(-scores, kind="stable")
    data = _Sorted(y == 1, scores, None, {})
    rng = np.random.default_rng(seed)
    thresholds, recalls = [], []
    for picks in _draws(rng, data, n_resamples, stratify):
        m = np.empty(len(y))
        m[order] = data.multiplicity(picks)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InfeasibleConstraintWarning)
            point = operating_point(
                y,
                scores,
                objective=objective,
                constraint=constraint,
                sample_weight=m,
                **{k: v for k, v in md.items()},
            )
        thresholds.append(point.threshold)
        oob = m == 0
        pred = scores[oob] >= point.threshold
        positives = y[oob] == 1
        recalls.append(pred[positives].mean() if positives.any() else 0.0)
    return np.array(thresholds), np.array(recalls)


@pytest.mark.parametrize("stratify", [True, False])
@pytest.mark.parametrize(
    "objective, constraint",
    [("f1", None), ("precision", ("recall", 0.8)), ("youden", None)],
)
def test_equals_a_slow_loop_of_operating_point(stratify, objective, constraint):
    """Same draws: the same in-bag thresholds and out-of-bag recalls."""
    y, scores, _ = _data()
    seed = np.random.RandomState(3).randint(2**31)  # what random_state=3 seeds
    boot = bootstrap_operating_point(
        y,
        scores,
        objective=objective,
        constraint=constraint,
        n_resamples=40,
        stratify=stratify,
        random_state=3,
    )
    thresholds, recalls = _slow(y, scores, 40, seed, stratify, objective, constraint)
    assert_allclose(boot.thresholds, thresholds)
    assert_allclose(boot.oob["recall"], recalls)


def test_per_sample_cost_equals_a_slow_loop():
    """Per-sample costs are weighted by the multiplicities, as weights are."""
    y, scores, amount = _data()
    cost = make_cost_scorer([[0, 5], ["amount", 0]])
    seed = np.random.RandomState(1).randint(2**31)
    boot = bootstrap_operating_point(
        y, scores, objective=cost, n_resamples=30, random_state=1, amount=amount
    )
    thresholds, _ = _slow(y, scores, 30, seed, True, cost, None, amount=amount)
    assert_allclose(boot.thresholds, thresholds)
    assert (boot.oob["cost"] > 0).all()
    low, high = boot.intervals["cost"]
    assert low <= np.median(boot.oob["cost"]) <= high


def test_threshold_is_operating_point_and_intervals_cover_it():
    """threshold is operating_point on the full data; intervals are ordered."""
    y, scores, _ = _data(600)
    boot = bootstrap_operating_point(y, scores, n_resamples=100, random_state=0)
    assert boot.threshold == operating_point(y, scores).threshold
    low, high = boot.threshold_interval
    assert low <= boot.threshold <= high
    for name in ("precision", "recall", "f1", "specificity", "alert_rate"):
        low, high = boot.intervals[name]
        assert 0 <= low <= high <= 1
    assert boot.constraint_met_rate is None


def test_constraint_met_rate_of_an_edge_constraint_is_about_half():
    """A constraint met exactly on the data is met out-of-bag far less often."""
    y, scores, _ = _data(2000, seed=5)
    boot = bootstrap_operating_point(
        y,
        scores,
        objective="precision",
        constraint=("recall", 0.9),
        n_resamples=200,
        random_state=0,
    )
    assert 0.2 < boot.constraint_met_rate < 0.8


def test_bad_input_is_refused():
    """Parameters are validated before any resample."""
    y, scores, _ = _data(50)
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_operating_point(y, scores, n_resamples=0)
    with pytest.raises(ValueError, match="confidence_level"):
        bootstrap_operating_point(y, scores, confidence_level=1.0)
    with pytest.raises(ValueError, match="`pos_label` must be given"):
        bootstrap_operating_point(np.array(["a", "b"])[y], scores)


def test_reports_add_bootstrap_intervals_and_constraint_risk():
    """n_resamples adds per-row intervals; a tuner's constraint adds its risk."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skeval import ThresholdTunedClassifier
    from skeval.metrics import operating_point_report, tuned_threshold_report

    X, y = make_classification(n_samples=1200, weights=[0.9], random_state=0)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective="precision", constraint=("recall", 0.9)
    ).fit(X[:800], y[:800])
    report = tuned_threshold_report(
        tuner, X[800:], y[800:], n_resamples=100, random_state=0, output_dict=True
    )
    tuned = report["tuned"]
    low, high = tuned["intervals"]["recall"]
    assert low <= tuned["recall"] <= high
    assert 0.0 <= tuned["constraint_risk"] <= 1.0
    text = tuned_threshold_report(tuner, X[800:], y[800:], n_resamples=50)
    assert "Bootstrap 95% intervals" in text and "constraint fails in" in text
    y_, s_, _ = _data(200)
    plain = operating_point_report(y_, s_, thresholds=0.5, output_dict=True)
    assert "intervals" not in plain["threshold"]
    boot = operating_point_report(
        y_, s_, thresholds=0.5, n_resamples=50, random_state=0, output_dict=True
    )
    assert set(boot["threshold"]["intervals"]) >= {"precision", "recall", "f1"}
