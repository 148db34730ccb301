"""Cluster-versus-class metrics: hand computations, brute force, invariances,
weights as repeated rows, scikit-learn's formulas, the report, the scorers."""

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure
from sklearn.metrics.cluster import contingency_matrix
from sklearn.model_selection import GridSearchCV

from skeval import get_scorer, get_scorer_names
from skeval.metrics import (
    _cluster,
    cluster_class_report,
    cluster_entropy,
    inverse_purity_score,
    matched_accuracy_score,
    purity_score,
)

METRICS = [purity_score, inverse_purity_score, matched_accuracy_score, cluster_entropy]

# 6 a, 4 b, 2 c in three clusters; cluster 1 holds one a and four b
Y_TRUE = ["a"] * 6 + ["b"] * 4 + ["c"] * 2
Y_PRED = [0] * 5 + [1] * 5 + [2] * 2


def _h2(*shares):
    return -sum(p * np.log2(p) for p in shares if p > 0)


def test_hand_computation_on_a_small_table():
    """Purity, inverse purity, matching and entropy of a 3 x 3 table by hand."""
    assert_allclose(purity_score(Y_TRUE, Y_PRED), (5 + 4 + 2) / 12)
    assert_allclose(inverse_purity_score(Y_TRUE, Y_PRED), (5 + 4 + 2) / 12)
    score, mapping = matched_accuracy_score(Y_TRUE, Y_PRED, return_mapping=True)
    assert_allclose(score, 11 / 12)
    assert mapping == {0: "a", 1: "b", 2: "c"}
    h1 = _h2(0.2, 0.8)  # bits
    assert_allclose(cluster_entropy(Y_TRUE, Y_PRED, normalize=False), 5 / 12 * h1)
    assert_allclose(
        cluster_entropy(Y_TRUE, Y_PRED, normalize=False, base=np.e),
        5 / 12 * h1 * np.log(2),
    )
    assert_allclose(cluster_entropy(Y_TRUE, Y_PRED), 5 / 12 * h1 / np.log2(3))


def test_hand_computation_non_square():
    """More clusters than classes, and fewer: unmatched ones count as errors."""
    y = [0, 0, 0, 0, 1, 1, 1, 1]
    over = [0, 0, 1, 1, 2, 2, 2, 3]  # 4 clusters, 2 classes
    assert_allclose(purity_score(y, over), 1.0)
    assert_allclose(inverse_purity_score(y, over), (2 + 3) / 8)
    score, mapping = matched_accuracy_score(y, over, return_mapping=True)
    assert_allclose(score, (2 + 3) / 8)
    assert mapping[2] == 1 and len(mapping) == 2  # cluster 0 or 1 takes class 0
    assert mapping.get(0, mapping.get(1)) == 0
    under = [0, 0, 0, 0, 0, 0, 0, 0]  # 1 cluster, 2 classes
    assert matched_accuracy_score(y, under, return_mapping=True)[0] == 0.5
    assert purity_score(y, under) == 0.5 and inverse_purity_score(y, under) == 1.0
    assert cluster_entropy(y, under) == 1.0


def test_two_clusters_for_three_classes_with_a_small_class():
    """The issue's case: plain accuracy near 0.9, matched accuracy says so too,
    and the small class is left unmatched."""
    y = [0] * 45 + [1] * 45 + [2] * 10
    p = [0] * 45 + [1] * 55
    score, mapping = matched_accuracy_score(y, p, return_mapping=True)
    assert_allclose(score, 0.9)
    assert mapping == {0: 0, 1: 1}


def _brute_matched(y, p, w):
    table = contingency_matrix(y, p).astype(float) if w is None else None
    if w is not None:
        ys, yi = np.unique(y, return_inverse=True)
        ps, pi = np.unique(p, return_inverse=True)
        table = np.zeros((len(ys), len(ps)))
        np.add.at(table, (yi, pi), w)
    size = max(table.shape)
    square = np.zeros((size, size))
    square[: table.shape[0], : table.shape[1]] = table
    best = max(
        square[np.arange(size), list(perm)].sum()
        for perm in itertools.permutations(range(size))
    )
    return best / table.sum()


labelings = st.integers(2, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.one_of(st.none(), st.lists(st.integers(1, 4), min_size=n, max_size=n)),
    )
)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(labelings)
def test_matched_accuracy_equals_brute_force_over_permutations(data):
    """Up to 6 classes and 6 clusters: the best of every permutation."""
    y, p, w = data
    score, mapping = matched_accuracy_score(y, p, sample_weight=w, return_mapping=True)
    assert_allclose(score, _brute_matched(np.array(y), np.array(p), w))
    assert len(set(mapping.values())) == len(mapping)  # one-to-one
    weights = np.ones(len(y)) if w is None else np.asarray(w, float)
    hits = sum(
        weights[(np.array(p) == k) & (np.array(y) == c)].sum()
        for k, c in mapping.items()
    )
    assert_allclose(hits / weights.sum(), score)


@settings(max_examples=20, derandomize=True, deadline=None)
@given(labelings, st.randoms(use_true_random=False))
def test_renaming_cluster_ids_changes_nothing(data, rnd):
    """Any bijection of cluster ids (even to strings) leaves every score alone."""
    y, p, _ = data
    ids = sorted(set(p))
    names = [f"k{i}" for i in ids]
    rnd.shuffle(names)
    renamed = [dict(zip(ids, names))[v] for v in p]
    for metric in METRICS:
        assert_allclose(metric(y, renamed), metric(y, p), atol=1e-12)
    a = cluster_class_report(y, p, output_dict=True)
    b = cluster_class_report(y, renamed, output_dict=True)
    for key in ("purity", "inverse_purity", "entropy", "homogeneity", "adjusted_rand"):
        assert_allclose(a[key], b[key], atol=1e-12)
    assert_allclose(a["chance"]["purity"], b["chance"]["purity"], atol=0.15)


@settings(max_examples=20, derandomize=True, deadline=None)
@given(labelings)
def test_integer_weights_equal_repeated_rows(data):
    """Weight w counts as w copies of the row (0: the row is absent)."""
    y, p, _ = data
    w = np.arange(len(y)) % 4  # zeros included
    if w.sum() < 2:
        return
    y_rep, p_rep = np.repeat(y, w), np.repeat(p, w)
    for metric in METRICS:
        assert_allclose(metric(y, p, sample_weight=w), metric(y_rep, p_rep))
    weighted = cluster_class_report(y, p, sample_weight=w, output_dict=True)
    repeated = cluster_class_report(y_rep, p_rep, output_dict=True)
    assert weighted.keys() == repeated.keys()
    assert weighted["clusters"].keys() == repeated["clusters"].keys()
    assert weighted["mapping"] == repeated["mapping"]
    for key in ("purity", "entropy", "v_measure", "adjusted_rand"):
        assert_allclose(weighted[key], repeated[key])
    # the chance tables depend on the totals only: the same draws
    assert_allclose(
        list(weighted["chance"].values()), list(repeated["chance"].values())
    )


@settings(max_examples=25, derandomize=True, deadline=None)
@given(labelings)
def test_report_matches_scikit_learn(data):
    """Homogeneity, completeness, V-measure, adjusted Rand and H(C|K) equal
    scikit-learn's from the same labels."""
    y, p, _ = data
    report = cluster_class_report(y, p, output_dict=True)
    expected = homogeneity_completeness_v_measure(y, p)
    assert_allclose(
        [report["homogeneity"], report["completeness"], report["v_measure"]],
        expected,
        atol=1e-10,
    )
    assert_allclose(report["adjusted_rand"], adjusted_rand_score(y, p), atol=1e-10)
    # H(C|K) = H(C) (1 - homogeneity), in nats
    _, counts = np.unique(y, return_counts=True)
    share = counts / len(y)
    h_classes = -np.sum(share * np.log(share))
    h_cond = cluster_entropy(y, p, base=np.e, normalize=False)
    assert_allclose(h_cond, h_classes * (1 - expected[0]), atol=1e-10)


def test_perfect_clustering():
    """Same partition under other names: purity 1, entropy 0, matched 1."""
    y = np.array(["x", "y", "z"] * 5)
    p = np.array([7, 3, 5] * 5)
    assert purity_score(y, p) == 1.0 and inverse_purity_score(y, p) == 1.0
    assert matched_accuracy_score(y, p, return_mapping=True) == (
        1.0,
        {3: "y", 5: "z", 7: "x"},
    )
    assert cluster_entropy(y, p) == 0.0
    report = cluster_class_report(y, p, output_dict=True)
    assert report["homogeneity"] == report["completeness"] == 1.0
    assert_allclose(report["adjusted_rand"], 1.0)
    assert all(row["entropy"] == 0.0 for row in report["clusters"].values())


@pytest.mark.parametrize("normalize", [True, False])
def test_one_class_has_zero_entropy(normalize):
    """One class: entropy 0 (no division by log 1), purity 1."""
    y, p = [4] * 6, [0, 0, 1, 1, 2, 2]
    assert cluster_entropy(y, p, normalize=normalize) == 0.0
    assert purity_score(y, p) == 1.0
    assert matched_accuracy_score(y, p) == pytest.approx(1 / 3)
    report = cluster_class_report(y, p, output_dict=True)
    assert report["entropy"] == 0.0 and report["homogeneity"] == 1.0


def test_report_dict_keys_and_python_values():
    """The dict has exactly the fixed keys, with Python floats and labels."""
    report = cluster_class_report(np.array(Y_TRUE), np.array(Y_PRED), output_dict=True)
    assert list(report) == [
        "clusters",
        "purity",
        "inverse_purity",
        "matched_accuracy",
        "mapping",
        "entropy",
        "homogeneity",
        "completeness",
        "v_measure",
        "adjusted_rand",
        "chance",
    ]
    assert set(report["chance"]) == {"matched_accuracy", "purity"}
    row = report["clusters"][1]
    assert set(row) == {"size", "majority_class", "purity", "entropy"}
    assert type(next(iter(report["clusters"]))) is int
    assert type(row["majority_class"]) is str and type(row["size"]) is float
    assert row == {
        "size": 5.0,
        "majority_class": "b",
        "purity": 0.8,
        "entropy": pytest.approx(_h2(0.2, 0.8) / np.log2(3)),
    }
    assert report["mapping"] == {0: "a", 1: "b", 2: "c"}


def test_report_text():
    """The text holds one line per cluster, the measures and the matching."""
    text = cluster_class_report(Y_TRUE, Y_PRED)
    lines = text.splitlines()
    assert lines[0].split() == ["cluster", "size", "majority", "purity", "entropy"]
    assert lines[2].split() == ["1", "5", "b", "0.800", "0.455"]
    assert "matched accuracy  0.917" in text
    assert text.rstrip().endswith("matching (cluster -> class): 0 -> a, 1 -> b, 2 -> c")
    weighted = cluster_class_report(Y_TRUE, Y_PRED, sample_weight=[0.5] * 12)
    assert weighted.splitlines()[2].split()[1] == "2.5"


def _permutation_chance(y, p, n_perm, seed):
    rng = np.random.default_rng(seed)
    draws = [
        (matched_accuracy_score(y, perm), purity_score(y, perm))
        for perm in (rng.permutation(p) for _ in range(n_perm))
    ]
    return np.array(draws)


def test_chance_baseline_equals_permutation_mean():
    """The sampled tables give the mean of random permutations of the cluster
    labels: within 3 standard errors of a brute-force permutation estimate."""
    y = np.repeat([0, 1, 2], [30, 15, 5])
    p = np.repeat([0, 1, 2, 3], [20, 12, 10, 8])
    chance = cluster_class_report(y, p, output_dict=True)["chance"]
    draws = _permutation_chance(y, p, 2000, seed=1)
    sd = draws.std(axis=0)
    # 200 sampled tables (small table) against 2000 permutations
    se = sd * np.sqrt(1 / 200 + 1 / 2000)
    got = np.array([chance["matched_accuracy"], chance["purity"]])
    assert np.all(np.abs(got - draws.mean(axis=0)) <= 3 * se)
    again = cluster_class_report(y, p, output_dict=True)["chance"]
    assert again == chance  # fixed seed


def test_chance_with_fractional_weights_permutes_the_samples():
    """Non-integer weights: labels are permuted among the samples; the result
    is deterministic and below the observed clustering's."""
    y = make_blobs(200, centers=3, random_state=0)[1]
    p = y.copy()
    w = np.random.default_rng(0).uniform(0.5, 1.5, len(y))
    first = cluster_class_report(y, p, sample_weight=w, output_dict=True)
    second = cluster_class_report(y, p, sample_weight=w, output_dict=True)
    assert first["chance"] == second["chance"]
    assert 0.3 < first["chance"]["matched_accuracy"] < 0.6
    assert first["matched_accuracy"] == 1.0


def test_chance_with_huge_integer_weights_permutes_the_samples():
    """Weighted totals beyond numpy's hypergeometric range: equal weights give
    the unweighted measures, and a chance level close to the sampled one."""
    y = np.repeat([0, 1, 2], [30, 15, 5])
    p = np.repeat([0, 1, 2, 3], [20, 12, 10, 8])
    plain = cluster_class_report(y, p, output_dict=True)
    huge = cluster_class_report(
        y, p, sample_weight=np.full(len(y), 10**8), output_dict=True
    )
    for key in ("purity", "matched_accuracy", "entropy", "homogeneity"):
        assert_allclose(huge[key], plain[key])
    for key, value in plain["chance"].items():
        assert abs(huge["chance"][key] - value) < 0.05


def test_large_tables_take_the_sparse_path(monkeypatch):
    """Above the dense limit the table is sparse and every measure agrees."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 8, 300)
    p = np.where(rng.random(300) < 0.7, y * 10 + rng.integers(0, 3, 300), 99)
    w = rng.integers(0, 3, 300).astype(float)
    dense = [
        cluster_class_report(y, p, sample_weight=s, output_dict=True) for s in (None, w)
    ]
    monkeypatch.setattr(_cluster, "_MAX_DENSE", 16)
    for s, expected in zip((None, w), dense):
        assert _cluster.contingency_table(y, p, s).is_sparse
        got = cluster_class_report(y, p, sample_weight=s, output_dict=True)
        for key in expected:
            if key in ("clusters", "chance"):
                continue
            if key == "mapping":
                assert_allclose(
                    matched_accuracy_score(y, p, sample_weight=s),
                    expected["matched_accuracy"],
                )
            else:
                assert_allclose(got[key], expected[key], err_msg=key)
        for k, row in expected["clusters"].items():
            assert got["clusters"][k] == pytest.approx(row)


def test_too_large_mixed_block_raises(monkeypatch):
    """A sparse table whose mixed block cannot be matched densely is refused."""
    monkeypatch.setattr(_cluster, "_MAX_DENSE", 4)
    monkeypatch.setattr(_cluster, "_MAX_BLOCK", 4)
    y, p = [0, 0, 1, 1, 2, 2], [0, 1, 1, 2, 2, 0]
    with pytest.raises(ValueError, match="at most 4 class x cluster cells. Got a"):
        matched_accuracy_score(y, p)


def test_table_equals_scikit_learn_contingency_matrix():
    """The dense table is scikit-learn's contingency matrix."""
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 5, 500), rng.integers(-3, 4, 500)
    table = _cluster.contingency_table(y, p)
    assert_allclose(table.counts, contingency_matrix(y, p))


def test_pandas_and_string_input():
    """Series and mixed kinds (string classes, integer ids) are accepted."""
    pd = pytest.importorskip("pandas")
    y = pd.Series(Y_TRUE)
    p = pd.Series(Y_PRED, dtype="category")
    assert_allclose(purity_score(y, p), 11 / 12)
    assert matched_accuracy_score(y, p.astype(str), return_mapping=True)[1] == {
        "0": "a",
        "1": "b",
        "2": "c",
    }


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(labels_true=[0, 1, 1], labels_pred=[0, 1]), ValueError, "same length"),
        (dict(labels_true=[0], labels_pred=[1]), ValueError, "at least two samples"),
        (dict(labels_true=[], labels_pred=[]), ValueError, "at least two samples"),
        (dict(labels_true=[0, np.nan], labels_pred=[0, 1]), ValueError, "NaN"),
        (dict(labels_true=[0, 1], labels_pred=[0.0, np.inf]), ValueError, "NaN"),
        (dict(labels_true=["a", None], labels_pred=[0, 1]), TypeError, "comparable"),
        (
            dict(labels_true=np.array([1.0, np.nan], dtype=object), labels_pred=[0, 1]),
            ValueError,
            "NaN",
        ),
        (
            dict(labels_true=[[0, 1], [1, 0]], labels_pred=[0, 1]),
            ValueError,
            r"one-dimensional \(n_samples,\). Got shape \(2, 2\)",
        ),
        (
            dict(labels_true=[0, 1], labels_pred=[[0], [1]]),
            ValueError,
            r"`labels_pred` must be one-dimensional",
        ),
        (
            dict(labels_true=[0, 1], labels_pred=[0, 1], sample_weight=[1, -1]),
            ValueError,
            "non-negative",
        ),
        (
            dict(labels_true=[0, 1], labels_pred=[0, 1], sample_weight=[0, 0]),
            ValueError,
            "all zero",
        ),
        (
            dict(labels_true=[0, 1], labels_pred=[0, 1], sample_weight=[1]),
            ValueError,
            "one entry per sample",
        ),
    ],
)
@pytest.mark.parametrize("metric", [*METRICS, cluster_class_report])
def test_bad_input_raises(metric, params, error, match):
    """Every metric states the rule and what it received."""
    with pytest.raises(error, match=match):
        metric(**params)


@pytest.mark.parametrize(
    "base, match", [(1, "other than 1"), (0, "must be a float in the range")]
)
def test_bad_entropy_base(base, match):
    """The logarithm's base is positive and not 1."""
    with pytest.raises(ValueError, match=match):
        cluster_entropy([0, 1], [0, 1], base=base)


# ------------------------------------------------------------------ scorers --
BLOBS = make_blobs(300, centers=3, cluster_std=1.0, random_state=0)


@pytest.mark.parametrize(
    "name, metric, sign",
    [
        ("purity", purity_score, 1),
        ("matched_accuracy", matched_accuracy_score, 1),
        ("neg_cluster_entropy", cluster_entropy, -1),
    ],
)
def test_scorer_is_sign_times_metric_of_predict(name, metric, sign):
    """As scikit-learn's clustering scorers: the metric of predict(X)."""
    X, y = BLOBS
    km = KMeans(3, n_init=3, random_state=0).fit(X)
    scorer = get_scorer(name)
    assert name in get_scorer_names()
    assert scorer(km, X, y) == sign * metric(y, km.predict(X))
    restored = pickle.loads(pickle.dumps(scorer))
    assert restored(km, X, y) == scorer(km, X, y)
    assert repr(scorer) == repr(restored)


@pytest.mark.parametrize("name", ["matched_accuracy", "neg_cluster_entropy"])
def test_grid_search_chooses_the_number_of_clusters(name):
    """GridSearchCV with the scorer finds the three blobs."""
    X, y = BLOBS
    search = GridSearchCV(
        KMeans(n_init=3, random_state=0),
        {"n_clusters": [2, 3, 6]},
        scoring=get_scorer(name),
        cv=3,
    ).fit(X, y)
    assert search.best_params_ == {"n_clusters": 3}


def test_scorer_refits_a_clone_of_a_clusterer_without_predict():
    """No predict: fit_predict on a clone, the scored estimator untouched."""
    X, y = BLOBS
    agg = AgglomerativeClustering(n_clusters=3).fit(X[:50])
    value = get_scorer("matched_accuracy")(agg, X, y)
    assert value == matched_accuracy_score(y, AgglomerativeClustering(3).fit_predict(X))
    assert len(agg.labels_) == 50
    search = GridSearchCV(
        AgglomerativeClustering(),
        {"n_clusters": [2, 3]},
        scoring=get_scorer("purity"),
        cv=3,
    ).fit(X, y)
    assert search.best_params_ == {"n_clusters": 3}


class _NoLabels(BaseEstimator):
    """Fits, but has neither predict nor fit_predict."""

    def fit(self, X, y=None):
        return self


def test_scorer_needs_predict_or_fit_predict():
    """An estimator that cannot label samples is refused."""
    X, y = BLOBS
    with pytest.raises(TypeError, match="needs an estimator with `predict`"):
        get_scorer("purity")(_NoLabels().fit(X), X, y)


def test_scorer_takes_sample_weight():
    """Weights reach the metric, as for scikit-learn's scorers."""
    X, y = BLOBS
    km = KMeans(3, n_init=3, random_state=0).fit(X)
    w = np.arange(len(y)) % 3
    value = get_scorer("purity")(km, X, y, sample_weight=w)
    assert value == purity_score(y, km.predict(X), sample_weight=w)
