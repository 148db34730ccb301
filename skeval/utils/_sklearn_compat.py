"""The one place where skeval touches scikit-learn's private API.

Everything private that skeval relies on is read here, behind small functions,
so that a change in scikit-learn breaks one module, not the package.
Supported: scikit-learn 1.6 up to the latest release.
"""

import sklearn
from sklearn.base import _fit_context as fit_context  # noqa: F401  (re-exported)
from sklearn.metrics._scorer import _Scorer as Scorer  # noqa: F401  (subclassed)
from sklearn.utils import _safe_indexing  # noqa: F401  (re-exported)
from sklearn.utils._param_validation import (  # noqa: F401  (re-exported)
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import _check_method_params  # noqa: F401

__all__ = [
    "SKLEARN_VERSION",
    "scorer_parts",
    "safe_indexing",
    "fold_params",
    "routing_enabled",
    "Scorer",
    "fit_context",
    "HasMethods",
    "Interval",
    "RealNotInt",
    "StrOptions",
    "validate_params",
]

SKLEARN_VERSION = tuple(int(p) for p in sklearn.__version__.split(".")[:2])


def safe_indexing(X, indices):
    """Rows of X (array, sparse matrix, DataFrame or list) at ``indices``."""
    return _safe_indexing(X, indices)


def fold_params(X, params, indices):
    """Index every per-sample entry of ``params`` by ``indices``."""
    return _check_method_params(X, params=params, indices=indices)


def routing_enabled():
    """Whether ``sklearn.set_config(enable_metadata_routing=True)`` is on."""
    return bool(sklearn.get_config().get("enable_metadata_routing", False))


def scorer_parts(scorer):
    """Unpack a scorer made by ``sklearn.metrics.make_scorer``.

    Returns
    -------
    parts : dict or None
        ``{"score_func", "sign", "kwargs", "response_method"}`` for a
        ``make_scorer`` scorer, None for any other callable.
    """
    from sklearn.metrics._scorer import _Scorer

    if not isinstance(scorer, _Scorer):
        return None
    return {
        "score_func": scorer._score_func,
        "sign": scorer._sign,
        "kwargs": dict(scorer._kwargs),
        "response_method": scorer._response_method,
    }
