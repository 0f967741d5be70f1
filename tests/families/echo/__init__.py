"""A tiny extra family, written as a user would write a new one: tasks "reverse this word".

It lives only here and plugs in through ``envfoundry.families.register``: nothing else
in the package knows it. Its tool and judge are trusted test code that runs in-process
(a real family runs untrusted code in the sandbox, as the general family does).
"""

from __future__ import annotations

import random
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.families import REFERENCE, Proposal, ToolOutcome, WorkItem
from envfoundry.models import (
    EnvironmentSpec,
    RejectionCategory,
    TaskSpec,
    ToolSpec,
    Verdict,
    VerifierSpec,
)
from envfoundry.verifiers.acceptance import Control, Solution, TaskOutcome, accept

WORDS = ("lantern", "harbor", "quartz", "meadow", "falcon", "ember", "willow", "nimbus")


class EchoConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    words: int = Field(default=3, ge=0)


REVERSE = ToolSpec(
    name="reverse",
    description="Reverse a string.",
    parameters={
        "type": "object",
        "properties": {"text": {"type": "string"}},
        "required": ["text"],
        "additionalProperties": False,
    },
)


class EchoJudge:
    """Judge of a reverse task: the answer must be the reversed word, exactly."""

    sandbox_s = 0.0

    def precheck(self, task: TaskSpec) -> tuple[RejectionCategory, str] | None:
        return None

    def solve(self, task: TaskSpec, source: str | None = None) -> Solution:
        word = task.verifier.config["word"]
        if source == "wrong":
            return Solution(answer=word, called=("reverse",))
        return Solution(answer=word[::-1], calls=[{"name": "reverse", "args": {"text": word}}])

    def verify(self, task: TaskSpec, answer: Any, *, fresh: bool) -> Verdict:
        if answer == task.verifier.config["word"][::-1]:
            return Verdict.ok()
        return Verdict.fail("not the reversed word")

    def verify_many(self, task: TaskSpec, answers: list[Any]) -> list[Verdict]:
        return [self.verify(task, a, fresh=True) for a in answers]

    def controls(self, task: TaskSpec, reference: Solution) -> list[Control]:
        return [Control("empty", ""), Control("unreversed", solution="wrong")]


class EchoWorker:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def propose(self, item: WorkItem) -> Proposal:
        word = random.Random(f"{self.seed}:{item.index}").choice(WORDS)
        env = EnvironmentSpec(
            family="echo", category="echo", name=f"echo-{item.index}", tools=(REVERSE,)
        )
        task = TaskSpec(
            env_id=env.id,
            family="echo",
            category="echo",
            prompt=f"Reverse the word {word!r} and submit it.",
            answer_schema={"type": "string"},
            reference_answer=word[::-1],
            verifier=VerifierSpec(kind="exact", config={"word": word}),
        )
        return Proposal([env], [task])

    def accept(self, proposal: Proposal, run_id: str) -> list[TaskOutcome]:
        return [accept(EchoJudge(), t, run_id) for t in proposal.tasks]

    def discard(self) -> None:
        pass

    def close(self) -> None:
        pass


class EchoDriver:
    def __init__(self, task: TaskSpec) -> None:
        self.task = task

    def call_tool(self, name: str, args: dict[str, Any], timeout_s: float) -> ToolOutcome:
        return ToolOutcome(result=str(args["text"])[::-1])

    def judge(self, answer: Any, timeout_s: float) -> Verdict:
        return EchoJudge().verify(self.task, answer, fresh=False)

    def close(self) -> None:
        pass


class EchoFamily:
    name = "echo"
    description = "reverse a word (a test family)"
    config_model = EchoConfig

    def plan(self, cfg: EchoConfig, seed: int, limit: int | None) -> list[WorkItem]:
        n = cfg.words if limit is None else min(cfg.words, limit)
        return [WorkItem(family=self.name, category="echo", index=i) for i in range(n)]

    def check_config(self, cfg: EchoConfig, settings: Any) -> list[str]:
        return []

    def uses_llm(self, cfg: EchoConfig) -> bool:
        return False

    def warm_up(self, cfg: EchoConfig) -> None:
        pass

    def worker(self, cfg: EchoConfig, seed: int, settings: Any, backend: Any) -> EchoWorker:
        return EchoWorker(seed)

    def episode_driver(self, resources: Any, task: TaskSpec, env: EnvironmentSpec) -> EchoDriver:
        return EchoDriver(task)

    def verify(self, store: Any, backend: Any, task: TaskSpec, answer: Any) -> Verdict:
        judge = EchoJudge()
        if answer is REFERENCE:
            answer = judge.solve(task).answer
        return judge.verify(task, answer, fresh=True)


FAMILY = EchoFamily()
