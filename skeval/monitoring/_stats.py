"""The statistics behind the monitor's alerts.

A batch is summarised by its weighted confusion counts: per cell
(``tp, fp, fn, tn``, in that order) the sum of the weights ``S`` and the sum of
the squared weights ``Q`` (both equal the plain counts without weights). Every
monitored metric is a function of the four counts, so the baseline and each
batch are compared through these eight numbers.

Two tests of "the metric is worse than its baseline by more than the
tolerance", each one-sided at level ``1 - confidence``, each counting the
baseline's own sampling error:

* **Proportions** (recall, precision, specificity, npv, fpr, fnr, alert rate,
  accuracy): one success count over one denominator. The lower confidence
  bound of the drop combines the exact (Clopper-Pearson) one-sided bounds of
  the baseline and of the batch by Newcombe's square-and-add rule (the MOVER
  method for a difference of independent proportions). Exact bounds keep the
  false-alarm rate at or below ``1 - confidence`` even with a handful of cases
  and values near 0 or 1, where the normal (Wald) and even the Wilson bounds
  are too narrow and a small batch alerts on noise; with thousands of cases
  they cost almost no power.
* **Other metrics** (F1, MCC, balanced accuracy, cost, ...): not a single
  proportion, and often far from linear in the counts. The baseline and the
  batch are each resampled as multinomial draws of their four cell counts
  (the bootstrap of the samples' multiplicities, collapsed to the four cells
  since the metric depends on nothing else), and the lower bound of the drop
  is the ``1 - confidence`` quantile of the resampled drops (percentile
  bootstrap, a fixed seed, so a check is reproducible).

With sample weights the counts are replaced by Kish's effective sample size
``S**2 / Q`` (the size of an unweighted sample with the same variance), an
approximation that is exact without weights.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv
from scipy.stats import norm

from .._core._formulas import COUNT_METRICS

__all__ = ["MetricSpec", "metric_spec", "compare", "N_BOOTSTRAP"]

#: Number of bootstrap resamples for the metrics that are not proportions.
N_BOOTSTRAP = 2000
_SEED = 0

TP, FP, FN, TN = range(4)

# Proportions: (success cells, denominator cells). The values still come from
# the count formulas; this table only says which binomial each one is.
_PROPORTIONS = {
    "precision": ((TP,), (TP, FP)),
    "recall": ((TP,), (TP, FN)),
    "specificity": ((TN,), (TN, FP)),
    "npv": ((TN,), (TN, FN)),
    "fpr": ((FP,), (FP, TN)),
    "fnr": ((FN,), (FN, TP)),
    "alert_rate": ((TP, FP), (TP, FP, FN, TN)),
    "accuracy": ((TP, TN), (TP, FP, FN, TN)),
}
# Metrics that reach -1 at worst; every other count metric lies in [0, 1].
_SIGNED = {"matthews_corrcoef", "cohen_kappa", "youden"}


@dataclass(frozen=True)
class MetricSpec:
    """How one metric is computed and compared.

    ``formula(tp, fp, fn, tn)`` is vectorised; ``higher_is_better`` is False
    for the "at most" metrics (fpr, fnr, alert rate, cost); ``cells`` is the
    (success, denominator) pair of a proportion, None otherwise; ``low`` and
    ``high`` bound the metric's values.
    """

    name: str
    formula: object
    higher_is_better: bool
    cells: tuple | None
    low: float
    high: float

    def value(self, S):
        """The metric at cell sums ``S``, or None where it is undefined."""
        if not self.defined(S):
            return None
        return float(self.formula(*S))

    def defined(self, S):
        """Whether the batch holds what the metric needs (a non-empty
        denominator; both true classes for composite metrics)."""
        S = np.asarray(S)
        if self.cells is not None:
            return S[list(self.cells[1])].sum() > 0
        if self.name == "cost":
            return S.sum() > 0
        return S[[TP, FN]].sum() > 0 and S[[FP, TN]].sum() > 0


def _cost_formula(costs):
    c = np.asarray(costs, dtype=np.float64)

    def formula(tp, fp, fn, tn):
        total = np.asarray(tp, dtype=np.float64) + fp + fn + tn
        spent = c[TP] * tp + c[FP] * fp + c[FN] * fn + c[TN] * tn
        return np.divide(spent, total, out=np.zeros_like(total), where=total > 0)

    return formula


def metric_spec(name, costs=None):
    """The :class:`MetricSpec` of a count metric's name or of ``"cost"``.

    ``costs`` is the (tp, fp, fn, tn) cost of each cell, needed for "cost".
    """
    if name == "cost":
        return MetricSpec("cost", _cost_formula(costs), False, None,
                          float(min(costs)), float(max(costs)))
    metric = COUNT_METRICS[name]
    low = -1.0 if name in _SIGNED else 0.0
    return MetricSpec(name, metric.formula, metric.bound != "upper",
                      _PROPORTIONS.get(name), low, 1.0)


def effective_size(S, Q, cells=(TP, FP, FN, TN)):
    """Kish's effective sample size of the given cells (0 when empty)."""
    s, q = float(np.sum(S[list(cells)])), float(np.sum(Q[list(cells)]))
    return s * s / q if q > 0 else 0.0


def clopper_pearson(p, n, alpha):
    """Exact (Clopper-Pearson) bounds ``(low, high)`` of a proportion, each
    one-sided at level ``alpha``; ``n`` may be an effective (real) size."""
    if n <= 0:
        return 0.0, 1.0
    x = p * n
    low = 0.0 if x <= 0 else float(betaincinv(x, n - x + 1, alpha))
    high = 1.0 if x >= n else float(betaincinv(x + 1, n - x, 1 - alpha))
    return low, high


def _proportion(spec, S, Q):
    success, den = spec.cells
    total = float(S[list(den)].sum())
    p = float(S[list(success)].sum()) / total if total > 0 else 0.0
    return p, effective_size(S, Q, den)


def _draws(S, Q, rng):
    """Multinomial resamples of the four cells, shape (N_BOOTSTRAP, 4)."""
    n = effective_size(S, Q)
    size = max(int(round(n)), 1)
    p = np.asarray(S, dtype=np.float64) / max(float(np.sum(S)), 1e-300)
    return rng.multinomial(size, p / p.sum(), size=N_BOOTSTRAP).astype(np.float64)


def _gradient_variance(spec, S, n):
    """Delta-method variance of the metric at cell shares ``S / sum(S)`` for
    an unweighted sample of size ``n``."""
    if n <= 0:
        return np.inf
    p = np.asarray(S, dtype=np.float64) / float(np.sum(S))
    h = 1e-6
    grad = np.empty(4)
    for c in range(4):
        up, down = p.copy(), p.copy()
        up[c] += h
        down[c] = max(down[c] - h, 0.0)
        grad[c] = (spec.formula(*up) - spec.formula(*down)) / (up[c] - down[c])
    mean = float(p @ grad)
    return float(p @ (grad - mean) ** 2) / n


@dataclass(frozen=True)
class Comparison:
    """The numbers behind one metric's verdict (see :func:`compare`)."""

    value: float | None
    ci_low: float | None
    ci_high: float | None
    drop: float | None
    drop_bound: float | None
    min_detectable_drop: float
    max_drop: float


def compare(spec, base, current, *, tolerance, confidence):
    """Compare the metric of the batch ``current`` with that of ``base``.

    ``base`` and ``current`` are ``(S, Q)`` pairs of cell sums. Returns a
    :class:`Comparison`: the batch's value and two-sided interval at
    ``confidence``, the drop (positive = worse), its one-sided lower bound at
    ``confidence``, the approximate smallest drop the batch's size could
    detect (``tolerance + z * SE`` of the difference at the baseline's rates,
    the drop seen half the time at that true drop) and the largest drop the
    metric's range allows. Undefined values are None.
    """
    (Sb, Qb), (Sc, Qc) = base, current
    z1 = float(norm.ppf(confidence))
    b = spec.value(Sb)
    sign = 1.0 if spec.higher_is_better else -1.0
    max_drop = (b - spec.low) if spec.higher_is_better else (spec.high - b)
    if spec.cells is not None:
        nc = _proportion(spec, Sc, Qc)[1]
        detectable = _proportion_detectable(
            spec, Sb, Qb, nc, confidence, tolerance, sign
        )
    else:
        var = _gradient_variance(spec, Sb, effective_size(Sb, Qb))
        var += _gradient_variance(spec, Sb, effective_size(Sc, Qc))
        detectable = tolerance + z1 * float(np.sqrt(var))
    if not spec.defined(Sc):
        return Comparison(None, None, None, None, None, detectable, max_drop)
    c = spec.value(Sc)
    drop = sign * (b - c)
    if spec.cells is not None:
        low, high, bound = _newcombe(spec, Sb, Qb, Sc, Qc, confidence, sign)
    else:
        low, high, bound = _bootstrap(spec, Sb, Qb, Sc, Qc, confidence, sign)
    return Comparison(c, low, high, drop, bound, detectable, max_drop)


def _mover_bound(pb, nb, pc, nc, alpha, sign):
    """Lower bound of the drop ``sign * (pb - pc)`` from the two exact bounds
    (Newcombe's square-and-add)."""
    lb, ub = clopper_pearson(pb, nb, alpha)
    lc, uc = clopper_pearson(pc, nc, alpha)
    if sign > 0:  # drop = b - c: the baseline's low side, the batch's high side
        margin = np.hypot(pb - lb, uc - pc)
    else:  # rise = c - b
        margin = np.hypot(pc - lc, ub - pb)
    return float(sign * (pb - pc) - margin)


def _newcombe(spec, Sb, Qb, Sc, Qc, confidence, sign):
    """Exact interval of the batch; Newcombe-type lower bound of the drop."""
    pb, nb = _proportion(spec, Sb, Qb)
    pc, nc = _proportion(spec, Sc, Qc)
    alpha = 1 - confidence
    low, high = clopper_pearson(pc, nc, alpha / 2)
    return low, high, _mover_bound(pb, nb, pc, nc, alpha, sign)


def _proportion_detectable(spec, Sb, Qb, nc, confidence, tolerance, sign):
    """The smallest observed drop a batch with ``nc`` cases in the metric's
    denominator would alert on; inf when even the worst value would not."""
    pb, nb = _proportion(spec, Sb, Qb)
    alpha = 1 - confidence
    worst = 0.0 if sign > 0 else 1.0
    if nc <= 0 or _mover_bound(pb, nb, worst, nc, alpha, sign) <= tolerance:
        return np.inf
    alerting, quiet = worst, pb  # the bound falls as pc moves towards pb
    for _ in range(50):
        mid = 0.5 * (alerting + quiet)
        if _mover_bound(pb, nb, mid, nc, alpha, sign) > tolerance:
            alerting = mid
        else:
            quiet = mid
    return float(sign * (pb - alerting))


def _bootstrap(spec, Sb, Qb, Sc, Qc, confidence, sign):
    """Percentile interval of the batch; percentile lower bound of the drop."""
    rng = np.random.default_rng(_SEED)
    fb = spec.formula(*_draws(Sb, Qb, rng).T)
    fc = spec.formula(*_draws(Sc, Qc, rng).T)
    alpha = 1 - confidence
    low, high = np.quantile(fc, [alpha / 2, 1 - alpha / 2])
    bound = np.quantile(sign * (fb - fc), alpha)
    return float(low), float(high), float(bound)
