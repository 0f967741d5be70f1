"""Benchmark: export 100k tasks to Parquet, against pyarrow writing the same rows directly.

Prints JSON. Each measurement runs in a fresh child process so its peak RSS
(``ru_maxrss``) is its own; a second pair of children measures Python-heap peaks with
tracemalloc (untimed, tracemalloc slows Python down). Memory is shown for the first
10k, 50k and all 100k tasks, from the same store: it plateaus once every split's
row-group buffer has filled. The export reads tasks grouped by environment, so the
default deduplication (scoped to one environment) forgets each environment once it is
done: ``dedup_index_peak_mb`` is the index's largest size (one page plus one
environment), flat in the task count. ``export-global-dedup`` (``--dedup-scope global``)
is measured at the same sizes to show the contrast: it must remember every kept task
(about 0.3 KB each).

The baseline streams the same tasks out of the same store with one hand-written SQL
query (keyset pages over the (env_id, id) index, as the export reads them; ``json.loads``
of the stored spec, environments cached), builds the same
``TASK_SCHEMA`` rows and writes them with ``pyarrow.parquet.ParquetWriter`` in the
same row groups: the export's ratio to it is the cost of the full training record
(system prompt, verifier reference, provenance), rollout statistics, exact + MinHash
deduplication, splits, three split files, checksums and the manifest.

``export-no-dedup`` (``--no-dedup``) is measured too, to show what deduplication costs.

A second store of ``--large`` tasks (same tasks per environment) checks that the peak
stays where it was at ``--tasks``: each split's row-group buffer is full by then.

Usage: python bench/export.py [--tasks 100000] [--small 10000] [--mid 50000] [--envs 400]
                              [--large 200000]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from envfoundry.export.dedup import DedupScope

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill(db: Path, n_tasks: int, n_envs: int, batch: int = 5000) -> dict[str, Any]:
    from envfoundry.models import EnvironmentSpec, TaskSpec, TaskStatus, ToolSpec, VerifierSpec
    from envfoundry.storage import Store

    store = Store(f"sqlite:///{db}", db.parent / "blobs")
    store.upgrade()
    tools = (
        ToolSpec(name="get_all_cities", description="List cities."),
        ToolSpec(
            name="search_hotels",
            description="Hotels in a city under a price.",
            parameters={
                "type": "object",
                "properties": {"city": {"type": "string"}, "max_price": {"type": "number"}},
                "required": ["city"],
            },
        ),
    )
    envs: list[EnvironmentSpec] = []
    for i in range(n_envs):
        parent = envs[i - 1].id if i % 4 else None  # lineages of four versions
        env = EnvironmentSpec(
            family="general",
            category=f"cat{i % 8}",
            name=f"bench-{i // 4}",
            version=1 + i % 4,
            tools=tools,
            tools_source=f"# tools of {i}\n",
            parent_env_id=parent,
            provenance={"driver": "procedural", "seed": i},
        )
        store.put_environment(env)
        envs.append(env)
    verifier = VerifierSpec(
        kind="function", source="def verify(answer, db):\n    return True, 'ok'\n"
    )
    t0 = time.perf_counter()
    for start in range(0, n_tasks, batch):
        tasks = [
            TaskSpec(
                env_id=envs[i % n_envs].id,
                family="general",
                category=envs[i % n_envs].category,
                prompt=(
                    f"Plan a {2 + i % 4}-day trip number {i} from Hangzhou with a budget of "
                    f"{500 + i} yuan, staying in hotels rated at least {1 + i % 5} stars, and "
                    f"report the total cost of itinerary {i * 7919 % 100003}."
                ),
                answer_schema={"type": "object", "properties": {"days": {"type": "array"}}},
                reference_solution="def solve(tools):\n    return {'days': []}\n",
                verifier=verifier,
                difficulty=1 + i % 5,
                provenance={"driver": "procedural", "seed": 7, "index": i},
            )
            for i in range(start, min(n_tasks, start + batch))
        ]
        store.put_tasks(tasks, status=TaskStatus.accepted)
    fill_s = time.perf_counter() - t0
    store.close()
    return {"tasks": n_tasks, "environments": n_envs, "fill_s": round(fill_s, 2)}


# ---------------------------------------------------------------- children
def child_export(
    db: Path, out: Path, limit: int | None, scope: DedupScope | None
) -> dict[str, Any]:
    """``scope``: the deduplication scope, or None for ``--no-dedup``."""
    from envfoundry.export import DedupConfig, ExportFilter, ExportOptions, export_tasks
    from envfoundry.storage import Store

    store = Store(f"sqlite:///{db}", db.parent / "blobs")
    t0 = time.perf_counter()
    options = ExportOptions(
        format="parquet",
        out=out,
        filter=ExportFilter(limit=limit),
        dedup=DedupConfig(enabled=False) if scope is None else DedupConfig(scope=scope),
    )
    manifest = export_tasks(store, options)
    return {
        "seconds": time.perf_counter() - t0,
        "rows": manifest["counts"]["tasks"],
        "dedup_index_peak_mb": round(manifest["dedup"].get("index_peak_bytes", 0) / 2**20, 1),
    }


def child_baseline(db: Path, out: Path, limit: int | None, row_group: int = 4096) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sqlalchemy import create_engine, select

    from envfoundry.export.formats import TASK_SCHEMA
    from envfoundry.storage.schema import EnvironmentRow

    engine = create_engine(f"sqlite:///{db}")
    t0 = time.perf_counter()
    out.mkdir(parents=True)
    writer = pq.ParquetWriter(out / "train.parquet", TASK_SCHEMA, compression="zstd")
    envs: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    last, n = ("", ""), 0
    # The export's read: keyset pages over the (env_id, id) index, which SQLite must be
    # told to use (else it sorts every accepted row per page).
    query = (
        "SELECT id, env_id, spec_json, status, pass_rate, run_id, created_at "
        "FROM tasks INDEXED BY ix_tasks_env_id_id "
        "WHERE status = 'accepted' AND (env_id, id) > (?, ?) ORDER BY env_id, id LIMIT 2000"
    )
    with engine.connect() as conn:
        while limit is None or n < limit:
            page = conn.exec_driver_sql(query, last).all()
            if not page:
                break
            for r in page[: None if limit is None else limit - n]:
                spec = json.loads(r.spec_json)
                env = envs.get(spec["env_id"])
                if env is None:
                    env = json.loads(
                        conn.scalar(
                            select(EnvironmentRow.spec_json).where(
                                EnvironmentRow.id == spec["env_id"]
                            )
                        )
                    )
                    env["openai"] = [
                        {
                            "type": "function",
                            "function": {k: t[k] for k in ("name", "description", "parameters")},
                        }
                        for t in env["tools"]
                    ]
                    envs[spec["env_id"]] = env
                rows.append(_baseline_row(r, spec, env))
                n += 1
                if len(rows) >= row_group:
                    writer.write_batch(pa.RecordBatch.from_pylist(rows, schema=TASK_SCHEMA))
                    rows.clear()
            last = (page[-1].env_id, page[-1].id)
    if rows:
        writer.write_batch(pa.RecordBatch.from_pylist(rows, schema=TASK_SCHEMA))
    writer.close()
    return {"seconds": time.perf_counter() - t0, "rows": n}


def _baseline_row(r: Any, spec: dict[str, Any], env: dict[str, Any]) -> dict[str, Any]:
    dumps = json.dumps
    prov = spec["provenance"]
    return {
        "id": r.id,
        "family": spec["family"],
        "category": spec["category"],
        "difficulty": spec["difficulty"],
        "status": r.status,
        "split": "train",
        "prompt": spec["prompt"],
        "messages": [{"role": "user", "content": spec["prompt"]}],
        "tools_json": dumps(env["openai"]),
        "tool_names": [t["name"] for t in env["tools"]],
        "answer_schema_json": dumps(spec["answer_schema"]),
        "verifier": {"kind": spec["verifier"]["kind"], "verifier_id": None},
        "ground_truth_json": None,
        "environment": {"id": spec["env_id"], "name": env["name"], "version": env["version"]},
        "provenance": {
            k: None if prov.get(k) is None else str(prov[k]) for k in ("driver", "seed")
        },
        "provenance_json": dumps({"task": prov, "environment": env["provenance"]}),
        "pass_rate": r.pass_rate,
        "rollouts_total": 0,
        "rollouts_passed": 0,
        "parent_task_id": spec["parent_task_id"],
        "run_id": r.run_id,
        "created_at": datetime.fromisoformat(r.created_at) if r.created_at else None,
    }


def child_main(mode: str, db: Path, out: Path, limit: int | None, trace: bool) -> None:
    if trace:
        tracemalloc.start()
    if mode == "baseline":
        res = child_baseline(db, out, limit)
    else:
        scopes: dict[str, DedupScope] = {"export": "environment", "export-global-dedup": "global"}
        res = child_export(db, out, limit, scopes.get(mode))
    if trace:
        res["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    res["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    res["seconds"] = round(res["seconds"], 3)
    print(json.dumps(res))


def run_child(
    mode: str, db: Path, out: Path, limit: int | None, trace: bool = False
) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, __file__, "--child", mode, "--db", str(db), "--out", str(out)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    if trace:
        cmd.append("--trace")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child {mode} failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--mid", type=int, default=50_000)
    ap.add_argument("--large", type=int, default=200_000, help="0 skips the larger store")
    ap.add_argument("--envs", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--trace", action="store_true")
    args = ap.parse_args()
    if args.child:
        child_main(args.child, args.db, args.out, args.limit, args.trace)
        return
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        db = tmp / "store.db"
        info = fill(db, args.tasks, args.envs)
        # Interleaved repeats, best of each: the machine's load drifts between runs.
        runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "export": [], "nodedup": []}
        for _ in range(args.repeat):
            runs["baseline"].append(run_child("baseline", db, tmp / "base", None))
            runs["export"].append(run_child("export", db, tmp / "out", None))
            runs["nodedup"].append(run_child("export-no-dedup", db, tmp / "out", None))
        base, full, no_dedup = (min(runs[k], key=lambda r: r["seconds"]) for k in runs)
        sizes = (args.small, args.mid, None)
        small = run_child("export", db, tmp / "out", args.small)
        small_nd = run_child("export-no-dedup", db, tmp / "out", args.small)
        mid = run_child("export", db, tmp / "out", args.mid)
        mid_nd = run_child("export-no-dedup", db, tmp / "out", args.mid)
        glob = [run_child("export-global-dedup", db, tmp / "out", n) for n in sizes]
        base_small = run_child("baseline", db, tmp / "base", args.small)
        trace_small = run_child("export", db, tmp / "out", args.small, trace=True)
        trace_full = run_child("export", db, tmp / "out", None, trace=True)
        large: dict[str, Any] = {}
        if args.large:  # a second, larger store: memory must stay where it was at --tasks
            db.unlink()
            db2 = tmp / "large.db"
            fill(db2, args.large, args.envs * args.large // args.tasks)
            large = {
                "export": run_child("export", db2, tmp / "out", None),
                "export_no_dedup": run_child("export-no-dedup", db2, tmp / "out", None),
            }
    big, few, half = args.tasks, args.small, args.mid
    counts = (few, half, big)
    report = {
        **info,
        "repeats": args.repeat,
        "export_s": full["seconds"],
        "baseline_s": base["seconds"],
        "ratio": round(full["seconds"] / base["seconds"], 2),
        "export_no_dedup_s": no_dedup["seconds"],
        "ratio_no_dedup": round(no_dedup["seconds"] / base["seconds"], 2),
        "target_ratio": 2.0,
        "export_rows_per_s": round(full["rows"] / full["seconds"]),
        "all_seconds": {k: [r["seconds"] for r in v] for k, v in runs.items()},
        "maxrss_mb": {
            f"export_{few}": small["maxrss_mb"],
            f"export_{half}": mid["maxrss_mb"],
            f"export_{big}": full["maxrss_mb"],
            f"export_no_dedup_{few}": small_nd["maxrss_mb"],
            f"export_no_dedup_{half}": mid_nd["maxrss_mb"],
            f"export_no_dedup_{big}": no_dedup["maxrss_mb"],
            f"baseline_{few}": base_small["maxrss_mb"],
            f"baseline_{big}": base["maxrss_mb"],
            **{f"{k}_{args.large}": r["maxrss_mb"] for k, r in large.items()},
        },
        # The deduplication index's peak: one page plus one environment by default;
        # every kept task with --dedup-scope global.
        "dedup_index_peak_mb": {
            f"export_{few}": small["dedup_index_peak_mb"],
            f"export_{half}": mid["dedup_index_peak_mb"],
            f"export_{big}": full["dedup_index_peak_mb"],
            **{f"global_{n}": g["dedup_index_peak_mb"] for n, g in zip(counts, glob, strict=True)},
        },
        "global_dedup": {
            "seconds": glob[2]["seconds"],
            "rows": glob[2]["rows"],
            "maxrss_mb": {str(n): g["maxrss_mb"] for n, g in zip(counts, glob, strict=True)},
        },
        "tracemalloc_peak_mb": {
            f"export_{few}": trace_small["tracemalloc_peak_mb"],
            f"export_{big}": trace_full["tracemalloc_peak_mb"],
        },
        "rows": {
            "export": full["rows"],
            "export_no_dedup": no_dedup["rows"],
            "baseline": base["rows"],
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
