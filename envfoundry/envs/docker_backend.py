"""Docker backend: locked-down containers for untrusted code, plus the leftover reaper.

Defaults for every container: no network, memory = memory+swap (so running out is
an OOM kill, not swapping), a pids limit, CPU quota, read-only root with size-capped
tmpfs for /work and /tmp, uid 65534, all capabilities dropped, no-new-privileges, no
host mounts, and labels so :func:`reap_containers` can find whatever a crash left.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import select
import shlex
import socket
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docker
import docker.errors

from envfoundry.envs.client import RunnerSession, SocketTransport
from envfoundry.envs.docker_api import docker_client
from envfoundry.envs.sandbox import (
    LABEL_CREATED,
    LABEL_HOST,
    LABEL_PID,
    LABEL_RUN,
    LABEL_SANDBOX,
    RUN_ID,
    RUNNER_PATH,
    UNPRIVILEGED_USER,
    WORK_DIR,
    ExecResult,
    Limits,
    Reason,
    labels,
)
from envfoundry.errors import SandboxError
from envfoundry.procs import pid_alive, this_host

if TYPE_CHECKING:
    from docker.models.containers import Container

    from envfoundry.config import Settings

log = logging.getLogger(__name__)

# Beyond an exec's own timeout (enforced in the container by coreutils `timeout`, which
# kills the whole process group) the host waits this long before killing the container.
BACKSTOP_S = 3.0
SANDBOX_ENV = {"HOME": WORK_DIR, "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}


def _oom_kills(container_id: str) -> int | None:
    """The cgroup's OOM-kill counter read from the host, or None when not visible here."""
    candidates = (
        f"/sys/fs/cgroup/memory/docker/{container_id}/memory.oom_control",
        f"/sys/fs/cgroup/system.slice/docker-{container_id}.scope/memory.events",
        f"/sys/fs/cgroup/docker/{container_id}/memory.events",
    )
    for path in candidates:
        try:
            text = Path(path).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
    return None


class _Demux:
    """Streams docker's multiplexed frames into capped stdout/stderr buffers.

    Only the first ``cap`` bytes per stream are kept; the rest is counted and dropped,
    so a gigabyte of output costs CPU time, never host memory.
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.header = bytearray()
        self.stream = 1
        self.left = 0
        self.out = {1: bytearray(), 2: bytearray()}
        self.truncated = False

    def feed(self, data: bytes) -> None:
        view = memoryview(data)
        i, n = 0, len(view)
        while i < n:
            if self.left == 0:
                head = view[i : i + 8 - len(self.header)]
                self.header += head
                i += len(head)
                if len(self.header) == 8:
                    self.stream = self.header[0]
                    self.left = int.from_bytes(self.header[4:8], "big")
                    self.header.clear()
                continue
            take = min(self.left, n - i)
            buf = self.out.setdefault(self.stream, bytearray())
            room = self.cap - len(buf)
            if room > 0:
                buf += view[i : i + min(room, take)]
            if take > room:
                self.truncated = True
            i += take
            self.left -= take


class DockerSandbox:
    """A running container; commands run via ``docker exec`` as the unprivileged user."""

    def __init__(self, container: Container, limits: Limits, image: str) -> None:
        self.container = container
        self.id = container.id
        self.limits = limits
        self.image = image
        self._closed = False
        self._dead_reason = ""

    def exec(
        self,
        cmd: Sequence[str] | str,
        timeout: float | None = None,
        stdin: bytes | None = None,
    ) -> ExecResult:
        argv = ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
        code, demux, duration, reason, detail = self._exec_raw(
            argv, float(timeout or self.limits.timeout_s), stdin, self.limits.output_bytes
        )
        return ExecResult(
            exit_code=code,
            stdout=demux.out[1].decode(errors="replace"),
            stderr=demux.out[2].decode(errors="replace"),
            truncated=demux.truncated,
            duration_s=round(duration, 6),
            reason=reason,
            detail=detail,
        )

    def _exec_raw(
        self, argv: list[str], timeout: float, stdin: bytes | None, cap: int
    ) -> tuple[int | None, _Demux, float, Reason, str]:
        if self._closed:
            raise SandboxError(f"sandbox {self.id[:12]} is closed{self._dead_reason}")
        if not argv:
            raise SandboxError("empty command")
        wrapped = ["timeout", "-s", "KILL", f"{timeout:.3f}", *argv]
        api = self.container.client.api
        oom_before = _oom_kills(self.id)
        started = time.monotonic()
        try:
            exec_id = api.exec_create(
                self.id,
                wrapped,
                stdin=stdin is not None,
                stdout=True,
                stderr=True,
                tty=False,
                user=UNPRIVILEGED_USER,
                workdir=WORK_DIR,
                environment=SANDBOX_ENV,
            )["Id"]
            sock_io = api.exec_start(exec_id, socket=True, tty=False)
        except docker.errors.APIError as exc:
            raise SandboxError(f"docker exec in {self.id[:12]} failed: {exc}") from exc
        raw: socket.socket = getattr(sock_io, "_sock", sock_io)
        demux = _Demux(cap)
        backstop = False
        try:
            if stdin is not None:
                raw.sendall(stdin)
                raw.shutdown(socket.SHUT_WR)
            deadline = started + timeout + BACKSTOP_S
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    backstop = True
                    break
                ready, _, _ = select.select([raw], [], [], remaining)
                if not ready:
                    continue
                chunk = raw.recv(1 << 20)
                if not chunk:
                    break
                demux.feed(chunk)
        except OSError as exc:
            raise SandboxError(f"exec stream of {self.id[:12]} broke: {exc}") from exc
        finally:
            raw.close()
            sock_io.close()
        duration = time.monotonic() - started
        if backstop:
            # The in-container timeout did not end it (e.g. the pids limit starved `timeout`):
            # the only sure kill left is the whole container.
            self._dead_reason = " (killed after an exec outlived its timeout)"
            self.close()
            return None, demux, duration, "timeout", "container killed at backstop"
        exit_code = self._exit_code(exec_id)
        reason: Reason
        if exit_code == 0:
            reason = "ok"
        elif self._oom_since(oom_before, exit_code):
            reason = "oom"
        elif exit_code == 137:
            reason = "timeout" if duration >= timeout * 0.98 else "killed"
        elif exit_code is None:
            reason = "infra_error"
        else:
            reason = "nonzero"
        return exit_code, demux, duration, reason, ""

    def _oom_since(self, before: int | None, exit_code: int | None) -> bool:
        after = _oom_kills(self.id)
        if before is not None and after is not None:
            return after > before
        if exit_code != 137:
            return False
        # No host cgroup view (remote daemon): fall back to the memory high-water mark.
        try:
            stats = self.container.stats(stream=False, one_shot=True)
            mem = stats.get("memory_stats", {})
            return bool(mem.get("failcnt")) or mem.get("max_usage", 0) >= 0.95 * mem.get(
                "limit", 1 << 62
            )
        except docker.errors.APIError:
            return False

    def _exit_code(self, exec_id: str) -> int | None:
        api = self.container.client.api
        for _ in range(200):  # the exec may be reported running for a moment after EOF
            info = api.exec_inspect(exec_id)
            if not info.get("Running"):
                code = info.get("ExitCode")
                return int(code) if code is not None else None
            time.sleep(0.005)
        return None

    def put_file(self, path: str, data: bytes, mode: int = 0o644) -> None:
        # put_archive cannot write into a tmpfs under a read-only root, so stream via exec.
        quoted = shlex.quote(path)
        script = (
            f'mkdir -p -- "$(dirname -- {quoted})" && cat > {quoted} && chmod {mode:o} {quoted}'
        )
        result = self.exec(["sh", "-c", script], timeout=60, stdin=data)
        if not result.ok:
            raise SandboxError(f"put_file {path} failed: {result.stderr.strip() or result.reason}")

    def get_file(self, path: str, max_bytes: int = 64 << 20) -> bytes:
        _, demux, _, reason, _ = self._exec_raw(["cat", "--", path], 60.0, None, max_bytes)
        if reason != "ok":
            raise SandboxError(f"get_file {path}: {demux.out[2].decode(errors='replace').strip()}")
        if demux.truncated:
            raise SandboxError(f"get_file {path}: larger than {max_bytes} bytes")
        return bytes(demux.out[1])

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(docker.errors.NotFound):
            try:
                self.container.remove(force=True)
            except docker.errors.APIError as exc:
                log.warning("could not remove container %s: %s", self.id[:12], exc)

    def __enter__(self) -> DockerSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DockerBackend:
    """Creates locked-down containers; tracks them so an exiting process leaves none behind."""

    name = "docker"

    def __init__(self, settings: Settings, client: docker.DockerClient | None = None) -> None:
        self.settings = settings
        self.client = client or docker_client()
        self._base: str | None = None
        self._lock = threading.Lock()
        self._live: weakref.WeakSet[Any] = weakref.WeakSet()
        atexit.register(self.close)

    def base_image(self) -> str:
        with self._lock:
            if self._base is None:
                from envfoundry.envs.images import bootstrap_base_image

                self._base = bootstrap_base_image(self.settings)
            return self._base

    def default_limits(self) -> Limits:
        return Limits.from_settings(self.settings)

    def container_config(
        self, image: str, limits: Limits, purpose: str, command: list[str]
    ) -> dict[str, Any]:
        """Keyword arguments for ``containers.create``: the untrusted-code defaults."""
        tmpfs_opts = "rw,nosuid,nodev,mode=1777"
        return {
            "image": image,
            "command": command,
            "labels": labels(purpose),
            "user": UNPRIVILEGED_USER,
            "working_dir": WORK_DIR,
            "environment": SANDBOX_ENV,
            "network_mode": limits.network,
            "mem_limit": limits.memory_bytes,
            "memswap_limit": limits.memory_bytes,
            "pids_limit": limits.pids,
            "nano_cpus": int(limits.cpus * 1e9),
            "read_only": True,
            "tmpfs": {
                WORK_DIR: f"{tmpfs_opts}{',exec' if limits.exec_work else ''},"
                f"size={limits.tmpfs_bytes}",
                "/tmp": f"{tmpfs_opts},size={min(limits.tmpfs_bytes, 64 << 20)}",
            },
            "cap_drop": ["ALL"],
            "security_opt": ["no-new-privileges"],
            "ipc_mode": "private",
            "init": True,  # reaps orphans, which would otherwise eat the pids limit
            "hostname": "sandbox",
            "ulimits": [docker.types.Ulimit(name="core", soft=0, hard=0)],
            "detach": True,
        }

    def _create(
        self,
        image: str | None,
        limits: Limits | None,
        purpose: str,
        command: list[str],
        **extra: Any,
    ) -> tuple[Container, Limits, str]:
        image = image or self.base_image()
        limits = limits or self.default_limits()
        config = self.container_config(image, limits, purpose, command)
        config.update(extra)
        try:
            container = self.client.containers.create(**config)
        except docker.errors.ImageNotFound as exc:
            raise SandboxError(f"image {image} does not exist (build it first)") from exc
        except docker.errors.APIError as exc:
            raise SandboxError(f"creating a container from {image} failed: {exc}") from exc
        return container, limits, image

    def start(
        self, image: str | None = None, limits: Limits | None = None, purpose: str = "exec"
    ) -> DockerSandbox:
        container, limits, image = self._create(image, limits, purpose, ["sleep", "infinity"])
        sandbox = DockerSandbox(container, limits, image)
        try:
            container.start()
        except docker.errors.APIError as exc:
            sandbox.close()
            raise SandboxError(f"starting a container from {image} failed: {exc}") from exc
        self._live.add(sandbox)
        return sandbox

    def run(
        self,
        cmd: Sequence[str] | str,
        image: str | None = None,
        limits: Limits | None = None,
        stdin: bytes | None = None,
    ) -> ExecResult:
        with self.start(image, limits, purpose="run") as sandbox:
            return sandbox.exec(cmd, stdin=stdin)

    def start_runner(
        self,
        image: str | None = None,
        limits: Limits | None = None,
        purpose: str = "runner",
        command: list[str] | None = None,
    ) -> RunnerSession:
        """The runner (or another program speaking its line protocol: ``command``)."""
        command = command or ["python3", "-I", "-B", "-u", RUNNER_PATH, "--workdir", WORK_DIR]
        container, limits, image = self._create(
            image, limits, purpose, command, stdin_open=True, tty=False
        )
        sandbox = DockerSandbox(container, limits, image)
        try:
            # Attach before start so the runner's first line cannot be missed.
            sock_io = container.attach_socket(
                params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            raw: socket.socket = getattr(sock_io, "_sock", sock_io)
            container.start()
            transport = SocketTransport(raw, on_close=sandbox.close)
            session = RunnerSession(transport, sandbox_id=container.id[:12], image=image)
            session.oom_probe = functools.partial(_oom_kills, container.id)
        except BaseException as exc:
            sandbox.close()
            if isinstance(exc, SandboxError):
                raise
            if isinstance(exc, docker.errors.APIError | OSError):
                raise SandboxError(f"starting a runner from {image} failed: {exc}") from exc
            raise
        self._live.add(session)
        return session

    def isolation_report(self) -> dict[str, object]:
        limits = self.default_limits()
        return {
            "backend": "docker",
            "strength": "strong",
            "network": "none (containers get no interface but loopback)",
            "filesystem": f"read-only root; tmpfs {WORK_DIR} and /tmp; no host mounts",
            "user": UNPRIVILEGED_USER,
            "capabilities": "all dropped; no-new-privileges",
            "limits": limits.model_dump(),
            "notes": [],
        }

    def close(self) -> None:
        for item in list(self._live):
            with contextlib.suppress(Exception):  # best effort at exit: the reaper is the backstop
                item.close()


def reap_containers(
    run_id: str | None = None,
    older_than_s: float | None = None,
    client: docker.DockerClient | None = None,
    dry_run: bool = False,
) -> list[str]:
    """Remove envfoundry-labelled containers: all, one run's, and/or those older than N s.

    With ``dry_run`` nothing is removed: the ids of what would be are returned.

    A live run's containers carry its run id; reaping without filters is for a host
    where no envfoundry process is running.
    """
    client = client or docker_client()
    filters = {"label": [f"{LABEL_SANDBOX}=1"] + ([f"{LABEL_RUN}={run_id}"] if run_id else [])}
    removed = []
    now = time.time()
    for container in client.containers.list(all=True, filters=filters):
        created = float(container.labels.get(LABEL_CREATED, "0") or 0)
        if older_than_s is not None and now - created < older_than_s:
            continue
        if dry_run:
            removed.append(container.short_id)
            continue
        with contextlib.suppress(docker.errors.NotFound):
            container.remove(force=True)
            removed.append(container.short_id)
    return removed


def reap_dead_owners(client: docker.DockerClient | None = None, dry_run: bool = False) -> list[str]:
    """Remove containers created on this host by a process that no longer exists.

    A run stopped by SIGKILL (or a second Ctrl-C) cannot close its sandboxes; the next
    run, ``envfoundry runs repair`` and ``sandbox reap --dead`` remove them.
    """
    client = client or docker_client()
    host = this_host()
    removed = []
    for container in client.containers.list(all=True, filters={"label": [f"{LABEL_SANDBOX}=1"]}):
        pid = container.labels.get(LABEL_PID, "")
        if container.labels.get(LABEL_HOST) != host or not pid.isdigit():
            continue
        if pid_alive(int(pid)):
            continue
        if dry_run:
            removed.append(container.short_id)
            continue
        with contextlib.suppress(docker.errors.NotFound):
            container.remove(force=True)
            removed.append(container.short_id)
    return removed


def own_leftovers() -> list[str]:
    """Containers of this process's run that are still around (tests assert it is empty)."""
    return [
        c.short_id
        for c in docker_client().containers.list(
            all=True, filters={"label": [f"{LABEL_SANDBOX}=1", f"{LABEL_RUN}={RUN_ID}"]}
        )
    ]
