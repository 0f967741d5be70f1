"""Fixtures for the code family: the calc repository, Docker settings, backend and builder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from envfoundry.config import Settings
from envfoundry.envs.docker_api import docker_answers
from envfoundry.storage.blobs import BlobStore, LocalBlobStore
from tests.code_repo import make_calc_repo


@pytest.fixture(scope="session")
def calc_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("calc") / "calc"
    return root, make_calc_repo(root)


@pytest.fixture(scope="session")
def code_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    return Settings(data_dir=tmp_path_factory.mktemp("envfoundry-code"), sandbox_backend="docker")


@pytest.fixture(scope="session")
def code_blobs(code_settings: Settings) -> BlobStore:
    return LocalBlobStore(code_settings.blobs_path)


@pytest.fixture(scope="session")
def code_backend(code_settings: Settings) -> Iterator[object]:
    from envfoundry.envs.docker_backend import DockerBackend, own_leftovers

    backend = DockerBackend(code_settings)
    backend.base_image()
    try:
        yield backend
    finally:
        backend.close()
        left = own_leftovers()
        if left:
            raise AssertionError(f"containers left behind by this run: {left}")


@pytest.fixture(scope="session")
def code_builder(code_settings: Settings, code_blobs: BlobStore, code_backend: object) -> object:
    from envfoundry.envs.code.images import EnvBuilder

    return EnvBuilder(code_settings, code_blobs)
