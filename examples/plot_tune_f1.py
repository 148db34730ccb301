"""
===============================================
Tune the threshold for F1 instead of using 0.5
===============================================

A classifier's ``predict`` cuts its probability at 0.5. Nothing about an
imbalanced problem makes 0.5 special: with 5% positives, a logistic regression
rarely gives a positive a probability above one half, so the default cut-off
finds few of them. :class:`~skeval.ThresholdTunedClassifier` chooses the
cut-off that maximises F1 by cross-validation, over every distinct score, and
this example compares the two on held-out data.
"""

# %%
# Data: 5% positives, some label noise
# ------------------------------------
# A generated problem, split in half: the first half chooses the threshold (by
# 5-fold cross-validation inside the tuner), the second half judges it.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import train_test_split

from skeval import ThresholdTunedClassifier

X, y = make_classification(
    n_samples=6000,
    n_features=20,
    n_informative=5,
    weights=[0.95],
    class_sep=0.8,
    flip_y=0.01,
    random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
print(f"positives: {y.mean():.1%} of {len(y)} samples")

# %%
# The default cut-off and the tuned one
# -------------------------------------
# ``store_cv_results=True`` keeps the F1 curve of every fold, to plot below.
default = LogisticRegression().fit(X_train, y_train)
tuned = ThresholdTunedClassifier(
    LogisticRegression(), objective="f1", store_cv_results=True
).fit(X_train, y_train)

print(
    f"tuned threshold: {tuned.best_threshold_:.3f} (mean CV F1 {tuned.best_score_:.3f})"
)
print("each fold's own optimum:", np.round(tuned.fold_thresholds_, 3))

# %%
# On the held-out half, the tuned threshold trades some precision for much
# more recall, and F1 rises accordingly.
print(f"{'':>7} {'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6}")
for name, threshold, y_pred in [
    ("default", 0.5, default.predict(X_test)),
    ("tuned", tuned.best_threshold_, tuned.predict(X_test)),
]:
    print(
        f"{name:>7} {threshold:9.3f} {precision_score(y_test, y_pred):9.3f} "
        f"{recall_score(y_test, y_pred):7.3f} {f1_score(y_test, y_pred):6.3f}"
    )

# %%
# F1 as the threshold moves
# -------------------------
# ``cv_results_`` holds the validation F1 at every candidate threshold, for
# each fold and averaged. The curve is flat near its top: any threshold there is
# about as good, which is why the fold optima scatter. 0.5 is far down the
# right-hand slope.
res = tuned.cv_results_
thresholds = res["thresholds"][1:]  # the first candidate is +inf
fig, ax = plt.subplots(figsize=(7, 4))
for fold in res["objective_folds"]:
    ax.plot(thresholds, fold[1:], color="0.75", lw=0.8)
ax.plot(thresholds, res["objective"][1:], color="C0", lw=2, label="mean over folds")
ax.axvline(0.5, color="C3", ls="--", label="default 0.5")
ax.axvline(
    tuned.best_threshold_, color="C2", label=f"tuned {tuned.best_threshold_:.2f}"
)
ax.set(
    xlabel="threshold on predict_proba",
    ylabel="validation F1",
    title="F1 against the threshold (grey: each fold)",
)
ax.legend()
plt.show()
