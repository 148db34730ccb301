"""pytest: the service's doctests need FastAPI and httpx (the ``serve`` and
``test`` extras); without them they are not collected."""

import importlib.util

collect_ignore = []
if not all(importlib.util.find_spec(m) for m in ("fastapi", "httpx")):
    collect_ignore = ["__init__.py", "_app.py", "_models.py"]
