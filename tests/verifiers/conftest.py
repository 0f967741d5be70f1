"""The sandbox backends of tests/envs, for verifier tests that run in both."""

from tests.envs.conftest import (  # noqa: F401
    base_image,
    docker_backend,
    docker_settings,
    local_backend,
    local_settings,
)
