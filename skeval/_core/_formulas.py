"""One formula per confusion-count metric, and the name registry.

Every metric skeval knows is defined here *once*, as a function of the
(weighted) confusion counts ``tp, fp, fn, tn``. The formulas accept scalars and
whole arrays alike, so the same code serves the label metrics
(``specificity_score``), the scorers and the tuner's curve, where the counts
are arrays with one entry per candidate threshold.

A ratio whose denominator is zero counts as 0, as in scikit-learn's
``zero_division="warn"`` default; so "predict nothing" has precision 0 and never
meets a precision floor.
"""

from dataclasses import dataclass
from functools import partial

import numpy as np

__all__ = ["CountMetric", "COUNT_METRICS", "get_count_metric", "fbeta"]


def _ratio(num, den):
    """``num / den`` elementwise, with 0 wherever ``den`` is 0."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape))
    np.divide(num, den, out=out, where=den != 0)
    return out


def precision(tp, fp, fn, tn):
    return _ratio(tp, tp + fp)


def recall(tp, fp, fn, tn):
    return _ratio(tp, tp + fn)


def specificity(tp, fp, fn, tn):
    return _ratio(tn, tn + fp)


def npv(tp, fp, fn, tn):
    return _ratio(tn, tn + fn)


def fpr(tp, fp, fn, tn):
    return _ratio(fp, fp + tn)


def fnr(tp, fp, fn, tn):
    return _ratio(fn, fn + tp)


def alert_rate(tp, fp, fn, tn):
    return _ratio(tp + fp, tp + fp + fn + tn)


def accuracy(tp, fp, fn, tn):
    return _ratio(tp + tn, tp + fp + fn + tn)


def fbeta(tp, fp, fn, tn, *, beta=1.0):
    b2 = beta * beta
    tp = np.asarray(tp, dtype=np.float64)
    return _ratio((1 + b2) * tp, (1 + b2) * tp + b2 * np.asarray(fn) + fp)


def balanced_accuracy(tp, fp, fn, tn):
    return 0.5 * (recall(tp, fp, fn, tn) + specificity(tp, fp, fn, tn))


def youden(tp, fp, fn, tn):
    return recall(tp, fp, fn, tn) + specificity(tp, fp, fn, tn) - 1.0


def g_mean(tp, fp, fn, tn):
    return np.sqrt(recall(tp, fp, fn, tn) * specificity(tp, fp, fn, tn))


def jaccard(tp, fp, fn, tn):
    return _ratio(tp, np.asarray(tp, dtype=np.float64) + fp + fn)


def matthews_corrcoef(tp, fp, fn, tn):
    tp, fp, fn, tn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, fn, tn))
    den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return _ratio(tp * tn - fp * fn, den)


def cohen_kappa(tp, fp, fn, tn):
    tp, fp, fn, tn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, fn, tn))
    # kappa = 1 - observed disagreement / disagreement expected by chance; the
    # chance term is 2 (P * N_pred + N * P_pred) / n over the marginals.
    n = tp + fp + fn + tn
    expected = _ratio((tp + fn) * (tn + fn) + (fp + tn) * (tp + fp), n)
    # With no disagreement expected by chance (one class in both y_true and
    # y_pred) kappa is undefined; like every other 0/0 here it counts as 0.
    return np.where(expected > 0, 1.0 - _ratio(fp + fn, expected), 0.0)


@dataclass(frozen=True)
class CountMetric:
    """A metric that is a function of the binary confusion counts.

    Parameters
    ----------
    name : str
        The registry name.
    formula : callable
        ``formula(tp, fp, fn, tn) -> ndarray``, vectorised over arrays of counts.
    bound : {"lower", "upper"} or None
        How the metric works as a constraint: ``"lower"`` means the constraint
        value is a floor (recall >= r), ``"upper"`` a ceiling (fpr <= r).
        ``None``: not usable as a constraint.
    degenerate : bool
        True when maximising the metric alone is trivial (it peaks at an end of
        the score range), so it is accepted as an objective only together with
        a constraint.
    constraint_only : bool
        True for rates that are only ever constrained, never maximised.
    """

    name: str
    formula: object
    bound: str | None = None
    degenerate: bool = False
    constraint_only: bool = False

    def __call__(self, tp, fp, fn, tn):
        return self.formula(tp, fp, fn, tn)


COUNT_METRICS = {
    m.name: m
    for m in [
        CountMetric("f1", partial(fbeta, beta=1.0)),
        CountMetric("accuracy", accuracy),
        CountMetric("balanced_accuracy", balanced_accuracy),
        CountMetric("matthews_corrcoef", matthews_corrcoef),
        CountMetric("jaccard", jaccard),
        CountMetric("cohen_kappa", cohen_kappa),
        CountMetric("youden", youden),
        CountMetric("g_mean", g_mean),
        CountMetric("precision", precision, bound="lower", degenerate=True),
        CountMetric("recall", recall, bound="lower", degenerate=True),
        CountMetric("specificity", specificity, bound="lower", degenerate=True),
        CountMetric("npv", npv, bound="lower", degenerate=True),
        CountMetric("fpr", fpr, bound="upper", constraint_only=True),
        CountMetric("fnr", fnr, bound="upper", constraint_only=True),
        CountMetric("alert_rate", alert_rate, bound="upper", constraint_only=True),
    ]
}

CONSTRAINT_METRICS = tuple(name for name, m in COUNT_METRICS.items() if m.bound)


def get_count_metric(name):
    """Return the :class:`CountMetric` registered under ``name``.

    Raises
    ------
    ValueError
        If no count metric has that name; the message lists the known ones.
    """
    try:
        return COUNT_METRICS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown count metric {name!r}. Known: {sorted(COUNT_METRICS)}."
        ) from None
