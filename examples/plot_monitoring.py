"""
============================
Monitoring a deployed model
============================

A screening model is tuned to catch at least 80% of the positives, then
deployed. Every day about 300 cases get their labels, and the team wants to
know whether recall has slipped more than five points below what it was at
deployment. Half-way through the month the positives start to look more like
the negatives (the population changes, the model does not) and recall really
falls, by about 0.19.

We compare two monitors on the same days: :class:`~skeval.monitoring.PerformanceMonitor`
with its statistical rule, which alerts only when the data show a drop beyond
the tolerance at 95% confidence, and the common fixed rule, which alerts when
the day's point value is more than five points below the baseline.
"""

# %%
# A tuned model and its baseline
# ------------------------------
# The model is tuned on one part of the data and its operating point measured
# on another, held-out part: that measurement is the monitor's baseline.
import logging

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skeval import ThresholdTunedClassifier
from skeval.monitoring import MonitorDisplay, PerformanceMonitor

X, y = make_classification(
    n_samples=16_000, n_features=10, n_informative=5, weights=[0.7],
    class_sep=1.0, flip_y=0.02, random_state=0,
)
X_fit, y_fit = X[:3000], y[:3000]
X_val, y_val = X[3000:6000], y[3000:6000]
X_live, y_live = X[6000:], y[6000:]

tuner = ThresholdTunedClassifier(
    LogisticRegression(), objective="precision", constraint=("recall", 0.8)
).fit(X_fit, y_fit)

statistical = PerformanceMonitor.from_tuner(
    tuner, X_val, y_val, metrics=["recall", "precision"], tolerance=0.05
)
fixed = PerformanceMonitor.from_tuner(
    tuner, X_val, y_val, metrics=["recall", "precision"], tolerance=0.05,
    rule="fixed",
)
# Alerts also go to the logger "skeval.monitoring" at WARNING (and to an
# ``on_alert`` callback when given); this page reads them from the history.
logging.getLogger("skeval.monitoring").setLevel(logging.ERROR)
print(f"threshold {tuner.best_threshold_:.3f}")
print({k: round(v, 3) for k, v in statistical.baseline_["metrics"].items()})

# %%
# Thirty days of labelled batches
# -------------------------------
# From day 16 on, the positives' inputs move a third of the way towards the
# negatives': at the same threshold the model misses more of them.
towards_negatives = X_fit[y_fit == 0].mean(axis=0) - X_fit[y_fit == 1].mean(axis=0)
days = 30
rows = np.array_split(np.arange(len(y_live)), days)
for day, idx in enumerate(rows):
    X_day = X_live[idx]
    if day >= 15:
        X_day = X_day + 0.35 * np.outer(y_live[idx] == 1, towards_negatives)
    y_score = tuner.predict_proba(X_day)[:, 1]
    for monitor in (statistical, fixed):
        monitor.check(y_live[idx], y_score=y_score, batch=f"day {day + 1}")

print(statistical.history_[-1])

# %%
# The history of recall
# ---------------------
# Each point is one day's recall with its 95% interval; the dashed line is the
# baseline, the dotted line the tolerance, and a cross marks an alert.
fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True, sharey=True)
MonitorDisplay.from_monitor(statistical, metric="recall", ax=axes[0])
axes[0].set_title("statistical rule (95% confidence)")
MonitorDisplay.from_monitor(fixed, metric="recall", ax=axes[1])
axes[1].set_title("fixed rule (point drop > 0.05)")
for ax in axes:
    ax.set_xticks(range(0, days, 3), [f"day {d + 1}" for d in range(0, days, 3)])
fig.tight_layout()

# %%
# What each rule flagged
# ----------------------
# Before the drift every alert is a false alarm; after it, a missed day is a
# missed drop.
for name, monitor in [("statistical", statistical), ("fixed", fixed)]:
    alerts = np.array([r.metrics["recall"].alert for r in monitor.history_])
    print(f"{name:>11}: {alerts[:15].sum():2d} alerts on the 15 healthy days, "
          f"{alerts[15:].sum():2d} on the 15 drifted days")

# %%
# ``monitor.to_frame()`` gives the same history as a pandas DataFrame (one row
# per check and metric), and ``result.to_dict()`` each check as plain JSON-ready
# values.
print(statistical.history_[3].to_dict()["metrics"][0])

# %%
# The fixed rule alarms on healthy days because a day's recall, measured on
# about 100 positives, moves by several points by chance alone; the statistical
# rule counts that noise (and the baseline's own) and waits until the data
# show the drop. Each check also says how large a drop its batch could detect:
days_detect = [r.metrics["recall"].min_detectable_drop for r in statistical.history_]
print(f"smallest detectable drop of recall per day: about {np.median(days_detect):.2f}")
