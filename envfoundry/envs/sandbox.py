"""The sandbox protocol: limits, exec results, the backend interface and its factory.

Every backend (Docker, local processes) speaks this protocol so callers never care
where untrusted code runs. Infrastructure failures raise :class:`SandboxError`;
whatever the untrusted code did (exit, crash, hang, blow memory) is an
:class:`ExecResult` with a ``reason``.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from envfoundry.procs import this_host

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.envs.client import RunnerSession

log = logging.getLogger(__name__)

Reason = Literal["ok", "nonzero", "timeout", "oom", "killed", "infra_error"]

# One id per process run: every container and image this process creates carries it,
# so the reaper can tell leftovers of a crashed run from a live run's containers.
RUN_ID = os.environ.get("ENVFOUNDRY_RUN_ID") or uuid.uuid4().hex[:12]

LABEL = "envfoundry"
LABEL_RUN = "envfoundry.run_id"
LABEL_PURPOSE = "envfoundry.purpose"
LABEL_CREATED = "envfoundry.created"
# the process that created the container: a dead owner's containers are leftovers
LABEL_HOST = "envfoundry.host"
LABEL_PID = "envfoundry.pid"
# set only on containers envfoundry creates itself, never on an image: a container that
# merely inherited an image's labels (a ``docker build`` step) is nobody's sandbox
LABEL_SANDBOX = "envfoundry.sandbox"

WORK_DIR = "/work"
# where the in-container runner lives in every sandbox image (envs/images.py puts it there)
RUNNER_PATH = "/opt/envfoundry/runner.py"
UNPRIVILEGED_USER = "65534:65534"

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(value: str | int) -> int:
    """Bytes in ``value``: an int, or a docker-style size such as ``512m`` or ``1g``."""
    if isinstance(value, int):
        return value
    match = _SIZE_RE.match(value)
    if not match:
        raise ValueError(f"not a size: {value!r} (use e.g. 512m, 1g, 65536)")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def labels(purpose: str, run_id: str | None = None) -> dict[str, str]:
    """The labels of a container envfoundry creates: its run, owner process and purpose.

    The reapers act on these (``envfoundry.sandbox=1``), so images never carry them: every
    container made from an image inherits its labels, build steps included.
    """
    return {
        **image_labels(purpose),
        LABEL_SANDBOX: "1",
        LABEL_RUN: run_id or RUN_ID,
        LABEL_HOST: this_host(),
        LABEL_PID: str(os.getpid()),
    }


def image_labels(purpose: str) -> dict[str, str]:
    """The labels of an image envfoundry builds (listed and pruned by them); no owner."""
    import time

    return {LABEL: "1", LABEL_PURPOSE: purpose, LABEL_CREATED: str(int(time.time()))}


class Limits(BaseModel):
    """Resource limits of one sandbox; defaults are the ones for untrusted code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    memory: str = "512m"
    pids: int = Field(default=128, ge=8)
    cpus: float = Field(default=1.0, gt=0)
    timeout_s: float = Field(default=30.0, gt=0)
    output_bytes: int = Field(default=1 << 20, ge=1024)
    network: Literal["none", "host"] = "none"
    tmpfs_size: str = "256m"
    # Whether files written under the work directory may be executed (compiled test
    # binaries: `go test` runs what it builds); /tmp stays noexec either way.
    exec_work: bool = False

    @field_validator("memory", "tmpfs_size")
    @classmethod
    def _size(cls, value: str) -> str:
        parse_size(value)
        return value

    @property
    def memory_bytes(self) -> int:
        return parse_size(self.memory)

    @property
    def tmpfs_bytes(self) -> int:
        return parse_size(self.tmpfs_size)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> Limits:
        base: dict[str, object] = {
            "memory": settings.sandbox_memory,
            "pids": settings.sandbox_pids,
            "cpus": settings.sandbox_cpus,
            "timeout_s": settings.sandbox_timeout_s,
        }
        base.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(base)


class ExecResult(BaseModel):
    """What one command did. ``reason`` separates the code's fate from the infrastructure's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exit_code: int | None
    stdout: str
    stderr: str
    truncated: bool = False
    duration_s: float
    reason: Reason
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


@runtime_checkable
class Sandbox(Protocol):
    """One live isolated session (a container, or a local process tree)."""

    id: str
    limits: Limits

    def exec(
        self,
        cmd: Sequence[str] | str,
        timeout: float | None = None,
        stdin: bytes | None = None,
    ) -> ExecResult:
        """Run ``cmd`` (argv, or a string for ``sh -c``) in the session's work dir."""
        ...

    def put_file(self, path: str, data: bytes, mode: int = 0o644) -> None:
        """Write ``data`` to ``path`` (relative paths are under the work dir)."""
        ...

    def get_file(self, path: str, max_bytes: int = 64 << 20) -> bytes:
        """Read ``path``; SandboxError if it is missing or larger than ``max_bytes``."""
        ...

    def close(self) -> None:
        """Kill and remove everything the session owns; safe to call twice."""
        ...

    def __enter__(self) -> Sandbox: ...

    def __exit__(self, *exc: object) -> None: ...


class Backend(Protocol):
    """Creates sandboxes and runner sessions."""

    name: str

    def start(
        self, image: str | None = None, limits: Limits | None = None, purpose: str = "exec"
    ) -> Sandbox:
        """A new session from ``image`` (the backend's base image when None)."""
        ...

    def run(
        self,
        cmd: Sequence[str] | str,
        image: str | None = None,
        limits: Limits | None = None,
        stdin: bytes | None = None,
    ) -> ExecResult:
        """One command in a fresh session that is removed afterwards."""
        ...

    def start_runner(
        self, image: str | None = None, limits: Limits | None = None, purpose: str = "runner"
    ) -> RunnerSession:
        """A fresh session with the persistent in-sandbox runner attached."""
        ...

    def isolation_report(self) -> dict[str, object]:
        """What this backend isolates and what it does not (``doctor`` prints it)."""
        ...

    def close(self) -> None: ...
