"""The one way envfoundry reaches the Docker daemon: a client, a yes/no probe, the version.

Every other module (backends, images, doctor, the run's repair) asks here, so "is
Docker there" is decided one way everywhere.
"""

from __future__ import annotations

import functools
from typing import Any

import docker
from docker.transport.unixconn import UnixHTTPAdapter

from envfoundry.errors import SandboxError

# Connections to the daemon kept open for reuse: enough for every thread of a busy runtime
# (64 episodes opening at once) to hold one without the pool overflowing.
POOL_SIZE = 128


class _OnePoolUnixAdapter(UnixHTTPAdapter):
    """docker-py's unix-socket adapter with one connection pool for the whole socket.

    The stock adapter keys its pools by the full request URL (every ``/exec/{id}/start``
    gets a pool of its own) and keeps the 25 most recent, closing the one it evicts even
    while another thread is mid-request on it. Under many concurrent calls that is a fresh
    socket per request and, now and then, ``AttributeError: 'NoneType' object has no
    attribute 'qsize'`` from urllib3 instead of an answer. Every request here goes to the
    same socket, so one pool serves them all.
    """

    def get_connection(self, url: str, proxies: Any = None) -> Any:
        return super().get_connection("http+docker://localhost", proxies)


def _one_pool(client: docker.DockerClient, timeout: float) -> None:
    api = client.api
    adapter = getattr(api, "_custom_adapter", None)
    if not isinstance(adapter, UnixHTTPAdapter):
        return  # TCP / SSH daemons: requests' own adapter pools by host already
    shared = _OnePoolUnixAdapter(
        f"http+unix://{adapter.socket_path}", timeout, max_pool_size=POOL_SIZE
    )
    api.mount("http+docker://", shared)
    api._custom_adapter = shared
    adapter.close()


def _connect(timeout: float) -> docker.DockerClient:
    try:
        client = docker.from_env(timeout=timeout, max_pool_size=POOL_SIZE)
        _one_pool(client, timeout)
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
