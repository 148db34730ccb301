"""Cost matrices: one validator, one mapping of labels to rows, one evaluator.

A cost is given in one of two forms, both turned into a :class:`CostMatrix`
by :meth:`CostMatrix.from_params`:

* a ``K x K`` matrix, ``C[i][j]`` = the cost when the true class is
  ``labels[i]`` and the prediction is ``labels[j]`` (the orientation of
  ``confusion_matrix``; ``labels`` default: the sorted classes);
* named binary cells ``fp=``, ``fn=``, ``tp=``, ``tn=`` that refer to the
  positive class by meaning, so they mean the same whatever ``pos_label`` is
  (missing cells cost 0).

Entries are finite numbers (negative: a gain) or names of per-sample metadata
(``fn="amount"``: a missed positive costs that row's amount).

:meth:`CostMatrix.bind` is the one place that maps classes to rows: it returns
the matrix with rows and columns in the order of the problem's classes. Every
consumer then evaluates costs with the same few methods: per cell from weighted
counts and metadata sums (:meth:`CostMatrix.total`, which works on stacks of
matrices, so the curve's every threshold at once, see
:meth:`CostMatrix.curve_costs`), and per sample and predicted class
(:meth:`CostMatrix.sample_costs`, for the multiclass offsets). The expected
cost of probabilities is ``proba @ bound.fixed``.
"""

from numbers import Real

import numpy as np

from ..utils._validation import check_metadata, resolve_pos_label
from ._counts import label_counts
from ._labels import binary_classes, encode_labels, union_labels

__all__ = ["CostMatrix", "NAMED_CELLS"]

#: The named binary cells and their (true, predicted) place in a matrix in
#: [negative, positive] order.
NAMED_CELLS = {"tn": (0, 0), "fp": (0, 1), "fn": (1, 0), "tp": (1, 1)}

# names a metadata entry cannot take: the cost functions' own parameters
_RESERVED = {
    "y_true",
    "y_pred",
    "cost_matrix",
    "labels",
    "normalize",
    "sample_weight",
    "pos_label",
    *NAMED_CELLS,
}


def _entry(value, where):
    """A checked entry: a float, or a metadata name."""
    if isinstance(value, str):
        if not value.isidentifier() or value in _RESERVED:
            raise ValueError(
                "Metadata names in `cost_matrix` must be Python identifiers other "
                f"than {sorted(_RESERVED)}. Got {value!r}."
            )
        return value
    if isinstance(value, (Real, np.number)) and not isinstance(value, (bool, np.bool_)):
        if not np.isfinite(value):
            raise ValueError(
                "`cost_matrix` entries must be finite numbers or metadata names. "
                f"Got {value!r} at {where}."
            )
        return float(value)
    raise TypeError(
        "`cost_matrix` entries must be numbers or metadata names (str). Got "
        f"{value!r} of type {type(value).__name__} at {where}."
    )


def _plain(value):
    if isinstance(value, str):
        return value
    return int(value) if float(value).is_integer() else float(value)


def _cell(values, i, j):
    """Cell ``(i, j)`` of a stack ``[..., K, K]`` or of a dict of cells."""
    return values[i, j] if isinstance(values, dict) else values[..., i, j]


class CostMatrix:
    """A validated cost: fixed costs plus per-sample metadata cells.

    Build it with :meth:`from_params`. Rows are true classes, columns
    predicted classes.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes)
        Finite numbers or metadata names.
    labels : array-like of shape (n_classes,), default=None
        The class of each row and column; None: the problem's sorted classes.
    named : bool, default=False
        The matrix holds named binary cells in [negative, positive] order:
        :meth:`bind` places them by the positive class.

    Attributes
    ----------
    size : int
        Number of rows (and columns).
    fixed : ndarray of shape (size, size)
        The numeric entries; 0 where an entry names metadata.
    names : tuple of str
        The metadata names, in order of first appearance (row by row).
    where : dict of str to ndarray of shape (size, size)
        For each name, 1.0 at the cells it fills.
    labels : ndarray or None
    named : bool
    """

    def __init__(self, cost_matrix, *, labels=None, named=False):
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
        self.named = named
        self.fixed = np.zeros(entries.shape)
        self.where = {}
        self._entries = [[None] * self.size for _ in range(self.size)]
        for (i, j), value in np.ndenumerate(entries):
            value = _entry(value, f"row {i}, column {j}")
            self._entries[i][j] = value
            if isinstance(value, str):
                self.where.setdefault(value, np.zeros(entries.shape))[i, j] += 1.0
            else:
                self.fixed[i, j] = value
        self.names = tuple(self.where)
        self.labels = None
        if labels is not None:
            self.labels = np.asarray(labels)
            if self.labels.ndim != 1 or len(self.labels) != self.size:
                raise ValueError(
                    f"`labels` must name one class per row of the {self.size} x "
                    f"{self.size} `cost_matrix`. Got {np.asarray(labels).tolist()}."
                )
            if len(np.unique(self.labels)) != self.size:
                raise ValueError(
                    f"`labels` must not repeat a class. Got {self.labels.tolist()}."
                )

    @classmethod
    def from_params(cls, cost_matrix=None, *, labels=None, fp=0, fn=0, tp=0, tn=0):
        """The cost of a ``K x K`` matrix or of named binary cells.

        Parameters
        ----------
        cost_matrix : array-like of shape (n_classes, n_classes) or \
                CostMatrix, default=None
            ``cost_matrix[i][j]``: the cost when the true class is
            ``labels[i]`` and the prediction ``labels[j]``.
        labels : array-like of shape (n_classes,), default=None
            The class of each row; None: the problem's sorted classes.
        fp, fn, tp, tn : float or str, default=0
            Named binary cells (a false positive, a missed positive, ...),
            in place of ``cost_matrix``.

        Returns
        -------
        cost : CostMatrix

        Examples
        --------
        >>> from skeval._core._costs import CostMatrix
        >>> cost = CostMatrix.from_params(fp=1, fn="amount")
        >>> cost
        CostMatrix(fp=1, fn='amount')
        >>> cost.bind([0, 1], pos_label=0).as_list()  # class 0 is positive
        [[0, 'amount'], [1, 0]]
        """
        named = {"tn": tn, "fp": fp, "fn": fn, "tp": tp}
        given = {k: v for k, v in named.items() if isinstance(v, str) or v != 0}
        if isinstance(cost_matrix, CostMatrix) and not given:
            if labels is None:
                return cost_matrix
            return cls(cost_matrix.as_list(), labels=labels, named=cost_matrix.named)
        if cost_matrix is not None:
            if given:
                raise ValueError(
                    "Give the costs either as `cost_matrix` or as named cells (fp=, "
                    f"fn=, tp=, tn=), not both. Got a matrix and {given}."
                )
            return cls(cost_matrix, labels=labels)
        if not given:
            raise ValueError(
                "A cost needs `cost_matrix` or at least one named cell, e.g. fp=1, "
                "fn=10 (missing cells cost 0). Got none."
            )
        for key, value in named.items():
            if isinstance(value, str):
                continue  # a metadata name, checked with the matrix
            number = isinstance(value, (Real, np.number)) and not isinstance(
                value, (bool, np.bool_)
            )
            if not number or not np.isfinite(value):
                raise (ValueError if number else TypeError)(
                    f"`{key}` must be a finite number or a metadata name (str). "
                    f"Got {value!r}."
                )
        matrix = [[tn, fp], [fn, tp]]
        return cls(matrix, labels=labels, named=True)

    def as_list(self):
        """The matrix as nested lists of Python numbers and names."""
        return [[_plain(v) for v in row] for row in self._entries]

    def as_params(self):
        """The named cells that are not 0 (named form only), as keywords."""
        return {
            key: _plain(self._entries[i][j])
            for key, (i, j) in NAMED_CELLS.items()
            if isinstance(self._entries[i][j], str) or self._entries[i][j] != 0
        }

    def __repr__(self):
        if self.named:
            args = ", ".join(f"{k}={v!r}" for k, v in self.as_params().items())
            return f"CostMatrix({args})"
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

    # ------------------------------------------------------------ rows
    def bind(self, classes, pos_label=None, *, exact=True):
        """This cost with rows and columns in the order of ``classes``.

        The one place that maps classes to rows. A matrix with ``labels`` is
        reordered; a matrix without them must have one row per class, already
        in that order; named cells are placed by ``pos_label`` (None: the
        positive-class rule of
        :func:`~skeval.utils._validation.resolve_pos_label`).

        Parameters
        ----------
        classes : array-like of shape (n_classes,)
            The problem's classes, e.g. an estimator's ``classes_``.
        pos_label : label, default=None
            The positive class: it places named cells, and must be one of
            the labels.
        exact : bool, default=True
            ``labels`` must be exactly ``classes``. False: they must include
            them (a validation set may lack a class), and the labels missing
            from ``classes`` come last.

        Returns
        -------
        cost : CostMatrix
            Its ``labels`` are ``classes`` (then, with ``exact=False``, the
            other labels).
        """
        listed = np.asarray(classes).tolist()
        if self.named:
            pair = listed if self.labels is None else self.labels.tolist()
            if len(pair) != 2:
                raise ValueError(
                    "Named costs (fp=, fn=, tp=, tn=) are for binary problems of "
                    f"two classes. Got the classes {pair}: give a K x K "
                    "cost_matrix, or the two classes as labels=[...]."
                )
            pos_label = resolve_pos_label(pair, pos_label)
            negative = pair[1 - pair.index(pos_label)]
            labelled = CostMatrix(self.as_list(), labels=[negative, pos_label])
            return labelled.bind(listed, pos_label, exact=exact)
        if self.labels is None:
            if self.size != len(listed):
                n = len(listed)
                raise ValueError(
                    "The cost matrix must have one row and one column per class of "
                    f"y ({n}: {listed}), so be {n} x {n}. Got a {self.size} x "
                    f"{self.size} matrix, which needs one label per row: pass "
                    "labels=[...], one class per row, in the matrix's order."
                )
            return self._reordered(np.arange(self.size), listed)
        labels = self.labels.tolist()
        if (
            any(c not in labels for c in listed)
            or (exact and len(labels) != len(listed))
            or (pos_label is not None and pos_label not in labels)
        ):
            seen = "" if pos_label is None else f" and pos_label={pos_label!r}"
            rule = "be exactly" if exact else "include"
            raise ValueError(
                f"The cost matrix's labels must {rule} the classes of y {listed}. "
                f"Got labels {labels}{seen}: pass labels=[...], one class per row, "
                "the positive class among them, in the matrix's order."
            )
        ordered = listed + [c for c in labels if c not in listed]
        return self._reordered([labels.index(c) for c in ordered], ordered)

    def _reordered(self, order, labels):
        rows = [[self._entries[i][j] for j in order] for i in order]
        return CostMatrix(rows, labels=labels)

    def encode(self, y_true, y_pred, pos_label=None):
        """Rows of checked label arrays, and the class of each row.

        A matrix without ``labels`` takes the sorted labels present, which
        must then be one per row; named cells take ``pos_label`` (checked
        against the labels) and put each sample in row 1 when it is
        positive, row 0 otherwise.

        Returns
        -------
        y_idx, p_idx : ndarray of int of shape (n_samples,)
        row_labels : list
            The class of each row (named form: the negative class may be
            ``None`` when absent).
        """
        if self.named:
            if self.labels is None:
                classes, pos_label = binary_classes(
                    y_true, y_pred, pos_label, owner="A named cost (fp=, fn=, tp=, tn=)"
                )
            else:
                classes, _, _ = encode_labels(y_true, y_pred, labels=self.labels)
                pos_label = resolve_pos_label(classes, pos_label)
                if pos_label not in classes.tolist():
                    raise ValueError(
                        f"`pos_label` must be one of `labels` {classes.tolist()}. "
                        f"Got {pos_label!r}."
                    )
            negative = [c for c in classes.tolist() if c != pos_label]
            rows = [negative[0] if negative else None, pos_label]
            return (
                (y_true == pos_label).view(np.uint8),
                (y_pred == pos_label).view(np.uint8),
                rows,
            )
        if self.labels is None:
            classes = union_labels(y_true, y_pred)
            if len(classes) != self.size:
                raise ValueError(
                    f"`cost_matrix` is {self.size} x {self.size} but `y_true` and "
                    f"`y_pred` hold {len(classes)} label(s): "
                    f"{classes[:10].tolist()}. Pass labels=[...] with one class per "
                    "row, in the matrix's order."
                )
        else:
            classes = self.labels
        classes, y_idx, p_idx = encode_labels(y_true, y_pred, labels=classes)
        if pos_label is not None and pos_label not in classes.tolist():
            raise ValueError(
                f"`pos_label` must be one of the classes {classes.tolist()}. Got "
                f"{pos_label!r}."
            )
        return y_idx, p_idx, classes.tolist()

    # ------------------------------------------------------------ costs
    def label_sums(self, y_idx, p_idx, sample_weight, values):
        """Weighted counts per cell and, per name, weighted sums per cell.

        Parameters
        ----------
        y_idx, p_idx : ndarray of int of shape (n_samples,)
            True and predicted rows of this (bound) matrix.
        sample_weight : ndarray of shape (n_samples,) or None
        values : dict of str to ndarray of shape (n_samples,)
            The checked metadata (:meth:`check_metadata`).

        Returns
        -------
        counts : ndarray of shape (size, size)
        sums : dict of str to ndarray of shape (size, size)
        """
        y_idx = np.asarray(y_idx, dtype=np.intp)  # once, not per bincount
        counts = label_counts(y_idx, p_idx, self.size, sample_weight)
        sums = {}
        for name in self.names:
            v = values[name]
            weighted = v if sample_weight is None else v * sample_weight
            sums[name] = label_counts(
                y_idx, p_idx, self.size, weighted, what=f"sums of {name!r}"
            )
        return counts, sums

    def total(self, counts, sums):
        """Total cost from per-cell counts and per-cell metadata sums.

        Parameters
        ----------
        counts : ndarray of shape (..., size, size) or dict
            Weighted counts ``[true, pred]``, possibly stacked (e.g. one
            matrix per threshold of a curve); or a dict ``{(i, j): counts}``
            of the cells (no stack to build).
        sums : dict of str to ndarray of shape (..., size, size) or dict
            Per name, the weighted sum of its values in each cell (the same
            two forms).

        Returns
        -------
        cost : float or ndarray of shape (...)
        """
        cost = 0.0
        for i, j in zip(*np.nonzero(self.fixed)):
            cost = cost + self.fixed[i, j] * _cell(counts, i, j)
        for name, where in self.where.items():
            for i, j in zip(*np.nonzero(where)):
                cost = cost + where[i, j] * _cell(sums[name], i, j)
        if np.ndim(cost) == 0 and not isinstance(counts, dict):
            cost = cost + np.zeros(np.shape(counts)[:-2])  # all-zero costs
        return cost

    def constant_costs(self, counts, sums):
        """Cost of predicting each class for every sample, from the same sums.

        Returns
        -------
        costs : ndarray of shape (size,)
        """
        # predicting class k for everyone moves each row's weight to column k
        costs = counts.sum(axis=1) @ self.fixed
        for name, where in self.where.items():
            costs = costs + sums[name].sum(axis=1) @ where
        return costs

    def sample_costs(self, y_idx, values):
        """Cost of predicting each class for each sample (weights excluded).

        Returns
        -------
        costs : ndarray of shape (n_samples, size)
            ``costs[s, j]``: the cost of predicting row ``j`` for sample ``s``
            of true row ``y_idx[s]``.
        """
        costs = self.fixed[y_idx]
        for name, where in self.where.items():
            costs = costs + values[name][:, None] * where[y_idx]
        return costs

    def curve_costs(self, curve, pos_index, values, *, normalize=True):
        """The cost at every threshold of a binary confusion curve.

        Parameters
        ----------
        curve : ConfusionCurve
        pos_index : int
            The row of the curve's positive class in this (bound) 2 x 2 matrix.
        values : dict of str to array-like of shape (n_samples,)
            Per-sample metadata, in the curve's sample order; cumulated along
            the curve's own sort, weighted by its sample weights.
        normalize : bool, default=True
            Mean cost (True) or total cost.

        Returns
        -------
        cost : ndarray of shape (n_thresholds,)
        """
        p, n = pos_index, 1 - pos_index
        counts = {(p, p): curve.tp, (n, p): curve.fp, (p, n): curve.fn}
        counts[n, n] = curve.tn
        sums = {name: self._curve_sums(curve, p, name, values) for name in self.names}
        cost = self.total(counts, sums) + np.zeros(len(curve.tp))
        if normalize:
            cost = cost / (curve.tp[0] + curve.fp[0] + curve.fn[0] + curve.tn[0])
        return cost

    def _curve_sums(self, curve, p, name, values):
        """Per-cell weighted sums of one metadata array at every threshold."""
        n = 1 - p
        v = np.asarray(values[name], dtype=np.float64)
        if curve.sample_weight is not None:
            v = v * curve.sample_weight
        sums = {}
        for row, in_row in ((p, curve.y_pos), (n, ~curve.y_pos)):
            if not self.where[name][row].any():
                continue  # the name fills no cell of this row
            v_row = np.where(in_row, v, 0.0)
            sums[row, p] = curve.positive_sum(v_row)  # predicted positive
            sums[row, n] = v_row.sum() - sums[row, p]
        return sums
