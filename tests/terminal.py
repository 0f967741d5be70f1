"""Run ``envfoundry`` in a pseudo-terminal of a given width, as a person at a terminal would."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def in_terminal(
    *args: str, env: dict[str, str] | None = None, columns: int = 80, timeout_s: float = 300.0
) -> tuple[str, int]:
    """``(output, exit code)`` of ``python -m envfoundry.cli ARGS`` on a columns x 24 pty.

    The output is what the terminal received (stdout and stderr), ANSI codes removed.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    full_env = {**os.environ, **(env or {}), "TERM": "xterm", "NO_COLOR": "1"}
    full_env.pop("COLUMNS", None)  # the width comes from the terminal, not the environment
    proc = subprocess.Popen(
        [sys.executable, "-m", "envfoundry.cli", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
            raise AssertionError(f"envfoundry {' '.join(args)} did not end in {timeout_s}s")
        code = proc.wait(timeout=30)
    finally:
        os.close(master)
    text = b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")
    return ANSI.sub("", text), code
