"""Acceptance of general-family tasks: run reference and controls in the sandbox, judge.

A task is accepted only when, in the sandbox runner: its solution passes the static
tool-only check; every list in its answer schema declares whether order matters
(``x-ordered``); the reference solution's answer fits the answer schema and passes the
verifier; a rerun gives the same answer and verdict; every negative control fails (empty,
``null``, a well-formed random answer, a perturbed solution's answer, and the adversarial
controls derived from the reference trajectory, see :mod:`envfoundry.verifiers.adversary`);
and every meaning-preserving variant passes.

Verifiers of the form ``verify(answer, db, before, changes)`` judge the episode's state
diff: the runner hands them the initial state and the net changes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from envfoundry.envs.client import RunnerSession, VerifierResult
from envfoundry.errors import SandboxError
from envfoundry.ids import canonical_json, sha256_hex
from envfoundry.models import EnvironmentSpec, RejectionCategory, TaskSpec, Verdict
from envfoundry.verifiers.acceptance import Control, Solution, TaskOutcome, accept
from envfoundry.verifiers.adversary import VOID, LadderContext, adversarial_controls
from envfoundry.verifiers.controls import empty_answer, random_answer
from envfoundry.verifiers.difficulty import reject_if_shortcut_solves
from envfoundry.verifiers.static import SOLUTION_ALLOWED_IMPORTS, check_solution


@dataclass(frozen=True)
class CheckLimits:
    solution_timeout_s: float = 20.0
    verifier_timeout_s: float = 10.0
    memory_mb: int = 256


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


MAX_RECORDED_RESULT = 16_000  # characters of one tool result kept in the reference record


def _call_record(call: Any) -> dict[str, Any]:
    result = call.result
    if len(canonical_json(result)) > MAX_RECORDED_RESULT:
        result = {"truncated": True, "chars": len(canonical_json(result))}
    out: dict[str, Any] = {"name": call.name, "args": call.args, "result": result}
    if call.error is not None:
        out["error"] = f"{call.error.type}: {call.error.message}"
    return out


class GeneralJudge:
    """The general family's judge over a runner session with the environment loaded.

    Solutions call the environment's tools; ``verify(answer, db)`` reads the episode's
    database after them. Used by acceptance, ``envfoundry verify`` and the runtime.
    """

    # verify_many right after solve(task) judges on the state that solve made (see
    # verify_many): the policy may judge the rerun with the bare controls in one child
    rerun_with_answers = True

    def __init__(
        self,
        session: RunnerSession,
        env: EnvironmentSpec,
        limits: CheckLimits | None = None,
        ladder: LadderContext | None = None,
    ) -> None:
        self.session = session
        self.env = env
        self.limits = limits or CheckLimits()
        self.ladder = ladder or LadderContext()
        self.mutating = {t.name for t in env.tools if t.mutates}
        self.sandbox_s = 0.0
        self._writes: dict[str, bool] = {}  # task id -> whether its reference writes
        self._validators: dict[str, Any] | None = None
        self._at_reference: str | None = None  # the task whose reference made the state

    def _timed(self, fn: Any, *args: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kw)
        finally:
            self.sandbox_s += time.perf_counter() - t0

    def precheck(self, task: TaskSpec) -> tuple[RejectionCategory, str] | None:
        static = check_solution(task.reference_solution or "", SOLUTION_ALLOWED_IMPORTS)
        if not static.ok:
            return RejectionCategory.static_check, static.reason
        if not task.verifier.source:
            return RejectionCategory.invalid_spec, "no verifier source"
        unordered = _lists_without_order(task.answer_schema)
        if unordered:
            where = ", ".join(unordered)
            return RejectionCategory.invalid_spec, (
                f"answer schema list(s) {where} do not declare x-ordered (whether order matters)"
            )
        return None

    def solve(self, task: TaskSpec, source: str | None = None) -> Solution:
        self._at_reference = None
        self._timed(self.session.reset)
        res = self._timed(
            self.session.run_solution,
            task.reference_solution or "" if source is None else source,
            timeout_s=self.limits.solution_timeout_s,
            memory_mb=self.limits.memory_mb,
        )
        called = tuple(c.name for c in res.tool_calls)
        calls = [_call_record(c) for c in res.tool_calls]
        if res.reason != "ok":
            msg = f"{res.error.type}: {res.error.message}" if res.error else ""
            return Solution(None, calls, f"solution {res.reason}: {msg}".strip(), called)
        if source is None:
            self._writes[task.id] = bool(self.mutating & set(called))
            self._at_reference = task.id
            # a policy's calls are checked against the tools' schemas by the runtime: a
            # reference that a policy could not replay is no demonstration
            bad = self._off_schema(res.tool_calls)
            if bad is not None:
                return Solution(res.answer, calls, bad, called)
        return Solution(res.answer, calls, None, called, void=res.answer == VOID)

    def _off_schema(self, tool_calls: list[Any]) -> str | None:
        import jsonschema

        if self._validators is None:
            self._validators = {
                t.name: jsonschema.Draft202012Validator(t.parameters) for t in self.env.tools
            }
        for call in tool_calls:
            validator = self._validators.get(call.name)
            if validator is None:
                return f"the reference calls {call.name!r}, which is not one of the task's tools"
            err = jsonschema.exceptions.best_match(validator.iter_errors(call.args or {}))
            if err is not None:
                return (
                    f"the reference calls {call.name} with arguments its schema rejects: "
                    f"{err.message}"
                )
        return None

    def solve_and_verify(self, task: TaskSpec, source: str) -> tuple[Solution, Verdict]:
        """A control solution run and judged on a fresh state in one sandbox child: the same
        verdict as ``solve`` then ``verify``, at half the forks (code of one author only)."""
        self._at_reference = None
        res, judged = self._timed(
            self.session.run_checked,
            source,
            task.verifier.source or "",
            timeout_s=self.limits.solution_timeout_s + self.limits.verifier_timeout_s,
            memory_mb=self.limits.memory_mb,
        )
        called = tuple(c.name for c in res.tool_calls)
        calls = [_call_record(c) for c in res.tool_calls]
        error = None
        if res.reason != "ok":
            msg = f"{res.error.type}: {res.error.message}" if res.error else ""
            error = f"solution {res.reason}: {msg}".strip()
        solution = Solution(res.answer, calls, error, called, void=res.answer == VOID)
        return solution, verdict_of(judged)

    def verify(self, task: TaskSpec, answer: Any, *, fresh: bool) -> Verdict:
        if fresh:
            self._at_reference = None
            self._timed(self.session.reset)
        res = self._timed(
            self.session.run_verifier,
            task.verifier.source or "",
            answer,
            timeout_s=self.limits.verifier_timeout_s,
            memory_mb=self.limits.memory_mb,
        )
        return verdict_of(res)

    def verify_many(self, task: TaskSpec, answers: list[Any]) -> list[Verdict]:
        """Judge bare answers on the reference's final state: the writes are right there, so
        only the answer decides (the verifier only reads: one episode, one forked verifier)."""
        if self._at_reference == task.id:
            pass  # the session holds the reference's final state already (verifiers only read)
        elif self._writes.get(task.id, True):
            self.solve(task)
        else:
            self._timed(self.session.reset)
        results = self._timed(
            self.session.run_verifier_many,
            task.verifier.source or "",
            answers,
            timeout_s=self.limits.verifier_timeout_s,
            memory_mb=self.limits.memory_mb,
        )
        return [verdict_of(r) for r in results]

    def controls(self, task: TaskSpec, reference: Solution) -> list[Control]:
        rng = random.Random(sha256_hex(task.id))
        out = [
            Control("empty", empty_answer(task.answer_schema)),
            Control("null", None),
            Control("random", random_answer(task.answer_schema, rng)),
        ]
        perturbed = task.verifier.config.get("perturbed_solution")
        if perturbed:
            out.append(Control("perturbed", solution=perturbed))
        out += adversarial_controls(task, reference, self.env.tools, self.ladder)
        self.ladder.remember(task, reference, self.mutating)
        return out


def _lists_without_order(schema: Any, path: str = "answer") -> list[str]:
    """Paths of the arrays in ``schema`` that do not say whether their order matters."""
    out: list[str] = []
    if isinstance(schema, dict):
        if schema.get("type") == "array" and not isinstance(schema.get("x-ordered"), bool):
            out.append(path)
        for key, sub in (schema.get("properties") or {}).items():
            out += _lists_without_order(sub, f"{path}.{key}")
        if isinstance(schema.get("items"), dict):
            out += _lists_without_order(schema["items"], f"{path}[]")
        for key in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(schema.get(key) or []):
                out += _lists_without_order(sub, f"{path}.{key}[{i}]")
    return out


def check_task(
    session: RunnerSession,
    env: EnvironmentSpec,
    task: TaskSpec,
    limits: CheckLimits | None = None,
    run_id: str | None = None,
    ladder: LadderContext | None = None,
) -> TaskOutcome:
    """Judge one task in ``session``, which must have ``env`` loaded. Never raises for bad code.

    ``ladder`` carries what the environment's earlier tasks taught (their answers, their
    writes) into this task's adversarial controls: judge a ladder's levels in order with one.
    """
    return accept(GeneralJudge(session, env, limits, ladder), task, run_id)


def check_ladder(
    session: RunnerSession,
    env: EnvironmentSpec,
    tasks: list[TaskSpec],
    ladder: LadderContext,
    limits: CheckLimits | None = None,
    run_id: str | None = None,
) -> list[TaskOutcome]:
    """Judge ``env``'s tasks of one draft in level order, so each level's controls learn from
    the levels below it (``ladder`` carries that across the draft's environment versions).

    A level >= 2 that a shortcut solver solves is not kept as a harder level: it is
    rejected as ``too_easy``, the shortcut named (see :mod:`envfoundry.verifiers.difficulty`).
    """
    ordered = sorted(tasks, key=lambda t: t.difficulty)
    return [
        reject_if_shortcut_solves(check_task(session, env, t, limits, run_id, ladder))
        for t in ordered
    ]


@contextmanager
def loaded_session(backend: Any, env: EnvironmentSpec, db: bytes) -> Iterator[RunnerSession]:
    """A fresh runner session from ``backend`` with ``env`` loaded (closed afterwards)."""
    session = backend.start_runner(purpose="verify")
    try:
        session.load_env(env.tools_source or "", db, name=env.name, env_id=env.id)
        yield session
    finally:
        session.close()


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
    db = store.blobs.get_bytes(env.state_blob, f"task {task_id}, environment {env.id}")
    try:
        with loaded_session(backend, env, db) as session:
            judge = GeneralJudge(session, env)
            if answer is _NO_ANSWER:
                ref = judge.solve(task)
                if ref.error is not None:
                    return Verdict.fail(ref.error, answer=None)
                verdict = judge.verify(task, ref.answer, fresh=False)
                details = {**verdict.details, "answer": ref.answer}
                return verdict.model_copy(update={"details": details})
            return judge.verify(task, answer, fresh=True)
    except SandboxError as exc:
        return Verdict.infra(f"sandbox failed: {exc}")
