"""Benchmark: 100k tasks into the SQLite store and back, against plain sqlite3 executemany;
and blob write / read throughput per blob backend against the local directory.

Prints JSON. The baseline inserts the same rows (same columns, same serialised specs)
with ``sqlite3.executemany`` into an identical table in the same run, so the ratio is
the cost of the store's API (id hashing, spec serialisation, SQLAlchemy, idempotent
``ON CONFLICT`` inserts, transactions) on this machine.

Blobs: the same blobs (``--blob-count`` of ``--blob-kib`` KiB, plus one large blob of
``--large-mib`` MiB put from a file and streamed back) go through each backend behind the
blob store interface; the local directory is the baseline, ratios are MB/s over its MB/s.
PostgreSQL is included when ``--pg-url`` (or ``ENVFOUNDRY_TEST_PG_URL``) names a server:
a throwaway database is created there and dropped.

Usage: python bench/store.py [--tasks 100000] [--batch 5000] [--blobs-only] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from envfoundry.models import EnvironmentSpec, TaskSpec, ToolSpec, VerifierSpec
from envfoundry.storage import Store
from envfoundry.storage.blobs import BlobStore


def make_tasks(n: int) -> tuple[EnvironmentSpec, list[TaskSpec]]:
    env = EnvironmentSpec(
        family="general",
        category="trip_planning",
        name="bench",
        tools=(ToolSpec(name="get_all_cities", description="List cities."),),
    )
    verifier = VerifierSpec(
        kind="function", source="def verify(answer, db):\n    return True, 'ok'\n"
    )
    tasks = [
        TaskSpec(
            env_id=env.id,
            family="general",
            category="trip_planning",
            prompt=f"Plan a {2 + i % 4}-day trip number {i} from Hangzhou with a budget of {500 + i}.",
            answer_schema={"type": "object", "properties": {"days": {"type": "array"}}},
            reference_solution="def solve(tools):\n    return {'days': []}\n",
            verifier=verifier,
            difficulty=1 + i % 5,
        )
        for i in range(n)
    ]
    return env, tasks


def bench_store(
    tmp: Path, env: EnvironmentSpec, tasks: list[TaskSpec], batch: int
) -> dict[str, float]:
    store = Store(f"sqlite:///{tmp / 'store.db'}", tmp / "blobs")
    store.upgrade()
    t0 = time.perf_counter()
    store.put_environment(env)
    for i in range(0, len(tasks), batch):
        store.put_tasks(tasks[i : i + batch])
    insert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = sum(1 for _ in store.iter_tasks(batch=batch))
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = sum(store.put_tasks(tasks[i : i + batch]) for i in range(0, len(tasks), batch))
    reinsert_s = time.perf_counter() - t0
    store.close()
    assert n == len(tasks) and again == 0
    return {"insert_s": insert_s, "read_s": read_s, "reinsert_noop_s": reinsert_s}


def bench_baseline(tmp: Path, tasks: list[TaskSpec], batch: int) -> dict[str, float]:
    """Plain sqlite3: pre-built tuples of already-known ids and JSON, executemany, commit."""
    conn = sqlite3.connect(tmp / "baseline.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "create table tasks (id text primary key, env_id text, family text, category text,"
        " difficulty int, status text, spec_json text, created_at text, updated_at text)"
    )
    conn.execute("create index ix_d on tasks(difficulty)")
    conn.execute("create index ix_s on tasks(status)")
    t0 = time.perf_counter()
    for i in range(0, len(tasks), batch):
        rows = [
            (
                t.id,
                t.env_id,
                "general",
                t.category,
                t.difficulty,
                "proposed",
                t.model_dump_json(),
                "now",
                "now",
            )
            for t in tasks[i : i + batch]
        ]
        conn.executemany("insert into tasks values (?,?,?,?,?,?,?,?,?)", rows)
        conn.commit()
    insert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = 0
    for row in conn.execute("select spec_json from tasks order by id"):
        TaskSpec.model_validate_json(row[0])
        n += 1
    read_s = time.perf_counter() - t0
    conn.close()
    assert n == len(tasks)
    return {"insert_s": insert_s, "read_s": read_s}


def bench_blobs(blobs: BlobStore, data: list[bytes], large: Path) -> dict[str, float]:
    total = sum(map(len, data))
    t0 = time.perf_counter()
    digests = [blobs.put_bytes(d) for d in data]
    write_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in digests:
        blobs.get_bytes(d)
    read_s = time.perf_counter() - t0
    size = large.stat().st_size
    t0 = time.perf_counter()
    big = blobs.put_file(large)
    large_write_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    streamed = sum(len(c) for c in blobs.iter_chunks(big))
    large_read_s = time.perf_counter() - t0
    assert streamed == size
    mb = 1 << 20
    return {
        "write_mb_s": total / mb / write_s,
        "read_mb_s": total / mb / read_s,
        "large_write_mb_s": size / mb / large_write_s,
        "large_read_mb_s": size / mb / large_read_s,
    }


def _pg_database(admin_url: str) -> tuple[str, object]:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = f"ef_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), (
        admin,
        name,
    )


def blob_benchmarks(args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    data = [os.urandom(args.blob_kib * 1024) for _ in range(args.blob_count)]
    large = tmp / "large.bin"
    with open(large, "wb") as fh:
        for _ in range(args.large_mib):
            fh.write(os.urandom(1 << 20))
    sqlite_url = f"sqlite:///{tmp / 'blobs.db'}"
    backends: dict[str, tuple[str, str | None]] = {
        "local_dir": (sqlite_url, None),
        "sqlite_store": (sqlite_url, "store"),
        "fsspec_file": (sqlite_url, f"file://{tmp / 'objects'}"),
        "fsspec_memory": (sqlite_url, f"memory://bench-{uuid.uuid4().hex}"),
    }
    cleanup = None
    pg_admin = args.pg_url or os.environ.get("ENVFOUNDRY_TEST_PG_URL")
    if pg_admin:
        pg_url, cleanup = _pg_database(pg_admin)
        backends["postgres_store"] = (pg_url, "store")
    out: dict[str, dict[str, float]] = {}
    try:
        for name, (url, blob_url) in backends.items():
            store = Store(url, tmp / f"blobs-{name}", blob_url=blob_url)
            store.upgrade()
            try:
                out[name] = bench_blobs(store.blobs, data, large)
            finally:
                store.close()
    finally:
        if cleanup is not None:
            admin, dbname = cleanup  # type: ignore[misc]
            with admin.connect() as conn:  # type: ignore[attr-defined]
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            admin.dispose()  # type: ignore[attr-defined]
    base = out["local_dir"]
    ratios = {
        name: {k: round(v / base[k], 3) for k, v in r.items()}
        for name, r in out.items()
        if name != "local_dir"
    }
    return {
        "blobs": args.blob_count,
        "blob_kib": args.blob_kib,
        "large_mib": args.large_mib,
        "baseline": "local_dir",
        "backends": {k: {m: round(x, 1) for m, x in v.items()} for k, v in out.items()},
        "ratio_vs_local_dir": ratios,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--blobs-only", action="store_true", help="Skip the task part.")
    ap.add_argument("--blob-count", type=int, default=64)
    ap.add_argument("--blob-kib", type=int, default=256)
    ap.add_argument("--large-mib", type=int, default=64)
    ap.add_argument("--pg-url", default=None, help="PostgreSQL server for the blob part.")
    args = ap.parse_args()
    result: dict[str, object] = {"benchmark": "store"}
    if not args.blobs_only:
        result.update(bench_tasks(args))
    with tempfile.TemporaryDirectory() as d:
        result["blob_throughput"] = blob_benchmarks(args, Path(d))
    print(json.dumps(result, indent=2))


def bench_tasks(args: argparse.Namespace) -> dict[str, object]:
    env, tasks = make_tasks(args.tasks)
    for t in tasks:  # ids are cached per object: compute them once for both sides
        _ = t.id
    with tempfile.TemporaryDirectory() as d:
        base = bench_baseline(Path(d), tasks, args.batch)
        ours = bench_store(Path(d), env, tasks, args.batch)
    result: dict[str, object] = {
        "tasks": args.tasks,
        "store": {**ours, "insert_rate_per_s": args.tasks / ours["insert_s"]},
        "baseline_executemany": {**base, "insert_rate_per_s": args.tasks / base["insert_s"]},
        "ratio_insert": ours["insert_s"] / base["insert_s"],
        "ratio_read": ours["read_s"] / base["read_s"],
        "target": {"ratio_insert_max": 3.0, "insert_s_max": 30.0},
    }
    result["meets_target"] = ours["insert_s"] / base["insert_s"] <= 3.0 and ours["insert_s"] < 30.0
    return result


if __name__ == "__main__":
    main()
