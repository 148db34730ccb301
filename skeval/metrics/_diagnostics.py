"""Diagnostics: plain-language warnings about an evaluation's numbers.

:func:`diagnose` looks at held-out labels, predictions and (optionally)
scores and says when the numbers deserve suspicion. Each check has a
documented bound, kept here as a module constant:

=====================  ==========================================  ==========
finding                triggered when                              severity
=====================  ==========================================  ==========
single_class_target    ``y_true`` holds one class                  critical
class_imbalance        the minority class is below 10% (weighted)  warning
one_class_predictions  at least 99% of predictions are one class   warning
                       (all of them: critical)                     critical
near_perfect_score     balanced accuracy >= 0.99, or ROC AUC       warning
                       >= 0.999 with ``y_score``
poor_calibration       expected calibration error (10 equal-width  warning
                       bins) above 0.1, for scores in [0, 1]
threshold_at_edge      fewer than max(5, 0.5% of the samples) on   warning
                       one side of ``threshold``
                       (none at all: critical)                     critical
positive_is_majority   the positive class is over half the         warning
                       samples (weighted)
constraint_at_risk     with ``constraint``: it fails in over 20%   warning
                       of bootstrap resamples at the predictions
=====================  ==========================================  ==========
"""

from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.metrics import roc_auc_score

from .._core._counts import binary_counts
from .._core._formulas import COUNT_METRICS
from .._core._labels import check_label_pair, present_labels
from .._core._request import check_constraint
from .._core._selection import values_at
from ..utils._sklearn_compat import validate_params
from ..utils._validation import (
    _as_1d,
    check_binary_target,
    check_scores,
    resolve_pos_label,
)
from ._bootstrap import resampled_intervals
from ._calibration import expected_calibration_error

__all__ = ["Finding", "diagnose"]

#: The minority class below this weighted share is a severe imbalance.
IMBALANCE_BOUND = 0.10
#: Predictions with at least this weighted share in one class are "nearly all one".
ONE_CLASS_BOUND = 0.99
#: Balanced accuracy at or above this looks too good for held-out data.
BALANCED_ACCURACY_BOUND = 0.99
#: ROC AUC at or above this looks too good for held-out data.
ROC_AUC_BOUND = 0.999
#: Expected calibration error above this is poor calibration.
ECE_BOUND = 0.10
#: A positive class above this weighted share is the majority.
MAJORITY_BOUND = 0.5
#: Number of equal-width bins of the expected calibration error.
ECE_BINS = 10
#: A threshold with fewer than max(EDGE_MIN_SAMPLES, EDGE_SHARE * n_samples)
#: samples on one side is at the edge of the score range.
EDGE_SHARE = 0.005
EDGE_MIN_SAMPLES = 5
#: A constraint failing in more than this share of bootstrap resamples is at risk.
CONSTRAINT_RISK_BOUND = 0.20
#: Bootstrap resamples (stratified, seed 0) behind ``constraint_at_risk``.
CONSTRAINT_RESAMPLES = 400

_SEVERITY_ORDER = {"critical": 0, "warning": 1}


@dataclass(frozen=True)
class Finding:
    """One diagnostic finding.

    Parameters
    ----------
    code : str
        A stable identifier, e.g. ``"class_imbalance"`` (see
        :func:`diagnose` for the list).
    severity : {"warning", "critical"}
        ``"critical"``: the numbers are not meaningful as they stand;
        ``"warning"``: they may mislead.
    message : str
        What was found and what it means, in plain language.
    value : float or None, default=None
        The measured quantity that triggered the finding.

    Examples
    --------
    >>> from skeval.metrics import Finding
    >>> print(Finding("class_imbalance", "warning", "Positives are 2% of y_true."))
    [warning] Positives are 2% of y_true.
    """

    code: str
    severity: str
    message: str
    value: float | None = None

    def __str__(self):
        return f"[{self.severity}] {self.message}"


def _pct(share):
    return f"{100 * share:.3g}%"


def _target_findings(y_true, y_pos, w, total):
    classes = np.unique(np.asarray(y_true))
    if len(classes) < 2:
        return [
            Finding(
                "single_class_target",
                "critical",
                f"y_true holds one class only ({classes[0]!r}): recall, precision, "
                "ROC AUC and most other metrics are undefined or meaningless here. "
                "Evaluate on data that holds both classes.",
                1.0,
            )
        ]
    pos_share = float(w[y_pos].sum() / total)
    minority = min(pos_share, 1.0 - pos_share)
    if minority < IMBALANCE_BOUND:
        minority_name = "positive" if pos_share <= 0.5 else "negative"
        return [
            Finding(
                "class_imbalance",
                "warning",
                f"Severe class imbalance: the {minority_name} class is "
                f"{_pct(minority)} of the samples (bound {_pct(IMBALANCE_BOUND)}). "
                "Accuracy is misleading here: always predicting the majority class "
                f"already scores {_pct(1.0 - minority)}. Judge the model by recall, "
                "precision, balanced accuracy or a cost instead.",
                minority,
            )
        ]
    return []


def _binary_labels(y_true, y_pred, pos_label):
    """The positive class; predictions must be in the labels of ``y_true``.

    One more label is allowed when ``y_true`` holds a single class (the
    other class may be seen in the predictions only); the positive class
    then comes from both.
    """
    known = present_labels(y_true)
    seen = present_labels(y_pred)
    extra = seen[~np.isin(seen, known)]
    if len(known) == 1 and len(extra) == 1:
        classes = np.sort(np.concatenate([known, extra]))
        pos_label = resolve_pos_label(classes, pos_label)
        return y_true == pos_label, pos_label
    y_pos, pos_label = check_binary_target(y_true, pos_label=pos_label)
    extra = extra[extra != pos_label]
    if len(extra):
        raise ValueError(
            f"`y_pred` must hold only the labels of `y_true` {known.tolist()} (or "
            f"pos_label={pos_label!r}). Got also {extra[:10].tolist()}."
        )
    return y_pos, pos_label


def _majority_findings(pos_label, y_pos, w, total):
    pos_share = float(w[y_pos].sum() / total)
    if pos_share <= MAJORITY_BOUND or pos_share == 1.0:
        return []
    return [
        Finding(
            "positive_is_majority",
            "warning",
            f"The positive class (pos_label={pos_label!r}) is the majority: "
            f"{_pct(pos_share)} of the samples. Recall, precision and "
            "the threshold are those of the more common class; if the class of "
            "interest is the rarer one, pass its label as pos_label.",
            pos_share,
        )
    ]


def _prediction_findings(pred_pos, w, total):
    pred_share = float(w[pred_pos].sum() / total)
    top = max(pred_share, 1.0 - pred_share)
    if top < ONE_CLASS_BOUND:
        return []
    which = "positive" if pred_share >= 0.5 else "negative"
    if top == 1.0:
        return [
            Finding(
                "one_class_predictions",
                "critical",
                f"Every prediction is {which}: the classifier does not discriminate "
                "at all on these data. Check the threshold (it may lie outside the "
                "score range) and the model.",
                top,
            )
        ]
    return [
        Finding(
            "one_class_predictions",
            "warning",
            f"{_pct(top)} of the predictions are {which} (bound "
            f"{_pct(ONE_CLASS_BOUND)}): the classifier nearly never predicts the "
            "other class. Check that the threshold is the one intended.",
            top,
        )
    ]


def _perfect_findings(y_pos, pred_pos, y_score, w):
    counts = binary_counts(y_pos, pred_pos, w)
    measured = [
        (
            "balanced accuracy",
            float(COUNT_METRICS["balanced_accuracy"](*counts)),
            BALANCED_ACCURACY_BOUND,
        )
    ]
    if y_score is not None:
        auc = float(roc_auc_score(y_pos, y_score, sample_weight=w))
        measured.append(("ROC AUC", auc, ROC_AUC_BOUND))
    hits = [(name, value) for name, value, bound in measured if value >= bound]
    if not hits:
        return []
    parts = [f"{name} {value:.4g}" for name, value in hits]
    value = max(value for _, value in hits)
    kind = "A perfect" if value >= 1.0 else "A near-perfect"
    return [
        Finding(
            "near_perfect_score",
            "warning",
            f"{kind} score on held-out data ({' and '.join(parts)}). Real problems "
            "rarely allow it: check for leakage (a feature that encodes the "
            "target, duplicated rows across the split, preprocessing fitted on "
            "all the data) and that these data really were held out.",
            value,
        )
    ]


def _calibration_findings(y_pos, y_score, w):
    if y_score.min() < 0.0 or y_score.max() > 1.0:
        return []  # decision values are not probabilities: nothing to check
    ece = _expected_calibration_error(y_pos, y_score, w)
    if ece <= ECE_BOUND:
        return []
    return [
        Finding(
            "poor_calibration",
            "warning",
            f"Poor calibration: the expected calibration error is {ece:.3g} "
            f"(bound {ECE_BOUND:g}, {ECE_BINS} equal-width bins). The scores "
            "should not be read as probabilities; recalibrate (e.g. "
            "sklearn.calibration.CalibratedClassifierCV) before using them as such.",
            ece,
        )
    ]


def _expected_calibration_error(y_pos, y_score, w):
    return float(
        expected_calibration_error(
            y_pos, y_score, n_bins=ECE_BINS, pos_label=True, sample_weight=w
        )
    )


def _edge_findings(y_score, threshold):
    n = len(y_score)
    above = int(np.count_nonzero(y_score >= threshold))
    side = min(above, n - above)
    if side == 0:
        which = "positive" if above == n else "negative"
        return [
            Finding(
                "threshold_at_edge",
                "critical",
                f"The threshold {threshold:.4g} lies outside the range of the scores "
                f"[{y_score.min():.4g}, {y_score.max():.4g}]: every sample is "
                f"predicted {which}.",
                0.0,
            )
        ]
    if side < max(EDGE_MIN_SAMPLES, EDGE_SHARE * n):
        where = "at or above" if above == side else "below"
        return [
            Finding(
                "threshold_at_edge",
                "warning",
                f"The threshold {threshold:.4g} sits at the edge of the score range: "
                f"only {side} of {n} samples ({_pct(side / n)}) score {where} it. A "
                "threshold resting on so few samples will move on new data; check "
                "it on more data or with cross-validation.",
                side / n,
            )
        ]
    return []


def _constraint_findings(constraint, y_pos, pred_pos, w):
    """Risk that ``constraint`` fails on a new sample at the same predictions.

    The rows are resampled (stratified by class, as the reports do) and the
    constrained metric recomputed at the fixed predictions.
    """
    metric = constraint.metric
    met = resampled_intervals(
        lambda curve, _: {"met": _met_at_predictions(constraint, curve)},
        y_pos,
        pred_pos.astype(np.float64),
        w,
        {},
        n_resamples=CONSTRAINT_RESAMPLES,
        confidence_level=0.95,
        random_state=0,
    )["met"][2]
    risk = float(1.0 - met.mean())
    if risk <= CONSTRAINT_RISK_BOUND:
        return []
    value = float(metric(*binary_counts(y_pos, pred_pos, w)))
    return [
        Finding(
            "constraint_at_risk",
            "warning",
            f"The constraint {constraint.describe()} is at risk on new data: "
            f"{metric.name} is {value:.4g} here, and it fails in {_pct(risk)} of "
            f"{CONSTRAINT_RESAMPLES} bootstrap resamples of these samples at the "
            f"same predictions (bound {_pct(CONSTRAINT_RISK_BOUND)}). A threshold "
            "that just meets a limit on one sample misses it on about half of new "
            "samples: tune with confidence= (ThresholdTunedClassifier(..., "
            "confidence=0.95)) or leave a margin.",
            risk,
        )
    ]


def _met_at_predictions(constraint, curve):
    """1.0 if the constraint holds with the score-1 samples positive, else 0.0."""
    counts = values_at(curve.thresholds, np.vstack(curve.counts), np.array([1.0]))
    return np.array([float(constraint.met(constraint.metric(*counts)[0]))])


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "y_score": ["array-like", None],
        "threshold": [Real, None],
        "pos_label": [Real, str, "boolean", None],
        "sample_weight": ["array-like", None],
        "constraint": [tuple, list, None],
    },
    prefer_skip_nested_validation=True,
)
def diagnose(
    y_true,
    y_pred,
    *,
    y_score=None,
    threshold=None,
    pos_label=None,
    sample_weight=None,
    constraint=None,
):
    """Look for signs that an evaluation's numbers mislead.

    Run it on held-out data: labels, the predicted labels and, optionally,
    the scores of the positive class and the decision threshold used.

    Read more in the :ref:`User Guide <diagnostics>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.

    y_pred : array-like of shape (n_samples,)
        Predicted labels.

    y_score : array-like of shape (n_samples,), default=None
        Scores of the positive class (probabilities or decision values).
        Enables the ROC AUC part of ``near_perfect_score``, the calibration
        check (for scores in [0, 1] only) and ``threshold_at_edge``.

    threshold : float, default=None
        The decision threshold behind ``y_pred`` (positive iff
        ``y_score >= threshold``), not NaN. Needs ``y_score``.

    pos_label : int, float, bool or str, default=None
        The positive class. None: 1 (or True) for {0, 1}, {-1, 1} and boolean
        labels, else the greater label.

    sample_weight : array-like of shape (n_samples,), default=None
        Weights every share, count and metric.

    constraint : tuple (str, float), default=None
        The constraint the predictions were tuned to meet, e.g.
        ``("recall", 0.95)`` (metrics as in
        :class:`~skeval.ThresholdTunedClassifier`). Enables
        ``constraint_at_risk``.

    Returns
    -------
    findings : list of Finding
        Most severe first; empty when nothing looks wrong. Codes and bounds
        (module constants of ``skeval.metrics._diagnostics``):

        * ``single_class_target`` (critical): ``y_true`` holds one class.
        * ``class_imbalance`` (warning): the minority class is below
          ``IMBALANCE_BOUND = 0.10`` of the (weighted) samples; accuracy is
          then misleading.
        * ``one_class_predictions``: at least ``ONE_CLASS_BOUND = 0.99`` of
          the predictions are one class (warning), or all of them (critical).
        * ``near_perfect_score`` (warning): balanced accuracy at least
          ``BALANCED_ACCURACY_BOUND = 0.99`` or ROC AUC at least
          ``ROC_AUC_BOUND = 0.999`` on held-out data: leakage?
        * ``poor_calibration`` (warning): expected calibration error
          (``ECE_BINS = 10`` equal-width bins) above ``ECE_BOUND = 0.1``.
        * ``threshold_at_edge``: fewer than ``max(EDGE_MIN_SAMPLES,
          EDGE_SHARE * n_samples)`` samples (5, or 0.5% of them when that is
          more) lie on one side of ``threshold`` (warning), or none at all
          (critical).
        * ``positive_is_majority`` (warning): the positive class is more
          than ``MAJORITY_BOUND = 0.5`` of the (weighted) samples, as class 1
          (benign) of ``load_breast_cancer``: its metrics are those of the
          common class; pass the rarer class as ``pos_label`` if it is the
          one of interest.
        * ``constraint_at_risk`` (warning): with ``constraint``, the
          constrained metric fails the limit in more than
          ``CONSTRAINT_RISK_BOUND = 0.2`` of ``CONSTRAINT_RESAMPLES = 400``
          bootstrap resamples of the samples (stratified by class, seed 0) at
          the same predictions: on a new sample of this size, the constraint
          would fail about that often.

    Raises
    ------
    ValueError
        When ``y_true`` holds more than two labels, ``y_pred`` holds others,
        ``pos_label`` is not one of them, ``threshold`` is NaN, or
        ``constraint`` names an unknown metric or a value outside [0, 1].
    TypeError
        When one holds numbers and the other strings, or ``constraint`` is not
        a (metric, value) pair.

    See Also
    --------
    operating_point_report : Counts and rates at a threshold.

    Examples
    --------
    >>> import numpy as np
    >>> from skeval.metrics import diagnose
    >>> rng = np.random.RandomState(0)
    >>> y_true = (rng.uniform(size=1000) < 0.03).astype(int)
    >>> y_pred = np.zeros(1000, dtype=int)
    >>> for finding in diagnose(y_true, y_pred):
    ...     print(finding.severity, finding.code)
    critical one_class_predictions
    warning class_imbalance
    """
    n = len(_as_1d(y_true, "y_true"))
    constraint = check_constraint(constraint)
    pred = np.asarray(y_pred)
    if pred.ndim != 1 or len(pred) != n:
        raise ValueError(
            f"`y_pred` must be one-dimensional with one entry per sample ({n}). "
            f"Got shape {pred.shape}."
        )
    y_true, pred, w = check_label_pair(y_true, pred, sample_weight)
    y_pos, pos_label = _binary_labels(y_true, pred, pos_label)
    pred_pos = pred == pos_label
    if y_score is not None:
        y_score = check_scores(y_score, n_samples=n)
    if threshold is not None and y_score is None:
        raise ValueError(
            "`threshold` needs `y_score`: the edge check compares the threshold "
            "with the scores. Got threshold without y_score."
        )
    if threshold is not None and np.isnan(threshold):
        raise ValueError(
            "`threshold` must be a number (±inf included: nothing or everything "
            f"positive), not NaN. Got {threshold!r}."
        )
    weights = np.ones(n) if w is None else w
    total = float(weights.sum())

    findings = _target_findings(y_true, y_pos, weights, total)
    findings += _majority_findings(pos_label, y_pos, weights, total)
    findings += _prediction_findings(pred_pos, weights, total)
    two_classes = not (findings and findings[0].code == "single_class_target")
    if two_classes:
        findings += _perfect_findings(y_pos, pred_pos, y_score, w)
        if y_score is not None:
            findings += _calibration_findings(y_pos, y_score, w)
        if constraint is not None:
            findings += _constraint_findings(constraint, y_pos, pred_pos, w)
    if threshold is not None:
        findings += _edge_findings(y_score, float(threshold))
    return sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity])
