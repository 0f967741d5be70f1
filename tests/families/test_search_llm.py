"""The search family's LLM driver against the scripted OpenAI-compatible server.

The construction, verification and answerer agents talk to a real HTTP server on
127.0.0.1 that replays a script; their ``search`` / ``open_page`` calls run against a real
JSONL corpus index (or the offline graph), and every check after the agents is the
pipeline's own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from envfoundry.cli import app
from envfoundry.config import load_settings
from envfoundry.errors import ConfigError
from envfoundry.families.search import FAMILY, SearchFamilyConfig, SearchWorker
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.generators.search.llm_sources import PagePicker
from envfoundry.models import RejectionCategory, TaskStatus
from envfoundry.verifiers.answers import AnswerKey

PAGES = [
    {
        "id": "town/marrow",
        "title": "Marrow Bay",
        "text": "Marrow Bay is a fishing village.\nCountry: Veloria\nPopulation: 812\n"
        "Lighthouse: Old Kessel Light",
        "links": ["light/kessel", "country/veloria"],
    },
    {
        "id": "light/kessel",
        "title": "Old Kessel Light",
        "text": "Old Kessel Light is a coastal beacon.\nBuilt: 1871\nDesigner: Ada Frint",
        "links": ["person/frint", "town/marrow"],
    },
    {
        "id": "person/frint",
        "title": "Ada Frint",
        "text": "Ada Frint was an engineer.\nBorn in: Quillon",
        "links": ["light/kessel", "country/veloria"],
    },
    {
        "id": "country/veloria",
        "title": "Veloria",
        "text": "Veloria is a country.\nCapital: Quillon\nPopulation: 2,104,000",
        "links": ["town/marrow", "person/frint"],
    },
    {
        "id": "town/quillon",
        "title": "Quillon",
        "text": "Quillon is the capital of Veloria.\nCountry: Veloria\nPopulation: 90,412",
        "links": ["country/veloria"],
    },
]
QUESTION = "Who designed the lighthouse of the fishing village in Veloria with a population of 812?"
QA = {
    "question": QUESTION,
    "answer": "Ada Frint",
    "answer_form": "name",
    "aliases": ["A. Frint"],
    "constraints": ["in Veloria", "population 812"],
    "evidence": [
        {"page_id": "town/marrow", "facts": ["Population: 812", "Lighthouse: Old Kessel Light"]},
        {"page_id": "light/kessel", "facts": ["Designer: Ada Frint"]},
    ],
}


def _call(name: str, **args: Any) -> dict[str, Any]:
    return {"name": name, "arguments": args}


def _script(qa: dict[str, Any], answers: tuple[str, str], verdict: str = "correct") -> list[Any]:
    """Construction (two opens, then the QA JSON), one verification pass, two answerers."""
    return [
        {"reply": {"tool_calls": [_call("search", query="Marrow Bay lighthouse")]}},
        {
            "reply": {
                "tool_calls": [
                    _call("open_page", page_id="town/marrow"),
                    _call("open_page", page_id="light/kessel"),
                ]
            }
        },
        {"reply": {"content": "```json\n" + json.dumps(qa) + "\n```"}},
        {"reply": {"tool_calls": [_call("open_page", page_id="light/kessel")]}},
        {
            "reply": {
                "content": json.dumps({"verdict": verdict, "answer": "Ada Frint", "reason": "page"})
            }
        },
        {"reply": {"content": json.dumps({"answer": answers[0]})}},
        {"reply": {"tool_calls": [_call("search", query="Veloria village 812")]}},
        {"reply": {"content": f"I think it is:\n{answers[1]}"}},
    ]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path) -> Path:
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "local")
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAGES))
    return path


def _worker(
    srv: FakeLLMServer, corpus: Path, monkeypatch: pytest.MonkeyPatch, language: str = "en"
) -> SearchWorker:
    monkeypatch.setenv("ENVFOUNDRY_LLM_BASE_URL", srv.base_url)
    monkeypatch.setenv("ENVFOUNDRY_LLM_MODEL", srv.model)
    cfg = SearchFamilyConfig(driver="llm", corpus=str(corpus), languages=(language,), tasks=1)
    assert FAMILY.check_config(cfg, load_settings()) == []
    return SearchWorker(cfg, 0, load_settings())


def test_accepted_through_the_worker_with_evidence_and_failed_candidates(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeLLMServer(_script(QA, ("Marrow Bay", "Old Kessel Light"))) as srv:
        worker = _worker(srv, corpus, monkeypatch)
        proposal = worker.propose(FAMILY.plan(worker.cfg, 0, None)[0])
        (outcome,) = worker.accept(proposal, "r")
        worker.close()
        # the agents used the corpus through the tools: results went back to the model
        tool_msgs = [m for r in srv.requests for m in r["messages"] if m["role"] == "tool"]
        assert any('"title": "Old Kessel Light"' in m["content"] for m in tool_msgs)
    assert outcome.status is TaskStatus.accepted, outcome.reason
    task = outcome.task
    record = task.provenance["search_task"]
    assert record["plan"] is None and record["depth"] == 1 and record["breadth"] == 2
    assert [s["page_id"] for s in record["evidence"]] == ["town/marrow", "light/kessel"]
    strategies = {c["strategy"]: c["answer"] for c in record["candidates"]}
    assert strategies["llm:t=0,steps=8"] == "Marrow Bay"
    assert strategies["llm:t=0.8,steps=16"] == "Old Kessel Light"
    assert strategies["one_hop_short"] == "Marrow Bay"  # town page has no Designer line
    assert "top_search_hit" in strategies
    llm = task.provenance["search_llm"]
    assert llm["driver"] == "llm" and llm["constraints"] == QA["constraints"]
    assert llm["verification"] == ["correct: page"]
    labels = {a.label: a.verdict.passed for a in outcome.attempts}
    assert labels["reference"] and not labels["control:candidate:llm:t=0,steps=8"]
    assert task.category == "jsonl"


def test_a_chinese_question_over_the_same_corpus(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qa = {**QA, "question": "韦洛里亚那个人口为812的渔村的灯塔是谁设计的？", "aliases": ["弗林特"]}
    with FakeLLMServer(_script(qa, ("Marrow Bay", "Old Kessel Light"))) as srv:
        worker = _worker(srv, corpus, monkeypatch, "zh")
        (outcome,) = worker.accept(worker.propose(FAMILY.plan(worker.cfg, 0, None)[0]), "r")
        system = srv.requests[0]["messages"][0]["content"]
    assert "Write the question in Chinese" in system
    assert outcome.status is TaskStatus.accepted, outcome.reason
    record = outcome.task.provenance["search_task"]
    assert record["language"] == "zh"
    assert FAMILY.verify(None, None, outcome.task, "弗林特").passed
    # only "812" of the Chinese question is a term of this English corpus: the village
    assert {c["strategy"]: c["answer"] for c in record["candidates"]}["top_search_hit"] == (
        "Marrow Bay"
    )


def test_an_llm_answerer_that_gets_it_right_drops_the_task(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the second answerer says "A. Frint": an alias, so right
    with FakeLLMServer(_script(QA, ("Marrow Bay", "A. Frint"))) as srv:
        worker = _worker(srv, corpus, monkeypatch)
        (outcome,) = worker.accept(worker.propose(FAMILY.plan(worker.cfg, 0, None)[0]), "r")
    assert outcome.status is TaskStatus.rejected
    assert outcome.rejection is RejectionCategory.too_easy
    assert outcome.reason == "candidates: candidate llm:t=0.8,steps=16 answers correctly"
    (attempt,) = outcome.attempts
    assert attempt.label == "control:candidate:llm:t=0.8,steps=16" and attempt.verdict.passed


@pytest.mark.parametrize(
    ("change", "verdict", "stage"),
    [
        (
            {
                "evidence": [
                    QA["evidence"][0],
                    {"page_id": "light/kessel", "facts": ["Built: 1872"]},
                ]
            },
            "correct",
            "verify: page light/kessel does not state 'Built: 1872'",
        ),
        (
            {"evidence": [QA["evidence"][0], {"page_id": "person/frint", "facts": ["Ada Frint"]}]},
            "correct",
            "verify: evidence page person/frint was never opened",
        ),
        (
            {"question": "Who designed the lighthouse Ada Frint built in Veloria?"},
            "correct",
            "construct: the question spells out the answer",
        ),
        ({}, "ambiguous", "unique: verification pass 1: the verification agent finds several"),
        (
            {"question": "谁设计了韦洛里亚那个人口为812的渔村的灯塔？"},
            "correct",
            "construct: the question is not in English",
        ),
    ],
)
def test_drafts_that_break_the_checks_are_dropped_with_their_reason(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any], verdict: str, stage: str
) -> None:
    with FakeLLMServer(_script({**QA, **change}, ("x", "y"), verdict)) as srv:
        worker = _worker(srv, corpus, monkeypatch)
        (outcome,) = worker.accept(worker.propose(FAMILY.plan(worker.cfg, 0, None)[0]), "r")
    assert outcome.status is TaskStatus.rejected
    assert outcome.reason.startswith(stage), outcome.reason


def test_config_errors_before_orchestration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENVFOUNDRY_LLM_BASE_URL", raising=False)
    settings = load_settings()
    problems = FAMILY.check_config(
        SearchFamilyConfig(corpus=str(tmp_path / "missing.jsonl")), settings
    )
    assert any("procedural driver builds questions from the offline" in p for p in problems)
    assert any("does not exist" in p for p in problems)
    llm = FAMILY.check_config(
        SearchFamilyConfig(driver="llm", web={"endpoint": "http://127.0.0.1:9/s"}), settings
    )
    assert any("need seed_pages" in p for p in llm) and any("LLM endpoint" in p for p in llm)


def test_long_tail_page_picker_prefers_pages_few_link_to() -> None:
    import random

    from envfoundry.envs.search.source import Page

    picker = PagePicker.by_inbound_links([Page.model_validate(p) for p in PAGES], tail=4.0)
    assert picker.ranked[-1] == "town/quillon"  # nothing links to it
    rng = random.Random("0:0")
    draws = [picker.pick(rng) for _ in range(400)]
    assert draws.count("town/quillon") > draws.count("light/kessel")
    assert AnswerKey(form="name", value="x")  # the key type the driver builds


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_readme_example_is_this_script_and_corpus() -> None:
    script = json.loads((EXAMPLES / "llm_fake_search.json").read_text())
    assert script["steps"] == _script(QA, ("Marrow Bay", "Old Kessel Light"))
    lines = (EXAMPLES / "search_pages.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == PAGES


@pytest.mark.slow
def test_run_with_the_llm_driver_over_a_jsonl_corpus(corpus: Path) -> None:
    script = EXAMPLES / "llm_fake_search.json"
    args = [
        "run",
        "--families",
        "search",
        "--llm-fake",
        str(script),
        "--search-corpus",
        str(corpus),
        "--search-tasks",
        "1",
        "--search-languages",
        "en",
        "--json",
    ]
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    fam = json.loads(res.stdout)["families"]["search"]
    assert fam["accepted"] == 1, fam

    listed = CliRunner().invoke(app, ["tasks", "list", "--family", "search", "--json"])
    (row,) = json.loads(listed.stdout)
    shown = json.loads(CliRunner().invoke(app, ["tasks", "show", row["id"], "--json"]).stdout)
    assert [s["page_id"] for s in shown["provenance"]["search_task"]["evidence"]] == [
        "town/marrow",
        "light/kessel",
    ]
    assert any(a["label"] == "control:candidate:llm:t=0,steps=8" for a in shown["attempts"])
    human = CliRunner().invoke(app, ["tasks", "show", row["id"]]).stdout
    assert (
        "evidence chain" in human and "1. light/kessel (Old Kessel Light): Designer: Ada" in human
    )
    assert "llm:t=0,steps=8: Marrow Bay" in human and "verification: correct: page" in human

    # the reference walks the evidence again over this machine's index of the corpus
    ok = CliRunner().invoke(app, ["verify", row["id"], "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["passed"]

    # an episode over the JSONL corpus through the one runtime
    from envfoundry.runtime.episodes import Runtime

    with Runtime.from_settings(load_settings()) as runtime:
        ep = runtime.open(row["id"])
        page = ep.call("open_page", {"page_id": "light/kessel"})
        assert "Designer: Ada Frint" in json.dumps(page)
        assert ep.submit("ada frint").reward == 1.0


# ----------------------------------------------------------------- over the offline graph


def _graph_qa(related: bool) -> tuple[dict[str, Any], list[str]]:
    """A QA pair over the real offline graph: an airport, then the city it serves (or,
    with ``related`` false, a city it has nothing to do with)."""
    from envfoundry.generators.search import search_context
    from tests.search_corpus import shared_search_dir

    ctx = search_context(SearchFamilyConfig(data_dir=str(shared_search_dir())))
    graph = ctx.graph
    airport = next(
        a
        for a in sorted(graph.of_type("airport"), key=lambda e: e.id)
        if a.attrs.get("icao")
        and graph.get(a.rels.get("city", "")) is not None
        and graph[a.rels["city"]].name_zh
    )
    city = graph[airport.rels["city"]]
    if not related:
        city = next(
            c
            for c in sorted(graph.of_type("city"), key=lambda e: e.id)
            if c.id != city.id
            and c.id not in airport.rels.values()
            and airport.id not in c.rels.values()
        )
    pages = [ctx.source.open_page(airport.id), ctx.source.open_page(city.id)]
    facts = [[line for line in p.text.split("\n")[1:] if ": " in line][:1] for p in pages]
    qa = {
        "question": f"Which city does the airport with the ICAO code {airport.attrs['icao']} serve?",
        "answer": city.name,
        "answer_form": "name",
        "constraints": ["ICAO code"],
        "evidence": [{"page_id": p.id, "facts": f} for p, f in zip(pages, facts, strict=True)],
    }
    return qa, [p.id for p in pages]


def _graph_city(city_id: str) -> Any:
    from envfoundry.generators.search import search_context
    from tests.search_corpus import shared_search_dir

    return search_context(SearchFamilyConfig(data_dir=str(shared_search_dir()))).graph[city_id]


def _graph_script(qa: dict[str, Any], ids: list[str]) -> list[Any]:
    script = _script(qa, ("Nowhere", "Atlantis"))
    script[1] = {"reply": {"tool_calls": [_call("open_page", page_id=i) for i in ids]}}
    script[3] = {"reply": {"tool_calls": [_call("open_page", page_id=ids[-1])]}}
    script[4] = {"reply": {"content": json.dumps({"verdict": "correct", "answer": qa["answer"]})}}
    return script


@pytest.mark.parametrize("related", [True, False])
def test_over_the_offline_graph_the_chain_is_rederived_from_it(
    related: bool, monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path
) -> None:
    from tests.search_corpus import shared_search_dir

    qa, ids = _graph_qa(related)
    with FakeLLMServer(_graph_script(qa, ids)) as srv:
        monkeypatch.setenv("ENVFOUNDRY_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("ENVFOUNDRY_LLM_MODEL", srv.model)
        cfg = SearchFamilyConfig(
            driver="llm", data_dir=str(shared_search_dir()), languages=("en",), tasks=1
        )
        worker = SearchWorker(cfg, 0, load_settings())
        (outcome,) = worker.accept(worker.propose(FAMILY.plan(cfg, 0, None)[0]), "r")
        worker.close()
    if related:
        assert outcome.status is TaskStatus.accepted, outcome.reason
        # the city's Chinese name is accepted too: the graph's names go into the key
        city = _graph_city(ids[-1])
        assert city.name_zh and city.name_zh != city.name
        assert FAMILY.verify(None, None, outcome.task, city.name_zh).passed
        assert outcome.task.category == "offline-kg"
        assert outcome.task.provenance["search_llm"]["anchor"].split("/")[0] in {
            "city",
            "airport",
            "subdivision",
            "country",
            "language",
        }  # a long-tail draw from the graph's sampler
    else:
        assert outcome.status is TaskStatus.rejected
        assert outcome.reason == f"verify: knowledge graph: {ids[0]} and {ids[1]} are not related"


def test_llm_judge_and_several_verification_passes(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the judge on, an answer the matcher rejects ("Mrs Frint") but the judge calls the
    same drops the task (the judge is asked once per distinct answer); the second verification pass runs its own agent."""
    script = _script(QA, ("Marrow Bay", "Mrs Frint"))
    second_pass = script[3:5]
    script[5:5] = second_pass
    judge = [
        {"reply": {"content": json.dumps({"equivalent": False, "reason": "a village"})}},
        {"reply": {"content": json.dumps({"equivalent": True, "reason": "surname"})}},
    ]
    with FakeLLMServer(script + judge) as srv:
        monkeypatch.setenv("ENVFOUNDRY_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("ENVFOUNDRY_LLM_MODEL", srv.model)
        cfg = SearchFamilyConfig(
            driver="llm",
            corpus=str(corpus),
            languages=("en",),
            llm={"judge": True, "verify_passes": 2},
        )
        worker = SearchWorker(cfg, 0, load_settings())
        (outcome,) = worker.accept(worker.propose(FAMILY.plan(cfg, 0, None)[0]), "r")
        asked = [r for r in srv.requests if "Candidate answer" in str(r["messages"])]
    assert len(srv.requests) == len(script) + len(judge)  # every scripted step was used
    assert [json.dumps(r["messages"]).count("Candidate answer: ") for r in asked] == [1, 1]
    assert outcome.status is TaskStatus.rejected
    assert outcome.reason == (
        "candidates: candidate llm:t=0.8,steps=16 answers correctly (LLM judge: same meaning)"
    )
    (attempt,) = outcome.attempts  # the winning candidate, passing by the judge's ruling
    assert attempt.answer == "Mrs Frint" and attempt.verdict.passed


def test_run_refuses_a_bad_search_source_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path
) -> None:
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "local")
    args = ["run", "--families", "search", "--search-corpus", str(tmp_path / "no.jsonl"), "--json"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code != 0
    assert isinstance(res.exception, ConfigError)  # the CLI's error boundary makes it one line
    assert "procedural driver builds questions from the offline knowledge graph" in str(
        res.exception
    )
    assert "no.jsonl does not exist" in str(res.exception)
    assert not (_isolated_data_dir / "search").exists()  # nothing was built


@pytest.mark.parametrize("llm_right", [False, True])
def test_procedural_questions_screened_by_the_verification_agent_and_llm_answerers(
    llm_right: bool, monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path
) -> None:
    from envfoundry.generators.search import SearchTask, propose, search_context
    from tests.search_corpus import shared_search_dir

    cfg = SearchFamilyConfig(
        data_dir=str(shared_search_dir()), languages=("en",), llm_screen=True, tasks=40
    )
    ctx = search_context(cfg)
    index = next(i for i in range(40) if isinstance(propose(0, i, cfg, ctx), SearchTask))
    task = propose(0, index, cfg, ctx)
    assert isinstance(task, SearchTask)
    gold = str(task.answer.value)
    script = [
        {"reply": {"tool_calls": [_call("open_page", page_id=task.evidence[-1].page_id)]}},
        {"reply": {"content": json.dumps({"verdict": "correct", "answer": gold})}},
        {"reply": {"content": json.dumps({"answer": gold if llm_right else "Atlantis"})}},
        {"reply": {"content": json.dumps({"answer": "Lemuria"})}},
    ]
    with FakeLLMServer(script) as srv:
        monkeypatch.setenv("ENVFOUNDRY_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("ENVFOUNDRY_LLM_MODEL", srv.model)
        assert FAMILY.uses_llm(cfg) and FAMILY.check_config(cfg, load_settings()) == []
        worker = SearchWorker(cfg, 0, load_settings())
        item = next(w for w in FAMILY.plan(cfg, 0, None) if w.index == index)
        (outcome,) = worker.accept(worker.propose(item), "r")
        worker.close()
        # the verification agent was shown the question and the procedural answer
        assert task.question in json.dumps(srv.requests[0]["messages"], ensure_ascii=False)
    if llm_right:
        assert outcome.status is TaskStatus.rejected
        assert outcome.reason == "candidates: candidate llm:t=0,steps=8 answers correctly"
        assert outcome.task.provenance["search_rejection"]["plan"] == task.plan.model_dump(
            mode="json"
        )
    else:
        assert outcome.status is TaskStatus.accepted, outcome.reason
        record = outcome.task.provenance["search_task"]
        llm = {c["strategy"]: c["answer"] for c in record["candidates"] if "llm" in c["strategy"]}
        assert llm == {"llm:t=0,steps=8": "Atlantis", "llm:t=0.8,steps=16": "Lemuria"}
        assert len(record["candidates"]) == len(task.candidates) + 2
        assert outcome.task.provenance["search_llm"]["verification"] == ["correct"]


def test_search_web_sets_the_endpoint_and_keeps_the_configured_table(tmp_path: Path) -> None:
    from envfoundry.flows.config import load_pipeline_config

    config = tmp_path / "pipeline.toml"
    config.write_text(
        '[pipeline.search]\ndriver = "llm"\nseed_pages = ["http://h/p"]\n'
        '[pipeline.search.web]\nendpoint = "http://old/s"\nresults_path = "web.results"\n'
    )
    overrides = {"search": {"web_endpoint": "http://new/s", "corpus": None}}
    cfg = load_pipeline_config(config, families=["search"], family_overrides=overrides)
    search = cfg.family_config("search")
    assert isinstance(search, SearchFamilyConfig) and search.web is not None
    assert (search.web.endpoint, search.web.results_path) == ("http://new/s", "web.results")
    assert SearchFamilyConfig(web_endpoint=None).web is None
