"""ThresholdTunedClassifier: an exact, constrained operating point by CV."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import StratifiedShuffleSplit, check_cv
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    check_is_fitted,
    column_or_1d,
    indexable,
)

from ._core._labels import present_labels
from ._core._objective import CurveObjective, resolve_objective
from ._core._scores import Fold, fit_and_score
from ._delegate import ScoreDelegateMixin
from ._routing import route_fit_params, scorer_for_router
from ._tuning import BinaryThreshold, ClassOffsets
from .utils._sklearn_compat import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    fit_context,
)
from .utils._validation import check_metadata, check_weights

__all__ = ["ThresholdTunedClassifier"]

# Everything fit sets besides the model: removed first, so that a refit on
# another kind of target leaves nothing stale behind.
_FITTED = (
    "spec_",
    "result_",
    "pos_label_",
    "response_method_",
    "best_threshold_",
    "best_score_",
    "fold_thresholds_",
    "class_offsets_",
    "fold_offsets_",
    "constraint_value_",
    "constraint_satisfied_",
    "constraint_bound_",
    "cv_results_",
    "n_features_in_",
    "feature_names_in_",
)


class ThresholdTunedClassifier(
    ScoreDelegateMixin, ClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Classifier whose operating point is tuned by cross-validation.

    Binary targets: the decision threshold maximises ``objective`` (mean over
    the validation folds), optionally subject to ``constraint``. Objectives
    that are functions of the confusion counts (F1, balanced accuracy, MCC,
    costs, ...) are optimised *exactly*: every distinct validation score is a
    candidate, in O(n log n) per fold, and the mean-over-folds optimum is
    found on the union of the folds' breakpoints. Other scorers are evaluated on a grid.

    Multiclass targets: one additive offset per class on the estimator's
    scores (log-probabilities, or decision values), predicting
    ``argmax(score + class_offsets_)``. The offsets maximise the mean
    objective over folds by coordinate ascent in which every one-dimensional
    step is exact (one sort of the points where samples change class). This
    needs no calibrated probabilities, unlike the minimum expected cost rule of
    :class:`MinimumExpectedCostClassifier`.

    Read more in the :ref:`User Guide <tuning>`.

    Parameters
    ----------
    estimator : estimator instance
        The classifier, fitted (with ``cv="prefit"``) or not. It must
        implement ``predict_proba`` or ``decision_function``.

    objective : str or callable, default="f1"
        What to maximise:

        * a skeval metric name: ``"f1"``, ``"accuracy"``, ``"balanced_accuracy"``,
          ``"matthews_corrcoef"``, ``"jaccard"``, ``"cohen_kappa"``,
          ``"youden"``, ``"g_mean"``; ``"precision"``, ``"recall"``,
          ``"specificity"`` and ``"npv"`` only together with a ``constraint``
          (alone, each is maximised at an end of the score range);
        * a scikit-learn scorer name or a scorer made by
          :func:`~sklearn.metrics.make_scorer` from a confusion-count metric
          (``f1_score``, ``fbeta_score(beta=...)``, ``precision_score``, ...) or
          by a skeval factory: exact path;
        * any other callable ``scorer(estimator, X, y) -> float``: grid path.

        Threshold-free scorers (``"roc_auc"``, ``"neg_log_loss"``,
        ``"average_precision"``) are refused.

        On a multiclass target: ``"f1"`` (the default; macro-averaged there),
        ``"f1_macro"``, ``"accuracy"``, ``"balanced_accuracy"``,
        ``"matthews_corrcoef"``, scorers of those metrics, or
        :func:`~skeval.make_cost_scorer` with one row and column per class
        (per-sample entries included).

    constraint : tuple (str, float), default=None
        ``(metric, value)``: ``"recall"``, ``"precision"``, ``"specificity"``
        and ``"npv"`` must be at least ``value``; ``"fpr"``, ``"fnr"`` and
        ``"alert_rate"`` (the weighted share predicted positive) at most
        ``value``. Evaluated as the mean over folds. When no threshold
        satisfies it, an :class:`~skeval.exceptions.InfeasibleConstraintWarning`
        is raised, the closest threshold is kept and
        ``constraint_satisfied_`` is False. Binary targets only.

    confidence : float, default=None
        With a ``constraint``: the probability, over the draw of the validation
        data, that the constraint holds on new data from the same distribution
        (e.g. 0.95). Only thresholds certified by exact binomial tests on the
        validation counts are kept (every distinct score for recall, fnr,
        specificity, fpr and alert_rate; geometrically spaced ranks with a
        Bonferroni correction for precision and npv), and the objective is
        maximised over them. Exact for ``cv="prefit"`` and for a hold-out split
        with ``refit=False``; with several folds the out-of-fold counts are
        pooled and the guarantee holds for the fold models, approximately for
        the refitted one. ``sample_weight`` must then hold whole numbers
        (repeated rows). None: the constraint holds on the validation data.
        See :ref:`guarantees`. Binary targets only.

    pos_label : int, float, bool or str, default=None
        The positive class. None: the objective scorer's own ``pos_label`` if
        it has one, else ``classes_[1]``. Must agree with the scorer's when
        both are set. Binary targets only.

    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Where the scores come from. ``"auto"`` tries ``predict_proba``, then
        ``decision_function``. Scores are used as they are (never rescaled);
        decision values are negated when ``pos_label`` is ``classes_[0]``.

    thresholds : "auto", int or array-like, default="auto"
        ``"auto"``: every distinct validation score for exact objectives, a
        100-point grid over the validation scores' range for the others. An
        int forces a grid of that many points over that range; an array, those
        thresholds; both for every objective. When every validation score is
        the same, the grid is ``[+inf, score]``: nothing or everything positive.
        Multiclass targets: ``"auto"`` only.

    cv : int, float, cross-validation generator, iterable or "prefit", default=None
        ``None``: 5-fold stratified; int: that many stratified folds; float in
        (0, 1): one stratified hold-out split of that validation size; a
        splitter or an iterable of (train, test) index pairs; ``"prefit"``:
        ``estimator`` is already fitted and ``fit(X, y)`` only tunes the
        threshold on ``(X, y)``, which should be data it was not trained on.

    refit : bool, default=True
        Refit ``estimator`` on the whole of ``X`` once the threshold is chosen.
        ``False`` needs a single split and keeps the model fitted on that very
        split's training part. Ignored with ``cv="prefit"``, which never clones
        or refits.

    n_jobs : int, default=None
        Number of folds fitted in parallel (joblib). ``None`` means 1.

    random_state : int, RandomState instance or None, default=None
        Seeds the hold-out split when ``cv`` is a float.

    store_cv_results : bool, default=False
        Store the curves in ``cv_results_``. Binary targets only.

    selection : {"exact", "one_se"}, default="exact"
        How the threshold is chosen on the exact mean-over-folds curve.
        ``"exact"``: its argmax (the midpoint of the optimal interval).
        ``"one_se"``: the midpoint of the run of thresholds around the argmax
        whose mean objective is within one standard error (across folds) of
        the best, which moves less with the noise of the folds when the curve
        is flat near its optimum (a per-sample cost, say). The constraint, if
        any, still holds on the mean. With one fold both rules agree. Binary
        targets, exact objectives and ``thresholds="auto"`` only; otherwise
        ignored.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier used by ``predict``.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    best_threshold_ : float
        The decision threshold: positive iff ``score >= best_threshold_``. On
        the exact path, the midpoint of the optimal interval between two
        consecutive candidate scores; ``+inf``/``-inf`` when the optimum is to
        predict nothing/everything positive. Binary targets only.
    best_score_ : float
        Mean over folds of the objective at ``best_threshold_`` (or at
        ``class_offsets_``); greater is better, costs are negative.
    fold_thresholds_ : ndarray of shape (n_folds,)
        Each fold's own optimal threshold: their spread shows how stable the
        operating point is. Binary targets only.
    class_offsets_ : ndarray of shape (n_classes,)
        Multiclass targets only: the offset added to each class's score.
        Never worse than plain argmax (all zeros) on the tuning folds.
    fold_offsets_ : ndarray of shape (n_folds, n_classes)
        Multiclass targets only: each fold's own offsets.
    constraint_value_ : float
        Mean over folds of the constrained metric at ``best_threshold_``. Only
        with a ``constraint``.
    constraint_satisfied_ : bool
        Whether ``constraint_value_`` satisfies the constraint (with
        ``confidence``: whether some threshold is certified). Only with a
        ``constraint``.
    constraint_bound_ : float
        Only with ``confidence``: the one-sided Clopper-Pearson bound of the
        constrained metric at ``best_threshold_`` on the validation counts
        (pooled over folds) at that confidence; a lower bound for "at least"
        metrics, an upper bound for "at most" ones.
    cv_results_ : dict
        Only with ``store_cv_results=True``: ``"thresholds"`` (candidates,
        decreasing; the value at ``thresholds[k]`` holds for every threshold
        in ``(thresholds[k + 1], thresholds[k]]``), ``"objective"`` (mean over
        folds), ``"objective_folds"`` (one row per fold) and, with a
        constraint, ``"constraint"`` and ``"constraint_folds"``.
    n_features_in_ : int
        Number of features seen during fit (when the estimator records it).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit (when the estimator records them).

    See Also
    --------
    sklearn.model_selection.TunedThresholdClassifierCV : scikit-learn's
        grid-based tuner.
    sklearn.model_selection.FixedThresholdClassifier : A threshold set by hand.

    Notes
    -----
    A ratio with a zero denominator counts as 0, as in scikit-learn, so
    "predict nothing" never meets a precision floor. A validation fold that
    lacks a class, or whose scores are all equal, raises a
    :class:`~skeval.exceptions.DegenerateFoldWarning`.

    On the exact path every threshold between two consecutive candidate scores
    gives the same validation predictions, so the optimum is an interval;
    ``best_threshold_`` is its midpoint, ``+inf`` when it is open above
    (predict nothing) and ``-inf`` when open below (predict everything).
    Between equally good intervals the highest wins: the fewest positive
    predictions. On a grid, ``best_threshold_`` is the best grid value (the
    highest among equals).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skeval import ThresholdTunedClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = ThresholdTunedClassifier(LogisticRegression(), objective="f1").fit(X, y)
    >>> print(f"{clf.best_threshold_:.3f} {clf.best_score_:.3f}")
    0.459 0.875
    >>> screen = ThresholdTunedClassifier(
    ...     LogisticRegression(), objective="precision", constraint=("recall", 0.95)
    ... ).fit(X, y)
    >>> print(f"{screen.constraint_value_:.3f}", screen.constraint_satisfied_)
    0.951 True

    On three classes, offsets instead of a threshold:

    >>> from sklearn.datasets import load_wine
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skeval import make_cost_scorer
    >>> X, y = load_wine(return_X_y=True)
    >>> cost = make_cost_scorer([[0, 1, 1], [5, 0, 1], [5, 1, 0]])
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> clf = ThresholdTunedClassifier(model, objective=cost).fit(X, y)
    >>> clf.class_offsets_.shape, round(clf.best_score_, 3)
    ((3,), -0.006)
    """

    _parameter_constraints: dict = {
        "estimator": [
            HasMethods(["fit", "predict_proba"]),
            HasMethods(["fit", "decision_function"]),
        ],
        "objective": [str, callable, CurveObjective],
        "constraint": [tuple, list, None],
        "confidence": [Interval(Real, 0.0, 1.0, closed="neither"), None],
        "pos_label": [Real, str, "boolean", None],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "thresholds": [
            StrOptions({"auto"}),
            Interval(Integral, 2, None, closed="left"),
            "array-like",
        ],
        "cv": [
            "cv_object",
            StrOptions({"prefit"}),
            Interval(RealNotInt, 0.0, 1.0, closed="neither"),
        ],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "store_cv_results": ["boolean"],
        "selection": [StrOptions({"exact", "one_se"})],
    }

    def __init__(
        self,
        estimator,
        *,
        objective="f1",
        constraint=None,
        confidence=None,
        pos_label=None,
        response_method="auto",
        thresholds="auto",
        cv=None,
        refit=True,
        n_jobs=None,
        random_state=None,
        store_cv_results=False,
        selection="exact",
    ):
        self.estimator = estimator
        self.objective = objective
        self.constraint = constraint
        self.confidence = confidence
        self.pos_label = pos_label
        self.response_method = response_method
        self.thresholds = thresholds
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.store_cv_results = store_cv_results
        self.selection = selection

    # ------------------------------------------------------------------ fit
    @staticmethod
    def _check_target(y):
        """The sorted classes of a binary or multiclass target, or a ValueError."""
        classes = None
        if np.ndim(y) == 1:
            # the type of a 1-d target depends only on its distinct values:
            # one pass over y serves both checks
            classes = present_labels(np.asarray(y))
            y_type = type_of_target(classes, input_name="y")
        else:
            y_type = type_of_target(y, input_name="y")
        if y_type not in ("binary", "multiclass"):
            raise ValueError(
                f"Unknown label type: {y_type!r}. ThresholdTunedClassifier needs a "
                "binary or multiclass target."
            )
        if classes is None:
            classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(
                "ThresholdTunedClassifier needs at least two classes in y. Got 1 "
                f"class: {classes.tolist()}."
            )
        return classes

    def _check_cv(self, y):
        if self.cv == "prefit":
            try:
                check_is_fitted(self.estimator)
            except NotFittedError as exc:
                raise NotFittedError(
                    "With cv='prefit', `estimator` must already be fitted; "
                    f"{type(self.estimator).__name__} is not. Fit it first, or use "
                    "cv=None to fit it by cross-validation."
                ) from exc
            return "prefit"
        if isinstance(self.cv, Real) and not isinstance(self.cv, Integral):
            return StratifiedShuffleSplit(
                n_splits=1, test_size=self.cv, random_state=self.random_state
            )
        cv = check_cv(self.cv, y=y, classifier=True)
        if not self.refit and cv.get_n_splits() > 1:
            raise ValueError(
                "`refit=False` needs a single split (the model kept is the one "
                f"fitted on it). Got cv={self.cv!r} with {cv.get_n_splits()} splits."
            )
        return cv

    def _prefit_classes(self, classes):
        """The prefit estimator's classes; y's labels must be among them."""
        est_classes = np.asarray(getattr(self.estimator, "classes_", []))
        if len(est_classes) < 2:
            raise ValueError(
                "With cv='prefit', `estimator` must be a fitted classifier with at "
                f"least two classes_. Got classes_ {est_classes.tolist()}."
            )
        if not np.isin(classes, est_classes).all():
            raise ValueError(
                f"y holds labels {classes.tolist()} but the prefit estimator "
                f"knows {est_classes.tolist()}."
            )
        return est_classes

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the estimator and tune its decision threshold.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (with ``cv="prefit"``: tuning data).
        y : array-like of shape (n_samples,)
            Binary target.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights every confusion count. With metadata routing off they are
            also passed to ``estimator.fit`` when it accepts them (a warning
            says when it does not) and to a grid-path scorer that accepts
            them; with routing on, as requested.
        **params : dict
            The per-sample arrays the objective names (e.g. a cost scorer's
            ``amount``); with metadata routing on, anything routed to the
            estimator, the splitter or the objective.

        Returns
        -------
        self : object
            The fitted tuner.
        """
        X, y = indexable(X, y)
        classes = self._check_target(y)
        y = column_or_1d(y, warn=True)
        cv = self._check_cv(y)
        prefit = cv == "prefit"
        if prefit:  # the labels are the prefit estimator's
            classes = self._prefit_classes(classes)
        strategy = (ClassOffsets if len(classes) > 2 else BinaryThreshold)(
            self, classes
        )
        objective = strategy.objective
        n_samples = len(y)
        sample_weight = check_weights(sample_weight, n_samples=n_samples)
        fit_params, split_params, score_params = route_fit_params(
            self, objective, sample_weight, params
        )
        score_params.update(
            check_metadata(
                objective.metadata,
                {m: score_params[m] for m in objective.metadata if m in score_params},
                n_samples,
                owner="The objective",
                caller="fit",
                example="fit(X, y, {name}=...)",
            )
        )
        for stale in _FITTED:
            self.__dict__.pop(stale, None)

        # 1. scores: fit each fold (in parallel) and score its validation rows
        if prefit:
            splits = [(None, None)]
            fitted = [(self.estimator, *strategy.score(self.estimator, X))]
        else:
            splits = self._splits(cv, X, y, split_params)
            fitted = Parallel(n_jobs=self.n_jobs)(
                delayed(fit_and_score)(
                    clone(self.estimator), X, y, train, val, fit_params, strategy.score
                )
                for train, val in splits
            )
        folds = [
            Fold.of(X, y, val, *est_scores_method, sample_weight, score_params)
            for (_, val), est_scores_method in zip(splits, fitted)
        ]
        # 2. curves and 3. selection, by the target's strategy
        for name, value in strategy.tune(X, folds).items():
            setattr(self, name, value)

        # 4. the model predict uses
        if prefit:
            self.estimator_ = self.estimator
        elif not self.refit:
            self.estimator_ = folds[0].estimator
        else:
            self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        for attr in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, attr):
                setattr(self, attr, getattr(self.estimator_, attr))
        return self

    @staticmethod
    def _splits(cv, X, y, split_params):
        """The (train, validation) index pairs, checked against ``y``."""
        splits = list(cv.split(X, y, **split_params))
        if not splits:
            raise ValueError(
                "`cv` must give at least one (train, validation) split. Got none."
            )
        n_samples = len(y)
        for i, split in enumerate(splits):
            for name, idx in zip(("train", "validation"), split):
                idx = np.asarray(idx)
                if idx.dtype.kind == "b":
                    idx = np.flatnonzero(idx) if len(idx) == n_samples else idx[:0]
                if idx.size == 0 or idx.dtype.kind not in "iu":
                    raise ValueError(
                        f"`cv` split {i} must have non-empty integer {name} indices. "
                        f"Got {idx.size} indices of dtype {idx.dtype}."
                    )
                if idx.min() < 0 or idx.max() >= n_samples:
                    raise ValueError(
                        f"`cv` split {i} must have {name} indices within "
                        f"[0, {n_samples}). Got indices from {idx.min()} to "
                        f"{idx.max()}."
                    )
        return splits

    # -------------------------------------------------------------- predict
    def predict(self, X):
        """Predict the class at the tuned operating point.

        Binary: positive iff the score is ``>= best_threshold_``. Multiclass:
        the class of greatest ``score + class_offsets_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        check_is_fitted(self, "best_score_")
        strategy = ClassOffsets if hasattr(self, "class_offsets_") else BinaryThreshold
        return strategy.predict(self, X)

    def get_metadata_routing(self):
        """Metadata routing of this object: estimator fit, splitter, objective.

        Returns
        -------
        routing : sklearn.utils.metadata_routing.MetadataRouter
        """
        router = MetadataRouter(owner=self).add_self_request(self)
        router.add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
        if self.cv != "prefit":
            splitter = (
                StratifiedShuffleSplit(n_splits=1, test_size=self.cv)
                if isinstance(self.cv, Real) and not isinstance(self.cv, Integral)
                else check_cv(self.cv, classifier=True)
            )
            router.add(
                splitter=splitter,
                method_mapping=MethodMapping().add(caller="fit", callee="split"),
            )
        if hasattr(self.objective, "get_metadata_routing"):
            router.add(
                scorer=self._scorer_for_router(),
                method_mapping=MethodMapping().add(caller="fit", callee="score"),
            )
        return router

    def _scorer_for_router(self):
        """The objective scorer, as the metadata router should see it."""
        try:
            exact = isinstance(resolve_objective(self.objective), CurveObjective)
        except (TypeError, ValueError):  # an invalid objective is fit's to report
            return self.objective
        return scorer_for_router(self.objective, exact)
