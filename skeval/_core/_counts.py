"""Weighted label counts: the one builder of confusion matrices from labels.

Every count on predicted labels (the label metrics, ``diagnose``, the cost of a
prediction, the multiclass offset tuner) comes from :func:`label_counts`: one
``np.bincount`` of the cell codes ``true * K + pred``. Two rules hold for
every count it returns:

* a count is a sum of non-negative weights, never a difference of float sums,
  so it is never negative and is exactly 0 when its cell is empty (the
  one-vs-rest counts of :func:`one_vs_rest` subtract only what rounding keeps
  non-negative);
* a sum too large for a float is an error, not ``inf`` or ``nan``.
"""

import numpy as np

__all__ = ["binary_counts", "check_finite_sums", "label_counts", "one_vs_rest"]


def check_finite_sums(sums, what="weighted counts"):
    """Raise a ``ValueError`` when a sum overflowed to infinity."""
    with np.errstate(over="ignore"):
        total = np.abs(sums).sum()  # every formula adds counts: so must this
    if not np.isfinite(total):
        raise ValueError(
            f"The {what} must be finite: their sums overflow the largest float "
            f"({np.finfo(np.float64).max:.3g}). Rescale `sample_weight` (or the "
            "per-sample values) to smaller numbers."
        )
    return sums


def label_counts(y_idx, p_idx, n_classes, weights=None, *, what="weighted counts"):
    """Weighted confusion matrix ``M[true, pred]`` of encoded labels.

    Parameters
    ----------
    y_idx, p_idx : ndarray of int of shape (n_samples,)
        True and predicted classes, as indices in ``range(n_classes)``.
    n_classes : int
    weights : ndarray of shape (n_samples,), default=None
        The weight of each sample (None: 1). Per-sample values (a cost amount
        times the weight) give per-cell sums instead of counts.
    what : str, default="weighted counts"
        What the sums are, for the overflow message.

    Returns
    -------
    M : ndarray of float64 of shape (n_classes, n_classes)
    """
    codes = np.asarray(y_idx, dtype=np.intp) * n_classes + p_idx
    flat = np.bincount(codes, weights=weights, minlength=n_classes * n_classes)
    M = flat.reshape(n_classes, n_classes).astype(np.float64, copy=False)
    return check_finite_sums(M, what)


def binary_counts(y_pos, pred_pos, sample_weight=None):
    """Weighted ``(tp, fp, fn, tn)`` of boolean truths and predictions.

    Returns
    -------
    tp, fp, fn, tn : float
    """
    y_pos = np.asarray(y_pos, dtype=bool)
    pred_pos = np.asarray(pred_pos, dtype=bool)
    if sample_weight is None:
        # integer counts: differences of integers are exact
        tp = int(np.count_nonzero(y_pos & pred_pos))
        n_true, n_pred = np.count_nonzero(y_pos), np.count_nonzero(pred_pos)
        tn = len(y_pos) - n_true - n_pred + tp
        return float(tp), float(n_pred - tp), float(n_true - tp), float(tn)
    M = label_counts(y_pos.view(np.uint8), pred_pos.view(np.uint8), 2, sample_weight)
    return float(M[1, 1]), float(M[0, 1]), float(M[1, 0]), float(M[0, 0])


def one_vs_rest(M):
    """The one-vs-rest ``(tp, fp, fn, tn)`` of every class of a confusion matrix.

    Each count is a sum of cells, taken so that rounding never makes it
    negative: a rounded sum of non-negative numbers is at least each of its
    terms, so ``row_sum - cell`` is non-negative, and exactly 0 when the rest
    of the row is empty.

    Parameters
    ----------
    M : ndarray of shape (n_classes, n_classes)
        Non-negative weighted counts ``M[true, pred]``.

    Returns
    -------
    tp, fp, fn, tn : ndarray of shape (n_classes,)
    """
    tp = np.diagonal(M).copy()
    rows, cols = M.sum(axis=1), M.sum(axis=0)
    # rest[i, k]: weight of true class i predicted anything but k
    rest = rows[:, None] - M
    np.fill_diagonal(rest, 0.0)
    tn = rest.sum(axis=0)  # true class not k, predicted not k
    return tp, cols - tp, rows - tp, tn
