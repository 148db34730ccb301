"""The one place where skeval touches scikit-learn's private API.

Everything private that skeval relies on is read here, behind small functions,
so that a change in scikit-learn breaks one module, not the package.
Supported: scikit-learn 1.6 up to the latest release.
"""

import sklearn
from sklearn.base import _fit_context as fit_context  # noqa: F401  (re-exported)
from sklearn.metrics._scorer import _Scorer
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
    "ScorerBase",
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
        ``make_scorer`` scorer (skeval's included), None for any other callable.
    """
    if not isinstance(scorer, _Scorer):
        return None
    return {
        "score_func": scorer._score_func,
        "sign": scorer._sign,
        "kwargs": dict(scorer._kwargs),
        "response_method": scorer._response_method,
    }


class ScorerBase(_Scorer):
    """A ``make_scorer`` scorer that subclasses customise through public hooks.

    scikit-learn's scorer class and its protocol (``_score``, called by
    ``__call__`` and by the multimetric scorer of ``cross_validate`` and the
    searches; ``_get_metadata_request``) are private. This class is the only
    subclass of it in skeval: it keeps the same constructor, repr, pickling and
    caching, and offers two hooks instead.

    * :meth:`prepare_call` sees the estimator and the metadata of each call
      before the score function runs, and returns the keyword arguments to use;
    * :meth:`response` may compute the values to score itself (a clusterer
      without ``predict``); by default scikit-learn's rule does;
    * ``metadata`` names per-sample arrays that the scorer requests from
      metadata routing by default (a cost matrix's ``"amount"``).

    Parameters
    ----------
    score_func, sign, kwargs, response_method
        As in scikit-learn's scorer (see :func:`scorer_parts`).
    metadata : tuple of str, default=()
        Per-sample metadata requested by default.
    """

    def __init__(
        self, score_func, sign, kwargs, response_method="predict", *, metadata=()
    ):
        super().__init__(score_func, sign, kwargs, response_method)
        self._requested_metadata = tuple(metadata)

    @property
    def requested_metadata(self):
        """The per-sample metadata this scorer requests by default."""
        return self._requested_metadata

    def prepare_call(self, estimator, kwargs):
        """Return the metadata to score ``estimator`` with (hook; default: as is)."""
        return kwargs

    def response(self, estimator, X, call):
        """The values to score, or None for scikit-learn's (hook).

        ``call(method)`` returns ``estimator.<method>(X)``, shared with the
        other scorers of one multimetric evaluation.
        """
        return None

    def _score(self, method_caller, estimator, X, y_true, **kwargs):
        kwargs = self.prepare_call(estimator, dict(kwargs))
        y_pred = self.response(
            estimator,
            X,
            lambda method: method_caller(estimator, method, X, pos_label=None),
        )
        if y_pred is None:
            return super()._score(method_caller, estimator, X, y_true, **kwargs)
        return self._sign * self._score_func(
            y_true, y_pred, **{**self._kwargs, **kwargs}
        )

    def _get_metadata_request(self):
        requests = super()._get_metadata_request()
        for name in self._requested_metadata:
            # requested unless the user said otherwise (set_score_request)
            if requests.score.requests.get(name) is None:
                requests.score.add_request(param=name, alias=True)
        return requests
