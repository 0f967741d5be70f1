"""Abuse suite: hostile code ends with the right reason and leaves the host unharmed."""

from __future__ import annotations

import resource
from typing import Any

import pytest

from envfoundry.envs.pool import EnvPayload, RunnerPool
from envfoundry.envs.sandbox import Limits

pytestmark = pytest.mark.docker

TIGHT = Limits(memory="128m", pids=64, timeout_s=5, output_bytes=64 * 1024)

COUNT_FORKS = """
import os, sys, time
n = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        n += 1
except OSError:
    print(n)
    sys.exit(3)
"""


def test_fork_bomb_hits_the_pids_limit(docker_backend: Any) -> None:
    with docker_backend.start(limits=TIGHT) as box:
        counted = box.exec(["python3", "-c", COUNT_FORKS], timeout=20)
        assert counted.reason == "nonzero", counted
        assert int(counted.stdout.strip()) < TIGHT.pids
    with docker_backend.start(limits=TIGHT) as box:
        bomb = box.exec("bomb() { bomb | bomb & }; bomb; sleep 60", timeout=3)
        assert bomb.reason in ("timeout", "nonzero", "killed"), bomb


def test_memory_hog_is_oom(docker_backend: Any) -> None:
    hog = "a = []\nwhile True:\n    a.append(bytearray(1 << 20))"
    result = docker_backend.run(["python3", "-c", hog], limits=TIGHT)
    assert result.reason == "oom", result


def test_infinite_loop_times_out(docker_backend: Any) -> None:
    result = docker_backend.run(
        ["python3", "-c", "while True: pass"], limits=TIGHT.model_copy(update={"timeout_s": 1.5})
    )
    assert result.reason == "timeout", result


def test_a_gigabyte_of_output_is_truncated_and_host_memory_stays_flat(docker_backend: Any) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = docker_backend.run(
        ["head", "-c", str(1 << 30), "/dev/zero"], limits=TIGHT.model_copy(update={"timeout_s": 60})
    )
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.reason == "ok", result
    assert result.truncated and len(result.stdout) <= TIGHT.output_bytes
    assert grown_mb < 100  # a buffered gigabyte would show up here


def test_network_is_unreachable(docker_backend: Any) -> None:
    probe = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 443), timeout=2)\n"
        "    print('CONNECTED')\n"
        "except OSError as exc:\n"
        "    print('blocked', exc)\n"
    )
    result = docker_backend.run(["python3", "-c", probe], limits=TIGHT)
    assert "blocked" in result.stdout and "CONNECTED" not in result.stdout, result
    interfaces = docker_backend.run(["cat", "/proc/net/dev"], limits=TIGHT).stdout
    assert "eth0" not in interfaces


def test_writes_outside_the_work_dir_fail(docker_backend: Any) -> None:
    with docker_backend.start(limits=TIGHT) as box:
        for target in ("/etc/evil", "/usr/bin/evil", "/evil", "/opt/envfoundry/runner.py"):
            result = box.exec(["sh", "-c", f"echo x > {target}"])
            assert result.reason == "nonzero", (target, result)
        assert box.exec(["sh", "-c", "echo ok > /work/fine && cat /work/fine"]).stdout == "ok\n"
        whoami = box.exec(["id", "-u"]).stdout.strip()
        assert whoami == "65534"
        caps = box.exec(["grep", "CapEff", "/proc/self/status"]).stdout
        assert caps.split()[-1] == "0000000000000000"


def test_host_env_and_files_are_not_visible(
    docker_backend: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("ENVFOUNDRY_TEST_SECRET", "hunter2")
    secret = tmp_path / "host-secret.txt"
    secret.write_text("hunter2")
    with docker_backend.start(limits=TIGHT) as box:
        env = box.exec(["env"])
        assert env.ok and "hunter2" not in env.stdout
        read = box.exec(["cat", str(secret)])
        assert read.reason == "nonzero" and "hunter2" not in read.stdout
        mounts = box.exec(["cat", "/proc/self/mounts"]).stdout
        assert str(tmp_path) not in mounts and "/work/main" not in mounts


def test_runner_children_cannot_open_the_database(
    docker_backend: Any, tiny_env: EnvPayload
) -> None:
    with RunnerPool(docker_backend, size=1) as pool, pool.lease(tiny_env) as runner:
        for body in (
            "import sqlite3\n    return sqlite3.connect('/work/env/pristine.db').execute('select 1').fetchall()",
            "return open('/work/env/pristine.db', 'rb').read(16).hex()",
            "import os\n    return [open(os.path.join(d, f), 'rb').read(16).hex() for d, _, fs in os.walk('/work') for f in fs]",
        ):
            result = runner.run_solution(f"def solve(tools):\n    {body}\n")
            assert result.reason == "error" and result.error is not None, result
            assert result.error.type == "PermissionError", result.error
        assert (
            runner.run_solution("def solve(tools):\n    return len(tools.get_all_cities())").answer
            == 3
        )


def test_no_envfoundry_containers_remain(docker_backend: Any) -> None:
    from envfoundry.envs.docker_backend import own_leftovers

    assert own_leftovers() == []
