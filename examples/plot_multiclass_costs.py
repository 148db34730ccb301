"""
======================================================
Triage with three classes: costs, calibration, offsets
======================================================

A triage desk sorts incoming cases into *routine*, *urgent* and *critical*.
Its mistakes are not alike: sending a critical case to the routine queue can
be a disaster, sending a routine case to the critical team wastes some of
their time. With three classes there is no threshold to move, and a
classifier's ``predict`` (the most probable class) ignores these prices.

This example compares four ways to decide, on the cost of held-out cases:

* **argmax**: the classifier's own ``predict``;
* **minimum expected cost** on the raw probabilities
  (:class:`~skeval.MinimumExpectedCostClassifier`): the decision-theoretic
  rule, right if the probabilities are calibrated;
* the same on probabilities recalibrated by scikit-learn's
  :class:`~sklearn.calibration.CalibratedClassifierCV`;
* **tuned class offsets** (:class:`~skeval.ThresholdTunedClassifier` with a
  3 x 3 cost scorer): one additive offset per class on the log-probabilities,
  chosen to minimise the cross-validated cost; no calibration needed.

Each rule is applied to two models: a plain logistic regression, and the same
with ``class_weight="balanced"``, a common response to imbalance. The ideas are
in the User Guide, :ref:`multiclass`.
"""

# %%
# Data: a latent severity, three queues
# -------------------------------------
# Each case has a hidden severity; the ten features are noisy measurements of
# it (plus four of pure noise). The 70% least severe cases are routine, the
# 7% most severe critical. Half of the cases train the models, half measure
# the costs.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import train_test_split

from skeval import (
    MinimumExpectedCostClassifier,
    ThresholdTunedClassifier,
    make_cost_scorer,
)
from skeval.exceptions import PoorCalibrationWarning
from skeval.metrics import cost_loss, expected_calibration_error

rng = np.random.RandomState(0)
n_samples = 3000
severity = rng.normal(size=n_samples)
X = np.column_stack(
    [severity + rng.normal(scale=2.0, size=n_samples) for _ in range(10)]
    + [rng.normal(size=(n_samples, 4))]
)
y = np.digitize(severity, np.quantile(severity, [0.70, 0.93]))
names = ["routine", "urgent", "critical"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
print("test cases per class:", dict(zip(names, np.bincount(y_test).tolist())))

# %%
# The cost matrix
# ---------------
# Rows are the true class, columns the decision (the orientation of
# :func:`sklearn.metrics.confusion_matrix`). Over-triage costs 1 per level of
# severity; under-triage costs 5 per level, and a critical case sent to the
# routine queue costs 25.
#
# .. code-block:: text
#
#                     routine  urgent  critical   <- decision
#     true routine   [[   0,      1,       2  ],
#     true urgent     [   5,      0,       1  ],
#     true critical   [  25,      5,       0  ]]
cost_matrix = np.array([[0, 1, 2], [5, 0, 1], [25, 5, 0]])


def held_out_cost(model):
    """Mean cost per test case of a fitted model's decisions."""
    return cost_loss(y_test, model.predict(X_test), cost_matrix=cost_matrix)


def classwise_ece(proba):
    """Mean over classes of the one-vs-rest calibration error on the test half."""
    return np.mean(
        [
            expected_calibration_error(y_test == k, proba[:, k], pos_label=True)
            for k in range(len(names))
        ]
    )


# %%
# Four rules, two models
# ----------------------
# :class:`~skeval.MinimumExpectedCostClassifier` checks the calibration of the
# probabilities it is given (out of fold, on the training half) and warns when
# it is poor (above 0.05 by default); the check and its warning are printed
# below.
# ``make_cost_scorer(cost_matrix)`` is minus the mean cost, so the tuner can
# maximise it; on a three-class target it learns one offset per class.
models = {
    "logistic": LogisticRegression(),
    "logistic, balanced": LogisticRegression(class_weight="balanced"),
}
rules = ["argmax", "expected cost, raw", "expected cost, calibrated", "tuned offsets"]
costs, fitted, calibration = {}, {}, {}
for model_name, model in models.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PoorCalibrationWarning)
        raw = MinimumExpectedCostClassifier(model, cost_matrix=cost_matrix)
        raw.fit(X_train, y_train)
    print(
        f"{model_name}: out-of-fold calibration error "
        f"{raw.calibration_error_:.3f}"
        + (", PoorCalibrationWarning" if caught else ", no warning")
    )
    calibrated = MinimumExpectedCostClassifier(
        CalibratedClassifierCV(model, method="isotonic", cv=5),
        cost_matrix=cost_matrix,
        calibration_cv=None,  # calibrated on purpose: no check needed
    ).fit(X_train, y_train)
    tuned = ThresholdTunedClassifier(
        model, objective=make_cost_scorer(cost_matrix)
    ).fit(X_train, y_train)
    argmax = raw.estimator_  # the model itself, fitted on the training half
    fitted[model_name] = dict(zip(rules, [argmax, raw, calibrated, tuned]))
    costs[model_name] = [held_out_cost(m) for m in fitted[model_name].values()]
    calibration[model_name] = (
        classwise_ece(argmax.predict_proba(X_test)),
        classwise_ece(calibrated.estimator_.predict_proba(X_test)),
    )

print(f"\n{'mean cost per test case':<28}" + "".join(f"{m:>20}" for m in models))
for i, rule in enumerate(rules):
    print(f"{rule:<28}" + "".join(f"{costs[m][i]:>20.3f}" for m in models))
print(f"\n{'calibration error (test)':<28}" + "".join(f"{m:>20}" for m in models))
for i, source in enumerate(["raw probabilities", "CalibratedClassifierCV"]):
    print(f"{source:<28}" + "".join(f"{calibration[m][i]:>20.3f}" for m in models))

# %%
fig, ax = plt.subplots(figsize=(7, 4.5))
width = 0.2
positions = np.arange(len(models))
for i, rule in enumerate(rules):
    values = [costs[m][i] for m in models]
    bars = ax.bar(positions + (i - 1.5) * width, values, width, label=rule)
    ax.bar_label(bars, fmt="%.2f", fontsize=8)
ax.set_xticks(positions, list(models))
ax.set_ylabel("mean cost per test case")
ax.set_ylim(0, 1.3 * max(max(row) for row in costs.values()))
ax.set_title("Held-out cost of four decision rules (lower is better)")
ax.legend(loc="upper center", ncols=2, fontsize=8)
plt.tight_layout()
plt.show()

# %%
# What the numbers say
# --------------------
# **Argmax is the expensive rule** for the plain model: it ignores the prices.
#
# **With the plain logistic regression**, whose probabilities are close to
# calibrated, the expected-cost rule is the cheapest, and tuned offsets come
# close behind: decision theory works when its premise holds.
#
# **With** ``class_weight="balanced"``, the model is trained as if the three
# classes were equally frequent. Its probabilities overstate the rare classes,
# :class:`~skeval.MinimumExpectedCostClassifier` warned when it was fitted, and
# its rule now costs *more* than argmax: it weighs the inflated risk of a
# severe case by the high price of missing one, so the rare classes count
# twice. The balanced model's argmax is itself fairly cheap, because the
# reweighting already pushes decisions towards the severe classes. Tuned
# offsets reach the same cost as on the plain model.
#
# **Recalibration is not a free fix.**
# :class:`~sklearn.calibration.CalibratedClassifierCV` calibrates each class
# against the rest and renormalises the columns. On the plain model, it
# *raised* the class-wise calibration error on the test half (second table);
# on the balanced one it lowered it, but not to the plain model's level. For
# both, the expected-cost rule on the recalibrated probabilities is the worst
# of the cost-aware rules. Calibration is a fit of its own, with its own data
# needs; check it on held-out data before trusting decisions to it.
#
# Where the mistakes go
# ---------------------
# One confusion matrix per rule and model (rows: true class, columns:
# decision). For the plain model, argmax sends more than half of the critical
# cases to a lower queue, and about half of the urgent ones to routine. The
# expected-cost rule and the tuned offsets send no critical case to routine
# and fewer to urgent, and pay for it with routine cases sent to the
# urgent queue, the cheapest mistake. The recalibrated probabilities send most
# routine cases to the urgent queue; the balanced model's raw expected cost
# over-triages at every level.
fig, axes = plt.subplots(2, 4, figsize=(13, 6.8), sharex=True, sharey=True)
for row, model_name in zip(axes, models):
    for ax, (rule, model) in zip(row, fitted[model_name].items()):
        pred = model.predict(X_test)
        ConfusionMatrixDisplay.from_predictions(
            y_test, pred, display_labels=names, colorbar=False, ax=ax
        )
        cost = cost_loss(y_test, pred, cost_matrix=cost_matrix)
        ax.set_title(f"{model_name}\n{rule}: cost {cost:.3f}", fontsize=9)
        ax.set_xlabel("decision" if ax in axes[1] else "")
        ax.set_ylabel("true class" if ax is row[0] else "")
plt.tight_layout()
plt.show()

# %%
# Offsets are log-prior shifts
# ----------------------------
# The tuner predicts ``argmax(log P(k | x) + class_offsets_[k])``. Adding
# ``b`` to a class's log-probability multiplies its probability by ``exp(b)``,
# exactly what a change of that class's prior does in Bayes' rule. Only
# differences between offsets matter (adding the same number to all changes no
# decision), so they are shown relative to *routine*.
#
# ``class_weight="balanced"`` weighs class ``k`` by ``n / (3 n_k)`` in
# training, which, roughly, adds ``log`` of that weight to the class's
# log-odds. If offsets are prior shifts, the balanced model's offsets should be
# the plain model's *minus* these log-weights.
offsets = {
    m: fitted[m]["tuned offsets"].class_offsets_
    - fitted[m]["tuned offsets"].class_offsets_[0]
    for m in models
}
weights = len(y_train) / (len(names) * np.bincount(y_train))
log_weights = np.log(weights / weights[0])
print(f"{'offset relative to routine':<34}" + "".join(f"{n:>10}" for n in names))
for m, off in offsets.items():
    print(f"{m:<34}" + "".join(f"{v:>10.2f}" for v in off))
difference = offsets["logistic, balanced"] - offsets["logistic"]
print(f"{'balanced - plain':<34}" + "".join(f"{v:>10.2f}" for v in difference))
print(
    f"{'minus log class weight':<34}"
    + "".join(f"{0.0 - v:>10.2f}" for v in log_weights)
)

# %%
# They are, up to the noise of tuning on 1,500 cases: the tuner learned to undo
# the reweighting, then to add what the costs ask for. The plain model's
# offsets are positive for *urgent* and *critical*: with these prices the desk
# should act as if severe cases were several times more common than they are.
#
# The offsets each cross-validation fold would have chosen alone show how
# firmly the data pin them down; the critical offset, learned from about 20
# critical cases per validation fold, moves the most:
folds = fitted["logistic"]["tuned offsets"].fold_offsets_
folds = folds - folds[:, :1]
print("per-fold offsets of the plain model, relative to routine:")
print(np.round(folds, 2))

# %%
# Which rule to use
# -----------------
# * Probabilities that are calibrated (checked on held-out data, not assumed):
#   the expected-cost rule. It needs no tuning data, uses the whole cost
#   matrix, and adapts to new prices without any refitting of the model.
# * Probabilities of unknown or poor quality (class weights, resampling,
#   boosted trees, naive Bayes, or decision values without probabilities):
#   tune offsets on held-out cost. They need enough validation cases of each
#   class; ``fold_offsets_`` shows whether there were.
