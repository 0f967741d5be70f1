"""Benchmark: 100k tasks into the SQLite store and back, against plain sqlite3 executemany.

Prints JSON. The baseline inserts the same rows (same columns, same serialised specs)
with ``sqlite3.executemany`` into an identical table in the same run, so the ratio is
the cost of the store's API (id hashing, spec serialisation, SQLAlchemy, idempotent
``ON CONFLICT`` inserts, transactions) on this machine.

Usage: python bench/store.py [--tasks 100000] [--batch 5000]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from envfoundry.models import EnvironmentSpec, TaskSpec, ToolSpec, VerifierSpec
from envfoundry.storage import Store


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    args = ap.parse_args()
    env, tasks = make_tasks(args.tasks)
    for t in tasks:  # ids are cached per object: compute them once for both sides
        _ = t.id
    with tempfile.TemporaryDirectory() as d:
        base = bench_baseline(Path(d), tasks, args.batch)
        ours = bench_store(Path(d), env, tasks, args.batch)
    result = {
        "benchmark": "store",
        "tasks": args.tasks,
        "store": {**ours, "insert_rate_per_s": args.tasks / ours["insert_s"]},
        "baseline_executemany": {**base, "insert_rate_per_s": args.tasks / base["insert_s"]},
        "ratio_insert": ours["insert_s"] / base["insert_s"],
        "ratio_read": ours["read_s"] / base["read_s"],
        "target": {"ratio_insert_max": 3.0, "insert_s_max": 30.0},
    }
    result["meets_target"] = result["ratio_insert"] <= 3.0 and ours["insert_s"] < 30.0
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
