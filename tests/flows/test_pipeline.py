"""Pipeline flow: end to end, rerun adds nothing, kill -9 and resume, Dask gives the same ids."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from envfoundry.errors import ConfigError
from envfoundry.families import WorkItem
from envfoundry.flows.batch import run_batch
from envfoundry.flows.config import PipelineConfig, load_pipeline_config
from envfoundry.flows.pipeline import plan
from envfoundry.generators.general.procedural import available_categories
from envfoundry.models import TaskStatus
from envfoundry.storage import Store

ROOT = Path(__file__).resolve().parents[2]


def small_config(**kw: Any) -> PipelineConfig:
    cats = available_categories()[:3]
    assert cats, "no general category is available"
    base: dict[str, Any] = {
        "family_overrides": {"general": {"categories": cats, "environments": len(cats)}},
        "batch_size": 1,
    }
    base.update(kw)
    return load_pipeline_config(None, **base)


def store_snapshot(data_dir: Path) -> dict[str, tuple[str, str | None]]:
    store = Store(f"sqlite:///{data_dir / 'envfoundry.db'}", data_dir / "blobs")
    try:
        return {t.id: (t.status.value, t.rejection_category) for t in store.iter_tasks()}
    finally:
        store.close()


def test_config_validation_and_plan() -> None:
    with pytest.raises(ConfigError, match="unknown family 'nope'"):
        load_pipeline_config(None, families=["nope"])
    with pytest.raises(ConfigError, match="batch_size"):
        load_pipeline_config(None, batch_size=0)
    cfg = load_pipeline_config(
        None, family_overrides={"general": {"categories": ["a", "b"], "environments": 5}}
    )
    assert [(i.category, i.index) for i in plan(cfg, "general")] == [
        ("a", 0),
        ("b", 0),
        ("a", 1),
        ("b", 1),
        ("a", 2),
    ]
    assert len(plan(cfg.model_copy(update={"limit": 3}), "general")) == 3


def test_config_file(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text("[pipeline]\nseed = 7\nbatch_size = 3\n[pipeline.general]\nenvironments = 4\n")
    cfg = load_pipeline_config(f, batch_size=5)
    assert (cfg.seed, cfg.batch_size, cfg.family_config("general").environments) == (7, 5, 4)
    # the same, written per family
    f.write_text("[pipeline]\nseed = 7\n[pipeline.families.general]\nenvironments = 4\n")
    assert load_pipeline_config(f).family_config("general").environments == 4
    (tmp_path / "bad.toml").write_text("[pipeline]\nseeds = 1\n")
    with pytest.raises(ConfigError, match="seeds"):
        load_pipeline_config(tmp_path / "bad.toml")


def test_batch_function_directly_is_idempotent(
    monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path
) -> None:
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "local")
    cat = available_categories()[0]
    store = Store(f"sqlite:///{_isolated_data_dir / 'envfoundry.db'}", _isolated_data_dir / "blobs")
    store.upgrade()
    cfg = small_config()
    first = run_batch([WorkItem(category=cat, index=0)], cfg, "run-1")
    assert first.environments == 1 and first.accepted + sum(first.rejected.values()) >= 5
    assert first.accepted >= 1, first
    again = run_batch([WorkItem(category=cat, index=0)], cfg, "run-2")
    assert again.skipped_items == 1 and again.environments == 0
    accepted = [t for t in store.iter_tasks() if t.status is TaskStatus.accepted]
    assert len(accepted) == first.accepted
    for t in accepted:
        labels = {a.label for a in store.list_attempts(t.id)}
        assert {"reference", "control:empty", "control:random"} <= labels


@pytest.mark.docker
def test_pipeline_end_to_end_in_docker(
    prefect_api: None, monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path
) -> None:
    from envfoundry.envs.docker_api import docker_answers
    from envfoundry.flows.run import run_pipeline

    if not docker_answers():
        pytest.skip("no Docker daemon answers")
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "docker")
    cfg = small_config(batch_size=2)
    events: list[dict[str, Any]] = []
    summary = run_pipeline(cfg, on_event=events.append)
    general = summary["families"]["general"]
    assert general["environments"] == 3 and general["infra_errors"] == []
    assert general["accepted"] >= 3
    assert events[0]["event"] == "planned" and sum(e["event"] == "batch" for e in events) == 2
    snap = store_snapshot(_isolated_data_dir)
    assert len(snap) == general["accepted"] + sum(general["rejected"].values())
    # the run and its summary are in the store, the artifact in Prefect
    store = Store(f"sqlite:///{_isolated_data_dir / 'envfoundry.db'}")
    assert store.get_run(summary["run_id"])["status"] == "completed"
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        arts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["envfoundry-run-summary"]))
        )
    assert arts, "no summary artifact"
    # a rerun adds nothing
    again = run_pipeline(cfg)["families"]["general"]
    assert again["environments"] == 0 and again["skipped_items"] == 3
    assert store_snapshot(_isolated_data_dir) == snap


def _cli_run(
    data_dir: Path, extra: list[str], env_extra: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "ENVFOUNDRY_DATA_DIR": str(data_dir),
        "ENVFOUNDRY_SANDBOX_BACKEND": "local",
        "PREFECT_HOME": str(data_dir / "prefect"),
        **(env_extra or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "envfoundry.cli", "run", "--json", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _run_to_completion(data_dir: Path, args: list[str], env: dict[str, str] | None = None) -> None:
    """Run until the job is finished: exit 3 (infrastructure errors) means rerun to retry."""
    for _ in range(3):
        p = _cli_run(data_dir, args, env)
        out, err = p.communicate(timeout=900)
        if p.returncode != 3:
            assert p.returncode == 0, err
            return
    raise AssertionError(f"still infrastructure errors after 3 runs: {out[-2000:]}")


@pytest.mark.slow
def test_kill_9_and_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    cats = ",".join(available_categories()[:4])
    args = ["--categories", cats, "--environments", "8", "--batch-size", "1", "--workers", "2"]
    reference = tmp_path / "reference"
    _run_to_completion(reference, args)
    expected = store_snapshot(reference)
    assert len(expected) >= 8 * 5

    crashed = tmp_path / "crashed"
    rng = random.Random(1234)
    kills = 0
    for _ in range(3):
        # Kill at a point of the work, not after a time: after the n-th finished item, or
        # in the middle of the n-th environment's transaction (the hold keeps it open).
        point, nth = rng.choice(["after_item", "store_write"]), rng.randint(1, 3)
        p = _cli_run(crashed, args, {"ENVFOUNDRY_HOLD": f"{point}=0.5"})
        assert p.stderr is not None
        seen = 0
        for line in p.stderr:
            seen += f"envfoundry-hold: {point}" in line
            if seen == nth:
                os.killpg(p.pid, signal.SIGKILL)
                kills += 1
                break
        p.communicate(timeout=60)
    _run_to_completion(crashed, args)
    assert kills >= 1, "the run finished before any kill: lengthen the workload"
    assert store_snapshot(crashed) == expected


@pytest.mark.slow
def test_dask_runner_gives_the_same_task_ids(tmp_path: Path) -> None:
    cats = ",".join(available_categories()[:2])
    args = ["--categories", cats, "--environments", "4", "--batch-size", "1"]
    threads, dask = tmp_path / "threads", tmp_path / "dask"
    for where, extra in ((threads, []), (dask, ["--runner", "dask", "--workers", "2"])):
        _run_to_completion(where, args + extra)
    a, b = store_snapshot(threads), store_snapshot(dask)
    assert a and a == b


def test_serve_builds_a_scheduled_deployment() -> None:
    from envfoundry.flows.serve import build_deployment

    cfg = small_config(schedule={"cron": "0 3 * * *"})
    dep = build_deployment(cfg)
    assert dep.name == "envfoundry-pipeline" and dep.flow_name == "envfoundry-scheduled"
    assert [s.schedule.cron for s in dep.schedules] == ["0 3 * * *"]  # type: ignore[union-attr]
    assert PipelineConfig.model_validate(dep.parameters["config"]) == cfg
    every = build_deployment(small_config(schedule={"interval_s": 3600}))
    assert every.schedules[0].schedule.interval.total_seconds() == 3600  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="no schedule"):
        build_deployment(small_config())
    with pytest.raises(ConfigError, match="invalid schedule"):
        build_deployment(small_config(schedule={"cron": "every day"}))


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_share_one_postgres_store(tmp_path: Path, pg_url: str) -> None:
    """Two pipeline processes on one PostgreSQL store end with the same tasks as one run."""
    cats = ",".join(available_categories()[:3])
    args = ["--categories", cats, "--environments", "6", "--batch-size", "1"]
    env = {"ENVFOUNDRY_DB_URL": pg_url}
    procs = [_cli_run(tmp_path / f"worker{i}", args, env) for i in range(2)]
    for p in procs:
        _out, err = p.communicate(timeout=900)
        assert p.returncode in (0, 3), err
    _run_to_completion(tmp_path / "worker0", args, env)  # finishes anything left over
    store = Store(pg_url, tmp_path / "blobs")
    shared = {t.id: (t.status.value, t.rejection_category) for t in store.iter_tasks()}
    single = tmp_path / "single"
    _run_to_completion(single, args)
    assert shared == store_snapshot(single)
    assert len(store.list_environments()) == len({e for e in store_env_ids(single)})


def store_env_ids(data_dir: Path) -> list[str]:
    store = Store(f"sqlite:///{data_dir / 'envfoundry.db'}", data_dir / "blobs")
    try:
        return [e.id for e in store.list_environments()]
    finally:
        store.close()
