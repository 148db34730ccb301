"""MonitorDisplay: one metric's history, its intervals, the baseline and alerts."""

import numpy as np

from ..metrics._plot._draw import _import_pyplot, _label

__all__ = ["MonitorDisplay"]


def _floats(values):
    return np.array([np.nan if v is None else float(v) for v in values])


class MonitorDisplay:
    """One monitored metric over the checks, with alerts.

    Draws the metric per check with its confidence band, the baseline, the
    tolerance line (the baseline moved by the tolerance towards "worse") and
    a marker on every check that alerted. Estimates (no labels) are drawn
    with hollow markers. Build it with :meth:`from_monitor`.

    Read more in the :ref:`User Guide <monitoring>`.

    Parameters
    ----------
    x : array-like of shape (n_checks,)
        Position of each check (its index in the history).
    values, ci_low, ci_high : array-like of shape (n_checks,)
        The metric per check and its interval; NaN where unmeasured.
    baseline, tolerance : array-like of shape (n_checks,)
        The baseline and tolerance in force at each check.
    alerts : array-like of bool of shape (n_checks,)
        Whether the metric alerted at each check.
    metric : str
        The metric's name.
    higher_is_better : bool, default=True
        False for the "at most" metrics: the tolerance line is then above.
    estimated : array-like of bool of shape (n_checks,), default=None
        Which checks are estimates.
    labels : list of str, default=None
        Tick labels (e.g. the batch names).

    Attributes
    ----------
    line_ : matplotlib Line2D
        The metric per check.
    band_ : matplotlib PolyCollection
        The confidence band.
    baseline_line_, tolerance_line_ : matplotlib Line2D
        The baseline and the tolerance line.
    alert_markers_ : matplotlib PathCollection
        One marker per alerting check.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    See Also
    --------
    PerformanceMonitor : Where the history comes from.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skeval.monitoring import MonitorDisplay, PerformanceMonitor
    >>> rng = np.random.RandomState(0)
    >>> def batch(n, recall):
    ...     y = (rng.uniform(size=n) < 0.3).astype(int)
    ...     hit = rng.uniform(size=n) < np.where(y == 1, recall, 0.1)
    ...     return y, hit.astype(int)
    >>> monitor = PerformanceMonitor(metrics="recall").set_baseline(*batch(3000, 0.9))
    >>> for recall in [0.9, 0.89, 0.7]:
    ...     _ = monitor.check(*batch(2000, recall))
    >>> display = MonitorDisplay.from_monitor(monitor, metric="recall")
    >>> display.alert_markers_.get_offsets().shape
    (1, 2)
    """

    def __init__(
        self,
        *,
        x,
        values,
        ci_low,
        ci_high,
        baseline,
        tolerance,
        alerts,
        metric,
        higher_is_better=True,
        estimated=None,
        labels=None,
    ):
        self.x = x
        self.values = values
        self.ci_low = ci_low
        self.ci_high = ci_high
        self.baseline = baseline
        self.tolerance = tolerance
        self.alerts = alerts
        self.metric = metric
        self.higher_is_better = higher_is_better
        self.estimated = estimated
        self.labels = labels

    def plot(self, ax=None):
        """Draw the history.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None: a new figure.

        Returns
        -------
        display : MonitorDisplay
        """
        plt = _import_pyplot("MonitorDisplay.plot")
        if ax is None:
            _, ax = plt.subplots()
        x = np.asarray(self.x, dtype=np.float64)
        values = _floats(self.values)
        baseline = _floats(self.baseline)
        sign = -1.0 if self.higher_is_better else 1.0
        limit = baseline + sign * _floats(self.tolerance)
        alerts = np.asarray(self.alerts, dtype=bool)
        estimated = (
            np.zeros(len(x), dtype=bool)
            if self.estimated is None
            else np.asarray(self.estimated, dtype=bool)
        )
        name = _label(self.metric)
        self.band_ = ax.fill_between(
            x, _floats(self.ci_low), _floats(self.ci_high), alpha=0.25,
            color="C0", linewidth=0, label="confidence interval",
        )
        (self.line_,) = ax.plot(x, values, "-", color="C0", label=name)
        ax.scatter(x[~estimated], values[~estimated], color="C0", s=16, zorder=3)
        ax.scatter(
            x[estimated], values[estimated], facecolors="none", edgecolors="C0",
            s=24, zorder=3, label="estimate (no labels)" if estimated.any() else None,
        )
        (self.baseline_line_,) = ax.plot(
            x, baseline, "--", color="0.3", drawstyle="steps-mid", label="baseline"
        )
        (self.tolerance_line_,) = ax.plot(
            x, limit, ":", color="C3", drawstyle="steps-mid", label="tolerance"
        )
        self.alert_markers_ = ax.scatter(
            x[alerts], values[alerts], marker="X", s=80, color="C3", zorder=4,
            label="alert",
        )
        ax.set_xlabel("check")
        ax.set_ylabel(name)
        if self.labels is not None:
            ax.set_xticks(x, self.labels, rotation=45, ha="right")
        ax.legend(loc="best", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_monitor(cls, monitor, *, metric=None, ax=None):
        """Plot one metric of a monitor's history.

        Parameters
        ----------
        monitor : PerformanceMonitor
            A monitor with at least one check.
        metric : str, default=None
            One of the monitor's metrics; None: the first.
        ax : matplotlib Axes, default=None
            Where to draw; None: a new figure.

        Returns
        -------
        display : MonitorDisplay
        """
        metric = monitor.metrics[0] if metric is None else metric
        if metric not in monitor.metrics:
            raise ValueError(
                "`metric` must be one of the monitor's metrics "
                f"{list(monitor.metrics)}. Got {metric!r}."
            )
        history = monitor.history_
        if not history:
            raise ValueError(
                "MonitorDisplay.from_monitor needs at least one check in the "
                "monitor's history. Got none."
            )
        checks = [r.metrics[metric] for r in history]
        batches = [r.batch for r in history]
        labels = None if any(b is None for b in batches) else [str(b) for b in batches]
        display = cls(
            x=[r.index for r in history],
            values=[c.value for c in checks],
            ci_low=[c.ci_low for c in checks],
            ci_high=[c.ci_high for c in checks],
            baseline=[c.baseline for c in checks],
            tolerance=[c.tolerance for c in checks],
            alerts=[c.alert for c in checks],
            metric=metric,
            higher_is_better=checks[0].higher_is_better,
            estimated=[r.estimated for r in history],
            labels=labels,
        )
        return display.plot(ax=ax)
