"""The first hour of a new user (issue #23), driven as a person would: an 80-column terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from envfoundry.models import Attempt, AttemptKind, TaskStatus, Verdict
from envfoundry.storage import Store
from tests.factories import make_env, make_task
from tests.terminal import in_terminal

NO_DOCKER = {"DOCKER_HOST": "unix:///nonexistent/docker.sock", "ENVFOUNDRY_SANDBOX_BACKEND": "auto"}
LONG_LINE = "    return {'city': 'Paris', 'note': '" + "x" * 90 + "'}  # longer than the terminal"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Not on a terminal: stdout and stderr captured apart."""
    return subprocess.run(
        [sys.executable, "-m", "envfoundry.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", **(env or {})},
        timeout=300,
    )


@pytest.fixture
def store(_isolated_data_dir: Path) -> Store:
    store = Store(f"sqlite:///{_isolated_data_dir / 'envfoundry.db'}", _isolated_data_dir / "blobs")
    store.upgrade()
    env = make_env()
    store.put_environment(env)
    tasks = [make_task(env, i, level=1 + i % 3) for i in range(5)]
    long_one = tasks[0].model_copy(
        update={"reference_solution": f"def solve(tools):\n{LONG_LINE}\n"}
    )
    tasks[0] = type(tasks[0]).model_validate(long_one.model_dump())  # a new content id
    store.put_tasks(tasks)
    for t in tasks:
        store.set_task_status(t.id, TaskStatus.accepted)
    store.put_attempts(
        [
            Attempt(
                task_id=tasks[0].id,
                kind=AttemptKind.reference,
                label="reference",
                answer={"city": "Paris"},
                verdict=Verdict(passed=True, reward=1.0, reason="matches"),
            )
        ]
    )
    return store


def _words(text: str, prefix: str) -> set[str]:
    return {w.strip("│┃") for w in text.split() if w.strip("│┃").startswith(prefix)}


def test_lists_show_whole_ids_at_80_columns_and_show_takes_a_prefix(store: Store) -> None:
    task_ids = {t.id for t in store.list_tasks()}
    out, code = in_terminal("tasks", "list")
    assert code == 0, out
    assert _words(out, "task_") == task_ids, out  # every id whole, none cut
    env_ids = {e.id for e in store.list_environments()}
    out, code = in_terminal("envs", "list")
    assert code == 0 and _words(out, "env_") == env_ids, out

    first = sorted(task_ids)[0]
    long_task = next(t.id for t in store.list_tasks() if "x" * 90 in t.spec.reference_solution)
    out, code = in_terminal("tasks", "show", long_task[:14])
    assert code == 0, out
    assert out.startswith(long_task), out  # the prefix named the task; its full id is shown
    assert LONG_LINE in out.splitlines(), out  # code printed as written, not re-wrapped
    assert '{"city": "Paris"}' in out  # the reference answer, from the reference attempt
    [attempt] = store.list_attempts(long_task)
    assert attempt.id in _words(out, "attempt_"), out  # attempts of a prefix-named task
    assert first in task_ids


def test_run_at_80_columns_warns_once_and_shows_whole_headers(_isolated_data_dir: Path) -> None:
    """Without Docker the run says once that it uses the local backend, and why."""
    out, code = in_terminal(
        "run",
        "--environments",
        "1",
        "--category",
        "car_rental",
        "--family",
        "general",
        env=NO_DOCKER,
    )
    assert code == 0, out
    assert out.count("LOCAL sandbox backend") == 1, out
    assert "scripts/setup.sh" in out
    header = next(line for line in out.splitlines() if "family" in line and "┃" in line)
    for name in ("family", "envs", "skipped", "accepted", "rejected", "infra"):
        assert f" {name} " in header, header  # whole, on one header line
    assert "tasks verified on the local backend" in out
    run_id = re.search(r"run ([0-9a-f]{32})", out)
    assert run_id is not None, out
    assert f"--run-id {run_id.group(1)}" in out  # the next command, whole at 80 columns


def test_run_not_on_a_terminal_prints_progress_lines(_isolated_data_dir: Path) -> None:
    res = cli(
        "run",
        "--environments",
        "2",
        "--categories",
        "car_rental,trip_planning",
        "--families",
        "general",
        env={"ENVFOUNDRY_SANDBOX_BACKEND": "local"},
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    planned = lines.index("general: 2 work item(s) planned")
    done = next(i for i, line in enumerate(lines) if line.startswith("general: 2/2 items"))
    summary = next(i for i, line in enumerate(lines) if line.strip().startswith("run "))
    assert planned < done < summary, res.stdout  # progress while it runs, not only at the end
    envs = json.loads(cli("envs", "list", "--json").stdout)
    assert {e["category"] for e in envs} == {"car_rental", "trip_planning"}
    assert len({e["run_id"] for e in envs}) == 1


def test_filters_that_match_nothing_warn_once_and_fail_under_strict(store: Store) -> None:
    for args in (
        ("tasks", "list", "--category", "bogus"),
        ("tasks", "list", "--run-id", "nope", "--ids"),
        ("envs", "list", "--run-id", "nope"),
    ):
        res = cli(*args)
        assert res.returncode == 0, res.stderr
        assert res.stderr.count("warning: no ") == 1, (args, res.stderr)
        strict = cli(*args, "--strict")
        assert strict.returncode == 1 and "Traceback" not in strict.stderr, strict.stderr
        assert "--strict" in strict.stderr
    assert json.loads(cli("tasks", "list", "--status", "any", "--json").stdout)  # as in export

    res = cli("export", "--out", "out1", "--env", "env_nope")
    assert res.returncode == 0 and res.stderr.count("warning: no tasks match") == 1, res.stderr
    res = cli("export", "--out", "out2", "--category", "bogus", "--strict")
    assert res.returncode == 1 and "no tasks match category=bogus" in res.stderr, res.stderr


def test_export_says_which_splits_stay_empty(store: Store) -> None:
    res = cli("export", "--out", "few", "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    warnings = [line for line in res.stderr.splitlines() if "received no task" in line]
    assert len(warnings) == 1 and "validation, test" in warnings[0], res.stderr
    res = cli("export", "--out", "few-strict", "--strict")
    assert res.returncode == 1 and "received no task" in res.stderr, res.stderr
    res = cli("export", "--out", "one-split", "--splits", "1,0,0")
    assert res.returncode == 0 and "received no task" not in res.stderr, res.stderr


def test_doctor_says_which_backend_the_next_run_uses() -> None:
    res = cli("doctor", "--json", env=NO_DOCKER)
    sandbox = json.loads(res.stdout)["checks"]["sandbox"]
    assert sandbox["next_run"] == "local"
    assert "next `envfoundry run`" in sandbox["detail"]
    assert "scripts/setup.sh" in sandbox["detail"]  # how to get Docker


@pytest.mark.docker
def test_sandbox_base_image_and_dry_runs(_isolated_data_dir: Path) -> None:
    from envfoundry.config import load_settings
    from envfoundry.envs.docker_api import docker_answers
    from envfoundry.envs.docker_backend import RUN_ID, DockerBackend

    if not docker_answers():
        pytest.skip("no Docker daemon answers")
    res = cli("sandbox", "run", "--image", "base", "--", "echo", "hello")
    assert res.returncode == 0 and res.stdout == "hello\n", res.stderr

    backend = DockerBackend(load_settings())
    try:
        with backend.start() as box:
            res = cli("sandbox", "reap", "--run-id", RUN_ID, "--dry-run")
            assert res.returncode == 0 and "would remove 1 container(s)" in res.stdout, res.stdout
            assert box.container.id.startswith(res.stdout.split()[-1])  # listed, and
            box.container.reload()  # still there
            assert box.container.status == "running"
    finally:
        backend.close()
    res = cli("images", "prune", "--dry-run", "--purpose", "no-such-purpose")
    assert res.returncode == 0 and "would remove 0 image(s)" in res.stdout


def test_help_shows_every_flag_whole_at_80_columns() -> None:
    import typer

    from envfoundry.cli import app

    group = typer.main.get_command(app)
    for path in (["export"], ["run"], ["tasks", "list"]):
        command = group
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        out, code = in_terminal(*path, "--help")
        assert code == 0, out
        flags = [o for p in command.params for o in p.opts if o.startswith("--")]
        for flag in flags:
            assert re.search(rf"(^|[\s,]){re.escape(flag)}([\s,]|$)", out), (flag, out)
        examples = re.findall(r"Example: .*", command.help or "")
        assert examples
        lines = {line.strip() for line in out.splitlines()}
        for example in examples:  # each on one line, as written: it pastes
            assert example.strip() in lines, (example, out)


def test_a_store_in_a_missing_directory_is_an_error_not_a_new_empty_store(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    for args in (("stats",), ("tasks", "list"), ("run", "--environments", "1")):
        res = cli(*args, env={"ENVFOUNDRY_DB_URL": f"sqlite:///{missing}/x.db"})
        assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr
        assert f"directory {missing} does not exist" in res.stderr
        assert not (tmp_path / "no").exists()
