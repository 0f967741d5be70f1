"""Read-side views of stored environments and tasks for the CLI and the runtime."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from envfoundry.errors import NotFoundError, StoreError
from envfoundry.storage import Store, TaskFilter


def database_tables(store: Store, state_blob: str | None) -> dict[str, int]:
    """Row counts per table of an environment's SQLite state (read on the host: data only)."""
    if not state_blob:
        return {}
    try:
        data = store.blobs.get_bytes(state_blob)
    except NotFoundError:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.db"
        path.write_bytes(data)
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                names = [
                    r[0]
                    for r in conn.execute(
                        "select name from sqlite_master where type='table' order by name"
                    )
                ]
                return {
                    n: int(conn.execute(f'select count(*) from "{n}"').fetchone()[0]) for n in names
                }
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"state blob {state_blob} is not a SQLite database: {exc}") from None


def describe_environment(store: Store, env_id: str) -> dict[str, Any]:
    env = store.get_environment(env_id).spec
    by_level: dict[int, dict[str, int]] = {}
    for t in store.iter_tasks(TaskFilter(env_id=env_id)):
        lvl = by_level.setdefault(t.spec.difficulty, {})
        lvl[t.status.value] = lvl.get(t.status.value, 0) + 1
    info = {
        "id": env.id,
        "family": env.family,
        "category": env.category,
        "name": env.name,
        "version": env.version,
        "image": env.image,
        "state_blob": env.state_blob,
        "parent_env_id": env.parent_env_id,
        "tools": [
            {
                "name": t.name,
                "description": t.description,
                "mutates": t.mutates,
                "parameters": t.parameters,
            }
            for t in env.tools
        ],
        # a family payload says what the state blob is (the code family's: a source tree)
        "tables": database_tables(store, env.state_blob) if env.payload is None else {},
        "payload": env.payload.model_dump(mode="json") if env.payload else None,
        "tasks_by_level": by_level,
        "provenance": env.provenance,
    }
    return info


def describe_task(store: Store, task_id: str) -> dict[str, Any]:
    rec = store.get_task(task_id)  # an id prefix names the task: use its full id below
    spec = rec.spec
    attempts = store.list_attempts(spec.id)
    reference_answer = spec.reference_answer
    if reference_answer is None:  # computed when the task was accepted: the reference attempt's
        ref = [a for a in attempts if a.kind.value == "reference" and a.verdict.passed]
        reference_answer = ref[0].answer if ref else None
    try:
        tools = [t.name for t in store.get_environment(spec.env_id).spec.tools]
    except NotFoundError:
        tools = []
    return {
        **rec.summary(),
        "trust": trust_summary(attempts),
        "prompt": spec.prompt,
        "answer_schema": spec.answer_schema,
        "reference_solution": spec.reference_solution,
        "reference_answer": reference_answer,
        "verifier": spec.verifier.model_dump(mode="json"),
        "tools": tools,
        "provenance": spec.provenance,
        "attempts": [
            {
                "id": a.id,
                "kind": a.kind.value,
                "label": a.label,
                "passed": a.verdict.passed,
                "reward": a.verdict.reward,
                "infra_error": a.verdict.infra_error,
                "reason": a.verdict.reason,
                "duration_s": a.duration_s,
            }
            for a in attempts
        ],
    }


def trust_summary(attempts: list[Any]) -> dict[str, Any]:
    """Why a task is trusted: by attack kind, how many wrong controls failed (of how many)
    and how many meaning-preserving variants passed (of how many)."""
    from envfoundry.verifiers.adversary import attack_kind

    controls: dict[str, list[int]] = {}
    variants: dict[str, list[int]] = {}
    for a in attempts:
        side, _, label = a.label.partition(":")
        if side not in ("control", "variant"):
            continue
        bucket = (controls if side == "control" else variants).setdefault(
            attack_kind(label), [0, 0]
        )
        bucket[0] += int(a.verdict.passed is (side == "variant"))
        bucket[1] += 1
    held = all(ok == n for ok, n in [*controls.values(), *variants.values()])
    return {
        "controls_failed": {k: f"{ok}/{n}" for k, (ok, n) in sorted(controls.items())},
        "variants_passed": {k: f"{ok}/{n}" for k, (ok, n) in sorted(variants.items())},
        "held": held and bool(controls),
    }
