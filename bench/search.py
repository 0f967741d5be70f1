"""Benchmark: the search family's offline corpus and proposal throughput. Prints JSON.

* ``index`` — building the knowledge graph from packaged data, rendering its pages and
  writing the FTS5 index (a fresh temp dir); the index file's size.
* ``search`` — ``search(query, 5)`` latency (p50 / p99) for entity names and for whole
  generated questions, against the same-run baseline: a plain ``LIKE '%name%'`` scan of
  the same pages table for the names (``like_over_fts_p50`` is the speed-up).
* ``propose`` — ``--workers`` processes each build their context (graph, index, fact
  base) and propose interleaved indexes until ``--accepted`` tasks are accepted in all
  (or ``--proposals`` are spent); accepted tasks per minute, the time projected for
  DeepSeek-V3.2's 50,275 search tasks on this machine, and the merged funnel
  (proposed → unique → verified → accepted) with every drop reason; how many accepted
  tasks are distinct (same question and answer from two indexes counts once).

Usage: python bench/search.py [--proposals 6000] [--accepted 0] [--workers 2] [--queries 300]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 50_275


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_index(tmp: Path) -> dict[str, Any]:
    from envfoundry.envs.search.index import build_index
    from envfoundry.envs.search.offline import corpus_id_for
    from envfoundry.envs.search.pages import render_all
    from envfoundry.envs.search.world import build_graph, data_fingerprint

    t0 = time.perf_counter()
    data_fingerprint()
    t1 = time.perf_counter()
    graph = build_graph()
    t2 = time.perf_counter()
    pages = render_all(graph)
    t3 = time.perf_counter()
    index = build_index(pages, tmp / "bench-index.sqlite", corpus_id_for(graph))
    t4 = time.perf_counter()
    return {
        "entities": graph.counts(),
        "pages": len(pages),
        "text_mb": round(sum(len(p.text.encode()) for p in pages) / 1e6, 1),
        "fingerprint_s": round(t1 - t0, 3),
        "graph_s": round(t2 - t1, 3),
        "render_s": round(t3 - t2, 3),
        "index_build_s": round(t4 - t3, 3),
        "total_build_s": round(t4 - t0, 3),
        "index_mb": round(index.path.stat().st_size / 1e6, 1),
        "path": str(index.path),
    }


def bench_search(index_path: str, n: int) -> dict[str, Any]:
    from envfoundry.envs.search.index import SearchIndex
    from envfoundry.generators.search import SearchConfig, SearchTask, propose, search_context

    index = SearchIndex(index_path)
    rng = random.Random("bench-search")
    ids = index.page_ids()
    titles = [index.open_page(pid).title for pid in rng.sample(ids, n)]
    cfg = SearchConfig(data_dir=str(Path(index_path).parent.parent))
    ctx = search_context(cfg)
    questions = [
        r.question for i in range(n * 4) if isinstance(r := propose(99, i, cfg, ctx), SearchTask)
    ][:n]

    def timed(fn: Any, items: list[str]) -> tuple[list[float], int]:
        out, found = [], 0
        for q in items:
            t = time.perf_counter()
            res = fn(q)
            out.append((time.perf_counter() - t) * 1000)
            found += bool(res)
        return out, found

    fts_names, fts_found = timed(lambda q: index.search(q, 5), titles)
    like_names, like_found = timed(lambda q: index.like_scan(q, 5), titles)
    fts_questions, _ = timed(lambda q: index.search(q, 5), questions)
    return {
        "name_queries": len(titles),
        "question_queries": len(questions),
        "fts_name_p50_ms": round(_pct(fts_names, 0.5), 3),
        "fts_name_p99_ms": round(_pct(fts_names, 0.99), 3),
        "fts_question_p50_ms": round(_pct(fts_questions, 0.5), 3),
        "fts_question_p99_ms": round(_pct(fts_questions, 0.99), 3),
        "like_name_p50_ms": round(_pct(like_names, 0.5), 3),
        "like_name_p99_ms": round(_pct(like_names, 0.99), 3),
        "like_over_fts_p50": round(_pct(like_names, 0.5) / _pct(fts_names, 0.5), 1),
        "like_over_fts_p99": round(_pct(like_names, 0.99) / _pct(fts_names, 0.99), 1),
        "found_fts": fts_found,
        "found_like": like_found,
    }


def _worker(wid: int, workers: int, data_dir: str, budget: int, want: int, out: Any) -> None:
    from envfoundry.generators.search import (
        Funnel,
        SearchConfig,
        SearchTask,
        propose,
        search_context,
    )

    t0 = time.perf_counter()
    cfg = SearchConfig(data_dir=data_dir)
    ctx = search_context(cfg)
    t1 = time.perf_counter()
    funnel = Funnel()
    accepted, done, i = 0, 0, wid
    depths: dict[str, int] = {}
    seen: set[str] = set()
    while done < budget and (want <= 0 or accepted < want):
        result = propose(2026, i, cfg, ctx)
        funnel.add(result)
        if isinstance(result, SearchTask):
            accepted += 1
            tag = f"depth{result.depth}_{result.language}"
            depths[tag] = depths.get(tag, 0) + 1
            seen.add(f"{result.question}\x00{result.answer.value}")
        done += 1
        i += workers
    t2 = time.perf_counter()
    out.put(
        {
            "context_s": t1 - t0,
            "run_s": t2 - t1,
            "funnel": funnel.as_dict(),
            "mix": depths,
            "ids": sorted(seen),
        }
    )


def bench_propose(data_dir: str, proposals: int, accepted: int, workers: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")  # clean children: no SQLite handle crosses a fork
    queue = ctx.Queue()
    per_budget = -(-proposals // workers) if proposals else 10**12
    per_want = -(-accepted // workers) if accepted else 0
    t0 = time.perf_counter()
    procs = [
        ctx.Process(target=_worker, args=(w, workers, data_dir, per_budget, per_want, queue))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    parts = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - t0
    stages: dict[str, int] = {}
    drops: dict[str, int] = {}
    mix: dict[str, int] = {}
    for part in parts:
        for k, v in part["funnel"]["stages"].items():
            stages[k] = stages.get(k, 0) + v
        for k, v in part["funnel"]["drops"].items():
            drops[k] = drops.get(k, 0) + v
        for k, v in part["mix"].items():
            mix[k] = mix.get(k, 0) + v
    context_s = max(p["context_s"] for p in parts)
    run_s = max(p["run_s"] for p in parts)
    per_min = stages["accepted"] / run_s * 60 if run_s else 0.0
    return {
        "workers": workers,
        "wall_s": round(wall, 1),
        "context_build_s": round(context_s, 2),
        "run_s": round(run_s, 1),
        "proposals_per_s": round(stages["proposed"] / run_s, 1),
        "ms_per_proposal_per_worker": round(run_s * 1000 * workers / stages["proposed"], 2),
        "accepted_per_min": round(per_min, 0),
        "acceptance_rate": round(stages["accepted"] / max(1, stages["proposed"]), 3),
        f"projected_min_for_{TARGET}": round((TARGET / per_min) + context_s / 60, 1)
        if per_min
        else None,
        "funnel": stages,
        "drops": dict(sorted(drops.items(), key=lambda kv: -kv[1])),
        "accepted_by_depth_language": dict(sorted(mix.items())),
        "accepted_distinct_tasks": len({i for part in parts for i in part["ids"]}),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--proposals", type=int, default=6000)
    ap.add_argument("--accepted", type=int, default=0, help="stop once this many are accepted")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    if args.accepted:
        args.proposals = 0
    with tempfile.TemporaryDirectory(prefix="ef-bench-search-") as tmp:
        data_dir = Path(tmp)
        report: dict[str, Any] = {"index": bench_index(data_dir / "search")}
        # Reuse the freshly built index as the cached corpus of a data dir.
        from envfoundry.envs.search.index import INDEX_VERSION
        from envfoundry.envs.search.offline import corpus_id_for
        from envfoundry.envs.search.world import load_graph

        cached = data_dir / "search" / f"{corpus_id_for(load_graph())}.{INDEX_VERSION}.sqlite"
        Path(report["index"].pop("path")).rename(cached)
        report["search"] = bench_search(str(cached), args.queries)
        report["propose"] = bench_propose(
            str(data_dir), args.proposals, args.accepted, args.workers
        )
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
