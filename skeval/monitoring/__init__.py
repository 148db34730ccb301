"""Monitoring a deployed classifier: honest alerts on labelled batches."""

from ._display import MonitorDisplay
from ._monitor import PerformanceMonitor
from ._result import CheckResult, MetricCheck

__all__ = ["CheckResult", "MetricCheck", "MonitorDisplay", "PerformanceMonitor"]
