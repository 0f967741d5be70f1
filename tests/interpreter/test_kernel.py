"""The kernel sandbox on real Docker: state, errors, hangs, plots, memory and fork abuse, caps."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from envfoundry.envs.interpreter.kernel import KernelPool, KernelSession

pytestmark = pytest.mark.docker


def test_state_persists_across_calls(kernel: KernelSession) -> None:
    first = kernel.execute("import math\nx = math.factorial(20)\nprint('set')\nx % 1000")
    assert first.fate == "ok" and first.stdout == "set\n" and first.value == "0"
    second = kernel.execute("x + 1")
    assert second.value == str(2432902008176640000 + 1)


def test_error_comes_back_with_its_traceback(kernel: KernelSession) -> None:
    res = kernel.execute("def f():\n    return 1 / 0\nf()")
    assert res.fate == "error" and res.error is not None
    assert res.error.type == "ZeroDivisionError"
    assert "f()" in res.error.traceback and "\x1b[" not in res.error.traceback
    out = res.tool_result()
    assert out["status"] == "error" and out["error"]["type"] == "ZeroDivisionError"


def test_interruptible_hang_times_out_and_keeps_state(kernel: KernelSession) -> None:
    kernel.execute("kept = 41")
    res = kernel.execute("import time\ntime.sleep(600)", timeout_s=1.0)
    assert res.fate == "timeout" and not res.restarted
    assert kernel.execute("kept + 1").value == "42"


def test_hang_that_ignores_interrupts_restarts_the_kernel(kernel: KernelSession) -> None:
    kernel.execute("lost = 1")
    code = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(600)"
    res = kernel.execute(code, timeout_s=1.0)
    assert res.fate == "timeout" and res.restarted
    assert "restarted" in res.tool_result()["note"]
    after = kernel.execute("2 + 2")
    assert after.fate == "ok" and after.value == "4"
    assert kernel.execute("lost").error is not None  # a new kernel: the state is gone


def test_plot_returns_a_png(kernel: KernelSession) -> None:
    res = kernel.execute(
        "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.title('t')\nplt.show()"
    )
    assert res.fate == "ok" and len(res.images) == 1
    assert base64.b64decode(res.images[0]).startswith(b"\x89PNG\r\n\x1a\n")
    attachment = res.tool_result()["attachments"][0]
    assert attachment["mime_type"] == "image/png"


def test_memory_abuse_kills_only_the_kernel(kernel: KernelSession) -> None:
    res = kernel.execute("blob = bytearray(2 * 1024**3)", timeout_s=30)
    assert res.fate in {"died", "error"}, res  # OOM-killed, or MemoryError raised
    assert kernel.healthy
    assert kernel.execute("6 * 7").value == "42"


def _processes(kernel: KernelSession) -> int:
    code = "import os\nlen([p for p in os.listdir('/proc') if p.isdigit()])"
    return int(kernel.execute(code).value or "-1")


def test_fork_bomb_is_contained_and_cleaned_up(kernel: KernelSession) -> None:
    before = _processes(kernel)
    bomb = (
        "import os\n"
        "for _ in range(100000):\n"
        "    try:\n"
        "        os.fork()\n"
        "    except OSError:\n"
        "        break\n"
    )
    res = kernel.execute(bomb, timeout_s=10)
    assert res.fate in {"ok", "timeout", "error"}
    assert kernel.execute("1 + 1").value == "2"
    assert _processes(kernel) <= before  # nothing the cell forked is left holding pids


def test_output_is_capped(kernel: KernelSession) -> None:
    res = kernel.execute("print('x' * 1_000_000)")
    assert res.truncated and len(res.stdout) <= kernel.max_chars


def test_pool_resets_between_episodes_and_reuses_the_container(
    backend: Any, interp_image: str
) -> None:
    pool = KernelPool(backend)
    try:
        with pool.lease(interp_image) as first:
            first.execute("secret = 'from the last episode'")
            first.put_files({"left.txt": b"behind"})
            container = first.runner.sandbox_id
        with pool.lease(interp_image) as second:
            assert second.runner.sandbox_id == container  # warm: the same container
            assert second.execute("secret").error is not None
            listing = second.execute("import os\nsorted(os.listdir('.'))").value
            assert listing == "[]"
        assert pool.started == 1 and pool.reused == 1
    finally:
        pool.close()


def test_soft_reset_clears_names_and_files_in_the_warm_kernel(kernel: KernelSession) -> None:
    kernel.put_files({"data/x.csv": b"a\n1\n"})
    kernel.execute("import pandas as pd\nframe = pd.read_csv('data/x.csv')\nframe.a.sum()")
    kernel.reset(soft=True, clear_files=True)
    assert kernel.execute("frame").error is not None
    assert kernel.execute("pd").error is not None  # the name is gone (the module stays loaded)
    assert kernel.execute("import os\nos.listdir('.')").value == "[]"
    assert kernel.execute("import pandas\nint(pandas.Series([1, 2]).sum())").value == "3"
