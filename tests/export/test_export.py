"""Dataset export: round trips of every layout, manifest, environments, splits by environment root."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml

from envfoundry.errors import ConfigError
from envfoundry.export import (
    TASK_SCHEMA,
    VERL_SCHEMA,
    ExportFilter,
    ExportOptions,
    SplitPlan,
    export_tasks,
    verify_manifest,
)
from envfoundry.export.records import RUNTIME_ROUTES
from envfoundry.models import (
    Attempt,
    AttemptKind,
    EnvironmentSpec,
    TaskSpec,
    TaskStatus,
    ToolSpec,
    Verdict,
    VerifierSpec,
)
from envfoundry.runtime.prompt import episode_view
from envfoundry.storage import Store

_VOCAB = [f"w{i}" for i in range(400)]
TOOLS = (
    ToolSpec(name="get_all_cities", description="List cities."),
    ToolSpec(
        name="book",
        description="Book a hotel.",
        parameters={"type": "object", "properties": {"hotel": {"type": "string"}}},
        mutates=True,
    ),
)


def prompt_text(i: int, words: int = 24) -> str:
    """A prompt that shares (almost) no word bigrams with the prompt of any other ``i``."""
    rng = random.Random(f"prompt:{i}")
    return f"Task {i}: " + " ".join(rng.choice(_VOCAB) for _ in range(words)) + "."


@dataclass
class World:
    store: Store
    envs: dict[str, EnvironmentSpec] = field(default_factory=dict)
    tasks: dict[str, TaskSpec] = field(default_factory=dict)
    status: dict[str, TaskStatus] = field(default_factory=dict)
    lineage: dict[str, str] = field(default_factory=dict)  # env id -> root env id

    def accepted(self) -> set[str]:
        return {tid for tid, st in self.status.items() if st is TaskStatus.accepted}

    def in_read_order(self, ids: set[str]) -> list[str]:
        """``ids`` in the order the export reads them: by environment, then by id."""
        return sorted(ids, key=lambda tid: (self.tasks[tid].env_id, tid))


def make_env(name: str, category: str = "trip_planning", **kw: Any) -> EnvironmentSpec:
    return EnvironmentSpec(
        family="general",
        category=category,
        name=name,
        tools=TOOLS,
        tools_source=f"def get_all_cities():\n    return ['{name}']\n",
        provenance={"generator": "general/procedural", "driver": "procedural", "seed": 7},
        **kw,
    )


def build_world(store: Store, roots: int = 12, per_env: int = 3) -> World:
    """Environments (the first with three versions), tasks, statuses, pass rates, attempts."""
    world = World(store)
    db_blob = store.blobs.put_bytes(b"SQLite format 3\x00 pretend database")
    i = 0
    for r in range(roots):
        category = "trip_planning" if r % 2 == 0 else "hotel_booking"
        versions = 3 if r == 0 else 1
        parent: EnvironmentSpec | None = None
        for v in range(1, versions + 1):
            env = make_env(
                f"env-{r}",
                category,
                version=v,
                parent_env_id=parent.id if parent else None,
                state_blob=db_blob if r == 0 else None,
            )
            store.put_environment(env)
            world.envs[env.id] = env
            world.lineage[env.id] = world.lineage[parent.id] if parent else env.id
            parent = env
            tasks = []
            for _ in range(per_env):
                kind = "exact" if i % 2 else "function"
                tasks.append(
                    TaskSpec(
                        env_id=env.id,
                        family="general",
                        category=category,
                        prompt=prompt_text(i),
                        answer_schema={"type": "object", "properties": {"n": {"type": "integer"}}},
                        reference_answer={"n": i},
                        verifier=VerifierSpec(
                            kind=kind,
                            source="def verify(a, db):\n    return True, 'ok'\n"
                            if kind == "function"
                            else None,
                            config={"answer": {"n": i}} if kind == "exact" else {},
                        ),
                        difficulty=1 + i % 5,
                        provenance={"model": "procedural", "seed": 7, "index": i},
                    )
                )
                i += 1
            store.put_tasks(tasks, run_id="run-a" if r % 3 else "run-b")
            for t in tasks:
                world.tasks[t.id] = t
                world.status[t.id] = TaskStatus.proposed
    ids = sorted(world.tasks)
    for n, tid in enumerate(ids):
        if n % 7 == 3:
            store.set_task_status(tid, TaskStatus.rejected, "too_easy", "pass@k = 1")
            world.status[tid] = TaskStatus.rejected
        elif n % 7 != 5:  # n % 7 == 5 stays proposed
            rate = None if n % 4 == 0 else round((n % 10) / 10, 1)
            store.set_task_status(tid, TaskStatus.accepted, pass_rate=rate)
            world.status[tid] = TaskStatus.accepted
    return world


def add_rollouts(world: World, task_id: str, passed: int, failed: int, infra: int = 0) -> None:
    attempts = []
    for k in range(passed + failed + infra):
        if k < passed:
            verdict = Verdict.ok()
        elif k < passed + failed:
            verdict = Verdict.fail("wrong")
        else:
            verdict = Verdict.infra("sandbox died")
        attempts.append(
            Attempt(
                task_id=task_id, kind=AttemptKind.rollout, label=f"rollout:p:{k}", verdict=verdict
            )
        )
    world.store.put_attempts(attempts)


@pytest.fixture
def world(tmp_path: Path) -> World:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "blobs")
    store.upgrade()
    return build_world(store)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def export(world: World, out: Path, fmt: str = "jsonl", **kw: Any) -> dict[str, Any]:
    return export_tasks(world.store, ExportOptions(format=fmt, out=out, **kw))


def test_jsonl_round_trip_matches_the_store(store_url: str, tmp_path: Path) -> None:
    store = Store(store_url, tmp_path / "blobs")
    store.upgrade()
    world = build_world(store)
    some = sorted(world.accepted())[0]
    add_rollouts(world, some, passed=3, failed=5, infra=2)
    out = tmp_path / "out"
    manifest = export(world, out)

    records = [r for s in ("train", "validation", "test") for r in read_jsonl(out / f"{s}.jsonl")]
    assert {r["id"] for r in records} == world.accepted()
    assert manifest["counts"]["tasks"] == len(records)
    for rec in records:
        spec = world.tasks[rec["id"]]
        env = world.envs[spec.env_id]
        assert rec["prompt"] == spec.prompt
        assert rec["messages"][0]["role"] == "system"
        assert rec["messages"][1] == {"role": "user", "content": spec.prompt}
        # one prompt: exactly the messages and tools the runtime serves for this task
        messages, tools, _ = episode_view(
            spec.prompt, spec.answer_schema, [t.openai_schema() for t in env.tools]
        )
        assert rec["messages"] == messages and rec["tools"] == tools
        assert tools[:-1] == [t.openai_schema() for t in env.tools]
        assert rec["answer_schema"] == spec.answer_schema
        assert rec["verifier"] == {
            "kind": spec.verifier.kind,
            "verifier_id": spec.verifier.id,
            "runtime": RUNTIME_ROUTES,
        }
        expected_gt = (
            {"reference_answer": spec.reference_answer, "config": spec.verifier.config}
            if spec.verifier.kind == "exact"
            else None
        )
        assert rec["ground_truth"] == expected_gt
        assert rec["environment"]["id"] == env.id
        assert rec["environment"]["root_id"] == world.lineage[env.id]
        assert rec["provenance"]["generator"] == "general/procedural"  # from the environment
        assert rec["provenance"]["model"] == "procedural"  # from the task
        assert rec["provenance"]["seed"] == "7"
        assert rec["status"] == "accepted" and rec["family"] == "general"
        assert rec["stats"]["pass_rate"] == store.get_task(rec["id"]).pass_rate
    stats = next(r["stats"] for r in records if r["id"] == some)
    assert (stats["rollouts_total"], stats["rollouts_passed"]) == (8, 3)  # infra errors left out
    assert verify_manifest(out) == []
    assert manifest["envfoundry_version"] and manifest["created_at"]
    assert manifest["filters"]["status"] == "accepted"
    store.close()


def test_parquet_round_trip_with_explicit_schema_and_row_groups(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "pq"
    export(world, out, "parquet", row_group=5, splits=SplitPlan((("train", 1.0),)))
    table = pq.read_table(out / "train.parquet")
    assert table.schema.equals(TASK_SCHEMA)
    assert pq.ParquetFile(out / "train.parquet").metadata.num_row_groups > 1
    rows = table.to_pylist()
    assert {r["id"] for r in rows} == world.accepted()
    jsonl = tmp_path / "jl"
    export(world, jsonl, "jsonl", splits=SplitPlan((("train", 1.0),)))
    by_id = {r["id"]: r for r in read_jsonl(jsonl / "train.jsonl")}
    for row in rows:
        rec = by_id[row["id"]]
        assert json.loads(row["tools_json"]) == rec["tools"]
        assert row["tool_names"] == ["get_all_cities", "book", "submit"]
        assert json.loads(row["answer_schema_json"]) == rec["answer_schema"]
        assert row["messages"] == rec["messages"]
        assert row["verifier"]["verifier_id"] == rec["verifier"]["verifier_id"]
        assert row["environment"]["root_id"] == rec["environment"]["root_id"]
        gt = row["ground_truth_json"]
        assert (json.loads(gt) if gt else None) == rec["ground_truth"]
        assert row["pass_rate"] == rec["stats"]["pass_rate"]
        assert row["created_at"].isoformat() == rec["created_at"]


def test_hf_dataset_loads_from_disk_offline(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "hf"
    manifest = export(world, out, "hf", splits=SplitPlan((("train", 0.5), ("test", 0.5))))
    dd = datasets.load_from_disk(str(out))
    seen: set[str] = set()
    for split, n in manifest["counts"]["by_split"].items():
        if n == 0:
            assert split not in dd  # datasets cannot read back an empty split
            continue
        ds = dd[split]
        assert ds.num_rows == n and set(ds["split"]) == {split}
        seen |= set(ds["id"])
        row = ds[0]
        assert json.loads(row["tools_json"])[0]["function"]["name"] == "get_all_cities"
        assert row["messages"][-1]["role"] == "user"
    assert seen == world.accepted()
    assert verify_manifest(out) == []
    assert not (out / ".staging").exists()


def test_verl_columns(world: World, tmp_path: Path) -> None:
    out = tmp_path / "verl"
    export(
        world,
        out,
        "verl",
        splits=SplitPlan((("train", 1.0),)),
        system_prompt=False,
        runtime_url="http://127.0.0.1:9911",
        max_steps=12,
    )
    table = pq.read_table(out / "train.parquet")
    assert table.schema.equals(VERL_SCHEMA)
    rows = table.to_pylist()
    assert {r["agent_name"] for r in rows} == {"envfoundry_agent"}
    # the agent loop file verl's agent_loop_config_path reads, and the rollout overrides
    (loop,) = yaml.safe_load((out / "agent_loop.yaml").read_text())
    assert loop == {
        "name": "envfoundry_agent",
        "_target_": "envfoundry.integrations.verl.EnvfoundryAgentLoop",
        "runtime_url": "http://127.0.0.1:9911",
    }
    trainer = yaml.safe_load((out / "verl_trainer.yaml").read_text())
    assert trainer["defaults"] == ["ppo_trainer", "_self_"]  # composed over verl's own config
    rollout = trainer["actor_rollout_ref"]["rollout"]
    assert rollout["agent"]["agent_loop_config_path"] == str(out.resolve() / "agent_loop.yaml")
    assert rollout["agent"]["default_agent_loop"] == "envfoundry_agent"
    assert rollout["multi_turn"]["max_parallel_calls"] == 1
    assert rollout["multi_turn"]["max_assistant_turns"] >= 12 + 1
    assert verify_manifest(out) == []
    assert {r["extra_info"]["task_id"] for r in rows} == world.accepted()
    assert [r["extra_info"]["index"] for r in rows] == list(range(len(rows)))
    for r in rows:
        spec = world.tasks[r["extra_info"]["task_id"]]
        assert r["data_source"] == f"envfoundry/general/{spec.category}"
        assert r["ability"] == "general"
        assert r["prompt"] == [{"role": "user", "content": spec.prompt}]
        gt = json.loads(r["reward_model"]["ground_truth"])
        if spec.verifier.kind == "exact":
            assert r["reward_model"]["style"] == "rule"
            assert gt["config"] == {"answer": spec.reference_answer}
        else:
            assert r["reward_model"]["style"] == "function"
            assert gt["verifier_id"] == spec.verifier.id
        assert json.loads(r["extra_info"]["tools"])[1]["function"]["name"] == "book"
        assert json.loads(r["extra_info"]["verifier"])["runtime"] == RUNTIME_ROUTES


def test_openai_sft_from_trajectories_reconstructed_calls_or_skipped(
    world: World, tmp_path: Path
) -> None:
    a, b, c, *_ = world.in_read_order(world.accepted())
    store = world.store
    trajectory = [
        {"role": "user", "content": world.tasks[a].prompt},
        {
            "role": "assistant",
            "content": None,
            "reasoning_content": "think",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_all_cities", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": '["Paris"]'},
        {"role": "assistant", "content": '{"n": 1}'},
    ]
    blob = store.blobs.put_bytes(json.dumps({"messages": trajectory}).encode())
    calls = [
        {"name": "get_all_cities", "args": {}, "result": ["Paris"]},
        {"name": "book", "args": {"hotel": "H"}, "error": {"type": "KeyError", "message": "H"}},
    ]
    store.put_attempts(
        [
            Attempt(
                task_id=a,
                kind=AttemptKind.reference,
                label="reference",
                answer={"n": 1},
                verdict=Verdict.ok(),
                trajectory_blob=blob,
            ),
            Attempt(
                task_id=b,
                kind=AttemptKind.reference,
                label="reference",
                answer={"n": 2},
                verdict=Verdict.ok(tool_calls=calls),
            ),
            Attempt(  # a passing reference without any recorded calls: skipped
                task_id=c, kind=AttemptKind.reference, label="reference", verdict=Verdict.ok()
            ),
        ]
    )
    out = tmp_path / "sft"
    manifest = export(world, out, "openai", splits=SplitPlan((("train", 1.0),)))
    lines = read_jsonl(out / "train.jsonl")
    side = read_jsonl(out / "train.tasks.jsonl")
    assert [s["task_id"] for s in side] == [a, b]
    assert [s["source"] for s in side] == ["trajectory", "reconstructed"]
    assert all(set(line) == {"messages", "tools"} for line in lines)
    first, second = lines
    assert first["messages"][0]["role"] == "user"
    assert "reasoning_content" not in first["messages"][1]
    assert first["tools"][0]["function"]["name"] == "get_all_cities"
    roles = [m["role"] for m in second["messages"]]
    assert roles == ["system", "user", "assistant", "tool", "assistant", "tool", "assistant"]
    call = second["messages"][4]["tool_calls"][0]["function"]
    assert call == {"name": "book", "arguments": '{"hotel": "H"}'}
    assert json.loads(second["messages"][5]["content"])["error"]["type"] == "KeyError"
    # the demonstration ends as an episode does: the submit tool called with the answer
    submit = second["messages"][-1]["tool_calls"][0]["function"]
    assert submit["name"] == second["tools"][-1]["function"]["name"] == "submit"
    assert json.loads(submit["arguments"]) == {"answer": {"n": 2}}
    skipped = manifest["counts"]["skipped"]
    assert skipped["no_trajectory"] == 1
    assert skipped["no_passing_reference"] == len(world.accepted()) - 3
    assert manifest["counts"]["sources"] == {"reconstructed": 1, "trajectory": 1}


def test_with_environments_copies_payloads_by_hash(world: World, tmp_path: Path) -> None:
    out = tmp_path / "envs"
    manifest = export(world, out, "jsonl", with_environments=True)
    envs = read_jsonl(out / "environments.jsonl")
    exported_env_ids = {
        r["environment"]["id"]
        for s in manifest["counts"]["by_split"]
        for r in read_jsonl(out / f"{s}.jsonl")
    }
    assert {e["id"] for e in envs} == exported_env_ids
    for e in envs:
        spec = world.envs[e["id"]]
        assert EnvironmentSpec.model_validate(e["spec"]) == spec
        src = out / e["tools_source_path"]
        assert src.name == e["tools_source_sha256"] and src.read_text() == spec.tools_source
        if spec.state_blob:
            state = out / e["state_path"]
            assert state.name == spec.state_blob
            assert state.read_bytes() == world.store.blobs.get_bytes(spec.state_blob)
    assert any(e["state_path"] for e in envs)
    assert manifest["environments"] == {"exported": len(envs), "missing_blobs": []}
    paths = {f["path"] for f in manifest["files"]}
    assert "environments.jsonl" in paths and any(p.startswith("environments/") for p in paths)
    assert verify_manifest(out) == []


def test_no_environment_crosses_splits(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "blobs")
    store.upgrade()
    world = build_world(store, roots=40, per_env=2)
    # More versions of a few lineages, each with its own tasks.
    for env in [e for e in list(world.envs.values()) if e.version == 1][:6]:
        child = make_env(env.name, env.category, version=2, parent_env_id=env.id)
        grandchild = make_env(env.name, env.category, version=3, parent_env_id=child.id)
        for k, e in enumerate((child, grandchild)):
            store.put_environment(e)
            world.lineage[e.id] = world.lineage[env.id]
            t = TaskSpec(
                env_id=e.id,
                family="general",
                category=e.category,
                prompt=prompt_text(10_000 + 100 * len(world.envs) + k),
                verifier=VerifierSpec(kind="exact", config={"answer": 1}),
            )
            store.put_task(t, TaskStatus.accepted)
            world.envs[e.id] = e
    out = tmp_path / "split"
    manifest = export(
        world, out, "jsonl", splits=SplitPlan((("train", 0.6), ("validation", 0.2), ("test", 0.2)))
    )
    split_of_root: dict[str, set[str]] = {}
    split_of_env: dict[str, set[str]] = {}
    for split in ("train", "validation", "test"):
        for rec in read_jsonl(out / f"{split}.jsonl"):
            assert rec["split"] == split
            root = world.lineage[rec["environment"]["id"]]
            assert rec["environment"]["root_id"] == root
            split_of_root.setdefault(root, set()).add(split)
            split_of_env.setdefault(rec["environment"]["id"], set()).add(split)
    assert all(len(s) == 1 for s in split_of_root.values())
    assert all(len(s) == 1 for s in split_of_env.values())
    assert all(n > 0 for n in manifest["counts"]["by_split"].values())
    multi = [r for r, envs in _roots_with_versions(world).items() if len(envs) > 1]
    assert len(multi) >= 6 and all(r in split_of_root for r in multi)
    store.close()


def _roots_with_versions(world: World) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for env_id, root in world.lineage.items():
        out.setdefault(root, set()).add(env_id)
    return out


def test_same_store_same_bytes(world: World, tmp_path: Path) -> None:
    a = export(world, tmp_path / "a", "parquet")
    b = export(world, tmp_path / "b", "parquet")
    assert a["files"] == b["files"]
    c = export(world, tmp_path / "c", "jsonl")
    d = export(world, tmp_path / "d", "jsonl")
    assert c["files"] == d["files"]


def test_output_directory_rules(world: World, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(world, out, filter=ExportFilter(limit=2))
    with pytest.raises(ConfigError, match="not empty"):
        export(world, out)
    export(world, out, overwrite=True, filter=ExportFilter(limit=3))
    assert json.loads((out / "manifest.json").read_text())["counts"]["tasks"] == 3
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="refusing"):
        export(world, foreign, overwrite=True)
    assert (foreign / "notes.txt").read_text() == "mine"
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_manifest_detects_tampering(world: World, tmp_path: Path) -> None:
    out = tmp_path / "m"
    export(world, out, "jsonl")
    (out / "train.jsonl").write_text("{}\n")
    (out / "extra.txt").write_text("x")
    problems = verify_manifest(out)
    assert "checksum differs: train.jsonl" in problems
    assert "not in manifest: extra.txt" in problems
