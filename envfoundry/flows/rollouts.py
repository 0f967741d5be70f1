"""Policy rollouts as a Prefect flow: k episodes per task in parallel, then pass@k.

The steps are the runtime's (``runtime.rollouts``: plan, one job, finish); this flow
only runs the jobs concurrently as Prefect tasks (no retries: a rollout is a verdict).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from envfoundry.runtime.rollouts import (
    RolloutConfig,
    RolloutJob,
    RolloutResult,
    TaskRollouts,
    finish_rollouts,
    plan_rollouts,
    run_job,
)


@task(name="rollout", persist_result=False, cache_policy=NO_CACHE, log_prints=False)
def rollout_task(
    runtime: Any, client: Any, job: RolloutJob, cfg: RolloutConfig, run_id: str | None
) -> RolloutResult:
    return run_job(runtime, client, job, cfg, run_id)


@flow(name="envfoundry-rollouts", persist_result=False, log_prints=False, validate_parameters=False)
def _rollouts(
    runtime: Any,
    client: Any,
    task_ids: list[str],
    cfg: RolloutConfig,
    run_id: str | None,
    on_result: Callable[[str, RolloutResult], None] | None,
) -> list[TaskRollouts]:
    reports, jobs = plan_rollouts(runtime, client, task_ids, cfg)
    futures = {rollout_task.submit(runtime, client, job, cfg, run_id): job for job in jobs}
    for fut in as_completed(list(futures)):
        res = fut.result()
        task_id = futures[fut][0]
        reports[task_id].results.append(res)
        if on_result is not None:
            on_result(task_id, res)
    return finish_rollouts(runtime, reports, cfg)


def rollouts_flow(
    runtime: Any,
    client: Any,
    task_ids: list[str],
    cfg: RolloutConfig,
    run_id: str | None = None,
    on_result: Callable[[str, RolloutResult], None] | None = None,
) -> list[TaskRollouts]:
    """Run the rollouts flow with ``cfg.concurrency`` episodes at once (at most the runtime's cap)."""
    workers = max(1, min(cfg.concurrency, runtime.config.max_episodes))
    runner: Any = ThreadPoolTaskRunner(max_workers=workers)
    result: list[TaskRollouts] = _rollouts.with_options(task_runner=runner)(
        runtime, client, task_ids, cfg, run_id, on_result
    )
    return result
