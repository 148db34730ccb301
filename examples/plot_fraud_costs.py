"""
=================================================
Fraud: a missed transaction costs its own amount
=================================================

A fraud team reviews the transactions the model flags. Each review costs 5; a
fraud that slips through costs the transaction's amount, which varies from a
few units to thousands. So the mistakes do not have one price: the cost matrix
has a *per-sample* entry,

.. code-block:: text

                       predicted legit   predicted fraud
    true legit       [[      0,                5       ],
    true fraud        [   "amount",            0       ]]

and :func:`~skeval.make_cost_scorer` reads the string ``"amount"`` as the name
of a per-sample array. :class:`~skeval.ThresholdTunedClassifier` minimises the
resulting cost exactly, with the amounts cumulated along the confusion curve.

The data are generated: 20,000 transactions, 3.5% fraud, frauds larger on
average, and the (log) amount is one of the model's features.
"""

# %%
# Data
# ----
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skeval import ThresholdTunedClassifier, make_cost_scorer
from skeval.metrics import confusion_curve, cost_loss, savings_score

rng = np.random.RandomState(0)
X, y = make_classification(
    n_samples=20_000,
    n_features=10,
    n_informative=5,
    weights=[0.97],
    class_sep=0.8,
    flip_y=0.01,
    random_state=0,
)
amount = np.round(rng.lognormal(mean=np.where(y == 1, 4.5, 3.5), sigma=1.0), 2)
X = np.column_stack([X, np.log(amount)])
X_train, X_test, y_train, y_test, amount_train, amount_test = train_test_split(
    X, y, amount, test_size=0.5, stratify=y, random_state=0
)
print(f"fraud: {y_test.mean():.1%} of {len(y_test)} test transactions")
print(f"fraud amount in the test half: {amount_test[y_test == 1].sum():,.0f}")

# %%
# Four ways to pick the threshold
# -------------------------------
# * the default 0.5;
# * the best F1, which knows nothing about prices;
# * a *flat* cost: every miss costs the mean fraud amount of the training half;
# * the *per-transaction* cost, whose ``"amount"`` the tuner receives in
#   ``fit``. Metadata routing need not be on for this: the tuner accepts the
#   arrays its own objective names.
FEE = 5
per_transaction = [[0, FEE], ["amount", 0]]
flat = [[0, FEE], [float(amount_train[y_train == 1].mean()), 0]]

model = make_pipeline(StandardScaler(), LogisticRegression())
default = model.fit(X_train, y_train)
tuned = {
    "best F1": ThresholdTunedClassifier(model, objective="f1").fit(X_train, y_train),
    "flat cost": ThresholdTunedClassifier(model, objective=make_cost_scorer(flat)).fit(
        X_train, y_train
    ),
    "amount cost": ThresholdTunedClassifier(
        model, objective=make_cost_scorer(per_transaction)
    ).fit(X_train, y_train, amount=amount_train),
}

# %%
# The bill on held-out transactions
# ---------------------------------
# :func:`~skeval.metrics.cost_loss` computes the total cost with the same
# matrix, and :func:`~skeval.metrics.savings_score` compares it with the better
# of the two trivial policies (review nothing, review everything).
print(
    f"{'':>12} {'threshold':>9} {'flagged':>7} {'caught':>6} {'cost':>8} {'savings':>7}"
)
predictions = {"default 0.5": (0.5, default.predict(X_test))}
predictions.update(
    {name: (clf.best_threshold_, clf.predict(X_test)) for name, clf in tuned.items()}
)
for name, (threshold, y_pred) in predictions.items():
    cost = cost_loss(
        y_test,
        y_pred,
        cost_matrix=per_transaction,
        normalize=False,
        amount=amount_test,
    )
    savings = savings_score(
        y_test, y_pred, cost_matrix=per_transaction, amount=amount_test
    )
    caught = int(np.sum((y_pred == 1) & (y_test == 1)))
    print(
        f"{name:>12} {threshold:9.3f} {int(y_pred.sum()):7d} {caught:6d} "
        f"{cost:8,.0f} {savings:7.3f}"
    )

# %%
# F1 treats a miss and a false alarm alike, so it stops flagging far too early:
# a review costs 5, a missed fraud more than a hundred on average. Both cost
# objectives flag several times as many transactions and cut the bill by about
# a quarter against F1. The per-transaction objective flags fewer than the flat
# one for a slightly lower bill: the frauds at the margin of the ranking are
# mostly small, which only the amounts reveal. (One threshold serves every
# transaction; the amount steers the decision through the model's features.)
#
# The whole cost curve
# --------------------
# :func:`~skeval.metrics.confusion_curve` gives the counts at every distinct
# score of the test half, and ``positive_sum`` adds up the amounts of the
# flagged frauds along the same sort, so the test cost at every threshold takes
# one pass: fee times false positives, plus the amounts of the frauds missed.
scores = default.predict_proba(X_test)[:, 1]
curve = confusion_curve(y_test, scores)
caught_amount = curve.positive_sum(amount_test * (y_test == 1))
test_cost = FEE * curve.fp + (amount_test[y_test == 1].sum() - caught_amount)

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(curve.thresholds[1:], test_cost[1:], color="0.3", label="test cost")
for (name, (threshold, _)), color in zip(predictions.items(), ["C3", "C1", "C0", "C2"]):
    ax.axvline(threshold, color=color, ls="--", label=f"{name} ({threshold:.3f})")
ax.set(
    xscale="log",
    xlabel="threshold on P(fraud) (log scale)",
    ylabel="total cost on the test half",
    title="Review fees plus missed fraud amounts",
)
ax.legend()
plt.show()
