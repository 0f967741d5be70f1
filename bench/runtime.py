"""Runtime benchmark: tool-call round trip and episodes/s over HTTP and in-process vs the raw runner.

Prints one JSON object. The baseline is the raw sandbox runner call
(``RunnerSession.call_tool`` on a leased warm runner), measured in the same run; the
runtime's in-process ``Episode.call`` and the HTTP server's ``POST /episodes/{id}/call``
are reported as ratios to it. Episodes/s runs ``--clients`` concurrent clients, each
doing open → list → book → submit → close, against the same work on raw runners.

    .venv/bin/python bench/runtime.py [--backend docker|local] [--calls 1000] [--episodes 200]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from envfoundry.config import Settings
from envfoundry.envs.backends import get_backend
from envfoundry.envs.docker_api import docker_answers
from envfoundry.envs.pool import EnvPayload, RunnerPool
from envfoundry.envs.sandbox import Limits
from envfoundry.models import EnvironmentSpec, Family, TaskSpec, TaskStatus, ToolSpec, VerifierSpec
from envfoundry.runtime.client import RuntimeClient
from envfoundry.runtime.episodes import Runtime, RuntimeConfig
from envfoundry.runtime.server import ServerThread
from envfoundry.storage import Store

TOOLS = """
def list_cities(db):
    return [dict(r) for r in db.execute("select name, population from cities order by name")]

def book_city(db, name):
    db.execute("insert into bookings(city) values (?)", (name,))
    db.commit()
    return {"booked": name}
"""
VERIFY = """
def verify(answer, db):
    top = db.execute("select name from cities order by population desc limit 1").fetchone()[0]
    rows = [r[0] for r in db.execute("select city from bookings")]
    return rows == [top] and answer == {"city": top}, "checked"
"""
ANSWER = {"city": "Hangzhou"}


def make_db() -> bytes:
    conn = sqlite3.connect(":memory:")
    conn.execute("create table cities(name text primary key, population int)")
    conn.execute("create table bookings(id integer primary key, city text)")
    conn.executemany(
        "insert into cities values (?, ?)",
        [("Hangzhou", 12_000_000), ("Suzhou", 10_700_000), ("Ningbo", 9_600_000)],
    )
    conn.commit()
    return bytes(conn.serialize())


def make_store(root: Path, db: bytes) -> tuple[Store, str]:
    store = Store(f"sqlite:///{root / 'store.db'}", root / "blobs")
    store.upgrade()
    blob = store.blobs.put_bytes(db)
    env = EnvironmentSpec(
        family=Family.general,
        category="bench",
        name="cities",
        state_blob=blob,
        tools_source=TOOLS,
        tools=(
            ToolSpec(name="list_cities", description="All cities."),
            ToolSpec(
                name="book_city",
                description="Book a city.",
                parameters={
                    "type": "object",
                    "properties": {"name": {"type": "string"}},
                    "required": ["name"],
                },
                mutates=True,
            ),
        ),
    )
    task = TaskSpec(
        env_id=env.id,
        family=Family.general,
        category="bench",
        prompt="Book the most populous city.",
        answer_schema={"type": "object", "properties": {"city": {"type": "string"}}},
        verifier=VerifierSpec(kind="function", source=VERIFY),
    )
    store.put_environment(env)
    store.put_task(task, TaskStatus.accepted)
    return store, task.id


def timings(fn: Callable[[], Any], n: int) -> dict[str, float]:
    for _ in range(min(20, n)):  # warm-up
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {
        "n": n,
        "p50_ms": round(samples[n // 2] * 1e3, 4),
        "p95_ms": round(samples[min(n - 1, int(n * 0.95))] * 1e3, 4),
        "mean_ms": round(statistics.fmean(samples) * 1e3, 4),
    }


def rate(fn: Callable[[], Any], total: int, clients: int) -> dict[str, float]:
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda _: fn(), range(clients)))  # warm every runner
        start = time.perf_counter()
        list(pool.map(lambda _: fn(), range(total)))
        wall = time.perf_counter() - start
    return {"episodes": total, "clients": clients, "per_s": round(total / wall, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["docker", "local"], default=None)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    kind = args.backend or ("docker" if docker_answers() else "local")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(data_dir=root / "data", sandbox_backend=kind)
        backend = get_backend(settings)
        db = make_db()
        store, task_id = make_store(root, db)
        payload = EnvPayload(tools_source=TOOLS, db=db, name="cities")
        out: dict[str, Any] = {"backend": kind, "clients": args.clients}
        pool = RunnerPool(
            backend, size=args.clients, limits=Limits.from_settings(settings), idle_timeout_s=600
        )
        runtime = Runtime(
            store, backend, settings, RuntimeConfig(max_steps=10**9, max_episodes=args.clients * 2)
        )
        try:
            # tool-call round trip
            with pool.lease(payload) as session:
                out["call_raw_runner"] = timings(
                    lambda: session.call_tool("list_cities", {}), args.calls
                )
            with runtime.open(task_id) as ep:
                out["call_in_process"] = timings(lambda: ep.call("list_cities", {}), args.calls)
            with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc:
                with rc.open(task_id) as rep:
                    out["call_http"] = timings(lambda: rep.call("list_cities", {}), args.calls)

                # whole episodes with concurrent clients
                def raw_episode() -> None:
                    with pool.lease(payload) as s:  # lease = reset to a fresh episode
                        s.call_tool("list_cities", {})
                        s.call_tool("book_city", {"name": "Hangzhou"})
                        s.run_verifier(VERIFY, ANSWER, timeout_s=30)

                def inproc_episode() -> None:
                    with runtime.open(task_id) as e:
                        e.call("list_cities", {})
                        e.call("book_city", {"name": "Hangzhou"})
                        if not e.submit(ANSWER).passed:
                            raise SystemExit("in-process episode failed")

                def http_episode() -> None:
                    with rc.open(task_id) as e:
                        e.call("list_cities", {})
                        e.call("book_city", {"name": "Hangzhou"})
                        if not e.submit(ANSWER).passed:
                            raise SystemExit("HTTP episode failed")

                out["episodes_raw_runner"] = rate(raw_episode, args.episodes, args.clients)
                out["episodes_in_process"] = rate(inproc_episode, args.episodes, args.clients)
                out["episodes_http"] = rate(http_episode, args.episodes, args.clients)
        finally:
            pool.close()
            runtime.close()
            backend.close()
            store.close()
    raw = out["call_raw_runner"]["p50_ms"]
    out["ratios"] = {
        "call_in_process_p50_over_raw": round(out["call_in_process"]["p50_ms"] / raw, 3),
        "call_http_p50_over_raw": round(out["call_http"]["p50_ms"] / raw, 3),
        "call_http_p95_over_raw_p95": round(
            out["call_http"]["p95_ms"] / out["call_raw_runner"]["p95_ms"], 3
        ),
        "episodes_in_process_over_raw": round(
            out["episodes_in_process"]["per_s"] / out["episodes_raw_runner"]["per_s"], 3
        ),
        "episodes_http_over_raw": round(
            out["episodes_http"]["per_s"] / out["episodes_raw_runner"]["per_s"], 3
        ),
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
