"""The pipeline flow: run the chosen families in batches, summarise, publish an artifact."""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from envfoundry.flows import progress
from envfoundry.flows.config import PipelineConfig
from envfoundry.flows.general import (
    DOCKER_TAG,
    LLM_TAG,
    BatchResult,
    batches,
    general_batch,
    plan_items,
)
from envfoundry.models import Family


def _ensure_tag_limit(tag: str, limit: int) -> None:
    """Create or resize the tag concurrency limit that caps sandbox-heavy batches."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        try:
            current = client.read_concurrency_limit_by_tag(tag)
            if current.concurrency_limit == limit:
                return
        except Exception:  # "not found" comes back as an HTTP error; create it below
            pass
        client.create_concurrency_limit(tag=tag, concurrency_limit=limit)


@task(name="ensure-base-image", retries=2, retry_delay_seconds=10, persist_result=False)
def ensure_base_image() -> str | None:
    """Provide the sandbox base image once per run (an infrastructure step, safe to retry)."""
    from envfoundry.config import load_settings
    from envfoundry.envs.sandbox import docker_answers

    settings = load_settings()
    if settings.sandbox_backend == "local" or (
        settings.sandbox_backend == "auto" and not docker_answers()
    ):
        return None
    from envfoundry.envs.images import bootstrap_base_image

    return bootstrap_base_image(settings)


@flow(name="envfoundry-general", log_prints=False, persist_result=False)
def general_flow(cfg: PipelineConfig, run_id: str) -> BatchResult:
    """Synthesize, verify and store general-family environments in batches."""
    logger = get_run_logger()
    items = plan_items(cfg)
    chunks = batches(items, cfg.batch_size)
    progress.emit(run_id, {"event": "planned", "family": "general", "items": len(items)})
    logger.info("general: %d environments in %d batches", len(items), len(chunks))
    _ensure_tag_limit(DOCKER_TAG, cfg.docker_concurrency)
    batch = general_batch
    if cfg.general.driver == "llm":
        _ensure_tag_limit(LLM_TAG, cfg.llm_concurrency)
        batch = general_batch.with_options(tags=[DOCKER_TAG, LLM_TAG])
    if chunks:
        ensure_base_image()
    total = BatchResult()
    futures = [batch.submit(chunk, cfg, run_id) for chunk in chunks]
    for fut in as_completed(futures):
        res: BatchResult = fut.result()
        total = total.merge(res)
        progress.emit(run_id, {"event": "batch", "family": "general", "result": res.model_dump()})
    return total


def summary_rows(results: dict[str, BatchResult]) -> list[dict[str, Any]]:
    rows = []
    for family, r in results.items():
        rows.append(
            {
                "family": family,
                "environments": r.environments,
                "skipped_items": r.skipped_items,
                "accepted": r.accepted,
                "rejected": sum(r.rejected.values()),
                "rejections": ", ".join(f"{k}={v}" for k, v in sorted(r.rejected.items())) or "-",
                "generation_errors": len(r.generation_errors),
                "infra_errors": len(r.infra_errors),
            }
        )
    return rows


def _task_runner(cfg: PipelineConfig) -> Any:
    if cfg.runner == "dask":
        from prefect_dask import DaskTaskRunner

        if cfg.dask_address:
            return DaskTaskRunner(address=cfg.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": cfg.workers, "threads_per_worker": 1, "processes": True}
        )
    return ThreadPoolTaskRunner(max_workers=cfg.workers)


@flow(name="envfoundry-pipeline", log_prints=False, persist_result=False)
def pipeline_flow(cfg: PipelineConfig, run_id: str) -> dict[str, Any]:
    """Run every configured family; returns the summary and publishes it as a table artifact."""
    t0 = time.perf_counter()
    results: dict[str, BatchResult] = {}
    for family in cfg.families:
        if family is Family.general:
            results[family.value] = general_flow.with_options(task_runner=_task_runner(cfg))(
                cfg, run_id
            )
    rows = summary_rows(results)
    wall = time.perf_counter() - t0
    create_table_artifact(
        key="envfoundry-run-summary",
        table=rows,
        description=f"envfoundry run {run_id}: wall time {wall:.1f}s",
    )
    return {
        "run_id": run_id,
        "wall_s": wall,
        "families": {k: v.model_dump() for k, v in results.items()},
        "rows": rows,
    }
