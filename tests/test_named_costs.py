"""Costs that cannot be misread: named binary cells, labels= everywhere."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.model_selection import train_test_split

from skeval import (
    MinimumExpectedCostClassifier,
    ThresholdTunedClassifier,
    make_cost_scorer,
)
from skeval._core._costs import CostMatrix
from skeval._core._objective import resolve_objective
from skeval.metrics import confusion_curve, cost_loss, savings_score
from skeval.metrics._cost import CostObjective


def _brute(y, pred, pos, *, fp=0.0, fn=0.0, tp=0.0, tn=0.0, w=None):
    """Mean cost, cell by cell, with ``pos`` as the positive class."""
    y, pred = np.asarray(y), np.asarray(pred)
    w = np.ones(len(y)) if w is None else np.asarray(w, float)
    cells = {
        "tp": (y == pos) & (pred == pos),
        "fp": (y != pos) & (pred == pos),
        "fn": (y == pos) & (pred != pos),
        "tn": (y != pos) & (pred != pos),
    }
    costs = {"fp": fp, "fn": fn, "tp": tp, "tn": tn}
    total = sum(np.sum(w * cells[k] * np.broadcast_to(costs[k], len(y))) for k in cells)
    return total / w.sum()


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=1500, weights=[0.85], flip_y=0.02, random_state=0
    )
    return train_test_split(X, y, stratify=y, random_state=0)


@pytest.mark.parametrize("pos_label", [0, 1])
def test_named_cells_mean_the_same_whatever_pos_label(pos_label):
    """fp/fn/tp/tn refer to the positive class by meaning, in cost_loss."""
    rng = np.random.default_rng(0)
    y, pred = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    w = rng.uniform(0.1, 2, 50)
    amount = rng.uniform(1, 100, 50)
    cells = dict(fp=1.5, fn="amount", tp=-2, tn=0.25)
    got = cost_loss(
        y, pred, **cells, pos_label=pos_label, sample_weight=w, amount=amount
    )
    expected = _brute(y, pred, pos_label, fp=1.5, fn=amount, tp=-2, tn=0.25, w=w)
    assert_allclose(got, expected)
    # the same as the K x K matrix in label order, read for this positive class
    C = (
        [[0.25, 1.5], ["amount", -2]]
        if pos_label == 1
        else [[-2, "amount"], [1.5, 0.25]]
    )
    assert_allclose(
        cost_loss(y, pred, cost_matrix=C, sample_weight=w, amount=amount), got
    )


def test_named_cells_with_string_labels():
    """String labels: the positive class is named, the cells follow it."""
    y = np.array(["fraud", "ok", "ok", "fraud", "ok"])
    pred = np.array(["ok", "ok", "fraud", "fraud", "ok"])
    got = cost_loss(y, pred, fp=1, fn=10, pos_label="fraud")
    assert_allclose(got, (10 + 1) / 5)
    assert_allclose(
        savings_score(y, pred, fp=1, fn=10, pos_label="fraud"),
        1 - 11 / min(2 * 10, 3 * 1),
    )


def test_matrix_read_against_its_docstring_with_pos_label_0(data):
    """Issue 11: [[0, 1], [10, 0]] with pos_label=0 makes a *false alarm* cost 10.

    The matrix is in labels order (row = true class), so with class 0 positive
    it reads [[TP, FN], [FP, TN]]; the named cells say what is meant.
    """
    X_tr, X_te, y_tr, y_te = data

    def tuned(objective):
        return ThresholdTunedClassifier(
            LogisticRegression(), objective=objective, pos_label=0
        ).fit(X_tr, y_tr)

    matrix = tuned(make_cost_scorer([[0, 1], [10, 0]]))
    as_meant = tuned(make_cost_scorer(fp=10, fn=1))
    assert matrix.best_threshold_ == as_meant.best_threshold_
    # "a miss costs 10": the named form, or the matrix written for class 0
    named = tuned(make_cost_scorer(fp=1, fn=10))
    written = tuned(make_cost_scorer([[0, 10], [1, 0]]))
    assert named.best_threshold_ == written.best_threshold_
    assert_allclose(named.best_score_, written.best_score_)
    recall_0 = np.mean(named.predict(X_te)[y_te == 0] == 0)
    assert recall_0 > np.mean(matrix.predict(X_te)[y_te == 0] == 0)


def test_named_scorer_takes_its_own_pos_label_then_the_tuners(data):
    """Own pos_label first, else the tuner's; both given and different: error."""
    X_tr, _, y_tr, _ = data
    own = ThresholdTunedClassifier(
        LogisticRegression(), objective=make_cost_scorer(fp=1, fn=10, pos_label=0)
    ).fit(X_tr, y_tr)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=make_cost_scorer(fp=1, fn=10), pos_label=0
    ).fit(X_tr, y_tr)
    assert own.best_threshold_ == tuner.best_threshold_
    default = ThresholdTunedClassifier(
        LogisticRegression(), objective=make_cost_scorer(fp=1, fn=10)
    ).fit(X_tr, y_tr)
    as_matrix = ThresholdTunedClassifier(
        LogisticRegression(), objective=make_cost_scorer([[0, 1], [10, 0]])
    ).fit(X_tr, y_tr)
    assert default.best_threshold_ == as_matrix.best_threshold_
    clash = ThresholdTunedClassifier(
        LogisticRegression(),
        objective=make_cost_scorer(fp=1, fn=10, pos_label=0),
        pos_label=1,
    )
    with pytest.raises(ValueError, match="must agree"):
        clash.fit(X_tr, y_tr)


def test_named_scorer_repr_pickle_and_value(data):
    """A named scorer shows its cells, pickles, and scores -cost_loss."""
    X_tr, X_te, y_tr, y_te = data
    scorer = make_cost_scorer(fp=1, fn=10, pos_label=0)
    assert repr(scorer) == (
        "make_scorer(cost_loss, greater_is_better=False, response_method='predict', "
        "fp=1, fn=10, pos_label=0)"
    )
    est = LogisticRegression().fit(X_tr, y_tr)
    expected = -_brute(y_te, est.predict(X_te), 0, fp=1, fn=10)
    assert_allclose(scorer(est, X_te, y_te), expected)
    assert_allclose(pickle.loads(pickle.dumps(scorer))(est, X_te, y_te), expected)


def test_make_scorer_of_cost_loss_with_named_cells_takes_the_exact_path():
    """sklearn's make_scorer(cost_loss, fp=..., fn=...) is a curve objective."""
    scorer = make_scorer(cost_loss, greater_is_better=False, fp=1, fn=5)
    objective = resolve_objective(scorer)
    assert isinstance(objective.objective, CostObjective)
    assert objective.objective.cost_matrix.named


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    n=st.integers(1, 25),
    seed=st.integers(0, 2**16),
    pos_label=st.sampled_from([0, 1]),
    weighted=st.booleans(),
)
def test_curve_costs_equal_cost_loss_at_every_threshold(n, seed, pos_label, weighted):
    """The report API: a bound CostMatrix on a ConfusionCurve is cost_loss."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    scores = np.round(rng.uniform(size=n), 1)
    w = rng.uniform(0.1, 2, n) if weighted else None
    amount = rng.uniform(-5, 50, n)
    cost = CostMatrix.from_params(fp=2, fn="amount", tp=-1)
    objective = CostObjective(cost).bind([0, 1], pos_label)
    curve = confusion_curve(y, scores, pos_label=pos_label, sample_weight=w)
    values = objective.evaluate(curve, amount=amount)
    for t, value in zip(curve.thresholds, values):
        pred = np.where(scores >= t, pos_label, 1 - pos_label)
        expected = _brute(y, pred, pos_label, fp=2, fn=amount, tp=-1, w=w)
        assert_allclose(value, expected, atol=1e-9)


def test_cost_matrix_from_params_and_bind():
    """One constructor for both forms; bind maps classes to rows."""
    named = CostMatrix.from_params(fp=1, fn="amount")
    assert repr(named) == "CostMatrix(fp=1, fn='amount')"
    assert named.bind([0, 1], pos_label=1).as_list() == [[0, 1], ["amount", 0]]
    assert named.bind([0, 1], pos_label=0).as_list() == [[0, "amount"], [1, 0]]
    triage = CostMatrix.from_params(
        [[0, 1, 2], [5, 0, 1], [10, 5, 0]], labels=["low", "medium", "high"]
    )
    bound = triage.bind(["high", "low", "medium"])
    assert_array_equal(bound.fixed, [[0, 10, 5], [2, 0, 1], [1, 5, 0]])
    assert bound.labels.tolist() == ["high", "low", "medium"]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(cost_matrix=[[0, 1], [1, 0]], fp=2), ValueError, "not both"),
        (dict(), ValueError, "at least one named cell"),
        (dict(fp=np.nan), ValueError, "`fp` must be a finite number"),
        (dict(fn=True), TypeError, "`fn` must be a finite number"),
        (dict(fn="pos_label"), ValueError, "Metadata names in `cost_matrix`"),
    ],
)
def test_make_cost_scorer_named_errors(kwargs, error, match):
    """Each rule of the named form has its message, raised eagerly."""
    with pytest.raises(error, match=match):
        make_cost_scorer(**kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(pos_label=5), r"`pos_label` must be one of the labels \[0, 1\]"),
        (dict(labels=[0, 1, 2]), "one class per row"),
    ],
)
def test_cost_loss_named_errors(kwargs, match):
    """Named cells with a positive class not among the labels: an error."""
    with pytest.raises(ValueError, match=match):
        cost_loss([0, 1, 1], [0, 1, 0], fp=1, fn=2, **kwargs)


def test_named_costs_on_more_than_two_labels():
    """Named cells are binary: three labels are refused."""
    with pytest.raises(ValueError, match=r"A named cost .* needs at most two labels"):
        cost_loss([0, 1, 2], [0, 1, 0], fp=1, fn=2)
    X, y = load_iris(return_X_y=True)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(max_iter=1000), objective=make_cost_scorer(fp=1, fn=2)
    )
    with pytest.raises(ValueError, match="Named costs .* are for binary targets"):
        tuner.fit(X, y)


# ------------------------------------------------- MinimumExpectedCostClassifier
TRIAGE = ["low", "medium", "high"]  # natural order; sorted: high, low, medium
C_TRIAGE = [[0, 1, 2], [5, 0, 1], [20, 5, 0]]  # under-triage is dear


def _triage_data():
    X, y = make_classification(
        n_samples=600, n_classes=3, n_informative=4, random_state=0
    )
    return X, np.array(TRIAGE)[y]


def test_mec_labels_reorders_a_matrix_written_in_natural_order():
    """Issue 11: with labels=, a triage matrix in natural order is read right."""
    X, y = _triage_data()
    mec = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000),
        cost_matrix=C_TRIAGE,
        labels=TRIAGE,
        calibration_cv=None,
    ).fit(X, y)
    assert mec.classes_.tolist() == ["high", "low", "medium"]
    sorted_c = [[0, 20, 5], [2, 0, 1], [1, 5, 0]]  # the same costs, classes_ order
    assert_array_equal(mec.cost_matrix_, sorted_c)
    reference = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), cost_matrix=sorted_c, calibration_cv=None
    ).fit(X, y)
    assert_array_equal(mec.predict(X), reference.predict(X))
    true_cost = cost_loss(y, mec.predict(X), cost_matrix=C_TRIAGE, labels=TRIAGE)
    misread = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), cost_matrix=C_TRIAGE, calibration_cv=None
    ).fit(X, y)
    misread_cost = cost_loss(y, misread.predict(X), cost_matrix=C_TRIAGE, labels=TRIAGE)
    assert true_cost < misread_cost


@pytest.mark.parametrize("pos_label, threshold", [(1, 0.2), (0, 0.8)])
def test_mec_named_costs(pos_label, threshold):
    """fp=1, fn=4: the threshold on P(classes_[1]) follows the positive class."""
    X, y = make_classification(n_samples=200, random_state=0)
    mec = MinimumExpectedCostClassifier(
        LogisticRegression(), fp=1, fn=4, pos_label=pos_label, calibration_cv=None
    ).fit(X, y)
    assert_allclose(mec.threshold_, threshold)


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(cost_matrix=np.eye(3), labels=["a", "b", "c"]), ValueError, "labels"),
        (dict(cost_matrix=[[0, 1], [1, 0]], fp=1), ValueError, "not both"),
        (dict(fp=1, fn=2), ValueError, "Named costs .* are for binary"),
    ],
)
def test_mec_cost_errors(params, error, match):
    """labels that are not the classes, both forms, named on 3 classes."""
    X, y = _triage_data()
    mec = MinimumExpectedCostClassifier(
        LogisticRegression(max_iter=1000), calibration_cv=None, **params
    )
    with pytest.raises(error, match=match):
        mec.fit(X, y)


@pytest.mark.parametrize(
    "cost, labels",
    [
        (dict(fp=2, fn="amount"), None),
        ([[0, 2], ["amount", 0]], None),
        ([[0, "amount"], [2, 0]], [1, 0]),
        (make_cost_scorer(fp=2, fn="amount"), None),
        (CostMatrix.from_params(fp=2, fn="amount"), None),
    ],
)
def test_resolve_cost_for_reports(cost, labels):
    """Every way to give a binary cost yields the same curve costs."""
    from skeval.metrics._cost import resolve_cost

    rng = np.random.default_rng(0)
    y, scores, amount = (
        rng.integers(0, 2, 40),
        rng.uniform(size=40),
        rng.uniform(size=40),
    )
    curve = confusion_curve(y, scores)
    got = (
        resolve_cost(cost, labels=labels).bind([0, 1], 1).evaluate(curve, amount=amount)
    )
    for t, value in zip(curve.thresholds, got):
        pred = (scores >= t).astype(int)
        assert_allclose(value, _brute(y, pred, 1, fp=2, fn=amount))


@pytest.mark.parametrize(
    "cost, kwargs, error, match",
    [
        (dict(fp=1, fx=2), {}, TypeError, r"named cells .* Got also \['fx'\]"),
        (make_cost_scorer(fp=1), {"labels": [0, 1]}, ValueError, "carries its own"),
        (np.eye(3), {}, ValueError, "needs a 2 x 2 matrix"),
    ],
)
def test_resolve_cost_errors(cost, kwargs, error, match):
    """Unknown cells, labels with a scorer, a 3 x 3 matrix: clear errors."""
    from skeval.metrics._cost import resolve_cost

    with pytest.raises(error, match=match):
        resolve_cost(cost, **kwargs)


def test_named_scorer_alone_applies_the_positive_class_rule():
    """Scored on its own: 1 on 0/1 labels; string labels need pos_label."""
    X, y = make_classification(n_samples=200, random_state=0)
    est = LogisticRegression().fit(X, y)
    scorer = make_cost_scorer(fp=1, fn=10)
    assert repr(scorer).endswith("fp=1, fn=10, pos_label=None)")
    expected = -_brute(y, est.predict(X), 1, fp=1, fn=10)
    assert_allclose(scorer(est, X, y), expected)
    labels = np.array(["fraud", "ok"])
    est_s = LogisticRegression().fit(X, labels[y])
    with pytest.raises(ValueError, match="`pos_label` must be given"):
        scorer(est_s, X, labels[y])
    own = make_cost_scorer(fp=1, fn=10, pos_label="ok")
    assert_allclose(own(est_s, X, labels[y]), expected)
