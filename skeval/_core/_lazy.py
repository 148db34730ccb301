"""dask input: exact curves through a tree reduction of count tables.

Each partition of the rows becomes a :class:`CountTable` on the worker that
holds it; tables merge pairwise-ish in a tree (a few at a time), and only the
merged table, O(distinct scores), reaches the caller. dask is imported here,
when dask input arrives, never by ``import skeval``.
"""

import numpy as np

from ._count_table import CountTable

__all__ = ["as_samples", "is_lazy", "lazy_table"]

# tables merged per node of the reduction tree
_SPLIT_EVERY = 8
# rows counted at once within a partition: the sort's working memory stays
# O(this), whatever the chunking
_ROWS_AT_ONCE = 1 << 20


def is_lazy(*values):
    """True when any of ``values`` is a dask collection (checked without
    importing dask)."""
    return any(
        hasattr(v, "__dask_graph__") and callable(getattr(v, "to_delayed", None))
        for v in values
    )


def _import_dask():
    try:
        import dask
        import dask.array  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "dask input needs the optional dependency dask: install the `dask` "
            "extra, pip install 'skeval[dask]'."
        ) from exc
    return dask


def _is_frame(value):
    return hasattr(value, "npartitions") and not hasattr(value, "chunks")


def _partitions(columns):
    """The delayed partitions of each column, aligned row for row.

    dask DataFrame columns with the same number of partitions are used as
    they are; otherwise everything becomes a dask array chunked like the first
    lazy column (numpy arrays included).
    """
    dask = _import_dask()
    lazy = [v for v in columns.values() if is_lazy(v)]
    frames = [v for v in lazy if _is_frame(v)]
    if len(frames) == len(columns) and len({v.npartitions for v in frames}) == 1:
        return {name: list(v.to_delayed()) for name, v in columns.items()}
    arrays = {}
    for name, value in columns.items():
        if _is_frame(value):
            value = value.to_dask_array(lengths=True)
        elif not is_lazy(value):
            value = dask.array.from_array(np.asarray(value))
        if value.ndim == 2 and value.shape[1] == 1:
            value = value[:, 0]
        if value.ndim != 1:
            raise ValueError(
                f"`{name}` must be one-dimensional (n_samples,). Got shape "
                f"{value.shape}."
            )
        arrays[name] = value
    first = next(iter(arrays.values()))
    for name, value in arrays.items():
        if value.shape[0] != first.shape[0]:
            raise ValueError(
                f"`{name}` must have one entry per sample ({first.shape[0]}). "
                f"Got {value.shape[0]}."
            )
    chunks = first.chunks
    return {
        name: list(value.rechunk(chunks).to_delayed().ravel())
        for name, value in arrays.items()
    }


def _chunk_table(y_true, y_score, sample_weight, pos_label, decimals, per_sample):
    """One partition's table, counted a slice of rows at a time."""
    columns = {"y_true": y_true, "y_score": y_score, **per_sample}
    if sample_weight is not None:
        columns["sample_weight"] = sample_weight
    columns = {name: np.asarray(v) for name, v in columns.items()}
    table = None
    for start in range(0, max(len(columns["y_true"]), 1), _ROWS_AT_ONCE):
        part = {name: v[start : start + _ROWS_AT_ONCE] for name, v in columns.items()}
        part = CountTable.from_predictions(
            part.pop("y_true"),
            part.pop("y_score"),
            sample_weight=part.pop("sample_weight", None),
            pos_label=pos_label,
            decimals=decimals,
            **part,
        )
        # merged as they come: one table and one slice's at a time
        table = part if table is None else table + part
    return table


def lazy_table(
    y_true,
    y_score,
    *,
    pos_label=None,
    sample_weight=None,
    decimals=None,
    per_sample=None,
):
    """The :class:`CountTable` of dask columns, by a tree reduction.

    The graph runs on the active scheduler (a ``dask.distributed`` client
    when one is set up, else dask's default for the collections).
    """
    dask = _import_dask()
    columns = {"y_true": y_true, "y_score": y_score}
    if sample_weight is not None:
        columns["sample_weight"] = sample_weight
    per_sample = dict(per_sample or {})
    columns.update(per_sample)
    parts = _partitions(columns)
    make = dask.delayed(_chunk_table, pure=True)
    tables = [
        make(
            y,
            s,
            parts["sample_weight"][i] if sample_weight is not None else None,
            pos_label,
            decimals,
            {name: parts[name][i] for name in per_sample},
        )
        for i, (y, s) in enumerate(zip(parts["y_true"], parts["y_score"]))
    ]
    merge = dask.delayed(CountTable.merge, pure=True)
    while len(tables) > 1:
        tables = [
            merge(tables[i : i + _SPLIT_EVERY])
            for i in range(0, len(tables), _SPLIT_EVERY)
        ]
    (table,) = dask.compute(tables[0])
    return table


def as_samples(y_true, y_score, sample_weight=None, metadata=None):
    """dask columns -> one weighted sample per (score, class) cell.

    Any skeval function that takes ``(y_true, y_score, sample_weight,
    **metadata)`` returns on the cells what it returns on the rows (the
    counts exactly): this is how the functions accept dask input without
    holding the rows. Other input is returned unchanged.
    """
    metadata = dict(metadata or {})
    if not is_lazy(y_true, y_score, sample_weight, *metadata.values()):
        return y_true, y_score, sample_weight, metadata
    table = lazy_table(
        y_true, y_score, sample_weight=sample_weight, per_sample=metadata
    )
    return table.to_samples()
