"""Local process backend for machines without Docker: rlimits, a scratch dir, maybe a netns.

This is much weaker isolation than a container: the host filesystem stays readable,
memory is capped per process (address space) rather than per sandbox, and there is
no pids cgroup. :meth:`LocalBackend.isolation_report` says exactly what holds here,
and :func:`envfoundry.envs.backends.get_backend` warns once per process when it picks it.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from envfoundry.envs.client import PipeTransport, RunnerSession
from envfoundry.envs.sandbox import WORK_DIR, ExecResult, Limits, Reason
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.config import Settings

log = logging.getLogger(__name__)

NOBODY = 65534
RUNNER_FILE = Path(__file__).with_name("runner.py")


def _world_reachable(path: str) -> bool:
    """True when uid 65534 could execute ``path`` (every directory on the way is o+x)."""
    real = Path(os.path.realpath(path))
    if not real.exists() or not real.stat().st_mode & 0o001:
        return False
    return all(parent.stat().st_mode & 0o001 for parent in real.parents)


def _probe(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class _Plan:
    """How this host can confine a process: which prefix, which user, which python."""

    def __init__(self) -> None:
        self.root = os.geteuid() == 0
        python = sys.executable
        if self.root and not _world_reachable(python):
            # The venv's python often lives under /root; the runner is stdlib-only, so
            # any reachable python >= 3.11 serves.
            system = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
            if system and _world_reachable(system) and _probe([system, "-c", _PY_OK]):
                python = system
        self.python = python
        self.drop_user = self.root and _world_reachable(python)
        self.setpriv = shutil.which("setpriv") if self.drop_user else None
        if self.drop_user and not self.setpriv:
            self.drop_user = False
        unshare = shutil.which("unshare")
        self.netns: list[str] = []
        if unshare and self.root and _probe([unshare, "-n", "true"]):
            self.netns = [unshare, "-n", "--"]
        elif unshare and _probe([unshare, "-rn", "true"]):
            self.netns = [unshare, "-rn", "--"]

    def prefix(self, network: str, uid: int = NOBODY) -> list[str]:
        cmd: list[str] = []
        if network == "none":
            cmd += self.netns
        if self.drop_user and self.setpriv:
            cmd += [
                self.setpriv,
                f"--reuid={uid}",
                f"--regid={uid}",
                "--clear-groups",
                "--",
            ]
        return cmd


_PY_OK = "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"


def _limiter(limits: Limits, cpu_s: float | None) -> Callable[[], None]:
    memory = limits.memory_bytes
    fsize = limits.tmpfs_bytes
    pids = limits.pids

    def apply() -> None:  # runs in the child between fork and exec
        os.setsid()  # own process group, so a timeout kills every descendant
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_NPROC, (pids, pids))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if cpu_s is not None:
            cpu = int(cpu_s) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    return apply


_uid_counter = itertools.count()
_UID_BASE = 2_000_000_000
_UID_SPAN = 100_000_000


def _sandbox_uid() -> int:
    """A uid of its own for one sandbox (no passwd entry needed).

    RLIMIT_NPROC counts every process of the *user*: with one shared uid (nobody, which
    Docker sandboxes use too) a busy host eats a sandbox's process budget and forks
    fail with EAGAIN. A uid per sandbox makes the limit count that sandbox alone.
    """
    return _UID_BASE + (os.getpid() * 1000 + next(_uid_counter)) % _UID_SPAN


class LocalSandbox:
    """A scratch directory plus limited subprocesses; paths under /work map into it."""

    def __init__(self, plan: _Plan, limits: Limits, purpose: str) -> None:
        self.plan = plan
        self.limits = limits
        self.uid = _sandbox_uid() if plan.drop_user else os.geteuid()
        self.workdir = Path(tempfile.mkdtemp(prefix=f"envfoundry-{purpose}-"))
        if plan.drop_user:
            os.chown(self.workdir, self.uid, self.uid)
        self.id = self.workdir.name
        self._closed = False
        self.env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _path(self, path: str) -> Path:
        if path.startswith(WORK_DIR + "/"):
            path = path[len(WORK_DIR) + 1 :]
        target = (self.workdir / path).resolve()
        if not target.is_relative_to(self.workdir.resolve()):
            raise SandboxError(f"{path} is outside the sandbox work dir")
        return target

    def exec(
        self,
        cmd: Sequence[str] | str,
        timeout: float | None = None,
        stdin: bytes | None = None,
    ) -> ExecResult:
        if self._closed:
            raise SandboxError(f"sandbox {self.id} is closed")
        argv = ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
        if not argv:
            raise SandboxError("empty command")
        timeout = float(timeout or self.limits.timeout_s)
        started = time.monotonic()
        try:
            proc = subprocess.Popen(
                [*self.plan.prefix(self.limits.network, self.uid), *argv],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                preexec_fn=_limiter(self.limits, timeout),
            )
        except OSError as exc:
            raise SandboxError(f"starting {argv[0]} failed: {exc}") from exc
        out, err, truncated, timed_out = self._pump(proc, stdin, started + timeout)
        duration = time.monotonic() - started
        code = proc.returncode
        reason: Reason
        if timed_out or code == -signal.SIGXCPU:
            reason = "timeout"
        elif code == 0:
            reason = "ok"
        elif b"MemoryError" in err[-4096:] or b"Cannot allocate memory" in err[-4096:]:
            reason = "oom"  # RLIMIT_AS shows up as a failed allocation, not a kill
        elif code is not None and code < 0:
            reason = "killed"
        else:
            reason = "nonzero"
        return ExecResult(
            exit_code=code,
            stdout=out.decode(errors="replace"),
            stderr=err.decode(errors="replace"),
            truncated=truncated,
            duration_s=round(duration, 6),
            reason=reason,
        )

    def _pump(
        self, proc: subprocess.Popen[bytes], stdin: bytes | None, deadline: float
    ) -> tuple[bytes, bytes, bool, bool]:
        """Feed stdin, drain stdout/stderr keeping only the cap, kill the group at the deadline."""
        cap = self.limits.output_bytes
        bufs = {"out": bytearray(), "err": bytearray()}
        truncated = timed_out = False
        sel = selectors.DefaultSelector()
        if proc.stdout is None or proc.stderr is None:
            raise SandboxError("subprocess started without output pipes")
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        if proc.stdin is not None:
            try:
                proc.stdin.write(stdin or b"")
                proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            while sel.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                for key, _ in sel.select(remaining):
                    data = os.read(key.fd, 1 << 20)
                    if not data:
                        sel.unregister(key.fileobj)
                        continue
                    buf = bufs[key.data]
                    room = cap - len(buf)
                    if room > 0:
                        buf += data[:room]
                    if len(data) > room:
                        truncated = True
        finally:
            sel.close()
        if timed_out:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # Descendants that daemonised inside the group go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        for stream in (proc.stdout, proc.stderr):
            stream.close()
        return bytes(bufs["out"]), bytes(bufs["err"]), truncated, timed_out

    def put_file(self, path: str, data: bytes, mode: int = 0o644) -> None:
        target = self._path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(mode)
        if self.plan.drop_user:
            for item in (target, *target.parents):
                if item == self.workdir or not item.is_relative_to(self.workdir):
                    break
                os.chown(item, self.uid, self.uid)

    def get_file(self, path: str, max_bytes: int = 64 << 20) -> bytes:
        target = self._path(path)
        if not target.is_file():
            raise SandboxError(f"get_file {path}: no such file")
        if target.stat().st_size > max_bytes:
            raise SandboxError(f"get_file {path}: larger than {max_bytes} bytes")
        return target.read_bytes()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> LocalSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@lru_cache(maxsize=1)
def _host_plan() -> _Plan:
    """The host's confinement plan, probed (with subprocesses) and announced once per process."""
    plan = _Plan()
    # backends.get_backend has said once that the local backend is in use; this is detail
    log.info(
        "LOCAL sandbox backend: untrusted code runs as host processes with rlimits only "
        "(network isolated: %s; unprivileged user: %s). Use Docker for real isolation.",
        bool(plan.netns),
        plan.drop_user,
    )
    return plan


class LocalBackend:
    """Sandboxes as limited host subprocesses."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.plan = _host_plan()

    def default_limits(self) -> Limits:
        return Limits.from_settings(self.settings)

    def start(
        self, image: str | None = None, limits: Limits | None = None, purpose: str = "exec"
    ) -> LocalSandbox:
        if image:
            log.info("local backend ignores image %s: commands run on the host", image)
        return LocalSandbox(self.plan, limits or self.default_limits(), purpose)

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
        self, image: str | None = None, limits: Limits | None = None, purpose: str = "runner"
    ) -> RunnerSession:
        sandbox = self.start(image, limits, purpose)
        try:
            # A copy inside the sandbox dir: the runner file must be readable by its user.
            sandbox.put_file(".runner/runner.py", RUNNER_FILE.read_bytes())
            cmd = [
                *self.plan.prefix(sandbox.limits.network, sandbox.uid),
                self.plan.python,
                "-I",
                "-B",
                str(sandbox.workdir / ".runner" / "runner.py"),
                "--workdir",
                str(sandbox.workdir / "run"),
            ]
            if self.plan.drop_user:
                (sandbox.workdir / "run").mkdir()
                os.chown(sandbox.workdir / "run", sandbox.uid, sandbox.uid)
            proc = subprocess.Popen(
                cmd,
                cwd=sandbox.workdir,
                env=sandbox.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                preexec_fn=_limiter(sandbox.limits, None),
            )
            transport = PipeTransport(proc, on_close=sandbox.close)
        except BaseException as exc:
            sandbox.close()
            if isinstance(exc, OSError):
                raise SandboxError(f"starting a local runner failed: {exc}") from exc
            raise
        try:
            return RunnerSession(transport, sandbox_id=sandbox.id, image="local")
        except BaseException:
            transport.close()
            raise

    def isolation_report(self) -> dict[str, object]:
        plan = self.plan
        notes = [
            "host filesystem is readable (within the permissions of the sandbox user)",
            "memory is an address-space rlimit per process, not a cgroup for the sandbox",
            "process count is an RLIMIT_NPROC on a uid of the sandbox's own, not a pids cgroup",
        ]
        if not plan.netns:
            notes.append("NO network isolation: unshare is unavailable here")
        if not plan.drop_user:
            notes.append(f"runs as uid {os.geteuid()}: could not drop to a uid of its own")
        return {
            "backend": "local",
            "strength": "weak",
            "network": "own empty namespace (unshare -n)" if plan.netns else "HOST NETWORK",
            "filesystem": "scratch dir under the system temp dir; host files visible",
            "user": "a uid of its own per sandbox" if plan.drop_user else str(os.geteuid()),
            "python": plan.python,
            "limits": self.default_limits().model_dump(),
            "notes": notes,
        }

    def close(self) -> None:
        return None


def isolation_report(settings: Settings) -> dict[str, object]:
    """The local backend's isolation report, for ``doctor``."""
    return LocalBackend(settings).isolation_report()
