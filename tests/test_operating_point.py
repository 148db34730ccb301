"""Operating-point metric and scorer against a brute-force threshold scan."""

import pickle
import warnings

import numpy as np
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    f1_score,
    make_scorer,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.svm import LinearSVC

from skeval import (
    ThresholdTunedClassifier,
    make_cost_scorer,
    make_operating_point_scorer,
)
from skeval.exceptions import InfeasibleConstraintWarning
from skeval.metrics import cost_loss, operating_point, operating_point_score


def _alert_rate(y, p, sample_weight=None):
    return np.average(p, weights=sample_weight)


def _specificity(y, p, sample_weight=None):
    return recall_score(y, p, pos_label=0, sample_weight=sample_weight, zero_division=0)


SKLEARN = {
    "f1": lambda y, p, w: f1_score(y, p, sample_weight=w, zero_division=0),
    "balanced_accuracy": lambda y, p, w: balanced_accuracy_score(y, p, sample_weight=w),
    "matthews_corrcoef": lambda y, p, w: matthews_corrcoef(y, p, sample_weight=w),
    "precision": lambda y, p, w: precision_score(
        y, p, sample_weight=w, zero_division=0
    ),
    "recall": lambda y, p, w: recall_score(y, p, sample_weight=w, zero_division=0),
    "specificity": lambda y, p, w: _specificity(y, p, w),
    "alert_rate": lambda y, p, w: _alert_rate(y, p, w),
}
LOWER_BOUNDS = {"precision", "recall", "specificity"}

CASES = [
    ("f1", None),
    ("balanced_accuracy", None),
    ("matthews_corrcoef", None),
    ("precision", ("recall", 0.9)),
    ("recall", ("precision", 0.7)),
    ("recall", ("specificity", 0.99)),
    ("f1", ("alert_rate", 0.3)),
]


def _brute(y, scores, w, objective, constraint):
    """Scan +inf and every distinct score with sklearn's metrics."""
    best = None
    for t in np.concatenate([[np.inf], np.unique(scores)[::-1]]):
        pred = (scores >= t).astype(int)
        if constraint is not None:
            name, limit = constraint
            value = SKLEARN[name](y, pred, w)
            ok = value >= limit - 1e-12 if name in LOWER_BOUNDS else value <= limit
            if not ok:
                continue
        value = SKLEARN[objective](y, pred, w)
        best = value if best is None else max(best, value)
    return best


@st.composite
def scored(draw):
    """Both classes, tied scores, optional weights."""
    n = draw(st.integers(2, 40))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    y[:2] = [0, 1]
    levels = draw(st.integers(1, 8))
    scores = np.array(
        draw(st.lists(st.integers(0, levels), min_size=n, max_size=n))
    ) / max(levels, 1)
    w = None
    if draw(st.booleans()):
        w = np.array(draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)), float)
    return y, scores, w


@pytest.mark.parametrize("objective, constraint", CASES)
@settings(max_examples=50, derandomize=True, deadline=None)
@given(data=scored())
def test_operating_point_equals_brute_force_scan(objective, constraint, data):
    """The best feasible value over every threshold, and a threshold reaching it."""
    y, scores, w = data
    expected = _brute(y, scores, w, objective, constraint)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfeasibleConstraintWarning)
        point = operating_point(
            y, scores, objective=objective, constraint=constraint, sample_weight=w
        )
    if expected is None:
        assert point.score == 0.0 and point.constraint_satisfied is False
        return
    assert point.constraint_satisfied is (None if constraint is None else True)
    assert_allclose(point.score, expected, atol=1e-9)
    pred = (scores >= point.threshold).astype(int)
    assert_allclose(SKLEARN[objective](y, pred, w), expected, atol=1e-9)
    if constraint is not None:
        assert_allclose(point.constraint_value, SKLEARN[constraint[0]](y, pred, w))


@pytest.mark.parametrize("objective, constraint", CASES)
def test_equals_prefit_tuner(objective, constraint):
    """operating_point on a validation set is what cv='prefit' tunes on it."""
    X, y = make_classification(n_samples=600, weights=[0.8], random_state=0)
    est = LogisticRegression().fit(X[:200], y[:200])
    Xv, yv = X[200:], y[200:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfeasibleConstraintWarning)
        tuner = ThresholdTunedClassifier(
            est, objective=objective, constraint=constraint, cv="prefit"
        ).fit(Xv, yv)
        point = operating_point(
            yv,
            est.predict_proba(Xv)[:, 1],
            objective=objective,
            constraint=constraint,
        )
    assert point.threshold == tuner.best_threshold_
    if point.constraint_satisfied:
        assert_allclose(point.score, tuner.best_score_)


def test_midpoint_and_ends_of_the_score_range():
    """Midpoint of the optimal interval; +inf / -inf at the ends."""
    y, s = [0, 0, 1, 1], [0.1, 0.2, 0.6, 0.8]
    assert operating_point(y, s, objective="f1").threshold == pytest.approx(0.4)
    # everything positive is best: the interval is unbounded below
    assert operating_point([1, 1], [0.2, 0.3], objective="f1").threshold == -np.inf
    point = operating_point([0, 0, 1], [0.5, 0.6, 0.1], objective="accuracy")
    assert point.threshold == np.inf  # predicting nothing is best
    assert point.constraint_satisfied is None and point.constraint_value is None


def test_infeasible_constraint_warns_and_scores_zero():
    """No threshold reaches the precision floor: 0.0, a warning, a real threshold."""
    y, s = [1, 0, 0, 1], [0.1, 0.9, 0.8, 0.2]
    with pytest.warns(InfeasibleConstraintWarning, match="No threshold meets"):
        point = operating_point(y, s, objective="recall", constraint=("precision", 0.9))
    assert point.score == 0.0
    assert point.constraint_satisfied is False
    assert not np.isnan(point.threshold)
    assert point.constraint_value == pytest.approx(0.5)
    with pytest.warns(InfeasibleConstraintWarning, match="infeasible_score=-1"):
        point = operating_point(
            y,
            s,
            objective="recall",
            constraint=("precision", 0.9),
            infeasible_score=-1.0,
        )
    assert point.score == -1.0


def test_cost_objective_with_per_sample_costs():
    """A cost scorer as objective: the cheapest threshold, metadata by keyword."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    s = np.round(rng.uniform(size=200) + 0.3 * y, 2)
    amount, w = rng.uniform(1, 50, 200), rng.uniform(0.5, 2, 200)
    C = [[0, 4], ["amount", 0]]
    point = operating_point(
        y, s, objective=make_cost_scorer(C), sample_weight=w, amount=amount
    )
    brute = max(
        -cost_loss(
            y, (s >= t).astype(int), cost_matrix=C, sample_weight=w, amount=amount
        )
        for t in np.concatenate([[np.inf], np.unique(s)])
    )
    assert_allclose(point.score, brute)


def test_weights_equal_repeated_rows():
    """Integer weights give the operating point of the repeated rows."""
    rng = np.random.default_rng(3)
    y, s = rng.integers(0, 2, 80), np.round(rng.uniform(size=80), 1)
    w = rng.integers(1, 4, 80)
    kw = dict(objective="precision", constraint=("recall", 0.8))
    a = operating_point(y, s, sample_weight=w, **kw)
    b = operating_point(np.repeat(y, w), np.repeat(s, w), **kw)
    assert a == b


def test_string_labels_and_pos_label():
    """pos_label picks the class the scores are about."""
    y = np.array(["ham", "spam", "spam", "ham"])
    s = [0.2, 0.9, 0.6, 0.4]
    assert operating_point(y, s, pos_label="spam").score == 1.0
    flipped = operating_point(y, [1 - v for v in s], pos_label="ham")
    assert flipped.score == 1.0


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"objective": "precision"}, ValueError, "alone is maximised at an end"),
        ({"objective": "roc_auc"}, ValueError, "must depend on the decision threshold"),
        ({"objective": "no_such_metric"}, ValueError, "`objective` must be one of"),
        ({"objective": lambda e, X, y: 1.0}, ValueError, "only a grid of thresholds"),
        ({"constraint": ("recall", 2.0)}, ValueError, r"value in \[0, 1\]"),
        ({"constraint": ("f1", 0.5)}, ValueError, "`constraint` metric must be"),
        (
            {"objective": make_scorer(f1_score, pos_label=0), "pos_label": 1},
            ValueError,
            "must agree",
        ),
        ({"amount": [1, 2, 3, 4]}, ValueError, "does not use"),
        ({"y_score": [0.1, np.nan, 0.3, 0.4]}, ValueError, "must be finite"),
        ({"y_score": [0.1, 0.2]}, ValueError, "one entry per sample"),
        ({"y_true": [0, 1, 2, 1]}, ValueError, "must be binary"),
        ({"sample_weight": [1, 1, 1, -1]}, ValueError, "non-negative"),
    ],
)
def test_bad_input_raises(params, error, match):
    """Each rule has its message."""
    kw = dict(y_true=[0, 1, 1, 0], y_score=[0.1, 0.8, 0.6, 0.3])
    kw.update(params)
    with pytest.raises(error, match=match):
        operating_point(**kw)


@pytest.mark.parametrize(
    "metadata, match",
    [
        ({}, r"needs the per-sample metadata \['amount'\]"),
        ({"amount": [1, 2]}, "one entry per sample"),
    ],
)
def test_cost_objective_metadata_errors(metadata, match):
    """Missing or wrong-length metadata of a cost objective."""
    with pytest.raises(ValueError, match=match):
        operating_point(
            [0, 1, 1],
            [0.1, 0.8, 0.6],
            objective=make_cost_scorer([[0, 1], ["amount", 0]]),
            **metadata,
        )


@pytest.fixture
def data():
    return make_classification(n_samples=400, weights=[0.8], random_state=0)


def test_scorer_equals_operating_point_of_the_estimator(data):
    """The scorer is operating_point on predict_proba (or decision_function)."""
    X, y = data
    scorer = make_operating_point_scorer("precision", constraint=("recall", 0.9))
    est = LogisticRegression().fit(X, y)
    expected = operating_point(
        y, est.predict_proba(X)[:, 1], objective="precision", constraint=("recall", 0.9)
    ).score
    assert_allclose(scorer(est, X, y), expected)
    svc = LinearSVC().fit(X, y)
    expected = operating_point(
        y, svc.decision_function(X), objective="precision", constraint=("recall", 0.9)
    ).score
    assert_allclose(scorer(svc, X, y), expected)


def test_scorer_with_first_class_positive(data):
    """pos_label = classes_[0]: its probability column is scored."""
    X, y = data
    labels = np.where(y == 1, "b", "a")
    est = LogisticRegression().fit(X, labels)
    scorer = make_operating_point_scorer(
        "recall", constraint=("precision", 0.9), pos_label="a"
    )
    expected = operating_point(
        labels,
        est.predict_proba(X)[:, 0],
        objective="recall",
        constraint=("precision", 0.9),
        pos_label="a",
    ).score
    assert_allclose(scorer(est, X, labels), expected)


def test_scorer_pickles_and_picks_models_in_grid_search(data):
    """Pickles with a readable repr; GridSearchCV ranks by it."""
    X, y = data
    scorer = make_operating_point_scorer("precision", constraint=("recall", 0.9))
    assert "operating_point_score" in repr(scorer)
    assert "constraint=('recall', 0.9)" in repr(scorer)
    restored = pickle.loads(pickle.dumps(scorer))
    est = LogisticRegression().fit(X, y)
    assert restored(est, X, y) == scorer(est, X, y)
    search = GridSearchCV(
        LogisticRegression(), {"C": [0.001, 1.0]}, scoring=scorer, cv=3
    ).fit(X, y)
    by_hand = [
        cross_val_score(LogisticRegression(C=c), X, y, scoring=scorer, cv=3).mean()
        for c in (0.001, 1.0)
    ]
    assert_allclose(search.cv_results_["mean_test_score"], by_hand)


def test_scorer_infeasible_scores_infeasible_score(data):
    """An unreachable constraint: the documented value and a warning."""
    X, y = data
    est = LogisticRegression(C=1e-6).fit(X, y)
    noise = np.random.default_rng(0).normal(size=X.shape)
    scorer = make_operating_point_scorer(
        "recall", constraint=("precision", 1.0), infeasible_score=-5.0
    )
    with pytest.warns(InfeasibleConstraintWarning):
        assert scorer(est, noise, y) == -5.0


def test_scorer_is_refused_by_the_tuner_as_threshold_free():
    """A score-based scorer cannot be a tuner objective."""
    X, y = make_classification(n_samples=100, random_state=0)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=make_operating_point_scorer("f1")
    )
    with pytest.raises(ValueError, match="must depend on the decision threshold"):
        tuner.fit(X, y)


def test_scorer_with_cost_objective_routes_metadata(data):
    """A cost objective's metadata reaches the scorer through routing."""
    X, y = data
    amount = np.random.default_rng(0).uniform(1, 9, len(y))
    C = [[0, 1], ["amount", 0]]
    est = LogisticRegression().fit(X, y)
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = make_operating_point_scorer(make_cost_scorer(C))
        assert scorer.get_metadata_routing().score.requests["amount"] is True
        got = scorer(est, X, y, amount=amount)
    expected = operating_point_score(
        y, est.predict_proba(X)[:, 1], objective=make_cost_scorer(C), amount=amount
    )
    assert_allclose(got, expected)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (("precision",), {}, "alone is maximised"),
        (("f1",), {"response_method": "predict"}, "`response_method` must be"),
        (("f1",), {"constraint": ("recall", -1)}, r"value in \[0, 1\]"),
    ],
)
def test_scorer_factory_validates_eagerly(args, kwargs, match):
    """Mistakes surface when the scorer is made."""
    with pytest.raises(ValueError, match=match):
        make_operating_point_scorer(*args, **kwargs)
