"""Run bookkeeping that outlives a crash: stale runs, orphaned servers, leftover sandboxes.

A run that ends normally, or on a first Ctrl-C, records its own status. A run killed
by SIGKILL (or a second Ctrl-C) cannot: its row stays ``running``, its sandboxes stay up,
and with a shared Prefect server its concurrency leases run until they expire.
:func:`repair` finds all of that and cleans it; every run calls it at start-up, and
``envfoundry runs repair`` / ``envfoundry doctor`` expose it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from envfoundry.flows.control import INTERRUPTING
from envfoundry.procs import pid_alive, this_host

log = logging.getLogger(__name__)

# A run's owner writes a heartbeat this often; a run elsewhere whose heartbeat is older
# than STALE_AFTER_S is taken for dead.
HEARTBEAT_S = 30.0
STALE_AFTER_S = 600.0
LIVE_STATUSES = ("running", INTERRUPTING)


@dataclass
class RepairReport:
    stale_runs: list[str] = field(default_factory=list)
    orphaned_servers: list[int] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    slots: dict[str, int] = field(default_factory=dict)
    live_runs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.stale_runs or self.orphaned_servers or self.containers or self.slots)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stale_runs": self.stale_runs,
            "orphaned_servers": self.orphaned_servers,
            "containers": self.containers,
            "slots": self.slots,
            "live_runs": self.live_runs,
            "problems": self.problems,
        }


def _aware(ts: datetime | None) -> datetime | None:
    if ts is not None and ts.tzinfo is None:
        return ts.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return ts


def is_stale(run: dict[str, Any], now: datetime | None = None) -> bool:
    """Whether a ``running`` run's owner is gone: a dead pid here, or a silent heartbeat."""
    if run["status"] not in LIVE_STATUSES:
        return False
    now = now or datetime.now(UTC)
    if run.get("host") == this_host() and run.get("pid"):
        return not pid_alive(int(run["pid"]))
    beat = _aware(run.get("heartbeat_at")) or _aware(run.get("started_at"))
    return beat is None or now - beat > timedelta(seconds=STALE_AFTER_S)


def stale_runs(store: Any) -> list[dict[str, Any]]:
    runs = [r for s in LIVE_STATUSES for r in store.list_runs(status=s)]
    return [r for r in runs if is_stale(r)]


def repair(
    store: Any,
    *,
    fix: bool = True,
    sandboxes: bool = True,
    slots: bool = False,
    exclude: str | None = None,
) -> RepairReport:
    """Find (and with ``fix``, clean) what dead runs left behind.

    ``slots`` also checks the Prefect API in use for envfoundry's concurrency slots and,
    when no live run remains on this store, frees them (call it inside ``prefect_api``).
    """
    from envfoundry.flows.prefect_api import kill_orphaned_servers, orphaned_servers

    report = RepairReport()
    for run in stale_runs(store):
        report.stale_runs.append(run["id"])
        if fix:
            summary = run.get("summary") or {}
            summary = {**summary, "note": "its process died; marked interrupted by a repair"}
            store.finish_run(run["id"], "interrupted", summary)
    report.live_runs = [
        r["id"]
        for s in LIVE_STATUSES
        for r in store.list_runs(status=s)
        if r["id"] not in report.stale_runs and r["id"] != exclude
    ]
    if fix:
        report.orphaned_servers = kill_orphaned_servers()
    else:
        report.orphaned_servers = [int(str(o["pid"])) for o in orphaned_servers()]
    if sandboxes:
        report.containers = _dead_containers(fix, report)
    if slots:
        from envfoundry.flows.limits import held_slots, release_stale_slots

        try:
            held = held_slots()
            if held and fix and not report.live_runs:
                release_stale_slots()
            report.slots = held
        except Exception as exc:  # the API may be down: report it, repair the rest
            report.problems.append(f"could not read concurrency slots: {exc}")
    return report


def _dead_containers(fix: bool, report: RepairReport) -> list[str]:
    from envfoundry.envs.docker_api import docker_answers

    if not docker_answers(timeout=2.0):
        return []
    from envfoundry.envs import docker_backend

    try:
        return docker_backend.reap_dead_owners(dry_run=not fix)
    except Exception as exc:  # docker went away meanwhile
        report.problems.append(f"could not list sandboxes: {exc}")
        return []
