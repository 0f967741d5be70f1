"""Language ecosystems of the code family: the explicit registry and detection.

The interface is :class:`~envfoundry.envs.code.ecosystems.base.Ecosystem`. Python, Go
and JavaScript / TypeScript live in one module each; adding a language is one more
module and one line in :data:`ECOSYSTEMS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from envfoundry.envs.code.ecosystems.base import Ecosystem, ToolchainChoice, ToolchainProbe
from envfoundry.envs.code.ecosystems.go import GO
from envfoundry.envs.code.ecosystems.javascript import JAVASCRIPT
from envfoundry.envs.code.ecosystems.python import PYTHON

__all__ = [
    "ECOSYSTEMS",
    "GO",
    "JAVASCRIPT",
    "PYTHON",
    "PYTHON_NAME",
    "Ecosystem",
    "ToolchainChoice",
    "ToolchainProbe",
    "detect",
    "detect_from_dependency_files",
    "get",
]

PYTHON_NAME = PYTHON.name
# Order is priority: a Python project that also has a package.json stays Python.
ECOSYSTEMS: Mapping[str, Ecosystem] = {e.name: e for e in (PYTHON, GO, JAVASCRIPT)}


def get(name: str) -> Ecosystem:
    try:
        return ECOSYSTEMS[name]
    except KeyError:
        raise ValueError(f"unknown ecosystem {name!r} (known: {', '.join(ECOSYSTEMS)})") from None


def detect(files: Iterable[str]) -> Ecosystem | None:
    """The ecosystem of a repository from its files (only root files count), or None."""
    root = {f for f in files if "/" not in f}
    return next((e for e in ECOSYSTEMS.values() if e.detect(root)), None)


def detect_from_dependency_files(files: Mapping[str, str]) -> Ecosystem:
    """The ecosystem whose dependency files ``files`` are (Python when nothing says otherwise).

    A stored task keeps only its dependency files; they name the ecosystem again the
    way the full tree did, because each ecosystem keeps only its own files.
    """
    return detect(files) or PYTHON
