"""The ``skeval`` command line: evaluate, tune, monitor and serve from files.

For models that live outside scikit-learn: FILE is a CSV (or Parquet) file of
labels and scores or predicted labels, one row per sample. Every number comes
from the functions the HTTP service calls (:mod:`skeval.serve._results`), so
``--json`` prints the service's JSON.

Exit status: 0 ok, 2 bad input (the message on stderr names the column or
option), 1 when a monitor check alerts.
"""

import argparse
import json
import os
import re
import sys

from . import __version__

__all__ = ["main"]

#: Exit status of a monitor check that alerts.
EXIT_ALERT = 1
#: Exit status of bad input.
EXIT_INPUT = 2
#: The environment variable ``skeval serve`` reads its token from.
TOKEN_ENV = "SKEVAL_TOKEN"

# Python parameter -> (command-line option, attribute of the parsed arguments)
_OPTIONS = {
    "y_true": ("--label-col", "label_col"),
    "y_score": ("--score-col", "score_col"),
    "y_pred": ("--pred-col", "pred_col"),
    "sample_weight": ("--weight-col", "weight_col"),
    "pos_label": ("--pos-label", "pos_label"),
    "threshold": ("--threshold", "threshold"),
    "objective": ("--objective", "objective"),
    "constraint": ("--constraint", "constraint"),
    "confidence": ("--confidence", "confidence"),
    "cost_matrix": ("--cost", "cost"),
    "labels": ("--cost", "cost"),
    "metrics": ("--metrics", "metrics"),
    "tolerance": ("--tolerance", "tolerance"),
    "rule": ("--rule", "rule"),
    "store": ("--store", "store"),
    "batch": ("--batch", "batch"),
    "timestamp": ("--timestamp", "timestamp"),
}
_QUOTED = re.compile(r"`([A-Za-z_]\w*)[`=]")
_CONSTRAINT = re.compile(r"^\s*([A-Za-z_]\w*)\s*(>=|<=)\s*(\S+)\s*$")


class InputError(ValueError):
    """Bad command-line input, stated in the command line's own terms."""


# ------------------------------------------------------------------ inputs
def _number(text, option):
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{option} must be a number. Got {text!r}.") from None


def parse_constraint(text):
    """``"recall>=0.95"`` -> ``("recall", 0.95)``; the relation must be the
    metric's own (a floor ``>=``, a ceiling ``<=``)."""
    from ._core._formulas import COUNT_METRICS

    match = _CONSTRAINT.match(text)
    if match is None:
        raise InputError(
            "--constraint must read METRIC>=VALUE or METRIC<=VALUE, e.g. "
            f"'recall>=0.95' or 'fpr<=0.01'. Got {text!r}."
        )
    name, relation, value = match.groups()
    value = _number(value, "--constraint's value")
    bound = getattr(COUNT_METRICS.get(name), "bound", None)
    expected = {"lower": ">=", "upper": "<="}.get(bound)
    if expected is not None and relation != expected:
        kind = "a floor" if bound == "lower" else "a ceiling"
        raise InputError(
            f"--constraint: {name} is {kind}, write {name}{expected}{value:g}. "
            f"Got {text!r}."
        )
    return name, value


def parse_cost(text):
    """``"0,5;amount,0"`` -> ``[[0, 5], ["amount", 0]]``: rows split by ``;``,
    entries by ``,``; an entry that is not a number names a column."""
    rows = [[cell.strip() for cell in row.split(",")] for row in text.split(";")]
    if any("" in row for row in rows):
        raise InputError(
            "--cost must be rows separated by ';' and entries by ',', each a "
            f"number or a column name, e.g. '0,5;amount,0'. Got {text!r}."
        )
    matrix = []
    for row in rows:
        out = []
        for cell in row:
            try:
                value = float(cell)
            except ValueError:
                out.append(cell)
            else:
                out.append(int(value) if value.is_integer() else value)
        matrix.append(out)
    return matrix


def _cost_columns(matrix):
    return [cell for row in matrix or () for cell in row if isinstance(cell, str)]


def convert_pos_label(text, y):
    """The label written ``text`` on the command line, of the kind of ``y``."""
    if text is None:
        return None
    kind = y.dtype.kind
    try:
        if kind == "b":
            value = {"true": True, "1": True, "false": False, "0": False}[
                text.strip().lower()
            ]
        elif kind in "iu":
            value = int(text)
        elif kind == "f":
            value = float(text)
        else:
            value = text
    except (KeyError, ValueError):
        labels = sorted({v.item() for v in y[:10_000]})[:10]
        raise InputError(
            f"--pos-label must be one of the labels of the label column, such "
            f"as {labels}. Got {text!r}."
        ) from None
    return value


def _read(args, *, scores, preds):
    """The arrays the subcommand needs, read from FILE."""
    from ._table import read_columns

    cost = parse_cost(args.cost) if getattr(args, "cost", None) else None
    named = {"y_true": args.label_col}
    if scores and args.score_col:
        named["y_score"] = args.score_col
    if preds and args.pred_col:
        named["y_pred"] = args.pred_col
    if args.weight_col:
        named["sample_weight"] = args.weight_col
    extra = _cost_columns(cost)
    numeric = {named.get("y_score"), named.get("sample_weight"), *extra}
    data = read_columns(args.file, [*named.values(), *extra], numeric=numeric)
    arrays = {key: data[column] for key, column in named.items()}
    arrays["pos_label"] = convert_pos_label(args.pos_label, arrays["y_true"])
    if cost is not None:
        arrays["cost_matrix"] = cost
        arrays["metadata"] = {name: data[name] for name in extra}
    return arrays


def _explain(exc, args):
    """skeval's message, with the option behind each parameter it names."""
    message = str(exc)
    hints = []
    for name in dict.fromkeys(_QUOTED.findall(message)):
        option, attr = _OPTIONS.get(name, (None, None))
        if option is None:
            continue
        value = getattr(args, attr, None)
        hints.append(f"`{name}`: {option}" + ("" if value is None else f" {value}"))
    return message + (f" ({'; '.join(hints)})" if hints else "")


# ------------------------------------------------------------------ output
def _labels():
    from .metrics._report_text import ROWS

    return {key: label for key, label, _ in ROWS} | {"cost": "cost (mean per sample)"}


def _cell(key, value):
    if isinstance(value, str):  # "inf" / "-inf"
        return value
    if key in ("tp", "fp", "fn", "tn") and float(value).is_integer():
        return f"{value:.0f}"
    if key == "threshold":
        return f"{value:.6g}"
    return f"{value:.4f}"


def format_report(report):
    """The report dict as aligned lines."""
    labels = _labels()
    width = max(len(labels.get(k, k)) for k in report)
    return [f"  {labels.get(k, k):<{width}}  {_cell(k, v)}" for k, v in report.items()]


def _findings_text(findings):
    if not findings:
        return ["findings: none"]
    return ["findings:"] + [f"  [{f['severity']}] {f['message']}" for f in findings]


def evaluate_text(result, source):
    """Human-readable lines of an ``evaluate`` result (JSON-safe form)."""
    at = "" if result["threshold"] is None else f", threshold {result['threshold']}"
    head = (
        f"{source}: {result['n_samples']} samples, positive class "
        f"{result['pos_label']!r}{at}"
    )
    return [head, *format_report(result["report"]), *_findings_text(result["findings"])]


def tune_text(result, source):
    """Human-readable lines of a ``tune`` result (JSON-safe form)."""
    lines = [
        f"{source}: {result['n_samples']} samples, positive class "
        f"{result['pos_label']!r}",
        f"threshold {_cell('threshold', result['threshold'])}: objective "
        f"{result['objective']} = {result['score']:.4f}",
    ]
    if result["constraint"] is not None:
        name, limit = result["constraint"]
        met = "met" if result["constraint_satisfied"] else "NOT met"
        lines.append(
            f"constraint {name} {parse_relation(name)} {limit:g}: "
            f"{result['constraint_value']:.4f} ({met})"
        )
    lines += format_report(result["report"])
    return lines + [f"warning: {message}" for message in result["warnings"]]


def baseline_text(result, source):
    """Human-readable lines of a monitor's baseline."""
    config, baseline = result["config"], result["baseline"]
    at = "" if config["threshold"] is None else f", threshold {config['threshold']}"
    lines = [
        f"{source}: baseline of {baseline['n_samples']} samples, positive class "
        f"{baseline['pos_label']!r}{at}; rule {config['rule']}, confidence "
        f"{config['confidence']:g}"
    ]
    width = max(map(len, baseline["metrics"]))
    for name, value in baseline["metrics"].items():
        lines.append(
            f"  {name:<{width}}  {value:.4f}  (tolerance {config['tolerance'][name]:g})"
        )
    return lines + _findings_text(baseline["findings"])


def parse_relation(name):
    from ._core._formulas import COUNT_METRICS

    bound = getattr(COUNT_METRICS.get(name), "bound", "lower")
    return ">=" if bound == "lower" else "<="


def _print(result, args, text):
    from .serve._results import to_json

    result = to_json(result)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print("\n".join(text(result, args.file)))


# ------------------------------------------------------------- subcommands
def cmd_evaluate(args):
    """``skeval evaluate FILE``: report and findings of one set of predictions."""
    from .serve._results import evaluate

    if args.score_col is None and args.pred_col is None:
        raise InputError("evaluate needs --score-col (with --threshold) or --pred-col.")
    data = _read(args, scores=True, preds=True)
    result = evaluate(
        data["y_true"],
        data.get("y_pred"),
        y_score=data.get("y_score"),
        threshold=args.threshold,
        pos_label=data["pos_label"],
        sample_weight=data.get("sample_weight"),
        cost_matrix=data.get("cost_matrix"),
        metadata=data.get("metadata"),
    )
    _print(result, args, evaluate_text)
    return 0


def cmd_tune(args):
    """``skeval tune FILE``: the best threshold of labels and scores."""
    from .serve._results import tune

    constraint = parse_constraint(args.constraint) if args.constraint else None
    data = _read(args, scores=True, preds=False)
    result = tune(
        data["y_true"],
        data["y_score"],
        objective=args.objective,
        constraint=constraint,
        pos_label=data["pos_label"],
        sample_weight=data.get("sample_weight"),
        confidence=args.confidence,
        cost_matrix=data.get("cost_matrix"),
        metadata=data.get("metadata"),
    )
    _print(result, args, tune_text)
    return 0


def _monitor_config(args, data):
    """The monitor's parameters given on the command line."""
    from .serve._results import parse_threshold

    config = {}
    if args.metrics:
        config["metrics"] = [m.strip() for m in args.metrics.split(",")]
    for key in ("tolerance", "confidence", "rule"):
        if getattr(args, key) is not None:
            config[key] = getattr(args, key)
    if args.threshold is not None:
        config["threshold"] = parse_threshold(args.threshold)
    if data["pos_label"] is not None:
        config["pos_label"] = data["pos_label"]
    if data.get("cost_matrix") is not None:
        config["cost_matrix"] = data["cost_matrix"]
    return config


def _batch(data):
    return {
        "y_true": data["y_true"],
        "y_pred": data.get("y_pred"),
        "y_score": data.get("y_score"),
        "sample_weight": data.get("sample_weight"),
    }


def _open_monitor(path, *, must_exist):
    from .monitoring import PerformanceMonitor

    if os.path.exists(path):
        return PerformanceMonitor.load(path)
    if must_exist:
        raise InputError(
            f"--store must name an existing monitor database (made by skeval "
            f"monitor baseline). Got {path!r}, which does not exist."
        )
    return None


def cmd_monitor_baseline(args):
    """``skeval monitor baseline FILE --store DB``: set a monitor's baseline."""
    from .serve._monitors import baseline_result, set_baseline

    data = _read(args, scores=True, preds=True)
    config = _monitor_config(args, data)
    monitor = _open_monitor(args.store, must_exist=False)
    monitor = set_baseline(monitor, config, _batch(data), args.store)
    _print(baseline_result(monitor), args, baseline_text)
    return 0


def cmd_monitor_check(args):
    """``skeval monitor check FILE --store DB``: compare a batch with the
    baseline; exit status 1 when it alerts."""
    monitor = _open_monitor(args.store, must_exist=True)
    data = _read(args, scores=True, preds=True)
    result = monitor.check(**_batch(data), timestamp=args.timestamp, batch=args.batch)
    _print(result.to_dict(), args, lambda r, source: [str(result)])
    return EXIT_ALERT if result.alert else 0


def cmd_serve(args):
    """``skeval serve``: run the HTTP service until stopped."""
    from .serve import run_server

    token = os.environ.get(TOKEN_ENV) or None
    run_server(
        host=args.host,
        port=args.port,
        store=args.store,
        max_rows=args.max_rows,
        token=token,
    )
    return 0


# ------------------------------------------------------------------ parser
def _columns(*, scores, preds, score_required=False, config=True):
    """The column options shared by the file subcommands."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("file", metavar="FILE", help="a CSV or Parquet file")
    parent.add_argument("--label-col", required=True, help="the column of true labels")
    if scores:
        parent.add_argument(
            "--score-col",
            required=score_required,
            help="the column of positive-class scores",
        )
    if preds:
        parent.add_argument("--pred-col", help="the column of predicted labels")
    parent.add_argument("--weight-col", help="the column of sample weights")
    if not config:  # a monitor check: the positive class and costs are the monitor's
        parent.set_defaults(pos_label=None, cost=None)
    else:
        _config_options(parent)
    parent.add_argument(
        "--json", action="store_true", help="print JSON (the service's shape)"
    )
    return parent


def _config_options(parent):
    parent.add_argument(
        "--pos-label", help="the positive class (default: 1 for 0/1 labels)"
    )
    parent.add_argument(
        "--cost",
        help="a cost matrix, rows ';', entries ',' in sorted-label order "
        "([[TN, FP], [FN, TP]] costs for 0/1); a name is a column of "
        "per-sample costs: '0,5;amount,0'",
    )


def _monitor_parser(sub):
    monitor = sub.add_parser(
        "monitor",
        help="a performance monitor kept in an SQLite file",
        description="Set a monitor's baseline, then check labelled batches "
        "against it; exit status 1 when a check alerts.",
    )
    actions = monitor.add_subparsers(dest="action", required=True, metavar="ACTION")
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--store", required=True, help="the monitor's SQLite file")
    base = actions.add_parser(
        "baseline",
        parents=[_columns(scores=True, preds=True), store],
        help="set the baseline (creates the monitor)",
    )
    base.add_argument(
        "--threshold", help="positive iff score >= threshold, for --score-col"
    )
    base.add_argument("--metrics", help="comma-separated (default recall,precision,f1)")
    base.add_argument("--tolerance", type=float, help="accepted drop (default 0.05)")
    base.add_argument(
        "--confidence", type=float, help="confidence of the alerts (default 0.95)"
    )
    base.add_argument("--rule", choices=["statistical", "fixed"])
    base.set_defaults(func=cmd_monitor_baseline)
    check = actions.add_parser(
        "check",
        parents=[_columns(scores=True, preds=True, config=False), store],
        help="compare a labelled batch with the baseline",
    )
    check.add_argument("--batch", help="a name for the batch")
    check.add_argument("--timestamp", help="when the batch happened (ISO 8601)")
    check.set_defaults(func=cmd_monitor_check)


def build_parser():
    """The ``skeval`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="skeval",
        description="Evaluate and tune a binary classifier's operating point "
        "from files of labels and scores.",
        epilog="Exit status: 0 ok, 2 bad input, 1 a monitor check alerts.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ev = sub.add_parser(
        "evaluate",
        parents=[_columns(scores=True, preds=True)],
        help="counts, rates, cost and findings of predictions",
    )
    ev.add_argument(
        "--threshold",
        help="predict positive iff score >= threshold (a number, inf or -inf)",
    )
    ev.set_defaults(func=cmd_evaluate)

    tu = sub.add_parser(
        "tune",
        parents=[_columns(scores=True, preds=False, score_required=True)],
        help="the best threshold of labels and scores",
    )
    tu.add_argument(
        "--objective", help="a metric name or 'cost' (default: f1, or cost with --cost)"
    )
    tu.add_argument("--constraint", help="e.g. 'recall>=0.95' or 'fpr<=0.01'")
    tu.add_argument(
        "--confidence", type=float, help="confidence of the constraint guarantee"
    )
    tu.set_defaults(func=cmd_tune)

    _monitor_parser(sub)

    se = sub.add_parser("serve", help="run the HTTP service")
    se.add_argument("--host", default="127.0.0.1")
    se.add_argument("--port", type=int, default=8000)
    se.add_argument("--store", help="directory of the monitors' databases")
    se.add_argument("--max-rows", type=int, default=1_000_000)
    se.set_defaults(func=cmd_serve)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        message = str(exc)
    except (ValueError, TypeError) as exc:
        message = _explain(exc, args)
    except ImportError as exc:
        message = str(exc)
    command = " ".join(filter(None, [args.command, getattr(args, "action", None)]))
    print(f"skeval {command}: error: {message}", file=sys.stderr)
    return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
