"""The local process backend: the same reasons as Docker, with weaker isolation it admits to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.backends import get_backend
from envfoundry.envs.sandbox import Limits
from envfoundry.errors import SandboxError

LIMITS = Limits(memory="256m", timeout_s=5, output_bytes=64 * 1024)


def test_get_backend_local_when_asked(local_settings: Settings) -> None:
    assert get_backend(local_settings).name == "local"


def test_isolation_report_says_it_is_weak(local_backend: Any) -> None:
    report = local_backend.isolation_report()
    assert report["backend"] == "local" and report["strength"] == "weak"
    assert any("filesystem" in note for note in report["notes"])


@pytest.mark.parametrize(
    ("cmd", "reason"),
    [
        (["true"], "ok"),
        (["sh", "-c", "exit 4"], "nonzero"),
        (["sleep", "30"], "timeout"),
        (["python3", "-c", "a = []\nwhile True:\n    a.append(bytearray(1 << 20))"], "oom"),
        (["sh", "-c", "kill -9 $$"], "killed"),
    ],
)
def test_exec_reasons(local_backend: Any, cmd: list[str], reason: str) -> None:
    result = local_backend.run(cmd, limits=LIMITS.model_copy(update={"timeout_s": 1.5}))
    assert result.reason == reason, result


def test_output_is_capped_while_streaming(local_backend: Any) -> None:
    result = local_backend.run(["head", "-c", str(50 << 20), "/dev/zero"], limits=LIMITS)
    assert result.ok and result.truncated and len(result.stdout) == LIMITS.output_bytes


def test_host_env_is_not_passed(local_backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVFOUNDRY_TEST_SECRET", "hunter2")
    assert "hunter2" not in local_backend.run(["env"], limits=LIMITS).stdout


def test_network_is_cut_when_unshare_works(local_backend: Any) -> None:
    if not local_backend.plan.netns:
        pytest.skip("unshare cannot create a network namespace here (reported as weaker)")
    probe = "import socket\nsocket.create_connection(('1.1.1.1', 443), timeout=2)"
    assert local_backend.run(["python3", "-c", probe], limits=LIMITS).reason == "nonzero"


def test_files_stay_in_the_work_dir(local_backend: Any, tmp_path: Path) -> None:
    with local_backend.start(limits=LIMITS) as box:
        box.put_file("/work/sub/data.bin", b"\x00abc")
        assert box.get_file("sub/data.bin") == b"\x00abc"
        assert box.exec(["cat", "sub/data.bin"]).stdout == "\x00abc"
        with pytest.raises(SandboxError, match="outside"):
            box.put_file("../escape.txt", b"x")
        if local_backend.plan.drop_user:
            outside = tmp_path / "host-owned"
            outside.mkdir(mode=0o755)
            assert box.exec(["sh", "-c", f"echo x > {outside}/f"]).reason == "nonzero"
        workdir = box.workdir
    assert not workdir.exists()


def test_process_budget_is_the_sandboxes_own(local_backend: Any) -> None:
    """Processes of other users (here: 140 of nobody, which Docker sandboxes run as) do not
    eat a local sandbox's process budget (RLIMIT_NPROC counts per uid)."""
    import os
    import shutil
    import subprocess

    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to start processes as nobody")
    crowd = [
        subprocess.Popen(
            [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "sleep", "60"]
        )
        for _ in range(140)
    ]
    try:
        limits = LIMITS.model_copy(update={"pids": 32, "timeout_s": 10})
        res = local_backend.run(
            ["sh", "-c", "for i in 1 2 3 4 5; do true & done; wait"], limits=limits
        )
        assert res.reason == "ok", res
    finally:
        for p in crowd:
            p.kill()
        for p in crowd:
            p.wait()
