"""The one way envfoundry reaches the Docker daemon: a client, a yes/no probe, the version.

Every other module (backends, images, doctor, the run's repair) asks here, so "is
Docker there" is decided one way everywhere.
"""

from __future__ import annotations

import functools
from typing import Any

import docker

from envfoundry.errors import SandboxError


def _connect(timeout: float) -> docker.DockerClient:
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
        return client
    except Exception as exc:  # every way of not reaching a daemon is the same infra failure
        raise SandboxError(f"no Docker daemon answers: {exc}") from exc


@functools.cache
def docker_client() -> docker.DockerClient:
    """One client per process (created on first use); SandboxError when no daemon answers."""
    return _connect(timeout=120)


def docker_answers(timeout: float = 3.0) -> bool:
    """True when a Docker daemon answers a ping within ``timeout`` seconds (never cached)."""
    try:
        client = _connect(timeout)
    except SandboxError:
        return False
    client.close()
    return True


def docker_version(timeout: float = 5.0) -> dict[str, Any]:
    """The daemon's version document; SandboxError when no daemon answers."""
    client = _connect(timeout)
    try:
        return dict(client.version())
    finally:
        client.close()
