"""The Prefect API a run talks to: a configured server, or a temporary one owned by the run.

Prefect's own ephemeral server is a plain child of the CLI process: Ctrl-C in a terminal
reaches it first (it shares the foreground process group) and kills it under a flow that
is still running, and a SIGKILL of the run leaves it orphaned. envfoundry starts the same
server itself instead:

* in its own session, so the terminal's signals reach only the run, which then decides;
* with ``PR_SET_PDEATHSIG``, so the kernel stops it when the run dies, even by SIGKILL;
* on a throwaway database in a temporary directory, so nothing a run leaves in Prefect's
  database (concurrency slots, half-finished flow runs) can outlive it.

When ``PREFECT_API_URL`` is set, that server is used as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from envfoundry.errors import EnvfoundryError
from envfoundry.procs import pid_alive

# Marks the temporary servers envfoundry starts, so doctor / `runs repair` can find
# orphans (a server whose run is gone) among the host's processes.
SERVER_MARKER_ENV = "ENVFOUNDRY_PREFECT_SERVER_OF"
_PR_SET_PDEATHSIG = 1


_live: set[TemporaryPrefectAPI] = set()


def kill_temporary_servers() -> None:
    """SIGKILL every temporary server of this process at once (a hard exit's last act)."""
    for server in list(_live):
        proc = server.process
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)


class PrefectAPIError(EnvfoundryError):
    """The temporary Prefect API could not be started."""


def configured_api_url() -> str | None:
    """The Prefect server the user configured (``PREFECT_API_URL``), if any."""
    url = os.environ.get("PREFECT_API_URL", "").strip()
    if url:
        return url
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except OSError:
        pass  # not Linux: the run's own cleanup still stops the server


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TemporaryPrefectAPI:
    """A Prefect API server owned by one run: started in its own session, stopped with it."""

    def __init__(self, owner: str, startup_timeout_s: float = 120.0) -> None:
        self.owner = owner
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> str:
        import httpx
        import prefect

        self._dir = tempfile.TemporaryDirectory(prefix="envfoundry-prefect-")
        log_path = Path(self._dir.name) / "server.log"
        db = Path(self._dir.name) / "prefect.db"
        for _attempt in range(3):
            self.port = _free_port()
            env = {
                **os.environ,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{db}",
                SERVER_MARKER_ENV: f"{self.owner}:{os.getpid()}",
            }
            env.pop("PREFECT_API_URL", None)
            with log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "uvicorn",
                        "--app-dir",
                        str(Path(prefect.__file__).parent.parent),
                        "--factory",
                        "prefect.server.api.server:create_app",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(self.port),
                        "--log-level",
                        "error",
                        "--lifespan",
                        "on",
                    ],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
            _live.add(self)
            deadline = time.monotonic() + self.startup_timeout_s
            with httpx.Client(timeout=2.0) as client:
                while time.monotonic() < deadline:
                    if self.process.poll() is not None:
                        break  # e.g. the port was taken meanwhile: try another one
                    try:
                        if client.get(f"{self.api_url}/health").status_code == 200:
                            return self.api_url
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.1)
            if self.process.poll() is None:
                self.stop()
                raise PrefectAPIError(
                    f"the temporary Prefect API did not answer within {self.startup_timeout_s:g} s"
                    f" (log: {log_path})"
                )
        tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
        self.stop()
        raise PrefectAPIError(f"the temporary Prefect API exited at start-up: {tail.strip()}")

    def stop(self) -> None:
        _live.discard(self)
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if self._dir is not None:
            with contextlib.suppress(OSError):
                self._dir.cleanup()
            self._dir = None


@contextlib.contextmanager
def prefect_api(owner: str, startup_timeout_s: float = 120.0) -> Iterator[str]:
    """Yield the API URL the run uses: the configured server, else a temporary one.

    The URL is exported as ``PREFECT_API_URL`` for the duration (so Dask worker processes
    started meanwhile inherit it) and set in Prefect's settings context.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = configured_api_url()
    server: TemporaryPrefectAPI | None = None
    if url is None:
        server = TemporaryPrefectAPI(owner, startup_timeout_s)
        url = server.start()
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        if server is not None:
            # Send what Prefect's background workers still hold (events, logs) while the
            # server is up: workers left holding items for a server that is gone retry
            # until the interpreter exits, which then hangs (several runs in one process).
            _drain_prefect_workers(timeout_s=10.0)
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        if server is not None:
            server.stop()


def _drain_prefect_workers(timeout_s: float) -> None:
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (EventsWorker, APILogWorker):
        with contextlib.suppress(Exception):  # best effort: never fail a finished run here
            worker.drain_all(timeout=timeout_s, at_exit=False)


def orphaned_servers() -> list[dict[str, object]]:
    """envfoundry's temporary Prefect servers on this host whose run process is gone."""
    out: list[dict[str, object]] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return out
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        marker = next((e for e in environ if e.startswith(SERVER_MARKER_ENV.encode() + b"=")), None)
        if marker is None:
            continue
        owner = marker.split(b"=", 1)[1].decode(errors="replace")
        parent_pid = int(owner.rsplit(":", 1)[-1]) if owner.rsplit(":", 1)[-1].isdigit() else 0
        if parent_pid and pid_alive(parent_pid):
            continue
        out.append({"pid": int(entry.name), "run_id": owner.rsplit(":", 1)[0]})
    return out


def kill_orphaned_servers() -> list[int]:
    """Stop every orphaned temporary server; returns their pids."""
    killed = []
    for orphan in orphaned_servers():
        pid = int(str(orphan["pid"]))
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
            killed.append(pid)
    return killed
