"""Where ThresholdTunedClassifier's fit metadata goes.

Three consumers: the estimator's ``fit``, the splitter's ``split`` and the
objective scorer. The per-sample arrays the objective itself names (a cost
scorer's ``amount``) always go to the objective. The rest:

* routing on: scikit-learn's requests decide;
* routing off: ``sample_weight`` goes to ``estimator.fit`` when it accepts it
  (a warning otherwise) and to a grid-path scorer that accepts it; any other
  array is an error that says how to turn routing on.
"""

import copy
import warnings

from sklearn.utils.metadata_routing import process_routing
from sklearn.utils.validation import has_fit_parameter

from ._core._objective import GridObjective
from ._core._scores import accepts_sample_weight
from .exceptions import SkevalWarning
from .utils._sklearn_compat import routing_enabled

__all__ = ["route_fit_params", "scorer_for_router"]


def route_fit_params(tuner, objective, sample_weight, params):
    """``(fit_params, split_params, score_params)`` for one ``fit`` call."""
    own = {name: params[name] for name in objective.metadata if name in params}
    rest = {name: value for name, value in params.items() if name not in own}
    if sample_weight is not None:
        rest["sample_weight"] = sample_weight
    if routing_enabled():
        return _routed(tuner, rest, own)
    unknown = sorted(set(rest) - {"sample_weight"})
    if unknown:
        raise ValueError(
            f"fit got {unknown}, which the objective does not use. Other fit "
            "metadata is passed on only with metadata routing: call "
            "sklearn.set_config(enable_metadata_routing=True) and request it, "
            "e.g. estimator.set_fit_request(...)."
        )
    fit_params, score_params = {}, dict(own)
    if sample_weight is None:
        return fit_params, {}, score_params
    if has_fit_parameter(tuner.estimator, "sample_weight"):
        fit_params["sample_weight"] = sample_weight
    else:
        _warn(
            f"{type(tuner.estimator).__name__}.fit does not accept sample_weight: "
            "the weights weight the threshold's counts only."
        )
    if isinstance(objective, GridObjective):
        if accepts_sample_weight(objective.scorer):
            score_params["sample_weight"] = sample_weight
        else:
            _warn(
                f"The objective scorer {objective.name} does not accept "
                "sample_weight: its values at each threshold are unweighted."
            )
    return fit_params, {}, score_params


def _routed(tuner, rest, own):
    if not rest:
        return {}, {}, own
    routed = process_routing(tuner, "fit", **rest)
    split = getattr(routed, "splitter", None)
    score = getattr(routed, "scorer", None)
    return (
        dict(routed.estimator.fit),
        {} if split is None else dict(split.split),
        {**({} if score is None else dict(score.score)), **own},
    )


def _warn(message):
    # user code -> fit (fit_context) -> tuner.fit -> route_fit_params -> _warn
    warnings.warn(message, SkevalWarning, stacklevel=5)


def scorer_for_router(scorer, exact):
    """The objective scorer as the metadata router sees it.

    On the exact path (``exact=True``) the tuner weights every count itself,
    so a scorer that has not said whether it wants ``sample_weight`` is marked
    as not requesting it: users need not call ``set_score_request`` on an
    objective that never receives the weights anyway.
    """
    if not exact:
        return scorer
    requests = scorer.get_metadata_routing().score.requests
    if requests.get("sample_weight") is None:
        scorer = copy.deepcopy(scorer).set_score_request(sample_weight=False)
    return scorer
