"""Task store: round trips, idempotency, transactions, migrations, concurrency."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect

from envfoundry.errors import NotFoundError, StoreError
from envfoundry.models import Attempt, TaskStatus, Verdict
from envfoundry.storage import Store, TaskFilter
from envfoundry.storage.schema import Base
from tests.factories import make_env, make_task


def _store(url: str, tmp_path: Path) -> Store:
    store = Store(url, tmp_path / "blobs")
    store.upgrade()
    return store


def test_migrations_upgrade_from_empty_and_match_the_models(store_url: str, tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = Store(store_url, tmp_path / "blobs")
    assert store.schema_status()["current"] is None
    before, after = store.upgrade()
    assert before is None and after == store.schema_status()["head"]
    assert store.upgrade() == (after, after)  # idempotent
    tables = set(sa_inspect(store.engine).get_table_names())
    assert {"environments", "tools", "tasks", "attempts", "pipeline_runs", "llm_calls"} <= tables
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"migrations drifted from schema.py: {diff}"


def test_upgrade_from_0001_keeps_the_data_and_swaps_the_env_index(
    store_url: str, tmp_path: Path
) -> None:
    from envfoundry.storage import migrate

    store = Store(store_url, tmp_path / "blobs")
    assert migrate.upgrade(store.engine, "0001") == (None, "0001")
    env = make_env()
    store.put_environment(env)
    tasks = [make_task(env, i) for i in range(5)]
    store.put_tasks(tasks)
    indexes = {ix["name"] for ix in sa_inspect(store.engine).get_indexes("tasks")}
    assert "ix_tasks_env_id" in indexes and "ix_tasks_env_id_id" not in indexes
    assert store.upgrade() == ("0001", store.schema_status()["head"])
    indexes = {ix["name"] for ix in sa_inspect(store.engine).get_indexes("tasks")}
    assert "ix_tasks_env_id_id" in indexes and "ix_tasks_env_id" not in indexes
    assert [t.id for t in store.iter_tasks(TaskFilter(env_id=env.id))] == sorted(
        t.id for t in tasks
    )


def test_round_trip_and_idempotent_reinsert(store_url: str, tmp_path: Path) -> None:
    store = _store(store_url, tmp_path)
    env = make_env()
    assert store.put_environment(env) is True
    assert store.put_environment(env) is False
    tasks = [make_task(env, i, level=1 + i % 5) for i in range(20)]
    assert store.put_tasks(tasks) == 20
    assert store.put_tasks(tasks) == 0
    assert store.count_tasks() == 20
    got = store.get_task(tasks[3].id)
    assert got.spec == tasks[3] and got.status is TaskStatus.proposed
    assert store.get_environment(env.id).spec == env
    assert [t.id for t in store.iter_tasks(batch=7)] == sorted(t.id for t in tasks)
    assert store.count_tasks(TaskFilter(difficulty_min=2, difficulty_max=3)) == 8
    with pytest.raises(NotFoundError):
        store.get_task("task_missing")


def test_lifecycle_and_stats(store_url: str, tmp_path: Path) -> None:
    store = _store(store_url, tmp_path)
    env = make_env()
    store.put_environment(env)
    t1, t2 = make_task(env, 1), make_task(env, 2)
    store.put_tasks([t1, t2])
    store.set_task_status(t1.id, TaskStatus.verified)
    store.set_task_status(t1.id, TaskStatus.accepted)
    store.set_task_status(
        t2.id, TaskStatus.rejected, "verifier_unsound", "accepted the empty answer"
    )
    with pytest.raises(StoreError, match="cannot move from rejected"):
        store.set_task_status(t2.id, TaskStatus.accepted)
    with pytest.raises(StoreError, match="needs a category"):
        store.set_task_status(t1.id, TaskStatus.rejected)
    s = store.stats()
    assert s["by_status"] == {"accepted": 1, "rejected": 1}
    assert s["rejections"] == {"verifier_unsound": 1}
    assert s["by_category"]["general/trip_planning"] == {"accepted": 1, "rejected": 1}


def test_transaction_rollback_leaves_nothing(store_url: str, tmp_path: Path) -> None:
    store = _store(store_url, tmp_path)
    env = make_env()
    task = make_task(env)
    attempt = Attempt(task_id=task.id, kind="reference", label="reference", verdict=Verdict.ok())
    with pytest.raises(RuntimeError, match="boom"), store.transaction() as tx:
        tx.put_environment(env)
        tx.put_tasks([task])
        tx.put_attempts([attempt])
        raise RuntimeError("boom")
    assert store.count_tasks() == 0
    assert store.list_environments() == []
    assert store.list_attempts(task.id) == []
    # and the same unit lands whole when nothing fails
    with store.transaction() as tx:
        tx.put_environment(env)
        tx.put_tasks([task], TaskStatus.accepted)
        tx.put_attempts([attempt, attempt])
    assert store.get_task(task.id).status is TaskStatus.accepted
    assert len(store.list_attempts(task.id)) == 1


def test_runs_and_llm_calls(store_url: str, tmp_path: Path) -> None:
    store = _store(store_url, tmp_path)
    run = store.start_run({"families": ["general"]})
    store.finish_run(run, "completed", {"accepted": 3})
    assert store.get_run(run)["summary"] == {"accepted": 3}
    assert store.cached_llm_response("h") is None
    kw = dict(
        role="proposer",
        model="m",
        request={"messages": []},
        prompt_tokens=10,
        completion_tokens=5,
        latency_s=0.1,
        cost_usd=None,
        run_id=run,
    )
    store.record_llm_call(request_hash="h", response=None, status="error", error="500", **kw)
    assert store.cached_llm_response("h") is None
    store.record_llm_call(
        request_hash="h", response={"choices": [1]}, status="ok", error=None, **kw
    )
    assert store.cached_llm_response("h") == {"choices": [1]}
    assert store.stats()["llm_calls"]["prompt_tokens"] == 20


def test_blob_store_is_content_addressed(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}", tmp_path / "blobs")
    h = store.blobs.put_bytes(b"hello")
    assert h == store.blobs.put_bytes(b"hello")
    assert store.blobs.get_bytes(h) == b"hello"
    src = tmp_path / "f.bin"
    src.write_bytes(b"hello")
    assert store.blobs.put_file(src) == h
    assert not list((tmp_path / "blobs").rglob(".tmp-*"))
    with pytest.raises(NotFoundError):
        store.blobs.get_bytes("0" * 64)
    with pytest.raises(StoreError):
        store.blobs.path("../etc/passwd")


WRITER = textwrap.dedent(
    """
    import sys
    from envfoundry.storage import Store
    from tests.factories import make_env, make_task
    store = Store(sys.argv[1], sys.argv[2])
    env = make_env()
    tasks = [make_task(env, i) for i in range(1000)]
    with store.transaction() as tx:
        tx.put_environment(env)
    for i in range(0, 1000, 50):  # many small transactions interleave with the other writer
        store.put_tasks(tasks[i:i + 50])
    """
)


def test_two_processes_insert_the_same_tasks(store_url: str, tmp_path: Path) -> None:
    store = _store(store_url, tmp_path)
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, store_url, str(tmp_path / "blobs")],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert store.count_tasks() == 1000
    assert len(store.list_environments()) == 1


MIGRATOR = textwrap.dedent(
    """
    import sys
    from envfoundry.storage import Store
    print(Store(sys.argv[1], sys.argv[2]).upgrade())
    """
)


def test_concurrent_migrations_on_an_empty_store(store_url: str, tmp_path: Path) -> None:
    """Workers that start together on an empty store all end at head, with no error."""
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATOR, store_url, str(tmp_path / "blobs")],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert Store(store_url).schema_status()["up_to_date"]
