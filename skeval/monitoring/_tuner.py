"""The baseline of a fitted tuner, read from its public fitted state only."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["tuner_baseline"]


def _scores(tuner, X, method, pos_label):
    classes = list(tuner.classes_)
    if method == "predict_proba":
        return np.asarray(tuner.predict_proba(X))[:, classes.index(pos_label)]
    scores = np.asarray(tuner.decision_function(X), dtype=np.float64).ravel()
    # decision values grow with classes_[1]
    return scores if pos_label == classes[1] else -scores


def _methods(tuner):
    method = getattr(tuner, "response_method_", None)
    if method in ("predict_proba", "decision_function"):
        return [method]
    # until the tuner exposes response_method_: the "auto" order, the first
    # whose thresholded scores reproduce the tuner's predictions wins
    return [m for m in ("predict_proba", "decision_function") if hasattr(tuner, m)]


def tuner_baseline(tuner, X):
    """``(threshold, pos_label, scores)`` of a fitted binary tuner on ``X``.

    The positive class and the response method are the tuner's
    ``pos_label_`` and ``response_method_``; where the tuner does not expose
    them, the first pair (``classes_[1]`` before ``classes_[0]``,
    ``predict_proba`` before ``decision_function``) whose thresholded scores
    reproduce ``tuner.predict(X)``.
    """
    if not hasattr(tuner, "best_threshold_") or not hasattr(tuner, "predict"):
        raise TypeError(
            "from_tuner needs a skeval.ThresholdTunedClassifier (an object with "
            f"best_threshold_ and predict). Got {type(tuner).__name__}."
        )
    check_is_fitted(tuner)
    classes = list(tuner.classes_)
    if len(classes) != 2:
        raise ValueError(
            "from_tuner needs a binary tuner (two classes). Got classes_ "
            f"{np.asarray(classes).tolist()}."
        )
    threshold = float(tuner.best_threshold_)
    known = getattr(tuner, "pos_label_", None)
    candidates = [known] if known is not None else [classes[1], classes[0]]
    predicted = np.asarray(tuner.predict(X))
    methods = _methods(tuner)
    for method in methods:
        for pos_label in candidates:
            scores = _scores(tuner, X, method, pos_label)
            neg = classes[0] if pos_label == classes[1] else classes[1]
            labels = np.where(scores >= threshold, pos_label, neg)
            if np.array_equal(labels, predicted):
                return threshold, pos_label, scores
    raise ValueError(
        "from_tuner could not reproduce the tuner's predictions from its "
        f"{' or '.join(methods)} and best_threshold_={threshold!r}: set the "
        "baseline with set_baseline(y_val, tuner.predict(X_val)) instead."
    )
