"""Benchmark: where acceptance of general-family environments spends its time, by category.

For each category, proposes ``--environments`` drafts and judges them with the pipeline's
worker (one warm runner session, the family's acceptance policy), and prints JSON per
category: CPU seconds per environment of proposing (this process), of judging on the host
side (this process) and in the runner (the local backend's runner process and the children
it forked, read from ``/proc``), wall seconds, and the runner ops sent per environment (each
``run_*`` op is one forked child). The same-run baseline is the hand-written categories
judged in the same run: ``ratio_to_hand_written`` compares CPU per environment. CPU, not
wall time, is what to compare on a shared machine; the load average is printed with it.

Usage: python bench/general_judge.py [--categories a,b] [--environments 3] [--start 0]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from collections import defaultdict
from typing import Any


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _tree_cpu() -> float:
    """CPU seconds of this process's descendants, with the children they reaped."""
    tick = os.sysconf("SC_CLK_TCK")
    kids: dict[int, list[int]] = defaultdict(list)
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        kids[int(fields[1])].append(int(entry))
        cpu[int(entry)] = sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
    total, todo = 0.0, list(kids[os.getpid()])
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += kids[pid]
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--categories", default="", help="comma-separated (default: all)")
    ap.add_argument("--environments", type=int, default=3, help="drafts per category")
    ap.add_argument("--start", type=int, default=0, help="first draft index")
    args = ap.parse_args()

    os.environ["ENVFOUNDRY_DATA_DIR"] = tempfile.mkdtemp(prefix="ef-bench-judge-")
    os.environ["ENVFOUNDRY_SANDBOX_BACKEND"] = "local"  # its runner's CPU is visible here

    from envfoundry.config import load_settings
    from envfoundry.envs.backends import get_backend
    from envfoundry.families import WorkItem
    from envfoundry.families.general import GeneralConfig, GeneralWorker
    from envfoundry.generators.general.procedural import (
        CATEGORY_MODULES,
        available_categories,
        warm_up,
    )

    cats = [c for c in args.categories.split(",") if c] or available_categories()
    warm_up(cats)
    settings = load_settings()
    backend = get_backend(settings)
    worker = GeneralWorker(GeneralConfig(), 0, settings, backend)
    ops: dict[str, int] = defaultdict(int)
    session = worker.slot.get()
    request = session.request

    def counted(op: str, *a: Any, **kw: Any) -> Any:
        ops[op] += 1
        return request(op, *a, **kw)

    session.request = counted
    load_before = os.getloadavg()[0]
    out: dict[str, Any] = {}
    try:
        for cat in cats:
            ops.clear()
            propose = accept = runner = wall = 0.0
            tasks = accepted = 0
            for i in range(args.start, args.start + args.environments):
                c0 = _self_cpu()
                proposal = worker.propose(WorkItem(family="general", category=cat, index=i))
                c1, r0, t0 = _self_cpu(), _tree_cpu(), time.perf_counter()
                if worker.slot.session is not session:
                    raise SystemExit("the runner session was replaced mid-bench")
                outcomes = worker.accept(proposal, "bench")
                wall += time.perf_counter() - t0
                propose += c1 - c0
                accept += _self_cpu() - c1
                runner += _tree_cpu() - r0
                tasks += len(outcomes)
                accepted += sum(o.accepted for o in outcomes)
            n = args.environments
            out[cat] = {
                "kind": "hand-written" if cat in CATEGORY_MODULES else "grammar",
                "tasks": tasks,
                "accepted": accepted,
                "cpu_s_per_env": {
                    "propose": round(propose / n, 3),
                    "judge_host": round(accept / n, 3),
                    "judge_runner": round(runner / n, 3),
                    "total": round((propose + accept + runner) / n, 3),
                },
                "judge_wall_s_per_env": round(wall / n, 3),
                "runner_ops_per_env": {k: round(v / n, 1) for k, v in sorted(ops.items())},
                "forked_children_per_env": round(
                    sum(v for k, v in ops.items() if k.startswith("run_")) / n, 1
                ),
            }
    finally:
        worker.close()
        backend.close()

    def mean_total(kind: str) -> float | None:
        vals = [v["cpu_s_per_env"]["total"] for v in out.values() if v["kind"] == kind]
        return round(sum(vals) / len(vals), 3) if vals else None

    hand, grammar = mean_total("hand-written"), mean_total("grammar")
    print(
        json.dumps(
            {
                "benchmark": "general_judge",
                "environments_per_category": args.environments,
                "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "cpus": os.cpu_count(),
                "mean_cpu_s_per_env": {"hand-written": hand, "grammar": grammar},
                "ratio_to_hand_written": round(grammar / hand, 3) if hand and grammar else None,
                "by_category": out,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
