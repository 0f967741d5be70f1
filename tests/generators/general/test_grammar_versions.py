"""Toolset versions in the grammar engine: a level whose plan is over the call budget on
the design's v1 gets a v2 with the missing tool added; earlier levels keep working on v1,
and the v2 level's reference fails on v1 (the tool was needed)."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

import pytest

from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.grammar import codegen
from envfoundry.generators.general.grammar.compose import answer_keys
from envfoundry.generators.general.grammar.ladder import (
    CALL_BUDGET,
    GROUND,
    NoComposition,
    step,
    toolset_plan,
)
from envfoundry.generators.general.procedural import get_category

# an environment (found by building, see test_only_list_get_designs_add_the_tool) whose
# list + get design reads one item per call: L1-L2 fit the budget on v1, L3 does not, and
# on v2 its plan is still longer than L2's (else the ladder would not keep it)
CATEGORY, SEED, INDEX = "flight_routes", 0, 5
CAT: Any = get_category(CATEGORY)


@pytest.fixture(scope="module")
def world() -> Any:
    return CAT.composed(SEED, INDEX)


def _db(draft: Any) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.deserialize(draft.db_bytes)
    conn.row_factory = sqlite3.Row
    return conn


def test_the_level_over_the_budget_uses_v2_with_the_batch_lookup(world: Any) -> None:
    draft, design, _, ladder = world
    assert design.shape == "list_get"
    batch = design.names["get_many"]
    assert draft.provenance["toolsets"] == {
        "1": "read", "2": {"added": batch, "role": "get_many"}, "3": "write",
    }  # fmt: skip
    v1, v2, v3 = draft.toolsets
    assert batch not in {t.name for t in v1.tools}
    assert [t.name for t in v2.tools] == [*(t.name for t in v1.tools), batch]
    assert v2.source.startswith(v1.source) and v3.source.startswith(v2.source)
    assert not any(t.mutates for t in v2.tools) and any(t.mutates for t in v3.tools)
    assert [t.toolset_version for t in draft.tasks] == [1, 1, 2, 2, 3]
    conn = _db(draft)
    on_v1 = {lvl: codegen.plan_calls(CAT.decl, design, c, conn) for lvl, c in ladder.items()}
    # L1 and L2 fit on v1; L3 is the first level over the budget there: the tool is added
    assert on_v1[1] <= CALL_BUDGET and on_v1[2] <= CALL_BUDGET < on_v1[3]
    # and each level's plan on its own version is longer than the level below's
    calls = [t.metadata["plan_calls"] for t in draft.tasks]
    assert calls == sorted(set(calls)), calls
    for t in draft.tasks:
        assert t.metadata["toolset_version"] == t.toolset_version
        uses = f"tools.{batch}(" in t.solution_source
        assert uses == (t.toolset_version >= 2), t.level
        assert t.metadata["tools_added"] == ([batch] if uses else [])
        assert t.metadata["plan_calls"] <= CALL_BUDGET


@pytest.mark.slow
def test_v1_levels_pass_on_v1_and_the_v2_reference_fails_on_v1(world: Any) -> None:
    draft, design, _, ladder = world
    outcomes = check_environment_draft(draft, backend="local")
    for out, t in zip(outcomes, draft.tasks, strict=True):
        ref = out.reference_verdict
        assert ref is not None and ref.passed, out.reason
        # the counter is the reference's real call count
        assert len(ref.details["tool_calls"]) == t.metadata["plan_calls"], t.level
    assert outcomes[0].accepted and outcomes[1].accepted
    envs = [o.task.env_id for o in outcomes]
    assert envs[0] == envs[1] != envs[2] == envs[3] != envs[4]
    # L3's reference (which uses the batch lookup) put on v1: it fails there
    l3 = draft.tasks[2]
    moved = dataclasses.replace(draft, tasks=(dataclasses.replace(l3, toolset_version=1),))
    (out,) = check_environment_draft(moved, backend="local")
    ref = out.reference_verdict
    assert not out.accepted and ref is not None and not ref.passed
    assert design.names["get_many"] in f"{ref.reason} {ref.details}", ref.reason
    # and L3 written for v1 (one get per item) runs there, over the budget
    keys, _ = answer_keys(design, ladder[3])
    slow = codegen.solution(CAT.decl, design, ladder[3], keys)
    on_v1 = dataclasses.replace(
        draft, tasks=(dataclasses.replace(l3, toolset_version=1, solution_source=slow),)
    )
    (out,) = check_environment_draft(on_v1, backend="local")
    ref = out.reference_verdict
    assert ref is not None and ref.passed
    assert len(ref.details["tool_calls"]) > CALL_BUDGET


def test_only_list_get_designs_add_the_tool() -> None:
    seen = {}
    for i in range(12):
        d = CAT.build(SEED, i)
        shape = d.provenance["design"]["shape"]
        seen[i] = (shape, len(d.toolsets))
        if len(d.toolsets) == 3:
            assert shape in codegen.ADDABLE
    assert seen[INDEX] == ("list_get", 3)
    assert any(n == 2 for _, n in seen.values())


def test_a_level_made_easier_by_the_added_tool_is_not_a_harder_level(world: Any) -> None:
    draft, design, _, ladder = world
    conn = _db(draft)
    batch = ("get_many",)
    on_v2 = codegen.plan_calls(CAT.decl, design, ladder[3], conn, batch)
    # L3 needs the batch lookup; with it, it is a harder level only above a shorter plan
    assert step(CAT.decl, design, ladder[3], conn, ((), on_v2 - 1)) == (batch, on_v2)
    assert step(CAT.decl, design, ladder[3], conn, ((), on_v2)) is None
    assert step(CAT.decl, design, ladder[1], conn, GROUND) is not None
    # a ladder whose levels do not rise is refused, not placed
    swapped = {**ladder, 1: ladder[2], 2: ladder[1]}
    with pytest.raises(NoComposition, match="not longer"):
        toolset_plan(CAT.decl, design, swapped, conn)
    assert toolset_plan(CAT.decl, design, ladder, conn)[0] == batch
