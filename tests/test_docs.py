"""The documentation's Python code is executed: every block is a doctest.

pytest runs each page of ``doc/`` as a doctest (``--doctest-glob=*.rst``), but
doctest only sees ``>>>`` lines. These tests make sure no Python block escapes
that: a ``.. code-block:: python`` or a literal ``::`` block must be written as
a doctest; shell commands and program output use ``bash`` or ``text`` blocks.
A literal block that holds data (JSON, a printed table) rather than Python
statements may stay a literal block.
"""

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "doc"
GENERATED = {"_build", "auto_examples", "gen_modules"}
PYTHON = {"python", "python3", "py", "pycon", "ipython", "default", ""}
DIRECTIVE = re.compile(r"^(\s*)\.\. (?:code-block|code|sourcecode)::\s*(\S*)\s*$")


def doc_pages():
    """The hand-written pages: every ``.rst`` under ``doc/`` but the generated."""
    pages = []
    for path in sorted(DOC.rglob("*.rst")):
        parts = path.relative_to(DOC).parts
        if GENERATED.isdisjoint(parts) and parts != ("api.rst",):
            pages.append(path)
    return pages


def _indent(line):
    return len(line) - len(line.lstrip())


def code_blocks(text):
    """Yield ``(line number, language, body lines)`` for each code block.

    The language of a literal block (a paragraph ending in ``::``) is
    ``"literal"``.
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = DIRECTIVE.match(line)
        if match:
            language = match.group(2).lower()
        elif line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            language = "literal"
        else:
            continue
        body = []
        for following in lines[i + 1 :]:
            if following.strip() and _indent(following) <= _indent(line):
                break
            if not body and following.strip().startswith(":"):
                continue  # a directive option such as :caption:
            body.append(following)
        yield i + 1, language, [b for b in body if b.strip()]


def test_code_blocks_parser_finds_python_literal_and_shell_blocks():
    """The checker sees directives, options and literal blocks."""
    text = (
        "Intro::\n\n    x = 1\n\n"
        ".. code-block:: python\n   :caption: c\n\n    >>> 1 + 1\n    2\n\n"
        ".. code-block:: bash\n\n    pip install skeval\n\nEnd.\n"
    )
    blocks = list(code_blocks(text))
    assert [(n, lang) for n, lang, _ in blocks] == [
        (1, "literal"),
        (5, "python"),
        (11, "bash"),
    ]
    assert blocks[0][2] == ["    x = 1"]
    assert blocks[1][2] == ["    >>> 1 + 1", "    2"]


def test_doc_pages_are_found():
    """The glob finds the hand-written pages and none of the generated ones."""
    names = {p.relative_to(DOC).as_posix() for p in doc_pages()}
    assert {"index.rst", "install.rst", "user_guide/conventions.rst"} <= names
    assert not any(n.startswith(("auto_examples", "_build")) for n in names)


def is_python_code(body):
    """Whether a literal block's text is Python statements (not data such as JSON)."""
    try:
        tree = ast.parse(textwrap.dedent("\n".join(body)))
    except SyntaxError:
        return False
    return any(
        not isinstance(node, ast.Expr)
        or not isinstance(node.value, (ast.Constant, ast.Dict, ast.List, ast.Tuple))
        for node in tree.body
    )


def test_is_python_code_tells_statements_from_data():
    """JSON and printed output are data; assignments and calls are code."""
    assert not is_python_code(['    {"score": 0.75, "report": {"tp": 3}}'])
    assert not is_python_code(["    threshold  0.5", "    recall     0.9"])
    assert is_python_code(["    flagged = scores >= clf.best_threshold_"])
    assert is_python_code(["    clf.fit(X, y)"])


def _must_be_doctest(language, body):
    if language in PYTHON:
        return True
    return language == "literal" and is_python_code(body)


@pytest.mark.parametrize(
    "page", doc_pages(), ids=lambda p: p.relative_to(DOC).as_posix()
)
def test_python_blocks_are_doctests(page):
    """A Python block that is not a doctest would never be executed."""
    offending = [
        f"{page.name}:{lineno} ({language or 'no language'})"
        for lineno, language, body in code_blocks(page.read_text(encoding="utf-8"))
        if body
        and _must_be_doctest(language, body)
        and not body[0].lstrip().startswith(">>>")
    ]
    assert not offending, (
        "Python code in doc/ must be written as a doctest (>>> lines) so that "
        "pytest runs it; shell commands and output go in 'bash' or 'text' "
        f"blocks. Not doctests: {offending}"
    )


def test_readme_quickstart_excerpt_is_what_the_script_prints():
    """The README quotes the quick start's output: each quoted line must be printed."""
    root = DOC.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    match = re.search(r"An excerpt of what it prints.*?```text\n(.*?)```", readme, re.S)
    assert match, "README.md must quote the quick start's output in a text block"
    quoted = [line for line in match.group(1).splitlines() if line.strip()]
    script = root / "examples" / "quickstart.py"
    run = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    printed = run.stdout.splitlines()
    missing = [line for line in quoted if line not in printed]
    assert not missing, f"README lines the quick start does not print: {missing}"


def test_page_needing_a_missing_extra_is_skipped(tmp_path):
    """The hidden importorskip block of doc/conftest.py's docstring skips a page."""
    page = tmp_path / "page.rst"
    page.write_text(
        "Title\n=====\n\n..\n    >>> import pytest\n"
        '    >>> _ = pytest.importorskip("skeval_no_such_extra")\n\n'
        ".. code-block:: python\n\n    >>> 1 + 1\n    3\n",
        encoding="utf-8",
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider",
         "--doctest-glob=*.rst", "-rs", str(page)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert "1 skipped" in run.stdout, run.stdout
