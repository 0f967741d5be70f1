"""Benchmark: general-family synthesis at DeepSeek-V3.2 scale, verified in the sandbox and stored.

Runs the real pipeline flow (Prefect, batches, warm runner per batch, SQLite store) on
``--environments`` environments (default 1,827) and prints JSON: wall time, tasks/s,
accepted tasks, rejections by reason and the fraction of worker time spent in sandbox
calls. The same-run baseline is generation alone (proposing every draft and turning it
into specs, no sandbox, no store), so ``ratio_pipeline_to_generation`` says what
verification and storage cost on top of proposing. ``diversity`` is the store's diversity
report (distinct designs, prompt skeletons, tool-code sharing, measured difficulty and
acceptance by level; see ``envfoundry.export.diversity``).

With ``--time-limit S`` the run is stopped gently after S seconds and the JSON says how
many environments were judged (``completed`` false) and ``projected_wall_s`` for all of
them at the pace measured; the baseline then generates as many items as were judged.

Usage: python bench/general.py [--environments 1827] [--backend docker|local] [--workers 2]
       [--categories a,b] [--time-limit S]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--environments", type=int, default=1827)
    ap.add_argument("--backend", choices=["docker", "local"], default="docker")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=24)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--categories",
        default="",
        help="comma-separated general categories (default: every available one)",
    )
    ap.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="stop the run gently after this many seconds (items under way finish) and "
        "report what was done; the baseline then generates as many items",
    )
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ef-bench-general-"))
    os.environ["ENVFOUNDRY_DATA_DIR"] = str(tmp)
    os.environ["ENVFOUNDRY_SANDBOX_BACKEND"] = args.backend
    os.environ.setdefault("PREFECT_HOME", str(tmp / "prefect"))

    from envfoundry.flows.config import load_pipeline_config
    from envfoundry.flows.pipeline import plan
    from envfoundry.flows.run import PipelineRun
    from envfoundry.generators.general.procedural import ProceduralDriver
    from envfoundry.generators.general.specs import draft_to_specs

    general: dict[str, object] = {"environments": args.environments}
    if args.categories:
        general["categories"] = tuple(c for c in args.categories.split(",") if c)
    cfg = load_pipeline_config(
        None,
        seed=args.seed,
        family_overrides={"general": general},
        batch_size=args.batch_size,
        workers=args.workers,
        docker_concurrency=args.workers,
    )

    load_before = os.getloadavg()
    cpu0 = _cpu_s()
    t0 = time.perf_counter()
    run = PipelineRun(cfg)
    timer = threading.Timer(args.time_limit, run.stop) if args.time_limit else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    summary = run.execute()
    if timer is not None:
        timer.cancel()
    wall = time.perf_counter() - t0
    cpu_s = _cpu_s() - cpu0
    load_after = os.getloadavg()
    done = int(summary["families"]["general"]["items"])  # started: interrupted ones are not

    # baseline: generation only, in this process, of as many items as the run judged (a
    # prefix of the plan, which is round-robin over the categories: the same mix)
    items = plan(cfg, "general")[: max(done, 1)]
    driver = ProceduralDriver(cfg.seed)
    t0 = time.perf_counter()
    proposed_tasks = 0
    for it in items:
        proposed_tasks += len(draft_to_specs(driver.propose(it.category, it.index)).tasks)
    gen_s = time.perf_counter() - t0

    g = summary["families"]["general"]
    rejected = sum(g["rejected"].values())
    judged = g["accepted"] + rejected
    result = {
        "benchmark": "general",
        "backend": args.backend,
        "environments": args.environments,
        "completed": summary.get("status") == "completed" and done >= args.environments,
        "environments_judged": done,
        # linear in the items judged: what the whole plan would take at this run's pace
        "projected_wall_s": round(wall * args.environments / done, 1) if done else None,
        "workers": args.workers,
        "categories": list(cfg.families["general"].categories) or "all",
        "proposed_tasks": proposed_tasks,
        "accepted_tasks": g["accepted"],
        "rejected_tasks": rejected,
        "rejections": g["rejected"],
        "by_category": g["by_category"],
        "generation_errors": len(g["generation_errors"]),
        "infra_errors": len(g["infra_errors"]),
        "wall_s": round(wall, 2),
        "tasks_per_s": round(judged / wall, 2),
        "sandbox_fraction_of_worker_time": round(g["sandbox_s"] / (wall * args.workers), 3),
        # the machine is shared: its load (1-minute average) and this process's CPU (with
        # the runners it reaped: the local backend's; Docker's containers are not counted)
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "cpus": os.cpu_count(),
        "process_cpu_s": round(cpu_s, 2),
        "baseline_generation_only_s": round(gen_s, 2),
        "ratio_pipeline_to_generation": round(wall / gen_s, 2) if gen_s else None,
        "target": {"wall_s_max": 900, "accepted_min": 4417, "environments": 1827},
    }
    result["controls"] = _control_costs()
    result["diversity"] = _diversity()
    result["meets_target"] = (
        result["completed"] and args.environments >= 1827 and g["accepted"] >= 4417 and wall < 900
    )
    print(json.dumps(result, indent=2))


def _cpu_s() -> float:
    """CPU seconds of this process and of the children it reaped."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _diversity() -> dict[str, object]:
    """The store's diversity report (`envfoundry stats --diversity --json`), general family;
    the per-hash list is cut to the ten most shared."""
    from envfoundry.config import load_settings
    from envfoundry.export.diversity import diversity_report
    from envfoundry.storage import Store

    with Store.from_settings(load_settings()) as store:
        t0 = time.perf_counter()
        report = diversity_report(store, "general")
        report["report_s"] = round(time.perf_counter() - t0, 2)
    report["tool_code"]["by_hash"] = report["tool_code"]["by_hash"][:10]
    return report


def _control_costs() -> dict[str, object]:
    """Controls and variants per judged task, by attack kind, and their share of judge time."""
    import sqlalchemy as sa

    from envfoundry.config import load_settings
    from envfoundry.storage import Store
    from envfoundry.storage.schema import AttemptRow
    from envfoundry.verifiers.adversary import attack_kind

    with Store.from_settings(load_settings()) as store, store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(AttemptRow.task_id, AttemptRow.label, AttemptRow.duration_s)
        ).all()
    tasks = {r.task_id for r in rows}
    kinds: dict[str, int] = {}
    spent = {"reference": 0.0, "control": 0.0, "variant": 0.0, "probe": 0.0}
    for r in rows:
        side, _, label = str(r.label).partition(":")
        if side in ("control", "variant", "probe"):
            key = f"{side}:{attack_kind(label)}"
            kinds[key] = kinds.get(key, 0) + 1
            spent[side] += float(r.duration_s or 0.0)
        else:
            spent["reference"] += float(r.duration_s or 0.0)
    n = max(1, len(tasks))
    total = sum(spent.values()) or 1.0
    return {
        "judged_tasks": len(tasks),
        "controls_per_task": round(
            sum(v for k, v in kinds.items() if k.startswith("control")) / n, 2
        ),
        "variants_per_task": round(
            sum(v for k, v in kinds.items() if k.startswith("variant")) / n, 2
        ),
        "by_kind": dict(sorted(kinds.items())),
        "judge_time_s": {k: round(v, 2) for k, v in spent.items()},
        "share_of_judge_time": {k: round(v / total, 3) for k, v in spent.items()},
    }


if __name__ == "__main__":
    main()
