"""Fixtures for the interpreter family: the kernel image and a kernel on real Docker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from envfoundry.config import Settings
from envfoundry.envs.docker_api import docker_answers


def docker_settings(data_dir: Path) -> Settings:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    return Settings(data_dir=data_dir, sandbox_backend="docker")


@pytest.fixture(scope="module")
def interp_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return docker_settings(tmp_path_factory.mktemp("interp-data"))


@pytest.fixture(scope="module")
def interp_image(interp_settings: Settings) -> str:
    from envfoundry.envs.interpreter.images import ensure_interpreter_image

    return ensure_interpreter_image(interp_settings)


@pytest.fixture(scope="module")
def backend(interp_settings: Settings) -> Iterator[object]:
    from envfoundry.envs.backends import get_backend
    from envfoundry.envs.docker_backend import own_leftovers
    from envfoundry.envs.interpreter.kernel import close_process_pools

    b = get_backend(interp_settings)
    yield b
    b.close()
    close_process_pools()
    assert own_leftovers() == [], "kernel containers left behind"


@pytest.fixture(scope="module")
def kernel(backend: object, interp_image: str) -> Iterator[object]:
    from envfoundry.envs.interpreter.kernel import KernelSession, interpreter_limits

    session = KernelSession.start(backend, interp_image, interpreter_limits(memory="512m", pids=64))
    yield session
    session.close()
