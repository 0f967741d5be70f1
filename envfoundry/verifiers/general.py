"""Acceptance of general-family tasks: run reference and controls in the sandbox, judge.

A task is accepted only when, in the sandbox runner: its solution passes the static
tool-only check; the reference solution's answer fits the answer schema and passes the
verifier; every negative control fails (empty answer, a perturbed solution's answer, a
well-formed random answer and — for tasks that write — the reference answer without
its writes); and a rerun gives the same answer and verdict.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from envfoundry.envs.client import RunnerSession, VerifierResult
from envfoundry.errors import SandboxError
from envfoundry.generators.general.base import SOLUTION_ALLOWED_IMPORTS
from envfoundry.ids import canonical_json, sha256_hex
from envfoundry.models import (
    Attempt,
    AttemptKind,
    EnvironmentSpec,
    RejectionCategory,
    TaskSpec,
    TaskStatus,
    Verdict,
)
from envfoundry.verifiers.controls import empty_answer, random_answer
from envfoundry.verifiers.static import check_solution


@dataclass(frozen=True)
class CheckLimits:
    solution_timeout_s: float = 20.0
    verifier_timeout_s: float = 10.0
    memory_mb: int = 256


@dataclass
class TaskOutcome:
    """The judgement of one task, with every attempt that led to it."""

    task: TaskSpec
    status: TaskStatus
    rejection: RejectionCategory | None = None
    reason: str = ""
    reference_answer: Any = None
    attempts: list[Attempt] = field(default_factory=list)
    sandbox_s: float = 0.0

    @property
    def accepted(self) -> bool:
        return self.status is TaskStatus.accepted

    @property
    def reference_verdict(self) -> Verdict | None:
        return next((a.verdict for a in self.attempts if a.label == "reference"), None)

    @property
    def control_verdicts(self) -> dict[str, Verdict]:
        return {
            a.label.removeprefix("control:"): a.verdict
            for a in self.attempts
            if a.kind is AttemptKind.control
        }


def verdict_of(result: VerifierResult) -> Verdict:
    """Map a runner verifier result to a Verdict; a crashed verifier is a failure, not infra."""
    if result.status != "ok":
        err = result.error.message if result.error else ""
        return Verdict.fail(
            f"verifier {result.status}: {err}".strip(), verifier_status=result.status
        )
    if result.passed:
        return Verdict.ok(result.reason or "passed")
    return Verdict.fail(result.reason or "failed")


MAX_RECORDED_CALLS = 64
MAX_RECORDED_RESULT = 16_000  # characters of one tool result kept in the reference record


def _call_record(call: Any) -> dict[str, Any]:
    result = call.result
    if len(canonical_json(result)) > MAX_RECORDED_RESULT:
        result = {"truncated": True, "chars": len(canonical_json(result))}
    out: dict[str, Any] = {"name": call.name, "args": call.args, "result": result}
    if call.error is not None:
        out["error"] = f"{call.error.type}: {call.error.message}"
    return out


class _Judge:
    def __init__(
        self,
        session: RunnerSession,
        env: EnvironmentSpec,
        task: TaskSpec,
        limits: CheckLimits,
        run_id: str | None,
    ) -> None:
        self.session = session
        self.env = env
        self.task = task
        self.limits = limits
        self.run_id = run_id
        self.attempts: list[Attempt] = []
        self.sandbox_s = 0.0
        self.last_calls: list[dict[str, Any]] = []

    def _timed(self, fn: Any, *args: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kw)
        finally:
            self.sandbox_s += time.perf_counter() - t0

    def solve(self, source: str) -> tuple[Any, list[str], str | None]:
        """Fresh episode, run ``source``; returns (answer, tool names called, error or None)."""
        self._timed(self.session.reset)
        res = self._timed(
            self.session.run_solution,
            source,
            timeout_s=self.limits.solution_timeout_s,
            memory_mb=self.limits.memory_mb,
        )
        called = [c.name for c in res.tool_calls]
        self.last_calls = [_call_record(c) for c in res.tool_calls[:MAX_RECORDED_CALLS]]
        if res.reason != "ok":
            msg = f"{res.error.type}: {res.error.message}" if res.error else ""
            return None, called, f"solution {res.reason}: {msg}".strip()
        return res.answer, called, None

    def verify(self, answer: Any, *, fresh: bool) -> Verdict:
        if fresh:
            self._timed(self.session.reset)
        src = self.task.verifier.source or ""
        res = self._timed(
            self.session.run_verifier,
            src,
            answer,
            timeout_s=self.limits.verifier_timeout_s,
            memory_mb=self.limits.memory_mb,
        )
        return verdict_of(res)

    def verify_many(self, answers: list[Any]) -> list[Verdict]:
        """Judge ``answers`` on one fresh episode (the verifier only reads the database)."""
        self._timed(self.session.reset)
        results = self._timed(
            self.session.run_verifier_many,
            self.task.verifier.source or "",
            answers,
            timeout_s=self.limits.verifier_timeout_s,
            memory_mb=self.limits.memory_mb,
        )
        return [verdict_of(r) for r in results]

    def record(
        self, kind: AttemptKind, label: str, answer: Any, verdict: Verdict, t0: float
    ) -> None:
        self.attempts.append(
            Attempt(
                task_id=self.task.id,
                kind=kind,
                label=label,
                answer=answer,
                verdict=verdict,
                duration_s=round(time.perf_counter() - t0, 6),
                run_id=self.run_id,
            )
        )

    def outcome(
        self,
        status: TaskStatus,
        rejection: RejectionCategory | None = None,
        reason: str = "",
        answer: Any = None,
    ) -> TaskOutcome:
        return TaskOutcome(
            self.task, status, rejection, reason, answer, self.attempts, self.sandbox_s
        )


def check_task(
    session: RunnerSession,
    env: EnvironmentSpec,
    task: TaskSpec,
    limits: CheckLimits | None = None,
    run_id: str | None = None,
) -> TaskOutcome:
    """Judge one task in ``session``, which must have ``env`` loaded. Never raises for bad code."""
    j = _Judge(session, env, task, limits or CheckLimits(), run_id)
    try:
        return _check(j)
    except SandboxError as exc:
        return j.outcome(TaskStatus.rejected, RejectionCategory.infra, f"sandbox failed: {exc}")


def _check(j: _Judge) -> TaskOutcome:
    task = j.task
    static = check_solution(task.reference_solution or "", SOLUTION_ALLOWED_IMPORTS)
    if not static.ok:
        return j.outcome(TaskStatus.rejected, RejectionCategory.static_check, static.reason)
    if not task.verifier.source:
        return j.outcome(TaskStatus.rejected, RejectionCategory.invalid_spec, "no verifier source")

    # 1. the reference passes
    t0 = time.perf_counter()
    answer, called, err = j.solve(task.reference_solution or "")
    if err is not None:
        j.record(AttemptKind.reference, "reference", None, Verdict.fail(err), t0)
        return j.outcome(TaskStatus.rejected, RejectionCategory.solution_failed, err)
    if task.answer_schema is not None:
        try:
            jsonschema.validate(answer, task.answer_schema)
        except jsonschema.ValidationError as exc:
            reason = f"reference answer breaks the answer schema: {exc.message}"
            j.record(AttemptKind.reference, "reference", answer, Verdict.fail(reason), t0)
            return j.outcome(TaskStatus.rejected, RejectionCategory.solution_failed, reason, answer)
    calls = j.last_calls
    ref = j.verify(answer, fresh=False)
    # the reference's tool calls make a minimal SFT trajectory (see storage.export)
    ref = ref.model_copy(update={"details": {**ref.details, "tool_calls": calls}})
    j.record(AttemptKind.reference, "reference", answer, ref, t0)
    if not ref.passed:
        category = (
            RejectionCategory.verifier_unsound
            if "verifier_status" in ref.details
            else RejectionCategory.solution_failed
        )
        return j.outcome(TaskStatus.rejected, category, f"reference rejected: {ref.reason}", answer)

    # 2. deterministic: the same answer and verdict on a rerun
    t0 = time.perf_counter()
    again, _, err = j.solve(task.reference_solution or "")
    rerun = j.verify(again, fresh=False) if err is None else Verdict.fail(err)
    j.record(AttemptKind.reference, "reference:rerun", again, rerun, t0)
    if canonical_json(again) != canonical_json(answer) or rerun.passed != ref.passed:
        return j.outcome(
            TaskStatus.rejected,
            RejectionCategory.nondeterministic,
            "rerun gave a different answer or verdict",
            answer,
        )

    # 3. negative controls fail
    mutating = {t.name for t in j.env.tools if t.mutates}
    rng = random.Random(sha256_hex(task.id))
    controls: list[tuple[str, Any, bool]] = [  # (label, answer, judged on a fresh db)
        ("empty", empty_answer(task.answer_schema), True),
        ("null", None, True),
        ("random", random_answer(task.answer_schema, rng), True),
    ]
    if mutating & set(called):
        # the right answer without doing the writes must not pass a write task
        controls.append(("answer_only", answer, True))
    unsound: list[str] = []
    # every control here is judged on a fresh episode: one reset, one forked verifier
    t0 = time.perf_counter()
    verdicts = j.verify_many([a for _, a, _ in controls])
    for (label, control_answer, _), verdict in zip(controls, verdicts, strict=True):
        j.record(AttemptKind.control, f"control:{label}", control_answer, verdict, t0)
        if verdict.passed:
            unsound.append(label)
    perturbed = task.verifier.config.get("perturbed_solution")
    if perturbed:
        t0 = time.perf_counter()
        p_answer, _, p_err = j.solve(perturbed)
        verdict = j.verify(p_answer, fresh=False)
        j.record(AttemptKind.control, "control:perturbed", p_answer, verdict, t0)
        if verdict.passed:
            unsound.append("perturbed" + (f" (its solution failed: {p_err})" if p_err else ""))
    if unsound:
        return j.outcome(
            TaskStatus.rejected,
            RejectionCategory.verifier_unsound,
            "verifier accepted control(s): " + ", ".join(unsound),
            answer,
        )
    return j.outcome(
        TaskStatus.accepted, None, "reference passes, controls fail, deterministic", answer
    )


@contextmanager
def loaded_session(backend: Any, env: EnvironmentSpec, db: bytes) -> Iterator[RunnerSession]:
    """A fresh runner session from ``backend`` with ``env`` loaded (closed afterwards)."""
    session = backend.start_runner(purpose="verify")
    try:
        session.load_env(env.tools_source or "", db, name=env.name, env_id=env.id)
        yield session
    finally:
        session.close()


def check_environment_draft(
    draft: Any, backend: Any = "local", limits: CheckLimits | None = None
) -> list[TaskOutcome]:
    """Convert a draft to specs and judge every task (tests and one-off checks)."""
    from envfoundry.config import load_settings
    from envfoundry.generators.general.specs import draft_to_specs

    specs = draft_to_specs(draft)
    owned = isinstance(backend, str)
    if owned:
        from envfoundry.envs.sandbox import get_backend

        backend = get_backend(load_settings(sandbox_backend=backend))
    try:
        outcomes: list[TaskOutcome] = []
        for env in specs.environments:
            tasks = [t for t in specs.tasks if t.env_id == env.id]
            if not tasks:
                continue
            with loaded_session(backend, env, specs.db_bytes) as session:
                outcomes.extend(check_task(session, env, t, limits) for t in tasks)
        order = {t.id: i for i, t in enumerate(specs.tasks)}
        return sorted(outcomes, key=lambda o: order[o.task.id])
    finally:
        if owned:
            backend.close()


_NO_ANSWER = object()


def verify_stored_task(store: Any, backend: Any, task_id: str, answer: Any = _NO_ANSWER) -> Verdict:
    """Judge a stored task: the reference solution's answer, or ``answer`` on a fresh episode.

    A given answer is checked against the pristine database (the episode made no writes),
    so for write tasks only a full episode (see the runtime) can pass.
    """
    from envfoundry.errors import VerifierError

    rec = store.get_task(task_id)
    task = rec.spec
    if task.verifier.kind != "function" or not task.verifier.source:
        raise VerifierError(
            f"task {task_id}: verifier kind {task.verifier.kind!r} is not runnable here"
        )
    env = store.get_environment(task.env_id).spec
    if not env.state_blob:
        raise VerifierError(f"environment {env.id} has no state blob")
    db = store.blobs.get_bytes(env.state_blob)
    limits = CheckLimits()
    try:
        with loaded_session(backend, env, db) as session:
            j = _Judge(session, env, task, limits, None)
            if answer is _NO_ANSWER:
                got, _, err = j.solve(task.reference_solution or "")
                if err is not None:
                    return Verdict.fail(err, answer=None)
                verdict = j.verify(got, fresh=False)
                return verdict.model_copy(update={"details": {**verdict.details, "answer": got}})
            return j.verify(answer, fresh=True)
    except SandboxError as exc:
        return Verdict.infra(f"sandbox failed: {exc}")
