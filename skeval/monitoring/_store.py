"""One SQLite file holding a monitor: its configuration, baseline and history.

Every write is one transaction, committed before the monitor returns: a
process killed between two checks (even by SIGKILL) loses nothing that was
acknowledged. The database runs in write-ahead-log mode with
``synchronous=FULL``. A connection is opened per operation, so a store can be
used from several threads or processes in turn.
"""

import json
import os
import sqlite3
from contextlib import closing

__all__ = ["Store"]

_SCHEMA_VERSION = 1
_APPLICATION = "skeval.monitoring"


class Store:
    """A monitor's SQLite database at ``path``."""

    def __init__(self, path):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(
                "`store` must be a file path (str or os.PathLike) or None. Got "
                f"{type(path).__name__}."
            )
        self.path = os.fspath(path)

    def exists(self):
        """Whether the file holds a monitor."""
        if not os.path.exists(self.path):
            return False
        with closing(self._connect()) as con:
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return False
            if "meta" not in tables:
                raise ValueError(
                    f"`store` must be a skeval monitor database. Got {self.path!r}, "
                    "an SQLite file without skeval's tables."
                )
            row = con.execute(
                "SELECT value FROM meta WHERE key='application'"
            ).fetchone()
        if row is None or json.loads(row[0]) != _APPLICATION:
            raise ValueError(
                f"`store` must be a skeval monitor database. Got {self.path!r}."
            )
        return True

    def _connect(self):
        try:
            con = sqlite3.connect(self.path, timeout=30.0)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise ValueError(
                f"`store` must be an SQLite database file. Got {self.path!r} ({exc})."
            ) from None
        return con

    def create(self, config):
        """A fresh database holding ``config`` and no history."""
        with closing(self._connect()) as con, con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            con.execute(
                "CREATE TABLE IF NOT EXISTS checks (idx INTEGER PRIMARY KEY, "
                "result TEXT NOT NULL)")
            self._put(con, "application", _APPLICATION)
            self._put(con, "schema_version", _SCHEMA_VERSION)
            self._put(con, "config", config)

    @staticmethod
    def _put(con, key, value):
        con.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (key, json.dumps(value, allow_nan=False)),
        )

    def write(self, **values):
        """Store JSON-ready values under their keys, in one transaction."""
        with closing(self._connect()) as con, con:
            for key, value in values.items():
                self._put(con, key, value)

    def read(self, key):
        with closing(self._connect()) as con:
            row = con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def append(self, make):
        """Add one check to the history, in one transaction.

        ``make(index)`` builds the result (its ``to_dict`` is stored) once the
        next index is known; no other writer can take that index meanwhile.
        """
        with closing(self._connect()) as con:
            con.isolation_level = None  # explicit transaction below
            con.execute("BEGIN IMMEDIATE")
            try:
                (index,) = con.execute(
                    "SELECT COALESCE(MAX(idx) + 1, 0) FROM checks"
                ).fetchone()
                result = make(int(index))
                con.execute(
                    "INSERT INTO checks (idx, result) VALUES (?, ?)",
                    (int(index), json.dumps(result.to_dict(), allow_nan=False)),
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return result

    def history(self):
        """The stored check results (dicts), in order."""
        with closing(self._connect()) as con:
            rows = con.execute("SELECT result FROM checks ORDER BY idx").fetchall()
        return [json.loads(r[0]) for r in rows]
