"""Cost metric, savings and the cost scorer: brute force, routing, the tuner."""

import pickle

import numpy as np
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, make_scorer
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_validate,
)

from skeval import ThresholdTunedClassifier, make_cost_scorer
from skeval._core._objective import GridObjective, resolve_objective
from skeval.metrics import cost_loss, savings_score


def _brute_cost(y, p, matrix, labels, w=None, normalize=True, **metadata):
    """Sample by sample: look the cost up in the matrix (or in the metadata)."""
    labels = list(labels)
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    total = 0.0
    for s, (yt, yp) in enumerate(zip(y, p)):
        entry = matrix[labels.index(yt)][labels.index(yp)]
        value = metadata[entry][s] if isinstance(entry, str) else entry
        total += w[s] * value
    return total / w.sum() if normalize else total


@st.composite
def cost_problems(draw):
    """Labels of K classes, a K x K matrix with gains and named entries, weights."""
    K = draw(st.integers(2, 4))
    n = draw(st.integers(1, 30))
    labels = st.lists(st.integers(0, K - 1), min_size=n, max_size=n)
    y, p = np.array(draw(labels)), np.array(draw(labels))
    y[:K] = np.arange(min(K, n))  # every class present when n allows it
    entry = st.one_of(
        st.integers(-5, 10), st.sampled_from(["amount", "fee"]), st.just(0.5)
    )
    matrix = [[draw(entry) for _ in range(K)] for _ in range(K)]
    amount = np.array(draw(st.lists(st.floats(0, 100), min_size=n, max_size=n)))
    fee = np.array(draw(st.lists(st.floats(-3, 3), min_size=n, max_size=n)))
    w = None
    if draw(st.booleans()):
        w = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), float)
        w[0] = max(w[0], 1.0)
    names = {e for row in matrix for e in row if isinstance(e, str)}
    metadata = {k: v for k, v in {"amount": amount, "fee": fee}.items() if k in names}
    return y, p, matrix, K, w, metadata


@settings(max_examples=120, derandomize=True, deadline=None)
@given(problem=cost_problems(), normalize=st.booleans())
def test_cost_loss_equals_sample_by_sample_sum(problem, normalize):
    """Binary and multiclass, fixed and per-sample entries, gains, weights."""
    y, p, matrix, K, w, metadata = problem
    got = cost_loss(
        y,
        p,
        cost_matrix=matrix,
        labels=list(range(K)),
        normalize=normalize,
        sample_weight=w,
        **metadata,
    )
    expected = _brute_cost(y, p, matrix, range(K), w, normalize, **metadata)
    assert isinstance(got, float)
    assert_allclose(got, expected, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(problem=cost_problems())
def test_fixed_cost_equals_confusion_matrix_product(problem):
    """With numbers only, the total is sum(confusion_matrix * C)."""
    y, p, matrix, K, w, _ = problem
    C = np.array([[e if not isinstance(e, str) else 1.0 for e in r] for r in matrix])
    M = confusion_matrix(y, p, labels=list(range(K)), sample_weight=w)
    got = cost_loss(y, p, cost_matrix=C, labels=range(K), sample_weight=w)
    assert_allclose(got * M.sum(), (M * C).sum(), rtol=1e-9, atol=1e-9)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(problem=cost_problems())
def test_integer_weights_equal_repeated_rows(problem):
    """Weight k gives the cost of the row repeated k times."""
    y, p, matrix, K, w, metadata = problem
    w = np.ones(len(y), dtype=int) if w is None else w.astype(int)
    kw = dict(cost_matrix=matrix, labels=list(range(K)))
    weighted = cost_loss(y, p, sample_weight=w, **kw, **metadata)
    repeated = cost_loss(
        np.repeat(y, w),
        np.repeat(p, w),
        **kw,
        **{k: np.repeat(v, w) for k, v in metadata.items()},
    )
    assert_allclose(weighted, repeated, rtol=1e-9, atol=1e-9)


def test_orientation_rows_true_columns_predicted():
    """C[i][j] is the cost of predicting labels[j] for true labels[i]."""
    C = [[0, 1], [5, 0]]  # [[TN, FP], [FN, TP]]
    assert cost_loss([1], [0], cost_matrix=C) == 5.0  # a miss
    assert cost_loss([0], [1], cost_matrix=C) == 1.0  # a false alarm
    assert cost_loss([1, 0], [0, 1], cost_matrix=C, labels=[1, 0]) == 3.0
    assert cost_loss([1], [0], cost_matrix=C, labels=[1, 0]) == 1.0


def test_default_labels_are_sorted_and_strings_work():
    """Without labels=, rows follow the sorted labels present."""
    C = [[0, 2], [7, 0]]
    y, p = ["ok", "fraud", "fraud"], ["ok", "ok", "fraud"]
    # sorted: fraud, ok -> a fraud predicted ok costs C[0][1] = 2
    assert_allclose(cost_loss(y, p, cost_matrix=C, normalize=False), 2.0)


def test_savings_equals_brute_force():
    """1 - cost / the cheaper of 'all negative' and 'all positive'."""
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, 200), rng.integers(0, 2, 200)
    amount = rng.uniform(1, 50, 200)
    w = rng.uniform(0.5, 2, 200)
    C = [[0, 3], ["amount", -1]]
    kw = dict(cost_matrix=C, sample_weight=w, amount=amount)
    base = min(
        cost_loss(y, np.zeros(200, int), **kw), cost_loss(y, np.ones(200, int), **kw)
    )
    assert_allclose(savings_score(y, p, **kw), 1 - cost_loss(y, p, **kw) / base)
    assert savings_score(y, y, cost_matrix=[[0, 1], [1, 0]]) == 1.0


def test_savings_multiclass_uses_the_cheapest_constant_prediction():
    """Several classes: the baseline is the cheapest 'predict k for everyone'."""
    y, p = [0, 1, 2, 2], [0, 2, 2, 1]
    C = [[0, 1, 4], [2, 0, 1], [3, 3, 0]]
    constant = [_brute_cost(y, [k] * 4, C, range(3)) for k in range(3)]
    expected = 1 - _brute_cost(y, p, C, range(3)) / min(constant)
    assert_allclose(savings_score(y, p, cost_matrix=C), expected)


def test_savings_undefined_when_a_trivial_policy_is_free():
    """A free or profitable constant prediction: savings are undefined."""
    with pytest.raises(ValueError, match="savings relative to it are undefined"):
        savings_score([0, 1], [0, 1], cost_matrix=[[0, 1], [0, 0]])
    with pytest.raises(ValueError, match="savings relative to it are undefined"):
        savings_score([0, 0], [0, 1], cost_matrix=[[-1, 1], [1, 0]])


_GOOD = dict(y_true=[0, 1, 1], y_pred=[0, 1, 0])


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"cost_matrix": [[0, 1, 2], [1, 0, 2]]}, ValueError, "must be a square"),
        ({"cost_matrix": [[0]]}, ValueError, "at least 2 x 2"),
        ({"cost_matrix": [[0, 1], [1]]}, ValueError, "must be a square"),
        ({"cost_matrix": [1, 2]}, ValueError, "must be a square"),
        ({"cost_matrix": np.eye(3)}, ValueError, "hold 2 label"),
        ({"cost_matrix": [[0, np.nan], [1, 0]]}, ValueError, "finite numbers"),
        ({"cost_matrix": [[0, np.inf], [1, 0]]}, ValueError, "finite numbers"),
        ({"cost_matrix": [[0, None], [1, 0]]}, TypeError, "numbers or metadata"),
        ({"cost_matrix": [[0, True], [1, 0]]}, TypeError, "numbers or metadata"),
        ({"cost_matrix": [[0, "2x"], [1, 0]]}, ValueError, "Python identifiers"),
        (
            {"cost_matrix": [[0, "sample_weight"], [1, 0]]},
            ValueError,
            "Python identifiers other than",
        ),
        (
            {"cost_matrix": [[0, 1], [1, 0]], "labels": [0, 1, 2]},
            ValueError,
            "one class per row",
        ),
        (
            {"cost_matrix": [[0, 1], [1, 0]], "labels": [0, 2]},
            ValueError,
            r"must be one of `labels`",
        ),
        (
            {"cost_matrix": [[0, 1], [1, 0]], "labels": ["a", "b"]},
            TypeError,
            "`labels` must hold the same kind",
        ),
        (
            {"cost_matrix": [[0, 1], ["amount", 0]]},
            ValueError,
            "needs the per-sample metadata",
        ),
        (
            {"cost_matrix": [[0, 1], ["amount", 0]], "amount": [1, 2, 3], "fee": [1]},
            ValueError,
            r"got metadata \[.fee.\] that `cost_matrix` does not use",
        ),
        (
            {"cost_matrix": [[0, 1], ["amount", 0]], "amount": [1, 2]},
            ValueError,
            "one entry per sample",
        ),
        (
            {"cost_matrix": [[0, 1], ["amount", 0]], "amount": [1, np.nan, 3]},
            ValueError,
            "must be finite",
        ),
        (
            {"cost_matrix": [[0, 1], ["amount", 0]], "amount": ["a", "b", "c"]},
            TypeError,
            "must be numeric",
        ),
    ],
)
def test_bad_input_raises(params, error, match):
    """Each rule on the matrix, the labels and the metadata has its message."""
    with pytest.raises(error, match=match):
        cost_loss(**_GOOD, **params)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (([[0, 1, 2], [1, 0, 2]],), {}, "must be a square"),
        (([[0, np.nan], [1, 0]],), {}, "finite numbers"),
        (([[0, 1], [1, 0]],), {"labels": [0, 1, 2]}, "one class per row"),
    ],
)
def test_make_cost_scorer_validates_eagerly(args, kwargs, match):
    """A bad matrix fails when the scorer is made, not at the first fold."""
    with pytest.raises(ValueError, match=match):
        make_cost_scorer(*args, **kwargs)


@pytest.fixture
def data():
    X, y = make_classification(n_samples=400, weights=[0.8], random_state=0)
    amount = np.random.default_rng(0).uniform(1, 100, len(y))
    return X, y, amount


def test_scorer_is_minus_the_loss_and_pickles(data):
    """Greater is better: the scorer returns -cost_loss, or -total; it pickles."""
    X, y, _ = data
    est = LogisticRegression().fit(X, y)
    C = [[0, 1], [5, 0]]
    loss = cost_loss(y, est.predict(X), cost_matrix=C)
    scorer = make_cost_scorer(C)
    assert_allclose(scorer(est, X, y), -loss)
    assert_allclose(make_cost_scorer(C, normalize=False)(est, X, y), -loss * len(y))
    clone_ = pickle.loads(pickle.dumps(scorer))
    assert repr(clone_) == repr(scorer)
    assert "cost_matrix=[[0, 1], [5, 0]]" in repr(scorer)
    assert_allclose(clone_(est, X, y), -loss)


def test_scorer_labels_come_from_the_estimator():
    """A fold lacking a class is still scored against the estimator's classes."""
    X, y = make_classification(
        n_samples=300, n_classes=3, n_informative=4, random_state=0
    )
    est = LogisticRegression().fit(X, y)
    C = [[0, 1, 2], [3, 0, 4], [5, 6, 0]]
    keep = (y != 1) & (est.predict(X) != 1)  # class 1 absent from the fold
    got = make_cost_scorer(C)(est, X[keep], y[keep])
    expected = _brute_cost(y[keep], est.predict(X[keep]), C, [0, 1, 2])
    assert_allclose(got, -expected)
    with pytest.raises(ValueError, match="hold 2 label"):
        cost_loss(y[keep], est.predict(X[keep]), cost_matrix=C)


def test_routing_off_error_says_how_to_enable_it(data):
    """Per-sample costs without routing: the error names the exact switch."""
    X, y, _ = data
    scorer = make_cost_scorer([[0, 1], ["amount", 0]])
    est = LogisticRegression().fit(X, y)
    match = r"sklearn\.set_config\(enable_metadata_routing=True\)"
    with pytest.raises(ValueError, match=match):
        scorer(est, X, y)
    search = GridSearchCV(
        LogisticRegression(), {"C": [1.0]}, scoring=scorer, error_score="raise"
    )
    with pytest.raises(ValueError, match=match):
        search.fit(X, y)


def test_routing_on_missing_metadata_says_where_to_pass_it(data):
    """Routing on but no amount passed: the error shows fit(..., amount=...)."""
    X, y, _ = data
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = make_cost_scorer([[0, 1], ["amount", 0]])
        est = LogisticRegression().fit(X, y)
        with pytest.raises(ValueError, match=r"fit\(X, y, amount=amount\)"):
            scorer(est, X, y)


def test_scorer_requests_its_metadata_automatically():
    """The named metadata is requested without set_score_request."""
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = make_cost_scorer([[0, "fee"], ["amount", 0]])
        requests = scorer.get_metadata_routing().score.requests
        assert requests["amount"] is True and requests["fee"] is True
        scorer.set_score_request(amount=False)
        assert scorer.get_metadata_routing().score.requests["amount"] is False


def test_grid_search_and_cross_validate_with_per_sample_costs(data):
    """Routing on: GridSearchCV.fit(..., amount=) and cross_validate(params=)."""
    X, y, amount = data
    C = [[0, 5], ["amount", 0]]
    cv = StratifiedKFold(3)
    expected = []
    for train, test in cv.split(X, y):
        est = LogisticRegression(C=0.1).fit(X[train], y[train])
        pred = est.predict(X[test])
        expected.append(-cost_loss(y[test], pred, cost_matrix=C, amount=amount[test]))
    with sklearn.config_context(enable_metadata_routing=True):
        scorer = make_cost_scorer(C)
        result = cross_validate(
            LogisticRegression(C=0.1),
            X,
            y,
            cv=cv,
            scoring={"cost": scorer, "f1": "f1"},
            params={"amount": amount},
        )
        assert_allclose(result["test_cost"], expected)
        search = GridSearchCV(
            LogisticRegression(), {"C": [0.1, 1.0]}, scoring=scorer, cv=cv
        ).fit(X, y, amount=amount)
    assert_allclose(search.cv_results_["mean_test_score"][0], np.mean(expected))


def test_sklearn_tuned_threshold_classifier_accepts_it(data):
    """sklearn's TunedThresholdClassifierCV takes the scorer and its metadata."""
    X, y, amount = data
    with sklearn.config_context(enable_metadata_routing=True):
        tuned = TunedThresholdClassifierCV(
            LogisticRegression(), scoring=make_cost_scorer([[0, 5], ["amount", 0]])
        ).fit(X, y, amount=amount)
    assert tuned.best_score_ < 0


def _brute_tuner(folds, C, pos_label, **kw):
    """Best mean (over folds) of -cost over every candidate threshold."""
    candidates = np.concatenate([[np.inf], np.unique(np.hstack([f[1] for f in folds]))])
    best = -np.inf
    for t in candidates:
        values = []
        for y_val, scores, md, w, neg in folds:
            pred = np.where(scores >= t, pos_label, neg)
            values.append(-cost_loss(y_val, pred, cost_matrix=C, sample_weight=w, **md))
        best = max(best, np.mean(values))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_tuner_prefit_equals_brute_force_with_per_sample_costs(seed, weighted):
    """The exact path sweeps every score, with weighted per-sample costs."""
    X, y = make_classification(n_samples=300, weights=[0.8], random_state=seed)
    rng = np.random.default_rng(seed)
    amount = rng.uniform(1, 100, len(y))
    w = rng.uniform(0.1, 3.0, len(y)) if weighted else None
    est = LogisticRegression().fit(X[:100], y[:100])
    Xv, yv, av = X[100:], y[100:], amount[100:]
    wv = None if w is None else w[100:]
    C = [[0, 5], ["amount", -1]]
    tuner = ThresholdTunedClassifier(est, objective=make_cost_scorer(C), cv="prefit")
    tuner.fit(Xv, yv, sample_weight=wv, amount=av)
    scores = est.predict_proba(Xv)[:, 1]
    expected = _brute_tuner([(yv, scores, {"amount": av}, wv, 0)], C, 1)
    assert_allclose(tuner.best_score_, expected, rtol=1e-9)
    pred = tuner.predict(Xv)
    at_best = -cost_loss(yv, pred, cost_matrix=C, sample_weight=wv, amount=av)
    assert_allclose(at_best, expected, rtol=1e-9)


def test_tuner_cv_equals_brute_force_mean_over_folds(data):
    """Several folds: the optimum of the mean over folds, exactly."""
    X, y, amount = data
    C = [[0, 2], ["amount", 0]]
    cv = KFold(3, shuffle=True, random_state=0)
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=make_cost_scorer(C), cv=cv
    ).fit(X, y, amount=amount)
    folds = []
    for train, val in cv.split(X, y):
        est = clone(LogisticRegression()).fit(X[train], y[train])
        scores = est.predict_proba(X[val])[:, 1]
        folds.append((y[val], scores, {"amount": amount[val]}, None, 0))
    assert_allclose(tuner.best_score_, _brute_tuner(folds, C, 1), rtol=1e-9)


def test_tuner_with_first_class_positive_reads_the_matrix_right(data):
    """pos_label = classes_[0]: the matrix still means rows = true class."""
    X, y, amount = data
    labels = np.where(y == 1, "fraud", "ok")  # sorted: fraud, ok
    est = LogisticRegression().fit(X[:100], labels[:100])
    Xv, yv, av = X[100:], labels[100:], amount[100:]
    C = [[0, "amount"], [3, 0]]  # a missed fraud costs its amount
    tuner = ThresholdTunedClassifier(
        est, objective=make_cost_scorer(C), cv="prefit", pos_label="fraud"
    ).fit(Xv, yv, amount=av)
    scores = est.predict_proba(Xv)[:, 0]
    expected = _brute_tuner([(yv, scores, {"amount": av}, None, "ok")], C, "fraud")
    assert_allclose(tuner.best_score_, expected, rtol=1e-9)


def test_tuner_with_routing_on_gets_the_metadata(data):
    """With routing on, the tuner routes amount to its objective as requested."""
    X, y, amount = data
    C = [[0, 5], ["amount", 0]]
    off = ThresholdTunedClassifier(
        LogisticRegression(), objective=make_cost_scorer(C), cv=3
    ).fit(X, y, amount=amount)
    with sklearn.config_context(enable_metadata_routing=True):
        on = ThresholdTunedClassifier(
            LogisticRegression().set_fit_request(sample_weight=False),
            objective=make_cost_scorer(C),
            cv=3,
        ).fit(X, y, amount=amount)
    assert on.best_threshold_ == off.best_threshold_
    assert_allclose(on.best_score_, off.best_score_)


def test_hand_made_scorer_of_cost_loss_takes_the_exact_path():
    """make_scorer(cost_loss, greater_is_better=False) is an exact objective."""
    scorer = make_scorer(
        cost_loss, greater_is_better=False, cost_matrix=[[0, 1], [4, 0]]
    )
    objective = resolve_objective(scorer)
    assert not isinstance(objective, GridObjective)
    assert objective.metadata == ()


def test_multiclass_cost_scorer_is_not_a_binary_curve():
    """A 3 x 3 matrix has no binary curve: the tuner would use a grid."""
    scorer = make_cost_scorer([[0, 1, 1], [1, 0, 1], [1, 1, 0]])
    assert isinstance(resolve_objective(scorer), GridObjective)
