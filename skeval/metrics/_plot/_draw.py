"""Drawing helpers of the displays: lazy matplotlib, styles, decimation, labels."""

import numpy as np

# Bins of the x axis kept when drawing: each keeps at most four points (its
# first, last, lowest and highest), so a line has at most 4 * _DRAW_BINS
# points, and a step drawn through them differs from the full curve by less
# than one bin's width (under a pixel at any usual figure size).
_DRAW_BINS = 2000

_LABELS = {
    "f1": "F1",
    "accuracy": "Accuracy",
    "balanced_accuracy": "Balanced accuracy",
    "matthews_corrcoef": "MCC",
    "jaccard": "Jaccard",
    "cohen_kappa": "Cohen's kappa",
    "youden": "Youden's J",
    "g_mean": "G-mean",
    "precision": "Precision",
    "recall": "Recall",
    "specificity": "Specificity",
    "npv": "NPV",
    "fpr": "False positive rate",
    "fnr": "False negative rate",
    "alert_rate": "Alert rate",
    "cost": "Cost",
}


def _label(name):
    return _LABELS.get(name, name)


def _curve_label(key, is_objective, folds):
    notes = ["objective"] if is_objective else []
    if folds is not None:
        notes.append(f"mean of {len(folds)} folds")
    return _label(key) + (f" ({', '.join(notes)})" if notes else "")


def _import_pyplot(caller):
    """matplotlib.pyplot, or an ImportError that names the ``plot`` extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller} needs matplotlib, an optional dependency of skeval. "
            'Install it with: pip install "skeval[plot]"'
        ) from exc
    return plt


def _style(defaults, user):
    """Merge matplotlib keyword arguments, the user's winning over aliases."""
    from matplotlib.cbook import normalize_kwargs
    from matplotlib.lines import Line2D

    merged = normalize_kwargs(dict(defaults), Line2D)
    merged.update(normalize_kwargs(dict(user or {}), Line2D))
    return merged


def _decimate(x, ys, n_bins=_DRAW_BINS):
    """Indices of the points to draw for the step curves ``ys`` over ``x``.

    ``x`` is monotone. It is cut into ``n_bins`` equal-width bins; each bin
    keeps its first and last point and, for every curve in ``ys``, the first
    point of its minimum and of its maximum. Short curves are kept whole.
    """
    n = len(x)
    if n <= 4 * n_bins:
        return np.arange(n)
    lo, hi = min(x[0], x[-1]), max(x[0], x[-1])
    bins = np.minimum(((x - lo) * (n_bins / (hi - lo))).astype(np.int64), n_bins - 1)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(bins)) + 1))
    run = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n)))
    keep = [starts, np.append(starts[1:], n) - 1]
    for y in ys:
        for extreme in (np.minimum, np.maximum):
            hits = np.flatnonzero(y == extreme.reduceat(y, starts)[run])
            first = np.concatenate(([True], run[hits][1:] != run[hits][:-1]))
            keep.append(hits[first])
    return np.unique(np.concatenate(keep))


def _finite(thresholds):
    """Mask of the finite thresholds (the +inf entry is not drawn)."""
    return np.isfinite(np.asarray(thresholds, dtype=np.float64))
