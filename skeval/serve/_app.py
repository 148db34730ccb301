"""The FastAPI application of skeval's HTTP service.

JSON in, JSON out; every result is built by :mod:`skeval.serve._results`, the
functions the command line calls too. Errors:

* 401: a token is configured and the request has no ``Authorization: Bearer``
  header with it (``GET /health`` and the API docs are open);
* 413: the body holds more than ``max_rows`` rows (or, before it is read, its
  declared length exceeds what ``max_rows`` rows can take);
* 422: the body does not validate (pydantic), or skeval refuses the input; the
  detail names the field and the rule;
* 404: an unknown monitor;
* 409: a new baseline for an existing monitor with another configuration.

Nothing a client sends is ever unpickled or executed: bodies are JSON, parsed
into the models of :mod:`skeval.serve._models`.
"""

import hmac
import re

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__
from ._models import (
    BaselineRequest,
    CheckRequest,
    EvaluateRequest,
    OperatingPointRequest,
)
from ._monitors import (
    CONFIG_FIELDS,
    MonitorConflict,
    Monitors,
    UnknownMonitor,
    baseline_result,
    check_name,
)
from ._results import evaluate, parse_threshold, to_json, tune

__all__ = ["build_app"]

#: Bytes a row may take in a body before the declared length alone is refused
#: with 413 (several arrays of long floats fit; a body this large is refused
#: before it is read).
BYTES_PER_ROW = 256
#: Room for everything else in a body.
BODY_SLACK = 1 << 20
#: Paths open without the token.
OPEN_PATHS = frozenset({"/health", "/docs", "/redoc", "/openapi.json"})
#: At most this many validation errors are listed in a 422 response.
MAX_ERRORS = 20

_QUOTED = re.compile(r"`([A-Za-z_]\w*)[`=]")


def _error(status, detail, headers=None):
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class _Guard:
    """ASGI middleware: the bearer token and the body size, checked before the
    body is read."""

    def __init__(self, app, *, token, max_bytes):
        self.app = app
        self.token = None if token is None else token.encode()
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            response = self._refuse(scope)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refuse(self, scope):
        headers = dict(scope["headers"])
        if self.token is not None and scope["path"] not in OPEN_PATHS:
            scheme, _, given = headers.get(b"authorization", b"").partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(
                given.strip(), self.token
            ):
                return _error(
                    401,
                    "This service requires the header 'Authorization: Bearer "
                    "<token>' with its token. Got no token or a wrong one.",
                    headers={"WWW-Authenticate": "Bearer"},
                )
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            return _error(
                413,
                f"The body must be at most {self.max_bytes} bytes (max_rows rows). "
                f"Got {int(length)} bytes.",
            )
        return None


def _validation_error(request, exc):
    errors = exc.errors()
    detail = [
        {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
        for e in errors[:MAX_ERRORS]
    ]
    return JSONResponse({"detail": detail, "n_errors": len(errors)}, status_code=422)


def _input_error(exc, fields):
    """A 422 response for skeval's ValueError/TypeError: its message states the
    rule; the first field it quotes is the location."""
    loc = ["body"]
    for name in _QUOTED.findall(str(exc)):
        if name in fields:
            loc.append(name)
            break
    detail = [{"loc": loc, "msg": str(exc), "type": type(exc).__name__}]
    return JSONResponse({"detail": detail}, status_code=422)


def _too_many_rows(body, max_rows):
    for name, values in body.arrays().items():
        if len(values) > max_rows:
            return _error(
                413,
                f"`{name}` must hold at most max_rows={max_rows} rows. "
                f"Got {len(values)}.",
            )
    return None


def _call(func, body, max_rows, *args, **kwargs):
    """Run one of the result functions on a validated body, as a response."""
    refused = None if body is None else _too_many_rows(body, max_rows)
    if refused is not None:
        return refused
    try:
        result = func(*args, **kwargs)
    except UnknownMonitor as exc:
        return _error(404, str(exc))
    except MonitorConflict as exc:
        return _error(409, str(exc))
    except (ValueError, TypeError) as exc:
        return _input_error(exc, {} if body is None else type(body).model_fields)
    return JSONResponse(to_json(result))


def _bad_name(name):
    try:
        check_name(name)
    except ValueError as exc:
        detail = [{"loc": ["path", "name"], "msg": str(exc), "type": "ValueError"}]
        return JSONResponse({"detail": detail}, status_code=422)
    return None


def _batch(body):
    return {
        "y_true": body.y_true,
        "y_pred": body.y_pred,
        "y_score": body.y_score,
        "sample_weight": body.sample_weight,
    }


def _add_monitor_routes(app, monitors, max_rows):
    @app.get("/monitors")
    def list_monitors():
        """The names of the monitors."""
        return {"monitors": monitors.names()}

    @app.post("/monitors/{name}/baseline")
    def post_baseline(name: str, body: BaselineRequest):
        """Set a monitor's baseline; the monitor is created, with the
        configuration given, when it does not exist."""
        config = {
            key: getattr(body, key)
            for key in CONFIG_FIELDS
            if getattr(body, key) is not None
        }
        if "threshold" in config:
            config["threshold"] = parse_threshold(config["threshold"])

        def run():
            return baseline_result(monitors.set_baseline(name, config, _batch(body)))

        return _bad_name(name) or _call(run, body, max_rows)

    @app.post("/monitors/{name}/check")
    def post_check(name: str, body: CheckRequest):
        """Compare one labelled batch with the monitor's baseline."""

        def run():
            data = {**_batch(body), "timestamp": body.timestamp, "batch": body.batch}
            return monitors.check(name, data).to_dict()

        return _bad_name(name) or _call(run, body, max_rows)

    @app.get("/monitors/{name}")
    def get_monitor(name: str):
        """A monitor's configuration, baseline and history (every check, in
        order)."""
        return _bad_name(name) or _call(monitors.state, None, max_rows, name)


def build_app(*, store=None, max_rows=1_000_000, token=None):
    """The application of :func:`skeval.serve.create_app` (arguments
    checked there)."""
    app = FastAPI(
        title="skeval",
        version=__version__,
        description="Evaluate a binary classifier's predictions and choose its "
        'operating point. Infinite thresholds are the strings "inf" and '
        '"-inf".',
    )
    app.add_middleware(
        _Guard, token=token, max_bytes=BYTES_PER_ROW * max_rows + BODY_SLACK
    )
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.state.max_rows = max_rows
    app.state.store = store

    @app.get("/health")
    def health():
        """Liveness: status, version and limits."""
        return {
            "status": "ok",
            "version": __version__,
            "max_rows": max_rows,
            "store": store is not None,
        }

    @app.post("/evaluate")
    def post_evaluate(body: EvaluateRequest):
        """Counts, rates, cost and findings of labels and predictions (or
        scores and a threshold)."""
        return _call(
            evaluate,
            body,
            max_rows,
            body.y_true,
            body.y_pred,
            y_score=body.y_score,
            threshold=body.threshold,
            pos_label=body.pos_label,
            sample_weight=body.sample_weight,
            cost_matrix=body.cost_matrix,
            labels=body.labels,
            metadata=body.metadata,
        )

    @app.post("/operating-point")
    def post_operating_point(body: OperatingPointRequest):
        """The best threshold of labels and scores for an objective, under an
        optional constraint."""
        return _call(
            tune,
            body,
            max_rows,
            body.y_true,
            body.y_score,
            objective=body.objective,
            constraint=body.constraint,
            pos_label=body.pos_label,
            sample_weight=body.sample_weight,
            confidence=body.confidence,
            cost_matrix=body.cost_matrix,
            labels=body.labels,
            metadata=body.metadata,
            infeasible_score=body.infeasible_score,
        )

    _add_monitor_routes(app, Monitors(store), max_rows)
    return app
