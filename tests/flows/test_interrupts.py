"""Runs that survive Ctrl-C and kill: driven through a real terminal (pty), as a user would.

Ctrl-C is the byte 0x03 typed into the pty: the terminal sends SIGINT to the whole
foreground process group, as it does for a person. Each scenario interrupts a run at a
named point (``ENVFOUNDRY_HOLD``), then runs the same command again and checks that the
store ends exactly where an uninterrupted run ends, with nothing left behind.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ENVS = 4
ARGS = ["run", "--seed", "5", "--environments", str(ENVS), "--batch-size", "1", "--workers", "2"]


def _expected_task_ids() -> set[str]:
    """The task ids an uninterrupted run stores: the procedural plan, proposed here."""
    from envfoundry.flows.config import load_pipeline_config
    from envfoundry.flows.pipeline import plan
    from envfoundry.generators.general.procedural import ProceduralDriver
    from envfoundry.generators.general.specs import draft_to_specs

    cfg = load_pipeline_config(None, seed=5, family_overrides={"general": {"environments": ENVS}})
    driver = ProceduralDriver(5)
    return {
        t.id
        for item in plan(cfg, "general")
        for t in draft_to_specs(driver.propose(item.category, item.index), driver.name).tasks
    }


class Terminal:
    """``envfoundry`` in a pseudo-terminal of 80x24, read as a person would read it."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.master = master
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "envfoundry"), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,  # its own session with the pty as controlling terminal
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.output = ""

    def read(self, timeout: float = 0.2) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk.decode(errors="replace")
        return self.output

    def wait_for(self, text: str, timeout: float = 180.0) -> None:
        end = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > end or self.proc.poll() is not None:
                self.read(0.5)
                if text in self.output:
                    return
                raise AssertionError(f"never saw {text!r}; output so far:\n{self.output}")
            self.read(0.2)

    def ctrl_c(self) -> None:
        os.write(self.master, b"\x03")

    def wait(self, timeout: float = 120.0) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > end:
                self.proc.kill()
                raise AssertionError(f"still running after {timeout} s:\n{self.output}")
            self.read(0.2)
        self.read(0.3)
        os.close(self.master)
        return int(self.proc.returncode)


def _env(data: Path, hold: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVFOUNDRY_", "PYTEST_"))}
    env.update(
        ENVFOUNDRY_DATA_DIR=str(data),
        PREFECT_HOME=str(data / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        TERM="xterm",
        COLUMNS="80",
        LINES="24",
        PYTHONPATH=str(ROOT),
    )
    if hold:
        env["ENVFOUNDRY_HOLD"] = hold
    return env


def _runs(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "envfoundry.db") as db:
        return db.execute("SELECT id, status FROM pipeline_runs ORDER BY started_at").fetchall()


def _task_ids(data: Path) -> set[str]:
    with sqlite3.connect(data / "envfoundry.db") as db:
        return {r[0] for r in db.execute("SELECT id FROM tasks WHERE status = 'accepted'")}


def _leftovers(pid: int) -> tuple[list[str], list[int]]:
    """Containers created by ``pid`` and temporary Prefect servers of ``pid`` still alive."""
    import docker

    from envfoundry.flows.prefect_api import SERVER_MARKER_ENV

    client = docker.from_env()
    try:
        containers = [
            c.short_id
            for c in client.containers.list(
                all=True, filters={"label": ["envfoundry=1", f"envfoundry.pid={pid}"]}
            )
        ]
    finally:
        client.close()
    servers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"{SERVER_MARKER_ENV}=".encode() in environ and f":{pid}\0".encode() in environ:
            servers.append(int(entry.name))
    return containers, servers


def _rerun_completes(data: Path, expected: set[str]) -> None:
    term = Terminal(ARGS, _env(data))
    rc = term.wait(timeout=300)
    assert rc == 0, term.output
    assert _task_ids(data) == expected
    statuses = [s for _, s in _runs(data)]
    assert statuses[-1] == "completed"
    assert "running" not in statuses and "interrupting" not in statuses
    assert _leftovers(term.proc.pid) == ([], [])


@pytest.fixture(scope="module")
def expected() -> set[str]:
    return _expected_task_ids()


@pytest.mark.parametrize("point", ["planning", "after_item", "store_write"])
def test_first_ctrl_c_stops_cleanly_and_the_rerun_completes(
    point: str, tmp_path: Path, expected: set[str]
) -> None:
    data = tmp_path / "data"
    term = Terminal(ARGS, _env(data, hold=f"{point}=4"))
    term.wait_for(f"envfoundry-hold: {point}")
    t0 = time.monotonic()
    term.ctrl_c()
    rc = term.wait(timeout=60)
    stopped_in = time.monotonic() - t0
    assert rc == 130, term.output
    assert "interrupted: run" in term.output and "run the same command again" in term.output
    assert "Traceback" not in term.output
    assert stopped_in < 30, f"took {stopped_in:.1f} s to stop"
    runs = _runs(data)
    assert [s for _, s in runs] == ["interrupted"]
    stored = _task_ids(data)
    assert stored <= expected and stored != expected
    assert _leftovers(term.proc.pid) == ([], [])
    _rerun_completes(data, expected)


def test_second_ctrl_c_exits_at_once_and_the_next_run_repairs(
    tmp_path: Path, expected: set[str]
) -> None:
    data = tmp_path / "data"
    term = Terminal(ARGS, _env(data, hold="store_write=30"))
    term.wait_for("envfoundry-hold: store_write")
    term.ctrl_c()
    term.wait_for("interrupting")
    t0 = time.monotonic()
    term.ctrl_c()
    assert term.wait(timeout=20) == 130
    assert time.monotonic() - t0 < 5
    # the half-written environment was rolled back: the store opens and is consistent
    assert _task_ids(data) < expected
    assert [s for _, s in _runs(data)] in (["running"], ["interrupting"])
    _rerun_completes(data, expected)
    runs = _runs(data)
    assert [s for _, s in runs] == ["interrupted", "completed"]
    assert _leftovers(term.proc.pid)[0] == []


def test_sigkill_leaves_nothing_the_next_run_does_not_clean(
    tmp_path: Path, expected: set[str]
) -> None:
    data = tmp_path / "data"
    term = Terminal(ARGS, _env(data, hold="after_item=30"))
    term.wait_for("envfoundry-hold: after_item")
    os.kill(term.proc.pid, signal.SIGKILL)  # kill -9 of the run, as a user would
    term.wait(timeout=20)
    # the temporary Prefect server dies with its run (PR_SET_PDEATHSIG), within seconds
    deadline = time.monotonic() + 10
    while _leftovers(term.proc.pid)[1] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _leftovers(term.proc.pid)[1] == []
    assert [s for _, s in _runs(data)] == ["running"]
    _rerun_completes(data, expected)
    assert [s for _, s in _runs(data)] == ["interrupted", "completed"]
    assert _leftovers(term.proc.pid)[0] == []  # its sandboxes were reaped by the next run
