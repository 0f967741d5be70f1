"""In-sandbox runner: a persistent fork server speaking JSON lines on stdin/stdout.

Stdlib only (Python >= 3.11) because it is copied into images that have nothing
else. Requests are ``{"id": ..., "op": ..., ...}``; replies ``{"id": ..., "ok": bool, ...}``.
``ok`` is about the protocol: a tool that raises or a solution that crashes is a
successful op whose reply carries the error as data. Untrusted solutions, verifiers
and code run in forked children with rlimits and an audit hook; the hook is a
tripwire inside the real boundary (the container), not the boundary itself.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import inspect
import json
import linecache
import os
import re
import resource
import select
import shutil
import signal
import sqlite3
import struct
import sys
import sysconfig
import time
import traceback
import types
from collections.abc import Callable
from typing import Any


def _words(text: str) -> list[str]:
    return text.split()


# Pre-imported so forked children find them in sys.modules instead of opening files.
for _name in _words(
    "math collections itertools functools statistics datetime decimal fractions random string "
    "heapq bisect typing dataclasses operator copy re textwrap unicodedata difflib io enum "
    "numbers calendar zlib"
):
    __import__(_name)

OUTPUT_CAP = 64 * 1024
FRAME_CAP = 32 * 1024 * 1024
TRACE_CAP = 4000
MAX_RECORDED_CALLS = 10_000
EXIT_OOM = 77
_HDR = struct.Struct(">I")

_BLOCKED_EVENTS = frozenset(
    _words(
        "os.system os.fork os.forkpty os.kill os.killpg os.putenv os.chmod os.chown os.remove "
        "os.rename os.rmdir os.mkdir os.link os.symlink os.truncate os.utime signal.pthread_kill "
        "subprocess.Popen pty.spawn gc.get_objects gc.get_referrers gc.get_referents "
        "sys._getframe sys._current_frames sys.settrace sys.setprofile code.__new__ "
        "function.__new__ mmap.__new__ resource.setrlimit resource.prlimit os.add_dll_directory "
        "cpython.run_command"
    )
)
_BLOCKED_PREFIXES = tuple(
    _words(
        "socket. ctypes. sqlite3. os.exec os.spawn os.posix_spawn shutil. subprocess. urllib. "
        "http. ftplib. smtplib. webbrowser."
    )
)
_BLOCKED_IMPORTS = frozenset(
    _words(
        "ctypes _ctypes socket _socket ssl _ssl _posixsubprocess subprocess multiprocessing "
        "_multiprocessing mmap fcntl pty termios asyncio concurrent urllib http ftplib smtplib "
        "telnetlib xmlrpc socketserver _sqlite3 sqlite3 resource signal"
    )
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _error(exc: BaseException, with_trace: bool = True) -> dict[str, Any]:
    # Untrusted exceptions may have a __str__ that raises; an error report must not.
    try:
        message = str(exc)[:TRACE_CAP]
    except Exception:
        message = "<unprintable exception>"
    out: dict[str, Any] = {"type": type(exc).__name__, "message": message}
    if with_trace:
        try:
            out["traceback"] = "".join(traceback.format_exception(exc))[-TRACE_CAP:]
        except Exception:
            out["traceback"] = ""
    return out


def _compile(source: str, filename: str) -> types.CodeType:
    # Seed linecache so tracebacks show the untrusted source without opening any file.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    code = _precompiled(source, filename)
    return code if code is not None else compile(source, filename, "exec")


MAX_PRECOMPILE = 256 * 1024


@functools.lru_cache(maxsize=64)
def _precompiled(source: str, filename: str) -> types.CodeType | None:
    """The code object of a source judged again and again (a task's verifier, its reference
    solution), compiled once in the runner so each forked child skips it. Compiling runs no
    code; a source that does not compile (or is huge) is left to the child, which reports
    the error under its own limits."""
    if len(source) > MAX_PRECOMPILE:
        return None
    try:
        return compile(source, filename, "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def _plain(obj: Any) -> Any:
    """Rows (``sqlite3.Row``, the contract's row factory) become dicts, recursively."""
    if isinstance(obj, sqlite3.Row):
        return dict(obj)
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def _read_only(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    db.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    return db


# the name of the request a checked run's child makes for the state diff: never a tool's
# name (those are ^[A-Za-z0-9_-]{1,64}$)
_DIFF_CALL = "\x00state_diff"

_VERIFY_DEF = re.compile(r"^def verify\(([^)]*)\)", re.MULTILINE)


@functools.lru_cache(maxsize=256)
def _wants_diff(source: str) -> bool:
    """Whether the verifier's ``verify`` takes ``(answer, db, before, changes)``: read from
    the text of its top-level ``def``, in the trusted runner, without running it."""
    match = _VERIFY_DEF.search(source)
    if match is None:
        return False
    params = [p for p in match.group(1).split(",") if p.strip()]
    return len(params) >= 4


class ToolError(Exception):
    """Raised inside a solution when a tool call failed; ``kind`` is the tool's exception type."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


# --------------------------------------------------------------------------- child plumbing


def _send_frame(fd: int, obj: Any) -> None:
    data = json.dumps(obj, allow_nan=False).encode()
    payload = _HDR.pack(len(data)) + data
    while payload:
        payload = payload[os.write(fd, payload) :]


def _recv_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        chunk = os.read(fd, n)
        if not chunk:
            raise EOFError("parent closed the pipe")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv_frame(fd: int) -> Any:
    (size,) = _HDR.unpack(_recv_exact(fd, _HDR.size))
    return json.loads(_recv_exact(fd, size))


class ToolProxy:
    """What ``solve(tools)`` gets: attribute calls become requests to the parent."""

    def __init__(self, names: list[str], req_fd: int, resp_fd: int) -> None:
        self._names = list(names)
        self._req = req_fd
        self._resp = resp_fd

    def call(self, name: str, /, **args: Any) -> Any:
        _send_frame(self._req, {"t": "call", "name": name, "args": args})
        reply = _recv_frame(self._resp)
        if reply.get("error"):
            raise ToolError(reply["error"]["type"], reply["error"]["message"])
        return reply.get("result")

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def tool(**args: Any) -> Any:
            return self.call(name, **args)

        tool.__name__ = name
        return tool

    def __dir__(self) -> list[str]:
        return [*self._names, "call"]


def _arm_audit(read_ok: tuple[str, ...], write_ok: tuple[str, ...], deny: frozenset[str]) -> None:
    """Install the child's audit hook. It closes over immutables only, and gc/frame access
    is itself blocked, so code in the child cannot reach in and disarm it."""
    blocked_events = _BLOCKED_EVENTS
    blocked_prefixes = _BLOCKED_PREFIXES
    blocked_imports = _BLOCKED_IMPORTS
    write_flags = _WRITE_FLAGS
    abspath = os.path.abspath

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = ((*tuple(args), None, None, 0))[:3]
            if not isinstance(path, str | bytes):
                raise PermissionError("sandbox: opening file descriptors is not allowed")
            full = abspath(os.fsdecode(path))
            writing = bool((flags or 0) & write_flags) or any(c in (mode or "") for c in "wax+")
            if full in deny:
                raise PermissionError(f"sandbox: access to {full} is not allowed")
            allowed = write_ok if writing else read_ok + write_ok
            if not any(full == p or full.startswith(p + os.sep) for p in allowed):
                raise PermissionError(f"sandbox: open({full!r}) is not allowed")
        elif event == "import":
            if str(args[0]).partition(".")[0] in blocked_imports:
                raise ImportError(f"sandbox: import of {args[0]} is not allowed")
        elif event == "object.__setattr__":
            if not isinstance(args[0], type):
                raise PermissionError("sandbox: rewriting function internals is not allowed")
        elif event in blocked_events or event.startswith(blocked_prefixes):
            raise PermissionError(f"sandbox: {event} is not allowed")

    sys.addaudithook(hook)


def _stdlib_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    dirs = {paths.get("stdlib", ""), paths.get("platstdlib", "")}
    dirs |= {p for p in sys.path if p and "lib-dynload" in p}
    return tuple(sorted(os.path.abspath(d) for d in dirs if d))


class Runner:
    """State of one runner: the loaded environment and the current episode."""

    def __init__(self, workdir: str, out: Any) -> None:
        self.workdir = os.path.abspath(workdir)
        self.out = out
        self.env_name = ""
        self.env_id = ""
        self.pristine = ""
        self.tools: dict[str, Callable[..., Any]] = {}
        self.episode_dir = ""
        self.episode_db = ""
        self.episode = 0
        self.conn: sqlite3.Connection | None = None
        self.stdlib = _stdlib_dirs()
        self.vsz = 0

    # ----------------------------------------------------------------- environment ops

    def op_ping(self, req: dict[str, Any]) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "uid": os.getuid(),
            "python": sys.version.split()[0],
            "env": self.env_name,
            "env_id": self.env_id,
            "episode": self.episode,
        }

    def op_load_env(self, req: dict[str, Any]) -> dict[str, Any]:
        name = str(req.get("name") or "env")
        source = req["tools_source"]
        env_dir = os.path.join(self.workdir, "env")
        self._close_conn()
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(env_dir, onerror=_force_remove)
        os.makedirs(env_dir)
        pristine = os.path.join(env_dir, "pristine.db")
        if req.get("db_b64") is not None:
            with open(pristine, "wb") as fh:
                fh.write(base64.b64decode(req["db_b64"]))
        elif req.get("db_path"):
            shutil.copyfile(req["db_path"], pristine)
        else:
            sqlite3.connect(pristine).close()
        # Read-only for the runner's own uid too, so nothing in the sandbox rewrites it.
        os.chmod(pristine, 0o444)
        module = types.ModuleType(f"envfoundry_tools_{name}")
        try:
            exec(compile(source, f"<tools:{name}>", "exec"), module.__dict__)
        except BaseException as exc:
            self.tools, self.env_name, self.env_id = {}, "", ""
            return {"loaded": False, "error": _error(exc)}
        self.tools = {
            key: fn
            for key, fn in vars(module).items()
            if callable(fn)
            and not key.startswith("_")
            and getattr(fn, "__module__", None) == module.__name__
            and inspect.isfunction(fn)
        }
        self.pristine = pristine
        self.env_name = name
        self.env_id = str(req.get("env_id") or hashlib.sha256(source.encode()).hexdigest())
        self.episode_dir = ""
        tools = [
            {"name": key, "signature": str(inspect.signature(fn)), "doc": inspect.getdoc(fn) or ""}
            for key, fn in sorted(self.tools.items())
        ]
        return {"loaded": True, "tools": tools, "env_id": self.env_id}

    def op_reset(self, req: dict[str, Any]) -> dict[str, Any]:
        if not self.pristine:
            raise RuntimeError("reset before load_env")
        self._close_conn()
        if self.episode_dir:
            shutil.rmtree(self.episode_dir, onerror=_force_remove)
        self.episode += 1
        self.episode_dir = os.path.join(self.workdir, f"episode-{self.episode}")
        os.makedirs(self.episode_dir)
        self.episode_db = os.path.join(self.episode_dir, "state.db")
        shutil.copyfile(self.pristine, self.episode_db)
        os.chmod(self.episode_db, 0o644)
        self._open_conn()
        return {"episode": self.episode}

    def _open_conn(self) -> sqlite3.Connection:
        if self.conn is None:
            if not self.episode_db:
                raise RuntimeError("no episode: call reset first")
            self.conn = sqlite3.connect(self.episode_db, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            # The episode db is thrown away after the episode: durability buys nothing.
            self.conn.execute("PRAGMA journal_mode=MEMORY")
            self.conn.execute("PRAGMA synchronous=OFF")
        return self.conn

    def _close_conn(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def op_call_tool(self, req: dict[str, Any]) -> dict[str, Any]:
        return self._call_tool(
            str(req["name"]), req.get("args") or {}, float(req.get("timeout_s") or 10.0)
        )

    def _call_tool(self, name: str, args: Any, timeout_s: float) -> dict[str, Any]:
        fn = self.tools.get(name)
        if fn is None:
            return {"error": {"type": "UnknownTool", "message": f"no tool named {name!r}"}}
        if not isinstance(args, dict):
            return {"error": {"type": "TypeError", "message": "tool args must be an object"}}
        conn = self._open_conn()
        deadline = time.monotonic() + timeout_s
        # A hung tool must not hang the runner: an alarm interrupts Python code, and the
        # progress handler aborts a long SQL statement (which ignores signals until it ends).
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        conn.execute("BEGIN")
        try:
            result = _plain(fn(conn, **args))
            json.dumps(result, allow_nan=False)
            if conn.in_transaction:  # the tool may have committed on its own
                conn.execute("COMMIT")
            return {"result": result}
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, _Timeout) or (
                isinstance(exc, sqlite3.OperationalError) and time.monotonic() > deadline
            ):
                return {"error": {"type": "Timeout", "message": f"tool exceeded {timeout_s} s"}}
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                return {"error": _error(exc, with_trace=False)}
            if not isinstance(exc, Exception):
                raise
            return {"error": _error(exc, with_trace=False)}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            conn.set_progress_handler(None, 0)

    # ----------------------------------------------------------------- forked children

    def op_run_solution(self, req: dict[str, Any]) -> dict[str, Any]:
        source = str(req["source"])
        names = sorted(self.tools)

        def child(req_fd: int, resp_fd: int, arm: Callable[[], None]) -> dict[str, Any]:
            arm()
            ns: dict[str, Any] = {"__name__": "solution", "ToolError": ToolError}
            exec(_compile(source, "<solution>"), ns)
            solve = ns.get("solve")
            if not callable(solve):
                raise TypeError("the solution defines no solve(tools) function")
            return {"answer": solve(ToolProxy(names, req_fd, resp_fd))}

        _precompiled(source, "<solution>")  # in the parent: inherited by the child
        out = self._fork_with_tools(child, req)
        out["reason"] = out.pop("status")
        return out

    def _fork_with_tools(
        self,
        child: Callable[[int, int, Callable[[], None]], dict[str, Any]],
        req: dict[str, Any],
        special: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
    ) -> dict[str, Any]:
        """Fork ``child`` with the episode's tools answered here (and recorded), ``special``
        first for requests that are not tool calls; the reply has ``tool_calls``/``answer``."""
        calls: list[dict[str, Any]] = []

        def on_call(msg: dict[str, Any]) -> dict[str, Any]:
            reply = special(msg) if special is not None else None
            if reply is not None:
                return reply
            reply = self._call_tool(str(msg.get("name")), msg.get("args"), 10.0)
            if len(calls) < MAX_RECORDED_CALLS:
                calls.append({"name": msg.get("name"), "args": msg.get("args"), **reply})
            return reply

        self._open_conn()
        out = self._fork(
            child,
            timeout_s=float(req.get("timeout_s") or 30.0),
            memory_mb=int(req.get("memory_mb") or 512),
            on_call=on_call,
            writable=(),
        )
        out["tool_calls"] = calls
        out.setdefault("answer", None)
        return out

    def op_run_checked(self, req: dict[str, Any]) -> dict[str, Any]:
        """On a fresh episode, run a solution and judge its answer with a verifier, both in
        ONE forked child (half the forks of run_solution + run_verifier: acceptance runs
        many controls). The verifier's database handles are opened read-only before the
        child is armed; the state diff comes from here once the solution is done. A
        solution that raises is judged with the answer ``None``, like a separate run.
        Only for code from one author (a generator's controls): a solution could tamper
        with a verifier that shares its process."""
        self.op_reset({})
        source, vsource = str(req["source"]), str(req["verifier"])
        names = sorted(self.tools)
        db_path, pristine = self.episode_db, self.pristine
        wants = _wants_diff(vsource)
        _precompiled(source, "<solution>")
        _precompiled(vsource, "<verifier>")

        def child(req_fd: int, resp_fd: int, arm: Callable[[], None]) -> dict[str, Any]:
            db = _read_only(db_path)
            before = _read_only(pristine) if wants else None
            arm()
            proxy = ToolProxy(names, req_fd, resp_fd)
            answer: Any = None
            failed: dict[str, Any] | None = None
            try:
                ns: dict[str, Any] = {"__name__": "solution", "ToolError": ToolError}
                exec(_compile(source, "<solution>"), ns)
                solve = ns.get("solve")
                if not callable(solve):
                    raise TypeError("the solution defines no solve(tools) function")
                answer = solve(proxy)
                json.dumps(answer, allow_nan=False)
            except MemoryError:
                raise
            except Exception as exc:
                answer, failed = None, _error(exc)
            vns: dict[str, Any] = {"__name__": "verifier"}
            exec(_compile(vsource, "<verifier>"), vns)
            verify = vns.get("verify")
            if not callable(verify):
                raise TypeError("the verifier defines no verify(answer, db) function")
            extra = (before, proxy.call(_DIFF_CALL)) if wants else ()
            return {
                "answer": answer,
                "solution_error": failed,
                **_verdict(verify(answer, db, *extra)),
            }

        def diff(msg: dict[str, Any]) -> dict[str, Any] | None:
            if msg.get("name") != _DIFF_CALL:
                return None
            self._close_conn()
            return {"result": state_diff(pristine, db_path)}

        out = self._fork_with_tools(child, req, diff)
        out.setdefault("passed", False)
        out.setdefault("reason", "")
        return out

    def op_run_verifier(self, req: dict[str, Any]) -> dict[str, Any]:
        source = str(req["source"])
        answer = req.get("answer")
        db_path = self.episode_db
        if not db_path:
            raise RuntimeError("run_verifier before reset")

        # ``answers`` (a list) judges several answers against the same database state in
        # one child: negative controls on a fresh episode cost one fork, not one each.
        many = req.get("answers")

        pristine = self.pristine
        # A verifier that takes more than (answer, db) also gets the initial state (read-only)
        # and the episode's net changes (see state_diff), to judge the diff of a write task.
        # Both are worked out here, before the fork: the child inherits them.
        changes = state_diff(pristine, db_path) if _wants_diff(source) else None
        _precompiled(source, "<verifier>")

        def child(req_fd: int, resp_fd: int, arm: Callable[[], None]) -> dict[str, Any]:
            # Opened before the hook is armed; mode=ro plus the authorizer keep it read-only.
            db = _read_only(db_path)
            extra: tuple[Any, ...] = ()
            if changes is not None:
                extra = (_read_only(pristine), changes)
            arm()
            ns: dict[str, Any] = {"__name__": "verifier"}
            exec(_compile(source, "<verifier>"), ns)
            verify = ns.get("verify")
            if not callable(verify):
                raise TypeError("the verifier defines no verify(answer, db) function")
            if many is None:
                return _verdict(verify(answer, db, *extra))
            results = []
            for item in many:
                try:
                    results.append({**_verdict(verify(item, db, *extra)), "status": "ok"})
                except MemoryError:
                    raise
                except Exception as exc:
                    results.append(
                        {"passed": False, "reason": "", "status": "error", "error": _error(exc)}
                    )
            return {"passed": False, "reason": "", "results": results}

        # Nothing in the sandbox may write the episode db while the verifier runs.
        self._close_conn()
        os.chmod(db_path, 0o444)
        try:
            out = self._fork(
                child,
                timeout_s=float(req.get("timeout_s") or 30.0),
                memory_mb=int(req.get("memory_mb") or 512),
                on_call=None,
                writable=(),
            )
        finally:
            os.chmod(db_path, 0o644)
        out.setdefault("passed", False)
        out.setdefault("reason", "")
        return out

    def op_state_diff(self, req: dict[str, Any]) -> dict[str, Any]:
        """What the episode changed in its database: see :func:`state_diff`."""
        if not self.episode_db:
            raise RuntimeError("state_diff before reset")
        return {"changes": state_diff(self.pristine, self.episode_db)}

    def op_exec_code(self, req: dict[str, Any]) -> dict[str, Any]:
        source = str(req["source"])
        scratch = os.path.join(self.workdir, "scratch")
        os.makedirs(scratch, exist_ok=True)

        def child(req_fd: int, resp_fd: int, arm: Callable[[], None]) -> dict[str, Any]:
            os.chdir(scratch)
            arm()
            exec(_compile(source, "<code>"), {"__name__": "__main__"})
            return {}

        out = self._fork(
            child,
            timeout_s=float(req.get("timeout_s") or 30.0),
            memory_mb=int(req.get("memory_mb") or 512),
            on_call=None,
            writable=(scratch,),
        )
        out["reason"] = out.pop("status")
        return out

    def _fork(
        self,
        target: Callable[[int, int, Callable[[], None]], dict[str, Any]],
        *,
        timeout_s: float,
        memory_mb: int,
        on_call: Callable[[dict[str, Any]], dict[str, Any]] | None,
        writable: tuple[str, ...],
    ) -> dict[str, Any]:
        """Run ``target`` in a forked, limited child; supervise it from here.

        ``target`` gets the request/response pipe fds and ``arm``, which it must call
        (after opening whatever it legitimately needs) to install the audit hook.
        """
        started = time.monotonic()
        # The child must not inherit an open database handle it could read through.
        reopen = self.conn is not None
        self._close_conn()
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # child: never returns into the runner loop
            code = 1
            try:
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.dup2(out_w, 1)
                os.dup2(err_w, 2)
                keep = sorted({req_w, resp_r})
                lo = 3
                for fd in keep:
                    os.closerange(lo, fd)
                    lo = fd + 1
                os.closerange(lo, 4096)
                _limit_child(timeout_s, memory_mb)
                deny = frozenset(p for p in (self.pristine, self.episode_db) if p)
                stdlib = self.stdlib

                def arm() -> None:
                    _arm_audit(stdlib, writable, deny)

                try:
                    payload = target(req_w, resp_r, arm)
                    payload["status"] = "ok"
                except MemoryError:
                    payload = {"status": "oom", "error": {"type": "MemoryError", "message": ""}}
                except BaseException as exc:
                    payload = {"status": "error", "error": _error(exc)}
                sys.stdout.flush()
                sys.stderr.flush()
                try:
                    _send_frame(req_w, {"t": "result", **payload})
                except (TypeError, ValueError) as exc:  # an answer that is not JSON
                    _send_frame(req_w, {"t": "result", "status": "error", "error": _error(exc)})
                code = 0
            except MemoryError:
                code = EXIT_OOM
            finally:
                os._exit(code)
        for fd in (req_w, resp_r, out_w, err_w):
            os.close(fd)
        try:
            result = self._supervise(pid, req_r, resp_w, out_r, err_r, started + timeout_s, on_call)
        finally:
            for fd in (req_r, resp_w, out_r, err_r):
                with contextlib.suppress(OSError):
                    os.close(fd)
            if reopen:
                self._open_conn()
        result["duration_s"] = round(time.monotonic() - started, 6)
        return result

    def _supervise(
        self,
        pid: int,
        req_r: int,
        resp_w: int,
        out_r: int,
        err_r: int,
        deadline: float,
        on_call: Callable[[dict[str, Any]], dict[str, Any]] | None,
    ) -> dict[str, Any]:
        captured = {out_r: bytearray(), err_r: bytearray()}
        truncated = False
        pending = bytearray()
        result: dict[str, Any] | None = None
        timed_out = False
        open_fds = {req_r, out_r, err_r}
        if on_call is not None:
            self._open_conn()  # tool calls run here, against the episode db
        try:
            while open_fds:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                ready, _, _ = select.select(list(open_fds), [], [], remaining)
                for fd in ready:
                    data = os.read(fd, 65536)
                    if not data:
                        open_fds.discard(fd)
                    elif fd == req_r:
                        pending += data
                        if len(pending) > FRAME_CAP + _HDR.size:
                            raise RuntimeError("child sent an oversized frame")
                        while len(pending) >= _HDR.size:
                            (size,) = _HDR.unpack_from(pending)
                            if len(pending) < _HDR.size + size:
                                break
                            msg = json.loads(bytes(pending[_HDR.size : _HDR.size + size]))
                            del pending[: _HDR.size + size]
                            if msg.get("t") == "call" and on_call is not None:
                                _send_frame(resp_w, on_call(msg))
                            elif msg.get("t") == "result":
                                result = msg
                    else:
                        buf = captured[fd]
                        room = OUTPUT_CAP - len(buf)
                        if room > 0:
                            buf += data[:room]
                        if len(data) > room:
                            truncated = True  # keep draining so the child never blocks
        finally:
            self._close_conn()
        status = self._reap(pid, deadline, timed_out)
        out: dict[str, Any] = {
            "stdout": captured[out_r].decode(errors="replace"),
            "stderr": captured[err_r].decode(errors="replace"),
            "truncated": truncated,
        }
        if result is not None:
            result.pop("t", None)
            out.update(result)
            if status not in ("ok", "error"):
                out["status"] = status
        else:
            out["status"] = status if status != "ok" else "error"
            out.setdefault(
                "error",
                {"type": "ChildDied", "message": f"child ended without a result ({status})"},
            )
        return out

    @staticmethod
    def _reap(pid: int, deadline: float, timed_out: bool) -> str:
        """Wait for the child (killing it at the deadline); its fate as a reason string."""
        while not timed_out:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() >= deadline:
                timed_out = True
                break
            time.sleep(0.0005)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig in (signal.SIGXCPU,):
                return "timeout"
            return "killed"
        code = os.WEXITSTATUS(status)
        if code == EXIT_OOM:
            return "oom"
        return "ok" if code == 0 else "error"


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout()


def _force_remove(func: Callable[[str], Any], path: str, exc: Any) -> None:
    os.chmod(path, 0o700)
    func(path)


def _verdict(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"passed": value, "reason": ""}
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bool):
        return {"passed": value[0], "reason": str(value[1])}
    if isinstance(value, dict) and isinstance(value.get("passed"), bool):
        details = {k: v for k, v in value.items() if k not in ("passed", "reason")}
        return {
            "passed": value["passed"],
            "reason": str(value.get("reason", "")),
            "details": details,
        }
    raise TypeError(f"verify returned {type(value).__name__}; expected bool, (bool, str) or dict")


def _limit_child(timeout_s: float, memory_mb: int) -> None:
    cpu = int(timeout_s) + 1
    _, hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    if hard_cpu != resource.RLIM_INFINITY:
        cpu = min(cpu, hard_cpu - 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    with open("/proc/self/statm") as fh:
        vsz = int(fh.read().split()[0]) * resource.getpagesize()
    # The child starts as a copy of the runner, so its budget comes on top of that.
    limit = vsz + memory_mb * (1 << 20)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)  # an unprivileged process cannot raise its hard limit
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    with contextlib.suppress(
        ValueError, OSError
    ):  # root ignores NPROC; the audit hook still blocks
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# --------------------------------------------------------------------------- main loop


def serve(workdir: str) -> int:
    """Serve requests until stdin closes. Stray prints go to stderr, never into the protocol."""
    proto_in = os.fdopen(os.dup(0), "rb", buffering=0)
    proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    os.makedirs(workdir, exist_ok=True)
    os.chdir(workdir)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    runner = Runner(workdir, proto_out)
    reader = _LineReader(proto_in.fileno())
    proto_out.write(b'{"id": null, "ok": true, "ready": true}\n')
    while True:
        line = reader.readline()
        if line is None:
            return 0
        if not line.strip():
            continue
        req_id = None
        try:
            req = json.loads(line)
            req_id = req.get("id")
            handler = getattr(runner, "op_" + str(req.get("op")), None)
            if handler is None:
                raise ValueError(f"unknown op {req.get('op')!r}")
            reply = {"id": req_id, "ok": True, **handler(req)}
        except Exception as exc:
            reply = {"id": req_id, "ok": False, "error": _error(exc)}
        data = json.dumps(reply, default=repr).encode() + b"\n"
        view = memoryview(data)
        while view:
            view = view[proto_out.write(view) or 0 :]


class _LineReader:
    """Unbuffered line reader on a raw fd, so select/fork never fight a buffered stdin."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def readline(self) -> bytes | None:
        while True:
            idx = self.buf.find(b"\n")
            if idx >= 0:
                line = bytes(self.buf[: idx + 1])
                del self.buf[: idx + 1]
                return line
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return bytes(self.buf) if self.buf else None
            self.buf += chunk


# --------------------------------------------------------------------------- state diff

# A row inserted during an episode whose status ends as one of these was undone
# (a booking made and cancelled): it is not part of what the episode changed.
VOID_STATUSES = frozenset(("cancelled", "canceled", "dropped", "refunded", "released"))


def _table_rows(conn: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute(f'SELECT * FROM "{table}"')]


def state_diff(before_path: str, after_path: str) -> list[dict[str, Any]]:
    """The net change from ``before_path`` to ``after_path``, independent of surrogate ids.

    * existing rows (by primary key) that changed: ``{"op": "update", "table", "key", "set":
      {column: [old, new]}}``; existing rows that are gone: ``{"op": "delete", ...}``;
    * new rows: ``{"op": "insert", "table", "row"}`` without their surrogate integer key,
      and with foreign keys to other new rows replaced by a token of that row's content, so
      the same writes made in another order, or after an undone write, compare equal;
    * a new row whose status ends void (see :data:`VOID_STATUSES`), and new rows that
      point to it, were undone and are left out.

    The list is sorted, so equal changes give equal lists.
    """
    conn = sqlite3.connect(f"file:{after_path}?mode=ro", uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS before", (f"file:{before_path}?mode=ro",))
        return _state_diff(conn)
    finally:
        conn.close()


def _state_diff(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    conn.row_factory = sqlite3.Row
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    old_tables = {
        r[0] for r in conn.execute("SELECT name FROM before.sqlite_master WHERE type = 'table'")
    }
    info: dict[str, dict[str, Any]] = {}
    for t in tables:
        cols = conn.execute(f'PRAGMA main.table_info("{t}")').fetchall()
        pk = [c[1] for c in sorted((c for c in cols if c[5]), key=lambda c: c[5])]
        surrogate = len(pk) == 1 and any(
            c[1] == pk[0] and str(c[2]).upper() == "INTEGER" for c in cols
        )
        fks = {
            fk[3]: (fk[2], fk[4])  # column -> (parent table, parent column)
            for fk in conn.execute(f'PRAGMA main.foreign_key_list("{t}")').fetchall()
        }
        info[t] = {"pk": pk, "surrogate": surrogate, "fks": fks}

    new_rows: dict[str, dict[Any, dict[str, Any]]] = {}
    changes: list[dict[str, Any]] = []
    pending_updates: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = []
    for t in tables:
        # only the rows that differ leave SQLite: the set differences, both ways
        if t in old_tables:
            added = [
                dict(r)
                for r in conn.execute(f'SELECT * FROM main."{t}" EXCEPT SELECT * FROM before."{t}"')
            ]
            gone = [
                dict(r)
                for r in conn.execute(f'SELECT * FROM before."{t}" EXCEPT SELECT * FROM main."{t}"')
            ]
        else:
            added, gone = [dict(r) for r in conn.execute(f'SELECT * FROM main."{t}"')], []
        pk = info[t]["pk"]
        if not pk:  # no key: rows are their own identity
            for i, r in enumerate(added):
                new_rows.setdefault(t, {})[("#", i)] = r
            changes.extend({"op": "delete", "table": t, "row": r} for r in gone)
            continue
        old = {tuple(r[c] for c in pk): r for r in gone}
        for r in added:
            key = tuple(r[c] for c in pk)
            prev = old.pop(key, None)
            if prev is None:
                new_rows.setdefault(t, {})[key] = r
            else:
                pending_updates.append((t, dict(zip(pk, key, strict=True)), prev, r))
        for key in old:
            changes.append({"op": "delete", "table": t, "key": dict(zip(pk, key, strict=True))})

    # void: new rows undone by their status, and new rows that point to them
    void: set[tuple[str, Any]] = {
        (t, k)
        for t, rows in new_rows.items()
        for k, r in rows.items()
        if isinstance(r.get("status"), str) and r["status"].lower() in VOID_STATUSES
    }
    grew = True
    while grew:
        grew = False
        for t, rows in new_rows.items():
            for k, r in rows.items():
                if (t, k) in void:
                    continue
                for col, (parent, _pcol) in info[t]["fks"].items():
                    if (parent, (r.get(col),)) in void:
                        void.add((t, k))
                        grew = True
                        break

    tokens: dict[tuple[str, Any], str] = {}

    def token(t: str, key: Any, depth: int = 0) -> str:
        if (t, key) not in tokens:
            row = new_rows[t][key]
            content = json.dumps(render(t, row, depth + 1), sort_keys=True, default=str)
            tokens[(t, key)] = f"new {t} " + hashlib.sha256(content.encode()).hexdigest()[:12]
        return tokens[(t, key)]

    def ref(t: str, col: str, value: Any, depth: int) -> Any:
        fk = info[t]["fks"].get(col)
        if fk is None or depth > 8:
            return value
        parent = fk[0]
        if (value,) in new_rows.get(parent, {}) and info.get(parent, {}).get("surrogate"):
            return token(parent, (value,), depth)
        return value

    def render(t: str, row: dict[str, Any], depth: int = 0) -> dict[str, Any]:
        drop = info[t]["pk"][0] if info[t]["surrogate"] else None
        return {c: ref(t, c, v, depth) for c, v in row.items() if c != drop}

    for t, rows in new_rows.items():
        for k, r in rows.items():
            if (t, k) not in void:
                changes.append({"op": "insert", "table": t, "row": render(t, r)})
    for t, where, prev, r in pending_updates:
        diff = {
            c: [ref(t, c, prev.get(c), 0), ref(t, c, v, 0)]
            for c, v in r.items()
            if prev.get(c) != v
        }
        changes.append({"op": "update", "table": t, "key": where, "set": diff})
    changes.sort(key=lambda c: json.dumps(c, sort_keys=True, default=str))
    return changes


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    workdir = "/work"
    if "--workdir" in args:
        workdir = args[args.index("--workdir") + 1]
    return serve(workdir)


if __name__ == "__main__":
    sys.exit(main())
