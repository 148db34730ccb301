"""make_operating_point_scorer in model selection: infeasible models, one-class
folds, estimators without scores, parameter validation."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from skeval import make_cost_scorer, make_operating_point_scorer
from skeval.exceptions import InfeasibleConstraintWarning
from skeval.metrics import operating_point, operating_point_score


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=600, weights=[0.8], random_state=0)


class PredictOnly(ClassifierMixin, BaseEstimator):
    """A classifier with predict and nothing to threshold."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_infeasible_model_never_wins_a_search(data):
    """The issue's case: a DummyClassifier with no feasible threshold loses."""
    X, y = data
    cost = make_cost_scorer([[0, 1], [10, 0]])
    scorer = make_operating_point_scorer(cost, constraint=("precision", 0.6))
    search = GridSearchCV(
        Pipeline([("clf", DummyClassifier())]),
        {"clf": [DummyClassifier(), LogisticRegression()]},
        scoring=scorer,
        cv=3,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfeasibleConstraintWarning)
        # numpy's note on the NaN std of a -inf candidate
        warnings.filterwarnings("ignore", "invalid value", RuntimeWarning)
        with pytest.warns(UserWarning, match="test scores are non-finite"):
            search.fit(X, y)
    results = search.cv_results_
    assert np.all(np.isneginf([results[f"split{k}_test_score"][0] for k in range(3)]))
    assert np.isneginf(results["mean_test_score"][0])
    assert np.isfinite(results["mean_test_score"][1])
    assert results["mean_test_score"][1] < 0  # a cost: feasible yet negative
    assert list(results["rank_test_score"]) == [2, 1]
    assert search.best_index_ == 1
    assert isinstance(search.best_estimator_[-1], LogisticRegression)


@pytest.mark.parametrize(
    "objective",
    ["f1", "youden", "matthews_corrcoef", make_cost_scorer([[0, 1], [10, 0]])],
    ids=["f1", "youden", "mcc", "cost"],
)
def test_default_infeasible_score_is_below_every_feasible_score(objective, data):
    """-inf by default: below any value of any objective, costs included."""
    X, y = data
    scorer = make_operating_point_scorer(objective, constraint=("precision", 0.6))
    dummy = DummyClassifier().fit(X, y)
    with pytest.warns(InfeasibleConstraintWarning, match="infeasible_score=-inf"):
        assert scorer(dummy, X, y) == -np.inf
    assert np.isfinite(scorer(LogisticRegression().fit(X, y), X, y))
    assert "infeasible_score=-inf" in repr(scorer)
    assert "infeasible_score" not in repr(make_operating_point_scorer(objective))


def test_finite_infeasible_score_is_kept(data):
    """A user's finite infeasible_score (the old 0.0 too) is still honoured."""
    X, y = data
    scorer = make_operating_point_scorer(
        "f1", constraint=("precision", 0.99), infeasible_score=0.0
    )
    with pytest.warns(InfeasibleConstraintWarning):
        assert scorer(DummyClassifier().fit(X, y), X, y) == 0.0


def test_cross_validate_reports_infeasible_folds(data):
    """cross_validate runs through and shows -inf for each infeasible fold."""
    X, y = data
    scorer = make_operating_point_scorer("recall", constraint=("precision", 0.6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfeasibleConstraintWarning)
        result = cross_validate(DummyClassifier(), X, y, scoring=scorer, cv=3)
    assert_allclose(result["test_score"], -np.inf)


@pytest.mark.parametrize("fold_class", [0, 1])
def test_cost_objective_on_a_one_class_fold(fold_class, data):
    """A fold holding one class is scored with both classes of the estimator."""
    X, y = data
    C = [[1, 5], [10, 2]]
    est = LogisticRegression().fit(X, y)
    rows = y == fold_class
    scorer = make_operating_point_scorer(make_cost_scorer(C))
    got = scorer(est, X[rows], y[rows])
    # one class: the best operating point predicts that class for every row
    assert_allclose(got, -C[fold_class][fold_class])
    expected = operating_point_score(
        y[rows],
        est.predict_proba(X[rows])[:, 1],
        objective=make_cost_scorer(C),
        labels=[0, 1],
    )
    assert_allclose(got, expected)


def test_cost_objective_on_a_one_class_fold_with_string_labels(data):
    """String labels: the estimator's classes_ name the cost matrix's rows."""
    X, y = data
    labels = np.where(y == 1, "fraud", "ok")
    est = LogisticRegression().fit(X, labels)
    scorer = make_operating_point_scorer(
        make_cost_scorer([[2, 5], [10, 1]]), pos_label="ok"
    )
    only_fraud = labels == "fraud"
    assert_allclose(scorer(est, X[only_fraud], labels[only_fraud]), -2.0)


@pytest.mark.parametrize(
    "labels, pos_label, match",
    [
        ([0, 1, 2], 1, r"`labels` must be the two classes.*Got \[0, 1, 2\]"),
        ([0, 2], 1, r"`pos_label` must be one of the classes \[0, 2\]. Got 1"),
        ([1, 2], 1, r"Every label of `y_true` must be one of `labels` \[1, 2\]"),
    ],
)
def test_operating_point_labels_must_cover_the_problem(labels, pos_label, match):
    """labels= names the two classes; the positive class and y among them."""
    with pytest.raises(ValueError, match=match):
        operating_point(
            [0, 0, 0],
            [0.1, 0.5, 0.7],
            objective=make_cost_scorer([[1, 5], [10, 2]]),
            pos_label=pos_label,
            labels=labels,
        )


@pytest.mark.parametrize(
    "scorer, estimator, match",
    [
        (
            make_operating_point_scorer("f1"),
            PredictOnly(),
            r"needs an estimator that implements predict_proba or "
            r"decision_function. Got PredictOnly, which has no such method",
        ),
        (
            make_operating_point_scorer("f1", response_method="predict_proba"),
            LinearSVC(),
            r"implements predict_proba. Got LinearSVC.*CalibratedClassifierCV",
        ),
    ],
)
def test_estimator_without_scores_is_a_type_error(scorer, estimator, match, data):
    """No AttributeError from deep inside scikit-learn: the methods needed."""
    X, y = data
    with pytest.raises(TypeError, match=match):
        scorer(estimator.fit(X, y), X, y)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"objective": 3}, "The 'objective' parameter of make_operating_point_scorer"),
        (
            {"objective": "f1", "infeasible_score": np.nan},
            "The 'infeasible_score' parameter",
        ),
        (
            {"objective": "f1", "infeasible_score": "low"},
            "The 'infeasible_score' parameter",
        ),
        ({"objective": "f1", "constraint": "recall"}, "The 'constraint' parameter"),
        ({"objective": "f1", "pos_label": [1]}, "The 'pos_label' parameter"),
    ],
)
def test_factory_parameters_are_validated(kwargs, match):
    """Parameter types are checked as in scikit-learn's public functions."""
    with pytest.raises(ValueError, match=match):
        make_operating_point_scorer(**kwargs)
