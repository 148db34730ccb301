"""A mergeable table of weighted counts per distinct score.

The curve needs, per distinct score, only the weighted mass of each class
(and, for per-sample costs, the weighted sum of each per-sample array per
class). Those per-score totals add up across chunks: tables built on
separate chunks, processes or machines merge by adding the rows of equal
scores, and one pass of cumulative sums over the merged table gives the curve
of all the rows at once. Memory is O(distinct scores), not O(rows).
"""

import numbers

import numpy as np

from ..utils._validation import (
    _as_1d,
    check_metadata,
    check_scores,
    check_weights,
    resolve_pos_label,
)
from ._curve import ConfusionCurve, _value_sorted_curve
from ._labels import present_labels

__all__ = ["CountTable"]


def _check_labels(y_true):
    y = _as_1d(y_true, "y_true")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError("`y_true` must not contain NaN or infinity.")
    try:
        classes = present_labels(y)
    except TypeError:
        raise TypeError(
            "`y_true` labels must be mutually comparable (all numbers or all "
            f"strings). Got a mix of {sorted({type(v).__name__ for v in y})}."
        ) from None
    if len(classes) > 2:
        raise ValueError(
            f"`y_true` must be binary (at most two classes). Got {len(classes)} "
            f"classes: {classes[:10].tolist()}."
        )
    return y, classes.tolist()


def _check_decimals(decimals):
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral)
    ):
        raise TypeError(f"`decimals` must be an integer or None. Got {decimals!r}.")
    return None if decimals is None else int(decimals)


def _tabulate(second, scores, weights, values):
    """Distinct scores (decreasing) and, per class, the weighted mass and the
    weighted sum of each per-sample array at each score."""
    if weights is None and not values:
        # integer counts: value sorts only, exact
        thresholds, tp, fp = _value_sorted_curve(second, scores)
        return thresholds[1:], np.vstack((np.diff(fp), np.diff(tp))), {}
    order = np.argsort(scores)[::-1]
    sorted_scores = scores[order]
    starts = np.flatnonzero(
        np.concatenate(([True], sorted_scores[1:] != sorted_scores[:-1]))
    )
    second = second[order]
    w = np.ones(len(order)) if weights is None else weights[order]

    def by_class(v):
        return np.vstack(
            (
                np.add.reduceat(np.where(second, 0.0, v), starts),
                np.add.reduceat(np.where(second, v, 0.0), starts),
            )
        )

    sums = {name: by_class(v[order] * w) for name, v in values.items()}
    return sorted_scores[starts] + 0.0, by_class(w), sums


class CountTable:
    """Weighted counts per distinct score, mergeable across chunks.

    A table holds, for each distinct score, the weighted mass of each class
    (and the weighted sum of each per-sample array, such as a transaction
    amount, per class). Tables built on separate chunks of the rows merge
    into the table of all the rows, and :meth:`curve` then gives the same
    :class:`ConfusionCurve` as :func:`confusion_curve` on the concatenated
    rows. Memory is O(distinct scores), not O(rows).

    Build tables with :meth:`from_predictions` or :meth:`from_chunks`, and
    combine them with :meth:`merge` or ``+``.

    Read more in the :ref:`User Guide <scaling>`.

    Attributes
    ----------
    scores : ndarray of shape (n_scores,)
        The distinct scores, decreasing (after rounding, with ``decimals``).
    classes : list
        The labels seen, sorted (at most two; empty for an empty table).
    weights : ndarray of shape (n_classes, n_scores)
        ``weights[i, k]``: the weighted mass of ``classes[i]`` at
        ``scores[k]`` (a count without sample weights).
    sums : dict of str to ndarray of shape (n_classes, n_scores)
        For each per-sample array, its weighted sum per class and score.
    n_samples : int
        Rows counted (zero-weight rows included).
    pos_label : label or None
        The positive class the tables were built with (None: decided by the
        rule of :func:`confusion_curve` when the curve is built).
    decimals : int or None
        Decimal places the scores were rounded to (None: exact scores).

    See Also
    --------
    confusion_curve : The curve of rows held in memory.

    Examples
    --------
    >>> import numpy as np
    >>> from skeval.metrics import CountTable, confusion_curve
    >>> rng = np.random.default_rng(0)
    >>> y, s = rng.integers(0, 2, 1000), rng.random(1000).round(2)
    >>> chunks = [(y[i : i + 300], s[i : i + 300]) for i in range(0, 1000, 300)]
    >>> table = CountTable.from_chunks(chunks)
    >>> table
    CountTable(n_samples=1000, n_scores=101, classes=[0, 1])
    >>> curve = table.curve()
    >>> bool((curve.tp == confusion_curve(y, s).tp).all())
    True
    >>> left = CountTable.from_predictions(y[:500], s[:500])
    >>> right = CountTable.from_predictions(y[500:], s[500:])
    >>> bool(((left + right).curve().fp == curve.fp).all())
    True
    """

    def __init__(
        self,
        scores,
        classes,
        weights,
        sums,
        *,
        n_samples,
        pos_label=None,
        decimals=None,
    ):
        self.scores = scores
        self.classes = classes
        self.weights = weights
        self.sums = sums
        self.n_samples = n_samples
        self.pos_label = pos_label
        self.decimals = decimals

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_score,
        *,
        pos_label=None,
        sample_weight=None,
        decimals=None,
        **per_sample,
    ):
        """The table of one chunk of rows.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True labels (at most two classes; a chunk may hold one, or none).
        y_score : array-like of shape (n_samples,)
            Finite scores of the positive class.
        pos_label : int, float, bool or str, default=None
            The positive class. None: decided when the curve is built, by the
            rule of :func:`confusion_curve` over all merged rows.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights (a chunk's weights may all be zero).
        decimals : int, default=None
            Round the scores to this many decimal places before counting, to
            bound the table's size; :attr:`rounding_bound` then states the
            worst-case effect. None: exact scores.
        **per_sample : dict of array-like of shape (n_samples,)
            Per-sample arrays to sum per class and score (weighted by
            ``sample_weight``), e.g. ``amount=...`` for a cost matrix that
            names ``"amount"``.

        Returns
        -------
        table : CountTable
        """
        y, classes = _check_labels(y_true)
        n = len(y)
        if pos_label is not None and len(classes) == 2 and pos_label not in classes:
            raise ValueError(
                f"`pos_label` must be one of the labels {classes}. Got {pos_label!r}."
            )
        scores = check_scores(y_score, n_samples=n)
        decimals = _check_decimals(decimals)
        if decimals is not None:
            scores = np.round(scores, decimals)
        # unlike a whole data set, a chunk may weigh nothing at all
        weights = check_weights(sample_weight, n_samples=n, allow_zero_total=True)
        values = check_metadata(
            tuple(per_sample),
            per_sample,
            n,
            owner="CountTable",
            caller="CountTable.from_predictions",
            example="CountTable.from_predictions(y_true, y_score, {name}=...)",
        )
        if n == 0:
            return cls(
                np.zeros(0),
                [],
                np.zeros((0, 0)),
                {name: np.zeros((0, 0)) for name in values},
                n_samples=0,
                pos_label=pos_label,
                decimals=decimals,
            )
        second = y == classes[-1] if len(classes) == 2 else np.zeros(n, dtype=bool)
        distinct, mass, sums = _tabulate(second, scores, weights, values)
        rows = slice(0, len(classes))  # one class: its mass is in row 0
        return cls(
            distinct,
            classes,
            mass[rows],
            {name: v[rows] for name, v in sums.items()},
            n_samples=n,
            pos_label=pos_label,
            decimals=decimals,
        )

    @classmethod
    def from_chunks(cls, chunks, *, pos_label=None, decimals=None):
        """The table of an iterable of chunks, merged as they come.

        Parameters
        ----------
        chunks : iterable of tuple
            ``(y_true, y_score)`` or ``(y_true, y_score, sample_weight)``
            tuples, e.g. read from Parquet row groups one at a time.
        pos_label : int, float, bool or str, default=None
            As in :meth:`from_predictions`.
        decimals : int, default=None
            As in :meth:`from_predictions`.

        Returns
        -------
        table : CountTable
            Only one merged table is held at a time: memory is O(distinct
            scores) plus one chunk.
        """
        table = None
        for i, chunk in enumerate(chunks):
            if not isinstance(chunk, tuple) or len(chunk) not in (2, 3):
                raise ValueError(
                    "Each chunk must be a (y_true, y_score) or (y_true, y_score, "
                    f"sample_weight) tuple. Got {type(chunk).__name__} at "
                    f"position {i}."
                )
            part = cls.from_predictions(
                chunk[0],
                chunk[1],
                sample_weight=chunk[2] if len(chunk) == 3 else None,
                pos_label=pos_label,
                decimals=decimals,
            )
            table = part if table is None else cls.merge([table, part])
        if table is None:
            table = cls.from_predictions([], [], pos_label=pos_label, decimals=decimals)
        return table

    @classmethod
    def merge(cls, tables):
        """One table from several: the rows of equal scores add up.

        Parameters
        ----------
        tables : iterable of CountTable
            Tables with the same ``decimals``, the same per-sample arrays and
            agreeing ``pos_label`` (None agrees with any).

        Returns
        -------
        table : CountTable
        """
        tables = list(tables)
        if not tables or not all(isinstance(t, CountTable) for t in tables):
            raise TypeError(
                "`tables` must be a non-empty iterable of CountTable. Got "
                f"{[type(t).__name__ for t in tables]}."
            )
        decimals = _agreed(tables, "decimals", lambda t: t.decimals)
        _agreed(tables, "per-sample arrays", lambda t: tuple(sorted(t.sums)))
        labels = {t.pos_label for t in tables} - {None}
        if len(labels) > 1:
            raise ValueError(
                "Tables to merge must agree on `pos_label`. Got "
                f"{sorted(labels, key=repr)}."
            )
        classes = _union_classes(tables)
        distinct = _union_scores(tables)
        # each table's scores are distinct and sorted: their places in the
        # union, by binary search (no index sort of all the entries)
        places = [
            (len(distinct) - 1) - np.searchsorted(distinct, t.scores[::-1])[::-1]
            for t in tables
        ]

        def add(rows_of):
            out = np.zeros((len(classes), len(distinct)))
            for i, c in enumerate(classes):
                for t, place in zip(tables, places):
                    out[i, place] += rows_of(t, c)
            return out

        distinct = distinct[::-1].copy()
        return cls(
            distinct,
            classes,
            add(lambda t, c: t._row(t.weights, c)),
            {
                name: add(lambda t, c, name=name: t._row(t.sums[name], c))
                for name in tables[0].sums
            },
            n_samples=sum(t.n_samples for t in tables),
            pos_label=labels.pop() if labels else None,
            decimals=decimals,
        )

    def _row(self, array, label):
        if label in self.classes:
            return array[self.classes.index(label)]
        return np.zeros(len(self.scores))

    def __add__(self, other):
        if not isinstance(other, CountTable):
            return NotImplemented
        return CountTable.merge([self, other])

    def __radd__(self, other):
        # sum(tables) starts from 0
        if isinstance(other, numbers.Number) and other == 0:
            return self
        return NotImplemented

    def __len__(self):
        return len(self.scores)

    def __repr__(self):
        return (
            f"CountTable(n_samples={self.n_samples}, n_scores={len(self)}, "
            f"classes={self.classes})"
        )

    def _positive(self):
        """The positive class and the positive and negative mass rows."""
        if self.n_samples == 0:
            raise ValueError("The table must hold at least one sample. Got 0.")
        if not self.weights.sum() > 0:
            raise ValueError("The table's `sample_weight` must not be all zero.")
        pos_label = resolve_pos_label(self.classes, self.pos_label)
        return pos_label, [c == pos_label for c in self.classes]

    def curve(self):
        """The confusion curve of all the rows counted.

        Returns
        -------
        curve : ConfusionCurve
            Equal to :func:`confusion_curve` on the concatenated rows (bit for
            bit for counts and integer weights; other weights may differ in
            the last bits, as floating-point sums in another order do). Its
            "samples" are the table's cells, a positive and a negative one per
            score: ``curve.y_pos`` flags them, and
            :meth:`ConfusionCurve.positive_sum` takes one value per cell, such
            as :meth:`cell_values`.
        """
        _, is_pos = self._positive()
        pos = self.weights[is_pos].sum(axis=0)
        neg = self.weights[[not p for p in is_pos]].sum(axis=0)
        thresholds = np.concatenate(([np.inf], self.scores))
        tp = np.concatenate(([0.0], np.cumsum(pos)))
        fp = np.concatenate(([0.0], np.cumsum(neg)))
        n_cells = 2 * len(self.scores)
        return ConfusionCurve(
            thresholds,
            tp,
            fp,
            y_pos=np.resize([True, False], n_cells),
            order=np.arange(n_cells),
            group_ends=np.arange(1, n_cells, 2),
        )

    def cell_values(self, name):
        """A per-sample array's weighted sums, one per cell of :meth:`curve`.

        Parameters
        ----------
        name : str
            A per-sample array given to :meth:`from_predictions`.

        Returns
        -------
        values : ndarray of shape (2 * n_scores,)
            For each score, the weighted sum over its positive rows, then over
            its negative rows: ``curve.positive_sum(table.cell_values(name))``
            is the weighted sum over the rows predicted positive.
        """
        if name not in self.sums:
            raise ValueError(
                f"`name` must be one of the per-sample arrays {sorted(self.sums)}. "
                f"Got {name!r}."
            )
        _, is_pos = self._positive()
        values = np.empty(2 * len(self.scores))
        values[0::2] = self.sums[name][is_pos].sum(axis=0)
        values[1::2] = self.sums[name][[not p for p in is_pos]].sum(axis=0)
        return values

    @property
    def rounding_bound(self):
        """The largest share of the total weight that rounding the scores
        could move across any threshold (0.0 without ``decimals``).

        Rounding moves a row across threshold ``t`` only when its raw and its
        rounded score lie on both sides of ``t``, so within half a unit of
        the last decimal place: for every threshold, the rows that could have
        moved lie in one window of rounded scores that wide (plus
        floating-point slack), and this is the heaviest such window. Every
        count at every threshold is then within ``rounding_bound`` times the
        total weight of its exact value: e.g. recall is within
        ``rounding_bound * total / positives`` and the alert rate within
        ``rounding_bound``.
        """
        if self.decimals is None or len(self.scores) == 0:
            return 0.0
        total = float(self.weights.sum())
        if not total > 0:
            return 0.0
        asc = self.scores[::-1]
        mass = self.weights.sum(axis=0)[::-1]
        half = 0.5 * 10.0 ** (-self.decimals)
        width = half + 8 * np.finfo(np.float64).eps * (np.abs(asc).max() + half)
        cum = np.concatenate(([0.0], np.cumsum(mass)))
        stop = np.searchsorted(asc, asc + width, side="right")
        window = cum[stop] - cum[: len(asc)]
        return float(min(1.0, window.max() / total * (1 + 1e-12)))

    def to_samples(self):
        """The table as weighted samples, one per cell.

        Any skeval function given these returns what it returns on the
        original rows (the counts exactly; per-sample sums to rounding): e.g.
        ``y, s, w, md = table.to_samples()`` then
        ``operating_point(y, s, sample_weight=w, objective=cost, **md)``.

        Returns
        -------
        y_true : ndarray of shape (n_cells,)
            The label of each cell.
        y_score : ndarray of shape (n_cells,)
            Its score.
        sample_weight : ndarray of shape (n_cells,)
            Its weighted mass.
        metadata : dict of str to ndarray of shape (n_cells,)
            Each per-sample array's weighted mean over the cell's rows (0 for
            a cell of zero weight), so that weighting it gives back the sum.
        """
        if self.n_samples == 0:
            raise ValueError("The table must hold at least one sample. Got 0.")
        n_classes = len(self.classes)
        labels = np.repeat(np.asarray(self.classes)[None, :], len(self), axis=0)
        mass = self.weights.T.ravel()
        metadata = {}
        for name, sums in self.sums.items():
            values = np.zeros_like(mass)
            np.divide(sums.T.ravel(), mass, out=values, where=mass > 0)
            metadata[name] = values
        return labels.ravel(), np.repeat(self.scores, n_classes), mass, metadata


def _agreed(tables, what, key):
    values = {key(t) for t in tables}
    if len(values) > 1:
        raise ValueError(
            f"Tables to merge must have the same {what}. Got "
            f"{sorted(values, key=repr)}."
        )
    return values.pop()


def _union_scores(tables):
    """The distinct scores of all tables, increasing.

    Each table's scores form one sorted run, so a stable sort (a merge of
    runs) of their concatenation costs little more than reading them.
    """
    scores = np.concatenate([t.scores[::-1] for t in tables])
    scores.sort(kind="stable")
    keep = np.empty(len(scores), dtype=bool)
    keep[:1] = True
    np.not_equal(scores[1:], scores[:-1], out=keep[1:])
    return scores[keep]


def _union_classes(tables):
    seen = [c for t in tables for c in t.classes]
    try:
        classes = sorted(set(seen))
    except TypeError:
        raise TypeError(
            "The tables' labels must be mutually comparable (all numbers or all "
            f"strings). Got {sorted({repr(c) for c in seen})}."
        ) from None
    if len(classes) > 2:
        raise ValueError(
            "The merged tables must hold at most two classes. Got "
            f"{len(classes)}: {classes[:10]}."
        )
    return classes
