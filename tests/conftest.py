"""Test-run settings shared by the whole suite.

Two things live here, so that ``python -m pytest`` is fast by default and a
thorough run is one environment variable away:

* **Parallel by default.** When pytest-xdist is installed (it is part of the
  ``test`` extra) and no ``-n`` was given, the run uses ``-n auto`` (one worker
  per CPU core). ``-n 0`` or ``-p no:xdist`` runs serially, in one process.
* **Hypothesis profiles.** ``SKEVAL_HYPOTHESIS_PROFILE`` chooses one:

  ``quick`` (the default)
      each property test runs at most ``QUICK_MAX_EXAMPLES`` examples.
  ``thorough``
      each property test runs ``THOROUGH_FACTOR`` times the examples its own
      ``@settings(max_examples=...)`` asks for (``THOROUGH_MAX_EXAMPLES`` when
      it asks for none). CI runs this profile.

  Both are derandomized (the examples are the same on every run, so a failure
  reproduces) and have no deadline (timings on a shared machine vary). A
  test's own ``max_examples`` is its nominal budget: the profile scales it, so
  new property tests need nothing but their usual ``@settings``.
"""

import os

import pytest
from hypothesis import settings

QUICK_MAX_EXAMPLES = 15
THOROUGH_FACTOR = 10
THOROUGH_MAX_EXAMPLES = 1000
PROFILE_VARIABLE = "SKEVAL_HYPOTHESIS_PROFILE"

# --doctest-modules would import this file a second time as a test module
collect_ignore = ["conftest.py"]

settings.register_profile(
    "quick",
    max_examples=QUICK_MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=THOROUGH_MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
)

_profile = os.environ.get(PROFILE_VARIABLE, "quick")
if _profile not in ("quick", "thorough"):
    raise ValueError(
        f"{PROFILE_VARIABLE} must be 'quick' or 'thorough'. Got {_profile!r}."
    )
settings.load_profile(_profile)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """Default to ``-n auto`` when pytest-xdist is available and ``-n`` is unset."""
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    if getattr(config.option, "numprocesses", 0) is None and not config.option.usepdb:
        config.option.numprocesses = "auto"


def _budget(test_settings):
    """Examples a property test runs under the loaded profile."""
    profile = settings.get_current_profile_name()
    explicit = test_settings is not settings.get_profile(profile)
    nominal = test_settings.max_examples
    if profile == "thorough":
        return nominal * THOROUGH_FACTOR if explicit else THOROUGH_MAX_EXAMPLES
    return min(nominal, QUICK_MAX_EXAMPLES)


def pytest_collection_modifyitems(config, items):
    """Scale each property test's ``max_examples`` to the loaded profile."""
    seen = set()
    for item in items:
        test = getattr(item, "obj", None)
        if not getattr(test, "is_hypothesis_test", False) or id(test) in seen:
            continue
        seen.add(id(test))
        # @given and @settings keep the test's settings on this attribute;
        # hypothesis reads it when the test runs.
        test_settings = getattr(test, "_hypothesis_internal_use_settings", None)
        if test_settings is None:
            continue
        test._hypothesis_internal_use_settings = settings(
            test_settings, max_examples=_budget(test_settings)
        )
