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

import difflib
import re
from dataclasses import dataclass
from functools import partial

import numpy as np

__all__ = [
    "ALIASES",
    "CountMetric",
    "COUNT_METRICS",
    "fbeta",
    "fbeta_metric",
    "fbeta_name_beta",
    "find_count_metric",
    "get_count_metric",
    "known_names",
    "close_names",
    "unknown_name_hint",
]


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

# Names people type for the registered metrics. "f<beta>" (f2, f0.5) is read
# by find_count_metric as the F-beta score with that beta.
ALIASES = {
    "sensitivity": "recall",
    "tpr": "recall",
    "tnr": "specificity",
    "ppv": "precision",
    "mcc": "matthews_corrcoef",
}
FBETA_EXAMPLES = ("f0.5", "f2")
_FBETA_NAME = re.compile(r"f(\d+(?:\.\d*)?|\.\d+)")


def fbeta_metric(beta):
    """The F-beta score as a :class:`CountMetric` named ``f<beta>`` (``"f2"``)."""
    beta = float(beta)
    if beta == 1.0:
        return COUNT_METRICS["f1"]
    return CountMetric(f"f{beta:g}", partial(fbeta, beta=beta))


def find_count_metric(name):
    """The :class:`CountMetric` a user-facing name means, or None.

    The one lookup behind objectives, constraints and ``get_scorer``: a
    registered name, an alias (``"sensitivity"``, ``"tpr"``, ``"tnr"``,
    ``"ppv"``, ``"mcc"``) or ``"f<beta>"`` with a positive ``beta``
    (``"f2"``, ``"f0.5"``).
    """
    if not isinstance(name, str):
        return None
    name = ALIASES.get(name, name)
    if name in COUNT_METRICS:
        return COUNT_METRICS[name]
    beta = fbeta_name_beta(name)
    return None if beta is None else fbeta_metric(beta)


def fbeta_name_beta(name):
    """The ``beta`` of an ``"f<beta>"`` name with ``beta > 0``, else None."""
    match = _FBETA_NAME.fullmatch(name) if isinstance(name, str) else None
    if match is None or float(match.group(1)) <= 0:
        return None
    return float(match.group(1))


def known_names(*, constraint=False):
    """The names (aliases included) of objectives, or of constraint metrics."""
    names = [n for n, m in COUNT_METRICS.items() if m.bound or not constraint]
    names += [a for a, n in ALIASES.items() if n in names]
    return names if constraint else names + list(FBETA_EXAMPLES)


def close_names(name, known, n=5):
    """Up to ``n`` names of ``known`` closest to ``name`` (difflib), best first."""
    if not isinstance(name, str):
        return []
    known = sorted(set(known))
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.6)
    # a name typed as part of a longer one ("mean" -> "g_mean") counts too
    close += [k for k in known if name.lower() in k and k not in close]
    return close[:n]


def unknown_name_hint(name, known):
    """What to say after "Got <name>.": the closest names and the search hint.

    scikit-learn's ``scoring="specificity"`` fails with scikit-learn's own list
    of names, which skeval cannot change; every skeval "unknown name" error
    therefore says how skeval's names reach a scikit-learn search.
    """
    close = close_names(name, known)
    example = next((c for c in close if find_count_metric(c)), "specificity")
    hint = f" Close names: {close}." if close else ""
    return (
        f"{hint} In a scikit-learn search, pass skeval's names through "
        f"skeval.get_scorer: scoring=skeval.get_scorer({example!r})."
    )


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
