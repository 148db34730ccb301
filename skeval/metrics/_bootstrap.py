"""How sure is an operating point? The bootstrap of the whole selection.

Each resample re-selects the threshold on its in-bag rows (the objective, the
constraint, the midpoint and tie rules of :func:`operating_point`) and
measures it on its out-of-bag rows, as R's cutpointr does; the spread of the
selected thresholds and of the out-of-bag metrics is the uncertainty of the
*procedure*, not of one fixed threshold.

Vectorised on one sort: the scores are sorted once, and a resample is a vector
of multiplicities in that sorted order. Its curve is a cumulative sum of the
multiplicities per group of equal scores (no re-sort per resample), and
per-sample costs are multiplied by the multiplicities, so every objective of
the exact path (costs included) is evaluated by the very formulas the tuner
uses.
"""

from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from .._core._curve import ConfusionCurve
from .._core._formulas import COUNT_METRICS
from .._core._objective import agreed_pos_label
from .._core._request import resolve_spec
from .._core._selection import select, values_at
from ..utils._sklearn_compat import Interval, validate_params
from ..utils._validation import check_binary_labels, check_scores, check_weights
from ._operating_point import check_objective

__all__ = [
    "BootstrapOperatingPoint",
    "bootstrap_operating_point",
    "resampled_intervals",
]

# Out-of-bag metrics always reported (names as in get_scorer_names).
_OOB_METRICS = ("precision", "recall", "f1", "specificity", "alert_rate")


@dataclass(frozen=True)
class BootstrapOperatingPoint:
    """The bootstrap distribution of an operating point's selection.

    Attributes
    ----------
    threshold : float
        :func:`operating_point` on the full data.
    threshold_interval : tuple of float
        The central ``confidence_level`` interval of the in-bag selected
        thresholds (``-inf``/``+inf`` when resamples chose an end).
    intervals : dict of str to tuple of float
        Central ``confidence_level`` intervals of the out-of-bag metrics at each
        resample's own threshold: ``"precision"``, ``"recall"``, ``"f1"``,
        ``"specificity"``, ``"alert_rate"``, the objective's name, the
        constrained metric and, for a cost objective, ``"cost"`` (in cost
        units, lower is better).
    constraint_met_rate : float or None
        Share of resamples whose out-of-bag constrained metric meets the
        constraint (a resample with no feasible in-bag threshold counts as not
        met); None without a constraint.
    thresholds : ndarray of shape (n_resamples,)
        Each resample's in-bag threshold.
    oob : dict of str to ndarray of shape (n_resamples,)
        Each resample's out-of-bag metrics (NaN when the out-of-bag rows are
        empty).
    confidence_level : float
    n_resamples : int

    Examples
    --------
    >>> from skeval.metrics import bootstrap_operating_point
    >>> y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]
    >>> scores = [0.1, 0.3, 0.7, 0.8, 0.4, 0.6, 0.2, 0.9, 0.35, 0.65]
    >>> boot = bootstrap_operating_point(y, scores, n_resamples=50, random_state=0)
    >>> boot.n_resamples, len(boot.thresholds), sorted(boot.intervals)[:3]
    (50, 50, ['alert_rate', 'f1', 'precision'])
    """

    threshold: float
    threshold_interval: tuple
    intervals: dict
    constraint_met_rate: float | None
    thresholds: np.ndarray = field(repr=False)
    oob: dict = field(repr=False)
    confidence_level: float = 0.95
    n_resamples: int = 0


class _Sorted:
    """The data in decreasing score order, with its groups of equal scores.

    A resample is given by the sorted positions it drew (``picks``, with
    repetition); its curve needs only the per-group sums of the drawn rows'
    weights, one ``bincount`` per class, never a sort.
    """

    def __init__(self, y_pos, scores, weights, metadata):
        order = np.argsort(-scores, kind="stable")
        s = scores[order]
        self.pos = y_pos[order]
        self.weights = None if weights is None else weights[order]
        self.metadata = {k: np.asarray(v, float)[order] for k, v in metadata.items()}
        new_group = np.concatenate(([True], s[1:] != s[:-1]))
        self.group = np.cumsum(new_group) - 1  # group index of each sorted row
        starts = np.flatnonzero(new_group)
        self.n_groups = len(starts)
        self.ends = np.concatenate((starts[1:], [len(s)])) - 1
        self.thresholds = np.concatenate(([np.inf], s[starts]))
        self.identity = np.arange(len(s))
        self.rows = (np.flatnonzero(self.pos), np.flatnonzero(~self.pos))

    def _curve(self, pos_sums, neg_sums, row_weights):
        tp = np.concatenate(([0.0], np.cumsum(pos_sums)))
        fp = np.concatenate(([0.0], np.cumsum(neg_sums)))
        curve = ConfusionCurve(
            self.thresholds,
            tp,
            fp,
            y_pos=self.pos,
            order=self.identity,
            group_ends=self.ends,
        )
        if not self.metadata:
            return curve, {}
        # per-sample costs weighted by the rows' multiplicity (and weight)
        w = row_weights() if self.weights is None else row_weights() * self.weights
        return curve, {k: v * w for k, v in self.metadata.items()}

    def in_bag(self, picks):
        """The curve of the drawn rows (``picks``: positive, negative rows)."""
        sums = []
        for drawn in picks:
            w = None if self.weights is None else self.weights[drawn]
            sums.append(
                np.bincount(self.group[drawn], weights=w, minlength=self.n_groups)
            )
        return self._curve(*sums, lambda: self.multiplicity(picks))

    def out_of_bag(self, picks):
        """The curve of the rows no draw picked."""
        missed = self.multiplicity(picks) == 0
        sums = []
        for rows in self.rows:
            keep = rows[missed[rows]]
            w = None if self.weights is None else self.weights[keep]
            sums.append(
                np.bincount(self.group[keep], weights=w, minlength=self.n_groups)
            )
        return self._curve(*sums, lambda: missed.astype(np.float64))

    def multiplicity(self, picks):
        return np.bincount(np.concatenate(picks), minlength=len(self.pos)).astype(
            np.float64
        )


def _draws(rng, data, n_resamples, stratify):
    """The rows each resample draws, as (positive rows, negative rows)."""
    pos_rows, neg_rows = data.rows
    all_rows = data.identity
    for _ in range(n_resamples):
        if stratify:
            yield tuple(
                rows[rng.integers(0, len(rows), size=len(rows))] for rows in data.rows
            )
        else:
            drawn = all_rows[rng.integers(0, len(all_rows), size=len(all_rows))]
            is_pos = data.pos[drawn]
            yield drawn[is_pos], drawn[~is_pos]


def multiplicities(data, picks):
    """Each original row's multiplicity (sorted order), for tests."""
    return data.multiplicity(picks)


def _at(curve, spec, metadata, threshold):
    """Every reported metric of ``curve`` at ``threshold`` (a dict of floats)."""
    where = np.array([threshold])
    counts = [values_at(curve.thresholds, c, where)[0] for c in curve.counts]
    out = {name: float(COUNT_METRICS[name](*counts)) for name in _OOB_METRICS}
    value = float(values_at(curve.thresholds, spec.evaluate(curve, metadata), where)[0])
    out[spec.objective_name] = value
    if spec.loss_sign < 0:
        out["cost"] = -value
    if spec.constraint is not None:
        out[spec.constraint.name] = float(spec.constraint.metric(*counts))
    return out


def _select(spec, curve, metadata):
    """:func:`operating_point`'s selection on one (resampled) curve."""
    con = None
    if spec.constraint is not None:
        con = (
            spec.constraint.values(curve),
            spec.constraint.bound,
            spec.constraint.limit,
        )
    return select(curve.thresholds, spec.evaluate(curve, metadata), constraint=con)


def _interval(values, level):
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    if not len(values):
        return (np.nan, np.nan)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail], method="inverted_cdf")
    return (float(low), float(high))


def resampled_intervals(
    rows_of,
    y_pos,
    y_score,
    sample_weight,
    metadata,
    *,
    n_resamples,
    confidence_level,
    random_state,
):
    """Bootstrap intervals of quantities read off a curve at fixed thresholds.

    ``rows_of(curve, metadata) -> {name: ndarray of shape (n_columns,)}`` is
    evaluated on ``n_resamples`` stratified resamples (one sort, as in
    :func:`bootstrap_operating_point`). Returns ``{name: (low, high,
    values)}`` with ``values`` of shape ``(n_resamples, n_columns)``.
    """
    weights = None if sample_weight is None else np.asarray(sample_weight, float)
    data = _Sorted(
        np.asarray(y_pos, bool), np.asarray(y_score, float), weights, metadata
    )
    rng = np.random.default_rng(check_random_state(random_state).randint(2**31))
    draws = [rows_of(*data.in_bag(p)) for p in _draws(rng, data, n_resamples, True)]
    tail = (1.0 - confidence_level) / 2.0
    out = {}
    for name in draws[0]:
        values = np.vstack([np.asarray(d[name], dtype=np.float64) for d in draws])
        low, high = np.quantile(values, [tail, 1 - tail], axis=0, method="inverted_cdf")
        out[name] = (low, high, values)
    return out


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "n_resamples": [Interval(Integral, 1, None, closed="left")],
        "confidence_level": [Interval(Real, 0.0, 1.0, closed="neither")],
        "stratify": ["boolean"],
        "sample_weight": ["array-like", None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def bootstrap_operating_point(
    y_true,
    y_score,
    *,
    objective="f1",
    constraint=None,
    n_resamples=1000,
    confidence_level=0.95,
    stratify=True,
    pos_label=None,
    sample_weight=None,
    random_state=None,
    **metadata,
):
    """Bootstrap the selection of an operating point: in-bag choice, out-of-bag result.

    Each of ``n_resamples`` bootstrap resamples re-selects the threshold on its
    in-bag rows exactly as :func:`operating_point` does, then measures the
    chosen threshold on the rows it did not draw (out-of-bag). The intervals
    say how much the threshold and its metrics move from one validation draw
    to another, and ``constraint_met_rate`` estimates how often a constraint
    met on the data at hand is met on new data.

    Read more in the :ref:`User Guide <guarantees>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    objective : str or callable, default="f1"
        As in :func:`operating_point`.
    constraint : tuple (str, float), default=None
        As in :func:`operating_point`.
    n_resamples : int, default=1000
        Number of bootstrap resamples.
    confidence_level : float, default=0.95
        Coverage of the central percentile intervals.
    stratify : bool, default=True
        Resample the positives and the negatives separately, so that every
        resample keeps the class counts.
    pos_label : int, float, bool or str, default=None
        As in :func:`operating_point`.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the rows (a drawn row counts its weight times).
    random_state : int, RandomState instance or None, default=None
        Seeds the resamples.
    **metadata : dict of str to array-like of shape (n_samples,)
        The per-sample arrays the objective names (a cost's ``amount``).

    Returns
    -------
    result : BootstrapOperatingPoint
        ``threshold``, ``threshold_interval``, ``intervals``,
        ``constraint_met_rate`` and the per-resample values.

    See Also
    --------
    operating_point : The selection on the data at hand.
    skeval.ThresholdTunedClassifier : ``confidence=`` certifies a constraint.

    Examples
    --------
    >>> import numpy as np
    >>> from skeval.metrics import bootstrap_operating_point
    >>> rng = np.random.RandomState(0)
    >>> y = rng.randint(2, size=500)
    >>> scores = np.clip(0.25 * y + rng.normal(0.4, 0.2, size=500), 0, 1)
    >>> boot = bootstrap_operating_point(
    ...     y, scores, objective="precision", constraint=("recall", 0.9),
    ...     n_resamples=200, random_state=0,
    ... )
    >>> low, high = boot.intervals["recall"]
    >>> print(f"{low:.2f} {high:.2f} {boot.constraint_met_rate:.2f}")
    0.82 0.96 0.47
    """
    resolved, _ = check_objective(objective, constraint)
    y, classes = check_binary_labels(y_true)
    spec = resolve_spec(
        resolved,
        constraint,
        classes=classes,
        pos_label=agreed_pos_label(pos_label, resolved),
    )
    n_samples = len(y)
    metadata = spec.check_metadata(
        metadata,
        n_samples,
        caller="bootstrap_operating_point",
        example="bootstrap_operating_point(y_true, y_score, ..., {name}=...)",
    )
    # the one sort: the full data and every resample share it
    data = _Sorted(
        y == spec.pos_label,
        check_scores(y_score, n_samples=n_samples),
        check_weights(sample_weight, n_samples=n_samples),
        metadata,
    )
    point = _select(spec, *data.in_bag(data.rows))
    if spec.constraint is not None and not point.constraint_satisfied:
        spec.warn_infeasible(
            point.constraint_value, then="The point estimate keeps that threshold."
        )
    rng = np.random.default_rng(check_random_state(random_state).randint(2**31))

    thresholds, oob, met = [], [], []
    for picks in _draws(rng, data, n_resamples, stratify):
        sel = _select(spec, *data.in_bag(picks))
        out_curve, out_md = data.out_of_bag(picks)
        values = _at(out_curve, spec, out_md, sel.threshold)
        if out_curve.tp[-1] + out_curve.fp[-1] == 0:
            values = dict.fromkeys(values, np.nan)
        thresholds.append(sel.threshold)
        oob.append(values)
        if spec.constraint is not None:
            value = values[spec.constraint.name]
            met.append(bool(sel.constraint_satisfied) and spec.constraint.met(value))
    oob = {k: np.array([row[k] for row in oob]) for k in oob[0]}
    return BootstrapOperatingPoint(
        threshold=point.threshold,
        threshold_interval=_interval(thresholds, confidence_level),
        intervals={k: _interval(v, confidence_level) for k, v in oob.items()},
        constraint_met_rate=None if spec.constraint is None else float(np.mean(met)),
        thresholds=np.asarray(thresholds),
        oob=oob,
        confidence_level=confidence_level,
        n_resamples=n_resamples,
    )
