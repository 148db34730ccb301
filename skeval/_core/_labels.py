"""Label checks and encoding for the metrics on predicted labels.

scikit-learn's ``confusion_matrix`` sorts both label arrays and builds a sparse
matrix; at a million labels that is most of a metric's time. Here the labels
are encoded to integer codes in linear time when they are small integers (the
common case: ``{0, 1}``, class indices), and by one ``np.unique`` otherwise; the
weighted confusion matrix is then a single ``np.bincount``.
"""

import numpy as np

from ..utils._validation import _as_1d, check_weights, resolve_pos_label

__all__ = [
    "binary_classes",
    "check_label_pair",
    "check_labels_param",
    "check_same_kind",
    "encode_labels",
    "present_labels",
    "union_labels",
]

# Integer labels spanning at most this many values are encoded with a lookup
# table instead of a sort.
_MAX_TABLE = 1 << 16


def _check_labels(y, name):
    y = _as_1d(y, name)
    if y.size == 0:
        raise ValueError(f"`{name}` must hold at least one sample. Got 0.")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError(f"`{name}` must not contain NaN or infinity.")
        if (y != np.floor(y)).any():
            raise ValueError(
                f"`{name}` must hold class labels, not continuous values. Got "
                f"non-integer floats such as {y[y != np.floor(y)][0]!r}; threshold "
                "scores into labels first (or use a metric on scores)."
            )
    return y


def check_label_pair(y_true, y_pred, sample_weight=None):
    """Validate true and predicted labels and their weights.

    Returns
    -------
    y_true, y_pred : ndarray of shape (n_samples,)
    sample_weight : ndarray of shape (n_samples,) or None
    """
    y_true = _check_labels(y_true, "y_true")
    y_pred = _check_labels(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            "`y_true` and `y_pred` must have the same length. Got "
            f"{len(y_true)} and {len(y_pred)}."
        )
    numeric = {y.dtype.kind in "biuf" for y in (y_true, y_pred)}
    if len(numeric) == 2:
        raise TypeError(
            "`y_true` and `y_pred` must hold the same kind of labels (both numbers "
            f"or both strings). Got dtypes {y_true.dtype} and {y_pred.dtype}."
        )
    return y_true, y_pred, check_weights(sample_weight, n_samples=len(y_true))


def _unique_inverse(y):
    """Sorted distinct values of ``y`` and the index of each entry among them."""
    if y.dtype.kind == "b":
        y = y.view(np.uint8)
        present = np.bincount(y, minlength=2) > 0
        values = np.flatnonzero(present).astype(bool)
        return values, (np.cumsum(present) - 1)[y]
    if y.dtype.kind in "iu" or (y.dtype.kind == "f" and len(y) > 0):
        lo, hi = y.min(), y.max()
        if hi - lo < _MAX_TABLE:
            offset = y if (lo == 0 and y.dtype == np.intp) else (y - lo).astype(np.intp)
            present = np.bincount(offset, minlength=int(hi - lo) + 1) > 0
            values = (np.flatnonzero(present) + lo).astype(y.dtype)
            return values, (np.cumsum(present) - 1)[offset]
    try:
        return np.unique(y, return_inverse=True)
    except TypeError:
        raise TypeError(
            "Labels must be mutually comparable (all numbers or all strings). Got "
            f"a mix of {sorted({type(v).__name__ for v in y})}."
        ) from None


def present_labels(y):
    """Sorted distinct values of ``y``; linear time for small integer labels."""
    if y.dtype.kind == "b":
        return np.flatnonzero(np.bincount(y.view(np.uint8), minlength=2)).astype(bool)
    # integers only: float labels may hold fractions, which a table would merge
    if y.dtype.kind in "iu" and y.size:
        lo, hi = y.min(), y.max()
        if hi - lo < _MAX_TABLE:
            offset = y if (lo == 0 and y.dtype == np.intp) else (y - lo).astype(np.intp)
            return (np.flatnonzero(np.bincount(offset)) + lo).astype(y.dtype)
    try:
        return np.unique(y)
    except TypeError:
        raise TypeError(
            "Labels must be mutually comparable (all numbers or all strings). Got "
            f"a mix of {sorted({type(v).__name__ for v in y})}."
        ) from None


def union_labels(y_true, y_pred):
    """Sorted union of the labels of both arrays."""
    return _union(present_labels(y_true), present_labels(y_pred))


def _union(u_true, u_pred):
    """Sorted union of two sorted label sets (booleans stay booleans)."""
    try:
        classes = np.union1d(u_true, u_pred)
    except TypeError:
        raise TypeError(
            "`y_true` and `y_pred` labels must be mutually comparable."
        ) from None
    if u_true.dtype.kind == "b" and u_pred.dtype.kind == "b":
        classes = classes.astype(bool)
    return classes


def encode_labels(y_true, y_pred, labels=None):
    """Integer codes of both label arrays over one list of classes.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples,)
        Checked labels (see :func:`check_label_pair`).
    labels : array-like or None
        The classes, in the order of the codes. None: the sorted union of the
        labels present in ``y_true`` and ``y_pred``.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
    y_idx, p_idx : ndarray of int of shape (n_samples,)
        ``classes[y_idx] == y_true`` and ``classes[p_idx] == y_pred``.
    """
    u_true, inv_true = _unique_inverse(y_true)
    u_pred, inv_pred = _unique_inverse(y_pred)
    if labels is None:
        classes = _union(u_true, u_pred)
        return (
            classes,
            np.searchsorted(classes, u_true)[inv_true],
            np.searchsorted(classes, u_pred)[inv_pred],
        )
    classes = check_labels_param(labels)
    check_same_kind(classes, y_true)
    order = np.argsort(classes, kind="stable")
    sorted_classes = classes[order]
    codes = []
    for name, present, inv in (
        ("y_true", u_true, inv_true),
        ("y_pred", u_pred, inv_pred),
    ):
        pos = np.searchsorted(sorted_classes, present)
        pos = np.minimum(pos, len(sorted_classes) - 1)
        unknown = sorted_classes[pos] != present
        if unknown.any():
            raise ValueError(
                f"Every label in `{name}` must be one of `labels` "
                f"{classes.tolist()}. Got {present[unknown][:10].tolist()}."
            )
        codes.append(order[pos][inv])
    return classes, codes[0], codes[1]


def check_labels_param(labels):
    """Validate a ``labels`` parameter: one-dimensional, non-empty, distinct."""
    classes = np.asarray(labels)
    if classes.ndim != 1 or classes.size == 0:
        raise ValueError(
            "`labels` must be a non-empty one-dimensional list of classes. "
            f"Got {labels!r}."
        )
    if len(np.unique(classes)) != len(classes):
        raise ValueError(f"`labels` must not repeat a class. Got {classes.tolist()}.")
    return classes


def check_same_kind(labels, y):
    """``labels`` and ``y`` both hold numbers, or both hold strings/objects."""
    if (labels.dtype.kind in "biuf") != (y.dtype.kind in "biuf"):
        raise TypeError(
            "`labels` must hold the same kind of labels as `y_true` and `y_pred` "
            f"(numbers or strings). Got {labels.tolist()!r} for labels of dtype "
            f"{y.dtype}."
        )


def binary_classes(y_true, y_pred, pos_label, *, owner="A binary problem", advice=""):
    """The (at most two) labels of a binary problem and its positive class.

    Returns
    -------
    classes : ndarray of shape (1,) or (2,)
    pos_label : the positive class (:func:`resolve_pos_label`: one of the
        labels, or the absent half of {0, 1} or {-1, 1}; None: by the rule)
    """
    classes = union_labels(y_true, y_pred)
    if len(classes) > 2:
        raise ValueError(
            f"{owner} needs at most two labels in `y_true` and `y_pred`. Got "
            f"{len(classes)}: {classes[:10].tolist()}.{advice}"
        )
    return classes, resolve_pos_label(classes, pos_label)
