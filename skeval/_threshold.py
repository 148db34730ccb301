"""ThresholdTunedClassifier: an exact, constrained operating point by CV."""

import copy
import warnings
from functools import partial
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import StratifiedShuffleSplit, check_cv
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    check_is_fitted,
    column_or_1d,
    has_fit_parameter,
    indexable,
)

from ._core._curve import _sweep
from ._core._labels import present_labels
from ._core._objective import (
    CurveObjective,
    GridObjective,
    agreed_pos_label,
    check_constraint,
    check_not_degenerate,
    resolve_objective,
)
from ._core._scores import (
    Fold,
    Thresholded,
    accepts_sample_weight,
    binary_scores,
    fit_and_score,
    multiclass_scores,
)
from ._core._selection import merge_thresholds, select, values_at
from ._delegate import ScoreDelegateMixin
from ._offsets import resolve_multiclass_objective, tune_offsets
from .exceptions import (
    DegenerateFoldWarning,
    InfeasibleConstraintWarning,
    SkevalWarning,
)
from .utils._sklearn_compat import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    fit_context,
    routing_enabled,
    safe_indexing,
)
from .utils._validation import check_metadata, check_weights

__all__ = ["ThresholdTunedClassifier"]


def _bounded(values, constraint):
    """``select``'s constraint triple from a checked ``(metric, limit)``."""
    if constraint is None:
        return None
    metric, limit = constraint
    return values, metric.bound, limit


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
        Whether ``constraint_value_`` satisfies the constraint. Only with a
        ``constraint``.
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
    }

    def __init__(
        self,
        estimator,
        *,
        objective="f1",
        constraint=None,
        pos_label=None,
        response_method="auto",
        thresholds="auto",
        cv=None,
        refit=True,
        n_jobs=None,
        random_state=None,
        store_cv_results=False,
    ):
        self.estimator = estimator
        self.objective = objective
        self.constraint = constraint
        self.pos_label = pos_label
        self.response_method = response_method
        self.thresholds = thresholds
        self.cv = cv
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.store_cv_results = store_cv_results

    # ------------------------------------------------------------------ fit
    def _resolve(self):
        """Objective and constraint objects, validated together."""
        objective = resolve_objective(self.objective)
        constraint = check_constraint(self.constraint)
        check_not_degenerate(objective, constraint)
        return objective, constraint

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

    def _resolve_multiclass(self, classes):
        """The multiclass objective; binary-only options are refused."""
        refused = [
            f"{name}={getattr(self, name)!r}"
            for name, default in [("constraint", None), ("pos_label", None)]
            if getattr(self, name) is not default
        ]
        if not isinstance(self.thresholds, str):
            refused.append(f"thresholds={self.thresholds!r}")
        if self.store_cv_results:
            refused.append("store_cv_results=True")
        if refused:
            raise ValueError(
                f"{', '.join(refused)} applies to binary targets only; y has "
                f"{len(classes)} classes {classes[:10].tolist()}, for which the tuner "
                "learns one offset per class instead of a threshold."
            )
        objective = resolve_multiclass_objective(self.objective)
        objective.check_classes(classes)
        return objective

    def _check_thresholds(self):
        """Validate an array of ``thresholds`` before any fitting."""
        if isinstance(self.thresholds, (str, Integral)):
            return
        try:
            grid = np.asarray(self.thresholds, dtype=np.float64)
            valid = grid.ndim == 1 and grid.size > 0 and np.isfinite(grid).all()
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise ValueError(
                "`thresholds` as an array must be one-dimensional, non-empty, "
                f"numeric and finite. Got {self.thresholds!r}."
            )

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

    def _route(self, objective, sample_weight, params):
        """Split fit metadata between estimator, splitter and objective.

        The per-sample arrays the objective itself names (a cost scorer's
        amounts) always go to the objective. With metadata routing on,
        everything else follows the requests; with it off, ``sample_weight``
        goes to the estimator's ``fit`` when it accepts it, and anything else
        is an error.
        """
        own = {name: params[name] for name in objective.metadata if name in params}
        rest = {name: value for name, value in params.items() if name not in own}
        if sample_weight is not None:
            rest["sample_weight"] = sample_weight
        if routing_enabled():
            if not rest:
                return {}, {}, own
            routed = process_routing(self, "fit", **rest)
            split = getattr(routed, "splitter", None)
            score = getattr(routed, "scorer", None)
            return (
                dict(routed.estimator.fit),
                {} if split is None else dict(split.split),
                {**({} if score is None else dict(score.score)), **own},
            )
        unknown = sorted(set(rest) - {"sample_weight"})
        if unknown:
            raise ValueError(
                f"fit got {unknown}, which the objective does not use. Other fit "
                "metadata is passed on only with metadata routing: call "
                "sklearn.set_config(enable_metadata_routing=True) and request it, "
                "e.g. estimator.set_fit_request(...)."
            )
        fit_params = {}
        if sample_weight is not None:
            if has_fit_parameter(self.estimator, "sample_weight"):
                fit_params["sample_weight"] = sample_weight
            else:
                warnings.warn(
                    f"{type(self.estimator).__name__}.fit does not accept "
                    "sample_weight: the weights weight the threshold's counts only.",
                    SkevalWarning,
                    stacklevel=3,
                )
        score_params = dict(own)
        if sample_weight is not None and isinstance(objective, GridObjective):
            if accepts_sample_weight(objective.scorer):
                score_params["sample_weight"] = sample_weight
            else:
                warnings.warn(
                    f"The objective scorer {objective.name} does not accept "
                    "sample_weight: its values at each threshold are unweighted.",
                    SkevalWarning,
                    stacklevel=3,
                )
        return fit_params, {}, score_params

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
        multiclass = len(classes) > 2
        if multiclass:
            objective, constraint = self._resolve_multiclass(classes), None
        else:
            objective, constraint = self._resolve()
            self._check_thresholds()
        n_samples = len(y)
        sample_weight = check_weights(sample_weight, n_samples=n_samples)
        fit_params, split_params, score_params = self._route(
            objective, sample_weight, params
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
        for stale in (
            "best_threshold_",
            "class_offsets_",
            "constraint_value_",
            "constraint_satisfied_",
            "cv_results_",
            "fold_offsets_",
        ):
            self.__dict__.pop(stale, None)

        if multiclass:
            score = partial(multiclass_scores, response_method=self.response_method)
        else:
            pos_label = self._pos_label(objective, classes)
            neg_label = classes[0] if classes[1] == pos_label else classes[1]
            self._pos_label_ = pos_label
            if isinstance(objective, CurveObjective):  # e.g. a cost matrix's rows
                objective = objective.bind(classes, pos_label)
            score = partial(
                binary_scores, response_method=self.response_method, pos_label=pos_label
            )

        # 1. scores: fit each fold (in parallel) and score its validation rows
        if prefit:
            splits = [(None, None)]
            fitted = [(self.estimator, *score(self.estimator, X))]
        else:
            splits = list(cv.split(X, y, **split_params))
            fitted = Parallel(n_jobs=self.n_jobs)(
                delayed(fit_and_score)(
                    clone(self.estimator), X, y, train, val, fit_params, score
                )
                for train, val in splits
            )
        folds = [
            Fold.of(X, y, val, *est_scores_method, sample_weight, score_params)
            for (_, val), est_scores_method in zip(splits, fitted)
        ]

        # 2. curves, 3. selection
        if multiclass:
            self._tune_offsets(folds, objective, classes)
        else:
            for i, fold in enumerate(folds):
                self._check_fold(i, fold.y, fold.scores, pos_label)
            self._tune(X, folds, objective, constraint, pos_label, neg_label)

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

    def _tune_offsets(self, folds, objective, classes):
        """Multiclass: one additive offset per class, by exact coordinate ascent."""
        tuning = []
        for i, fold in enumerate(folds):
            if not np.array_equal(np.asarray(fold.estimator.classes_), classes):
                raise ValueError(
                    f"Every fold's estimator must know all classes {classes.tolist()}"
                    f"; fold {i}'s knows {np.asarray(fold.estimator.classes_).tolist()}"
                    " (its training rows lack a class: use fewer folds)."
                )
            y_idx = np.searchsorted(classes, fold.y)
            tuning.append(
                (
                    fold.scores,
                    y_idx,
                    fold.sample_weight,
                    objective.for_fold(
                        y_idx, classes, fold.metadata, fold.sample_weight
                    ),
                )
            )
        offsets, score, _ = tune_offsets(tuning, len(classes))
        self.class_offsets_ = offsets
        self.best_score_ = score
        self.fold_offsets_ = np.vstack(
            [tune_offsets([fold], len(classes))[0] for fold in tuning]
        )

    def _pos_label(self, objective, classes):
        pos_label = agreed_pos_label(
            self.pos_label, objective, owner="`pos_label` of the tuner"
        )
        if pos_label is None:
            return classes[1]
        if pos_label not in classes.tolist():
            raise ValueError(
                f"`pos_label` must be one of the classes {classes.tolist()}. "
                f"Got {pos_label!r}."
            )
        return classes[classes.tolist().index(pos_label)]

    @staticmethod
    def _check_fold(i, y_val, scores, pos_label):
        n_pos = int(np.count_nonzero(y_val == pos_label))
        if n_pos in (0, len(y_val)):
            warnings.warn(
                f"Validation fold {i} holds only one class ({len(y_val)} samples, "
                f"{n_pos} positive): its ratios with a zero denominator count as 0.",
                DegenerateFoldWarning,
                stacklevel=4,
            )
        if scores.min() == scores.max():
            warnings.warn(
                f"The estimator's scores are constant on validation fold {i}: the "
                "only operating points there are 'all positive' and 'all negative'.",
                DegenerateFoldWarning,
                stacklevel=4,
            )

    def _grid(self, folds):
        """The grid of candidate thresholds, decreasing."""
        if not isinstance(self.thresholds, (str, Integral)):
            return np.unique(np.asarray(self.thresholds, dtype=np.float64))[::-1]
        n_points = 100 if isinstance(self.thresholds, str) else int(self.thresholds)
        low = min(fold.scores.min() for fold in folds)
        high = max(fold.scores.max() for fold in folds)
        if low == high:
            # constant scores: "everything positive" and "nothing positive"
            return np.array([np.inf, high])
        return np.unique(np.linspace(low, high, n_points))[::-1]

    def _tune(self, X, folds, objective, constraint, pos_label, neg_label):
        """Evaluate every fold on the candidates, average, select.

        Exact path: each fold's curve (one sort) is evaluated at its own
        distinct scores, then read at the union of all folds' scores, where
        the mean over folds is again exact. Grid path: every fold is read (or,
        for an arbitrary scorer, scored) at the same grid.
        """
        exact = isinstance(objective, CurveObjective)
        on_grid = not (exact and isinstance(self.thresholds, str))
        # per-sample objective metadata (costs) is summed along the sort order
        keep_order = bool(getattr(objective, "metadata", ()))
        curves = [
            _sweep(f.y == pos_label, f.scores, f.sample_weight, keep_order=keep_order)
            for f in folds
        ]
        if on_grid:
            candidates = self._grid(folds)
        else:
            candidates = merge_thresholds([curve.thresholds for curve in curves])

        obj_folds, con_folds, fold_thresholds = [], [], []
        for fold, curve in zip(folds, curves):
            if exact:
                metadata = {m: fold.metadata[m] for m in objective.metadata}
                obj_curve = objective.evaluate(curve, **metadata)
                obj = values_at(curve.thresholds, obj_curve, candidates)
            else:
                obj = self._grid_values(
                    X, fold, objective, candidates, pos_label, neg_label
                )
            con_curve = con = None
            if constraint is not None:
                con_curve = constraint[0](*curve.counts)
                con = values_at(curve.thresholds, con_curve, candidates)
            # the fold's own optimum, on its own candidates
            if on_grid:
                own = select(
                    candidates,
                    obj,
                    constraint=_bounded(con, constraint),
                    midpoint=False,
                )
            else:
                own = select(
                    curve.thresholds,
                    obj_curve,
                    constraint=_bounded(con_curve, constraint),
                )
            obj_folds.append(obj)
            con_folds.append(con)
            fold_thresholds.append(own.threshold)

        obj_folds = np.vstack(obj_folds)
        mean_obj = obj_folds.mean(axis=0)
        con_folds = None if constraint is None else np.vstack(con_folds)
        mean_con = None if constraint is None else con_folds.mean(axis=0)
        # one fold (prefit, a hold-out split): its own optimum is the optimum
        sel = (
            own
            if len(folds) == 1
            else select(
                candidates,
                mean_obj,
                constraint=_bounded(mean_con, constraint),
                midpoint=not on_grid,
            )
        )
        self.best_threshold_ = sel.threshold
        self.best_score_ = sel.score
        self.fold_thresholds_ = np.asarray(fold_thresholds)
        if constraint is not None:
            self.constraint_value_ = sel.constraint_value
            self.constraint_satisfied_ = sel.constraint_satisfied
            if not sel.constraint_satisfied:
                metric, limit = constraint
                relation = "at least" if metric.bound == "lower" else "at most"
                warnings.warn(
                    f"No threshold meets the constraint {metric.name} {relation} "
                    f"{limit:g} (mean over folds); the closest reaches "
                    f"{sel.constraint_value:.4g}. Kept that threshold; "
                    "constraint_satisfied_ is False.",
                    InfeasibleConstraintWarning,
                    stacklevel=3,
                )
        if self.store_cv_results:
            self.cv_results_ = {
                "thresholds": candidates,
                "objective": mean_obj,
                "objective_folds": obj_folds,
            }
            if constraint is not None:
                self.cv_results_["constraint"] = mean_con
                self.cv_results_["constraint_folds"] = con_folds

    @staticmethod
    def _grid_values(X, fold, objective, grid, pos_label, neg_label):
        """An arbitrary scorer's value at each grid threshold, on one fold."""
        X_val = X if fold.val is None else safe_indexing(X, fold.val)
        cut = Thresholded(
            fold.estimator, X_val, fold.scores, fold.method, pos_label, neg_label
        )
        values = np.empty(len(grid))
        for j, threshold in enumerate(grid):
            cut.threshold = threshold
            values[j] = objective.scorer(cut, X_val, fold.y, **fold.metadata)
        if not np.isfinite(values).all():
            raise ValueError(
                f"The objective scorer {objective.name} must return a finite number "
                "at every threshold. Got NaN or infinity on a validation fold."
            )
        return values

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
        classes = self.classes_
        if hasattr(self, "class_offsets_"):
            scores, _ = multiclass_scores(self.estimator_, X, self.response_method)
            return classes[np.argmax(scores + self.class_offsets_, axis=1)]
        scores, _ = binary_scores(
            self.estimator_, X, self.response_method, self._pos_label_
        )
        neg = classes[0] if classes[1] == self._pos_label_ else classes[1]
        return np.where(scores >= self.best_threshold_, self._pos_label_, neg).astype(
            classes.dtype, copy=False
        )

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
                scorer=self._routed_objective(),
                method_mapping=MethodMapping().add(caller="fit", callee="score"),
            )
        return router

    def _routed_objective(self):
        """The objective scorer as the router sees it.

        On the exact path the tuner weights every count itself, so a scorer
        that has not said whether it wants ``sample_weight`` is marked as not
        requesting it: users need not call ``set_score_request`` on an
        objective that never receives the weights anyway.
        """
        scorer = self.objective
        try:
            exact = isinstance(resolve_objective(scorer), CurveObjective)
            unset = (
                scorer.get_metadata_routing().score.requests.get("sample_weight")
                is None
            )
        except Exception:  # invalid objectives are reported by fit
            return scorer
        if exact and unset:
            scorer = copy.deepcopy(scorer).set_score_request(sample_weight=False)
        return scorer
