"""The operating-point report: what a threshold means, in counts and rates.

Every number comes from one curve of the exact engine (one sort of the
scores), read at the requested thresholds, and from the count formulas of
:mod:`skeval._core._formulas`; nothing is recomputed by hand.
"""

import numbers
from numbers import Integral, Real

import numpy as np

from .._core._curve import _sweep
from .._core._formulas import COUNT_METRICS
from .._core._lazy import as_samples
from .._core._objective import SignedObjective, resolve_objective
from .._core._request import resolve_spec
from .._core._selection import values_at
from ..utils._sklearn_compat import Interval, validate_params
from ..utils._validation import (
    check_binary_labels,
    check_binary_target,
    check_metadata,
    check_scores,
    check_weights,
)
from ._bootstrap import resampled_intervals
from ._cost import CostObjective, make_cost_scorer
from ._fitted import fitted_spec, scores_of
from ._report_text import COUNT_KEYS, ROW_KEYS, ROWS, header, interval_text, text

__all__ = ["operating_point_report", "tuned_threshold_report"]


# ----------------------------------------------------------------- cost
def _cost_objective(cost, labels):
    """The exact-path objective of a cost matrix or cost scorer, as a loss.

    Goes through :func:`~skeval.make_cost_scorer` and the tuner's objective
    resolution, so the report's cost is the tuner's, computed on the curve.
    """
    if callable(cost):
        if labels is not None:
            raise ValueError(
                "`labels` goes with a cost matrix; a cost scorer carries its own. "
                f"Got labels={labels!r} and the scorer {cost!r}."
            )
        scorer = cost
    else:
        scorer = make_cost_scorer(cost, labels=labels)
    objective = resolve_objective(scorer)
    if not (
        isinstance(objective, SignedObjective)
        and isinstance(objective.objective, CostObjective)
    ):
        raise ValueError(
            "`cost` must be a 2 x 2 cost matrix or a scorer made by "
            f"make_cost_scorer with one. Got {cost!r}."
        )
    return objective.objective


# --------------------------------------------------------------- report
def _check_thresholds(thresholds):
    if (
        isinstance(thresholds, numbers.Real)
        and not isinstance(thresholds, bool)
        and not np.isnan(thresholds)
    ):
        return {"threshold": float(thresholds)}
    if isinstance(thresholds, dict) and thresholds:
        out = {}
        for key, value in thresholds.items():
            if (
                not isinstance(key, str)
                or isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or np.isnan(value)
            ):
                break
            out[key] = float(value)
        else:
            return out
    raise TypeError(
        "`thresholds` must be a number or a non-empty dict of column name to "
        f"number (e.g. {{'tuned': 0.31, 'default': 0.5}}). Got {thresholds!r}."
    )


def _report(
    y_true,
    y_score,
    *,
    thresholds,
    spec,
    sample_weight,
    cost,
    labels,
    metadata,
    extra,
    digits,
    output_dict,
    n_resamples=None,
    confidence_level=0.95,
    random_state=None,
    constraint=None,
):
    """Shared body of the two public functions.

    ``spec``: the resolved request (positive class; the classes a cost matrix
    binds to); ``extra``: ``{row: (text label, bound objective)}`` more curve
    objectives to read.
    """
    columns = _check_thresholds(thresholds)
    y_pos, pos_label = check_binary_target(y_true, pos_label=spec.pos_label)
    n_samples = len(y_pos)
    y_score = check_scores(y_score, n_samples=n_samples)
    sample_weight = check_weights(sample_weight, n_samples=n_samples)
    extra = dict(extra or {})
    if cost is not None:
        objective = _cost_objective(cost, labels).bind(spec.classes, pos_label)
        extra = {"cost": (_cost_label(objective), objective), **extra}
    used = sorted({name for _, obj in extra.values() for name in obj.metadata})
    metadata = check_metadata(
        used,
        metadata,
        n_samples,
        owner="The report's cost and objective rows",
        caller="The report",
        example="operating_point_report(..., {name}=...)",
    )

    curve = _sweep(y_pos, y_score, sample_weight, keep_order=bool(metadata))
    where = np.array(list(columns.values()))
    rows = _rows(curve, where, extra, metadata)
    text_labels = {key: label for key, label, _ in ROWS}
    text_labels.update({key: label for key, (label, _) in extra.items()})
    report = {
        name: {key: float(values[j]) for key, values in rows.items()}
        for j, name in enumerate(columns)
    }
    note = ""
    if n_resamples:
        intervals = resampled_intervals(
            lambda c, md: _rows(c, where, extra, md),
            y_pos,
            y_score,
            sample_weight,
            metadata,
            n_resamples=n_resamples,
            confidence_level=confidence_level,
            random_state=random_state,
        )
        for j, name in enumerate(columns):
            report[name]["intervals"] = {
                key: (float(low[j]), float(high[j]))
                for key, (low, high, _) in intervals.items()
                if key != "threshold"
            }
            if constraint is not None:
                values = intervals[constraint.name][2][:, j]
                report[name]["constraint_risk"] = float(
                    np.mean([not constraint.met(v) for v in values])
                )
        note = interval_text(report, text_labels, confidence_level, n_resamples)
    if output_dict:
        return report
    out = text(
        {
            c: {k: v for k, v in r.items() if k not in ("intervals", "constraint_risk")}
            for c, r in report.items()
        },
        labels=text_labels,
        digits=digits,
        header=header(curve, pos_label),
    )
    return out + note


def _rows(curve, where, extra, metadata):
    """Every row of the report at the thresholds ``where``, from one curve."""
    counts = values_at(curve.thresholds, np.vstack(curve.counts), where)
    rows = {"threshold": where}
    rows.update(zip(COUNT_KEYS, counts))
    for key, _, metric in ROWS:
        if metric is not None:
            rows[key] = COUNT_METRICS[metric](*counts)
    for key, (_, objective) in extra.items():
        md = {name: metadata[name] for name in objective.metadata}
        rows[key] = values_at(curve.thresholds, objective.evaluate(curve, **md), where)
    return rows


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "pos_label": [Real, str, "boolean", None],
        "sample_weight": ["array-like", None],
        "labels": ["array-like", None],
        "digits": [Interval(Integral, 0, None, closed="left")],
        "output_dict": ["boolean"],
        "n_resamples": [Interval(Integral, 0, None, closed="left"), None],
        "confidence_level": [Interval(Real, 0.0, 1.0, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def operating_point_report(
    y_true,
    y_score,
    *,
    thresholds,
    pos_label=None,
    sample_weight=None,
    cost=None,
    labels=None,
    digits=3,
    output_dict=False,
    n_resamples=None,
    confidence_level=0.95,
    random_state=None,
    **metadata,
):
    """What one or several thresholds mean: counts, rates and cost.

    For each threshold (predict positive iff ``score >= threshold``): the
    weighted confusion counts, precision, recall, specificity, negative
    predictive value, F1, balanced accuracy, Matthews correlation, the alert
    rate (weighted share predicted positive) and, with a cost matrix or cost
    scorer, the cost. Side by side, like
    :func:`sklearn.metrics.classification_report`.

    Read more in the :ref:`User Guide <report>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.

    y_score : array-like of shape (n_samples,)
        Scores of the positive class: probabilities or decision values.

    thresholds : float or dict of str to float
        One threshold, or named thresholds shown as columns in that order
        (``{"tuned": 0.31, "default": 0.5}``).

    pos_label : int, float, bool or str, default=None
        The positive class. None: 1 (or True) for {0, 1}, {-1, 1} and boolean
        labels, else the greater label.

    sample_weight : array-like of shape (n_samples,), default=None
        Weights every count (and so every rate and the cost).

    cost : array-like of shape (2, 2) or scorer, default=None
        A cost matrix, as in :func:`~skeval.make_cost_scorer`:
        ``cost[i][j]`` is the cost when the true class is ``labels[i]`` and
        the prediction is ``labels[j]`` (the orientation of
        :func:`~sklearn.metrics.confusion_matrix`), negative entries are
        gains and a string entry names a per-sample array of ``metadata``;
        or a scorer made by :func:`~skeval.make_cost_scorer`. Adds the row
        ``"cost"``: the weighted mean cost per sample (the total for a scorer
        made with ``normalize=False``).

    labels : array-like of shape (2,), default=None
        Order of the cost matrix rows and columns. None: the sorted labels of
        ``y_true``.

    digits : int, default=3
        Digits shown for rates in the text form.

    output_dict : bool, default=False
        Return a dict instead of text.

    n_resamples : int or None, default=None
        With a number, add bootstrap percentile intervals of every row at
        the fixed thresholds (``n_resamples`` resamples of these rows, with
        replacement): ``report[column]["intervals"][row] == (low, high)`` in
        the dict form, a section after the table in the text form.
        :func:`tuned_threshold_report` of a tuner with a constraint also
        gives ``report[column]["constraint_risk"]``: the share of resamples
        in which the constrained metric misses its limit. None or 0: no
        bootstrap.

    confidence_level : float, default=0.95
        Coverage of the bootstrap intervals.

    random_state : int, RandomState instance or None, default=None
        Seeds the resamples.

    **metadata : dict of str to array-like of shape (n_samples,)
        The per-sample arrays the cost matrix names (``amount=...``), as
        :func:`~skeval.metrics.cost_loss` takes them. An array nothing uses is
        an error.

    Returns
    -------
    report : str or dict
        Text with one column per threshold, or ``{column: {row: value}}``
        with rows ``"threshold"``, ``"tp"``, ``"fp"``, ``"fn"``, ``"tn"``,
        ``"precision"``, ``"recall"``, ``"specificity"``, ``"npv"``,
        ``"f1"``, ``"balanced_accuracy"``, ``"matthews_corrcoef"``,
        ``"alert_rate"`` and (with ``cost``) ``"cost"``; values are Python
        floats.

    See Also
    --------
    tuned_threshold_report : The report of a fitted ThresholdTunedClassifier.
    sklearn.metrics.classification_report : Per-class metrics of labels.

    Notes
    -----
    Ratios with a zero denominator count as 0, as in scikit-learn. The cost is
    the one :class:`~skeval.ThresholdTunedClassifier` optimises for the same
    cost matrix (:func:`~skeval.metrics.cost_loss` of the thresholded labels).

    Examples
    --------
    >>> from skeval.metrics import operating_point_report
    >>> y_true = [0, 0, 0, 0, 1, 1, 0, 1]
    >>> y_score = [0.1, 0.3, 0.35, 0.6, 0.4, 0.8, 0.2, 0.7]
    >>> print(operating_point_report(
    ...     y_true, y_score, thresholds={"tuned": 0.38, "default": 0.5},
    ...     cost=[[0, 1], [5, 0]],
    ... ))
    Operating point report (positive class: 1; 8 samples, 3 positive)
    <BLANKLINE>
                            tuned  default
    threshold               0.380    0.500
    true positives              3        2
    false positives             1        1
    false negatives             0        1
    true negatives              4        4
    precision               0.750    0.667
    recall                  1.000    0.667
    specificity             0.800    0.800
    NPV                     1.000    0.800
    F1                      0.857    0.667
    balanced accuracy       0.900    0.733
    MCC                     0.775    0.467
    alert rate              0.500    0.375
    cost (mean per sample)  0.125    0.750
    <BLANKLINE>
    >>> report = operating_point_report(
    ...     y_true, y_score, thresholds=0.5, output_dict=True
    ... )
    >>> report["threshold"]["recall"]
    0.6666666666666666
    """
    # dask columns: one weighted sample per (score, class) cell, same counts
    y_true, y_score, sample_weight, metadata = as_samples(
        y_true, y_score, sample_weight, metadata
    )
    spec = resolve_spec(classes=check_binary_labels(y_true)[1], pos_label=pos_label)
    return _report(
        y_true,
        y_score,
        thresholds=thresholds,
        spec=spec,
        sample_weight=sample_weight,
        cost=cost,
        labels=labels,
        metadata=metadata,
        extra=None,
        digits=digits,
        output_dict=output_dict,
        n_resamples=n_resamples,
        confidence_level=confidence_level,
        random_state=random_state,
    )


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "sample_weight": ["array-like", None],
        "labels": ["array-like", None],
        "digits": [Interval(Integral, 0, None, closed="left")],
        "output_dict": ["boolean"],
        "n_resamples": [Interval(Integral, 0, None, closed="left"), None],
        "confidence_level": [Interval(Real, 0.0, 1.0, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def tuned_threshold_report(
    tuner,
    X,
    y,
    *,
    sample_weight=None,
    cost=None,
    labels=None,
    digits=3,
    output_dict=False,
    n_resamples=None,
    confidence_level=0.95,
    random_state=None,
    **metadata,
):
    """The report of a fitted tuner: its threshold next to the default one.

    Scores ``X`` with the tuner's estimator, in its own score space, and
    reports :func:`operating_point_report` at ``best_threshold_`` (column
    ``"tuned"``) and at the default threshold (column ``"default"``: 0.5 for
    ``predict_proba``, 0 for ``decision_function``). A tuner tuned for a cost
    scorer reports that cost; any other objective that is not a row already
    (``"youden"``, say) gets a row of its own. ``(X, y)`` should be data the
    tuner was not fitted on.

    Read more in the :ref:`User Guide <report>`.

    Parameters
    ----------
    tuner : ThresholdTunedClassifier
        A fitted tuner.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Input values.

    y : array-like of shape (n_samples,)
        True binary labels.

    sample_weight : array-like of shape (n_samples,), default=None
        Weights every count.

    cost : array-like of shape (2, 2) or scorer, default=None
        A cost matrix or cost scorer, as in :func:`operating_point_report`.
        None: the tuner's objective when it is a cost scorer.

    labels : array-like of shape (2,), default=None
        Order of the cost matrix rows and columns. None: the tuner's
        ``classes_``.

    digits : int, default=3
        Digits shown for rates in the text form.

    output_dict : bool, default=False
        Return a dict instead of text.

    n_resamples : int or None, default=None
        With a number, add bootstrap percentile intervals of every row at
        the fixed thresholds (``n_resamples`` resamples of these rows, with
        replacement): ``report[column]["intervals"][row] == (low, high)`` in
        the dict form, a section after the table in the text form.
        :func:`tuned_threshold_report` of a tuner with a constraint also
        gives ``report[column]["constraint_risk"]``: the share of resamples
        in which the constrained metric misses its limit. None or 0: no
        bootstrap.

    confidence_level : float, default=0.95
        Coverage of the bootstrap intervals.

    random_state : int, RandomState instance or None, default=None
        Seeds the resamples.

    **metadata : dict of str to array-like of shape (n_samples,)
        Per-sample arrays the cost or the tuner's objective names
        (``amount=...``). An array nothing uses is an error.

    Returns
    -------
    report : str or dict
        As :func:`operating_point_report`, with columns ``"tuned"`` and
        ``"default"``.

    See Also
    --------
    operating_point_report : The same from labels and scores.
    ThresholdCurveDisplay.from_estimator : The same operating points, drawn.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from skeval import ThresholdTunedClassifier, make_cost_scorer
    >>> from skeval.metrics import tuned_threshold_report
    >>> X, y = make_classification(n_samples=2000, weights=[0.9], random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> tuner = ThresholdTunedClassifier(
    ...     LogisticRegression(), objective="precision", constraint=("recall", 0.95)
    ... ).fit(X_train, y_train)
    >>> report = tuned_threshold_report(tuner, X_test, y_test, output_dict=True)
    >>> print(f"{report['tuned']['recall']:.2f} {report['default']['recall']:.2f}")
    0.96 0.89
    >>> cost = make_cost_scorer([[0, 1], [10, 0]])  # a miss costs 10 false alarms
    >>> tuner = ThresholdTunedClassifier(LogisticRegression(), objective=cost)
    >>> report = tuned_threshold_report(
    ...     tuner.fit(X_train, y_train), X_test, y_test, output_dict=True
    ... )
    >>> print(f"{report['tuned']['cost']:.3f} {report['default']['cost']:.3f}")
    0.064 0.124
    """
    spec = fitted_spec(tuner)
    scores, spec, _ = scores_of(tuner, X)
    objective = spec.objective
    extra = None
    if cost is None and _is_cost(objective):
        extra = {"cost": (_cost_label(objective.objective), objective.objective)}
    elif spec.exact and objective.name not in ROW_KEYS:
        extra = {objective.name: (f"{objective.name} (objective)", objective)}
    return _report(
        y,
        scores,
        thresholds={
            "tuned": tuner.best_threshold_,
            "default": 0.5 if spec.response_method == "predict_proba" else 0.0,
        },
        spec=spec,
        sample_weight=sample_weight,
        cost=cost,
        labels=labels,
        metadata=metadata,
        extra=extra,
        digits=digits,
        output_dict=output_dict,
        n_resamples=n_resamples,
        confidence_level=confidence_level,
        random_state=random_state,
        constraint=spec.constraint,
    )


def _is_cost(objective):
    """Whether a (bound) objective is a cost made a score."""
    return isinstance(objective, SignedObjective) and isinstance(
        objective.objective, CostObjective
    )


def _cost_label(objective):
    return f"cost ({'mean per sample' if objective.normalize else 'total'})"
