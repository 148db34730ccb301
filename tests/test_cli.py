"""The ``skeval`` command line: each subcommand through a subprocess on files
written to tmp_path, and every bad-input path's exit status and message."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skeval.cli import main, parse_constraint, parse_cost
from skeval.metrics import operating_point, operating_point_report
from skeval.monitoring import PerformanceMonitor

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd):
    """``python -m skeval ARGS`` in a subprocess: (status, stdout, stderr)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    done = subprocess.run(
        [sys.executable, "-m", "skeval", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def table():
    rng = np.random.RandomState(0)
    n = 400
    y = rng.randint(0, 2, n)
    score = np.clip(0.35 * y + 0.65 * rng.uniform(size=n), 0, 1).round(4)
    amount = rng.uniform(1, 100, n).round(2)
    weight = rng.randint(1, 4, n)
    return {
        "label": y,
        "score": score,
        "pred": (score >= 0.5).astype(int),
        "amount": amount,
        "weight": weight,
    }


def write_csv(path, columns):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(list(columns))
        writer.writerows(zip(*columns.values()))
    return path


@pytest.fixture
def data_csv(tmp_path, table):
    return write_csv(tmp_path / "data.csv", table)


def test_evaluate_subprocess_text_and_json(data_csv, table, capsys, monkeypatch):
    """skeval evaluate: a readable report, and --json equal to the Python one."""
    args = ["evaluate", "data.csv", "--label-col", "label", "--score-col", "score"]
    args += ["--threshold", "0.5", "--cost", "0,5;amount,0"]
    monkeypatch.chdir(data_csv.parent)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "true positives" in out and "cost (mean per sample)" in out
    status, out, err = run(*args, "--json", cwd=data_csv.parent)
    assert status == 0, err
    got = json.loads(out)
    expected = operating_point_report(
        table["label"],
        table["score"],
        thresholds=0.5,
        cost=[[0, 5], ["amount", 0]],
        amount=table["amount"],
        output_dict=True,
    )["threshold"]
    assert got["report"] == pytest.approx(expected)
    assert {"n_samples", "pos_label", "threshold", "report", "findings"} == set(got)


def test_tune_subprocess(data_csv, table, capsys):
    """skeval tune: operating_point's threshold, under a constraint."""
    args = ["tune", "data.csv", "--label-col", "label", "--score-col", "score"]
    args += ["--objective", "precision", "--constraint", "recall>=0.9", "--json"]
    status, out, err = run(*args, cwd=data_csv.parent)
    assert status == 0, err
    got = json.loads(out)
    point = operating_point(
        table["label"],
        table["score"],
        objective="precision",
        constraint=("recall", 0.9),
    )
    assert got["threshold"] == pytest.approx(point.threshold)
    assert got["score"] == pytest.approx(point.score)
    args[1] = str(data_csv)
    assert main(args[:-1]) == 0
    out = capsys.readouterr().out
    assert "constraint recall >= 0.9" in out and "(met)" in out


def test_bad_input_subprocess_exits_2(data_csv):
    """A missing column: exit status 2, stderr names it, nothing on stdout."""
    status, out, err = run(
        "tune", "data.csv", "--label-col", "nope", "--score-col", "score",
        cwd=data_csv.parent,
    )  # fmt: skip
    assert status == 2 and out == ""
    assert "column 'nope' is not in data.csv" in err


def test_evaluate_predictions_weights_and_pos_label(data_csv, table, capsys):
    """--pred-col, --weight-col and --pos-label reach the evaluation."""
    args = ["evaluate", str(data_csv), "--label-col", "label", "--pred-col", "pred"]
    args += ["--weight-col", "weight", "--pos-label", "0", "--json"]
    assert main(args) == 0
    got = json.loads(capsys.readouterr().out)
    y, p, w = table["label"], table["pred"], table["weight"]
    assert got["pos_label"] == 0
    assert got["report"]["tp"] == pytest.approx(w[(y == 0) & (p == 0)].sum())


def test_tune_cost_objective_and_text(data_csv, capsys):
    """--cost alone makes the objective the cost; the text says so."""
    args = ["tune", str(data_csv), "--label-col", "label", "--score-col", "score"]
    assert main([*args, "--cost", "0,1;amount,0"]) == 0
    out = capsys.readouterr().out
    assert "objective cost" in out and "cost (mean per sample)" in out


def test_string_labels_and_infinite_threshold(tmp_path, capsys):
    """String labels with --pos-label; --threshold inf prints "inf"."""
    path = write_csv(
        tmp_path / "s.csv",
        {"y": ["ham", "spam", "spam", "ham"], "s": [0.1, 0.8, 0.4, 0.3]},
    )
    args = ["evaluate", str(path), "--label-col", "y", "--score-col", "s"]
    assert main([*args, "--pos-label", "spam", "--threshold", "inf", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["threshold"] == "inf" and got["pos_label"] == "spam"
    assert got["report"]["alert_rate"] == 0.0


def test_parquet_file(tmp_path, table, capsys):
    """A Parquet file gives the same result as the CSV."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table({k: v for k, v in table.items()}), path)
    csv_path = write_csv(tmp_path / "data.csv", table)
    args = ["--label-col", "label", "--score-col", "score", "--json"]
    assert main(["tune", str(path), *args]) == 0
    from_parquet = json.loads(capsys.readouterr().out)
    assert main(["tune", str(csv_path), *args]) == 0
    assert json.loads(capsys.readouterr().out) == from_parquet


BASE = ["--label-col", "label", "--score-col", "score"]
BAD = [
    # (args after FILE, words stderr must hold)
    (["tune", *BASE, "--constraint", "recall>0.9"], ["--constraint", "METRIC>=VALUE"]),
    (["tune", *BASE, "--constraint", "recall<=0.9"], ["recall is a floor", ">=0.9"]),
    (["tune", *BASE, "--constraint", "fpr>=0.1"], ["fpr is a ceiling"]),
    (["tune", *BASE, "--constraint", "recall>=x"], ["--constraint's value"]),
    (["tune", *BASE, "--constraint", "recall>=1.5"], ["`constraint`", "--constraint"]),
    (["tune", *BASE, "--objective", "precision"], ["`objective", "--objective"]),
    (["tune", *BASE, "--objective", "nope"], ["--objective nope"]),
    (["tune", *BASE, "--confidence", "0.9"], ["`confidence`", "--confidence"]),
    (["tune", *BASE, "--pos-label", "x"], ["--pos-label", "[0, 1]"]),
    (["tune", *BASE, "--pos-label", "3"], ["`pos_label`", "--pos-label 3"]),
    (["tune", *BASE, "--cost", "0,5;"], ["--cost must be rows"]),
    (["tune", *BASE, "--cost", "0,5;nope,0"], ["column 'nope'"]),
    (["tune", *BASE, "--cost", "0,5,1;1,0,1"], ["`cost_matrix`", "--cost"]),
    (["tune", *BASE, "--weight-col", "text"], ["column 'text'", "numbers"]),
    (["tune", "--label-col", "label", "--score-col", "text"], ["column 'text'"]),
    (["tune", "--label-col", "label", "--score-col", "gap"], ["'gap'", "empty"]),
    (
        ["tune", "--label-col", "three", "--score-col", "score"],
        ["`y_true`", "--label-col three"],
    ),
    (["evaluate", *BASE], ["`threshold`", "--threshold"]),
    (["evaluate", "--label-col", "label"], ["--score-col", "--pred-col"]),
    (["evaluate", *BASE, "--threshold", "high"], ["`threshold`", "--threshold high"]),
    (
        ["evaluate", *BASE, "--pred-col", "label", "--threshold", "1"],
        ["`y_pred`", "together"],
    ),
]


@pytest.fixture
def bad_csv(tmp_path):
    return write_csv(
        tmp_path / "bad.csv",
        {
            "label": [0, 1, 1, 0],
            "score": [0.1, 0.9, 0.4, 0.3],
            "text": ["a", "b", "c", "d"],
            "gap": ["0.1", "", "0.4", "0.3"],
            "three": [0, 1, 2, 0],
        },
    )


@pytest.mark.parametrize("args, words", BAD)
def test_bad_input_exits_2_naming_the_option(bad_csv, capsys, args, words):
    """Every bad input: status 2, stderr names the column or option."""
    command, *rest = args
    assert main([command, str(bad_csv), *rest]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"skeval {command}: error: ")
    for word in words:
        assert word in captured.err


@pytest.mark.parametrize(
    "args, word",
    [
        (["tune", "missing.csv", *BASE], "existing CSV or Parquet file"),
        (["tune", "empty.csv", *BASE], "header row"),
        (["tune", "ragged.csv", *BASE], "Line 3 has 1"),
        (["tune", "norows.csv", *BASE], "at least one data row"),
    ],
)
def test_bad_files_exit_2(tmp_path, capsys, args, word):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "ragged.csv").write_text("label,score\n0,0.1\n1\n")
    (tmp_path / "norows.csv").write_text("label,score\n")
    command, path, *rest = args
    assert main([command, str(tmp_path / path), *rest]) == 2
    assert word in capsys.readouterr().err


def test_argparse_errors_exit_2(capsys):
    """A missing required option is argparse's exit status 2."""
    with pytest.raises(SystemExit) as info:
        main(["tune", "data.csv", "--score-col", "s"])
    assert info.value.code == 2
    assert "--label-col" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, expected",
    [
        ("recall>=0.95", ("recall", 0.95)),
        (" fpr <= 0.01 ", ("fpr", 0.01)),
        ("alert_rate<=0.2", ("alert_rate", 0.2)),
    ],
)
def test_parse_constraint(text, expected):
    assert parse_constraint(text) == expected


def test_parse_cost():
    assert parse_cost("0,5;amount,0") == [[0, 5], ["amount", 0]]
    assert parse_cost(" 0 , 2.5 ; 1,0 ") == [[0, 2.5], [1, 0]]


def monitor_batch(path, n, recall, seed):
    rng = np.random.RandomState(seed)
    y = (rng.uniform(size=n) < 0.3).astype(int)
    hit = rng.uniform(size=n) < np.where(y == 1, recall, 0.1)
    score = np.where(hit, 0.75, 0.25) + rng.uniform(-0.2, 0.2, size=n)
    return write_csv(path, {"y": y, "p": hit.astype(int), "s": score.round(4)})


def test_monitor_subprocess_baseline_and_check(tmp_path, capsys):
    """skeval monitor baseline, then check: exit 0 without alert, 1 with one."""
    monitor_batch(tmp_path / "base.csv", 3000, 0.9, 0)
    monitor_batch(tmp_path / "drop.csv", 3000, 0.7, 1)
    monitor_batch(tmp_path / "same.csv", 3000, 0.9, 2)
    status, out, err = run(
        "monitor", "baseline", "base.csv", "--store", "m.db", "--label-col", "y",
        "--score-col", "s", "--threshold", "0.5", "--metrics", "recall,precision",
        cwd=tmp_path,
    )  # fmt: skip
    assert status == 0, err
    assert "baseline of 3000 samples" in out and "recall" in out
    status, out, err = run(
        "monitor", "check", "drop.csv", "--store", "m.db", "--label-col", "y",
        "--score-col", "s", "--batch", "day 2", "--json", cwd=tmp_path,
    )  # fmt: skip
    assert status == 1, err
    result = json.loads(out)
    assert result["alerts"] == ["recall"] and result["batch"] == "day 2"
    store = str(tmp_path / "m.db")
    same = str(tmp_path / "same.csv")
    assert (
        main(
            [
                "monitor",
                "check",
                same,
                "--store",
                store,
                "--label-col",
                "y",
                "--pred-col",
                "p",
            ]
        )
        == 0
    )
    assert "no alert" in capsys.readouterr().out
    history = PerformanceMonitor.load(store).history_
    assert [r.alert for r in history] == [True, False]


MONITOR_BAD = [
    (
        ["check", "--store", "missing.db", "--label-col", "y", "--pred-col", "p"],
        ["--store", "does not exist"],
    ),
    (
        [
            "baseline",
            "--store",
            "new.db",
            "--label-col",
            "y",
            "--pred-col",
            "p",
            "--metrics",
            "recall,nope",
        ],
        ["`metrics`", "--metrics"],
    ),
    (
        ["baseline", "--store", "new.db", "--label-col", "y", "--score-col", "s"],
        ["threshold"],
    ),
    (
        [
            "baseline",
            "--store",
            "m.db",
            "--label-col",
            "y",
            "--pred-col",
            "p",
            "--tolerance",
            "0.2",
        ],
        ["another configuration", "tolerance"],
    ),
    (
        ["check", "--store", "m.db", "--label-col", "y", "--pred-col", "nope"],
        ["column 'nope'"],
    ),
]


@pytest.mark.parametrize("args, words", MONITOR_BAD)
def test_monitor_bad_input_exits_2(tmp_path, capsys, monkeypatch, args, words):
    """Bad monitor input: status 2 and the option named; nothing stored."""
    monkeypatch.chdir(tmp_path)
    monitor_batch(tmp_path / "b.csv", 200, 0.9, 0)
    assert (
        main(
            [
                "monitor",
                "baseline",
                "b.csv",
                "--store",
                "m.db",
                "--label-col",
                "y",
                "--pred-col",
                "p",
            ]
        )
        == 0
    )
    capsys.readouterr()
    action, *rest = args
    assert main(["monitor", action, "b.csv", *rest]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"skeval monitor {action}: error: ")
    for word in words:
        assert word in err
    assert not (tmp_path / "new.db").exists()


def test_import_skeval_imports_no_optional_extra(tmp_path):
    """``import skeval`` (and the command line's module) leaves FastAPI,
    Starlette and uvicorn unimported. (pandas and pyarrow are not checked:
    recent scikit-learn imports pandas itself when it is installed.)"""
    code = (
        "import sys, skeval, skeval.cli, skeval.serve; "
        "print(sorted(m for m in ('fastapi', 'starlette', 'uvicorn') "
        "if m in sys.modules))"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
