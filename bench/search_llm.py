"""Benchmark: what the search family's LLM driver costs besides the model. Prints JSON.

The driver proposes ``--proposals`` tasks over the example JSONL corpus against the
scripted OpenAI-compatible server (``examples/llm_fake_search.json``: a construction
agent with two tool turns, one verification pass, two LLM answerers — eight chat calls a
proposal). The same-run baseline sends the very same request bodies, in the same order,
straight through the LLM client to a fresh scripted server: the HTTP and JSON cost of
that traffic alone. ``overhead_ratio`` = driver time / baseline time; what is above 1 is
the driver's own work (tool calls on the index, evidence and answer checks, shortcut
answerers, building the task).

Usage: python bench/search_llm.py [--proposals 50]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--proposals", type=int, default=50)
    args = ap.parse_args()

    from envfoundry.generators.llm import LLMClient
    from envfoundry.generators.llm.testserver import FakeLLMServer
    from envfoundry.generators.search import SearchTask
    from envfoundry.generators.search.llm_driver import Clients, LLMSearchDriver, SearchLLMConfig
    from envfoundry.generators.search.llm_sources import llm_context

    script = json.loads((ROOT / "examples" / "llm_fake_search.json").read_text())["steps"]
    n = args.proposals
    with tempfile.TemporaryDirectory(prefix="ef-bench-search-llm-") as tmp:
        ctx = llm_context(
            corpus=str(ROOT / "examples" / "search_pages.jsonl"),
            web=None,
            seed_pages=(),
            offline=lambda: None,
            cache_dir=Path(tmp),
            tail=2.0,
        )

        def client(url: str) -> LLMClient:
            return LLMClient(url, "fake-model", cache=False, max_retries=0)

        with FakeLLMServer(script * n) as srv:
            c = client(srv.base_url)
            driver = LLMSearchDriver(
                Clients(c, c, c),
                ctx,
                SearchLLMConfig(),
                depths=(1,),
                breadths=(2,),
                languages=("en",),
            )
            t0 = time.perf_counter()
            accepted = sum(isinstance(driver.propose(0, i)[0], SearchTask) for i in range(n))
            driver_s = time.perf_counter() - t0
            bodies: list[dict[str, Any]] = list(srv.requests)
            c.close()

        with FakeLLMServer(script * n) as srv:
            c = client(srv.base_url)
            t0 = time.perf_counter()
            for body in bodies:
                c.chat(body["messages"], tools=body.get("tools"), seed=body.get("seed"))
            baseline_s = time.perf_counter() - t0
            c.close()

    report = {
        "proposals": n,
        "accepted": accepted,
        "chat_calls": len(bodies),
        "driver_ms_per_proposal": round(driver_s * 1000 / n, 2),
        "baseline_ms_per_proposal": round(baseline_s * 1000 / n, 2),
        "overhead_ratio": round(driver_s / baseline_s, 2),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
