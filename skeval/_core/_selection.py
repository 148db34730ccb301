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

from dataclasses import dataclass, replace

import numpy as np

from ._uncertainty import certify_folds

__all__ = [
    "Selection",
    "TuningResult",
    "merge_thresholds",
    "select",
    "one_se",
    "tune_curves",
    "tune_grid",
    "values_at",
]

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
    index : int
        The candidate ``threshold`` falls in (``start <= index <= stop``).
    """

    start: int
    stop: int
    threshold: float
    score: float
    constraint_value: float | None
    constraint_satisfied: bool | None
    index: int = 0


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


def select(thresholds, objective, *, constraint=None, midpoint=True, violation=None):
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
    violation : ndarray of shape (n,), default=None
        A precomputed distance from feasibility (0 where feasible), replacing
        the one computed from the constraint's values: a confidence guarantee
        certifies thresholds (:mod:`skeval._core._uncertainty`). The
        constraint's values are still reported.

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
        tolerance = 0.0
        if violation is None:
            violation = _violation(np.asarray(values, dtype=np.float64), bound, limit)
            # tolerate rounding in fold means (0.95 vs 0.9499999999999999)
            tolerance = _TIE_TOL * max(1.0, abs(limit))
        feasible = violation <= tolerance
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
        index=chosen,
    )


@dataclass(frozen=True)
class TuningResult:
    """The operating point selected on one or several folds' curves.

    Attributes
    ----------
    threshold : float
        Predict positive iff ``score >= threshold``.
    score : float
        The objective there, mean over folds (greater is better).
    constraint_value : float or None
        The constrained metric there, mean over folds (None without one).
    constraint_satisfied : bool or None
        Whether some candidate meets the constraint (None without one).
    constraint_bound : float or None
        The Clopper-Pearson bound of the constrained metric at ``threshold`` at
        the spec's ``confidence`` (lower for "at least", upper for "at most";
        pooled over folds), None without ``confidence``.
    fold_thresholds : ndarray of shape (n_folds,)
        Each fold's own optimum, on its own curve.
    thresholds : ndarray of shape (n_candidates,)
        The candidates, decreasing; the value at ``thresholds[k]`` holds for
        every threshold in ``(thresholds[k + 1], thresholds[k]]``.
    objective, objective_folds : ndarray
        The objective at the candidates: mean over folds, one row per fold.
    constraint, constraint_folds : ndarray or None
        The constrained metric at the candidates, likewise.
    constraint_reason : str or None
        With ``confidence``, when nothing is certified: why, and how many
        samples of which class would be needed.
    """

    threshold: float
    score: float
    constraint_value: float | None
    constraint_satisfied: bool | None
    constraint_bound: float | None
    fold_thresholds: np.ndarray
    thresholds: np.ndarray
    objective: np.ndarray
    objective_folds: np.ndarray
    constraint: np.ndarray | None
    constraint_folds: np.ndarray | None
    constraint_reason: str | None = None


def _triple(spec, values):
    """``select``'s constraint argument for the spec's constraint."""
    if spec.constraint is None:
        return None
    return values, spec.constraint.bound, spec.constraint.limit


def _certified(spec, curves, candidates):
    """The certification of the constraint at ``candidates`` (None without
    ``confidence``): on the fold's own counts, or pooled over folds."""
    if spec.confidence is None or spec.constraint is None:
        return None
    return certify_folds(spec.constraint, curves, candidates, spec.confidence)


def _select_own(spec, thresholds, obj, con, curve, midpoint):
    """One fold's own optimum, certified on that fold when asked."""
    cert = _certified(spec, [curve], thresholds)
    violation = None if cert is None else cert.violation(spec.constraint.limit)
    return select(
        thresholds,
        obj,
        constraint=_triple(spec, con),
        midpoint=midpoint,
        violation=violation,
    ), cert


def _result(spec, candidates, obj_folds, con_folds, own, midpoint, curves):
    """Average the folds' values at the candidates and select on the mean."""
    obj_folds = np.vstack(obj_folds)
    con_folds = None if spec.constraint is None else np.vstack(con_folds)
    mean_obj = obj_folds.mean(axis=0)
    mean_con = None if con_folds is None else con_folds.mean(axis=0)
    # one fold (prefit, a hold-out split): its own optimum is the optimum
    if len(own) == 1:
        sel, cert = own[0]
    else:
        cert = _certified(spec, curves, candidates)
        sel = select(
            candidates,
            mean_obj,
            constraint=_triple(spec, mean_con),
            midpoint=midpoint,
            violation=None if cert is None else cert.violation(spec.constraint.limit),
        )
    return TuningResult(
        threshold=sel.threshold,
        score=sel.score,
        constraint_value=sel.constraint_value,
        constraint_satisfied=sel.constraint_satisfied,
        constraint_bound=None if cert is None else float(cert.bound(sel.index)),
        constraint_reason=None if cert is None else cert.reason,
        fold_thresholds=np.asarray([s.threshold for s, _ in own]),
        thresholds=candidates,
        objective=mean_obj,
        objective_folds=obj_folds,
        constraint=mean_con,
        constraint_folds=con_folds,
    )


def one_se(result, spec):
    """The centre of the near-best plateau instead of the exact argmax.

    The mean-over-folds curve is flat near its optimum and noisy: its exact
    argmax lands anywhere on the plateau. This rule takes the run of feasible
    candidates around the argmax whose mean objective is within one standard
    error (across folds, at the argmax) of the best, and returns the midpoint
    of that run's threshold interval. One fold: the result as it is.
    """
    folds = result.objective_folds
    if len(folds) < 2:
        return result
    thresholds, mean = result.thresholds, result.objective
    best = int(np.count_nonzero(thresholds >= result.threshold)) - 1
    se = float(np.std(folds[:, best], ddof=1) / np.sqrt(len(folds)))
    near = mean >= mean[best] - se - _TIE_TOL * max(1.0, abs(mean[best]))
    if spec.constraint is not None and result.constraint_satisfied:
        violation = _violation(
            result.constraint, spec.constraint.bound, spec.constraint.limit
        )
        near &= violation <= _TIE_TOL * max(1.0, abs(spec.constraint.limit))
    start = (
        best - int(np.argmin(near[best::-1])) + 1 if not near[: best + 1].all() else 0
    )
    after = np.flatnonzero(~near[best:])
    stop = best + int(after[0]) - 1 if len(after) else len(near) - 1
    threshold = _interval_threshold(thresholds, start, stop, True)
    chosen = min(max(int(np.count_nonzero(thresholds >= threshold)) - 1, start), stop)
    return replace(
        result,
        threshold=threshold,
        score=float(mean[chosen]),
        constraint_value=None
        if result.constraint is None
        else float(result.constraint[chosen]),
    )


def tune_curves(spec, curves, metadata=None, *, grid=None):
    """Select the operating point of an exact objective over folds' curves.

    Each fold's curve (one sort) is evaluated at its own distinct scores; the
    fold's own optimum is selected there. For the mean over folds the values
    are read at the union of all folds' breakpoints (``grid=None``), where the
    mean is exact, or at the thresholds of ``grid`` (decreasing).

    Parameters
    ----------
    spec : OperatingPointSpec
        With an exact (curve) objective.
    curves : list of ConfusionCurve
        One per fold.
    metadata : list of dict, default=None
        Each fold's checked per-sample arrays, by the names the objective uses.
    grid : ndarray, default=None
        Candidate thresholds, decreasing; None: every breakpoint, exactly.

    Returns
    -------
    TuningResult
    """
    metadata = metadata or [{}] * len(curves)
    candidates = (
        merge_thresholds([curve.thresholds for curve in curves])
        if grid is None
        else grid
    )
    obj_folds, con_folds, own = [], [], []
    for curve, md in zip(curves, metadata):
        obj_curve = spec.evaluate(curve, md)
        con_curve = None if spec.constraint is None else spec.constraint.values(curve)
        obj = values_at(curve.thresholds, obj_curve, candidates)
        con = (
            None
            if con_curve is None
            else values_at(curve.thresholds, con_curve, candidates)
        )
        if grid is None:
            own.append(
                _select_own(spec, curve.thresholds, obj_curve, con_curve, curve, True)
            )
        else:
            own.append(_select_own(spec, candidates, obj, con, curve, False))
        obj_folds.append(obj)
        con_folds.append(con)
    return _result(spec, candidates, obj_folds, con_folds, own, grid is None, curves)


def tune_grid(spec, grid, objective_folds, curves):
    """Select on a grid where each fold's objective was scored (the slow path).

    ``objective_folds`` holds one row of objective values at ``grid`` per
    fold; the constraint, always a count metric, is read from the curves.
    """
    obj_folds, con_folds, own = [], [], []
    for obj, curve in zip(objective_folds, curves):
        con = None
        if spec.constraint is not None:
            con = values_at(curve.thresholds, spec.constraint.values(curve), grid)
        own.append(_select_own(spec, grid, obj, con, curve, False))
        obj_folds.append(obj)
        con_folds.append(con)
    return _result(spec, grid, obj_folds, con_folds, own, False, curves)
