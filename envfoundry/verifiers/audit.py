"""The adversarial audit of stored general-family tasks: the whole battery, judged again.

For every selected task, in a fresh sandbox: the reference, every adversarial control
(which must fail) and every meaning-preserving variant (which must pass), exactly as
acceptance derives them from the reference trajectory (:mod:`envfoundry.verifiers.adversary`),
with the ladder's earlier levels (parent tasks) feeding the later ones. Counts come by
category and attack kind; a wrong control that passes or a variant that fails is listed
with its reason. Nothing is written to the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from envfoundry.errors import SandboxError
from envfoundry.models import AttemptKind, TaskSpec
from envfoundry.verifiers.acceptance import Solution, TaskOutcome, accept
from envfoundry.verifiers.adversary import LadderContext, attack_kind
from envfoundry.verifiers.general import GeneralJudge, loaded_session


@dataclass
class KindCount:
    controls: int = 0
    wrong_accepted: int = 0
    variants: int = 0
    variants_rejected: int = 0
    void: int = 0
    probes: int = 0
    probes_passed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class AuditReport:
    tasks: int = 0
    environments: int = 0
    still_accepted: int = 0
    seconds: float = 0.0
    counts: dict[str, dict[str, KindCount]] = field(default_factory=dict)  # category -> kind
    findings: list[dict[str, Any]] = field(default_factory=list)
    not_accepted: list[dict[str, Any]] = field(default_factory=list)

    @property
    def wrong_accepted(self) -> int:
        return sum(k.wrong_accepted for c in self.counts.values() for k in c.values())

    @property
    def variants_rejected(self) -> int:
        return sum(k.variants_rejected for c in self.counts.values() for k in c.values())

    @property
    def controls(self) -> int:
        return sum(k.controls for c in self.counts.values() for k in c.values())

    @property
    def variants(self) -> int:
        return sum(k.variants for c in self.counts.values() for k in c.values())

    @property
    def sound(self) -> bool:
        return not self.wrong_accepted and not self.variants_rejected and not self.not_accepted

    def by_kind(self) -> dict[str, KindCount]:
        out: dict[str, KindCount] = {}
        for kinds in self.counts.values():
            for kind, n in kinds.items():
                total = out.setdefault(kind, KindCount())
                for key, value in n.as_dict().items():
                    setattr(total, key, getattr(total, key) + value)
        return dict(sorted(out.items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "environments": self.environments,
            "still_accepted": self.still_accepted,
            "controls": self.controls,
            "controls_per_task": round(self.controls / self.tasks, 2) if self.tasks else 0.0,
            "wrong_controls_accepted": self.wrong_accepted,
            "variants": self.variants,
            "variants_rejected": self.variants_rejected,
            "sound": self.sound,
            "seconds": round(self.seconds, 2),
            "by_kind": {k: v.as_dict() for k, v in self.by_kind().items()},
            "by_category": {
                cat: {k: v.as_dict() for k, v in sorted(kinds.items())}
                for cat, kinds in sorted(self.counts.items())
            },
            "findings": self.findings,
            "not_accepted": self.not_accepted,
        }

    def add(self, outcome: TaskOutcome) -> None:
        task = outcome.task
        kinds = self.counts.setdefault(task.category, {})
        self.tasks += 1
        if outcome.accepted:
            self.still_accepted += 1
        elif outcome.reference_verdict is None or not outcome.reference_verdict.passed:
            self.not_accepted.append(
                {"task_id": task.id, "category": task.category, "reason": outcome.reason}
            )
        for a in outcome.attempts:
            if a.kind is not AttemptKind.control:
                continue
            side, _, label = a.label.partition(":")
            n = kinds.setdefault(attack_kind(label), KindCount())
            if side == "probe":  # decides nothing: counted, and its passes are alternatives
                n.probes += 1
                n.probes_passed += int(a.verdict.passed)
                continue
            variant = side == "variant"
            if variant:
                n.variants += 1
            else:
                n.controls += 1
            if a.verdict.passed is not variant:
                if variant:
                    n.variants_rejected += 1
                else:
                    n.wrong_accepted += 1
                self.findings.append(
                    {
                        "task_id": task.id,
                        "category": task.category,
                        "level": task.difficulty,
                        "attack": a.label,
                        "answer": a.answer,
                        "reason": a.verdict.reason,
                    }
                )
        for label in outcome.void_controls:
            kinds.setdefault(attack_kind(label), KindCount()).void += 1


_Reference = tuple[TaskSpec, Solution | None]


def _ladder(
    store: Any, task: TaskSpec, mutating: set[str], known: dict[str, _Reference | None]
) -> LadderContext:
    """What acceptance knew when it judged ``task``: its ladder's earlier levels. ``known``
    keeps each task's spec and passing reference, so a ladder is read from the store once."""

    def reference(task_id: str) -> _Reference | None:
        if task_id not in known:
            try:
                spec = store.get_task(task_id).spec
            except Exception:  # a parent outside the store: the ladder starts below it
                known[task_id] = None
            else:
                ref = next(
                    (a for a in store.list_attempts(task_id) if a.label == "reference"), None
                )
                solution = None
                if ref is not None and ref.verdict.passed:
                    calls = list(ref.verdict.details.get("tool_calls") or [])
                    solution = Solution(ref.answer, calls)
                known[task_id] = (spec, solution)
        return known[task_id]

    chain: list[_Reference] = []
    parent = task.parent_task_id
    while parent and (found := reference(parent)) is not None:
        chain.append(found)
        parent = found[0].parent_task_id
    ctx = LadderContext()
    for spec, solution in reversed(chain):
        if solution is not None:
            ctx.remember(spec, solution, mutating)
    return ctx


def audit_tasks(
    store: Any,
    backend: Any,
    tasks: Iterable[TaskSpec],
    *,
    workers: int = 2,
    progress: Callable[[TaskOutcome], None] | None = None,
) -> AuditReport:
    """Judge ``tasks`` (general family) again with the full adversarial battery."""
    t0 = time.perf_counter()
    report = AuditReport()
    groups: dict[str, list[TaskSpec]] = {}
    for task in tasks:
        groups.setdefault(task.env_id, []).append(task)
    report.environments = len(groups)
    lock = threading.Lock()
    known: dict[str, _Reference | None] = {}

    def one_env(env_id: str) -> None:
        with lock:
            env = store.get_environment(env_id).spec
            db = (
                store.blobs.get_bytes(env.state_blob, f"state of environment {env.id}")
                if env.state_blob
                else b""
            )
        mutating = {t.name for t in env.tools if t.mutates}
        with loaded_session(backend, env, db) as session:
            for task in sorted(groups[env_id], key=lambda t: t.difficulty):
                with lock:
                    ladder = _ladder(store, task, mutating, known)
                try:
                    outcome = accept(GeneralJudge(session, env, ladder=ladder), task)
                except SandboxError as exc:  # accept() turns these into infra outcomes
                    raise RuntimeError(f"sandbox failed on {task.id}: {exc}") from exc
                with lock:
                    report.add(outcome)
                    if progress is not None:
                        progress(outcome)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in [pool.submit(one_env, env_id) for env_id in sorted(groups)]:
            future.result()
    report.seconds = time.perf_counter() - t0
    return report
