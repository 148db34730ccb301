"""Multiclass operating points: one additive offset per class, tuned exactly.

A multiclass classifier predicts ``argmax_k(score[k] + offset[k])``. The
offsets are tuned by coordinate ascent on the mean objective over validation
folds, and each one-dimensional step is *exact*: as the offset of class ``k``
moves, each sample switches between its best other class and ``k`` at a single
breakpoint, so one sort of the breakpoints gives the objective at every
distinct offset (the same sort-and-cumulate idea as the binary curve).

Memory: a step needs the scores (``n x K``) and blocks of
``_BLOCK_CELLS`` numbers, never an ``n x K x K`` stack: the formulas read a
confusion matrix through its diagonal and its row and column sums only
(:mod:`skeval._core._multiclass`), and those are cumulated block by block.
"""

import numpy as np

from ._core._counts import label_counts
from ._core._multiclass import MULTICLASS_FORMULAS

__all__ = [
    "MulticlassObjective",
    "OffsetObjective",
    "coordinate_curve",
    "resolve_multiclass_objective",
    "tune_offsets",
]

# Offsets whose objective values differ by less than this are ties: the step
# keeps the current offset unless another one is strictly better.
_TOL = 1e-12
# Relative distance under which two breakpoints are taken as equal.
_MERGE = 1e-9
# Margin beyond the outermost breakpoint for the two unbounded end intervals.
_END_MARGIN = 1.0
# Numbers per block of the cumulated sums of a coordinate step (about 2 MB).
_BLOCK_CELLS = 1 << 18


class OffsetObjective:
    """What the offset tuner maximises on one validation set.

    Exactly one of ``formula`` and ``sample_costs`` is given.

    Parameters
    ----------
    formula : ConfusionFormula, default=None
        A formula of :mod:`skeval._core._multiclass`: callable on a stack of
        confusion matrices ``M[..., true, pred]``, and on their summaries.
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
        return float(self.formula(label_counts(y_idx, pred_idx, n_classes, w)))


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
        values = _formula_values(objective.formula, y_o, r_o, w_o, ends, k, n_classes)
    return cut_sorted[ends], np.asarray(values, dtype=np.float64)


def _formula_values(formula, y_o, r_o, w_o, ends, k, n_classes):
    """A confusion formula before any switch and after each group of switches.

    Candidate ``j`` has switched the sorted samples before ``starts[j]`` to
    class ``k``; the others predict their best other class. So its diagonal
    and predicted counts are a prefix sum (class ``k``) plus suffix sums
    (every other class): sums of non-negative weights, exact zeros where
    nothing is left, computed from the end in blocks of ``_BLOCK_CELLS``.
    """
    n = len(y_o)
    starts = np.concatenate(([0], ends + 1))
    true_counts = np.bincount(y_o, weights=w_o, minlength=n_classes)
    hit = np.where(y_o == r_o, w_o, 0.0)  # right while predicting the other class
    to_k = np.concatenate(([0.0], np.cumsum(w_o)))[starts]
    hit_k = np.concatenate(([0.0], np.cumsum(np.where(y_o == k, w_o, 0.0))))[starts]
    values = np.empty(len(starts))
    carry_p, carry_tp = np.zeros(n_classes), np.zeros(n_classes)
    block = max(1, _BLOCK_CELLS // n_classes)
    hi_cand = len(starts)
    for lo in range(((n - 1) // block) * block, -1, -block):
        hi = min(n, lo + block)
        rows = np.arange(hi - lo)
        pred = np.zeros((hi - lo + 1, n_classes))
        pred[rows, r_o[lo:hi]] = w_o[lo:hi]
        pred = np.cumsum(pred[::-1], axis=0)[::-1] + carry_p  # row i: samples >= lo+i
        tp = np.zeros((hi - lo + 1, n_classes))
        tp[rows, r_o[lo:hi]] = hit[lo:hi]
        tp = np.cumsum(tp[::-1], axis=0)[::-1] + carry_tp
        lo_cand = np.searchsorted(starts, lo, side="left")
        sel = starts[lo_cand:hi_cand] - lo
        p_sel, tp_sel = pred[sel], tp[sel]
        p_sel[:, k] = to_k[lo_cand:hi_cand]
        tp_sel[:, k] = hit_k[lo_cand:hi_cand]
        values[lo_cand:hi_cand] = formula.of_summary(tp_sel, true_counts, p_sel)
        carry_p, carry_tp = pred[0], tp[0]
        hi_cand = lo_cand
    return values


def _distinct(breakpoints):
    """Sorted breakpoints with rounding twins merged, as within one fold.

    Two folds may compute the same breakpoint with a different last bit; a
    candidate between such twins would sit on the breakpoint itself, where
    ``argmax`` breaks the tie differently from the curve.
    """
    if len(breakpoints) < 2:
        return breakpoints
    gap = np.diff(breakpoints) > _MERGE * np.maximum(1.0, np.abs(breakpoints[1:]))
    return breakpoints[np.concatenate(([True], gap))]


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


def tune_offsets(folds, n_classes, *, max_iter=20, per_fold=False):
    """Coordinate ascent on the mean objective over folds.

    Each step moves one class's offset to the best value over every distinct
    offset (exactly, see :func:`coordinate_curve`); the ascent stops when no
    single offset move improves the objective, or after ``max_iter`` sweeps.

    Parameters
    ----------
    folds : list of tuple
        ``(scores, y_idx, weights, objective)`` per validation fold.
    n_classes : int
    max_iter : int, default=20
        Maximum number of sweeps over all classes.
    per_fold : bool, default=False
        Also return each fold's own offsets (an ascent per fold; with one
        fold, the offsets found, without a second ascent).

    Returns
    -------
    offsets : ndarray of shape (n_classes,)
    score : float
        Mean objective over folds at ``offsets``; never below the value at
        zero offsets (plain argmax), since a step moves only to strictly
        better values.
    n_iter : int
        Sweeps run.
    fold_offsets : ndarray of shape (n_folds, n_classes)
        Only when ``per_fold=True``.
    """
    offsets, score, n_iter = _ascend(folds, n_classes, max_iter)
    if not per_fold:
        return offsets, score, n_iter
    if len(folds) == 1:
        return offsets, score, n_iter, offsets[None, :].copy()
    fold_offsets = np.vstack([_ascend([f], n_classes, max_iter)[0] for f in folds])
    return offsets, score, n_iter, fold_offsets


def _ascend(folds, n_classes, max_iter):
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
            union = _distinct(np.unique(np.concatenate([b for b, _ in curves])))
            cand = _candidates(union)
            mean = np.mean([_fold_value_at(b, v, cand) for b, v in curves], axis=0)
            if np.isnan(mean).any():
                raise ValueError(
                    "The multiclass objective is undefined (NaN) at some offsets; "
                    "check the sample weights and per-sample costs for NaN."
                )
            best = int(np.argmax(mean))
            if mean[best] > current + _TOL * max(1.0, abs(current)):
                offsets[k] = cand[best]
                current = float(mean[best])
                improved = True
        if not improved:
            break
    return offsets, current, n_iter


# ---------------------------------------------------------------- objectives
class MulticlassObjective:
    """A multiclass objective, before it meets a fold's labels and metadata.

    Parameters
    ----------
    name : str
    formula : callable or None
        A confusion-matrix formula of :mod:`skeval._core._multiclass`.
    cost_matrix : CostMatrix or None
        A cost matrix (rows: true class, columns: predicted class), with its
        ``labels`` (None: the problem's classes).
    normalize : bool
        Mean cost (True) or total cost.
    """

    pos_label = None
    degenerate = False

    def __init__(self, name, *, formula=None, cost_matrix=None, normalize=True):
        self.name = name
        self.formula = formula
        self.cost_matrix = cost_matrix
        self.normalize = normalize
        self.metadata = () if cost_matrix is None else cost_matrix.names

    def check_classes(self, classes):
        """Raise unless a cost matrix's rows are exactly these classes."""
        if self.cost_matrix is not None:
            self.cost_matrix.bind(classes)

    def for_fold(self, y_idx, classes, metadata, sample_weight):
        """The :class:`OffsetObjective` of one validation fold."""
        if self.cost_matrix is None:
            return OffsetObjective(formula=self.formula)
        cost = self.cost_matrix.bind(classes)
        values = {name: np.asarray(metadata[name], float) for name in cost.names}
        costs = cost.sample_costs(y_idx, values)
        if not self.normalize:
            # a total, not a mean: undo the tuner's division by the weight sum
            total = len(y_idx) if sample_weight is None else sample_weight.sum()
            costs = costs * total
        return OffsetObjective(sample_costs=costs)


_MULTICLASS_NAMES = {
    "f1": "f1_macro",
    "f1_macro": "f1_macro",
    "accuracy": "accuracy",
    "balanced_accuracy": "balanced_accuracy",
    "matthews_corrcoef": "matthews_corrcoef",
}


def _multiclass_from_scorer(scorer):
    from sklearn import metrics as skm

    from .metrics._cost import cost_from_kwargs, cost_loss
    from .utils._sklearn_compat import scorer_parts

    parts = scorer_parts(scorer)
    if parts is None:
        return None
    func, kwargs, sign = parts["score_func"], dict(parts["kwargs"]), parts["sign"]
    if func is cost_loss and sign < 0:
        kwargs.pop("pos_label", None)  # a matrix's cost does not depend on it
        parsed = cost_from_kwargs(kwargs)
        if parsed is None:
            return None
        cost, normalize, _ = parsed
        if cost.named:
            raise ValueError(
                "Named costs (fp=, fn=, tp=, tn=) are for binary targets. On a "
                "multiclass target give make_cost_scorer a K x K cost_matrix with "
                f"labels=[...]. Got {scorer!r}."
            )
        return MulticlassObjective("cost", cost_matrix=cost, normalize=normalize)
    names = {
        skm.accuracy_score: "accuracy",
        skm.balanced_accuracy_score: "balanced_accuracy",
        skm.matthews_corrcoef: "matthews_corrcoef",
        skm.f1_score: "f1_macro",
    }
    name = names.get(func)
    if name is None or sign < 0:
        return None
    if name == "f1_macro" and kwargs.pop("average", None) != "macro":
        return None
    if kwargs.pop("adjusted", False):
        return None
    if kwargs:
        return None
    return MulticlassObjective(name, formula=MULTICLASS_FORMULAS[name])


def resolve_multiclass_objective(objective):
    """The tuner's ``objective`` for a multiclass target.

    Names: ``"f1"`` (macro-averaged on multiclass targets), ``"f1_macro"``,
    ``"accuracy"``, ``"balanced_accuracy"``, ``"matthews_corrcoef"``; scorers
    of those metrics; and cost scorers from ``make_cost_scorer`` with a
    ``K x K`` matrix.
    """
    if isinstance(objective, str) and objective in _MULTICLASS_NAMES:
        name = _MULTICLASS_NAMES[objective]
        return MulticlassObjective(name, formula=MULTICLASS_FORMULAS[name])
    resolved = None
    if isinstance(objective, str):
        from sklearn.metrics import get_scorer

        try:
            resolved = _multiclass_from_scorer(get_scorer(objective))
        except ValueError:
            resolved = None
    elif callable(objective):
        resolved = _multiclass_from_scorer(objective)
    if resolved is None:
        raise ValueError(
            "On a multiclass target, `objective` must be one of "
            f"{sorted(_MULTICLASS_NAMES)}, a scorer of accuracy, balanced accuracy, "
            "macro F1 or MCC, or a make_cost_scorer with one row per class. Got "
            f"{objective!r}."
        )
    return resolved
