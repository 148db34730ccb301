"""Draw doc/images/threshold_curve.png: python doc/images/threshold_curve.py

Breast cancer screening (data shipped with scikit-learn): the best precision
with a recall of at least 0.98, tuned by 5-fold cross-validation.
"""

from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skeval import ThresholdCurveDisplay, ThresholdTunedClassifier  # noqa: E402

data = load_breast_cancer()
y = np.where(data.target == 0, "malignant", "benign")
X_train, X_test, y_train, y_test = train_test_split(
    data.data, y, test_size=0.5, stratify=y, random_state=0
)
tuner = ThresholdTunedClassifier(
    make_pipeline(StandardScaler(), LogisticRegression(C=0.05)),
    objective="precision",
    constraint=("recall", 0.98),
    pos_label="malignant",
    store_cv_results=True,
).fit(X_train, y_train)
display = ThresholdCurveDisplay.from_tuner(
    tuner, name="Breast cancer screening: the best precision with recall \u2265 0.98"
)
display.figure_.savefig(Path(__file__).with_suffix(".png"), dpi=110)
