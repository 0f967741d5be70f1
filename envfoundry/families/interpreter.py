"""The interpreter family: tasks that need code, solved with a stateful Jupyter kernel.

Wires ``generators.interpreter`` (three sources: reasoning-gym items, data-science tasks
over generated CSV / SQLite / Parquet files, a user's JSONL), ``verifiers.interpreter``
(answer keys with explicit tolerances, reasoning-gym's scorers) and ``envs.interpreter``
(the kernel sandbox and its warm pool) into the :class:`~envfoundry.families.Family` seam.

A proposal is kept only when no answer of its no-code shortcut panel (a naive formula,
the first-row value, a rounded guess) passes; otherwise it is stored rejected as
``too_easy`` with the winning shortcut as its passing control. The shared acceptance
policy then runs the reference cell in the kernel (the sandbox) twice and judges the
controls: empty, the shortcut answers, the right number in the wrong unit, numbers just
outside the tolerance.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from envfoundry.config import Settings
from envfoundry.envs.interpreter.images import ensure_interpreter_image
from envfoundry.envs.interpreter.kernel import (
    KernelPool,
    KernelSession,
    interpreter_limits,
    process_pool,
    shared_pool,
)
from envfoundry.errors import GenerationError, NotFoundError, SandboxError, VerifierError
from envfoundry.families import REFERENCE, EpisodeResources, Proposal, ToolOutcome, WorkItem
from envfoundry.generators.interpreter import (
    DATASETS,
    EXAMPLE,
    FAMILY_NAME,
    InterpTask,
    environment_spec,
    load_problems,
    pack_files,
    parse_answer,
    propose_data,
    propose_jsonl,
    propose_rg,
    task_spec,
    unpack_files,
)
from envfoundry.ids import sha256_hex
from envfoundry.models import (
    Attempt,
    AttemptKind,
    EnvironmentSpec,
    RejectionCategory,
    TaskSpec,
    TaskStatus,
    Verdict,
)
from envfoundry.verifiers.acceptance import Control, Solution, TaskOutcome, accept
from envfoundry.verifiers.interpreter import judge_answer, key_of, near_misses

Source = Literal["reasoning_gym", "data", "jsonl"]
EPISODE_CELL_TIMEOUT_S = 60.0


class InterpreterConfig(BaseModel):
    """Which sources to draw from, how many tasks each, and the kernel's limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    sources: tuple[Source, ...] = ("reasoning_gym", "data", "jsonl")
    rg_tasks: int = Field(default=24, ge=0, description="reasoning-gym proposals")
    rg_datasets: tuple[str, ...] = DATASETS
    rg_levels: tuple[int, ...] = (1, 2, 3)
    data_tasks: int = Field(default=10, ge=0, description="data-science proposals")
    data_levels: tuple[int, ...] = (1, 2, 3, 4, 5)
    jsonl: str | None = Field(default=None, description="problems JSONL (default: the example)")
    cell_timeout_s: float = Field(default=30.0, gt=0, description="per execute_code call")
    memory: str = "1g"
    pids: int = Field(default=128, ge=16)

    @model_validator(mode="after")
    def _levels(self) -> InterpreterConfig:
        if not set(self.rg_levels) <= {1, 2, 3} or not self.rg_levels:
            raise ValueError("rg_levels: choose from 1, 2, 3")
        if not set(self.data_levels) <= {1, 2, 3, 4, 5} or not self.data_levels:
            raise ValueError("data_levels: choose from 1 to 5")
        if not self.rg_datasets:
            raise ValueError("rg_datasets: name at least one dataset")
        return self

    def problems_path(self) -> str:
        return self.jsonl or str(EXAMPLE)


def propose_item(cfg: InterpreterConfig, seed: int, item: WorkItem) -> InterpTask:
    p = item.params
    if p["source"] == "reasoning_gym":
        return propose_rg(seed, item.index, str(p["dataset"]), int(p["level"]))
    if p["source"] == "data":
        return propose_data(seed, item.index, int(p["level"]))
    return propose_jsonl(cfg.problems_path(), int(p["problem"]))


def _info(task: TaskSpec) -> dict[str, Any]:
    info = task.provenance.get("interpreter_task")
    if not isinstance(info, dict):
        raise VerifierError(f"task {task.id} has no interpreter record")
    return info


class InterpreterJudge:
    """The family's judge in the shared policy: the reference cell runs in the kernel.

    ``files`` gives a task's dataset files (they are written into the work dir, which is
    emptied, and the namespace reset, before each run of the reference).
    """

    def __init__(self, session: KernelSession, files: dict[str, bytes], timeout_s: float) -> None:
        self.session = session
        self.files = files
        self.timeout_s = timeout_s
        self.sandbox_s = 0.0

    def precheck(self, task: TaskSpec) -> tuple[RejectionCategory, str] | None:
        try:
            key_of(task)
            _info(task)
        except VerifierError as exc:
            return RejectionCategory.invalid_spec, str(exc)
        if not task.reference_solution:
            return RejectionCategory.invalid_spec, "no reference code"
        return None

    def solve(self, task: TaskSpec, source: str | None = None) -> Solution:
        if source is not None:
            return Solution(error="interpreter tasks have no solution controls")
        code = task.reference_solution or ""
        t0 = time.perf_counter()
        self.session.reset(soft=True, clear_files=True)
        self.session.put_files(self.files)
        cell = self.session.execute(code, self.timeout_s)
        self.sandbox_s += time.perf_counter() - t0
        calls = [{"name": "execute_code", "args": {"code": code}}]
        if cell.fate != "ok":
            what = cell.error.type + ": " + cell.error.message if cell.error else cell.fate
            return Solution(calls=calls, error=f"reference cell: {what}"[:500])
        found, answer = parse_answer(cell.stdout)
        if not found:
            return Solution(calls=calls, error="the reference cell printed no answer")
        return Solution(answer=answer, calls=calls)

    def verify(self, task: TaskSpec, answer: Any, *, fresh: bool) -> Verdict:
        return judge_answer(answer, key_of(task))

    def verify_many(self, task: TaskSpec, answers: list[Any]) -> list[Verdict]:
        key = key_of(task)
        return [judge_answer(a, key) for a in answers]

    def controls(self, task: TaskSpec, reference: Solution) -> list[Control]:
        info = _info(task)
        out = [Control("empty", "")]
        out += [Control(f"shortcut:{s['strategy']}", s["answer"]) for s in info["shortcuts"]]
        out += [Control(s["strategy"], s["answer"]) for s in info["wrong_units"]]
        out += [Control(label, a) for label, a in near_misses(key_of(task), reference.answer)]
        return out


def panel_winner(task: InterpTask, spec: TaskSpec) -> tuple[str, Any, Verdict] | None:
    """The first shortcut answer that passes the task's verifier (the task is too easy)."""
    for s in task.shortcuts:
        verdict = judge_answer(s.answer, task.key)
        if verdict.passed:
            return s.strategy, s.answer, verdict
    return None


class InterpreterWorker:
    """Proposes on the host and runs reference cells in one warm kernel per batch."""

    def __init__(self, cfg: InterpreterConfig, seed: int, settings: Settings, backend: Any) -> None:
        self.cfg = cfg
        self.seed = seed
        self.backend = backend
        self.image = ensure_interpreter_image(settings)
        self.limits = interpreter_limits(cfg.memory, cfg.pids, timeout_s=cfg.cell_timeout_s)
        # the batch's backend closes with the batch; kernels outlive it in the process pool
        self.pool = process_pool(settings)
        self._session: KernelSession | None = None
        self._tasks: dict[str, InterpTask] = {}

    def session(self) -> KernelSession:
        """This batch's kernel: a warm one from the pool (a batch before us used it)."""
        if self._session is None or not self._session.healthy:
            if self._session is not None:
                self._session.close()
            self._session = self.pool.acquire(self.image, self.limits)
        return self._session

    def propose(self, item: WorkItem) -> Proposal:
        task = propose_item(self.cfg, self.seed, item)
        blobs = [pack_files(task.files)] if task.files else []
        env = environment_spec(task, sha256_hex(blobs[0]) if blobs else None)
        spec = task_spec(task, env.id)
        self._tasks[spec.id] = task
        return Proposal([env], [spec], blobs)

    def accept(self, proposal: Proposal, run_id: str) -> list[TaskOutcome]:
        outcomes = []
        for spec in proposal.tasks:
            task = self._tasks.pop(spec.id)
            won = panel_winner(task, spec)
            if won is not None:
                strategy, answer, verdict = won
                attempt = Attempt(
                    task_id=spec.id,
                    kind=AttemptKind.control,
                    label=f"control:shortcut:{strategy}",
                    answer=answer,
                    verdict=verdict,
                    run_id=run_id,
                )
                outcomes.append(
                    TaskOutcome(
                        spec,
                        TaskStatus.rejected,
                        RejectionCategory.too_easy,
                        f"no-code shortcut {strategy} answers correctly",
                        task.answer,
                        [attempt],
                    )
                )
                continue
            judge = InterpreterJudge(self.session(), task.files, self.cfg.cell_timeout_s)
            outcomes.append(accept(judge, spec, run_id))
        return outcomes

    def discard(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            self.pool.release(session, hard=False)


class InterpreterDriver:
    """An episode: a warm kernel from the pool, the task's files in its work dir."""

    def __init__(self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec) -> None:
        self.task = task
        self.key = key_of(task)  # a task without a usable key cannot be judged: refuse
        try:
            state = resources.state_bytes(env)
        except NotFoundError as exc:
            raise VerifierError(f"environment {env.id}: {exc}") from None
        self.pool: KernelPool = shared_pool(resources.backend)
        self.session: KernelSession | None = self.pool.acquire(
            ensure_interpreter_image(resources.settings)
        )
        try:
            self.session.put_files(unpack_files(state) if state else {})
        except BaseException:
            self.close()
            raise

    def call_tool(self, name: str, args: dict[str, Any], timeout_s: float) -> ToolOutcome:
        if name != "execute_code":
            return ToolOutcome(error=f"unknown tool {name!r}; the tool is execute_code")
        code = args.get("code")
        if not isinstance(code, str):
            return ToolOutcome(error="execute_code needs code (a string)")
        if self.session is None:
            raise SandboxError("the episode's kernel is closed")
        # the runtime grants what is left of the episode; one cell gets at most a minute
        cell = self.session.execute(code, min(timeout_s, EPISODE_CELL_TIMEOUT_S))
        return ToolOutcome(result=cell.tool_result())

    def judge(self, answer: Any, timeout_s: float) -> Verdict:
        return judge_answer(answer, self.key)

    def close(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            self.pool.release(session)


class InterpreterFamily:
    name = FAMILY_NAME
    description = "math, logic and data tasks that need code, run in a sandboxed Jupyter kernel"
    config_model = InterpreterConfig

    def plan(self, cfg: InterpreterConfig, seed: int, limit: int | None) -> list[WorkItem]:
        """Items of the chosen sources, interleaved so a limit keeps every source."""
        per: list[list[WorkItem]] = []
        if "reasoning_gym" in cfg.sources:
            ds, lv = cfg.rg_datasets, cfg.rg_levels
            per.append([
                WorkItem(family=self.name, category="reasoning_gym", index=j, params={
                    "source": "reasoning_gym", "dataset": ds[j % len(ds)],
                    "level": lv[(j // len(ds)) % len(lv)]})
                for j in range(cfg.rg_tasks)
            ])  # fmt: skip
        if "data" in cfg.sources:
            lv = cfg.data_levels
            per.append([
                WorkItem(family=self.name, category="data", index=j,
                         params={"source": "data", "level": lv[j % len(lv)]})
                for j in range(cfg.data_tasks)
            ])  # fmt: skip
        if "jsonl" in cfg.sources:
            n = len(load_problems(cfg.problems_path()))
            per.append([
                WorkItem(family=self.name, category="jsonl", index=j,
                         params={"source": "jsonl", "problem": j})
                for j in range(n)
            ])  # fmt: skip
        items = [
            lst[i] for i in range(max(map(len, per), default=0)) for lst in per if i < len(lst)
        ]
        return items if limit is None else items[:limit]

    def check_config(self, cfg: InterpreterConfig, settings: Settings) -> list[str]:
        problems = []
        if settings.sandbox_backend == "local":
            problems.append(
                "the interpreter family runs kernels in Docker: not with the local backend"
            )
        else:
            from envfoundry.envs.docker_api import docker_answers

            if not docker_answers():
                problems.append("the interpreter family needs Docker, and no Docker daemon answers")
        unknown = sorted(set(cfg.rg_datasets) - set(DATASETS))
        if unknown:
            problems.append(
                f"unknown reasoning-gym datasets {unknown} (have {', '.join(DATASETS)})"
            )
        if "jsonl" in cfg.sources:
            try:
                load_problems(cfg.problems_path())
            except GenerationError as exc:  # ProblemError: a missing file or a bad line
                problems.append(str(exc))
        return problems

    def uses_llm(self, cfg: InterpreterConfig) -> bool:
        return False

    def warm_up(self, cfg: InterpreterConfig) -> None:
        import reasoning_gym  # noqa: F401  (slow first import, done once)

        from envfoundry.config import load_settings

        ensure_interpreter_image(load_settings())

    def worker(
        self, cfg: InterpreterConfig, seed: int, settings: Settings, backend: Any
    ) -> InterpreterWorker:
        return InterpreterWorker(cfg, seed, settings, backend)

    def episode_driver(
        self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec
    ) -> InterpreterDriver:
        return InterpreterDriver(resources, task, env)

    def verify(self, store: Any, backend: Any, task: TaskSpec, answer: Any) -> Verdict:
        """The reference cell run in a kernel, then judged; or ``answer``, judged."""
        key = key_of(task)
        if answer is not REFERENCE:
            return judge_answer(answer, key)
        env = store.get_environment(task.env_id).spec
        files = (
            unpack_files(store.blobs.get_bytes(env.state_blob, f"task {task.id}"))
            if env.state_blob
            else {}
        )
        from envfoundry.config import load_settings

        session = KernelSession.start(backend, ensure_interpreter_image(load_settings()))
        try:
            solution = InterpreterJudge(session, files, 60.0).solve(task)
        finally:
            session.close()
        if solution.error is not None:
            return Verdict.fail(f"reference: {solution.error}")
        return judge_answer(solution.answer, key)


FAMILY = InterpreterFamily()
