"""pytest runs every page of the documentation as a doctest.

``--doctest-glob=*.rst`` (pyproject.toml) collects each ``.rst`` page under
``doc/``; its ``>>>`` lines run top to bottom in one namespace, and their
output must match what the page shows. Python code in the pages is written
that way (``tests/test_docs.py`` checks it), so a page added later is tested
without being listed anywhere.

A page whose examples need an optional extra starts with a hidden doctest in
an rst comment, which skips the page when the extra is missing::

    ..
        >>> import pytest
        >>> _ = pytest.importorskip("matplotlib")

Sphinx does not render the comment, and it strips ``# doctest: +SKIP`` flags
(for a line that cannot run in a test, such as starting a server). Generated
files (the gallery, the API pages, the build) and the Python files under
``doc/`` are not collected.
"""

import pytest
import sklearn

# "*.py" also matches below doc/: the Sphinx configuration and extensions,
# this file, and scripts such as images/threshold_curve.py (which draws a
# figure when run) are not test modules.
collect_ignore = ["api.rst"]
collect_ignore_glob = ["*.py", "_build/*", "auto_examples/*", "gen_modules/*"]


@pytest.fixture(autouse=True)
def _isolate_page(tmp_path, monkeypatch):
    """Run each page in an empty directory (for the files its examples write),
    restore scikit-learn's configuration (a page may turn metadata routing on)
    and close the figures it opens, drawing without a display."""
    monkeypatch.chdir(tmp_path)
    try:
        import matplotlib
    except ImportError:
        matplotlib = None
    else:
        matplotlib.use("Agg")
    with sklearn.config_context():
        yield
    if matplotlib is not None:
        import matplotlib.pyplot as plt

        plt.close("all")
