"""The RL runtime: one episode API (open → call → submit → close) over stored tasks.

An :class:`Episode` is one policy's attempt at one task: the prompt and the tool schemas
to show the policy, tool calls validated against their JSON Schemas and run in a warm
pooled sandbox with fresh state, and a reward from the task's verifier on the episode's
final state. Bad tool calls are observations (``{"error": ...}``), not exceptions, and
calls the runtime refuses before running them (unknown tool, arguments off the schema)
do not use up a step; broken infrastructure ends the episode with an ``infra_error``
verdict. Step and wall-time budgets end an episode with reward 0 and a reason. An answer
off the answer schema is handed back (``answer_retries`` times) with the schema error.
Every episode records its trajectory.

An episode that ended (submitted, out of budget, broken) closes itself: its sandbox goes
back to the pool and it no longer counts against ``max_episodes``, but its verdict and
trajectory stay readable, and closing it again is a no-op, until ``ttl_s`` after it was
opened — also the longest any episode lives, so a client that never closes leaks nothing.

Families plug in through the family registry (``envfoundry.families``): a family's
episode driver runs its tools and its judge on a leased sandbox; everything else (budgets, validation, trajectories,
the registry of open episodes and its reaper) is shared.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import jsonschema
from pydantic import BaseModel, ConfigDict, Field

from envfoundry import families
from envfoundry.config import Settings
from envfoundry.envs.pool import RunnerPool
from envfoundry.envs.sandbox import Backend, Limits
from envfoundry.errors import (
    ConfigError,
    EnvfoundryError,
    NotFoundError,
    SandboxError,
    VerifierError,
)
from envfoundry.families import EpisodeDriver
from envfoundry.models import EnvironmentSpec, TaskSpec, ToolSpec, Verdict
from envfoundry.runtime.budget import task_step_budget
from envfoundry.runtime.prompt import (
    SUBMIT_DESCRIPTION,
    SUBMIT_TOOL,
    submit_name,
    submit_parameters,
    system_prompt,
)
from envfoundry.runtime.redact import policy_verdict
from envfoundry.storage import Store


class RuntimeAPIError(EnvfoundryError):
    """Base of the runtime's protocol errors (the HTTP server maps them to status codes)."""


class EpisodeNotFound(RuntimeAPIError, NotFoundError):
    """No open episode has this id (never opened, closed, or reaped)."""


class EpisodeOver(RuntimeAPIError):
    """The episode has ended (submitted, out of budget, or broken): no more calls or submits."""


class RuntimeFull(RuntimeAPIError):
    """The runtime already holds its maximum number of open episodes."""


class AnswerRejected(RuntimeAPIError):
    """A submitted answer broke the answer schema and the episode gives it back for a retry."""

    def __init__(self, message: str, retries_left: int) -> None:
        super().__init__(message)
        self.retries_left = retries_left


class RuntimeConfig(BaseModel):
    """Budgets and limits of episodes; ``from_settings`` reads ``runtime_*`` settings if set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_steps: int = Field(default=50, ge=1, description="tool calls per episode")
    max_wall_s: float = Field(default=600.0, gt=0, description="wall time per episode")
    tool_timeout_s: float = Field(default=10.0, gt=0)
    verifier_timeout_s: float = Field(default=30.0, gt=0)
    verifier_memory_mb: int = Field(default=256, ge=16)
    max_episodes: int = Field(default=16, ge=1, description="open episodes at once")
    idle_timeout_s: float = Field(default=300.0, gt=0, description="reap episodes idle this long")
    ttl_s: float = Field(
        default=3600.0, gt=0, description="close any episode this long after it opened"
    )
    answer_retries: int = Field(
        default=1, ge=0, description="schema-invalid answers given back before one counts"
    )
    keep_closed: int = Field(
        default=4096, ge=0, description="ended episodes whose verdict and trajectory are kept"
    )
    pool_size: int | None = Field(default=None, ge=1, description="runners per image")

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> RuntimeConfig:
        # Settings' runtime_* fields (README: Configuration); unset ones keep these defaults.
        data = {
            name: getattr(settings, f"runtime_{name}")
            for name in cls.model_fields
            if getattr(settings, f"runtime_{name}", None) is not None
        }
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(data)


# --------------------------------------------------------------------------- episodes


def submit_tool(task: TaskSpec, name: str = SUBMIT_TOOL) -> ToolSpec:
    """The tool a policy calls to finish: one ``answer`` argument with the answer schema."""
    return ToolSpec(
        name=name,
        description=SUBMIT_DESCRIPTION,
        parameters=submit_parameters(task.answer_schema),
    )


def _jsonable(value: Any) -> Any:
    """``value`` if JSON can carry it, else its string form (observations must serialise)."""
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError):
        return json.loads(json.dumps(value, default=str))


class Episode:
    """One open episode. Thread-safe: one operation at a time."""

    def __init__(
        self,
        runtime: Runtime,
        task: TaskSpec,
        env: EnvironmentSpec,
        driver: EpisodeDriver,
        max_steps: int | None = None,
        answer_retries: int | None = None,
    ):
        self.id = uuid.uuid4().hex
        self.runtime = runtime
        self.task = task
        self.env = env
        self.config = runtime.config
        # the task's own step budget (runtime.budget: its reference's calls with slack)
        self.max_steps = max_steps or self.config.max_steps
        self._driver: EpisodeDriver | None = driver
        self._lock = threading.Lock()
        self.started = time.monotonic()
        self.started_at = time.time()
        self.last_active = self.started
        # requests for this episode that arrived and are not answered yet (queued for a
        # worker thread or waiting on the episode lock): it is not idle while any is
        self.pending = 0
        self.steps = 0
        self.tool_errors = 0
        self.answer_retries = (
            runtime.config.answer_retries if answer_retries is None else answer_retries
        )
        self.answer_retries_left = self.answer_retries
        self.verdict: Verdict | None = None
        self.answer: Any = None
        self.end_reason: str | None = None
        self.events: list[dict[str, Any]] = []
        self.submit_name = submit_name(t.name for t in env.tools)
        self.tool_specs: dict[str, ToolSpec] = {t.name: t for t in env.tools}
        self._validators = {
            t.name: jsonschema.Draft202012Validator(t.parameters) for t in env.tools
        }
        self.messages = [
            {"role": "system", "content": self.system_prompt()},
            {"role": "user", "content": task.prompt},
        ]

    # -------------------------------------------------------------- what the policy sees

    def system_prompt(self) -> str:
        return system_prompt(self.task.answer_schema, self.submit_name, self.max_steps)

    @property
    def tools(self) -> list[dict[str, Any]]:
        """OpenAI function schemas: the environment's tools plus the submit tool."""
        return [t.openai_schema() for t in self._tool_specs()]

    @property
    def tool_defs(self) -> list[dict[str, Any]]:
        """The same tools in the flat format (``name``, ``description``, ``parameters``)."""
        return [
            {"name": t.name, "description": t.description, "parameters": t.parameters}
            for t in self._tool_specs()
        ]

    def _tool_specs(self) -> list[ToolSpec]:
        return [*self.env.tools, submit_tool(self.task, self.submit_name)]

    @property
    def task_id(self) -> str:
        return self.task.id

    @property
    def done(self) -> bool:
        return self.verdict is not None

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    # -------------------------------------------------------------- actions

    def call(
        self, tool: str, args: dict[str, Any] | None = None, timeout_s: float | None = None
    ) -> Any:
        """Run one tool call and return its observation (``{"error": ...}`` when it failed).

        ``timeout_s`` shortens this call's timeout (never past ``tool_timeout_s``); a call
        that runs out of time is an error observation, and the episode goes on. A call the
        runtime refuses before running it (unknown tool, arguments off the tool's schema)
        is an error observation that uses no step. Calling the submit tool submits
        ``args["answer"]`` and returns the verdict and its metrics as the observation (or
        the schema error, while answer retries are left). Raises :class:`EpisodeOver` once
        the episode has ended.
        """
        args = {} if args is None else args
        with self._lock:
            self._check_open()
            if tool == self.submit_name and tool not in self.tool_specs:
                if not isinstance(args, dict) or "answer" not in args:
                    return self._record_call(tool, args, {"error": "submit needs an 'answer'"})
                try:
                    verdict = self._submit_locked(args["answer"])
                except AnswerRejected as exc:
                    obs = {"error": str(exc), "retries_left": exc.retries_left}
                    return self._record_call(tool, args, obs)
                return {"submitted": True, **self.result(verdict)}
            t0 = time.monotonic()
            refused = self._refusal(tool, args)
            if refused is not None:
                self.tool_errors += 1
                return self._record_call(tool, args, refused, t0)
            self.steps += 1
            if self.steps > self.max_steps:
                reason = f"step budget exhausted ({self.max_steps} tool calls)"
                self._end_locked(Verdict.fail(reason, budget="steps"), reason)
                return self._record_call(tool, args, {"error": reason, "done": True}, t0)
            if self._over_time() is not None:
                return self._record_call(tool, args, {"error": self.end_reason, "done": True}, t0)
            obs = self._run_tool(tool, args, timeout_s)
            if isinstance(obs, dict) and "error" in obs:
                self.tool_errors += 1
            return self._record_call(tool, args, obs, t0)

    def _refusal(self, tool: str, args: Any) -> dict[str, str] | None:
        """Why the runtime will not run this call at all, or None when it will."""
        if tool not in self.tool_specs:
            known = ", ".join([*sorted(self.tool_specs), self.submit_name])
            return {"error": f"unknown tool {tool!r}; available tools: {known}"}
        if not isinstance(args, dict):
            return {"error": f"arguments of {tool} must be a JSON object"}
        problem = _schema_problem(args, self._validators[tool])
        if problem is not None:
            return {"error": f"invalid arguments for {tool} {problem}"}
        return None

    def _run_tool(self, tool: str, args: dict[str, Any], timeout_s: float | None) -> Any:
        timeout = min(self._budget("tool_timeout_s"), max(0.1, self._time_left()))
        if timeout_s is not None:
            timeout = max(0.1, min(timeout, timeout_s))
        try:
            outcome = self._live_driver().call_tool(tool, args, timeout)
        except SandboxError as exc:
            reason = f"sandbox failed during {tool}: {exc}"
            self._end_locked(Verdict.infra(reason), reason)
            return {"error": reason, "done": True}
        if outcome.error is not None:
            return {"error": outcome.error}
        return _jsonable(outcome.result)

    def submit(self, answer: Any) -> Verdict:
        """Judge ``answer`` on the episode's state; the episode ends. A second submit raises.

        An answer off the answer schema raises :class:`AnswerRejected` (the episode goes
        on) while ``answer_retries`` are left; after that it is judged a failure.
        """
        with self._lock:
            self._check_open()
            return self._submit_locked(answer)

    def _submit_locked(self, answer: Any) -> Verdict:
        t0 = time.monotonic()
        self.answer = answer
        schema = self.task.answer_schema
        problem = None
        if schema is not None:
            problem = _schema_problem(answer, jsonschema.Draft202012Validator(schema))
        over = self._over_time()
        if over is not None:
            verdict = over
        elif problem is not None and self.answer_retries_left > 0:
            self.answer_retries_left -= 1
            left = self.answer_retries_left
            self.events.append(
                {
                    "type": "answer_rejected",
                    "t": round(t0 - self.started, 6),
                    "answer": _jsonable(answer),
                    "problem": problem,
                }
            )
            raise AnswerRejected(
                f"answer does not match the answer schema {problem}; fix it and submit again "
                f"({left} more schema-invalid answer{'s' if left != 1 else ''} allowed)",
                left,
            )
        elif problem is not None:
            verdict = Verdict.fail(
                f"answer does not match the answer schema {problem}", answer_schema=True
            )
            self._end_locked(verdict, "submitted")
        else:
            try:
                verdict = self._live_driver().judge(answer, self._budget("verifier_timeout_s"))
            except SandboxError as exc:
                verdict = Verdict.infra(f"sandbox failed while verifying: {exc}")
            self._end_locked(verdict, "submitted")
        self.events.append(
            {
                "type": "submit",
                "t": round(t0 - self.started, 6),
                "duration_s": round(time.monotonic() - t0, 6),
                "answer": _jsonable(answer),
                "verdict": verdict.model_dump(mode="json"),
            }
        )
        return verdict

    def metrics(self) -> dict[str, Any]:
        """Numbers a trainer logs beside the reward.

        The episode's own counts only: the verifier's details stay out, like its reason
        (:mod:`.redact`), since the policy sees them in the submit tool's observation.
        """
        v = self.verdict
        return {
            "reward": 0.0 if v is None else v.reward,
            "passed": bool(v and v.passed),
            "infra_error": bool(v and v.infra_error),
            "steps": self.steps,
            "max_steps": self.max_steps,
            "tool_errors": self.tool_errors,
            "answer_retries_used": self.answer_retries - self.answer_retries_left,
            "duration_s": round(self.elapsed_s, 6),
        }

    def result(self, verdict: Verdict) -> dict[str, Any]:
        """The verdict as the policy may see it (:mod:`.redact`), with ``metrics`` beside it."""
        return {**policy_verdict(verdict).model_dump(mode="json"), "metrics": self.metrics()}

    def end(self, verdict: Verdict, reason: str) -> None:
        """End the episode from outside (e.g. the policy gave up) with ``verdict``."""
        with self._lock:
            if not self.done:
                self._end_locked(verdict, reason)

    def close(self) -> None:
        """Free the sandbox; an open episode ends with reward 0. Closing twice is a no-op."""
        with self._lock:
            if not self.done:
                self._end_locked(Verdict.fail("episode closed before a submit"), "closed")
            self._release()

    # -------------------------------------------------------------- internals

    def _check_open(self) -> None:
        self.last_active = time.monotonic()
        if self.done:
            raise EpisodeOver(f"episode {self.id} is over ({self.end_reason})")

    def _live_driver(self) -> EpisodeDriver:
        if self._driver is None:
            raise EpisodeOver(f"episode {self.id} has no sandbox any more")
        return self._driver

    def _budget(self, name: str) -> float:
        """The runtime's per-call budget ``name``, raised to the driver's floor when it names
        one (a code task's tests take minutes where a general tool takes milliseconds)."""
        floor = getattr(self._driver, name, None)
        own: float = getattr(self.config, name)
        return max(own, float(floor)) if isinstance(floor, int | float) else own

    def _time_left(self) -> float:
        return self.config.max_wall_s - self.elapsed_s

    def _over_time(self) -> Verdict | None:
        """End the episode with reward 0 when its wall time is used up; the verdict or None."""
        if self._time_left() > 0:
            return None
        reason = f"wall-time budget exhausted ({self.config.max_wall_s:g} s)"
        verdict = Verdict.fail(reason, budget="wall_time")
        self._end_locked(verdict, reason)
        return verdict

    def _end_locked(self, verdict: Verdict, reason: str) -> None:
        self.verdict = verdict
        self.end_reason = reason
        self.events.append({"type": "end", "t": round(self.elapsed_s, 6), "reason": reason})
        # The verdict is final: hand the sandbox back and free the slot now, not at close().
        self._release()
        self.runtime._retire(self)

    def _release(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.close()

    def _record_call(self, tool: str, args: Any, obs: Any, t0: float | None = None) -> Any:
        now = time.monotonic()
        start = t0 if t0 is not None else now
        self.events.append(
            {
                "type": "call",
                "step": self.steps,
                "tool": tool,
                "args": _jsonable(args),
                "observation": obs,
                "error": isinstance(obs, dict) and "error" in obs,
                "t": round(start - self.started, 6),
                "duration_s": round(now - start, 6),
            }
        )
        return obs

    def budget(self) -> dict[str, Any]:
        return {
            "max_steps": self.max_steps,
            "steps_used": self.steps,
            "max_wall_s": self.config.max_wall_s,
            "elapsed_s": round(self.elapsed_s, 6),
        }

    def trajectory(self) -> dict[str, Any]:
        """Everything that happened, as JSON-ready data (rollouts store it as a blob)."""
        return {
            "episode_id": self.id,
            "task_id": self.task.id,
            "env_id": self.env.id,
            "family": self.task.family,
            "messages": self.messages,
            "tools": self.tools,
            "events": list(self.events),
            "steps": self.steps,
            "max_steps": self.max_steps,
            "answer": _jsonable(self.answer),
            "verdict": None if self.verdict is None else self.verdict.model_dump(mode="json"),
            "end_reason": self.end_reason,
            "started_at": self.started_at,
            "duration_s": round(self.elapsed_s, 6),
        }

    def __enter__(self) -> Episode:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _schema_problem(value: Any, validator: jsonschema.protocols.Validator) -> str | None:
    """Where and why ``value`` breaks the validator's schema, or None when it fits."""
    err = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if err is None:
        return None
    where = "/".join(str(p) for p in err.absolute_path) or "<root>"
    return f"at {where}: {err.message}"


# --------------------------------------------------------------------------- runtime


class Runtime:
    """Opens episodes on stored tasks over warm runner pools (one pool per image).

    Holds the registry of open episodes: at most ``config.max_episodes`` at once, and
    :meth:`reap_idle` closes the ones nobody touched for ``config.idle_timeout_s`` and the
    ones older than ``config.ttl_s``. Ended episodes move to a bounded registry of closed
    ones (verdict and trajectory readable, close is a no-op) until their ``ttl_s`` is up.
    """

    def __init__(
        self,
        store: Store,
        backend: Backend,
        settings: Settings,
        config: RuntimeConfig | None = None,
        *,
        owns_backend: bool = False,
    ) -> None:
        self.store = store
        self.backend = backend
        self.settings = settings
        self.blobs = store.blobs
        self.config = config or RuntimeConfig.from_settings(settings)
        self._pools: dict[str | None, RunnerPool] = {}
        self._episodes: dict[str, Episode] = {}
        self._closed: OrderedDict[str, Episode] = OrderedDict()
        self._opening = 0
        self._owns_backend = owns_backend
        self._lock = threading.Lock()
        self._states: OrderedDict[str, bytes] = OrderedDict()
        self.reaped = 0

    @classmethod
    def from_settings(
        cls, settings: Settings, store: Store | None = None, **config: Any
    ) -> Runtime:
        """A runtime on the configured store (or ``store``) and backend, which it then owns."""
        from envfoundry.envs.backends import get_backend

        if store is None:
            store = Store.from_settings(settings)
            store.ensure_schema()
        cfg = RuntimeConfig.from_settings(settings, **config)
        return cls(store, get_backend(settings), settings, cfg, owns_backend=True)

    # -------------------------------------------------------------- resources

    def pool_for(self, image: str | None) -> RunnerPool:
        with self._lock:
            pool = self._pools.get(image)
            if pool is None:
                # Every open episode holds a runner: a smaller pool would make open() wait.
                size = self.config.pool_size or max(
                    self.settings.pool_size, self.config.max_episodes
                )
                pool = RunnerPool(
                    self.backend,
                    image,
                    size=size,
                    idle_timeout_s=self.settings.pool_idle_timeout_s,
                    limits=Limits.from_settings(self.settings),
                )
                self._pools[image] = pool
            return pool

    def state_bytes(self, env: EnvironmentSpec) -> bytes | None:
        """The environment's initial state (a small LRU: episodes reuse a few environments)."""
        if not env.state_blob:
            return None
        with self._lock:
            data = self._states.get(env.state_blob)
            if data is not None:
                self._states.move_to_end(env.state_blob)
                return data
        data = self.store.blobs.get_bytes(env.state_blob, f"state of environment {env.id}")
        with self._lock:
            self._states[env.state_blob] = data
            while len(self._states) > 32:
                self._states.popitem(last=False)
        return data

    def pool_stats(self) -> dict[str, dict[str, int]]:
        with self._lock:
            pools = dict(self._pools)
        return {str(image or "default"): pool.stats() for image, pool in pools.items()}

    # -------------------------------------------------------------- episodes

    def open(self, task_id: str, answer_retries: int | None = None) -> Episode:
        """A new episode on ``task_id`` with a fresh sandbox state.

        ``answer_retries`` overrides the configured number of schema-invalid answers the
        episode hands back.

        Raises NotFoundError (unknown task), RuntimeFull, RuntimeAPIError (family or
        verifier not runnable here) or SandboxError (no sandbox could be started).
        """
        task = self.store.get_task(task_id).spec
        env = self.store.get_environment(task.env_id).spec
        try:
            family = families.get(task.family)
        except ConfigError:
            raise RuntimeAPIError(f"family {task.family!r} is not known to this runtime") from None
        with self._lock:
            # Reserve the slot before leasing a sandbox, which may take a while.
            if len(self._episodes) + self._opening >= self.config.max_episodes:
                raise RuntimeFull(self._full_message())
            self._opening += 1
        try:
            try:
                driver = family.episode_driver(self, task, env)
            except VerifierError as exc:
                raise RuntimeAPIError(str(exc)) from None
            budget = task_step_budget(self.store, task.id, self.config.max_steps)
            episode = Episode(self, task, env, driver, budget, answer_retries)
            with self._lock:
                self._episodes[episode.id] = episode
        finally:
            with self._lock:
                self._opening -= 1
        return episode

    def _full_message(self) -> str:
        c = self.config
        return (
            f"{len(self._episodes)} episodes are open, the limit of this runtime "
            f"(max_episodes={c.max_episodes}: `envfoundry runtime serve --max-episodes N` or "
            f"ENVFOUNDRY_RUNTIME_MAX_EPISODES). Close episodes you are done with "
            f"(DELETE /episodes/{{episode_id}}; a submitted episode closes itself); "
            f"unused ones are closed after {c.idle_timeout_s:g} s idle"
        )

    def get(self, episode_id: str) -> Episode:
        """An open episode, or an ended one still remembered (its calls raise EpisodeOver)."""
        with self._lock:
            episode = self._episodes.get(episode_id) or self._closed.get(episode_id)
        if episode is None:
            raise EpisodeNotFound(f"no episode {episode_id!r} (never opened, or long closed)")
        return episode

    @contextlib.contextmanager
    def request(self, episode_id: str) -> Iterator[Episode]:
        """The episode of a request, counted as pending until the request is answered.

        The server enters this when a request arrives, before it waits for a worker
        thread, so an episode whose call is queued behind others is never reaped as idle.
        """
        episode = self.get(episode_id)
        with self._lock:
            episode.pending += 1
            episode.last_active = time.monotonic()
        try:
            yield episode
        finally:
            with self._lock:
                episode.pending -= 1
                episode.last_active = time.monotonic()

    def open_count(self) -> int:
        with self._lock:
            return len(self._episodes)

    def _retire(self, episode: Episode) -> None:
        """Move an ended episode out of the open registry (its slot is free again)."""
        with self._lock:
            self._episodes.pop(episode.id, None)
            if self.config.keep_closed:
                self._closed[episode.id] = episode
                self._closed.move_to_end(episode.id)
                while len(self._closed) > self.config.keep_closed:
                    self._closed.popitem(last=False)

    def reap_idle(self, now: float | None = None) -> list[str]:
        """Close episodes idle past ``idle_timeout_s`` or older than ``ttl_s``; ids closed.

        One in a call right now is left for the next pass. Ended episodes older than
        ``ttl_s`` are forgotten.
        """
        now = time.monotonic() if now is None else now
        cfg = self.config
        idle_cut, ttl_cut = now - cfg.idle_timeout_s, now - cfg.ttl_s
        with self._lock:
            stale = [
                e
                for e in self._episodes.values()
                if (e.last_active < idle_cut and not e.pending) or e.started < ttl_cut
            ]
            for old in [k for k, e in self._closed.items() if e.started < ttl_cut]:
                del self._closed[old]
        reaped = []
        for episode in stale:
            if not episode._lock.acquire(blocking=False):
                continue  # busy in a call right now: not abandoned
            try:
                if not episode.done:
                    if episode.started < ttl_cut:
                        reason = f"closed at its time-to-live ({cfg.ttl_s:g} s)"
                    else:
                        reason = f"reaped after {cfg.idle_timeout_s:g} s idle"
                    episode._end_locked(Verdict.fail(reason, reaped=True), reason)
                episode._release()
            finally:
                episode._lock.release()
            self._retire(episode)
            reaped.append(episode.id)
        with self._lock:
            self.reaped += len(reaped)
            pools = list(self._pools.values())
        for pool in pools:
            pool.evict_idle()
        return reaped

    def close(self) -> None:
        """Close every open episode and every pool (their runners and containers)."""
        with self._lock:
            episodes = list(self._episodes.values())
        for episode in episodes:
            episode.close()
        with self._lock:
            self._closed.clear()
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
        if self._owns_backend:
            self.backend.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
