"""Metrics on labels, scores and curves, and the scorers built on them."""

from ._counts import ConfusionCurve, confusion_curve
from ._objective import CurveObjective, register_curve_metric

__all__ = [
    "ConfusionCurve",
    "CurveObjective",
    "confusion_curve",
    "register_curve_metric",
]
