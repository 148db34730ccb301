"""Diagnostics: each finding on a crafted case, none on a healthy one."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skeval.metrics import _diagnostics as D
from skeval.metrics._diagnostics import Finding, diagnose


def _codes(findings):
    return [(f.code, f.severity) for f in findings]


@pytest.fixture(scope="module")
def healthy():
    """A fair logistic regression on held-out data, 30% positives."""
    X, y = make_classification(
        n_samples=3000, weights=[0.7], flip_y=0.05, class_sep=0.8, random_state=0
    )
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    clf = LogisticRegression().fit(X_train, y_train)
    return y_test, clf.predict(X_test), clf.predict_proba(X_test)[:, 1]


def test_healthy_case_has_no_findings(healthy):
    """Balanced enough, imperfect, calibrated, interior threshold: nothing."""
    y, y_pred, y_score = healthy
    assert diagnose(y, y_pred, y_score=y_score, threshold=0.5) == []


def test_single_class_target_is_critical():
    """One class in y_true: the metrics are meaningless."""
    findings = diagnose([0, 0, 0, 0], [0, 1, 0, 1], y_score=[0.1, 0.9, 0.2, 0.8])
    assert _codes(findings) == [("single_class_target", "critical")]
    assert "one class only" in findings[0].message


def test_class_imbalance_says_accuracy_misleads(healthy):
    """Below 10% of one class: imbalance, with the majority-class accuracy."""
    rng = np.random.RandomState(0)
    y = (rng.uniform(size=2000) < 0.04).astype(int)
    y_pred = np.where(rng.uniform(size=2000) < 0.9, y, 1 - y)
    findings = diagnose(y, y_pred)
    assert _codes(findings) == [("class_imbalance", "warning")]
    message = findings[0].message
    assert "positive class is" in message and "Accuracy is misleading" in message
    assert findings[0].value == pytest.approx(y.mean())
    assert f"{100 * (1 - y.mean()):.3g}%" in message
    # the healthy case (30% positives) does not trigger it
    assert "class_imbalance" not in _codes(diagnose(healthy[0], healthy[1]))


def test_class_imbalance_is_weighted():
    """Weights decide the shares: a 40% class weighted down is a minority."""
    y = np.array([0] * 60 + [1] * 40)
    w = np.where(y == 1, 0.1, 1.0)
    y_pred = np.r_[np.zeros(55), np.ones(5), np.ones(30), np.zeros(10)]
    assert diagnose(y, y_pred) == []
    assert _codes(diagnose(y, y_pred, sample_weight=w)) == [
        ("class_imbalance", "warning")
    ]


@pytest.mark.parametrize(
    "n_positive_predictions, severity", [(0, "critical"), (4, "warning")]
)
def test_one_class_predictions(n_positive_predictions, severity):
    """At least 99% predicted as one class warns; all of them is critical."""
    y = np.r_[np.zeros(600), np.ones(400)].astype(int)
    y_pred = np.zeros(1000, dtype=int)
    y_pred[600 : 600 + n_positive_predictions] = 1
    findings = diagnose(y, y_pred)
    assert _codes(findings) == [("one_class_predictions", severity)]
    assert "negative" in findings[0].message


def test_predictions_at_98_percent_one_class_pass():
    """Just under the bound: no finding."""
    y = np.r_[np.zeros(600), np.ones(400)].astype(int)
    y_pred = np.zeros(1000, dtype=int)
    y_pred[600:620] = 1
    assert diagnose(y, y_pred) == []


@pytest.mark.parametrize(
    "n_errors, kind", [(0, "A perfect score"), (3, "A near-perfect score")]
)
def test_near_perfect_labels_suggest_leakage(healthy, n_errors, kind):
    """Balanced accuracy >= 0.99 on held-out data: leakage?"""
    y = healthy[0]
    y_pred = y.copy()
    y_pred[:n_errors] = 1 - y_pred[:n_errors]
    findings = diagnose(y, y_pred)
    assert _codes(findings) == [("near_perfect_score", "warning")]
    assert findings[0].message.startswith(kind)
    assert "leakage" in findings[0].message


def test_near_perfect_ranking_suggests_leakage(healthy):
    """A ROC AUC >= 0.999 from the scores triggers it even with poor labels."""
    y, y_pred, _ = healthy
    y_score = y + np.linspace(0.0, 0.5, len(y))  # separates the classes
    y_score = y_score / y_score.max()
    findings = diagnose(y, y_pred, y_score=y_score)
    assert ("near_perfect_score", "warning") in _codes(findings)
    finding = [f for f in findings if f.code == "near_perfect_score"][0]
    assert "ROC AUC 1" in finding.message and "balanced accuracy" not in finding.message


def test_poor_calibration(healthy):
    """Scores far from the observed rates: expected calibration error > 0.1."""
    y, y_pred, y_score = healthy
    overconfident = np.clip(y_score + 0.35, 0, 1)
    findings = diagnose(y, y_pred, y_score=overconfident)
    assert _codes(findings) == [("poor_calibration", "warning")]
    assert findings[0].value > D.ECE_BOUND
    assert "expected calibration error" in findings[0].message


def test_calibration_not_checked_on_decision_values(healthy):
    """Scores outside [0, 1] are not probabilities: no calibration finding."""
    y, y_pred, y_score = healthy
    logits = np.log(y_score / (1 - y_score)) * 3.0
    assert diagnose(y, y_pred, y_score=logits) == []


@pytest.mark.parametrize(
    "threshold, severity, fragment",
    [
        (1.5, "critical", "outside the range"),
        (-0.5, "critical", "outside the range"),
        ("top3", "warning", "only 3 of 750 samples (0.4%) score at or above"),
        ("bottom2", "warning", "only 2 of"),
    ],
)
def test_threshold_at_edge(healthy, threshold, severity, fragment):
    """A threshold beyond (nearly) every score rests on too few samples."""
    y, y_pred, y_score = healthy
    ordered = np.sort(y_score)
    if threshold == "top3":
        threshold = ordered[-3]
    elif threshold == "bottom2":
        threshold = ordered[2]
    findings = [f for f in diagnose(y, y_pred, y_score=y_score, threshold=threshold)]
    assert _codes(findings) == [("threshold_at_edge", severity)]
    assert fragment in findings[0].message


def test_findings_sorted_by_severity():
    """Critical findings come first."""
    rng = np.random.RandomState(0)
    y = (rng.uniform(size=500) < 0.05).astype(int)
    findings = diagnose(y, np.zeros(500, dtype=int))
    assert [f.severity for f in findings] == ["critical", "warning"]


def test_string_labels_and_pos_label():
    """pos_label picks the class that predictions are compared with."""
    y = np.array(["a"] * 97 + ["b"] * 3)
    findings = diagnose(y, y, pos_label="b")
    assert _codes(findings) == [
        ("class_imbalance", "warning"),
        ("near_perfect_score", "warning"),
    ]


def test_finding_is_a_small_frozen_record():
    """A Finding prints as '[severity] message' and cannot be changed."""
    finding = Finding("class_imbalance", "warning", "Positives are rare.", 0.02)
    assert str(finding) == "[warning] Positives are rare."
    with pytest.raises(AttributeError, match="cannot assign"):
        finding.severity = "critical"


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"y_pred": [0, 1]}, ValueError, r"`y_pred` must be one-dimensional"),
        ({"y_pred": [[0, 1, 1, 0]]}, ValueError, r"`y_pred` must be one-dim"),
        ({"threshold": 0.5}, ValueError, "`threshold` needs `y_score`"),
        ({"y_score": [0.1, 0.2]}, ValueError, "`y_score` must have one entry"),
        ({"sample_weight": [-1, 1, 1, 1]}, ValueError, "non-negative"),
        ({"pos_label": 7}, ValueError, "`pos_label` must be one of"),
    ],
)
def test_diagnose_errors(kwargs, error, match):
    """Bad inputs raise with the rule and what was received."""
    params = {"y_pred": [0, 1, 1, 0], **kwargs}
    with pytest.raises(error, match=match):
        diagnose([0, 1, 0, 1], **params)


@pytest.mark.parametrize("n_above, fires", [(300, True), (600, False)])
def test_edge_bound_scales_with_the_sample_size(n_above, fires):
    """On 100,000 scores the edge is 0.5% of them (500), not 5 samples."""
    rng = np.random.RandomState(0)
    y = rng.randint(2, size=100_000)
    y_pred = rng.randint(2, size=100_000)
    y_score = rng.uniform(size=100_000)
    threshold = np.sort(y_score)[-n_above]
    codes = [f.code for f in diagnose(y, y_pred, y_score=y_score, threshold=threshold)]
    assert ("threshold_at_edge" in codes) == fires


@pytest.mark.parametrize(
    "y_pred, error, match",
    [
        (["0", "1", "0", "1"], TypeError, "must hold the same kind of labels"),
        (
            [0, 5, 0, 7],
            ValueError,
            r"`y_pred` must hold only the labels of `y_true` \[0, 1\].*\[5, 7\]",
        ),
    ],
)
def test_mismatched_labels_are_refused(y_pred, error, match):
    """Issue 11: predictions in other labels were read as 'every one negative'."""
    with pytest.raises(error, match=match):
        diagnose([0, 1, 0, 1], y_pred)


def test_nan_threshold_is_refused():
    """Issue 11: a NaN threshold is not a threshold (infinite ones are)."""
    with pytest.raises(ValueError, match="`threshold` must be a number .* not NaN"):
        diagnose(
            [0, 1, 0, 1], [0, 1, 1, 0], y_score=[0.1, 0.9, 0.6, 0.4], threshold=np.nan
        )


def test_positive_majority_is_said():
    """Issue 11: breast cancer's class 1 (benign) is positive by default."""
    from sklearn.datasets import load_breast_cancer

    y = load_breast_cancer().target
    findings = diagnose(y, y == 1)
    assert ("positive_is_majority", "warning") in _codes(findings)
    finding = [f for f in findings if f.code == "positive_is_majority"][0]
    assert "(pos_label=1) is the majority" in finding.message
    assert "62.7%" in finding.message
    assert finding.value == pytest.approx(y.mean())
    # the rarer class as positive: nothing to say
    assert "positive_is_majority" not in [f.code for f in diagnose(y, y, pos_label=0)]


def _just_met(y, y_score, constraint):
    """Predictions at the threshold that just meets ``constraint`` on (y, y_score)."""
    from skeval.metrics import operating_point

    objective = "precision" if constraint[0] == "recall" else "recall"
    op = operating_point(y, y_score, objective=objective, constraint=constraint)
    return (y_score >= op.threshold).astype(int), op.threshold


@pytest.mark.parametrize("constraint", [("recall", 0.9), ("alert_rate", 0.2)])
def test_constraint_just_met_is_at_risk(healthy, constraint):
    """A limit met exactly on these samples fails on about half of new ones."""
    y, _, y_score = healthy
    y_pred, _ = _just_met(y, y_score, constraint)
    findings = [
        f
        for f in diagnose(y, y_pred, y_score=y_score, constraint=constraint)
        if f.code == "constraint_at_risk"
    ]
    assert len(findings) == 1
    assert findings[0].severity == "warning"
    assert 0.3 < findings[0].value < 0.7
    assert f"{constraint[0]} at " in findings[0].message
    assert "of 400 bootstrap resamples" in findings[0].message
    assert "confidence=" in findings[0].message


def test_constraint_met_with_a_margin_is_not_at_risk(healthy):
    """Recall well above the limit: nothing to say (the healthy case stays clean)."""
    y, _, y_score = healthy
    y_pred, threshold = _just_met(y, y_score, ("recall", 0.9))
    y_pred = (y_score >= threshold - 0.1).astype(int)
    assert diagnose(y, y_pred, constraint=("recall", 0.9)) == []


def test_constraint_risk_with_string_labels_and_weights(healthy):
    """String labels, pos_label and weights reach the risk."""
    y, _, y_score = healthy
    y_pred, _ = _just_met(y, y_score, ("recall", 0.9))
    names = np.array(["no", "yes"])
    findings = diagnose(
        names[y],
        names[y_pred],
        pos_label="yes",
        sample_weight=np.full(len(y), 2),
        constraint=("recall", 0.9),
    )
    assert [f.code for f in findings] == ["constraint_at_risk"]


@pytest.mark.parametrize(
    "constraint, error, match",
    [
        (("roc_auc", 0.5), ValueError, r"`constraint` metric must be one of"),
        (("recall", 1.5), ValueError, r"value in \[0, 1\]\. Got \('recall', 1.5\)"),
        (("recall",), TypeError, r"`constraint` must be a \(metric, value\) pair"),
    ],
)
def test_constraint_errors(constraint, error, match):
    """A bad constraint is refused with the rule and what was received."""
    with pytest.raises(error, match=match):
        diagnose([0, 1, 0, 1], [0, 1, 1, 0], constraint=constraint)
