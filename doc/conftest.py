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

Generated files (the gallery, the API pages, the build) and the Sphinx
configuration are not collected.
"""

import pytest

collect_ignore = ["conftest.py", "conf.py", "api.rst"]
collect_ignore_glob = ["_build/*", "auto_examples/*", "gen_modules/*", "sphinxext/*"]


@pytest.fixture(autouse=True)
def _close_figures():
    """Draw without a display and close the figures a page opens."""
    try:
        import matplotlib
    except ImportError:
        yield
        return
    matplotlib.use("Agg")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
