"""Clusters judged against classes: purity, inverse purity, matched accuracy
and the per-cluster entropy, computed from one weighted contingency table.

Cluster ids are arbitrary names: every measure here is invariant to renaming
them, unlike plain accuracy, which depends on which id an algorithm happened
to give each group. Rows of the table are the classes (``labels_true``),
columns the clusters (``labels_pred``), as in scikit-learn's
:func:`~sklearn.metrics.cluster.contingency_matrix`.
"""

from numbers import Real

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components
from scipy.special import xlogy
from sklearn.base import clone
from sklearn.metrics.cluster import contingency_matrix

from .._core._labels import _unique_inverse
from ..utils._sklearn_compat import Interval, ScorerBase, validate_params
from ..utils._validation import check_weights

__all__ = [
    "ClusterScorer",
    "cluster_entropy",
    "inverse_purity_score",
    "matched_accuracy_score",
    "purity_score",
]

# Tables with at most this many cells are dense (class x cluster); larger ones,
# e.g. thousands of small clusters, are kept sparse.
_MAX_DENSE = 1 << 22
# The largest block of mixed classes and clusters matched densely.
_MAX_BLOCK = 1 << 24

_PARAMS = {
    "labels_true": ["array-like"],
    "labels_pred": ["array-like"],
    "sample_weight": ["array-like", None],
}


# ---------------------------------------------------------------- the table --
def _check_ids(labels, name):
    """One-dimensional labels, finite when numeric."""
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ValueError(
            f"`{name}` must be one-dimensional (n_samples,). Got shape {y.shape}."
        )
    if y.dtype.kind in "fc" and not np.isfinite(y).all():
        raise ValueError(f"`{name}` must not contain NaN or infinity.")
    return y


def _encode(y, name):
    """Sorted distinct ids of ``y`` and each sample's index among them."""
    if y.dtype.kind in "biu":
        return _unique_inverse(y)  # linear time for small integer ids
    try:
        values, inverse = np.unique(y, return_inverse=True)
    except TypeError:
        raise TypeError(
            f"`{name}` must hold mutually comparable labels (all numbers or all "
            f"strings). Got a mix of {sorted({type(v).__name__ for v in y})}."
        ) from None
    if y.dtype.kind == "O" and any(v != v for v in values.tolist()):
        raise ValueError(f"`{name}` must not contain NaN or None.")
    return values, inverse.ravel()


def check_clusterings(labels_true, labels_pred, sample_weight=None):
    """Validate a pair of labelings and their non-negative weights."""
    y_true = _check_ids(labels_true, "labels_true")
    y_pred = _check_ids(labels_pred, "labels_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            "`labels_true` and `labels_pred` must have the same length. Got "
            f"{len(y_true)} and {len(y_pred)}."
        )
    if len(y_true) < 2:
        raise ValueError(
            "`labels_true` and `labels_pred` must hold at least two samples. "
            f"Got {len(y_true)}."
        )
    return y_true, y_pred, check_weights(sample_weight, n_samples=len(y_true))


class Table:
    """The weighted contingency table of classes (rows) by clusters (columns).

    ``counts`` is a dense ndarray, or a CSR matrix for large tables. Classes
    and clusters of zero total weight are left out, so that a weight is
    exactly a number of repeated rows.
    """

    def __init__(self, counts, classes, clusters):
        self.counts, self.classes, self.clusters = counts, classes, clusters
        self.class_sizes = _dense(counts.sum(axis=1))
        self.cluster_sizes = _dense(counts.sum(axis=0))
        self.total = float(self.class_sizes.sum())

    @property
    def is_sparse(self):
        return sparse.issparse(self.counts)

    def cells(self):
        """Rows, columns and values of the non-zero cells."""
        if self.is_sparse:
            coo = self.counts.tocoo()
            return coo.row, coo.col, coo.data
        rows, cols = np.nonzero(self.counts)
        return rows, cols, self.counts[rows, cols]

    def max(self, axis):
        """The largest cell of each cluster (axis=0) or class (axis=1)."""
        return _dense(self.counts.max(axis=axis))


def _dense(values):
    if sparse.issparse(values):
        values = values.toarray()
    return np.asarray(values, dtype=np.float64).ravel()


def encode_clusterings(labels_true, labels_pred, sample_weight=None):
    """Validate the labelings; return the classes, the clusters, each sample's
    class and cluster index, and the weights (None: all 1)."""
    y_true, y_pred, w = check_clusterings(labels_true, labels_pred, sample_weight)
    classes, t_idx = _encode(y_true, "labels_true")
    clusters, p_idx = _encode(y_pred, "labels_pred")
    return classes, clusters, t_idx, p_idx, w


def build_table(classes, clusters, t_idx, p_idx, w=None):
    """The :class:`Table` of encoded labelings."""
    n_classes, n_clusters = len(classes), len(clusters)
    pairs = t_idx.astype(np.int64) * n_clusters + p_idx
    if n_classes * n_clusters <= _MAX_DENSE:
        # Own code: one bincount over the pair codes is linear time, where
        # scikit-learn's contingency_matrix sorts both label arrays (about 6x
        # slower at a million integer labels) and has no sample_weight.
        counts = np.bincount(pairs, weights=w, minlength=n_classes * n_clusters)
        counts = counts.reshape(n_classes, n_clusters).astype(np.float64)
    elif w is None:
        counts = contingency_matrix(t_idx, p_idx, sparse=True).astype(np.float64)
    else:
        # scikit-learn's contingency_matrix takes no weights: the same sort,
        # over the pair codes, then the weights summed per cell.
        cells, inverse = np.unique(pairs, return_inverse=True)
        values = np.bincount(inverse.ravel(), weights=w)
        counts = sparse.csr_matrix(
            (values, (cells // n_clusters, cells % n_clusters)),
            shape=(n_classes, n_clusters),
        )
    table = Table(counts, classes, clusters)
    if w is not None:
        keep_r, keep_c = table.class_sizes > 0, table.cluster_sizes > 0
        if not (keep_r.all() and keep_c.all()):
            counts = table.counts[keep_r][:, keep_c]
            table = Table(counts, classes[keep_r], clusters[keep_c])
    return table


def contingency_table(labels_true, labels_pred, sample_weight=None):
    """Validate the labelings and build their :class:`Table`."""
    return build_table(*encode_clusterings(labels_true, labels_pred, sample_weight))


# -------------------------------------------------------- the quantities --
def table_purity(table):
    return float(table.max(axis=0).sum() / table.total)


def table_inverse_purity(table):
    return float(table.max(axis=1).sum() / table.total)


def table_entropies(table, base=2, normalize=True):
    """The entropy of the class distribution inside each cluster."""
    rows, cols, values = table.cells()
    share = values / table.cluster_sizes[cols]
    entropy = -np.bincount(
        cols, weights=xlogy(share, share), minlength=len(table.clusters)
    )
    entropy = np.maximum(entropy, 0.0)  # rounding can leave -0.0 or -1e-17
    n_classes = len(table.classes)
    if normalize:
        # in [0, 1] whatever the base; one class: every entropy is already 0
        return entropy / np.log(n_classes) if n_classes > 1 else entropy
    return entropy / np.log(base)


def table_mean_entropy(entropies, table):
    return float(np.dot(entropies, table.cluster_sizes) / table.total)


def table_matching(table):
    """The best one-to-one pairs (class rows, cluster columns) with a positive
    overlap, ordered by cluster."""
    if table.is_sparse:
        rows, cols = _sparse_matching(table.counts)
    else:
        rows, cols = linear_sum_assignment(table.counts, maximize=True)
        keep = table.counts[rows, cols] > 0
        rows, cols = rows[keep], cols[keep]
    order = np.argsort(cols, kind="stable")
    return rows[order], cols[order]


def _sparse_matching(counts):
    """Matching on a large sparse table, one connected block at a time.

    Two classes (or clusters) that share no sample through any chain of cells
    never compete for a partner, so each connected block of the bipartite
    graph of non-zero cells is matched on its own, densely.
    """
    n_rows, n_cols = counts.shape
    coo = counts.tocoo()
    graph = sparse.coo_matrix(
        (np.ones(coo.nnz), (coo.row, coo.col + n_rows)),
        shape=(n_rows + n_cols, n_rows + n_cols),
    )
    _, block = connected_components(graph, directed=False)
    csr = counts.tocsr()
    rows_out, cols_out = [], []
    row_block, col_block = block[:n_rows], block[n_rows:]
    for b in np.unique(block):
        r, c = np.flatnonzero(row_block == b), np.flatnonzero(col_block == b)
        if len(r) * len(c) > _MAX_BLOCK:
            raise ValueError(
                "The matching needs each group of classes and clusters that share "
                f"samples to have at most {_MAX_BLOCK} class x cluster cells. Got "
                f"a group of {len(r)} classes x {len(c)} clusters."
            )
        sub = csr[r][:, c].toarray()
        i, j = linear_sum_assignment(sub, maximize=True)
        keep = sub[i, j] > 0
        rows_out.append(r[i[keep]])
        cols_out.append(c[j[keep]])
    return np.concatenate(rows_out), np.concatenate(cols_out)


def table_matched_accuracy(table):
    rows, cols = table_matching(table)
    counts = table.counts
    matched = _dense(counts[rows, cols]) if table.is_sparse else counts[rows, cols]
    mapping = dict(zip(table.clusters[cols].tolist(), table.classes[rows].tolist()))
    return float(matched.sum() / table.total), mapping


# ------------------------------------------------------------ public API --
@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def purity_score(labels_true, labels_pred, *, sample_weight=None):
    """Purity of a clustering: the share of samples in their cluster's
    majority class.

    ``(1/n) sum_k max_j n_jk``, where ``n_jk`` is the (weighted) number of
    samples of class ``j`` in cluster ``k``. It is 1 for a perfect clustering,
    and also for one cluster per sample: read it with
    :func:`inverse_purity_score` or :func:`matched_accuracy_score`.

    Read more in the :ref:`User Guide <clusters>`.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        The classes.
    labels_pred : array-like of shape (n_samples,)
        The cluster ids (any hashable, sortable values).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; a weight counts as that many repeated samples.

    Returns
    -------
    purity : float
        In (0, 1].

    See Also
    --------
    inverse_purity_score : The same with classes and clusters swapped.
    cluster_class_report : Purity per cluster, and the other measures.

    Examples
    --------
    >>> from skeval.metrics import purity_score
    >>> purity_score(["a", "a", "a", "b", "b", "c"], [0, 0, 1, 1, 1, 1])
    0.6666666666666666
    """
    return table_purity(contingency_table(labels_true, labels_pred, sample_weight))


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def inverse_purity_score(labels_true, labels_pred, *, sample_weight=None):
    """Inverse purity: the share of samples in their class's largest cluster.

    ``(1/n) sum_j max_k n_jk``: :func:`purity_score` with the roles of
    classes and clusters swapped. It is 1 when each class lies inside one
    cluster, and also when everything is one cluster.

    Read more in the :ref:`User Guide <clusters>`.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        The classes.
    labels_pred : array-like of shape (n_samples,)
        The cluster ids.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; a weight counts as that many repeated samples.

    Returns
    -------
    inverse_purity : float
        In (0, 1].

    See Also
    --------
    purity_score : The share of samples in their cluster's majority class.

    Examples
    --------
    >>> from skeval.metrics import inverse_purity_score
    >>> inverse_purity_score(["a", "a", "a", "b", "b", "c"], [0, 0, 1, 1, 1, 1])
    0.8333333333333334
    """
    table = contingency_table(labels_true, labels_pred, sample_weight)
    return table_inverse_purity(table)


@validate_params(
    {**_PARAMS, "return_mapping": ["boolean"]}, prefer_skip_nested_validation=True
)
def matched_accuracy_score(
    labels_true, labels_pred, *, sample_weight=None, return_mapping=False
):
    """Accuracy after the best one-to-one matching of clusters to classes.

    Each cluster is given at most one class and each class at most one
    cluster, so as to make the accuracy largest (the Hungarian assignment,
    :func:`scipy.optimize.linear_sum_assignment`, on the contingency table).
    With more clusters than classes the clusters left without a class count
    as errors; with fewer, so do the classes left without a cluster. Renaming
    the cluster ids does not change the score.

    Read more in the :ref:`User Guide <clusters>`.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        The classes.
    labels_pred : array-like of shape (n_samples,)
        The cluster ids.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; a weight counts as that many repeated samples.
    return_mapping : bool, default=False
        Also return the matching.

    Returns
    -------
    score : float
        In (0, 1].
    mapping : dict
        Only with ``return_mapping=True``: ``{cluster id: class}`` for the
        matched pairs that share at least one sample; unmatched clusters are
        absent. Where several matchings tie, one of them.

    See Also
    --------
    purity_score : Lets several clusters share a class.
    cluster_class_report : The matching with the other measures.

    Examples
    --------
    >>> from skeval.metrics import matched_accuracy_score
    >>> y_true = ["a", "a", "a", "b", "b", "c"]
    >>> matched_accuracy_score(y_true, [2, 2, 0, 0, 0, 1], return_mapping=True)
    (0.8333333333333334, {0: 'b', 1: 'c', 2: 'a'})
    """
    table = contingency_table(labels_true, labels_pred, sample_weight)
    score, mapping = table_matched_accuracy(table)
    return (score, mapping) if return_mapping else score


@validate_params(
    {
        **_PARAMS,
        "base": [Interval(Real, 0, None, closed="neither")],
        "normalize": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def cluster_entropy(
    labels_true, labels_pred, *, base=2, normalize=True, sample_weight=None
):
    """Mean entropy of the class distribution inside each cluster.

    A pure cluster has entropy 0; the entropy rises as classes mix in it. The
    clusters' entropies are averaged weighted by their sizes, which is the
    conditional entropy ``H(C|K)`` of the classes given the clusters (the
    quantity behind scikit-learn's :func:`~sklearn.metrics.homogeneity_score`).
    Lower is better; the scorer ``"neg_cluster_entropy"`` negates it.

    Read more in the :ref:`User Guide <clusters>`.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        The classes.
    labels_pred : array-like of shape (n_samples,)
        The cluster ids.
    base : float, default=2
        The logarithm's base (2: bits), when ``normalize=False``.
    normalize : bool, default=True
        Divide by the log of the number of classes, so that the result lies in
        [0, 1] whatever ``base`` is (1: every cluster mixes all classes in
        equal parts). With one class the entropy is 0 and is not divided.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; a weight counts as that many repeated samples.

    Returns
    -------
    entropy : float
        Non-negative; 0 when every cluster is pure.

    See Also
    --------
    cluster_class_report : The entropy of each cluster.

    Examples
    --------
    >>> from skeval.metrics import cluster_entropy
    >>> y_true = ["a", "a", "b", "b"]
    >>> cluster_entropy(y_true, [0, 0, 1, 1]), cluster_entropy(y_true, [0, 1, 0, 1])
    (0.0, 1.0)
    """
    if base == 1:
        raise ValueError("`base` must be a positive number other than 1. Got 1.")
    table = contingency_table(labels_true, labels_pred, sample_weight)
    entropies = table_entropies(table, base=base, normalize=normalize)
    return table_mean_entropy(entropies, table)


# --------------------------------------------------------------- scorers --
class ClusterScorer(ScorerBase):
    """Scores a clusterer's labels against the classes ``y``.

    As scikit-learn's clustering scorers (``"adjusted_rand_score"``), it calls
    the clusterer's ``predict`` on ``X``. A clusterer that cannot label new
    data (``AgglomerativeClustering``, ``DBSCAN``) is instead fitted anew, on
    a clone, with ``fit_predict(X)``: the score then judges the grouping its
    hyper-parameters produce on the scored data itself.
    """

    def response(self, estimator, X, call):
        if hasattr(estimator, "predict"):
            return call("predict")
        if hasattr(estimator, "fit_predict"):
            return clone(estimator).fit_predict(X)
        raise TypeError(
            "A clustering scorer needs an estimator with `predict` or "
            f"`fit_predict`. Got {type(estimator).__name__}."
        )
