"""Label metrics against brute force from scikit-learn's confusion_matrix."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    make_scorer,
    precision_score,
    recall_score,
)

from skeval import ThresholdTunedClassifier
from skeval.metrics import (
    fnr_loss,
    fpr_loss,
    g_mean_score,
    npv_score,
    specificity_score,
    youden_score,
)

# sklearn's confusion_matrix (the brute force) warns on one-class data
pytestmark = pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")

METRICS = {
    "specificity": specificity_score,
    "npv": npv_score,
    "fpr": fpr_loss,
    "fnr": fnr_loss,
    "g_mean": g_mean_score,
    "youden": youden_score,
}


def _div(a, b):
    return a / b if b != 0 else 0.0


def _by_hand(name, tp, fp, fn, tn):
    """The textbook definitions, written out independently of skeval."""
    tpr, tnr = _div(tp, tp + fn), _div(tn, tn + fp)
    return {
        "specificity": tnr,
        "npv": _div(tn, tn + fn),
        "fpr": _div(fp, fp + tn),
        "fnr": _div(fn, fn + tp),
        "g_mean": np.sqrt(tpr * tnr),
        "youden": tpr + tnr - 1.0,
    }[name]


def _brute(name, y, p, w, classes, average):
    """One-vs-rest counts of each class from confusion_matrix, then average."""
    M = confusion_matrix(y, p, labels=classes, sample_weight=w)
    per_class, supports, sums = [], [], np.zeros(4)
    for k in range(len(classes)):
        tp = M[k, k]
        fn = M[k].sum() - tp
        fp = M[:, k].sum() - tp
        tn = M.sum() - tp - fn - fp
        per_class.append(_by_hand(name, tp, fp, fn, tn))
        supports.append(tp + fn)
        sums += (tp, fp, fn, tn)
    per_class = np.array(per_class)
    if average is None:
        return per_class
    if average == "macro":
        return per_class.mean()
    if average == "micro":
        return _by_hand(name, *sums)
    return np.average(per_class, weights=supports) if sum(supports) else 0.0


@st.composite
def labelled(draw, n_classes=2):
    """Labels, predictions and optional (integer or float) weights."""
    n = draw(st.integers(1, 40))
    labels = st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)
    y, p = np.array(draw(labels)), np.array(draw(labels))
    kind = draw(st.sampled_from(["none", "int", "float"]))
    if kind == "none":
        w = None
    else:
        values = st.integers(0, 4) if kind == "int" else st.floats(0.0, 3.0, width=32)
        w = np.array(draw(st.lists(values, min_size=n, max_size=n)), dtype=float)
        if not (w > 0).any():
            w[0] = 1.0
    return y, p, w


@pytest.mark.parametrize("name", METRICS)
@settings(max_examples=60, derandomize=True, deadline=None)
@given(data=labelled())
def test_binary_metric_equals_brute_force(name, data):
    """average='binary' is the formula on confusion_matrix's weighted counts."""
    y, p, w = data
    tn, fp, fn, tp = confusion_matrix(y, p, labels=[0, 1], sample_weight=w).ravel()
    got = METRICS[name](y, p, pos_label=1, sample_weight=w)
    assert isinstance(got, float)
    assert_allclose(got, _by_hand(name, tp, fp, fn, tn), atol=1e-9)


@pytest.mark.parametrize("name", METRICS)
@pytest.mark.parametrize("average", [None, "macro", "weighted", "micro"])
@settings(max_examples=25, derandomize=True, deadline=None)
@given(data=labelled(n_classes=4))
def test_multiclass_average_equals_brute_force(name, average, data):
    """Each class one-vs-rest from confusion_matrix, averaged as sklearn does."""
    y, p, w = data
    classes = np.union1d(y, p)
    got = METRICS[name](y, p, average=average, sample_weight=w)
    assert_allclose(got, _brute(name, y, p, w, classes, average), atol=1e-9)


@pytest.mark.parametrize("name", METRICS)
@pytest.mark.parametrize("average", ["binary", "macro", "weighted", "micro"])
@settings(max_examples=25, derandomize=True, deadline=None)
@given(data=labelled(n_classes=2))
def test_integer_weights_equal_repeated_rows(name, average, data):
    """Weight k gives exactly the value of the row repeated k times.

    The classes are fixed with labels=: a zero weight drops a row, and with
    it possibly a class that the weighted call still sees.
    """
    y, p, w = data
    w = np.ones(len(y), dtype=int) if w is None else np.round(w).astype(int)
    if not (w > 0).any():
        w[0] = 1
    kw = dict(average=average, labels=[0, 1])
    weighted = METRICS[name](y, p, sample_weight=w, **kw)
    repeated = METRICS[name](np.repeat(y, w), np.repeat(p, w), **kw)
    assert_allclose(weighted, repeated, atol=1e-12)


def test_weighted_specificity_stays_a_rate():
    """The weighted case imbalanced-learn gets wrong (issue 1180): TN=1, FP=2."""
    got = specificity_score(
        [0, 0, 1, 1], [0, 1, 1, 1], sample_weight=[1.0, 2.0, 3.0, 4.0], average=None
    )
    assert_allclose(got, [1.0, 1.0 / 3.0])


@settings(max_examples=40, derandomize=True, deadline=None)
@given(data=labelled())
def test_agrees_with_sklearn_counterparts(data):
    """Specificity and NPV are sklearn's recall and precision of class 0."""
    y, p, w = data
    kw = dict(sample_weight=w, zero_division=0.0, labels=[0, 1])
    assert_allclose(
        specificity_score(y, p, sample_weight=w),
        recall_score(y, p, pos_label=0, **kw),
        atol=1e-9,
    )
    assert_allclose(
        npv_score(y, p, sample_weight=w),
        precision_score(y, p, pos_label=0, **kw),
        atol=1e-9,
    )


def test_youden_is_adjusted_balanced_accuracy():
    """On binary labels with both classes, J = balanced_accuracy(adjusted=True)."""
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, 200), rng.integers(0, 2, 200)
    w = rng.uniform(0.1, 2.0, 200)
    assert_allclose(
        youden_score(y, p, sample_weight=w),
        balanced_accuracy_score(y, p, adjusted=True, sample_weight=w),
    )


def test_rates_are_complements():
    """fpr = 1 - specificity, fnr = 1 - recall, when both classes are present."""
    rng = np.random.default_rng(1)
    y, p = rng.integers(0, 2, 100), rng.integers(0, 2, 100)
    assert_allclose(fpr_loss(y, p), 1.0 - specificity_score(y, p))
    assert_allclose(fnr_loss(y, p), 1.0 - recall_score(y, p))


@pytest.mark.parametrize(
    "y, p, pos_label, expected",
    [
        (["no", "no", "yes", "yes"], ["no", "yes", "yes", "no"], "yes", 0.5),
        (["no", "no", "no", "yes"], ["no", "yes", "no", "yes"], "no", 1.0),
        ([False, False, True], [False, True, True], None, 0.5),
        ([-1, -1, 1, 1], [-1, 1, 1, 1], None, 0.5),
        ([0, 0, 0], [0, 1, 0], 1, 2 / 3),  # one class in y_true, pos_label absent
        ([3, 3, 7], [3, 7, 7], 7, 0.5),
    ],
)
def test_label_kinds_and_pos_label(y, p, pos_label, expected):
    """Strings, booleans, {-1, 1}, a missing class, and the default pos_label."""
    assert_allclose(specificity_score(y, p, pos_label=pos_label), expected)


def test_labels_order_and_absent_class():
    """labels= sets the order of average=None; an absent class scores 0."""
    y, p = [0, 1, 2, 2], [0, 2, 1, 2]
    got = specificity_score(y, p, labels=[2, 0, 5], average=None)
    assert_allclose(got, [0.5, 1.0, 1.0])
    assert_allclose(npv_score(y, p, labels=[2, 0, 5], average=None), [0.5, 1.0, 1.0])
    # samples of classes left out still count as the others' negatives
    assert_allclose(
        specificity_score(y, p, labels=[0], average="macro"),
        specificity_score(y, p, average=None)[0],
    )


def test_binary_average_ignores_labels():
    """With average='binary', labels= is ignored, as in scikit-learn."""
    y, p = [0, 0, 1, 1], [0, 1, 1, 1]
    assert specificity_score(y, p, labels=[1]) == specificity_score(y, p)


@pytest.mark.parametrize(
    "y, p, params, error, match",
    [
        ([0, 1, 2], [0, 1, 1], {}, ValueError, "average='binary' needs at most two"),
        ([0, 1], [0, 1], {"pos_label": 2}, ValueError, "`pos_label` must be one of"),
        (["a", "a"], ["a", "a"], {}, ValueError, "`pos_label` must be given"),
        ([0, 1], [0.2, 0.7], {}, ValueError, "class labels, not continuous"),
        ([0, 1, 1], [0, 1], {}, ValueError, "must have the same length"),
        ([0, 1], ["a", "b"], {}, TypeError, "same kind of labels"),
        ([], [], {}, ValueError, "at least one sample"),
        ([[0, 1]], [[0, 1]], {}, ValueError, "one-dimensional"),
        ([0, np.nan], [0, 1], {}, ValueError, "NaN or infinity"),
        ([0, 1], [0, 1], {"sample_weight": [1, -1]}, ValueError, "non-negative"),
        ([0, 1], [0, 1], {"sample_weight": [1]}, ValueError, "one entry per sample"),
        ([0, 1], [0, 1], {"average": "samples"}, ValueError, "average"),
        ([0, 1], [0, 1], {"average": None, "labels": [0, 0]}, ValueError, "repeat"),
        ([0, 1], [0, 1], {"average": None, "labels": []}, ValueError, "non-empty"),
        ([0, 1], [0, 1], {"average": None, "labels": ["a"]}, TypeError, "same kind"),
    ],
)
@pytest.mark.parametrize("metric", METRICS.values(), ids=METRICS)
def test_bad_input_raises(metric, y, p, params, error, match):
    """Each rule is checked, and the message states it."""
    with pytest.raises(error, match=match):
        metric(y, p, **params)


@pytest.mark.parametrize(
    "scorer, objective",
    [
        (make_scorer(specificity_score), "specificity"),
        (make_scorer(npv_score), "npv"),
        (make_scorer(g_mean_score), "g_mean"),
        (make_scorer(youden_score), "youden"),
    ],
)
def test_tuner_exact_path_matches_named_objective(scorer, objective):
    """A make_scorer of a skeval label metric takes the tuner's exact path."""
    X, y = make_classification(n_samples=300, weights=[0.7], random_state=0)
    constraint = ("recall", 0.8) if objective in ("specificity", "npv") else None
    params = dict(cv=3, constraint=constraint)
    if objective == "npv":
        params["constraint"] = ("specificity", 0.8)
    a = ThresholdTunedClassifier(LogisticRegression(), objective=scorer, **params)
    b = ThresholdTunedClassifier(LogisticRegression(), objective=objective, **params)
    a.fit(X, y)
    b.fit(X, y)
    assert a.best_threshold_ == b.best_threshold_
    assert_allclose(a.best_score_, b.best_score_)


def test_averaged_scorer_leaves_the_exact_path():
    """With average='macro' the curve cannot compute it: the grid path is used."""
    from skeval._core._objective import GridObjective, resolve_objective

    scorer = make_scorer(g_mean_score, average="macro")
    assert isinstance(resolve_objective(scorer), GridObjective)


def test_fractional_float_labels_are_not_merged():
    """Float labels with fractions keep their identity (no integer table)."""
    from skeval._core._labels import present_labels

    assert_array_equal(present_labels(np.array([0.1, 0.5, 0.1])), [0.1, 0.5])
    assert_array_equal(present_labels(np.array([2.0, 0.0, 2.0])), [0.0, 2.0])


@pytest.mark.parametrize("y", [["fraud", "ok", "ok"], [3, 7, 7]])
def test_ambiguous_labels_need_pos_label(y):
    """String or other labels never pick the 'greater' class silently (issue 11)."""
    with pytest.raises(ValueError, match="`pos_label` must be given when the labels"):
        specificity_score(y, y)
