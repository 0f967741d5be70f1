"""Choosing a sandbox backend: Docker when a daemon answers, else the local one."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from envfoundry.envs.docker_api import docker_answers
from envfoundry.envs.sandbox import Backend
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.config import Settings

log = logging.getLogger(__name__)
_warned = threading.Event()


def get_backend(settings: Settings) -> Backend:
    """The backend ``settings.sandbox_backend`` names; ``auto`` prefers Docker."""
    choice = settings.sandbox_backend
    if choice == "auto":
        choice = "docker" if docker_answers() else "local"
        if choice == "local" and not _warned.is_set():
            _warned.set()  # once per process, not once per batch
            log.warning(
                "no Docker daemon answers: falling back to the LOCAL sandbox backend, "
                "whose isolation is much weaker (see `envfoundry doctor`)"
            )
    if choice == "docker":
        if not docker_answers():
            raise SandboxError(
                "sandbox_backend=docker but no Docker daemon answers "
                "(run scripts/provision_docker.sh, or set ENVFOUNDRY_SANDBOX_BACKEND=local)"
            )
        from envfoundry.envs.docker_backend import DockerBackend

        return DockerBackend(settings)
    from envfoundry.envs.local_backend import LocalBackend

    return LocalBackend(settings)
