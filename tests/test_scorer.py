"""The scorer registry: names, signs, pickling, and sklearn's model selection."""

import copy
import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    fbeta_score,
    make_scorer,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from sklearn.metrics import get_scorer as sklearn_get_scorer
from sklearn.metrics import get_scorer_names as sklearn_get_scorer_names
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    TunedThresholdClassifierCV,
    cross_validate,
)
from sklearn.svm import LinearSVC

import skeval
from skeval import ThresholdTunedClassifier, get_scorer, get_scorer_names
from skeval.metrics import (
    expected_calibration_error,
    fnr_loss,
    fpr_loss,
    g_mean_score,
    npv_score,
    specificity_score,
    youden_score,
)

# name -> (metric on predicted labels or probabilities, sign, uses probabilities)
REGISTRY = {
    "specificity": (specificity_score, 1, False),
    "npv": (npv_score, 1, False),
    "g_mean": (g_mean_score, 1, False),
    "youden": (youden_score, 1, False),
    "neg_fpr_loss": (fpr_loss, -1, False),
    "neg_fnr_loss": (fnr_loss, -1, False),
    "neg_expected_calibration_error": (expected_calibration_error, -1, True),
}


@pytest.fixture(scope="module")
def fitted():
    X, y = make_classification(n_samples=300, weights=[0.75], random_state=0)
    return LogisticRegression().fit(X, y), X, y


@pytest.mark.parametrize("name", REGISTRY)
def test_registered_scorer_is_sign_times_metric(name, fitted):
    """Greater is better for every scorer: losses come negated."""
    est, X, y = fitted
    metric, sign, proba = REGISTRY[name]
    pred = est.predict_proba(X)[:, 1] if proba else est.predict(X)
    value = get_scorer(name)(est, X, y)
    assert_allclose(value, sign * metric(y, pred))
    if sign < 0:
        assert value <= 0


@pytest.mark.parametrize("name", ["specificity", "npv", "g_mean", "youden"])
@pytest.mark.parametrize("average", ["macro", "weighted", "micro"])
def test_averaged_names_on_multiclass(name, average):
    """<name>_<average> scores multiclass models with that average."""
    X, y = make_classification(
        n_samples=300, n_classes=3, n_informative=4, random_state=0
    )
    est = LogisticRegression().fit(X, y)
    metric = REGISTRY[name][0]
    expected = metric(y, est.predict(X), average=average)
    assert_allclose(get_scorer(f"{name}_{average}")(est, X, y), expected)


@pytest.mark.parametrize(
    "name", sorted(set(get_scorer_names()) - set(sklearn_get_scorer_names()))
)
def test_every_skeval_scorer_pickles_with_a_readable_repr(name, fitted):
    """Pickle round trip keeps the value; repr reads like make_scorer(...)."""
    est, X, y = fitted
    scorer = get_scorer(name)
    assert repr(scorer).startswith("make_scorer(")
    restored = pickle.loads(pickle.dumps(scorer))
    assert repr(restored) == repr(scorer)
    if not name.endswith(("_macro", "_weighted", "_micro")):
        assert restored(est, X, y) == scorer(est, X, y)


def test_names_fall_back_to_sklearn():
    """Names skeval does not define come from scikit-learn."""
    assert repr(get_scorer("f1")) == repr(sklearn_get_scorer("f1"))
    assert repr(get_scorer("roc_auc")) == repr(sklearn_get_scorer("roc_auc"))
    names = get_scorer_names()
    assert names == sorted(names)
    assert set(sklearn_get_scorer_names()) <= set(names)
    assert set(REGISTRY) <= set(names)


def test_get_scorer_passes_callables_and_none_through():
    """A callable comes back as it is, None as None (as in scikit-learn)."""
    scorer = get_scorer("g_mean")
    assert get_scorer(scorer) is scorer
    assert get_scorer(None) is None


def test_get_scorer_returns_copies():
    """Changing a returned scorer does not change the registry."""
    first = get_scorer("specificity")
    first._kwargs["average"] = "macro"
    assert "average" not in get_scorer("specificity")._kwargs
    assert copy.deepcopy(first)._kwargs == {"average": "macro"}


@pytest.mark.parametrize(
    "scoring, error, match",
    [
        ("gmean", ValueError, "must be a skeval or scikit-learn scorer name"),
        ("specifity", ValueError, "must be a skeval or scikit-learn scorer name"),
        ("mean", ValueError, "Close names"),
        (3, TypeError, "must be a scorer name, a callable or None"),
    ],
)
def test_unknown_scoring_raises(scoring, error, match):
    """An unknown name lists where to look; a wrong type says what is allowed."""
    with pytest.raises(error, match=match):
        get_scorer(scoring)


def test_public_names_are_exported():
    """Factories and registry are importable from skeval and skeval.metrics."""
    for name in (
        "get_scorer",
        "get_scorer_names",
        "make_cost_scorer",
        "make_operating_point_scorer",
    ):
        assert name in skeval.__all__ and hasattr(skeval, name)
        assert name in skeval.metrics.__all__


def test_multimetric_dicts_mix_skeval_and_sklearn(fitted):
    """cross_validate and GridSearchCV take dicts of both kinds of scorer."""
    _, X, y = fitted
    scoring = {
        "g_mean": get_scorer("g_mean"),
        "ece": get_scorer("neg_expected_calibration_error"),
        "f1": "f1",
    }
    result = cross_validate(LogisticRegression(), X, y, scoring=scoring, cv=3)
    assert {"test_g_mean", "test_ece", "test_f1"} <= set(result)
    search = GridSearchCV(
        LogisticRegression(), {"C": [0.01, 1.0]}, scoring=scoring, refit="g_mean", cv=3
    ).fit(X, y)
    best = np.argmax(search.cv_results_["mean_test_g_mean"])
    assert search.best_index_ == best


def test_randomized_search_permutation_importance_and_sklearn_tuner(fitted):
    """Other scoring= consumers of scikit-learn accept skeval scorers."""
    est, X, y = fitted
    RandomizedSearchCV(
        LogisticRegression(),
        {"C": [0.1, 1.0]},
        n_iter=2,
        scoring=get_scorer("youden"),
        cv=3,
        random_state=0,
    ).fit(X, y)
    result = permutation_importance(
        est, X, y, scoring=get_scorer("g_mean"), n_repeats=2, random_state=0
    )
    assert result.importances.shape == (X.shape[1], 2)
    tuned = TunedThresholdClassifierCV(
        LogisticRegression(), scoring=get_scorer("g_mean")
    ).fit(X, y)
    assert 0 < tuned.best_score_ <= 1


@pytest.mark.parametrize("name", ["g_mean", "youden"])
def test_registered_scorer_takes_the_tuner_exact_path(name, fitted):
    """get_scorer(name) as objective equals the named objective."""
    _, X, y = fitted
    a = ThresholdTunedClassifier(LogisticRegression(), objective=get_scorer(name))
    b = ThresholdTunedClassifier(LogisticRegression(), objective=name)
    a.fit(X, y)
    b.fit(X, y)
    assert a.best_threshold_ == b.best_threshold_
    assert_allclose(a.best_score_, b.best_score_)


def test_scorer_on_a_one_class_fold_with_string_labels(fitted):
    """String labels name their positive class (issue 11), one-class fold too."""
    _, X, y = fitted
    labels = np.where(y == 1, "yes", "no")
    est = LogisticRegression().fit(X, labels)
    only_no = labels == "no"
    with pytest.raises(ValueError, match="`pos_label` must be given"):
        get_scorer("specificity")(est, X[only_no], labels[only_no])
    scorer = make_scorer(specificity_score, pos_label="yes")
    value = scorer(est, X[only_no], labels[only_no])
    expected = specificity_score(
        labels[only_no], est.predict(X[only_no]), pos_label="yes"
    )
    assert_allclose(value, expected)


# alias -> (metric on predicted labels, its keyword arguments)
ALIASES = {
    "sensitivity": (recall_score, {}),
    "tpr": (recall_score, {}),
    "tnr": (specificity_score, {}),
    "ppv": (precision_score, {}),
    "mcc": (matthews_corrcoef, {}),
    "f2": (fbeta_score, {"beta": 2.0}),
    "f0.5": (fbeta_score, {"beta": 0.5}),
    "f3": (fbeta_score, {"beta": 3.0}),
}


@pytest.mark.parametrize("name", ALIASES)
def test_aliases_score_their_metric(name, fitted):
    """The names people type: sensitivity, tpr, tnr, ppv, mcc, f<beta>."""
    est, X, y = fitted
    metric, kwargs = ALIASES[name]
    assert_allclose(get_scorer(name)(est, X, y), metric(y, est.predict(X), **kwargs))


@pytest.mark.parametrize("name", ["sensitivity", "tpr", "tnr", "ppv", "mcc", "f2"])
def test_alias_scorer_and_alias_objective_agree(name, fitted):
    """get_scorer(alias) as objective equals the alias as an objective name."""
    _, X, y = fitted
    a, b = (
        ThresholdTunedClassifier(
            LogisticRegression(), objective=objective, constraint=("fpr", 0.2)
        ).fit(X, y)
        for objective in (get_scorer(name), name)
    )
    assert a.best_threshold_ == b.best_threshold_
    assert_allclose(a.best_score_, b.best_score_)


def test_alias_names_are_listed():
    """get_scorer_names() lists the aliases and two f<beta> examples."""
    names = get_scorer_names()
    assert {"sensitivity", "tpr", "tnr", "ppv", "mcc", "f2", "f0.5"} <= set(names)


@pytest.mark.parametrize(
    "scoring, match",
    [
        ("specifity", r"Got 'specifity'. Close names: \['specificity'"),
        ("sensitivty", r"Close names: \['sensitivity'\]"),
        ("f-2", r"Close names: \['f2'\]"),
        ("zzz", r"Got 'zzz'. In a scikit-learn search"),
        (
            "specifity",
            r"In a scikit-learn search, pass skeval's names through skeval.get_scorer: "
            r"scoring=skeval.get_scorer\('specificity'\)",
        ),
    ],
)
def test_unknown_name_suggests_close_names_and_get_scorer(scoring, match):
    """difflib's closest names, and how skeval's names reach sklearn searches."""
    with pytest.raises(ValueError, match=match):
        get_scorer(scoring)


def test_calibration_scorer_on_an_estimator_without_probabilities(fitted):
    """The issue's case: ECE on LinearSVC is a TypeError naming predict_proba."""
    _, X, y = fitted
    svc = LinearSVC().fit(X, y)
    with pytest.raises(
        TypeError,
        match=r"needs an estimator that implements predict_proba. Got LinearSVC, "
        r"which has no such method. Wrap it in .*CalibratedClassifierCV",
    ):
        get_scorer("neg_expected_calibration_error")(svc, X, y)
