"""Costs: the cost metric, the savings score and the cost scorer factory.

A cost matrix ``C[i][j]`` is the cost of predicting ``labels[j]`` when the
true class is ``labels[i]`` (the orientation of ``confusion_matrix``; binary:
``[[TN, FP], [FN, TP]]`` costs). Negative entries are gains. A string entry
names per-sample metadata: ``[[0, 5], ["amount", 0]]`` makes a missed positive
cost that row's amount.
"""

from numbers import Real

import numpy as np

from .._core._labels import (
    check_label_pair,
    check_labels_param,
    encode_labels,
    union_labels,
)
from .._core._objective import CurveObjective, register_curve_metric
from ..utils._sklearn_compat import validate_params
from ..utils._validation import check_metadata
from ._scorer import SkevalScorer

__all__ = [
    "CostMatrix",
    "CostObjective",
    "cost_loss",
    "savings_score",
    "make_cost_scorer",
]

# names a metadata entry cannot take: cost_loss's own parameters
_RESERVED = {"y_true", "y_pred", "cost_matrix", "labels", "normalize", "sample_weight"}


class CostMatrix:
    """A validated cost matrix: fixed costs plus per-sample metadata cells.

    Attributes
    ----------
    size : int
        Number of classes (rows and columns).
    fixed : ndarray of shape (size, size)
        The numeric entries; 0 where an entry names metadata.
    names : tuple of str
        The metadata names, in order of first appearance (row by row).
    cells : dict of str to list of (int, int)
        Where each name appears.
    """

    def __init__(self, cost_matrix):
        if isinstance(cost_matrix, CostMatrix):
            cost_matrix = cost_matrix.as_list()
        try:
            entries = np.asarray(cost_matrix, dtype=object)
        except ValueError:  # ragged rows
            entries = None
        if (
            entries is None
            or entries.ndim != 2
            or entries.shape[0] != entries.shape[1]
            or entries.shape[0] < 2
        ):
            shape = None if entries is None else entries.shape
            raise ValueError(
                "`cost_matrix` must be a square matrix, one row and one column per "
                f"class (at least 2 x 2). Got {cost_matrix!r} (shape {shape})."
            )
        self.size = entries.shape[0]
        self.fixed = np.zeros(entries.shape)
        self.cells = {}
        for (i, j), value in np.ndenumerate(entries):
            if isinstance(value, str):
                _check_name(value)
                self.cells.setdefault(value, []).append((i, j))
            elif isinstance(value, (Real, np.number)) and not isinstance(
                value, (bool, np.bool_)
            ):
                if not np.isfinite(value):
                    raise ValueError(
                        "`cost_matrix` entries must be finite numbers or metadata "
                        f"names. Got {value!r} at row {i}, column {j}."
                    )
                self.fixed[i, j] = float(value)
            else:
                raise TypeError(
                    "`cost_matrix` entries must be numbers or metadata names (str). "
                    f"Got {value!r} of type {type(value).__name__} at row {i}, "
                    f"column {j}."
                )
        self.names = tuple(self.cells)
        self._entries = entries

    def as_list(self):
        """The matrix as nested lists of Python numbers and names."""
        return [
            [v if isinstance(v, str) else _plain(v) for v in row]
            for row in self._entries
        ]

    def __repr__(self):
        return f"CostMatrix({self.as_list()!r})"

    def check_metadata(self, metadata, n_samples, caller="cost_loss"):
        """Validated per-sample arrays for every name, as float arrays."""
        return check_metadata(
            self.names,
            metadata,
            n_samples,
            owner="`cost_matrix`",
            caller=caller,
            example=caller + "(..., {name}=...)",
        )


def _plain(value):
    value = float(value)
    return int(value) if value.is_integer() else value


def _check_name(name):
    if not name.isidentifier() or name in _RESERVED:
        raise ValueError(
            "Metadata names in `cost_matrix` must be Python identifiers other than "
            f"{sorted(_RESERVED)}. Got {name!r}."
        )


def _codes(matrix, y_true, y_pred, labels):
    """Cell code ``true * K + pred`` of each sample, and the classes."""
    K = matrix.size
    if labels is None:
        classes = union_labels(y_true, y_pred)
        if len(classes) != K:
            raise ValueError(
                f"`cost_matrix` is {K} x {K} but `y_true` and `y_pred` hold "
                f"{len(classes)} label(s): {classes[:10].tolist()}. Pass labels=[...] "
                "with one class per row, in the matrix's order."
            )
    else:
        classes = check_labels_param(labels)
        if len(classes) != K:
            raise ValueError(
                f"`labels` must name one class per row of the {K} x {K} "
                f"`cost_matrix`. Got {len(classes)}: {classes.tolist()}."
            )
    if K == 2 and labels is None:
        # two classes, sorted: the code of a label is whether it is the second
        y_idx = (y_true == classes[1]).view(np.uint8)
        p_idx = (y_pred == classes[1]).view(np.uint8)
        return y_idx * np.uint8(2) + p_idx, classes
    classes, y_idx, p_idx = encode_labels(y_true, y_pred, labels=classes)
    return y_idx * K + p_idx, classes


def _cell_sums(matrix, codes, sample_weight, values):
    """Weighted counts per cell, and per name the weighted sum of its values."""
    K2 = matrix.size * matrix.size
    codes = codes.astype(np.intp, copy=False)  # once, not in every bincount
    counts = np.bincount(codes, weights=sample_weight, minlength=K2)
    sums = {}
    for name, per_sample in values.items():
        weighted = per_sample if sample_weight is None else per_sample * sample_weight
        sums[name] = np.bincount(codes, weights=weighted, minlength=K2)
    shape = (matrix.size, matrix.size)
    return counts.reshape(shape), {k: v.reshape(shape) for k, v in sums.items()}


def _total_cost(matrix, counts, sums):
    """Total cost from the per-cell counts and per-cell metadata sums."""
    total = float(np.sum(counts * matrix.fixed))
    for name, cells in matrix.cells.items():
        total += sum(sums[name][i, j] for i, j in cells)
    return total


_COST_PARAMS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "cost_matrix": ["array-like", CostMatrix],
    "labels": ["array-like", None],
    "normalize": ["boolean"],
    "sample_weight": ["array-like", None],
}


@validate_params(_COST_PARAMS, prefer_skip_nested_validation=True)
def cost_loss(
    y_true,
    y_pred,
    *,
    cost_matrix,
    labels=None,
    normalize=True,
    sample_weight=None,
    **metadata,
):
    """Mean (or total) misclassification cost under a cost matrix.

    ``cost_matrix[i][j]`` is the cost of predicting ``labels[j]`` for a sample
    of class ``labels[i]``; negative entries are gains; a string entry names a
    per-sample array passed as a keyword argument (example-dependent costs).

    Read more in the :ref:`User Guide <costs>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    cost_matrix : array-like of shape (n_classes, n_classes)
        Costs, rows = true class, columns = predicted class; binary:
        ``[[TN, FP], [FN, TP]]`` costs. Numbers (finite) or metadata names.
    labels : array-like of shape (n_classes,), default=None
        The class of each row and column. None: the sorted labels present in
        ``y_true`` and ``y_pred``, which must then be exactly ``n_classes``.
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
    """
    matrix = CostMatrix(cost_matrix)
    y_true, y_pred, sample_weight = check_label_pair(y_true, y_pred, sample_weight)
    values = matrix.check_metadata(metadata, len(y_true))
    codes, _ = _codes(matrix, y_true, y_pred, labels)
    counts, sums = _cell_sums(matrix, codes, sample_weight, values)
    total = _total_cost(matrix, counts, sums)
    return float(total / counts.sum()) if normalize else float(total)


@validate_params(
    {k: v for k, v in _COST_PARAMS.items() if k != "normalize"},
    prefer_skip_nested_validation=True,
)
def savings_score(
    y_true, y_pred, *, cost_matrix, labels=None, sample_weight=None, **metadata
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
    cost_matrix : array-like of shape (n_classes, n_classes)
        As in :func:`cost_loss`.
    labels : array-like of shape (n_classes,), default=None
        As in :func:`cost_loss`.
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
    """
    matrix = CostMatrix(cost_matrix)
    y_true, y_pred, sample_weight = check_label_pair(y_true, y_pred, sample_weight)
    values = matrix.check_metadata(metadata, len(y_true), caller="savings_score")
    codes, classes = _codes(matrix, y_true, y_pred, labels)
    counts, sums = _cell_sums(matrix, codes, sample_weight, values)
    cost = _total_cost(matrix, counts, sums)
    # predicting class k for everyone moves each row's weight to column k
    constant = counts.sum(axis=1) @ matrix.fixed
    for name, cells in matrix.cells.items():
        row_sums = sums[name].sum(axis=1)
        for i, k in cells:
            constant[k] += row_sums[i]
    base = float(constant.min())
    if base <= 0:
        raise ValueError(
            "savings_score needs a positive cost for the cheapest constant "
            f"prediction; here it is {base:g} (predicting "
            f"{classes[int(constant.argmin())]!r} for every sample), so savings "
            "relative to it are undefined. Report cost_loss instead."
        )
    return float(1.0 - cost / base)


class CostObjective(CurveObjective):
    """The cost of a 2 x 2 cost matrix at every threshold of a curve.

    The values are :func:`cost_loss`'s (a loss); the scorer's sign turns them
    into a score. Per-sample entries are cumulated along the curve's own sort
    with :meth:`~skeval.metrics.ConfusionCurve.positive_sum`, weighted by the
    curve's sample weights.

    Parameters
    ----------
    cost_matrix : CostMatrix
    labels : array-like of shape (2,) or None
        The class of each row; None: the problem's sorted classes.
    normalize : bool
        Mean (True) or total cost.
    pos_index : int or None
        The row of the positive class; set by :meth:`bind`. None: row 1.
    """

    name = "cost"

    def __init__(self, cost_matrix, *, labels=None, normalize=True, pos_index=None):
        self.cost_matrix = cost_matrix
        self.labels = labels
        self.normalize = normalize
        self.pos_index = pos_index
        self.metadata = cost_matrix.names

    def bind(self, classes, pos_label):
        labels = list(classes if self.labels is None else self.labels)
        if len(labels) != 2 or pos_label not in labels:
            raise ValueError(
                "A 2 x 2 `cost_matrix` needs one label per row, the positive class "
                f"among them. Got labels {labels} and pos_label={pos_label!r}; pass "
                "make_cost_scorer(..., labels=[negative, positive])."
            )
        unknown = [c for c in list(classes) if c not in labels]
        if unknown:
            raise ValueError(
                f"The cost matrix's labels {labels} do not cover the classes {unknown}."
            )
        return CostObjective(
            self.cost_matrix,
            labels=self.labels,
            normalize=self.normalize,
            pos_index=labels.index(pos_label),
        )

    def evaluate(self, curve, **metadata):
        p = 1 if self.pos_index is None else self.pos_index
        n = 1 - p
        C = self.cost_matrix.fixed
        cost = C[p, p] * curve.tp + C[n, p] * curve.fp
        cost = cost + C[p, n] * curve.fn + C[n, n] * curve.tn
        if self.cost_matrix.names:
            cost = cost + self._per_sample(curve, p, n, metadata)
        if self.normalize:
            cost = cost / (curve.tp[0] + curve.fp[0] + curve.fn[0] + curve.tn[0])
        return cost

    def _per_sample(self, curve, p, n, metadata):
        """Cost of the per-sample cells at every threshold."""
        y = curve.y_pos
        n_samples = len(y)
        if_pos = np.zeros(n_samples)  # cost when predicted positive
        if_neg = np.zeros(n_samples)  # cost when predicted negative
        for name, cells in self.cost_matrix.cells.items():
            values = np.asarray(metadata[name], dtype=np.float64)
            for i, j in cells:
                in_row = y if i == p else ~y
                target = if_pos if j == p else if_neg
                target += np.where(in_row, values, 0.0)
        if curve.sample_weight is not None:
            if_pos *= curve.sample_weight
            if_neg *= curve.sample_weight
        # everyone predicted negative, then switch the positives' cost
        return if_neg.sum() + curve.positive_sum(if_pos - if_neg)


def _cost_adapter(kwargs):
    """Exact path for ``make_scorer(cost_loss, ...)`` with a 2 x 2 matrix."""
    kwargs = dict(kwargs)
    matrix = CostMatrix(kwargs.pop("cost_matrix"))
    labels = kwargs.pop("labels", None)
    normalize = kwargs.pop("normalize", True)
    if kwargs or matrix.size != 2:
        return None
    return CostObjective(matrix, labels=labels, normalize=normalize)


register_curve_metric(cost_loss, _cost_adapter)


def make_cost_scorer(cost_matrix, *, labels=None, normalize=True):
    """A scorer of minus the (mean) cost under a cost matrix.

    ``cost_matrix[i][j]`` is the cost when the true class is ``labels[i]``
    and the prediction ``labels[j]`` (binary: ``[[TN, FP], [FN, TP]]``
    costs); negative entries are gains. A string entry names per-sample
    metadata (``[[0, 5], ["amount", 0]]``: a missed positive costs that row's
    amount), which the scorer requests through scikit-learn's metadata
    routing by itself. :class:`~skeval.ThresholdTunedClassifier` optimises
    it exactly (every threshold, per-sample costs cumulated along the curve).

    Read more in the :ref:`User Guide <costs>`.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes)
        Costs, rows = true class, columns = predicted class. Numbers (finite)
        or metadata names.
    labels : array-like of shape (n_classes,), default=None
        The class of each row. None: the scored estimator's ``classes_`` (so
        a fold that lacks a class is still scored right).
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
    """
    matrix = CostMatrix(cost_matrix)
    kwargs = {"cost_matrix": matrix.as_list()}
    if labels is not None:
        kwargs["labels"] = check_labels_param(labels).tolist()
        if len(kwargs["labels"]) != matrix.size:
            raise ValueError(
                f"`labels` must name one class per row of the {matrix.size} x "
                f"{matrix.size} `cost_matrix`. Got {kwargs['labels']}."
            )
    if not normalize:
        kwargs["normalize"] = False
    return SkevalScorer(
        cost_loss,
        -1,
        kwargs,
        "predict",
        metadata=matrix.names,
        labels_from_estimator=True,
    )
