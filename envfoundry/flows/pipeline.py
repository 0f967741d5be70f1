"""The pipeline flow: run the chosen families in batches, summarise, publish an artifact."""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from envfoundry import families
from envfoundry.families import WorkItem
from envfoundry.flows import control, progress
from envfoundry.flows.batch import BatchResult, batches, family_batch
from envfoundry.flows.config import PipelineConfig
from envfoundry.flows.limits import LLM, SANDBOX, Limits, Mode
from envfoundry.flows.limits import prepare as prepare_limits


@task(name="ensure-base-image", retries=2, retry_delay_seconds=10, persist_result=False)
def ensure_base_image() -> str | None:
    """Provide the sandbox base image once per run (an infrastructure step, safe to retry)."""
    from envfoundry.config import load_settings
    from envfoundry.envs.docker_api import docker_answers

    settings = load_settings()
    if settings.sandbox_backend == "local" or (
        settings.sandbox_backend == "auto" and not docker_answers()
    ):
        return None
    from envfoundry.envs.images import bootstrap_base_image

    return bootstrap_base_image(settings)


def warm_up_imports(cfg: PipelineConfig, name: str) -> None:
    """Import, in this thread, every module the batch threads use (see refdata.warm_up)."""
    import envfoundry.envs.backends
    import envfoundry.envs.client
    import envfoundry.storage
    import envfoundry.verifiers.acceptance  # noqa: F401

    families.get(name).warm_up(cfg.family_config(name))


def plan(cfg: PipelineConfig, name: str) -> list[WorkItem]:
    return families.get(name).plan(cfg.family_config(name), cfg.seed, cfg.limit)


@flow(name="envfoundry-family", log_prints=False, persist_result=False)
def family_flow(name: str, cfg: PipelineConfig, run_id: str, limits: Limits) -> BatchResult:
    """Propose, verify and store one family's work items in batches."""
    logger = get_run_logger()
    items = plan(cfg, name)
    chunks = batches(items, cfg.batch_size)
    progress.emit(run_id, {"event": "planned", "family": name, "items": len(items)})
    logger.info("%s: %d work items in %d batches", name, len(items), len(chunks))
    control.hold("planning")
    total = BatchResult()
    if control.stop_requested(run_id):
        return total.model_copy(update={"interrupted_items": len(items)})
    warm_up_imports(cfg, name)
    if chunks:
        ensure_base_image()
    futures = [family_batch.submit(chunk, cfg, run_id, limits) for chunk in chunks]
    for fut in as_completed(futures):
        res: BatchResult = fut.result()
        total = total.merge(res)
        progress.emit(run_id, {"event": "batch", "family": name, "result": res.model_dump()})
    return total


def summary_rows(results: dict[str, BatchResult]) -> list[dict[str, Any]]:
    rows = []
    for family, r in results.items():
        rows.append(
            {
                "family": family,
                "environments": r.environments,
                "skipped_items": r.skipped_items,
                "interrupted_items": r.interrupted_items,
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


def limits_for(cfg: PipelineConfig, shared_api: bool) -> Limits:
    """In-process limits on the embedded default; leased Prefect limits across processes."""
    mode: Mode = "prefect" if cfg.runner == "dask" or shared_api else "local"
    return Limits(mode=mode, sizes={SANDBOX: cfg.docker_concurrency, LLM: cfg.llm_concurrency})


@flow(name="envfoundry-pipeline", log_prints=False, persist_result=False)
def pipeline_flow(cfg: PipelineConfig, run_id: str, limits: Limits | None = None) -> dict[str, Any]:
    """Run every configured family; returns the summary and publishes it as a table artifact."""
    limits = limits or limits_for(cfg, shared_api=False)
    prepare_limits(limits)
    t0 = time.perf_counter()
    results: dict[str, BatchResult] = {}
    for name in cfg.families:
        if control.stop_requested(run_id):
            break
        results[name] = family_flow.with_options(
            name=f"envfoundry-{name}", task_runner=_task_runner(cfg)
        )(name, cfg, run_id, limits)
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
