"""What a monitor check returns: one verdict per metric, and the batch's.

Both result classes turn into plain Python types with ``to_dict()`` (numbers,
strings, booleans, None, lists and dicts), ready for ``json.dumps``; an
infinite threshold is written as the string ``"inf"`` or ``"-inf"``. The
service and the command line return exactly these dictionaries.
"""

import math
from dataclasses import dataclass, field, fields

__all__ = ["MetricCheck", "CheckResult", "encode_float", "decode_float"]


def encode_float(value):
    """A float for JSON: ``"inf"``/``"-inf"`` for infinities, None for NaN."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def decode_float(value):
    """The inverse of :func:`encode_float`."""
    if value is None:
        return None
    if isinstance(value, str):
        if value not in ("inf", "-inf"):
            raise ValueError(
                f"An encoded float must be a number, 'inf' or '-inf'. Got {value!r}."
            )
        return float(value)
    return float(value)


def _plain(value):
    """A Python scalar: int for integral weights, else float."""
    value = float(value)
    return int(value) if value.is_integer() else value


def _fmt(value):
    return "n/a" if value is None else f"{value:.4g}"


@dataclass(frozen=True)
class MetricCheck:
    """One metric's verdict in a monitor check.

    Parameters
    ----------
    metric : str
        The metric's name (``"recall"``, ``"alert_rate"``, ``"cost"``, ...).
    baseline : float
        Its value on the baseline.
    value : float or None
        Its value on the batch; None when the batch cannot measure it (e.g.
        recall on a batch without positives).
    ci_low, ci_high : float or None
        Two-sided confidence interval of ``value`` at the monitor's confidence.
    drop : float or None
        How much worse the batch is than the baseline, in the metric's units:
        ``baseline - value`` for a metric where higher is better,
        ``value - baseline`` for an "at most" metric (fpr, fnr, alert rate,
        cost). Negative when the batch is better.
    drop_bound : float or None
        One-sided lower confidence bound of the true drop (baseline's and
        batch's sampling error both counted).
    min_detectable_drop : float
        About the smallest true drop this batch's size detects (half the time),
        at the baseline's rates.
    tolerance : float
        The drop the monitor accepts.
    higher_is_better : bool
        False for the "at most" metrics.
    alert : bool
        True when the rule says the metric got worse by more than the tolerance.
    status : {"ok", "alert", "insufficient_data"}
        ``"insufficient_data"``: the batch cannot measure the metric, or is too
        small to show a drop beyond the tolerance at all.
    reason : str
        The verdict in plain words.

    Examples
    --------
    >>> from skeval.monitoring import MetricCheck
    >>> check = MetricCheck("recall", 0.9, 0.88, 0.84, 0.91, 0.02, -0.03,
    ...                     0.1, 0.05, True, False, "ok", "No evidence of a drop.")
    >>> check.to_dict()["drop"]
    0.02
    """

    metric: str
    baseline: float
    value: float | None
    ci_low: float | None
    ci_high: float | None
    drop: float | None
    drop_bound: float | None
    min_detectable_drop: float
    tolerance: float
    higher_is_better: bool
    alert: bool
    status: str
    reason: str

    def to_dict(self):
        """The verdict as plain Python types (JSON-ready)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float):
                value = encode_float(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data):
        """Rebuild a verdict from :meth:`to_dict`'s output."""
        kwargs = dict(data)
        for name in ("baseline", "value", "ci_low", "ci_high", "drop",
                     "drop_bound", "min_detectable_drop", "tolerance"):
            kwargs[name] = decode_float(kwargs.get(name))
        return cls(**kwargs)

    def __str__(self):
        flag = {"alert": "ALERT", "ok": "ok", "insufficient_data": "n/a"}
        return (
            f"{self.metric}: {_fmt(self.value)} (baseline {_fmt(self.baseline)}) "
            f"[{flag.get(self.status, self.status)}] {self.reason}"
        )


@dataclass(frozen=True)
class CheckResult:
    """The result of :meth:`PerformanceMonitor.check` (or ``estimate``).

    Parameters
    ----------
    index : int
        The check's position in the monitor's history (0 first).
    timestamp : str
        ISO 8601 time of the batch (given, or when it was checked, UTC).
    batch : str or int or None
        The caller's name for the batch.
    n_samples : int
        Number of samples in the batch.
    counts : dict
        The batch's (weighted) confusion counts ``{"tp", "fp", "fn", "tn"}``;
        expected counts for an estimate.
    metrics : dict of str to MetricCheck
        One verdict per monitored metric, in the monitor's order.
    rule : {"statistical", "fixed"}
        The alert rule used.
    confidence : float
        The confidence of the intervals and of the statistical rule.
    threshold : float or None
        The decision threshold applied to ``y_score``; None when the batch
        came as predicted labels.
    estimated : bool, default=False
        True for :meth:`PerformanceMonitor.estimate`: the counts are expected
        values from calibrated probabilities, not observed labels.
    notes : tuple of str, default=()
        What the reader must know (an estimate's assumptions, the baseline's
        calibration).

    Attributes
    ----------
    alert : bool
        Whether any metric alerts.
    alerts : list of str
        The alerting metrics.

    Examples
    --------
    >>> import numpy as np
    >>> from skeval.monitoring import PerformanceMonitor
    >>> rng = np.random.RandomState(0)
    >>> y = rng.randint(0, 2, 2000)
    >>> pred = np.where(rng.uniform(size=2000) < 0.9, y, 1 - y)
    >>> monitor = PerformanceMonitor(metrics=["recall"]).set_baseline(y, pred)
    >>> result = monitor.check(y[:500], pred[:500], batch="day 1")
    >>> result.alert, result.n_samples
    (False, 500)
    >>> sorted(result.to_dict())[:4]
    ['alert', 'alerts', 'batch', 'confidence']
    """

    index: int
    timestamp: str
    batch: object
    n_samples: int
    counts: dict
    metrics: dict
    rule: str
    confidence: float
    threshold: float | None
    estimated: bool = False
    notes: tuple = field(default_factory=tuple)

    @property
    def alert(self):
        return any(m.alert for m in self.metrics.values())

    @property
    def alerts(self):
        return [name for name, m in self.metrics.items() if m.alert]

    def to_dict(self):
        """The result as plain Python types (JSON-ready).

        Infinite thresholds are ``"inf"``/``"-inf"``; ``metrics`` is a list
        of :meth:`MetricCheck.to_dict` in the monitor's order.
        """
        return {
            "index": int(self.index),
            "timestamp": self.timestamp,
            "batch": self.batch,
            "n_samples": int(self.n_samples),
            "counts": {k: _plain(v) for k, v in self.counts.items()},
            "metrics": [m.to_dict() for m in self.metrics.values()],
            "alert": bool(self.alert),
            "alerts": self.alerts,
            "rule": self.rule,
            "confidence": float(self.confidence),
            "threshold": encode_float(self.threshold),
            "estimated": bool(self.estimated),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a result from :meth:`to_dict`'s output."""
        metrics = [MetricCheck.from_dict(m) for m in data["metrics"]]
        return cls(
            index=int(data["index"]),
            timestamp=data["timestamp"],
            batch=data.get("batch"),
            n_samples=int(data["n_samples"]),
            counts={k: float(v) for k, v in data["counts"].items()},
            metrics={m.metric: m for m in metrics},
            rule=data["rule"],
            confidence=float(data["confidence"]),
            threshold=decode_float(data.get("threshold")),
            estimated=bool(data.get("estimated", False)),
            notes=tuple(data.get("notes", ())),
        )

    def __str__(self):
        kind = "Estimate" if self.estimated else "Check"
        head = (
            f"{kind} {self.index} ({self.timestamp}"
            + (f", batch {self.batch}" if self.batch is not None else "")
            + f", {self.n_samples} samples): "
            + ("ALERT on " + ", ".join(self.alerts) if self.alert else "no alert")
        )
        lines = [head] + ["  " + str(m) for m in self.metrics.values()]
        lines += ["  note: " + note for note in self.notes]
        return "\n".join(lines)
