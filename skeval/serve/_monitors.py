"""The service's monitors: named :class:`~skeval.monitoring.PerformanceMonitor`
objects, one SQLite file each in the store directory.

A restart with the same directory finds every monitor again
(:meth:`PerformanceMonitor.load`); each check is committed by the monitor
before the service answers. Without a directory the monitors live in memory
only. Nothing here imports FastAPI.
"""

import re
import threading
from pathlib import Path

__all__ = [
    "CONFIG_FIELDS",
    "MonitorConflict",
    "Monitors",
    "UnknownMonitor",
    "baseline_result",
    "check_name",
    "set_baseline",
]

#: The request fields that configure a monitor (its constructor's parameters).
CONFIG_FIELDS = (
    "metrics",
    "tolerance",
    "confidence",
    "threshold",
    "pos_label",
    "rule",
    "cost_matrix",
)
#: A monitor name: letters, digits, ``_``, ``-`` and ``.``, starting with a
#: letter or digit, at most 64 characters (it becomes a file name).
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
SUFFIX = ".sqlite"


class MonitorConflict(ValueError):
    """A baseline's configuration differs from the existing monitor's."""


class UnknownMonitor(LookupError):
    """No monitor has that name."""

    def __init__(self, name):
        super().__init__(
            f"No monitor named {name!r}: create it with POST /monitors/{name}/baseline."
        )


def check_name(name):
    if not NAME.fullmatch(name):
        raise ValueError(
            "A monitor name must be 1 to 64 letters, digits, '_', '-' or '.', "
            f"starting with a letter or digit. Got {name!r}."
        )
    return name


def baseline_result(monitor):
    """What setting a baseline returns: the configuration and the baseline."""
    return {"config": monitor.get_config(), "baseline": monitor.baseline_}


class Monitors:
    """The monitors of one service, by name, each behind its own lock."""

    def __init__(self, store=None):
        self.store = None if store is None else Path(store)
        self._monitors = {}
        self._locks = {}
        self._guard = threading.Lock()

    def _path(self, name):
        return None if self.store is None else self.store / f"{name}{SUFFIX}"

    def lock(self, name):
        """The lock of monitor ``name`` (created on first use)."""
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    def get(self, name):
        """The monitor called ``name``, or None (call under its lock)."""
        from ..monitoring import PerformanceMonitor

        check_name(name)
        monitor = self._monitors.get(name)
        path = self._path(name)
        if monitor is None and path is not None and path.is_file():
            monitor = PerformanceMonitor.load(path)
            self._monitors[name] = monitor
        return monitor

    def names(self):
        """Every monitor's name, sorted."""
        names = set(self._monitors)
        if self.store is not None:
            names |= {p.name[: -len(SUFFIX)] for p in self.store.glob(f"*{SUFFIX}")}
        return sorted(names)

    def set_baseline(self, name, config, data):
        """Set the baseline of monitor ``name``, created with ``config`` (the
        fields given) when it does not exist; returns the monitor.

        Raises
        ------
        MonitorConflict
            When the monitor exists with another configuration.
        """
        with self.lock(name):
            monitor = set_baseline(self.get(name), config, data, self._path(name))
            self._monitors[name] = monitor
            return monitor

    def _existing(self, name):
        monitor = self.get(name)
        if monitor is None:
            raise UnknownMonitor(name)
        return monitor

    def check(self, name, data):
        """Check a batch with monitor ``name``: its ``CheckResult``."""
        with self.lock(name):
            return self._existing(name).check(**data)

    def state(self, name):
        """Configuration, baseline and history of monitor ``name``."""
        with self.lock(name):
            monitor = self._existing(name)
            return {
                "name": name,
                **baseline_result(monitor),
                "history": [result.to_dict() for result in monitor.history_],
            }


def set_baseline(monitor, config, data, path=None):
    """Set a baseline and return the monitor.

    ``monitor`` None: a new monitor with ``config``, kept at ``path`` (None:
    in memory); it is first tried in memory, so bad input leaves no file.
    Otherwise ``config`` (the fields given) must agree with the monitor's.

    Raises
    ------
    MonitorConflict
        When ``config`` differs from the existing monitor's.
    """
    from ..monitoring import PerformanceMonitor

    if monitor is None:
        PerformanceMonitor(**config).set_baseline(**data)
        monitor = PerformanceMonitor(**config, store=path)
    else:
        _check_same_config(path or "in memory", monitor, config)
    return monitor.set_baseline(**data)


def _check_same_config(name, monitor, config):
    from ..monitoring import PerformanceMonitor

    current = monitor.get_config()
    wanted = PerformanceMonitor(**{**current, **config}).get_config()
    differ = sorted(k for k, v in wanted.items() if current.get(k) != v)
    if differ:
        raise MonitorConflict(
            f"The monitor {str(name)!r} exists with another configuration "
            f"(differing: {differ}); a new baseline must keep it. Use another "
            "name (or store) for another configuration."
        )
