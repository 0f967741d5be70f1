"""Every OpenAI SFT demo of a real run replays through the runtime server to reward 1.

A real store: one environment of every procedural general category (seed 0), made by the
pipeline's batch function on the local sandbox. Its export's demos are replayed call by
call on the real HTTP runtime: each observation must be the one the demo shows, and the
final submit must earn reward 1. Trip planning's references need far more calls than
the default step budget of 50, so the runtime's per-task budget is exercised too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.export import ExportOptions, SplitPlan, export_tasks
from envfoundry.families import WorkItem
from envfoundry.flows.batch import run_batch
from envfoundry.flows.config import load_pipeline_config
from envfoundry.generators.general.procedural import available_categories
from envfoundry.models import TaskStatus
from envfoundry.runtime.client import RuntimeClient
from envfoundry.runtime.episodes import Runtime, RuntimeConfig
from envfoundry.runtime.prompt import DEFAULT_MAX_STEPS
from envfoundry.runtime.server import ServerThread
from envfoundry.storage import Store


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def replay(rc: RuntimeClient, task_id: str, demo: dict[str, Any]) -> tuple[float, int, int]:
    """(reward, tool calls replayed, the episode's step budget) of one demo."""
    msgs = demo["messages"]
    with rc.open(task_id) as ep:
        # the demo is served the prompt an episode shows, budget included
        assert msgs[:2] == ep.messages
        assert demo["tools"] == ep.tools
        replies = {m["tool_call_id"]: m["content"] for m in msgs if m["role"] == "tool"}
        calls = [c for m in msgs if m["role"] == "assistant" for c in m.get("tool_calls") or []]
        *steps, final = calls
        assert final["function"]["name"] == ep.submit_tool
        for call in steps:
            fn = call["function"]
            out = ep.call_full(fn["name"], json.loads(fn["arguments"]))
            assert not out["done"], f"{task_id}: the episode ended at {fn['name']}: {out}"
            seen = json.dumps(out["observation"], ensure_ascii=False, sort_keys=True)
            assert seen == replies[call["id"]], f"{task_id}: {fn['name']} observed otherwise"
        verdict = ep.submit(json.loads(final["function"]["arguments"])["answer"])
        return verdict.reward, len(steps), int(ep.budget["max_steps"])


@pytest.mark.slow
def test_every_exported_demo_of_a_real_run_replays_to_reward_one(
    monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "local")
    store = Store(f"sqlite:///{_isolated_data_dir / 'envfoundry.db'}", _isolated_data_dir / "blobs")
    store.upgrade()
    cats = available_categories()
    cfg = load_pipeline_config(
        None,
        family_overrides={"general": {"categories": cats, "environments": len(cats)}},
        batch_size=len(cats),
    )
    run = run_batch([WorkItem(category=c, index=0) for c in cats], cfg, "run-demos")
    assert run.environments == len(cats) and run.accepted >= 3 * len(cats), run

    out = tmp_path / "sft"
    manifest = export_tasks(
        store, ExportOptions(format="openai", out=out, splits=SplitPlan((("train", 1.0),)))
    )
    demos = read_jsonl(out / "train.jsonl")
    side = read_jsonl(out / "train.tasks.jsonl")
    accepted = [t.id for t in store.iter_tasks() if t.status is TaskStatus.accepted]
    # every accepted task (but near duplicates) gives a demo: the reference record is complete
    removed = {e["removed"] for e in manifest["dedup"]["examples"]}
    assert len(removed) == manifest["dedup"]["removed_exact"] + manifest["dedup"]["removed_near"]
    assert sorted(s["task_id"] for s in side) == sorted(set(accepted) - removed)
    assert manifest["counts"]["skipped"] == {}

    settings = load_settings()
    backend = get_backend(settings)
    runtime = Runtime(store, backend, settings, RuntimeConfig())
    results = []
    try:
        with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc:
            for demo, row in zip(demos, side, strict=True):
                results.append((row["task_id"], *replay(rc, row["task_id"], demo)))
    finally:
        backend.close()
    failed = [r for r in results if r[1] != 1.0]
    assert failed == [], failed
    # the long references (trip planning) need, and get, a budget above the default
    long = [r for r in results if r[2] > DEFAULT_MAX_STEPS]
    assert long, "no demo needs more than the default step budget"
    assert all(budget >= calls for _, _, calls, budget in results)
    assert all(budget > DEFAULT_MAX_STEPS for _, _, _, budget in long)
    store.close()
