"""The operating-point report against scikit-learn's metrics at the threshold."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    make_scorer,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from sklearn.svm import LinearSVC

from skeval import ThresholdTunedClassifier, make_cost_scorer
from skeval._core._objective import CurveObjective
from skeval.metrics import cost_loss
from skeval.metrics._report import operating_point_report, tuned_threshold_report

ROWS = [
    "threshold",
    "tp",
    "fp",
    "fn",
    "tn",
    "precision",
    "recall",
    "specificity",
    "npv",
    "f1",
    "balanced_accuracy",
    "matthews_corrcoef",
    "alert_rate",
]


def _expected(y, scores, threshold, w=None, pos_label=1):
    """The slow obvious computation with scikit-learn at one threshold."""
    y = np.asarray(y)
    neg_label = [c for c in np.unique(y) if c != pos_label][0]
    y_pred = np.where(np.asarray(scores) >= threshold, pos_label, neg_label)
    tn, fp, fn, tp = confusion_matrix(
        y, y_pred, labels=[neg_label, pos_label], sample_weight=w
    ).ravel()
    kw = dict(sample_weight=w, zero_division=0)
    weights = np.ones(len(y)) if w is None else np.asarray(w)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision_score(y, y_pred, pos_label=pos_label, **kw),
        "recall": recall_score(y, y_pred, pos_label=pos_label, **kw),
        "specificity": recall_score(y, y_pred, pos_label=neg_label, **kw),
        "npv": precision_score(y, y_pred, pos_label=neg_label, **kw),
        "f1": f1_score(y, y_pred, pos_label=pos_label, **kw),
        "balanced_accuracy": balanced_accuracy_score(y, y_pred, sample_weight=w),
        "matthews_corrcoef": matthews_corrcoef(y, y_pred, sample_weight=w),
        "alert_rate": weights[y_pred == pos_label].sum() / weights.sum(),
    }


@st.composite
def _cases(draw):
    n = draw(st.integers(4, 40))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    y[0], y[1] = 0, 1  # both classes
    # few distinct values: many ties
    scores = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    weights = draw(st.none() | st.lists(st.integers(1, 4), min_size=n, max_size=n))
    threshold = draw(st.sampled_from([-1.0, 0.0, 2.0, 2.5, 3.0, 6.0, 7.0]))
    return np.array(y), np.array(scores) / 2.0, weights, threshold / 2.0


@settings(max_examples=60, deadline=None, derandomize=True)
@given(_cases())
def test_report_equals_sklearn_at_the_threshold(case):
    """Every row equals scikit-learn's metric of the thresholded predictions."""
    y, scores, w, threshold = case
    report = operating_point_report(
        y, scores, thresholds=threshold, sample_weight=w, output_dict=True
    )["threshold"]
    expected = _expected(y, scores, threshold, w)
    assert report["threshold"] == threshold
    for key, value in expected.items():
        assert_allclose(report[key], value, atol=1e-12, err_msg=key)


def test_integer_weights_equal_repeated_rows():
    """A weight of k counts like k copies of the row."""
    rng = np.random.RandomState(0)
    y = rng.randint(2, size=80)
    scores = np.round(rng.uniform(size=80), 1)
    w = rng.randint(0, 4, size=80)
    weighted = operating_point_report(
        y, scores, thresholds=0.5, sample_weight=w, output_dict=True
    )
    repeated = operating_point_report(
        np.repeat(y, w), np.repeat(scores, w), thresholds=0.5, output_dict=True
    )
    for key in ROWS:
        assert_allclose(weighted["threshold"][key], repeated["threshold"][key])


def test_dict_form_columns_rows_and_floats():
    """Named thresholds become columns in order; every value is a float."""
    report = operating_point_report(
        [0, 1, 0, 1],
        [0.2, 0.7, 0.6, 0.9],
        thresholds={"b": 0.65, "a": 0.5},
        output_dict=True,
    )
    assert list(report) == ["b", "a"]
    assert list(report["b"]) == ROWS
    assert all(type(v) is float for col in report.values() for v in col.values())
    assert report["b"]["tp"] == 2.0 and report["a"]["fp"] == 1.0


def test_infinite_thresholds_predict_nothing_or_everything():
    """+inf flags nothing, -inf flags everything."""
    report = operating_point_report(
        [0, 1, 1],
        [0.1, 0.5, 0.9],
        thresholds={"none": np.inf, "all": -np.inf},
        output_dict=True,
    )
    assert report["none"]["alert_rate"] == 0.0 and report["none"]["precision"] == 0.0
    assert report["all"]["alert_rate"] == 1.0 and report["all"]["recall"] == 1.0


def test_string_labels_and_cost_orientation():
    """pos_label may sort first; the cost matrix follows `labels` order."""
    y = np.array(["fraud", "ok", "ok", "fraud", "ok", "ok"])
    scores = np.array([0.9, 0.2, 0.7, 0.4, 0.1, 0.3])
    # sorted labels: ["fraud", "ok"]; C[true][pred]
    cost = np.array([[0.0, 10.0], [1.0, 0.0]])  # a missed fraud costs 10
    report = operating_point_report(
        y,
        scores,
        thresholds=0.5,
        pos_label="fraud",
        cost=cost,
        output_dict=True,
    )["threshold"]
    expected = _expected(y, scores, 0.5, pos_label="fraud")
    for key, value in expected.items():
        assert_allclose(report[key], value, err_msg=key)
    y_pred = np.where(scores >= 0.5, "fraud", "ok")
    cm = confusion_matrix(y, y_pred, labels=["fraud", "ok"])
    assert_allclose(report["cost"], (cm * cost).sum() / len(y))


def test_cost_is_the_weighted_mean_and_gains_are_negative():
    """The cost row is the weighted mean cost per sample; gains lower it."""
    rng = np.random.RandomState(3)
    y = rng.randint(2, size=50)
    scores = rng.uniform(size=50)
    w = rng.uniform(0.5, 2.0, size=50)
    cost = np.array([[-1.0, 4.0], [7.0, -2.0]])
    report = operating_point_report(
        y,
        scores,
        thresholds=0.4,
        sample_weight=w,
        cost=cost,
        output_dict=True,
    )["threshold"]
    cm = confusion_matrix(y, (scores >= 0.4).astype(int), sample_weight=w)
    assert_allclose(report["cost"], (cm * cost).sum() / w.sum())


def test_text_form_shows_the_numbers():
    """The text holds a header and each row's numbers, columns side by side."""
    y = [0, 0, 0, 0, 1, 1, 0, 1]
    scores = [0.1, 0.3, 0.35, 0.6, 0.4, 0.8, 0.2, 0.7]
    text = operating_point_report(
        y,
        scores,
        thresholds={"tuned": 0.38, "default": 0.5},
        cost=[[0, 1], [5, 0]],
        digits=2,
    )
    lines = text.splitlines()
    assert lines[0] == (
        "Operating point report (positive class: 1; 8 samples, 3 positive)"
    )
    assert lines[2].split() == ["tuned", "default"]
    rows = {line.rsplit(None, 2)[0]: line.split()[-2:] for line in lines[3:]}
    assert rows["threshold"] == ["0.38", "0.50"]
    assert rows["true positives"] == ["3", "2"]
    assert rows["precision"] == ["0.75", "0.67"]
    assert rows["MCC"] == ["0.77", "0.47"]
    assert rows["cost (mean per sample)"] == ["0.12", "0.75"]


def test_text_form_shows_fractional_counts_with_weights():
    """Non-integral weighted counts keep their decimals in the text."""
    text = operating_point_report(
        [0, 1, 1], [0.1, 0.5, 0.9], thresholds=0.3, sample_weight=[1, 0.5, 1]
    )
    assert "1.500" in text and "2.50 samples" in text


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=800, weights=[0.85], random_state=0)
    return X[:500], y[:500], X[500:], y[500:]


def test_tuned_threshold_report_is_the_report_at_both_thresholds(data):
    """Columns: the tuner's best_threshold_ and 0.5, on the tuner's scores."""
    X, y, X_test, y_test = data
    tuner = ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(X, y)
    report = tuned_threshold_report(tuner, X_test, y_test, output_dict=True)
    expected = operating_point_report(
        y_test,
        tuner.predict_proba(X_test)[:, 1],
        thresholds={"tuned": tuner.best_threshold_, "default": 0.5},
        output_dict=True,
    )
    assert report == expected
    # the tuned column describes exactly what predict does
    y_pred = tuner.predict(X_test)
    assert report["tuned"]["tp"] == np.sum((y_pred == 1) & (y_test == 1))


def test_tuned_threshold_report_decision_function_and_string_labels(data):
    """A decision function's default threshold is 0; labels are the tuner's."""
    X, y, X_test, y_test = data
    names = np.array(["no", "yes"])
    tuner = ThresholdTunedClassifier(LinearSVC(), cv=3, pos_label="yes")
    tuner.fit(X, names[y])
    report = tuned_threshold_report(
        tuner,
        X_test,
        names[y_test],
        cost=[[0, 1], [5, 0]],
        output_dict=True,
    )
    assert report["default"]["threshold"] == 0.0
    y_pred = tuner.predict(X_test)
    cm = confusion_matrix(names[y_test], y_pred, labels=["no", "yes"])
    assert_allclose(
        report["tuned"]["cost"], (cm * [[0, 1], [5, 0]]).sum() / len(y_test)
    )
    text = tuned_threshold_report(tuner, X_test, names[y_test])
    assert "positive class: 'yes'" in text


def test_tuned_threshold_report_adds_the_objective_row(data):
    """An objective that is not a row already gets its own row."""
    X, y, X_test, y_test = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective="youden", cv=3
    ).fit(X, y)
    report = tuned_threshold_report(tuner, X_test, y_test, output_dict=True)
    tuned = report["tuned"]
    assert_allclose(tuned["youden"], tuned["recall"] + tuned["specificity"] - 1)
    assert "youden (objective)" in tuned_threshold_report(tuner, X_test, y_test)


class _ReviewCost(CurveObjective):
    """Minus the review cost of the flagged samples (a per-sample cost)."""

    name = "neg_review_cost"
    metadata = ("amount",)

    def evaluate(self, curve, *, amount):
        return -curve.positive_sum(amount)


def test_tuned_threshold_report_objective_with_metadata(data):
    """An objective with per-sample metadata is evaluated on the given arrays."""
    X, y, X_test, y_test = data
    amount = np.linspace(0.0, 0.02, len(y))
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=_ReviewCost(), cv=3
    ).fit(X, y, amount=amount)
    test_amount = np.linspace(1, 2, len(y_test))
    report = tuned_threshold_report(
        tuner, X_test, y_test, amount=test_amount, output_dict=True
    )
    flagged = tuner.predict(X_test) == 1
    assert_allclose(report["tuned"]["neg_review_cost"], -test_amount[flagged].sum())
    flagged = tuner.predict_proba(X_test)[:, 1] >= 0.5
    assert flagged.any()
    assert_allclose(report["default"]["neg_review_cost"], -test_amount[flagged].sum())
    with pytest.raises(ValueError, match="needs the per-sample metadata"):
        tuned_threshold_report(tuner, X_test, y_test)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"thresholds": "0.5"}, TypeError, "`thresholds` must be a number"),
        ({"thresholds": {}}, TypeError, "`thresholds` must be a number"),
        ({"thresholds": {"a": np.nan}}, TypeError, "`thresholds` must be a number"),
        ({"thresholds": True}, TypeError, "`thresholds` must be a number"),
        (
            {"thresholds": 0.5, "cost": [[0, 1, 2], [1, 0, 2]]},
            ValueError,
            "must be a square matrix",
        ),
        (
            {"thresholds": 0.5, "cost": np.zeros((3, 3))},
            ValueError,
            "`cost` must be a 2 x 2 cost matrix",
        ),
        (
            {"thresholds": 0.5, "cost": make_scorer(f1_score)},
            ValueError,
            "`cost` must be a 2 x 2 cost matrix",
        ),
        (
            {"thresholds": 0.5, "cost": [[0, np.nan], [1, 0]]},
            ValueError,
            "must be finite numbers",
        ),
        (
            {"thresholds": 0.5, "cost": [[0, 1], ["amount", 0]]},
            ValueError,
            r"needs the per-sample metadata \['amount'\]",
        ),
        (
            {
                "thresholds": 0.5,
                "cost": [[0, 1], ["amount", 0]],
                "amount": [1, 2],
            },
            ValueError,
            r"Metadata 'amount' must have one entry per sample \(4\)",
        ),
        (
            {"thresholds": 0.5, "cost": np.eye(2), "labels": [0, 1, 2]},
            ValueError,
            "`labels` must name one class per row",
        ),
        (
            {"thresholds": 0.5, "cost": np.eye(2), "labels": [0, 2]},
            ValueError,
            "the positive class among them",
        ),
        (
            {
                "thresholds": 0.5,
                "cost": make_cost_scorer(np.eye(2)),
                "labels": [0, 1],
            },
            ValueError,
            "a cost scorer carries its own",
        ),
        ({"thresholds": 0.5, "pos_label": 2}, ValueError, "`pos_label` must be one"),
        ({"thresholds": 0.5, "sample_weight": [1, 1]}, ValueError, "one entry"),
    ],
)
def test_report_errors(kwargs, error, match):
    """Bad thresholds, cost matrices, labels and weights raise with the rule."""
    with pytest.raises(error, match=match):
        operating_point_report([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.4], **kwargs)


def test_report_single_class_cost_needs_labels():
    """With one class in y_true the cost matrix orientation must be given."""
    with pytest.raises(ValueError, match="needs one label per row"):
        operating_point_report([1, 1], [0.2, 0.8], thresholds=0.5, cost=np.eye(2))
    report = operating_point_report(
        [1, 1],
        [0.2, 0.8],
        thresholds=0.5,
        cost=[[0, 1], [3, 0]],
        labels=[0, 1],
        output_dict=True,
    )
    assert report["threshold"]["cost"] == 1.5


def test_tuned_threshold_report_needs_a_fitted_tuner(data):
    """Anything but a fitted ThresholdTunedClassifier is refused."""
    X, y, _, _ = data
    with pytest.raises(TypeError, match="Expected a fitted skeval"):
        tuned_threshold_report(LogisticRegression().fit(X, y), X, y)
    with pytest.raises(NotFittedError, match="not fitted"):
        tuned_threshold_report(ThresholdTunedClassifier(LogisticRegression()), X, y)


def test_cost_with_per_sample_amounts_equals_cost_loss():
    """A cost matrix naming metadata reads it per sample, as cost_loss does."""
    rng = np.random.RandomState(5)
    y = rng.randint(2, size=60)
    scores = rng.uniform(size=60)
    amount = rng.uniform(10, 100, size=60)
    w = rng.uniform(0.5, 1.5, size=60)
    matrix = [[0, 2], ["amount", -1]]
    report = operating_point_report(
        y,
        scores,
        thresholds={"low": 0.3, "high": 0.7},
        cost=matrix,
        amount=amount,
        sample_weight=w,
        output_dict=True,
    )
    for name, t in (("low", 0.3), ("high", 0.7)):
        expected = cost_loss(
            y,
            (scores >= t).astype(int),
            cost_matrix=matrix,
            sample_weight=w,
            amount=amount,
        )
        assert_allclose(report[name]["cost"], expected)


def test_cost_scorer_gives_its_own_cost_and_unit():
    """A make_cost_scorer scorer: its labels, and the total with normalize=False."""
    y = np.array(["ok", "fraud", "ok", "fraud", "ok"])
    scores = np.array([0.1, 0.9, 0.6, 0.3, 0.2])
    scorer = make_cost_scorer(
        [[0, 10], [1, 0]], labels=["fraud", "ok"], normalize=False
    )
    report = operating_point_report(
        y, scores, thresholds=0.5, pos_label="fraud", cost=scorer, output_dict=True
    )
    y_pred = np.where(scores >= 0.5, "fraud", "ok")
    expected = cost_loss(
        y,
        y_pred,
        cost_matrix=[[0, 10], [1, 0]],
        labels=["fraud", "ok"],
        normalize=False,
    )
    assert report["threshold"]["cost"] == expected == 11.0
    text = operating_point_report(
        y, scores, thresholds=0.5, pos_label="fraud", cost=scorer
    )
    assert "cost (total)" in text


def test_tuned_threshold_report_reports_the_tuners_cost(data):
    """A tuner tuned for a cost scorer reports that cost, metadata included."""
    X, y, X_test, y_test = data
    amount = np.linspace(1, 50, len(y))
    scorer = make_cost_scorer([[0, 3], ["amount", 0]])
    tuner = ThresholdTunedClassifier(LogisticRegression(), objective=scorer, cv=3).fit(
        X, y, amount=amount
    )
    test_amount = np.linspace(1, 50, len(y_test))
    report = tuned_threshold_report(
        tuner, X_test, y_test, amount=test_amount, output_dict=True
    )
    expected = cost_loss(
        y_test,
        tuner.predict(X_test),
        cost_matrix=[[0, 3], ["amount", 0]],
        amount=test_amount,
    )
    assert_allclose(report["tuned"]["cost"], expected)
    assert "neg_cost" not in report["tuned"] and "cost (objective)" not in str(report)
    with pytest.raises(ValueError, match="needs the per-sample metadata"):
        tuned_threshold_report(tuner, X_test, y_test)
