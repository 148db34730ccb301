"""The resolved request and the fitted state that describes a tuner (issue 10).

The report, the display and predict read what was fitted (``spec_``,
``result_``), never the constructor parameters as they are now.
"""

import warnings

import matplotlib
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_blobs, make_classification
from sklearn.linear_model import LogisticRegression

matplotlib.use("Agg")

from skeval import ThresholdTunedClassifier, make_cost_scorer  # noqa: E402
from skeval._core._request import resolve_spec  # noqa: E402
from skeval.exceptions import InfeasibleConstraintWarning  # noqa: E402
from skeval.metrics import (  # noqa: E402
    ThresholdCurveDisplay,
    operating_point,
    operating_point_report,
    tuned_threshold_report,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=600, weights=[0.8], random_state=0)
    amount = np.random.RandomState(0).uniform(1, 100, size=len(y))
    return X, y, amount


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_set_params_after_fit_changes_nothing_until_refit(data):
    """predict, the report and the display keep the fitted request."""
    X, y, amount = data
    cost = make_cost_scorer([[0, 1], ["amount", 0]])
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=cost, store_cv_results=True
    ).fit(X, y, amount=amount)
    before = tuner.predict(X)
    report = tuned_threshold_report(tuner, X, y, amount=amount, output_dict=True)
    tuner.set_params(objective="f1", response_method="decision_function")
    assert_array_equal(tuner.predict(X), before)
    # bug 1: the stored cost curve was labelled "f1" after set_params
    disp = ThresholdCurveDisplay.from_tuner(tuner)
    assert disp.objective_name == tuner.spec_.objective_name != "f1"
    # bug 1: the report applied a probability threshold to decision values
    after = tuned_threshold_report(tuner, X, y, amount=amount, output_dict=True)
    assert after == report
    assert after["default"]["threshold"] == 0.5
    assert tuner.response_method_ == "predict_proba"


def test_display_with_wrong_length_costs_gives_the_rule(data):
    """Bug 2: per-sample costs of the wrong length, the rule's message."""
    _, y, amount = data
    cost = make_cost_scorer([[0, 1], ["amount", 0]])
    scores = np.linspace(0, 1, len(y))
    with pytest.raises(ValueError, match=r"'amount' must have one entry per sample"):
        ThresholdCurveDisplay.from_predictions(
            y, scores, objective=cost, amount=amount[:10]
        )
    with pytest.raises(ValueError, match=r"'amount' must have one entry per sample"):
        operating_point(y, scores, objective=cost, amount=amount[:10])


def test_fitted_spec_and_result_are_public(data):
    """spec_, result_, pos_label_ and response_method_ describe the fit."""
    X, y, _ = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective="precision", constraint=("recall", 0.9)
    ).fit(X, y)
    assert tuner.pos_label_ == 1 and tuner.response_method_ == "predict_proba"
    assert tuner.spec_.constraint.describe() == "recall at least 0.9"
    result = tuner.result_
    assert result.threshold == tuner.best_threshold_
    assert result.score == tuner.best_score_
    assert_array_equal(result.fold_thresholds, tuner.fold_thresholds_)
    assert result.objective_folds.shape == (5, len(result.thresholds))
    assert result.constraint_satisfied is tuner.constraint_satisfied_


def test_one_fold_result_is_operating_point(data):
    """operating_point is the tuner's one-fold case (cv='prefit')."""
    X, y, _ = data
    model = LogisticRegression().fit(X, y)
    tuner = ThresholdTunedClassifier(model, cv="prefit", objective="youden").fit(X, y)
    point = operating_point(y, model.predict_proba(X)[:, 1], objective="youden")
    assert point.threshold == tuner.best_threshold_
    assert_allclose(point.score, tuner.best_score_)
    assert point.constraint_satisfied is None


def test_refit_binary_then_multiclass_leaves_nothing_stale():
    """A refit on another kind of target drops the other kind's attributes."""
    X, y = make_blobs(n_samples=150, centers=3, random_state=0)
    tuner = ThresholdTunedClassifier(LogisticRegression()).fit(X, (y == 0) * 1)
    assert hasattr(tuner, "fold_thresholds_")
    tuner.fit(X, y)
    for name in ("fold_thresholds_", "best_threshold_", "spec_", "pos_label_"):
        assert not hasattr(tuner, name), name
    assert tuner.response_method_ == "predict_proba"


def test_refit_dataframe_then_array_drops_feature_names():
    """feature_names_in_ of a DataFrame fit does not survive an ndarray fit."""
    pd = pytest.importorskip("pandas")
    X, y = make_classification(n_samples=200, random_state=0)
    tuner = ThresholdTunedClassifier(LogisticRegression(), cv=3)
    tuner.fit(pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]), y)
    assert hasattr(tuner, "feature_names_in_")
    tuner.fit(X, y)
    assert not hasattr(tuner, "feature_names_in_")


def test_multiclass_tuner_in_report_and_display_is_a_clear_error():
    """Not a false NotFittedError: a multiclass tuner has no threshold."""
    X, y = make_blobs(n_samples=150, centers=3, random_state=0)
    tuner = ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(X, y)
    with pytest.raises(ValueError, match="fitted on a multiclass target"):
        tuned_threshold_report(tuner, X, y)
    with pytest.raises(ValueError, match="fitted on a multiclass target"):
        ThresholdCurveDisplay.from_tuner(tuner)


@pytest.mark.parametrize(
    "cv, match",
    [
        ([], "must give at least one"),
        ([(np.arange(10), np.arange(590, 610))], r"indices within \[0, 600\)"),
        ([(np.arange(10), np.array([], dtype=int))], "non-empty integer validation"),
    ],
)
def test_bad_cv_splits_are_refused_with_the_rule(data, cv, match):
    """cv=[] and out-of-range indices: a ValueError, not numpy's IndexError."""
    X, y, _ = data
    with pytest.raises(ValueError, match=match):
        ThresholdTunedClassifier(LogisticRegression(), cv=cv).fit(X, y)


def test_display_refuses_predict_as_response_method(data):
    """A curve needs scores: response_method='predict' is refused."""
    X, y, _ = data
    model = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="the curve needs scores"):
        ThresholdCurveDisplay.from_estimator(model, X, y, response_method="predict")


def test_report_refuses_nan_threshold_and_unused_arrays():
    """thresholds=nan and per-sample arrays nothing uses are errors."""
    y, s = [0, 1, 0, 1], [0.1, 0.8, 0.3, 0.6]
    with pytest.raises(TypeError, match="`thresholds` must be a number"):
        operating_point_report(y, s, thresholds=np.nan)
    with pytest.raises(ValueError, match=r"got metadata \['amount'\]"):
        operating_point_report(y, s, thresholds=0.5, amount=[1, 2, 3, 4])


def test_report_says_when_the_positive_class_is_the_majority():
    """Breast-cancer-like labels: the positive class 1 is the majority."""
    y = [1, 1, 1, 0]
    text = operating_point_report(y, [0.9, 0.8, 0.7, 0.1], thresholds=0.5)
    assert "the positive class 1 is the majority (75%)" in text


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(objective="f1"), "`pos_label` must be given"),
        (dict(objective="precision", constraint=("recall", 0.9)), "`pos_label` must"),
        (dict(objective="f1", pos_label="spam"), "must be one of the classes"),
    ],
)
def test_spec_positive_class_rule(kwargs, match):
    """String labels name their positive class unless the objective is symmetric."""
    with pytest.raises(ValueError, match=match):
        resolve_spec(classes=np.array(["fraud", "ok"]), **kwargs)


def test_spec_symmetric_objective_needs_no_pos_label():
    """Accuracy, MCC, ... are the same whichever class is positive."""
    for name in ("accuracy", "balanced_accuracy", "matthews_corrcoef", "youden"):
        spec = resolve_spec(name, classes=np.array(["fraud", "ok"]))
        assert spec.pos_label == "ok" and spec.neg_label == "fraud"


def test_string_labels_tuner_needs_pos_label_for_f1(data):
    """Issue 11: 'fraud'/'ok' never silently tunes the recall of 'ok'."""
    X, y, _ = data
    names = np.array(["fraud", "ok"])[1 - y]
    with pytest.raises(ValueError, match=r"Got labels \['fraud', 'ok'\]"):
        ThresholdTunedClassifier(
            LogisticRegression(), objective="precision", constraint=("recall", 0.9)
        ).fit(X, names)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(),
        objective="precision",
        constraint=("recall", 0.9),
        pos_label="fraud",
    ).fit(X, names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfeasibleConstraintWarning)
        assert tuner.pos_label_ == "fraud"
    assert set(tuner.predict(X)) <= {"fraud", "ok"}


def test_spec_labels_cut_scores_with_the_documented_rule():
    """score >= threshold is positive; +inf nothing, -inf everything."""
    spec = resolve_spec("f1", classes=np.array([0, 1]))
    scores = np.array([0.2, 0.5, 0.9])
    assert_array_equal(spec.labels(scores, 0.5), [0, 1, 1])
    assert_array_equal(spec.labels(scores, np.inf), [0, 0, 0])
    assert_array_equal(spec.labels(scores, -np.inf), [1, 1, 1])


def test_one_se_selection_stays_on_the_near_best_plateau(data):
    """selection='one_se': within one SE of the best mean, feasible, ordered."""
    X, y, _ = data
    exact = ThresholdTunedClassifier(LogisticRegression(), store_cv_results=True)
    exact.fit(X, y)
    plateau = ThresholdTunedClassifier(
        LogisticRegression(), selection="one_se", store_cv_results=True
    ).fit(X, y)
    result = plateau.result_
    best = np.max(result.objective)
    k = np.count_nonzero(result.thresholds >= exact.best_threshold_) - 1
    se = np.std(result.objective_folds[:, k], ddof=1) / np.sqrt(5)
    assert plateau.best_score_ >= best - se - 1e-12
    assert plateau.best_score_ <= exact.best_score_
    assert_allclose(result.fold_thresholds, exact.fold_thresholds_)


def test_one_se_selection_keeps_the_constraint(data):
    """The plateau is cut where the mean constraint stops being met."""
    X, y, _ = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(),
        objective="precision",
        constraint=("recall", 0.9),
        selection="one_se",
    ).fit(X, y)
    assert tuner.constraint_satisfied_ and tuner.constraint_value_ >= 0.9


def test_one_se_selection_with_one_fold_is_exact(data):
    """No spread across folds with one fold: both rules agree."""
    X, y, _ = data
    model = LogisticRegression().fit(X, y)
    a = ThresholdTunedClassifier(model, cv="prefit").fit(X, y)
    b = ThresholdTunedClassifier(model, cv="prefit", selection="one_se").fit(X, y)
    assert a.best_threshold_ == b.best_threshold_
