"""ThresholdCurveDisplay: artists' data against the exact engine."""

import sys

import matplotlib
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skeval import ThresholdTunedClassifier  # noqa: E402
from skeval._core._formulas import COUNT_METRICS  # noqa: E402
from skeval._core._objective import CurveObjective  # noqa: E402
from skeval._core._selection import select, values_at  # noqa: E402
from skeval.exceptions import InfeasibleConstraintWarning  # noqa: E402
from skeval.metrics import confusion_curve  # noqa: E402
from skeval.metrics._plot._draw import _DRAW_BINS, _decimate  # noqa: E402
from skeval.metrics._plot.threshold_curve import ThresholdCurveDisplay  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=600, weights=[0.8], flip_y=0.05, random_state=0
    )
    return X, y


@pytest.fixture(scope="module")
def scored():
    rng = np.random.RandomState(0)
    y = rng.randint(2, size=300)
    # rounded scores: ties between samples, as real probabilities have
    scores = np.round(np.clip(0.3 * y + rng.normal(0.35, 0.2, size=300), 0, 1), 2)
    return y, scores


@pytest.fixture(scope="module")
def tuner(data):
    X, y = data
    return ThresholdTunedClassifier(
        LogisticRegression(),
        objective="precision",
        constraint=("recall", 0.8),
        cv=4,
        store_cv_results=True,
    ).fit(X, y)


def _xy(line):
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())


def test_curves_equal_the_engine_values(scored):
    """Each drawn curve is the count formula on the engine's curve, +inf skipped."""
    y, scores = scored
    disp = ThresholdCurveDisplay.from_predictions(
        y, scores, objective="f1", metrics=("precision", "recall", "alert_rate")
    )
    curve = confusion_curve(y, scores)
    for name in ("f1", "precision", "recall", "alert_rate"):
        x_drawn, y_drawn = _xy(disp.lines_[name])
        assert_array_equal(x_drawn, curve.thresholds[1:])
        assert_allclose(y_drawn, COUNT_METRICS[name](*curve.counts)[1:])
        assert disp.lines_[name].get_drawstyle() == "steps-post"
    assert disp.ax_.get_xlabel().startswith("Decision threshold on score")


def test_marker_at_the_selected_threshold(scored):
    """from_predictions marks the threshold `select` picks, on the objective."""
    y, scores = scored
    disp = ThresholdCurveDisplay.from_predictions(
        y, scores, objective="precision", constraint=("recall", 0.7)
    )
    curve = confusion_curve(y, scores)
    recall = COUNT_METRICS["recall"](*curve.counts)
    precision = COUNT_METRICS["precision"](*curve.counts)
    sel = select(curve.thresholds, precision, constraint=(recall, "lower", 0.7))
    assert disp.best_threshold == sel.threshold
    x_mark, y_mark = _xy(disp.best_marker_)
    assert_array_equal(x_mark, [sel.threshold])
    assert_allclose(y_mark, [sel.score])
    assert_allclose(disp.constraint_line_.get_ydata(), [0.7, 0.7])
    assert disp.infeasible_region_ is not None
    assert "Recall \u2265 0.7" in disp.constraint_line_.get_label()


def test_given_threshold_is_marked_not_selected(scored):
    """`threshold=` marks that threshold instead of the best one."""
    y, scores = scored
    disp = ThresholdCurveDisplay.from_predictions(
        y, scores, threshold=0.42, default_threshold=0.5
    )
    assert_array_equal(disp.best_marker_.get_xdata(), [0.42])
    curve = confusion_curve(y, scores)
    f1 = COUNT_METRICS["f1"](*curve.counts)
    expected = values_at(curve.thresholds, f1, np.array([0.5]))
    assert_allclose(disp.default_marker_.get_ydata(), expected)


def test_from_estimator_equals_from_predictions(data):
    """from_estimator draws what from_predictions draws on the same scores."""
    X, y = data
    clf = LogisticRegression().fit(X, y)
    est = ThresholdCurveDisplay.from_estimator(clf, X, y, metrics=("recall",))
    pred = ThresholdCurveDisplay.from_predictions(
        y, clf.predict_proba(X)[:, 1], metrics=("recall",), default_threshold=0.5
    )
    assert est.lines_.keys() == pred.lines_.keys()
    for name in est.lines_:
        assert_array_equal(_xy(est.lines_[name])[0], _xy(pred.lines_[name])[0])
        assert_array_equal(_xy(est.lines_[name])[1], _xy(pred.lines_[name])[1])
    assert est.best_threshold == pred.best_threshold
    assert est.default_threshold == pred.default_threshold == 0.5
    assert est.response_method == "predict_proba"
    assert est.name == "LogisticRegression"


def test_from_estimator_decision_function_space(data):
    """Decision values are drawn as they are; the default threshold is 0."""
    X, y = data
    svc = LinearSVC().fit(X, y)
    disp = ThresholdCurveDisplay.from_estimator(svc, X, y)
    x_drawn, _ = _xy(disp.lines_["f1"])
    assert x_drawn.min() < 0 < x_drawn.max()
    assert disp.default_threshold == 0.0
    assert_array_equal(disp.default_marker_.get_xdata(), [0.0])
    assert "decision_function" in disp.ax_.get_xlabel()


def test_from_estimator_with_tuner_marks_its_threshold(data, tuner):
    """A tuner brings its objective, constraint and best_threshold_."""
    X, y = data
    disp = ThresholdCurveDisplay.from_estimator(tuner, X, y)
    assert disp.objective_name == "precision"
    assert disp.constraint == ("recall", 0.8)
    assert_array_equal(disp.best_marker_.get_xdata(), [tuner.best_threshold_])
    assert disp.name == "LogisticRegression"
    scores = tuner.predict_proba(X)[:, 1]
    pred = ThresholdCurveDisplay.from_predictions(
        y,
        scores,
        objective="precision",
        constraint=("recall", 0.8),
        threshold=tuner.best_threshold_,
    )
    assert_array_equal(
        _xy(disp.lines_["precision"])[1], _xy(pred.lines_["precision"])[1]
    )


@pytest.mark.parametrize("cv", [3, 5])
def test_from_tuner_draws_each_fold(data, cv):
    """One fold line per fold, equal to cv_results_; the mean on top."""
    X, y = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective="f1", cv=cv, store_cv_results=True
    ).fit(X, y)
    disp = ThresholdCurveDisplay.from_tuner(tuner)
    results = tuner.cv_results_
    finite = np.isfinite(results["thresholds"])
    assert len(disp.fold_lines_["f1"]) == cv
    for line, row in zip(disp.fold_lines_["f1"], results["objective_folds"]):
        assert_array_equal(_xy(line)[0], results["thresholds"][finite])
        assert_allclose(_xy(line)[1], row[finite])
    assert_allclose(_xy(disp.lines_["f1"])[1], results["objective"][finite])
    assert_array_equal(disp.best_marker_.get_xdata(), [tuner.best_threshold_])
    assert_allclose(disp.fold_thresholds_marker_.get_xdata(), tuner.fold_thresholds_)
    assert disp.default_threshold == 0.5
    assert "mean of" in disp.lines_["f1"].get_label()


def test_from_tuner_with_constraint(tuner):
    """The constraint's mean curve, its folds and its limit are drawn."""
    disp = ThresholdCurveDisplay.from_tuner(tuner)
    results = tuner.cv_results_
    finite = np.isfinite(results["thresholds"])
    assert set(disp.lines_) == {"precision", "recall"}
    assert len(disp.fold_lines_["recall"]) == 4
    assert_allclose(_xy(disp.lines_["recall"])[1], results["constraint"][finite])
    assert_allclose(disp.constraint_line_.get_ydata(), [0.8, 0.8])
    _, y_mark = _xy(disp.best_marker_)
    expected = values_at(
        results["thresholds"], results["objective"], np.array([tuner.best_threshold_])
    )
    assert_allclose(y_mark, expected)


def test_from_tuner_band(tuner):
    """folds="band" draws one band per curve spanning the folds' extremes."""
    disp = ThresholdCurveDisplay.from_tuner(tuner, folds="band")
    assert disp.fold_lines_ == {}
    assert set(disp.fold_bands_) == {"precision", "recall"}
    rows = tuner.cv_results_["objective_folds"]
    vertices = disp.fold_bands_["precision"].get_paths()[0].vertices
    assert_allclose(vertices[:, 1].min(), rows[:, 1:].min())
    assert_allclose(vertices[:, 1].max(), rows[:, 1:].max())


def test_from_tuner_without_folds(tuner):
    """folds=None draws the mean curves only."""
    disp = ThresholdCurveDisplay.from_tuner(tuner, folds=None)
    assert disp.fold_lines_ == {} and disp.fold_bands_ == {}
    assert len(disp.ax_.get_lines()) > 0


def test_from_tuner_grid_path(data):
    """A grid tuner's thresholds (no +inf entry) are all drawn."""
    X, y = data
    tuner = ThresholdTunedClassifier(
        LinearSVC(), thresholds=30, cv=3, store_cv_results=True
    ).fit(X, y)
    disp = ThresholdCurveDisplay.from_tuner(tuner)
    assert_array_equal(disp.lines_["f1"].get_xdata(), tuner.cv_results_["thresholds"])
    assert disp.default_threshold == 0.0
    assert disp.response_method == "decision_function"


def test_png_is_written_and_not_blank(tuner, tmp_path):
    """The figure saves to a PNG with real content."""
    disp = ThresholdCurveDisplay.from_tuner(tuner)
    path = tmp_path / "threshold_curve.png"
    disp.figure_.savefig(path, dpi=80)
    assert path.stat().st_size > 20_000
    image = plt.imread(path)
    assert image.shape[0] > 200 and image.shape[1] > 300
    assert image[..., :3].std() > 0.05


def test_string_labels_and_pos_label():
    """pos_label picks the class; it shows in the axis label."""
    y = np.array(["spam", "ham", "spam", "ham", "ham", "spam"])
    scores = np.array([0.9, 0.2, 0.6, 0.4, 0.3, 0.35])
    disp = ThresholdCurveDisplay.from_predictions(y, scores, pos_label="spam")
    curve = confusion_curve(y, scores, pos_label="spam")
    assert_allclose(
        disp.lines_["recall"].get_ydata(),
        COUNT_METRICS["recall"](*curve.counts)[1:],
    )
    assert "positive class: spam" in disp.ax_.get_xlabel()


def test_sample_weight_weights_the_curves(scored):
    """Weights reach the counts: integer weights equal repeated rows."""
    y, scores = scored
    w = np.arange(len(y)) % 3
    weighted = ThresholdCurveDisplay.from_predictions(y, scores, sample_weight=w)
    repeated = ThresholdCurveDisplay.from_predictions(
        np.repeat(y, w), np.repeat(scores, w)
    )
    # zero-weight scores add flat steps only: compare at the repeated curve's points
    x_rep, y_rep = _xy(repeated.lines_["f1"])
    x_w, y_w = _xy(weighted.lines_["f1"])
    assert_allclose(values_at(np.r_[np.inf, x_w], np.r_[0, y_w], x_rep), y_rep)
    assert weighted.best_threshold == pytest.approx(repeated.best_threshold)


def test_cost_like_objective_goes_on_a_twin_axis():
    """An objective outside [-1, 1] gets its own y axis on the right."""
    thresholds = np.array([np.inf, 0.8, 0.5, 0.2])
    disp = ThresholdCurveDisplay(
        thresholds,
        {"neg_cost": np.array([-40.0, -12.0, -9.0, -30.0]), "recall": np.zeros(4)},
        objective_name="neg_cost",
        best_threshold=0.6,
    ).plot()
    assert disp.objective_ax_ is not disp.ax_
    assert disp.lines_["neg_cost"].axes is disp.objective_ax_
    assert disp.objective_ax_.get_ylabel() == "neg_cost"
    assert_allclose(disp.best_marker_.get_ydata(), [-12.0])


def test_plot_on_given_axes_with_style_and_title(scored):
    """ax, name, curve_kwargs and despine are honoured."""
    y, scores = scored
    _, ax = plt.subplots()
    disp = ThresholdCurveDisplay.from_predictions(
        y,
        scores,
        ax=ax,
        name="my model",
        curve_kwargs={"f1": {"c": "black", "lw": 4}},
        despine=True,
    )
    assert disp.ax_ is ax and disp.figure_ is ax.figure
    assert disp.lines_["f1"].get_color() == "black"
    assert disp.lines_["f1"].get_linewidth() == 4
    assert ax.get_title() == "my model"
    assert not ax.spines["top"].get_visible()


def test_objective_none_draws_metrics_only(scored):
    """objective=None: no objective curve, markers become vertical lines."""
    y, scores = scored
    disp = ThresholdCurveDisplay.from_predictions(
        y, scores, objective=None, default_threshold=0.5
    )
    assert disp.best_threshold is None and disp.best_marker_ is None
    assert set(disp.lines_) == {"precision", "recall"}
    assert_array_equal(disp.default_marker_.get_xdata(), [0.5, 0.5])


def test_infinite_best_threshold_is_not_drawn():
    """A best threshold of +inf (predict nothing) leaves no marker."""
    disp = ThresholdCurveDisplay(
        np.array([np.inf, 0.5]),
        {"f1": np.array([0.0, 0.2])},
        objective_name="f1",
        best_threshold=np.inf,
    ).plot()
    assert disp.best_marker_ is None


def test_scorer_objective_uses_the_exact_engine(scored):
    """A make_scorer objective of a count metric is drawn like its name."""
    from sklearn.metrics import fbeta_score, make_scorer

    y, scores = scored
    disp = ThresholdCurveDisplay.from_predictions(
        y, scores, objective=make_scorer(fbeta_score, beta=2)
    )
    curve = confusion_curve(y, scores)
    f2 = COUNT_METRICS["f1"].formula.func(*curve.counts, beta=2.0)
    assert_allclose(disp.lines_["f2"].get_ydata(), f2[1:])


def test_decimation_keeps_bin_extremes_and_endpoints():
    """_decimate keeps first, last, min and max of each bin, in order."""
    rng = np.random.RandomState(1)
    x = np.sort(rng.uniform(size=50_000))[::-1]
    y = np.cumsum(rng.normal(size=50_000))
    keep = _decimate(x, [y], n_bins=100)
    assert len(keep) <= 4 * 100
    assert np.all(np.diff(keep) > 0)
    assert keep[0] == 0 and keep[-1] == len(x) - 1
    assert y[keep].min() == y.min() and y[keep].max() == y.max()
    assert_array_equal(_decimate(x[:300], [y[:300]], n_bins=100), np.arange(300))


def test_large_curve_is_decimated_to_engine_points():
    """A million scores draw at most 4 points per bin, all on the curve."""
    rng = np.random.RandomState(0)
    n = 200_000
    y = (rng.uniform(size=n) < 0.1).astype(int)
    scores = rng.uniform(size=n)
    disp = ThresholdCurveDisplay.from_predictions(y, scores, metrics=())
    x_drawn, y_drawn = _xy(disp.lines_["f1"])
    assert len(x_drawn) <= 4 * _DRAW_BINS
    curve = confusion_curve(y, scores)
    f1 = COUNT_METRICS["f1"](*curve.counts)
    idx = np.searchsorted(-curve.thresholds, -x_drawn)
    assert_array_equal(curve.thresholds[idx], x_drawn)
    assert_allclose(f1[idx], y_drawn)
    assert y_drawn.max() == f1[1:].max()


def test_infeasible_constraint_warns():
    """An unreachable constraint warns and marks the closest threshold."""
    # the top score is a negative: precision never reaches 1
    y, scores = [0, 1, 0, 1], [0.9, 0.8, 0.7, 0.1]
    with pytest.warns(InfeasibleConstraintWarning, match="No threshold meets"):
        disp = ThresholdCurveDisplay.from_predictions(
            y, scores, objective="recall", constraint=("precision", 1.0)
        )
    # closest: precision 0.5, where recall is best when all are positive
    assert disp.best_threshold == -np.inf and disp.best_marker_ is None


def test_missing_matplotlib_names_the_plot_extra(monkeypatch, scored, tuner):
    """Without matplotlib every entry point says how to install it."""
    y, scores = scored
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    match = r'pip install "skeval\[plot\]"'
    with pytest.raises(ImportError, match=r"from_predictions needs matplotlib.*"):
        ThresholdCurveDisplay.from_predictions(y, scores)
    with pytest.raises(ImportError, match=match):
        ThresholdCurveDisplay.from_tuner(tuner)
    with pytest.raises(ImportError, match=match):
        ThresholdCurveDisplay(np.array([0.5]), {"f1": np.array([1.0])}).plot()


def _display(**kwargs):
    params = dict(thresholds=np.array([np.inf, 0.6, 0.3]), values={"f1": np.zeros(3)})
    params.update(kwargs)
    return ThresholdCurveDisplay(**params)


@pytest.mark.parametrize(
    "display, plot_kwargs, error, match",
    [
        (_display(), {"folds": "stripes"}, ValueError, "`folds` must be"),
        (_display(), {"curve_kwargs": {"f2": {}}}, ValueError, "`curve_kwargs` keys"),
        (
            _display(values={"f1": np.zeros(2)}),
            {},
            ValueError,
            "one value per threshold",
        ),
        (
            _display(fold_values={"f1": np.zeros(3)}),
            {},
            ValueError,
            r"shape \(n_folds, 3\)",
        ),
        (_display(objective_name="mcc"), {}, ValueError, "`objective_name` must"),
        (
            _display(thresholds=np.zeros((3, 1))),
            {},
            ValueError,
            "one-dimensional",
        ),
    ],
)
def test_plot_errors(display, plot_kwargs, error, match):
    """Inconsistent display data or plot options raise with the rule."""
    with pytest.raises(error, match=match):
        display.plot(**plot_kwargs)


def _callable_scorer(estimator, X, y):
    return 0.0


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"objective": "precision"}, ValueError, "alone is maximised"),
        ({"objective": _callable_scorer}, ValueError, "exact curve engine"),
        ({"objective": "roc_auc"}, ValueError, "depend on the decision threshold"),
        ({"metrics": ("mcc",)}, ValueError, "Unknown count metric"),
        ({"constraint": ("f1", 0.5)}, ValueError, "`constraint` metric"),
        ({"pos_label": 3}, ValueError, "`pos_label` must be one of"),
    ],
)
def test_from_predictions_errors(scored, kwargs, error, match):
    """Bad objectives, metrics, constraints and labels raise with the rule."""
    y, scores = scored
    with pytest.raises(error, match=match):
        ThresholdCurveDisplay.from_predictions(y, scores, **kwargs)


def test_scorer_pos_label_must_agree(scored):
    """A scorer's pos_label and the display's must agree."""
    from sklearn.metrics import f1_score, make_scorer

    y, scores = scored
    with pytest.raises(ValueError, match="must agree"):
        ThresholdCurveDisplay.from_predictions(
            y, scores, objective=make_scorer(f1_score, pos_label=0), pos_label=1
        )


def test_from_estimator_errors(data, tuner):
    """A tuner's own pos_label and response method cannot be overridden."""
    X, y = data
    with pytest.raises(ValueError, match="tuner's own positive class"):
        ThresholdCurveDisplay.from_estimator(tuner, X, y, pos_label=0)
    with pytest.raises(ValueError, match="tuner's own 'predict_proba'"):
        ThresholdCurveDisplay.from_estimator(
            tuner, X, y, response_method="decision_function"
        )
    clf = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="`pos_label` must be one of the classes"):
        ThresholdCurveDisplay.from_estimator(clf, X, y, pos_label="yes")


def test_from_tuner_errors(data):
    """from_tuner needs a fitted tuner that stored its curves."""
    X, y = data
    plain = ThresholdTunedClassifier(LogisticRegression(), cv=3).fit(X, y)
    with pytest.raises(ValueError, match="store_cv_results=True"):
        ThresholdCurveDisplay.from_tuner(plain)
    with pytest.raises(TypeError, match="Expected a fitted skeval"):
        ThresholdCurveDisplay.from_tuner(LogisticRegression().fit(X, y))
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="not fitted"):
        ThresholdCurveDisplay.from_tuner(ThresholdTunedClassifier(LogisticRegression()))


class _BoundRecall(CurveObjective):
    """Recall that must be bound to its classes before evaluation."""

    name = "bound_recall"

    def __init__(self, bound_to=None):
        self.bound_to = bound_to

    def bind(self, classes, pos_label):
        return _BoundRecall((list(classes), pos_label))

    def evaluate(self, curve, **metadata):
        assert self.bound_to is not None, "evaluated before bind"
        _BoundRecall.last_bound = self.bound_to
        return COUNT_METRICS["recall"](*curve.counts)


def test_objective_is_bound_to_the_classes(data):
    """Label-reading objectives (costs) are bound to classes and pos_label."""
    y = np.array(["no", "yes", "yes", "no"])
    ThresholdCurveDisplay.from_predictions(
        y, [0.2, 0.8, 0.6, 0.4], objective=_BoundRecall(), pos_label="yes"
    )
    assert _BoundRecall.last_bound == (["no", "yes"], "yes")
    X, y = data
    clf = LogisticRegression().fit(X, y)
    ThresholdCurveDisplay.from_estimator(clf, X, y, objective=_BoundRecall())
    assert _BoundRecall.last_bound == ([0, 1], 1)


def _grid_scorer(estimator, X, y):
    """A plain callable: the tuner evaluates it on a grid."""
    return float(np.mean(estimator.predict(X) == y))


def test_tuner_with_a_grid_objective(data):
    """A grid scorer is not redrawn on new data; its threshold is still marked."""
    X, y = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(), objective=_grid_scorer, cv=3, store_cv_results=True
    ).fit(X, y)
    disp = ThresholdCurveDisplay.from_estimator(tuner, X, y)
    assert disp.objective_name is None
    assert_array_equal(disp.best_marker_.get_xdata(), [tuner.best_threshold_] * 2)
    cv = ThresholdCurveDisplay.from_tuner(tuner)
    assert cv.objective_name == "_grid_scorer"
    assert len(cv.fold_lines_["_grid_scorer"]) == 3


def test_cost_scorer_objective_draws_the_cost(scored):
    """A cost scorer is drawn as the cost (its minimum marked), not minus it."""
    from skeval import make_cost_scorer
    from skeval.metrics import cost_loss

    y, scores = scored
    matrix = [[0, 1], [8, 0]]
    disp = ThresholdCurveDisplay.from_predictions(
        y, scores, objective=make_cost_scorer(matrix), metrics=("recall",)
    )
    x_drawn, y_drawn = _xy(disp.lines_["cost"])
    for t, value in list(zip(x_drawn, y_drawn))[::40]:
        expected = cost_loss(y, (scores >= t).astype(int), cost_matrix=matrix)
        assert_allclose(value, expected)
    assert disp.objective_ax_ is not disp.ax_  # a mean cost above 1
    assert_allclose(disp.best_marker_.get_ydata(), [y_drawn.min()])
    assert disp.lines_["cost"].get_label() == "Cost (objective)"


def test_from_tuner_with_a_cost_scorer(data):
    """The tuner's stored minus-cost curves are drawn as costs."""
    from skeval import make_cost_scorer

    X, y = data
    tuner = ThresholdTunedClassifier(
        LogisticRegression(),
        objective=make_cost_scorer([[0, 1], [5, 0]]),
        cv=3,
        store_cv_results=True,
    ).fit(X, y)
    disp = ThresholdCurveDisplay.from_tuner(tuner)
    finite = np.isfinite(tuner.cv_results_["thresholds"])
    assert_allclose(
        disp.lines_["cost"].get_ydata(), -tuner.cv_results_["objective"][finite]
    )
    assert_allclose(disp.best_marker_.get_ydata(), [-tuner.best_score_])
    assert len(disp.fold_lines_["cost"]) == 3
