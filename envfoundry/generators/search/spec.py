"""The search family's task data: the question, its plan, evidence, answer and controls.

A :class:`SearchTask` is everything a stored task needs (frozen, ``extra="forbid"``, its
``id`` the hash of its content). A :class:`Rejection` is a dropped proposal with the
stage and reason that dropped it: data, not an exception.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.generators.search.schema import ConstraintKind, Language
from envfoundry.models import Spec
from envfoundry.verifiers.answers import AnswerKey

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Constraint(BaseModel):
    """One fact that narrows the anchor: a related entity, a value, a range or a prefix.

    ``value`` is an entity id for ``rel``, the stated value for ``eq`` and the prefix for
    ``prefix``; ``low <= x < high`` for ``range``. ``stated`` is the value as the question
    words it (an entity's name for ``rel``).
    """

    model_config = _FROZEN
    kind: ConstraintKind
    key: str
    value: str | None = None
    low: float | None = None
    high: float | None = None
    stated: str = ""


class QuestionPlan(BaseModel):
    """The question as structure: anchor type and constraints, hops, and what is asked."""

    model_config = _FROZEN
    anchor_type: str
    constraints: tuple[Constraint, ...] = Field(min_length=1)
    hops: tuple[str, ...] = Field(min_length=1, description="functional relations, in order")
    answer_key: str = Field(description="'name' or an attribute of the last entity")

    @property
    def depth(self) -> int:
        return len(self.hops)

    @property
    def breadth(self) -> int:
        return len(self.constraints)


class EvidenceStep(BaseModel):
    """A page of the evidence chain and the lines on it that the step relies on."""

    model_config = _FROZEN
    page_id: str
    title: str
    facts: tuple[str, ...]


class CandidateOutcome(BaseModel):
    """A shortcut answerer's answer and why it was judged wrong (or that it had none)."""

    model_config = _FROZEN
    strategy: str
    answer: str | None
    reason: str


class SearchTask(Spec):
    """An accepted search task: a verified, unique answer that every shortcut misses.

    ``plan`` is the procedural driver's structure of the question; the LLM driver writes
    free text and has none (its constraints are kept in the task's provenance).
    """

    _kind = "search_task"
    question: str = Field(min_length=1)
    language: Language
    answer: AnswerKey
    plan: QuestionPlan | None
    evidence: tuple[EvidenceStep, ...] = Field(min_length=2)
    candidates: tuple[CandidateOutcome, ...]
    depth: int = Field(ge=1, le=4)
    breadth: int = Field(ge=1)
    corpus_id: str
    corpus_hash: str
    seed: int
    index: int = Field(ge=0)


RejectionStage = Literal["construct", "unique", "verify", "candidates"]


class Rejection(BaseModel):
    """A dropped proposal: the funnel stage that dropped it, why, and the particulars.

    A proposal dropped once its question was drafted keeps the draft (``question``,
    ``language``, ``answer``, ``plan``), so it can be stored and inspected as a rejected
    task; one dropped earlier (no chain, too few facts) has none.
    """

    model_config = _FROZEN
    seed: int
    index: int
    stage: RejectionStage
    reason: str
    details: dict[str, Any] = Field(default_factory=dict)
    question: str | None = None
    language: Language | None = None
    answer: AnswerKey | None = None
    plan: QuestionPlan | None = None
