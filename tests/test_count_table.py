"""CountTable: chunked, merged counts against the in-memory curve engine."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from skeval.metrics import (
    CountTable,
    confusion_curve,
    make_cost_scorer,
    operating_point,
)


@st.composite
def chunked_samples(draw, weights="any"):
    """Labels, tied scores (negative, -0.0), weights and random cut points."""
    n = draw(st.integers(1, 40))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    levels = [-1.5, -0.0, 0.0, 0.25, 0.5, 0.75, 1.0]
    pool = draw(st.lists(st.sampled_from(levels), min_size=1, max_size=5))
    scores = np.array(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)))
    kind = (
        draw(st.sampled_from(["none", "int", "float"])) if weights == "any" else weights
    )
    if kind == "none":
        w = None
    elif kind == "int":
        w = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), float)
    else:
        w = np.array(
            draw(st.lists(st.floats(0.0, 3.0, width=32), min_size=n, max_size=n))
        )
    if w is not None and not (w > 0).any():
        w[-1] = 1.0
    # cut points with repeats: empty chunks; neighbours: one-row chunks
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=6)))
    return y, scores, w, [0, *cuts, n]


def _chunks(y, scores, w, bounds):
    for a, b in zip(bounds[:-1], bounds[1:]):
        if w is None:
            yield y[a:b], scores[a:b]
        else:
            yield y[a:b], scores[a:b], w[a:b]


def _assert_same_curve(got, expected, exact):
    assert_array_equal(got.thresholds, expected.thresholds)
    check = assert_array_equal if exact else _close
    for name in ("tp", "fp", "fn", "tn"):
        check(getattr(got, name), getattr(expected, name))


def _close(a, b):
    assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(data=chunked_samples())
def test_chunked_table_gives_the_in_memory_curve(data):
    """Any chunking (empty, one-row, all-zero-weight chunks, ties across
    chunks) gives confusion_curve's curve: bit for bit with counts or integer
    weights."""
    y, scores, w, bounds = data
    table = CountTable.from_chunks(_chunks(y, scores, w, bounds))
    assert table.n_samples == len(y)
    exact = w is None or bool((w == np.round(w)).all())
    _assert_same_curve(
        table.curve(), confusion_curve(y, scores, sample_weight=w), exact
    )


@settings(max_examples=80, derandomize=True, deadline=None)
@given(data=chunked_samples(weights="int"), seed=st.integers(0, 1000))
def test_merge_is_associative_and_commutative(data, seed):
    """Any grouping and any order of the chunks' tables give the same table."""
    y, scores, w, bounds = data
    tables = [
        CountTable.from_predictions(yc, sc, sample_weight=wc)
        for yc, sc, wc in _chunks(y, scores, w, bounds)
    ]
    order = np.random.default_rng(seed).permutation(len(tables))
    flat = CountTable.merge(tables)
    shuffled = CountTable.merge([tables[i] for i in order])
    nested = tables[0]
    for t in tables[1:]:
        nested = nested + t
    total = sum(reversed(tables))
    for other in (shuffled, nested, total):
        assert_array_equal(other.scores, flat.scores)
        assert other.classes == flat.classes
        assert_array_equal(other.weights, flat.weights)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(data=chunked_samples())
def test_per_sample_sums_survive_chunking(data):
    """Summed per-sample arrays give positive_sum of the weighted amounts,
    and a cost objective's operating point, as on the concatenated rows."""
    y, scores, w, bounds = data
    amount = np.linspace(1.0, 7.0, len(y)) ** 2
    tables = [
        CountTable.from_predictions(
            y[a:b],
            scores[a:b],
            sample_weight=None if w is None else w[a:b],
            amount=amount[a:b],
        )
        for a, b in zip(bounds[:-1], bounds[1:])
    ]
    table = CountTable.merge(tables)
    curve = table.curve()
    weighted = amount if w is None else amount * w
    expected = [weighted[scores >= t].sum() for t in curve.thresholds]
    assert_allclose(curve.positive_sum(table.cell_values("amount")), expected)

    cost = make_cost_scorer([[0, 5], ["amount", 0]], labels=[0, 1])
    direct = operating_point(y, scores, objective=cost, sample_weight=w, amount=amount)
    y_c, s_c, w_c, md = table.to_samples()
    via_table = operating_point(y_c, s_c, objective=cost, sample_weight=w_c, **md)
    assert via_table.threshold == direct.threshold
    assert_allclose(via_table.score, direct.score, rtol=1e-12)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    y=st.lists(st.integers(0, 1), min_size=1, max_size=40),
    raw=st.lists(st.floats(-3.0, 3.0), min_size=40, max_size=40),
    weights=st.lists(st.integers(0, 3), min_size=40, max_size=40),
    decimals=st.integers(0, 2),
)
def test_rounding_bound_holds_by_brute_force(y, raw, weights, decimals):
    """At every threshold, the rounded table's counts are within
    rounding_bound (a share of the total weight) of the exact counts."""
    y = np.array(y)
    scores = np.array(raw[: len(y)])
    w = np.array(weights[: len(y)], dtype=float)
    w[0] += 1.0
    table = CountTable.from_predictions(y, scores, sample_weight=w, decimals=decimals)
    bound = table.rounding_bound
    rounded = table.curve()
    step = 10.0**-decimals
    probes = np.concatenate(
        [scores, table.scores, table.scores + step / 2, table.scores - step / 2]
    )
    probes = np.concatenate([probes, np.nextafter(probes, np.inf), [np.inf]])
    for t in probes:
        exact_tp = w[(scores >= t) & (y == 1)].sum()
        exact_fp = w[(scores >= t) & (y == 0)].sum()
        k = np.searchsorted(-rounded.thresholds, -t, side="right") - 1
        moved = abs(rounded.tp[k] - exact_tp) + abs(rounded.fp[k] - exact_fp)
        assert moved <= bound * w.sum() + 1e-9


def test_rounding_shrinks_the_table_and_exact_tables_have_no_bound():
    """decimals bounds the number of distinct scores; exact tables report 0."""
    rng = np.random.default_rng(0)
    y, s = rng.integers(0, 2, 5000), rng.random(5000)
    exact = CountTable.from_predictions(y, s)
    rounded = CountTable.from_predictions(y, s, decimals=2)
    assert len(exact) == 5000 and len(rounded) == 101
    assert exact.rounding_bound == 0.0
    assert 0 < rounded.rounding_bound < 0.02


@pytest.mark.parametrize(
    "chunks, pos_label, expected_tp",
    [
        # a chunk with one class of two: the curve knows both
        ([(["no", "no"], [0.1, 0.2]), (["yes"], [0.9])], "yes", [0, 1, 1, 1]),
        ([(["no", "no"], [0.1, 0.2]), (["yes"], [0.9])], "no", [0, 0, 1, 2]),
        ([([False], [0.3]), ([True, True], [0.3, 0.8])], None, [0, 1, 2]),
        ([([0, 0], [0.5, 0.4])], None, [0, 0, 0]),
    ],
)
def test_positive_class_is_resolved_on_all_chunks(chunks, pos_label, expected_tp):
    """pos_label follows confusion_curve's rule over the merged rows."""
    table = CountTable.from_chunks(chunks, pos_label=pos_label)
    assert_array_equal(table.curve().tp, expected_tp)


def test_table_repr_len_and_empty_chunks():
    """repr and len describe the table; no chunks give an empty table."""
    table = CountTable.from_predictions([0, 1, 1], [0.2, 0.2, 0.7])
    assert repr(table) == "CountTable(n_samples=3, n_scores=2, classes=[0, 1])"
    assert len(table) == 2
    empty = CountTable.from_chunks([])
    assert empty.n_samples == 0 and len(empty) == 0
    assert_array_equal((empty + table).curve().tp, table.curve().tp)


def _table(y=(0, 1), s=(0.1, 0.2), **kwargs):
    return CountTable.from_predictions(list(y), list(s), **kwargs)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: _table(y=(0, 1, 2), s=(0.1, 0.2, 0.3)), ValueError, "must be binary"),
        (lambda: _table(s=(0.1, np.nan)), ValueError, "must be finite"),
        (lambda: _table(y=(0, np.nan)), ValueError, "must not contain NaN"),
        (lambda: _table(sample_weight=[1, -1]), ValueError, "non-negative"),
        (lambda: _table(sample_weight=[1]), ValueError, r"one entry per sample \(2\)"),
        (lambda: _table(sample_weight=["a", "b"]), TypeError, "must be numeric"),
        (lambda: _table(sample_weight=[1, np.inf]), ValueError, "must be finite"),
        (lambda: _table(decimals=1.5), TypeError, "`decimals` must be an integer"),
        (lambda: _table(pos_label=3), ValueError, "`pos_label` must be one of"),
        (lambda: _table(amount=[1.0]), ValueError, "one entry per sample"),
        (
            lambda: _table(y=("a", "b")) + _table(y=("c", "c")),
            ValueError,
            "at most two classes",
        ),
        (
            lambda: _table(y=("a", "a")) + _table(y=(1, 1)),
            TypeError,
            "mutually comparable",
        ),
        (
            lambda: _table(pos_label=0) + _table(pos_label=1),
            ValueError,
            "agree on `pos_label`",
        ),
        (lambda: _table(decimals=1) + _table(), ValueError, "same decimals"),
        (
            lambda: _table(amount=[1, 2]) + _table(),
            ValueError,
            "same per-sample arrays",
        ),
        (lambda: CountTable.merge([]), TypeError, "non-empty iterable"),
        (lambda: CountTable.merge([_table(), "x"]), TypeError, "of CountTable"),
        (
            lambda: CountTable.from_chunks([([0], [0.1], None, 1)]),
            ValueError,
            r"Each chunk must be a \(y_true, y_score\)",
        ),
        (lambda: CountTable.from_chunks([]).curve(), ValueError, "at least one"),
        (
            lambda: _table(sample_weight=[0, 0]).curve(),
            ValueError,
            "must not be all zero",
        ),
        (
            lambda: _table(y=("a", "a")).curve(),
            ValueError,
            "`pos_label` must be given",
        ),
        (lambda: _table().cell_values("amount"), ValueError, "per-sample arrays"),
        (lambda: CountTable.from_chunks([]).to_samples(), ValueError, "at least one"),
    ],
)
def test_count_table_rejects_bad_input(make, error, message):
    """Each bad input or merge is refused with the rule and what was received."""
    with pytest.raises(error, match=message):
        make()


def test_adding_something_else_is_a_type_error():
    """table + 1 is not a merge."""
    with pytest.raises(TypeError, match="unsupported operand"):
        _table() + 1
