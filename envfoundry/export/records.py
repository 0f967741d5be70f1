"""Training records: one self-contained JSON object per exported task.

A record carries everything a trainer needs without the store: prompt messages, the
environment's tools in OpenAI function format, the answer schema, a reference to the
verifier and how to reach it through the runtime's HTTP API, provenance, and pass-rate
statistics. Environment payloads (the SQLite state blob, the tools source) are named by
content hash; ``--with-environments`` copies them next to the dataset.

Lookups are batched per page of tasks (one aggregate query for rollout counts, one for
reference attempts) and environments are cached, so export cost does not grow with the
number of attempts per task.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select

from envfoundry.errors import NotFoundError
from envfoundry.export.filters import StoredTask
from envfoundry.ids import content_id, sha256_hex
from envfoundry.models import Attempt, AttemptKind, EnvironmentSpec, Verdict
from envfoundry.runtime.prompt import DEFAULT_MAX_STEPS, episode_view
from envfoundry.storage.schema import AttemptRow
from envfoundry.storage.store import Store

# The runtime HTTP server (built separately) opens an episode for a task and judges the
# answer submitted to it; records name these routes so a trainer needs nothing else.
RUNTIME_ROUTES = {
    "open": "POST /episodes {task_id}",
    "submit": "POST /episodes/{id}/submit",
}
# Verifier kinds whose reward a trainer can compute locally from the ground truth.
RULE_KINDS = frozenset({"exact", "numeric", "set", "normalized"})
# Verifier kinds judged by running a test suite in the task's environment: the record
# carries the suite (FAIL_TO_PASS, PASS_TO_PASS, the test patch) and the reference
# solution (the gold patch), as SWE-bench-style datasets do; the reward itself needs the
# environment, so it comes from the runtime.
SUITE_KINDS = frozenset({"test_suite"})
PROVENANCE_KEYS = ("generator", "driver", "model", "seed", "source")


@dataclass(frozen=True)
class EnvInfo:
    """What records need from an environment, computed once per environment."""

    spec: EnvironmentSpec
    root_id: str
    tools: list[dict[str, Any]]
    tools_json: str
    tool_names: list[str]
    tools_source_sha256: str | None
    provenance_json: str


@dataclass
class ExportRecord:
    """One exported task: the JSON record plus JSON text the columnar layouts reuse.

    ``data`` is exactly what JSONL holds. The JSON strings are encoded once here
    (``tools_json`` once per environment) instead of once per layout column.
    """

    data: dict[str, Any]
    tools_json: str
    tool_names: list[str]
    answer_schema_json: str | None
    provenance_json: str
    created_at: datetime | None
    sft: dict[str, Any] | None = None
    sft_source: str | None = None


# One encoder for every call: ``json.dumps`` with options builds a new one each time.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False
)


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON: the encoding of every JSON-text column."""
    return _ENCODER.encode(value)


class EnvResolver:
    """Environment lookups with an LRU cache; roots follow ``parent_env_id`` to the first version."""

    def __init__(self, store: Store, max_cached: int = 4096) -> None:
        self.store = store
        self.max_cached = max_cached
        self._cache: OrderedDict[str, EnvInfo] = OrderedDict()
        self._roots: dict[str, str] = {}
        self._specs: OrderedDict[str, EnvironmentSpec | None] = OrderedDict()

    def get(self, env_id: str) -> EnvInfo:
        info = self._cache.get(env_id)
        if info is not None:
            self._cache.move_to_end(env_id)
            return info
        spec = self._spec(env_id)
        if spec is None:
            raise NotFoundError(f"task refers to environment {env_id!r}, which is not in the store")
        src = spec.tools_source
        tools = [t.openai_schema() for t in spec.tools]
        info = EnvInfo(
            spec=spec,
            root_id=self.root(env_id),
            tools=tools,
            tools_json=dumps(tools),
            tool_names=[t.name for t in spec.tools],
            tools_source_sha256=sha256_hex(src) if src else None,
            provenance_json=dumps(spec.provenance),
        )
        self._cache[env_id] = info
        if len(self._cache) > self.max_cached:
            self._cache.popitem(last=False)
        return info

    def root(self, env_id: str) -> str:
        """The first version of ``env_id``'s lineage (itself when it has no parent)."""
        if env_id in self._roots:
            return self._roots[env_id]
        chain = [env_id]
        current = env_id
        while True:
            spec = self._spec(current)
            parent = spec.parent_env_id if spec is not None else None
            if parent is None or parent in chain or self._spec(parent) is None:
                break  # no parent, a cycle, or a parent missing from the store
            if parent in self._roots:
                current = self._roots[parent]
                break
            chain.append(parent)
            current = parent
        for e in chain:
            self._roots[e] = current
        return current

    def _spec(self, env_id: str) -> EnvironmentSpec | None:
        if env_id in self._specs:
            self._specs.move_to_end(env_id)
            return self._specs[env_id]
        try:
            spec: EnvironmentSpec | None = self.store.get_environment(env_id).spec
        except NotFoundError:
            spec = None
        self._specs[env_id] = spec
        if len(self._specs) > self.max_cached:
            self._specs.popitem(last=False)
        return spec


@dataclass(frozen=True)
class RolloutStats:
    total: int = 0
    passed: int = 0


def rollout_stats(store: Store, task_ids: Sequence[str]) -> dict[str, RolloutStats]:
    """Rollout attempts passed / total per task (infrastructure errors say nothing: not counted)."""
    if not task_ids:
        return {}
    stmt = (
        select(
            AttemptRow.task_id,
            func.count(),
            func.sum(case((AttemptRow.passed.is_(True), 1), else_=0)),
        )
        .where(AttemptRow.task_id.in_(list(task_ids)))
        .where(AttemptRow.kind == AttemptKind.rollout.value)
        .where(AttemptRow.infra_error.is_(False))
        .group_by(AttemptRow.task_id)
    )
    with store.engine.connect() as conn:
        return {tid: RolloutStats(int(n), int(p or 0)) for tid, n, p in conn.execute(stmt)}


def reference_attempts(store: Store, task_ids: Sequence[str]) -> dict[str, list[Attempt]]:
    """Passing reference attempts per task, those with a trajectory blob first."""
    if not task_ids:
        return {}
    stmt = (
        select(AttemptRow)
        .where(AttemptRow.task_id.in_(list(task_ids)))
        .where(AttemptRow.kind == AttemptKind.reference.value)
        .where(AttemptRow.passed.is_(True))
        .order_by(AttemptRow.task_id, AttemptRow.label)
    )
    out: dict[str, list[Attempt]] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(stmt):
            out.setdefault(r.task_id, []).append(
                Attempt(
                    task_id=r.task_id,
                    kind=AttemptKind(r.kind),
                    label=r.label,
                    answer=json.loads(r.answer_json),
                    verdict=Verdict.model_validate_json(r.verdict_json),
                    duration_s=r.duration_s,
                    trajectory_blob=r.trajectory_blob,
                    run_id=r.run_id,
                )
            )
    for attempts in out.values():
        attempts.sort(key=lambda a: (a.trajectory_blob is None, a.label))
    return out


_VERIFIER_IDS: dict[tuple[str, str | None, str], str] = {}


def verifier_id(verifier: dict[str, Any]) -> str:
    """Content id of a verifier from its stored JSON values (the same as ``VerifierSpec.id``)."""
    # Many tasks share a verifier: the id (a hash of its canonical JSON) is memoised by
    # kind, source and config.
    config = verifier["config"]
    key = (verifier["kind"], verifier["source"], dumps(config) if config else "")
    vid = _VERIFIER_IDS.get(key)
    if vid is None:
        if len(_VERIFIER_IDS) > 10_000:
            _VERIFIER_IDS.clear()
        vid = _VERIFIER_IDS[key] = content_id("verifier", verifier)
    return vid


@dataclass(frozen=True)
class TaskJson:
    """A task's answer schema as JSON text and its verifier's content id: computed once a
    task, for deduplication and for the record."""

    answer_schema_json: str | None
    verifier_id: str

    @classmethod
    def of(cls, spec: dict[str, Any]) -> TaskJson:
        schema = spec["answer_schema"]
        return cls(None if schema is None else dumps(schema), verifier_id(spec["verifier"]))


def verifier_ref(verifier: dict[str, Any], vid: str | None = None) -> dict[str, Any]:
    """Kind, content id and runtime routes of a task's verifier (its stored JSON values)."""
    if vid is None:
        vid = verifier_id(verifier)
    return {"kind": verifier["kind"], "verifier_id": vid, "runtime": dict(RUNTIME_ROUTES)}


def ground_truth(spec: dict[str, Any]) -> dict[str, Any] | None:
    """For answer-matching verifiers, what a trainer needs to compute the reward locally;
    for test-suite verifiers, the suite and the reference solution (see ``SUITE_KINDS``)."""
    verifier = spec["verifier"]
    if verifier["kind"] in SUITE_KINDS:
        return {"reference_solution": spec["reference_solution"], "config": verifier["config"]}
    if verifier["kind"] not in RULE_KINDS:
        return None
    return {"reference_answer": spec["reference_answer"], "config": verifier["config"]}


def provenance(spec: dict[str, Any], env: EnvironmentSpec) -> dict[str, Any]:
    """Generator, driver, model, seed and source (task first, then environment), plus both dicts."""
    out: dict[str, Any] = {}
    task_prov, env_prov = spec["provenance"], env.provenance
    for key in PROVENANCE_KEYS:
        value = task_prov.get(key, env_prov.get(key))
        out[key] = None if value is None else str(value)
    out["task"] = task_prov
    out["environment"] = env_prov
    return out


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def build_record(
    task: StoredTask,
    env: EnvInfo,
    stats: RolloutStats,
    split: str,
    with_system: bool = True,
    tj: TaskJson | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> ExportRecord:
    """The exported training record of one task (``data`` holds plain JSON types only).

    Its messages and tools are the ones the runtime serves for the task (one function
    builds both: ``runtime.prompt.episode_view``), the submit tool included.
    """
    spec = task.spec
    if tj is None:
        tj = TaskJson.of(spec)
    schema = spec["answer_schema"]
    schema_json = tj.answer_schema_json
    messages, tools, submit = episode_view(spec["prompt"], schema, env.tools, max_steps)
    if not with_system:
        messages = messages[1:]
    # the environment's tools are encoded once per environment; the submit tool per task
    sub = dumps(tools[-1])
    tools_json = f"{env.tools_json[:-1]},{sub}]" if env.tools else f"[{sub}]"
    env_spec = env.spec
    data = {
        "id": task.id,
        "family": spec["family"],
        "category": spec["category"],
        "difficulty": spec["difficulty"],
        "status": task.status,
        "split": split,
        "prompt": spec["prompt"],
        "messages": messages,
        "tools": tools,
        "answer_schema": schema,
        "verifier": verifier_ref(spec["verifier"], tj.verifier_id),
        "ground_truth": ground_truth(spec),
        "environment": {
            "id": spec["env_id"],
            "root_id": env.root_id,
            "name": env_spec.name,
            "version": env_spec.version,
            "image": env_spec.image,
            "state_blob": env_spec.state_blob,
            "tools_source_sha256": env.tools_source_sha256,
        },
        "provenance": provenance(spec, env_spec),
        "stats": {
            "pass_rate": task.pass_rate,
            "rollouts_total": stats.total,
            "rollouts_passed": stats.passed,
        },
        "parent_task_id": spec["parent_task_id"],
        "run_id": task.run_id,
        "created_at": _iso(task.created_at),
    }
    # dumps({"task": ..., "environment": ...}) with the environment's half encoded once.
    prov_json = f'{{"environment":{env.provenance_json},"task":{dumps(spec["provenance"])}}}'
    return ExportRecord(
        data, tools_json, [*env.tool_names, submit], schema_json, prov_json, task.created_at
    )
