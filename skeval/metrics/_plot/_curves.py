"""The arrays a ThresholdCurveDisplay draws, computed by the exact engine.

One sort of the scores (the curve), the count formulas and the objective on
it, and the same selection rules as the tuner; nothing is re-derived here.
"""

from ..._core._formulas import get_count_metric
from ..._core._request import resolve_spec
from ..._core._selection import tune_curves
from ...utils._validation import (
    check_binary_labels,
)


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
    if classes is None:
        classes = check_binary_labels(y_true)[1]
    try:
        spec = resolve_spec(
            objective, constraint, classes=classes, pos_label=pos_label, exact_only=True
        )
    except ValueError as exc:
        if "computable from the confusion counts" not in str(exc):
            raise
        raise ValueError(
            "ThresholdCurveDisplay draws objectives the exact curve engine "
            "computes: a count metric name, or a scorer of a count metric or a "
            f"cost. Got {objective!r}."
        ) from None
    metric_objs = [get_count_metric(m) for m in metrics]

    curve = spec.curve(y_true, y_score, sample_weight, keep_order=bool(spec.metadata))
    metadata = spec.check_metadata(
        metadata,
        len(curve.y_pos),
        caller="ThresholdCurveDisplay",
        example="ThresholdCurveDisplay.from_predictions(..., {name}=...)",
    )

    values = {}
    if spec.objective is not None:
        values[spec.objective_name] = spec.loss_sign * spec.evaluate(curve, metadata)
    for m in metric_objs:
        values.setdefault(m.name, m(*curve.counts))
    if spec.constraint is not None:
        values.setdefault(spec.constraint.name, spec.constraint.values(curve))

    best = threshold
    if best is None and spec.objective is not None:
        result = tune_curves(spec, [curve], [metadata])
        best = result.threshold
        if spec.constraint is not None and not result.constraint_satisfied:
            spec.warn_infeasible(
                result.constraint_value, then="Marked that threshold.", stacklevel=3
            )
    return {
        "thresholds": curve.thresholds,
        "values": values,
        "objective_name": spec.objective_name,
        "constraint": None
        if spec.constraint is None
        else (spec.constraint.name, spec.constraint.limit),
        "best_threshold": None if best is None else float(best),
        "pos_label": spec.pos_label,
    }
