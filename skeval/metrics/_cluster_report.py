"""The cluster-versus-class report: every measure from one contingency table,
with a chance baseline.

scikit-learn's homogeneity, completeness, V-measure and adjusted Rand index
are recomputed here from the same weighted table (their formulas, checked
against scikit-learn in the tests), so the report builds the table once, and
takes ``sample_weight``, which scikit-learn's clustering metrics do not.
"""

import textwrap

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.special import xlogy

from ..utils._sklearn_compat import validate_params
from ._cluster import (
    _PARAMS,
    build_table,
    encode_clusterings,
    table_entropies,
    table_inverse_purity,
    table_matched_accuracy,
    table_mean_entropy,
    table_purity,
)

__all__ = ["cluster_class_report"]

# The chance baseline's random tables: the same seed for every call; at least
# _MIN_DRAWS, more for small tables, up to _MAX_DRAWS.
_SEED = 0
_MIN_DRAWS, _MAX_DRAWS, _CELL_BUDGET = 20, 200, 200_000
# numpy's hypergeometric draws need totals below 10**9
_MAX_TOTAL = 10**9


@validate_params(
    {**_PARAMS, "output_dict": ["boolean"]}, prefer_skip_nested_validation=True
)
def cluster_class_report(
    labels_true, labels_pred, *, output_dict=False, sample_weight=None
):
    """A report of how clusters agree with classes, cluster by cluster.

    For each cluster: its size, its majority class, its purity (the share of
    its majority class) and its entropy (of its class distribution, normalised
    to [0, 1] as in :func:`cluster_entropy`). Overall: purity, inverse
    purity, matched accuracy with its matching, the mean entropy, and
    scikit-learn's homogeneity, completeness, V-measure and adjusted Rand
    index, all from one weighted contingency table; and a **chance
    baseline**: the expected matched accuracy and purity of a random
    assignment of the samples to clusters of the same sizes.

    Read more in the :ref:`User Guide <clusters>`.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        The classes.
    labels_pred : array-like of shape (n_samples,)
        The cluster ids.
    output_dict : bool, default=False
        Return a dict instead of text.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; a weight counts as that many repeated samples.

    Returns
    -------
    report : str or dict
        The text, or ``{"clusters": {id: {"size", "majority_class", "purity",
        "entropy"}}, "purity", "inverse_purity", "matched_accuracy",
        "mapping", "entropy", "homogeneity", "completeness", "v_measure",
        "adjusted_rand", "chance": {"matched_accuracy", "purity"}}``, with
        Python floats, and ids and classes as Python values. ``"mapping"`` is
        ``{cluster id: class}`` as in :func:`matched_accuracy_score`.

    See Also
    --------
    matched_accuracy_score, purity_score, cluster_entropy : The measures.
    sklearn.metrics.homogeneity_completeness_v_measure : The entropy family.

    Notes
    -----
    The chance baseline is the mean over random contingency tables with the
    same class and cluster totals as the observed one (the distribution of
    the table when the cluster labels are randomly permuted among the
    samples), drawn with a fixed seed: between 20 draws (large tables) and
    200 (small ones). With integer weights the totals are the weighted ones,
    as for repeated samples. With non-integer weights, weighted totals of
    10**9 or more, or tables too large to hold densely, the cluster labels are
    permuted among the samples themselves instead (20 times), each sample
    keeping its weight.

    A majority class tied between several classes is the first in sorted
    order.

    Examples
    --------
    >>> from skeval.metrics import cluster_class_report
    >>> y_true = ["a"] * 6 + ["b"] * 4 + ["c"] * 2
    >>> y_pred = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
    >>> report = cluster_class_report(y_true, y_pred, output_dict=True)
    >>> report["clusters"][1]
    {'size': 5.0, 'majority_class': 'b', 'purity': 0.8, 'entropy': 0.4554...}
    >>> round(report["matched_accuracy"], 3), report["mapping"]
    (0.917, {0: 'a', 1: 'b', 2: 'c'})
    """
    encoded = encode_clusterings(labels_true, labels_pred, sample_weight)
    table = build_table(*encoded)
    report = _measures(table)
    report["chance"] = _chance(table, encoded)
    return report if output_dict else _text(report)


def _measures(table):
    """Every measure of the report but the chance baseline."""
    entropies = table_entropies(table)
    best = table.max(axis=0)
    if table.is_sparse:
        majority = np.asarray(table.counts.argmax(axis=0)).ravel()
    else:
        majority = table.counts.argmax(axis=0)
    clusters = {
        cluster: {
            "size": float(size),
            "majority_class": label,
            "purity": float(top / size),
            "entropy": float(h),
        }
        for cluster, size, label, top, h in zip(
            table.clusters.tolist(),
            table.cluster_sizes,
            table.classes[majority].tolist(),
            best,
            entropies,
        )
    }
    matched, mapping = table_matched_accuracy(table)
    homogeneity, completeness, v_measure = _entropy_family(table)
    return {
        "clusters": clusters,
        "purity": table_purity(table),
        "inverse_purity": table_inverse_purity(table),
        "matched_accuracy": matched,
        "mapping": mapping,
        "entropy": table_mean_entropy(entropies, table),
        "homogeneity": homogeneity,
        "completeness": completeness,
        "v_measure": v_measure,
        "adjusted_rand": _adjusted_rand(table),
    }


def _entropy(sizes, total):
    share = sizes / total
    return float(-xlogy(share, share).sum())


def _entropy_family(table):
    """Homogeneity, completeness and V-measure, as scikit-learn defines them
    (natural logs; 1.0 when a labeling has a single label)."""
    n = table.total
    rows, cols, values = table.cells()
    outer = table.class_sizes[rows] * table.cluster_sizes[cols]
    mutual_info = max(float(np.sum(values / n * np.log(values * n / outer))), 0.0)
    h_classes = _entropy(table.class_sizes, n)
    h_clusters = _entropy(table.cluster_sizes, n)
    homogeneity = mutual_info / h_classes if h_classes else 1.0
    completeness = mutual_info / h_clusters if h_clusters else 1.0
    total = homogeneity + completeness
    v_measure = 2 * homogeneity * completeness / total if total else 0.0
    return float(homogeneity), float(completeness), float(v_measure)


def _adjusted_rand(table):
    """Adjusted Rand index from the pair counts, as scikit-learn computes it
    (1.0 when both labelings put every pair alike)."""
    n = table.total
    _, _, values = table.cells()
    sum_squares = float(np.dot(values, values))
    same_both = sum_squares - n
    same_class = float(np.dot(table.class_sizes, table.class_sizes)) - sum_squares
    same_cluster = float(np.dot(table.cluster_sizes, table.cluster_sizes)) - sum_squares
    neither = n * n - same_class - same_cluster - sum_squares
    if same_class == 0 and same_cluster == 0:
        return 1.0
    numerator = 2.0 * (same_both * neither - same_class * same_cluster)
    denominator = (same_both + same_class) * (same_class + neither) + (
        same_both + same_cluster
    ) * (same_cluster + neither)
    return float(numerator / denominator)


# ---------------------------------------------------------- chance level --
def _chance(table, encoded):
    """Mean matched accuracy and purity over random tables (fixed seed)."""
    rng = np.random.default_rng(_SEED)
    w = encoded[4]
    integral = w is None or bool(np.all(w == np.round(w)))
    if integral and not table.is_sparse and table.total < _MAX_TOTAL:
        n_cells = table.counts.size
        n_draws = int(np.clip(_CELL_BUDGET // n_cells, _MIN_DRAWS, _MAX_DRAWS))
        draws = _random_tables(table, n_draws, rng)
        scores = [(_matched(t), t.max(axis=0).sum()) for t in draws]
        scores = np.array(scores) / table.total
    else:
        classes, clusters, t_idx, p_idx, w = encoded
        scores = []
        for _ in range(_MIN_DRAWS):
            shuffled = build_table(classes, clusters, t_idx, rng.permutation(p_idx), w)
            scores.append((table_matched_accuracy(shuffled)[0], table_purity(shuffled)))
        scores = np.array(scores)
    matched, purity = scores.mean(axis=0)
    return {"matched_accuracy": float(matched), "purity": float(purity)}


def _matched(counts):
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return counts[rows, cols].sum()


def _random_tables(table, n_draws, rng):
    """Random tables (classes x clusters) with the table's integer totals.

    Drawn one line at a time along the shorter side: each line is a
    multivariate hypergeometric draw from what the earlier lines left.
    """
    class_sizes = np.round(table.class_sizes).astype(np.int64)
    cluster_sizes = np.round(table.cluster_sizes).astype(np.int64)
    by_class = len(class_sizes) <= len(cluster_sizes)
    short, long = (
        (class_sizes, cluster_sizes) if by_class else (cluster_sizes, class_sizes)
    )
    for _ in range(n_draws):
        left = long.copy()
        drawn = np.empty((len(short), len(long)))
        for i, size in enumerate(short[:-1]):
            line = rng.multivariate_hypergeometric(left, size, method="marginals")
            drawn[i] = line
            left -= line
        drawn[-1] = left
        yield drawn if by_class else drawn.T


# ------------------------------------------------------------------ text --
_OVERALL = [
    ("purity", "purity"),
    ("inverse purity", "inverse_purity"),
    ("matched accuracy", "matched_accuracy"),
    ("entropy", "entropy"),
    ("homogeneity", "homogeneity"),
    ("completeness", "completeness"),
    ("V-measure", "v_measure"),
    ("adjusted Rand", "adjusted_rand"),
]


def _size_text(size):
    return str(int(size)) if size == int(size) else f"{size:.4g}"


def _text(report):
    """The report as aligned text, like scikit-learn's classification_report."""
    rows = [
        (
            str(cluster),
            _size_text(row["size"]),
            str(row["majority_class"]),
            f"{row['purity']:.3f}",
            f"{row['entropy']:.3f}",
        )
        for cluster, row in report["clusters"].items()
    ]
    head = ("cluster", "size", "majority", "purity", "entropy")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    align = [">", ">", "<", ">", ">"]
    lines = [
        "  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(r, align, widths)).rstrip()
        for r in [head, *rows]
    ]
    name_width = max(len(name) for name, _ in _OVERALL)
    lines += ["", f"{'':{name_width}}  score  chance"]
    for name, key in _OVERALL:
        line = f"{name:<{name_width}}  {report[key]:.3f}"
        if key in report["chance"]:
            line += f"   {report['chance'][key]:.3f}"
        lines.append(line)
    pairs = ", ".join(f"{k} -> {v}" for k, v in report["mapping"].items())
    lines += [""] + textwrap.wrap(
        f"matching (cluster -> class): {pairs or 'none'}", width=79
    )
    return "\n".join(lines) + "\n"
