"""The request: what the user asked for, resolved once into one spec.

``(objective, constraint, pos_label, response_method)`` plus the classes of the
problem become one :class:`OperatingPointSpec`. The tuner, ``operating_point``
and its scorer, the reports, the display and ``diagnose`` all build or read
this one object; none of them resolves constructor parameters on its own, and
a fitted tuner stores its spec as ``spec_`` so that what describes it later
(reports, plots, monitors) reads what was fitted, not what ``set_params`` says
now.
"""

import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from ..exceptions import InfeasibleConstraintWarning
from ..utils._validation import (
    check_binary_target,
    check_metadata,
    check_scores,
    check_weights,
    resolve_pos_label,
)
from . import _formulas as F
from ._curve import _sweep
from ._objective import (
    CountObjective,
    CurveObjective,
    GridObjective,
    SignedObjective,
    agreed_pos_label,
    check_not_degenerate,
    resolve_objective,
)
from ._scores import cut_scores
from ._uncertainty import check_confidence

__all__ = [
    "Constraint",
    "OperatingPointSpec",
    "check_constraint",
    "check_guarantee",
    "resolve_spec",
]

# Objectives whose value does not depend on which class is called positive:
# on labels other than {0, 1}, {-1, 1}, {False, True} they need no pos_label.
SYMMETRIC_METRICS = frozenset(
    {
        "accuracy",
        "balanced_accuracy",
        "matthews_corrcoef",
        "cohen_kappa",
        "youden",
        "g_mean",
    }
)


@dataclass(frozen=True)
class Constraint:
    """``metric`` at least (``bound="lower"``) or at most ``limit``."""

    metric: F.CountMetric
    limit: float

    @property
    def name(self):
        return self.metric.name

    @property
    def bound(self):
        return self.metric.bound

    @property
    def relation(self):
        return "at least" if self.bound == "lower" else "at most"

    def values(self, curve):
        """The constrained metric at every point of a confusion curve."""
        return self.metric(*curve.counts)

    def met(self, value):
        """Whether one value of the metric satisfies the constraint."""
        return bool(
            value >= self.limit if self.bound == "lower" else value <= self.limit
        )

    def describe(self):
        """E.g. ``"recall at least 0.95"``."""
        return f"{self.name} {self.relation} {self.limit:g}"


def check_constraint(constraint):
    """Validate ``constraint=(metric, value)``; return a :class:`Constraint`."""
    if constraint is None:
        return None
    names = list(F.CONSTRAINT_METRICS)
    if (
        not isinstance(constraint, (tuple, list))
        or len(constraint) != 2
        or not isinstance(constraint[0], str)
    ):
        raise TypeError(
            f"`constraint` must be a (metric, value) pair with metric in {names}. "
            f"Got {constraint!r}."
        )
    name, value = constraint
    metric = F.find_count_metric(name)
    if metric is None or metric.bound is None:
        raise ValueError(
            f"`constraint` metric must be one of {names}. Got {name!r}."
            + F.unknown_name_hint(name, F.known_names(constraint=True))
        )
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not (0.0 <= float(value) <= 1.0)
        or np.isnan(value)
    ):
        raise ValueError(
            "`constraint` must be a (metric, value) pair with value in [0, 1]. "
            f"Got {tuple(constraint)!r}."
        )
    return Constraint(metric, float(value))


def check_guarantee(confidence, constraint):
    """Validate ``confidence`` for a checked constraint; return it (or None).

    ``confidence`` qualifies a constraint, so it is refused without one.
    """
    confidence = check_confidence(confidence)
    if confidence is not None and constraint is None:
        raise ValueError(
            "`confidence` qualifies a constraint: give it together with "
            "`constraint=(metric, value)`, e.g. constraint=('recall', 0.95), "
            f"confidence=0.95. Got confidence={confidence!r} and no constraint."
        )
    return confidence


def _is_symmetric(objective):
    metric = getattr(objective, "metric", None)
    return isinstance(objective, CountObjective) and metric.name in SYMMETRIC_METRICS


@dataclass(frozen=True)
class OperatingPointSpec:
    """One resolved request: objective, constraint, positive class, scores.

    Build it with :func:`resolve_spec`; read it, never rebuild it.

    Attributes
    ----------
    objective : CurveObjective, GridObjective or None
        What is maximised, bound to ``classes`` and ``pos_label`` (a cost
        matrix knows which row is the positive class). None for consumers
        that only describe thresholds (a report without an objective).
    constraint : Constraint or None
    pos_label, neg_label : label
        The positive class and the other one (``neg_label`` is None when the
        classes seen hold the positive class only).
    classes : ndarray
        The classes of the problem (an estimator's ``classes_`` or the labels
        seen).
    response_method : str
        ``"predict_proba"``, ``"decision_function"`` or, before an estimator
        is known, ``"auto"``.
    confidence : float or None
        The confidence the constraint must hold at on new data (None: on the
        validation data).
    """

    objective: object
    constraint: Constraint | None
    pos_label: object
    neg_label: object
    classes: np.ndarray
    response_method: str = "auto"
    confidence: float | None = None

    @property
    def objective_name(self):
        return None if self.objective is None else self.objective.name

    @property
    def exact(self):
        """Whether the objective is evaluated exactly on confusion curves."""
        return isinstance(self.objective, CurveObjective)

    @property
    def metadata(self):
        """Names of the per-sample arrays the objective needs."""
        return tuple(getattr(self.objective, "metadata", ()))

    @property
    def loss_sign(self):
        """-1 when the objective is a loss made a score (a cost), else 1."""
        objective = self.objective
        if isinstance(objective, SignedObjective) and objective.sign < 0:
            return -1.0
        return 1.0

    def check_metadata(self, metadata, n_samples, *, caller, example, owner=None):
        """The per-sample arrays the objective names, checked; others refused.

        ``metadata`` maps names to arrays: each must be one finite number per
        sample; an array the objective does not use is an error (it would
        otherwise be ignored without a word).
        """
        return check_metadata(
            self.metadata,
            metadata,
            n_samples,
            owner=owner or "The objective",
            caller=caller,
            example=example,
        )

    def curve(self, y_true, y_score, sample_weight=None, *, keep_order=False):
        """The validated confusion curve of labels and positive-class scores.

        ``y_true`` is checked against the spec's positive class, ``y_score``
        and ``sample_weight`` against its length; ``keep_order=True`` when
        per-sample arrays will be summed along the curve.
        """
        y_pos, _ = check_binary_target(
            y_true, pos_label=self.pos_label, labels=self.classes
        )
        n_samples = len(y_pos)
        y_score = check_scores(y_score, n_samples=n_samples)
        sample_weight = check_weights(sample_weight, n_samples=n_samples)
        return _sweep(y_pos, y_score, sample_weight, keep_order=keep_order)

    def evaluate(self, curve, metadata=None):
        """The objective at every point of a confusion curve (exact path)."""
        metadata = metadata or {}
        values = self.objective.evaluate(
            curve, **{name: metadata[name] for name in self.metadata}
        )
        return np.asarray(values, dtype=np.float64)

    def labels(self, scores, threshold):
        """Class labels at ``threshold``: ``pos_label`` iff ``score >= threshold``.

        ``+inf`` predicts nothing positive, ``-inf`` everything.
        """
        return cut_scores(
            scores, threshold, self.pos_label, self.neg_label, self.classes.dtype
        )

    def warn_infeasible(self, closest, *, scope="", then, stacklevel=3, reason=None):
        """The one "no threshold meets the constraint" warning.

        ``reason``: with ``confidence``, why nothing could be certified (from
        :mod:`skeval._core._uncertainty`), which replaces ``scope``.
        """
        if reason is not None:
            warnings.warn(
                f"No threshold is certified: {reason} Kept the threshold closest "
                f"to certification ({self.constraint.name} {closest:.4g} on the "
                f"validation data). {then}",
                InfeasibleConstraintWarning,
                stacklevel=stacklevel + 1,
            )
            return
        warnings.warn(
            f"No threshold meets the constraint {self.constraint.describe()}{scope}"
            f"; the closest reaches {closest:.4g}. {then}",
            InfeasibleConstraintWarning,
            stacklevel=stacklevel + 1,
        )

    def with_response_method(self, response_method):
        """The same spec, reading scores from ``response_method``."""
        return OperatingPointSpec(
            self.objective,
            self.constraint,
            self.pos_label,
            self.neg_label,
            self.classes,
            response_method,
            self.confidence,
        )


def _check_response_method(response_method):
    allowed = ("auto", "predict_proba", "decision_function")
    if response_method not in allowed:
        raise ValueError(
            f"`response_method` must be one of {list(allowed)}: a threshold needs "
            f"scores. Got {response_method!r}."
        )
    return response_method


def resolve_spec(
    objective=None,
    constraint=None,
    *,
    classes,
    pos_label=None,
    response_method="auto",
    confidence=None,
    exact_only=False,
    owner="`pos_label`",
):
    """Resolve a request into one :class:`OperatingPointSpec`.

    Parameters
    ----------
    objective : str, callable, CurveObjective or None
        The tuner's vocabulary (see :func:`resolve_objective`); None for a
        spec that only cuts scores (reports, monitors).
    constraint : tuple (str, float) or None
    classes : array-like
        The classes of the problem: an estimator's ``classes_`` or the labels
        seen (possibly one).
    pos_label : label or None
        None: the objective scorer's own, else the positive-class rule
        (``1``/``True`` for {0, 1}, {-1, 1}, {False, True}; any pair for a
        symmetric objective without a constraint; otherwise an error).
    response_method : {"auto", "predict_proba", "decision_function"}
    confidence : float or None
        The guarantee on the constraint (strictly between 0 and 1); only
        together with a constraint.
    exact_only : bool
        Refuse objectives only a grid can evaluate (``operating_point``).
    owner : str
        Who gave ``pos_label``, for the disagreement message.
    """
    _check_response_method(response_method)
    resolved = None if objective is None else resolve_objective(objective)
    if exact_only and resolved is not None and not isinstance(resolved, CurveObjective):
        raise ValueError(
            "`objective` must be computable from the confusion counts (a name such "
            "as 'f1', a make_scorer scorer of a count metric, or a skeval scorer) "
            "so that every threshold is evaluated exactly. Got "
            f"{resolved.name}, which only a grid of thresholds can evaluate: use "
            "ThresholdTunedClassifier(..., thresholds=100) for it."
        )
    checked = check_constraint(constraint)
    confidence = check_guarantee(confidence, checked)
    if resolved is not None:
        check_not_degenerate(resolved, checked)
        pos_label = agreed_pos_label(pos_label, resolved, owner=owner)
    classes = np.asarray(classes)
    listed = classes.tolist()
    if pos_label is not None and len(listed) >= 2 and pos_label not in listed:
        raise ValueError(
            f"`pos_label` must be one of the classes {listed}. Got {pos_label!r}."
        )
    symmetric = checked is None and _is_symmetric(resolved)
    pos_label = resolve_pos_label(classes, pos_label, symmetric=symmetric)
    if pos_label in listed:  # the class itself (numpy scalar of classes' dtype)
        pos_label = classes[listed.index(pos_label)]
    others = [c for c in classes if c != pos_label]
    neg_label = others[0] if others else None
    if isinstance(resolved, CurveObjective):
        resolved = resolved.bind(classes, pos_label)
    return OperatingPointSpec(
        resolved, checked, pos_label, neg_label, classes, response_method, confidence
    )


# re-exported for the consumers that only need to know the path taken
__all__ += ["CurveObjective", "GridObjective"]
