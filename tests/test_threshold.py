"""ThresholdTunedClassifier: brute-force equivalence, integration, errors."""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import metrics as skm
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    StratifiedKFold,
    StratifiedShuffleSplit,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skeval import ThresholdTunedClassifier
from skeval._core._formulas import COUNT_METRICS
from skeval._core._objective import CountObjective
from skeval.exceptions import (
    DegenerateFoldWarning,
    InfeasibleConstraintWarning,
    SkevalWarning,
)
from skeval.metrics import CurveObjective, register_curve_metric

INF = np.inf
_X = np.linspace(0, 1, 12).reshape(-1, 1)
_Y = np.array([0, 1] * 6)


# ---------------------------------------------------------------- helpers
class ColumnScorer(ClassifierMixin, BaseEstimator):
    """A fit-free classifier: its positive-class score is column 0 of X.

    Deterministic, so a brute force can recompute every fold's scores, and
    with ties whenever X has them. It records the weights fit received.
    """

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.unique(y)
        self.n_features_in_ = np.asarray(X).shape[1]
        self.fit_sample_weight_ = sample_weight
        return self

    def predict_proba(self, X):
        p = np.asarray(X, dtype=float)[:, 0]
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]


class NoWeightColumnScorer(ColumnScorer):
    """ColumnScorer whose fit does not accept sample_weight."""

    def fit(self, X, y):
        return super().fit(X, y)


class DecisionOnly(ClassifierMixin, BaseEstimator):
    """A classifier with predict only: neither predict_proba nor decision_function."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _recall(y, p, w, pos=1):
    return skm.recall_score(y, p, pos_label=pos, sample_weight=w, zero_division=0.0)


# scikit-learn's own metric for each named objective / constraint
SKLEARN_METRIC = {
    "f1": lambda y, p, w: skm.f1_score(y, p, sample_weight=w, zero_division=0.0),
    "accuracy": lambda y, p, w: skm.accuracy_score(y, p, sample_weight=w),
    "balanced_accuracy": lambda y, p, w: skm.balanced_accuracy_score(
        y, p, sample_weight=w
    ),
    "matthews_corrcoef": lambda y, p, w: skm.matthews_corrcoef(y, p, sample_weight=w),
    "jaccard": lambda y, p, w: skm.jaccard_score(
        y, p, sample_weight=w, zero_division=0.0
    ),
    "cohen_kappa": lambda y, p, w: skm.cohen_kappa_score(y, p, sample_weight=w),
    "youden": lambda y, p, w: skm.balanced_accuracy_score(
        y, p, sample_weight=w, adjusted=True
    ),
    "g_mean": lambda y, p, w: np.sqrt(_recall(y, p, w) * _recall(y, p, w, 0)),
    "precision": lambda y, p, w: skm.precision_score(
        y, p, sample_weight=w, zero_division=0.0
    ),
    "recall": _recall,
    "specificity": lambda y, p, w: _recall(y, p, w, 0),
    "npv": lambda y, p, w: skm.precision_score(
        y, p, pos_label=0, sample_weight=w, zero_division=0.0
    ),
    "fpr": lambda y, p, w: 1.0 - _recall(y, p, w, 0),
    "fnr": lambda y, p, w: 1.0 - _recall(y, p, w),
    "alert_rate": lambda y, p, w: np.average(p, weights=w),
}
OBJECTIVES = sorted(name for name, m in COUNT_METRICS.items() if not m.constraint_only)
CONSTRAINTS = sorted(name for name, m in COUNT_METRICS.items() if m.bound)


def _brute_force(folds, objective, constraint=None):
    """Best mean-over-folds sklearn metric over every candidate threshold.

    ``folds`` holds ``(y_val, scores_val, w_val)``. Candidates: +inf and every
    distinct validation score. Returns (best score, constraint satisfied,
    per-fold best scores).
    """
    candidates = np.concatenate(
        ([INF], np.unique(np.concatenate([s for _, s, _ in folds]))[::-1])
    )

    def table(name, fold_list):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.array(
                [
                    [
                        SKLEARN_METRIC[name](y, (s >= t).astype(int), w)
                        for t in candidates
                    ]
                    for y, s, w in fold_list
                ]
            )

    def best(obj, con):
        if constraint is None:
            return obj.max(), None
        name, limit = constraint
        lower = COUNT_METRICS[name].bound == "lower"
        violation = np.maximum(limit - con, 0) if lower else np.maximum(con - limit, 0)
        ok = violation <= 1e-9
        mask = ok if ok.any() else violation <= violation.min() + 1e-9
        return obj[mask].max(), bool(ok.any())

    obj = table(objective, folds)
    con = None if constraint is None else table(constraint[0], folds)
    score, satisfied = best(obj.mean(axis=0), None if con is None else con.mean(0))
    return score, satisfied


def _metric_at(name, y, scores, w, threshold):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SKLEARN_METRIC[name](y, (scores >= threshold).astype(int), w)


@st.composite
def tuning_problems(draw):
    """Tied scores in column 0, both classes in every fold, maybe weights."""
    n_folds = draw(st.sampled_from([1, 2, 3]))
    n_pos = draw(st.integers(3, 12))
    n_neg = draw(st.integers(3, 12))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)])
    levels = draw(st.integers(2, 12))
    # scores related to y, with ties
    raw = rng.normal(size=len(y)) + draw(st.floats(0.0, 2.0)) * y
    X = np.column_stack([np.round((raw - raw.min()) / np.ptp(raw) * levels) / levels])
    w = None
    if draw(st.booleans()):
        w = rng.integers(1, 4, size=len(y)).astype(float)
    splits = (
        "prefit"
        if n_folds == 1
        else list(StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(X, y))
    )
    return X, y, w, splits


def _folds_of(X, y, w, splits):
    scores = X[:, 0]
    if splits == "prefit":
        return [(y, scores, w)]
    return [(y[v], scores[v], None if w is None else w[v]) for _, v in splits]


def _fit_quietly(tuner, X, y, **kw):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        tuner.fit(X, y, **kw)
    return [r for r in record if issubclass(r.category, SkevalWarning)]


# ------------------------------------------------- brute-force equivalence
@settings(max_examples=40, derandomize=True, deadline=None)
@given(problem=tuning_problems(), objective=st.sampled_from(OBJECTIVES))
def test_best_score_equals_brute_force_without_constraint(problem, objective):
    """best_score_ is the best mean-over-folds sklearn metric at any threshold."""
    X, y, w, splits = problem
    if COUNT_METRICS[objective].degenerate:
        objective = "f1"
    est = ColumnScorer().fit(X, y) if splits == "prefit" else ColumnScorer()
    tuner = ThresholdTunedClassifier(est, objective=objective, cv=splits)
    _fit_quietly(tuner, X, y, sample_weight=w)
    folds = _folds_of(X, y, w, splits)
    expected, _ = _brute_force(folds, objective)
    assert_allclose(tuner.best_score_, expected, rtol=1e-9, atol=1e-12)
    # best_threshold_ applied to the tuning data gives that very score
    at_best = np.mean(
        [_metric_at(objective, *fold, tuner.best_threshold_) for fold in folds]
    )
    assert_allclose(at_best, tuner.best_score_, rtol=1e-9, atol=1e-12)
    # each fold's own threshold is that fold's own optimum
    for fold, threshold in zip(folds, tuner.fold_thresholds_):
        own, _ = _brute_force([fold], objective)
        assert_allclose(_metric_at(objective, *fold, threshold), own, atol=1e-12)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    problem=tuning_problems(),
    objective=st.sampled_from(OBJECTIVES),
    constraint=st.sampled_from(CONSTRAINTS),
    limit=st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.8, 0.95, 1.0]),
)
def test_best_score_equals_brute_force_with_constraint(
    problem, objective, constraint, limit
):
    """Constrained, feasible or not: the brute-force constrained optimum."""
    X, y, w, splits = problem
    est = ColumnScorer().fit(X, y) if splits == "prefit" else ColumnScorer()
    tuner = ThresholdTunedClassifier(
        est, objective=objective, constraint=(constraint, limit), cv=splits
    )
    warned = _fit_quietly(tuner, X, y, sample_weight=w)
    folds = _folds_of(X, y, w, splits)
    expected, satisfied = _brute_force(folds, objective, (constraint, limit))
    assert_allclose(tuner.best_score_, expected, rtol=1e-9, atol=1e-12)
    assert tuner.constraint_satisfied_ is satisfied
    infeasible = [r for r in warned if r.category is InfeasibleConstraintWarning]
    assert len(infeasible) == (0 if satisfied else 1)
    # the reported values are those of best_threshold_ on the tuning data
    t = tuner.best_threshold_
    assert_allclose(
        np.mean([_metric_at(objective, *f, t) for f in folds]),
        tuner.best_score_,
        rtol=1e-9,
        atol=1e-12,
    )
    assert_allclose(
        np.mean([_metric_at(constraint, *f, t) for f in folds]),
        tuner.constraint_value_,
        rtol=1e-9,
        atol=1e-12,
    )


@pytest.mark.parametrize(
    "objective, constraint",
    [
        ("f1", None),
        ("balanced_accuracy", None),
        ("matthews_corrcoef", None),
        ("precision", ("recall", 0.9)),
        ("recall", ("alert_rate", 0.2)),
        ("f1", ("precision", 0.99)),  # infeasible
    ],
)
def test_best_score_equals_brute_force_with_logistic_regression(objective, constraint):
    """Several real folds: refit each fold's model by hand, brute-force the mean."""
    X, y = make_classification(
        n_samples=150, n_features=5, weights=[0.7], flip_y=0.1, random_state=0
    )
    splits = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=objective, constraint=constraint, cv=splits
    )
    _fit_quietly(tuner, X, y)
    folds = []
    for train, val in splits:
        model = LogisticRegression().fit(X[train], y[train])
        folds.append((y[val], model.predict_proba(X[val])[:, 1], None))
    expected, satisfied = _brute_force(folds, objective, constraint)
    assert_allclose(tuner.best_score_, expected, rtol=1e-9)
    if constraint is not None:
        assert tuner.constraint_satisfied_ is satisfied


# ---------------------------------------------- selection rules on the tuner
def _prefit(X, y, **params):
    X = np.asarray(X, dtype=float).reshape(-1, 1)
    est = ColumnScorer().fit(X, y)
    return ThresholdTunedClassifier(est, cv="prefit", **params).fit(X, y), X


def test_best_threshold_is_the_midpoint_between_distinct_scores():
    """The optimal interval (0.4, 0.6] gives the threshold 0.5."""
    tuner, X = _prefit([0.1, 0.2, 0.4, 0.6, 0.8, 0.9], [0, 0, 0, 1, 1, 1])
    assert tuner.best_threshold_ == pytest.approx(0.5)
    assert tuner.best_score_ == 1.0
    assert_array_equal(tuner.predict(X), [0, 0, 0, 1, 1, 1])


def test_ties_between_runs_go_to_the_highest_threshold():
    """Two equally good operating points: the one with fewer positives wins."""
    # accuracy 0.75 at >= 0.9 and at >= 0.7; the first run is (0.8, 0.9]
    tuner, X = _prefit([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], objective="accuracy")
    assert tuner.best_threshold_ == pytest.approx(0.85)
    assert tuner.best_score_ == 0.75
    assert_array_equal(tuner.predict(X), [1, 0, 0, 0])


@pytest.mark.parametrize(
    "scores, y, objective, threshold, prediction",
    [
        # F1 is best predicting everything positive: open below, -inf
        ([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0], "f1", -INF, 1),
        # accuracy is best predicting nothing positive: open above, +inf
        ([0.9, 0.8, 0.7, 0.1], [0, 0, 0, 1], "accuracy", INF, 0),
    ],
)
def test_unbounded_optimal_intervals_give_infinite_thresholds(
    scores, y, objective, threshold, prediction
):
    """+inf predicts nothing positive, -inf everything, on any new data too."""
    tuner, _ = _prefit(scores, y, objective=objective)
    assert tuner.best_threshold_ == threshold
    new = np.array([[-1e9], [0.5], [1e9]])
    assert_array_equal(tuner.predict(new), [prediction] * 3)


def test_predict_reproduces_the_chosen_operating_point_with_constraint():
    """predict at best_threshold_ gives best_score_ and constraint_value_."""
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=1)
    est = LogisticRegression().fit(X[:150], y[:150])
    tuner = ThresholdTunedClassifier(
        est, objective="precision", constraint=("recall", 0.8), cv="prefit"
    ).fit(X[150:], y[150:])
    pred = tuner.predict(X[150:])
    assert tuner.best_score_ == skm.precision_score(y[150:], pred)
    assert tuner.constraint_value_ == skm.recall_score(y[150:], pred)
    assert tuner.constraint_satisfied_
    assert tuner.score(X[150:], y[150:]) == skm.accuracy_score(y[150:], pred)


def test_cv_results_hold_the_mean_and_fold_curves():
    """cv_results_: candidates, mean and per-fold objective and constraint."""
    X, y = make_classification(n_samples=120, random_state=0)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(),
        objective="f1",
        constraint=("recall", 0.5),
        cv=3,
        store_cv_results=True,
    ).fit(X, y)
    res = tuner.cv_results_
    n = len(res["thresholds"])
    assert res["thresholds"][0] == INF
    assert np.all(np.diff(res["thresholds"]) < 0)
    assert res["objective_folds"].shape == res["constraint_folds"].shape == (3, n)
    assert_allclose(res["objective"], res["objective_folds"].mean(axis=0))
    assert_allclose(res["constraint"], res["constraint_folds"].mean(axis=0))
    assert tuner.best_score_ == pytest.approx(res["objective"].max(), abs=0.2)
    assert not hasattr(
        ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(X, y), "cv_results_"
    )


# ------------------------------------------------------------- integration
@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=200, n_features=6, weights=[0.7], flip_y=0.05, random_state=0
    )


def test_works_in_a_pipeline_both_ways(data):
    """As a pipeline's last step, and wrapping a pipeline."""
    X, y = data
    outer = make_pipeline(
        StandardScaler(), ThresholdTunedClassifier(LogisticRegression(), cv=3)
    ).fit(X, y)
    inner = ThresholdTunedClassifier(
        make_pipeline(StandardScaler(), LogisticRegression()), cv=3
    ).fit(X, y)
    # (the folds scale differently: a scaler fitted once, or once per fold)
    for model in (outer, inner):
        assert model.predict(X).shape == y.shape
        assert skm.f1_score(y, model.predict(X)) > 0.6
    assert 0 < inner.best_threshold_ < 1


def test_grid_search_over_the_inner_estimator(data):
    """GridSearchCV tunes estimator__C, the tuner the threshold inside."""
    X, y = data
    search = GridSearchCV(
        ThresholdTunedClassifier(LogisticRegression(), cv=3),
        {"estimator__C": [0.01, 1.0]},
        scoring="f1",
        cv=3,
        error_score="raise",
    ).fit(X, y)
    assert search.best_params_["estimator__C"] in (0.01, 1.0)
    assert np.isfinite(search.best_estimator_.best_threshold_)


def test_grid_search_over_objective_and_constraint(data):
    """objective and constraint are ordinary parameters."""
    X, y = data
    search = GridSearchCV(
        ThresholdTunedClassifier(LogisticRegression(), cv=3),
        {
            "objective": ["f1", "balanced_accuracy", "precision"],
            "constraint": [("recall", 0.8), ("alert_rate", 0.4)],
        },
        scoring="f1",
        cv=3,
        error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 6


def test_cross_validate_with_several_scorers(data):
    """cross_validate scores the tuned predictions with any scorer."""
    X, y = data
    res = cross_validate(
        ThresholdTunedClassifier(LogisticRegression(), cv=3),
        X,
        y,
        cv=3,
        scoring=["f1", "accuracy", "roc_auc"],
    )
    assert np.all(res["test_f1"] > 0.5)


def test_clone_and_pickle(data):
    """clone gives an unfitted twin; a pickled tuner predicts the same."""
    X, y = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), constraint=("recall", 0.7), cv=3
    )
    twin = clone(tuner)
    assert twin.get_params()["constraint"] == ("recall", 0.7)
    assert not hasattr(twin, "best_threshold_")
    tuner.fit(X, y)
    loaded = pickle.loads(pickle.dumps(tuner))
    assert loaded.best_threshold_ == tuner.best_threshold_
    assert_array_equal(loaded.predict(X), tuner.predict(X))


def test_pandas_input_records_feature_names(data):
    """DataFrame X, Series y: feature_names_in_ and n_features_in_ are kept."""
    X, y = data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    tuner = ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(df, pd.Series(y))
    assert_array_equal(tuner.feature_names_in_, df.columns)
    assert tuner.n_features_in_ == X.shape[1]
    assert_array_equal(
        tuner.predict(df),
        ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(X, y).predict(X),
    )


@pytest.mark.parametrize("pos_label", ["ham", "spam"])
def test_string_labels_with_pos_label(pos_label):
    """String labels: the tuner on them equals the tuner on 0/1 labels."""
    X = np.array([0.1, 0.3, 0.35, 0.5, 0.6, 0.8, 0.9, 0.2]).reshape(-1, 1)
    y01 = np.array([0, 0, 1, 0, 1, 1, 1, 1])
    labels = np.array(["ham", "spam"])
    y = labels[y01]
    tuner = ThresholdTunedClassifier(
        ColumnScorer().fit(X, y), pos_label=pos_label, cv="prefit"
    ).fit(X, y)
    pred = tuner.predict(X)
    assert pred.dtype.kind == "U"
    expected = skm.f1_score(y, pred, pos_label=pos_label)
    assert tuner.best_score_ == expected
    assert tuner.pos_label_ == pos_label


def test_frozen_estimator_prefit_and_cv():
    """A frozen model is never refitted, with cv='prefit' or with cv=3."""
    from sklearn.frozen import FrozenEstimator

    X, y = make_classification(n_samples=150, random_state=0)
    model = LogisticRegression().fit(X[:50], y[:50])
    coef = model.coef_.copy()
    for cv in ("prefit", 3):
        tuner = ThresholdTunedClassifier(FrozenEstimator(model), cv=cv).fit(
            X[50:], y[50:]
        )
        assert_array_equal(tuner.estimator_.coef_, coef)
        assert np.isfinite(tuner.best_threshold_)
    assert_array_equal(model.coef_, coef)


def test_parallel_folds_give_the_same_result(data):
    """n_jobs=2 gives the n_jobs=1 answer."""
    X, y = data
    one = ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(X, y)
    two = ThresholdTunedClassifier(LogisticRegression(), cv=3, n_jobs=2).fit(X, y)
    assert one.best_threshold_ == two.best_threshold_
    assert_array_equal(one.fold_thresholds_, two.fold_thresholds_)


def test_cv_float_without_refit_keeps_the_model_of_that_split(data):
    """cv=0.3, refit=False: the model is the one trained on the tuning split."""
    X, y = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), cv=0.3, refit=False, random_state=0
    ).fit(X, y)
    ((train, val),) = StratifiedShuffleSplit(
        n_splits=1, test_size=0.3, random_state=0
    ).split(X, y)
    expected = LogisticRegression().fit(X[train], y[train])
    assert_allclose(tuner.estimator_.coef_, expected.coef_)
    assert len(tuner.fold_thresholds_) == 1
    assert tuner.fold_thresholds_[0] == tuner.best_threshold_
    refitted = ThresholdTunedClassifier(
        LogisticRegression(), cv=0.3, random_state=0
    ).fit(X, y)
    assert_allclose(refitted.estimator_.coef_, LogisticRegression().fit(X, y).coef_)
    assert refitted.best_threshold_ == tuner.best_threshold_


@pytest.mark.parametrize("refit", [True, False])
def test_prefit_never_clones_or_refits(data, refit):
    """cv='prefit' uses the given model as is, whatever refit says."""
    X, y = data
    est = LogisticRegression().fit(X[:100], y[:100])
    coef = est.coef_.copy()
    tuner = ThresholdTunedClassifier(est, cv="prefit", refit=refit).fit(
        X[100:], y[100:]
    )
    assert tuner.estimator_ is est
    assert_array_equal(est.coef_, coef)


def test_sample_weight_routing_off_goes_to_fit_when_accepted():
    """Routing off: the estimator's fit gets the weights when it takes them."""
    X = np.linspace(0, 1, 20).reshape(-1, 1)
    y = np.r_[np.zeros(10, int), np.ones(10, int)]
    w = np.arange(1, 21, dtype=float)
    tuner = ThresholdTunedClassifier(ColumnScorer(), cv=2).fit(X, y, sample_weight=w)
    assert_array_equal(tuner.estimator_.fit_sample_weight_, w)


def test_sample_weight_routing_off_warns_when_fit_refuses_it():
    """Routing off: a fit without sample_weight gets a warning, counts stay weighted."""
    X = np.linspace(0, 1, 20).reshape(-1, 1)
    y = np.r_[np.zeros(10, int), np.ones(10, int)]
    with pytest.warns(SkevalWarning, match="does not accept sample_weight"):
        ThresholdTunedClassifier(NoWeightColumnScorer(), cv=2).fit(
            X, y, sample_weight=np.ones(20)
        )


def test_sample_weights_weight_the_counts_like_repeated_rows():
    """Integer weights tune the threshold of the repeated rows."""
    rng = np.random.default_rng(0)
    X = np.round(rng.uniform(size=(40, 1)), 1)
    y = (X[:, 0] + rng.normal(scale=0.3, size=40) > 0.5).astype(int)
    w = rng.integers(0, 4, size=40)
    kw = dict(objective="balanced_accuracy", constraint=("recall", 0.7))
    weighted, _ = _prefit(X, y, **kw)
    weighted.fit(X, y, sample_weight=w)
    repeated, _ = _prefit(np.repeat(X, w, axis=0), np.repeat(y, w), **kw)
    assert weighted.best_score_ == pytest.approx(repeated.best_score_)
    assert weighted.constraint_value_ == pytest.approx(repeated.constraint_value_)


def test_sample_weight_routing_on_follows_the_request():
    """Routing on: fit gets the weights only when it requests them."""
    X = np.linspace(0, 1, 20).reshape(-1, 1)
    y = np.r_[np.zeros(10, int), np.ones(10, int)]
    w = np.arange(1, 21, dtype=float)
    with sklearn.config_context(enable_metadata_routing=True):
        asked = ThresholdTunedClassifier(
            ColumnScorer().set_fit_request(sample_weight=True), cv=2
        ).fit(X, y, sample_weight=w)
        refused = ThresholdTunedClassifier(
            ColumnScorer().set_fit_request(sample_weight=False), cv=2
        ).fit(X, y, sample_weight=w)
        with pytest.raises(ValueError, match="sample_weight"):
            ThresholdTunedClassifier(ColumnScorer(), cv=2).fit(X, y, sample_weight=w)
    assert_array_equal(asked.estimator_.fit_sample_weight_, w)
    assert refused.estimator_.fit_sample_weight_ is None


def test_groups_reach_the_splitter_with_routing_on(data):
    """Routing on: groups go to a group splitter."""
    X, y = data
    groups = np.arange(len(y)) % 4
    with sklearn.config_context(enable_metadata_routing=True):
        tuner = ThresholdTunedClassifier(
            LogisticRegression(), cv=GroupKFold(n_splits=4), store_cv_results=True
        ).fit(X, y, groups=groups)
    assert tuner.cv_results_["objective_folds"].shape[0] == 4


# -------------------------------------------------------------- grid path
def macro_f1(estimator, X, y):
    """A plain function scorer (not made by make_scorer)."""
    return skm.f1_score(y, estimator.predict(X), average="macro")


def _grid_brute_force(X, y, splits, grid, metric):
    """Mean over folds of ``metric(y_val, y_pred)`` at each grid threshold."""
    values = []
    for train, val in splits:
        model = LogisticRegression().fit(X[train], y[train])
        scores = model.predict_proba(X[val])[:, 1]
        values.append([metric(y[val], (scores >= t).astype(int)) for t in grid])
    return np.mean(values, axis=0)


@pytest.mark.parametrize(
    "objective",
    [macro_f1, skm.make_scorer(skm.f1_score, average="macro")],
    ids=["plain-function", "make_scorer-macro"],
)
def test_grid_path_equals_brute_force_on_the_grid(data, objective):
    """An arbitrary scorer is evaluated at each grid threshold and averaged."""
    X, y = data
    splits = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    grid = np.linspace(0.05, 0.95, 19)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=objective, thresholds=grid, cv=splits
    ).fit(X, y)
    mean = _grid_brute_force(
        X, y, splits, grid[::-1], lambda a, b: skm.f1_score(a, b, average="macro")
    )
    assert_allclose(tuner.best_score_, mean.max())
    assert tuner.best_threshold_ == grid[::-1][np.argmax(mean)]


def test_grid_path_auto_uses_100_points_over_the_score_range(data):
    """thresholds='auto' on a grid objective: 100 points from min to max score."""
    X, y = data
    est = LogisticRegression().fit(X, y)
    tuner = ThresholdTunedClassifier(
        est, objective=macro_f1, cv="prefit", store_cv_results=True
    ).fit(X, y)
    scores = est.predict_proba(X)[:, 1]
    assert_allclose(
        tuner.cv_results_["thresholds"],
        np.linspace(scores.min(), scores.max(), 100)[::-1],
    )


@pytest.mark.parametrize("thresholds", [7, [0.2, 0.5, 0.8]])
def test_int_or_array_thresholds_force_a_grid_for_exact_objectives(data, thresholds):
    """thresholds=int or array: an exact objective is read on that grid."""
    X, y = data
    est = LogisticRegression().fit(X, y)
    tuner = ThresholdTunedClassifier(
        est, thresholds=thresholds, cv="prefit", store_cv_results=True
    ).fit(X, y)
    scores = est.predict_proba(X)[:, 1]
    grid = (
        np.linspace(scores.min(), scores.max(), 7)
        if thresholds == 7
        else np.asarray(thresholds)
    )[::-1]
    assert_allclose(tuner.cv_results_["thresholds"], grid)
    f1 = [skm.f1_score(y, (scores >= t).astype(int)) for t in grid]
    assert_allclose(tuner.best_score_, max(f1))
    assert tuner.best_threshold_ == grid[np.argmax(f1)]


def test_grid_scorer_gets_sample_weight_when_it_accepts_it():
    """A make_scorer grid objective is weighted like the counts."""
    X = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.7]).reshape(-1, 1)
    y = np.array([0, 1, 0, 1, 0, 1])
    w = np.array([5.0, 1, 5, 1, 1, 1])
    scorer = skm.make_scorer(skm.f1_score, average="macro")
    tuner = ThresholdTunedClassifier(
        ColumnScorer().fit(X, y), objective=scorer, thresholds=X[:, 0], cv="prefit"
    ).fit(X, y, sample_weight=w)
    pred = tuner.predict(X)
    assert tuner.best_score_ == pytest.approx(
        skm.f1_score(y, pred, average="macro", sample_weight=w)
    )


def test_grid_scorer_without_sample_weight_warns():
    """A plain function cannot be weighted: a warning says so."""
    with pytest.warns(SkevalWarning, match="macro_f1 does not accept sample_weight"):
        ThresholdTunedClassifier(ColumnScorer(), objective=macro_f1, cv=2).fit(
            _X, _Y, sample_weight=np.ones(12)
        )


def test_grid_scorer_that_converts_X_still_sees_the_threshold(data):
    """A scorer that copies X (so X is a new object) gets thresholded labels."""
    X, y = data

    def copying_f1(estimator, X, y):
        return skm.f1_score(y, estimator.predict(np.array(X, copy=True)))

    est = LogisticRegression().fit(X, y)
    grid = [0.3, 0.5, 0.7]
    a = ThresholdTunedClassifier(
        est, objective=copying_f1, thresholds=grid, cv="prefit"
    )
    b = ThresholdTunedClassifier(est, objective="f1", thresholds=grid, cv="prefit")
    assert a.fit(X, y).best_score_ == pytest.approx(b.fit(X, y).best_score_)


@pytest.mark.parametrize(
    "objective",
    [
        "roc_auc",
        "neg_log_loss",
        "average_precision",
        skm.make_scorer(skm.roc_auc_score, response_method="predict_proba"),
    ],
)
def test_threshold_free_scorers_are_refused(data, objective):
    """Metrics that read scores, not labels, are the same at every threshold."""
    X, y = data
    with pytest.raises(ValueError, match="must depend on the decision threshold"):
        ThresholdTunedClassifier(LogisticRegression(), objective=objective).fit(X, y)


@pytest.mark.parametrize(
    "objective", ["precision", "recall", "specificity", "npv", skm.get_scorer("recall")]
)
def test_degenerate_objectives_alone_are_refused_with_a_suggestion(data, objective):
    """Alone, each is maximised at an end of the score range."""
    X, y = data
    with pytest.raises(ValueError, match=r"Give it a constraint, e\.g\. constraint="):
        ThresholdTunedClassifier(LogisticRegression(), objective=objective).fit(X, y)


@pytest.mark.parametrize("objective", ["fpr", "fnr", "alert_rate"])
def test_constraint_only_metrics_are_refused_as_objectives(data, objective):
    """fpr, fnr and alert_rate can only be constrained."""
    X, y = data
    with pytest.raises(ValueError, match="is a constraint metric only"):
        ThresholdTunedClassifier(LogisticRegression(), objective=objective).fit(X, y)


@pytest.mark.parametrize(
    "scorer, expected",
    [
        (skm.make_scorer(skm.f1_score), "f1"),
        (skm.make_scorer(skm.fbeta_score, beta=2), "f2"),
        (skm.get_scorer("balanced_accuracy"), "balanced_accuracy"),
        (skm.make_scorer(skm.balanced_accuracy_score, adjusted=True), "youden"),
        (skm.make_scorer(skm.jaccard_score, zero_division=0), "jaccard"),
        (skm.make_scorer(skm.cohen_kappa_score), "cohen_kappa"),
    ],
)
def test_scorers_of_count_metrics_take_the_exact_path(data, scorer, expected):
    """make_scorer of a confusion-count metric: exact, same as the name."""
    X, y = data
    est = LogisticRegression().fit(X, y)
    by_scorer = ThresholdTunedClassifier(est, objective=scorer, cv="prefit").fit(X, y)
    assert by_scorer.best_score_ == pytest.approx(scorer(by_scorer, X, y), rel=1e-12)
    if expected in COUNT_METRICS:
        by_name = ThresholdTunedClassifier(est, objective=expected, cv="prefit")
        assert by_scorer.best_threshold_ == by_name.fit(X, y).best_threshold_


def test_registered_curve_metric_takes_the_exact_path(data):
    """register_curve_metric is the documented hook for the exact path."""
    X, y = data

    def true_positive_rate(y_true, y_pred, *, floor=0.0):
        return max(skm.recall_score(y_true, y_pred), floor)

    def adapter(kwargs):
        return CountObjective(COUNT_METRICS["recall"], name="tpr")

    register_curve_metric(true_positive_rate, adapter)
    est = LogisticRegression().fit(X, y)
    tuner = ThresholdTunedClassifier(
        est,
        objective=skm.make_scorer(true_positive_rate),
        constraint=("alert_rate", 0.3),
        cv="prefit",
        store_cv_results=True,
    ).fit(X, y)
    # exact path: every distinct score is a candidate
    scores = est.predict_proba(X)[:, 1]
    assert len(tuner.cv_results_["thresholds"]) == len(np.unique(scores)) + 1
    assert tuner.constraint_value_ <= 0.3


class _MissedPositiveCost(CurveObjective):
    """A custom exact objective with per-sample metadata: -(sum of missed amount)."""

    name = "missed_amount"
    metadata = ("amount",)

    def evaluate(self, curve, *, amount):
        positive_amount = np.where(curve.y_pos, amount, 0.0)
        caught = curve.positive_sum(positive_amount)
        return caught - positive_amount.sum() - 0.5 * curve.fp


def test_custom_curve_objective_gets_its_metadata(data):
    """A CurveObjective naming metadata receives each fold's slice of it."""
    X, y = data
    amount = np.linspace(1, 3, len(y))
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=_MissedPositiveCost(), cv=3
    ).fit(X, y, amount=amount)
    assert tuner.best_score_ <= 0
    with pytest.raises(ValueError, match=r"needs the per-sample metadata \['amount'\]"):
        tuner.fit(X, y)
    with pytest.raises(ValueError, match=r"'amount' must have one entry per sample"):
        tuner.fit(X, y, amount=amount[:-1])


# ------------------------------------------------------ pos_label handling
def test_scorer_pos_label_is_used_when_the_tuner_has_none(data):
    """A scorer's own pos_label sets the positive class."""
    X, y = data
    est = LogisticRegression().fit(X, y)
    scorer = skm.make_scorer(skm.f1_score, pos_label=0)
    tuner = ThresholdTunedClassifier(est, objective=scorer, cv="prefit").fit(X, y)
    assert tuner.pos_label_ == 0
    assert tuner.best_score_ == pytest.approx(
        skm.f1_score(y, tuner.predict(X), pos_label=0)
    )
    same = ThresholdTunedClassifier(est, objective=scorer, pos_label=0, cv="prefit")
    assert same.fit(X, y).best_threshold_ == tuner.best_threshold_


def test_linear_svc_decision_function_and_first_class_positive(data):
    """Decision values are used as they are, negated for classes_[0]."""
    X, y = data
    svc = LinearSVC().fit(X, y)
    for pos_label, sign in [(1, 1.0), (0, -1.0)]:
        tuner = ThresholdTunedClassifier(svc, pos_label=pos_label, cv="prefit").fit(
            X, y
        )
        scores = sign * svc.decision_function(X)
        expected = np.where(scores >= tuner.best_threshold_, pos_label, 1 - pos_label)
        assert_array_equal(tuner.predict(X), expected)
        assert tuner.best_score_ == pytest.approx(
            skm.f1_score(y, tuner.predict(X), pos_label=pos_label)
        )
    assert not hasattr(tuner, "predict_proba")
    assert_array_equal(tuner.decision_function(X), svc.decision_function(X))


def test_delegated_methods(data):
    """predict_proba, predict_log_proba and decision_function delegate."""
    X, y = data
    tuner = ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(X, y)
    assert_allclose(tuner.predict_proba(X), tuner.estimator_.predict_proba(X))
    assert_allclose(tuner.predict_log_proba(X), tuner.estimator_.predict_log_proba(X))
    assert_allclose(tuner.decision_function(X), tuner.estimator_.decision_function(X))
    assert_array_equal(tuner.classes_, [0, 1])
    with pytest.raises(NotFittedError):
        ThresholdTunedClassifier(LogisticRegression()).predict(X)


# ------------------------------------------------------- degenerate folds
def test_fold_lacking_a_class_warns_naming_the_fold():
    """A validation fold with one class: a warning naming it, no crash."""
    X = np.linspace(0, 1, 12).reshape(-1, 1)
    y = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1])
    splits = [(np.arange(6, 12), np.arange(0, 6)), (np.arange(0, 6), np.arange(6, 10))]
    with pytest.warns(DegenerateFoldWarning, match="Validation fold 1 holds only one"):
        tuner = ThresholdTunedClassifier(ColumnScorer(), cv=splits).fit(X, y)
    assert np.isfinite(tuner.best_score_)


@pytest.mark.parametrize("thresholds", ["auto", 10])
def test_constant_scores_warn_and_leave_two_operating_points(thresholds):
    """Constant scores: 'all positive' or 'all negative', and a warning."""
    X = np.full((8, 1), 0.4)
    y = np.array([0, 1, 1, 0, 1, 1, 0, 1])
    with pytest.warns(DegenerateFoldWarning, match="constant on validation fold 0"):
        tuner = ThresholdTunedClassifier(
            ColumnScorer().fit(X, y),
            thresholds=thresholds,
            cv="prefit",
            store_cv_results=True,
        ).fit(X, y)
    assert_array_equal(tuner.cv_results_["thresholds"], [INF, 0.4])
    # everything positive: F1 = 2 * 5 / (2 * 5 + 3)
    assert tuner.best_score_ == pytest.approx(10 / 13)
    assert_array_equal(tuner.predict(X), np.ones(8))


# ------------------------------------------------------------ error paths
def _fitted():
    return ColumnScorer().fit(_X, _Y)


@pytest.mark.parametrize(
    "params, fit_args, error, message",
    [
        (
            {},
            dict(y=np.arange(12) % 3),
            ValueError,
            r"one column per class.*Got shape \(6, 2\)",
        ),
        ({}, dict(y=np.zeros(12)), ValueError, r"at least two classes in y. Got 1"),
        ({}, dict(y=np.linspace(0, 1, 12)), ValueError, "Unknown label type"),
        (
            dict(cv="prefit", estimator=_fitted()),
            dict(X=np.r_[_X[:-1], [[np.nan]]]),
            ValueError,
            r"predict_proba must return finite scores. Got 1 NaN",
        ),
        (
            dict(cv="prefit", estimator=_fitted()),
            dict(X=np.r_[_X[:-1], [[np.inf]]]),
            ValueError,
            "must return finite scores",
        ),
        ({}, dict(y=_Y[:-1]), ValueError, "inconsistent numbers of samples"),
        (
            {},
            dict(sample_weight=np.ones(11)),
            ValueError,
            r"`sample_weight` must have one entry per sample \(12\). Got 11",
        ),
        (
            {},
            dict(sample_weight=-np.ones(12)),
            ValueError,
            "`sample_weight` must be non-negative. Got a minimum of -1.0",
        ),
        (
            {},
            dict(sample_weight=np.zeros(12)),
            ValueError,
            "`sample_weight` must not be all zero",
        ),
        (
            {},
            dict(sample_weight=np.r_[np.ones(11), np.nan]),
            ValueError,
            "`sample_weight` must be finite",
        ),
        (
            dict(objective="f_3"),
            {},
            ValueError,
            r"`objective` must be one of skeval's metrics \[.*'f1'.*Got 'f_3'",
        ),
        (
            dict(constraint=("auc", 0.5)),
            {},
            ValueError,
            r"`constraint` metric must be one of \[.*'recall'.*Got 'auc'",
        ),
        (
            dict(constraint=("recall", 1.5)),
            {},
            ValueError,
            r"value in \[0, 1\]. Got \('recall', 1.5\)",
        ),
        (
            dict(constraint=("recall", -0.1)),
            {},
            ValueError,
            r"value in \[0, 1\]. Got \('recall', -0.1\)",
        ),
        (
            dict(constraint=("recall", np.nan)),
            {},
            ValueError,
            r"value in \[0, 1\]",
        ),
        (
            dict(constraint=("recall", "high")),
            {},
            ValueError,
            r"value in \[0, 1\]. Got \('recall', 'high'\)",
        ),
        (
            dict(constraint=("recall",)),
            {},
            TypeError,
            r"must be a \(metric, value\) pair .*Got \('recall',\)",
        ),
        (
            dict(constraint=(0.9, "recall")),
            {},
            TypeError,
            r"must be a \(metric, value\) pair",
        ),
        (
            dict(pos_label=2),
            {},
            ValueError,
            r"`pos_label` must be one of the classes \[0, 1\]. Got 2",
        ),
        (
            dict(objective=skm.make_scorer(skm.f1_score, pos_label=0), pos_label=1),
            {},
            ValueError,
            "`pos_label` of the tuner and the objective scorer.s pos_label must agree",
        ),
        (
            dict(estimator=DecisionOnly()),
            {},
            ValueError,
            "must be an object implementing 'fit' and 'predict_proba'",
        ),
        (
            dict(estimator=LinearSVC(), response_method="predict_proba"),
            {},
            TypeError,
            r"must implement one of \['predict_proba'\]. LinearSVC implements none",
        ),
        (
            dict(refit=False, cv=3),
            {},
            ValueError,
            r"`refit=False` needs a single split.*Got cv=3 with 3 splits",
        ),
        (
            dict(cv="prefit"),
            {},
            NotFittedError,
            "With cv='prefit', `estimator` must already be fitted",
        ),
        (
            dict(cv="prefit", estimator=ColumnScorer().fit(_X, np.arange(12) % 3)),
            {},
            ValueError,
            r"must return one column per class \(3\)",
        ),
        (
            dict(cv="prefit", estimator=ColumnScorer().fit(_X, _Y + 1)),
            {},
            ValueError,
            r"y holds labels \[0, 1\] but the prefit estimator knows \[1, 2\]",
        ),
        (
            {},
            dict(groups=np.arange(12)),
            ValueError,
            r"fit got \['groups'\].*sklearn.set_config\(enable_metadata_routing=True\)",
        ),
        (
            dict(thresholds=[[0.1, 0.2]]),
            {},
            ValueError,
            "`thresholds` as an array must be one-dimensional",
        ),
        (dict(thresholds=[]), {}, ValueError, "must be one-dimensional, non-empty"),
        (dict(thresholds=[0.1, np.nan]), {}, ValueError, "numeric and finite"),
        (dict(thresholds=["a", "b"]), {}, ValueError, "numeric and finite"),
        (dict(thresholds=1), {}, ValueError, "The 'thresholds' parameter"),
        (dict(cv=1.5), {}, ValueError, "The 'cv' parameter"),
        (
            dict(objective=lambda est, X, y: np.nan),
            {},
            ValueError,
            "must return a finite number at every threshold",
        ),
        (dict(objective=3), {}, ValueError, "The 'objective' parameter"),
        (
            dict(objective=skm.make_scorer(skm.f1_score), pos_label="spam"),
            {},
            ValueError,
            r"`pos_label` must be one of the classes \[0, 1\]. Got 'spam'",
        ),
    ],
)
def test_bad_input_is_refused_with_the_rule(params, fit_args, error, message):
    """Each bad input: a clear error stating the rule and what was received."""
    params = {"estimator": ColumnScorer(), "cv": 2, **params}
    fit_args = {"X": _X, "y": _Y, **fit_args}
    with pytest.raises(error, match=message):
        ThresholdTunedClassifier(**params).fit(**fit_args)


def test_training_fold_lacking_a_class_is_a_clear_error():
    """A custom split whose training rows hold one class cannot be scored."""
    splits = [(np.flatnonzero(_Y == 0), np.arange(12))]
    with pytest.raises(ValueError, match=re.escape("classes_ hold pos_label=1")):
        ThresholdTunedClassifier(ColumnScorer(), cv=splits).fit(_X, _Y)


# ------------------------------------------------------ objective vocabulary
@pytest.mark.parametrize(
    "scorer, exact",
    [
        (skm.make_scorer(skm.f1_score, zero_division=0.0), True),
        (skm.make_scorer(skm.f1_score, zero_division=1.0), False),
        (skm.make_scorer(skm.f1_score, labels=np.array([0, 1])), False),
        (skm.make_scorer(skm.f1_score, average="macro"), False),
        (skm.make_scorer(skm.precision_score, average=None), False),
        (skm.make_scorer(skm.accuracy_score, normalize=False), False),
        (skm.make_scorer(skm.cohen_kappa_score, weights="linear"), False),
        (skm.make_scorer(skm.cohen_kappa_score, replace_undefined_by=0.0), True),
        (skm.make_scorer(skm.cohen_kappa_score, replace_undefined_by=np.nan), False),
        (skm.make_scorer(skm.fbeta_score, beta=0.5), True),
        (skm.get_scorer("f1_weighted"), False),
        (skm.get_scorer("matthews_corrcoef"), True),
    ],
)
def test_scorer_keyword_arguments_decide_exact_or_grid(scorer, exact):
    """Only binary, zero-as-0 keyword arguments keep a scorer on the exact path."""
    from skeval._core._objective import resolve_objective

    assert isinstance(resolve_objective(scorer), CurveObjective) is exact


def test_loss_scorer_keeps_its_name_and_sign():
    """greater_is_better=False negates an exact objective."""
    from skeval._core._objective import resolve_objective

    objective = resolve_objective(
        skm.make_scorer(skm.fbeta_score, beta=2, greater_is_better=False)
    )
    assert (objective.name, objective.sign, objective.degenerate) == ("f2", -1.0, False)


class _NaNObjective(CurveObjective):
    """A broken custom objective."""

    name = "broken"

    def evaluate(self, curve):
        return np.full(len(curve), np.nan)


def test_custom_objective_returning_nan_is_an_error():
    """NaN from a CurveObjective is reported, not silently ranked."""
    with pytest.raises(ValueError, match="must be a number at every candidate"):
        ThresholdTunedClassifier(ColumnScorer(), objective=_NaNObjective(), cv=2).fit(
            _X, _Y
        )


def test_grid_scorer_with_string_labels_and_its_own_pos_label():
    """A grid scorer's pos_label sets the tuner's, and it sees string labels."""
    X = np.array([0.1, 0.3, 0.35, 0.5, 0.6, 0.8, 0.9, 0.2]).reshape(-1, 1)
    y = np.array(["ham", "ham", "spam", "ham", "spam", "spam", "spam", "spam"])
    scorer = skm.make_scorer(
        skm.fbeta_score, beta=2, pos_label="ham", zero_division=1.0
    )  # zero_division=1 keeps it off the exact path
    grid = np.unique(X)
    tuner = ThresholdTunedClassifier(
        ColumnScorer().fit(X, y), objective=scorer, thresholds=grid, cv="prefit"
    ).fit(X, y)
    assert tuner.pos_label_ == "ham"
    # "ham" is classes_[0]: its score is 1 - column 0
    scores = 1 - X[:, 0]
    values = [
        skm.fbeta_score(
            y,
            np.where(scores >= t, "ham", "spam"),
            beta=2,
            pos_label="ham",
            zero_division=1.0,
        )
        for t in grid
    ]
    assert_allclose(tuner.best_score_, max(values))
    assert tuner.best_threshold_ == grid[::-1][np.argmax(values[::-1])]


def test_grid_fold_thresholds_are_grid_values():
    """On a grid, each fold's own threshold is a grid value, like best_threshold_."""
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), thresholds=7, cv=3, store_cv_results=True
    ).fit(X, y)
    grid = tuner.cv_results_["thresholds"]
    assert len(grid) == 7
    assert np.isin(tuner.fold_thresholds_, grid).all()
    assert tuner.best_threshold_ in grid


def test_routing_on_objective_scorer_needs_no_sample_weight_request():
    """On the exact path the tuner weights the counts itself: an objective scorer
    with no sample_weight request is not asked for one, and the weights count."""
    import sklearn

    from skeval import make_cost_scorer

    X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    amount = np.random.default_rng(0).uniform(1, 50, len(y))
    weight = np.where(y == 1, 3.0, 1.0)
    cost = make_cost_scorer([[0, 1], ["amount", 0]])
    with sklearn.config_context(enable_metadata_routing=True):
        tuner = ThresholdTunedClassifier(
            LogisticRegression().set_fit_request(sample_weight=False),
            objective=cost,
            cv=3,
        ).set_fit_request(sample_weight=True)
        tuner.fit(X, y, sample_weight=weight, amount=amount)
        unweighted = clone(tuner).fit(X, y, amount=amount)
    assert tuner.best_score_ != unweighted.best_score_
    # the user's scorer itself is left as it was
    assert cost.get_metadata_routing().score.requests.get("sample_weight") is None
