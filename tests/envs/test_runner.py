"""The general-family episode API through the runner, on the local backend and in Docker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfoundry.envs.client import RunnerSession
from envfoundry.envs.pool import EnvPayload, RunnerPool
from envfoundry.errors import SandboxError, SpecError
from tests.envs.conftest import SOLUTION, VERIFIER

BACKENDS = ["local", pytest.param("docker", marks=pytest.mark.docker)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Any:
    name = "docker_backend" if request.param == "docker" else "local_backend"
    return request.getfixturevalue(name)


@pytest.fixture
def pool(backend: Any) -> Iterator[RunnerPool]:
    with RunnerPool(backend, size=1) as p:
        yield p


@pytest.fixture
def runner(pool: RunnerPool, tiny_env: EnvPayload) -> Iterator[RunnerSession]:
    with pool.lease(tiny_env) as session:
        yield session


def test_episode_roundtrip(runner: RunnerSession) -> None:
    assert runner.call_tool("get_city", {"name": "Nice"}).result == {
        "name": "Nice",
        "population": 342,
    }
    solved = runner.run_solution(SOLUTION, timeout_s=10)
    assert solved.reason == "ok", solved.error
    assert solved.answer == "Paris"
    assert [c.name for c in solved.tool_calls] == ["get_all_cities"]
    verdict = runner.run_verifier(VERIFIER, solved.answer, timeout_s=10)
    assert (verdict.passed, verdict.status, verdict.reason) == (True, "ok", "expected Paris")


def test_reset_gives_each_episode_the_pristine_db(pool: RunnerPool, tiny_env: EnvPayload) -> None:
    with pool.lease(tiny_env) as first:
        assert first.call_tool("delete_city", {"name": "Paris"}).ok
        mutate = "def solve(tools):\n    return tools.delete_city(name='Lyon')"
        assert first.run_solution(mutate).reason == "ok"
        assert len(first.call_tool("get_all_cities", {}).result) == 1
        sandbox = first.sandbox_id
    with pool.lease(tiny_env) as second:
        assert second.sandbox_id == sandbox  # same warm runner ...
        names = [c["name"] for c in second.call_tool("get_all_cities", {}).result]
        assert names == ["Lyon", "Nice", "Paris"]  # ... fresh database
    assert pool.stats()["started"] == 1


def test_tool_failures_are_data(runner: RunnerSession) -> None:
    missing = runner.call_tool("get_city", {"name": "Atlantis"})
    assert missing.error is not None and missing.error.type == "KeyError"
    assert runner.call_tool("no_such_tool", {}).error.type == "UnknownTool"  # type: ignore[union-attr]
    assert runner.call_tool("get_city", {"wrong": 1}).error.type == "TypeError"  # type: ignore[union-attr]
    hung = runner.call_tool("slow", {"seconds": 30}, timeout_s=0.5)
    assert hung.error is not None and hung.error.type == "Timeout"
    assert runner.is_alive()


def test_tool_errors_reach_the_solution_as_exceptions(runner: RunnerSession) -> None:
    source = """
def solve(tools):
    try:
        tools.get_city(name="Atlantis")
    except ToolError as exc:
        return exc.kind
"""
    result = runner.run_solution(source)
    assert (result.reason, result.answer) == ("ok", "KeyError")
    assert result.tool_calls[0].error is not None


@pytest.mark.parametrize(
    "body",
    [
        "import sqlite3\n    return sqlite3.connect('/work/env/pristine.db').execute('select 1').fetchall()",
        "import sys\n    return sys.modules['sqlite3'].connect(':memory:')",
        "import glob, os\n    return open(glob.glob(os.getcwd() + '/**/*.db', recursive=True)[0], 'rb').read(10)",
        "import os\n    return open(os.path.join(os.getcwd(), 'env', 'pristine.db'), 'rb').read(10)",
        "import subprocess\n    return subprocess.run(['cat', '/etc/passwd']).returncode",
        "import socket\n    return socket.socket()",
        "import os\n    return os.system('true')",
        "import os\n    return os.fork()",
        "import ctypes\n    return 1",
    ],
)
def test_solution_cannot_reach_the_database_or_the_system(runner: RunnerSession, body: str) -> None:
    result = runner.run_solution(f"def solve(tools):\n    {body}\n", timeout_s=10)
    assert result.reason == "error", result
    assert result.error is not None
    assert result.error.type in ("PermissionError", "ImportError", "IndexError"), result.error
    assert runner.is_alive()


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("def solve(tools):\n    while True:\n        pass", "timeout"),
        (
            "def solve(tools):\n    a = []\n    while True:\n        a.append(bytearray(1 << 20))",
            "oom",
        ),
        ("import os\ndef solve(tools):\n    os.abort()", "killed"),
        ("def solve(tools):\n    return 1 / 0", "error"),
        ("x = 1", "error"),
        ("def solve(tools):\n    return object()", "error"),
    ],
)
def test_solution_fates(runner: RunnerSession, source: str, reason: str) -> None:
    result = runner.run_solution(source, timeout_s=1.5, memory_mb=64)
    assert result.reason == reason, result
    assert runner.is_alive()


def test_verifier_crash_is_not_a_wrong_answer(runner: RunnerSession) -> None:
    wrong = runner.run_verifier(VERIFIER, "Nice")
    assert (wrong.passed, wrong.status, wrong.error) == (False, "ok", None)
    crashed = runner.run_verifier("def verify(answer, db):\n    raise KeyError('x')", "Paris")
    assert (crashed.passed, crashed.status) == (False, "error")
    assert crashed.error is not None and crashed.error.type == "KeyError"
    garbage = runner.run_verifier("def verify(answer, db):\n    return 'yes'", "Paris")
    assert garbage.status == "error" and not garbage.passed
    writes = runner.run_verifier(
        "def verify(answer, db):\n    db.execute('DELETE FROM city')\n    return True", "Paris"
    )
    assert writes.status == "error" and not writes.passed
    attach = runner.run_verifier(
        "def verify(answer, db):\n    db.execute(\"ATTACH 'x.db' AS x\")\n    return True", "x"
    )
    assert attach.status == "error"
    hung = runner.run_verifier("def verify(answer, db):\n    while True: pass", "x", timeout_s=1)
    assert (hung.passed, hung.status) == (False, "timeout")
    as_dict = runner.run_verifier("def verify(a, db):\n    return {'passed': True, 'score': 1}", 1)
    assert as_dict.passed and as_dict.details == {"score": 1}
    assert len(runner.call_tool("get_all_cities", {}).result) == 3


def test_exec_code_captures_and_caps_output(runner: RunnerSession) -> None:
    out = runner.exec_code("print('hello')\nimport sys\nprint('warn', file=sys.stderr)")
    assert (out.reason, out.stdout, out.stderr) == ("ok", "hello\n", "warn\n")
    big = runner.exec_code("import sys\nfor _ in range(2000):\n    sys.stdout.write('x' * 10000)")
    assert big.reason == "ok" and big.truncated and len(big.stdout) <= 64 * 1024
    failed = runner.exec_code("raise SystemExit(3)")
    assert failed.reason == "error"


def test_bad_tools_module_is_a_spec_error(backend: Any) -> None:
    session = backend.start_runner()
    try:
        with pytest.raises(SpecError, match="failed to load"):
            session.load_env("def broken(:\n", None)
        assert session.is_alive()
    finally:
        session.close()


def test_dead_runner_is_an_infrastructure_error(backend: Any, tiny_env: EnvPayload) -> None:
    with RunnerPool(backend, size=1) as pool:
        with pool.lease(tiny_env) as session:
            first = session.sandbox_id
            _kill_runner(backend, session)
            with pytest.raises(SandboxError):
                session.call_tool("get_all_cities", {})
            assert not session.healthy
        with pool.lease(tiny_env) as session:
            assert session.sandbox_id != first
            assert len(session.call_tool("get_all_cities", {}).result) == 3
        assert pool.stats()["replaced"] >= 1


def _kill_runner(backend: Any, session: RunnerSession) -> None:
    transport: Any = session.transport
    if backend.name == "local":
        transport.proc.kill()
        transport.proc.wait()
    else:
        backend.client.containers.get(session.sandbox_id).kill()


def test_verifier_judges_many_answers_in_one_child(runner: RunnerSession) -> None:
    many = runner.run_verifier_many(VERIFIER, ["Paris", "Nice", {"not": "a city"}])
    assert [r.passed for r in many] == [True, False, False]
    assert all(r.status == "ok" for r in many[:2])
    fussy = "def verify(answer, db):\n    if answer is None:\n        raise ValueError('none')\n    return True\n"
    mixed = runner.run_verifier_many(fussy, [None, "x"])
    assert (mixed[0].status, mixed[0].passed) == ("error", False)
    assert mixed[0].error is not None and mixed[0].error.type == "ValueError"
    assert (mixed[1].status, mixed[1].passed) == ("ok", True)
    broken = runner.run_verifier_many("def verify(answer, db) return True", [1, 2])
    assert [r.status for r in broken] == ["error", "error"] and not any(r.passed for r in broken)
    hung = runner.run_verifier_many(
        "def verify(answer, db):\n    while True:\n        pass\n", [1, 2], timeout_s=1
    )
    assert [r.status for r in hung] == ["timeout", "timeout"]
