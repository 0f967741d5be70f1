"""The family-agnostic acceptance policy: a task is accepted only when it is proven checkable.

1. the family's static pre-check passes (e.g. a solution may only call tools);
2. the reference solution runs, its answer fits the answer schema, and the family's
   judge passes it;
3. a rerun of the reference gives the same answer and the same verdict;
4. every control the family derives (wrong answers, wrong solutions) fails, and every
   meaning-preserving variant it derives (``expect_pass``) passes. A judge that says so
   (``rerun_with_answers``) has the rerun's answer and the bare wrong answers judged in one
   verifier run on the rerun's final state (one sandbox child fewer per task).

A family supplies a :class:`Judge` bound to one loaded environment; the same judge
serves acceptance, ``envfoundry verify`` and the runtime's submit, so there is one way
to judge a task. Infrastructure failures are ``SandboxError`` from the judge and become
an ``infra`` outcome (nothing is stored, a rerun retries).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import jsonschema

from envfoundry.errors import SandboxError
from envfoundry.ids import canonical_json
from envfoundry.models import (
    Attempt,
    AttemptKind,
    RejectionCategory,
    TaskSpec,
    TaskStatus,
    Verdict,
)


@dataclass(frozen=True)
class Solution:
    """What running a solution produced: its answer, a record of its calls, or an error."""

    answer: Any = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    called: tuple[str, ...] = ()
    # a control whose attack could not be made here (no other entity, the write refused):
    # it proves nothing either way and is left out
    void: bool = False


@dataclass(frozen=True)
class Control:
    """A wrong answer (judged by ``verify_many``) or a wrong solution (run, then judged).

    With ``expect_pass`` it is a meaning-preserving variant of the reference instead (the
    list in another order where order is free, a wrong write undone first): it must pass.
    """

    label: str
    answer: Any = None
    solution: str | None = None
    expect_pass: bool = False
    # a probe may pass or fail (a shortcut on a task that admits several answers): its
    # verdict is stored for inspection and decides nothing
    probe: bool = False


class Judge(Protocol):
    """A family's judge, bound to one loaded environment."""

    sandbox_s: float

    def precheck(self, task: TaskSpec) -> tuple[RejectionCategory, str] | None:
        """A static reason to reject before running anything, or None."""
        ...

    def solve(self, task: TaskSpec, source: str | None = None) -> Solution:
        """Run ``source`` (default: the reference solution) on a fresh state."""
        ...

    def verify(self, task: TaskSpec, answer: Any, *, fresh: bool) -> Verdict:
        """Judge ``answer`` on the current state, or on a fresh one."""
        ...

    def verify_many(self, task: TaskSpec, answers: list[Any]) -> list[Verdict]:
        """Judge each answer on the state the family judges bare answers on (a fresh one, or
        the reference's final state for tasks that write; families may share one state)."""
        ...

    def controls(self, task: TaskSpec, reference: Solution) -> list[Control]:
        """The wrong answers and solutions that must fail, and the variants that must pass."""
        ...

    # Optional: ``rerun_with_answers = True`` says ``verify_many`` right after a reference
    # ``solve`` judges on the state that solve made, exactly as ``verify(fresh=False)``
    # would; the policy then judges the rerun's answer and the bare controls in one call.


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
    void_controls: list[str] = field(default_factory=list)

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


class _Record:
    def __init__(self, task: TaskSpec, judge: Judge, run_id: str | None) -> None:
        self.task = task
        self.judge = judge
        self.run_id = run_id
        self.attempts: list[Attempt] = []
        self.void: list[str] = []

    def add(self, kind: AttemptKind, label: str, answer: Any, verdict: Verdict, t0: float) -> None:
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
            self.task,
            status,
            rejection,
            reason,
            answer,
            self.attempts,
            self.judge.sandbox_s,
            self.void,
        )


def accept(judge: Judge, task: TaskSpec, run_id: str | None = None) -> TaskOutcome:
    """Judge one task through the acceptance policy. Never raises for bad task code."""
    rec = _Record(task, judge, run_id)
    try:
        return _policy(rec)
    except SandboxError as exc:
        return rec.outcome(TaskStatus.rejected, RejectionCategory.infra, f"sandbox failed: {exc}")


def _policy(rec: _Record) -> TaskOutcome:
    task, judge = rec.task, rec.judge
    rejected = judge.precheck(task)
    if rejected is not None:
        return rec.outcome(TaskStatus.rejected, rejected[0], rejected[1])

    # 1. the reference passes
    t0 = time.perf_counter()
    ref = judge.solve(task)
    if ref.error is not None:
        rec.add(AttemptKind.reference, "reference", None, Verdict.fail(ref.error), t0)
        return rec.outcome(TaskStatus.rejected, RejectionCategory.solution_failed, ref.error)
    answer = ref.answer
    if task.answer_schema is not None:
        try:
            jsonschema.validate(answer, task.answer_schema)
        except jsonschema.ValidationError as exc:
            reason = f"reference answer breaks the answer schema: {exc.message}"
            rec.add(AttemptKind.reference, "reference", answer, Verdict.fail(reason), t0)
            return rec.outcome(
                TaskStatus.rejected, RejectionCategory.solution_failed, reason, answer
            )
    verdict = judge.verify(task, answer, fresh=False)
    # the reference's calls make a minimal demonstration (see the export)
    details = {**verdict.details, "tool_calls": ref.calls, "min_calls": len(ref.calls)}
    verdict = verdict.model_copy(update={"details": details})
    rec.add(AttemptKind.reference, "reference", answer, verdict, t0)
    if not verdict.passed:
        category = (
            RejectionCategory.verifier_unsound
            if "verifier_status" in verdict.details
            else RejectionCategory.solution_failed
        )
        return rec.outcome(
            TaskStatus.rejected, category, f"reference rejected: {verdict.reason}", answer
        )

    # 2. deterministic: the same answer and verdict on a rerun
    t0 = time.perf_counter()
    again = judge.solve(task)
    controls: list[Control] | None = None
    early: list[Verdict] | None = None  # the bare controls' verdicts, judged with the rerun
    early_s = 0.0
    if again.error is not None:
        rerun = Verdict.fail(again.error)
    elif getattr(judge, "rerun_with_answers", False) and canonical_json(
        again.answer
    ) == canonical_json(answer):
        # a judge whose bare answers are judged on the reference's final state (the state
        # the rerun just made) judges the rerun's answer in the same verifier run
        controls = judge.controls(task, ref)
        bare = [c.answer for c in controls if c.solution is None]
        t1 = time.perf_counter()
        verdicts = judge.verify_many(task, [again.answer, *bare])
        rerun, early = verdicts[0], verdicts[1:]
        early_s = (time.perf_counter() - t1) / len(verdicts)
        if "verifier_status" in rerun.details:
            # the verifier crashed or ran out of time on the batch: judge the rerun and the
            # controls each on their own, as a judge without batching does
            rerun, early = judge.verify(task, again.answer, fresh=False), None
    else:
        rerun = judge.verify(task, again.answer, fresh=False)
    rec.add(AttemptKind.reference, "reference:rerun", again.answer, rerun, t0)
    if canonical_json(again.answer) != canonical_json(answer) or rerun.passed != verdict.passed:
        return rec.outcome(
            TaskStatus.rejected,
            RejectionCategory.nondeterministic,
            "rerun gave a different answer or verdict",
            answer,
        )

    # 3. every control fails, every meaning-preserving variant passes
    if controls is None:
        controls = judge.controls(task, ref)
    unsound: list[str] = []
    strict: list[str] = []

    def judged(control: Control, answer: Any, v: Verdict, t0: float) -> None:
        prefix = "probe" if control.probe else ("variant" if control.expect_pass else "control")
        rec.add(AttemptKind.control, f"{prefix}:{control.label}", answer, v, t0)
        if control.probe:
            return
        if control.expect_pass and not v.passed:
            strict.append(control.label)
        elif v.passed and not control.expect_pass:
            unsound.append(control.label)

    answers = [c for c in controls if c.solution is None]
    # a wrong-answer control that happens to be the reference's own answer (a random id
    # that hit, one time in a thousand) is no attack: judged on the reference's final state
    # it must pass. It is recorded as void, not counted against the verifier.
    right = canonical_json(answer)
    for c in answers:
        if not c.expect_pass and not c.probe and canonical_json(c.answer) == right:
            rec.void.append(c.label)
    if early is not None:
        early = [v for c, v in zip(answers, early, strict=True) if c.label not in rec.void]
    answers = [c for c in answers if c.label not in rec.void]
    if answers and early is not None:
        for control, v in zip(answers, early, strict=True):
            judged(control, control.answer, v, time.perf_counter() - early_s)
    elif answers:
        t0 = time.perf_counter()
        verdicts = judge.verify_many(task, [c.answer for c in answers])
        share = (time.perf_counter() - t0) / len(answers)  # one judge call for all of them
        for control, v in zip(answers, verdicts, strict=True):
            judged(control, control.answer, v, time.perf_counter() - share)
    # a judge may run and judge a control in one go (the general judge: one sandbox child)
    checked = getattr(judge, "solve_and_verify", None)
    for control in (c for c in controls if c.solution is not None):
        t0 = time.perf_counter()
        if checked is not None:
            run, v = checked(task, control.solution)
        else:
            run = judge.solve(task, control.solution)
            v = judge.verify(task, run.answer, fresh=False) if not run.void else Verdict.fail("")
        if run.void:
            rec.void.append(control.label)
            continue
        judged(control, run.answer, v, t0)
        if run.error and unsound and unsound[-1] == control.label:
            unsound[-1] += f" (its solution failed: {run.error})"
    if unsound:
        return rec.outcome(
            TaskStatus.rejected,
            RejectionCategory.verifier_unsound,
            "verifier accepted control(s): " + ", ".join(unsound),
            answer,
        )
    if strict:
        return rec.outcome(
            TaskStatus.rejected,
            RejectionCategory.verifier_unsound,
            "verifier rejected meaning-preserving variant(s): " + ", ".join(strict),
            answer,
        )
    return rec.outcome(
        TaskStatus.accepted, None, "reference passes, controls fail, deterministic", answer
    )
