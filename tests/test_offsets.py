"""The multiclass offset engine against brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    matthews_corrcoef,
)

from skeval._core._multiclass import MULTICLASS_FORMULAS
from skeval._offsets import (
    OffsetObjective,
    _candidates,
    _fold_value_at,
    coordinate_curve,
    tune_offsets,
)

SKLEARN = {
    "accuracy": lambda y, p, w: accuracy_score(y, p, sample_weight=w),
    "balanced_accuracy": lambda y, p, w: balanced_accuracy_score(y, p, sample_weight=w),
    "f1_macro": lambda y, p, w: f1_score(y, p, average="macro", sample_weight=w),
    "matthews_corrcoef": lambda y, p, w: matthews_corrcoef(y, p, sample_weight=w),
}


@st.composite
def problems(draw):
    """Scores with ties (rounded), every class present, positive weights."""
    n_classes = draw(st.integers(2, 4))
    n = draw(st.integers(n_classes, 40))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    scores = np.round(rng.normal(size=(n, n_classes)), draw(st.integers(0, 2)))
    y = np.concatenate(
        [np.arange(n_classes), rng.integers(0, n_classes, n - n_classes)]
    )
    weights = rng.integers(1, 4, n).astype(float) if draw(st.booleans()) else None
    offsets = np.round(rng.normal(size=n_classes), 1)
    costs = rng.integers(0, 5, (n_classes, n_classes)) * (1 - np.eye(n_classes))
    return scores, y, weights, offsets, costs, n_classes


def _brute(scores, y, w, offsets, k, candidates, metric):
    out = []
    for c in candidates:
        off = offsets.copy()
        off[k] = c
        out.append(metric(y, np.argmax(scores + off, axis=1), w))
    return np.array(out)


@pytest.mark.parametrize("name", sorted(MULTICLASS_FORMULAS))
@settings(max_examples=25, deadline=None, derandomize=True)
@given(problem=problems())
def test_coordinate_step_equals_brute_force_scan(name, problem):
    """Each exact coordinate step equals sklearn's metric at every candidate offset."""
    scores, y, w, offsets, _, n_classes = problem
    objective = OffsetObjective(formula=MULTICLASS_FORMULAS[name])
    for k in range(n_classes):
        breakpoints, values = coordinate_curve(scores, y, w, offsets, k, objective)
        cand = _candidates(breakpoints)
        expected = _brute(scores, y, w, offsets, k, cand, SKLEARN[name])
        assert_allclose(_fold_value_at(breakpoints, values, cand), expected, atol=1e-12)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(problem=problems())
def test_coordinate_step_with_costs_equals_brute_force(problem):
    """Cost objectives: minus the weighted mean cost at every candidate offset."""
    scores, y, w, offsets, costs, n_classes = problem
    objective = OffsetObjective(sample_costs=costs[y])

    def neg_cost(yt, yp, ww):
        ww = np.ones(len(yt)) if ww is None else ww
        return -(ww * costs[yt, yp]).sum() / ww.sum()

    for k in range(n_classes):
        breakpoints, values = coordinate_curve(scores, y, w, offsets, k, objective)
        cand = _candidates(breakpoints)
        expected = _brute(scores, y, w, offsets, k, cand, neg_cost)
        assert_allclose(_fold_value_at(breakpoints, values, cand), expected, atol=1e-12)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(problem=problems(), name=st.sampled_from(sorted(MULTICLASS_FORMULAS)))
def test_tuned_offsets_never_worse_than_argmax(problem, name):
    """Coordinate ascent starts at argmax and only accepts strict improvements."""
    scores, y, w, _, _, n_classes = problem
    objective = OffsetObjective(formula=MULTICLASS_FORMULAS[name])
    half = len(y) // 2
    folds = [
        (scores[:half], y[:half], None if w is None else w[:half], objective),
        (scores[half:], y[half:], None if w is None else w[half:], objective),
    ]
    offsets, score, _ = tune_offsets(folds, n_classes)
    baseline = np.mean(
        [obj.value(yy, np.argmax(s, axis=1), n_classes, ww) for s, yy, ww, obj in folds]
    )
    achieved = np.mean(
        [
            obj.value(yy, np.argmax(s + offsets, axis=1), n_classes, ww)
            for s, yy, ww, obj in folds
        ]
    )
    assert score >= baseline - 1e-12
    assert_allclose(score, achieved, atol=1e-12)


def test_binary_offsets_reproduce_threshold_decisions():
    """Two classes: offset b on class 1 is the threshold -b on the score margin."""
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(200, 2))
    y = (scores[:, 1] - scores[:, 0] + rng.normal(scale=1.0, size=200) > 0.7).astype(
        int
    )
    objective = OffsetObjective(formula=MULTICLASS_FORMULAS["accuracy"])
    offsets, score, _ = tune_offsets([(scores, y, None, objective)], 2)
    margin = scores[:, 1] - scores[:, 0]
    threshold = offsets[0] - offsets[1]
    by_offsets = np.argmax(scores + offsets, axis=1)
    by_threshold = (margin > threshold).astype(int)
    np.testing.assert_array_equal(by_offsets, by_threshold)
    # and it is the best accuracy any threshold on the margin reaches
    cuts = np.sort(margin)
    best = max(
        accuracy_score(y, margin > t) for t in np.concatenate(([cuts[0] - 1], cuts))
    )
    assert_allclose(score, best)


def test_offset_objective_needs_exactly_one_definition():
    """formula and sample_costs are exclusive."""
    with pytest.raises(ValueError, match="exactly one of"):
        OffsetObjective()
    with pytest.raises(ValueError, match="exactly one of"):
        OffsetObjective(formula=len, sample_costs=np.zeros((1, 2)))


def _mcc_problem(seed):
    rng = np.random.default_rng(seed)
    n = 60
    y = rng.integers(0, 3, n)
    scores = rng.normal(size=(n, 3)) + 1.2 * np.eye(3)[y]
    return scores, y, rng.uniform(0.5, 2.0, n)


@pytest.mark.parametrize("seed", range(12))
def test_mcc_ascent_with_fractional_weights_stops_only_at_a_coordinate_optimum(seed):
    """Issue 11: a NaN in an MCC coordinate curve won argmax and the step was
    skipped. The ascent stops only where no single offset move improves."""
    scores, y, w = _mcc_problem(seed)
    objective = OffsetObjective(formula=MULTICLASS_FORMULAS["matthews_corrcoef"])
    offsets, score, n_iter = tune_offsets([(scores, y, w, objective)], 3, max_iter=50)
    assert n_iter < 50
    for k in range(3):
        breakpoints, values = coordinate_curve(scores, y, w, offsets, k, objective)
        assert np.isfinite(values).all()
        cand = _candidates(breakpoints)
        best = _brute(scores, y, w, offsets, k, cand, SKLEARN["matthews_corrcoef"])
        assert best.max() <= score + 1e-9


def test_mcc_of_a_one_class_prediction_is_zero_with_fractional_weights():
    """The MCC variance terms cannot round below zero (no NaN from sqrt)."""
    M = np.zeros((3, 3))
    M[:, 1] = [1.213, 1.459 + 1.087, 1.87 + 1.632]  # everything predicted class 1
    assert MULTICLASS_FORMULAS["matthews_corrcoef"](M) == 0.0


def test_per_fold_offsets_with_one_fold_reuse_the_ascent(monkeypatch):
    """cv='prefit' (one fold): fold offsets come without a second ascent."""
    import skeval._offsets as O

    scores, y, w = _mcc_problem(0)
    objective = OffsetObjective(formula=MULTICLASS_FORMULAS["accuracy"])
    calls = []
    real = O._ascend
    monkeypatch.setattr(O, "_ascend", lambda *a: calls.append(1) or real(*a))
    offsets, score, _, fold_offsets = tune_offsets(
        [(scores, y, w, objective)], 3, per_fold=True
    )
    assert len(calls) == 1
    np.testing.assert_array_equal(fold_offsets, offsets[None, :])
    folds = [
        (scores[:30], y[:30], w[:30], objective),
        (scores[30:], y[30:], w[30:], objective),
    ]
    _, _, _, fold_offsets = tune_offsets(folds, 3, per_fold=True)
    assert len(calls) == 4 and fold_offsets.shape == (2, 3)
    np.testing.assert_array_equal(fold_offsets[1], tune_offsets(folds[1:], 3)[0])


@pytest.mark.parametrize("name", sorted(MULTICLASS_FORMULAS))
def test_coordinate_step_in_small_blocks_equals_one_block(monkeypatch, name):
    """The blocked cumulation gives the same curve whatever the block size."""
    import skeval._offsets as O

    rng = np.random.default_rng(3)
    scores = np.round(rng.normal(size=(200, 5)), 1)
    y = rng.integers(0, 5, 200)
    w = rng.uniform(0.1, 2.0, 200)
    objective = OffsetObjective(formula=MULTICLASS_FORMULAS[name])
    offsets = rng.normal(size=5)
    whole = coordinate_curve(scores, y, w, offsets, 2, objective)
    monkeypatch.setattr(O, "_BLOCK_CELLS", 35)  # blocks of 7 samples
    blocked = coordinate_curve(scores, y, w, offsets, 2, objective)
    np.testing.assert_array_equal(whole[0], blocked[0])
    assert_allclose(whole[1], blocked[1], atol=1e-12)


def test_offsets_never_sit_on_a_breakpoint_twin():
    """Regression (thorough profile): two folds' rounding twins of one
    breakpoint must not put a candidate offset on the breakpoint itself."""
    S = np.array(
        [[0.2, -0.5], [-0.4, -2.4], [1.8, 1.1], [-0.3, 0.8], [0.3, -0.6],
         [1.0, -0.3], [-0.3, -0.8], [0.5, -0.1], [0.5, -0.6], [0.1, -0.9],
         [0.8, 0.2], [0.3, 0.4], [-1.0, 0.8], [2.1, -1.6], [-1.7, -1.5],
         [0.8, 0.1], [1.1, 0.7], [0.2, 0.3], [-0.2, 0.9], [-1.1, -0.4]]
    )  # fmt: skip
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0])
    w = np.array([2, 1, 2, 3, 2, 2, 1, 3, 1, 3, 2, 2, 3, 3, 3, 2, 1, 3, 3, 2.0])
    obj = OffsetObjective(formula=MULTICLASS_FORMULAS["balanced_accuracy"])
    folds = [(S[:10], y[:10], w[:10], obj), (S[10:], y[10:], w[10:], obj)]
    offsets, score, _ = tune_offsets(folds, 2)
    achieved = np.mean(
        [o.value(yy, np.argmax(s + offsets, axis=1), 2, ww) for s, yy, ww, o in folds]
    )
    assert_allclose(score, achieved, atol=1e-12)
