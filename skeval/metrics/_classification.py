"""Label metrics that scikit-learn lacks: specificity, NPV, the error rates,
G-mean and Youden's J.

Each one is a count formula of :mod:`skeval._core._formulas` applied to the
weighted confusion counts, so the label metric, its scorer and the tuner's
curve compute the very same number. A ratio with a zero denominator counts as
0, as in scikit-learn (without its warning).
"""

from numbers import Real

import numpy as np

from .._core import _formulas as F
from .._core._counts import binary_counts, label_counts, one_vs_rest
from .._core._labels import (
    binary_classes,
    check_label_pair,
    check_labels_param,
    check_same_kind,
    encode_labels,
)
from .._core._objective import CountObjective, register_curve_metric
from ..utils._sklearn_compat import StrOptions, validate_params

__all__ = [
    "specificity_score",
    "npv_score",
    "fpr_loss",
    "fnr_loss",
    "g_mean_score",
    "youden_score",
]

_AVERAGES = ("binary", "micro", "macro", "weighted")

_PARAMS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "labels": ["array-like", None],
    "pos_label": [Real, str, "boolean", None],
    "average": [StrOptions(set(_AVERAGES)), None],
    "sample_weight": ["array-like", None],
}


def _count_score(name, y_true, y_pred, labels, pos_label, average, sample_weight):
    """Apply the count formula ``name`` to the weighted confusion counts."""
    formula = F.get_count_metric(name)
    y_true, y_pred, sample_weight = check_label_pair(y_true, y_pred, sample_weight)
    if average == "binary":
        _, pos_label = binary_classes(
            y_true,
            y_pred,
            pos_label,
            owner="average='binary'",
            advice=" Choose average='macro', 'weighted', 'micro' or None for a "
            "multiclass target.",
        )
        counts = binary_counts(y_true == pos_label, y_pred == pos_label, sample_weight)
        return float(formula(*counts))

    if labels is None:
        classes, y_idx, p_idx = encode_labels(y_true, y_pred)
        chosen = np.arange(len(classes))
    else:
        labels = np.asarray(labels)
        classes, y_idx, p_idx = encode_labels(
            y_true, y_pred, labels=_with_present(labels, y_true, y_pred)
        )
        chosen = np.arange(len(labels))  # labels come first in the classes
    M = label_counts(y_idx, p_idx, len(classes), sample_weight)
    tp, fp, fn, tn = (c[chosen] for c in one_vs_rest(M))
    if average == "micro":
        return float(formula(tp.sum(), fp.sum(), fn.sum(), tn.sum()))
    per_class = formula(tp, fp, fn, tn)
    if average is None:
        return per_class
    if average == "macro":
        return float(per_class.mean())
    support = tp + fn
    if support.sum() == 0:
        return 0.0
    return float(np.average(per_class, weights=support))


def _with_present(labels, y_true, y_pred):
    """``labels`` followed by the other labels present, for the full matrix.

    Samples whose class is outside ``labels`` still count (as false positives
    or negatives of the chosen classes), as in scikit-learn.
    """
    labels = check_labels_param(labels)
    check_same_kind(labels, y_true)
    try:
        present = np.union1d(y_true, y_pred)
        rest = present[~np.isin(present, labels)]
        return np.concatenate([labels, rest])
    except TypeError:
        raise TypeError(
            "`labels` must be comparable with the labels of `y_true` and `y_pred`. "
            f"Got {labels.tolist()!r}."
        ) from None


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def specificity_score(
    y_true, y_pred, *, labels=None, pos_label=None, average="binary", sample_weight=None
):
    """Specificity (true negative rate): ``tn / (tn + fp)``.

    The share of actual negatives predicted negative; the recall of the
    negative class.

    Read more in the :ref:`User Guide <label_metrics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        The classes to report when ``average`` is not ``"binary"``, and their
        order when it is None. Default: the sorted labels present in ``y_true``
        and ``y_pred``. Ignored with ``average="binary"``.
    pos_label : int, float, bool or str, default=None
        The positive class when ``average="binary"``. None: ``1`` (or
        ``True``) for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the
        greater of the two labels.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the metric of ``pos_label``. Otherwise each class is
        scored one-vs-rest, then ``None`` returns the per-class values,
        ``"macro"`` their mean, ``"weighted"`` their mean weighted by each
        class's (weighted) support, ``"micro"`` the metric of the summed
        one-vs-rest counts.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; every count is a sum of weights, so integer
        weights give the value of the repeated rows.

    Returns
    -------
    specificity : float or ndarray of shape (n_labels,)
        Between 0 and 1, greater is better. An array when ``average=None``.

    See Also
    --------
    npv_score : Negative predictive value.
    fpr_loss : False positive rate, ``1 - specificity``.
    sklearn.metrics.recall_score : Sensitivity, the positive counterpart.

    Examples
    --------
    >>> from skeval.metrics import specificity_score
    >>> y_true, y_pred = [0, 0, 0, 1, 1], [0, 1, 0, 1, 0]
    >>> round(specificity_score(y_true, y_pred), 3)
    0.667
    >>> specificity_score(y_true, y_pred, sample_weight=[1, 2, 1, 1, 1])
    0.5
    >>> specificity_score([0, 1, 2, 2], [0, 2, 1, 2], average=None)
    array([1.        , 0.66666667, 0.5       ])
    """
    return _count_score(
        "specificity", y_true, y_pred, labels, pos_label, average, sample_weight
    )


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def npv_score(
    y_true, y_pred, *, labels=None, pos_label=None, average="binary", sample_weight=None
):
    """Negative predictive value: ``tn / (tn + fn)``.

    The share of negative predictions that are right; the precision of the
    negative class.

    Read more in the :ref:`User Guide <label_metrics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        The classes to report when ``average`` is not ``"binary"``, and their
        order when it is None. Default: the sorted labels present in ``y_true``
        and ``y_pred``. Ignored with ``average="binary"``.
    pos_label : int, float, bool or str, default=None
        The positive class when ``average="binary"``. None: ``1`` (or
        ``True``) for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the
        greater of the two labels.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the metric of ``pos_label``. Otherwise each class is
        scored one-vs-rest, then ``None`` returns the per-class values,
        ``"macro"`` their mean, ``"weighted"`` their mean weighted by each
        class's (weighted) support, ``"micro"`` the metric of the summed
        one-vs-rest counts.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; every count is a sum of weights, so integer
        weights give the value of the repeated rows.

    Returns
    -------
    npv : float or ndarray of shape (n_labels,)
        Between 0 and 1, greater is better. An array when ``average=None``.

    See Also
    --------
    specificity_score : True negative rate.
    sklearn.metrics.precision_score : The positive counterpart.

    Examples
    --------
    >>> from skeval.metrics import npv_score
    >>> round(npv_score([0, 0, 0, 1, 1], [0, 1, 0, 1, 0]), 3)
    0.667
    """
    return _count_score(
        "npv", y_true, y_pred, labels, pos_label, average, sample_weight
    )


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def fpr_loss(
    y_true, y_pred, *, labels=None, pos_label=None, average="binary", sample_weight=None
):
    """False positive rate (fall-out): ``fp / (fp + tn)``.

    The share of actual negatives flagged positive, ``1 - specificity``. A
    loss: lower is better (its scorer is ``"neg_fpr_loss"``).

    Read more in the :ref:`User Guide <label_metrics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        The classes to report when ``average`` is not ``"binary"``, and their
        order when it is None. Default: the sorted labels present in ``y_true``
        and ``y_pred``. Ignored with ``average="binary"``.
    pos_label : int, float, bool or str, default=None
        The positive class when ``average="binary"``. None: ``1`` (or
        ``True``) for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the
        greater of the two labels.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the metric of ``pos_label``. Otherwise each class is
        scored one-vs-rest, then ``None`` returns the per-class values,
        ``"macro"`` their mean, ``"weighted"`` their mean weighted by each
        class's (weighted) support, ``"micro"`` the metric of the summed
        one-vs-rest counts.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; every count is a sum of weights, so integer
        weights give the value of the repeated rows.

    Returns
    -------
    fpr : float or ndarray of shape (n_labels,)
        Between 0 and 1, lower is better. An array when ``average=None``.

    See Also
    --------
    fnr_loss : False negative rate.
    sklearn.metrics.roc_curve : The false positive rate at every threshold.

    Examples
    --------
    >>> from skeval.metrics import fpr_loss
    >>> round(fpr_loss([0, 0, 0, 1, 1], [0, 1, 0, 1, 0]), 3)
    0.333
    """
    return _count_score(
        "fpr", y_true, y_pred, labels, pos_label, average, sample_weight
    )


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def fnr_loss(
    y_true, y_pred, *, labels=None, pos_label=None, average="binary", sample_weight=None
):
    """False negative rate (miss rate): ``fn / (fn + tp)``.

    The share of actual positives missed, ``1 - recall``. A loss: lower is
    better (its scorer is ``"neg_fnr_loss"``).

    Read more in the :ref:`User Guide <label_metrics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        The classes to report when ``average`` is not ``"binary"``, and their
        order when it is None. Default: the sorted labels present in ``y_true``
        and ``y_pred``. Ignored with ``average="binary"``.
    pos_label : int, float, bool or str, default=None
        The positive class when ``average="binary"``. None: ``1`` (or
        ``True``) for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the
        greater of the two labels.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the metric of ``pos_label``. Otherwise each class is
        scored one-vs-rest, then ``None`` returns the per-class values,
        ``"macro"`` their mean, ``"weighted"`` their mean weighted by each
        class's (weighted) support, ``"micro"`` the metric of the summed
        one-vs-rest counts.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; every count is a sum of weights, so integer
        weights give the value of the repeated rows.

    Returns
    -------
    fnr : float or ndarray of shape (n_labels,)
        Between 0 and 1, lower is better. An array when ``average=None``.

    See Also
    --------
    fpr_loss : False positive rate.
    sklearn.metrics.det_curve : Both error rates at every threshold.

    Examples
    --------
    >>> from skeval.metrics import fnr_loss
    >>> fnr_loss([0, 0, 0, 1, 1], [0, 1, 0, 1, 0])
    0.5
    """
    return _count_score(
        "fnr", y_true, y_pred, labels, pos_label, average, sample_weight
    )


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def g_mean_score(
    y_true, y_pred, *, labels=None, pos_label=None, average="binary", sample_weight=None
):
    """Geometric mean of recall and specificity: ``sqrt(tpr * tnr)``.

    High only when both classes are recognised; 0 when either is always
    missed.

    Read more in the :ref:`User Guide <label_metrics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        The classes to report when ``average`` is not ``"binary"``, and their
        order when it is None. Default: the sorted labels present in ``y_true``
        and ``y_pred``. Ignored with ``average="binary"``.
    pos_label : int, float, bool or str, default=None
        The positive class when ``average="binary"``. None: ``1`` (or
        ``True``) for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the
        greater of the two labels.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the metric of ``pos_label``. Otherwise each class is
        scored one-vs-rest, then ``None`` returns the per-class values,
        ``"macro"`` their mean, ``"weighted"`` their mean weighted by each
        class's (weighted) support, ``"micro"`` the metric of the summed
        one-vs-rest counts.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; every count is a sum of weights, so integer
        weights give the value of the repeated rows.

    Returns
    -------
    g_mean : float or ndarray of shape (n_labels,)
        Between 0 and 1, greater is better. An array when ``average=None``.

    See Also
    --------
    youden_score : Their sum minus one.
    sklearn.metrics.balanced_accuracy_score : Their arithmetic mean.

    Notes
    -----
    With an ``average`` other than ``"binary"``, each class's G-mean is that
    of its one-vs-rest problem; imbalanced-learn's multiclass G-mean is the
    geometric mean of the per-class recalls instead, a different number.

    Examples
    --------
    >>> from skeval.metrics import g_mean_score
    >>> round(g_mean_score([0, 0, 0, 1, 1], [0, 1, 0, 1, 0]), 3)
    0.577
    """
    return _count_score(
        "g_mean", y_true, y_pred, labels, pos_label, average, sample_weight
    )


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def youden_score(
    y_true, y_pred, *, labels=None, pos_label=None, average="binary", sample_weight=None
):
    """Compute Youden's J statistic (informedness): ``recall + specificity - 1``.

    0 for a prediction that ignores the input, 1 for a perfect one, negative
    for one worse than chance. It equals scikit-learn's
    ``balanced_accuracy_score(adjusted=True)`` on binary problems.

    Read more in the :ref:`User Guide <label_metrics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        The classes to report when ``average`` is not ``"binary"``, and their
        order when it is None. Default: the sorted labels present in ``y_true``
        and ``y_pred``. Ignored with ``average="binary"``.
    pos_label : int, float, bool or str, default=None
        The positive class when ``average="binary"``. None: ``1`` (or
        ``True``) for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the
        greater of the two labels.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the metric of ``pos_label``. Otherwise each class is
        scored one-vs-rest, then ``None`` returns the per-class values,
        ``"macro"`` their mean, ``"weighted"`` their mean weighted by each
        class's (weighted) support, ``"micro"`` the metric of the summed
        one-vs-rest counts.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; every count is a sum of weights, so integer
        weights give the value of the repeated rows.

    Returns
    -------
    j : float or ndarray of shape (n_labels,)
        Between -1 and 1, greater is better. An array when ``average=None``.

    See Also
    --------
    g_mean_score : The geometric mean of recall and specificity.

    Examples
    --------
    >>> from skeval.metrics import youden_score
    >>> round(youden_score([0, 0, 0, 1, 1], [0, 1, 0, 1, 0]), 3)
    0.167
    """
    return _count_score(
        "youden", y_true, y_pred, labels, pos_label, average, sample_weight
    )


class _Adapter:
    """Turns a scorer's keyword arguments into a :class:`CountObjective`."""

    def __init__(self, name):
        self.name = name

    def __call__(self, kwargs):
        kwargs = dict(kwargs)
        pos_label = kwargs.pop("pos_label", None)
        if kwargs.pop("average", "binary") != "binary":
            return None
        if kwargs.pop("labels", None) is not None:
            return None
        if kwargs:
            return None
        return CountObjective(F.get_count_metric(self.name), pos_label=pos_label)


for _func, _name in [
    (specificity_score, "specificity"),
    (npv_score, "npv"),
    (fpr_loss, "fpr"),
    (fnr_loss, "fnr"),
    (g_mean_score, "g_mean"),
    (youden_score, "youden"),
]:
    register_curve_metric(_func, _Adapter(_name))
