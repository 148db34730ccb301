"""Multiclass confusion-matrix formulas, vectorised over stacks of candidates.

The binary formulas in :mod:`skeval._core._formulas` take the four counts.
The multiclass metrics the offset tuner knows (accuracy, balanced accuracy,
macro F1, MCC) depend on a ``K x K`` confusion matrix ``M[true, pred]`` only
through three vectors: the diagonal ``tp``, the true counts ``t`` (row sums)
and the predicted counts ``p`` (column sums). Each formula is written on those
(:meth:`ConfusionFormula.of_summary`), so the offset tuner scores every
candidate offset of a coordinate step from ``O(K)`` numbers per candidate
instead of a ``K x K`` matrix; calling a formula on a stack of matrices
``M[..., true, pred]`` summarises them first. Zero denominators count as 0, as
in the binary formulas. Counts are never negative, and the MCC's variance
terms are written as sums of non-negative products, so rounding cannot make
them negative (no NaN from the square root of a tiny negative number).
"""

import numpy as np

from ._formulas import _ratio

__all__ = ["ConfusionFormula", "MULTICLASS_FORMULAS", "summarise"]


def summarise(M):
    """``(tp, t, p)``: diagonal, row sums and column sums of ``M[..., K, K]``."""
    return np.diagonal(M, axis1=-2, axis2=-1), M.sum(-1), M.sum(-2)


class ConfusionFormula:
    """A multiclass metric of ``(tp, t, p)``, callable on confusion matrices.

    Parameters
    ----------
    name : str
    of_summary : callable
        ``of_summary(tp, t, p) -> values``, each of shape ``(..., K)``
        (broadcast), reducing the last axis.
    """

    def __init__(self, name, of_summary):
        self.name = name
        self.of_summary = of_summary

    def __call__(self, M):
        return self.of_summary(*summarise(np.asarray(M, dtype=np.float64)))

    def __repr__(self):
        return f"ConfusionFormula({self.name!r})"


def _spread(counts):
    """``sum_a counts_a * (total - counts_a)``: ``total**2 - sum counts**2``
    as a sum of non-negative terms (``total >= counts_a`` after rounding)."""
    total = counts.sum(-1, keepdims=True)
    return (counts * (total - counts)).sum(-1)


def _accuracy(tp, t, p):
    return _ratio(tp.sum(-1), np.broadcast_to(t, tp.shape).sum(-1))


def _balanced_accuracy(tp, t, p):
    # mean recall over the classes present in y_true, as scikit-learn does
    recalls = _ratio(tp, t)
    present = np.broadcast_to(t > 0, tp.shape)
    return _ratio((recalls * present).sum(-1), present.sum(-1))


def _f1_macro(tp, t, p):
    # averaged over the classes present in y_true or y_pred, as scikit-learn does
    den = t + p
    present = den > 0
    return _ratio((_ratio(2 * tp, den) * present).sum(-1), present.sum(-1))


def _matthews_corrcoef(tp, t, p):
    # Gorodkin's R_K statistic, the multiclass MCC of scikit-learn
    t = np.broadcast_to(t, tp.shape)
    s = t.sum(-1)
    cov_ytyp = tp.sum(-1) * s - (t * p).sum(-1)
    return _ratio(cov_ytyp, np.sqrt(_spread(t) * _spread(p)))


MULTICLASS_FORMULAS = {
    "accuracy": ConfusionFormula("accuracy", _accuracy),
    "balanced_accuracy": ConfusionFormula("balanced_accuracy", _balanced_accuracy),
    "f1_macro": ConfusionFormula("f1_macro", _f1_macro),
    "matthews_corrcoef": ConfusionFormula("matthews_corrcoef", _matthews_corrcoef),
}
