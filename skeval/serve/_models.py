"""The request bodies of the HTTP service (pydantic models).

Field names are the Python parameter names. Types are strict: a number sent
as a string is refused, not converted. Unknown fields are refused, so a typo
(``"treshold"``) is an error instead of a silently ignored option.
"""

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)

Label = StrictBool | StrictInt | StrictFloat | StrictStr
Threshold = float | Literal["inf", "-inf"]
CostEntry = StrictInt | StrictFloat | StrictStr
Constraint = Annotated[tuple[str, float], Field(strict=False)]

_KINDS = ({int, float}, {bool}, {str})


def _same_kind(values):
    """Labels must be all numbers, all booleans or all strings: numpy would
    turn ``[1, "a"]`` into strings silently."""
    if values is None:
        return values
    types = set(map(type, values))
    if not any(types <= kind for kind in _KINDS):
        names = sorted(t.__name__ for t in types)
        raise ValueError(
            "labels must be all numbers, all booleans or all strings; "
            f"got a mix of {names}"
        )
    return values


class _Request(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    y_true: list[Label]
    sample_weight: list[float] | None = None

    _labels_kind = field_validator("y_true")(_same_kind)

    def arrays(self):
        """The per-sample arrays of the request, by field name."""
        out = {
            name: getattr(self, name)
            for name in ("y_true", "y_pred", "y_score", "sample_weight")
            if getattr(self, name, None) is not None
        }
        for key, values in (getattr(self, "metadata", None) or {}).items():
            out[f"metadata.{key}"] = values
        return out


class _CostRequest(_Request):
    pos_label: Label | None = None
    cost_matrix: list[list[CostEntry]] | None = None
    labels: list[Label] | None = None
    metadata: dict[str, list[float]] | None = None

    _cost_labels_kind = field_validator("labels")(_same_kind)


class EvaluateRequest(_CostRequest):
    """Body of ``POST /evaluate``."""

    y_pred: list[Label] | None = None
    y_score: list[float] | None = None
    threshold: Threshold | None = None

    _pred_kind = field_validator("y_pred")(_same_kind)


class OperatingPointRequest(_CostRequest):
    """Body of ``POST /operating-point``."""

    y_score: list[float]
    objective: str | None = None
    constraint: Constraint | None = None
    confidence: float | None = None
    infeasible_score: float = 0.0


class BaselineRequest(_Request):
    """Body of ``POST /monitors/{name}/baseline``: the baseline batch and the
    monitor's configuration (its constructor's parameters)."""

    y_pred: list[Label] | None = None
    y_score: list[float] | None = None
    pos_label: Label | None = None
    metrics: list[str] | str | None = None
    tolerance: float | dict[str, float] | None = None
    confidence: float | None = None
    threshold: Threshold | None = None
    rule: Literal["statistical", "fixed"] | None = None
    cost_matrix: list[list[StrictInt | StrictFloat]] | None = None

    _pred_kind = field_validator("y_pred")(_same_kind)


class CheckRequest(_Request):
    """Body of ``POST /monitors/{name}/check``: one labelled batch."""

    y_pred: list[Label] | None = None
    y_score: list[float] | None = None
    timestamp: str | None = None
    batch: StrictStr | StrictInt | None = None

    _pred_kind = field_validator("y_pred")(_same_kind)
