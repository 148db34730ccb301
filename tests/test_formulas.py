"""The count formulas against scikit-learn's own metrics.

Each formula is a function of the weighted confusion counts ``(tp, fp, fn,
tn)``. The slow, obvious computation is scikit-learn's metric on labels: four
samples, one per confusion cell, weighted by that cell's count. Where
scikit-learn's value is undefined (a zero denominator), skeval's rule is 0;
where scikit-learn chooses otherwise, the test below says so and checks skeval's
rule on its own.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn import metrics as skm

from skeval._core import _formulas as F
from skeval.metrics import operating_point

# one sample per confusion cell: (y_true, y_pred) for tp, fp, fn, tn
_Y_TRUE = np.array([1, 0, 1, 0])
_Y_PRED = np.array([1, 1, 0, 0])

# Weighted counts: zeros, whole numbers and fractions in steps of 1/64 (exact in
# binary, so both sides round alike; tiny weights such as 1e-16 only measure
# the rounding of sklearn's own algebra).
counts = st.tuples(
    *[
        st.one_of(
            st.just(0.0),
            st.integers(0, 7).map(float),
            st.integers(1, 640).map(lambda v: v / 64),
        )
    ]
    * 4
).filter(lambda c: sum(c) > 0)


def _sk(func, counts, **kwargs):
    """scikit-learn's ``func`` on four weighted samples, warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(_Y_TRUE, _Y_PRED, sample_weight=np.asarray(counts), **kwargs)


def _recall(counts, pos):
    return _sk(skm.recall_score, counts, pos_label=pos, zero_division=0.0)


# formula name -> (scikit-learn's value, condition under which it is defined)
def _has_pos(c):
    return c[0] + c[2] > 0


def _has_neg(c):
    return c[1] + c[3] > 0


def _both(c):
    return _has_pos(c) and _has_neg(c)


def _always(c):
    return True


SKLEARN_EQUIVALENT = {
    "precision": (
        lambda c: _sk(skm.precision_score, c, zero_division=0.0),
        _always,
    ),
    "recall": (lambda c: _recall(c, 1), _always),
    "specificity": (lambda c: _recall(c, 0), _always),
    "npv": (
        lambda c: _sk(skm.precision_score, c, pos_label=0, zero_division=0.0),
        _always,
    ),
    "fpr": (lambda c: 1.0 - _recall(c, 0), _has_neg),
    "fnr": (lambda c: 1.0 - _recall(c, 1), _has_pos),
    "alert_rate": (lambda c: np.average(_Y_PRED, weights=c), _always),
    "accuracy": (lambda c: _sk(skm.accuracy_score, c), _always),
    "f1": (lambda c: _sk(skm.f1_score, c, zero_division=0.0), _always),
    "balanced_accuracy": (lambda c: _sk(skm.balanced_accuracy_score, c), _both),
    "youden": (
        lambda c: _sk(skm.balanced_accuracy_score, c, adjusted=True),
        _both,
    ),
    "g_mean": (lambda c: np.sqrt(_recall(c, 1) * _recall(c, 0)), _always),
    "jaccard": (lambda c: _sk(skm.jaccard_score, c, zero_division=0.0), _always),
    "matthews_corrcoef": (lambda c: _sk(skm.matthews_corrcoef, c), _always),
    "cohen_kappa": (
        lambda c: _sk(skm.cohen_kappa_score, c),
        # undefined when chance agreement is certain: one class in y and in y_pred
        lambda c: not np.isnan(_sk(skm.cohen_kappa_score, c)),
    ),
}


def test_every_registered_metric_is_checked_against_sklearn():
    """No count metric escapes the comparison with scikit-learn."""
    assert set(SKLEARN_EQUIVALENT) == set(F.COUNT_METRICS)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(c=counts)
@pytest.mark.parametrize("name", sorted(SKLEARN_EQUIVALENT))
def test_count_formula_equals_sklearn_metric(name, c):
    """Each formula equals scikit-learn's metric wherever that is defined."""
    expected, defined = SKLEARN_EQUIVALENT[name]
    if not defined(c):
        return
    got = F.get_count_metric(name)(*c)
    assert_allclose(got, expected(c), rtol=1e-9, atol=1e-10)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(c=counts, beta=st.sampled_from([0.0, 0.5, 2.0, 3.0]))
def test_fbeta_equals_sklearn_fbeta_score(c, beta):
    """F-beta equals fbeta_score for every beta, 0/0 included."""
    expected = _sk(skm.fbeta_score, c, beta=beta, zero_division=0.0)
    assert_allclose(F.fbeta(*c, beta=beta), expected, rtol=1e-9, atol=1e-12)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(c=st.tuples(*[st.integers(0, 6)] * 4).filter(lambda c: sum(c) > 0))
def test_count_formula_on_integer_counts_equals_repeated_rows(c):
    """Integer counts give the metric of the repeated, unweighted rows."""
    y_true = np.repeat(_Y_TRUE, c)
    y_pred = np.repeat(_Y_PRED, c)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = {
            "f1": skm.f1_score(y_true, y_pred, labels=[0, 1], zero_division=0.0),
            "accuracy": skm.accuracy_score(y_true, y_pred),
            "matthews_corrcoef": skm.matthews_corrcoef(y_true, y_pred),
            "jaccard": skm.jaccard_score(
                y_true, y_pred, labels=[0, 1], zero_division=0.0
            ),
        }
    for name, value in expected.items():
        assert_allclose(F.get_count_metric(name)(*c), value, atol=1e-12)


def test_formulas_vectorise_over_arrays_of_counts():
    """One call on arrays equals one call per entry."""
    rng = np.random.default_rng(0)
    c = rng.integers(0, 5, size=(4, 50)).astype(float)
    for name, metric in F.COUNT_METRICS.items():
        whole = metric(*c)
        assert whole.shape == (50,), name
        one_by_one = [float(metric(*c[:, j])) for j in range(50)]
        assert_allclose(whole, one_by_one, err_msg=name)


@pytest.mark.parametrize(
    "name, c, sklearn_value, skeval_value",
    [
        # sklearn averages recall over the classes present in y_true (and
        # warns); skeval keeps both classes and counts the missing one's 0/0
        # recall as 0. So "predict every negative right" scores 0.5, not 1.
        ("balanced_accuracy", (0, 0, 0, 5), 1.0, 0.5),
        ("balanced_accuracy", (3, 0, 2, 0), 0.6, 0.3),
        # adjusted balanced accuracy with one class present divides by zero
        ("youden", (0, 0, 0, 5), np.nan, 0.0),
        # kappa is 0/0 when chance agreement is certain; sklearn says NaN
        ("cohen_kappa", (0, 0, 0, 5), np.nan, 0.0),
        ("cohen_kappa", (5, 0, 0, 0), np.nan, 0.0),
    ],
)
def test_zero_denominator_rule_where_sklearn_differs(
    name, c, sklearn_value, skeval_value
):
    """Where sklearn does not count 0/0 as 0, skeval still does, by design."""
    expected, _ = SKLEARN_EQUIVALENT[name]
    assert_allclose(expected(c), sklearn_value)
    assert_allclose(F.get_count_metric(name)(*c), skeval_value)


@pytest.mark.parametrize(
    "name, c",
    [
        ("precision", (0, 0, 3, 4)),  # nothing predicted positive
        ("recall", (0, 2, 0, 4)),  # no positive sample
        ("specificity", (3, 0, 2, 0)),  # no negative sample
        ("npv", (3, 2, 0, 0)),  # nothing predicted negative
        ("f1", (0, 0, 0, 4)),
        ("jaccard", (0, 0, 0, 4)),
        ("matthews_corrcoef", (0, 0, 3, 4)),
        ("g_mean", (0, 0, 0, 4)),
    ],
)
def test_zero_denominator_counts_as_zero(name, c):
    """A ratio with a zero denominator is 0, so 'predict nothing' meets no floor."""
    assert F.get_count_metric(name)(*c) == 0.0


@pytest.mark.parametrize(
    "name, bound, degenerate, constraint_only",
    [
        ("recall", "lower", True, False),
        ("precision", "lower", True, False),
        ("specificity", "lower", True, False),
        ("npv", "lower", True, False),
        ("fpr", "upper", False, True),
        ("fnr", "upper", False, True),
        ("alert_rate", "upper", False, True),
        ("f1", None, False, False),
        ("balanced_accuracy", None, False, False),
    ],
)
def test_registry_declares_constraint_direction(
    name, bound, degenerate, constraint_only
):
    """Floors, ceilings, degenerate and constraint-only metrics as in DESIGN.md."""
    metric = F.get_count_metric(name)
    assert (metric.bound, metric.degenerate, metric.constraint_only) == (
        bound,
        degenerate,
        constraint_only,
    )


@pytest.mark.parametrize("name", ["f2", "roc_auc", None, 3])
def test_get_count_metric_unknown_name_lists_known(name):
    """An unknown name is a ValueError listing the known ones."""
    with pytest.raises(ValueError, match=r"Unknown count metric .*Known: \["):
        F.get_count_metric(name)


@pytest.mark.parametrize(
    "alias, name",
    [
        ("sensitivity", "recall"),
        ("tpr", "recall"),
        ("tnr", "specificity"),
        ("ppv", "precision"),
        ("mcc", "matthews_corrcoef"),
        ("f1.0", "f1"),
    ],
)
def test_aliases_resolve_to_the_registered_metric(alias, name):
    """One lookup maps the names people type to the one registered formula."""
    assert F.find_count_metric(alias) is F.COUNT_METRICS[name]


@pytest.mark.parametrize("name, beta", [("f2", 2.0), ("f0.5", 0.5), ("f.25", 0.25)])
def test_f_beta_names(name, beta):
    """ "f<beta>" is the F-beta score with that beta, named as typed."""
    metric = F.find_count_metric(name)
    c = (np.array([3.0, 0.0]), np.array([1.0, 2.0]), np.array([2.0, 0.0]), 4.0)
    assert metric.name == f"f{beta:g}" and metric.bound is None
    assert_allclose(metric(*c), F.fbeta(*c, beta=beta))


@pytest.mark.parametrize("name", ["f0", "f", "fx", "f-2", "recal", None, 3])
def test_unknown_names_find_nothing(name):
    """No guessing: an unknown name is None here, an error with hints upstream."""
    assert F.find_count_metric(name) is None


@pytest.mark.parametrize(
    "params, match",
    [
        (
            {"objective": "balanced_acuracy"},
            r"`objective` must be one of skeval's metrics .*Got 'balanced_acuracy'. "
            r"Close names: \['balanced_accuracy', 'accuracy'\]",
        ),
        (
            {"objective": "f1", "constraint": ("recal", 0.9)},
            r"`constraint` metric must be one of .*Got 'recal'. "
            r"Close names: \['recall'\]. In a scikit-learn search.*"
            r"skeval.get_scorer\('recall'\)",
        ),
        (
            {"objective": "f1", "constraint": ("mcc", 0.5)},
            r"`constraint` metric must be one of",
        ),
    ],
)
def test_unknown_objective_and_constraint_names_suggest(params, match):
    """Objective and constraint errors share the registry's hints."""
    with pytest.raises(ValueError, match=match):
        operating_point([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3], **params)


def test_aliases_in_objectives_and_constraints():
    """operating_point reads aliases as the names they stand for."""
    y, s = [0, 1, 1, 0, 1, 0, 0, 1], [0.1, 0.8, 0.6, 0.3, 0.35, 0.4, 0.2, 0.9]
    pairs = [
        (dict(objective="mcc"), dict(objective="matthews_corrcoef")),
        (
            dict(objective="ppv", constraint=("tpr", 0.75)),
            dict(objective="precision", constraint=("recall", 0.75)),
        ),
        (
            dict(objective="sensitivity", constraint=("tnr", 0.75)),
            dict(objective="recall", constraint=("specificity", 0.75)),
        ),
        (
            dict(objective="f2"),
            dict(objective=skm.make_scorer(skm.fbeta_score, beta=2)),
        ),
    ]
    for alias, name in pairs:
        assert operating_point(y, s, **alias) == operating_point(y, s, **name)
