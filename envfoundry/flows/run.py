"""Entry point for one pipeline run: store bookkeeping around the Prefect pipeline flow."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from envfoundry.config import load_settings
from envfoundry.flows import progress
from envfoundry.flows.config import PipelineConfig


def prepare_prefect(verbose: bool = False) -> None:
    """Offline-friendly Prefect defaults, set before Prefect is imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # On a loaded 2-core machine the temporary API can take longer than Prefect's default.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    home = os.environ.get("PREFECT_HOME")
    if home:  # Prefect creates its home but not missing parents
        Path(home).expanduser().mkdir(parents=True, exist_ok=True)
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
        # the ephemeral server logs its start at INFO through uvicorn/prefect loggers
        logging.getLogger("prefect").setLevel(logging.WARNING)


def run_pipeline(
    cfg: PipelineConfig,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    verbose: bool = False,
) -> dict[str, Any]:
    """Run the pipeline flow once, recording the run and its summary in the store."""
    prepare_prefect(verbose)
    from envfoundry.flows.pipeline import pipeline_flow
    from envfoundry.storage import Store

    settings = load_settings()
    store = Store.from_settings(settings)
    store.ensure_schema()
    run_id = store.start_run(cfg.model_dump(mode="json"))
    if on_event is not None:
        progress.register(run_id, on_event)
    status = "failed"
    summary: dict[str, Any] = {"run_id": run_id}
    try:
        summary = pipeline_flow(cfg, run_id)
        status = "completed"
        return summary
    finally:
        progress.unregister(run_id)
        store.finish_run(run_id, status, summary)
        summary["store"] = store.safe_url
        summary["blobs"] = str(store.blobs.root)
        store.close()
