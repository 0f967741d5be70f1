"""Runtime benchmark: tool-call round trip and episodes/s over HTTP and in-process vs the raw runner.

Prints one JSON object. The baseline is the raw sandbox runner call
(``RunnerSession.call_tool`` on a leased warm runner), measured in the same run; the
runtime's in-process ``Episode.call`` and the HTTP server's ``POST /episodes/{id}/call``
are reported as ratios to it. Episodes/s runs ``--clients`` concurrent clients, each
doing open → list → book → submit → close, against the same work on raw runners.

``adapters``: ``--concurrent`` (64) episodes at once from one event loop through the trainer
adapters' shared pooled client (``envfoundry.integrations.common.async_client``), p50 / p99
tool-call latency against a bare ``httpx.AsyncClient`` sending the same requests in the
same run (target: ratio ≤ 1.2). Then a client process holding that many open episodes is
killed with SIGKILL; the server's reaper must close all of them and, once the server is
stopped, no container of ours may be left (``leaked_containers``).

    .venv/bin/python bench/runtime.py [--backend docker|local] [--calls 1000] [--episodes 200]
    .venv/bin/python bench/runtime.py --only-adapters --concurrent 64
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

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
ANSWER_ARGS = {"name": "Hangzhou"}


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


def percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    n = len(samples)
    return {
        "n": n,
        "p50_ms": round(samples[n // 2] * 1e3, 3),
        "p99_ms": round(samples[min(n - 1, int(n * 0.99))] * 1e3, 3),
    }


async def _episodes_bare(url: str, task_id: str, concurrent: int, rounds: int) -> list[float]:
    """The baseline: the same requests from a bare httpx.AsyncClient."""
    lat: list[float] = []
    limits = httpx.Limits(max_connections=concurrent, max_keepalive_connections=concurrent)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:

        async def one() -> None:
            r = await http.post("/episodes", json={"task_id": task_id})
            eid = r.raise_for_status().json()["episode_id"]
            for _ in range(rounds):
                t0 = time.perf_counter()
                r = await http.post(
                    f"/episodes/{eid}/call", json={"tool": "list_cities", "args": {}}
                )
                r.raise_for_status().json()
                lat.append(time.perf_counter() - t0)
            await http.post(
                f"/episodes/{eid}/call", json={"tool": "book_city", "args": ANSWER_ARGS}
            )
            r = await http.post(f"/episodes/{eid}/submit", json={"answer": ANSWER})
            if not r.raise_for_status().json()["passed"]:
                raise SystemExit("bare-client episode failed")
            await http.delete(f"/episodes/{eid}")

        await asyncio.gather(*(one() for _ in range(concurrent)))
    return lat


async def _episodes_adapter(url: str, task_id: str, concurrent: int, rounds: int) -> list[float]:
    """The same episodes through the adapters' shared pooled client."""
    from envfoundry.integrations.common import async_client

    lat: list[float] = []
    client = async_client(url)

    async def one() -> None:
        ep = await client.open(task_id)
        try:
            for _ in range(rounds):
                t0 = time.perf_counter()
                await ep.call("list_cities", {})
                lat.append(time.perf_counter() - t0)
            await ep.call("book_city", ANSWER_ARGS)
            if not (await ep.submit(ANSWER)).passed:
                raise SystemExit("adapter episode failed")
        finally:
            await ep.close()

    await asyncio.gather(*(one() for _ in range(concurrent)))
    await client.aclose()
    return lat


async def _hold_episodes(url: str, task_id: str, concurrent: int) -> None:
    """Child process: open episodes, say so, then keep calling until killed."""
    from envfoundry.integrations.common import async_client

    client = async_client(url)
    eps = await asyncio.gather(*(client.open(task_id) for _ in range(concurrent)))
    sys.stdout.write("opened\n")
    sys.stdout.flush()
    while True:
        await asyncio.gather(*(ep.call("list_cities", {}) for ep in eps))


def adapters_bench(
    runtime: Runtime, task_id: str, concurrent: int, rounds: int, kind: str
) -> dict[str, Any]:
    out: dict[str, Any] = {"concurrent_episodes": concurrent, "calls_per_episode": rounds}
    with ServerThread(runtime, reap_interval_s=0.2) as srv:
        # warm every runner, then alternate the two clients in ABBA order so drift and
        # the other load on the machine hit both alike
        asyncio.run(_episodes_bare(srv.url, task_id, concurrent, 1))
        bare: list[float] = []
        adapter: list[float] = []
        for order in ("ab", "ba", "ab", "ba"):
            for who in order:
                if who == "a":
                    bare += asyncio.run(_episodes_bare(srv.url, task_id, concurrent, rounds))
                else:
                    adapter += asyncio.run(_episodes_adapter(srv.url, task_id, concurrent, rounds))
        out["call_bare_httpx"] = percentiles(bare)
        out["call_adapter_client"] = percentiles(adapter)
        out["ratio_p50"] = round(
            out["call_adapter_client"]["p50_ms"] / out["call_bare_httpx"]["p50_ms"], 3
        )
        out["ratio_p99"] = round(
            out["call_adapter_client"]["p99_ms"] / out["call_bare_httpx"]["p99_ms"], 3
        )
        # kill a client holding open episodes: the reaper must free every one of them
        child = subprocess.Popen(
            [sys.executable, __file__, "--hold", srv.url, task_id, str(concurrent)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            if child.stdout is None or child.stdout.readline().strip() != "opened":
                raise SystemExit("the episode-holding client did not start")
            time.sleep(1.0)
            held = RuntimeClient(srv.url).health()["open_episodes"]
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        killed_at = time.monotonic()
        deadline = killed_at + runtime.config.idle_timeout_s * 4 + 30
        with RuntimeClient(srv.url) as rc:
            while True:
                health = rc.health()
                busy = sum(p["busy"] for p in health["pools"].values())
                if (health["open_episodes"] == 0 and busy == 0) or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        out["kill"] = {
            "episodes_open_at_kill": held,
            "idle_timeout_s": runtime.config.idle_timeout_s,
            "episodes_open_after": health["open_episodes"],
            "busy_runners_after": busy,
            "freed_after_s": round(time.monotonic() - killed_at, 2),
        }
    runtime.close()
    if kind == "docker":
        from envfoundry.envs.docker_backend import own_leftovers

        out["kill"]["leaked_containers"] = len(own_leftovers())
    return out


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--hold":
        asyncio.run(_hold_episodes(sys.argv[2], sys.argv[3], int(sys.argv[4])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["docker", "local"], default=None)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--concurrent", type=int, default=64, help="adapters: episodes at once")
    parser.add_argument("--rounds", type=int, default=20, help="adapters: calls per episode")
    parser.add_argument("--only-adapters", action="store_true")
    parser.add_argument(
        "--idle-timeout", type=float, default=30.0, help="adapters: the runtime's idle reaping"
    )
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
        if args.only_adapters:
            cfg = RuntimeConfig(
                max_steps=10**9, max_episodes=args.concurrent, idle_timeout_s=args.idle_timeout
            )
            try:
                result = adapters_bench(
                    Runtime(store, backend, settings, cfg),
                    task_id,
                    args.concurrent,
                    args.rounds,
                    kind,
                )
            finally:
                backend.close()
                store.close()
            json.dump({"backend": kind, "adapters": result}, sys.stdout, indent=2)
            sys.stdout.write("\n")
            return 0
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
