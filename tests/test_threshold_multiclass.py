"""ThresholdTunedClassifier on multiclass targets: tuned class offsets."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, get_scorer, make_scorer, matthews_corrcoef
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skeval import ThresholdTunedClassifier, make_cost_scorer

X, Y = make_classification(
    n_samples=300,
    n_features=6,
    n_informative=4,
    n_classes=3,
    weights=[0.6, 0.3, 0.1],
    random_state=0,
)
SPLITS = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, Y))


def _fold_values(tuner, metric, offsets, **metadata):
    """Brute force: refit each fold, predict with offsets, score with sklearn."""
    values = []
    for train, val in SPLITS:
        est = clone(tuner.estimator).fit(X[train], Y[train])
        scores = np.log(np.clip(est.predict_proba(X[val]), 1e-300, None))
        pred = est.classes_[np.argmax(scores + offsets, axis=1)]
        values.append(metric(Y[val], pred, val))
    return np.mean(values)


@pytest.mark.parametrize(
    "objective, metric",
    [
        ("f1", lambda y, p, _: f1_score(y, p, average="macro")),
        ("matthews_corrcoef", lambda y, p, _: matthews_corrcoef(y, p)),
        (
            make_scorer(f1_score, average="macro"),
            lambda y, p, _: f1_score(y, p, average="macro"),
        ),
    ],
)
def test_best_score_is_the_brute_force_value_at_the_offsets(objective, metric):
    """best_score_ is the mean fold metric at class_offsets_, never below argmax."""
    tuner = ThresholdTunedClassifier(
        LogisticRegression(max_iter=1000), objective=objective, cv=SPLITS
    ).fit(X, Y)
    assert tuner.class_offsets_.shape == (3,)
    assert tuner.fold_offsets_.shape == (3, 3)
    assert not hasattr(tuner, "best_threshold_")
    assert_allclose(
        tuner.best_score_, _fold_values(tuner, metric, tuner.class_offsets_)
    )
    assert tuner.best_score_ >= _fold_values(tuner, metric, np.zeros(3)) - 1e-12


def test_cost_objective_with_per_sample_costs_and_weights():
    """A K x K cost scorer with a per-sample cell, weighted, equals the brute force."""
    rng = np.random.default_rng(0)
    amount = rng.uniform(1, 20, len(Y))
    weight = rng.integers(1, 4, len(Y)).astype(float)
    matrix = [[0, 1, 1], ["amount", 0, 2], [8, 1, 0]]
    tuner = ThresholdTunedClassifier(
        LogisticRegression(max_iter=1000),
        objective=make_cost_scorer(matrix),
        cv=SPLITS,
    ).fit(X, Y, sample_weight=weight, amount=amount)

    def neg_cost(y, p, val):
        fixed = np.array([[0, 1, 1], [0, 0, 2], [8, 1, 0]], dtype=float)
        c = fixed[y, p] + np.where((y == 1) & (p == 0), amount[val], 0.0)
        return -(weight[val] * c).sum() / weight[val].sum()

    # the folds were fitted with the weights (LogisticRegression accepts them)
    values = []
    for train, val in SPLITS:
        est = LogisticRegression(max_iter=1000).fit(
            X[train], Y[train], sample_weight=weight[train]
        )
        scores = np.log(np.clip(est.predict_proba(X[val]), 1e-300, None))
        values.append(
            neg_cost(Y[val], np.argmax(scores + tuner.class_offsets_, 1), val)
        )
    assert_allclose(tuner.best_score_, np.mean(values))


def test_predict_is_argmax_of_scores_plus_offsets():
    """predict applies the offsets to log-probabilities (or decision values)."""
    tuner = ThresholdTunedClassifier(LogisticRegression(max_iter=1000)).fit(X, Y)
    log_proba = np.log(tuner.predict_proba(X))
    assert_array_equal(
        tuner.predict(X), tuner.classes_[np.argmax(log_proba + tuner.class_offsets_, 1)]
    )
    svc = ThresholdTunedClassifier(LinearSVC(), objective="balanced_accuracy").fit(X, Y)
    decision = svc.decision_function(X)
    assert_array_equal(
        svc.predict(X), svc.classes_[np.argmax(decision + svc.class_offsets_, 1)]
    )


def test_string_labels_pipeline_and_grid_search():
    """String classes, a pipeline step, and a grid search over the objective."""
    Xi, yi = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[yi]
    pipe = make_pipeline(
        StandardScaler(), ThresholdTunedClassifier(LogisticRegression())
    )
    search = GridSearchCV(
        pipe,
        {"thresholdtunedclassifier__objective": ["f1", "accuracy"]},
        cv=3,
    ).fit(Xi, names)
    assert set(search.predict(Xi)) <= set(names)
    assert search.best_score_ > 0.8


def test_binary_refit_after_multiclass_forgets_the_offsets():
    """Refitting on a binary target drops the multiclass attributes."""
    tuner = ThresholdTunedClassifier(LogisticRegression(max_iter=1000)).fit(X, Y)
    tuner.fit(X, Y == 0)
    assert not hasattr(tuner, "class_offsets_")
    assert hasattr(tuner, "best_threshold_")


def test_prefit_multiclass():
    """A prefit multiclass model is tuned without refitting."""
    est = LogisticRegression(max_iter=1000).fit(X[:150], Y[:150])
    tuner = ThresholdTunedClassifier(est, cv="prefit").fit(X[150:], Y[150:])
    assert tuner.estimator_ is est
    assert tuner.best_score_ >= get_scorer("f1_macro")(est, X[150:], Y[150:]) - 1e-12


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(constraint=("recall", 0.9)), "constraint=.*binary targets only"),
        (dict(pos_label=1), "pos_label=1 applies to binary targets only"),
        (dict(thresholds=10), "thresholds=10 applies to binary targets only"),
        (dict(store_cv_results=True), "store_cv_results=True applies to binary"),
        (dict(objective="precision"), "On a multiclass target, `objective` must be"),
        (dict(objective="roc_auc_ovr"), "On a multiclass target, `objective` must be"),
        (
            dict(objective=lambda est, X, y: 0.0),
            "On a multiclass target, `objective` must be",
        ),
        (
            dict(objective=make_cost_scorer([[0, 1], [1, 0]])),
            r"one row and one column per class of y \(3: \[0, 1, 2\]\)",
        ),
        (
            dict(objective=make_cost_scorer(np.eye(3), labels=[0, 1, 5])),
            r"labels must be exactly the classes of y \[0, 1, 2\]. Got labels",
        ),
    ],
)
def test_binary_only_options_are_refused_on_multiclass(params, match):
    """Binary-only options and non-multiclass objectives: a clear error."""
    tuner = ThresholdTunedClassifier(LogisticRegression(max_iter=1000), **params)
    with pytest.raises(ValueError, match=match):
        tuner.fit(X, Y)


def test_training_fold_without_a_class_is_an_error():
    """A fold whose training rows lack a class cannot be offset-tuned."""
    y = np.r_[np.zeros(20), np.ones(20), [2, 2]]
    Xs = np.random.default_rng(0).normal(size=(42, 2))
    splits = [(np.arange(40), np.arange(40, 42))]
    tuner = ThresholdTunedClassifier(LogisticRegression(), cv=splits, refit=False)
    with pytest.raises(ValueError, match="fold 0's knows"):
        tuner.fit(Xs, y)
