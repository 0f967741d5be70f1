"""Concurrency limits for sandbox- and LLM-heavy work that cannot leak past a run.

Two kinds, chosen per run:

* ``local`` (the embedded default: thread runner, temporary Prefect API): a bounded
  semaphore per limit inside this process. Nothing is persisted, so a killed run holds
  nothing afterwards.
* ``prefect`` (a Dask runner or a configured Prefect server, where batches run in other
  processes or on other hosts): Prefect global concurrency limits taken with a *lease*
  (a TTL the holder renews while it works) and released in ``finally``. A run killed by
  SIGKILL stops renewing, and the server's repossessor frees its slots when the lease
  expires; ``release_stale_slots`` frees them at once when no live run can hold them.

Prefect *tag* concurrency limits are not used: their slots are plain counters that a
killed task run never gives back.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

SANDBOX = "envfoundry-sandbox"
LLM = "envfoundry-llm"
LIMIT_NAMES = (SANDBOX, LLM)
LEASE_S = 60.0  # Prefect's minimum lease; renewed in the background while held

Mode = Literal["local", "prefect"]


class Limits(BaseModel):
    """How many batches may hold each limit at once, and where the limits live."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    mode: Mode = "local"
    sizes: dict[str, int] = {}


_local: dict[str, threading.BoundedSemaphore] = {}
_local_sizes: dict[str, int] = {}
_local_lock = threading.Lock()


def _semaphore(name: str, size: int) -> threading.BoundedSemaphore:
    with _local_lock:
        if _local_sizes.get(name) != size:
            _local[name] = threading.BoundedSemaphore(size)
            _local_sizes[name] = size
        return _local[name]


def prepare(limits: Limits) -> None:
    """Create (or resize) the limits before any batch takes a slot."""
    if limits.mode == "local":
        for name, size in limits.sizes.items():
            _semaphore(name, size)
        return
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import (
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitUpdate,
    )
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        for name, size in limits.sizes.items():
            try:
                current = client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=size, active=True)
                )
                continue
            if current.limit != size or not current.active:
                client.update_global_concurrency_limit(
                    name, GlobalConcurrencyLimitUpdate(limit=size, active=True)
                )


@contextlib.contextmanager
def slot(
    limits: Limits, names: tuple[str, ...], cancelled: threading.Event | None = None
) -> Iterator[None]:
    """Hold one slot of each limit in ``names`` for the duration of the block.

    Local slots are waited for in short steps so that an interrupted run stops waiting.
    """
    names = tuple(n for n in names if n in limits.sizes)
    if not names:
        yield
        return
    if limits.mode == "prefect":
        from prefect.concurrency.sync import concurrency

        with concurrency(list(names), occupy=1, lease_duration=LEASE_S, strict=True):
            yield
        return
    taken: list[threading.BoundedSemaphore] = []
    try:
        for name in names:
            sem = _semaphore(name, limits.sizes[name])
            while not sem.acquire(timeout=0.2):
                if cancelled is not None and cancelled.is_set():
                    raise Interrupted("interrupted while waiting for a concurrency slot")
            taken.append(sem)
        yield
    finally:
        for sem in reversed(taken):
            sem.release()


class Interrupted(Exception):
    """The run was asked to stop; raised only inside batches, which report it as data."""


def held_slots() -> dict[str, int]:
    """Active slots of envfoundry's limits on the Prefect API in use.

    Includes the ``tag:`` limits that earlier versions of envfoundry created (Prefect 3
    keeps tag limits as global limits named ``tag:<tag>``), which a killed run never freed.
    """
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    out: dict[str, int] = {}
    with get_client(sync_client=True) as client:
        for name in (*LIMIT_NAMES, *(f"tag:{n}" for n in LIMIT_NAMES)):
            with contextlib.suppress(ObjectNotFound):
                gcl = client.read_global_concurrency_limit_by_name(name)
                if gcl.active_slots:
                    out[name] = gcl.active_slots
    return out


def release_stale_slots() -> dict[str, int]:
    """Free every slot of envfoundry's limits. Only call when no live run can hold one."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate

    held = held_slots()
    if held:
        with get_client(sync_client=True) as client:
            for name in held:
                client.update_global_concurrency_limit(
                    name, GlobalConcurrencyLimitUpdate(active_slots=0)
                )
    return held
