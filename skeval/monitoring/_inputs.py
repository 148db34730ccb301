"""Turning a batch (labels, predictions or scores, weights) into cell sums,
and checking the monitor's parameters."""

import datetime
import numbers

import numpy as np

from .._core._formulas import COUNT_METRICS
from ..metrics._cost import CostMatrix
from ..utils._validation import check_binary_target, check_scores, check_weights
from ._result import decode_float

__all__ = [
    "batch_cells",
    "check_batch_name",
    "check_confidence",
    "check_cost",
    "check_threshold",
    "check_metrics",
    "check_timestamp",
    "check_tolerance",
    "cell_costs",
    "expected_cells",
    "plain_label",
]

_NAMED_COSTS = ("tp", "fp", "fn", "tn")


def plain_label(label):
    """A class label as a plain Python scalar (for JSON and SQLite)."""
    if isinstance(label, np.generic):
        label = label.item()
    if label is not None and not isinstance(label, (bool, int, float, str)):
        raise TypeError(
            "`pos_label` must be a number, a bool or a string. Got "
            f"{type(label).__name__}."
        )
    return label


def check_metrics(metrics):
    """The monitored metric names, as a tuple."""
    if isinstance(metrics, str):
        metrics = (metrics,)
    try:
        metrics = tuple(metrics)
    except TypeError:
        raise TypeError(
            "`metrics` must be a metric name or a sequence of names. Got "
            f"{type(metrics).__name__}."
        ) from None
    known = sorted(COUNT_METRICS) + ["cost"]
    if not metrics:
        raise ValueError(f"`metrics` must name at least one metric of {known}. Got ().")
    for name in metrics:
        if name not in known:
            raise ValueError(f"`metrics` must be names among {known}. Got {name!r}.")
    if len(set(metrics)) != len(metrics):
        raise ValueError(f"`metrics` must not repeat a name. Got {list(metrics)}.")
    return metrics


def check_tolerance(tolerance, metrics):
    """One non-negative finite tolerance per metric, as a dict."""
    if isinstance(tolerance, dict):
        unknown = sorted(set(tolerance) - set(metrics))
        missing = [m for m in metrics if m not in tolerance]
        if unknown or missing:
            raise ValueError(
                "`tolerance` as a dict must give one value per monitored metric "
                f"{list(metrics)}. Got unknown {unknown} and missing {missing}."
            )
        values = {m: tolerance[m] for m in metrics}
    else:
        values = dict.fromkeys(metrics, tolerance)
    for name, value in values.items():
        if (
            not isinstance(value, numbers.Real)
            or isinstance(value, bool)
            or not np.isfinite(value)
            or value < 0
        ):
            raise ValueError(
                "`tolerance` must be a finite number >= 0 (or a dict of them per "
                f"metric). Got {value!r} for {name!r}."
            )
        values[name] = float(value)
    return values


def check_cost(metrics, cost_matrix, named):
    """The cost parameters as stored: a 2 x 2 list, or named cells, or None."""
    given = {k: v for k, v in named.items() if v is not None}
    if cost_matrix is not None and given:
        raise ValueError(
            "Give the costs either as `cost_matrix` or as the named cells "
            f"fp=, fn=, tp=, tn=, not both. Got cost_matrix and {sorted(given)}."
        )
    has_cost = cost_matrix is not None or bool(given)
    if "cost" in metrics and not has_cost:
        raise ValueError(
            "The metric 'cost' needs the costs: pass cost_matrix=[[...], [...]] or "
            "named cells such as fp=1, fn=5."
        )
    if has_cost and "cost" not in metrics:
        raise ValueError(
            "Costs were given but 'cost' is not among `metrics`. Got metrics="
            f"{list(metrics)}; add 'cost'."
        )
    if given:
        for key, value in given.items():
            if not isinstance(value, numbers.Real) or not np.isfinite(value):
                raise ValueError(
                    f"`{key}` must be a finite number (the cost of one {key}). "
                    f"Got {value!r}."
                )
        return {"named": {k: float(given.get(k, 0.0)) for k in _NAMED_COSTS}}
    if cost_matrix is not None:
        matrix = CostMatrix(cost_matrix)
        if matrix.size != 2 or matrix.names:
            raise ValueError(
                "The monitor's `cost_matrix` must be 2 x 2 with numbers only (rows "
                f"and columns: the two classes, sorted). Got {matrix.as_list()!r}."
            )
        return {"matrix": matrix.as_list()}
    return None


def cell_costs(cost, classes, pos_label):
    """The (tp, fp, fn, tn) cost of each cell."""
    if "named" in cost:
        return tuple(cost["named"][k] for k in _NAMED_COSTS)
    fixed = CostMatrix(cost["matrix"]).fixed
    p = list(classes).index(pos_label)
    n = 1 - p
    return (fixed[p, p], fixed[n, p], fixed[p, n], fixed[n, n])


def check_timestamp(timestamp):
    """An ISO 8601 string: the given time, or now (UTC)."""
    if timestamp is None:
        now = datetime.datetime.now(datetime.timezone.utc)
        return now.isoformat(timespec="seconds")
    if isinstance(timestamp, datetime.datetime):
        return timestamp.isoformat()
    if isinstance(timestamp, datetime.date):
        return timestamp.isoformat()
    if isinstance(timestamp, str):
        try:
            datetime.datetime.fromisoformat(timestamp)
        except ValueError:
            raise ValueError(
                f"`timestamp` must be an ISO 8601 date or time. Got {timestamp!r}."
            ) from None
        return timestamp
    raise TypeError(
        "`timestamp` must be a datetime, a date or an ISO 8601 string. Got "
        f"{type(timestamp).__name__}."
    )


def check_batch_name(batch):
    if batch is None or isinstance(batch, str):
        return batch
    if isinstance(batch, numbers.Integral) and not isinstance(batch, bool):
        return int(batch)
    raise TypeError(
        f"`batch` must be a string, an integer or None. Got {type(batch).__name__}."
    )


def _check_classes(values, classes, name):
    present = np.unique(values)
    unknown = present[~np.isin(present, np.asarray(classes, dtype=object))]
    if len(unknown):
        raise ValueError(
            f"`{name}` must hold only the baseline's classes {list(classes)}. "
            f"Got {unknown[:5].tolist()}."
        )


def batch_cells(
    y_true, y_pred, y_score, sample_weight, *, classes, pos_label, threshold, caller
):
    """Cell sums of a batch: ``(S, Q, n_samples)``, plus the parts reused.

    Returns
    -------
    S, Q : ndarray of shape (4,)
        Per cell (tp, fp, fn, tn): the sum of the weights, of their squares.
    parts : dict
        ``y_pos``, ``pred_pos``, ``scores`` (or None) and ``weights`` (or None).
    """
    if classes is not None:
        _check_classes(np.asarray(y_true).ravel(), classes, "y_true")
    y_pos, _ = check_binary_target(y_true, pos_label=pos_label)
    n = len(y_pos)
    scores = None if y_score is None else check_scores(y_score, n_samples=n)
    if y_pred is not None:
        pred = np.asarray(y_pred)
        if pred.ndim != 1 or len(pred) != n:
            raise ValueError(
                f"`y_pred` must be one-dimensional with one entry per sample ({n}). "
                f"Got shape {pred.shape}."
            )
        if classes is not None:
            _check_classes(pred, classes, "y_pred")
        pred_pos = pred == pos_label
    elif scores is not None:
        if threshold is None:
            raise ValueError(
                f"{caller} needs a threshold to turn `y_score` into predictions: "
                "pass PerformanceMonitor(threshold=...) or y_pred. Got threshold=None."
            )
        pred_pos = scores >= threshold
    else:
        raise ValueError(f"{caller} needs `y_pred` or `y_score`. Got neither.")
    w = check_weights(sample_weight, n_samples=n)
    code = (~pred_pos).astype(np.intp) * 2 + (~y_pos).astype(np.intp)
    S = np.bincount(code, weights=w, minlength=4).astype(np.float64)
    Q = S.copy() if w is None else np.bincount(code, weights=w * w, minlength=4)
    parts = {"y_pos": y_pos, "pred_pos": pred_pos, "scores": scores, "weights": w}
    return S, Q, n, parts


def expected_cells(scores, pred_pos, w):
    """Expected cell sums when each label is positive with its score's
    probability (calibration): ``(S, Q)``."""
    w = np.ones(len(scores)) if w is None else w
    p = scores
    shares = [p * pred_pos, (1 - p) * pred_pos, p * ~pred_pos, (1 - p) * ~pred_pos]
    S = np.array([float(np.sum(w * s)) for s in shares])
    Q = np.array([float(np.sum(w * w * s)) for s in shares])
    return S, Q


def check_confidence(confidence):
    if isinstance(confidence, bool) or not (
        isinstance(confidence, numbers.Real) and 0 < confidence < 1
    ):
        raise ValueError(
            f"`confidence` must be a number strictly between 0 and 1. Got "
            f"{confidence!r}."
        )
    return float(confidence)


def check_threshold(threshold):
    if threshold is None:
        return None
    try:
        value = decode_float(threshold)
    except (TypeError, ValueError):
        value = np.nan
    if value is None or np.isnan(value):
        raise ValueError(
            "`threshold` must be a number (or +-inf, 'inf', '-inf'). Got "
            f"{threshold!r}."
        )
    return value
