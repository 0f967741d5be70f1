"""A small real run stores every judged general task's measured difficulty next to it, and
`tasks list`, `tasks show` and `stats --diversity` show it (local sandbox, subprocess CLI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envfoundry.config import load_settings
from envfoundry.storage import Store
from envfoundry.verifiers.difficulty import label

pytestmark = pytest.mark.slow


def cli(*args: str) -> subprocess.CompletedProcess[str]:
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
        timeout=600,
    )


def test_a_run_stores_and_shows_measured_difficulty() -> None:
    ran = cli("run", "--environments", "2", "--categories", "retail_orders,car_rental", "--json")
    assert ran.returncode == 0, ran.stderr[-2000:]
    summary = json.loads(ran.stdout)["families"]["general"]
    judged = summary["accepted"] + sum(summary["rejected"].values())
    assert judged == 10
    assert sum(sum(v.values()) for v in summary["by_level"].values()) == judged

    with Store.from_settings(load_settings()) as store:
        records = store.list_tasks()
        assert len(records) == 10
        for rec in records:
            sig = rec.signals
            assert sig is not None, rec.id
            assert sig["min_calls"] >= 1 and sig["search_space"] >= 1
            assert sig["shortcut_success"] is None or 0.0 <= sig["shortcut_success"] <= 1.0
            assert sig["pass_rate"] is None  # no policy has run
            assert sig["label"] == label(sig) == rec.difficulty_label
            if rec.rejection_category == "too_easy":
                assert rec.spec.difficulty >= 2 and sig["shortcuts_passed"]
        one = records[0]

    shown = json.loads(cli("tasks", "show", one.id, "--json").stdout)
    assert shown["signals"] == one.signals and shown["difficulty_label"] == one.difficulty_label
    text = cli("tasks", "show", one.id).stdout
    assert f"difficulty (measured): {one.difficulty_label}   min calls " in text
    listed = cli("tasks", "list").stdout
    assert "measured" in listed and "min calls" in listed

    report = json.loads(cli("stats", "--diversity", "--json").stdout)
    assert report["accepted_tasks"] == summary["accepted"]
    by_level = report["acceptance_by_level"]
    assert sum(v["judged"] for v in by_level.values()) == judged
    levels = report["difficulty_by_level"]["by_category"]["car_rental"]
    assert set(levels) <= {f"L{i}" for i in range(1, 6)}
    assert all(v["median_min_calls"] >= 1 for v in levels.values())
