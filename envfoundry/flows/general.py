"""General-family flow: plan work items, run them in batches, store each environment whole.

Orchestration only: proposing is ``generators.general``, executing is ``envs``,
judging is ``verifiers.general`` and keeping is ``storage``. A work item is one
environment ``(category, index)``; its versions, tasks and attempts are stored in one
transaction, and an item whose tasks are all stored already is skipped, so a killed
run resumes where it stopped and a rerun adds nothing.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from prefect import task
from pydantic import BaseModel, ConfigDict

from envfoundry.config import load_settings
from envfoundry.errors import EnvfoundryError, GenerationError, SandboxError
from envfoundry.flows import control
from envfoundry.flows.config import PipelineConfig
from envfoundry.flows.limits import LLM, SANDBOX, Interrupted, Limits, slot
from envfoundry.models import Family, RejectionCategory
from envfoundry.verifiers.acceptance import TaskOutcome

log = logging.getLogger(__name__)


class WorkItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    category: str
    index: int


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
        for cat, counts in other.by_category.items():
            mine = out.by_category.setdefault(cat, {})
            for k, v in counts.items():
                mine[k] = mine.get(k, 0) + v
        out.generation_errors += other.generation_errors
        out.infra_errors += other.infra_errors
        out.sandbox_s += other.sandbox_s
        out.wall_s += other.wall_s
        return out


def plan_items(cfg: PipelineConfig) -> list[WorkItem]:
    """Round-robin over the categories so any prefix of the plan covers all of them."""
    from envfoundry.generators.general.procedural import available_categories

    cats = list(cfg.general.categories) or available_categories()
    if not cats:
        raise GenerationError("no general-family category is available")
    n = cfg.environments_for(Family.general)
    start = cfg.general.start_index
    return [WorkItem(category=cats[j % len(cats)], index=start + j // len(cats)) for j in range(n)]


def make_driver(cfg: PipelineConfig) -> Any:
    if cfg.general.driver == "procedural":
        from envfoundry.generators.general.procedural import ProceduralDriver

        return ProceduralDriver(cfg.seed)
    from envfoundry.generators.general.llm_driver import LLMDriver

    return LLMDriver.from_settings(load_settings(), seed=cfg.seed)


class _SessionSlot:
    """The batch's one warm runner session, restarted when it turns unhealthy."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.session: Any = None

    def get(self) -> Any:
        if self.session is None or not self.session.healthy:
            self.discard()
            self.session = self.backend.start_runner(purpose="verify")
        return self.session

    def discard(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def _judge(sessions: _SessionSlot, specs: Any, run_id: str) -> list[TaskOutcome]:
    """Judge every task of one draft, each environment version loaded in turn."""
    from envfoundry.verifiers.general import check_task

    outcomes: list[TaskOutcome] = []
    for env in specs.environments:
        env_tasks = [t for t in specs.tasks if t.env_id == env.id]
        if not env_tasks:
            continue
        session = sessions.get()
        session.load_env(env.tools_source or "", specs.db_bytes, name=env.name, env_id=env.id)
        outcomes.extend(check_task(session, env, t, run_id=run_id) for t in env_tasks)
    return outcomes


def run_general_batch(
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
    names = (SANDBOX, LLM) if cfg.general.driver == "llm" else (SANDBOX,)
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
    from envfoundry.generators.general.specs import draft_to_specs

    backend = get_backend(settings)
    driver = make_driver(cfg)
    sessions = _SessionSlot(backend)
    try:
        for n, item in enumerate(items):
            if control.stop_requested(run_id, store):
                result.interrupted_items += len(items) - n
                break
            result.items += 1
            try:
                specs = draft_to_specs(driver.propose(item.category, item.index), driver.name)
            except (EnvfoundryError, ValueError) as exc:
                result.generation_errors.append(f"{item.category}#{item.index}: {exc}")
                continue
            task_ids = [t.id for t in specs.tasks]
            if len(store.existing_task_ids(task_ids)) == len(task_ids):
                result.skipped_items += 1
                continue
            store.blobs.put_bytes(specs.db_bytes)  # content-addressed: safe before the commit
            error: str | None = None
            outcomes: list[TaskOutcome] = []
            try:
                outcomes = _judge(sessions, specs, run_id)
                broke = next((o for o in outcomes if o.rejection is RejectionCategory.infra), None)
                error = broke.reason if broke is not None else None
            except (SandboxError, EnvfoundryError) as exc:
                error = str(exc)
            except Exception as exc:
                # A bug of ours must not sink the other items of the run: log it with its
                # traceback and treat it like an infrastructure failure.
                log.exception("internal error on %s#%s", item.category, item.index)
                error = f"internal error {exc!r}"
            if error is not None:
                # the infrastructure broke, not the task: store nothing so a rerun retries
                # it, and give the next item a fresh session
                result.infra_errors.append(f"{item.category}#{item.index}: {error}")
                sessions.discard()
                continue
            with store.transaction() as tx:
                for env in specs.environments:
                    tx.put_environment(env, run_id)
                control.hold("store_write")  # inside the transaction: interrupt tests
                for o in outcomes:
                    tx.put_tasks([o.task], o.status, run_id, o.rejection, o.reason)
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
            control.hold("after_item")
    finally:
        sessions.discard()
        backend.close()


@task(name="general-batch", persist_result=False, log_prints=False)
def general_batch(
    items: list[WorkItem], cfg: PipelineConfig, run_id: str, limits: Limits
) -> BatchResult:
    """Prefect task around :func:`run_general_batch` (no retries: it issues verdicts)."""
    return run_general_batch(items, cfg, run_id, limits)


def batches(items: list[WorkItem], size: int) -> list[list[WorkItem]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
