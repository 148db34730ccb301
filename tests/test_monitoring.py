"""PerformanceMonitor: verdicts, statistics by simulation, the store, the display."""

import json
import logging
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score

import skeval
from skeval import ThresholdTunedClassifier
from skeval.monitoring import CheckResult, MetricCheck, PerformanceMonitor


def _batch(rng, n, *, prevalence=0.3, tpr=0.9, fpr=0.1):
    """Labels and predictions with the given rates (a fixed classifier)."""
    y = rng.uniform(size=n) < prevalence
    pred = rng.uniform(size=n) < np.where(y, tpr, fpr)
    return y.astype(int), pred.astype(int)


@pytest.fixture
def monitor():
    rng = np.random.RandomState(0)
    return PerformanceMonitor().set_baseline(*_batch(rng, 4000))


def test_public_names():
    """The monitor is exported from skeval and skeval.monitoring."""
    assert skeval.PerformanceMonitor is PerformanceMonitor
    assert "PerformanceMonitor" in skeval.__all__


def test_check_values_match_sklearn(monitor):
    """The batch's metrics are sklearn's, on the same labels."""
    rng = np.random.RandomState(1)
    y, pred = _batch(rng, 1000)
    result = monitor.check(y, pred)
    assert_allclose(result.metrics["recall"].value, recall_score(y, pred))
    assert_allclose(result.metrics["precision"].value, precision_score(y, pred))
    assert_allclose(result.metrics["f1"].value, f1_score(y, pred))
    counts = result.counts
    assert counts["tp"] == np.sum((y == 1) & (pred == 1))
    assert sum(counts.values()) == 1000
    for check in result.metrics.values():
        assert check.ci_low <= check.value <= check.ci_high
        assert_allclose(check.drop, check.baseline - check.value)


def test_to_dict_is_json_ready_and_round_trips(monitor):
    """to_dict holds plain types only; infinities are strings."""
    rng = np.random.RandomState(2)
    y, pred = _batch(rng, 300)
    result = monitor.check(y, pred, batch="day 1", timestamp="2024-06-01")
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert CheckResult.from_dict(json.loads(text)) == result
    assert data["batch"] == "day 1" and data["timestamp"] == "2024-06-01"
    assert [m["metric"] for m in data["metrics"]] == ["recall", "precision", "f1"]
    inf = PerformanceMonitor(metrics="recall", threshold=np.inf)
    inf.set_baseline(y, pred)
    out = inf.check(y, y_score=np.zeros(300)).to_dict()
    assert out["threshold"] == "inf"
    assert inf.get_config()["threshold"] == "inf"
    json.dumps(out, allow_nan=False)


def test_statistical_alert_logs_and_calls_back(caplog):
    """A clear drop alerts, is logged at WARNING and reaches on_alert."""
    rng = np.random.RandomState(3)
    seen = []
    monitor = PerformanceMonitor(metrics="recall", on_alert=seen.append)
    monitor.set_baseline(*_batch(rng, 5000))
    with caplog.at_level(logging.WARNING, logger="skeval.monitoring"):
        ok = monitor.check(*_batch(rng, 5000))
        bad = monitor.check(*_batch(rng, 5000, tpr=0.7))
    assert not ok.alert and ok.metrics["recall"].status == "ok"
    assert bad.alert and bad.alerts == ["recall"]
    assert bad.metrics["recall"].drop_bound > 0.05
    assert "at least" in bad.metrics["recall"].reason
    assert seen == [bad]
    records = [r for r in caplog.records if r.name == "skeval.monitoring"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert "recall alert" in records[0].getMessage()


def test_at_most_metric_alerts_when_it_rises():
    """fpr and alert_rate are worse when higher."""
    rng = np.random.RandomState(4)
    monitor = PerformanceMonitor(metrics=["fpr", "alert_rate"])
    monitor.set_baseline(*_batch(rng, 5000))
    result = monitor.check(*_batch(rng, 5000, fpr=0.3))
    assert result.alerts == ["fpr", "alert_rate"]
    check = result.metrics["fpr"]
    assert not check.higher_is_better
    assert_allclose(check.drop, check.value - check.baseline)


def test_small_batch_says_so():
    """A batch too small to show a drop says so instead of alerting."""
    rng = np.random.RandomState(5)
    monitor = PerformanceMonitor(metrics=["recall", "f1"])
    monitor.set_baseline(*_batch(rng, 2000, prevalence=0.05))
    y = np.array([0] * 19 + [1])
    result = monitor.check(y, np.zeros(20, dtype=int))
    for check in result.metrics.values():
        assert not check.alert
        assert check.status == "insufficient_data"
        assert check.min_detectable_drop > check.baseline
        assert "Not enough data" in check.reason


def test_unmeasurable_metric_is_reported():
    """No positives in the batch: recall is undefined, not 0."""
    rng = np.random.RandomState(6)
    monitor = PerformanceMonitor(metrics=["recall", "specificity"])
    monitor.set_baseline(*_batch(rng, 2000))
    result = monitor.check(np.zeros(50, dtype=int), np.zeros(50, dtype=int))
    recall = result.metrics["recall"]
    assert recall.value is None and recall.status == "insufficient_data"
    assert "no positive samples" in recall.reason
    assert result.metrics["specificity"].value == 1.0
    json.dumps(result.to_dict(), allow_nan=False)


def test_fixed_rule_is_the_point_drop():
    """rule='fixed' alerts exactly when the point drop exceeds the tolerance."""
    rng = np.random.RandomState(7)
    monitor = PerformanceMonitor(metrics="recall", rule="fixed", tolerance=0.05)
    monitor.set_baseline(*_batch(rng, 2000))
    for _ in range(20):
        check = monitor.check(*_batch(rng, 200)).metrics["recall"]
        assert check.alert == (check.drop > 0.05)
        assert "fixed rule" in check.reason


def test_cost_named_cells_and_matrix_agree():
    """Named cells and the sorted-class matrix give the same cost."""
    rng = np.random.RandomState(8)
    y, pred = _batch(rng, 1000)
    named = PerformanceMonitor(metrics="cost", fp=1, fn=5).set_baseline(y, pred)
    matrix = PerformanceMonitor(metrics="cost", cost_matrix=[[0, 1], [5, 0]])
    matrix.set_baseline(y, pred)
    expected = skeval.metrics.cost_loss(y, pred, cost_matrix=[[0, 1], [5, 0]])
    assert_allclose(named.baseline_["metrics"]["cost"], expected)
    assert_allclose(matrix.baseline_["metrics"]["cost"], expected)
    # pos_label=0 flips the roles of the classes for the named cells only
    flipped = PerformanceMonitor(metrics="cost", fp=1, fn=5, pos_label=0)
    flipped.set_baseline(y, pred)
    assert_allclose(
        flipped.baseline_["metrics"]["cost"],
        skeval.metrics.cost_loss(y, pred, cost_matrix=[[0, 5], [1, 0]]),
    )


def test_string_labels_and_weights():
    """String labels with pos_label, and weights that count as repetitions."""
    rng = np.random.RandomState(9)
    y, pred = _batch(rng, 600)
    names = np.array(["ham", "spam"])
    w = rng.randint(1, 4, size=600)
    monitor = PerformanceMonitor(metrics="recall", pos_label="spam")
    monitor.set_baseline(names[y], names[pred], sample_weight=w)
    repeated = PerformanceMonitor(metrics="recall", pos_label="spam")
    repeated.set_baseline(np.repeat(names[y], w), np.repeat(names[pred], w))
    assert_allclose(
        monitor.baseline_["metrics"]["recall"], repeated.baseline_["metrics"]["recall"]
    )
    assert monitor.pos_label_ == "spam" and monitor.classes_ == ["ham", "spam"]
    result = monitor.check(names[y[:100]], names[pred[:100]], sample_weight=w[:100])
    assert result.metrics["recall"].value is not None


def test_scores_with_threshold():
    """Scores are turned into predictions with score >= threshold."""
    rng = np.random.RandomState(10)
    y = rng.randint(0, 2, 500)
    score = np.clip(0.5 * y + rng.uniform(0, 0.6, 500), 0, 1)
    monitor = PerformanceMonitor(metrics="recall", threshold=0.5)
    monitor.set_baseline(y, y_score=score)
    via_pred = PerformanceMonitor(metrics="recall").set_baseline(
        y, (score >= 0.5).astype(int)
    )
    assert monitor.baseline_["metrics"] == via_pred.baseline_["metrics"]
    assert monitor.check(y, y_score=score).threshold == 0.5


def test_from_tuner_baseline_at_operating_point():
    """from_tuner uses the tuner's threshold, predictions and positive class."""
    X, y = make_classification(n_samples=1500, flip_y=0.1, random_state=0)
    tuner = ThresholdTunedClassifier(LogisticRegression(), objective="f1")
    tuner.fit(X[:700], y[:700])
    monitor = PerformanceMonitor.from_tuner(tuner, X[700:], y[700:], metrics="f1")
    assert monitor.threshold == tuner.best_threshold_
    assert_allclose(
        monitor.baseline_["metrics"]["f1"], f1_score(y[700:], tuner.predict(X[700:]))
    )
    proba = tuner.predict_proba(X[700:])[:, 1]
    result = monitor.check(y[700:], y_score=proba)
    assert_allclose(result.metrics["f1"].value, monitor.baseline_["metrics"]["f1"])
    # a tuner whose positive class is 0
    tuner0 = ThresholdTunedClassifier(
        LogisticRegression(), objective="f1", pos_label=0
    ).fit(X[:700], y[:700])
    monitor0 = PerformanceMonitor.from_tuner(tuner0, X[700:], y[700:], metrics="f1")
    assert monitor0.pos_label_ == 0
    # a tuner on decision values: the baseline's scores are decision values
    tuner_d = ThresholdTunedClassifier(
        LogisticRegression(), objective="f1", response_method="decision_function"
    ).fit(X[:700], y[:700])
    monitor_d = PerformanceMonitor.from_tuner(tuner_d, X[700:], y[700:], metrics="f1")
    assert not monitor_d.baseline_["probabilities"]
    result = monitor_d.check(y[700:], y_score=tuner_d.decision_function(X[700:]))
    assert_allclose(result.metrics["f1"].value, monitor_d.baseline_["metrics"]["f1"])
    assert_allclose(
        monitor0.baseline_["metrics"]["f1"],
        f1_score(y[700:], tuner0.predict(X[700:]), pos_label=0),
    )


def test_estimate_is_marked_and_explains():
    """estimate gives expected counts from probabilities, marked as such."""
    rng = np.random.RandomState(11)
    p = rng.uniform(size=4000)
    y = (rng.uniform(size=4000) < p).astype(int)
    monitor = PerformanceMonitor(metrics=["recall", "precision"], threshold=0.5)
    monitor.set_baseline(y, y_score=p)
    p_new = rng.uniform(size=3000)
    result = monitor.estimate(p_new, batch="unlabelled")
    assert result.estimated and result.to_dict()["estimated"]
    pred = p_new >= 0.5
    assert_allclose(result.counts["tp"], p_new[pred].sum())
    assert_allclose(result.counts["fn"], p_new[~pred].sum())
    assert_allclose(result.metrics["recall"].value, 0.75, atol=0.02)
    assert "calibrated" in result.notes[0]
    assert "looked calibrated" in result.notes[1]
    assert monitor.history_[-1] is result


def test_estimate_warns_about_poor_calibration():
    """The baseline's calibration finding is carried into the estimate."""
    rng = np.random.RandomState(12)
    p = rng.uniform(size=2000)
    y = (rng.uniform(size=2000) < p).astype(int)
    monitor = PerformanceMonitor(metrics="recall", threshold=0.5)
    monitor.set_baseline(y, y_score=p**4)
    result = monitor.estimate(rng.uniform(size=500))
    assert "Doubtful" in result.notes[1]


def test_to_frame(monitor):
    """One row per check and metric."""
    pytest.importorskip("pandas")
    rng = np.random.RandomState(13)
    for day in range(3):
        monitor.check(*_batch(rng, 500), batch=f"day {day}")
    frame = monitor.to_frame()
    assert frame.shape[0] == 9
    assert list(frame["metric"][:3]) == ["recall", "precision", "f1"]
    assert list(frame["batch"].unique()) == ["day 0", "day 1", "day 2"]


def test_store_round_trip(tmp_path):
    """A store keeps the configuration, the baseline and the history."""
    path = tmp_path / "monitor.db"
    rng = np.random.RandomState(14)
    monitor = PerformanceMonitor(
        metrics=["recall", "cost"], tolerance={"recall": 0.05, "cost": 0.2},
        fp=1, fn=5, threshold=-math.inf, store=path,
    )
    monitor.set_baseline(*_batch(rng, 1000))
    results = [monitor.check(*_batch(rng, 300)) for _ in range(3)]
    loaded = PerformanceMonitor.load(path)
    assert loaded.get_config() == monitor.get_config()
    assert loaded.baseline_ == monitor.baseline_
    assert loaded.history_ == results
    assert loaded.threshold == -math.inf
    again = PerformanceMonitor(
        metrics=["recall", "cost"], tolerance={"recall": 0.05, "cost": 0.2},
        fp=1, fn=5, threshold=-math.inf, store=str(path),
    )
    assert again.history_ == results
    nxt = loaded.check(*_batch(rng, 300))
    assert nxt.index == 3
    assert len(PerformanceMonitor.load(path).history_) == 4


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(metrics="roc_auc"), ValueError, "`metrics` must be names among"),
        (dict(metrics=[]), ValueError, "at least one metric"),
        (dict(metrics=["f1", "f1"]), ValueError, "must not repeat"),
        (dict(metrics=3), TypeError, "`metrics` must be a metric name"),
        (dict(tolerance=-0.1), ValueError, "`tolerance` must be a finite number"),
        (dict(tolerance={"f1": 0.1}), ValueError, "one value per monitored metric"),
        (dict(confidence=1.0), ValueError, "strictly between 0 and 1"),
        (dict(rule="loose"), ValueError, "`rule` must be one of"),
        (dict(on_alert="print"), TypeError, "`on_alert` must be callable"),
        (dict(threshold="high"), ValueError, "`threshold` must be a number"),
        (dict(metrics="cost"), ValueError, "needs the costs"),
        (dict(fp=1), ValueError, "'cost' is not among `metrics`"),
        (dict(metrics="cost", fp=1, cost_matrix=[[0, 1], [1, 0]]), ValueError,
         "not both"),
        (dict(metrics="cost", cost_matrix=[[0, "amount"], [1, 0]]), ValueError,
         "2 x 2 with numbers only"),
        (dict(metrics="cost", fn=math.nan), ValueError, "`fn` must be a finite"),
        (dict(pos_label=[1]), TypeError, "`pos_label` must be a number"),
        (dict(store=3), TypeError, "`store` must be a file path"),
    ],
)
def test_constructor_errors(params, error, match):
    with pytest.raises(error, match=match):
        PerformanceMonitor(**params)


def test_method_errors(tmp_path):
    """Each misuse names the rule and what was received."""
    rng = np.random.RandomState(15)
    y, pred = _batch(rng, 200)
    fresh = PerformanceMonitor()
    with pytest.raises(ValueError, match="check needs a baseline"):
        fresh.check(y, pred)
    with pytest.raises(ValueError, match="needs both classes"):
        fresh.set_baseline(np.ones(10, dtype=int), np.ones(10, dtype=int))
    with pytest.raises(ValueError, match="needs `y_pred` or `y_score`"):
        fresh.set_baseline(y)
    with pytest.raises(ValueError, match="needs a threshold"):
        fresh.set_baseline(y, y_score=rng.uniform(size=200))
    with pytest.raises(ValueError, match="only the baseline's classes"):
        fresh.set_baseline(y, np.where(pred == 1, 2, 0))
    with pytest.raises(ValueError, match="must measure every monitored metric"):
        fresh.set_baseline(y, np.zeros_like(y))
    monitor = PerformanceMonitor().set_baseline(y, pred)
    with pytest.raises(ValueError, match="not both"):
        monitor.check(y, pred, y_score=rng.uniform(size=200))
    with pytest.raises(ValueError, match="only the baseline's classes"):
        monitor.check(np.array([0, 2, 0]), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="only the baseline's classes"):
        monitor.check(np.array([0, 1, 1]), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="one entry per sample"):
        monitor.check(y, pred[:-1])
    with pytest.raises(ValueError, match="ISO 8601"):
        monitor.check(y, pred, timestamp="yesterday")
    with pytest.raises(TypeError, match="`timestamp` must be a datetime"):
        monitor.check(y, pred, timestamp=3.5)
    with pytest.raises(TypeError, match="`batch` must be a string"):
        monitor.check(y, pred, batch=1.5)
    with pytest.raises(ValueError, match="needs the monitor's `threshold`"):
        monitor.estimate(rng.uniform(size=10))
    scored = PerformanceMonitor(threshold=0.0).set_baseline(y, pred)
    with pytest.raises(ValueError, match="calibrated probabilities"):
        scored.estimate(rng.normal(size=10))
    with pytest.raises(ValueError, match="existing monitor database"):
        PerformanceMonitor.load(tmp_path / "missing.db")
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database at all " * 100)
    with pytest.raises(ValueError, match="SQLite database"):
        PerformanceMonitor(store=bogus)
    stored = tmp_path / "m.db"
    PerformanceMonitor(metrics="f1", store=stored)
    with pytest.raises(ValueError, match="another configuration"):
        PerformanceMonitor(metrics="recall", store=stored)


def test_from_tuner_errors():
    X, y = make_classification(n_samples=300, random_state=0)
    with pytest.raises(TypeError, match="needs a skeval.ThresholdTunedClassifier"):
        PerformanceMonitor.from_tuner(LogisticRegression().fit(X, y), X, y)
    tuner = ThresholdTunedClassifier(LogisticRegression(), objective="f1").fit(X, y)
    with pytest.raises(TypeError, match="takes `threshold` from the tuner"):
        PerformanceMonitor.from_tuner(tuner, X, y, threshold=0.5)


def test_metric_check_str_and_dict():
    check = MetricCheck("recall", 0.9, None, None, None, None, None, math.inf,
                        0.05, True, False, "insufficient_data", "No positives.")
    assert check.to_dict()["min_detectable_drop"] == "inf"
    assert "n/a" in str(check)


# -- statistics, by simulation (fixed seeds) ----------------------------------

_COSTS = np.array([0.0, 1.0, 5.0, 0.0])  # tp, fp, fn, tn: fp=1, fn=5


def _cells(prevalence, tpr, fpr):
    """Population shares of (tp, fp, fn, tn)."""
    return np.array([
        prevalence * tpr, (1 - prevalence) * fpr,
        prevalence * (1 - tpr), (1 - prevalence) * (1 - fpr),
    ])


def _population_value(name, cells):
    if name == "cost":
        return float(cells @ _COSTS)
    return float(skeval._core._formulas.COUNT_METRICS[name](*cells))


def _worse_by(name, drop, prevalence=0.3, tpr=0.85, fpr=0.1):
    """Population cells whose metric is worse by exactly ``drop``."""
    from scipy.optimize import brentq

    higher = name not in ("alert_rate", "cost", "fpr", "fnr")
    base = _population_value(name, _cells(prevalence, tpr, fpr))
    target = base - drop if higher else base + drop
    if name in ("precision", "alert_rate"):  # more false positives
        x = brentq(lambda f: _population_value(
            name, _cells(prevalence, tpr, f)) - target, fpr, 0.999)
        return _cells(prevalence, tpr, x)
    x = brentq(lambda t: _population_value(
        name, _cells(prevalence, t, fpr)) - target, 0.001, tpr)
    return _cells(prevalence, x, fpr)


def _draw(rng, n, cells):
    """Labels and predictions of n cases drawn from population cells."""
    counts = rng.multinomial(n, cells)
    return np.repeat([1, 0, 1, 0], counts), np.repeat([1, 1, 0, 0], counts)


def _alert_rate(name, n, current, *, rules=("statistical",), reps, seed,
                n_base=5000, tol=0.05):
    """Share of (fresh baseline, batch) pairs on which each rule alerts."""
    rng = np.random.default_rng(seed)
    costs = dict(fp=1, fn=5) if name == "cost" else {}
    base = _cells(0.3, 0.85, 0.1)
    alerts = dict.fromkeys(rules, 0)
    for _ in range(reps):
        y_base, pred_base = _draw(rng, n_base, base)
        y, pred = _draw(rng, n, current)
        for rule in rules:
            monitor = PerformanceMonitor(metrics=name, tolerance=tol, rule=rule,
                                         **costs)
            monitor.set_baseline(y_base, pred_base)
            alerts[rule] += monitor.check(y, pred).alert
    return {rule: count / reps for rule, count in alerts.items()}


@pytest.fixture
def quiet_monitor_logger():
    logger = logging.getLogger("skeval.monitoring")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize(
    "name, n, seed",
    [("recall", 200, 0), ("precision", 5000, 1), ("alert_rate", 200, 2),
     ("f1", 200, 3), ("cost", 5000, 4)],
)
def test_false_alarm_rate_at_most_one_minus_confidence(
    name, n, seed, quiet_monitor_logger
):
    """A true drop of exactly the tolerance alerts in at most 5% of the
    checks (+3 SE), the baseline redrawn each time."""
    reps, alpha = 400, 0.05
    rate = _alert_rate(name, n, _worse_by(name, 0.05), reps=reps, seed=seed)
    assert rate["statistical"] <= alpha + 3 * np.sqrt(alpha * (1 - alpha) / reps)


@pytest.mark.parametrize("name, seed", [("recall", 5), ("f1", 6)])
def test_true_drop_of_twice_the_tolerance_alerts_mostly(
    name, seed, quiet_monitor_logger
):
    """At n = 5,000 a true drop of 2 x tolerance alerts in most batches."""
    rate = _alert_rate(name, 5000, _worse_by(name, 0.10), reps=100, seed=seed)
    assert rate["statistical"] >= 0.8


def test_fixed_rule_false_alarms_at_n_200(quiet_monitor_logger):
    """With no drop at all, the fixed rule alarms on a large share of
    200-case batches; the statistical rule stays under 1 - confidence."""
    reps = 400
    rate = _alert_rate("recall", 200, _cells(0.3, 0.85, 0.1),
                       rules=("statistical", "fixed"), reps=reps, seed=7)
    assert rate["fixed"] >= 0.1  # about 0.15 here
    assert rate["statistical"] <= 0.05


# -- persistence across a killed process ------------------------------------

_CHILD = """
import sys
import numpy as np
from skeval.monitoring import PerformanceMonitor

rng = np.random.RandomState(0)
monitor = PerformanceMonitor(metrics=["recall", "f1"], store=sys.argv[1])
y = rng.randint(0, 2, 400)
monitor.set_baseline(y, np.where(rng.uniform(size=400) < 0.9, y, 1 - y))
print("baseline", flush=True)
i = 0
while True:
    y = rng.randint(0, 2, 300)
    result = monitor.check(y, np.where(rng.uniform(size=300) < 0.85, y, 1 - y),
                           batch=i)
    print(result.index, flush=True)  # acknowledged
    i += 1
"""


def test_store_survives_sigkill(tmp_path):
    """A process killed by SIGKILL between (or during) checks loses nothing
    it acknowledged."""
    import os
    import signal
    import subprocess
    import sys

    path = tmp_path / "killed.db"
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(skeval.__file__))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    child = subprocess.Popen(
        [sys.executable, str(script), str(path)], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env,
    )
    acknowledged = []
    try:
        assert child.stdout.readline().strip() == "baseline", child.stderr.read()
        while len(acknowledged) < 5:
            acknowledged.append(int(child.stdout.readline()))
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    resumed = PerformanceMonitor.load(path)
    assert resumed.baseline_ is not None
    indices = [r.index for r in resumed.history_]
    assert indices[: len(acknowledged)] == acknowledged == list(range(5))
    assert indices == list(range(len(indices)))  # nothing torn or out of order
    assert [r.batch for r in resumed.history_] == indices
    # the resumed monitor goes on where the killed one stopped
    rng = np.random.RandomState(1)
    y = rng.randint(0, 2, 300)
    assert resumed.check(y, y).index == len(indices)


# -- the display ----------------------------------------------------------------

def test_display_draws_the_history():
    """Values, band, baseline, tolerance line and alert markers hold the
    history's numbers."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skeval.monitoring import MonitorDisplay

    rng = np.random.RandomState(16)
    monitor = PerformanceMonitor(metrics=["recall", "fpr"], tolerance=0.05)
    monitor.set_baseline(*_batch(rng, 4000))
    for day, tpr in enumerate([0.9, 0.9, 0.6, 0.9, 0.5]):
        monitor.check(*_batch(rng, 1000, tpr=tpr), batch=f"d{day}")
    display = MonitorDisplay.from_monitor(monitor, metric="recall")
    checks = [r.metrics["recall"] for r in monitor.history_]
    assert_allclose(display.line_.get_xdata(), range(5))
    assert_allclose(display.line_.get_ydata(), [c.value for c in checks])
    base = monitor.baseline_["metrics"]["recall"]
    assert_allclose(display.baseline_line_.get_ydata(), base)
    assert_allclose(display.tolerance_line_.get_ydata(), base - 0.05)
    alerts = [i for i, c in enumerate(checks) if c.alert]
    assert alerts == [2, 4]
    assert_allclose(display.alert_markers_.get_offsets()[:, 0], alerts)
    band = display.band_.get_paths()[0].vertices
    assert_allclose(band[:, 1].min(), min(c.ci_low for c in checks))
    assert_allclose(band[:, 1].max(), max(c.ci_high for c in checks))
    labels = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert labels == [f"d{i}" for i in range(5)]
    assert display.ax_.get_ylabel() == "Recall"
    # an "at most" metric: the tolerance line is above the baseline
    fpr = MonitorDisplay.from_monitor(monitor, metric="fpr")
    fpr_base = monitor.baseline_["metrics"]["fpr"]
    assert_allclose(fpr.tolerance_line_.get_ydata(), fpr_base + 0.05)
    plt.close("all")


def test_display_marks_estimates_and_errors():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skeval.monitoring import MonitorDisplay

    rng = np.random.RandomState(17)
    p = rng.uniform(size=2000)
    y = (rng.uniform(size=2000) < p).astype(int)
    monitor = PerformanceMonitor(metrics="recall", threshold=0.5)
    with pytest.raises(ValueError, match="at least one check"):
        MonitorDisplay.from_monitor(monitor.set_baseline(y, y_score=p))
    monitor.check(y[:500], y_score=p[:500])
    monitor.estimate(p[500:1000])
    display = MonitorDisplay.from_monitor(monitor)
    assert display.estimated == [False, True]
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert "estimate (no labels)" in legend
    with pytest.raises(ValueError, match="one of the monitor's metrics"):
        MonitorDisplay.from_monitor(monitor, metric="f1")
    plt.close("all")


def test_shared_store_numbers_checks_once(tmp_path):
    """Two monitors (or processes) on one store never reuse an index, and
    threads sharing one monitor neither."""
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "shared.db"
    rng = np.random.RandomState(18)
    first = PerformanceMonitor(metrics="recall", store=path)
    first.set_baseline(*_batch(rng, 1000))
    second = PerformanceMonitor.load(path)
    y, pred = _batch(rng, 200)
    assert first.check(y, pred).index == 0
    assert second.check(y, pred).index == 1
    assert first.check(y, pred).index == 2
    assert [r.index for r in first.history_] == [0, 1, 2]
    with ThreadPoolExecutor(4) as pool:
        indices = list(pool.map(lambda _: second.check(y, pred).index, range(12)))
    assert sorted(indices) == list(range(3, 15))
    assert [r.index for r in PerformanceMonitor.load(path).history_] == list(range(15))
    copy = pickle.loads(pickle.dumps(second))
    assert copy.history_ == second.history_ and copy.check(y, pred).index == 15


# -- exact pieces against the obvious computation --------------------------------


@settings(max_examples=40)
@given(
    data=st.lists(
        st.tuples(st.booleans(), st.booleans(), st.integers(0, 3)),
        min_size=2, max_size=40,
    ),
)
def test_batch_counts_match_sklearn_confusion_matrix(data):
    """Weighted counts (zero weights, ties, one class) equal sklearn's."""
    from sklearn.metrics import confusion_matrix

    y = np.array([d[0] for d in data], dtype=int)
    pred = np.array([d[1] for d in data], dtype=int)
    w = np.array([d[2] for d in data], dtype=float)
    if len(np.unique(y)) < 2 or w.sum() == 0:
        return
    monitor = PerformanceMonitor(metrics="accuracy")
    monitor.set_baseline(y, pred, sample_weight=w)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1], sample_weight=w).ravel()
    counts = monitor.baseline_["counts"]
    assert_allclose([counts[k] for k in ("tp", "fp", "fn", "tn")], [tp, fp, fn, tn])
    result = monitor.check(y, pred, sample_weight=w)
    assert_allclose(result.metrics["accuracy"].value,
                    np.average(y == pred, weights=w))


@pytest.mark.parametrize("k, n", [(0, 10), (3, 10), (10, 10), (57, 200)])
def test_exact_bounds_are_clopper_pearson(k, n):
    """The proportion bounds are scipy's exact binomial interval."""
    from scipy.stats import binomtest

    from skeval.monitoring._stats import clopper_pearson

    low, high = clopper_pearson(k / n, n, 0.025)
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    assert_allclose([low, high], [ci.low, ci.high], atol=1e-9)
