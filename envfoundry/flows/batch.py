"""The one batch loop every family runs: propose, judge, store each work item whole.

Orchestration only: a family (``envfoundry.families``) proposes and judges, envs
execute, storage keeps. A work item's environments, tasks and attempts land in one
transaction; an item whose tasks are all stored already is skipped, so a killed run
resumes where it stopped and a rerun adds nothing. Infrastructure failures store
nothing (a rerun retries them); a bad proposal is counted, not raised.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from prefect import task
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import SQLAlchemyError

from envfoundry import families
from envfoundry.config import load_settings
from envfoundry.errors import EnvfoundryError, SandboxError, StoreError
from envfoundry.families import WorkItem
from envfoundry.flows import control
from envfoundry.flows.config import PipelineConfig
from envfoundry.flows.limits import LLM, SANDBOX, Interrupted, Limits, slot
from envfoundry.models import RejectionCategory
from envfoundry.verifiers.acceptance import TaskOutcome
from envfoundry.verifiers.difficulty import measure

log = logging.getLogger(__name__)

# A store read outside a transaction may surface the driver's error unconverted.
STORE_DOWN = (StoreError, SQLAlchemyError)


class BatchResult(BaseModel):
    """Counts of one batch; summed into the family summary."""

    model_config = ConfigDict(extra="forbid")
    items: int = 0
    skipped_items: int = 0
    interrupted_items: int = 0
    environments: int = 0
    accepted: int = 0
    rejected: dict[str, int] = {}
    by_category: dict[str, dict[str, int]] = {}
    by_level: dict[str, dict[str, int]] = {}  # task level -> accepted / rejected:<reason>
    generation_errors: list[str] = []
    infra_errors: list[str] = []
    sandbox_s: float = 0.0
    wall_s: float = 0.0

    def merge(self, other: BatchResult) -> BatchResult:
        out = self.model_copy(deep=True)
        out.items += other.items
        out.skipped_items += other.skipped_items
        out.interrupted_items += other.interrupted_items
        out.environments += other.environments
        out.accepted += other.accepted
        for k, v in other.rejected.items():
            out.rejected[k] = out.rejected.get(k, 0) + v
        for mine_by, theirs in (
            (out.by_category, other.by_category),
            (out.by_level, other.by_level),
        ):
            for key, counts in theirs.items():
                mine = mine_by.setdefault(key, {})
                for k, v in counts.items():
                    mine[k] = mine.get(k, 0) + v
        out.generation_errors += other.generation_errors
        out.infra_errors += other.infra_errors
        out.sandbox_s += other.sandbox_s
        out.wall_s += other.wall_s
        return out


def run_batch(
    items: list[WorkItem], cfg: PipelineConfig, run_id: str, limits: Limits | None = None
) -> BatchResult:
    """Propose, judge and store each item of the batch; one sandbox session serves the batch.

    Holds one slot of the sandbox limit (and the LLM limit for the LLM driver) while it
    works. When the run is asked to stop, the items not started yet are counted as
    ``interrupted_items`` and left for the next run.
    """
    from envfoundry.storage import Store

    t_start = time.perf_counter()
    result = BatchResult()
    settings = load_settings()
    store = Store.from_settings(settings)
    family = families.get(items[0].family) if items else None
    uses_llm = family is not None and family.uses_llm(cfg.family_config(family.name))
    names = (SANDBOX, LLM) if uses_llm else (SANDBOX,)
    try:
        if control.stop_requested(run_id, store):
            result.interrupted_items = len(items)
            return result
        with slot(limits or Limits(), names, control.event(run_id)):
            _run_items(items, cfg, run_id, store, settings, result)
    except Interrupted:
        result.interrupted_items = len(items) - result.items
    finally:
        store.close()
    result.wall_s = time.perf_counter() - t_start
    return result


def _run_items(
    items: list[WorkItem],
    cfg: PipelineConfig,
    run_id: str,
    store: Any,
    settings: Any,
    result: BatchResult,
) -> None:
    from envfoundry.envs.backends import get_backend

    family = families.get(items[0].family)
    backend = get_backend(settings)
    worker = family.worker(cfg.family_config(family.name), cfg.seed, settings, backend)
    try:
        for n, item in enumerate(items):
            if control.stop_requested(run_id, store):
                result.interrupted_items += len(items) - n
                break
            result.items += 1
            try:
                _run_item(item, worker, run_id, store, result)
            except STORE_DOWN as exc:
                # the shared store (or its blobs) went away mid-item: infrastructure;
                # the item's transaction did not commit, so a rerun retries it whole
                result.infra_errors.append(
                    f"{item.family}:{item.category}#{item.index}: the store failed: {exc}"
                )
                worker.discard()
            control.hold("after_item")
    finally:
        worker.close()
        backend.close()


def _run_item(item: WorkItem, worker: Any, run_id: str, store: Any, result: BatchResult) -> None:
    where = f"{item.family}:{item.category}#{item.index}"
    try:
        proposal = worker.propose(item)
    except (EnvfoundryError, ValueError) as exc:
        result.generation_errors.append(f"{where}: {exc}")
        return
    task_ids = [t.id for t in proposal.tasks]
    if len(store.existing_task_ids(task_ids)) == len(task_ids):
        result.skipped_items += 1
        return
    for blob in proposal.blobs:
        store.blobs.put_bytes(blob)  # content-addressed: safe before the commit
    error: str | None = None
    outcomes: list[TaskOutcome] = []
    try:
        outcomes = worker.accept(proposal, run_id)
        broke = next((o for o in outcomes if o.rejection is RejectionCategory.infra), None)
        error = broke.reason if broke is not None else None
    except (SandboxError, EnvfoundryError) as exc:
        error = str(exc)
    except Exception as exc:
        # A bug of ours must not sink the other items of the run: log it with its
        # traceback and treat it like an infrastructure failure.
        log.exception("internal error on %s", where)
        error = f"internal error {exc!r}"
    if error is not None:
        # the infrastructure broke, not the task: store nothing so a rerun retries it,
        # and give the next item a fresh session
        result.infra_errors.append(f"{where}: {error}")
        worker.discard()
        return
    with store.transaction() as tx:
        for env in proposal.environments:
            tx.put_environment(env, run_id)
        control.hold("store_write")  # inside the transaction: interrupt tests
        for o in outcomes:
            # the reason is a rejection's; an accepted task carries none
            reason = o.reason if o.rejection is not None else None
            signals = measure(o.attempts) if o.attempts else None
            tx.put_tasks([o.task], o.status, run_id, o.rejection, reason, signals=signals)
            tx.put_attempts(o.attempts)
    result.environments += 1
    cat = result.by_category.setdefault(item.category, {})
    for o in outcomes:
        result.sandbox_s += o.sandbox_s
        if o.accepted:
            result.accepted += 1
            key = "accepted"
        else:
            r = o.rejection.value if o.rejection else "unspecified"
            result.rejected[r] = result.rejected.get(r, 0) + 1
            key = f"rejected:{r}"
        cat[key] = cat.get(key, 0) + 1
        level = result.by_level.setdefault(str(o.task.difficulty), {})
        level[key] = level.get(key, 0) + 1


@task(name="family-batch", persist_result=False, log_prints=False)
def family_batch(
    items: list[WorkItem], cfg: PipelineConfig, run_id: str, limits: Limits
) -> BatchResult:
    """Prefect task around :func:`run_batch` (no retries: it issues verdicts)."""
    return run_batch(items, cfg, run_id, limits)


def batches(items: list[WorkItem], size: int) -> list[list[WorkItem]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
