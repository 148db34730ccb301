"""Sphinx configuration of the skeval documentation.

Build with ``make -C doc html`` (or ``sphinx-build -W -b html doc
doc/_build/html``). The build needs no network: links to other projects'
documentation (intersphinx) are off unless ``SKEVAL_DOCS_INTERSPHINX=1``.
"""

import os
import sys
from pathlib import Path

import skeval

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sphinxext"))

project = "skeval"
author = "The skeval developers"
copyright = "The skeval developers"
release = skeval.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "skeval_api",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb"]
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"

# -- API reference -----------------------------------------------------------
# skeval_api (sphinxext/) writes api.rst from the ``__all__`` of skeval,
# skeval.metrics and skeval.exceptions; autosummary writes one page per name.
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- Gallery -------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # quickstart.py is a plain script shown on the quick-start page instead
    "ignore_pattern": r"(__init__|quickstart)\.py",
    "filename_pattern": r"/plot_",
    "doc_module": ("skeval",),
    "backreferences_dir": "gen_modules/backreferences",
    "abort_on_example_error": True,
    "plot_gallery": "True",
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
}

# -- Links to other projects (optional, needs the network) --------------------
if os.environ.get("SKEVAL_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "matplotlib": ("https://matplotlib.org/stable", None),
    }

# -- HTML ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skeval {release}"
html_theme_options = {
    "navbar_end": ["navbar-icon-links"],
    "secondary_sidebar_items": ["page-toc"],
    "show_prev_next": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "install": []}
html_show_sourcelink = False
