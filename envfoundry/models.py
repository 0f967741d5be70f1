"""Domain model: frozen, strict pydantic specs shared by every package.

Specs are *data* (serialisable, hashable by content); behaviour lives in the
packages that use them. Every spec's ``id`` is the content hash of its canonical
JSON, so re-running a flow on the same inputs reproduces the same ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any, Literal, Self

import jsonschema
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from envfoundry.errors import SpecError
from envfoundry.ids import canonical_json, content_id

# OpenAI function names: letters, digits, underscores and dashes, at most 64 characters.
TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_META_VALIDATOR = jsonschema.Draft202012Validator


class Family(StrEnum):
    """The built-in families' names (specs hold the name as a string: families register)."""

    general = "general"
    search = "search"
    code = "code"
    interpreter = "interpreter"


FAMILY_NAME_RE = r"^[a-z][a-z0-9_]{0,31}$"


class TaskStatus(StrEnum):
    proposed = "proposed"
    verified = "verified"
    accepted = "accepted"
    rejected = "rejected"


class RejectionCategory(StrEnum):
    infra = "infra"
    verifier_unsound = "verifier_unsound"
    solution_failed = "solution_failed"
    nondeterministic = "nondeterministic"
    static_check = "static_check"
    too_easy = "too_easy"
    too_hard = "too_hard"
    invalid_spec = "invalid_spec"


class AttemptKind(StrEnum):
    reference = "reference"
    control = "control"
    rollout = "rollout"
    play = "play"  # an episode played by hand (`envfoundry play`): kept for replay, never scored


class Spec(BaseModel):
    """Base of all specs: frozen, no unknown fields, id = hash of the content."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    _kind: str = "spec"

    def content(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @cached_property
    def id(self) -> str:
        return content_id(self._kind, self.content())

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update`` the content changed, so its id is computed afresh."""
        copy = super().model_copy(update=update, deep=deep)
        if update:
            copy.__dict__.pop("id", None)
        return copy

    @classmethod
    def parse(cls, data: Any) -> Any:
        """Validate ``data`` into this spec, raising :class:`SpecError` that names the field."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise SpecError(_describe(cls.__name__, exc)) from None


def _describe(name: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "<root>"
        parts.append(f"{loc}: {err['msg']}")
    return f"invalid {name}: " + "; ".join(parts)


def check_json_schema(schema: Any, what: str = "schema") -> None:
    """Raise ``ValueError`` when ``schema`` is not a valid JSON Schema (2020-12)."""
    try:
        key = canonical_json(schema)
    except (TypeError, ValueError):
        raise ValueError(f"{what} is not JSON") from None
    problem = _schema_problem(key)
    if problem is not None:
        raise ValueError(f"{what} {problem}")


@lru_cache(maxsize=4096)
def _schema_problem(schema_json: str) -> str | None:
    # Meta-schema validation costs about a millisecond; specs read back from the store
    # repeat a small set of schemas, so the verdict is cached by canonical JSON.
    try:
        _META_VALIDATOR.check_schema(json.loads(schema_json))
    except jsonschema.SchemaError as exc:
        path = "/".join(str(p) for p in exc.absolute_path) or "<root>"
        return f"is not a valid JSON Schema at {path}: {exc.message}"
    return None


class ToolSpec(Spec):
    """A tool the policy can call: an OpenAI-style function with a JSON-Schema signature."""

    _kind = "tool"
    name: str
    description: str = Field(min_length=1)
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    returns: dict[str, Any] | None = None
    mutates: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not TOOL_NAME_RE.match(v):
            raise ValueError(
                f"tool name {v!r} must match ^[A-Za-z0-9_-]{{1,64}}$ (OpenAI function-name rules)"
            )
        return v

    @field_validator("parameters")
    @classmethod
    def _parameters(cls, v: dict[str, Any]) -> dict[str, Any]:
        check_json_schema(v, "parameters")
        if v.get("type") != "object":
            raise ValueError("parameters must be a JSON Schema with type 'object'")
        return v

    @field_validator("returns")
    @classmethod
    def _returns(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        if v is not None:
            check_json_schema(v, "returns")
        return v

    def openai_schema(self) -> dict[str, Any]:
        """The tool in the OpenAI ``tools`` format."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


class FamilyPayload(BaseModel):
    """A family's own environment data, typed by the family and kept with the spec.

    ``kind`` names the family; ``data`` is validated by that family's payload model (the
    registry's families own their types, so new families need no change here). Large
    parts (a repository tree, a corpus) are blobs named by their sha256 inside ``data``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: str = Field(pattern=FAMILY_NAME_RE)
    data: dict[str, Any] = Field(default_factory=dict)


class EnvironmentSpec(Spec):
    """Where a task runs: image, initial state (a blob hash) and the tools over it.

    ``tools_source`` is a module of runner-hosted tools (the general family's, and any
    family whose tools run in the in-sandbox runner); ``payload`` carries what else a
    family needs (a repository and commit, a corpus, a kernel's files).
    """

    _kind = "env"
    family: str = Field(pattern=FAMILY_NAME_RE)
    category: str = Field(min_length=1)
    name: str = Field(min_length=1)
    version: int = Field(default=1, ge=1)
    image: str | None = None
    state_blob: str | None = Field(default=None, description="sha256 of the initial state blob")
    tools: tuple[ToolSpec, ...] = ()
    tools_source: str | None = None
    parent_env_id: str | None = None
    provenance: dict[str, Any] = Field(default_factory=dict)
    payload: FamilyPayload | None = None

    def content(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if data.get("payload") is None:
            data.pop("payload", None)  # ids of environments without one stay as they were
        return data

    @field_validator("tools")
    @classmethod
    def _unique_tools(cls, v: tuple[ToolSpec, ...]) -> tuple[ToolSpec, ...]:
        names = [t.name for t in v]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"duplicate tool names: {', '.join(dup)}")
        return v


VerifierKind = Literal["function", "exact", "numeric", "set", "normalized", "test_suite"]


class VerifierSpec(Spec):
    """How an answer is judged: a kind, optional source code, and its settings."""

    _kind = "verifier"
    kind: VerifierKind
    source: str | None = None
    config: dict[str, Any] = Field(default_factory=dict)


class TaskSpec(Spec):
    """A task: prompt, answer contract, reference solution and verifier, in an environment."""

    _kind = "task"
    env_id: str = Field(min_length=1)
    family: str = Field(pattern=FAMILY_NAME_RE)
    category: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    answer_schema: dict[str, Any] | None = None
    reference_solution: str | None = None
    reference_answer: Any = None
    verifier: VerifierSpec
    difficulty: int = Field(default=1, ge=1, le=100)
    parent_task_id: str | None = None
    provenance: dict[str, Any] = Field(default_factory=dict)

    @field_validator("answer_schema")
    @classmethod
    def _answer_schema(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        if v is not None:
            check_json_schema(v, "answer_schema")
        return v


class Verdict(Spec):
    """A verifier's judgement. Never an exception for a wrong answer.

    ``infra_error`` keeps "the infrastructure broke" apart from "the answer was wrong":
    such a verdict says nothing about the answer.
    """

    _kind = "verdict"
    passed: bool
    reward: float = Field(ge=0.0, le=1.0)
    reason: str = ""
    infra_error: bool = False
    details: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def ok(cls, reason: str = "passed", **details: Any) -> Verdict:
        return cls(passed=True, reward=1.0, reason=reason, details=details)

    @classmethod
    def fail(cls, reason: str, reward: float = 0.0, **details: Any) -> Verdict:
        return cls(passed=False, reward=reward, reason=reason, details=details)

    @classmethod
    def infra(cls, reason: str, **details: Any) -> Verdict:
        return cls(passed=False, reward=0.0, reason=reason, infra_error=True, details=details)


class Attempt(Spec):
    """One run of an answer against a task's verifier: reference, control or rollout.

    ``label`` makes the attempt unique within its task and kind (``"reference"``,
    ``"control:empty"``, ``"rollout:policy-x:7"``), so storing it twice is a no-op.
    """

    _kind = "attempt"
    task_id: str = Field(min_length=1)
    kind: AttemptKind
    label: str = Field(min_length=1)
    answer: Any = None
    verdict: Verdict
    duration_s: float = Field(default=0.0, ge=0.0)
    trajectory_blob: str | None = None
    run_id: str | None = None

    def content(self) -> dict[str, Any]:
        # Identity is (task, kind, label): timings and run ids do not make a new attempt.
        return {"task_id": self.task_id, "kind": self.kind.value, "label": self.label}
