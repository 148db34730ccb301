"""The arrays a ThresholdCurveDisplay draws, computed by the exact engine.

One sort of the scores (the curve), the count formulas and the objective on
it, and the same selection rules as the tuner; nothing is re-derived here.
"""

import warnings

import numpy as np

from ..._core._curve import _sweep
from ..._core._formulas import get_count_metric
from ..._core._objective import (
    CurveObjective,
    SignedObjective,
    agreed_pos_label,
    check_constraint,
    check_not_degenerate,
    resolve_objective,
)
from ..._core._selection import select
from ...exceptions import InfeasibleConstraintWarning
from ...utils._validation import check_binary_target, check_scores, check_weights


def _drawn_sign(objective):
    """-1 for a loss made a score (a cost scorer): the loss itself is drawn."""
    if isinstance(objective, SignedObjective) and objective.sign < 0:
        return -1.0
    return 1.0


def _compute(
    y_true,
    y_score,
    *,
    objective,
    constraint,
    metrics,
    pos_label,
    sample_weight,
    metadata,
    threshold,
    classes=None,
):
    """The display's arrays from labels and scores, through the exact engine.

    ``classes``: the estimator's ``classes_`` (None: the labels of ``y_true``),
    which objectives that read labels, such as cost matrices, bind to.
    """
    resolved = None if objective is None else resolve_objective(objective)
    if resolved is not None and not isinstance(resolved, CurveObjective):
        raise ValueError(
            "ThresholdCurveDisplay draws objectives the exact curve engine "
            "computes: a count metric name, or a scorer of a count metric or a "
            f"cost. Got {objective!r}."
        )
    checked = check_constraint(constraint)
    if resolved is not None:
        check_not_degenerate(resolved, checked)
    if resolved is not None:
        pos_label = agreed_pos_label(pos_label, resolved)
    metric_objs = [get_count_metric(m) for m in metrics]

    # confusion_curve's own checks, kept here to learn the positive label
    y_pos, pos_label = check_binary_target(y_true, pos_label=pos_label)
    y_score = check_scores(y_score, n_samples=len(y_pos))
    sample_weight = check_weights(sample_weight, n_samples=len(y_pos))
    curve = _sweep(y_pos, y_score, sample_weight)

    values = {}
    objective_name = None
    if resolved is not None:
        if classes is None:
            classes = np.unique(np.asarray(y_true))
        resolved = resolved.bind(np.asarray(classes), pos_label)
        objective_name = resolved.name
        metadata = dict(metadata or {})
        missing = [m for m in resolved.metadata if m not in metadata]
        if missing:
            raise ValueError(
                f"The objective needs the per-sample metadata {missing}: pass "
                f"metadata={{{missing[0]!r}: ...}}."
            )
        score = np.asarray(
            resolved.evaluate(curve, **{m: metadata[m] for m in resolved.metadata}),
            dtype=np.float64,
        )
        values[objective_name] = _drawn_sign(resolved) * score
    for m in metric_objs:
        values.setdefault(m.name, m(*curve.counts))
    con_values = None
    if checked is not None:
        con_metric, limit = checked
        con_values = values.setdefault(con_metric.name, con_metric(*curve.counts))
        constraint = (con_metric.name, limit)

    best = threshold
    if best is None and resolved is not None:
        sel = select(
            curve.thresholds,
            score,
            constraint=None
            if checked is None
            else (con_values, checked[0].bound, checked[1]),
        )
        best = sel.threshold
        if checked is not None and not sel.constraint_satisfied:
            warnings.warn(
                f"No threshold meets the constraint {checked[0].name} "
                f"{'at least' if checked[0].bound == 'lower' else 'at most'} "
                f"{checked[1]:g}; the closest reaches {sel.constraint_value:.4g}. "
                "Marked that threshold.",
                InfeasibleConstraintWarning,
                stacklevel=3,
            )
    return {
        "thresholds": curve.thresholds,
        "values": values,
        "objective_name": objective_name,
        "constraint": None if checked is None else constraint,
        "best_threshold": None if best is None else float(best),
        "pos_label": pos_label,
    }
