"""Host side of the runner protocol: typed calls to a persistent runner in a sandbox.

A :class:`RunnerSession` owns one transport (a Docker attach socket or local pipes)
and the sandbox behind it. Anything wrong with the channel or the runner itself
raises :class:`SandboxError` and marks the session unhealthy; whatever the untrusted
code did comes back as data in the result models.
"""

from __future__ import annotations

import base64
import itertools
import json
import logging
import os
import select
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.errors import SandboxError, SpecError
from envfoundry.ids import sha256_hex

log = logging.getLogger(__name__)

Fate = Literal["ok", "error", "timeout", "oom", "killed"]
# Extra wall time the host grants beyond an op's own timeout before calling the runner dead.
GRACE_S = 5.0
STDERR_KEEP = 16 * 1024
LINE_CAP = 64 * 1024 * 1024


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class CallError(_Model):
    """A structured error from untrusted code: exception type, message, maybe a traceback."""

    type: str
    message: str = ""
    traceback: str = ""


class ToolInfo(_Model):
    name: str
    signature: str = ""
    doc: str = ""


class EnvInfo(_Model):
    env_id: str
    tools: list[ToolInfo]


class ToolResult(_Model):
    """One tool call: ``result`` when it worked, ``error`` when the tool raised (data, not a crash)."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    result: Any = None
    error: CallError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class SolutionResult(_Model):
    answer: Any = None
    tool_calls: list[ToolResult] = Field(default_factory=list)
    error: CallError | None = None
    reason: Fate
    stdout: str = ""
    stderr: str = ""
    truncated: bool = False
    duration_s: float = 0.0


class VerifierResult(_Model):
    """``passed``/``reason`` are the verifier's verdict; ``status`` is how its run ended.

    ``status != "ok"`` (with ``error``) means the verifier itself crashed, hung or
    returned garbage — not that the answer was wrong.
    """

    passed: bool
    reason: str = ""
    details: dict[str, Any] = Field(default_factory=dict)
    status: Fate
    error: CallError | None = None
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0


class CodeResult(_Model):
    reason: Fate
    stdout: str = ""
    stderr: str = ""
    truncated: bool = False
    error: CallError | None = None
    duration_s: float = 0.0


class Transport(Protocol):
    """A byte channel to the runner's stdin/stdout."""

    def send(self, data: bytes) -> None: ...

    def read_line(self, deadline: float) -> bytes:
        """The next stdout line; SandboxError on EOF, TimeoutError at ``deadline``."""
        ...

    def stderr_tail(self) -> str: ...

    def close(self) -> None: ...


class _LineBuffer:
    def __init__(self) -> None:
        self.buf = bytearray()
        self.err = bytearray()

    def pop_line(self) -> bytes | None:
        idx = self.buf.find(b"\n")
        if idx < 0:
            if len(self.buf) > LINE_CAP:
                raise SandboxError("runner sent an oversized reply line")
            return None
        line = bytes(self.buf[: idx + 1])
        del self.buf[: idx + 1]
        return line

    def add_err(self, data: bytes) -> None:
        self.err += data
        if len(self.err) > STDERR_KEEP:
            del self.err[: len(self.err) - STDERR_KEEP]


class SocketTransport:
    """Docker attach socket with ``tty=False``: stdout/stderr arrive in 8-byte-header frames."""

    _HDR = struct.Struct(">BxxxL")

    def __init__(self, sock: socket.socket, on_close: Callable[[], None] | None = None) -> None:
        self.sock = sock
        self.sock.setblocking(False)
        self.raw = bytearray()
        self.lines = _LineBuffer()
        self.on_close = on_close
        self.eof = False

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                sent = self.sock.send(view)
            except BlockingIOError:
                select.select([], [self.sock], [], 5.0)
                continue
            except OSError as exc:
                raise SandboxError(f"runner channel broke while sending: {exc}") from exc
            view = view[sent:]

    def _demux(self) -> None:
        hdr = self._HDR
        while len(self.raw) >= hdr.size:
            stream, size = hdr.unpack_from(self.raw)
            if len(self.raw) < hdr.size + size:
                return
            payload = bytes(self.raw[hdr.size : hdr.size + size])
            del self.raw[: hdr.size + size]
            if stream == 2:
                self.lines.add_err(payload)
            else:
                self.lines.buf += payload

    def read_line(self, deadline: float) -> bytes:
        while True:
            line = self.lines.pop_line()
            if line is not None:
                return line
            if self.eof:
                raise SandboxError(f"runner exited; its stderr ends: {self.stderr_tail()[-500:]}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = self.sock.recv(1 << 20)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise SandboxError(f"runner channel broke: {exc}") from exc
            if not chunk:
                self.eof = True
            self.raw += chunk
            self._demux()

    def stderr_tail(self) -> str:
        return self.lines.err.decode(errors="replace")

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            if self.on_close:
                self.on_close()


class PipeTransport:
    """A local runner subprocess: stdout is the protocol, stderr is drained into a tail."""

    def __init__(self, proc: subprocess.Popen[bytes], on_close: Callable[[], None] | None = None):
        if proc.stdin is None or proc.stdout is None or proc.stderr is None:
            raise SandboxError("runner subprocess needs stdin, stdout and stderr pipes")
        self.proc = proc
        self.stdin = proc.stdin
        self.out_fd = proc.stdout.fileno()
        os.set_blocking(self.out_fd, False)
        self.lines = _LineBuffer()
        self.on_close = on_close
        stderr = proc.stderr
        # A thread drains stderr so a chatty runner can never block on a full pipe.
        self._drain = threading.Thread(target=self._drain_err, args=(stderr,), daemon=True)
        self._drain.start()

    def _drain_err(self, stream: Any) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            self.lines.add_err(chunk)

    def send(self, data: bytes) -> None:
        try:
            self.stdin.write(data)
            self.stdin.flush()
        except (BrokenPipeError, ValueError, OSError) as exc:
            raise SandboxError(f"runner channel broke while sending: {exc}") from exc

    def read_line(self, deadline: float) -> bytes:
        while True:
            line = self.lines.pop_line()
            if line is not None:
                return line
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.out_fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(self.out_fd, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                raise SandboxError(
                    f"runner exited (code {self.proc.poll()}); stderr: {self.stderr_tail()[-500:]}"
                )
            self.lines.buf += chunk

    def stderr_tail(self) -> str:
        return self.lines.err.decode(errors="replace")

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
            if self.on_close:
                self.on_close()


class RunnerSession:
    """A live runner: send one request at a time, get typed replies back.

    Not safe for concurrent use by several threads; the pool hands each session to
    one user at a time.
    """

    def __init__(self, transport: Transport, *, sandbox_id: str, image: str = "") -> None:
        self.transport = transport
        self.sandbox_id = sandbox_id
        self.image = image
        self.healthy = True
        self.env_id = ""
        self.last_used = time.monotonic()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False
        # Set by backends that can see the sandbox's OOM-kill counter: turns a child's
        # "killed" into "oom" when the kernel's OOM killer was the one that killed it.
        self.oom_probe: Callable[[], int | None] | None = None
        ready = self._read_reply(None, time.monotonic() + 60.0)
        if not ready.get("ready"):
            raise SandboxError(f"runner in {sandbox_id} did not announce itself: {ready}")

    # ----------------------------------------------------------------- raw protocol

    def request(self, op: str, timeout: float = 30.0, **fields: Any) -> dict[str, Any]:
        """Send ``op`` and wait up to ``timeout`` (+ grace) for its reply."""
        if self._closed or not self.healthy:
            raise SandboxError(f"runner session {self.sandbox_id} is closed or unhealthy")
        req_id = next(self._ids)
        data = json.dumps({"id": req_id, "op": op, **fields}, allow_nan=False).encode() + b"\n"
        with self._lock:
            try:
                self.transport.send(data)
                reply = self._read_reply(req_id, time.monotonic() + timeout + GRACE_S)
            except SandboxError:
                self.healthy = False
                raise
            finally:
                self.last_used = time.monotonic()
        if not reply.get("ok"):
            err = reply.get("error") or {}
            raise SandboxError(
                f"runner refused {op}: {err.get('type')}: {err.get('message')} "
                f"(sandbox {self.sandbox_id})"
            )
        return reply

    def _read_reply(self, req_id: int | None, deadline: float) -> dict[str, Any]:
        while True:
            try:
                line = self.transport.read_line(deadline)
            except TimeoutError:
                self.healthy = False
                raise SandboxError(
                    f"runner in {self.sandbox_id} did not answer in time; stderr: "
                    f"{self.transport.stderr_tail()[-500:]}"
                ) from None
            try:
                reply = json.loads(line)
            except json.JSONDecodeError as exc:
                self.healthy = False
                raise SandboxError(f"runner sent a malformed line: {line[:200]!r}") from exc
            if reply.get("id") == req_id:
                return dict(reply)
            log.debug("dropping stale runner reply %s", reply.get("id"))

    # ----------------------------------------------------------------- typed ops

    def ping(self, timeout: float = 5.0) -> dict[str, Any]:
        return self.request("ping", timeout=timeout)

    def is_alive(self, timeout: float = 2.0) -> bool:
        try:
            self.ping(timeout=timeout)
            return True
        except SandboxError:
            return False

    def load_env(
        self,
        tools_source: str,
        db: bytes | None = None,
        *,
        db_path: str | None = None,
        name: str = "env",
        env_id: str | None = None,
    ) -> EnvInfo:
        """Install the pristine database and the tools module; SpecError if the tools don't load."""
        env_id = env_id or env_fingerprint(tools_source, db)
        fields: dict[str, Any] = {"tools_source": tools_source, "name": name, "env_id": env_id}
        if db is not None:
            fields["db_b64"] = base64.b64encode(db).decode()
        elif db_path is not None:
            fields["db_path"] = db_path
        reply = self.request("load_env", timeout=60.0, **fields)
        if not reply.get("loaded"):
            err = reply.get("error") or {}
            self.env_id = ""
            raise SpecError(
                f"tools module {name!r} failed to load: {err.get('type')}: {err.get('message')}"
            )
        self.env_id = env_id
        return EnvInfo.model_validate(reply)

    def reset(self) -> int:
        """A fresh copy of the pristine database; returns the episode number."""
        return int(self.request("reset", timeout=30.0)["episode"])

    def call_tool(self, name: str, args: dict[str, Any], timeout_s: float = 10.0) -> ToolResult:
        reply = self.request(
            "call_tool", timeout=timeout_s, name=name, args=args, timeout_s=timeout_s
        )
        return ToolResult(
            name=name, args=args, result=reply.get("result"), error=reply.get("error")
        )

    def _fork_op(self, op: str, fate_key: str, timeout_s: float, **fields: Any) -> dict[str, Any]:
        before = self.oom_probe() if self.oom_probe else None
        reply = self.request(op, timeout=timeout_s, timeout_s=timeout_s, **fields)
        if reply.get(fate_key) == "killed" and self.oom_probe and before is not None:
            after = self.oom_probe()
            if after is not None and after > before:
                reply[fate_key] = "oom"
        return reply

    def run_solution(
        self, source: str, timeout_s: float = 30.0, memory_mb: int = 256
    ) -> SolutionResult:
        """Run ``solve(tools)`` in a forked child; its tool calls hit the episode database."""
        reply = self._fork_op(
            "run_solution", "reason", timeout_s, source=source, memory_mb=memory_mb
        )
        return SolutionResult.model_validate(reply)

    def run_verifier(
        self, source: str, answer: Any, timeout_s: float = 30.0, memory_mb: int = 256
    ) -> VerifierResult:
        """Run ``verify(answer, db)`` in a forked child with a read-only episode database."""
        reply = self._fork_op(
            "run_verifier", "status", timeout_s, source=source, answer=answer, memory_mb=memory_mb
        )
        return VerifierResult.model_validate(reply)

    def run_verifier_many(
        self, source: str, answers: list[Any], timeout_s: float = 30.0, memory_mb: int = 256
    ) -> list[VerifierResult]:
        """Judge several answers against the current database state in one forked child."""
        reply = self._fork_op(
            "run_verifier", "status", timeout_s, source=source, answers=answers, memory_mb=memory_mb
        )
        results = reply.get("results")
        if (
            reply.get("status") != "ok"
            or not isinstance(results, list)
            or len(results) != len(answers)
        ):
            # the child died or the verifier did not load: every answer shares that fate
            whole = VerifierResult.model_validate({**reply, "passed": False})
            return [whole for _ in answers]
        return [VerifierResult.model_validate(r) for r in results]

    def state_diff(self, timeout_s: float = 30.0) -> list[dict[str, Any]]:
        """What the current episode changed in its database (inserts, updates, deletes),
        independent of surrogate ids and of writes it undid (see the runner's state_diff)."""
        return list(self.request("state_diff", timeout=timeout_s)["changes"])

    def exec_code(self, source: str, timeout_s: float = 30.0, memory_mb: int = 256) -> CodeResult:
        """Run arbitrary Python in a forked child; stdout/stderr captured and capped."""
        reply = self._fork_op("exec_code", "reason", timeout_s, source=source, memory_mb=memory_mb)
        return CodeResult.model_validate(reply)

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.healthy = False
        self.transport.close()

    def __enter__(self) -> RunnerSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def env_fingerprint(tools_source: str, db: bytes | None) -> str:
    """Content id of an environment as loaded into a runner (tools + database bytes)."""
    return sha256_hex(sha256_hex(tools_source) + (sha256_hex(db) if db is not None else "-"))
