"""Search family: config, determinism, acceptance at every depth and language, drops."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from envfoundry.generators.search import (
    Funnel,
    Rejection,
    SearchConfig,
    SearchTask,
    assess,
    environment_spec,
    judge,
    propose,
    rejected_task_spec,
    search_context,
    to_task_spec,
)
from envfoundry.generators.search.construct import answer_key, evidence_chain
from envfoundry.generators.search.sampling import LongTailSampler
from envfoundry.generators.search.spec import Constraint, EvidenceStep, QuestionPlan
from envfoundry.generators.search.verify import verify_plan
from envfoundry.ids import canonical_json
from tests.search_corpus import shared_search_dir

ROOT = Path(__file__).resolve().parents[3]


def _cfg(**kw: object) -> SearchConfig:
    return SearchConfig(data_dir=str(shared_search_dir()), **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    return search_context(_cfg())


@pytest.mark.parametrize(
    "bad",
    [
        {"depths": (0,)},
        {"depths": (5,)},
        {"depths": ()},
        {"breadths": (9,)},
        {"languages": ("fr",)},
        {"anchor_weights": {"currency": 1.0}},
        {"anchor_weights": {"city": 0.0}},
        {"tail": -1},
        {"min_city_population": 2000},
        {"surprise": 1},
    ],
)
def test_bad_config_is_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SearchConfig(**bad)  # type: ignore[arg-type]


def _dump(result: SearchTask | Rejection) -> str:
    return canonical_json(result.model_dump(mode="json"))


def test_same_seed_same_bytes_in_process_and_across_processes(ctx) -> None:  # type: ignore[no-untyped-def]
    cfg = _cfg()
    first = [_dump(propose(11, i, cfg, ctx)) for i in range(25)]
    again = [_dump(propose(11, i, cfg, ctx)) for i in reversed(range(25))][::-1]
    assert first == again
    other = [_dump(propose(12, i, cfg, ctx)) for i in range(25)]
    assert first != other
    script = (
        "import sys, json\n"
        "from envfoundry.generators.search import SearchConfig, propose\n"
        "from envfoundry.ids import canonical_json\n"
        f"cfg = SearchConfig(data_dir={str(shared_search_dir())!r})\n"
        "out = [canonical_json(propose(11, i, cfg).model_dump(mode='json')) for i in range(25)]\n"
        "sys.stdout.write(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert json.loads(proc.stdout) == first


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_accepted_tasks_at_every_depth_and_language(ctx, depth: int, language: str) -> None:  # type: ignore[no-untyped-def]
    cfg = _cfg(depths=(depth,), languages=(language,))
    task = next(
        (t for i in range(80) if isinstance(t := propose(3, i, cfg, ctx), SearchTask)), None
    )
    assert task is not None, f"no accepted task at depth {depth} ({language}) in 80 proposals"
    assert task.depth == depth and task.language == language
    assert len(task.evidence) == depth + 1 and task.breadth == len(task.plan.constraints)
    if language == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in task.question)
    else:
        assert task.question.isascii() or "²" in task.question
    # The reference scores 1, every recorded shortcut answer and the empty answer 0.
    reference = judge(task.answer.model_dump(mode="json")["value"], task)
    assert reference.passed and reference.reward == 1.0
    for cand in task.candidates:
        assert not judge(cand.answer, task).passed
    assert not judge("", task).passed
    assert {c.strategy for c in task.candidates} >= {
        "top_search_hit",
        "one_hop_short",
        "most_popular",
    }
    # Every evidence fact is a line of its page, reachable with the episode tools.
    for step in task.evidence:
        lines = ctx.source.open_page(step.page_id).text.split("\n")
        assert all(f in lines for f in step.facts)
    assert SearchTask.model_validate(json.loads(task.model_dump_json())) == task
    spec = to_task_spec(task, env_id=environment_spec(task).id)
    assert spec.family == "search" and spec.prompt == task.question


def _china_chain(ctx):  # type: ignore[no-untyped-def]
    china = ctx.graph["country/CN"]
    return (china, ctx.graph[china.rels["currency"]])


def test_non_unique_question_is_dropped(ctx) -> None:  # type: ignore[no-untyped-def]
    g = ctx.graph
    chain = (g["city/3040051"], g["country/AD"])  # les Escaldes → Andorra
    plan = QuestionPlan(
        anchor_type="city",
        constraints=(
            Constraint(kind="eq", key="timezone", value="Europe/Andorra", stated="Europe/Andorra"),
        ),
        hops=("country",),
        answer_key="alpha3",
    )
    result = assess(ctx, plan, chain, "en")
    assert isinstance(result, Rejection) and result.stage == "unique"
    assert result.details["matches"] == 2  # Andorra la Vella shares the time zone


def test_question_a_candidate_answers_is_dropped(ctx) -> None:  # type: ignore[no-untyped-def]
    china, yuan = _china_chain(ctx)
    area = china.attrs["area_km2"]
    plan = QuestionPlan(
        anchor_type="country",
        constraints=(
            Constraint(kind="rel", key="continent", value="continent/AS", stated="Asia"),
            Constraint(
                kind="range",
                key="area_km2",
                low=area - 1,
                high=area + 1,
                stated=f"{area - 1}|{area + 1}",
            ),
        ),
        hops=("currency",),
        answer_key="code",
    )
    result = assess(ctx, plan, (china, yuan), "en")
    # Unique and verified, but the most populous Asian country is the answer's country.
    assert isinstance(result, Rejection) and result.stage == "candidates"
    assert result.details["answer"] == "CNY"
    # The draft is kept, so the dropped question can be stored as a rejected task.
    assert result.question and result.answer == answer_key(yuan, "code", "en")
    spec = rejected_task_spec(result, env_id="env_x")
    assert spec is not None and spec.prompt == result.question
    assert spec.reference_answer == "CNY" and spec.answer_schema == {"type": "string"}
    assert spec.provenance["search_rejection"]["stage"] == "candidates"


def test_a_proposal_dropped_before_its_question_has_no_spec(ctx) -> None:  # type: ignore[no-untyped-def]
    early = [
        r
        for i in range(60)
        if isinstance(r := propose(5, i, _cfg(), ctx), Rejection) and r.stage == "construct"
    ]
    assert early
    for r in early:
        spec = rejected_task_spec(r, env_id="env_x")
        assert (spec is None) == (r.question is None)


def test_evidence_a_page_does_not_state_is_dropped(ctx) -> None:  # type: ignore[no-untyped-def]
    china, yuan = _china_chain(ctx)
    area = china.attrs["area_km2"]
    plan = QuestionPlan(
        anchor_type="country",
        constraints=(
            Constraint(
                kind="range",
                key="area_km2",
                low=area - 1,
                high=area + 1,
                stated=f"{area - 1}|{area + 1}",
            ),
        ),
        hops=("currency",),
        answer_key="code",
    )
    key = answer_key(yuan, "code", "en")
    evidence = evidence_chain(ctx.graph, plan, (china, yuan))
    assert verify_plan(ctx.facts, plan, key, evidence).ok
    forged = (
        evidence[0],
        EvidenceStep(page_id=yuan.id, title=yuan.name, facts=("ISO 4217 code: USD",)),
    )
    derivation = verify_plan(ctx.facts, plan, key, forged)
    assert not derivation.ok and "does not state" in derivation.reason
    wrong = answer_key(ctx.graph["currency/USD"], "code", "en")
    assert not verify_plan(ctx.facts, plan, wrong, evidence).ok


def test_funnel_counts_every_stage(ctx) -> None:  # type: ignore[no-untyped-def]
    funnel = Funnel()
    results = [propose(5, i, _cfg(), ctx) for i in range(60)]
    for r in results:
        funnel.add(r)
    stages = funnel.as_dict()["stages"]
    assert stages["proposed"] == 60
    assert stages["proposed"] >= stages["unique"] >= stages["verified"] >= stages["accepted"] > 0
    assert stages["accepted"] == sum(isinstance(r, SearchTask) for r in results)
    assert sum(funnel.as_dict()["drops"].values()) == 60 - stages["accepted"]


def test_sampler_prefers_the_long_tail(ctx) -> None:  # type: ignore[no-untyped-def]
    uniform = LongTailSampler(ctx.graph, {"city": 1.0}, tail=0.0)
    tail = LongTailSampler(ctx.graph, {"city": 1.0}, tail=2.0)
    pops_u = sorted(uniform.pick(random.Random(f"1:{i}")).popularity for i in range(400))
    pops_t = sorted(tail.pick(random.Random(f"1:{i}")).popularity for i in range(400))
    assert pops_t[200] < pops_u[200]  # a smaller median population
    a = [tail.pick(random.Random("9:1")).id for _ in range(3)]
    assert len(set(a)) == 1
