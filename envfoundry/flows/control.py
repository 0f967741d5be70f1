"""Stopping a run: one flag per run, seen by its batches between work items.

In the run's own process the flag is a ``threading.Event`` (set by the first Ctrl-C).
Batches that run in other processes (Dask workers) see the same request through the
store: the run's status becomes ``interrupting``, which they poll at most once a second.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

_events: dict[str, threading.Event] = {}
_lock = threading.Lock()
_polled: dict[str, tuple[float, bool]] = {}
POLL_S = 1.0
INTERRUPTING = "interrupting"


def register(run_id: str) -> threading.Event:
    with _lock:
        return _events.setdefault(run_id, threading.Event())


def unregister(run_id: str) -> None:
    with _lock:
        _events.pop(run_id, None)
        _polled.pop(run_id, None)


def event(run_id: str) -> threading.Event | None:
    with _lock:
        return _events.get(run_id)


def request_stop(run_id: str, store: Any = None) -> None:
    """Ask the run's batches to stop after their current item."""
    ev = register(run_id)
    ev.set()
    if store is not None:
        store.set_run_status(run_id, INTERRUPTING, only_if="running")


def stop_requested(run_id: str, store: Any = None) -> bool:
    """Whether the run was asked to stop (in this process, or through the store)."""
    ev = event(run_id)
    if ev is not None:
        return ev.is_set()
    if store is None:
        return False
    now = time.monotonic()
    with _lock:
        last = _polled.get(run_id)
    if last is not None and now - last[0] < POLL_S:
        return last[1]
    try:
        stopped = store.run_status(run_id) in (INTERRUPTING, "interrupted")
    except Exception:  # the store is unreachable: go on; the item itself fails as infra
        return last[1] if last is not None else False
    with _lock:
        _polled[run_id] = (now, stopped)
    return stopped


# ------------------------------------------------------------------ hold points for tests

_HOLDS: dict[str, float] | None = None


def _holds() -> dict[str, float]:
    global _HOLDS
    if _HOLDS is None:
        spec = os.environ.get("ENVFOUNDRY_HOLD", "")
        holds: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, _, secs = part.partition("=")
            holds[name] = float(secs or "1")
        _HOLDS = holds
    return _HOLDS


def hold(point: str) -> None:
    """Pause at a named point when ``ENVFOUNDRY_HOLD`` asks for it (interrupt tests).

    ``ENVFOUNDRY_HOLD="store_write=3"`` prints ``envfoundry-hold: store_write`` to stderr
    and sleeps 3 s each time a batch is about to write an environment, so a test can send
    a signal at that exact moment. Unset, this costs a dictionary lookup.
    """
    secs = _holds().get(point)
    if secs:
        print(f"envfoundry-hold: {point}", file=sys.stderr, flush=True)
        time.sleep(secs)
