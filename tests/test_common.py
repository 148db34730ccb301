"""scikit-learn's estimator contract, run over every public skeval estimator."""

import inspect

import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import (
    check_param_validation,
    parametrize_with_checks,
)

import skeval

# The estimators are found automatically, so a new one cannot be forgotten.
PUBLIC_ESTIMATORS = sorted(
    (
        obj
        for name in skeval.__all__
        if inspect.isclass(obj := getattr(skeval, name))
        and issubclass(obj, BaseEstimator)
    ),
    key=lambda cls: cls.__name__,
)

# How each estimator is built for the checks (meta-estimators need an inner one).
CHECK_PARAMS = {
    "ThresholdTunedClassifier": dict(estimator=LogisticRegression(), cv=3),
    "MinimumExpectedCostClassifier": dict(
        estimator=LogisticRegression(), calibration_cv=None
    ),
}

# Checks expected to fail, each with its reason. They are marked as expected
# failures (non-strict): where a version passes them anyway, pytest says XPASS.
EXPECTED_FAILED_CHECKS = {
    "ThresholdTunedClassifier": {
        "check_classifiers_train": (
            "the check requires predict to equal the argmax of the delegated "
            "decision_function/predict_proba; the tuned class offsets (and the "
            "tuned threshold) move predictions away from it by design. "
            "test_threshold.py checks predict against the tuned operating point"
        ),
        **{
            check: (
                "scikit-learn 1.6 binarises the 3-class target of this check by its "
                "first label, which differs between the shuffled weighted data and the "
                "repeated data, so the two fits see different problems (fixed in later "
                "releases, where the check passes). Weights = repeated rows is tested "
                "on the curve and on the tuner in test_threshold.py"
            )
            for check in (
                "check_sample_weight_equivalence_on_dense_data",
                "check_sample_weight_equivalence_on_sparse_data",
            )
        },
    },
}


def _instances():
    for cls in PUBLIC_ESTIMATORS:
        yield cls(**CHECK_PARAMS.get(cls.__name__, {}))


def _expected_failed(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def test_every_public_estimator_is_checked():
    """Each public estimator has construction parameters for the checks."""
    assert PUBLIC_ESTIMATORS
    for cls in PUBLIC_ESTIMATORS:
        assert cls.__name__ in CHECK_PARAMS


@parametrize_with_checks(list(_instances()), expected_failed_checks=_expected_failed)
def test_sklearn_compatible_estimator(estimator, check):
    """The full parametrize_with_checks suite."""
    check(estimator)


@pytest.mark.parametrize(
    "estimator", list(_instances()), ids=lambda e: type(e).__name__
)
def test_param_validation(estimator):
    """Bad constructor parameters are rejected by sklearn's validation."""
    check_param_validation(type(estimator).__name__, estimator)
