"""Task families: the seam every family plugs into, and the explicit registry of families.

A family is one object that says, for its kind of task: its typed config, how a run
plans work items, how a batch proposes and accepts them (its judge runs inside the
shared acceptance policy in ``verifiers.acceptance``), how an episode runs its tools and
judges a submit, how ``envfoundry verify`` judges a stored task, and how the CLI and the
export describe it. Flows, the runtime, the CLI and the export know families only
through this module.

Adding a family: its subpackages (``generators/<name>/``, ``verifiers/…``, ``envs/…``),
a ``families/<name>.py`` wiring them, and one line in :data:`BUILTIN`. Tests and plugins
add one with :func:`register` (explicit; nothing registers itself by being imported).
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from envfoundry.config import Settings
from envfoundry.errors import ConfigError
from envfoundry.models import EnvironmentSpec, TaskSpec, Verdict
from envfoundry.verifiers.acceptance import TaskOutcome

# name -> "module:attribute" of its Family object, imported on first use.
BUILTIN: dict[str, str] = {
    "general": "envfoundry.families.general:FAMILY",
    "code": "envfoundry.families.code:FAMILY",
    "search": "envfoundry.families.search:FAMILY",
    "interpreter": "envfoundry.families.interpreter:FAMILY",
}


class WorkItem(BaseModel):
    """One unit of a family's work: usually one environment (and its task ladder)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    family: str = "general"
    category: str
    index: int
    params: dict[str, Any] = {}


@dataclass
class Proposal:
    """What a family proposed for one work item, before judging."""

    environments: list[EnvironmentSpec]
    tasks: list[TaskSpec]
    blobs: list[bytes] = field(default_factory=list)  # content-addressed, stored first


@dataclass(frozen=True)
class ToolOutcome:
    """What an episode's tool call did: a JSON result, or an error message for the policy."""

    result: Any = None
    error: str | None = None


class EpisodeDriver(Protocol):
    """The family-specific half of an episode, bound to one leased sandbox."""

    def call_tool(self, name: str, args: dict[str, Any], timeout_s: float) -> ToolOutcome:
        """Run one tool; raise SandboxError only when the infrastructure broke."""
        ...

    def judge(self, answer: Any, timeout_s: float) -> Verdict:
        """The task's verdict on ``answer`` and the episode's current state."""
        ...

    def close(self) -> None:
        """Give the sandbox back (to its pool); safe to call twice."""
        ...


class EpisodeResources(Protocol):
    """What the runtime lends a family's episode driver (the runtime implements it).

    ``backend`` and ``settings`` serve families whose episodes start their own sandboxes
    (the code family's checkout in its repository image) rather than leasing a runner.
    """

    config: Any
    backend: Any
    settings: Any
    blobs: Any  # the store's BlobStore (e.g. for build logs)

    def pool_for(self, image: str | None) -> Any: ...

    def state_bytes(self, env: EnvironmentSpec) -> bytes | None: ...


class FamilyWorker(Protocol):
    """A family's proposer and judge for one batch (holds its sandbox session)."""

    def propose(self, item: WorkItem) -> Proposal:
        """Raise GenerationError (or ValueError) for an item that cannot be proposed."""
        ...

    def accept(self, proposal: Proposal, run_id: str) -> list[TaskOutcome]:
        """Judge every task; raise SandboxError / EnvfoundryError when infrastructure broke."""
        ...

    def discard(self) -> None:
        """Drop the sandbox session (after an infrastructure failure)."""
        ...

    def close(self) -> None: ...


class Family(Protocol):
    name: str
    description: str
    config_model: type[BaseModel]

    def plan(self, cfg: Any, seed: int, limit: int | None) -> list[WorkItem]: ...

    def check_config(self, cfg: Any, settings: Settings) -> list[str]:
        """Problems found before orchestration (empty when the config is usable)."""
        ...

    def uses_llm(self, cfg: Any) -> bool: ...

    def warm_up(self, cfg: Any) -> None:
        """Import and load, in the calling thread, what batch threads will use."""
        ...

    def worker(self, cfg: Any, seed: int, settings: Settings, backend: Any) -> FamilyWorker: ...

    def episode_driver(
        self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec
    ) -> EpisodeDriver: ...

    def verify(self, store: Any, backend: Any, task: TaskSpec, answer: Any) -> Verdict:
        """Judge a stored task: its reference (``answer`` is :data:`REFERENCE`) or ``answer``."""
        ...


REFERENCE: Any = object()  # "judge the reference solution", for Family.verify

_registry: dict[str, Family] = {}
_extra: dict[str, Family] = {}
_lock = threading.Lock()


def register(family: Family) -> None:
    """Add a family at run time (tests, plugins). Its name must be new."""
    with _lock:
        if family.name in BUILTIN or family.name in _extra:
            raise ConfigError(f"family {family.name!r} is registered already")
        _extra[family.name] = family


def unregister(name: str) -> None:
    with _lock:
        _extra.pop(name, None)


def names() -> list[str]:
    return [*BUILTIN, *_extra]


def get(name: str) -> Family:
    """The family called ``name``; ConfigError naming the known ones otherwise."""
    with _lock:
        if name in _extra:
            return _extra[name]
        family = _registry.get(name)
    if family is not None:
        return family
    target = BUILTIN.get(name)
    if target is None:
        raise ConfigError(f"unknown family {name!r} (available: {', '.join(names())})")
    module, attr = target.split(":")
    family = getattr(importlib.import_module(module), attr)
    with _lock:
        _registry[name] = family
    return family
