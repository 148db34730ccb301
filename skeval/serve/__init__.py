"""An HTTP service for evaluations and operating points (FastAPI).

Install it with ``pip install "skeval[serve]"``; ``import skeval`` never
imports FastAPI. Start it from the command line (``skeval serve``) or build
the application with :func:`create_app` and run it with any ASGI server.
"""

from pathlib import Path

__all__ = ["create_app"]


def _require(module):
    try:
        return __import__(module)
    except ImportError as exc:
        raise ImportError(
            f"skeval's HTTP service needs {module}: pip install 'skeval[serve]'."
        ) from exc


def create_app(*, store=None, max_rows=1_000_000, token=None):
    """Build the HTTP service: a FastAPI application.

    Endpoints (JSON in, JSON out; field names are the Python parameter
    names): ``GET /health``; ``POST /evaluate`` (labels and predictions, or
    scores and a ``threshold`` -> the operating-point report, the cost and
    the :func:`~skeval.metrics.diagnose` findings); ``POST /operating-point``
    (labels and scores, ``objective``, ``constraint`` -> the threshold of
    :func:`~skeval.metrics.operating_point` and its report);
    ``POST /monitors/{name}/baseline``, ``POST /monitors/{name}/check`` and
    ``GET /monitors/{name}`` (a :class:`~skeval.monitoring.PerformanceMonitor`
    per name: its baseline, a check's result, the history); ``GET /monitors``.
    Infinite thresholds are the strings ``"inf"`` and ``"-inf"``.

    Read more in the :ref:`User Guide <service>`.

    Parameters
    ----------
    store : str or path-like, default=None
        A directory for the monitors' databases (one SQLite file per
        monitor, ``<name>.sqlite``); a restart with the same directory keeps
        every monitor and its history. None: the monitors live in memory and
        are lost when the process ends.
    max_rows : int, default=1_000_000
        The most rows a request may hold; more is refused with status 413.
    token : str, default=None
        When given, every request except ``GET /health`` and the API docs
        must carry the header ``Authorization: Bearer <token>`` (else status
        401).

    Returns
    -------
    app : fastapi.FastAPI
        Serve it with an ASGI server, e.g. ``uvicorn.run(app)``.

    See Also
    --------
    skeval.metrics.operating_point : What ``/operating-point`` computes.
    skeval.metrics.operating_point_report : The report in both responses.
    skeval.monitoring.PerformanceMonitor : What the monitor endpoints run.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> from skeval.serve import create_app
    >>> client = TestClient(create_app())
    >>> response = client.post("/operating-point", json={
    ...     "y_true": [0, 0, 1, 1, 0, 1],
    ...     "y_score": [0.1, 0.4, 0.35, 0.8, 0.2, 0.7],
    ...     "objective": "precision",
    ...     "constraint": ["recall", 1.0],
    ... })
    >>> response.status_code
    200
    >>> point = response.json()
    >>> point["threshold"], point["score"], point["report"]["fp"]
    (0.275, 0.75, 1.0)
    """
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise ValueError(f"`max_rows` must be a positive integer. Got {max_rows!r}.")
    if token is not None and (not isinstance(token, str) or not token.strip()):
        raise ValueError(f"`token` must be a non-empty string or None. Got {token!r}.")
    if store is not None:
        store = Path(store)
        if store.exists() and not store.is_dir():
            raise ValueError(f"`store` must be a directory. Got the file {store}.")
        store.mkdir(parents=True, exist_ok=True)
    _require("fastapi")
    from ._app import build_app

    return build_app(store=store, max_rows=max_rows, token=token)


def run_server(
    *, host="127.0.0.1", port=8000, store=None, max_rows=1_000_000, token=None
):
    """Run :func:`create_app`'s application with uvicorn until stopped."""
    app = create_app(store=store, max_rows=max_rows, token=token)
    uvicorn = _require("uvicorn")
    uvicorn.run(app, host=host, port=port, log_level="info")
