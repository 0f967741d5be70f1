"""Policy rollouts: run an LLM agent k times per task through the runtime, store, filter by pass@k.

Each rollout is one runtime episode driven by the tool-calling agent loop; the episode's
tools plus a ``submit`` tool are the agent's :class:`ToolExecutor`. The trajectory (agent
transcript and episode events) goes to the blob store; the reward becomes an
``Attempt(kind=rollout, label="rollout:{model}:{i}")``. Indices continue after the rollouts
already stored for that model, so running again adds samples. pass@k is computed over all
stored rollouts of the model (infrastructure failures excluded, they say nothing about the
task); the band from :mod:`envfoundry.verifiers.passk` then keeps or rejects accepted tasks.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.errors import ConfigError
from envfoundry.models import Attempt, AttemptKind, TaskStatus, ToolSpec, Verdict
from envfoundry.runtime.episodes import (
    AnswerRejected,
    Episode,
    EpisodeOver,
    Runtime,
    submit_tool,
)
from envfoundry.verifiers.difficulty import with_rollouts
from envfoundry.verifiers.passk import BandDecision, PassBand

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.generators.llm import LLMClient

_JSON_BLOCK = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class RolloutConfig(BaseModel):
    """How many rollouts, how to sample them, and the band to apply afterwards."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    k: int = Field(default=8, ge=1, description="rollouts per task in this run")
    concurrency: int = Field(default=4, ge=1, description="episodes in flight at once")
    temperature: float | None = 1.0
    max_tokens: int | None = Field(default=None, ge=1)
    max_model_calls: int = Field(default=40, ge=1, description="agent steps per rollout")
    band: PassBand = PassBand()
    apply_band: bool = True


class EpisodeTools:
    """The agent's :class:`ToolExecutor` over one episode: its tools plus ``submit``."""

    def __init__(self, episode: Episode) -> None:
        self.episode = episode

    def specs(self) -> list[ToolSpec]:
        ep = self.episode
        return [*ep.env.tools, submit_tool(ep.task, ep.submit_name)]

    def call(self, name: str, args: dict[str, Any]) -> str | dict[str, Any]:
        try:
            obs = self.episode.call(name, args)
        except EpisodeOver as exc:
            return {"error": f"{exc}; reply with a short final message and no tool calls"}
        return obs if isinstance(obs, dict) else {"result": obs}


@dataclass(frozen=True)
class RolloutResult:
    index: int
    label: str
    verdict: Verdict
    answer: Any
    trajectory_blob: str
    duration_s: float
    stop_reason: str


@dataclass
class TaskRollouts:
    """One task's rollouts in this run, and the band's decision over all stored ones."""

    task_id: str
    model: str
    results: list[RolloutResult] = field(default_factory=list)
    decision: BandDecision | None = None
    status_before: str = ""
    status_after: str = ""
    note: str = ""

    def summary(self) -> dict[str, Any]:
        d = self.decision
        return {
            "task_id": self.task_id,
            "model": self.model,
            "rollouts": len(self.results),
            "passed": sum(r.verdict.passed for r in self.results),
            "infra_errors": sum(r.verdict.infra_error for r in self.results),
            "n": d.n if d else 0,
            "c": d.c if d else 0,
            "k": d.k if d else None,
            "pass_at_k": d.pass_at_k if d else None,
            "pass_rate": d.pass_rate if d else None,
            "difficulty": d.difficulty if d else None,
            "keep": d.keep if d else None,
            "reason": d.reason if d else self.note,
            "status_before": self.status_before,
            "status_after": self.status_after,
        }


def policy_client(
    settings: Settings,
    model: str | None = None,
    base_url: str | None = None,
    store: Any = None,
    run_id: str | None = None,
) -> LLMClient:
    """An LLM client for the ``policy`` role; never replays cached replies (samples differ)."""
    from envfoundry.generators.llm import LLMClient, StoreRecorder
    from envfoundry.generators.llm.client import shared_limits

    ep = settings.llm_for("policy")
    url, name = base_url or ep.base_url, model or ep.model
    if not url or not name:
        raise ConfigError(
            "rollouts need a policy model: set ENVFOUNDRY_LLM_BASE_URL and ENVFOUNDRY_LLM_MODEL "
            "(or llm_roles.policy), or pass --base-url/--model"
        )
    return LLMClient(
        url,
        name,
        api_key=ep.api_key,
        role="policy",
        run_id=run_id,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        limits=shared_limits(url, settings.llm_concurrency),
        cache=False,
        recorder=StoreRecorder(store, run_id=run_id) if store is not None else None,
    )


def parse_answer(text: str | None) -> Any:
    """A JSON answer from a final message (whole text, or a fenced block); ValueError if none."""
    if not text or not text.strip():
        raise ValueError("empty final message")
    candidates = [text.strip(), *(m.strip() for m in _JSON_BLOCK.findall(text))]
    for cand in candidates:
        try:
            return json.loads(cand)
        except ValueError:
            continue
    raise ValueError("final message is not JSON")


def rollout_once(
    runtime: Runtime,
    client: LLMClient,
    task_id: str,
    index: int,
    cfg: RolloutConfig,
    run_id: str | None = None,
) -> RolloutResult:
    """One episode driven by the agent; the trajectory goes to the blob store."""
    from envfoundry.generators.llm import Agent, AgentConfig

    t0 = time.monotonic()
    label = f"rollout:{client.model}:{index}"
    with runtime.open(task_id) as episode:
        agent = Agent(
            client,
            EpisodeTools(episode),
            AgentConfig(
                # a task whose reference needs many calls has a larger budget: honour it
                max_steps=max(cfg.max_model_calls, episode.max_steps + 1),
                temperature=cfg.temperature,
                max_tokens=cfg.max_tokens,
            ),
        )
        traj = agent.run(episode.task.prompt, system=episode.messages[0]["content"])
        if not episode.done:
            if traj.stop_reason == "error":
                # The policy endpoint failed before an answer: infrastructure, not the task.
                episode.end(Verdict.infra(f"policy failed: {traj.error}"), "policy_error")
            else:
                try:
                    answer = parse_answer(traj.final_answer)
                except ValueError as exc:
                    reason = f"no answer submitted ({traj.stop_reason}: {exc})"
                    episode.end(Verdict.fail(reason), "no_submit")
                else:
                    try:
                        episode.submit(answer)
                    except AnswerRejected as exc:
                        # the agent has finished: nobody is left to take the retry
                        episode.end(Verdict.fail(str(exc)), "submitted")
        record = {
            "kind": "rollout",
            "label": label,
            "model": client.model,
            "index": index,
            "run_id": run_id,
            "agent": traj.model_dump(mode="json"),
            "episode": episode.trajectory(),
        }
        verdict = episode.verdict or Verdict.fail("episode ended without a verdict")
        answer = episode.answer
    blob = runtime.store.blobs.put_bytes(json.dumps(record, sort_keys=True, default=str).encode())
    details = {**verdict.details, "rollout": index, "stop_reason": traj.stop_reason}
    return RolloutResult(
        index=index,
        label=label,
        verdict=verdict.model_copy(update={"details": details}),
        answer=answer,
        trajectory_blob=blob,
        duration_s=round(time.monotonic() - t0, 6),
        stop_reason=traj.stop_reason,
    )


def _stored_rollouts(runtime: Runtime, task_id: str, model: str) -> list[Attempt]:
    prefix = f"rollout:{model}:"
    return [
        a
        for a in runtime.store.list_attempts(task_id)
        if a.kind is AttemptKind.rollout and a.label.startswith(prefix)
    ]


def _next_index(attempts: list[Attempt]) -> int:
    indices = [
        int(a.label.rsplit(":", 1)[1]) for a in attempts if a.label.rsplit(":", 1)[1].isdigit()
    ]
    return max(indices, default=-1) + 1


RolloutJob = tuple[str, int]  # (task id, rollout index)


def plan_rollouts(
    runtime: Runtime, client: LLMClient, task_ids: list[str], cfg: RolloutConfig
) -> tuple[dict[str, TaskRollouts], list[RolloutJob]]:
    """Empty reports and the jobs: ``cfg.k`` new rollouts per task, numbered after stored ones."""
    for task_id in task_ids:
        runtime.store.get_task(task_id)  # unknown ids fail before any rollout runs
    reports = {t: TaskRollouts(task_id=t, model=client.model) for t in task_ids}
    jobs: list[RolloutJob] = []
    for task_id in task_ids:
        start = _next_index(_stored_rollouts(runtime, task_id, client.model))
        jobs.extend((task_id, start + i) for i in range(cfg.k))
    return reports, jobs


def run_job(
    runtime: Runtime,
    client: LLMClient,
    job: RolloutJob,
    cfg: RolloutConfig,
    run_id: str | None = None,
) -> RolloutResult:
    """One rollout, stored as an attempt (with its trajectory blob)."""
    task_id, index = job
    res = rollout_once(runtime, client, task_id, index, cfg, run_id)
    runtime.store.put_attempts(
        [
            Attempt(
                task_id=task_id,
                kind=AttemptKind.rollout,
                label=res.label,
                answer=res.answer,
                verdict=res.verdict,
                duration_s=res.duration_s,
                trajectory_blob=res.trajectory_blob,
                run_id=run_id,
            )
        ]
    )
    return res


def finish_rollouts(
    runtime: Runtime, reports: dict[str, TaskRollouts], cfg: RolloutConfig
) -> list[TaskRollouts]:
    """pass@k, pass rate and the acceptance band per task, from every stored rollout."""
    for report in reports.values():
        report.results.sort(key=lambda r: r.index)
        _judge(runtime, report, cfg)
    return list(reports.values())


def run_rollouts(
    runtime: Runtime,
    client: LLMClient,
    task_ids: list[str],
    cfg: RolloutConfig | None = None,
    run_id: str | None = None,
    on_result: Callable[[str, RolloutResult], None] | None = None,
) -> list[TaskRollouts]:
    """``cfg.k`` rollouts per task, one after another, stored; then pass@k and the band.

    Concurrent rollouts are a Prefect flow (``flows/rollouts.py``, used by
    ``envfoundry runtime rollout``) over the same three steps.
    """
    cfg = cfg or RolloutConfig()
    reports, jobs = plan_rollouts(runtime, client, task_ids, cfg)
    for job in jobs:
        res = run_job(runtime, client, job, cfg, run_id)
        reports[job[0]].results.append(res)
        if on_result is not None:
            on_result(job[0], res)
    return finish_rollouts(runtime, reports, cfg)


def _judge(runtime: Runtime, report: TaskRollouts, cfg: RolloutConfig) -> None:
    store = runtime.store
    rec = store.get_task(report.task_id)
    report.status_before = report.status_after = rec.status.value
    counted = [
        a
        for a in _stored_rollouts(runtime, report.task_id, report.model)
        if not a.verdict.infra_error
    ]
    if not counted:
        report.note = "every rollout hit an infrastructure error: no pass rate"
        return
    n, c = len(counted), sum(a.verdict.passed for a in counted)
    decision = cfg.band.decide(n, c)
    report.decision = decision
    if rec.status is TaskStatus.rejected:
        report.note = "task already rejected: status and pass rate left as they are"
        return
    # the measured pass rate relabels the task's difficulty (envfoundry.verifiers.difficulty)
    store.set_task_signals(
        report.task_id,
        with_rollouts(rec.signals, decision.pass_rate, decision.pass_at_k, decision.k),
    )
    if cfg.apply_band and rec.status is TaskStatus.accepted and not decision.keep:
        store.set_task_status(
            report.task_id,
            TaskStatus.rejected,
            decision.rejection,
            decision.reason,
            pass_rate=decision.pass_rate,
        )
        report.status_after = TaskStatus.rejected.value
    else:
        store.set_task_status(report.task_id, rec.status, pass_rate=decision.pass_rate)
