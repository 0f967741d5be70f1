"""What dead runs leave behind is found (doctor) and cleaned (runs repair, next run's start)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from envfoundry.flows.prefect_api import SERVER_MARKER_ENV, orphaned_servers
from envfoundry.flows.runs import is_stale, repair
from envfoundry.procs import this_host
from envfoundry.storage import Store
from tests.conftest import ROOT
from tests.test_cli import assert_clean_error, cli


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def store(_isolated_data_dir: Path) -> Store:
    s = Store(f"sqlite:///{_isolated_data_dir / 'envfoundry.db'}", _isolated_data_dir / "blobs")
    s.upgrade()
    return s


def test_a_run_whose_process_died_is_stale_and_repair_marks_it_interrupted(
    store: Store,
) -> None:
    dead = store.start_run({"seed": 1}, host=this_host(), pid=_dead_pid())
    live = store.start_run({"seed": 2}, host=this_host(), pid=os.getpid())
    elsewhere = store.start_run({"seed": 3}, host="another-host", pid=1)  # fresh heartbeat
    assert is_stale(store.get_run(dead)) and not is_stale(store.get_run(live))
    assert not is_stale(store.get_run(elsewhere))

    doctor = json.loads(cli("doctor", "--json").stdout)["checks"]["runs"]
    assert doctor["ok"] is None and doctor["stale_runs"] == [dead]
    assert "runs repair" in doctor["detail"]

    res = cli("runs", "repair", "--json")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["stale_runs"] == [dead]
    assert sorted(report["live_runs"]) == sorted([live, elsewhere])
    assert store.get_run(dead)["status"] == "interrupted"
    assert store.get_run(live)["status"] == "running"
    assert repair(store).stale_runs == []  # idempotent


def test_runs_list_show_and_delete(store: Store) -> None:
    rid = store.start_run({"seed": 4}, host=this_host(), pid=_dead_pid())
    store.finish_run(
        rid, "completed", {"families": {"general": {"environments": 3, "accepted": 9}}}
    )
    listed = json.loads(cli("runs", "list", "--json").stdout)
    assert [(r["id"], r["environments"], r["accepted"]) for r in listed] == [(rid, 3, 9)]
    shown = json.loads(cli("runs", "show", rid[:8], "--json").stdout)
    assert shown["id"] == rid and shown["config"] == {"seed": 4}
    assert cli("runs", "delete", rid[:8]).returncode == 0
    assert_clean_error(cli("runs", "show", rid), "no pipeline run")


def test_an_orphaned_prefect_server_is_found_and_stopped(store: Store) -> None:
    # stands in for a temporary server whose run died without taking it along
    env = {**os.environ, SERVER_MARKER_ENV: f"deadrun:{_dead_pid()}"}
    orphan = subprocess.Popen(["sleep", "120"], env=env)
    try:
        deadline = time.monotonic() + 5
        while orphan.pid not in [o["pid"] for o in orphaned_servers()]:
            assert time.monotonic() < deadline, "the orphan was never found"
            time.sleep(0.1)
        report = repair(store, sandboxes=False)
        assert orphan.pid in report.orphaned_servers
        assert orphan.wait(timeout=10) == -signal.SIGTERM
        assert orphan.pid not in [o["pid"] for o in orphaned_servers()]
    finally:
        orphan.kill()


def test_configuration_errors_come_before_orchestration(_isolated_data_dir: Path) -> None:
    env = {"ENVFOUNDRY_LLM_BASE_URL": ""}
    t0 = time.monotonic()
    res = cli("run", "--driver", "llm", "--environments", "1", env=env)
    assert_clean_error(res, "the llm driver needs an LLM endpoint")
    assert len((res.stdout + res.stderr).strip().splitlines()) <= 3
    res = cli("run", "--categories", "trip_planning,bogus")
    assert_clean_error(res, "unknown general category bogus")
    assert len((res.stdout + res.stderr).strip().splitlines()) <= 3
    # nothing was orchestrated: no Prefect server was started, no run recorded
    assert time.monotonic() - t0 < 60
    assert not (Path(os.environ["ENVFOUNDRY_DATA_DIR"]) / "envfoundry.db").exists()


@pytest.mark.docker
@pytest.mark.slow
def test_leased_slots_of_a_killed_run_are_freed_by_the_next_run(tmp_path: Path) -> None:
    """With a shared Prefect server, slots are leases; a SIGKILLed run's slots come back."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from envfoundry.flows.limits import held_slots
    from envfoundry.flows.prefect_api import TemporaryPrefectAPI

    server = TemporaryPrefectAPI("test-shared-server")
    url = server.start()
    data = tmp_path / "data"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ENVFOUNDRY_")},
        "ENVFOUNDRY_DATA_DIR": str(data),
        "PREFECT_API_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    args = [
        sys.executable,
        "-m",
        "envfoundry.cli",
        "run",
        "--environments",
        "2",
        "--seed",
        "2",
        "--batch-size",
        "1",
    ]
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            run = subprocess.Popen(
                args,
                env={**env, "ENVFOUNDRY_HOLD": "after_item=60"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert run.stderr is not None
            for line in run.stderr:
                if "envfoundry-hold: after_item" in line:
                    break
            assert held_slots().get("envfoundry-sandbox", 0) >= 1
            run.kill()
            run.wait()
            assert held_slots().get("envfoundry-sandbox", 0) >= 1  # the lease outlives its holder
            rerun = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
            assert rerun.returncode == 0, rerun.stderr
            assert held_slots() == {}
    finally:
        server.stop()
