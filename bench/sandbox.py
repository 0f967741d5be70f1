"""Sandbox benchmark: cold run vs exec vs warm runner vs in-process; pooled vs cold verification.

Prints one JSON object. Every number is compared with a baseline measured in the same
run (ratios), so results transfer across machines. Needs a Docker daemon.

    .venv/bin/python bench/sandbox.py [--calls 2000] [--verifications 1000] [--cold 30]
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
from envfoundry.envs.docker_api import docker_answers
from envfoundry.envs.docker_backend import DockerBackend, own_leftovers
from envfoundry.envs.pool import EnvPayload, RunnerPool

TOOLS = "def lookup(conn, key):\n    return conn.execute('SELECT v FROM kv WHERE k = ?', (key,)).fetchone()\n"
VERIFIER = (
    "def verify(answer, db):\n    return answer == db.execute('SELECT v FROM kv').fetchone()['v']\n"
)


def timings(fn: Callable[[], Any], n: int) -> dict[str, float]:
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


def make_env() -> EnvPayload:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kv.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)")
        conn.execute("INSERT INTO kv VALUES ('a', 1)")
        conn.commit()
        conn.close()
        return EnvPayload(tools_source=TOOLS, db=path.read_bytes(), name="kv")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--execs", type=int, default=50)
    parser.add_argument("--cold-runs", type=int, default=20)
    parser.add_argument("--verifications", type=int, default=1000)
    parser.add_argument("--cold", type=int, default=30, help="cold verifications sampled")
    args = parser.parse_args()
    if not docker_answers():
        print(json.dumps({"error": "no Docker daemon answers"}))
        return 2
    settings = Settings(sandbox_backend="docker")
    backend = DockerBackend(settings)
    image = backend.base_image()
    env = make_env()
    out: dict[str, Any] = {"image": image, "pool_size": settings.pool_size}
    try:
        # (a) cold container per command, with the same locked-down config as real runs
        config = backend.container_config(image, backend.default_limits(), "bench", ["true"])
        config.pop("detach")
        out["cold_docker_run"] = timings(
            lambda: backend.client.containers.run(**config, remove=True), args.cold_runs
        )
        # (b) docker exec in a warm container
        with backend.start(purpose="bench") as box:
            box.exec(["true"])
            out["docker_exec"] = timings(lambda: box.exec(["true"]), args.execs)
        # (c) one tool call through the runner in a warm container
        session = backend.start_runner(purpose="bench")
        try:
            session.load_env(env.tools_source, env.db)
            session.reset()
            session.call_tool("lookup", {"key": "a"})
            out["runner_call"] = timings(
                lambda: session.call_tool("lookup", {"key": "a"}), args.calls
            )
            out["runner_ping"] = timings(session.ping, args.calls)
        finally:
            session.close()
        # (d) the same tool function called in-process
        namespace: dict[str, Any] = {}
        exec(TOOLS, namespace)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kv.db"
            path.write_bytes(env.db or b"")
            conn = sqlite3.connect(path)
            conn.row_factory = lambda cur, row: {
                d[0]: v for d, v in zip(cur.description, row, strict=False)
            }
            out["in_process_call"] = timings(lambda: namespace["lookup"](conn, key="a"), args.calls)
            conn.close()

        # Throughput: tiny verifications through the warm pool vs a cold runner each.
        def pooled_one(_: int) -> bool:
            with pool.lease(env) as runner:
                return runner.run_verifier(VERIFIER, 1, timeout_s=10).passed

        with RunnerPool.from_settings(backend, settings, image) as pool:
            with pool.lease(env):
                pass  # warm up one runner outside the clock
            start = time.perf_counter()
            with ThreadPoolExecutor(settings.pool_size) as workers:
                passed = sum(workers.map(pooled_one, range(args.verifications)))
            pooled_s = time.perf_counter() - start
            out["pooled_verifications"] = {
                "n": args.verifications,
                "passed": passed,
                "seconds": round(pooled_s, 3),
                "per_s": round(args.verifications / pooled_s, 1),
                "pool": pool.stats(),
            }

        def cold_one() -> bool:
            runner = backend.start_runner(purpose="bench")
            try:
                runner.load_env(env.tools_source, env.db)
                runner.reset()
                return runner.run_verifier(VERIFIER, 1, timeout_s=10).passed
            finally:
                runner.close()

        start = time.perf_counter()
        cold_passed = sum(cold_one() for _ in range(args.cold))
        cold_s = time.perf_counter() - start
        out["cold_verifications"] = {
            "n": args.cold,
            "passed": cold_passed,
            "seconds": round(cold_s, 3),
            "per_s": round(args.cold / cold_s, 2),
            "extrapolated_s_for_pooled_n": round(cold_s / args.cold * args.verifications, 1),
        }
    finally:
        backend.close()
    exec_p50 = out["docker_exec"]["p50_ms"]
    call_p50 = out["runner_call"]["p50_ms"]
    out["ratios"] = {
        "docker_exec_over_runner_call_p50": round(exec_p50 / call_p50, 1),
        "docker_exec_over_runner_ping_p50": round(exec_p50 / out["runner_ping"]["p50_ms"], 1),
        "cold_run_over_runner_call_p50": round(out["cold_docker_run"]["p50_ms"] / call_p50, 1),
        "runner_call_over_in_process_p50": round(call_p50 / out["in_process_call"]["p50_ms"], 1),
        "pooled_over_cold_verification_rate": round(
            out["pooled_verifications"]["per_s"] / out["cold_verifications"]["per_s"], 1
        ),
    }
    out["targets"] = {
        "runner_call_100x_faster_than_exec": out["ratios"]["docker_exec_over_runner_call_p50"]
        >= 100,
        "pooled_20x_cold": out["ratios"]["pooled_over_cold_verification_rate"] >= 20,
    }
    out["leftover_containers"] = own_leftovers()
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
