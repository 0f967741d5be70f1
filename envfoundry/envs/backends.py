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

GET_DOCKER = (
    "to get Docker: `bash scripts/setup.sh` installs and starts it (needs root or sudo), "
    "or scripts/provision_docker.sh alone"
)


def choose_backend(settings: Settings) -> tuple[str, str]:
    """``(backend, why)``: the backend the next sandbox uses (``auto`` prefers Docker)."""
    choice = settings.sandbox_backend
    if choice != "auto":
        return choice, f"sandbox_backend={choice}"
    if docker_answers():
        return "docker", "a Docker daemon answers"
    return "local", "no Docker daemon answers"


def local_warning(why: str) -> str:
    """The one sentence that says the local backend is in use, why, and how to get Docker."""
    return (
        f"{why}: untrusted code runs on the LOCAL sandbox backend (host processes with "
        f"rlimits only, much weaker isolation than Docker); {GET_DOCKER}"
    )


def claim_local_warning(settings: Settings) -> str | None:
    """The local-backend warning for a caller that shows it itself (the CLI), at most once.

    Returns ``None`` when Docker will be used or the warning was already given; after
    this call, :func:`get_backend` no longer logs it in this process.
    """
    choice, why = choose_backend(settings)
    if choice != "local" or _warned.is_set():
        return None
    _warned.set()
    return local_warning(why)


def get_backend(settings: Settings) -> Backend:
    """The backend ``settings.sandbox_backend`` names; ``auto`` prefers Docker."""
    choice, why = choose_backend(settings)
    if choice == "local" and not _warned.is_set():
        _warned.set()  # once per process, not once per batch
        log.warning("%s", local_warning(why))
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
