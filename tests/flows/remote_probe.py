"""Run on another host (a test container): verify tasks and open an episode of each.

``python -m tests.flows.remote_probe TASK_ID…`` prints one JSON object per task id:
the reference verdict and what an episode on this host saw. Only the configured store
(and its blobs) connect this host to the one that stored the task.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from envfoundry import families
from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.runtime.episodes import Runtime
from envfoundry.storage import Store


def probe(task_ids: list[str]) -> dict[str, Any]:
    settings = load_settings()
    store = Store.from_settings(settings)
    backend = get_backend(settings)
    runtime = Runtime(store, backend, settings)
    out: dict[str, Any] = {}
    try:
        for tid in task_ids:
            task = store.get_task(tid).spec
            verdict = families.get(task.family).verify(store, backend, task, families.REFERENCE)
            episode = runtime.open(tid, answer_retries=0)
            observations = [
                episode.call(t.name, {})
                for t in episode.env.tools
                if not t.mutates and not t.parameters.get("required")
            ][:2]
            episode.close()
            out[tid] = {
                "verified": verdict.passed,
                "verdict_reason": verdict.reason,
                "episode_tools": len(episode.tools),
                "observations": len(observations),
                "tool_errors": sum(isinstance(o, dict) and "error" in o for o in observations),
                "first_observation": str(observations[0])[:200] if observations else None,
            }
    finally:
        runtime.close()
        store.close()
    return out


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1:])))
