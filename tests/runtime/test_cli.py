"""The runtime's CLI verbs: play through a pseudo-terminal, replay, rollout and serve."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from typing import Any

import httpx
import pytest
import typer
from typer.testing import CliRunner

from envfoundry.cli.runtime import replay_command, runtime_app
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import AttemptKind, TaskStatus
from tests.runtime.conftest import Stored

runner = CliRunner()


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "ENVFOUNDRY_SANDBOX_BACKEND": "local",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": "160",
    }


class Pty:
    """A child process on a pseudo-terminal, driven expect-style (stdlib only)."""

    def __init__(self, argv: list[str], columns: int | None = None) -> None:
        self.master, slave = pty.openpty()
        if columns is not None:  # a terminal of this width, as a person's would be
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=_env(), close_fds=True
        )
        os.close(slave)
        self.buffer = ""

    def expect(self, pattern: str, timeout_s: float = 60.0) -> str:
        """Read until ``pattern`` (a regex) shows up; return everything read up to it."""
        deadline = time.monotonic() + timeout_s
        while True:
            match = re.search(pattern, self.buffer)
            if match:
                seen, self.buffer = self.buffer[: match.end()], self.buffer[match.end() :]
                return seen
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{pattern!r} not seen; output so far:\n{self.buffer}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{pattern!r} not seen before EOF:\n{self.buffer}")
                self.buffer += chunk.decode(errors="replace").replace("\r\n", "\n")

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=60)
        finally:
            os.close(self.master)


def _single(command: Any) -> str:
    return f"import typer; from envfoundry.cli.runtime import {command}; typer.run({command})"


def test_play_through_a_pty_calls_tools_and_shows_the_verdict(stored: Stored) -> None:
    term = Pty([sys.executable, "-c", _single("play_command"), stored.write_task])
    try:
        head = term.expect(r"play> ")
        assert "Book a trip" in head and "book_city" in head and "submit" in head
        term.send("help")
        assert "submit JSON" in term.expect(r"play> ")
        term.send("call list_cities {}")
        out = term.expect(r"play> ")
        assert '"Hangzhou"' in out and "12000000" in out
        term.send("book_city {oops")
        assert "error" in term.expect(r"play> ")
        term.send('book_city {"name": "Atlantis"}')
        assert "unknown city" in term.expect(r"play> ")
        term.send('book_city {"name": "Hangzhou"}')
        assert '"booked"' in term.expect(r"play> ")
        term.send('submit {"city": "Hangzhou"}')
        verdict = term.expect(r"verdict: .*\n")
        assert "PASS" in verdict and "reward=1" in verdict
    finally:
        code = term.close()
    assert code == 0


def test_play_edits_lines_shows_one_line_observations_and_is_stored_for_replay(
    stored: Stored,
) -> None:
    """At 80 columns: Up recalls the last line (readline), an observation is one line,
    and the played episode is stored so that `replay` prints it."""
    term = Pty([sys.executable, "-c", _single("play_command"), stored.write_task], columns=80)
    try:
        term.expect(r"play> ")
        term.send("call list_cities {}")
        first = term.expect(r"play> ")
        [obs] = [line for line in first.splitlines() if line.startswith("← ")]
        assert '"Hangzhou"' in obs and "12000000" in obs  # the whole result on that line
        term.send("\x1b[A")  # Up, then Enter: the same call again
        again = term.expect(r"play> ")
        assert "unknown command" not in again and "^[[A" not in again, again
        assert sum(line.startswith("← ") for line in again.splitlines()) == 1, again
        term.send('book_city {"name": "Hangzhou"}')
        term.expect(r"play> ")
        term.send('submit {"city": "Hangzhou"}')
        assert "PASS" in term.expect(r"verdict: .*\n")
        stored_line = term.expect(r"stored as attempt attempt_\w+ ")
    finally:
        code = term.close()
    assert code == 0
    attempt_id = re.findall(r"attempt_\w+", stored_line)[-1]
    [played] = [a for a in stored.store.list_attempts(stored.write_task) if a.id == attempt_id]
    assert played.kind is AttemptKind.play and played.verdict.passed
    app = typer.Typer()
    app.command()(replay_command)
    shown = runner.invoke(app, [attempt_id[:16]], env={"NO_COLOR": "1", "COLUMNS": "160"})
    assert shown.exit_code == 0, shown.output
    assert shown.output.count("list_cities") >= 2 and "book_city" in shown.output
    assert "PASS" in shown.output


def test_replay_of_a_reference_attempt_prints_its_recorded_tool_calls(stored: Stored) -> None:
    from envfoundry.models import Attempt, Verdict

    calls = [{"name": "list_cities", "args": {}, "result": [{"name": "Hangzhou"}]}]
    ref = Attempt(
        task_id=stored.read_task,
        kind=AttemptKind.reference,
        label="reference",
        answer={"city": "Hangzhou"},
        verdict=Verdict(passed=True, reward=1.0, reason="ok", details={"tool_calls": calls}),
    )
    stored.store.put_attempts([ref])
    app = typer.Typer()
    app.command()(replay_command)
    shown = runner.invoke(app, [ref.id], env={"NO_COLOR": "1", "COLUMNS": "160"})
    assert shown.exit_code == 0, shown.output
    assert "no trajectory stored" not in shown.output
    assert "→ list_cities" in shown.output and "Hangzhou" in shown.output


def test_play_wrong_answer_exits_one(stored: Stored) -> None:
    term = Pty([sys.executable, "-c", _single("play_command"), stored.read_task])
    try:
        term.expect(r"play> ")
        term.send('submit {"city": "Ningbo"}')
        assert "FAIL" in term.expect(r"verdict: .*\n")
    finally:
        code = term.close()
    assert code == 1


def _rollout(stored: Stored, monkeypatch: pytest.MonkeyPatch, steps: list[Any]) -> Any:
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "local")
    with FakeLLMServer(steps, model="fake-policy") as llm:
        return runner.invoke(
            runtime_app,
            [
                "rollout",
                stored.write_task,
                "--k",
                "1",
                "--concurrency",
                "1",
                "--base-url",
                llm.base_url,
                "--model",
                "fake-policy",
                "--json",
            ],
        )


def test_rollout_command_then_replay(stored: Stored, monkeypatch: pytest.MonkeyPatch) -> None:
    def tool(name: str, args: Any, thinking: str | None = None) -> dict[str, Any]:
        call = {"name": name, "arguments": args}
        return {"reply": {"reasoning_content": thinking, "tool_calls": [call]}}

    steps = [
        tool("list_cities", {}, thinking="Find the most populous city first."),
        tool("book_city", {"name": "Hangzhou"}),
        tool("submit", {"answer": {"city": "Hangzhou"}}),
        {"reply": {"content": "Booked Hangzhou."}},
    ]
    result = _rollout(stored, monkeypatch, steps)
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["n"], row["c"], row["pass_rate"], row["status_after"]) == (1, 1, 1.0, "accepted")
    assert "Traceback" not in result.output, result.output
    # the measured pass rate and pass@k join the task's difficulty signals and relabel it
    signals = stored.store.get_task(stored.write_task).signals or {}
    assert (signals["pass_rate"], signals["pass_at_k"], signals["k"]) == (1.0, 1.0, 1)
    assert signals["label"] == "easy"

    [attempt] = [
        a for a in stored.store.list_attempts(stored.write_task) if a.kind is AttemptKind.rollout
    ]
    app = typer.Typer()
    app.command()(replay_command)
    shown = runner.invoke(app, [attempt.id], env={"NO_COLOR": "1", "COLUMNS": "160"})
    assert shown.exit_code == 0, shown.output
    text = shown.output
    for expected in (
        "Book a trip",
        "most populous city first",
        "list_cities",
        "book_city",
        '"booked"',
        "PASS",
        "reward=1",
    ):
        assert expected in text, (expected, text)
    assert text.index("list_cities") < text.index("book_city") < text.index("PASS")
    as_json = runner.invoke(app, [attempt.id, "--json"])
    data = json.loads(as_json.output)
    assert data["trajectory"]["episode"]["verdict"]["passed"] is True
    missing = runner.invoke(app, ["att_nope"])
    assert missing.exit_code != 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_command_serves_until_interrupted(stored: Stored) -> None:
    port = _free_port()
    code = "from envfoundry.cli.runtime import runtime_app; runtime_app()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", str(port)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{url}/healthz").json()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        proc.stdout.read().decode() if proc.stdout else ""
                    ) from None
                time.sleep(0.05)
        assert health["ok"] and health["backend"] == "local"
        opened = httpx.post(f"{url}/episodes", json={"task_id": stored.read_task}).json()
        verdict = httpx.post(
            f"{url}/episodes/{opened['episode_id']}/submit", json={"answer": {"city": "Hangzhou"}}
        ).json()
        assert verdict["reward"] == 1.0
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert stored.store.get_task(stored.read_task).status is TaskStatus.accepted


def test_verify_judges_a_general_task_through_its_family(stored: Stored) -> None:
    def verify(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "envfoundry.cli", "verify", stored.read_task, *args]
        return subprocess.run(argv, capture_output=True, text=True, env=_env(), timeout=120)

    ref = verify("--json")
    assert ref.returncode == 0, ref.stderr
    assert json.loads(ref.stdout)["reward"] == 1.0
    wrong = verify("--answer", '{"city": "Ningbo"}', "--json")
    assert wrong.returncode == 1 and json.loads(wrong.stdout)["reward"] == 0.0
    # a general task's answer is JSON: raw text stays a user error, without a traceback
    bad = verify("--answer", "Hangzhou")
    assert bad.returncode == 2 and "not JSON" in bad.stderr and "Traceback" not in bad.stderr
