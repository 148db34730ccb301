"""skeval: choose and judge a classifier's operating point."""

from ._expected_cost import MinimumExpectedCostClassifier
from ._threshold import ThresholdTunedClassifier

__version__ = "0.1.0.dev0"

__all__ = ["MinimumExpectedCostClassifier", "ThresholdTunedClassifier", "__version__"]
