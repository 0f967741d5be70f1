"""The kernel driver: runs inside the interpreter sandbox and drives one IPython kernel.

It speaks the runner's line protocol on stdin / stdout (one JSON request per line, one
reply per request, a ``ready`` line first) and talks to the kernel with jupyter_client.
Ops: ``ping``, ``execute`` (one cell, with a timeout, capped output and PNG images),
``put_files`` (into the work dir), ``reset`` (a fresh namespace: ``soft`` resets the
namespace in the warm kernel, otherwise every process of the sandbox user is killed,
the work dir emptied and a new kernel started).

A cell that outlives its timeout is interrupted (SIGINT); if the kernel is not idle
again shortly after, every process the sandbox user owns is killed (``kill(-1)`` spares
only this driver, so forked children die too) and a fresh kernel is started.

Only the standard library and jupyter_client are used; it is copied into the image.
"""

import base64
import contextlib
import json
import os
import queue
import re
import shutil
import signal
import sys
import time
import traceback
from typing import Any

PROTO_OUT = os.fdopen(os.dup(1), "wb", buffering=0)
# Nothing but replies may reach the protocol channel: library chatter goes to stderr.
os.dup2(2, 1)
sys.stdout = sys.stderr

from jupyter_client.manager import KernelManager  # noqa: E402

WORK = os.environ.get("INTERP_WORKDIR", "/work")
SPEC_ROOT = "/tmp/jupyter"
LAUNCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel_launch.py")
INTERRUPT_GRACE_S = 2.0
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _kernelspec():
    path = os.path.join(SPEC_ROOT, "kernels", "sandbox")
    os.makedirs(path, exist_ok=True)
    spec = {
        # no input history: nothing reads it, and its sqlite writes slow every reset down
        "argv": [
            sys.executable,
            LAUNCH,
            "-f",
            "{connection_file}",
            "--HistoryManager.enabled=False",
        ],
        "display_name": "sandbox",
        "language": "python",
        "interrupt_mode": "signal",
        # figures come back as PNG display data (the image's default backend is Agg)
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    }
    with open(os.path.join(path, "kernel.json"), "w") as fh:
        json.dump(spec, fh)
    os.environ["JUPYTER_PATH"] = SPEC_ROOT
    os.environ.setdefault("JUPYTER_RUNTIME_DIR", os.path.join(SPEC_ROOT, "runtime"))
    os.environ.setdefault("IPYTHONDIR", "/tmp/ipython")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


def _kill_others():
    """SIGKILL every process of this user except this one, until none is left."""
    me = os.getpid()
    for _ in range(50):
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        # reap our own children so they stop counting against the pids limit
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
        if not _others(me):
            return
        time.sleep(0.02)


def _kill_strays(keep):
    """SIGKILL processes of this user other than ``keep`` (what a cell forked)."""
    killed = 0
    for _ in range(50):
        strays = [p for p in _others(os.getpid()) if p not in keep]
        if not strays:
            return killed
        killed += len(strays)
        for pid in strays:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _others(me):
    uid = os.getuid()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (me, 1):  # 1: the container's init
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid == uid:
                with open(f"/proc/{name}/stat") as fh:
                    state = fh.read().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(name))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return found


class Kernel:
    def __init__(self):
        self.km: Any = None
        self.kc: Any = None
        self.starts = 0
        self.start_s = 0.0

    def start(self):
        t0 = time.monotonic()
        self.km = KernelManager(kernel_name="sandbox")
        self.km.start_kernel(cwd=WORK)
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.starts += 1
        self.start_s = time.monotonic() - t0

    def stop(self):
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
        _kill_others()
        if self.km is not None:
            with contextlib.suppress(Exception):
                self.km.cleanup_resources()
        self.km = self.kc = None

    def restart(self):
        self.stop()
        self.start()

    def alive(self):
        return self.km is not None and self.km.is_alive()

    def execute(self, code, timeout_s, max_chars, max_images, image_bytes):
        out = Collector(max_chars, max_images, image_bytes)
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False)
        deadline = time.monotonic() + timeout_s
        interrupted_at = None
        while True:
            now = time.monotonic()
            if interrupted_at is None and now >= deadline:
                self.km.interrupt_kernel()
                interrupted_at = now
                out.fate = "timeout"
            if interrupted_at is not None and now >= interrupted_at + INTERRUPT_GRACE_S:
                # SIGINT did not bring the kernel back: a new kernel, state is lost
                self.restart()
                out.fate = "timeout"
                out.restarted = True
                break
            wait = min(
                0.5,
                max(
                    0.01,
                    (deadline if interrupted_at is None else interrupted_at + INTERRUPT_GRACE_S)
                    - now,
                ),
            )
            try:
                msg = self.kc.get_iopub_msg(timeout=wait)
            except queue.Empty:
                if not self.km.is_alive():
                    out.fate = "died"
                    self.restart()
                    out.restarted = True
                    break
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            out.add(kind, content)
        if not out.restarted:
            # the shell reply says how the cell ended; drain it so replies stay paired
            try:
                while True:
                    reply = self.kc.get_shell_msg(timeout=5)
                    if reply.get("parent_header", {}).get("msg_id") == msg_id:
                        break
            except queue.Empty:
                pass
        # a cell may not leave processes behind (a fork bomb would hold the pids limit);
        # the kernel's own dead children stay zombies (holding pids) until it reaps them
        if not out.restarted and _kill_strays({self.pid()}):
            self._quiet(REAP)
        return out.result()

    def _quiet(self, code):
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        try:
            while True:
                reply = self.kc.get_shell_msg(timeout=10)
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return
        except queue.Empty:
            pass

    def pid(self):
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(proc, "pid", -1)


class Collector:
    def __init__(self, max_chars, max_images, image_bytes):
        self.max_chars = max_chars
        self.max_images = max_images
        self.image_bytes = image_bytes
        self.streams: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.sizes = {"stdout": 0, "stderr": 0}
        self.truncated = False
        self.value = None
        self.error = None
        self.images = []
        self.displays = []
        self.dropped_images = 0
        self.fate = "ok"
        self.restarted = False

    def _text(self, name, text):
        room = self.max_chars - self.sizes[name]
        if room <= 0:
            self.truncated = True
            return
        if len(text) > room:
            text = text[:room]
            self.truncated = True
        self.streams[name].append(text)
        self.sizes[name] += len(text)

    def _image(self, data):
        png = data.get("image/png")
        if not png:
            return False
        if len(self.images) >= self.max_images or len(png) * 3 // 4 > self.image_bytes:
            self.dropped_images += 1
            return True
        self.images.append(png)
        return True

    def add(self, kind, content):
        if kind == "stream":
            self._text(content.get("name", "stdout"), content.get("text", ""))
        elif kind == "execute_result":
            data = content.get("data", {})
            self._image(data)
            text = data.get("text/plain")
            if text is not None:
                self.value = text[: self.max_chars]
                self.truncated = self.truncated or len(text) > self.max_chars
        elif kind == "display_data":
            data = content.get("data", {})
            if not self._image(data) and "text/plain" in data:
                self.displays.append(data["text/plain"][: self.max_chars])
        elif kind == "error":
            tb = "\n".join(ANSI.sub("", line) for line in content.get("traceback", []))
            self.error = {
                "type": content.get("ename", ""),
                "message": content.get("evalue", ""),
                "traceback": tb[-self.max_chars :],
            }
            if self.fate == "ok":
                self.fate = "error"

    def result(self):
        return {
            "fate": self.fate,
            "stdout": "".join(self.streams["stdout"]),
            "stderr": "".join(self.streams["stderr"]),
            "value": self.value,
            "displays": self.displays,
            "error": self.error,
            "images": self.images,
            "dropped_images": self.dropped_images,
            "truncated": self.truncated,
            "restarted": self.restarted,
        }


def _clear_work():
    for name in os.listdir(WORK):
        path = os.path.join(WORK, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _put_files(files):
    root = os.path.realpath(WORK)
    for rel, b64 in files.items():
        path = os.path.realpath(os.path.join(root, rel))
        if not path.startswith(root + os.sep):
            raise ValueError(f"{rel!r} is outside the work dir")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(b64))


REAP = (
    "import os as _os\n"
    "try:\n"
    "    while _os.waitpid(-1, _os.WNOHANG)[0] > 0: pass\n"
    "except ChildProcessError: pass\n"
    "del _os\n"
)
# A fresh namespace in the warm kernel: every name a cell defined goes, imported modules
# stay loaded (numpy cannot be imported twice in one process). IPython's own reset() also
# and its displayhook's flush() run gc.collect(), which takes a few hundred ms once
# pandas and sympy are loaded.
SOFT_RESET = (
    "(lambda ip: [ip.user_ns.pop(k, None) for k in "
    "[k for k in ip.user_ns if k not in ip.user_ns_hidden]])(get_ipython());\n"
    "get_ipython().history_manager.output_hist.clear();\n"
    f"__import__('os').chdir({WORK!r});\n"
)


def handle(kernel, req):
    op = req.get("op")
    if op == "ping":
        return {"alive": kernel.alive(), "starts": kernel.starts}
    if op == "execute":
        if not kernel.alive():
            kernel.restart()
        t0 = time.monotonic()
        res = kernel.execute(
            req["code"],
            float(req.get("timeout_s", 30.0)),
            int(req.get("max_chars", 20000)),
            int(req.get("max_images", 4)),
            int(req.get("image_bytes", 1 << 20)),
        )
        res["duration_s"] = round(time.monotonic() - t0, 6)
        return res
    if op == "put_files":
        _put_files(req.get("files", {}))
        return {"written": len(req.get("files", {}))}
    if op == "reset":
        t0 = time.monotonic()
        if req.get("soft") and kernel.alive():
            res = kernel.execute(SOFT_RESET, 10.0, 2000, 0, 0)
            if res["fate"] != "ok":
                kernel.restart()
        else:
            kernel.stop()
            _clear_work()
            kernel.start()
        if req.get("clear_files"):
            _clear_work()
        return {
            "starts": kernel.starts,
            "duration_s": round(time.monotonic() - t0, 6),
            "start_s": round(kernel.start_s, 6),
        }
    raise ValueError(f"unknown op {op!r}")


def main():
    _kernelspec()
    os.makedirs(WORK, exist_ok=True)
    kernel = Kernel()
    kernel.start()
    PROTO_OUT.write(
        json.dumps(
            {"id": None, "ok": True, "ready": True, "start_s": round(kernel.start_s, 6)}
        ).encode()
        + b"\n"
    )
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        req_id = None
        try:
            req = json.loads(line)
            req_id = req.get("id")
            reply = {"id": req_id, "ok": True, **handle(kernel, req)}
        except Exception as exc:
            reply = {
                "id": req_id,
                "ok": False,
                "error": {
                    "type": type(exc).__name__,
                    "message": str(exc),
                    "traceback": traceback.format_exc()[-4000:],
                },
            }
        PROTO_OUT.write(json.dumps(reply).encode() + b"\n")
    kernel.stop()


if __name__ == "__main__":
    main()
