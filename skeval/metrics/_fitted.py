"""Scores of a fitted classifier or tuner, for the reports and the display.

A fitted :class:`~skeval.ThresholdTunedClassifier` is read only through its
public fitted state: ``spec_`` (the resolved request: positive class, response
method, objective, constraint), ``result_`` and ``estimator_``. Nothing here
re-resolves its constructor parameters, so ``set_params`` after ``fit``
changes nothing until the next ``fit``.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._core._request import resolve_spec
from .._core._scores import binary_scores

__all__ = ["fitted_spec", "scores_of"]


def fitted_spec(tuner):
    """The spec of a fitted binary tuner; a clear error for anything else."""
    check_is_fitted(tuner)
    spec = getattr(tuner, "spec_", None)
    if spec is not None:
        return spec
    if hasattr(tuner, "class_offsets_"):
        raise ValueError(
            "Expected a ThresholdTunedClassifier fitted on a binary target (one "
            "threshold). This one was fitted on a multiclass target: it has "
            "class_offsets_, not a threshold to report or draw."
        )
    raise TypeError(
        "Expected a fitted skeval.ThresholdTunedClassifier. Got "
        f"{type(tuner).__name__}."
    )


def _agree(name, given, own):
    """A caller's option must be the tuner's own (or left to it)."""
    if given not in (None, "auto") and given != own:
        own = own.item() if isinstance(own, np.generic) else own
        what = "positive class " if name == "pos_label" else ""
        default = "None" if name == "pos_label" else "'auto'"
        raise ValueError(
            f"`{name}` must be the tuner's own {what}{own!r} (or {default}). "
            f"Got {given!r}."
        )


def scores_of(estimator, X, *, response_method="auto", pos_label=None):
    """Positive-class scores of a fitted binary classifier or tuner.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
    spec : OperatingPointSpec
        The tuner's ``spec_``, or a spec (no objective) of the estimator's
        classes and positive class, with the response method that was used.
    tuner : bool
        Whether ``estimator`` is a fitted tuner.
    """
    if hasattr(estimator, "spec_") or hasattr(estimator, "class_offsets_"):
        spec = fitted_spec(estimator)
        _agree("pos_label", pos_label, spec.pos_label)
        _agree("response_method", response_method, spec.response_method)
        scores, _ = binary_scores(
            estimator.estimator_, X, spec.response_method, spec.pos_label
        )
        return scores, spec, True
    check_is_fitted(estimator)
    classes = np.asarray(getattr(estimator, "classes_", []))
    if len(classes) != 2:
        raise ValueError(
            "The estimator must be a fitted binary classifier (two classes_). "
            f"Got classes_ {classes.tolist()!r}."
        )
    spec = resolve_spec(
        classes=classes, pos_label=pos_label, response_method=response_method
    )
    scores, method = binary_scores(estimator, X, spec.response_method, spec.pos_label)
    return scores, spec.with_response_method(method), False
