"""Expected calibration error against a bin-by-bin computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.calibration import calibration_curve
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.naive_bayes import GaussianNB

from skeval import get_scorer
from skeval.metrics import expected_calibration_error


def _slow_ece(y, prob, inner_edges, w=None):
    """Loop over the bins: share of weight times |positive rate - mean prob|."""
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    bins = np.searchsorted(inner_edges, prob, side="left")
    ece = 0.0
    for b in np.unique(bins):
        m = bins == b
        if w[m].sum() == 0:
            continue
        rate = np.average(y[m], weights=w[m])
        mean_prob = np.average(prob[m], weights=w[m])
        ece += w[m].sum() / w.sum() * abs(rate - mean_prob)
    return ece


@st.composite
def probabilities(draw):
    n = draw(st.integers(1, 60))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    # a coarse grid of probabilities: values on the bin edges are frequent
    prob = np.array(draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))) / 20
    w = None
    if draw(st.booleans()):
        w = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), float)
        w[0] = max(w[0], 1.0)
    return y, prob, w


@settings(max_examples=100, derandomize=True, deadline=None)
@given(data=probabilities(), n_bins=st.integers(1, 12))
def test_uniform_bins_equal_bin_by_bin_computation(data, n_bins):
    """Uniform strategy: equal-width bins, an inner edge belongs to the lower bin."""
    y, prob, w = data
    inner = np.linspace(0, 1, n_bins + 1)[1:-1]
    got = expected_calibration_error(y, prob, n_bins=n_bins, sample_weight=w)
    assert isinstance(got, float)
    assert_allclose(got, _slow_ece(y, prob, inner, w), atol=1e-12)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(data=probabilities(), n_bins=st.integers(1, 8))
def test_integer_weights_equal_repeated_rows(data, n_bins):
    """Both strategies: weight k gives the ECE of the row repeated k times."""
    y, prob, w = data
    w = np.ones(len(y), dtype=int) if w is None else w.astype(int)
    for strategy in ("uniform", "quantile"):
        kw = dict(n_bins=n_bins, strategy=strategy)
        weighted = expected_calibration_error(y, prob, sample_weight=w, **kw)
        repeated = expected_calibration_error(np.repeat(y, w), np.repeat(prob, w), **kw)
        assert_allclose(weighted, repeated, atol=1e-12)


def test_uniform_bins_agree_with_sklearn_calibration_curve():
    """The per-bin means are calibration_curve's; ECE weighs their gaps by size."""
    rng = np.random.default_rng(0)
    prob = rng.uniform(size=2000)
    y = (rng.uniform(size=2000) < prob**1.5).astype(int)
    prob_true, prob_pred = calibration_curve(y, prob, n_bins=10)
    counts = np.bincount(
        np.searchsorted(np.linspace(0, 1, 11)[1:-1], prob), minlength=10
    )
    counts = counts[counts > 0]
    expected = np.sum(counts / counts.sum() * np.abs(prob_true - prob_pred))
    assert_allclose(expected_calibration_error(y, prob), expected)


def test_quantile_bins_hold_equal_weight():
    """Quantile strategy: edges at the inverted-CDF quantiles of y_prob."""
    rng = np.random.default_rng(1)
    prob = rng.beta(0.5, 3, size=1000)
    y = (rng.uniform(size=1000) < prob).astype(int)
    edges = np.quantile(prob, np.arange(1, 5) / 5, method="inverted_cdf")
    got = expected_calibration_error(y, prob, n_bins=5, strategy="quantile")
    assert_allclose(got, _slow_ece(y, prob, edges))


def test_perfect_and_worst_calibration():
    """Exact 0/1 probabilities that are right give 0; that are wrong give 1."""
    y = np.array([0, 1, 1, 0])
    assert expected_calibration_error(y, y.astype(float)) == 0.0
    assert expected_calibration_error(y, 1.0 - y) == 1.0


def test_pos_label_and_string_labels():
    """y_prob is the probability of pos_label."""
    y = np.array(["neg", "pos", "pos", "neg"])
    prob = np.array([0.1, 0.8, 0.7, 0.4])
    a = expected_calibration_error(y, prob, pos_label="pos")
    b = expected_calibration_error(y, 1 - prob, pos_label="neg")
    assert_allclose(a, b)
    assert_allclose(a, expected_calibration_error((y == "pos").astype(int), prob))


def test_scorer_is_negated_and_reads_predict_proba():
    """neg_expected_calibration_error: greater is better, positive-class column."""
    X, y = make_classification(n_samples=500, random_state=0)
    scorer = get_scorer("neg_expected_calibration_error")
    for est in (LogisticRegression().fit(X, y), GaussianNB().fit(X, y)):
        expected = expected_calibration_error(y, est.predict_proba(X)[:, 1])
        assert_allclose(scorer(est, X, y), -expected)
    # string labels name their positive class (issue 11): a calibration error
    # of the wrong class's probabilities is a plausible wrong number
    labels = np.where(y == 1, "yes", "no")
    est = LogisticRegression().fit(X, labels)
    with pytest.raises(ValueError, match="`pos_label` must be given"):
        scorer(est, X, labels)
    named = make_scorer(
        expected_calibration_error,
        greater_is_better=False,
        response_method="predict_proba",
        pos_label="yes",
    )
    expected = expected_calibration_error(
        labels, est.predict_proba(X)[:, 1], pos_label="yes"
    )
    assert_allclose(named(est, X, labels), -expected)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"y_prob": [0.1, 1.2, 0.3]}, ValueError, r"probabilities in \[0, 1\]"),
        ({"y_prob": [-0.1, 0.2, 0.3]}, ValueError, r"probabilities in \[0, 1\]"),
        ({"y_prob": [0.1, np.nan, 0.3]}, ValueError, "must be finite"),
        ({"y_prob": [0.1, 0.2]}, ValueError, "one entry per sample"),
        ({"y_true": [0, 1, 2]}, ValueError, "must be binary"),
        ({"n_bins": 0}, ValueError, "n_bins"),
        ({"strategy": "kmeans"}, ValueError, "strategy"),
        ({"sample_weight": [1, -1, 1]}, ValueError, "non-negative"),
        ({"pos_label": 5}, ValueError, "`pos_label` must be one of"),
    ],
)
def test_bad_input_raises(params, error, match):
    """Each rule has its message."""
    kw = dict(y_true=[0, 1, 1], y_prob=[0.1, 0.8, 0.6])
    kw.update(params)
    with pytest.raises(error, match=match):
        expected_calibration_error(**kw)


def test_huge_n_bins_is_bounded_by_the_sample_count():
    """Issue 11: n_bins=10**9 allocated gigabytes; now memory follows n_samples.

    With more bins than samples each sample sits alone in its bin (uniform) or
    its own quantile step: the ECE is then the mean absolute gap.
    """
    rng = np.random.default_rng(0)
    prob = rng.uniform(size=500)
    y = (rng.uniform(size=500) < prob).astype(int)
    for strategy in ("uniform", "quantile"):
        got = expected_calibration_error(y, prob, n_bins=10**9, strategy=strategy)
        assert_allclose(got, np.mean(np.abs(y - prob)))


@settings(max_examples=80, derandomize=True, deadline=None)
@given(
    data=probabilities(),
    n_bins=st.sampled_from([2, 3, 7, 10, 13, 100, 997, 10**5]),
)
def test_bins_without_building_edges_equal_the_edges(data, n_bins):
    """The O(n) bin assignment equals searchsorted over all n_bins edges."""
    y, prob, w = data
    inner = np.linspace(0, 1, n_bins + 1)[1:-1]
    got = expected_calibration_error(y, prob, n_bins=n_bins, sample_weight=w)
    assert_allclose(got, _slow_ece(y, prob, inner, w), atol=1e-12)
    order = np.argsort(prob, kind="stable")
    cum = np.cumsum(np.ones(len(y)) if w is None else w[order])
    idx = np.searchsorted(cum, np.arange(1, n_bins) / n_bins * cum[-1], side="left")
    edges = np.unique(prob[order][np.minimum(idx, len(y) - 1)])
    got = expected_calibration_error(
        y, prob, n_bins=n_bins, strategy="quantile", sample_weight=w
    )
    assert_allclose(got, _slow_ece(y, prob, edges, w), atol=1e-12)
