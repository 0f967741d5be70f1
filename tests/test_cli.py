"""CLI: commands work on a fresh store, user errors are one line without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envfoundry.models import TaskStatus
from envfoundry.storage import Store
from tests.factories import make_env, make_task


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {}), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "envfoundry.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def assert_clean_error(res: subprocess.CompletedProcess[str], needle: str) -> None:
    assert res.returncode != 0
    assert "Traceback" not in res.stderr + res.stdout
    assert needle in res.stderr + res.stdout


@pytest.fixture
def filled_store(_isolated_data_dir: Path) -> Store:
    store = Store(f"sqlite:///{_isolated_data_dir / 'envfoundry.db'}", _isolated_data_dir / "blobs")
    store.upgrade()
    env = make_env()
    store.put_environment(env)
    tasks = [make_task(env, i, level=1 + i % 3) for i in range(6)]
    store.put_tasks(tasks)
    store.set_task_status(tasks[0].id, TaskStatus.accepted)
    store.set_task_status(
        tasks[1].id, TaskStatus.rejected, "verifier_unsound", "accepted empty answer"
    )
    return store


def test_every_command_help_has_an_example() -> None:
    for args in (
        [],
        ["db", "upgrade"],
        ["db", "current"],
        ["doctor"],
        ["envs", "list"],
        ["envs", "show"],
        ["tasks", "list"],
        ["tasks", "show"],
        ["stats"],
        ["run"],
        ["verify"],
        ["serve"],
        ["images", "bootstrap"],
        ["images", "list"],
        ["images", "prune"],
        ["sandbox", "run"],
        ["runs", "list"],
        ["runs", "show"],
        ["runs", "delete"],
        ["runs", "repair"],
    ):
        res = cli(*args, "--help")
        assert res.returncode == 0, res.stderr
        assert "Example:" in res.stdout, args


def test_db_upgrade_and_current() -> None:
    res = cli("db", "upgrade")
    assert res.returncode == 0, res.stderr
    cur = json.loads(cli("db", "current", "--json").stdout)
    assert cur["up_to_date"] is True and f"→ {cur['head']}" in res.stdout


def test_tasks_list_json_and_filters(filled_store: Store) -> None:
    res = cli("tasks", "list", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert len(rows) == 6
    assert {"id", "env_id", "family", "category", "difficulty", "status"} <= set(rows[0])
    accepted = json.loads(cli("tasks", "list", "--status", "accepted", "--json").stdout)
    assert len(accepted) == 1
    lvl = json.loads(cli("tasks", "list", "--difficulty", "2-3", "--json").stdout)
    assert {r["difficulty"] for r in lvl} == {2, 3} and len(lvl) == 4
    assert json.loads(cli("tasks", "list", "--category", "nope", "--json").stdout) == []


def test_show_stats_and_envs(filled_store: Store) -> None:
    task_id = filled_store.list_tasks(limit=1)[0].id
    shown = json.loads(cli("tasks", "show", task_id, "--json").stdout)
    assert shown["id"] == task_id and shown["prompt"].startswith("Plan trip")
    assert cli("tasks", "show", task_id).returncode == 0
    s = json.loads(cli("stats", "--json").stdout)
    assert s["by_status"] == {"accepted": 1, "proposed": 4, "rejected": 1}
    assert s["rejections"] == {"verifier_unsound": 1}
    assert "verifier_unsound" in cli("stats").stdout
    envs = json.loads(cli("envs", "list", "--json").stdout)
    assert len(envs) == 1
    env = json.loads(cli("envs", "show", envs[0]["id"], "--json").stdout)
    assert [t["name"] for t in env["tools"]] == ["get_all_cities", "book"]
    assert env["tasks_by_level"]["1"] == {"accepted": 1, "proposed": 1}


def test_user_errors_print_one_line_without_traceback(tmp_path: Path) -> None:
    assert_clean_error(cli("tasks", "show", "task_nope"), "no task with id 'task_nope'")
    assert_clean_error(cli("envs", "show", "env_nope"), "no environment with id 'env_nope'")
    assert_clean_error(
        cli("stats", env={"ENVFOUNDRY_DB_URL": "mysql://x"}), "only sqlite and postgresql"
    )
    assert_clean_error(
        cli("stats", env={"ENVFOUNDRY_DB_URL": "::not a url::"}), "is not a database URL"
    )
    assert_clean_error(
        cli("stats", env={"ENVFOUNDRY_DB_URL": "postgresql://u:p@127.0.0.1:1/db"}),
        "cannot reach the store",
    )
    assert_clean_error(cli("tasks", "list", "--difficulty", "hard"), "use a level")
    assert_clean_error(cli("tasks", "list", "--status", "finished"), "finished")
    assert_clean_error(cli("stats", env={"ENVFOUNDRY_POOL_SIZE": "zero"}), "pool_size")
    bad = tmp_path / "bad.toml"
    bad.write_text("pool_size = [")
    assert_clean_error(cli("stats", env={"ENVFOUNDRY_CONFIG": str(bad)}), "bad.toml")
    assert_clean_error(
        cli("stats", env={"ENVFOUNDRY_CONFIG": str(tmp_path / "missing.toml")}), "not a file"
    )


def test_doctor_reports_no_daemon_clearly() -> None:
    res = cli("doctor", "--json", env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    report = json.loads(res.stdout)
    assert res.returncode == 1
    assert report["checks"]["docker"]["ok"] is False
    assert "no Docker daemon answers" in report["checks"]["docker"]["detail"]
    assert report["checks"]["store"]["url"].startswith("sqlite:///")


def test_config_file_and_env_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from envfoundry.config import load_settings

    (tmp_path / "envfoundry.toml").write_text('pool_size = 4\nllm_model = "from-file"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings().pool_size == 4
    monkeypatch.setenv("ENVFOUNDRY_POOL_SIZE", "6")
    monkeypatch.setenv("ENVFOUNDRY_LLM_ROLES__SOLVER__MODEL", "solver-model")
    s = load_settings()
    assert s.pool_size == 6
    assert s.llm_for("solver").model == "solver-model"
    assert s.llm_for("proposer").model == "from-file"


def test_ids_are_whole_at_80_columns_and_prefixes_are_accepted(filled_store: Store) -> None:
    """A person at an 80-column terminal can copy ids from lists, or type a prefix."""
    ids = cli("tasks", "list", "--ids").stdout.split()
    assert len(ids) == 6 and all(i.startswith("task_") for i in ids)
    narrow = {"COLUMNS": "80"}
    for args, prefix in ((("tasks", "list"), "task_"), (("envs", "list"), "env_")):
        res = subprocess.run(
            [sys.executable, "-m", "envfoundry.cli", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **narrow},
            timeout=120,
        )
        shown = [
            w for line in res.stdout.splitlines() for w in line.split() if w.startswith(prefix)
        ]
        assert shown, res.stdout
        full = ids if prefix == "task_" else [e.id for e in filled_store.list_environments()]
        assert set(shown) <= set(full), res.stdout  # every id printed whole
    shown = json.loads(cli("tasks", "show", ids[0][:12], "--json").stdout)
    assert shown["id"] == ids[0]
    assert_clean_error(cli("tasks", "show", "task_"), "ambiguous")  # names several tasks


def test_not_found_is_exit_2_and_json_under_json(filled_store: Store) -> None:
    res = cli("verify", "task_deadbeef", "--json")
    assert res.returncode == 2  # not found, apart from a failing verdict (1)
    assert json.loads(res.stdout) == {
        "error": "no task with id 'task_deadbeef'",
        "exit_code": 2,
        "kind": "NotFoundError",
    }
    res = cli("stats", env={"ENVFOUNDRY_DB_URL": "postgres://u@127.0.0.1/db"})
    assert_clean_error(res, "write postgresql://")
