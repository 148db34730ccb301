"""
=====================================================
Judge clusters against classes: accuracy misleads
=====================================================

A clustering gives each group an arbitrary id. Judging it against known
classes with plain accuracy treats those ids as class names, so the score
depends on which id the algorithm happened to pick, and poor groupings can
still score well. This example takes three well-separated groups in 2-D,
builds four poor solutions and several k-means runs, and compares plain
accuracy with :func:`~skeval.metrics.matched_accuracy_score`,
:func:`~skeval.metrics.purity_score`, :func:`~skeval.metrics.inverse_purity_score`
and :func:`~skeval.metrics.cluster_entropy`.
"""

# %%
# Three groups of unequal size
# ----------------------------
# Half the samples in class 0, 40% in class 1, 10% in class 2, side by side
# along the horizontal axis.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import accuracy_score

from skeval.metrics import (
    cluster_class_report,
    cluster_entropy,
    inverse_purity_score,
    matched_accuracy_score,
    purity_score,
)

X, y = make_blobs(
    n_samples=[250, 200, 50],
    centers=[[-6, 0], [0, 0], [6, 0]],
    cluster_std=1.0,
    random_state=0,
)

# %%
# Four poor solutions and five k-means runs
# -----------------------------------------
# * everything in one group, called 0; the same, called 1;
# * two groups for three classes (the small class merged into its neighbour);
# * an absurd split along the wrong axis: above or below the middle;
# * k-means with three clusters and three seeds (the same partition, but the
#   ids come out in another order), and with four and five clusters.
solutions = {
    "all in group 0": np.zeros_like(y),
    "all in group 1": np.ones_like(y),
    "two groups": np.where(y == 2, 1, y),
    "wrong axis": (X[:, 1] > 0).astype(int),
}
for seed in (0, 3, 7):
    km = KMeans(n_clusters=3, n_init=1, random_state=seed).fit(X)
    solutions[f"k-means k=3, seed {seed}"] = km.labels_
for k in (4, 5):
    solutions[f"k-means k={k}"] = KMeans(k, n_init=3, random_state=0).fit(X).labels_

# %%
# The measures
# ------------
# Plain accuracy compares ids with classes as if they were the same names;
# the other measures do not look at the names at all.
rows = {}
for name, labels in solutions.items():
    rows[name] = {
        "accuracy": accuracy_score(y, labels),
        "matched": matched_accuracy_score(y, labels),
        "purity": purity_score(y, labels),
        "inv. purity": inverse_purity_score(y, labels),
        "entropy": cluster_entropy(y, labels),
    }

header = f"{'solution':<22}" + "".join(f"{col:>12}" for col in rows["two groups"])
print(header)
for name, row in rows.items():
    print(f"{name:<22}" + "".join(f"{value:>12.2f}" for value in row.values()))

# %%
# What the eye sees, and who agrees
# ---------------------------------
# The three k-means runs with k=3 find the groups exactly, yet plain accuracy
# gives them 1.0, 0.5 and 0.0: only the ids differ. "All in one group"
# scores 0.5 or 0.4 depending on its id, and the split along the wrong axis,
# which ignores the structure entirely, scores about as much. Merging the small
# class scores 0.9, which is fair for matched accuracy too: 90% of the samples
# are in a cluster that can be named after their class.
#
# Purity reaches 1 with five clusters (over-splitting is never punished) and
# inverse purity reaches 1 with everything in one group (merging is never
# punished); each alone can be gamed, together they bracket the truth. The
# entropy, 0 for pure clusters, says the same as purity on a finer scale.
# Matched accuracy is the one number that follows the eye: 1 for the correct
# partition whatever its ids, lower for both merging and splitting.
fig, axes = plt.subplots(3, 3, figsize=(11, 10), sharex=True, sharey=True)
for ax, (name, labels) in zip(axes.ravel(), solutions.items()):
    ax.scatter(X[:, 0], X[:, 1], c=labels, s=6, cmap="tab10", vmin=0, vmax=9)
    r = rows[name]
    ax.set_title(
        f"{name}\naccuracy {r['accuracy']:.2f} | matched {r['matched']:.2f}\n"
        f"purity {r['purity']:.2f} | entropy {r['entropy']:.2f}",
        fontsize=9,
    )
fig.suptitle("Colours are cluster ids; the classes are the three blobs, left to right")
fig.tight_layout()
plt.show()

# %%
# The report, with a chance baseline
# ----------------------------------
# :func:`~skeval.metrics.cluster_class_report` shows each cluster's size,
# majority class, purity and entropy, every overall measure, the matching of
# clusters to classes, and what a random assignment to clusters of the same
# sizes would score. For the two-group solution, chance purity is already
# 0.5: the largest class is half the data.
print(cluster_class_report(y, solutions["two groups"]))

# %%
# And for k-means with five clusters: purity near 1, matched accuracy lower,
# two clusters left unmatched.
print(cluster_class_report(y, solutions["k-means k=5"]))
