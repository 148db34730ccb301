"""The results the HTTP service and the command line return, as plain dicts.

Both shells call these functions, so a result has one JSON shape everywhere.
Every number comes from skeval's Python API: the report is
:func:`~skeval.metrics.operating_point_report` (``output_dict=True``), the
findings are :func:`~skeval.metrics.diagnose`'s and the operating point is
:func:`~skeval.metrics.operating_point`'s. Field names are the Python
parameter and attribute names. Nothing here imports FastAPI.
"""

import dataclasses
import inspect
import math
import warnings

import numpy as np

from .._core._labels import check_label_pair, union_labels
from ..metrics import (
    diagnose,
    make_cost_scorer,
    operating_point,
    operating_point_report,
)
from ..metrics._cost import CostMatrix
from ..utils._validation import _as_1d, check_binary_target, resolve_pos_label

__all__ = ["evaluate", "parse_threshold", "to_json", "tune"]

#: How an infinite threshold is written in JSON (never a bare ``Infinity``).
INFINITIES = {"inf": math.inf, "-inf": -math.inf}


def to_json(value):
    """``value`` with numpy scalars, tuples and infinities made JSON-safe.

    ``+inf``/``-inf`` become the strings ``"inf"``/``"-inf"``; NaN becomes
    None.
    """
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [to_json(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    return value


def parse_threshold(value, name="threshold"):
    """A threshold from JSON or the command line: a number, ``"inf"`` or
    ``"-inf"`` (None stays None)."""
    if value is None:
        return None
    number = math.nan
    if isinstance(value, str):
        text = value.strip()
        if text in INFINITIES:
            return INFINITIES[text]
        try:
            number = float(text)
        except ValueError:
            pass
    elif isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        number = float(value)
    if math.isnan(number) or (isinstance(value, str) and math.isinf(number)):
        raise ValueError(
            f'`{name}` must be a number or the string "inf" or "-inf". Got {value!r}.'
        )
    return number


def _check_metadata_names(metadata, cost_matrix):
    """Per-sample arrays are only used by a cost matrix's named cells."""
    metadata = dict(metadata or {})
    used = CostMatrix(cost_matrix).names if cost_matrix is not None else ()
    unknown = sorted(set(metadata) - set(used))
    if unknown:
        raise ValueError(
            "`metadata` must only hold the per-sample arrays that `cost_matrix` "
            f"names ({list(used)}). Got {unknown} as well."
        )
    return metadata


def _pos_and_pred(y_true, y_pred, sample_weight, pos_label):
    """Validated predicted labels and the positive class of both arrays."""
    y_true, y_pred, _ = check_label_pair(y_true, y_pred, sample_weight)
    classes = union_labels(y_true, y_pred)
    if len(classes) > 2:
        raise ValueError(
            "`y_true` and `y_pred` must hold two classes at most together. Got "
            f"{len(classes)}: {classes[:10].tolist()}."
        )
    return y_pred, resolve_pos_label(classes, pos_label)


def _check_evaluate_inputs(y_pred, y_score, threshold):
    if y_pred is None and y_score is None:
        raise ValueError(
            "/evaluate needs predictions: `y_pred` (labels) or `y_score` with a "
            "`threshold`. Got neither."
        )
    if threshold is not None and y_score is None:
        raise ValueError(
            "`threshold` needs `y_score` (predict positive iff y_score >= "
            "threshold). Got a threshold without scores."
        )
    if threshold is not None and y_pred is not None:
        raise ValueError(
            "`y_pred` and `threshold` must not be given together: the "
            "predictions are either the labels sent or y_score >= threshold. "
            "Got both."
        )
    if y_pred is None and threshold is None:
        raise ValueError(
            "`threshold` is required with `y_score` when `y_pred` is not given "
            "(the report needs predictions). Got scores without a threshold."
        )


def evaluate(
    y_true,
    y_pred=None,
    *,
    y_score=None,
    threshold=None,
    pos_label=None,
    sample_weight=None,
    cost_matrix=None,
    labels=None,
    metadata=None,
):
    """Counts, rates, cost and diagnostic findings of one set of predictions.

    The predictions are ``y_pred``, or ``y_score >= threshold``. With
    ``y_pred`` and ``y_score`` together, the scores feed the diagnostics
    (ROC AUC, calibration). Returns a dict: ``n_samples``, ``pos_label``,
    ``threshold`` (None for ``y_pred``), ``report`` (the
    ``operating_point_report`` column, without ``threshold`` for ``y_pred``)
    and ``findings`` (``diagnose``'s, as dicts).
    """
    threshold = parse_threshold(threshold)
    _check_evaluate_inputs(y_pred, y_score, threshold)
    metadata = _check_metadata_names(metadata, cost_matrix)
    y_true = _as_1d(y_true, "y_true")
    if y_pred is not None:
        y_pred, pos_label = _pos_and_pred(y_true, y_pred, sample_weight, pos_label)
        at, scores = 0.5, (y_pred == pos_label).astype(np.float64)
    else:
        _, pos_label = check_binary_target(y_true, pos_label=pos_label)
        at, scores = threshold, y_score
    report = operating_point_report(
        y_true,
        scores,
        thresholds=at,
        pos_label=pos_label,
        sample_weight=sample_weight,
        cost=cost_matrix,
        labels=labels,
        **metadata,
        output_dict=True,
    )["threshold"]
    if y_pred is None:
        # predicted labels: pos_label, else the other class (any other label
        # of the same kind when y_true lacks it; diagnose allows one)
        others = [c for c in np.unique(y_true).tolist() if c != pos_label]
        if others:
            negative = others[0]
        else:
            negative = "" if isinstance(pos_label, str) else int(pos_label == 0)
        above = np.asarray(y_score, dtype=np.float64) >= threshold
        y_pred = np.where(above, pos_label, negative)
    else:
        del report["threshold"]
    findings = diagnose(
        y_true,
        y_pred,
        y_score=y_score,
        threshold=threshold,
        pos_label=pos_label,
        sample_weight=sample_weight,
    )
    return {
        "n_samples": len(y_true),
        "pos_label": pos_label,
        "threshold": threshold,
        "report": report,
        "findings": [dataclasses.asdict(f) for f in findings],
    }


def _fields(point):
    """The public fields of an operating point, as a dict."""
    if dataclasses.is_dataclass(point):
        return dataclasses.asdict(point)
    return {k: v for k, v in vars(point).items() if not k.startswith("_")}


def _has_confidence():
    return "confidence" in inspect.signature(operating_point).parameters


def _resolve_objective(objective, cost_matrix, labels):
    """The objective for operating_point and its name: ``"cost"`` (or None
    with a cost matrix) is minus the cost matrix's mean cost."""
    if objective is None:
        objective = "cost" if cost_matrix is not None else "f1"
    if objective != "cost":
        return objective, objective
    if cost_matrix is None:
        raise ValueError(
            "`objective` 'cost' needs a `cost_matrix` ([[TN, FP], [FN, TP]] costs). "
            "Got none."
        )
    return make_cost_scorer(cost_matrix, labels=labels), "cost"


def tune(
    y_true,
    y_score,
    *,
    objective=None,
    constraint=None,
    pos_label=None,
    sample_weight=None,
    confidence=None,
    cost_matrix=None,
    labels=None,
    metadata=None,
    infeasible_score=0.0,
):
    """The best operating point of labels and scores, with its report.

    ``objective`` is a metric name or ``"cost"`` (minus the mean cost of
    ``cost_matrix``; the default when a cost matrix is given, else ``"f1"``).
    Returns a dict: the fields of :class:`~skeval.metrics.OperatingPoint`
    (``score``, ``threshold``, ...), ``n_samples``, ``pos_label``,
    ``objective``, ``constraint``, ``confidence``, ``report`` (the
    ``operating_point_report`` column at the threshold, with the cost when a
    cost matrix is given) and ``warnings`` (messages, e.g. an infeasible
    constraint).
    """
    metadata = _check_metadata_names(metadata, cost_matrix)
    scorer, name = _resolve_objective(objective, cost_matrix, labels)
    extra = {}
    if confidence is not None:
        if not _has_confidence():
            raise ValueError(
                "`confidence` is not available in this version of skeval "
                "(operating_point has no confidence guarantee yet). Got "
                f"confidence={confidence!r}; leave it out."
            )
        extra["confidence"] = confidence
    if constraint is not None:
        constraint = tuple(constraint)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        point = operating_point(
            y_true,
            y_score,
            objective=scorer,
            constraint=constraint,
            pos_label=pos_label,
            sample_weight=sample_weight,
            infeasible_score=infeasible_score,
            **extra,
            **(metadata if name == "cost" else {}),
        )
    _, pos_label = check_binary_target(y_true, pos_label=pos_label)
    report = operating_point_report(
        y_true,
        y_score,
        thresholds=point.threshold,
        pos_label=pos_label,
        sample_weight=sample_weight,
        cost=cost_matrix,
        labels=labels,
        **metadata,
        output_dict=True,
    )["threshold"]
    return {
        **_fields(point),
        "n_samples": len(_as_1d(y_true, "y_true")),
        "pos_label": pos_label,
        "objective": name,
        "constraint": None if constraint is None else list(constraint),
        "confidence": confidence,
        "report": report,
        "warnings": [str(w.message) for w in caught],
    }
