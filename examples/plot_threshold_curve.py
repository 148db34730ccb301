"""
=====================================================
The threshold curve: the chosen point and its spread
=====================================================

Before trusting a tuned threshold, look at what happens around it.
:class:`~skeval.ThresholdCurveDisplay` draws metrics against the threshold, in
the estimator's own score space, with the chosen operating point, the default
one, and, from a tuner's cross-validation, every fold's curve and every fold's
own choice. Their spread shows how firmly the data pin the threshold down.

The model here is a linear support vector machine: it has no
``predict_proba``, so its scores are decision values and its default cut-off
is 0, not 0.5. Nothing is rescaled.
"""

# %%
# Tune with the curves kept
# -------------------------
# ``store_cv_results=True`` keeps the mean and per-fold curves that the display
# draws.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skeval import ThresholdCurveDisplay, ThresholdTunedClassifier
from skeval.metrics import tuned_threshold_report

X, y = make_classification(
    n_samples=3000,
    n_features=20,
    n_informative=5,
    weights=[0.9],
    class_sep=1.2,
    flip_y=0.01,
    random_state=3,
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.4, stratify=y, random_state=0
)
svm = make_pipeline(StandardScaler(), LinearSVC(C=0.1))
tuner = ThresholdTunedClassifier(svm, objective="f1", store_cv_results=True).fit(
    X_train, y_train
)
print(f"tuned threshold (decision value): {tuner.best_threshold_:.3f}")
print(f"mean CV F1 there: {tuner.best_score_:.3f}")
print("each fold's own threshold:", np.round(tuner.fold_thresholds_, 3))
spread = tuner.fold_thresholds_.max() - tuner.fold_thresholds_.min()
print(f"spread of the folds' thresholds: {spread:.3f}")

# %%
# The cross-validation curves
# ---------------------------
# Thin lines: the F1 of each validation fold; thick line: their mean, which the
# tuner maximised exactly. The marker is ``best_threshold_``, the square the
# default 0; the ticks along the bottom are the folds' own optima. Left: one
# line per fold; right: the band between the lowest and the highest fold.
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
ThresholdCurveDisplay.from_tuner(tuner, ax=left, name="one line per fold")
ThresholdCurveDisplay.from_tuner(
    tuner, ax=right, folds="band", name="band of the folds"
)
plt.show()

# %%
# The folds' optima lie close together, on the part of the mean curve that is
# within a few points of its maximum: the threshold is well determined, and
# small moves around it cost little F1. The default 0 sits on the steep right
# flank of the curve, far from the top.
#
# A constraint on the same plot
# -----------------------------
# With a constraint, the display adds the constrained metric, its limit (the
# dashed line) and shades the thresholds where the mean misses it. Here the
# best precision with recall at least 0.8: the crossing of the two curves
# shows what that recall costs in precision.
screen = ThresholdTunedClassifier(
    svm, objective="precision", constraint=("recall", 0.8), store_cv_results=True
).fit(X_train, y_train)
ThresholdCurveDisplay.from_tuner(
    screen, folds="band", name="best precision with recall >= 0.8"
)
plt.show()
print(
    f"threshold {screen.best_threshold_:.3f}, mean CV recall "
    f"{screen.constraint_value_:.3f}, precision {screen.best_score_:.3f}"
)

# %%
# On held-out data
# ----------------
# ``from_estimator`` on a fitted tuner draws the curves of the test set, with
# the tuner's objective, and marks the threshold it chose on the training
# folds: the honest picture of how that choice fares on new data.
ThresholdCurveDisplay.from_estimator(tuner, X_test, y_test, name="test set")
plt.show()

# %%
# The report puts the tuned and the default threshold side by side, in counts
# and rates, on the same test set.
print(tuned_threshold_report(tuner, X_test, y_test))
