"""Warnings and errors raised by skeval."""

__all__ = [
    "SkevalWarning",
    "InfeasibleConstraintWarning",
    "DegenerateFoldWarning",
    "PoorCalibrationWarning",
]


class SkevalWarning(UserWarning):
    """Base class of every warning skeval emits.

    Filter it to silence skeval as a whole::

        warnings.filterwarnings("ignore", category=SkevalWarning)
    """


class InfeasibleConstraintWarning(SkevalWarning):
    """No threshold satisfies the requested constraint.

    skeval then picks the threshold that comes closest to satisfying it and
    records ``constraint_satisfied_ = False`` (or ``constraint_satisfied=False``
    on an operating point).
    """


class DegenerateFoldWarning(SkevalWarning):
    """A validation set cannot rank: one class is missing or all scores tie.

    Its metrics follow the zero-denominator rule (a ratio 0/0 counts as 0).
    """


class PoorCalibrationWarning(SkevalWarning):
    """The probabilities fed to a minimum expected cost rule look miscalibrated.

    Raised by :class:`~skeval.MinimumExpectedCostClassifier` when the
    out-of-fold calibration error exceeds its ``calibration_tolerance``.
    """
