"""Benchmark: an exact curve and F1 operating point beyond memory, with dask.

Same run, three engines:

* dask: ``operating_point(y, s, objective="f1")`` on a lazily generated dask
  array of ``--rows`` rows (default 1e8; each chunk draws its labels, 10%
  positive, and logistic scores of a noisy signal from its own seed, so no
  chunk exists before the task that uses it). dask's threaded scheduler on
  ``--workers`` threads, default chunking. Each partition becomes a
  ``CountTable``, the tables merge in a tree, the operating point is chosen
  on the merged table. Reported: wall time, time per row and the peak
  resident memory above the baseline (polled every 10 ms).
* the in-memory engine: ``confusion_curve`` on ``--memory-rows`` rows (1e7)
  already in memory, then the same operating point;
* scikit-learn's ``confusion_matrix_at_thresholds`` on the same 1e7 rows.

The scores carry ``--decimals`` decimal places (default 6: at most a million
distinct scores, as scores exported to a table usually are). With continuous
float64 scores an exact table holds one entry per row (24 bytes each); see
``--decimals -1``.

Run: ``python benchmarks/bench_scale.py`` (minutes); ``--rows 1e7`` for a
quick run.
"""

import argparse
import os
import threading
import time

import numpy as np
from sklearn.metrics import confusion_matrix_at_thresholds

from skeval.metrics import confusion_curve, operating_point


def rss_bytes():
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """Peak resident memory while the block runs, polled in a thread."""

    def __enter__(self):
        self.base = self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())
        self.extra = self.peak - self.base


def block(seed, n, decimals, step=1 << 20):
    """One chunk of rows: labels (as 0.0/1.0) and scores, side by side,
    drawn a slice at a time (the generator's temporaries stay small)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, 2))
    for start in range(0, n, step):
        m = min(step, n - start)
        y = rng.random(m) < 0.1
        s = 1.0 / (1.0 + np.exp(-(rng.normal(size=m) + 2.0 * y)))
        if decimals >= 0:
            s = np.round(s, decimals)
        out[start : start + m, 0] = y
        out[start : start + m, 1] = s
    return out


def lazy_rows(n_rows, decimals):
    import dask.array as da

    chunks = da.empty((n_rows, 2), dtype=np.float64).chunks

    def make(x, block_info=None):
        loc = block_info[None]["chunk-location"][0]
        return block(loc, x.shape[0], decimals)

    data = da.map_blocks(make, da.empty((n_rows, 2), chunks=chunks), dtype=np.float64)
    return data[:, 0].astype(np.int8), data[:, 1], len(chunks[0])


def main(n_rows, memory_rows, workers, decimals):
    import dask

    dask.config.set(scheduler="threads", num_workers=workers)
    y, s, n_chunks = lazy_rows(n_rows, decimals)
    with PeakRSS() as mem:
        start = time.perf_counter()
        dask.compute(y.sum(), s.sum())
        t_gen = time.perf_counter() - start
    print(
        f"dask      generating the rows alone: {t_gen:8.2f} s  peak RSS "
        f"+{mem.extra / 2**20:.0f} MB"
    )
    with PeakRSS() as mem:
        start = time.perf_counter()
        point = operating_point(y, s, objective="f1")
        t_dask = time.perf_counter() - start
    print(
        f"dask      n={n_rows:.0e} ({n_chunks} chunks, {workers} threads): "
        f"{t_dask:8.2f} s  {t_dask / n_rows * 1e9:6.1f} ns/row  peak RSS "
        f"+{mem.extra / 2**20:.0f} MB  F1={point.score:.4f} at "
        f"{point.threshold:.6f}"
    )

    data = block(12345, memory_rows, decimals)
    y_mem, s_mem = data[:, 0].astype(np.int64), data[:, 1].copy()
    del data
    with PeakRSS() as mem:
        start = time.perf_counter()
        curve = confusion_curve(y_mem, s_mem)
        t_curve = time.perf_counter() - start
        point = operating_point(y_mem, s_mem, objective="f1")
        t_point = time.perf_counter() - start
    print(
        f"in-memory n={memory_rows:.0e}: curve {t_curve:8.2f} s "
        f"({t_curve / memory_rows * 1e9:6.1f} ns/row), curve + operating point "
        f"{t_point:6.2f} s ({t_point / memory_rows * 1e9:6.1f} ns/row)  peak RSS "
        f"+{mem.extra / 2**20:.0f} MB  ({len(curve)} thresholds)"
    )
    del curve
    with PeakRSS() as mem:
        start = time.perf_counter()
        confusion_matrix_at_thresholds(y_mem, s_mem)
        t_sk = time.perf_counter() - start
    print(
        f"sklearn   n={memory_rows:.0e}: confusion_matrix_at_thresholds "
        f"{t_sk:8.2f} s ({t_sk / memory_rows * 1e9:6.1f} ns/row)  peak RSS "
        f"+{mem.extra / 2**20:.0f} MB"
    )
    print(
        f"time per row: dask / in-memory curve + operating point = "
        f"{(t_dask / n_rows) / (t_point / memory_rows):.2f} (without generating "
        f"the rows: {((t_dask - t_gen) / n_rows) / (t_point / memory_rows):.2f}); "
        f"sklearn / in-memory curve = {t_sk / t_curve:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e8)
    parser.add_argument("--memory-rows", type=float, default=1e7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--decimals", type=int, default=6, help="-1: continuous float64 scores"
    )
    args = parser.parse_args()
    main(int(args.rows), int(args.memory_rows), args.workers, args.decimals)
