"""Costs: the cost metric, the savings score and the cost scorer factory.

A cost matrix ``C[i][j]`` is the cost of predicting ``labels[j]`` when the
true class is ``labels[i]`` (the orientation of ``confusion_matrix``), whatever
the positive class. Binary costs can instead be named by meaning, ``fp=``,
``fn=``, ``tp=``, ``tn=``, relative to ``pos_label``. Negative entries are
gains. A string entry names per-sample metadata: ``fn="amount"`` (or, on
labels 0/1, ``[[0, 5], ["amount", 0]]``) makes a missed positive cost that
row's amount. Both forms are a :class:`~skeval._core._costs.CostMatrix`.
"""

from numbers import Real

from .._core._costs import CostMatrix
from .._core._labels import check_label_pair
from .._core._objective import CurveObjective, register_curve_metric
from ..utils._sklearn_compat import validate_params
from ._scorer import SkevalScorer

__all__ = [
    "CostMatrix",
    "CostObjective",
    "resolve_cost",
    "cost_loss",
    "savings_score",
    "make_cost_scorer",
]


def _label_sums(caller, y_true, y_pred, params, pos_label, sample_weight, metadata):
    """The cost, its counts and metadata sums per cell, and each row's class."""
    cost = CostMatrix.from_params(**params)
    y_true, y_pred, sample_weight = check_label_pair(y_true, y_pred, sample_weight)
    values = cost.check_metadata(metadata, len(y_true), caller=caller)
    y_idx, p_idx, rows = cost.encode(y_true, y_pred, pos_label)
    counts, sums = cost.label_sums(y_idx, p_idx, sample_weight, values)
    return cost, counts, sums, rows


_CELL = [Real, str]
_COST_PARAMS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "cost_matrix": ["array-like", CostMatrix, None],
    "fp": _CELL,
    "fn": _CELL,
    "tp": _CELL,
    "tn": _CELL,
    "labels": ["array-like", None],
    "pos_label": [Real, str, "boolean", None],
    "normalize": ["boolean"],
    "sample_weight": ["array-like", None],
}


@validate_params(_COST_PARAMS, prefer_skip_nested_validation=True)
def cost_loss(
    y_true,
    y_pred,
    *,
    cost_matrix=None,
    fp=0,
    fn=0,
    tp=0,
    tn=0,
    labels=None,
    pos_label=None,
    normalize=True,
    sample_weight=None,
    **metadata,
):
    """Mean (or total) misclassification cost under a cost matrix.

    ``cost_matrix[i][j]`` is the cost of predicting ``labels[j]`` for a sample
    of class ``labels[i]``; or, for two classes, the named cells ``fp=``,
    ``fn=``, ``tp=``, ``tn=`` relative to ``pos_label``. Negative entries are
    gains; a string entry names a per-sample array passed as a keyword
    argument (example-dependent costs).

    Read more in the :ref:`User Guide <costs>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        Costs, row ``i`` = true class ``labels[i]``, column ``j`` = predicted
        class ``labels[j]``. For two classes ``labels=[a, b]`` that is
        ``[[TN, FP], [FN, TP]]`` costs when ``b`` is the positive class and
        ``[[TP, FN], [FP, TN]]`` when ``a`` is. Numbers (finite) or metadata
        names. None: give the named cells instead.
    fp, fn, tp, tn : float or str, default=0
        Two classes, in place of ``cost_matrix``: the cost of a false
        positive, a false negative (a missed positive), a true positive and a
        true negative of ``pos_label``. Missing cells cost 0.
    labels : array-like of shape (n_classes,), default=None
        The class of each row and column. None: the sorted labels present in
        ``y_true`` and ``y_pred``, which must then be exactly ``n_classes``.
    pos_label : int, float, bool or str, default=None
        The positive class of the named cells; None: 1 for {0, 1} and
        {-1, 1} labels (other labels must name it). With ``cost_matrix``, only
        checked to be one of the labels: a matrix's cost does not depend on it.
    normalize : bool, default=True
        Return the mean cost per sample (weighted); False, the total.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of each sample's cost.
    **metadata : dict of array-like of shape (n_samples,)
        One array per name in ``cost_matrix``.

    Returns
    -------
    loss : float
        Lower is better; negative when gains outweigh costs.

    See Also
    --------
    savings_score : The cost relative to the best constant prediction.
    skeval.make_cost_scorer : Its scorer (minus this loss).

    Examples
    --------
    >>> from skeval.metrics import cost_loss
    >>> y_true, y_pred = [0, 0, 1, 1], [0, 1, 0, 1]
    >>> cost_loss(y_true, y_pred, cost_matrix=[[0, 1], [5, 0]])
    1.5
    >>> cost_loss(
    ...     y_true, y_pred, cost_matrix=[[0, 1], ["amount", 0]],
    ...     amount=[10, 20, 30, 40],
    ... )
    7.75
    >>> cost_loss(y_true, y_pred, fp=1, fn="amount", amount=[10, 20, 30, 40])
    7.75
    >>> cost_loss(y_true, y_pred, fp=1, fn=5, pos_label=0)  # class 0 positive
    1.5
    """
    params = dict(cost_matrix=cost_matrix, labels=labels, fp=fp, fn=fn, tp=tp, tn=tn)
    cost, counts, sums, _ = _label_sums(
        "cost_loss", y_true, y_pred, params, pos_label, sample_weight, metadata
    )
    total = cost.total(counts, sums)
    return float(total / counts.sum()) if normalize else float(total)


@validate_params(
    {k: v for k, v in _COST_PARAMS.items() if k != "normalize"},
    prefer_skip_nested_validation=True,
)
def savings_score(
    y_true,
    y_pred,
    *,
    cost_matrix=None,
    fp=0,
    fn=0,
    tp=0,
    tn=0,
    labels=None,
    pos_label=None,
    sample_weight=None,
    **metadata,
):
    """Share of the cost saved against the cheapest constant prediction.

    ``1 - cost(y_pred) / min_k cost(predict labels[k] for every sample)``: for
    a binary problem the better of the two trivial policies (flag nothing,
    flag everything), as cost-sensitive practitioners report it. 1 means no
    cost at all, 0 no better than the trivial policy, negative worse.

    Read more in the :ref:`User Guide <costs>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        As in :func:`cost_loss`.
    fp, fn, tp, tn : float or str, default=0
        As in :func:`cost_loss`: named binary cells instead of a matrix.
    labels : array-like of shape (n_classes,), default=None
        As in :func:`cost_loss`.
    pos_label : int, float, bool or str, default=None
        As in :func:`cost_loss`: the positive class of the named cells.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of each sample's cost.
    **metadata : dict of array-like of shape (n_samples,)
        One array per name in ``cost_matrix``.

    Returns
    -------
    savings : float
        At most 1, greater is better.

    Raises
    ------
    ValueError
        When the cheapest constant prediction costs nothing or gains
        (its cost is not positive): savings relative to it are undefined.

    See Also
    --------
    cost_loss : The cost itself.

    Examples
    --------
    >>> from skeval.metrics import savings_score
    >>> y_true, y_pred = [0, 0, 0, 1], [0, 1, 0, 1]
    >>> round(savings_score(y_true, y_pred, cost_matrix=[[0, 1], [5, 0]]), 3)
    0.667
    >>> round(savings_score(y_true, y_pred, fp=1, fn=5), 3)
    0.667
    """
    params = dict(cost_matrix=cost_matrix, labels=labels, fp=fp, fn=fn, tp=tp, tn=tn)
    cost, counts, sums, rows = _label_sums(
        "savings_score", y_true, y_pred, params, pos_label, sample_weight, metadata
    )
    total = cost.total(counts, sums)
    constant = cost.constant_costs(counts, sums)
    base = float(constant.min())
    if base <= 0:
        raise ValueError(
            "savings_score needs a positive cost for the cheapest constant "
            f"prediction; here it is {base:g} (predicting "
            f"{_row_name(rows, int(constant.argmin()))} for every sample), so savings "
            "relative to it are undefined. Report cost_loss instead."
        )
    return float(1.0 - total / base)


def _row_name(rows, k):
    if rows[k] is None:  # named costs, the negative class absent
        return f"not {rows[1]!r}"
    return repr(rows[k])


class CostObjective(CurveObjective):
    """The cost of a binary cost at every threshold of a curve.

    The values are :func:`cost_loss`'s (a loss); the scorer's sign turns them
    into a score. Per-sample entries are cumulated along the curve's own sort
    with :meth:`~skeval.metrics.ConfusionCurve.positive_sum`, weighted by the
    curve's sample weights (:meth:`CostMatrix.curve_costs`).

    Parameters
    ----------
    cost_matrix : CostMatrix
        A 2 x 2 matrix (with or without ``labels``) or named cells.
    normalize : bool, default=True
        Mean (True) or total cost.
    pos_label : label, default=None
        The positive class the cost was defined with (a named cost scorer's
        own ``pos_label``); None: the tuner's.
    pos_index : int, default=None
        The row of the positive class; set by :meth:`bind`. None: row 1.
    """

    name = "cost"

    def __init__(self, cost_matrix, *, normalize=True, pos_label=None, pos_index=None):
        self.cost_matrix = cost_matrix
        self.normalize = normalize
        self.pos_label = pos_label
        self.pos_index = pos_index
        self.metadata = cost_matrix.names

    def bind(self, classes, pos_label):
        """This cost with its rows in the order of ``classes`` (a validation
        set may hold one class only when the matrix has labels)."""
        bound = self.cost_matrix.bind(classes, pos_label, exact=False)
        rows = bound.labels.tolist()
        if bound.size != 2 or pos_label not in rows:
            raise ValueError(
                "A 2 x 2 `cost_matrix` needs one label per row, the positive class "
                f"among them. Got labels {rows} and pos_label={pos_label!r}; pass "
                "make_cost_scorer(..., labels=[negative, positive])."
            )
        return CostObjective(
            bound,
            normalize=self.normalize,
            pos_label=self.pos_label,
            pos_index=rows.index(pos_label),
        )

    def evaluate(self, curve, **metadata):
        p = 1 if self.pos_index is None else self.pos_index
        return self.cost_matrix.curve_costs(
            curve, p, metadata, normalize=self.normalize
        )


def cost_from_kwargs(kwargs):
    """The cost, normalize flag and pos_label of a ``cost_loss`` scorer's kwargs.

    Returns None when the kwargs hold anything else (the grid path).
    """
    kwargs = dict(kwargs)
    cells = {k: kwargs.pop(k) for k in ("fp", "fn", "tp", "tn") if k in kwargs}
    cost = CostMatrix.from_params(
        kwargs.pop("cost_matrix", None), labels=kwargs.pop("labels", None), **cells
    )
    normalize = kwargs.pop("normalize", True)
    pos_label = kwargs.pop("pos_label", None)
    if kwargs:
        return None
    return cost, normalize, pos_label


def resolve_cost(cost, *, labels=None, normalize=True):
    """The binary cost objective (a loss) of a matrix, named cells or a scorer.

    What a report's ``cost=`` accepts: a 2 x 2 matrix (in ``labels`` order),
    a dict of named cells (``dict(fp=1, fn="amount")``), a
    :class:`~skeval._core._costs.CostMatrix`, or a scorer from
    :func:`make_cost_scorer` (which carries its own labels and pos_label).
    Bind it to the problem, then evaluate it on a curve:
    ``resolve_cost(cost).bind(classes, pos_label).evaluate(curve, **metadata)``.

    Returns
    -------
    objective : CostObjective
    """
    from ..utils._sklearn_compat import scorer_parts

    if isinstance(cost, CostObjective):
        return cost
    pos_label = None
    if isinstance(cost, dict):
        unknown = sorted(set(cost) - {"fp", "fn", "tp", "tn"})
        if unknown:
            raise TypeError(
                "A cost given as a dict takes the named cells fp, fn, tp and tn. "
                f"Got also {unknown}."
            )
        matrix = CostMatrix.from_params(labels=labels, **cost)
    elif callable(cost):
        parts = scorer_parts(cost)
        parsed = None
        if parts is not None and parts["score_func"] is cost_loss:
            parsed = cost_from_kwargs(parts["kwargs"])
        if labels is not None or parsed is None:
            raise ValueError(
                "`cost` must be a cost matrix, a dict of named cells or a scorer "
                "made by make_cost_scorer (which carries its own labels). Got "
                f"{cost!r} and labels={labels!r}."
            )
        matrix, normalize, pos_label = parsed
    else:
        matrix = CostMatrix.from_params(cost, labels=labels)
    if matrix.size != 2:
        raise ValueError(
            f"A binary cost needs a 2 x 2 matrix or named cells. Got {matrix!r}."
        )
    return CostObjective(matrix, normalize=normalize, pos_label=pos_label)


def _cost_adapter(kwargs):
    """Exact path for ``make_scorer(cost_loss, ...)`` with a binary cost."""
    parsed = cost_from_kwargs(kwargs)
    if parsed is None or parsed[0].size != 2:
        return None
    cost, normalize, pos_label = parsed
    return CostObjective(cost, normalize=normalize, pos_label=pos_label)


register_curve_metric(cost_loss, _cost_adapter)


def make_cost_scorer(
    cost_matrix=None,
    *,
    fp=0,
    fn=0,
    tp=0,
    tn=0,
    labels=None,
    pos_label=None,
    normalize=True,
):
    """A scorer of minus the (mean) cost of a prediction.

    The cost is either a matrix or named binary cells. ``cost_matrix[i][j]``
    is the cost when the true class is ``labels[i]`` and the prediction
    ``labels[j]``, whatever the positive class (``labels`` default: the
    sorted classes, so ``[[0, 1], [10, 0]]`` on labels 0/1 makes predicting 0
    for a true 1 cost 10). Named cells refer to the positive class by
    meaning: ``fp=1, fn=10`` makes a missed positive cost 10 whichever class
    ``pos_label`` names. Negative entries are gains. A string entry names
    per-sample metadata (``fn="amount"``: a missed positive costs that row's
    amount), which the scorer requests through scikit-learn's metadata
    routing by itself. :class:`~skeval.ThresholdTunedClassifier` optimises
    it exactly (every threshold, per-sample costs cumulated along the curve).

    Read more in the :ref:`User Guide <costs>`.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        Costs, row ``i`` = true class ``labels[i]``, column ``j`` = predicted
        class ``labels[j]``. Numbers (finite) or metadata names. None: give
        named cells instead.
    fp, fn, tp, tn : float or str, default=0
        Binary problems, in place of ``cost_matrix``: the cost of a false
        positive, a false negative (a missed positive), a true positive and a
        true negative. Missing cells cost 0.
    labels : array-like of shape (n_classes,), default=None
        The class of each row. None: the scored estimator's ``classes_`` (so
        a fold that lacks a class is still scored right).
    pos_label : int, float, bool or str, default=None
        The positive class of the named cells. None: the tuner's
        ``pos_label`` when the scorer is a tuner's objective, else the
        positive-class rule (1 for {0, 1} and {-1, 1} labels, else the
        greater label). A matrix's cost does not depend on it.
    normalize : bool, default=True
        Minus the mean cost per sample (weighted); False: minus the total.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, sample_weight=None, **metadata) -> float``,
        greater is better (``-cost_loss``).

    See Also
    --------
    skeval.metrics.cost_loss : The metric.
    skeval.metrics.savings_score : Cost relative to the trivial policies.

    Notes
    -----
    Per-sample metadata reaches a scorer only with metadata routing on
    (``sklearn.set_config(enable_metadata_routing=True)``):
    ``GridSearchCV(..., scoring=scorer).fit(X, y, amount=amount)``,
    ``cross_validate(..., params={"amount": amount})``.
    ``ThresholdTunedClassifier(objective=scorer).fit(X, y, amount=amount)``
    works with routing on or off.

    For two classes ``labels=[a, b]``, the matrix reads
    ``[[cost(a, a), cost(a, b)], [cost(b, a), cost(b, b)]]`` (true class
    first): ``[[TN, FP], [FN, TP]]`` when ``b`` is the positive class,
    ``[[TP, FN], [FP, TN]]`` when ``a`` is.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skeval import ThresholdTunedClassifier, make_cost_scorer
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> cost = make_cost_scorer([[0, 1], [10, 0]])  # a miss costs 10 false alarms
    >>> cost
    make_scorer(cost_loss, greater_is_better=False, response_method='predict', \
cost_matrix=[[0, 1], [10, 0]])
    >>> clf = ThresholdTunedClassifier(LogisticRegression(), objective=cost).fit(X, y)
    >>> print(f"{clf.best_threshold_:.3f} {clf.best_score_:.3f}")
    0.083 -0.109
    >>> named = make_cost_scorer(fp=1, fn=10)  # the same, by meaning
    >>> clf = ThresholdTunedClassifier(LogisticRegression(), objective=named).fit(X, y)
    >>> print(f"{clf.best_threshold_:.3f} {clf.best_score_:.3f}")
    0.083 -0.109
    """
    cost = CostMatrix.from_params(
        cost_matrix, labels=labels, fp=fp, fn=fn, tp=tp, tn=tn
    )
    kwargs = cost.as_params() if cost.named else {"cost_matrix": cost.as_list()}
    if cost.labels is not None:
        kwargs["labels"] = cost.labels.tolist()
    if pos_label is not None or cost.named:
        # named cells always carry it, None included: scored on its own, the
        # scorer then applies the positive-class rule to the labels it sees
        kwargs["pos_label"] = pos_label
    if not normalize:
        kwargs["normalize"] = False
    return SkevalScorer(
        cost_loss,
        -1,
        kwargs,
        "predict",
        metadata=cost.names,
        labels_from_estimator=True,
    )
