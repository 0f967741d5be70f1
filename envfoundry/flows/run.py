"""Entry point for one pipeline run: checks, bookkeeping and stopping around the flow.

Order of a run: check the configuration (one clear error before anything starts),
repair what dead runs left behind, record the run with its owning process, start the
Prefect API (a configured server, or a temporary one owned by the run), run the
pipeline flow, record the outcome. The first Ctrl-C (or SIGTERM) asks the batches to
stop after their current item; the run then ends as ``interrupted`` with its counts,
and the same command resumes it. A second Ctrl-C exits at once: the store stays
consistent (each environment lands in one transaction), and the next run's repair
marks the run interrupted and removes its sandboxes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from envfoundry.config import Settings, load_settings
from envfoundry.errors import ConfigError, StoreError
from envfoundry.flows import control, progress
from envfoundry.flows.config import PipelineConfig
from envfoundry.procs import this_host

log = logging.getLogger(__name__)
EXIT_INTERRUPTED = 130


def prepare_prefect(verbose: bool = False) -> None:
    """Offline-friendly Prefect defaults, set before Prefect is imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # offline-first: no usage telemetry (and no notice about it on the user's terminal)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # On a loaded 2-core machine the temporary API can take longer than Prefect's default.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    home = os.environ.get("PREFECT_HOME")
    if home:  # Prefect creates its home but not missing parents
        Path(home).expanduser().mkdir(parents=True, exist_ok=True)
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
        # the temporary server logs its start at INFO through uvicorn/prefect loggers
        logging.getLogger("prefect").setLevel(logging.WARNING)


def check_config(cfg: PipelineConfig, settings: Settings) -> None:
    """Everything that can be wrong before orchestration starts, as one ConfigError."""
    from envfoundry import families

    problems: list[str] = []
    for name, family_cfg in cfg.families.items():
        problems += families.get(name).check_config(family_cfg, settings)
    if cfg.runner == "dask" and cfg.dask_address and "://" not in cfg.dask_address:
        problems.append(f"--dask-address {cfg.dask_address!r} is not a URL (tcp://host:8786)")
    if problems:
        raise ConfigError("; ".join(problems))


class PipelineRun:
    """One run of the pipeline; :meth:`stop` may be called from a signal handler."""

    def __init__(self, cfg: PipelineConfig, settings: Settings | None = None) -> None:
        self.cfg = cfg
        self.settings = settings or load_settings()
        self.run_id: str | None = None
        self.store: Any = None
        self.stopping = threading.Event()

    def stop(self) -> None:
        """Ask the batches to finish their current item and stop (idempotent)."""
        self.stopping.set()
        if self.run_id is not None:
            control.request_stop(self.run_id)
            # mirrored in the store for batches in other processes; never block a handler
            threading.Thread(target=self._mark_interrupting, daemon=True).start()

    def _mark_interrupting(self) -> None:
        with contextlib.suppress(Exception):
            if self.store is not None and self.run_id is not None:
                self.store.set_run_status(self.run_id, control.INTERRUPTING, only_if="running")

    def execute(
        self,
        on_event: Callable[[dict[str, Any]], None] | None = None,
        verbose: bool = False,
    ) -> dict[str, Any]:
        prepare_prefect(verbose)
        from envfoundry.flows.runs import repair
        from envfoundry.storage import Store

        check_config(self.cfg, self.settings)
        self.store = store = Store.from_settings(self.settings)
        store.ensure_schema()
        repaired = repair(store, sandboxes=True)
        if repaired.anything:
            log.warning("repaired what earlier runs left: %s", repaired.as_dict())
        self.run_id = run_id = store.start_run(
            self.cfg.model_dump(mode="json"), host=this_host(), pid=os.getpid()
        )
        ev = control.register(run_id)
        if self.stopping.is_set():
            ev.set()
        if on_event is not None:
            progress.register(run_id, on_event)
        beat = _Heartbeat(store, run_id)
        status = "failed"
        summary: dict[str, Any] = {"run_id": run_id}
        try:
            beat.start()
            summary = self._orchestrate(run_id)
            status = "interrupted" if ev.is_set() else "completed"
            return summary
        except BaseException:
            status = "interrupted" if ev.is_set() else "failed"
            raise
        finally:
            beat.stop()
            progress.unregister(run_id)
            control.unregister(run_id)
            summary["status"] = status
            _record_end(store, run_id, status, summary)
            summary["store"] = store.safe_url
            summary["blobs"] = store.blobs.location
            store.close()

    def _orchestrate(self, run_id: str) -> dict[str, Any]:
        from envfoundry.flows.pipeline import limits_for, pipeline_flow
        from envfoundry.flows.prefect_api import configured_api_url, prefect_api
        from envfoundry.flows.runs import repair

        shared = configured_api_url() is not None
        with prefect_api(run_id):
            limits = limits_for(self.cfg, shared_api=shared)
            if limits.mode == "prefect":
                # slots of runs that died on a shared server: freed when no live run holds them
                report = repair(self.store, sandboxes=False, slots=True, exclude=run_id)
                if report.slots:
                    log.warning("concurrency slots held before this run: %s", report.slots)
            if control.stop_requested(run_id):
                return {"run_id": run_id, "families": {}, "rows": [], "wall_s": 0.0}
            return pipeline_flow(self.cfg, run_id, limits)


FINISH_RETRY_S = 120.0


def _record_end(store: Any, run_id: str, status: str, summary: dict[str, Any]) -> None:
    """Write the run's end, retrying across a short store outage (a PostgreSQL restart):
    the batches' work is already committed, only its record would be lost."""
    deadline = time.monotonic() + FINISH_RETRY_S
    delay = 0.5
    while True:
        try:
            store.finish_run(run_id, status, summary)
            return
        except StoreError as exc:
            if time.monotonic() >= deadline:
                raise
            log.warning("recording the end of run %s failed, retrying: %s", run_id, exc)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


class _Heartbeat:
    """Writes the run's heartbeat while it lives, so other hosts can tell it is alive."""

    def __init__(self, store: Any, run_id: str) -> None:
        from envfoundry.flows.runs import HEARTBEAT_S

        self.store = store
        self.run_id = run_id
        self.every = HEARTBEAT_S
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="envfoundry-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.store.heartbeat_run(self.run_id)
            except Exception as exc:  # a store hiccup must not kill the run
                log.warning("heartbeat of run %s failed: %s", self.run_id, exc)

    def stop(self) -> None:
        self._stop.set()


def run_pipeline(
    cfg: PipelineConfig,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    verbose: bool = False,
) -> dict[str, Any]:
    """Run the pipeline once, recording the run and its summary in the store."""
    return PipelineRun(cfg).execute(on_event=on_event, verbose=verbose)


@contextlib.contextmanager
def interrupt_handlers(
    run: PipelineRun,
    on_first: Callable[[], None] | None = None,
    on_second: Callable[[], None] | None = None,
) -> Iterator[None]:
    """SIGINT / SIGTERM: the first stops the run gently, the second exits at once.

    Only the main thread can install handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    count = 0

    def handler(signum: int, frame: Any) -> None:
        nonlocal count
        count += 1
        if count == 1:
            run.stop()
            if on_first is not None:
                on_first()
            return
        if on_second is not None:
            with contextlib.suppress(Exception):
                on_second()
        from envfoundry.flows.prefect_api import kill_temporary_servers

        kill_temporary_servers()
        os._exit(EXIT_INTERRUPTED)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
