"""The baseline of a fitted tuner, read from its public fitted state only."""

from ..metrics._fitted import fitted_spec, scores_of

__all__ = ["tuner_baseline"]


def tuner_baseline(tuner, X):
    """``(threshold, pos_label, scores)`` of a fitted binary tuner on ``X``.

    The positive class and the response method are the ones the tuner was
    fitted with (its ``spec_``), read the way the reports read them.
    """
    try:
        fitted_spec(tuner)
    except TypeError:
        raise TypeError(
            "from_tuner needs a skeval.ThresholdTunedClassifier fitted on a binary "
            f"target. Got {type(tuner).__name__}."
        ) from None
    scores, spec, _ = scores_of(tuner, X)
    return float(tuner.best_threshold_), spec.pos_label, scores
