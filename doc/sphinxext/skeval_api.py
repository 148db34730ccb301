"""Sphinx extension: the API reference, written from the packages' ``__all__``.

The reference must list every public name, including the ones added after this
file was written. So ``api.rst`` is not kept by hand: when the build starts, it
is written from the ``__all__`` of each public namespace (``skeval``,
``skeval.metrics``, ``skeval.monitoring``, ``skeval.exceptions``,
``skeval.serve``). Names are grouped by the private module that defines them; a
module this file does not know yet still gets a section, titled from its
docstring.

An object exported by two namespaces (``skeval.make_cost_scorer`` is
``skeval.metrics.make_cost_scorer``) gets one page, under the namespace whose
modules define it; the other name is listed as an alias, and cross-references
to it are redirected to that page.

The extension also

* warns (an error under ``-W``) when a public object's docstring has no
  ``Examples`` section, and
* turns references into scikit-learn's own documentation (``:term:``,
  ``:ref:``), found in the docstrings skeval's estimators inherit from
  scikit-learn, into plain text when intersphinx is off (offline builds), and
* quotes attribute names in numpydoc types (``ndarray of shape
  (n_features_in_,)``), where a trailing underscore would make reST read a
  link target.
"""

import importlib
import inspect
import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

NAMESPACES = (
    "skeval",
    "skeval.metrics",
    "skeval.monitoring",
    "skeval.exceptions",
    "skeval.serve",
)

# Section titles and order, by defining module (prefix match, first wins).
SECTIONS = [
    ("skeval._threshold", "Threshold tuning"),
    ("skeval._expected_cost", "Decisions from probabilities and costs"),
    ("skeval._core._curve", "The confusion curve"),
    ("skeval._core._count_table", "Counts at scale"),
    ("skeval.metrics._operating_point", "Operating-point metrics"),
    ("skeval.metrics._classification", "Label metrics"),
    ("skeval.metrics._cost", "Costs, gains and savings"),
    ("skeval.metrics._calibration", "Calibration"),
    ("skeval.metrics._cluster", "Clusters against classes"),
    ("skeval.metrics._cluster_report", "Cluster-versus-class report"),
    ("skeval.metrics._scorer", "Scorers"),
    ("skeval.metrics._plot", "Plotting"),
    ("skeval.metrics._report", "Operating-point report"),
    ("skeval.metrics._diagnostics", "Diagnostics"),
    ("skeval._core._objective", "Extending the exact path"),
    ("skeval.monitoring", "Monitoring a deployed model"),
    ("skeval.exceptions", "Warnings"),
    ("skeval.serve", "HTTP service"),
]

INTRO = """\
.. Written by doc/sphinxext/skeval_api.py from the packages' __all__.
   Do not edit: change the docstrings, or the extension.

.. _api:

=============
API reference
=============

Every public name of skeval, generated from the docstrings. Start with the
:ref:`user_guide` for the ideas; each page here ends with the gallery examples
that use the object.

Methods that skeval's estimators inherit from scikit-learn (``get_params``,
``set_params``, ``set_fit_request``, ...) behave as documented by
scikit-learn.
"""


def _public(namespace):
    module = importlib.import_module(namespace)
    names = getattr(module, "__all__", None)
    if names is None:
        raise RuntimeError(f"{namespace} has no __all__")
    return [(name, getattr(module, name)) for name in names if name != "__version__"]


def _section(obj, namespace):
    module = getattr(obj, "__module__", None) or namespace
    for prefix, title in SECTIONS:
        if module == prefix or module.startswith(prefix + "."):
            return prefix, title
    mod = importlib.import_module(module)
    doc = (inspect.getdoc(mod) or module).strip().splitlines()[0].rstrip(".")
    return module, doc


def _home(obj, namespaces):
    """The namespace that documents ``obj``: the deepest one that exports it
    and contains its defining module."""
    module = getattr(obj, "__module__", "") or ""
    best = None
    for namespace in namespaces:
        if module == namespace or module.startswith(namespace + "."):
            if best is None or len(namespace) > len(best):
                best = namespace
    return best


def collect():
    """Each documented object once: {namespace: [(section, title, name, obj)]}
    and the aliases {alias full name: documented full name}."""
    exported = {ns: _public(ns) for ns in NAMESPACES}
    where = {}  # id(obj) -> namespaces exporting it
    for ns, items in exported.items():
        for _, obj in items:
            where.setdefault(id(obj), []).append(ns)
    documented, aliases = {ns: [] for ns in NAMESPACES}, {}
    for ns, items in exported.items():
        for name, obj in items:
            namespaces = where[id(obj)]
            home = _home(obj, namespaces) or namespaces[0]
            if home != ns:
                aliases[f"{ns}.{name}"] = f"{home}.{name}"
                continue
            prefix, title = _section(obj, ns)
            documented[ns].append((prefix, title, name, obj))
    return documented, aliases


def _order(prefix):
    for i, (known, _) in enumerate(SECTIONS):
        if known == prefix:
            return i
    return len(SECTIONS)


def render(documented, aliases):
    lines = [INTRO]
    for ns in NAMESPACES:
        items = documented[ns]
        ns_aliases = sorted(a for a in aliases if a.rsplit(".", 1)[0] == ns)
        if not items and not ns_aliases:
            continue
        lines += [f":mod:`{ns}`", "=" * (len(ns) + 7), ""]
        lines += [f".. module:: {ns}", ""]
        by_section = {}
        for prefix, title, name, obj in items:
            by_section.setdefault((_order(prefix), prefix, title), []).append(
                (name, obj)
            )
        for (_, _, title), members in sorted(by_section.items()):
            lines += [title, "-" * len(title), "", f".. currentmodule:: {ns}", ""]
            lines += [
                ".. autosummary::",
                "   :toctree: gen_modules/",
                "   :template: autosummary/object.rst",
                "",
            ]
            lines += [f"   {name}" for name, _ in members]
            lines.append("")
        if ns_aliases:
            title = f"Also importable from ``{ns}``"
            lines += [title, "-" * len(title), ""]
            for alias in ns_aliases:
                target = aliases[alias]
                lines.append(f"* ``{alias}``: :obj:`{target}`")
            lines.append("")
    return "\n".join(lines)


def write_api(app, config):
    documented, aliases = collect()
    app.skeval_aliases = aliases
    names = {}
    for ns, items in documented.items():
        for _, _, name, _ in items:
            names.setdefault(name, []).append(f"{ns}.{name}")
    app.skeval_short_names = {n: full[0] for n, full in names.items() if len(full) == 1}
    text = render(documented, aliases)
    path = Path(app.srcdir) / "api.rst"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    _check_examples(documented)


def _check_examples(documented):
    for ns, items in documented.items():
        for _, _, name, obj in items:
            if isinstance(obj, type) and issubclass(obj, Warning):
                continue  # a warning's docstring says when it is raised
            doc = inspect.getdoc(obj) or ""
            if "Examples\n--------" not in doc:
                logger.warning(
                    "%s.%s: the docstring has no Examples section (every public "
                    "name needs one).",
                    ns,
                    name,
                )


def resolve_alias(app, env, node, contnode):
    """Resolve a reference to an alias, or to a bare public name, to its page.

    ``:func:`get_scorer``` under ``currentmodule:: skeval`` targets
    ``skeval.get_scorer``, which is documented as
    ``skeval.metrics.get_scorer``; a numpydoc "See Also" entry
    ``ThresholdTunedClassifier`` written in a ``skeval.metrics`` docstring
    targets ``skeval.metrics.ThresholdTunedClassifier``. Both land on the one
    page of the object.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "").lstrip(".~")
    module = node.get("py:module")
    aliases = getattr(app, "skeval_aliases", {})
    short_names = getattr(app, "skeval_short_names", {})
    candidates = [f"{module}.{target}", target] if module else [target]
    new = None
    for candidate in candidates:
        for alias, home in aliases.items():
            if candidate == alias or candidate.startswith(alias + "."):
                new = home + candidate[len(alias) :]
                break
        if new:
            break
    if new is None:
        head, _, short = target.rpartition(".")
        if (not head or head.split(".")[0] == "skeval") and short in short_names:
            new = short_names[short]
    if new is None:
        return None
    return env.get_domain("py").resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], new, node, contnode
    )


_SKLEARN_ROLE = re.compile(r":(?:ref|term):`(?:([^`<]*?)\s*<[^`>]+>|([^`]+))`")
_SHAPE = re.compile(r"(of shape \()([^)]*)(\))")
_TRAILING = re.compile(r"(?<![`\w])(\w+_)(?![`\w])")


def fix_docstring(app, what, name, obj, options, lines):
    """Plain text for scikit-learn's roles offline; quote ``name_`` in shapes."""
    text = "\n".join(lines)
    module = getattr(obj, "__module__", None) or ""
    offline = "sphinx.ext.intersphinx" not in app.config.extensions
    if offline and module.split(".")[0] == "sklearn":
        text = _SKLEARN_ROLE.sub(lambda m: " ".join((m[1] or m[2]).split()), text)
    text = _SHAPE.sub(lambda m: m[1] + _TRAILING.sub(r"``\1``", m[2]) + m[3], text)
    lines[:] = text.split("\n")


def skip_exception_members(app, what, name, obj, skip, options):
    """A warning class documents itself, not what it inherits from Exception."""
    return True if what == "exception" else None


def setup(app):
    app.connect("config-inited", write_api)
    app.connect("missing-reference", resolve_alias)
    app.connect("autodoc-process-docstring", fix_docstring)
    app.connect("autodoc-skip-member", skip_exception_members)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
