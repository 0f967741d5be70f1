"""`envfoundry run --families interpreter` on real Docker: accepted tasks from every source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envfoundry.envs.docker_api import docker_answers

pytestmark = pytest.mark.docker


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ENVFOUNDRY_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("ENVFOUNDRY_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "envfoundry.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def test_run_accepts_tasks_from_all_three_sources(tmp_path: Path) -> None:
    if not docker_answers():
        pytest.skip("no Docker daemon answers")
    data = tmp_path / "data"
    config = tmp_path / "pipeline.toml"
    config.write_text(
        '[pipeline]\nfamilies = ["interpreter"]\nseed = 3\n\n'
        "[pipeline.interpreter]\nrg_tasks = 8\ndata_tasks = 5\n"
    )
    proc = cli(data, "run", "--config", str(config), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)["families"]["interpreter"]
    assert summary["accepted"] >= 10, summary

    listed = cli(data, "tasks", "list", "--family", "interpreter", "--status", "accepted", "--json")
    tasks = json.loads(listed.stdout)
    categories = {t["category"] for t in tasks}
    assert any(c.startswith("rg_") for c in categories), categories
    assert any(c.startswith("ds_") for c in categories), categories
    assert "user" in categories, categories

    data_task = next(t for t in tasks if t["category"].startswith("ds_"))
    shown = cli(data, "tasks", "show", data_task["id"])
    assert "rule: a single number" in shown.stdout
    verified = cli(data, "verify", data_task["id"], "--json")
    assert json.loads(verified.stdout)["passed"] is True, verified.stdout + verified.stderr
