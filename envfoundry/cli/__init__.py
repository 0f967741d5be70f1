"""The ``envfoundry`` command: one Typer app, one store opener, one error boundary.

``main`` is the console-script entry (``envfoundry = envfoundry.cli:main``).
"""

from envfoundry.cli.main import app, main

__all__ = ["app", "main"]
