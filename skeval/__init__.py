"""skeval: choose and judge a classifier's operating point."""

from ._expected_cost import MinimumExpectedCostClassifier
from ._threshold import ThresholdTunedClassifier
from .metrics._cost import make_cost_scorer
from .metrics._plot.threshold_curve import ThresholdCurveDisplay
from .metrics._scorer import (
    get_scorer,
    get_scorer_names,
    make_operating_point_scorer,
)
from .monitoring._monitor import PerformanceMonitor

__version__ = "0.1.0.dev0"

__all__ = [
    "MinimumExpectedCostClassifier",
    "PerformanceMonitor",
    "ThresholdCurveDisplay",
    "ThresholdTunedClassifier",
    "__version__",
    "get_scorer",
    "get_scorer_names",
    "make_cost_scorer",
    "make_operating_point_scorer",
]
