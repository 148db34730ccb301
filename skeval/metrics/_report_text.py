"""The operating-point report's rows and its text form.

Which rows a report has (counts, rates, the cost), how each is labelled and
formatted, the header (positive class, sample counts, a note when the
positive class is the majority) and the bootstrap section.
"""

import numpy as np

__all__ = ["ROWS", "COUNT_KEYS", "ROW_KEYS", "header", "interval_text", "text"]

# (key in the dict, label in the text, count metric or None for a count)
ROWS = (
    ("threshold", "threshold", None),
    ("tp", "true positives", None),
    ("fp", "false positives", None),
    ("fn", "false negatives", None),
    ("tn", "true negatives", None),
    ("precision", "precision", "precision"),
    ("recall", "recall", "recall"),
    ("specificity", "specificity", "specificity"),
    ("npv", "NPV", "npv"),
    ("f1", "F1", "f1"),
    ("balanced_accuracy", "balanced accuracy", "balanced_accuracy"),
    ("matthews_corrcoef", "MCC", "matthews_corrcoef"),
    ("alert_rate", "alert rate", "alert_rate"),
)
COUNT_KEYS = ("tp", "fp", "fn", "tn")
ROW_KEYS = {key for key, _, _ in ROWS}


def _format_value(key, value, digits, integral):
    if key in COUNT_KEYS and integral:
        return f"{value:.0f}"
    if key == "threshold":
        return f"{value:.{digits}g}" if abs(value) >= 1e4 else f"{value:.{digits}f}"
    return f"{value:.{digits}f}"


def text(report, *, labels, digits, header):
    columns = list(report)
    integral = all(
        float(report[c][k]).is_integer() for c in columns for k in COUNT_KEYS
    )
    rows = [(key, labels.get(key, key)) for key in report[columns[0]]]
    width = max(len(label) for _, label in rows)
    cells = {
        c: [_format_value(k, report[c][k], digits, integral) for k, _ in rows]
        for c in columns
    }
    col_w = {c: max(len(c), *(len(v) for v in cells[c])) for c in columns}
    lines = [header, ""]
    lines.append(" " * width + "".join(f"  {c:>{col_w[c]}}" for c in columns))
    for i, (_, label) in enumerate(rows):
        lines.append(
            f"{label:<{width}}"
            + "".join(f"  {cells[c][i]:>{col_w[c]}}" for c in columns)
        )
    return "\n".join(lines) + "\n"


def interval_text(report, labels, level, n_resamples):
    lines = [
        "",
        f"Bootstrap {level:.0%} intervals ({n_resamples} resamples of these rows, "
        "thresholds fixed):",
    ]
    for column, row in report.items():
        for key, (low, high) in row["intervals"].items():
            if key in COUNT_KEYS:
                continue
            lines.append(
                f"  {column:>10}  {labels.get(key, key):<22} [{low:.3f}, {high:.3f}]"
            )
        if "constraint_risk" in row:
            lines.append(
                f"  {column:>10}  constraint fails in {row['constraint_risk']:.0%} "
                "of resamples"
            )
    return "\n".join(lines) + "\n"


def header(curve, pos_label):
    total = float(curve.tp[0] + curve.fp[0] + curve.fn[0] + curve.tn[0])
    positive = float(curve.tp[-1])
    if isinstance(pos_label, np.generic):
        pos_label = pos_label.item()
    header = (
        f"Operating point report (positive class: {pos_label!r}; "
        f"{_count(total)} samples, {_count(positive)} positive)"
    )
    if positive > total / 2:
        header += (
            f"\nNote: the positive class {pos_label!r} is the majority "
            f"({positive / total:.0%}); if the rare class is the one to find, "
            "pass its label as pos_label."
        )
    return header


def _count(value):
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
