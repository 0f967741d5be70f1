"""Host side of the interpreter sandbox: a kernel session per container, and a warm pool.

A :class:`KernelSession` is a container running the kernel driver (``kernel_driver.py``,
which drives an IPython kernel with jupyter_client) behind the runner's line protocol.
The container is the sandbox: no network, memory / pids / CPU limits, read-only root,
tmpfs work dir, non-root, capabilities dropped. :class:`KernelPool` keeps started
kernels warm per image and resets each one (a fresh kernel, an empty work dir) before
the next episode gets it.
"""

from __future__ import annotations

import base64
import contextlib
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.client import RunnerSession
from envfoundry.envs.interpreter.images import DRIVER_PATH, VENV
from envfoundry.envs.sandbox import Limits
from envfoundry.errors import SandboxError

CellFate = str  # "ok" | "error" | "timeout" | "died"
RESET_TIMEOUT_S = 90.0


def interpreter_limits(
    memory: str = "1g", pids: int = 128, cpus: float = 1.0, timeout_s: float = 30.0
) -> Limits:
    """Sandbox limits of one kernel container (the kernel and everything it forks)."""
    return Limits(memory=memory, pids=pids, cpus=cpus, timeout_s=timeout_s, tmpfs_size="512m")


class CellError(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    type: str = ""
    message: str = ""
    traceback: str = ""


class CellResult(BaseModel):
    """What one ``execute_code`` call did; a wrong or hanging cell is data, not an error."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    fate: CellFate
    stdout: str = ""
    stderr: str = ""
    value: str | None = None
    displays: list[str] = Field(default_factory=list)
    error: CellError | None = None
    images: list[str] = Field(default_factory=list)  # base64 PNGs
    dropped_images: int = 0
    truncated: bool = False
    restarted: bool = False
    duration_s: float = 0.0

    def tool_result(self) -> dict[str, Any]:
        """The JSON a policy sees; images go as PNG attachments (base64, ``image/png``)."""
        out: dict[str, Any] = {"status": self.fate, "stdout": self.stdout, "stderr": self.stderr}
        if self.value is not None:
            out["result"] = self.value
        if self.displays:
            out["display"] = self.displays
        if self.error is not None:
            out["error"] = self.error.model_dump()
        if self.images:
            out["attachments"] = [{"mime_type": "image/png", "data": png} for png in self.images]
        if self.dropped_images:
            out["dropped_images"] = self.dropped_images
        if self.truncated:
            out["truncated"] = True
        if self.fate == "timeout":
            out["note"] = "the cell hit its time limit and was interrupted" + (
                "; the kernel was restarted and its state is lost" if self.restarted else ""
            )
        elif self.fate == "died":
            out["note"] = "the kernel died (out of memory?) and was restarted; its state is lost"
        return out


class KernelSession:
    """One kernel in one container; not for concurrent use by several threads."""

    def __init__(
        self, runner: RunnerSession, image: str, start_s: float, limits: Limits | None = None
    ) -> None:
        self.runner = runner
        self.image = image
        self.limits = limits or interpreter_limits()
        self.start_s = start_s
        self.max_chars = 20_000
        self.max_images = 4

    @classmethod
    def start(cls, backend: Any, image: str, limits: Limits | None = None) -> KernelSession:
        from envfoundry.envs.docker_backend import DockerBackend

        if not isinstance(backend, DockerBackend):
            raise SandboxError("the interpreter runs its kernels in Docker; no Docker backend")
        t0 = time.monotonic()
        runner = backend.start_runner(
            image,
            limits or interpreter_limits(),
            purpose="interp-kernel",
            command=[f"{VENV}/bin/python", "-B", "-u", DRIVER_PATH],
        )
        return cls(runner, image, round(time.monotonic() - t0, 6), limits)

    @property
    def healthy(self) -> bool:
        return self.runner.healthy

    def execute(self, code: str, timeout_s: float = 30.0) -> CellResult:
        """Run one cell; SandboxError only when the container or driver broke."""
        # the driver interrupts at timeout_s and may restart the kernel after that
        reply = self.runner.request(
            "execute",
            timeout=timeout_s + RESET_TIMEOUT_S,
            code=code,
            timeout_s=timeout_s,
            max_chars=self.max_chars,
            max_images=self.max_images,
        )
        return CellResult.model_validate(reply)

    def put_files(self, files: Mapping[str, bytes]) -> None:
        if files:
            encoded = {k: base64.b64encode(v).decode() for k, v in files.items()}
            self.runner.request("put_files", timeout=60.0, files=encoded)

    def reset(self, soft: bool = False, clear_files: bool = True) -> float:
        """A fresh namespace: ``soft`` in the warm kernel, else a new kernel. Seconds taken."""
        reply = self.runner.request(
            "reset", timeout=RESET_TIMEOUT_S, soft=soft, clear_files=clear_files
        )
        return float(reply.get("duration_s", 0.0))

    def close(self) -> None:
        self.runner.close()


class KernelPool:
    """Warm kernels per image and limits; each lease gets a kernel reset since its last user.

    Episodes get a new kernel (``release`` with ``hard=True``, the default); acceptance
    batches, which reset the namespace before every reference run anyway, hand theirs back
    with a soft reset so the next batch does not wait for a kernel to start.
    """

    def __init__(self, backend: Any, limits: Limits | None = None, max_idle: int = 4) -> None:
        self.backend = backend
        self.limits = limits or interpreter_limits()
        self.max_idle = max_idle
        self._idle: dict[tuple[str, Limits], list[KernelSession]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.started = 0
        self.reused = 0

    def acquire(self, image: str, limits: Limits | None = None) -> KernelSession:
        limits = limits or self.limits
        with self._lock:
            idle = self._idle.get((image, limits), [])
            session = idle.pop() if idle else None
            if session is not None:
                self.reused += 1
            else:
                self.started += 1
        if session is not None:
            return session
        return KernelSession.start(self.backend, image, limits)

    def release(self, session: KernelSession, hard: bool = True) -> None:
        """Reset and keep ``session`` (a broken one is closed instead)."""
        if self._closed or not session.healthy:
            session.close()
            return
        try:
            session.reset(soft=not hard, clear_files=True)
        except SandboxError:
            session.close()
            return
        with self._lock:
            idle = self._idle.setdefault((session.image, session.limits), [])
            if len(idle) < self.max_idle and not self._closed:
                idle.append(session)
                return
        session.close()

    @contextlib.contextmanager
    def lease(self, image: str) -> Iterator[KernelSession]:
        session = self.acquire(image)
        try:
            yield session
        finally:
            self.release(session)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            sessions = [s for idle in self._idle.values() for s in idle]
            self._idle.clear()
        for s in sessions:
            with contextlib.suppress(Exception):
                s.close()


_pools: weakref.WeakKeyDictionary[Any, KernelPool] = weakref.WeakKeyDictionary()
_pools_lock = threading.Lock()


def shared_pool(backend: Any) -> KernelPool:
    """The kernel pool of ``backend`` (its episodes share warm kernels; closing the
    backend removes their containers)."""
    with _pools_lock:
        pool = _pools.get(backend)
        if pool is None or pool._closed:
            pool = _pools[backend] = KernelPool(backend)
        return pool


_process_pools: dict[str, KernelPool] = {}


def process_pool(settings: Any) -> KernelPool:
    """A pool that outlives the pipeline's batches (each batch closes its own backend):
    it owns a Docker backend of its own, whose containers go when the process exits or
    :func:`close_process_pools` runs. Acceptance batches take their kernel from it."""
    from envfoundry.envs.backends import get_backend

    key = str(settings.data_dir)
    with _pools_lock:
        pool = _process_pools.get(key)
        if pool is None or pool._closed:
            pool = _process_pools[key] = KernelPool(get_backend(settings))
        return pool


def close_process_pools() -> None:
    with _pools_lock:
        pools = list(_process_pools.values())
        _process_pools.clear()
    for pool in pools:
        pool.close()
        pool.backend.close()
