"""Turn an :class:`EnvironmentDraft` into stored specs: environment versions and a task ladder."""

from __future__ import annotations

from dataclasses import dataclass

from envfoundry.generators.general.base import EnvironmentDraft
from envfoundry.ids import sha256_hex
from envfoundry.models import EnvironmentSpec, Family, TaskSpec, VerifierSpec


@dataclass(frozen=True)
class DraftSpecs:
    """Specs of one draft: one environment per toolset version, tasks in ladder order."""

    environments: tuple[EnvironmentSpec, ...]
    tasks: tuple[TaskSpec, ...]
    db_bytes: bytes

    def environment(self, env_id: str) -> EnvironmentSpec:
        for env in self.environments:
            if env.id == env_id:
                return env
        raise KeyError(env_id)


def draft_to_specs(draft: EnvironmentDraft, driver: str = "procedural") -> DraftSpecs:
    """Environment versions chain through ``parent_env_id``; level k's parent is level k-1."""
    state = sha256_hex(draft.db_bytes)
    envs: dict[int, EnvironmentSpec] = {}
    parent: str | None = None
    for ts in sorted(draft.toolsets, key=lambda t: t.version):
        env = EnvironmentSpec(
            family=Family.general,
            category=draft.category,
            name=draft.name,
            version=ts.version,
            state_blob=state,
            tools=ts.tools,
            tools_source=ts.source,
            parent_env_id=parent,
            provenance={**draft.provenance, "driver": driver},
        )
        envs[ts.version] = env
        parent = env.id
    tasks: list[TaskSpec] = []
    parent_task: str | None = None
    for td in sorted(draft.tasks, key=lambda t: t.level):
        env = envs[td.toolset_version]
        task = TaskSpec(
            env_id=env.id,
            family=Family.general,
            category=draft.category,
            prompt=td.prompt,
            answer_schema=td.answer_schema,
            reference_solution=td.solution_source,
            verifier=VerifierSpec(
                kind="function",
                source=td.verifier_source,
                config={
                    "perturbed_solution": td.perturbed_solution_source,
                    "unique_answer": td.unique_answer,
                },
            ),
            difficulty=td.level,
            parent_task_id=parent_task,
            provenance={**draft.provenance, "driver": driver, "level": td.level, **td.metadata},
        )
        tasks.append(task)
        parent_task = task.id
    return DraftSpecs(tuple(envs.values()), tuple(tasks), draft.db_bytes)
