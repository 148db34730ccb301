"""MinimumExpectedCostClassifier: decisions from probabilities and a cost matrix."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import cross_val_predict
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_is_fitted,
    column_or_1d,
    has_fit_parameter,
    indexable,
)

from ._core._costs import CostMatrix
from ._core._scores import cut_scores
from ._delegate import ScoreDelegateMixin
from .exceptions import PoorCalibrationWarning
from .metrics._calibration import expected_calibration_error
from .utils._sklearn_compat import HasMethods, Interval, fit_context, routing_enabled

__all__ = ["MinimumExpectedCostClassifier"]


def _classwise_ece(y, proba, classes):
    """Mean over classes of the one-vs-rest expected calibration error."""
    y = np.asarray(y)
    # with two classes both columns carry the same information
    columns = range(1, 2) if len(classes) == 2 else range(len(classes))
    return float(
        np.mean(
            [
                expected_calibration_error(y == classes[k], proba[:, k], pos_label=True)
                for k in columns
            ]
        )
    )


class MinimumExpectedCostClassifier(
    ScoreDelegateMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Predict the class of least expected cost under the model's probabilities.

    For each sample, the expected cost of predicting class ``j`` is
    ``sum_a P(a | x) * C[a][j]``, ``C`` being the cost matrix with its rows
    and columns in the order of ``classes_``; the prediction is the cheapest
    class. This is the Bayes-optimal rule *if the probabilities are
    calibrated*; no tuning data is needed. For two classes it is the
    closed-form threshold ``threshold_ = (C[0][1] - C[0][0]) / ((C[0][1] -
    C[0][0]) + (C[1][0] - C[1][1]))`` on the probability of ``classes_[1]``.

    Most models' probabilities are not calibrated, so ``fit`` estimates the
    calibration error out of fold and warns when it is large: then wrap the
    model in :class:`~sklearn.calibration.CalibratedClassifierCV`, or tune the
    decision on held-out data with :class:`~skeval.ThresholdTunedClassifier`
    (which needs no calibration).

    Read more in the :ref:`User Guide <expected_cost>`.

    Parameters
    ----------
    estimator : estimator instance
        A classifier with ``predict_proba``. Wrap an already fitted one in
        :class:`~sklearn.frozen.FrozenEstimator`.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i][j]`` is the cost of predicting ``labels[j]`` when
        the true class is ``labels[i]`` (the orientation of
        :func:`~sklearn.metrics.confusion_matrix`). Negative entries are gains.
        ``None``: the named costs below, or, when none is given, every
        mistake costs 1 (the most probable class is predicted).
    labels : array-like of shape (n_classes,), default=None
        The class of each row and column of ``cost_matrix``, e.g. a triage
        matrix written in its natural order ``["low", "medium", "high"]``.
        None: ``classes_``, the sorted labels of ``y``.
    fp, fn, tp, tn : float, default=0
        Two classes, in place of ``cost_matrix``: the cost of a false
        positive, a false negative (a missed positive), a true positive and
        a true negative, whichever class ``pos_label`` names.
    pos_label : int, float, bool or str, default=None
        The positive class of the named costs. None: 1 for {0, 1} and
        {-1, 1} labels, else the greater label.
    calibration_cv : int or None, default=3
        Folds for the out-of-fold calibration check in ``fit``; ``None``
        skips the check.
    calibration_tolerance : float, default=0.05
        A :class:`PoorCalibrationWarning` is raised when the class-wise
        expected calibration error (10 uniform bins, mean over classes)
        exceeds it.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted estimator.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    threshold_ : float
        Two classes only (absent otherwise): predict ``classes_[1]`` iff its
        probability is ``>= threshold_``.
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The costs used, rows and columns in the order of ``classes_``.
    calibration_error_ : float or None
        The out-of-fold class-wise expected calibration error, or None when
        the check was skipped.
    n_features_in_ : int
        Number of features seen during fit (when the estimator records it).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit (when the estimator records them).

    See Also
    --------
    ThresholdTunedClassifier : Tune the decision on held-out data instead.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skeval import MinimumExpectedCostClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> cost = [[0, 1, 1], [10, 0, 1], [10, 1, 0]]  # missing class 0 is dear
    >>> clf = MinimumExpectedCostClassifier(
    ...     LogisticRegression(max_iter=1000), cost_matrix=cost, calibration_cv=None
    ... ).fit(X, y)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> binary = MinimumExpectedCostClassifier(
    ...     LogisticRegression(), cost_matrix=[[0, 1], [4, 0]], calibration_cv=None
    ... ).fit(X, y == 2)
    >>> round(binary.threshold_, 3)
    0.2
    >>> named = MinimumExpectedCostClassifier(  # the same costs, by meaning
    ...     LogisticRegression(), fp=1, fn=4, calibration_cv=None
    ... ).fit(X, y == 2)
    >>> round(named.threshold_, 3)
    0.2
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "cost_matrix": ["array-like", None],
        "labels": ["array-like", None],
        "fp": [Real],
        "fn": [Real],
        "tp": [Real],
        "tn": [Real],
        "pos_label": [Real, str, "boolean", None],
        "calibration_cv": [Interval(Integral, 2, None, closed="left"), None],
        "calibration_tolerance": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(
        self,
        estimator,
        *,
        cost_matrix=None,
        labels=None,
        fp=0,
        fn=0,
        tp=0,
        tn=0,
        pos_label=None,
        calibration_cv=3,
        calibration_tolerance=0.05,
    ):
        self.estimator = estimator
        self.cost_matrix = cost_matrix
        self.labels = labels
        self.fp = fp
        self.fn = fn
        self.tp = tp
        self.tn = tn
        self.pos_label = pos_label
        self.calibration_cv = calibration_cv
        self.calibration_tolerance = calibration_tolerance

    def _costs(self, classes):
        """The cost matrix in the order of ``classes``."""
        named = dict(fp=self.fp, fn=self.fn, tp=self.tp, tn=self.tn)
        if self.cost_matrix is None and not any(named.values()):
            return 1.0 - np.eye(len(classes))
        cost = CostMatrix.from_params(self.cost_matrix, labels=self.labels, **named)
        if cost.names:
            raise TypeError(
                "`cost_matrix` must hold numbers (per-sample costs need "
                "ThresholdTunedClassifier with make_cost_scorer). Got "
                f"{self.cost_matrix!r}."
            )
        return cost.bind(classes, self.pos_label).fixed

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the estimator and check its calibration.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the estimator's fit when it accepts it (routing off) or
            as requested (routing on).
        **fit_params : dict
            Other fit parameters; with routing on, as requested.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        X, y = indexable(X, y)
        check_classification_targets(y)
        y = column_or_1d(y, warn=True)
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(
                "MinimumExpectedCostClassifier needs at least two classes. "
                f"Got 1 class: {classes.tolist()}."
            )
        for attr in ("threshold_", "n_features_in_", "feature_names_in_"):
            if hasattr(self, attr):  # from an earlier fit
                delattr(self, attr)
        self.cost_matrix_ = self._costs(classes)
        if routing_enabled():
            routed = process_routing(
                self, "fit", sample_weight=sample_weight, **fit_params
            )
            params = dict(routed.estimator.fit)
        else:
            params = dict(fit_params)
            if sample_weight is not None:
                if not has_fit_parameter(self.estimator, "sample_weight"):
                    raise ValueError(
                        f"{type(self.estimator).__name__}.fit does not accept "
                        "sample_weight."
                    )
                params["sample_weight"] = sample_weight
        self.estimator_ = clone(self.estimator).fit(X, y, **params)
        if not np.array_equal(np.asarray(self.estimator_.classes_), classes):
            raise ValueError(
                "The estimator's classes_ must be the labels of y. Got "
                f"{np.asarray(self.estimator_.classes_).tolist()} and "
                f"{classes.tolist()}."
            )
        C = self.cost_matrix_
        if len(classes) == 2:
            loss_neg = C[0, 1] - C[0, 0]  # extra cost of a false positive
            loss_pos = C[1, 0] - C[1, 1]  # extra cost of a false negative
            if loss_neg + loss_pos <= 0:
                raise ValueError(
                    "`cost_matrix` must make some mistake dearer than the right "
                    "answer: (C[0][1] - C[0][0]) + (C[1][0] - C[1][1]) > 0. Got "
                    f"{C.tolist()}."
                )
            self.threshold_ = float(np.clip(loss_neg / (loss_neg + loss_pos), 0, 1))
        self.calibration_error_ = None
        if self.calibration_cv is not None:
            proba = cross_val_predict(
                clone(self.estimator),
                X,
                y,
                cv=self.calibration_cv,
                method="predict_proba",
                params=params,
            )
            self.calibration_error_ = _classwise_ece(y, proba, classes)
            if self.calibration_error_ > self.calibration_tolerance:
                warnings.warn(
                    "The estimator's probabilities look badly calibrated "
                    f"(out-of-fold calibration error {self.calibration_error_:.3f} "
                    f"> calibration_tolerance={self.calibration_tolerance}), so "
                    "the minimum expected cost rule may be far from optimal. Wrap "
                    "the estimator in sklearn.calibration.CalibratedClassifierCV, "
                    "or tune the decision on held-out data with "
                    "ThresholdTunedClassifier.",
                    PoorCalibrationWarning,
                    stacklevel=3,  # the user's fit call, past the validation wrapper
                )
        for attr in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, attr):
                setattr(self, attr, getattr(self.estimator_, attr))
        return self

    def expected_cost(self, X):
        """Expected cost of predicting each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        cost : ndarray of shape (n_samples, n_classes)
            ``cost[i, j] = sum_a P(a | x_i) * cost_matrix[a][j]``.
        """
        check_is_fitted(self, "estimator_")
        return self._checked_proba(X) @ self.cost_matrix_

    def _checked_proba(self, X):
        proba = self.estimator_.predict_proba(X)
        if not np.isfinite(proba).all():
            bad = int(np.count_nonzero(~np.isfinite(proba).all(axis=1)))
            raise ValueError(
                "The estimator's predict_proba must be finite to compare expected "
                f"costs. Got {bad} row(s) with NaN or infinity."
            )
        return proba

    def predict(self, X):
        """Predict the class of least expected cost.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "estimator_")
        if len(self.classes_) == 2:
            proba = self._checked_proba(X)[:, 1]
            neg, pos = self.classes_
            return cut_scores(proba, self.threshold_, pos, neg, self.classes_.dtype)
        return self.classes_[np.argmin(self.expected_cost(X), axis=1)]

    def get_metadata_routing(self):
        """Metadata routing: fit metadata goes to the estimator's fit.

        Returns
        -------
        routing : sklearn.utils.metadata_routing.MetadataRouter
        """
        return MetadataRouter(owner=self).add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
