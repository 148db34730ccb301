"""Expected calibration error of binary probabilities."""

from numbers import Integral, Real

import numpy as np

from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ..utils._validation import check_binary_target, check_scores, check_weights

__all__ = ["expected_calibration_error"]


def _count_edges(x, estimate, n_edges, edge, *, strict):
    """How many of ``edge(1), ..., edge(n_edges)`` lie below each ``x``.

    ``edge`` is non-decreasing; ``estimate`` is within a step or two of the
    answer, which a few exact comparisons then settle. Memory is O(len(x)),
    whatever ``n_edges``.
    """

    def below(k):
        return edge(k) < x if strict else edge(k) <= x

    count = np.clip(estimate, 0, n_edges).astype(np.int64)
    for _ in range(3):
        count += (count < n_edges) & below(count + 1)
        count -= (count > 0) & ~below(count)
    return count


def _uniform_bins(y_prob, n_bins):
    """Bin of each probability among the equal-width bins of ``[0, 1]``.

    The same as ``np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], y_prob)``
    (``linspace`` computes the edge ``k`` as ``k * (1 / n_bins)``), without
    building the ``n_bins`` edges.
    """
    step = 1.0 / n_bins
    return _count_edges(
        y_prob,
        np.floor(y_prob * n_bins),
        n_bins - 1,
        lambda k: k.astype(np.float64) * step,
        strict=True,
    )


def _quantile_edges(y_prob, sample_weight, n_bins):
    """Inner bin edges at the weighted quantiles k / n_bins (inverted CDF).

    With integer weights they are those of the repeated rows: the edge at
    ``q`` is the smallest probability whose cumulative weight reaches
    ``q`` times the total. Each sorted position is an edge when some target
    ``k / n_bins * total`` falls in its step of the cumulative weight, so the
    ``n_bins`` targets are counted per position, never built.
    """
    order = np.argsort(y_prob, kind="stable")
    sorted_prob = y_prob[order]
    cum = (
        np.arange(1, len(y_prob) + 1, dtype=np.float64)
        if sample_weight is None
        else np.cumsum(sample_weight[order])
    )
    total = cum[-1]
    # targets at or below each cumulative weight; the last position takes the rest
    reached = _count_edges(
        cum,
        np.floor(cum / total * n_bins),
        n_bins - 1,
        lambda k: k / n_bins * total,
        strict=False,
    )
    reached[-1] = n_bins - 1
    hit = np.diff(reached, prepend=0) > 0
    return np.unique(sorted_prob[hit])


@validate_params(
    {
        "y_true": ["array-like"],
        "y_prob": ["array-like"],
        "n_bins": [Interval(Integral, 1, None, closed="left")],
        "strategy": [StrOptions({"uniform", "quantile"})],
        "pos_label": [Real, str, "boolean", None],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def expected_calibration_error(
    y_true, y_prob, *, n_bins=10, strategy="uniform", pos_label=None, sample_weight=None
):
    """Expected calibration error (ECE) of the probabilities of a binary model.

    The predicted probabilities of the positive class are grouped into bins;
    in each bin the observed share of positives is compared with the mean
    predicted probability, and the absolute gaps are averaged, each weighted
    by its bin's share of the samples:
    ``sum_b (n_b / n) |mean(y_b) - mean(p_b)|``. 0 means calibrated. A model
    with 99% accuracy and a large log loss is confidently wrong somewhere:
    this is the number that shows it.

    Read more in the :ref:`User Guide <calibration>`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_prob : array-like of shape (n_samples,)
        Predicted probabilities of the positive class, in [0, 1].
    n_bins : int, default=10
        Number of bins. Any number is accepted: time and memory grow with the
        number of samples, not of bins (at most one occupied bin per sample).
    strategy : {"uniform", "quantile"}, default="uniform"
        ``"uniform"``: bins of equal width over [0, 1], as in
        :func:`sklearn.calibration.calibration_curve` (a probability on an
        inner edge belongs to the lower bin). ``"quantile"``: edges at the
        (weighted) quantiles of ``y_prob``, so the bins hold about equal
        weight; tied quantiles merge bins.
    pos_label : int, float, bool or str, default=None
        The class ``y_prob`` is the probability of. None: ``1`` (or ``True``)
        for ``{0, 1}``, ``{-1, 1}`` and boolean labels, else the greater
        label.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights: bin shares, means and quantiles are weighted.

    Returns
    -------
    ece : float
        Between 0 and 1, lower is better.

    See Also
    --------
    sklearn.calibration.calibration_curve : The per-bin means this compares.
    sklearn.metrics.brier_score_loss : A proper scoring rule for the same
        probabilities.

    Examples
    --------
    >>> import numpy as np
    >>> from skeval.metrics import expected_calibration_error
    >>> rng = np.random.default_rng(0)
    >>> y_prob = rng.uniform(size=10_000)
    >>> y_true = rng.uniform(size=10_000) < y_prob  # calibrated by construction
    >>> round(expected_calibration_error(y_true, y_prob), 3)
    0.011
    >>> round(expected_calibration_error(y_true, y_prob**3), 3)  # too low
    0.245
    """
    y_pos, _ = check_binary_target(y_true, pos_label=pos_label)
    y_prob = check_scores(y_prob, n_samples=len(y_pos), name="y_prob")
    if y_prob.min() < 0.0 or y_prob.max() > 1.0:
        raise ValueError(
            "`y_prob` must hold probabilities in [0, 1]. Got values from "
            f"{y_prob.min():g} to {y_prob.max():g}."
        )
    sample_weight = check_weights(sample_weight, n_samples=len(y_pos))
    if strategy == "uniform":
        # only the occupied bins matter: at most one per sample
        _, bins = np.unique(_uniform_bins(y_prob, n_bins), return_inverse=True)
    else:
        inner = _quantile_edges(y_prob, sample_weight, n_bins)
        bins = np.searchsorted(inner, y_prob, side="left")
    # sum_b (W_b / W) |mean_b(y) - mean_b(p)| = sum_b |sum_b w (y - p)| / W
    gap = y_pos - y_prob
    if sample_weight is None:
        total = float(len(y_prob))
    else:
        gap = gap * sample_weight
        total = float(sample_weight.sum())
    per_bin = np.bincount(bins, weights=gap)
    return float(np.abs(per_bin).sum() / total)
