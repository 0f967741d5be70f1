"""Benchmark: the interpreter family's kernel sandbox and accepted-task throughput. Prints JSON.

* ``round_trip`` — ``execute_code`` on a warm kernel (p50 / p99 of a trivial cell and of
  a pandas cell) against the same-run baseline: a fresh ``python -c`` run with
  ``docker exec`` in the same container (trivial, and importing pandas the way a fresh
  process must); ``fresh_over_warm_p50`` is the ratio.
* ``kernel_start`` — a new kernel container until its kernel answers (cold), and a hard
  reset (a new kernel in the warm container, what the pool does between episodes).
* ``throughput`` — ``--workers`` processes, each with its own kernel, propose and accept
  interleaved reasoning-gym and data-science items (the family's own plan) until
  ``--items`` are spent; accepted tasks per minute, the time projected for DeepSeek-V3.2's
  5,908 interpreter tasks, the funnel, and where the time went (proposing on the host,
  the kernel, the rest of acceptance).

Usage: python bench/interpreter.py [--items 400] [--workers 2] [--calls 200]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 5_908
TARGET_S = 15 * 60


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 6)


def _timed(fn: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def bench_kernel(calls: int) -> dict[str, Any]:
    from envfoundry.config import load_settings
    from envfoundry.envs.backends import get_backend
    from envfoundry.envs.docker_backend import DockerSandbox
    from envfoundry.envs.interpreter.images import VENV, ensure_interpreter_image
    from envfoundry.envs.interpreter.kernel import KernelSession, interpreter_limits

    settings = load_settings()
    image = ensure_interpreter_image(settings)
    backend = get_backend(settings)
    limits = interpreter_limits()
    starts = []
    for _ in range(3):
        t0 = time.perf_counter()
        KernelSession.start(backend, image, limits).close()
        starts.append(time.perf_counter() - t0)
    kernel = KernelSession.start(backend, image, limits)
    try:
        resets = _timed(lambda: kernel.reset(soft=False), 5)
        kernel.execute("import pandas as pd")
        warm = _timed(lambda: kernel.execute("1 + 1"), calls)
        warm_pd = _timed(lambda: kernel.execute("pd.Series(range(1000)).sum()"), calls)
        container = backend.client.containers.get(kernel.runner.sandbox_id)
        sandbox = DockerSandbox(container, limits, image)  # exec only; the kernel owns it
        py = f"{VENV}/bin/python"
        fresh = _timed(lambda: sandbox.exec([py, "-c", "print(1 + 1)"]), max(10, calls // 10))
        fresh_pd = _timed(
            lambda: sandbox.exec(
                [py, "-c", "import pandas as pd; print(pd.Series(range(1000)).sum())"]
            ),
            max(5, calls // 20),
        )
    finally:
        kernel.close()
        backend.close()
    return {
        "round_trip": {
            "warm_p50_s": _pct(warm, 0.5),
            "warm_p99_s": _pct(warm, 0.99),
            "fresh_python_c_p50_s": _pct(fresh, 0.5),
            "fresh_over_warm_p50": round(_pct(fresh, 0.5) / _pct(warm, 0.5), 1),
            "warm_pandas_p50_s": _pct(warm_pd, 0.5),
            "fresh_pandas_p50_s": _pct(fresh_pd, 0.5),
            "fresh_over_warm_pandas_p50": round(_pct(fresh_pd, 0.5) / _pct(warm_pd, 0.5), 1),
        },
        "kernel_start": {
            "cold_container_p50_s": _pct(starts, 0.5),
            "reset_new_kernel_p50_s": _pct(resets, 0.5),
        },
    }


def _work(args: tuple[int, int, int, int]) -> dict[str, Any]:
    worker_id, workers, items, seed = args
    from envfoundry.config import load_settings
    from envfoundry.envs.backends import get_backend
    from envfoundry.families import get
    from envfoundry.families.interpreter import InterpreterConfig, InterpreterWorker

    settings = load_settings()
    backend = get_backend(settings)
    cfg = InterpreterConfig(
        sources=("reasoning_gym", "data"), rg_tasks=items * 3 // 5, data_tasks=items * 2 // 5
    )
    plan = get("interpreter").plan(cfg, seed, None)[worker_id::workers]
    worker = InterpreterWorker(cfg, seed, settings, backend)
    worker.session()  # the kernel starts before the clock
    funnel: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    propose_s = kernel_s = accept_s = 0.0
    t_start = time.perf_counter()
    for item in plan:
        t0 = time.perf_counter()
        proposal = worker.propose(item)
        t1 = time.perf_counter()
        (outcome,) = worker.accept(proposal, "bench")
        t2 = time.perf_counter()
        propose_s += t1 - t0
        accept_s += t2 - t1
        kernel_s += outcome.sandbox_s
        funnel[outcome.rejection.value if outcome.rejection else "accepted"] += 1
        if outcome.accepted:
            by_source[item.params["source"]] += 1
    wall = time.perf_counter() - t_start
    worker.close()
    backend.close()
    return {
        "items": len(plan),
        "wall_s": wall,
        "propose_s": propose_s,
        "kernel_s": kernel_s,
        "accept_other_s": accept_s - kernel_s,
        "funnel": dict(funnel),
        "accepted_by_source": dict(by_source),
    }


def bench_throughput(items: int, workers: int, seed: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    with mp.get_context("spawn").Pool(workers) as pool:
        parts = pool.map(_work, [(w, workers, items, seed) for w in range(workers)])
    total_wall = time.perf_counter() - t0
    funnel: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    for p in parts:
        funnel.update(p["funnel"])
        by_source.update(p["accepted_by_source"])
    wall = max(p["wall_s"] for p in parts)
    accepted = funnel["accepted"]
    per_min = accepted / wall * 60 if wall else 0.0
    return {
        "items": sum(p["items"] for p in parts),
        "workers": workers,
        "accepted": accepted,
        "funnel": dict(funnel),
        "accepted_by_source": dict(by_source),
        "wall_s": round(wall, 2),
        "wall_with_process_start_s": round(total_wall, 2),
        "accepted_per_min": round(per_min, 1),
        "projected_s_for_5908": round(TARGET / per_min * 60, 1) if per_min else None,
        "target_s": TARGET_S,
        "meets_target": bool(per_min) and TARGET / per_min * 60 <= TARGET_S,
        "time_split_s": {
            "propose_host": round(sum(p["propose_s"] for p in parts), 2),
            "kernel": round(sum(p["kernel_s"] for p in parts), 2),
            "accept_other": round(sum(p["accept_other_s"] for p in parts), 2),
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2026)
    ns = ap.parse_args()
    out = bench_kernel(ns.calls)
    out["throughput"] = bench_throughput(ns.items, ns.workers, ns.seed)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
