"""What every trainer adapter shares: pooled runtime clients, task views, tool results.

Clients are shared per process (and per event loop for the async one), so all rollouts of
a trainer reuse one connection pool sized for the episodes in flight (batch × n).
"""

from __future__ import annotations

import asyncio
import json
import threading
import weakref
from collections.abc import Iterable
from typing import Any

from envfoundry.errors import ConfigError
from envfoundry.runtime.client import AsyncRuntimeClient, RuntimeClient

DEFAULT_CONNECTIONS = 256
_lock = threading.Lock()
_sync: dict[str, RuntimeClient] = {}
# per event loop (weakly: a finished loop's clients go with it, and a new loop never gets
# a client bound to a dead one)
_async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, AsyncRuntimeClient]] = (
    weakref.WeakKeyDictionary()
)


def _url(runtime_url: str) -> str:
    url = runtime_url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"runtime URL must start with http:// or https://, got {runtime_url!r}")
    return url


def sync_client(runtime_url: str, max_connections: int = DEFAULT_CONNECTIONS) -> RuntimeClient:
    """The process's shared synchronous client of ``runtime_url`` (thread-safe)."""
    url = _url(runtime_url)
    with _lock:
        client = _sync.get(url)
        if client is None:
            client = _sync[url] = RuntimeClient(url, max_connections=max_connections)
        return client


def async_client(
    runtime_url: str, max_connections: int = DEFAULT_CONNECTIONS
) -> AsyncRuntimeClient:
    """The shared asyncio client of ``runtime_url`` for the running event loop.

    An httpx async pool belongs to the loop it was made on, so each loop gets its own.
    """
    url = _url(runtime_url)
    loop = asyncio.get_running_loop()
    with _lock:
        clients = _async.setdefault(loop, {})
        client = clients.get(url)
        if client is None or client.closed:
            client = clients[url] = AsyncRuntimeClient(url, max_connections=max_connections)
        return client


def task_views(runtime_url: str, task_ids: Iterable[str]) -> list[dict[str, Any]]:
    """``GET /tasks/{id}`` for each task: messages, tools (OpenAI and flat), submit tool."""
    client = sync_client(runtime_url)
    return [client.task(task_id) for task_id in task_ids]


def tool_text(observation: Any) -> str:
    """A tool observation as the text of a tool message (JSON, errors included)."""
    if isinstance(observation, str):
        return observation
    return json.dumps(observation, ensure_ascii=False, default=str)
