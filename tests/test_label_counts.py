"""The one weighted label-count builder: like sklearn, never negative, finite."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.metrics import confusion_matrix, multilabel_confusion_matrix

from skeval._core._counts import binary_counts, label_counts, one_vs_rest
from skeval.metrics import (
    diagnose,
    fnr_loss,
    g_mean_score,
    npv_score,
    specificity_score,
)


@st.composite
def labelled(draw):
    """Encoded labels of up to 4 classes, with fractional or integer weights."""
    n_classes = draw(st.integers(1, 4))
    n = draw(st.integers(1, 30))
    y = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    p = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    kind = draw(st.sampled_from(["none", "int", "float"]))
    w = None
    if kind != "none":
        seed = draw(st.integers(0, 2**16))
        rng = np.random.default_rng(seed)
        w = (
            rng.integers(0, 4, n).astype(float)
            if kind == "int"
            else rng.uniform(0.01, 3, n)
        )
        w[0] = max(w[0], 0.5)
    return y, p, w, n_classes


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=labelled())
def test_label_counts_equal_sklearn_confusion_matrix(data):
    """The K x K builder is sklearn's weighted confusion matrix."""
    y, p, w, k = data
    expected = confusion_matrix(y, p, labels=np.arange(k), sample_weight=w)
    assert_allclose(label_counts(y, p, k, w), expected, atol=1e-12)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=labelled())
def test_one_vs_rest_counts_equal_sklearn_and_are_never_negative(data):
    """One-vs-rest tp/fp/fn/tn match multilabel_confusion_matrix, all >= 0."""
    y, p, w, k = data
    tp, fp, fn, tn = one_vs_rest(label_counts(y, p, k, w))
    mcm = multilabel_confusion_matrix(y, p, labels=np.arange(k), sample_weight=w)
    for got, (i, j) in zip((tp, fp, fn, tn), [(1, 1), (0, 1), (1, 0), (0, 0)]):
        assert_allclose(got, mcm[:, i, j], atol=1e-12)
        assert (got >= 0).all()
    # an empty cell set is exactly zero, not rounding noise
    for c in range(k):
        others = (y != c) & (p != c)
        if not others.any():
            assert tn[c] == 0.0


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=labelled())
def test_binary_counts_equal_the_two_by_two_matrix(data):
    """binary_counts is the 2 x 2 builder on y == c, with or without weights."""
    y, p, w, _ = data
    got = binary_counts(y == 0, p == 0, w)
    M = confusion_matrix(y == 0, p == 0, labels=[False, True], sample_weight=w)
    assert_allclose(got, (M[1, 1], M[0, 1], M[1, 0], M[0, 0]), atol=1e-12)


def test_g_mean_with_fractional_weights_is_zero_not_nan():
    """Issue 11: tn as a difference of float sums went negative (NaN G-mean)."""
    args = ([1, 0, 0, 0, 0], [0, 0, 2, 1, 2])
    w = [1.213, 1.459, 1.087, 1.87, 1.632]
    assert_array_equal(g_mean_score(*args, average=None, sample_weight=w), [0, 0, 0])
    for average in ("macro", "weighted"):
        assert g_mean_score(*args, average=average, sample_weight=w) == 0.0
    spec = specificity_score(*args, average=None, sample_weight=w)
    assert (spec >= 0).all() and spec[0] == 0.0


@pytest.mark.parametrize(
    "func, kwargs",
    [
        (g_mean_score, {}),
        (specificity_score, {"average": "macro"}),
        (fnr_loss, {}),
    ],
)
def test_overflowing_weights_are_an_error(func, kwargs):
    """Weights of 1e308 overflow the counts: a ValueError, not inf or NaN."""
    with pytest.raises(ValueError, match="must be finite: their sums overflow"):
        func([0, 1, 1], [0, 1, 0], sample_weight=[1e308, 1e308, 1e308], **kwargs)


def test_pos_label_not_among_the_labels_is_an_error():
    """Issue 11: pos_label=5 on all-zero labels scored 1.0."""
    with pytest.raises(
        ValueError, match=r"`pos_label` must be one of the labels \[0\]"
    ):
        npv_score([0, 0, 0], [0, 0, 0], pos_label=5)
    # the absent half of {0, 1} is still a valid positive class
    assert npv_score([0, 0, 0], [0, 0, 0], pos_label=1) == 1.0
    with pytest.raises(ValueError, match=r"must be one of the labels \['a'\]"):
        specificity_score(["a", "a"], ["a", "a"], pos_label="b")


def test_diagnose_counts_through_the_builder():
    """diagnose's balanced accuracy uses the same non-negative weighted counts."""
    y = np.array([0, 1] * 50)
    w = np.linspace(0.1, 2.0, 100)
    findings = diagnose(y, y, pos_label=0, sample_weight=w)
    assert [f.code for f in findings] == ["near_perfect_score"]
    assert findings[0].value == 1.0
