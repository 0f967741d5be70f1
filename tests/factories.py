"""Small spec factories shared by tests."""

from __future__ import annotations

from envfoundry.models import EnvironmentSpec, TaskSpec, ToolSpec, VerifierSpec


def make_env(i: int = 0, category: str = "trip_planning") -> EnvironmentSpec:
    return EnvironmentSpec(
        family="general",
        category=category,
        name=f"env-{i}",
        tools=(
            ToolSpec(
                name="get_all_cities",
                description="List cities.",
                parameters={"type": "object", "properties": {}},
            ),
            ToolSpec(
                name="book",
                description="Book a hotel.",
                parameters={
                    "type": "object",
                    "properties": {"hotel": {"type": "string"}},
                    "required": ["hotel"],
                },
                mutates=True,
            ),
        ),
    )


def make_task(env: EnvironmentSpec, i: int = 0, level: int = 1) -> TaskSpec:
    return TaskSpec(
        env_id=env.id,
        family=env.family,
        category=env.category,
        prompt=f"Plan trip number {i}.",
        answer_schema={"type": "object", "properties": {"city": {"type": "string"}}},
        reference_solution="def solve(tools):\n    return {'city': 'Paris'}\n",
        verifier=VerifierSpec(kind="exact", config={"answer": {"city": f"c{i}"}}),
        difficulty=level,
    )
