"""Judge a general-family draft end to end: specs, a sandbox, acceptance (tests, one-offs)."""

from __future__ import annotations

from typing import Any

from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.verifiers.acceptance import TaskOutcome
from envfoundry.verifiers.adversary import LadderContext
from envfoundry.verifiers.general import CheckLimits, check_ladder, loaded_session


def check_environment_draft(
    draft: Any, backend: Any = "local", limits: CheckLimits | None = None
) -> list[TaskOutcome]:
    """Convert a draft to specs and judge every task, in the draft's task order."""
    specs = draft_to_specs(draft)
    owned = isinstance(backend, str)
    if owned:
        backend = get_backend(load_settings(sandbox_backend=backend))
    try:
        outcomes: list[TaskOutcome] = []
        ladder = LadderContext()
        for env in specs.environments:
            tasks = [t for t in specs.tasks if t.env_id == env.id]
            if not tasks:
                continue
            with loaded_session(backend, env, specs.db_bytes) as session:
                outcomes.extend(check_ladder(session, env, tasks, ladder, limits))
        order = {t.id: i for i, t in enumerate(specs.tasks)}
        return sorted(outcomes, key=lambda o: order[o.task.id])
    finally:
        if owned:
            backend.close()
