"""PerformanceMonitor: compare each labelled batch with the baseline."""

import threading

import numpy as np

from ..metrics._diagnostics import diagnose
from ..utils._validation import check_binary_target, check_scores, check_weights
from ._history import HistoryMixin, estimate_notes
from ._inputs import (
    batch_cells,
    cell_costs,
    check_batch_name,
    check_confidence,
    check_cost,
    check_metrics,
    check_threshold,
    check_timestamp,
    check_tolerance,
    expected_cells,
    plain_label,
)
from ._result import CheckResult, encode_float
from ._stats import metric_spec
from ._store import Store

__all__ = ["PerformanceMonitor"]

_RULES = ("statistical", "fixed")
_CELLS = ("tp", "fp", "fn", "tn")


class PerformanceMonitor(HistoryMixin):
    """Compare batches of labelled predictions with a baseline, honestly.

    Set a baseline (the validation data at deployment), then ``check`` each
    new labelled batch. Per metric, a check reports the batch's value with a
    confidence interval, how much worse it is than the baseline (``drop``),
    and alerts only when the data show, at the stated confidence, that the
    metric got worse by more than ``tolerance``; the baseline's own sampling
    error is counted. A batch too small to show such a drop says so instead
    of alerting, and every check reports the smallest drop its size could
    detect.

    Read more in the :ref:`User Guide <monitoring>`.

    Parameters
    ----------
    metrics : str or sequence of str, default=("recall", "precision", "f1")
        Any count metric skeval knows by name (``skeval.get_scorer_names``
        lists the scorers; the count metrics are f1, accuracy,
        balanced_accuracy, matthews_corrcoef, jaccard, cohen_kappa, youden,
        g_mean, precision, recall, specificity, npv, fpr, fnr, alert_rate),
        and ``"cost"`` (the mean cost per sample, needs the costs). fpr, fnr,
        alert_rate and cost are "at most" metrics: worse means higher.
    tolerance : float or dict of str to float, default=0.05
        The accepted drop, absolute, in the metric's units (0.05 = five
        points of recall); a dict gives one per metric.
    confidence : float, default=0.95
        Confidence of the intervals and of the statistical rule: with no true
        drop beyond the tolerance, each metric alerts with probability at
        most ``1 - confidence`` per check.
    threshold : float, default=None
        Positive iff ``y_score >= threshold``, for batches given as scores.
    pos_label : int, float, bool or str, default=None
        The positive class. None: 1 (or True) for {0, 1}, {-1, 1} and boolean
        labels, else the greater label.
    store : str or os.PathLike, default=None
        An SQLite file that keeps the configuration, the baseline and every
        check; each check is committed before it is returned. An existing
        store with the same configuration is resumed (use :meth:`load` to
        resume one whatever its configuration).
    rule : {"statistical", "fixed"}, default="statistical"
        ``"fixed"`` alerts when the point estimate drops by more than the
        tolerance (the common rule, which ignores sampling error; for
        comparison).
    on_alert : callable, default=None
        Called as ``on_alert(result)`` with the :class:`CheckResult` of every
        check that alerts (after it is stored). Alerts are also logged to the
        ``"skeval.monitoring"`` logger at WARNING.
    cost_matrix : array-like of shape (2, 2), default=None
        Costs for ``"cost"``: ``cost_matrix[i][j]`` is the cost of predicting
        class ``j`` for a sample of class ``i``, classes in sorted order.
    tp, fp, fn, tn : float, default=None
        The costs as named cells (missing ones cost 0), whatever the
        positive class; instead of ``cost_matrix``.

    Attributes
    ----------
    baseline_ : dict or None
        The baseline, JSON-ready: ``n_samples``, ``counts``, ``metrics`` (name
        to value), ``classes``, ``pos_label``, ``threshold``, ``timestamp``,
        ``findings`` (:func:`~skeval.metrics.diagnose` on the baseline, with
        scores) and the cell sums the tests use.
    history_ : list of CheckResult
        Every check and estimate, in order.
    pos_label_ : int, float, bool or str
        The positive class used (set with the baseline).
    classes_ : list
        The baseline's two classes, sorted.

    See Also
    --------
    MonitorDisplay : The history of one metric, with alerts.
    skeval.metrics.diagnose : Warnings about one evaluation's numbers.

    Notes
    -----
    The statistical rule tests, per metric and at level ``1 - confidence``,
    whether the true drop exceeds the tolerance. Proportions (recall,
    precision, specificity, npv, fpr, fnr, alert rate, accuracy) combine the
    exact (Clopper-Pearson) bounds of the baseline and of the batch by
    Newcombe's square-and-add rule: valid with few cases and values near 0
    or 1, where normal-approximation bounds over-alert. The other metrics (F1,
    MCC, cost, ...) are not one proportion and not linear in the counts: the
    baseline's and the batch's four cell counts are resampled (multinomial,
    2000 draws, fixed seed) and the bound is a percentile of the resampled
    drops; a batch whose approximate smallest detectable drop exceeds what the
    metric's range allows is reported as too small rather than tested. With
    sample weights, Kish's effective sample size stands for the count.

    Examples
    --------
    >>> import numpy as np
    >>> from skeval.monitoring import PerformanceMonitor
    >>> rng = np.random.RandomState(0)
    >>> def batch(n, recall):
    ...     y = (rng.uniform(size=n) < 0.3).astype(int)
    ...     hit = rng.uniform(size=n) < np.where(y == 1, recall, 0.1)
    ...     return y, hit.astype(int)
    >>> monitor = PerformanceMonitor(metrics=["recall", "precision"])
    >>> monitor = monitor.set_baseline(*batch(5000, 0.9))
    >>> print(round(monitor.baseline_["metrics"]["recall"], 3))
    0.899
    >>> monitor.check(*batch(5000, 0.88)).alert
    False
    >>> result = monitor.check(*batch(5000, 0.75))
    >>> result.alerts
    ['recall']
    """

    def __init__(
        self,
        metrics=("recall", "precision", "f1"),
        *,
        tolerance=0.05,
        confidence=0.95,
        threshold=None,
        pos_label=None,
        store=None,
        rule="statistical",
        on_alert=None,
        cost_matrix=None,
        tp=None,
        fp=None,
        fn=None,
        tn=None,
    ):
        self.metrics = check_metrics(metrics)
        self.tolerance = check_tolerance(tolerance, self.metrics)
        self.confidence = check_confidence(confidence)
        self.threshold = check_threshold(threshold)
        self.pos_label = plain_label(pos_label)
        if rule not in _RULES:
            raise ValueError(f"`rule` must be one of {list(_RULES)}. Got {rule!r}.")
        self.rule = rule
        if on_alert is not None and not callable(on_alert):
            raise TypeError(
                f"`on_alert` must be callable or None. Got {type(on_alert).__name__}."
            )
        self.on_alert = on_alert
        named = dict(tp=tp, fp=fp, fn=fn, tn=tn)
        self.cost = check_cost(self.metrics, cost_matrix, named)
        self.baseline_ = None
        self.history_ = []
        self._lock = threading.Lock()
        self.store = None if store is None else Store(store)
        if self.store is not None:
            self._open_store()

    def __getstate__(self):
        state = dict(self.__dict__)
        del state["_lock"]  # a lock does not pickle
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    # -- configuration and store ------------------------------------------

    def get_config(self):
        """The monitor's parameters as plain Python types (JSON-ready).

        ``PerformanceMonitor(**config)`` rebuilds an equivalent monitor (add
        ``store=`` and ``on_alert=`` as needed); the threshold is encoded as
        ``"inf"``/``"-inf"`` when infinite.

        Returns
        -------
        config : dict
        """
        config = {
            "metrics": list(self.metrics),
            "tolerance": dict(self.tolerance),
            "confidence": self.confidence,
            "threshold": encode_float(self.threshold),
            "pos_label": self.pos_label,
            "rule": self.rule,
        }
        if self.cost is not None and "matrix" in self.cost:
            config["cost_matrix"] = self.cost["matrix"]
        elif self.cost is not None:
            config.update(self.cost["named"])
        return config

    def _open_store(self):
        if not self.store.exists():
            self.store.create(self.get_config())
            return
        stored = self.store.read("config")
        if stored != self.get_config():
            differ = sorted(
                k for k in set(stored) | set(self.get_config())
                if stored.get(k) != self.get_config().get(k)
            )
            raise ValueError(
                f"The store {self.store.path!r} holds a monitor with another "
                f"configuration (differing: {differ}; stored: {stored}). Resume it "
                "with PerformanceMonitor.load(store), or use another file."
            )
        self._restore()

    def _restore(self):
        baseline = self.store.read("baseline")
        if baseline is not None:
            self._set_baseline_state(baseline)
        self.history_ = [CheckResult.from_dict(r) for r in self.store.history()]

    @classmethod
    def load(cls, store, *, on_alert=None):
        """Resume the monitor kept in ``store``: configuration, baseline and
        history.

        Parameters
        ----------
        store : str or os.PathLike
            The SQLite file of a monitor.
        on_alert : callable, default=None
            The callback of the resumed monitor (callables are not stored).

        Returns
        -------
        monitor : PerformanceMonitor

        Examples
        --------
        >>> import os, tempfile
        >>> from skeval.monitoring import PerformanceMonitor
        >>> path = os.path.join(tempfile.mkdtemp(), "monitor.db")
        >>> monitor = PerformanceMonitor(metrics="recall", store=path)
        >>> _ = monitor.set_baseline([0, 1, 1, 0, 1], [0, 1, 0, 0, 1])
        >>> _ = monitor.check([1, 1, 0, 1], [1, 1, 0, 0])
        >>> resumed = PerformanceMonitor.load(path)
        >>> len(resumed.history_), resumed.baseline_["metrics"]
        (1, {'recall': 0.6666666666666666})
        """
        handle = Store(store)
        if not handle.exists():
            raise ValueError(
                f"`store` must name an existing monitor database. Got {handle.path!r}."
            )
        monitor = cls(**handle.read("config"), on_alert=on_alert)
        monitor.store = handle
        monitor._restore()
        return monitor

    # -- baseline ----------------------------------------------------------

    def _set_baseline_state(self, baseline):
        self.baseline_ = baseline
        self.pos_label_ = baseline["pos_label"]
        self.classes_ = list(baseline["classes"])
        costs = None
        if self.cost is not None:
            costs = cell_costs(self.cost, self.classes_, self.pos_label_)
        self._specs = {m: metric_spec(m, costs) for m in self.metrics}

    def set_baseline(self, y_true, y_pred=None, *, y_score=None, sample_weight=None):
        """Set the reference the checks compare with.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True binary labels; both classes must be present.
        y_pred : array-like of shape (n_samples,), default=None
            Predicted labels. None: ``y_score >= threshold``.
        y_score : array-like of shape (n_samples,), default=None
            Scores of the positive class. Give them (with ``y_pred`` or the
            threshold) to check the scores' calibration, which
            :meth:`estimate` relies on.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        self : PerformanceMonitor
        """
        y_arr = np.asarray(y_true)
        _, pos_label = _resolve_target(y_arr, self.pos_label)
        classes = np.unique(y_arr.ravel())
        classes_list = [plain_label(c) for c in classes.tolist()]
        S, Q, n, parts = batch_cells(
            y_true, y_pred, y_score, sample_weight, classes=classes_list,
            pos_label=pos_label, threshold=self.threshold, caller="set_baseline",
        )
        findings = []
        if parts["scores"] is not None:
            neg = classes[classes != pos_label][0]
            labels = np.where(parts["pred_pos"], pos_label, neg)
            findings = [
                {"code": f.code, "severity": f.severity, "message": f.message}
                for f in diagnose(
                    y_arr.ravel(), labels, y_score=parts["scores"],
                    pos_label=pos_label, sample_weight=parts["weights"],
                )
            ]
        costs = None
        if self.cost is not None:
            costs = cell_costs(self.cost, classes_list, plain_label(pos_label))
        values = {m: metric_spec(m, costs).value(S) for m in self.metrics}
        undefined = [m for m, v in values.items() if v is None]
        if undefined:
            raise ValueError(
                f"The baseline must measure every monitored metric; {undefined} "
                "cannot be measured on it (a zero denominator: e.g. precision "
                f"with no positive prediction). Got counts "
                f"{ {k: _plain(v) for k, v in zip(_CELLS, S)} }."
            )
        baseline = {
            "n_samples": int(n),
            "counts": dict(zip(_CELLS, (_plain(v) for v in S))),
            "metrics": values,
            "classes": classes_list,
            "pos_label": plain_label(pos_label),
            "threshold": encode_float(self.threshold),
            "timestamp": check_timestamp(None),
            "scores_given": parts["scores"] is not None,
            "probabilities": bool(
                parts["scores"] is not None
                and parts["scores"].min() >= 0 and parts["scores"].max() <= 1
            ),
            "findings": findings,
            "cell_sums": S.tolist(),
            "cell_square_sums": Q.tolist(),
        }
        self._set_baseline_state(baseline)
        if self.store is not None:
            self.store.write(config=self.get_config(), baseline=baseline)
        return self

    @classmethod
    def from_tuner(cls, tuner, X_val, y_val, *, sample_weight=None, **kwargs):
        """A monitor whose baseline is a fitted tuner's operating point.

        The threshold is the tuner's ``best_threshold_`` and the positive class
        its own; the baseline is the tuner's predictions and scores on the
        validation data, so later batches can come as scores.

        Parameters
        ----------
        tuner : ThresholdTunedClassifier
            A fitted binary :class:`~skeval.ThresholdTunedClassifier`.
        X_val : array-like of shape (n_samples, n_features)
            Validation data (not used to fit the tuner).
        y_val : array-like of shape (n_samples,)
            Its labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the validation samples.
        **kwargs : dict
            The monitor's other parameters (``metrics``, ``tolerance``,
            ``store``, ...); not ``threshold`` or ``pos_label``.

        Returns
        -------
        monitor : PerformanceMonitor

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.linear_model import LogisticRegression
        >>> from skeval import ThresholdTunedClassifier
        >>> from skeval.monitoring import PerformanceMonitor
        >>> X, y = make_classification(n_samples=2000, flip_y=0.2, random_state=0)
        >>> tuner = ThresholdTunedClassifier(LogisticRegression(), objective="f1")
        >>> tuner = tuner.fit(X[:1000], y[:1000])
        >>> monitor = PerformanceMonitor.from_tuner(tuner, X[1000:], y[1000:])
        >>> monitor.threshold == tuner.best_threshold_
        True
        >>> print(round(monitor.baseline_["metrics"]["f1"], 3))
        0.887
        """
        from ._tuner import tuner_baseline

        for key in ("threshold", "pos_label"):
            if key in kwargs:
                raise TypeError(
                    f"from_tuner takes `{key}` from the tuner; do not pass it. Got "
                    f"{key}={kwargs[key]!r}."
                )
        threshold, pos_label, scores = tuner_baseline(tuner, X_val)
        monitor = cls(threshold=threshold, pos_label=pos_label, **kwargs)
        return monitor.set_baseline(y_val, y_score=scores, sample_weight=sample_weight)

    # -- checks ------------------------------------------------------------

    def _require_baseline(self, caller):
        if self.baseline_ is None:
            raise ValueError(
                f"{caller} needs a baseline: call set_baseline(...) or build the "
                "monitor with PerformanceMonitor.from_tuner(...) first."
            )

    def check(
        self, y_true, y_pred=None, *, y_score=None, sample_weight=None,
        timestamp=None, batch=None,
    ):
        """Compare one labelled batch with the baseline; record and return it.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True labels, among the baseline's classes.
        y_pred : array-like of shape (n_samples,), default=None
            Predicted labels. Give these or ``y_score``, not both.
        y_score : array-like of shape (n_samples,), default=None
            Scores of the positive class, turned into predictions with the
            monitor's ``threshold``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.
        timestamp : datetime or str, default=None
            When the batch happened (ISO 8601 string); None: now, UTC.
        batch : str or int, default=None
            A name for the batch (e.g. ``"2024-06-01"``).

        Returns
        -------
        result : CheckResult
            One :class:`MetricCheck` per metric; ``result.alert`` is True when
            any metric alerts. Stored (and committed) before it is returned.
        """
        self._require_baseline("check")
        if y_pred is not None and y_score is not None:
            raise ValueError(
                "check takes `y_pred` or `y_score`, not both. Got both."
            )
        timestamp, batch = check_timestamp(timestamp), check_batch_name(batch)
        S, Q, n, _ = batch_cells(
            y_true, y_pred, y_score, sample_weight, classes=self.classes_,
            pos_label=self.pos_label_, threshold=self.threshold, caller="check",
        )
        threshold = self.threshold if y_pred is None else None
        return self._record(S, Q, n, timestamp, batch, threshold, False, ())

    def estimate(self, y_score, *, sample_weight=None, timestamp=None, batch=None):
        """Expected metrics of an unlabelled batch, from calibrated scores.

        Each sample is taken to be positive with the probability its score
        states, so the expected confusion counts are sums of scores over the
        predicted positives and negatives (confidence-based estimation). This
        assumes calibrated probabilities and no concept shift (the chance of a
        positive at a given score is as at the baseline); the result says so,
        with the baseline's calibration check.

        Parameters
        ----------
        y_score : array-like of shape (n_samples,)
            Probabilities of the positive class, in [0, 1].
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.
        timestamp : datetime or str, default=None
            When the batch happened; None: now, UTC.
        batch : str or int, default=None
            A name for the batch.

        Returns
        -------
        result : CheckResult
            Marked ``estimated=True``, with the assumptions in ``notes``;
            recorded in the history like a check.
        """
        self._require_baseline("estimate")
        timestamp, batch = check_timestamp(timestamp), check_batch_name(batch)
        scores = check_scores(y_score, n_samples=np.size(y_score))
        if scores.min() < 0 or scores.max() > 1:
            raise ValueError(
                "estimate needs calibrated probabilities of the positive class, in "
                f"[0, 1]. Got scores in [{scores.min():.4g}, {scores.max():.4g}]."
            )
        if self.threshold is None:
            raise ValueError(
                "estimate needs the monitor's `threshold` to turn scores into "
                "predictions. Got threshold=None."
            )
        w = check_weights(sample_weight, n_samples=len(scores))
        S, Q = expected_cells(scores, scores >= self.threshold, w)
        notes = estimate_notes(self.baseline_)
        return self._record(
            S, Q, len(scores), timestamp, batch, self.threshold, True, notes
        )

def _plain(value):
    value = float(value)
    return int(value) if value.is_integer() else value


def _resolve_target(y, pos_label):
    """Both classes present, and the positive class."""
    y_pos, pos = check_binary_target(y, pos_label=pos_label)
    if y_pos.all() or not y_pos.any():
        raise ValueError(
            "set_baseline needs both classes in `y_true` (the baseline's metrics "
            f"are undefined otherwise). Got only {np.unique(y).tolist()}."
        )
    return y_pos, pos
