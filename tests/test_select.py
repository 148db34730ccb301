"""Selection: constraint mask, argmax, tie rule, midpoint rule, fold merging."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from skeval._core._selection import merge_thresholds, select, values_at

INF = np.inf


def _candidate_of(thresholds, t):
    """Index of the exact-curve candidate whose interval holds threshold t."""
    return int(np.count_nonzero(thresholds >= t)) - 1


@st.composite
def curves(draw):
    """Exact-curve candidates (+inf, then decreasing scores) and values on them."""
    n = draw(st.integers(1, 12))
    scores = np.unique(draw(st.lists(st.integers(-20, 20), min_size=n, max_size=n)))
    thresholds = np.concatenate(([INF], scores[::-1] / 4.0))
    m = len(thresholds)
    objective = np.array(draw(st.lists(st.integers(0, 1), min_size=m, max_size=m)))
    constrained = draw(st.booleans())
    constraint = None
    if constrained:
        values = np.array(
            draw(st.lists(st.integers(0, 4), min_size=m, max_size=m)), dtype=float
        )
        bound = draw(st.sampled_from(["lower", "upper"]))
        limit = draw(st.integers(0, 5))
        constraint = (values / 4, bound, limit / 4)
    return thresholds, objective / 3.0, constraint


@settings(max_examples=200, derandomize=True, deadline=None)
@given(curve=curves())
def test_select_equals_brute_force(curve):
    """The optimum, its run, threshold and reported values, checked by hand."""
    thresholds, objective, constraint = curve
    sel = select(thresholds, objective, constraint=constraint)
    if constraint is None:
        mask = np.ones(len(objective), dtype=bool)
    else:
        values, bound, limit = constraint
        violation = (
            np.maximum(limit - values, 0)
            if bound == "lower"
            else np.maximum(values - limit, 0)
        )
        assert sel.constraint_satisfied == bool((violation == 0).any())
        mask = violation == violation.min()
    best = objective[mask].max()
    good = mask & (objective == best)
    start = int(np.flatnonzero(good)[0])
    stop = start
    while stop + 1 < len(good) and good[stop + 1]:
        stop += 1
    assert (sel.start, sel.stop) == (start, stop)
    # midpoint of (thresholds[stop + 1], thresholds[start]], +-inf at the ends
    if start == 0:
        assert sel.threshold == INF
    elif stop == len(thresholds) - 1:
        assert sel.threshold == -INF
    else:
        assert sel.threshold == (thresholds[start] + thresholds[stop + 1]) / 2
    # the reported values are those of the operating point actually returned
    k = _candidate_of(thresholds, sel.threshold)
    assert start <= k <= stop
    assert sel.score == objective[k]
    if constraint is not None:
        assert sel.constraint_value == constraint[0][k]


def test_select_ties_go_to_the_highest_threshold():
    """Between equally good runs, the first (fewest positives) wins."""
    thresholds = np.array([INF, 0.9, 0.7, 0.5, 0.3])
    sel = select(thresholds, [0.0, 1.0, 0.5, 1.0, 0.2])
    assert (sel.start, sel.stop) == (1, 1)
    assert sel.threshold == pytest.approx(0.8)


def test_select_run_of_equal_candidates_returns_its_midpoint():
    """A run of equally good candidates is one optimal interval."""
    thresholds = np.array([INF, 0.9, 0.7, 0.5, 0.3])
    sel = select(thresholds, [0.0, 1.0, 1.0, 1.0, 0.2])
    assert (sel.start, sel.stop) == (1, 3)
    # the interval (0.3, 0.9]: its middle 0.6 is inside candidate 2 (0.7)
    assert sel.threshold == pytest.approx(0.6)


@pytest.mark.parametrize(
    "objective, threshold",
    [
        ([1.0, 0.5, 0.2], INF),  # predict nothing
        ([0.0, 0.5, 1.0], -INF),  # predict everything
        ([1.0, 1.0, 1.0], INF),  # a flat curve: the first run
    ],
)
def test_select_unbounded_intervals_return_infinities(objective, threshold):
    """An optimal interval open above gives +inf, open below -inf."""
    assert select(np.array([INF, 0.6, 0.2]), objective).threshold == threshold


def test_select_adjacent_floats_keep_the_upper_end():
    """No float lies strictly between two adjacent floats: keep the upper end."""
    high = 0.5
    low = np.nextafter(high, 0.0)
    sel = select(np.array([INF, high, low]), [0.0, 1.0, 0.0])
    assert sel.threshold == high


def test_select_without_midpoint_returns_the_grid_value():
    """On a grid, the threshold is the first best grid value itself."""
    sel = select(np.array([0.9, 0.5, 0.1]), [0.0, 1.0, 1.0], midpoint=False)
    assert sel.threshold == 0.5
    assert sel.score == 1.0


def test_select_constraint_restricts_to_feasible():
    """The objective is maximised over the thresholds meeting the constraint."""
    thresholds = np.array([INF, 0.9, 0.7, 0.5, 0.3])
    objective = [0.0, 0.9, 0.8, 0.6, 0.4]
    recall = np.array([0.0, 0.4, 0.6, 0.9, 1.0])
    sel = select(thresholds, objective, constraint=(recall, "lower", 0.85))
    assert (sel.start, sel.threshold, sel.score) == (3, 0.4, 0.6)
    assert sel.constraint_value == 0.9
    assert sel.constraint_satisfied is True


def test_select_infeasible_constraint_keeps_the_closest():
    """With nothing feasible, the smallest violation is kept and flagged."""
    thresholds = np.array([INF, 0.9, 0.5])
    alert_rate = np.array([0.0, 0.4, 1.0]) + 0.3
    sel = select(thresholds, [0.1, 0.5, 0.9], constraint=(alert_rate, "upper", 0.1))
    assert sel.start == 0
    assert sel.constraint_satisfied is False
    assert sel.constraint_value == pytest.approx(0.3)


def test_select_tolerates_rounding_in_fold_means():
    """A constraint met up to rounding of a mean counts as met."""
    recall = np.array([0.0, np.mean([0.9, 1.0]) - 1e-16, 1.0])
    sel = select(
        np.array([INF, 0.6, 0.2]), [0.0, 0.9, 0.5], constraint=(recall, "lower", 0.95)
    )
    assert sel.start == 1
    assert sel.constraint_satisfied


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    scores=st.lists(st.integers(-10, 10), min_size=1, max_size=15),
    at=st.lists(st.integers(-12, 12).map(lambda v: v / 2), min_size=1, max_size=10),
)
def test_values_at_reads_the_operating_point_under_each_threshold(scores, at):
    """values_at(t) is the value of "predict positive iff score >= t"."""
    scores = np.asarray(scores, dtype=float)
    thresholds = np.concatenate(([INF], np.unique(scores)[::-1]))
    n_positive = np.array([np.count_nonzero(scores >= t) for t in thresholds])
    at = np.concatenate((np.asarray(at), [INF, -INF]))
    expected = [np.count_nonzero(scores >= t) for t in at]
    assert_array_equal(values_at(thresholds, n_positive, at), expected)


def test_values_at_keeps_leading_axes():
    """Rows of values (e.g. the four counts) are looked up together."""
    thresholds = np.array([INF, 0.8, 0.2])
    values = np.array([[0, 1, 2], [10, 11, 12]])
    assert_array_equal(values_at(thresholds, values, [0.5, 0.9]), [[1, 0], [11, 10]])


def test_merge_thresholds_is_the_union_of_breakpoints():
    """+inf, then every fold's distinct scores once, decreasing."""
    merged = merge_thresholds([np.array([INF, 0.9, 0.4]), np.array([INF, 0.6, 0.4])])
    assert_array_equal(merged, [INF, 0.9, 0.6, 0.4])


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    folds=st.lists(
        st.lists(st.integers(0, 8), min_size=1, max_size=8), min_size=1, max_size=4
    ),
    t=st.integers(-1, 9),
)
def test_mean_of_folds_is_a_step_function_on_the_merged_thresholds(folds, t):
    """Each fold's curve read at the merged candidates equals it at any t."""
    curves = []
    for scores in folds:
        scores = np.asarray(scores, dtype=float)
        thresholds = np.concatenate(([INF], np.unique(scores)[::-1]))
        curves.append((thresholds, np.arange(len(thresholds), dtype=float) ** 2))
    merged = merge_thresholds([c[0] for c in curves])
    mean = np.mean([values_at(c[0], c[1], merged) for c in curves], axis=0)
    direct = np.mean([values_at(c[0], c[1], [t - 0.5])[0] for c in curves])
    assert_allclose(values_at(merged, mean, [t - 0.5])[0], direct)


def test_select_refuses_nan_objective_values():
    """A NaN objective cannot be ranked: a clear error, not a silent pick."""
    with pytest.raises(ValueError, match=r"Got 1 NaN value\(s\) out of 3"):
        select(np.array([INF, 0.6, 0.2]), [0.0, np.nan, 0.5])


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    folds=st.lists(
        st.lists(st.integers(-6, 6), min_size=1, max_size=10), min_size=1, max_size=5
    )
)
def test_merge_thresholds_equals_sorted_union(folds):
    """Merging sorted runs gives np.unique's answer, +inf first."""
    curves = [
        np.concatenate(([INF], np.unique(np.asarray(s, dtype=float))[::-1]))
        for s in folds
    ]
    expected = np.concatenate(([INF], np.unique(np.concatenate(folds))[::-1]))
    assert_array_equal(merge_thresholds(curves), expected)
