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
from skeval import ThresholdTunedClassifier

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

# How each estimator is built for the checks: its default parameters, plus the
# inner estimator a meta-estimator requires.
CHECK_PARAMS = {
    "ThresholdTunedClassifier": dict(estimator=LogisticRegression()),
    "MinimumExpectedCostClassifier": dict(estimator=LogisticRegression()),
}

# Checks expected to fail, each with its reason. They are marked as expected
# failures (non-strict): where a version passes them anyway, pytest says XPASS.
# The default objective, F1, is not symmetric: on labels other than {0, 1},
# {-1, 1} and {False, True} it needs to be told the positive class (issue 11),
# as scikit-learn's f1_score needs pos_label for string labels. These checks
# fit on such labels ({1, 2}, strings) with default parameters.
_NEEDS_POS_LABEL = (
    "the checks fit binary labels such as {1, 2} or strings, and the default "
    "objective F1 refuses to guess their positive class (pos_label=None is only "
    "accepted for {0, 1}, {-1, 1}, {False, True} or a symmetric objective). "
    "The same checks pass with a symmetric objective: see "
    "test_sklearn_compatible_symmetric_objective"
)
EXPECTED_FAILED_CHECKS = {
    "ThresholdTunedClassifier": {
        **{
            check: _NEEDS_POS_LABEL
            for check in (
                "check_classifier_data_not_an_array",
                "check_classifiers_classes",
                "check_estimators_dtypes",
                "check_estimators_nan_inf",
                "check_fit2d_1feature",
                "check_sample_weights_not_an_array",
                "check_sample_weights_not_overwritten",
                "check_sample_weights_pandas_series",
                "check_sample_weights_shape",
            )
        },
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


@parametrize_with_checks(
    [ThresholdTunedClassifier(LogisticRegression(), objective="balanced_accuracy")],
    expected_failed_checks=lambda est: {
        k: v
        for k, v in EXPECTED_FAILED_CHECKS["ThresholdTunedClassifier"].items()
        if v != _NEEDS_POS_LABEL
    },
)
def test_sklearn_compatible_symmetric_objective(estimator, check):
    """With a symmetric objective no check needs a positive class: all pass."""
    check(estimator)


@pytest.mark.parametrize(
    "estimator", list(_instances()), ids=lambda e: type(e).__name__
)
def test_param_validation(estimator):
    """Bad constructor parameters are rejected by sklearn's validation."""
    check_param_validation(type(estimator).__name__, estimator)
