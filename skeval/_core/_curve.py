"""The curve: weighted confusion counts at every distinct score.

scikit-learn computes the same counts in a private helper and, publicly, only
from 1.8 on (``confusion_matrix_at_thresholds``). skeval needs more than the
four counts: per-sample costs must be cumulated along the *same* sort order
(no second sort per metric), and the "predict nothing" operating point must be
part of the curve. So the sweep is written here, once: one sort, cumulative
sums, and the last index of each group of equal scores.
"""

from numbers import Real

import numpy as np

from ..utils._sklearn_compat import HasMethods, validate_params
from ..utils._validation import check_binary_target, check_scores, check_weights

__all__ = ["ConfusionCurve", "confusion_curve"]


class ConfusionCurve:
    """Weighted confusion counts at every distinct score of one validation set.

    Do not build it directly; use :func:`confusion_curve` (or
    :meth:`CountTable.curve <skeval.metrics.CountTable.curve>`).

    Entry ``k`` of each array describes the operating point "predict positive
    iff ``score >= thresholds[k]``". ``thresholds[0]`` is ``+inf`` (nothing is
    predicted positive); the other entries are the distinct scores in
    decreasing order, so the last one predicts everything positive. Every
    threshold ``t`` with ``thresholds[k + 1] < t <= thresholds[k]`` gives the
    same predictions as ``thresholds[k]``.

    Attributes
    ----------
    thresholds : ndarray of shape (n_thresholds,)
        ``+inf`` followed by the distinct scores, decreasing (a zero score is
        ``+0.0``, whatever the sign of the zeros it stands for).
    tp, fp, fn, tn : ndarray of shape (n_thresholds,)
        Weighted true positives, false positives, false negatives and true
        negatives at each threshold (``fn`` and ``tn`` are computed when first
        read).
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
        *,
        y_pos=None,
        sample_weight=None,
        order=None,
        group_ends=None,
        scores=None,
    ):
        self.thresholds = thresholds
        self.tp = tp
        self.fp = fp
        self.y_pos = y_pos
        self.sample_weight = sample_weight
        self._order = order
        self._group_ends = group_ends
        self._scores = scores
        self._fn = self._tn = None

    @property
    def fn(self):
        if self._fn is None:
            self._fn = self.tp[-1] - self.tp
        return self._fn

    @property
    def tn(self):
        if self._tn is None:
            self._tn = self.fp[-1] - self.fp
        return self._tn

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

        The first call sorts the samples' indices once (unless the curve
        already holds that order); later calls reuse it, so each per-sample
        cost costs one gather and one cumulative sum, not another sort.

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
        if self._group_ends is None:
            # unweighted counts: tp + fp samples score >= each threshold
            self._group_ends = (self.tp[1:] + self.fp[1:]).astype(np.intp) - 1
        cum = np.cumsum(np.asarray(values, dtype=np.float64)[self._order])
        return np.concatenate(([0.0], cum[self._group_ends]))


# Keys are scanned in blocks of this many: the temporaries of each pass stay
# in cache, and memory stays O(block) beyond the keys and the outputs.
_BLOCK = 1 << 16


def _sorted_keys(y_pos, y_score):
    """One value sort of integer keys: score bits shifted left, label below.

    A non-negative float64's bit pattern, read as an unsigned integer, orders
    like its value. Shifted left one place (which drops the sign bit, so
    ``-0.0`` becomes ``+0.0``) it frees the lowest bit for the label; one
    ``np.sort`` of these keys sorts the scores, a score's negatives before
    its positives. The counts then follow from linear scans, with no index
    sort.
    """
    key = y_score.view(np.uint64) << np.uint64(1)
    key |= y_pos
    key.sort()
    # the last key of each distinct score: the score bits change after it
    last = np.empty(len(key), dtype=bool)
    last[-1] = True
    for start in range(0, len(key) - 1, _BLOCK):
        stop = min(start + _BLOCK, len(key) - 1)
        diff = key[start:stop] ^ key[start + 1 : stop + 1]
        np.greater(diff, 1, out=last[start:stop])
    return key, last


def _fill_groups(key, last, scores, ends, positives):
    """Per distinct score, increasing: its value, and the samples and the
    positives up to its last key (cumulative), written into the outputs."""
    done = 0
    n_pos = 0
    for start in range(0, len(key), _BLOCK):
        block = key[start : start + _BLOCK]
        local = np.flatnonzero(last[start : start + _BLOCK])
        stop = done + len(local)
        scores.view(np.uint64)[done:stop] = block[local] >> np.uint64(1)
        ends[done:stop] = local + (start + 1)
        cum = np.cumsum(block & np.uint64(1))
        positives[done:stop] = cum[local] + n_pos
        n_pos += int(cum[-1])
        done = stop


def _groups(y_pos, y_score):
    """Distinct non-negative scores (increasing), cumulative samples and
    cumulative positives at each."""
    if len(y_score) == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    key, last = _sorted_keys(y_pos, y_score)
    n_groups = int(np.count_nonzero(last))
    out = np.empty(n_groups), np.empty(n_groups), np.empty(n_groups)
    _fill_groups(key, last, *out)
    return out


def _to_decreasing(asc, total, out=None):
    """Cumulative counts up to each score (increasing scores) -> counts from
    each score up (decreasing scores): ``total`` minus the counts below.
    ``out`` may be ``asc`` itself."""
    out = np.empty_like(asc) if out is None else out
    np.subtract(total, asc[-2::-1], out=out[:-1])
    out[-1:] = total
    return out


def _value_sorted_curve(y_pos, y_score):
    """Thresholds, tp and fp from value sorts only.

    Non-negative scores (probabilities) write their counts straight into the
    curve's arrays (peak memory: the keys, one flag per sample and the three
    outputs). Negative scores are sorted apart, by absolute value.
    """
    if y_score.min() < 0:
        negative = y_score < 0
        high = _groups(y_pos[~negative], y_score[~negative])
        low = _groups(y_pos[negative], -y_score[negative])
        del negative
        n_high = high[1][-1] if len(high[1]) else 0.0
        p_high = high[2][-1] if len(high[2]) else 0.0
        thresholds = np.concatenate(([np.inf], high[0][::-1], -low[0]))
        tp = np.concatenate(([0.0], _to_decreasing(high[2], p_high), p_high + low[2]))
        fp = np.concatenate(([0.0], _to_decreasing(high[1], n_high), n_high + low[1]))
        fp -= tp
        return thresholds, tp, fp
    key, last = _sorted_keys(y_pos, y_score)
    n_groups = int(np.count_nonzero(last))
    thresholds, tp, fp = (np.empty(n_groups + 1) for _ in range(3))
    _fill_groups(key, last, thresholds[1:], fp[1:], tp[1:])
    del key, last
    thresholds[0] = np.inf
    thresholds[1:] = thresholds[:0:-1]
    fp[0] = tp[0] = 0.0
    _to_decreasing(fp[1:], fp[-1], out=fp[1:])
    _to_decreasing(tp[1:], tp[-1], out=tp[1:])
    fp -= tp
    return thresholds, tp, fp


def _sweep(y_pos, y_score, sample_weight=None, *, keep_order=False):
    """The curve from validated inputs: a boolean target and finite scores.

    Unweighted, by value sorts of integer keys (:func:`_value_sorted_curve`);
    weighted (or with ``keep_order=True``), by one index sort and cumulative
    sums of the sorted weights. O(n log n) time either way. Without the index
    sort, :meth:`ConfusionCurve.positive_sum` sorts once when first called,
    with the same result as ``keep_order=True``.
    """
    if y_pos.dtype != np.bool_:
        y_pos = y_pos.astype(bool)
    if sample_weight is None and not keep_order:
        return ConfusionCurve(
            *_value_sorted_curve(y_pos, y_score), y_pos=y_pos, scores=y_score
        )
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
    thresholds = np.concatenate(([np.inf], sorted_scores[group_ends] + 0.0))
    return ConfusionCurve(
        thresholds,
        np.concatenate(([0.0], tp)),
        np.concatenate(([0.0], fp)),
        y_pos=y_pos,
        sample_weight=sample_weight,
        order=order,
        group_ends=group_ends,
        scores=y_score,
    )


_LAZY = HasMethods(["__dask_graph__", "to_delayed"])  # a dask collection


@validate_params(
    {
        "y_true": ["array-like", _LAZY],
        "y_score": ["array-like", _LAZY],
        "pos_label": [Real, str, "boolean", None],
        "sample_weight": ["array-like", _LAZY, None],
    },
    prefer_skip_nested_validation=True,
)
def confusion_curve(y_true, y_score, *, pos_label=None, sample_weight=None):
    """Weighted confusion counts at every distinct score, in O(n log n).

    Read more in the :ref:`User Guide <curve>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels. A dask array or dask DataFrame column (with
        ``y_score`` likewise) is counted partition by partition into
        :class:`CountTable` objects merged in a tree, without gathering the
        rows (see :ref:`scaling`).
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
    from ._lazy import is_lazy, lazy_table  # imports dask only for dask input

    if is_lazy(y_true, y_score, sample_weight):
        table = lazy_table(
            y_true, y_score, pos_label=pos_label, sample_weight=sample_weight
        )
        return table.curve()
    y_pos, _ = check_binary_target(y_true, pos_label=pos_label)
    y_score = check_scores(y_score, n_samples=len(y_pos))
    sample_weight = check_weights(sample_weight, n_samples=len(y_pos))
    return _sweep(y_pos, y_score, sample_weight)
