"""Metrics on labels, scores and curves, and the scorers built on them."""

from .._core._count_table import CountTable
from .._core._curve import ConfusionCurve, confusion_curve
from .._core._objective import CurveObjective, register_curve_metric
from ._bootstrap import BootstrapOperatingPoint, bootstrap_operating_point
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
    cluster_entropy,
    inverse_purity_score,
    matched_accuracy_score,
    purity_score,
)
from ._cluster_report import cluster_class_report
from ._cost import cost_loss, make_cost_scorer, savings_score
from ._diagnostics import Finding, diagnose
from ._operating_point import OperatingPoint, operating_point, operating_point_score
from ._plot.threshold_curve import ThresholdCurveDisplay
from ._report import operating_point_report, tuned_threshold_report
from ._scorer import get_scorer, get_scorer_names, make_operating_point_scorer

__all__ = [
    "BootstrapOperatingPoint",
    "bootstrap_operating_point",
    "ConfusionCurve",
    "CountTable",
    "CurveObjective",
    "Finding",
    "OperatingPoint",
    "ThresholdCurveDisplay",
    "cluster_class_report",
    "cluster_entropy",
    "confusion_curve",
    "cost_loss",
    "diagnose",
    "expected_calibration_error",
    "fnr_loss",
    "fpr_loss",
    "g_mean_score",
    "get_scorer",
    "get_scorer_names",
    "inverse_purity_score",
    "make_cost_scorer",
    "make_operating_point_scorer",
    "matched_accuracy_score",
    "npv_score",
    "operating_point",
    "operating_point_report",
    "operating_point_score",
    "purity_score",
    "register_curve_metric",
    "savings_score",
    "specificity_score",
    "tuned_threshold_report",
    "youden_score",
]
