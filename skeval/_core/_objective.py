"""Objectives: what the tuner maximises, and how it is evaluated.

An objective is either

* a :class:`CurveObjective`, evaluated *exactly* on a
  :class:`~skeval.metrics.ConfusionCurve` (every distinct score is a
  candidate), or
* a :class:`GridObjective`, any other scorer callable, evaluated by calling it
  at each threshold of a grid (the slow path).

The exact-path hook
-------------------
A scorer made with :func:`sklearn.metrics.make_scorer` takes the exact path
when its score function is registered with :func:`register_curve_metric`. The
adapter receives the scorer's keyword arguments and returns a
:class:`CurveObjective` (or None when those arguments leave the count world,
e.g. ``average="macro"``). skeval's own metrics (costs included, whose
per-sample amounts are cumulated along the curve with
:meth:`ConfusionCurve.positive_sum`) register themselves the same way.
"""

import numbers

from sklearn import metrics as skm

from ..utils._sklearn_compat import scorer_parts
from . import _formulas as F

__all__ = [
    "CurveObjective",
    "CountObjective",
    "GridObjective",
    "register_curve_metric",
    "resolve_objective",
]


class CurveObjective:
    """Base class of objectives evaluated exactly on a confusion curve.

    Subclasses implement :meth:`evaluate`. Attributes:

    name : str
        Shown in messages and in ``cv_results_``.
    pos_label : label or None
        The positive class the objective was defined with (None: the tuner's).
    metadata : tuple of str
        Names of the per-sample arrays ``evaluate`` needs (e.g. ``"amount"``).
    degenerate : bool
        True when maximising it alone is trivial (needs a constraint).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skeval import ThresholdTunedClassifier
    >>> from skeval.metrics import CurveObjective, confusion_curve
    >>> class HitsMinusAlarms(CurveObjective):
    ...     name = "hits_minus_alarms"
    ...     def evaluate(self, curve):
    ...         return curve.tp - curve.fp
    >>> curve = confusion_curve([0, 1, 1, 0], [0.2, 0.9, 0.6, 0.5])
    >>> HitsMinusAlarms().evaluate(curve)
    array([0., 1., 2., 1., 0.])
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = ThresholdTunedClassifier(
    ...     LogisticRegression(), objective=HitsMinusAlarms()
    ... ).fit(X, y)
    >>> print(f"{clf.best_threshold_:.3f}")
    0.513
    """

    name = "objective"
    pos_label = None
    metadata = ()
    degenerate = False

    def evaluate(self, curve, **metadata):
        """Objective value at each point of ``curve`` (greater is better)."""
        raise NotImplementedError

    def bind(self, classes, pos_label):
        """This objective for a problem with these ``classes`` and positive class.

        Called once the positive class is known, before :meth:`evaluate`.
        Objectives that read labels (a cost matrix indexed by class) return a
        copy that knows which class the curve's "positive" is; the rest return
        themselves.
        """
        return self


class SignedObjective(CurveObjective):
    """Another curve objective times ``sign`` (a scorer's greater_is_better)."""

    def __init__(self, objective, sign):
        self.objective = objective
        self.sign = sign
        self.name = objective.name
        self.pos_label = objective.pos_label
        self.metadata = objective.metadata
        self.degenerate = objective.degenerate and sign > 0

    def evaluate(self, curve, **metadata):
        return self.sign * self.objective.evaluate(curve, **metadata)

    def bind(self, classes, pos_label):
        return SignedObjective(self.objective.bind(classes, pos_label), self.sign)


class CountObjective(CurveObjective):
    """A :class:`~skeval._core._formulas.CountMetric`, times a sign."""

    def __init__(self, metric, *, sign=1.0, pos_label=None, name=None):
        self.metric = metric
        self.sign = sign
        self.pos_label = pos_label
        self.name = name or metric.name
        self.degenerate = metric.degenerate and sign > 0

    def evaluate(self, curve, **metadata):
        return self.sign * self.metric(curve.tp, curve.fp, curve.fn, curve.tn)


class GridObjective:
    """Any scorer callable ``scorer(estimator, X, y, **kw) -> float``."""

    degenerate = False
    metadata = ()

    def __init__(self, scorer, *, pos_label=None):
        self.scorer = scorer
        self.pos_label = pos_label
        self.name = getattr(scorer, "__name__", None) or repr(scorer)


_ADAPTERS = {}


def register_curve_metric(score_func, adapter):
    """Let scorers of ``score_func`` take the tuner's exact path.

    Parameters
    ----------
    score_func : callable
        A metric ``score_func(y_true, y_pred, **kwargs)``.
    adapter : callable
        ``adapter(kwargs) -> CurveObjective or None``, given the keyword
        arguments the scorer was made with. Return None when they describe
        something the curve cannot compute; the scorer then takes the grid path.
        The objective evaluates ``score_func`` itself (a loss stays a loss);
        the scorer's sign (``greater_is_better=False``) is applied on top.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.metrics import make_scorer
    >>> from skeval import ThresholdTunedClassifier
    >>> from skeval.metrics import CurveObjective, register_curve_metric
    >>> def net_hits_score(y_true, y_pred, *, alarm_cost=1.0):
    ...     # per sample: true positives minus alarm_cost per false alarm
    ...     y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    ...     tp = np.sum((y_true == 1) & (y_pred == 1))
    ...     fp = np.sum((y_true == 0) & (y_pred == 1))
    ...     return float(tp - alarm_cost * fp) / len(y_true)
    >>> class NetHits(CurveObjective):
    ...     name = "net_hits"
    ...     def __init__(self, alarm_cost):
    ...         self.alarm_cost = alarm_cost
    ...     def evaluate(self, curve):
    ...         n = curve.tp[0] + curve.fp[0] + curve.fn[0] + curve.tn[0]
    ...         return (curve.tp - self.alarm_cost * curve.fp) / n
    >>> register_curve_metric(
    ...     net_hits_score, lambda kwargs: NetHits(kwargs.get("alarm_cost", 1.0))
    ... )
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> scorer = make_scorer(net_hits_score, alarm_cost=0.25)
    >>> clf = ThresholdTunedClassifier(LogisticRegression(), objective=scorer)
    >>> print(f"{clf.fit(X, y).best_threshold_:.3f}")  # every score a candidate
    0.126
    """
    _ADAPTERS[score_func] = adapter


def _binary_count_kwargs(kwargs):
    """Whether an sklearn metric's kwargs keep it a binary count formula.

    ``average="binary"``, ``labels=None``, and a zero division that counts as
    0 (``"warn"``, the default, or ``0``); kappa's undefined value as 0 too.
    """
    average = kwargs.pop("average", "binary")
    labels = kwargs.pop("labels", None)
    zero_division = kwargs.pop("zero_division", "warn")
    undefined = kwargs.pop("replace_undefined_by", 0.0)
    return (
        isinstance(average, str)
        and average == "binary"
        and labels is None
        and _is_zero_or(zero_division, "warn")
        and _is_zero_or(undefined, None)
    )


def _is_zero_or(value, other):
    if isinstance(value, str) or value is None:
        return value == other
    return isinstance(value, numbers.Real) and value == 0


def _count_adapter(name):
    """The adapter of one sklearn count metric (see register_curve_metric)."""

    def adapter(kwargs):
        kwargs = dict(kwargs)
        pos_label = kwargs.pop("pos_label", None)
        if not _binary_count_kwargs(kwargs):
            return None
        if name == "fbeta":
            beta = kwargs.pop("beta", 1.0)
            if not isinstance(beta, numbers.Real) or beta < 0:
                return None
            metric = F.fbeta_metric(beta)
        elif name == "balanced_accuracy" and kwargs.pop("adjusted", False):
            metric = F.COUNT_METRICS["youden"]
        else:
            metric = F.COUNT_METRICS[name]
        if kwargs:  # anything else (weights=..., normalize=False) -> grid
            return None
        return CountObjective(metric, pos_label=pos_label)

    return adapter


for _func, _name in [
    (skm.f1_score, "f1"),
    (skm.fbeta_score, "fbeta"),
    (skm.precision_score, "precision"),
    (skm.recall_score, "recall"),
    (skm.balanced_accuracy_score, "balanced_accuracy"),
    (skm.accuracy_score, "accuracy"),
    (skm.matthews_corrcoef, "matthews_corrcoef"),
    (skm.jaccard_score, "jaccard"),
    (skm.cohen_kappa_score, "cohen_kappa"),
]:
    register_curve_metric(_func, _count_adapter(_name))


def _from_scorer(scorer):
    parts = scorer_parts(scorer)
    if parts is None:
        return GridObjective(scorer)
    methods = parts["response_method"]
    methods = (methods,) if isinstance(methods, str) else tuple(methods)
    if "predict" not in methods:
        raise ValueError(
            "`objective` must depend on the decision threshold, i.e. be computed "
            f"from predicted labels. Got a scorer of {parts['score_func'].__name__}"
            f" that reads {methods[0]!r}: ranking and probability metrics (ROC AUC, "
            "average precision, log loss) are the same at every threshold."
        )
    sign = float(parts["sign"])
    adapter = _ADAPTERS.get(parts["score_func"])
    objective = adapter(parts["kwargs"]) if adapter is not None else None
    if objective is None:
        return GridObjective(scorer, pos_label=parts["kwargs"].get("pos_label"))
    if sign != 1.0:
        if not isinstance(objective, CountObjective):
            return SignedObjective(objective, sign)
        objective = CountObjective(
            objective.metric,
            sign=sign * objective.sign,
            pos_label=objective.pos_label,
            name=objective.name,
        )
    return objective


def resolve_objective(objective):
    """Turn the tuner's ``objective`` parameter into an objective object.

    Parameters
    ----------
    objective : str or callable
        A skeval count-metric name, an sklearn scorer name, a scorer or any
        callable ``(estimator, X, y) -> float``.

    Returns
    -------
    CurveObjective or GridObjective
    """
    if isinstance(objective, str):
        metric = F.find_count_metric(objective)
        if metric is not None:
            if metric.constraint_only:
                raise ValueError(
                    f"`objective={objective!r}` is a constraint metric only: "
                    f"maximise something else subject to it, e.g. "
                    f"objective='recall', constraint=({objective!r}, 0.05)."
                )
            return CountObjective(metric)
        try:
            scorer = skm.get_scorer(objective)
        except ValueError:
            names = sorted(
                n for n, m in F.COUNT_METRICS.items() if not m.constraint_only
            )
            raise ValueError(
                f"`objective` must be one of skeval's metrics {names}, a scikit-learn "
                f"scorer name or a scorer callable. Got {objective!r}."
                + F.unknown_name_hint(objective, F.known_names())
            ) from None
        return _from_scorer(scorer)
    if isinstance(objective, (CurveObjective, GridObjective)):
        return objective  # already resolved
    if callable(objective):
        return _from_scorer(objective)
    raise TypeError(
        "`objective` must be a metric name or a scorer callable. "
        f"Got {type(objective).__name__}: {objective!r}."
    )


def check_not_degenerate(objective, constraint):
    """Refuse an objective that alone peaks at an end of the score range.

    Precision, recall, specificity and NPV are maximised by predicting
    everything or nothing; they make sense only under a constraint.
    """
    if constraint is not None or not objective.degenerate:
        return
    # a constraint that pulls the other way, for the usual objectives
    example = {
        "recall": "('precision', 0.8) or ('alert_rate', 0.05)",
        "specificity": "('recall', 0.9)",
    }.get(objective.name, "('recall', 0.9)")
    raise ValueError(
        f"`objective={objective.name!r}` alone is maximised at an end of the score "
        "range (predict everything or nothing). Give it a constraint, e.g. "
        f"constraint={example}, or choose a balanced objective such as 'f1'."
    )


def agreed_pos_label(pos_label, objective, *, owner="`pos_label`"):
    """The positive class given by the caller or by the objective scorer.

    Both may set it; then they must agree. None when neither does.
    """
    own = objective.pos_label
    if pos_label is not None and own is not None and pos_label != own:
        raise ValueError(
            f"{owner} and the objective scorer's pos_label must agree. Got "
            f"pos_label={pos_label!r} and a scorer with pos_label={own!r}."
        )
    return own if pos_label is None else pos_label
