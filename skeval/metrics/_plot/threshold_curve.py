"""ThresholdCurveDisplay: metrics against the decision threshold.

The curves come from the exact engine (one sort, every distinct score); what
is drawn is decimated to a few thousand points per line, so that a million
scores plot quickly and look the same as the full curve at screen resolution.
"""

from .._fitted import fitted_spec, scores_of
from ._curves import _compute
from ._draw import _import_pyplot
from ._figure import ThresholdCurveFigure

__all__ = ["ThresholdCurveDisplay"]


class ThresholdCurveDisplay(ThresholdCurveFigure):
    """Metrics against the decision threshold, with the chosen operating point.

    Draws, against the threshold in the estimator's own score space
    (probabilities or decision values), the objective, other metrics, and with
    cross-validation results every fold's curve (or the band between them), the
    constraint's limit, the chosen threshold and the default one.

    It is recommended to create a display with :meth:`from_estimator`,
    :meth:`from_predictions` or :meth:`from_tuner`. All parameters are stored
    as attributes.

    Read more in the :ref:`User Guide <display>`.

    Parameters
    ----------
    thresholds : ndarray of shape (n_thresholds,)
        Decreasing thresholds. The value at ``thresholds[k]`` holds for every
        threshold in ``(thresholds[k + 1], thresholds[k]]`` (predict positive
        iff ``score >= threshold``), so the curves are drawn as steps.
        Non-finite entries (the ``+inf`` "predict nothing" point) are not drawn.

    values : dict of str to ndarray of shape (n_thresholds,)
        The curves: a metric name (or any label) to its value at each
        threshold. Drawn in this order.

    fold_values : dict of str to ndarray of shape (n_folds, n_thresholds), \
            default=None
        Per-fold curves of some entries of ``values`` (cross-validation).

    objective_name : str, default=None
        The entry of ``values`` that was maximised: drawn bolder, and the
        thresholds are marked on it.

    constraint : tuple (str, float), default=None
        ``(metric, limit)``: a horizontal line at ``limit``, in the colour of
        ``values[metric]`` when that curve is drawn.

    best_threshold : float, default=None
        The chosen threshold, marked on the objective curve. Not drawn when
        None or infinite (predict nothing or everything positive).

    fold_thresholds : ndarray of shape (n_folds,), default=None
        Each fold's own best threshold, drawn as ticks along the x axis.

    default_threshold : float, default=None
        The estimator's default cut-off (0.5 for probabilities, 0 for
        decision values), marked for comparison. None: not drawn.

    pos_label : int, float, bool or str, default=None
        The positive class, shown in the axis label.

    response_method : str, default=None
        Where the scores came from (``"predict_proba"`` or
        ``"decision_function"``), shown in the axis label.

    name : str, default=None
        Name of the estimator, used as the title.

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        The curve drawn for each entry of ``values``.
    fold_lines_ : dict of str to list of matplotlib Line2D
        With ``folds="lines"``: one line per fold for each entry of
        ``fold_values``.
    fold_bands_ : dict of str to matplotlib PolyCollection
        With ``folds="band"``: the band between the lowest and the highest
        fold for each entry of ``fold_values``.
    constraint_line_ : matplotlib Line2D or None
        The constraint's limit.
    infeasible_region_ : matplotlib PolyCollection or None
        The shaded thresholds where the constraint's curve misses its limit.
    best_marker_ : matplotlib Line2D or None
        The chosen threshold's point on the objective curve (a vertical line
        when there is no objective curve).
    default_marker_ : matplotlib Line2D or None
        The default threshold's point on the objective curve (a vertical line
        when there is no objective curve).
    fold_thresholds_marker_ : matplotlib Line2D or None
        The ticks at each fold's best threshold.
    ax_ : matplotlib Axes
        Axes with the curves.
    objective_ax_ : matplotlib Axes
        Axes of the objective curve: ``ax_`` itself, or a twin axis on the
        right when the objective leaves [-1, 1] (a cost, say).
    figure_ : matplotlib Figure
        Figure containing the curves.

    See Also
    --------
    ThresholdTunedClassifier : Tunes the threshold these curves show.
    sklearn.metrics.PrecisionRecallDisplay : Precision against recall.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skeval import ThresholdCurveDisplay
    >>> rng = np.random.RandomState(0)
    >>> y = rng.randint(2, size=200)
    >>> scores = np.clip(0.3 * y + rng.normal(0.35, 0.2, size=200), 0, 1)
    >>> disp = ThresholdCurveDisplay.from_predictions(
    ...     y, scores, objective="f1", default_threshold=0.5
    ... )
    >>> print(f"{disp.best_threshold:.3f}")
    0.496
    >>> sorted(disp.lines_)
    ['f1', 'precision', 'recall']
    """

    def __init__(
        self,
        thresholds,
        values,
        *,
        fold_values=None,
        objective_name=None,
        constraint=None,
        best_threshold=None,
        fold_thresholds=None,
        default_threshold=None,
        pos_label=None,
        response_method=None,
        name=None,
    ):
        self.thresholds = thresholds
        self.values = values
        self.fold_values = fold_values
        self.objective_name = objective_name
        self.constraint = constraint
        self.best_threshold = best_threshold
        self.fold_thresholds = fold_thresholds
        self.default_threshold = default_threshold
        self.pos_label = pos_label
        self.response_method = response_method
        self.name = name

    # -------------------------------------------------------- constructors
    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_score,
        *,
        objective="f1",
        constraint=None,
        metrics=("precision", "recall"),
        pos_label=None,
        sample_weight=None,
        threshold=None,
        default_threshold=None,
        name=None,
        ax=None,
        curve_kwargs=None,
        despine=False,
        **metadata,
    ):
        """Plot metrics against the threshold from true labels and scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True binary labels.

        y_score : array-like of shape (n_samples,)
            Scores of the positive class: probabilities or decision values.

        objective : str, scorer or None, default="f1"
            What the chosen threshold maximises, in the vocabulary of
            :class:`~skeval.ThresholdTunedClassifier` (a metric name, a
            scorer the exact engine understands such as a cost scorer). None:
            draw ``metrics`` only and choose no threshold. A cost scorer's
            curve is drawn as the cost itself (lower is better), on its own
            axis when it leaves [-1, 1].

        constraint : tuple (str, float), default=None
            ``(metric, value)``, as in :class:`~skeval.ThresholdTunedClassifier`:
            the chosen threshold satisfies it, and its limit is drawn.

        metrics : tuple of str, default=("precision", "recall")
            Further count metrics to draw (names of
            ``skeval.metrics`` count metrics such as ``"alert_rate"``).

        pos_label : int, float, bool or str, default=None
            The positive class. None: 1 (or True) for {0, 1}, {-1, 1} and
            boolean labels, else the greater label.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights every confusion count.

        **metadata : dict of str to array-like of shape (n_samples,)
            Per-sample arrays the objective needs (a cost scorer's
            ``amount=...``), as :func:`~skeval.metrics.cost_loss` takes them.

        threshold : float, default=None
            The threshold to mark. None: the best one on these data (the
            same midpoint and tie rules as the tuner).

        default_threshold : float, default=None
            A threshold to mark for comparison, typically the estimator's
            default (0.5 for probabilities, 0 for decision values).

        name : str, default=None
            Title of the plot.

        ax : matplotlib Axes, default=None
            Axes to plot on. None: a new figure and axes are created.

        curve_kwargs : dict of str to dict, default=None
            Keyword arguments for matplotlib's ``plot`` per curve name.

        despine : bool, default=False
            Whether to remove the top and right spines.

        Returns
        -------
        display : ThresholdCurveDisplay

        See Also
        --------
        ThresholdCurveDisplay.from_estimator : The same from an estimator.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skeval import ThresholdCurveDisplay
        >>> disp = ThresholdCurveDisplay.from_predictions(
        ...     [0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.7],
        ...     objective="precision", constraint=("recall", 1.0),
        ... )
        >>> print(f"{disp.best_threshold:.3f}")
        0.275
        """
        _import_pyplot(f"{cls.__name__}.from_predictions")
        kwargs = _compute(
            y_true,
            y_score,
            objective=objective,
            constraint=constraint,
            metrics=metrics,
            pos_label=pos_label,
            sample_weight=sample_weight,
            metadata=metadata,
            threshold=threshold,
        )
        disp = cls(**kwargs, default_threshold=default_threshold, name=name)
        return disp.plot(ax=ax, curve_kwargs=curve_kwargs, despine=despine)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        objective="auto",
        constraint="auto",
        metrics=("precision", "recall"),
        response_method="auto",
        pos_label=None,
        sample_weight=None,
        threshold="auto",
        name=None,
        ax=None,
        curve_kwargs=None,
        despine=False,
        **metadata,
    ):
        """Plot metrics against the threshold of a fitted binary classifier.

        With a fitted :class:`~skeval.ThresholdTunedClassifier`, its own
        objective, constraint, positive class and score are used, and its
        ``best_threshold_`` is marked: the plot shows how the tuned operating
        point fares on ``(X, y)``, which should be data it was not tuned on.

        Parameters
        ----------
        estimator : estimator instance
            A fitted binary classifier with ``predict_proba`` or
            ``decision_function``, or a fitted ``ThresholdTunedClassifier``.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input values.

        y : array-like of shape (n_samples,)
            True binary labels.

        objective : "auto", str, scorer or None, default="auto"
            ``"auto"``: the tuner's objective (None when it is a scorer the
            exact engine cannot draw), else ``"f1"``. Otherwise as in
            :meth:`from_predictions`.

        constraint : "auto", tuple (str, float) or None, default="auto"
            ``"auto"``: the tuner's constraint, else None.

        metrics : tuple of str, default=("precision", "recall")
            Further count metrics to draw.

        response_method : {"auto", "predict_proba", "decision_function"}, \
                default="auto"
            Where the scores come from; ``"auto"`` tries ``predict_proba``
            first. A tuner uses its own.

        pos_label : int, float, bool or str, default=None
            The positive class. None: ``classes_[1]``, or the tuner's.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights every confusion count.

        **metadata : dict of str to array-like of shape (n_samples,)
            Per-sample arrays the objective needs (``amount=...``).

        threshold : "auto", float or None, default="auto"
            The threshold to mark. ``"auto"``: the tuner's
            ``best_threshold_``, else the best one on ``(X, y)``. None: the
            best one on ``(X, y)``.

        name : str, default=None
            Title of the plot. None: the estimator's class name (for a tuner,
            its inner estimator's).

        ax : matplotlib Axes, default=None
            Axes to plot on. None: a new figure and axes are created.

        curve_kwargs : dict of str to dict, default=None
            Keyword arguments for matplotlib's ``plot`` per curve name.

        despine : bool, default=False
            Whether to remove the top and right spines.

        Returns
        -------
        display : ThresholdCurveDisplay
            The default threshold (0.5 for ``predict_proba``, 0 for
            ``decision_function``) is marked too.

        See Also
        --------
        ThresholdCurveDisplay.from_tuner : The tuner's cross-validation curves.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.linear_model import LogisticRegression
        >>> from sklearn.model_selection import train_test_split
        >>> from skeval import ThresholdCurveDisplay, ThresholdTunedClassifier
        >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
        >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        >>> tuner = ThresholdTunedClassifier(LogisticRegression()).fit(X_train, y_train)
        >>> disp = ThresholdCurveDisplay.from_estimator(tuner, X_test, y_test)
        >>> disp.best_threshold == tuner.best_threshold_, disp.default_threshold
        (True, 0.5)
        """
        _import_pyplot(f"{cls.__name__}.from_estimator")
        if response_method not in ("auto", "predict_proba", "decision_function"):
            raise ValueError(
                "`response_method` must be 'auto', 'predict_proba' or "
                "'decision_function': the curve needs scores. Got "
                f"{response_method!r}."
            )
        scores, spec, tuner = scores_of(
            estimator, X, response_method=response_method, pos_label=pos_label
        )
        method = spec.response_method
        if isinstance(objective, str) and objective == "auto":
            # the tuner's own (fitted) objective; a grid scorer: the threshold only
            objective = "f1" if not tuner else spec.objective if spec.exact else None
        if isinstance(constraint, str) and constraint == "auto":
            constraint = None
            if tuner and spec.constraint is not None:
                constraint = (spec.constraint.name, spec.constraint.limit)
        if isinstance(threshold, str) and threshold == "auto":
            threshold = estimator.best_threshold_ if tuner else None
        kwargs = _compute(
            y,
            scores,
            objective=objective,
            constraint=constraint,
            metrics=metrics,
            pos_label=spec.pos_label,
            sample_weight=sample_weight,
            metadata=metadata,
            threshold=threshold,
            classes=spec.classes,
        )
        disp = cls(
            **kwargs,
            default_threshold=0.5 if method == "predict_proba" else 0.0,
            response_method=method,
            name=type(estimator.estimator_ if tuner else estimator).__name__
            if name is None
            else name,
        )
        return disp.plot(ax=ax, curve_kwargs=curve_kwargs, despine=despine)

    @classmethod
    def from_tuner(
        cls,
        tuner,
        *,
        folds="lines",
        name=None,
        ax=None,
        curve_kwargs=None,
        fold_kwargs=None,
        despine=False,
    ):
        """Plot a tuner's cross-validation curves and its chosen threshold.

        Draws the mean-over-folds objective (and constraint metric) that the
        tuner maximised, every fold's curve or their band, the constraint's
        limit, ``best_threshold_``, each fold's own best threshold and the
        default threshold.

        Parameters
        ----------
        tuner : ThresholdTunedClassifier
            Fitted with ``store_cv_results=True``.

        folds : {"lines", "band"} or None, default="lines"
            How the folds' curves are drawn.

        name : str, default=None
            Title of the plot. None: the inner estimator's class name.

        ax : matplotlib Axes, default=None
            Axes to plot on. None: a new figure and axes are created.

        curve_kwargs : dict of str to dict, default=None
            Keyword arguments for matplotlib's ``plot`` per curve name.

        fold_kwargs : dict, default=None
            Keyword arguments for the fold lines or bands.

        despine : bool, default=False
            Whether to remove the top and right spines.

        Returns
        -------
        display : ThresholdCurveDisplay

        See Also
        --------
        ThresholdCurveDisplay.from_estimator : The tuned threshold on new data.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.linear_model import LogisticRegression
        >>> from skeval import ThresholdCurveDisplay, ThresholdTunedClassifier
        >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
        >>> tuner = ThresholdTunedClassifier(
        ...     LogisticRegression(), objective="precision",
        ...     constraint=("recall", 0.9), store_cv_results=True,
        ... ).fit(X, y)
        >>> disp = ThresholdCurveDisplay.from_tuner(tuner)
        >>> len(disp.fold_lines_["precision"])
        5
        """
        _import_pyplot(f"{cls.__name__}.from_tuner")
        spec = fitted_spec(tuner)
        if not hasattr(tuner, "cv_results_"):
            raise ValueError(
                "ThresholdCurveDisplay.from_tuner needs the tuner's curves: fit it "
                "with store_cv_results=True."
            )
        result = tuner.result_
        objective = spec.objective_name
        values = {objective: spec.loss_sign * result.objective}
        fold_values = {objective: spec.loss_sign * result.objective_folds}
        constraint = None
        if spec.constraint is not None:
            metric = spec.constraint.name
            constraint = (metric, spec.constraint.limit)
            if metric != objective:
                values[metric] = result.constraint
                fold_values[metric] = result.constraint_folds
        method = spec.response_method
        disp = cls(
            result.thresholds,
            values,
            fold_values=fold_values,
            objective_name=objective,
            constraint=constraint,
            best_threshold=result.threshold,
            fold_thresholds=result.fold_thresholds,
            default_threshold=0.5 if method == "predict_proba" else 0.0,
            pos_label=spec.pos_label,
            response_method=method,
            name=type(tuner.estimator_).__name__ if name is None else name,
        )
        return disp.plot(
            ax=ax,
            folds=folds,
            curve_kwargs=curve_kwargs,
            fold_kwargs=fold_kwargs,
            despine=despine,
        )
