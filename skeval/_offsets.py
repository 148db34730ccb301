"""Multiclass operating points: one additive offset per class, tuned exactly.

A multiclass classifier predicts ``argmax_k(score[k] + offset[k])``. The
offsets are tuned by coordinate ascent on the mean objective over validation
folds, and each one-dimensional step is *exact*: as the offset of class ``k``
moves, each sample switches between its best other class and ``k`` at a single
breakpoint, so one sort of the breakpoints gives the objective at every
distinct offset (the same sort-and-cumulate idea as the binary curve).
"""

import numpy as np

from .metrics._multiclass import confusion_stack

__all__ = ["OffsetObjective", "coordinate_curve", "tune_offsets"]

# Offsets whose objective values differ by less than this are ties: the step
# keeps the current offset unless another one is strictly better.
_TOL = 1e-12
# Relative distance under which two breakpoints are taken as equal.
_MERGE = 1e-9
# Margin beyond the outermost breakpoint for the two unbounded end intervals.
_END_MARGIN = 1.0


class OffsetObjective:
    """What the offset tuner maximises on one validation set.

    Exactly one of ``formula`` and ``sample_costs`` is given.

    Parameters
    ----------
    formula : callable, default=None
        ``formula(M) -> values`` on a stack of confusion matrices
        ``M[..., true, pred]`` (see :mod:`skeval.metrics._multiclass`).
    sample_costs : ndarray of shape (n_samples, n_classes), default=None
        Cost of predicting each class for each sample (weights not included);
        the objective is minus the weighted mean cost.
    """

    def __init__(self, formula=None, sample_costs=None):
        if (formula is None) == (sample_costs is None):
            raise ValueError("Give exactly one of `formula` and `sample_costs`.")
        self.formula = formula
        self.sample_costs = sample_costs

    def value(self, y_idx, pred_idx, n_classes, weights):
        """The objective of one prediction (for checks and the start point)."""
        w = np.ones(len(y_idx)) if weights is None else weights
        if self.sample_costs is not None:
            cost = self.sample_costs[np.arange(len(y_idx)), pred_idx]
            return float(-(w * cost).sum() / w.sum())
        return float(self.formula(confusion_stack(y_idx, pred_idx, n_classes, w)))


def _others_best(scores, offsets, k):
    """Best class other than ``k`` and its shifted score, per sample."""
    shifted = scores + offsets
    shifted[:, k] = -np.inf
    best = np.argmax(shifted, axis=1)
    return best, shifted[np.arange(len(best)), best]


def coordinate_curve(scores, y_idx, weights, offsets, k, objective):
    """The objective as a step function of the offset of class ``k``.

    Parameters
    ----------
    scores : ndarray of shape (n_samples, n_classes)
    y_idx : ndarray of shape (n_samples,)
        Encoded true classes.
    weights : ndarray of shape (n_samples,) or None
    offsets : ndarray of shape (n_classes,)
        Current offsets; entry ``k`` is ignored.
    k : int
        The class whose offset moves.
    objective : OffsetObjective

    Returns
    -------
    breakpoints : ndarray of shape (m,)
        Distinct offsets, increasing, at which some sample switches to ``k``.
    values : ndarray of shape (m + 1,)
        ``values[j]``: the objective for an offset strictly between
        ``breakpoints[j - 1]`` and ``breakpoints[j]`` (``values[0]`` below all,
        ``values[m]`` above all). A sample predicts ``k`` iff its breakpoint
        is below the offset.
    """
    n, n_classes = scores.shape
    w = np.ones(n) if weights is None else weights
    rest, rest_score = _others_best(scores, offsets, k)
    cut = rest_score - scores[:, k]
    order = np.argsort(cut, kind="stable")
    cut_sorted = cut[order]
    # Breakpoints that agree up to rounding are one breakpoint: (a + b) - c and
    # (a' + b) - c' may differ in the last bit when their true values are
    # equal, and a candidate offset must never fall between such twins.
    gap = np.diff(cut_sorted) > _MERGE * np.maximum(1.0, np.abs(cut_sorted[1:]))
    ends = np.append(np.flatnonzero(gap), n - 1)
    y_o, r_o, w_o = y_idx[order], rest[order], w[order]
    if objective.sample_costs is not None:
        costs = objective.sample_costs
        base = (w * costs[np.arange(n), rest]).sum()
        delta = w_o * (costs[order, k] - costs[order, r_o])
        total = np.concatenate(([base], base + np.cumsum(delta)[ends]))
        values = -total / w.sum()
    else:
        base = confusion_stack(y_idx, rest, n_classes, w)
        # switching sample i moves its weight from M[y_i, rest_i] to M[y_i, k]
        pair = y_o * n_classes + r_o
        moved = np.zeros((n, n_classes * n_classes))
        moved[np.arange(n), pair] = w_o
        moved = np.cumsum(moved, axis=0)[ends].reshape(-1, n_classes, n_classes)
        stack = np.broadcast_to(base, (len(ends) + 1, n_classes, n_classes)).copy()
        stack[1:] -= moved
        stack[1:, :, k] += moved.sum(axis=2)
        values = objective.formula(stack)
    return cut_sorted[ends], np.asarray(values, dtype=np.float64)


def _candidates(breakpoints):
    """One offset inside every interval between consecutive breakpoints."""
    if len(breakpoints) == 0:
        return np.zeros(1)
    inner = breakpoints[:-1] / 2.0 + breakpoints[1:] / 2.0
    return np.concatenate(
        ([breakpoints[0] - _END_MARGIN], inner, [breakpoints[-1] + _END_MARGIN])
    )


def _fold_value_at(breakpoints, values, offsets):
    # number of breakpoints strictly below each offset = interval index
    return values[np.searchsorted(breakpoints, offsets, side="left")]


def tune_offsets(folds, n_classes, *, max_iter=20):
    """Coordinate ascent on the mean objective over folds.

    Parameters
    ----------
    folds : list of tuple
        ``(scores, y_idx, weights, objective)`` per validation fold.
    n_classes : int
    max_iter : int, default=20
        Maximum number of sweeps over all classes.

    Returns
    -------
    offsets : ndarray of shape (n_classes,)
    score : float
        Mean objective over folds at ``offsets``; never below the value at
        zero offsets (plain argmax), since a step moves only to strictly
        better values.
    n_iter : int
        Sweeps run.
    """
    offsets = np.zeros(n_classes)

    def mean_value(off):
        return float(
            np.mean(
                [
                    obj.value(y, np.argmax(s + off, axis=1), n_classes, w)
                    for s, y, w, obj in folds
                ]
            )
        )

    current = mean_value(offsets)
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        improved = False
        for k in range(n_classes):
            curves = [
                coordinate_curve(s, y, w, offsets, k, obj) for s, y, w, obj in folds
            ]
            union = np.unique(np.concatenate([b for b, _ in curves]))
            cand = _candidates(union)
            mean = np.mean([_fold_value_at(b, v, cand) for b, v in curves], axis=0)
            best = int(np.argmax(mean))
            if mean[best] > current + _TOL * max(1.0, abs(current)):
                offsets[k] = cand[best]
                current = float(mean[best])
                improved = True
        if not improved:
            break
    return offsets, current, n_iter
