"""Quick start: a tuned operating point next to the default threshold.

A screening problem on the breast cancer data that ships with scikit-learn:
"malignant" is the positive class, a missed malignant case (a false negative)
costs 10, a false alarm (a false positive) costs 1. The script tunes the
decision threshold of a logistic regression three ways, by cross-validation on
the training part, and reports each operating point on the held-out part next
to the default 0.5 cut-off: threshold, precision, recall, F1 and the mean
cost per patient.

Run it with ``python examples/quickstart.py``.
"""

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skeval import ThresholdTunedClassifier, make_cost_scorer
from skeval.metrics import cost_loss

X, target = load_breast_cancer(return_X_y=True)
y = np.where(target == 0, "malignant", "benign")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
POS = "malignant"
# COST[i][j]: the cost when the true class is LABELS[i] and the prediction LABELS[j]
LABELS = ["benign", POS]
COST = [[0, 1], [10, 0]]


def report(name, threshold, y_pred):
    cost = cost_loss(y_test, y_pred, cost_matrix=COST, labels=LABELS)
    print(
        f"{name:<28} {threshold:>9.3f} "
        f"{precision_score(y_test, y_pred, pos_label=POS):>9.3f} "
        f"{recall_score(y_test, y_pred, pos_label=POS):>7.3f} "
        f"{f1_score(y_test, y_pred, pos_label=POS):>6.3f} {cost:>6.3f}"
    )


model = make_pipeline(StandardScaler(), LogisticRegression(C=0.05))
default = model.fit(X_train, y_train)
print(
    f"{'operating point':<28} {'threshold':>9} {'precision':>9} {'recall':>7} "
    f"{'F1':>6} {'cost':>6}"
)
report("default (0.5)", 0.5, default.predict(X_test))

for name, params in [
    ("best F1", dict(objective="f1")),
    (
        "best precision, recall>=.98",
        dict(objective="precision", constraint=("recall", 0.98)),
    ),
    ("least cost (FN 10, FP 1)", dict(objective=make_cost_scorer(COST, labels=LABELS))),
]:
    tuned = ThresholdTunedClassifier(model, pos_label=POS, **params).fit(
        X_train, y_train
    )
    report(name, tuned.best_threshold_, tuned.predict(X_test))
    print(f"{'':<28} per-fold thresholds: {np.round(tuned.fold_thresholds_, 3)}")
