"""The two ways ThresholdTunedClassifier turns fold scores into a decision.

* :class:`BinaryThreshold`: one threshold on the positive class's score,
  tuned on the folds' confusion curves (exact) or on a grid (any scorer).
* :class:`ClassOffsets`: one additive offset per class on a multiclass score
  matrix, tuned by exact coordinate ascent (:mod:`skeval._offsets`).

The tuner picks one strategy per ``fit`` from the target and delegates
resolution, scoring, tuning and prediction to it; it keeps what is common
(validation, splitting, fitting folds, routing, refitting).
"""

import warnings
from functools import partial
from numbers import Integral

import numpy as np

from ._core._curve import _sweep
from ._core._request import resolve_spec
from ._core._scores import Thresholded, binary_scores, multiclass_scores
from ._core._selection import one_se, tune_curves, tune_grid
from ._offsets import resolve_multiclass_objective, tune_offsets
from .exceptions import DegenerateFoldWarning
from .utils._sklearn_compat import safe_indexing

__all__ = ["BinaryThreshold", "ClassOffsets"]


class BinaryThreshold:
    """Binary targets: the threshold of the resolved spec, over the folds."""

    def __init__(self, tuner, classes):
        self.tuner = tuner
        self.spec = resolve_spec(
            tuner.objective,
            tuner.constraint,
            classes=classes,
            pos_label=tuner.pos_label,
            response_method=tuner.response_method,
            confidence=tuner.confidence,
            owner="`pos_label` of the tuner",
        )
        _check_thresholds(tuner.thresholds)

    @property
    def objective(self):
        return self.spec.objective

    def score(self, estimator, X):
        """``(scores, method)`` of the positive class on ``X``."""
        return binary_scores(
            estimator, X, self.spec.response_method, self.spec.pos_label
        )

    def tune(self, X, folds):
        """The fitted attributes: spec, result, threshold, score, per fold."""
        spec = self.spec.with_response_method(folds[0].method)
        for i, fold in enumerate(folds):
            _check_fold(i, fold, spec.pos_label)
        # per-sample objective metadata (costs) is summed along the sort order
        curves = [
            _sweep(
                f.y == spec.pos_label,
                f.scores,
                f.sample_weight,
                keep_order=bool(spec.metadata),
            )
            for f in folds
        ]
        thresholds = self.tuner.thresholds
        if spec.exact and isinstance(thresholds, str):
            result = tune_curves(spec, curves, [f.metadata for f in folds])
            if self.tuner.selection == "one_se":
                result = one_se(result, spec)
        elif spec.exact:
            result = tune_curves(
                spec,
                curves,
                [f.metadata for f in folds],
                grid=_grid(thresholds, folds),
            )
        else:
            grid = _grid(thresholds, folds)
            values = [_grid_values(X, f, spec, grid) for f in folds]
            result = tune_grid(spec, grid, values, curves)
        if spec.constraint is not None and not result.constraint_satisfied:
            spec.warn_infeasible(
                result.constraint_value,
                scope=" (mean over folds)",
                then="Kept that threshold; constraint_satisfied_ is False.",
                stacklevel=4,
                reason=result.constraint_reason,
            )
        fitted = {
            "spec_": spec,
            "result_": result,
            "pos_label_": spec.pos_label,
            "response_method_": spec.response_method,
            "best_threshold_": result.threshold,
            "best_score_": result.score,
            "fold_thresholds_": result.fold_thresholds,
        }
        if spec.constraint is not None:
            fitted["constraint_value_"] = result.constraint_value
            fitted["constraint_satisfied_"] = result.constraint_satisfied
        if spec.confidence is not None:
            fitted["constraint_bound_"] = result.constraint_bound
        if self.tuner.store_cv_results:
            fitted["cv_results_"] = _cv_results(result)
        return fitted

    @staticmethod
    def predict(tuner, X):
        spec = tuner.spec_
        scores, _ = binary_scores(
            tuner.estimator_, X, spec.response_method, spec.pos_label
        )
        return spec.labels(scores, tuner.best_threshold_)


class ClassOffsets:
    """Multiclass targets: one offset per class, binary-only options refused."""

    def __init__(self, tuner, classes):
        self.tuner = tuner
        self.classes = classes
        refused = [
            f"{name}={getattr(tuner, name)!r}"
            for name in ("constraint", "confidence", "pos_label")
            if getattr(tuner, name) is not None
        ]
        if not isinstance(tuner.thresholds, str):
            refused.append(f"thresholds={tuner.thresholds!r}")
        if tuner.store_cv_results:
            refused.append("store_cv_results=True")
        if refused:
            raise ValueError(
                f"{', '.join(refused)} applies to binary targets only; y has "
                f"{len(classes)} classes {classes[:10].tolist()}, for which the tuner "
                "learns one offset per class instead of a threshold."
            )
        self.objective = resolve_multiclass_objective(tuner.objective)
        self.objective.check_classes(classes)
        self.score = partial(multiclass_scores, response_method=tuner.response_method)

    def tune(self, X, folds):
        classes = self.classes
        tuning = []
        for i, fold in enumerate(folds):
            known = np.asarray(fold.estimator.classes_)
            if not np.array_equal(known, classes):
                raise ValueError(
                    f"Every fold's estimator must know all classes {classes.tolist()}"
                    f"; fold {i}'s knows {known.tolist()} (its training rows lack a "
                    "class: use fewer folds)."
                )
            y_idx = np.searchsorted(classes, fold.y)
            tuning.append(
                (
                    fold.scores,
                    y_idx,
                    fold.sample_weight,
                    self.objective.for_fold(
                        y_idx, classes, fold.metadata, fold.sample_weight
                    ),
                )
            )
        offsets, score, _, fold_offsets = tune_offsets(
            tuning, len(classes), per_fold=True
        )
        return {
            "response_method_": folds[0].method,
            "class_offsets_": offsets,
            "best_score_": score,
            "fold_offsets_": fold_offsets,
        }

    @staticmethod
    def predict(tuner, X):
        scores, _ = multiclass_scores(tuner.estimator_, X, tuner.response_method_)
        return tuner.classes_[np.argmax(scores + tuner.class_offsets_, axis=1)]


def _check_thresholds(thresholds):
    """Validate an array of ``thresholds`` before any fitting."""
    if isinstance(thresholds, (str, Integral)):
        return
    try:
        grid = np.asarray(thresholds, dtype=np.float64)
        valid = grid.ndim == 1 and grid.size > 0 and np.isfinite(grid).all()
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(
            "`thresholds` as an array must be one-dimensional, non-empty, "
            f"numeric and finite. Got {thresholds!r}."
        )


def _check_fold(i, fold, pos_label):
    n_pos = int(np.count_nonzero(fold.y == pos_label))
    if n_pos in (0, len(fold.y)):
        warnings.warn(
            f"Validation fold {i} holds only one class ({len(fold.y)} samples, "
            f"{n_pos} positive): its ratios with a zero denominator count as 0.",
            DegenerateFoldWarning,
            stacklevel=5,
        )
    if fold.scores.min() == fold.scores.max():
        warnings.warn(
            f"The estimator's scores are constant on validation fold {i}: the "
            "only operating points there are 'all positive' and 'all negative'.",
            DegenerateFoldWarning,
            stacklevel=5,
        )


def _grid(thresholds, folds):
    """The grid of candidate thresholds, decreasing."""
    if not isinstance(thresholds, (str, Integral)):
        return np.unique(np.asarray(thresholds, dtype=np.float64))[::-1]
    n_points = 100 if isinstance(thresholds, str) else int(thresholds)
    low = min(fold.scores.min() for fold in folds)
    high = max(fold.scores.max() for fold in folds)
    if low == high:
        # constant scores: "everything positive" and "nothing positive"
        return np.array([np.inf, high])
    return np.unique(np.linspace(low, high, n_points))[::-1]


def _grid_values(X, fold, spec, grid):
    """An arbitrary scorer's value at each grid threshold, on one fold."""
    X_val = X if fold.val is None else safe_indexing(X, fold.val)
    cut = Thresholded(fold.estimator, X_val, fold.scores, spec)
    scorer = spec.objective.scorer
    values = np.empty(len(grid))
    for j, threshold in enumerate(grid):
        cut.threshold = threshold
        values[j] = scorer(cut, X_val, fold.y, **fold.metadata)
    if not np.isfinite(values).all():
        raise ValueError(
            f"The objective scorer {spec.objective_name} must return a finite number "
            "at every threshold. Got NaN or infinity on a validation fold."
        )
    return values


def _cv_results(result):
    out = {
        "thresholds": result.thresholds,
        "objective": result.objective,
        "objective_folds": result.objective_folds,
    }
    if result.constraint is not None:
        out["constraint"] = result.constraint
        out["constraint_folds"] = result.constraint_folds
    return out
