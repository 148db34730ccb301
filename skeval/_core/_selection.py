"""Selection: from curves of metric values to one threshold.

Shared by the tuner, :func:`skeval.metrics.operating_point` and the display.

Conventions (see the User Guide, "conventions"):

* Candidate thresholds are decreasing; candidate ``k`` predicts positive iff
  ``score >= thresholds[k]``.
* The optimum is a *run* of consecutive, equally good candidates (the optimal
  interval). On an exact curve the returned threshold is the midpoint of that
  interval: every threshold inside it gives the same validation predictions,
  and the middle is the most robust on new data. An interval that is unbounded
  above returns ``+inf`` (predict nothing positive); unbounded below, ``-inf``
  (predict everything positive).
* Between equally good runs the first wins: the highest threshold, so the
  fewest positive predictions (the fewest alerts).
* Infeasible constraint: the candidates closest to feasibility (smallest
  violation of the constraint) are kept and the objective is maximised over
  them.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["Selection", "values_at", "merge_thresholds", "select"]

# Two objective values closer than this (relative to their size) are ties:
# fold means of equal step values can differ in the last bits.
_TIE_TOL = 1e-12


@dataclass(frozen=True)
class Selection:
    """The selected operating point on one curve of candidate thresholds.

    Attributes
    ----------
    start, stop : int
        The optimal run of candidates, ``start`` to ``stop`` inclusive.
    threshold : float
        The returned threshold (the midpoint of the run's interval on an exact
        curve, ``thresholds[start]`` on a grid).
    score : float
        The objective at ``threshold``.
    constraint_value : float or None
        The constrained metric at ``threshold`` (None without a constraint).
    constraint_satisfied : bool or None
        Whether any candidate meets the constraint (None without one).
    """

    start: int
    stop: int
    threshold: float
    score: float
    constraint_value: float | None
    constraint_satisfied: bool | None


def values_at(curve_thresholds, values, thresholds):
    """Look up a curve's values at arbitrary thresholds.

    Parameters
    ----------
    curve_thresholds : ndarray of shape (m + 1,)
        ``+inf`` followed by the curve's distinct scores, decreasing.
    values : ndarray of shape (..., m + 1)
        Values at the curve's operating points.
    thresholds : ndarray of shape (k,)
        Where to evaluate.

    Returns
    -------
    ndarray of shape (..., k)
        The value of the operating point each threshold falls in: the one
        predicting positive the scores ``>= threshold``.
    """
    if thresholds is curve_thresholds:
        return np.asarray(values)
    ascending = curve_thresholds[:0:-1]
    # number of the curve's scores that are >= t, i.e. the operating point index
    idx = len(ascending) - np.searchsorted(ascending, thresholds, side="left")
    return np.asarray(values)[..., idx]


def merge_thresholds(curve_thresholds):
    """The union of several curves' breakpoints, decreasing, ``+inf`` first.

    The mean of the folds' step functions is a step function on this union, so
    maximising over it finds the exact mean-over-folds optimum. Each curve is
    already sorted, so a stable sort only merges the runs; one curve is
    returned as it is.
    """
    if len(curve_thresholds) == 1:
        return curve_thresholds[0]
    negated = np.concatenate([-t[1:] for t in curve_thresholds])
    merged = -np.sort(negated, kind="stable")
    distinct = np.concatenate(([True], merged[1:] != merged[:-1]))
    return np.concatenate(([np.inf], merged[distinct]))


def _violation(constraint_values, bound, limit):
    if bound == "lower":
        return np.maximum(limit - constraint_values, 0.0)
    return np.maximum(constraint_values - limit, 0.0)


def _interval_threshold(thresholds, start, stop, midpoint):
    if not midpoint:
        return float(thresholds[start])
    high = thresholds[start]
    if np.isinf(high):
        return float(np.inf)
    if stop + 1 >= len(thresholds):
        return float(-np.inf)
    low = thresholds[stop + 1]
    mid = low / 2.0 + high / 2.0
    # Two adjacent floats have no float strictly between them: keep the
    # interval's inclusive upper end rather than its excluded lower end.
    return float(mid if low < mid <= high else high)


def select(thresholds, objective, *, constraint=None, midpoint=True):
    """Pick the best operating point on a curve of candidate thresholds.

    Parameters
    ----------
    thresholds : ndarray of shape (n,)
        Candidate thresholds, decreasing.
    objective : ndarray of shape (n,)
        Objective value at each candidate (greater is better).
    constraint : tuple (values, bound, limit), default=None
        ``values`` of the constrained metric at each candidate, ``bound`` in
        {"lower", "upper"} and the ``limit``.
    midpoint : bool, default=True
        True on exact curves (return the optimal interval's midpoint); False on
        a grid (return the grid value itself).

    Returns
    -------
    Selection
    """
    objective = np.asarray(objective, dtype=np.float64)
    if np.isnan(objective).any():
        raise ValueError(
            "The objective must be a number at every candidate threshold. Got "
            f"{int(np.isnan(objective).sum())} NaN value(s) out of {len(objective)}."
        )
    constraint_value = satisfied = None
    if constraint is None:
        mask = np.ones(len(objective), dtype=bool)
    else:
        values, bound, limit = constraint
        violation = _violation(np.asarray(values, dtype=np.float64), bound, limit)
        # tolerate rounding in fold means (0.95 vs 0.9499999999999999)
        feasible = violation <= _TIE_TOL * max(1.0, abs(limit))
        satisfied = bool(feasible.any())
        mask = feasible if satisfied else violation <= violation.min() * (1 + _TIE_TOL)
    masked = np.where(mask, objective, -np.inf)
    best = masked.max()
    ties = mask & (objective >= best - _TIE_TOL * max(1.0, abs(best)))
    start = int(np.argmax(ties))
    # extend the run of consecutive equally good candidates
    after = np.flatnonzero(~ties[start:])
    stop = start + (int(after[0]) - 1 if len(after) else len(ties) - start - 1)
    threshold = _interval_threshold(thresholds, start, stop, midpoint)
    # report the candidate the returned threshold falls in (the midpoint of a
    # run of several candidates is not in the first one)
    chosen = int(np.count_nonzero(np.asarray(thresholds) >= threshold)) - 1
    chosen = min(max(chosen, start), stop)
    if constraint is not None:
        constraint_value = float(values[chosen])
    return Selection(
        start=start,
        stop=stop,
        threshold=threshold,
        score=float(objective[chosen]),
        constraint_value=constraint_value,
        constraint_satisfied=satisfied,
    )
