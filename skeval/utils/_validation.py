"""Input checks shared by the metrics and the estimators.

Each check raises a ``ValueError`` or ``TypeError`` that states the rule and
then what it received.
"""

import numbers

import numpy as np

__all__ = [
    "check_binary_labels",
    "check_binary_target",
    "check_metadata",
    "check_scores",
    "check_weights",
    "default_pos_label",
    "resolve_pos_label",
]


def _as_1d(values, name):
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(
            f"`{name}` must be one-dimensional (n_samples,). Got shape {arr.shape}."
        )
    return arr


# Label sets whose positive class needs no saying: the greater label (1, True).
_UNAMBIGUOUS = ({0, 1}, {-1, 1})


def default_pos_label(classes, *, symmetric=False):
    """The positive class when none is given.

    ``1`` (or ``True``) for labels within {0, 1}, {-1, 1} or {False, True}. For
    any other labels the positive class must be named: "the greater label"
    makes ``"ok"`` the positive class of ``{"fraud", "ok"}`` without a word.
    ``symmetric=True`` (accuracy, balanced accuracy, MCC, ...: the value does
    not depend on which class is positive) accepts any pair and returns the
    greater label, as scikit-learn's response values do.
    """
    classes = list(classes)
    if 1 <= len(classes) <= 2 and all(
        isinstance(c, (numbers.Integral, np.bool_)) for c in classes
    ):
        as_set = {int(c) for c in classes}
        if any(as_set <= allowed for allowed in _UNAMBIGUOUS):
            return True if any(isinstance(c, (bool, np.bool_)) for c in classes) else 1
    if symmetric and len(classes) == 2:
        return classes[1]
    raise ValueError(
        "`pos_label` must be given when the labels are not {0, 1}, {-1, 1} or "
        "{False, True}: which class is positive is ambiguous otherwise. Got "
        f"labels {classes!r}; pass pos_label=<the positive label>."
    )


def resolve_pos_label(classes, pos_label, *, symmetric=False):
    """The positive class: ``pos_label`` checked against ``classes``, or
    :func:`default_pos_label` when it is None.

    A given ``pos_label`` must be one of ``classes`` (of the labels seen,
    which may be a single class, or of an estimator's ``classes_``).
    """
    classes = np.asarray(classes).tolist()
    if pos_label is None:
        return default_pos_label(classes, symmetric=symmetric)
    if pos_label not in classes and not (
        len(classes) == 1 and _pairs_with(classes[0], pos_label)
    ):
        raise ValueError(
            f"`pos_label` must be one of the labels {classes}. Got {pos_label!r}."
        )
    return pos_label


def _pairs_with(label, pos_label):
    """Whether a one-class target and ``pos_label`` form an unambiguous pair
    ({0, 1}, {-1, 1}, {False, True}): ``y = [0, 0]`` with ``pos_label=1``."""
    try:
        default_pos_label([label, pos_label])
    except (ValueError, TypeError):
        return False
    return label != pos_label


def check_binary_labels(y_true, *, name="y_true"):
    """Validate binary labels; return them 1-D and their sorted classes."""
    y = _as_1d(y_true, name)
    if y.size == 0:
        raise ValueError(f"`{name}` must hold at least one sample. Got 0.")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError(f"`{name}` must not contain NaN or infinity.")
    try:
        from .._core._labels import present_labels  # linear time for integers

        classes = present_labels(y)
    except TypeError:
        raise TypeError(
            f"`{name}` labels must be mutually comparable (all numbers or all "
            f"strings). Got a mix of {sorted({type(v).__name__ for v in y})}."
        ) from None
    if len(classes) > 2:
        raise ValueError(
            f"`{name}` must be binary (at most two classes). Got {len(classes)} "
            f"classes: {classes[:10].tolist()}."
        )
    return y, classes


def check_binary_target(
    y_true, *, pos_label=None, name="y_true", symmetric=False, labels=None
):
    """Validate a binary target and encode it as ``y == pos_label``.

    ``labels``, when given, are the problem's classes (an estimator's
    ``classes_``): ``y`` may then hold only one of them, and ``pos_label`` is
    resolved against them rather than against the labels seen.

    Returns
    -------
    y_pos : ndarray of bool
    pos_label : the positive label used
    """
    y, classes = check_binary_labels(y_true, name=name)
    if labels is not None:
        unknown = sorted(set(classes.tolist()) - set(np.asarray(labels).tolist()))
        if unknown:
            raise ValueError(
                f"Every label of `{name}` must be one of `labels` "
                f"{np.asarray(labels).tolist()}. Got {unknown[:10]}."
            )
        classes = labels
    pos_label = resolve_pos_label(classes, pos_label, symmetric=symmetric)
    return y == pos_label, pos_label


def check_scores(y_score, *, n_samples, name="y_score"):
    """Validate scores: one finite float per sample."""
    scores = _as_1d(y_score, name)
    if scores.dtype.kind not in "biuf":
        raise TypeError(f"`{name}` must be numeric. Got dtype {scores.dtype}.")
    scores = scores.astype(np.float64, copy=False)
    if len(scores) != n_samples:
        raise ValueError(
            f"`{name}` must have one entry per sample ({n_samples}). Got {len(scores)}."
        )
    if not np.isfinite(scores).all():
        bad = int(np.count_nonzero(~np.isfinite(scores)))
        raise ValueError(
            f"`{name}` must be finite. Got {bad} NaN or infinite value(s)."
        )
    return scores


def check_weights(sample_weight, *, n_samples, allow_zero_total=False):
    """Validate sample weights: finite, non-negative, not all zero.

    ``allow_zero_total=True`` accepts weights that are all zero (a chunk of
    a larger data set may weigh nothing). Returns None for None (every
    sample weighs 1).
    """
    if sample_weight is None:
        return None
    w = _as_1d(sample_weight, "sample_weight")
    if w.dtype.kind not in "biuf":
        raise TypeError(f"`sample_weight` must be numeric. Got dtype {w.dtype}.")
    w = w.astype(np.float64, copy=False)
    if len(w) != n_samples:
        raise ValueError(
            f"`sample_weight` must have one entry per sample ({n_samples}). "
            f"Got {len(w)}."
        )
    if not np.isfinite(w).all():
        raise ValueError("`sample_weight` must be finite. Got NaN or infinity.")
    if (w < 0).any():
        raise ValueError(
            "`sample_weight` must be non-negative. "
            f"Got a minimum of {float(w.min())!r}."
        )
    if not allow_zero_total and not (w > 0).any():
        raise ValueError("`sample_weight` must not be all zero.")
    return w


def check_metadata(names, metadata, n_samples, *, owner, caller, example):
    """Validate the per-sample arrays an objective or a cost matrix names.

    Parameters
    ----------
    names : tuple of str
        The names that must be present.
    metadata : dict
        What the caller passed.
    n_samples : int
    owner : str
        What uses the names, for messages (e.g. "`cost_matrix`").
    caller : str
        The function that received them (e.g. "cost_loss").
    example : str
        How to pass a missing array, e.g. ``"cost_loss(..., {name}=...)"``;
        ``{name}`` is replaced by the first missing name.

    Returns
    -------
    checked : dict of str to ndarray of float64
        One finite float per sample for each name.
    """
    metadata = dict(metadata or {})
    unknown = sorted(set(metadata) - set(names))
    if unknown:
        raise ValueError(
            f"{caller} got metadata {unknown} that {owner} does not use; it uses "
            f"{list(names)}."
        )
    missing = [name for name in names if name not in metadata]
    if missing:
        raise ValueError(
            f"{owner} needs the per-sample metadata {missing}: pass it, e.g. "
            f"{example.format(name=missing[0])}."
        )
    checked = {}
    for name in names:
        values = np.asarray(metadata[name])
        if values.ndim != 1 or len(values) != n_samples:
            raise ValueError(
                f"Metadata {name!r} must have one entry per sample ({n_samples}). "
                f"Got shape {values.shape}."
            )
        if values.dtype.kind not in "biuf":
            raise TypeError(
                f"Metadata {name!r} must be numeric. Got dtype {values.dtype}."
            )
        values = values.astype(np.float64, copy=False)
        if not np.isfinite(values).all():
            raise ValueError(f"Metadata {name!r} must be finite. Got NaN or infinity.")
        checked[name] = values
    return checked
