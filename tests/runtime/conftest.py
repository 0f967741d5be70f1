"""Fixtures for the runtime: a store holding a tiny general environment, backends, runtimes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings, load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.envs.docker_api import docker_answers
from envfoundry.generators.general.base import EnvironmentDraft, TaskDraft, Toolset
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.models import TaskStatus
from envfoundry.runtime.episodes import Runtime, RuntimeConfig
from envfoundry.storage import Store
from tests.cities_env import (
    BOOK_SOLVE,
    BOOK_VERIFY,
    PERTURBED,
    SCHEMA,
    SOLVE,
    TOOL_SPECS,
    TOOLS,
    VERIFY,
    make_db,
)


def make_draft() -> EnvironmentDraft:
    tools = TOOL_SPECS
    levels = [
        ('Which city is the most populous? Answer {"city": NAME}.', SOLVE, VERIFY),
        ('Book a trip to the most populous city; answer {"city": NAME}.', BOOK_SOLVE, BOOK_VERIFY),
    ]
    return EnvironmentDraft(
        category="test_cities",
        name="cities-0",
        db_bytes=make_db(),
        toolsets=(Toolset(version=1, source=TOOLS, tools=tools),),
        tasks=tuple(
            TaskDraft(
                level=i + 1,
                prompt=prompt,
                answer_schema=SCHEMA,
                solution_source=solve,
                verifier_source=verify,
                perturbed_solution_source=PERTURBED,
            )
            for i, (prompt, solve, verify) in enumerate(levels)
        ),
        provenance={"seed": 0, "index": 0},
    )


@dataclass(frozen=True)
class Stored:
    store: Store
    read_task: str
    write_task: str
    db: bytes
    tools_source: str


@pytest.fixture
def stored(_isolated_data_dir: Path) -> Iterator[Stored]:
    """The configured (throwaway) store with one environment and its two accepted tasks.

    It lives where ``Settings`` points, so CLI commands run in subprocesses find it.
    """
    _isolated_data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.from_settings(load_settings())
    store.upgrade()
    specs = draft_to_specs(make_draft())
    store.blobs.put_bytes(specs.db_bytes)
    for env in specs.environments:
        store.put_environment(env)
    store.put_tasks(specs.tasks, TaskStatus.accepted)
    read, write = specs.tasks
    yield Stored(store, read.id, write.id, specs.db_bytes, TOOLS)
    store.close()


def backend_settings(kind: str, tmp_path: Path) -> Settings:
    if kind == "docker" and not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    return Settings(data_dir=tmp_path / "data", sandbox_backend=kind)  # type: ignore[arg-type]


@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def backend_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_runtime(stored: Stored, tmp_path: Path) -> Iterator[Any]:
    """Factory: a Runtime on the stored tasks for a backend kind; all closed at teardown."""
    made: list[tuple[Runtime, Any]] = []

    def make(kind: str = "local", **config: Any) -> Runtime:
        settings = backend_settings(kind, tmp_path)
        backend = get_backend(settings)
        runtime = Runtime(stored.store, backend, settings, RuntimeConfig(**config))
        made.append((runtime, backend))
        return runtime

    yield make
    for runtime, backend in made:
        runtime.close()
        backend.close()
    if any(b.name == "docker" for _, b in made):
        from envfoundry.envs.docker_backend import own_leftovers

        assert own_leftovers() == [], "containers left behind"
