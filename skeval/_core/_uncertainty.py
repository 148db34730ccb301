"""Uncertainty: which thresholds meet a constraint with a stated confidence.

A constraint such as ``recall >= 0.95`` met on the validation counts is met on
new data only about half the time when it sits at the edge of the feasible
set. With ``confidence = 1 - delta`` skeval certifies instead: a threshold is
kept only when the validation data show, at level ``delta``, that the
*population* value of the constrained metric meets the limit there, and the
guarantee holds for every certified threshold at once (so the objective may
then be maximised freely over them).

Every constrained metric is a binomial proportion ``x / n`` of integer
counts (a weight of ``k`` counts as ``k`` repeated rows):

============  ===============  ================  =========
metric        successes ``x``  trials ``n``      monotone
============  ===============  ================  =========
recall        tp               tp + fn           yes
fnr           fn               tp + fn           yes
specificity   tn               tn + fp           yes
fpr           fp               tn + fp           yes
alert_rate    tp + fp          all samples       yes
precision     tp               tp + fp           no
npv           tn               tn + fn           no
============  ===============  ================  =========

* Monotone metrics: one exact one-sided binomial test per threshold, at level
  ``delta`` and without any multiplicity correction (see
  :func:`_critical_count` for why none is needed).
* Precision and NPV: the number of trials changes along the curve and the
  metric goes up and down, so the certified set need not be an interval and no
  test order is known in advance to start where the metric is high. They are
  tested with the exact binomial tail at a data-independent set of ranks (the
  operating points that flag ``k_1 < ... < k_m`` samples, ``m`` geometrically
  spaced counts), each at level ``delta / m`` (Bonferroni); see
  :func:`test_ranks` and :func:`_rank_candidates`.

The tails are computed by :mod:`scipy.stats.binom` on integer counts; counts
are never rounded from floating-point rates. The reported bound at each
threshold is the Clopper-Pearson bound at confidence ``1 - delta`` (for
precision and NPV it is not adjusted: the test decides, the bound reports).
"""

import math
import numbers
from dataclasses import dataclass, replace

import numpy as np
from scipy import special, stats

from ._formulas import COUNT_METRICS

__all__ = [
    "BINOMIAL_METRICS",
    "Certification",
    "certify",
    "certify_counts",
    "certify_folds",
    "check_confidence",
    "clopper_pearson",
    "integer_counts",
    "required_trials",
    "test_ranks",
]


@dataclass(frozen=True)
class _Binomial:
    """How a constraint metric reads as ``successes / trials``."""

    successes: object
    trials: object
    population: str  # who the trials are, for messages
    monotone: bool


BINOMIAL_METRICS = {
    "recall": _Binomial(
        lambda tp, fp, fn, tn: tp, lambda tp, fp, fn, tn: tp + fn, "positive", True
    ),
    "fnr": _Binomial(
        lambda tp, fp, fn, tn: fn, lambda tp, fp, fn, tn: tp + fn, "positive", True
    ),
    "specificity": _Binomial(
        lambda tp, fp, fn, tn: tn, lambda tp, fp, fn, tn: tn + fp, "negative", True
    ),
    "fpr": _Binomial(
        lambda tp, fp, fn, tn: fp, lambda tp, fp, fn, tn: tn + fp, "negative", True
    ),
    "alert_rate": _Binomial(
        lambda tp, fp, fn, tn: tp + fp,
        lambda tp, fp, fn, tn: tp + fp + fn + tn,
        "validation",
        True,
    ),
    "precision": _Binomial(
        lambda tp, fp, fn, tn: tp,
        lambda tp, fp, fn, tn: tp + fp,
        "predicted-positive",
        False,
    ),
    "npv": _Binomial(
        lambda tp, fp, fn, tn: tn,
        lambda tp, fp, fn, tn: tn + fn,
        "predicted-negative",
        False,
    ),
}


@dataclass(frozen=True)
class Certification:
    """Which candidate thresholds meet a constraint at a confidence level.

    Attributes
    ----------
    certified : ndarray of bool of shape (n_thresholds,)
        True where the constraint holds on the population with the stated
        confidence (simultaneously over all True entries).
    successes, trials : ndarray of int of shape (n_thresholds,)
        The binomial counts of the metric at each threshold.
    side : {"lower", "upper"}
        "lower" for "at least" metrics, "upper" for "at most" metrics.
    satisfied : bool
        Whether any threshold is certified.
    confidence : float
        ``1 - delta``.
    method : str
        ``"binomial"`` (monotone metrics, no correction) or ``"bonferroni"``
        (precision and NPV, tested at ``n_tests`` ranks).
    n_tests : int
        The number of hypotheses the level was divided by (1 for monotone).
    critical : int or None
        Monotone metrics: the cut-off on the successes (certified iff
        ``successes >= critical`` for "at least", ``<=`` for "at most").
    tested : ndarray of int or None
        Precision and NPV: the candidates that were tested.
    reason : str or None
        When nothing is certified: why, and how many samples of which kind
        would be needed. None otherwise.
    """

    certified: np.ndarray
    successes: np.ndarray
    trials: np.ndarray
    side: str
    satisfied: bool
    confidence: float
    method: str
    n_tests: int
    critical: int | None
    tested: np.ndarray | None
    reason: str | None

    def bound(self, index=None):
        """The Clopper-Pearson bound at ``confidence`` at some thresholds.

        A lower bound for "at least" metrics, an upper bound for "at most"
        ones; computed on demand (the inverse incomplete beta function costs a
        few microseconds per threshold). ``index=None``: every threshold.
        """
        if index is None:
            index = slice(None)
        return clopper_pearson(
            self.successes[index], self.trials[index], self.confidence, self.side
        )

    def violation(self, limit):
        """How far each candidate is from being certified (0 where it is).

        Selection keeps the candidates at 0 and, when there are none, the ones
        closest to certification: for a monotone metric the successes still
        missing (relative to the trials), for precision and NPV the gap
        between the Clopper-Pearson bound and the limit at the tested ranks.
        """
        out = np.where(self.certified, 0.0, 1.0)
        if self.satisfied:
            return out
        if self.critical is not None:
            gap = (
                self.critical - self.successes
                if self.side == "lower"
                else self.successes - self.critical
            )
            trials = np.maximum(self.trials, 1)
            return np.maximum(gap, 0) / trials + np.where(self.certified, 0.0, 1e-12)
        if self.tested is not None and len(self.tested):
            bound = self.bound(self.tested)
            gap = limit - bound if self.side == "lower" else bound - limit
            out[self.tested] = np.maximum(gap, 0.0) + 1e-12
        return out


def check_confidence(confidence):
    """Validate ``confidence``; return it as a float (or None)."""
    if confidence is None:
        return None
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, numbers.Real)
        or not 0.0 < float(confidence) < 1.0
    ):
        raise ValueError(
            "`confidence` must be None or a float strictly between 0 and 1, e.g. "
            f"0.95. Got {confidence!r}."
        )
    return float(confidence)


def integer_counts(curve):
    """The curve's counts as int64 arrays ``(tp, fp, fn, tn)``.

    Raises
    ------
    ValueError
        If the curve was weighted with fractional weights.
    """
    weights = curve.sample_weight
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
        fractional = weights != np.floor(weights)
        if fractional.any():
            raise ValueError(
                "With `confidence`, `sample_weight` must hold whole numbers (a "
                "weight of k counts as k repeated rows; there is no binomial "
                f"guarantee for fractional weights). Got {int(fractional.sum())} "
                f"fractional weight(s), e.g. {weights[fractional][0]:.6g}."
            )
    # cumulative sums of whole numbers are exact in float64 below 2**53 rows
    return tuple(np.asarray(c).astype(np.int64) for c in curve.counts)


def clopper_pearson(successes, trials, confidence, side):
    """One-sided Clopper-Pearson bound of ``successes / trials``.

    ``side="lower"``: the ``p`` with ``P(Binomial(trials, p) >= successes) =
    1 - confidence`` (0 when there are no successes); ``side="upper"``: the
    ``p`` with ``P(Binomial(trials, p) <= successes) = 1 - confidence`` (1 when
    every trial succeeded). No trials: 0 (lower) or 1 (upper).
    """
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    delta = 1.0 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        if side == "lower":
            out = special.betaincinv(x, n - x + 1.0, delta)
            return np.where(x > 0, out, 0.0)
        out = special.betaincinv(x + 1.0, n - x, 1.0 - delta)
        return np.where(x < n, out, 1.0)


def _tail(successes, trials, limit, side):
    """Exact p-value of "metric worse than ``limit``" at each threshold.

    ``lower``: ``P(Binomial(n, limit) >= x)``; ``upper``: ``P(Binomial(n, limit)
    <= x)``. Integer arguments: scipy evaluates the tails exactly in the
    incomplete beta function, with no rounding of counts.
    """
    if side == "lower":
        return stats.binom.sf(successes - 1, trials, limit)
    return stats.binom.cdf(successes, trials, limit)


def _critical_count(trials, limit, delta, side):
    """The certification cut-off on the successes, for a fixed number of trials.

    ``lower``: the smallest ``k`` with ``P(Binomial(n, limit) >= k) <= delta``
    (``n + 1`` when none); ``upper``: the largest ``k`` with ``P(Binomial(n,
    limit) <= k) <= delta`` (``-1`` when none).

    Why a monotone metric needs no multiplicity correction: take recall. Its
    population value ``R(t) = P(score >= t | positive)`` decreases in ``t``, so
    the thresholds meeting ``R(t) >= limit`` form a down-set. The certified
    validation thresholds are those with ``tp >= k``: scanning from the safe end
    (low thresholds, everything flagged) they stop at the ``k``-th largest
    positive score, which is the order-statistic rule of the Neyman-Pearson
    umbrella algorithm. That order statistic lands where ``R < limit`` only if
    ``k`` positive scores fall in the up-set ``{R < limit}``, an event of
    probability at most ``P(Binomial(n, limit) >= k) <= delta``. When it does
    not happen, every certified threshold lies on the safe side of it and meets
    the constraint too: one event covers all of them at once. The other
    monotone metrics are the same argument mirrored (specificity and fpr from
    the high end, alert_rate with all samples as trials).
    """
    if side == "lower":
        # isf(delta) = the smallest k0 with P(X > k0) <= delta, so k = k0 + 1;
        # the two loops only correct a last-digit error of the inversion
        k = int(stats.binom.isf(delta, trials, limit)) + 1
        while k > 0 and _tail(k - 1, trials, limit, side) <= delta:
            k -= 1
        while k <= trials and _tail(k, trials, limit, side) > delta:
            k += 1
        return k
    k = int(stats.binom.ppf(delta, trials, limit))
    while k >= 0 and _tail(k, trials, limit, side) > delta:
        k -= 1
    while k + 1 <= trials and _tail(k + 1, trials, limit, side) <= delta:
        k += 1
    return k


def required_trials(metric, limit, confidence, *, n_tests=1):
    """The fewest trials with which a constraint can be certified at all.

    That is the best case, where every trial goes the right way: ``limit ** n
    <= delta / n_tests`` for an "at least" metric, ``(1 - limit) ** n <= delta
    / n_tests`` for an "at most" one. Returns None when no sample size is
    enough (a limit of 1 for "at least", 0 for "at most").
    """
    side = COUNT_METRICS[metric].bound
    p = limit if side == "lower" else 1.0 - limit
    if p >= 1.0:
        return None
    if p <= 0.0:
        return 1
    alpha = (1.0 - confidence) / n_tests
    n = max(1, math.ceil(math.log(alpha) / math.log(p)))
    while n > 1 and p ** (n - 1) <= alpha:
        n -= 1
    while p**n > alpha:
        n += 1
    return n


# How many ranks precision and NPV are tested at (fewer samples: fewer ranks).
N_RANKS = 100


def test_ranks(total, limit, delta):
    """The counts of trials at which precision or NPV is tested.

    ``m = min(N_RANKS, total)`` counts, geometrically spaced from ``k_min`` to
    ``total``, where ``k_min`` is the fewest trials that can pass at all
    (``limit ** k_min <= delta / m``: fewer cannot certify even without an
    error). They depend only on the number of samples, the limit and the
    level, never on the scores or labels. Geometric spacing puts as many tests
    among the top 1% of the scores as among the top half: a rare positive class
    gets tests where its precision is high.
    """
    m = min(N_RANKS, total)
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    if limit >= 1.0:  # nothing can pass: one test, everything flagged
        return np.array([total], dtype=np.int64)
    k_min = max(1, math.ceil(math.log(delta / m) / math.log(limit)))
    if k_min >= total:
        return np.array([total], dtype=np.int64)
    return np.unique(np.round(np.geomspace(k_min, total, m)).astype(np.int64))


def _rank_candidates(trials, ranks):
    """Indices of the candidates tested for precision or NPV.

    For each count ``k`` in ``ranks`` (see :func:`test_ranks`), the candidate
    with the most trials not above ``k`` (precision: the most flagged samples;
    NPV: the most unflagged ones); duplicates merged, candidates with no
    trial dropped.

    Why each test is exact although its threshold comes from the data: given
    the ``(k + 1)``-th largest score ``s``, the ``k`` samples above it are
    i.i.d. draws from the population above ``s``, so their true positives are
    ``Binomial(k, precision of "score > s")`` and the binomial tail is a valid
    p-value for "that precision is below the limit". A union bound over the
    ranks then bounds the chance that any certified rank misses the limit by
    ``delta``, whatever shape the population curve has. (Holm or a fixed
    sequence would need hypotheses fixed in advance; here each one moves with
    its order statistic.) Testing every distinct score divides ``delta`` by
    ``n`` instead of ``m``; ``benchmarks/bench_guarantee.py`` measured that
    this certifies less.
    """
    trials = np.asarray(trials)
    reverse = len(trials) > 1 and trials[0] > trials[-1]  # NPV: flip to increasing
    increasing = trials[::-1] if reverse else trials
    idx = np.searchsorted(increasing, ranks, side="right") - 1
    idx = np.unique(idx[idx >= 0])
    idx = idx[increasing[idx] > 0]
    return len(trials) - 1 - idx[::-1] if reverse else idx


def _trivial(limit, side):
    """A limit that no population value can violate (recall >= 0, fpr <= 1)."""
    return limit <= 0.0 if side == "lower" else limit >= 1.0


def certify_counts(tp, fp, fn, tn, metric, limit, confidence):
    """Certify a constraint at each candidate threshold from integer counts.

    Parameters
    ----------
    tp, fp, fn, tn : ndarray of int of shape (n_thresholds,)
        Integer counts at each candidate threshold, thresholds decreasing.
    metric : str
        A key of :data:`BINOMIAL_METRICS`.
    limit : float
        The constraint's limit, in [0, 1].
    confidence : float
        ``1 - delta``, strictly between 0 and 1.

    Returns
    -------
    Certification
    """
    if metric not in BINOMIAL_METRICS:
        raise ValueError(
            "`confidence` certifies constraints on a binomial proportion, one of "
            f"{sorted(BINOMIAL_METRICS)}; no exact guarantee exists for "
            f"{metric!r}. Got constraint metric {metric!r}."
        )
    spec = BINOMIAL_METRICS[metric]
    side = COUNT_METRICS[metric].bound
    x = np.asarray(spec.successes(tp, fp, fn, tn), dtype=np.int64)
    n = np.asarray(spec.trials(tp, fp, fn, tn), dtype=np.int64)
    delta = 1.0 - confidence
    critical = tested = None
    if _trivial(limit, side):
        certified = np.ones(len(x), dtype=bool)
        method, n_tests = "binomial", 1
    elif spec.monotone:
        method, n_tests = "binomial", 1
        # the trials are the same at every threshold (one class, or everyone)
        trials = int(n[0]) if len(n) else 0
        critical = _critical_count(trials, limit, delta, side)
        certified = x >= critical if side == "lower" else x <= critical
    else:
        method = "bonferroni"
        ranks = test_ranks(int((tp + fp + fn + tn)[0]), limit, delta)
        tested = _rank_candidates(n, ranks)
        # the union bound runs over the ranks fixed in advance, even when tied
        # scores map two ranks to one candidate
        n_tests = max(1, len(ranks))
        certified = np.zeros(len(x), dtype=bool)
        certified[tested] = _tail(x[tested], n[tested], limit, side) <= (
            delta / n_tests
        )
    cert = Certification(
        certified=certified,
        successes=x,
        trials=n,
        side=side,
        satisfied=bool(certified.any()),
        confidence=float(confidence),
        method=method,
        n_tests=n_tests,
        critical=critical,
        tested=tested,
        reason=None,
    )
    if cert.satisfied:
        return cert
    return replace(cert, reason=_shortfall(metric, limit, cert, tested))


def certify(curve, metric, limit, confidence):
    """Certify a constraint at every threshold of a :class:`ConfusionCurve`.

    Integer sample weights count as repeated rows; fractional weights raise a
    ``ValueError``. See :func:`certify_counts`.
    """
    tp, fp, fn, tn = integer_counts(curve)
    return certify_counts(tp, fp, fn, tn, metric, limit, confidence)


def certify_folds(constraint, curves, candidates, confidence):
    """Certify a constraint on the counts of several folds, pooled.

    Parameters
    ----------
    constraint : Constraint
        The resolved constraint (``.name``, ``.limit``).
    curves : list of ConfusionCurve
        One per validation fold.
    candidates : ndarray
        Candidate thresholds, decreasing (a curve's own thresholds, the union
        of the folds' breakpoints, or a grid).
    confidence : float

    Returns
    -------
    Certification
        At ``candidates``: the out-of-fold counts of all folds summed at each
        candidate. The guarantee then holds for the fold models (exactly for a
        single fold); a model refitted on all the data is another model.
    """
    if len(curves) == 1 and candidates is curves[0].thresholds:
        return certify(curves[0], constraint.name, constraint.limit, confidence)
    ascending = [curve.thresholds[:0:-1] for curve in curves]
    pooled = np.zeros((4, len(candidates)), dtype=np.int64)
    for curve, asc in zip(curves, ascending):
        # the curve's operating point for each candidate: scores >= candidate
        idx = len(asc) - np.searchsorted(asc, candidates, side="left")
        pooled += np.asarray(integer_counts(curve))[:, idx]
    return certify_counts(*pooled, constraint.name, constraint.limit, confidence)


def _shortfall(metric, limit, cert, tested):
    """Why nothing is certified, in the user's terms."""
    side, confidence, x, n = cert.side, cert.confidence, cert.successes, cert.trials
    relation = ">=" if side == "lower" else "<="
    spec = BINOMIAL_METRICS[metric]
    head = (
        f"{metric} {relation} {limit:g} cannot be certified at confidence "
        f"{confidence:g}"
    )
    needed = required_trials(metric, limit, confidence, n_tests=cert.n_tests)
    if needed is None:
        return f"{head}: no sample size can show a {metric} of exactly {limit:g}."
    # the most favourable threshold: extreme successes (monotone), or the best
    # bound over the tested ranks
    if tested is None:
        candidates = np.array([np.argmax(x) if side == "lower" else np.argmin(x)])
    else:
        candidates = tested if len(tested) else np.array([0])
    bounds = cert.bound(candidates)
    pick = int(np.argmax(bounds) if side == "lower" else np.argmin(bounds))
    best = int(candidates[pick])
    best_text = (
        f"the best Clopper-Pearson {side} bound is {float(bounds[pick]):.4g} "
        f"({int(x[best])} of {int(n[best])})"
    )
    if spec.monotone:
        have = int(n.max()) if len(n) else 0
        if have < needed:
            return (
                f"{head}: the validation data hold {have} {spec.population} "
                f"sample(s), and at least {needed} are needed even if every one of "
                f"them went the right way (more if some do not); {best_text}."
            )
        return (
            f"{head}: with {have} {spec.population} samples {best_text}; more "
            f"{spec.population} validation samples or a better model are needed."
        )
    correction = f" (Bonferroni over {cert.n_tests} ranks)" if cert.n_tests > 1 else ""
    kind = "true positives above" if metric == "precision" else "true negatives below"
    return (
        f"{head}{correction}: that needs at least {needed} {kind} the threshold "
        f"with no error among them (more if some are errors); {best_text}."
    )
