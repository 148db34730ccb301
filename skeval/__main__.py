"""``python -m skeval``: the command line (:func:`skeval.cli.main`)."""

import sys

from .cli import main

sys.exit(main())
