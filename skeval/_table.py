"""Named columns of a CSV or Parquet file, for the command line.

CSV is read with the standard library; Parquet with pyarrow (the ``io``
extra), imported only for a Parquet file. A label column becomes integers when
every cell is an integer, else floats when every cell is a number, else
strings; a numeric column must hold numbers. Empty cells are refused.
"""

import csv
from pathlib import Path

import numpy as np

__all__ = ["read_columns"]

PARQUET_SUFFIXES = (".parquet", ".pq")


def read_columns(path, columns, *, numeric=()):
    """``{name: ndarray}`` for each of ``columns``, rows in file order.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` file (any other suffix is read as CSV) or a ``.parquet``
        / ``.pq`` file.
    columns : list of str
        The columns to read.
    numeric : collection of str, default=()
        The columns that must hold numbers (read as float64).

    Raises
    ------
    ValueError
        For a missing file or column, a ragged row, an empty cell or a
        non-number in a numeric column; the message names the column.
    ImportError
        For a Parquet file without pyarrow.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"FILE must be an existing CSV or Parquet file. Got {path}.")
    columns = list(dict.fromkeys(columns))
    if path.suffix.lower() in PARQUET_SUFFIXES:
        raw = _read_parquet(path, columns)
    else:
        raw = _read_csv(path, columns)
    return {
        name: _convert(raw[name], name, name in numeric, path.name) for name in columns
    }


def _missing(columns, header, source):
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValueError(
            f"column {missing[0]!r} is not in {source}; its columns are {list(header)}."
        )


def _read_csv(path, columns):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        if not header:
            raise ValueError(f"{path.name} must start with a header row. Got none.")
        _missing(columns, header, path.name)
        where = [header.index(c) for c in columns]
        cells = [[] for _ in columns]
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise ValueError(
                    f"Every row of {path.name} must have {len(header)} fields, as "
                    f"its header. Line {reader.line_num} has {len(row)}."
                )
            for out, i in zip(cells, where):
                out.append(row[i].strip())
    return {c: np.array(v, dtype=str) for c, v in zip(columns, cells)}


def _read_parquet(path, columns):
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError(
            f"Reading the Parquet file {path.name} needs pyarrow: "
            "pip install 'skeval[io]'."
        ) from exc
    schema = pq.read_schema(path)
    _missing(columns, schema.names, path.name)
    table = pq.read_table(path, columns=columns)
    out = {}
    for name in columns:
        column = table.column(name)
        if column.null_count:
            raise ValueError(
                f"column {name!r} of {path.name} must not hold empty (null) "
                f"cells. Got {column.null_count}."
            )
        out[name] = column.to_numpy()
    return out


def _first_bad(values, convert):
    for i, value in enumerate(values):
        try:
            convert(value)
        except (TypeError, ValueError):
            return i, value
    return None, None  # pragma: no cover - numpy refused something float takes


def _convert(values, name, numeric, source):
    if len(values) == 0:
        raise ValueError(f"{source} must hold at least one data row. Got none.")
    if values.dtype.kind == "U":
        empty = np.flatnonzero(values == "")
        if len(empty):
            raise ValueError(
                f"column {name!r} of {source} must not hold empty cells. Data row "
                f"{empty[0] + 1} is empty."
            )
        if numeric:
            try:
                return values.astype(np.float64)
            except ValueError:
                row, value = _first_bad(values, float)
                raise ValueError(
                    f"column {name!r} of {source} must hold numbers. Data row "
                    f"{row + 1} holds {value!r}."
                ) from None
        for dtype in (np.int64, np.float64):
            try:
                return values.astype(dtype)
            except (ValueError, OverflowError):
                continue
        return values
    if numeric:
        if values.dtype.kind not in "biuf":
            raise ValueError(
                f"column {name!r} of {source} must hold numbers. Got dtype "
                f"{values.dtype}."
            )
        return values.astype(np.float64)
    return values
