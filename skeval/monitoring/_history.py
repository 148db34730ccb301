"""The monitor's history: recording a check, emitting alerts, the frame."""

import logging

import numpy as np

from ._result import CheckResult, MetricCheck
from ._stats import compare
from ._verdict import verdict

__all__ = ["HistoryMixin", "estimate_notes"]

logger = logging.getLogger("skeval.monitoring")

_CELLS = ("tp", "fp", "fn", "tn")


class HistoryMixin:
    """Recording, alerting and the pandas view, for PerformanceMonitor."""

    def _record(self, S, Q, n, timestamp, batch, threshold, estimated, notes):
        base = (
            np.asarray(self.baseline_["cell_sums"]),
            np.asarray(self.baseline_["cell_square_sums"]),
        )
        metrics = {}
        for name, spec in self._specs.items():
            comparison = compare(
                spec, base, (S, Q), tolerance=self.tolerance[name],
                confidence=self.confidence,
            )
            alert, status, reason = verdict(
                spec, comparison, self.tolerance[name], self.rule, self.confidence
            )
            metrics[name] = MetricCheck(
                name, self.baseline_["metrics"][name], comparison.value,
                comparison.ci_low, comparison.ci_high, comparison.drop,
                comparison.drop_bound, comparison.min_detectable_drop,
                self.tolerance[name], spec.higher_is_better, alert, status, reason,
            )
        def make(index):
            return CheckResult(
                index=index, timestamp=timestamp, batch=batch,
                n_samples=int(n), counts=dict(zip(_CELLS, map(float, S))),
                metrics=metrics, rule=self.rule, confidence=self.confidence,
                threshold=threshold, estimated=estimated, notes=tuple(notes),
            )

        with self._lock:
            if self.store is None:
                result = make(len(self.history_))
                self.history_.append(result)
            else:
                # the store numbers the checks, in one transaction: several
                # processes may share one store
                result = self.store.append(make)
                if result.index == len(self.history_):
                    self.history_.append(result)
                else:
                    self.history_ = [
                        CheckResult.from_dict(r) for r in self.store.history()
                    ]
        if result.alert:
            self._emit(result)
        return result

    def _emit(self, result):
        kind = "estimate" if result.estimated else "check"
        for name in result.alerts:
            logger.warning(
                "%s alert (%s %d%s): %s", name, kind, result.index,
                "" if result.batch is None else f", batch {result.batch}",
                result.metrics[name].reason,
            )
        if self.on_alert is not None:
            self.on_alert(result)

    def to_frame(self):
        """The history as a pandas DataFrame, one row per check and metric.

        Columns: ``index``, ``timestamp``, ``batch``, ``n_samples``,
        ``estimated``, then the fields of :class:`MetricCheck`.

        Returns
        -------
        frame : pandas.DataFrame
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is a test dep
            raise ImportError(
                "to_frame needs pandas: pip install pandas (or skeval[io])."
            ) from exc
        rows = []
        for result in self.history_:
            head = {
                "index": result.index, "timestamp": result.timestamp,
                "batch": result.batch, "n_samples": result.n_samples,
                "estimated": result.estimated,
            }
            for check in result.metrics.values():
                row = dict(head)
                row.update({k: getattr(check, k) for k in check.__dataclass_fields__})
                rows.append(row)
        columns = ["index", "timestamp", "batch", "n_samples", "estimated"]
        columns += list(MetricCheck.__dataclass_fields__)
        return pd.DataFrame(rows, columns=columns)



def estimate_notes(baseline):
    notes = [
        "Estimated from the scores, not from labels: assumes the scores are "
        "calibrated probabilities and that the chance of a positive at a given "
        "score is as at the baseline (no concept shift)."
    ]
    poor = [f for f in baseline["findings"] if f["code"] == "poor_calibration"]
    if poor:
        notes.append("Doubtful: on the baseline, " + poor[0]["message"])
    elif baseline["probabilities"]:
        notes.append(
            "On the baseline the scores looked calibrated (diagnose found no "
            "poor_calibration)."
        )
    else:
        notes.append(
            "Calibration unchecked: the baseline was set without probabilities "
            "(y_score in [0, 1])."
        )
    return notes
