"""Fixtures for the trainer adapters: a live runtime server on a stored task, its reference.

Each adapter test drives the real trainer library (installed from PyPI through the
``envfoundry[...]`` extras) against this server on 127.0.0.1. A missing library skips a
test on a developer's machine and fails it in CI, like missing Docker does.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from envfoundry.runtime.server import ServerThread
from tests.runtime.conftest import Stored, make_runtime, stored  # noqa: F401  (fixtures)
from tests.runtime.test_server import reference_calls


def need(module: str, extra: str) -> ModuleType:
    """Import ``module`` or skip (fail in CI): it comes with ``envfoundry[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        message = f"{module} is not installed (pip install 'envfoundry[{extra}]'): {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass(frozen=True)
class Live:
    url: str
    task_id: str  # the write task: list_cities, then book_city, then submit
    calls: list[tuple[str, dict[str, Any]]]
    answer: Any
    runtime: Any
    stored: Stored

    @property
    def wrong_answer(self) -> Any:
        return {"city": "Ningbo"}


@pytest.fixture
def live(make_runtime: Any, stored: Stored) -> Iterator[Live]:  # noqa: F811
    """A runtime server on 127.0.0.1 (local sandboxes) and the write task's reference."""
    runtime = make_runtime("local", max_episodes=8)
    calls, answer = reference_calls(runtime, stored, stored.write_task)
    with ServerThread(runtime) as srv:
        yield Live(srv.url, stored.write_task, calls, answer, runtime, stored)
    assert runtime.open_count() == 0, "episodes left open"
