"""The HTTP service: every endpoint and error code through FastAPI's TestClient,
and one real uvicorn server in a subprocess, spoken to over HTTP."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
with warnings.catch_warnings():  # starlette's note about its httpx client
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from skeval.metrics import (  # noqa: E402
    cost_loss,
    diagnose,
    operating_point,
    operating_point_report,
)
from skeval.monitoring import PerformanceMonitor  # noqa: E402
from skeval.serve import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, 300)
    score = np.clip(0.35 * y + 0.65 * rng.uniform(size=300), 0, 1).round(4)
    amount = rng.uniform(1, 100, 300).round(2)
    return y.tolist(), score.tolist(), amount.tolist()


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_health(client):
    """GET /health answers without a body."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_evaluate_scores_is_the_python_report(client, data):
    """/evaluate with scores returns operating_point_report and diagnose."""
    y, score, amount = data
    body = {
        "y_true": y,
        "y_score": score,
        "threshold": 0.5,
        "cost_matrix": [[0, 5], ["amount", 0]],
        "metadata": {"amount": amount},
    }
    response = client.post("/evaluate", json=body)
    assert response.status_code == 200
    got = response.json()
    expected = operating_point_report(
        y,
        score,
        thresholds=0.5,
        cost=[[0, 5], ["amount", 0]],
        amount=amount,
        output_dict=True,
    )["threshold"]
    assert list(got["report"]) == list(expected)
    assert_allclose(list(got["report"].values()), list(expected.values()))
    y_pred = (np.asarray(score) >= 0.5).astype(int)
    findings = diagnose(y, y_pred, y_score=score, threshold=0.5)
    assert [f["code"] for f in got["findings"]] == [f.code for f in findings]
    assert got["n_samples"] == 300 and got["pos_label"] == 1


def test_evaluate_predictions_with_weights_and_costs(client, data):
    """/evaluate with labels: the counts and the cost of those labels."""
    y, score, amount = data
    y_pred = [int(s >= 0.6) for s in score]
    weights = [1.0 + (i % 3) for i in range(len(y))]
    body = {
        "y_true": y,
        "y_pred": y_pred,
        "sample_weight": weights,
        "cost_matrix": [[0, 5], ["amount", 0]],
        "metadata": {"amount": amount},
    }
    got = client.post("/evaluate", json=body).json()
    assert got["threshold"] is None and "threshold" not in got["report"]
    w, yt, yp = np.asarray(weights), np.asarray(y), np.asarray(y_pred)
    assert got["report"]["tp"] == pytest.approx(w[(yt == 1) & (yp == 1)].sum())
    assert got["report"]["fp"] == pytest.approx(w[(yt == 0) & (yp == 1)].sum())
    expected = cost_loss(
        y,
        y_pred,
        cost_matrix=[[0, 5], ["amount", 0]],
        sample_weight=weights,
        amount=amount,
    )
    assert got["report"]["cost"] == pytest.approx(expected)


def test_evaluate_string_labels_and_pos_label(client):
    """String labels work with an explicit positive class."""
    body = {
        "y_true": ["ham", "spam", "spam", "ham"],
        "y_pred": ["ham", "spam", "ham", "ham"],
        "pos_label": "spam",
    }
    got = client.post("/evaluate", json=body).json()
    assert got["pos_label"] == "spam"
    assert (got["report"]["tp"], got["report"]["fn"]) == (1.0, 1.0)


@pytest.mark.parametrize("threshold", ["inf", "-inf"])
def test_evaluate_infinite_thresholds_are_strings(client, data, threshold):
    """±inf thresholds travel as the strings "inf" and "-inf"."""
    y, score, _ = data
    body = {"y_true": y, "y_score": score, "threshold": threshold}
    response = client.post("/evaluate", json=body)
    assert response.status_code == 200
    assert "Infinity" not in response.text
    got = response.json()
    assert got["threshold"] == threshold == got["report"]["threshold"]
    assert got["report"]["alert_rate"] == (0.0 if threshold == "inf" else 1.0)


def test_operating_point_is_the_python_operating_point(client, data):
    """/operating-point returns operating_point's fields and the report there."""
    y, score, _ = data
    body = {
        "y_true": y,
        "y_score": score,
        "objective": "precision",
        "constraint": ["recall", 0.9],
    }
    got = client.post("/operating-point", json=body).json()
    point = operating_point(y, score, objective="precision", constraint=("recall", 0.9))
    assert got["threshold"] == pytest.approx(point.threshold)
    assert got["score"] == pytest.approx(point.score)
    assert got["constraint_value"] == pytest.approx(point.constraint_value)
    assert got["constraint_satisfied"] is True and got["warnings"] == []
    assert got["constraint"] == ["recall", 0.9]
    assert got["report"]["precision"] == pytest.approx(point.score)


def test_operating_point_cost_objective(client, data):
    """A cost matrix alone makes the objective the cost; the report shows it."""
    y, score, amount = data
    body = {
        "y_true": y,
        "y_score": score,
        "cost_matrix": [[0, 5], ["amount", 0]],
        "metadata": {"amount": amount},
    }
    got = client.post("/operating-point", json=body).json()
    assert got["objective"] == "cost"
    assert got["report"]["cost"] == pytest.approx(-got["score"])


def test_operating_point_infeasible_and_infinite(client, data):
    """An infeasible constraint is reported, not hidden; an infinite threshold
    is the string "inf"."""
    y, score, _ = data
    body = {
        "y_true": [1, 0, 1, 0],
        "y_score": [0.2, 0.9, 0.5, 0.1],
        "constraint": ["precision", 1.0],
    }
    got = client.post("/operating-point", json=body).json()
    assert got["constraint_satisfied"] is False
    assert "No threshold meets" in got["warnings"][0]
    body = {"y_true": y, "y_score": score, "constraint": ["alert_rate", 0.0]}
    response = client.post("/operating-point", json=body)
    assert response.json()["threshold"] == "inf"
    assert "Infinity" not in response.text


def _has_confidence():
    import inspect

    return "confidence" in inspect.signature(operating_point).parameters


def test_operating_point_confidence(client, data):
    """confidence is passed through when skeval has it, else refused (422)."""
    y, score, _ = data
    body = {
        "y_true": y,
        "y_score": score,
        "constraint": ["recall", 0.8],
        "confidence": 0.9,
    }
    response = client.post("/operating-point", json=body)
    if _has_confidence():
        assert response.status_code == 200
        assert response.json()["confidence"] == 0.9
    else:
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "confidence"]


Y, S = [0, 1, 1, 0], [0.1, 0.9, 0.3, 0.2]
INVALID = [
    # (endpoint, body, loc, message)
    ("/evaluate", {"y_true": Y}, ["body"], "needs predictions"),
    ("/evaluate", {"y_true": Y, "y_score": S}, ["body", "threshold"], "required"),
    (
        "/evaluate",
        {"y_true": Y, "y_pred": Y, "threshold": 0.5, "y_score": S},
        ["body", "y_pred"],
        "must not be given together",
    ),
    (
        "/evaluate",
        {"y_true": Y, "y_pred": Y, "treshold": 1},
        ["body", "treshold"],
        "Extra",
    ),
    (
        "/evaluate",
        {"y_true": Y, "y_score": ["0.1"] * 4},
        ["body", "y_score", 0],
        "number",
    ),
    ("/evaluate", {"y_true": [0, "a"], "y_pred": [0, 0]}, ["body", "y_true"], "mix"),
    (
        "/evaluate",
        {"y_true": Y, "y_score": S, "threshold": "Infinity"},
        ["body", "threshold", "float"],
        "number",
    ),
    (
        "/evaluate",
        {"y_true": Y, "y_score": S, "threshold": 0.5, "sample_weight": [1, 1, 1, -1]},
        ["body", "sample_weight"],
        "non-negative",
    ),
    (
        "/evaluate",
        {"y_true": Y, "y_score": S[:3], "threshold": 0.5},
        ["body", "y_score"],
        "one entry per sample",
    ),
    (
        "/evaluate",
        {"y_true": Y, "y_pred": [0, 1, 2, 0]},
        ["body", "y_true"],
        "two classes",
    ),
    (
        "/evaluate",
        {"y_true": Y, "y_pred": Y, "pos_label": 7},
        ["body", "pos_label"],
        "one of the labels",
    ),
    (
        "/evaluate",
        {"y_true": Y, "y_pred": Y, "metadata": {"amount": [1, 2, 3, 4]}},
        ["body", "metadata"],
        "cost_matrix",
    ),
    ("/operating-point", {"y_true": Y}, ["body", "y_score"], "Field required"),
    (
        "/operating-point",
        {"y_true": Y, "y_score": S, "constraint": ["recall", 1.5]},
        ["body", "constraint"],
        r"value in \[0, 1\]",
    ),
    (
        "/operating-point",
        {"y_true": Y, "y_score": S, "constraint": ["recall"]},
        ["body", "constraint", 1],
        "required",
    ),
    (
        "/operating-point",
        {"y_true": Y, "y_score": S, "objective": "precision"},
        ["body", "objective"],
        "constraint",
    ),
    (
        "/operating-point",
        {"y_true": Y, "y_score": S, "objective": "cost"},
        ["body", "objective"],
        "cost_matrix",
    ),
    (
        "/operating-point",
        {"y_true": Y, "y_score": S, "objective": "roc_auc"},
        ["body", "objective"],
        "",
    ),
    (
        "/operating-point",
        {"y_true": Y, "y_score": S, "cost_matrix": [[0, 1], [1]]},
        ["body", "cost_matrix"],
        "square",
    ),
]


@pytest.mark.parametrize("endpoint, body, loc, message", INVALID)
def test_bad_input_is_422_naming_the_field(client, endpoint, body, loc, message):
    """Bad input: 422, the location names the field, the message the rule."""
    response = client.post(endpoint, json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert any(d["loc"][: len(loc)] == loc for d in detail), detail
    assert any(re.search(message, d["msg"]) for d in detail), detail


def test_nan_scores_are_422(client):
    """NaN sent as a bare JSON token is refused, not evaluated."""
    content = '{"y_true": [0, 1], "y_score": [NaN, 0.5], "threshold": 0.5}'
    response = client.post(
        "/evaluate", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "finite" in response.json()["detail"][0]["msg"]


def test_too_many_rows_is_413():
    """More rows than max_rows: 413, by rows and by declared body size."""
    client = TestClient(create_app(max_rows=5))
    body = {"y_true": [0, 1] * 3, "y_pred": [0, 1] * 3}
    response = client.post("/evaluate", json=body)
    assert response.status_code == 413
    assert "max_rows=5" in response.json()["detail"]
    big = json.dumps({"y_true": [0] * 300_000, "y_pred": [0] * 300_000})
    response = client.post(
        "/evaluate", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "bytes" in response.json()["detail"]


def test_token_is_required_when_configured(data):
    """A configured token: none or a wrong one is 401; /health stays open."""
    client = TestClient(create_app(token="s3cret"))
    body = {"y_true": [0, 1], "y_pred": [0, 1]}
    assert client.get("/health").status_code == 200
    response = client.post("/evaluate", json=body)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    for header in ("Bearer wrong", "s3cret", "Basic s3cret"):
        response = client.post(
            "/evaluate", json=body, headers={"Authorization": header}
        )
        assert response.status_code == 401
    ok = client.post("/evaluate", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"max_rows": 0}, "`max_rows` must be a positive integer"),
        ({"max_rows": 1.5}, "`max_rows` must be a positive integer"),
        ({"token": ""}, "`token` must be a non-empty string"),
    ],
)
def test_create_app_checks_its_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        create_app(**kwargs)


def test_create_app_store_must_be_a_directory(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(ValueError, match="`store` must be a directory"):
        create_app(store=path)


# ---------------------------------------------------------- a real server
def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def start_server(store, token="t0ken"):
    """``python -m skeval serve`` on a free port; returns (process, base url)."""
    port = _free_port()
    env = {**os.environ, "SKEVAL_TOKEN": token}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skeval",
            "serve",
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            if _request(url + "/health")[0] == 200:
                return process, url
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start within 60 s")


def stop_server(process, *, kill=False):
    process.kill() if kill else process.terminate()
    try:
        process.wait(timeout=20)
    finally:
        process.stderr.close()


def test_real_server_over_http_and_a_killed_restart(tmp_path, data):
    """uvicorn in a subprocess answers over HTTP, with the token rule; killed
    (SIGKILL) and restarted on the same store, it keeps the monitor and its
    acknowledged check."""
    y, score, _ = data
    store = tmp_path / "store"
    process, url = start_server(store)
    try:
        body = {"y_true": y, "y_score": score, "threshold": 0.5}
        status, got = _request(url + "/evaluate", body, token="t0ken")
        assert status == 200
        assert got["report"]["tp"] == sum(
            1 for t, s in zip(y, score) if t == 1 and s >= 0.5
        )
        assert _request(url + "/evaluate", body)[0] == 401
        status, got = _request(url + "/operating-point", {"y_true": y}, token="t0ken")
        assert status == 422
        body = {"y_true": y, "y_score": score, "threshold": 0.5, "metrics": "recall"}
        assert _request(url + "/monitors/m/baseline", body, token="t0ken")[0] == 200
        body = {"y_true": y, "y_score": score, "batch": "b1"}
        status, check = _request(url + "/monitors/m/check", body, token="t0ken")
        assert status == 200
    finally:
        stop_server(process, kill=True)
    process, url = start_server(store)
    try:
        status, state = _request(url + "/monitors/m", token="t0ken")
        assert status == 200 and state["history"] == [check]
    finally:
        stop_server(process)


# ----------------------------------------------------------------- monitors
def batch(n, recall, seed):
    """Labels and predictions whose recall is about ``recall``."""
    rng = np.random.RandomState(seed)
    y = (rng.uniform(size=n) < 0.3).astype(int)
    hit = rng.uniform(size=n) < np.where(y == 1, recall, 0.1)
    return y.tolist(), hit.astype(int).tolist()


CONFIG = {"metrics": ["recall", "precision"], "tolerance": 0.05}


def without_time(result):
    return {k: v for k, v in result.items() if k != "timestamp"}


def test_monitor_endpoints_are_the_python_monitor(tmp_path):
    """Baseline, check and history: the PerformanceMonitor's own results."""
    client = TestClient(create_app(store=tmp_path))
    y, p = batch(3000, 0.9, 0)
    response = client.post(
        "/monitors/fraud/baseline", json={"y_true": y, "y_pred": p, **CONFIG}
    )
    assert response.status_code == 200, response.text
    monitor = PerformanceMonitor(**CONFIG).set_baseline(y, p)
    assert response.json()["baseline"]["metrics"] == monitor.baseline_["metrics"]
    assert response.json()["config"] == monitor.get_config()

    y2, p2 = batch(3000, 0.7, 1)
    response = client.post(
        "/monitors/fraud/check", json={"y_true": y2, "y_pred": p2, "batch": "day 1"}
    )
    assert response.status_code == 200, response.text
    got = response.json()
    expected = monitor.check(y2, p2, batch="day 1").to_dict()
    assert without_time(got) == without_time(expected)
    assert got["alert"] is True and got["alerts"] == ["recall"]

    state = client.get("/monitors/fraud").json()
    assert state["name"] == "fraud" and state["history"] == [got]
    assert client.get("/monitors").json() == {"monitors": ["fraud"]}
    assert (tmp_path / "fraud.sqlite").is_file()


def test_monitor_errors(tmp_path):
    """404 unknown monitor, 409 another configuration, 422 bad name or batch."""
    client = TestClient(create_app(store=tmp_path))
    y, p = batch(500, 0.9, 0)
    assert (
        client.post("/monitors/nope/check", json={"y_true": y, "y_pred": p}).status_code
        == 404
    )
    response = client.get("/monitors/nope")
    assert response.status_code == 404 and "nope" in response.json()["detail"]
    body = {"y_true": y, "y_pred": p, **CONFIG}
    assert client.post("/monitors/m/baseline", json=body).status_code == 200
    response = client.post("/monitors/m/baseline", json={**body, "tolerance": 0.1})
    assert response.status_code == 409 and "tolerance" in response.json()["detail"]
    # the same configuration (or none given) sets a new baseline
    assert (
        client.post("/monitors/m/baseline", json={"y_true": y, "y_pred": p}).status_code
        == 200
    )
    response = client.post("/monitors/bad%20name/baseline", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "name"]
    response = client.post(
        "/monitors/m/check", json={"y_true": y, "y_pred": p, "y_score": [0.5] * 500}
    )
    assert response.status_code == 422
    response = client.post("/monitors/x/baseline", json={**body, "metrics": ["nope"]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "metrics"]
    assert not (tmp_path / "x.sqlite").exists()  # bad input leaves no monitor


def test_monitors_survive_a_restart(tmp_path):
    """A new application on the same store finds every monitor and check."""
    first = TestClient(create_app(store=tmp_path))
    y, p = batch(1000, 0.9, 0)
    first.post("/monitors/a/baseline", json={"y_true": y, "y_pred": p, **CONFIG})
    check = first.post("/monitors/a/check", json={"y_true": y, "y_pred": p}).json()
    second = TestClient(create_app(store=tmp_path))
    assert second.get("/monitors/a").json()["history"] == [check]
    again = second.post("/monitors/a/check", json={"y_true": y, "y_pred": p}).json()
    assert again["index"] == 1
