"""One metric's verdict: alert or not, its status and the reason in words."""

from ._stats import FN, FP, TN, TP

__all__ = ["verdict"]

# What an empty denominator means, by the cells it sums.
_EMPTY = {
    frozenset((TP, FN)): "no positive samples",
    frozenset((TP, FP)): "no positive predictions",
    frozenset((TN, FP)): "no negative samples",
    frozenset((TN, FN)): "no negative predictions",
    frozenset((TP, FP, FN, TN)): "no samples",
}


def _g(value):
    return f"{value:.3g}"


def _missing(spec):
    if spec.cells is not None:
        return _EMPTY[frozenset(spec.cells[1])]
    if spec.name == "cost":
        return "no samples"
    return "it needs both classes in y_true"


def verdict(spec, comparison, tolerance, rule, confidence):
    """``(alert, status, reason)`` for one metric of one batch.

    Parameters
    ----------
    spec : MetricSpec
    comparison : Comparison
        From :func:`~skeval.monitoring._stats.compare`.
    tolerance : float
    rule : {"statistical", "fixed"}
    confidence : float
    """
    c = comparison
    name = spec.name
    if c.value is None:
        return False, "insufficient_data", (
            f"{name} cannot be measured on this batch ({_missing(spec)}); "
            "nothing to compare."
        )
    worse = "fell" if spec.higher_is_better else "rose"
    amount = abs(c.drop)
    moved = (
        f"{name} {worse} by {_g(amount)} ({_g(c.value)} against a baseline of "
        f"{_g(c.value + c.drop if spec.higher_is_better else c.value - c.drop)})"
        if c.drop > 0
        else f"{name} is no worse than its baseline ({_g(c.value)})"
    )
    if rule == "fixed":
        alert = c.drop > tolerance
        compare = "more" if alert else "not more"
        reason = (
            f"{moved}: {compare} than the tolerance {_g(tolerance)} (fixed rule: "
            "point values only, sampling error ignored)."
        )
        return alert, "alert" if alert else "ok", reason
    pct = f"{100 * confidence:.4g}%"
    if c.min_detectable_drop > c.max_drop:
        detect = (
            "no value of this batch could show it"
            if c.min_detectable_drop == float("inf")
            else f"the smallest detectable change is about "
            f"{_g(c.min_detectable_drop)}, more than {name} can move from its "
            f"baseline, {_g(c.max_drop)}"
        )
        reason = (
            f"Not enough data: a batch of this size cannot show at {pct} "
            f"confidence that {name} {worse} by more than {_g(tolerance)} "
            f"({detect}). {moved[0].upper() + moved[1:]}."
        )
        return False, "insufficient_data", reason
    if c.drop_bound > tolerance:
        reason = (
            f"{moved}; at {pct} confidence it {worse} by at least "
            f"{_g(c.drop_bound)}, more than the tolerance {_g(tolerance)}."
        )
        return True, "alert", reason
    reason = (
        f"{moved}; no evidence at {pct} confidence of a change beyond the "
        f"tolerance {_g(tolerance)} (this batch size detects changes of about "
        f"{_g(c.min_detectable_drop)} or more)."
    )
    return False, "ok", reason
