"""skeval's scorers and their registry.

Every skeval scorer is a scikit-learn ``make_scorer`` scorer (same class
family, same repr, pickles), with two additions made by :class:`SkevalScorer`:

* the per-sample metadata its metric needs (a cost matrix's ``"amount"``) is
  requested through metadata routing automatically, and a clear error says how
  to turn routing on when that metadata does not arrive;
* it reads the scored estimator's ``classes_``, so a validation fold that
  lacks a class is still scored against the right labels.
"""

import copy
import inspect
from numbers import Real

import numpy as np
from sklearn import metrics as skm

from .._core import _formulas as F
from .._core._objective import CurveObjective
from ..utils._sklearn_compat import (
    Interval,
    ScorerBase,
    routing_enabled,
    scorer_parts,
    validate_params,
)
from ..utils._validation import default_pos_label
from ._calibration import expected_calibration_error
from ._classification import (
    fnr_loss,
    fpr_loss,
    g_mean_score,
    npv_score,
    specificity_score,
    youden_score,
)
from ._cluster import (
    ClusterScorer,
    cluster_entropy,
    matched_accuracy_score,
    purity_score,
)
from ._operating_point import check_objective, operating_point_score

__all__ = [
    "SkevalScorer",
    "get_scorer",
    "get_scorer_names",
    "make_operating_point_scorer",
]


class SkevalScorer(ScorerBase):
    """A ``make_scorer`` scorer that requests its metadata and reads ``classes_``.

    Build it through a factory (:func:`~skeval.make_cost_scorer`,
    :func:`~skeval.make_operating_point_scorer`, :func:`~skeval.get_scorer`).

    Parameters
    ----------
    score_func : callable
        ``score_func(y_true, y_pred_or_score, **kwargs) -> float``.
    sign : {1, -1}
        -1 for a loss (the scorer returns minus the loss).
    kwargs : dict
        Fixed keyword arguments of ``score_func``.
    response_method : str or tuple of str
        As in :func:`sklearn.metrics.make_scorer`.
    metadata : tuple of str, default=()
        Per-sample metadata ``score_func`` needs; requested automatically.
    labels_from_estimator : bool, default=False
        Pass the estimator's ``classes_`` as ``labels`` when none is fixed.
    """

    def __init__(
        self,
        score_func,
        sign,
        kwargs,
        response_method="predict",
        *,
        metadata=(),
        labels_from_estimator=False,
    ):
        super().__init__(score_func, sign, kwargs, response_method, metadata=metadata)
        self._labels_from_estimator = labels_from_estimator

    def prepare_call(self, estimator, kwargs):
        """Check the call, then fill ``labels`` and ``pos_label`` from ``classes_``."""
        missing = [name for name in self.requested_metadata if name not in kwargs]
        if missing:
            raise ValueError(_missing_metadata_message(self, missing))
        parts = scorer_parts(self)
        _check_response_methods(self, parts["response_method"], estimator)
        classes = getattr(estimator, "classes_", None)
        if classes is None:
            return kwargs
        fixed = parts["kwargs"]
        if self._labels_from_estimator and "labels" not in {**fixed, **kwargs}:
            kwargs["labels"] = classes
        if (
            len(classes) == 2
            and "pos_label" not in {**fixed, **kwargs}
            and "pos_label" in inspect.signature(parts["score_func"]).parameters
        ):
            # labels whose positive class needs no saying ({0, 1}, {-1, 1},
            # {False, True}): the one scikit-learn's response values use.
            # Other labels are left to the metric, which applies the
            # positive-class rule (asymmetric metrics ask for pos_label).
            try:
                kwargs["pos_label"] = classes[
                    list(classes).index(default_pos_label(classes))
                ]
            except ValueError:
                pass
        return kwargs


def _check_response_methods(scorer, methods, estimator):
    """Refuse, by name, an estimator without any of the scorer's methods."""
    methods = (methods,) if isinstance(methods, str) else tuple(methods)
    if any(hasattr(estimator, method) for method in methods):
        return
    hint = ""
    if methods == ("predict_proba",):
        hint = (
            " Wrap it in sklearn.calibration.CalibratedClassifierCV to get "
            "probabilities."
        )
    raise TypeError(
        f"{scorer!r} needs an estimator that implements {' or '.join(methods)}. "
        f"Got {type(estimator).__name__}, which has no such method.{hint}"
    )


def _missing_metadata_message(scorer, missing):
    example = ", ".join(f"{name}={name}" for name in missing)
    params = ", ".join(f"{name!r}: {name}" for name in missing)
    where = (
        f"pass it where you fit, e.g. GridSearchCV(...).fit(X, y, {example}) or "
        f"cross_validate(..., params={{{params}}}); the scorer requests it already."
    )
    if routing_enabled():
        return f"{scorer!r} needs the per-sample metadata {missing}: {where}"
    return (
        f"{scorer!r} needs the per-sample metadata {missing}, and scorers receive "
        "metadata only through scikit-learn's metadata routing, which is off. "
        "Turn it on with sklearn.set_config(enable_metadata_routing=True), then "
        f"{where}"
    )


@validate_params(
    {
        "objective": [str, callable, CurveObjective],
        "constraint": [tuple, list, None],
        "pos_label": [Real, str, "boolean", None],
        "response_method": [str],
        "infeasible_score": [Interval(Real, None, None, closed="both")],
    },
    prefer_skip_nested_validation=True,
)
def make_operating_point_scorer(
    objective,
    *,
    constraint=None,
    confidence=None,
    pos_label=None,
    response_method="auto",
    infeasible_score=-np.inf,
):
    """A scorer that rates a model by its best operating point.

    The score is :func:`~skeval.metrics.operating_point` of the model's scores:
    the best value of ``objective`` over every threshold that satisfies
    ``constraint``, so that ``GridSearchCV(scoring=...)`` picks, say, the model
    with the best precision at 90% recall. A model that cannot meet the
    constraint scores ``infeasible_score`` (``-inf``: below every model that
    can) and raises an :class:`~skeval.exceptions.InfeasibleConstraintWarning`.

    Read more in the :ref:`User Guide <operating_point>`.

    Parameters
    ----------
    objective : str or callable
        What to maximise, in the vocabulary of
        :class:`~skeval.ThresholdTunedClassifier` (``"f1"``, ``"precision"``,
        a count-metric scorer, a cost scorer, ...).
    constraint : tuple (str, float), default=None
        ``(metric, value)``, e.g. ``("recall", 0.9)``; see
        :func:`~skeval.metrics.operating_point`.
    confidence : float, default=None
        With a ``constraint``: only thresholds at which the constraint holds
        on new data with this probability count (exact binomial tests on the
        scored data's counts); see :ref:`guarantees`.
    pos_label : int, float, bool or str, default=None
        The positive class. None: ``classes_[1]`` of the scored estimator.
    response_method : {"auto", "predict_proba", "decision_function"}, \
            default="auto"
        Where the scores come from; ``"auto"`` tries ``predict_proba``, then
        ``decision_function``.
    infeasible_score : float, default=-inf
        The score of a model none of whose thresholds satisfies the
        constraint on the scored data. The default ranks it below every model
        that satisfies it, whatever the objective (costs included): in
        ``GridSearchCV`` a candidate infeasible on any validation fold gets
        ``mean_test_score = -inf`` (``std_test_score`` NaN) and the last rank,
        scikit-learn warns that some test scores are non-finite, and
        ``refit`` picks a feasible candidate whenever there is one. A finite
        value averages infeasible folds in instead; it must then lie below
        the objective's range (e.g. 0.0 for metrics in [0, 1], never for a
        cost), or infeasible models outrank feasible ones.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, **metadata) -> float``, greater is better.

    See Also
    --------
    skeval.metrics.operating_point : The same value from scores.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from skeval import make_operating_point_scorer
    >>> X, y = make_classification(n_samples=500, weights=[0.8], random_state=0)
    >>> scorer = make_operating_point_scorer("precision", constraint=("recall", 0.9))
    >>> scores = cross_val_score(LogisticRegression(), X, y, scoring=scorer)
    >>> print(round(scores.mean(), 3))
    0.472
    """
    resolved, _ = check_objective(objective, constraint, confidence)
    if response_method == "auto":
        response_method = ("predict_proba", "decision_function")
    elif response_method not in ("predict_proba", "decision_function"):
        raise ValueError(
            "`response_method` must be 'auto', 'predict_proba' or "
            f"'decision_function'. Got {response_method!r}."
        )
    kwargs = {"objective": objective}
    if constraint is not None:
        kwargs["constraint"] = tuple(constraint)
    if confidence is not None:
        kwargs["confidence"] = float(confidence)
    if pos_label is None:
        pos_label = resolved.pos_label  # a scorer objective's own pos_label
    if pos_label is not None:
        kwargs["pos_label"] = pos_label
    if constraint is not None:  # without one, every model is feasible
        kwargs["infeasible_score"] = float(infeasible_score)
    return SkevalScorer(
        operating_point_score,
        1,
        kwargs,
        response_method,
        metadata=resolved.metadata,
        labels_from_estimator=True,  # a one-class fold still knows both classes
    )


def _scorer(score_func, sign=1, response_method="predict", **kwargs):
    return SkevalScorer(score_func, sign, kwargs, response_method)


_SCORERS = {
    "specificity": _scorer(specificity_score),
    "npv": _scorer(npv_score),
    "g_mean": _scorer(g_mean_score),
    "youden": _scorer(youden_score),
    "neg_fpr_loss": _scorer(fpr_loss, sign=-1),
    "neg_fnr_loss": _scorer(fnr_loss, sign=-1),
    "neg_expected_calibration_error": _scorer(
        expected_calibration_error, sign=-1, response_method="predict_proba"
    ),
}
for _name, _func in [
    ("specificity", specificity_score),
    ("npv", npv_score),
    ("g_mean", g_mean_score),
    ("youden", youden_score),
]:
    for _average in ("macro", "weighted", "micro"):
        _SCORERS[f"{_name}_{_average}"] = _scorer(_func, average=_average)
# clusterers scored against classes: predict, else fit_predict on a clone
_SCORERS["purity"] = ClusterScorer(purity_score, 1, {})
_SCORERS["matched_accuracy"] = ClusterScorer(matched_accuracy_score, 1, {})
_SCORERS["neg_cluster_entropy"] = ClusterScorer(cluster_entropy, -1, {})


def get_scorer_names():
    """List every scorer name :func:`get_scorer` knows: skeval's and sklearn's.

    Returns
    -------
    names : list of str
        Sorted. Besides these, :func:`get_scorer` reads any ``"f<beta>"``.

    Examples
    --------
    >>> from skeval import get_scorer_names
    >>> "g_mean" in get_scorer_names() and "roc_auc" in get_scorer_names()
    True
    """
    aliases = list(F.ALIASES) + list(F.FBETA_EXAMPLES)
    return sorted(set(_SCORERS) | set(skm.get_scorer_names()) | set(aliases))


def get_scorer(scoring):
    """A scorer by name: skeval's own names first, then scikit-learn's.

    skeval's names: ``"specificity"``, ``"npv"``, ``"g_mean"``, ``"youden"``
    (each also with ``_macro``, ``_weighted`` and ``_micro``),
    ``"neg_fpr_loss"``, ``"neg_fnr_loss"`` and
    ``"neg_expected_calibration_error"``; the aliases ``"sensitivity"`` and
    ``"tpr"`` (recall), ``"tnr"`` (specificity), ``"ppv"`` (precision) and
    ``"mcc"`` (``"matthews_corrcoef"``); and ``"f<beta>"`` for the F-beta
    score, e.g. ``"f2"`` or ``"f0.5"``. Any other name goes to
    :func:`sklearn.metrics.get_scorer`, so ``scoring=`` dicts can mix both.

    scikit-learn's searches know only scikit-learn's names: pass skeval's as
    scorers, ``GridSearchCV(..., scoring=get_scorer("specificity"))`` (a plain
    ``scoring="specificity"`` fails with scikit-learn's list of names).

    Read more in the :ref:`User Guide <scorers>`.

    Parameters
    ----------
    scoring : str, callable or None
        A scorer name; a callable is returned as it is, None as None.

    Returns
    -------
    scorer : callable or None
        A new copy for a name, as in scikit-learn.

    Raises
    ------
    ValueError
        If neither skeval nor scikit-learn knows the name; the message lists
        the closest names.

    See Also
    --------
    get_scorer_names : Every known name.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_validate
    >>> from skeval import get_scorer
    >>> X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    >>> scoring = {"g_mean": get_scorer("g_mean"), "f1": "f1", "f2": get_scorer("f2")}
    >>> result = cross_validate(LogisticRegression(), X, y, scoring=scoring)
    >>> for name in scoring:
    ...     print(name, round(result[f"test_{name}"].mean(), 2))
    g_mean 0.86
    f1 0.81
    f2 0.78
    """
    if scoring is None or callable(scoring):
        return scoring
    if not isinstance(scoring, str):
        raise TypeError(
            f"`scoring` must be a scorer name, a callable or None. Got {scoring!r}."
        )
    if scoring in _SCORERS:
        return copy.deepcopy(_SCORERS[scoring])
    if scoring in F.ALIASES:
        return get_scorer(F.ALIASES[scoring])
    if scoring in skm.get_scorer_names():
        return skm.get_scorer(scoring)
    beta = F.fbeta_name_beta(scoring)
    if beta is not None:
        return skm.make_scorer(skm.fbeta_score, beta=beta)
    raise ValueError(
        "`scoring` must be a skeval or scikit-learn scorer name (see "
        f"skeval.get_scorer_names()). Got {scoring!r}."
        + F.unknown_name_hint(scoring, get_scorer_names())
    )
