"""dask input: the curve and the operating point through count tables, and the
tuner's folds on a dask.distributed cluster."""

import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skeval._core._lazy import as_samples, is_lazy
from skeval.metrics import (
    confusion_curve,
    make_cost_scorer,
    operating_point,
    operating_point_report,
)

da = pytest.importorskip("dask.array")


def _data(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    s = np.round(rng.random(n) * 0.7 + 0.3 * y, 3)  # ties within and across chunks
    w = rng.integers(0, 4, n).astype(float)
    amount = rng.random(n) * 100
    return y, s, w, amount


def _assert_same_curve(got, expected):
    assert_array_equal(got.thresholds, expected.thresholds)
    for name in ("tp", "fp", "fn", "tn"):
        assert_array_equal(getattr(got, name), getattr(expected, name))


@pytest.mark.parametrize("chunks", [1000, 1, 2999, (700, 1, 2299, 0)])
@pytest.mark.parametrize("weighted", [False, True])
def test_dask_curve_equals_the_in_memory_curve(chunks, weighted):
    """However the dask array is chunked, the curve is confusion_curve's."""
    y, s, w, _ = _data(n=3000)
    if chunks == 1:  # one row per chunk: keep the graph small
        y, s, w = y[:200], s[:200], w[:200]
    w = w if weighted else None
    lazy_w = None if w is None else da.from_array(w, chunks=250)
    got = confusion_curve(
        da.from_array(y, chunks=chunks),
        da.from_array(s, chunks=chunks),
        sample_weight=lazy_w,
    )
    _assert_same_curve(got, confusion_curve(y, s, sample_weight=w))


def test_dask_dataframe_columns_and_mixed_input():
    """dask DataFrame columns, and a dask column next to a numpy array."""
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    y, s, w, _ = _data()
    frame = dd.from_pandas(pd.DataFrame({"y": y, "s": s, "w": w}), npartitions=4)
    expected = confusion_curve(y, s, sample_weight=w)
    _assert_same_curve(
        confusion_curve(frame["y"], frame["s"], sample_weight=frame["w"]), expected
    )
    _assert_same_curve(
        confusion_curve(y, da.from_array(s, chunks=500), sample_weight=w), expected
    )
    _assert_same_curve(confusion_curve(frame["y"], s, sample_weight=w), expected)


@pytest.mark.parametrize(
    "kwargs, costs",
    [
        (dict(objective="f1"), False),
        (dict(objective="precision", constraint=("recall", 0.9)), False),
        (
            dict(objective=make_cost_scorer([[0, 5], ["amount", 0]], labels=[0, 1])),
            True,
        ),
    ],
)
def test_dask_operating_point_equals_the_in_memory_one(kwargs, costs):
    """operating_point on dask columns chooses the in-memory threshold."""
    y, s, w, amount = _data()
    extra = {"amount": amount} if costs else {}
    lazy_extra = {k: da.from_array(v, chunks=400) for k, v in extra.items()}
    direct = operating_point(y, s, sample_weight=w, **kwargs, **extra)
    lazy = operating_point(
        da.from_array(y, chunks=400),
        da.from_array(s, chunks=400),
        sample_weight=da.from_array(w, chunks=400),
        **kwargs,
        **lazy_extra,
    )
    assert lazy.threshold == direct.threshold
    assert_allclose(lazy.score, direct.score, rtol=1e-12)
    assert lazy.constraint_satisfied == direct.constraint_satisfied


def test_dask_report_equals_the_in_memory_report():
    """operating_point_report reads the same counts and cost from dask columns."""
    y, s, _, amount = _data()
    kwargs = dict(
        thresholds={"a": 0.4, "b": 0.65}, cost=[[0, 5], ["amount", 0]], output_dict=True
    )
    direct = operating_point_report(y, s, amount=amount, **kwargs)
    lazy = operating_point_report(
        da.from_array(y, chunks=700),
        da.from_array(s, chunks=700),
        amount=da.from_array(amount, chunks=700),
        **kwargs,
    )
    for column in direct:
        for row, value in direct[column].items():
            assert_allclose(lazy[column][row], value, rtol=1e-12, err_msg=row)


def test_numpy_input_is_left_alone():
    """as_samples returns non-dask input unchanged."""
    y, s = np.array([0, 1]), np.array([0.2, 0.8])
    assert not is_lazy(y, s, None)
    out = as_samples(y, s)
    assert out[0] is y and out[1] is s and out[2] is None and out[3] == {}


@pytest.mark.parametrize(
    "y, s, message",
    [
        (np.zeros(10), np.zeros(9), r"`y_score` must have one entry per sample \(10\)"),
        (np.zeros(10), np.zeros((10, 2)), "must be one-dimensional"),
    ],
)
def test_dask_input_rejects_misaligned_columns(y, s, message):
    """Columns of different lengths or shapes are refused."""
    with pytest.raises(ValueError, match=message):
        confusion_curve(da.from_array(y, chunks=3), da.from_array(s, chunks=3))


def test_dask_input_without_dask_names_the_extra(monkeypatch):
    """A dask collection without dask installed asks for the extra."""

    class Lazy:
        def __dask_graph__(self):
            return {}

        def to_delayed(self):
            return []

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r"pip install 'skeval\[dask\]'"):
        confusion_curve(Lazy(), Lazy())


def test_import_skeval_does_not_import_dask():
    """dask stays an optional extra: import skeval never loads it."""
    code = (
        "import sys, skeval, skeval.metrics; "
        "print([m for m in ('dask', 'distributed') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_tuner_folds_on_a_local_cluster_match_local_fit():
    """ThresholdTunedClassifier under joblib's dask backend (a LocalCluster of
    two worker processes) gives the local result; dask curves computed on
    the cluster equal the in-memory ones."""
    distributed = pytest.importorskip("distributed")
    import joblib
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skeval import ThresholdTunedClassifier

    X, y = make_classification(n_samples=600, weights=[0.8], random_state=0)
    tuner = ThresholdTunedClassifier(LogisticRegression(), cv=3, n_jobs=2)
    local = tuner.fit(X, y)
    expected = (local.best_threshold_, local.best_score_, local.fold_thresholds_)
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster),
    ):
        with joblib.parallel_backend("dask"):
            remote = ThresholdTunedClassifier(LogisticRegression(), cv=3, n_jobs=2).fit(
                X, y
            )
        scores = local.estimator_.predict_proba(X)[:, 1]
        curve = confusion_curve(
            da.from_array(y, chunks=150), da.from_array(scores, chunks=150)
        )
    assert remote.best_threshold_ == expected[0]
    assert remote.best_score_ == expected[1]
    assert_array_equal(remote.fold_thresholds_, expected[2])
    _assert_same_curve(curve, confusion_curve(y, scores))
