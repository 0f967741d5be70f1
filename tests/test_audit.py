"""`envfoundry audit` on a real run: every stored task resists the battery and says why it is
trusted; a task stored with a verifier that can be gamed is found, with the attack named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envfoundry.config import load_settings
from envfoundry.models import TaskSpec, TaskStatus
from envfoundry.storage import Store, TaskFilter

pytestmark = pytest.mark.slow

LAX = (
    "def verify(answer, db):\n    return isinstance(answer, dict) and bool(answer), 'looks fine'\n"
)


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "COLUMNS": "200",
        "ENVFOUNDRY_SANDBOX_BACKEND": "local",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_HOME": str(Path.cwd() / "prefect"),
    }
    return subprocess.run(
        [sys.executable, "-m", "envfoundry.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_audit_of_a_run_is_sound_and_finds_a_gameable_verifier() -> None:
    ran = cli("run", "--environments", "4", "--seed", "11", "--categories",
              "car_rental,retail_orders,library_loans,trip_planning")  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]

    res = cli("audit", "--json")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    report = json.loads(res.stdout)
    assert report["sound"] and report["tasks"] == report["still_accepted"] > 10
    assert report["wrong_controls_accepted"] == 0 and report["variants_rejected"] == 0
    kinds = report["by_kind"]
    for kind in ("collateral", "greedy_other", "missing_write", "no_writes", "drop", "reversed"):
        assert kinds[kind]["controls"] > 0, kind
    assert set(report["by_category"]) == {
        "car_rental", "retail_orders", "library_loans", "trip_planning"
    }  # fmt: skip

    # why a stored write task is trusted, in `tasks show`
    with Store.from_settings(load_settings()) as store:
        write = next(
            r
            for r in store.list_tasks(
                TaskFilter(status=TaskStatus.accepted, category="retail_orders")
            )
            if r.spec.difficulty == 2
        )
        shown = json.loads(cli("tasks", "show", write.id, "--json").stdout)
        assert shown["trust"]["held"] is True
        assert "greedy_other" in shown["trust"]["controls_failed"]

        # the same task stored with a verifier that only looks at the answer
        lax = TaskSpec.model_validate(
            {
                **write.spec.model_dump(mode="json"),
                "verifier": {"kind": "function", "source": LAX},
                "parent_task_id": None,
            }
        )
        assert lax.id != write.id
        store.put_task(lax, TaskStatus.accepted)

    res = cli("audit", "--json", "--category", "retail_orders")
    assert res.returncode == 1
    report = json.loads(res.stdout)
    assert not report["sound"] and report["wrong_controls_accepted"] > 0
    attacks = {f["attack"].split(":")[1] for f in report["findings"] if f["task_id"] == lax.id}
    assert {"no_writes", "greedy_other", "collateral"} <= attacks
    assert all(f["task_id"] == lax.id for f in report["findings"])
    table = cli("audit", "--category", "retail_orders")
    assert table.returncode == 1 and "NOT sound" in table.stdout
