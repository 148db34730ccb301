"""Multiclass confusion-matrix formulas, vectorised over stacks of matrices.

The binary formulas in :mod:`skeval._core._formulas` take the four counts;
these take whole ``K x K`` confusion matrices ``M[..., true, pred]`` (weighted),
stacked along leading axes, so the offset tuner can score every candidate
offset of one coordinate step in one call. Zero denominators count as 0, as in
the binary formulas.
"""

import numpy as np

from ._formulas import _ratio

__all__ = ["MULTICLASS_FORMULAS", "confusion_stack"]


def _diag(M):
    return np.diagonal(M, axis1=-2, axis2=-1)


def accuracy(M):
    return _ratio(_diag(M).sum(-1), M.sum((-2, -1)))


def balanced_accuracy(M):
    # mean recall over the classes present in y_true, as scikit-learn does
    support = M.sum(-1)
    recalls = _ratio(_diag(M), support)
    present = support > 0
    return _ratio((recalls * present).sum(-1), present.sum(-1))


def f1_macro(M):
    # averaged over the classes present in y_true or y_pred, as scikit-learn does
    tp = _diag(M)
    den = M.sum(-1) + M.sum(-2)
    present = den > 0
    return _ratio((_ratio(2 * tp, den) * present).sum(-1), present.sum(-1))


def matthews_corrcoef(M):
    # Gorodkin's R_K statistic, the multiclass MCC of scikit-learn
    t = M.sum(-1)  # true counts per class
    p = M.sum(-2)  # predicted counts per class
    c = _diag(M).sum(-1)
    s = M.sum((-2, -1))
    cov_ytyp = c * s - (t * p).sum(-1)
    cov_ypyp = s * s - (p * p).sum(-1)
    cov_ytyt = s * s - (t * t).sum(-1)
    return _ratio(cov_ytyp, np.sqrt(cov_ytyt * cov_ypyp))


MULTICLASS_FORMULAS = {
    "accuracy": accuracy,
    "balanced_accuracy": balanced_accuracy,
    "f1_macro": f1_macro,
    "matthews_corrcoef": matthews_corrcoef,
}


def confusion_stack(y_idx, pred_idx, n_classes, sample_weight=None):
    """Weighted confusion matrix ``M[true, pred]`` from encoded labels."""
    flat = np.bincount(
        y_idx * n_classes + pred_idx,
        weights=sample_weight,
        minlength=n_classes * n_classes,
    )
    return flat.reshape(n_classes, n_classes).astype(np.float64)
