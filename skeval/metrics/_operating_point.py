"""Operating-point metrics: the best objective value over all thresholds.

"Precision at recall >= 0.9" and its kin, computed exactly in O(n log n) by
the tuner's own machinery: one sweep of the scores
(:func:`~skeval.metrics.confusion_curve`), the objective's formula on the
whole curve, and :func:`~skeval._core._selection.select` for the constraint,
the tie rule and the midpoint rule. So ``operating_point`` on a validation set
returns exactly what ``ThresholdTunedClassifier(cv="prefit")`` tunes on it.
"""

from dataclasses import dataclass
from numbers import Real

from .._core._labels import check_labels_param
from .._core._lazy import as_samples
from .._core._objective import (
    CurveObjective,
    agreed_pos_label,
    check_not_degenerate,
    resolve_objective,
)
from .._core._request import check_constraint, check_guarantee, resolve_spec
from .._core._selection import tune_curves
from ..utils._sklearn_compat import validate_params
from ..utils._validation import (
    check_binary_labels,
)

__all__ = [
    "OperatingPoint",
    "check_objective",
    "operating_point",
    "operating_point_score",
]


@dataclass(frozen=True)
class OperatingPoint:
    """The best operating point of a set of scores.

    Attributes
    ----------
    score : float
        The objective's value there (greater is better; costs are negative).
        ``infeasible_score`` (0.0 by default) when no threshold satisfies the
        constraint.
    threshold : float
        Predict positive iff ``score >= threshold``: the midpoint of the
        optimal interval between two consecutive distinct scores; ``+inf``
        when the optimum predicts nothing positive, ``-inf`` when it predicts
        everything positive. When the constraint is infeasible, the threshold
        that comes closest to satisfying it.
    constraint_value : float or None
        The constrained metric at ``threshold`` (None without a constraint).
    constraint_satisfied : bool or None
        Whether the constraint holds there (None without a constraint). With
        ``confidence``: whether some threshold is certified.
    constraint_bound : float or None
        With ``confidence``: the one-sided Clopper-Pearson bound of the
        constrained metric at ``threshold`` (lower for "at least" metrics,
        upper for "at most" ones). None otherwise.

    Examples
    --------
    >>> from skeval.metrics import operating_point
    >>> operating_point(
    ...     [0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.7],
    ...     objective="precision", constraint=("recall", 1.0),
    ... )
    OperatingPoint(score=0.75, threshold=0.275, constraint_value=1.0, \
constraint_satisfied=True, constraint_bound=None)
    """

    score: float
    threshold: float
    constraint_value: float | None
    constraint_satisfied: bool | None
    constraint_bound: float | None = None


def check_objective(objective, constraint, confidence=None):
    """Resolve an exact objective and a constraint, validated together.

    For the factories that check their arguments before any data is seen
    (``confidence`` is checked against the constraint too).

    Returns
    -------
    objective : CurveObjective
    constraint : Constraint or None
    """
    resolved = resolve_objective(objective)
    if not isinstance(resolved, CurveObjective):
        # the spec's own message for objectives only a grid evaluates
        resolve_spec(resolved, None, classes=[0, 1], exact_only=True)
    checked = check_constraint(constraint)
    check_guarantee(confidence, checked)
    check_not_degenerate(resolved, checked)
    return resolved, checked


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "objective": [str, callable, CurveObjective],
        "constraint": [tuple, list, None],
        "confidence": [Real, None],
        "pos_label": [Real, str, "boolean", None],
        "sample_weight": ["array-like", None],
        "infeasible_score": [Real],
        "labels": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def operating_point(
    y_true,
    y_score,
    *,
    objective="f1",
    constraint=None,
    confidence=None,
    pos_label=None,
    sample_weight=None,
    infeasible_score=0.0,
    labels=None,
    **metadata,
):
    """The best value of an objective over all thresholds, under a constraint.

    Every distinct score is a candidate threshold (exact, O(n log n)): e.g.
    the best precision with recall at least 0.9, the best recall with
    precision at least 0.8, the sensitivity at 99% specificity, the cheapest
    threshold under a cost matrix. The vocabulary, the midpoint rule and the
    tie rule are those of :class:`~skeval.ThresholdTunedClassifier`.

    Read more in the :ref:`User Guide <operating_point>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (probabilities or decision values).
    objective : str or callable, default="f1"
        What to maximise: a count-metric name (``"f1"``, ``"precision"``,
        ``"recall"``, ``"specificity"``, ``"youden"``, ...), a scorer made by
        :func:`~sklearn.metrics.make_scorer` from a count metric, or a skeval
        scorer such as :func:`~skeval.make_cost_scorer`'s. ``"precision"``,
        ``"recall"``, ``"specificity"`` and ``"npv"`` need a constraint.
    constraint : tuple (str, float), default=None
        ``(metric, value)``: ``"recall"``, ``"precision"``, ``"specificity"``,
        ``"npv"`` at least ``value``; ``"fpr"``, ``"fnr"``, ``"alert_rate"``
        at most ``value``.
    confidence : float, default=None
        With a ``constraint``: the probability (over the draw of this
        validation data) that the constraint holds on new data from the same
        distribution. Only thresholds certified by exact binomial tests on the
        counts are kept; ``sample_weight`` must then hold whole numbers
        (repeated rows). See :ref:`guarantees`. None: the constraint holds on
        these data.
    pos_label : int, float, bool or str, default=None
        The positive class. None: the objective scorer's own, else ``1`` (or
        ``True``) for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the
        greater label.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of every count (and of per-sample costs).
    infeasible_score : float, default=0.0
        The score when no threshold satisfies the constraint. 0.0 is the worst
        value of the metrics in [0, 1]; for objectives that can be negative
        (costs, ``"youden"``, ``"matthews_corrcoef"``) choose a lower value.
    labels : array-like of shape (2,), default=None
        The two classes, for objectives that read labels (a cost matrix's
        rows) when ``y_true`` holds only one of them, e.g. a validation fold
        without positives. None: the labels present in ``y_true``.
    **metadata : dict of array-like
        The per-sample arrays the objective names (a cost matrix's
        ``"amount"``).

    Returns
    -------
    point : OperatingPoint
        With ``score``, ``threshold``, ``constraint_value`` and
        ``constraint_satisfied``.

    Warns
    -----
    InfeasibleConstraintWarning
        When no threshold satisfies the constraint.

    See Also
    --------
    skeval.make_operating_point_scorer : The scorer of this value.
    skeval.ThresholdTunedClassifier : The same selection, cross-validated.
    sklearn.metrics.metric_at_thresholds : One metric call per threshold.

    Examples
    --------
    >>> from skeval.metrics import operating_point
    >>> y_true = [0, 0, 1, 0, 1, 1, 0, 1]
    >>> y_score = [0.1, 0.3, 0.35, 0.4, 0.6, 0.7, 0.75, 0.9]
    >>> point = operating_point(
    ...     y_true, y_score, objective="precision", constraint=("recall", 0.75)
    ... )
    >>> point.score, point.threshold, point.constraint_satisfied
    (0.75, 0.5, True)
    """
    # dask columns: one weighted sample per (score, class) cell, same counts
    y_true, y_score, sample_weight, metadata = as_samples(
        y_true, y_score, sample_weight, metadata
    )
    resolved, _ = check_objective(objective, constraint, confidence)
    pos_label = agreed_pos_label(pos_label, resolved)
    # which label is which row of a cost matrix, for objectives that need it
    spec = resolve_spec(
        resolved,
        constraint,
        classes=_classes(y_true, labels),
        pos_label=pos_label,
        confidence=confidence,
    )
    curve = spec.curve(y_true, y_score, sample_weight, keep_order=bool(spec.metadata))
    metadata = spec.check_metadata(
        metadata,
        len(curve.y_pos),
        owner="the objective",
        caller="operating_point",
        example="operating_point(y_true, y_score, ..., {name}=...)",
    )
    result = tune_curves(spec, [curve], [metadata])
    score = result.score
    if spec.constraint is not None and not result.constraint_satisfied:
        spec.warn_infeasible(
            result.constraint_value,
            then=f"The score is infeasible_score={infeasible_score:g}.",
            reason=result.constraint_reason,
        )
        score = float(infeasible_score)
    return OperatingPoint(
        float(score),
        result.threshold,
        result.constraint_value,
        result.constraint_satisfied,
        result.constraint_bound,
    )


def _classes(y_true, labels):
    """The problem's classes: ``labels``, else the labels present in ``y_true``."""
    if labels is None:
        return check_binary_labels(y_true)[1]
    classes = check_labels_param(labels)
    if len(classes) != 2:
        raise ValueError(
            f"`labels` must be the two classes of the problem. Got {classes.tolist()}."
        )
    return classes


@validate_params(
    {"y_true": ["array-like"], "y_score": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def operating_point_score(
    y_true,
    y_score,
    *,
    objective="f1",
    constraint=None,
    confidence=None,
    pos_label=None,
    sample_weight=None,
    infeasible_score=0.0,
    labels=None,
    **metadata,
):
    """The score of :func:`operating_point`: the metric behind its scorer.

    Read more in the :ref:`User Guide <operating_point>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    objective : str or callable, default="f1"
        See :func:`operating_point`.
    constraint : tuple (str, float), default=None
        See :func:`operating_point`.
    confidence : float, default=None
        See :func:`operating_point`.
    pos_label : int, float, bool or str, default=None
        See :func:`operating_point`.
    sample_weight : array-like of shape (n_samples,), default=None
        See :func:`operating_point`.
    infeasible_score : float, default=0.0
        See :func:`operating_point`.
    labels : array-like of shape (2,), default=None
        See :func:`operating_point`.
    **metadata : dict of array-like
        See :func:`operating_point`.

    Returns
    -------
    score : float
        ``operating_point(...).score``.

    See Also
    --------
    skeval.make_operating_point_scorer : Its scorer.

    Examples
    --------
    >>> from skeval.metrics import operating_point_score
    >>> operating_point_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.8
    """
    return operating_point(
        y_true,
        y_score,
        objective=objective,
        constraint=constraint,
        confidence=confidence,
        pos_label=pos_label,
        sample_weight=sample_weight,
        infeasible_score=infeasible_score,
        labels=labels,
        **metadata,
    ).score
