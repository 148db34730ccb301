"""Uncertainty: certified thresholds, their coverage, exactness and error paths."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skeval import ThresholdTunedClassifier, make_operating_point_scorer
from skeval._core._curve import _sweep
from skeval._core._formulas import COUNT_METRICS
from skeval._core._uncertainty import (
    BINOMIAL_METRICS,
    N_RANKS,
    certify,
    certify_counts,
    check_confidence,
    clopper_pearson,
    integer_counts,
    required_trials,
)
from skeval.exceptions import InfeasibleConstraintWarning
from skeval.metrics import confusion_curve, operating_point

MONOTONE = ["recall", "fnr", "specificity", "fpr", "alert_rate"]
AT_MOST = ("fnr", "fpr", "alert_rate")
LIMITS = {
    "recall": 0.9,
    "fnr": 0.1,
    "specificity": 0.9,
    "fpr": 0.1,
    "alert_rate": 0.3,
    "precision": 0.7,
    "npv": 0.88,
}

# --------------------------------------------------------------------------
# Coverage by simulation: negatives ~ N(0, 1), positives ~ N(MU, 1), a share
# PI of positives. Every metric is then known in closed form at any threshold.
MU, PI, N_VAL, N_DRAWS, DELTA = 2.0, 0.3, 400, 500, 0.1


def _population(metric, t):
    """The population value of ``metric`` when flagging ``score >= t``."""
    tpr = stats.norm.sf(t - MU)
    fpr = stats.norm.sf(t)
    alerts = PI * tpr + (1 - PI) * fpr
    with np.errstate(invalid="ignore", divide="ignore"):
        values = {
            "recall": tpr,
            "fnr": 1 - tpr,
            "specificity": 1 - fpr,
            "fpr": fpr,
            "alert_rate": alerts,
            "precision": PI * tpr / alerts,
            "npv": (1 - PI) * (1 - fpr) / (1 - alerts),
        }
    return values[metric]


def _violated(metric, thresholds, chosen):
    """Whether the population misses the limit anywhere in a chosen interval.

    Candidate ``k`` stands for every threshold in ``(thresholds[k + 1],
    thresholds[k]]``; each metric here is monotone in the threshold in this
    model, so its worst value over an interval is at one of the two ends.
    """
    high = thresholds[chosen]
    low = np.append(thresholds[1:], -np.inf)[chosen]
    ends = np.concatenate((_population(metric, high), _population(metric, low)))
    ends = ends[np.isfinite(ends)]
    limit = LIMITS[metric]
    if metric in AT_MOST:
        return bool((ends > limit).any())
    return bool((ends < limit).any())


def _simulate(metrics):
    """Violation and success frequencies, with and without confidence."""
    rng = np.random.default_rng(12)
    out = {m: np.zeros((N_DRAWS, 3), dtype=bool) for m in metrics}
    for d in range(N_DRAWS):
        y = rng.random(N_VAL) < PI
        scores = rng.normal(size=N_VAL) + MU * y
        curve = _sweep(y, scores)
        for metric in metrics:
            cert = certify(curve, metric, LIMITS[metric], 1 - DELTA)
            chosen = np.flatnonzero(cert.certified)
            out[metric][d, 0] = cert.satisfied
            if cert.satisfied:
                out[metric][d, 1] = _violated(metric, curve.thresholds, chosen)
            # without confidence: every threshold whose validation value passes
            point = COUNT_METRICS[metric](*curve.counts)
            if metric in AT_MOST:
                passes = point <= LIMITS[metric]
            else:
                passes = point >= LIMITS[metric]
            if passes.any():
                out[metric][d, 2] = _violated(
                    metric, curve.thresholds, np.flatnonzero(passes)
                )
    return out


@pytest.fixture(scope="module")
def simulation():
    return _simulate(list(LIMITS))


@pytest.mark.parametrize("metric", list(LIMITS))
def test_coverage_by_simulation(simulation, metric):
    """Over 500 validation draws the population misses the limit at some
    certified threshold in at most delta + 3 SE of them; the point estimate
    alone misses far more often."""
    certified, violated, naive = simulation[metric].T
    se = np.sqrt(DELTA * (1 - DELTA) / N_DRAWS)
    assert violated.mean() <= DELTA + 3 * se
    # the guarantee is not bought by certifying nothing
    assert certified.mean() >= 0.9
    assert naive.mean() >= 0.4


@st.composite
def small_curves(draw):
    """Small validation sets with tied scores and optional integer weights."""
    n = draw(st.integers(1, 130))
    y = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    scores = np.array(draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)))
    weights = None
    if draw(st.booleans()):
        weights = np.array(
            draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=float
        )
    metric = draw(st.sampled_from(sorted(LIMITS)))
    limit = draw(st.sampled_from([0.0, 0.2, 0.5, 0.8, 0.9, 1.0]))
    confidence = draw(st.sampled_from([0.5, 0.8, 0.9]))
    return y, scores / 4.0, weights, metric, limit, confidence


def _brute_force(curve, metric, limit, confidence):
    """Test candidates one by one with scipy's binomial distribution: every
    distinct score for a monotone metric, the candidates at N_RANKS
    geometrically spaced counts of trials for precision and npv."""
    tp, fp, fn, tn = (np.rint(c).astype(int) for c in curve.counts)
    spec = BINOMIAL_METRICS[metric]
    x, n = spec.successes(tp, fp, fn, tn), spec.trials(tp, fp, fn, tn)
    side = COUNT_METRICS[metric].bound
    if (side == "lower" and limit <= 0) or (side == "upper" and limit >= 1):
        return np.ones(len(x), dtype=bool)
    tested = set(range(len(x)))
    level = 1 - confidence
    if not spec.monotone:
        total = int(tp[0] + fp[0] + fn[0] + tn[0])
        m = max(1, min(N_RANKS, total))  # no samples (all weights 0): one rank
        k_min = 1
        while limit < 1 and limit**k_min > level / m:
            k_min += 1
        if limit >= 1 or k_min >= total:
            ranks = {total}
        else:
            ratio = (total / k_min) ** (1 / (m - 1))
            ranks = {round(k_min * ratio**j) for j in range(m)}
        tested = set()
        for rank in ranks:
            fits = [k for k in range(len(x)) if 0 < n[k] <= rank]
            if fits:
                # the candidate with the most trials not above the rank; among
                # equal counts the one last in the scan direction of the trials
                most = max(n[k] for k in fits)
                same = [k for k in fits if n[k] == most]
                tested.add(max(same) if n[0] <= n[-1] else min(same))
        level /= len(ranks)
    certified = np.zeros(len(x), dtype=bool)
    for k in tested:
        if side == "lower":
            pvalue = stats.binom.sf(x[k] - 1, n[k], limit)
        else:
            pvalue = stats.binom.cdf(x[k], n[k], limit)
        certified[k] = n[k] > 0 and pvalue <= level
    return certified


@settings(max_examples=120, derandomize=True, deadline=None)
@given(case=small_curves())
def test_certified_set_equals_brute_force(case):
    """The certified thresholds are exactly those whose own exact binomial test
    passes (at level delta, or delta / m at m ranks for precision and npv)."""
    y, scores, weights, metric, limit, confidence = case
    curve = _sweep(y, scores, weights)
    cert = certify(curve, metric, limit, confidence)
    assert_array_equal(cert.certified, _brute_force(curve, metric, limit, confidence))
    assert cert.satisfied == bool(cert.certified.any())
    assert (cert.reason is None) == cert.satisfied


@pytest.mark.parametrize("metric", MONOTONE)
def test_monotone_certified_set_is_an_interval_from_the_safe_end(metric):
    """Monotone metrics certify one run of thresholds that reaches the safe
    end: everything flagged for recall/fnr, nothing flagged for the others."""
    rng = np.random.default_rng(3)
    y = rng.random(3000) < 0.4
    curve = confusion_curve(y, rng.normal(size=3000) + 1.5 * y)
    certified = certify(curve, metric, LIMITS[metric], 0.95).certified
    run = np.flatnonzero(certified)
    assert len(run) and len(run) == run[-1] - run[0] + 1
    safe_end = len(certified) - 1 if metric in ("recall", "fnr") else 0
    assert safe_end in run


def test_recall_certified_threshold_is_the_order_statistic():
    """Recall >= r at 1 - delta keeps exactly the thresholds at or below the
    k-th largest positive score, k the smallest with P(Bin(P, r) >= k) <= delta."""
    rng = np.random.default_rng(0)
    y = rng.random(500) < 0.5
    scores = rng.normal(size=500) + y
    curve = confusion_curve(y, scores)
    cert = certify(curve, "recall", 0.9, 0.95)
    n_pos = int(y.sum())
    k = next(k for k in range(n_pos + 1) if stats.binom.sf(k - 1, n_pos, 0.9) <= 0.05)
    kth = np.sort(scores[y])[::-1][k - 1]
    assert curve.thresholds[np.flatnonzero(cert.certified)[0]] == kth


@pytest.mark.parametrize("metric", sorted(LIMITS))
def test_integer_weights_equal_repeated_rows(metric):
    """A weight of k certifies exactly as k copies of the row."""
    rng = np.random.default_rng(5)
    y = rng.random(300) < 0.35
    scores = np.round(rng.normal(size=300) + 2 * y, 1)
    weights = rng.integers(1, 5, size=300).astype(float)
    weighted = certify(
        confusion_curve(y, scores, sample_weight=weights), metric, LIMITS[metric], 0.9
    )
    repeats = weights.astype(int)
    repeated = certify(
        confusion_curve(np.repeat(y, repeats), np.repeat(scores, repeats)),
        metric,
        LIMITS[metric],
        0.9,
    )
    assert_array_equal(weighted.certified, repeated.certified)
    assert_allclose(weighted.bound(), repeated.bound())
    assert weighted.n_tests == repeated.n_tests


def test_zero_weights_add_no_hypothesis():
    """Rows of weight 0 are absent rows: they do not widen the correction."""
    y = np.array([1, 1, 0, 1, 0, 0, 1, 0] * 30)
    scores = np.arange(len(y), dtype=float)
    weights = np.tile([1.0, 0.0], len(y) // 2)
    with_zeros = certify(
        confusion_curve(y, scores, sample_weight=weights), "precision", 0.3, 0.9
    )
    kept = weights > 0
    without = certify(confusion_curve(y[kept], scores[kept]), "precision", 0.3, 0.9)
    assert with_zeros.n_tests == without.n_tests


def test_clopper_pearson_matches_the_binomial_tails():
    """The bound is where the exact binomial tail equals delta."""
    x = np.array([0, 1, 7, 20, 0])
    n = np.array([20, 20, 20, 20, 0])
    lower = clopper_pearson(x, n, 0.9, "lower")
    upper = clopper_pearson(x, n, 0.9, "upper")
    assert lower[0] == 0 and upper[3] == 1 and lower[4] == 0 and upper[4] == 1
    assert_allclose(stats.binom.sf(x[1:4] - 1, n[1:4], lower[1:4]), 0.1)
    assert_allclose(stats.binom.cdf(x[:3], n[:3], upper[:3]), 0.1)


@pytest.mark.parametrize(
    "metric, limit, needed",
    [("recall", 0.95, 59), ("fpr", 0.01, 299), ("alert_rate", 0.02, 149)],
)
def test_required_trials(metric, limit, needed):
    """The fewest samples that can certify at all: r**n <= delta (or (1-r)**n)."""
    assert required_trials(metric, limit, 0.95) == needed
    assert required_trials("recall", 1.0, 0.95) is None


def test_too_few_positives_says_how_many_are_needed():
    """Recall 0.95 at delta 0.05 with 40 positives: the reason names 59."""
    y = np.r_[np.ones(40, dtype=bool), np.zeros(60, dtype=bool)]
    curve = confusion_curve(y, np.r_[np.full(40, 2.0), np.zeros(60)])
    cert = certify(curve, "recall", 0.95, 0.95)
    assert not cert.satisfied and not cert.certified.any()
    assert "40 positive sample(s), and at least 59 are needed" in cert.reason


def test_precision_reason_names_the_correction():
    rng = np.random.default_rng(0)
    y = rng.random(400) < 0.5
    curve = confusion_curve(y, rng.normal(size=400) + 0.5 * y)
    cert = certify(curve, "precision", 0.9, 0.95)
    assert not cert.satisfied
    assert (
        f"Bonferroni over {cert.n_tests} ranks" in cert.reason
        and cert.n_tests > 50
        and "true positives above" in cert.reason
    )


def test_trivial_limits_certify_everything():
    """recall >= 0 or fpr <= 1 cannot fail: every threshold is certified."""
    curve = confusion_curve([0, 1, 1], [0.2, 0.5, 0.9])
    assert certify(curve, "recall", 0.0, 0.95).certified.all()
    assert certify(curve, "fpr", 1.0, 0.95).certified.all()


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, True, "0.95", float("nan")])
def test_check_confidence_rejects(confidence):
    with pytest.raises(ValueError, match="`confidence` must be None or a float"):
        check_confidence(confidence)


def test_check_confidence_accepts():
    assert check_confidence(None) is None
    assert check_confidence(0.9) == 0.9


def test_fractional_weights_raise():
    curve = confusion_curve([0, 1, 1], [0.2, 0.5, 0.9], sample_weight=[1, 0.5, 2])
    with pytest.raises(ValueError, match="must hold whole numbers .* Got 1 fractional"):
        integer_counts(curve)


def test_non_binomial_metric_is_refused():
    z = np.zeros(3, dtype=int)
    with pytest.raises(ValueError, match="no exact guarantee exists for 'f1'"):
        certify_counts(z, z, z, z, "f1", 0.5, 0.9)


# --------------------------------------------------------------------------
# Through the public API: operating_point, the scorer and the tuner.


def _screening_data(n=1500, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.3
    return y.astype(int), rng.normal(size=n) + 2 * y


@pytest.mark.parametrize(
    "objective, constraint",
    [
        ("precision", ("recall", 0.9)),
        ("recall", ("precision", 0.85)),
        ("recall", ("fpr", 0.1)),
        ("f1", ("alert_rate", 0.2)),
        ("recall", ("npv", 0.95)),
    ],
)
def test_operating_point_maximises_over_the_certified_thresholds(objective, constraint):
    """With confidence, the objective is maximised over exactly the certified
    thresholds; the bound reported is the Clopper-Pearson bound there."""
    y, scores = _screening_data()
    point = operating_point(
        y, scores, objective=objective, constraint=constraint, confidence=0.9
    )
    curve = confusion_curve(y, scores)
    cert = certify(curve, *constraint, 0.9)
    values = COUNT_METRICS[objective](*curve.counts)
    best = values[cert.certified].max()
    chosen = int(np.count_nonzero(curve.thresholds >= point.threshold)) - 1
    assert cert.certified[chosen]
    assert_allclose(point.score, best)
    assert_allclose(point.constraint_bound, cert.bound(chosen))
    assert_allclose(
        point.constraint_value,
        COUNT_METRICS[constraint[0]](*(c[chosen] for c in curve.counts)),
    )
    # without confidence the constraint is met on the validation data only
    plain = operating_point(y, scores, objective=objective, constraint=constraint)
    assert plain.constraint_bound is None and plain.score >= point.score


def test_operating_point_integer_weights_equal_repeated_rows():
    """Through operating_point too, a weight of k is k repeated rows."""
    y, scores = _screening_data(400)
    weights = np.random.default_rng(1).integers(1, 4, size=400)
    kwargs = dict(objective="precision", constraint=("recall", 0.85), confidence=0.9)
    weighted = operating_point(y, scores, sample_weight=weights, **kwargs)
    repeated = operating_point(
        np.repeat(y, weights), np.repeat(scores, weights), **kwargs
    )
    assert weighted == repeated


def test_prefit_tuner_equals_operating_point_and_stores_the_bound():
    """cv='prefit' with confidence tunes exactly as operating_point on the same
    validation scores, and stores constraint_bound_."""
    X, y = make_classification(n_samples=3000, weights=[0.7], random_state=0)
    model = LogisticRegression().fit(X[:1500], y[:1500])
    tuner = ThresholdTunedClassifier(
        model,
        objective="precision",
        constraint=("recall", 0.9),
        confidence=0.95,
        cv="prefit",
    ).fit(X[1500:], y[1500:])
    point = operating_point(
        y[1500:],
        model.predict_proba(X[1500:])[:, 1],
        objective="precision",
        constraint=("recall", 0.9),
        confidence=0.95,
    )
    assert tuner.best_threshold_ == point.threshold
    assert tuner.constraint_bound_ == point.constraint_bound
    assert tuner.constraint_value_ == point.constraint_value
    assert tuner.constraint_bound_ >= 0.9 and tuner.constraint_satisfied_
    assert tuner.result_.constraint_bound == tuner.constraint_bound_


def test_cross_validated_tuner_certifies_on_pooled_counts():
    """With several folds the bound is computed on the pooled out-of-fold
    counts at the chosen threshold."""
    X, y = make_classification(n_samples=2000, weights=[0.7], random_state=1)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(),
        objective="precision",
        constraint=("recall", 0.9),
        confidence=0.9,
        cv=4,
    ).fit(X, y)
    assert tuner.constraint_satisfied_ and tuner.constraint_bound_ >= 0.9
    plain = ThresholdTunedClassifier(
        LogisticRegression(), objective="precision", constraint=("recall", 0.9), cv=4
    ).fit(X, y)
    assert not hasattr(plain, "constraint_bound_")
    # the certified threshold is more conservative than the point estimate's
    assert tuner.best_threshold_ <= plain.best_threshold_


def test_too_few_positives_warn_with_the_number_needed():
    """Recall 0.95 at confidence 0.95 with 30 positives: the warning says 59."""
    y, scores = _screening_data(100)
    for fit in (
        lambda: operating_point(
            y,
            scores,
            objective="precision",
            constraint=("recall", 0.95),
            confidence=0.95,
        ),
        lambda: ThresholdTunedClassifier(
            _Fixed(),
            objective="precision",
            constraint=("recall", 0.95),
            confidence=0.95,
            cv="prefit",
        ).fit(scores[:, None], y),
    ):
        with pytest.warns(InfeasibleConstraintWarning, match="at least 59 are needed"):
            result = fit()
    assert result.constraint_satisfied_ is False


class _Fixed(ClassifierMixin, BaseEstimator):
    """A prefit classifier whose score is its only feature."""

    def fit(self, X, y):
        return self

    def __sklearn_is_fitted__(self):
        return True

    @property
    def classes_(self):
        return np.array([0, 1])

    def decision_function(self, X):
        return np.asarray(X)[:, 0]


def test_scorer_passes_confidence():
    """make_operating_point_scorer(confidence=...) scores the certified optimum."""
    X, y = make_classification(n_samples=1000, weights=[0.7], random_state=0)
    model = LogisticRegression().fit(X, y)
    scorer = make_operating_point_scorer(
        "precision", constraint=("recall", 0.9), confidence=0.9
    )
    expected = operating_point(
        y,
        model.predict_proba(X)[:, 1],
        objective="precision",
        constraint=("recall", 0.9),
        confidence=0.9,
    ).score
    assert scorer(model, X, y) == expected


ERRORS = [
    (dict(confidence=0.9), ValueError, "`confidence` qualifies a constraint"),
    (
        dict(constraint=("recall", 0.9), confidence=1.5),
        ValueError,
        "`confidence` must be None or a float strictly between 0 and 1",
    ),
    (
        dict(constraint=("recall", 0.9), confidence=0.9, sample_weight=[0.5] * 40),
        ValueError,
        "must hold whole numbers",
    ),
]


@pytest.mark.parametrize("params, error, message", ERRORS)
def test_operating_point_errors(params, error, message):
    y, scores = _screening_data(40)
    with pytest.raises(error, match=message):
        operating_point(y, scores, objective="precision", **params)


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(confidence=0.9), "`confidence` qualifies a constraint"),
        (dict(constraint=("recall", 0.9), confidence=0.0), "strictly between 0 and 1"),
    ],
)
def test_scorer_errors(params, message):
    with pytest.raises(ValueError, match=message):
        make_operating_point_scorer("f1", **params)


def test_tuner_errors():
    """No constraint, fractional weights, multiclass: each refused with a reason."""
    X, y = make_classification(n_samples=200, random_state=0)
    with pytest.raises(ValueError, match="`confidence` qualifies a constraint"):
        ThresholdTunedClassifier(LogisticRegression(), confidence=0.9).fit(X, y)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(),
        objective="f1",
        constraint=("recall", 0.5),
        confidence=0.9,
    )
    with pytest.raises(ValueError, match="must hold whole numbers"):
        tuner.fit(X, y, sample_weight=np.full(200, 0.5))
    X3, y3 = make_classification(
        n_samples=300, n_classes=3, n_informative=4, random_state=0
    )
    with pytest.raises(ValueError, match="confidence=0.9 applies to binary targets"):
        ThresholdTunedClassifier(LogisticRegression(), confidence=0.9).fit(X3, y3)
    with pytest.raises(ValueError, match="confidence"):
        ThresholdTunedClassifier(
            LogisticRegression(), constraint=("recall", 0.5), confidence=1.0
        ).fit(X, y)
