"""Benchmark: a bounded load test of the HTTP service on 127.0.0.1.

``POST /evaluate`` with 10,000 rows (labels with 10% positives and scores
rounded to 6 digits, a threshold) sent ``--requests`` times by
``--concurrency`` client threads over keep-alive connections, against one
uvicorn process running ``skeval serve``. The same load then goes to a bare
FastAPI application (the floor) with two endpoints: one that only parses the
JSON body (``json.loads`` through Starlette) and one that also validates it
with the service's pydantic model. Reported: p50 and p99 latency, requests per
second, errors (any status other than 200, or a failed connection), and the
ratios to the floor, all from the same run.

The client runs in this process and shares the machine with the server, so
absolute figures depend on the cores available; the ratios are the point.

Run: ``python benchmarks/bench_serve.py`` (2,000 requests at concurrency 16);
``--quick`` sends 300.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def floor_app():
    """FastAPI endpoints that only parse (and validate) the body."""
    from fastapi import FastAPI, Request

    from skeval.serve._models import EvaluateRequest

    app = FastAPI()

    @app.post("/parse")
    async def parse(request: Request):
        body = await request.json()
        return {"n_samples": len(body["y_true"])}

    @app.post("/validate")
    def validate(body: EvaluateRequest):
        return {"n_samples": len(body.y_true)}

    return app


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command, port):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/docs", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def load(port, path, payload, n_requests, concurrency):
    """Send ``n_requests`` POSTs from ``concurrency`` threads; latencies (s),
    error count and wall time."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    remaining = [n_requests]
    headers = {"Content-Type": "application/json"}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                conn.request("POST", path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return np.array(latencies), errors[0], time.perf_counter() - start


def payload(rows, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(rows) < 0.1).astype(int)
    score = 1.0 / (1.0 + np.exp(-(rng.normal(size=rows) + 2.0 * y)))
    body = {"y_true": y.tolist(), "y_score": score.round(6).tolist(), "threshold": 0.5}
    return json.dumps(body).encode()


def run(label, port, path, body, args):
    load(port, path, body, 20, min(4, args.concurrency))  # warm-up
    lat, errors, wall = load(port, path, body, args.requests, args.concurrency)
    row = {
        "endpoint": label,
        "p50_ms": 1e3 * float(np.median(lat)),
        "p99_ms": 1e3 * float(np.quantile(lat, 0.99)),
        "req_per_s": args.requests / wall,
        "errors": errors,
    }
    print(
        f"{label:<28} {row['p50_ms']:>9.1f} {row['p99_ms']:>9.1f} "
        f"{row['req_per_s']:>9.1f} {errors:>7d}",
        flush=True,
    )
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="300 requests")
    parser.add_argument("--serve-floor", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_floor:
        import uvicorn

        uvicorn.run(
            floor_app(), host="127.0.0.1", port=args.serve_floor, log_level="warning"
        )
        return
    if args.quick:
        args.requests = 300

    body = payload(args.rows)
    print(
        f"{args.requests} POSTs of {args.rows} rows ({len(body) / 1e3:.0f} kB) at "
        f"concurrency {args.concurrency}, {os.cpu_count()} cores, one uvicorn "
        "worker per server"
    )
    print(f"{'endpoint':<28} {'p50 ms':>9} {'p99 ms':>9} {'req/s':>9} {'errors':>7}")
    rows = []
    port = free_port()
    command = [sys.executable, "-m", "skeval", "serve", "--port", str(port)]
    process = start(command, port)
    try:
        rows.append(run("skeval /evaluate", port, "/evaluate", body, args))
    finally:
        process.terminate()
        process.wait()
    port = free_port()
    process = start([sys.executable, __file__, "--serve-floor", str(port)], port)
    try:
        rows.append(run("floor: parse JSON", port, "/parse", body, args))
        rows.append(run("floor: parse + validate", port, "/validate", body, args))
    finally:
        process.terminate()
        process.wait()
    skeval, parse, validate = rows
    print(
        f"skeval / parse-only floor: p50 x{skeval['p50_ms'] / parse['p50_ms']:.2f}, "
        f"throughput x{skeval['req_per_s'] / parse['req_per_s']:.2f}; "
        f"skeval / validate floor: p50 x{skeval['p50_ms'] / validate['p50_ms']:.2f}, "
        f"throughput x{skeval['req_per_s'] / validate['req_per_s']:.2f}"
    )


if __name__ == "__main__":
    main()
