"""scikit-learn's private API is touched in one module only."""

import ast
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

import skeval
from skeval.metrics import confusion_curve
from skeval.utils._sklearn_compat import ScorerBase, scorer_parts

PACKAGE = Path(skeval.__file__).parent
COMPAT = PACKAGE / "utils" / "_sklearn_compat.py"
# the private protocol of scikit-learn's scorers
SCORER_PRIVATE = {
    "_score",
    "_score_func",
    "_sign",
    "_kwargs",
    "_response_method",
    "_get_metadata_request",
    "_get_pos_label",
}


def _private_uses(path):
    """(line, what) for each use of scikit-learn's private API in one file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "sklearn"
        ):
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append((node.lineno, node.module))
            found += [(node.lineno, a.name) for a in node.names if a.name[0] == "_"]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name)
                for a in node.names
                if a.name.startswith("sklearn")
                and any(p.startswith("_") for p in a.name.split("."))
            ]
        elif isinstance(node, ast.Attribute) and node.attr in SCORER_PRIVATE:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ClassDef):  # overriding the protocol
            found += [
                (item.lineno, f"def {item.name}")
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name in SCORER_PRIVATE
            ]
    return found


def test_private_sklearn_api_only_in_the_compat_module():
    """Every other module goes through skeval/utils/_sklearn_compat.py."""
    offenders = {
        str(path.relative_to(PACKAGE)): uses
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != COMPAT and (uses := _private_uses(path))
    }
    assert offenders == {}
    assert _private_uses(COMPAT)  # the guard does see private uses


def test_scorer_base_hooks_and_parts():
    """prepare_call sees each call; requested metadata is requested by default."""
    import sklearn

    seen = []

    class Recording(ScorerBase):
        def prepare_call(self, estimator, kwargs):
            seen.append(sorted(kwargs))
            return {**kwargs, "offset": 1.0}

    def shifted_accuracy(y_true, y_pred, offset=0.0, amount=None):
        return float(np.mean(y_true == y_pred)) + offset

    X, y = make_classification(n_samples=60, random_state=0)
    est = LogisticRegression().fit(X, y)
    scorer = Recording(shifted_accuracy, 1, {}, "predict", metadata=("amount",))
    assert scorer(est, X, y) == pytest.approx(np.mean(est.predict(X) == y) + 1)
    assert seen == [[]]
    assert scorer.requested_metadata == ("amount",)
    with sklearn.config_context(enable_metadata_routing=True):
        assert scorer.get_metadata_routing().score.requests["amount"] is True
    parts = scorer_parts(scorer)
    assert parts["score_func"] is shifted_accuracy and parts["sign"] == 1
    assert scorer_parts(len) is None


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"pos_label": [1]}, "The 'pos_label' parameter of confusion_curve"),
        ({"sample_weight": "heavy"}, "The 'sample_weight' parameter"),
        ({"y_score": 0.5}, "The 'y_score' parameter"),
    ],
)
def test_confusion_curve_validates_parameters(kwargs, match):
    """confusion_curve checks its parameter types as scikit-learn functions do."""
    params = {"y_true": [0, 1, 1], "y_score": [0.1, 0.4, 0.8], **kwargs}
    with pytest.raises(ValueError, match=match):
        confusion_curve(**params)
