"""MinimumExpectedCostClassifier: the minimum-risk rule and its calibration check."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_iris, make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skeval import MinimumExpectedCostClassifier
from skeval.exceptions import PoorCalibrationWarning
from skeval.metrics import confusion_curve


class ColumnProba(ClassifierMixin, BaseEstimator):
    """Reads P(class 1) from the first feature: perfectly calibrated by design."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        p = np.asarray(X)[:, 0]
        return np.column_stack([1 - p, p])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_multiclass_rule_equals_brute_force_argmin(seed):
    """predict equals the argmin over classes of sum_a P(a|x) C[a, j]."""
    X, y = load_iris(return_X_y=True)
    rng = np.random.default_rng(seed)
    cost = rng.integers(0, 10, (3, 3)) * (1 - np.eye(3))
    clf = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), cost_matrix=cost, calibration_cv=None
    ).fit(X, y)
    proba = clf.predict_proba(X)
    expected = np.array(
        [
            min(range(3), key=lambda j, p=p: sum(p[a] * cost[a, j] for a in range(3)))
            for p in proba
        ]
    )
    assert_array_equal(clf.predict(X), expected)
    assert_allclose(clf.expected_cost(X), proba @ cost)


@pytest.mark.parametrize(
    "cost", [[[0, 1], [1, 0]], [[0, 1], [9, 0]], [[0, 5], [1, 0]], [[-1, 2], [6, -3]]]
)
def test_binary_threshold_matches_exact_sweep_on_calibrated_scores(cost):
    """On calibrated probabilities, the closed form is where the exact sweep's cost
    is lowest."""
    rng = np.random.default_rng(0)
    p = rng.random(200_000)
    y = (rng.random(p.size) < p).astype(int)
    clf = MinimumExpectedCostClassifier(
        ColumnProba(), cost_matrix=cost, calibration_cv=None
    ).fit(p[:, None], y)
    C = np.asarray(cost, dtype=float)
    curve = confusion_curve(y, p)
    total = (
        C[0, 0] * curve.tn
        + C[0, 1] * curve.fp
        + C[1, 0] * curve.fn
        + C[1, 1] * curve.tp
    )
    best = curve.thresholds[int(np.argmin(total))]
    assert abs(best - clf.threshold_) < 0.02
    assert_array_equal(clf.predict(p[:, None]), (p >= clf.threshold_).astype(int))


def test_default_cost_matrix_predicts_most_probable_class():
    """cost_matrix=None is the 0-1 loss: argmax of the probabilities."""
    X, y = load_iris(return_X_y=True)
    clf = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), calibration_cv=None
    ).fit(X, y)
    assert_array_equal(clf.predict(X), clf.estimator_.predict(X))


def test_poor_calibration_warns_and_suggests_remedies():
    """An over-confident model triggers the warning; a calibrated one does not."""
    X, y = make_classification(
        n_samples=2000, n_features=20, n_informative=3, n_redundant=10, random_state=0
    )
    with pytest.warns(PoorCalibrationWarning, match="CalibratedClassifierCV"):
        clf = MinimumExpectedCostClassifier(
            GaussianNB(), cost_matrix=[[0, 1], [5, 0]]
        ).fit(X, y)
    assert clf.calibration_error_ > 0.05
    calibrated = CalibratedClassifierCV(GaussianNB(), cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PoorCalibrationWarning)
        clf = MinimumExpectedCostClassifier(
            calibrated, cost_matrix=[[0, 1], [5, 0]]
        ).fit(X, y)
    assert clf.calibration_error_ <= 0.05


def test_works_in_pipeline_and_with_frozen_estimator():
    """A pipeline step, and a prefit model wrapped in FrozenEstimator."""
    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(),
        MinimumExpectedCostClassifier(LogisticRegression(), calibration_cv=None),
    ).fit(X, y)
    assert pipe.score(X, y) > 0.9
    fitted = LogisticRegression(max_iter=1000).fit(X, y)
    clf = MinimumExpectedCostClassifier(
        FrozenEstimator(fitted), calibration_cv=None
    ).fit(X, y)
    assert_array_equal(clf.predict(X), fitted.predict(X))


def test_string_labels_and_sample_weight():
    """String classes map onto the cost matrix in sorted order; weights reach fit."""
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    w = np.where(y == 1, 5.0, 1.0)
    clf = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), calibration_cv=None
    ).fit(X, labels, sample_weight=w)
    ref = LogisticRegression(max_iter=1000).fit(X, labels, sample_weight=w)
    assert_array_equal(clf.predict(X), ref.predict(X))


@pytest.mark.parametrize(
    "params, y, error, match",
    [
        (dict(cost_matrix=[[0, 1], [1, 0]]), [0, 1, 2] * 10, ValueError, "3 x 3"),
        (dict(cost_matrix=[[0, np.nan], [1, 0]]), [0, 1] * 15, ValueError, "finite"),
        (dict(cost_matrix=[[0, "a"], [1, 0]]), [0, 1] * 15, TypeError, "numbers"),
        (dict(cost_matrix=[[1, 0], [0, 1]]), [0, 1] * 15, ValueError, "dearer"),
        (dict(), [1] * 30, ValueError, "at least two classes"),
    ],
)
def test_bad_input_errors(params, y, error, match):
    """Each bad input names the rule and what was received."""
    X = np.random.default_rng(0).normal(size=(len(y), 2))
    clf = MinimumExpectedCostClassifier(
        LogisticRegression(), calibration_cv=None, **params
    )
    with pytest.raises(error, match=match):
        clf.fit(X, y)


def test_sample_weight_with_estimator_that_refuses_it():
    """A clear error when the estimator's fit has no sample_weight."""

    class NoWeights(ColumnProba):
        pass

    X = np.random.default_rng(0).random((20, 1))
    with pytest.raises(ValueError, match="does not accept sample_weight"):
        MinimumExpectedCostClassifier(NoWeights(), calibration_cv=None).fit(
            X, [0, 1] * 10, sample_weight=np.ones(20)
        )


def test_nan_probability_row_is_an_error_not_class_0():
    """Issue 11: a NaN row of predict_proba silently became class 0."""
    X = np.array([[0.2], [0.9], [np.nan], [0.4]])
    clf = MinimumExpectedCostClassifier(ColumnProba(), calibration_cv=None)
    clf.fit(np.array([[0.1], [0.8]] * 10), [0, 1] * 10)
    with pytest.raises(ValueError, match=r"predict_proba must be finite.*1 row"):
        clf.predict(X)
    multi = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), calibration_cv=None
    ).fit(*load_iris(return_X_y=True))
    multi.estimator_.predict_proba = lambda X: np.full((len(X), 3), np.nan)
    with pytest.raises(ValueError, match="predict_proba must be finite"):
        multi.predict(np.zeros((2, 4)))


def test_column_vector_y_with_the_default_calibration_check():
    """Issue 11: y of shape (n, 1) with calibration_cv=3 raised IndexError."""
    X, y = make_classification(n_samples=120, random_state=0)
    with pytest.warns(Warning, match="column-vector y was passed"):
        clf = MinimumExpectedCostClassifier(LogisticRegression()).fit(
            X, y.reshape(-1, 1)
        )
    assert clf.calibration_error_ is not None
    assert_array_equal(clf.predict(X), LogisticRegression().fit(X, y).predict(X))


def test_refit_forgets_the_previous_fit():
    """Issue 11: binary then multiclass kept threshold_; DataFrame then array
    kept feature_names_in_."""
    pd = pytest.importorskip("pandas")
    X, y = load_iris(return_X_y=True)
    clf = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), calibration_cv=None
    )
    clf.fit(pd.DataFrame(X, columns=list("abcd")), y == 2)
    assert hasattr(clf, "threshold_") and hasattr(clf, "feature_names_in_")
    clf.fit(X, y)
    assert not hasattr(clf, "threshold_")
    assert not hasattr(clf, "feature_names_in_")
