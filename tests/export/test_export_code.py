"""Code tasks in exported datasets: FAIL_TO_PASS, PASS_TO_PASS, gold and test patches."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from envfoundry.envs.code.payload import CodeTaskPayload, RepoRef
from envfoundry.export import ExportOptions, SplitPlan, export_tasks
from envfoundry.families.code import environment_spec, task_spec
from envfoundry.generators.code.pipeline import CodeOutcome
from envfoundry.generators.code.sources import Candidate
from envfoundry.models import TaskStatus
from envfoundry.storage import Store

REPO = RepoRef(kind="path", location="/src/calc", name="calc")
BASE, FIX = "a" * 40, "b" * 40
GOLD = (
    "diff --git a/calc/__init__.py b/calc/__init__.py\n--- a/calc/__init__.py\n"
    "+++ b/calc/__init__.py\n@@ -1 +1 @@\n-    return max(lo, x)\n+    return min(hi, max(lo, x))\n"
)
TESTS = (
    "diff --git a/tests/test_calc.py b/tests/test_calc.py\n--- a/tests/test_calc.py\n"
    "+++ b/tests/test_calc.py\n@@ -1 +1,2 @@\n def test_add(): pass\n+def test_clamp(): pass\n"
)
F2P = ("tests/test_calc.py::test_clamp",)
P2P = ("tests/test_calc.py::test_add",)


def stored_code_task(store: Store) -> str:
    """A code task shaped exactly as the family stores an accepted one."""
    candidate = Candidate(
        repo=REPO,
        commit=FIX,
        base_commit=BASE,
        message="Fix clamp ignoring its upper bound",
        diff=GOLD + TESTS,
        files=("calc/__init__.py", "tests/test_calc.py"),
    )
    payload = CodeTaskPayload(
        repo=REPO,
        base_commit=BASE,
        fix_commit=FIX,
        source_blob="c" * 64,
        gold_patch=GOLD,
        test_patch=TESTS,
        test_files=("tests/test_calc.py",),
        test_targets=("tests/test_calc.py",),
        fail_to_pass=F2P,
        pass_to_pass=P2P,
        image="envfoundry/code-deps:0123456789abcdef",
        python="3.11",
        statement="clamp(10, 0, 3) returns 10 instead of 3.",
    )
    outcome = CodeOutcome(
        status="accepted",
        code="accepted",
        reason="1 FAIL_TO_PASS",
        repo=REPO,
        commit=FIX,
        base_commit=BASE,
        gold_patch=GOLD,
        test_patch=TESTS,
        fail_to_pass=F2P,
        pass_to_pass=P2P,
        payload=payload,
    )
    env = environment_spec(candidate, None)
    task = task_spec(env, candidate, outcome)
    store.put_environment(env)
    store.put_task(task, TaskStatus.accepted)
    return task.id


def test_jsonl_parquet_and_verl_carry_the_test_lists_and_both_patches(
    store_url: str, tmp_path: Path
) -> None:
    store = Store(store_url, tmp_path / "blobs")
    store.upgrade()
    task_id = stored_code_task(store)
    one = SplitPlan((("train", 1.0),))

    export_tasks(store, ExportOptions(format="jsonl", out=tmp_path / "jl", splits=one))
    (record,) = [json.loads(x) for x in (tmp_path / "jl/train.jsonl").read_text().splitlines()]
    assert record["id"] == task_id and record["family"] == "code"
    truth = record["ground_truth"]
    assert truth["reference_solution"] == GOLD
    assert truth["config"]["FAIL_TO_PASS"] == list(F2P)
    assert truth["config"]["PASS_TO_PASS"] == list(P2P)
    assert truth["config"]["test_patch"] == TESTS
    assert truth["config"]["test_files"] == ["tests/test_calc.py"]
    assert record["provenance"]["task"]["base_commit"] == BASE
    assert record["provenance"]["task"]["commit"] == FIX

    export_tasks(store, ExportOptions(format="parquet", out=tmp_path / "pq", splits=one))
    (row,) = pq.read_table(tmp_path / "pq/train.parquet").to_pylist()
    assert json.loads(row["ground_truth_json"]) == truth

    export_tasks(store, ExportOptions(format="verl", out=tmp_path / "verl", splits=one))
    (verl,) = pq.read_table(tmp_path / "verl/train.parquet").to_pylist()
    # the suite is the ground truth, but its reward needs the runtime: not a local rule
    assert verl["reward_model"]["style"] == "function"
    assert json.loads(verl["reward_model"]["ground_truth"]) == truth
    store.close()
