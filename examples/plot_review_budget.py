"""
==========================================
A review budget: flag at most 2% of cases
==========================================

A fraud team can look at 2% of the day's transactions, no more. The question is
not "which threshold is best in general" but "which threshold fills the budget
with the most fraud". That is ``objective="recall"`` under
``constraint=("alert_rate", 0.02)``, where the alert rate is the share of
samples predicted positive.

The data are generated: 20,000 transactions, about 2% of them fraudulent.
"""

# %%
# Data and model
# --------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_score, recall_score
from sklearn.model_selection import train_test_split

from skeval import ThresholdTunedClassifier

X, y = make_classification(
    n_samples=20_000,
    n_features=20,
    n_informative=6,
    weights=[0.98],
    class_sep=1.0,
    flip_y=0.005,
    random_state=1,
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
model = LogisticRegression()
print(f"fraud: {y.mean():.2%} of {len(y)} transactions")

# %%
# Fill the budget
# ---------------
# The tuner maximises recall, mean over 5 folds, among the thresholds whose
# mean alert rate is at most 2%.
budget = ThresholdTunedClassifier(
    model,
    objective="recall",
    constraint=("alert_rate", 0.02),
    store_cv_results=True,
).fit(X_train, y_train)
print(f"threshold {budget.best_threshold_:.4f}")
print(
    f"mean CV alert rate {budget.constraint_value_:.4f}, "
    f"recall {budget.best_score_:.3f}"
)

# %%
# On held-out transactions, the default 0.5 cut-off flags fewer transactions
# than the team can review: the spare capacity is fraud nobody looks at. The
# tuned threshold uses the budget and catches more fraud, with a lower but
# still useful precision.
default = model.fit(X_train, y_train)
print(f"{'':>7} {'alert rate':>10} {'recall':>7} {'precision':>9}")
for name, y_pred in [
    ("default", default.predict(X_test)),
    ("budget", budget.predict(X_test)),
]:
    print(
        f"{name:>7} {y_pred.mean():10.4f} {recall_score(y_test, y_pred):7.3f} "
        f"{precision_score(y_test, y_pred):9.3f}"
    )

# %%
# What each budget buys
# ---------------------
# The cross-validation curves that the tuner stored answer the next question,
# "what would a bigger team catch?", without another fit: at every candidate
# threshold they give the mean alert rate and the mean recall. Plotted against
# each other, they show how recall grows with the budget, and where the default
# threshold and the tuned one sit.
res = budget.cv_results_
alert_rate, recall = res["constraint"], res["objective"]
for limit in (0.005, 0.01, 0.02, 0.05):
    best = recall[alert_rate <= limit].max()
    print(f"budget {limit:6.1%}: best mean CV recall {best:.3f}")

# the operating point of the default threshold on the same curves: the last
# candidate >= 0.5 (the candidates decrease)
k = np.flatnonzero(res["thresholds"] >= 0.5)[-1]
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(alert_rate, recall, color="C0", label="mean CV curve")
ax.plot(alert_rate[k], recall[k], "s", color="C3", label="default 0.5")
ax.axvline(0.02, color="0.5", ls=":", label="budget 2%")
ax.plot(
    budget.constraint_value_,
    budget.best_score_,
    "o",
    color="C2",
    label=f"tuned (threshold {budget.best_threshold_:.3f})",
)
ax.set(
    xlim=(0, 0.08),
    xlabel="alert rate (share of transactions flagged)",
    ylabel="recall (share of fraud flagged)",
    title="Recall bought by each review budget",
)
ax.legend(loc="lower right")
plt.show()
