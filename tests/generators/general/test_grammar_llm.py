"""The LLM proposes within the grammar, against the scripted OpenAI-compatible server: a
schema-valid, sound proposal becomes an accepted task; a broken one is repaired or
rejected with its reason; an unsound one is rejected. The LLM driver proposes each level
of a grammar category's ladder, down to ``envfoundry run --llm-fake``."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from envfoundry.cli.common import open_store
from envfoundry.config import load_settings
from envfoundry.errors import GenerationError
from envfoundry.generators.general.categories.sandbox._grammar import query
from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.grammar.compose import Cond
from envfoundry.generators.general.grammar.ladder import NoComposition, Sampler
from envfoundry.generators.general.grammar.llm import proposal_of, propose_task
from envfoundry.generators.general.llm_driver import LLMDriver
from envfoundry.generators.general.procedural import get_category
from envfoundry.generators.llm import LLMClient
from envfoundry.generators.llm.testserver import FakeLLMServer
from tests.conftest import ROOT

CATALOG: Any = get_category("airport_slots")


def reply(value: Any) -> dict[str, Any]:
    text = value if isinstance(value, str) else json.dumps(value)
    return {"reply": {"content": text, "reasoning_content": None}}


@pytest.fixture
def server() -> Any:
    with FakeLLMServer() as s:
        yield s


def _sampler(seed: int, index: int, rng: int) -> Sampler:
    draft, design, owners = CATALOG.world(seed, index)
    conn = sqlite3.connect(":memory:")
    conn.deserialize(draft.db_bytes)
    conn.row_factory = sqlite3.Row
    return Sampler(random.Random(rng), CATALOG.decl, design, conn, owners)


def _sampled(seed: int, index: int, level: int, **change: Any) -> dict[str, Any]:
    """A composition the engine itself would sample on this environment (with ``change``,
    when that is still sound there), as a proposal."""
    for rng in range(20):
        try:
            c = _sampler(seed, index, rng).ladder()[level]
        except NoComposition:
            continue
        changed = replace(c, **change)
        if not change or _sampler(seed, index, 0)._sound(changed):
            return proposal_of(changed)
    raise AssertionError("no sampled composition fits")


def test_a_sound_proposal_becomes_an_accepted_task(server: Any) -> None:
    proposal = _sampled(2, 3, 4, k=2)  # a new combination: the top 2 instead of 3
    server.add(reply(proposal))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    draft = propose_task(client, CATALOG, 2, 3)
    (task,) = draft.tasks
    assert task.metadata["proposed_by"] == "llm"
    assert "ordering" in task.metadata["constraints"]
    props = task.answer_schema["properties"]
    assert next(v for k, v in props.items() if k.endswith("_ids"))["maxItems"] == 2
    schema = server.requests[0]["messages"][0]["content"]
    assert "JSON Schema" in schema
    (out,) = check_environment_draft(draft, backend="local")
    assert out.accepted, out.reason


def test_an_off_schema_proposal_is_repaired_then_rejected(server: Any) -> None:
    proposal = _sampled(2, 3, 2)
    bad = {**proposal, "where": [{"attr": "runway_colour", "op": "eq", "value": "red"}]}
    server.add(reply(bad), reply("no JSON at all"))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    with pytest.raises(GenerationError, match="proposal rejected"):
        propose_task(client, CATALOG, 2, 3, max_repairs=1)
    assert len(server.requests) == 2  # one repair turn, then the rejection


def test_an_unsound_proposal_is_rejected_with_its_reason(server: Any) -> None:
    proposal = _sampled(2, 3, 3)
    # a duplicated condition does not change the answer: not every constraint matters
    proposal["where"] = [*proposal["where"], proposal["where"][0]]
    server.add(reply(proposal))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    with pytest.raises(GenerationError, match=r"not sound.*does not change the answer"):
        propose_task(client, CATALOG, 2, 3)


def test_an_incoherent_condition_is_rejected(server: Any) -> None:
    proposal = _sampled(2, 3, 2)
    proposal["where"] = [{"attr": "elevation", "op": "eq", "value": "high"}]
    server.add(reply(proposal))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    with pytest.raises(GenerationError, match="eq / ne compare categorical text"):
        propose_task(client, CATALOG, 2, 3, max_repairs=0)


# ------------------------------------------------------------------ new constraint kinds


def _with_new_op(op: str) -> dict[str, Any]:
    """A sampled level of environment (2, 3) (L2 first) with one condition turned into
    ``op``, or one ``op`` condition added (``ne`` on categorical text, ``between`` on a
    rankable number), where that is sound there."""
    sampler = _sampler(2, 3, 0)
    decl = CATALOG.decl
    ladders = []
    for rng in range(20):
        try:
            ladders.append(_sampler(2, 3, rng).ladder())
        except NoComposition:
            continue

    def conds(attr: str) -> list[Cond]:
        a = decl.item.attr(attr)
        values = sorted({r[attr] for r in sampler.items if r.get(attr) is not None})
        if op == "ne" and a.categorical:
            return [Cond(attr, "ne", v) for v in values]
        if op == "between" and a.rank:
            return [
                Cond(attr, "between", (lo, hi))
                for i, lo in enumerate(values)
                for hi in values[i + 1 :: 3]
            ]
        return []

    for c in (ladder[level] for level in (2, 1, 3, 4) for ladder in ladders):
        variants = [
            (*c.where[:k], new, *c.where[k + 1 :])
            for k, x in enumerate(c.where)
            for new in conds(x.attr)
        ]
        variants += [(*c.where, new) for attr in sampler.d.item.attrs for new in conds(attr)]
        for where in variants:
            changed = replace(c, where=where)
            if sampler.unsound(changed) is None:
                return proposal_of(changed)
    raise AssertionError(f"no sound {op} variant")


@pytest.mark.parametrize("op", ["ne", "between"])
def test_a_new_constraint_kind_becomes_an_accepted_task(server: Any, op: str) -> None:
    proposal = _with_new_op(op)
    server.add(reply(proposal))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    draft = propose_task(client, CATALOG, 2, 3)
    (task,) = draft.tasks
    assert f"filter:{op}" in task.metadata["constraints"]
    words = {"ne": ("not", "other than", "except"), "between": ("between", "from", "no lower")}
    assert any(w in task.prompt for w in words[op]), task.prompt
    (out,) = check_environment_draft(draft, backend="local")
    assert out.accepted, out.reason


def test_the_new_operators_mean_what_the_solution_tests() -> None:
    row = {"grade": "Analytical", "price": 40}
    assert query._holds(row, ["grade", "ne", "technical"])
    assert not query._holds(row, ["grade", "ne", "ANALYTICAL"])
    assert not query._holds({"grade": None}, ["grade", "ne", "technical"])
    assert query._holds(row, ["price", "between", (40, 50)])
    assert query._holds(row, ["price", "between", (30, 40)])
    assert not query._holds(row, ["price", "between", (41, 50)])


def test_an_inverted_between_is_rejected(server: Any) -> None:
    proposal = _with_new_op("between")
    cond = next(x for x in proposal["where"] if x["op"] == "between")
    cond["value"] = cond["value"][::-1]
    server.add(reply(proposal))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    with pytest.raises(GenerationError, match="low bound comes first"):
        propose_task(client, CATALOG, 2, 3, max_repairs=0)


# ------------------------------------------------------------------ the LLM driver's ladder

GRAMMAR_SCRIPT = ROOT / "examples" / "llm_fake_grammar.json"


def _driver(server: Any) -> LLMDriver:
    # a grammar category needs no synthesis sandbox: the engine draws the environment
    return LLMDriver(LLMClient(server.base_url, "fake-model", max_retries=0), backend=None)


def test_the_llm_driver_proposes_each_level_of_a_grammar_ladder(server: Any) -> None:
    server.add(*json.loads(GRAMMAR_SCRIPT.read_text())["steps"])
    draft = _driver(server).propose("airport_slots", 0)
    sampled = CATALOG.build(0, 0)
    by = [t.metadata["proposed_by"] for t in draft.tasks]
    assert by == ["llm", "llm", "sampler", "llm", "llm"]
    assert draft.provenance["proposals"] == {"accepted": 4, "rejected": 1}
    l1, l2, l3, l4, l5 = draft.tasks
    # the model's compositions, not the sampler's: a count, a sum, a top 4, another owner
    assert "aggregate:count" in l1.metadata["constraints"]
    assert "aggregate:sum" in l2.metadata["constraints"]
    props = l4.answer_schema["properties"]
    assert next(v for k, v in props.items() if k.endswith("_ids"))["maxItems"] == 4
    assert "Ellen Floyd" in l5.prompt and "Ellen Floyd" not in sampled.tasks[4].prompt
    # L2's cut-off JSON was sent back once: six requests for five levels
    assert len(server.requests) == 6
    repair = server.requests[2]["messages"]
    assert repair[1]["role"] == "assistant" and "not valid JSON" in repair[-1]["content"]
    # L3's proposal was unsound: the level keeps the sampled task and says why
    assert "does not change the answer" in l3.metadata["proposal_rejected"]
    assert (l3.prompt, l3.solution_source) == (
        sampled.tasks[2].prompt,
        sampled.tasks[2].solution_source,
    )
    outcomes = check_environment_draft(draft, backend="local")
    assert [o.accepted for o in outcomes] == [True] * 5, [o.reason for o in outcomes]


def test_a_proposal_off_its_levels_shape_falls_back(server: Any) -> None:
    _, _, _, ladder = CATALOG.composed(0, 0)
    two = proposal_of(ladder[2])  # sound here, but of level 2's shape
    server.add(reply(two), reply(two), *(reply(proposal_of(ladder[n])) for n in (2, 3, 4, 5)))
    draft = _driver(server).propose("airport_slots", 0)
    l1 = draft.tasks[0]
    assert l1.metadata["proposed_by"] == "sampler"
    assert "proposal rejected" in l1.metadata["proposal_rejected"]
    assert [t.metadata["proposed_by"] for t in draft.tasks[1:]] == ["llm"] * 4
    assert len(server.requests) == 6  # level 1: the proposal and its one repair


def test_run_with_llm_fake_proposes_compositions(_isolated_data_dir: Path) -> None:
    env = {**os.environ, "ENVFOUNDRY_SANDBOX_BACKEND": "local"}
    env["PREFECT_HOME"] = str(_isolated_data_dir.parent / "prefect")
    res = subprocess.run(
        [sys.executable, "-m", "envfoundry.cli", "run", "--json", "--llm-fake",
         str(GRAMMAR_SCRIPT), "--families", "general", "--categories", "airport_slots",
         "--environments", "1"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    general = json.loads(res.stdout)["families"]["general"]
    assert general["accepted"] == 5, general
    store = open_store(load_settings())
    try:
        tasks = sorted(store.list_tasks(), key=lambda r: r.spec.difficulty)
    finally:
        store.close()
    prov = [t.spec.provenance for t in tasks]
    assert [p["proposed_by"] for p in prov] == ["llm", "llm", "sampler", "llm", "llm"]
    assert all(t.status.value == "accepted" for t in tasks)
    assert prov[0]["proposals"] == {"accepted": 4, "rejected": 1}
    assert prov[0]["model"] == "fake-grammar-proposer"
    assert "not sound" in prov[2]["proposal_rejected"]
