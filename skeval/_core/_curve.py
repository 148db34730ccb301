"""The curve: weighted confusion counts at every distinct score.

scikit-learn computes the same counts in a private helper and, publicly, only
from 1.8 on (``confusion_matrix_at_thresholds``). skeval needs more than the
four counts: per-sample costs must be cumulated along the *same* sort order
(no second sort per metric), and the "predict nothing" operating point must be
part of the curve. So the sweep is written here, once: one sort, cumulative
sums, and the last index of each group of equal scores.
"""

import numpy as np

from ..utils._validation import check_binary_target, check_scores, check_weights

__all__ = ["ConfusionCurve", "confusion_curve"]


class ConfusionCurve:
    """Weighted confusion counts at every distinct score of one validation set.

    Do not build it directly; use :func:`confusion_curve`.

    Entry ``k`` of each array describes the operating point "predict positive
    iff ``score >= thresholds[k]``". ``thresholds[0]`` is ``+inf`` (nothing is
    predicted positive); the other entries are the distinct scores in
    decreasing order, so the last one predicts everything positive. Every
    threshold ``t`` with ``thresholds[k + 1] < t <= thresholds[k]`` gives the
    same predictions as ``thresholds[k]``.

    Attributes
    ----------
    thresholds : ndarray of shape (n_thresholds,)
        ``+inf`` followed by the distinct scores, decreasing.
    tp, fp, fn, tn : ndarray of shape (n_thresholds,)
        Weighted true positives, false positives, false negatives and true
        negatives at each threshold.
    y_pos : ndarray of bool of shape (n_samples,)
        Which samples are positive, in the order the curve was computed from.
    sample_weight : ndarray of shape (n_samples,) or None
        The weights the counts were computed with (None: every sample weighs
        1). Per-sample values summed with :meth:`positive_sum` are not weighted
        unless multiplied by these first.

    Examples
    --------
    >>> from skeval.metrics import confusion_curve
    >>> curve = confusion_curve([0, 1, 1, 0], [0.2, 0.9, 0.6, 0.6])
    >>> curve
    ConfusionCurve(n_thresholds=4)
    >>> curve.thresholds
    array([inf, 0.9, 0.6, 0.2])
    >>> curve.fn
    array([2., 1., 0., 0.])
    >>> curve.positive_sum([10, 20, 30, 40])  # e.g. amounts of the flagged samples
    array([  0.,  20.,  90., 100.])
    """

    def __init__(
        self,
        thresholds,
        tp,
        fp,
        fn,
        tn,
        order,
        group_ends,
        y_pos=None,
        sample_weight=None,
        scores=None,
    ):
        self.thresholds = thresholds
        self.tp = tp
        self.fp = fp
        self.fn = fn
        self.tn = tn
        self.y_pos = y_pos
        self.sample_weight = sample_weight
        self._order = order
        self._group_ends = group_ends
        self._scores = scores

    def __len__(self):
        return len(self.thresholds)

    def __repr__(self):
        return f"ConfusionCurve(n_thresholds={len(self)})"

    @property
    def counts(self):
        """The tuple ``(tp, fp, fn, tn)``."""
        return self.tp, self.fp, self.fn, self.tn

    def positive_sum(self, values):
        """Sum of per-sample ``values`` over the samples predicted positive.

        This reuses the curve's sort order, so a per-sample cost costs one
        gather and one cumulative sum, not another sort (a curve computed
        with ``keep_order=False`` sorts once more, the first time).

        Parameters
        ----------
        values : array-like of shape (n_samples,)
            One value per sample, in the order the curve was computed from.

        Returns
        -------
        sums : ndarray of shape (n_thresholds,)
            ``sums[k]`` is the sum of ``values`` over the samples whose score is
            ``>= thresholds[k]`` (so ``sums[0] == 0``).
        """
        if self._order is None:
            # any decreasing order of the scores has the same group ends
            self._order = np.argsort(self._scores)[::-1]
        cum = np.cumsum(np.asarray(values, dtype=np.float64)[self._order])
        return np.concatenate(([0.0], cum[self._group_ends]))


def _sorted_counts_only(y_pos, y_score):
    """Decreasing scores and their positive flags, without an index sort.

    Unweighted curves need only the label of each sorted score, not where it
    came from. Sorting the scores of each class by value (no indices) and
    merging the two sorted runs (a stable sort finds the runs, so the merge
    is linear) is about a third faster than one ``np.argsort`` of all scores.
    """
    negatives = np.sort(y_score[~y_pos])
    merged = np.concatenate((negatives, np.sort(y_score[y_pos])))
    source = np.argsort(merged, kind="stable")
    return merged[source][::-1], (source >= len(negatives))[::-1]


def _sweep(y_pos, y_score, sample_weight=None, *, keep_order=True):
    """The curve from validated inputs: a boolean target and finite scores.

    One sort, then one cumulative sum per count; O(n log n) time and a few
    arrays of n numbers in memory. ``keep_order=False`` (unweighted only) may
    skip the index sort; :meth:`ConfusionCurve.positive_sum` then sorts once
    more when first called, so pass True when per-sample sums will be needed.
    """
    order = None
    if sample_weight is None and not keep_order:
        sorted_scores, y_sorted = _sorted_counts_only(y_pos, y_score)
    else:
        order = np.argsort(y_score)[::-1]
        sorted_scores = y_score[order]
        y_sorted = y_pos[order]
    # last index of each run of equal scores (the scores decrease along order)
    group_ends = np.flatnonzero(sorted_scores[1:] != sorted_scores[:-1])
    group_ends = np.append(group_ends, len(sorted_scores) - 1)
    if sample_weight is None:
        tp = np.cumsum(y_sorted, dtype=np.float64)[group_ends]
        fp = (group_ends + 1.0) - tp
    else:
        w_sorted = sample_weight[order]
        tp = np.cumsum(np.where(y_sorted, w_sorted, 0.0))[group_ends]
        fp = np.cumsum(np.where(y_sorted, 0.0, w_sorted))[group_ends]
    tp = np.concatenate(([0.0], tp))
    fp = np.concatenate(([0.0], fp))
    thresholds = np.concatenate(([np.inf], sorted_scores[group_ends]))
    return ConfusionCurve(
        thresholds,
        tp,
        fp,
        tp[-1] - tp,
        fp[-1] - fp,
        order,
        group_ends,
        y_pos=y_pos,
        sample_weight=sample_weight,
        scores=y_score,
    )


def confusion_curve(y_true, y_score, *, pos_label=None, sample_weight=None):
    """Weighted confusion counts at every distinct score, in O(n log n).

    Read more in the :ref:`User Guide <curve>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class: probabilities or decision values. Must be
        finite.
    pos_label : int, float, bool or str, default=None
        The positive class. ``None``: ``1`` (or ``True``) when the labels are
        ``{0, 1}``, ``{-1, 1}`` or booleans, else the greater of the two labels
        (``classes_[1]`` of a fitted classifier).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; every count is a sum of weights.

    Returns
    -------
    curve : ConfusionCurve
        ``curve.thresholds`` is ``+inf`` followed by the distinct scores in
        decreasing order; ``curve.tp``, ``curve.fp``, ``curve.fn`` and
        ``curve.tn`` hold the counts when predicting positive iff
        ``score >= threshold``.

    See Also
    --------
    skeval.metrics.operating_point : Best threshold for an objective.
    sklearn.metrics.precision_recall_curve : Precision and recall only.

    Examples
    --------
    >>> from skeval.metrics import confusion_curve
    >>> curve = confusion_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> curve.thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    >>> curve.tp, curve.fp
    (array([0., 1., 1., 2., 2.]), array([0., 0., 1., 1., 2.]))
    """
    y_pos, _ = check_binary_target(y_true, pos_label=pos_label)
    y_score = check_scores(y_score, n_samples=len(y_pos))
    sample_weight = check_weights(sample_weight, n_samples=len(y_pos))
    return _sweep(y_pos, y_score, sample_weight)
