"""The curve engine against scikit-learn's confusion_matrix at every threshold."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.metrics import confusion_matrix

from skeval._core._curve import _sweep
from skeval._core._selection import values_at
from skeval.metrics import confusion_curve


@st.composite
def scored_samples(draw, weights="any"):
    """Binary labels, scores with many ties, and optional weights."""
    n = draw(st.integers(1, 30))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    # few distinct values: ties are the rule, not the exception
    levels = draw(st.integers(1, 6))
    scores = (
        np.array(draw(st.lists(st.integers(0, levels - 1), min_size=n, max_size=n)))
        / max(levels - 1, 1)
        - 0.25
    )
    kind = (
        draw(st.sampled_from(["none", "int", "float"])) if weights == "any" else weights
    )
    if kind == "none":
        w = None
    elif kind == "int":
        w = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    else:
        w = np.array(
            draw(st.lists(st.floats(0.0, 3.0, width=32), min_size=n, max_size=n))
        )
    if w is not None and not (w > 0).any():
        w[0] = 1
    return y, scores, w


def _sklearn_counts(y, scores, w, t):
    tn, fp, fn, tp = confusion_matrix(
        y, (scores >= t).astype(int), labels=[0, 1], sample_weight=w
    ).ravel()
    return tp, fp, fn, tn


@settings(max_examples=120, derandomize=True, deadline=None)
@given(data=scored_samples())
def test_curve_equals_confusion_matrix_at_every_threshold(data):
    """Entry k of the curve is confusion_matrix(y, score >= thresholds[k])."""
    y, scores, w = data
    curve = confusion_curve(y, scores, sample_weight=w)
    for k, t in enumerate(curve.thresholds):
        got = (curve.tp[k], curve.fp[k], curve.fn[k], curve.tn[k])
        assert_allclose(got, _sklearn_counts(y, scores, w, t), atol=1e-9)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(data=scored_samples(), t=st.floats(-1.0, 1.5))
def test_curve_value_between_thresholds_is_the_step_above(data, t):
    """Any threshold gives the counts of the curve point it falls under."""
    y, scores, w = data
    curve = confusion_curve(y, scores, sample_weight=w)
    got = values_at(curve.thresholds, np.vstack(curve.counts), np.array([t]))[:, 0]
    assert_allclose(got, _sklearn_counts(y, scores, w, t), atol=1e-9)


@settings(max_examples=80, derandomize=True, deadline=None)
@given(data=scored_samples())
def test_curve_thresholds_are_inf_then_distinct_scores_decreasing(data):
    """+inf first (predict nothing), then each distinct score once, decreasing."""
    y, scores, w = data
    curve = confusion_curve(y, scores, sample_weight=w)
    assert curve.thresholds[0] == np.inf
    assert_array_equal(curve.thresholds[1:], np.unique(scores)[::-1])
    assert len(curve) == len(curve.tp) == len(curve.fp) == len(curve.fn)
    assert len(curve.tn) == len(curve)
    # predict nothing, then everything
    total = np.ones(len(y)) if w is None else w
    assert_allclose(curve.tp[0] + curve.fp[0], 0.0)
    assert_allclose(curve.tp[-1] + curve.fp[-1], total.sum())


@settings(max_examples=80, derandomize=True, deadline=None)
@given(data=scored_samples(weights="int"))
def test_integer_weights_equal_repeated_rows(data):
    """Weight k gives the counts of the row repeated k times (0: dropped)."""
    y, scores, w = data
    weighted = confusion_curve(y, scores, sample_weight=w)
    repeated = confusion_curve(np.repeat(y, w), np.repeat(scores, w))
    # zero weights drop rows, and so maybe distinct scores: compare at the
    # repeated data's thresholds
    at = repeated.thresholds
    assert_allclose(
        values_at(weighted.thresholds, np.vstack(weighted.counts), at),
        np.vstack(repeated.counts),
    )
    if (w > 0).all():
        assert_array_equal(weighted.thresholds, repeated.thresholds)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(data=scored_samples())
def test_positive_sum_sums_values_over_predicted_positives(data):
    """positive_sum(v)[k] is the sum of v over scores >= thresholds[k]."""
    y, scores, w = data
    curve = confusion_curve(y, scores, sample_weight=w)
    values = np.arange(len(y), dtype=float) ** 1.5
    expected = [values[scores >= t].sum() for t in curve.thresholds]
    assert_allclose(curve.positive_sum(values), expected)


@settings(max_examples=80, derandomize=True, deadline=None)
@given(data=scored_samples(weights="none"))
def test_sweep_without_index_sort_equals_the_indexed_sweep(data):
    """The unweighted fast path (value sorts and a merge) gives the same curve,
    and its lazily sorted positive_sum too."""
    y, scores, _ = data
    y_pos = y == 1
    indexed = _sweep(y_pos, scores.astype(float))
    fast = _sweep(y_pos, scores.astype(float), keep_order=False)
    for name in ("thresholds", "tp", "fp", "fn", "tn"):
        assert_array_equal(getattr(fast, name), getattr(indexed, name))
    values = np.arange(len(y), dtype=float) ** 1.5
    assert_allclose(fast.positive_sum(values), indexed.positive_sum(values))


def _reference_sweep(y_pos, scores, w=None):
    """The obvious engine: one index sort, cumulative sums at group ends."""
    order = np.argsort(scores, kind="stable")[::-1]
    s, y = scores[order], y_pos[order]
    w = np.ones(len(s)) if w is None else np.asarray(w, dtype=float)[order]
    ends = np.append(np.flatnonzero(s[1:] != s[:-1]), len(s) - 1)
    tp = np.concatenate(([0.0], np.cumsum(np.where(y, w, 0.0))[ends]))
    fp = np.concatenate(([0.0], np.cumsum(np.where(y, 0.0, w))[ends]))
    return np.concatenate(([np.inf], s[ends] + 0.0)), tp, fp


# zeros of both signs, subnormals, huge values, negatives: the key tricks'
# edge cases
_EDGE_SCORES = [-0.0, 0.0, 5e-324, -5e-324, 1e-300, 0.5, 1.0, 1e300, -1.0, -2.5]


@st.composite
def edge_samples(draw):
    """Labels and scores drawn from the edge values, with ties of both labels."""
    n = draw(st.integers(1, 40))
    y = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    signs = draw(st.sampled_from(["non-negative", "negative", "mixed"]))
    pool = [
        v
        for v in _EDGE_SCORES
        if signs == "mixed" or (v >= 0) == (signs == "non-negative")
    ]
    scores = np.array(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)))
    return y, scores


@settings(max_examples=150, derandomize=True, deadline=None)
@given(data=edge_samples(), keep_order=st.booleans())
def test_unweighted_engine_equals_the_obvious_sweep_bit_for_bit(data, keep_order):
    """The value-sort engine gives the index-sort engine's arrays exactly:
    -0.0 and +0.0 are one score (shown as +0.0), subnormals and negatives
    are their own scores, both labels may share a score."""
    y_pos, scores = data
    thresholds, tp, fp = _reference_sweep(y_pos, scores)
    curve = _sweep(y_pos, scores, keep_order=keep_order)
    assert_array_equal(curve.thresholds, thresholds)
    assert not np.signbit(curve.thresholds[curve.thresholds == 0]).any()
    assert_array_equal(curve.tp, tp)
    assert_array_equal(curve.fp, fp)
    assert_array_equal(curve.fn, tp[-1] - tp)
    assert_array_equal(curve.tn, fp[-1] - fp)
    values = np.linspace(-1.0, 2.0, len(y_pos)) ** 3
    expected = [values[scores >= t].sum() for t in thresholds]
    assert_allclose(curve.positive_sum(values), expected, atol=1e-12)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(data=scored_samples())
def test_public_curve_equals_the_obvious_sweep(data):
    """confusion_curve (weighted or not, zeros included) equals the obvious
    computation; shifting the scores negative changes nothing but them."""
    y, scores, w = data
    thresholds, tp, fp = _reference_sweep(y == 1, scores, w)
    for shift in (0.0, -10.0):
        curve = confusion_curve(y, scores + shift, sample_weight=w)
        assert_array_equal(curve.thresholds, thresholds + shift)
        if w is None:
            assert_array_equal(curve.tp, tp)
            assert_array_equal(curve.fp, fp)
        else:
            assert_allclose(curve.tp, tp, rtol=1e-12)
            assert_allclose(curve.fp, fp, rtol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 70_000, 140_001])
def test_value_sort_engine_across_block_boundaries(n):
    """Scans in blocks give the same curve whether or not a run of equal
    scores straddles a block boundary."""
    rng = np.random.default_rng(n)
    scores = np.round(rng.random(n), 3)
    scores[: n // 2] = np.sort(scores[: n // 2])  # long runs
    y_pos = rng.random(n) < 0.3
    thresholds, tp, fp = _reference_sweep(y_pos, scores)
    curve = _sweep(y_pos, scores)
    assert_array_equal(curve.thresholds, thresholds)
    assert_array_equal(curve.tp, tp)
    assert_array_equal(curve.fp, fp)


@pytest.mark.parametrize(
    "y, scores, thresholds, tp, fp",
    [
        # one sample
        ([1], [0.3], [np.inf, 0.3], [0, 1], [0, 0]),
        ([0], [0.3], [np.inf, 0.3], [0, 0], [0, 1]),
        # one class only: the curve is still defined
        ([0, 0, 0], [0.1, 0.5, 0.5], [np.inf, 0.5, 0.1], [0, 0, 0], [0, 2, 3]),
        ([1, 1], [0.2, 0.9], [np.inf, 0.9, 0.2], [0, 1, 2], [0, 0, 0]),
        # constant scores: two operating points, nothing or everything
        ([0, 1, 1, 0], [0.5] * 4, [np.inf, 0.5], [0, 2], [0, 2]),
    ],
)
def test_curve_on_degenerate_inputs(y, scores, thresholds, tp, fp):
    """One sample, one class or constant scores give a valid curve."""
    curve = confusion_curve(y, scores)
    assert_array_equal(curve.thresholds, thresholds)
    assert_array_equal(curve.tp, tp)
    assert_array_equal(curve.fp, fp)
    assert_array_equal(curve.fn, curve.tp[-1] - curve.tp)
    assert_array_equal(curve.tn, curve.fp[-1] - curve.fp)


@pytest.mark.parametrize(
    "y, pos_label, expected_tp",
    [
        (["no", "yes", "yes", "no"], "yes", [0, 1, 2, 2, 2]),
        (["no", "yes", "yes", "no"], "no", [0, 0, 0, 1, 2]),
        ([False, True, True, False], None, [0, 1, 2, 2, 2]),
        ([-1, 1, 1, -1], None, [0, 1, 2, 2, 2]),
        ([0, 1, 1, 0], 0, [0, 0, 0, 1, 2]),
    ],
)
def test_curve_pos_label(y, pos_label, expected_tp):
    """pos_label picks which class counts as positive (strings, booleans, -1/1)."""
    curve = confusion_curve(y, [0.1, 0.9, 0.8, 0.3], pos_label=pos_label)
    assert_array_equal(curve.tp, expected_tp)


@pytest.mark.parametrize("y", [["no", "yes", "yes", "no"], [3, 7, 7, 3], [1, 2, 2, 1]])
def test_curve_ambiguous_labels_need_pos_label(y):
    """Labels other than {0, 1}, {-1, 1}, {False, True} name their positive class."""
    with pytest.raises(ValueError, match="`pos_label` must be given when the labels"):
        confusion_curve(y, [0.1, 0.9, 0.8, 0.3])


def test_curve_accepts_column_vectors_and_lists():
    """A (n, 1) column and plain lists are accepted as 1-D inputs."""
    curve = confusion_curve(np.array([[0], [1]]), np.array([[0.2], [0.7]]))
    assert_array_equal(curve.tp, [0, 1, 1])


def test_curve_repr_and_counts():
    """The repr gives the size; counts is (tp, fp, fn, tn)."""
    curve = confusion_curve([0, 1, 1], [0.1, 0.2, 0.2])
    assert repr(curve) == "ConfusionCurve(n_thresholds=3)"
    assert all(
        a is b for a, b in zip(curve.counts, (curve.tp, curve.fp, curve.fn, curve.tn))
    )


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(y_true=[0, 1, 2], y_score=[0.1, 0.2, 0.3]), ValueError, "must be binary"),
        (dict(y_true=[], y_score=[]), ValueError, "at least one sample"),
        (dict(y_true=[0, 1], y_score=[0.1]), ValueError, r"one entry per sample \(2\)"),
        (
            dict(y_true=[0, 1], y_score=[0.1, np.nan]),
            ValueError,
            "must be finite. Got 1 NaN",
        ),
        (dict(y_true=[0, 1], y_score=[np.inf, 0.1]), ValueError, "must be finite"),
        (dict(y_true=[0, 1], y_score=["a", "b"]), TypeError, "must be numeric"),
        (
            dict(y_true=[0, 1], y_score=[[0.1, 0.2], [0.3, 0.4]]),
            ValueError,
            "one-dimensional",
        ),
        (
            dict(y_true=[0, np.nan], y_score=[0.1, 0.2]),
            ValueError,
            "must not contain NaN",
        ),
        (
            dict(y_true=["a", "b"], y_score=[0.1, 0.2], pos_label="c"),
            ValueError,
            r"`pos_label` must be one of the labels \['a', 'b'\]. Got 'c'",
        ),
        (
            dict(y_true=["a", "a"], y_score=[0.1, 0.2]),
            ValueError,
            "`pos_label` must be given",
        ),
        (
            dict(y_true=np.array([0, "a"], dtype=object), y_score=[0.1, 0.2]),
            TypeError,
            "mutually comparable",
        ),
        (
            dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=[1, -1]),
            ValueError,
            "must be non-negative. Got a minimum of -1",
        ),
        (
            dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=[0, 0]),
            ValueError,
            "must not be all zero",
        ),
        (
            dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=[1, np.nan]),
            ValueError,
            "must be finite",
        ),
        (
            dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=[1]),
            ValueError,
            r"`sample_weight` must have one entry per sample \(2\). Got 1",
        ),
        (
            dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=["a", "b"]),
            TypeError,
            "must be numeric",
        ),
    ],
)
def test_confusion_curve_rejects_bad_input(kwargs, error, message):
    """Each bad input is refused with the rule and what was received."""
    with pytest.raises(error, match=message):
        confusion_curve(**kwargs)
