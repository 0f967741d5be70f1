"""In-process progress hooks: flows emit batch events, the CLI's progress bar listens."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Hook = Callable[[dict[str, Any]], None]
_hooks: dict[str, Hook] = {}
_lock = threading.Lock()


def register(run_id: str, hook: Hook) -> None:
    with _lock:
        _hooks[run_id] = hook


def unregister(run_id: str) -> None:
    with _lock:
        _hooks.pop(run_id, None)


def emit(run_id: str, event: dict[str, Any]) -> None:
    with _lock:
        hook = _hooks.get(run_id)
    if hook is not None:
        hook(event)
