"""Benchmark: Prefect's overhead on a 2,000-task workload, direct vs through the flow.

The workload is the real general-family batch function (propose, verify in the
sandbox, store) on enough environments to make ``--tasks`` proposed tasks (5 levels per
environment). The baseline runs the same batches in a plain thread pool of the same
size in this process; the flow run uses the pipeline flow (batched Prefect tasks with a
tag concurrency limit) after the ephemeral API is warm. Prints JSON with the overhead
as a fraction of the flow's wall time (target < 10%).

Usage: python bench/flows.py [--tasks 2000] [--backend local|docker] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--backend", choices=["docker", "local"], default="local")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=20)
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="ef-bench-flows-"))
    os.environ["ENVFOUNDRY_SANDBOX_BACKEND"] = args.backend
    os.environ.setdefault("PREFECT_HOME", str(root / "prefect"))
    from envfoundry.flows.run import prepare_prefect

    prepare_prefect()
    from prefect import flow

    from envfoundry.flows.batch import batches, run_batch
    from envfoundry.flows.config import load_pipeline_config
    from envfoundry.flows.pipeline import plan
    from envfoundry.flows.run import run_pipeline
    from envfoundry.storage import Store

    envs = max(1, args.tasks // 5)
    cfg = load_pipeline_config(
        None,
        family_overrides={"general": {"environments": envs}},
        batch_size=args.batch_size,
        workers=args.workers,
        docker_concurrency=args.workers,
    )

    def fresh_store(name: str) -> None:
        os.environ["ENVFOUNDRY_DATA_DIR"] = str(root / name)
        Store.from_settings(__import__("envfoundry.config").config.load_settings()).ensure_schema()

    # direct: the same batches in a plain thread pool
    fresh_store("direct")
    chunks = batches(plan(cfg, "general"), cfg.batch_size)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        direct_results = list(pool.map(lambda c: run_batch(c, cfg, "direct"), chunks))
    direct_s = time.perf_counter() - t0
    direct_tasks = sum(r.accepted + sum(r.rejected.values()) for r in direct_results)

    # warm the ephemeral API so its start-up is reported apart from per-run overhead
    @flow
    def _warm() -> int:
        return 1

    t0 = time.perf_counter()
    _warm()
    startup_s = time.perf_counter() - t0

    fresh_store("flow")
    t0 = time.perf_counter()
    summary = run_pipeline(cfg)
    flow_s = time.perf_counter() - t0
    g = summary["families"]["general"]
    flow_tasks = g["accepted"] + sum(g["rejected"].values())
    overhead = (flow_s - direct_s) / flow_s
    print(
        json.dumps(
            {
                "benchmark": "flows",
                "backend": args.backend,
                "environments": envs,
                "tasks_direct": direct_tasks,
                "tasks_flow": flow_tasks,
                "batches": len(chunks),
                "direct_s": round(direct_s, 2),
                "flow_s": round(flow_s, 2),
                "prefect_api_startup_s": round(startup_s, 2),
                "overhead_fraction": round(overhead, 4),
                "target": {"overhead_fraction_max": 0.10},
                "meets_target": overhead < 0.10 and flow_tasks == direct_tasks,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
