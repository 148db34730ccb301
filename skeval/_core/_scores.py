"""Cross-validation plumbing shared by the tuners: fit folds, score their rows.

The scores are always the estimator's own: ``predict_proba`` or
``decision_function``, never rescaled. Binary problems use one column (the
positive class); multiclass problems the whole matrix, with probabilities
taken as logarithms so that additive class offsets act as multiplicative
priors.
"""

import inspect
from dataclasses import dataclass

import numpy as np
from sklearn.utils import get_tags

from ..utils._sklearn_compat import fold_params, safe_indexing, scorer_parts

__all__ = [
    "binary_scores",
    "multiclass_scores",
    "fit_and_score",
    "Fold",
    "Thresholded",
    "cut_scores",
    "accepts_sample_weight",
]


def _response_method(estimator, response_method):
    methods = (
        ["predict_proba", "decision_function"]
        if response_method == "auto"
        else [response_method]
    )
    for method in methods:
        if hasattr(estimator, method):
            return method
    raise TypeError(
        f"The estimator must implement one of {methods}. "
        f"{type(estimator).__name__} implements none."
    )


def _check_finite(scores, method):
    if not np.isfinite(scores).all():
        raise ValueError(
            f"The estimator's {method} must return finite scores. Got "
            f"{int(np.count_nonzero(~np.isfinite(scores)))} NaN or infinite value(s)."
        )
    return scores


def multiclass_scores(estimator, X, response_method):
    """Score matrix (n_samples, n_classes): log-probabilities or decision values.

    Probabilities are clipped at the smallest positive float before the
    logarithm, so a probability of 0 gives a very negative, finite score.
    """
    method = _response_method(estimator, response_method)
    scores = np.asarray(getattr(estimator, method)(X), dtype=np.float64)
    if scores.ndim != 2 or scores.shape[1] != len(estimator.classes_):
        raise ValueError(
            f"For a multiclass target the estimator's {method} must return one "
            f"column per class ({len(estimator.classes_)}). Got shape {scores.shape}."
        )
    _check_finite(scores, method)
    if method == "predict_proba":
        scores = np.log(np.clip(scores, np.finfo(np.float64).tiny, None))
    return scores, method


def binary_scores(estimator, X, response_method, pos_label):
    """Scores of the positive class, in the estimator's own score space."""
    method = _response_method(estimator, response_method)
    classes = list(estimator.classes_)
    if len(classes) != 2 or pos_label not in classes:
        raise ValueError(
            f"The estimator must be a binary classifier whose classes_ hold "
            f"pos_label={np.asarray(pos_label).tolist()!r}. Got classes_ "
            f"{np.asarray(classes).tolist()!r} (a training fold that lacks a "
            "class gives such a model)."
        )
    if method == "predict_proba":
        scores = estimator.predict_proba(X)[:, classes.index(pos_label)]
    else:
        scores = np.asarray(estimator.decision_function(X), dtype=np.float64)
        if scores.ndim == 2 and scores.shape[1] == 1:
            scores = scores.ravel()
        if pos_label == classes[0]:
            # decision values grow with classes_[1]: flip them for classes_[0]
            scores = -scores
    return _check_finite(np.asarray(scores, dtype=np.float64), method), method


def fit_and_score(estimator, X, y, train, val, fit_params, score):
    """One fold: fit ``estimator`` on the training rows, score the validation rows.

    ``score(estimator, X_val)`` returns ``(scores, method)``: a partial of
    :func:`binary_scores` or :func:`multiclass_scores`.
    """
    estimator.fit(
        safe_indexing(X, train),
        safe_indexing(y, train),
        **fold_params(X, fit_params, train),
    )
    scores, method = score(estimator, safe_indexing(X, val))
    return estimator, scores, method


@dataclass
class Fold:
    """What the tuner keeps of one validation fold."""

    estimator: object
    val: object  # the validation rows' indices (None: the whole of X)
    y: np.ndarray
    scores: np.ndarray
    method: str
    sample_weight: np.ndarray | None
    metadata: dict

    @classmethod
    def of(cls, X, y, val, estimator, scores, method, sample_weight, metadata):
        """The fold validated on rows ``val`` (None: all of X, as with prefit)."""
        if val is None:
            return cls(
                estimator, None, np.asarray(y), scores, method, sample_weight, metadata
            )
        return cls(
            estimator,
            val,
            np.asarray(safe_indexing(y, val)),
            scores,
            method,
            None if sample_weight is None else sample_weight[val],
            fold_params(X, metadata, val),
        )


def cut_scores(scores, threshold, pos_label, neg_label, dtype):
    """The one score -> label rule: ``pos_label`` iff ``score >= threshold``.

    ``+inf`` predicts nothing positive and ``-inf`` everything; the labels
    keep ``dtype`` (the classes' own).
    """
    out = np.where(np.asarray(scores) >= threshold, pos_label, neg_label)
    return out.astype(dtype, copy=False)


class Thresholded:
    """A fold's estimator whose ``predict`` cuts its scores at ``threshold``.

    The grid path hands it to an arbitrary scorer ``scorer(estimator, X, y)``
    once per candidate threshold. ``predict`` on the validation set reuses the
    fold's scores (computed once); on any other ``X`` (a scorer that converts
    or slices its input) it asks the estimator. Everything else is the
    estimator's own. ``spec`` is the tuner's resolved request.
    """

    def __init__(self, estimator, X_val, scores, spec):
        self.estimator = estimator
        self.classes_ = estimator.classes_
        self.threshold = np.inf
        self._X_val = X_val
        self._scores = scores
        self._spec = spec

    def __sklearn_tags__(self):
        return get_tags(self.estimator)

    def predict(self, X):
        spec = self._spec
        if X is self._X_val:
            scores = self._scores
        else:
            scores, _ = binary_scores(
                self.estimator, X, spec.response_method, spec.pos_label
            )
        return spec.labels(scores, self.threshold)

    def __getattr__(self, name):
        # only reached for what the instance lacks; never delegate the
        # attribute this method itself reads (copy/pickle build bare instances)
        if name == "estimator" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.estimator, name)


def accepts_sample_weight(scorer):
    """Whether a grid scorer can be given ``sample_weight=``."""
    parts = scorer_parts(scorer)
    func = scorer if parts is None else parts["score_func"]
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return "sample_weight" in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )
