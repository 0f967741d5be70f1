"""The general family: synthesized SQLite environments with Python tools, judged by a
verification function over the episode's final database.

Wires ``generators.general`` (procedural and LLM drivers), ``verifiers.general`` (the
family's judge inside the shared acceptance policy) and ``envs`` (runner sessions with
the environment loaded) into the :class:`~envfoundry.families.Family` seam.
"""

from __future__ import annotations

import contextlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.config import Settings
from envfoundry.envs.client import RunnerSession
from envfoundry.envs.pool import EnvPayload
from envfoundry.errors import GenerationError, VerifierError
from envfoundry.families import (
    REFERENCE,
    EpisodeResources,
    Proposal,
    ToolOutcome,
    WorkItem,
)
from envfoundry.models import EnvironmentSpec, TaskSpec, Verdict
from envfoundry.verifiers.acceptance import TaskOutcome
from envfoundry.verifiers.adversary import LadderContext
from envfoundry.verifiers.general import CheckLimits, GeneralJudge, check_ladder


class GeneralConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    driver: Literal["procedural", "llm"] = "procedural"
    categories: tuple[str, ...] = ()  # empty = every available category
    environments: int = Field(default=24, ge=0, description="environments to synthesize")
    start_index: int = Field(default=0, ge=0)


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


class GeneralWorker:
    """Proposes drafts with the configured driver and judges them in one warm session."""

    def __init__(self, cfg: GeneralConfig, seed: int, settings: Settings, backend: Any) -> None:
        if cfg.driver == "procedural":
            from envfoundry.generators.general.procedural import ProceduralDriver

            self.driver: Any = ProceduralDriver(seed)
        else:
            from envfoundry.generators.general.llm_driver import LLMDriver

            self.driver = LLMDriver.from_settings(settings, seed=seed)
        self.slot = _SessionSlot(backend)

    def propose(self, item: WorkItem) -> Proposal:
        from envfoundry.generators.general.specs import draft_to_specs

        specs = draft_to_specs(self.driver.propose(item.category, item.index), self.driver.name)
        return Proposal(list(specs.environments), list(specs.tasks), [specs.db_bytes])

    def accept(self, proposal: Proposal, run_id: str) -> list[TaskOutcome]:
        (db,) = proposal.blobs
        outcomes: list[TaskOutcome] = []
        ladder = LadderContext()  # one per draft: earlier levels feed later levels' controls
        for env in proposal.environments:
            env_tasks = [t for t in proposal.tasks if t.env_id == env.id]
            if not env_tasks:
                continue
            session = self.slot.get()
            session.load_env(env.tools_source or "", db, name=env.name, env_id=env.id)
            outcomes.extend(check_ladder(session, env, env_tasks, ladder, run_id=run_id))
        return outcomes

    def discard(self) -> None:
        self.slot.discard()

    def close(self) -> None:
        self.slot.discard()


class GeneralDriver:
    """An episode: tools and ``verify(answer, db)`` in a warm runner with a fresh database."""

    def __init__(self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec) -> None:
        if task.verifier.kind != "function" or not task.verifier.source:
            raise VerifierError(f"task {task.id}: verifier {task.verifier.kind!r} is not runnable")
        if not env.tools_source:
            raise VerifierError(f"environment {env.id} has no tools source")
        self.task = task
        self.env = env
        self.cfg = resources.config
        payload = EnvPayload(
            tools_source=env.tools_source, db=resources.state_bytes(env), name=env.name
        )
        self._stack = contextlib.ExitStack()
        self.session: RunnerSession = self._stack.enter_context(
            resources.pool_for(env.image).lease(payload)
        )

    def call_tool(self, name: str, args: dict[str, Any], timeout_s: float) -> ToolOutcome:
        res = self.session.call_tool(name, args, timeout_s=timeout_s)
        if res.error is not None:
            return ToolOutcome(error=f"{res.error.type}: {res.error.message}")
        return ToolOutcome(result=res.result)

    def judge(self, answer: Any, timeout_s: float) -> Verdict:
        # the same judge as acceptance and `envfoundry verify`: one way to judge a task
        limits = CheckLimits(verifier_timeout_s=timeout_s, memory_mb=self.cfg.verifier_memory_mb)
        return GeneralJudge(self.session, self.env, limits).verify(self.task, answer, fresh=False)

    def close(self) -> None:
        self._stack.close()


class GeneralFamily:
    name = "general"
    description = "synthesized SQLite environments with Python tools and verification functions"
    config_model = GeneralConfig

    def plan(self, cfg: GeneralConfig, seed: int, limit: int | None) -> list[WorkItem]:
        """Round-robin over the categories so any prefix of the plan covers all of them."""
        from envfoundry.generators.general.procedural import available_categories

        cats = list(cfg.categories) or available_categories()
        if not cats:
            raise GenerationError("no general-family category is available")
        n = cfg.environments if limit is None else min(cfg.environments, limit)
        return [
            WorkItem(
                family=self.name,
                category=cats[j % len(cats)],
                index=cfg.start_index + j // len(cats),
            )
            for j in range(n)
        ]

    def check_config(self, cfg: GeneralConfig, settings: Settings) -> list[str]:
        problems: list[str] = []
        if cfg.driver == "llm" and not settings.llm_base_url:
            problems.append(
                "the llm driver needs an LLM endpoint: set ENVFOUNDRY_LLM_BASE_URL "
                "(and ENVFOUNDRY_LLM_MODEL), or use --llm-fake FILE for a scripted one"
            )
        if cfg.categories and cfg.driver == "procedural":
            # the LLM driver designs any category it is given; the procedural one has a list
            from envfoundry.generators.general.procedural import available_categories

            known = available_categories()
            unknown = [c for c in cfg.categories if c not in known]
            if unknown:
                problems.append(
                    f"unknown general categor{'y' if len(unknown) == 1 else 'ies'} "
                    f"{', '.join(unknown)} (available: {', '.join(known)})"
                )
        return problems

    def uses_llm(self, cfg: GeneralConfig) -> bool:
        return cfg.driver == "llm"

    def warm_up(self, cfg: GeneralConfig) -> None:
        import envfoundry.generators.general.specs
        from envfoundry.generators.general.procedural import warm_up

        warm_up(list(cfg.categories) or None)
        if cfg.driver == "llm":
            import envfoundry.generators.general.llm_driver  # noqa: F401

    def worker(
        self, cfg: GeneralConfig, seed: int, settings: Settings, backend: Any
    ) -> GeneralWorker:
        return GeneralWorker(cfg, seed, settings, backend)

    def episode_driver(
        self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec
    ) -> GeneralDriver:
        return GeneralDriver(resources, task, env)

    def verify(self, store: Any, backend: Any, task: TaskSpec, answer: Any) -> Verdict:
        from envfoundry.verifiers.general import verify_stored_task

        if answer is REFERENCE:
            return verify_stored_task(store, backend, task.id)
        return verify_stored_task(store, backend, task.id, answer)


FAMILY = GeneralFamily()
