"""The search family through the seam: run, tasks show, verify, the HTTP runtime, export.

Everything is offline: the packaged knowledge graph, its FTS5 index (shared by the test
process, see ``tests/search_corpus.py``) and the local sandbox backend (the family starts
no sandbox; the flow asks for a backend all the same).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from envfoundry import families
from envfoundry.cli import app
from envfoundry.errors import GenerationError
from envfoundry.families.search import (
    FAMILY,
    SearchFamilyConfig,
    SearchJudge,
    SearchWorker,
    min_steps,
)
from envfoundry.generators.search import SearchTask
from envfoundry.models import RejectionCategory, TaskSpec, TaskStatus
from tests.search_corpus import shared_search_dir


@pytest.fixture
def search_env(monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Path) -> Path:
    """This test's data dir with the process-wide offline corpus linked in (built once)."""
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "local")
    shared = shared_search_dir() / "search"
    shared.mkdir(parents=True, exist_ok=True)
    _isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (_isolated_data_dir / "search").symlink_to(shared, target_is_directory=True)
    return _isolated_data_dir


def _cli(*args: str) -> Any:
    res = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout) if "--json" in args else res.stdout


def _cfg(**kw: Any) -> SearchFamilyConfig:
    return SearchFamilyConfig(data_dir=str(shared_search_dir()), **kw)


# ----------------------------------------------------------------- config, plan, worker


@pytest.mark.parametrize("bad", [{"tasks": -1}, {"depths": (5,)}, {"languages": ("fr",)}, {"x": 1}])
def test_bad_config_is_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        SearchFamilyConfig(**bad)


def test_plan_is_deterministic_and_capped() -> None:
    cfg = SearchFamilyConfig(tasks=5, start_index=10)
    items = FAMILY.plan(cfg, seed=3, limit=None)
    assert [i.index for i in items] == [10, 11, 12, 13, 14]
    assert {i.family for i in items} == {"search"} and FAMILY.plan(cfg, 3, None) == items
    assert len(FAMILY.plan(cfg, 3, limit=2)) == 2
    assert families.get("search") is FAMILY


def _proposals(worker: SearchWorker, n: int) -> list[TaskSpec]:
    out = []
    for item in FAMILY.plan(_cfg(tasks=n), 7, None):
        try:
            out.extend(worker.propose(item).tasks)
        except GenerationError as exc:  # dropped before its question was drafted
            assert str(exc).startswith("construct: ")
    return out


def test_same_seed_same_specs_and_every_outcome_is_explained() -> None:
    first = _proposals(SearchWorker(_cfg(), 7), 30)
    again = _proposals(SearchWorker(_cfg(), 7), 30)
    assert [t.id for t in first] == [t.id for t in again]
    worker = SearchWorker(_cfg(), 7)
    outcomes = [o for t in first for o in worker.accept(_one(worker, t), "r")]
    accepted = [o for o in outcomes if o.accepted]
    rejected = [o for o in outcomes if not o.accepted]
    assert accepted and rejected
    for o in accepted:
        labels = {a.label for a in o.attempts}
        assert {"reference", "reference:rerun", "control:empty"} <= labels
        assert any(label.startswith("control:candidate:") for label in labels)
        assert all(not v.passed for v in o.control_verdicts.values())
        # the reference walked the evidence chain with the episode's own tool
        calls = o.reference_verdict.details["tool_calls"]  # type: ignore[union-attr]
        record = SearchTask.model_validate(o.task.provenance["search_task"])
        assert [c["args"]["page_id"] for c in calls] == [s.page_id for s in record.evidence]
    for o in rejected:
        stage = o.task.provenance["search_rejection"]["stage"]
        assert o.reason.startswith(f"{stage}: ")
        if stage == "candidates":
            assert o.rejection is RejectionCategory.too_easy
            assert [v.passed for v in o.control_verdicts.values()] == [True]
        else:
            assert o.rejection is RejectionCategory.invalid_spec


def _one(worker: SearchWorker, task: TaskSpec) -> Any:
    from envfoundry.families import Proposal

    return Proposal([worker.env], [task])


def _accepted(worker: SearchWorker, want: int = 1, **kw: Any) -> list[TaskSpec]:
    out = []
    for item in FAMILY.plan(_cfg(tasks=200, **kw), 7, None):
        try:
            (task,) = worker.propose(item).tasks
        except GenerationError:
            continue
        if "search_task" in task.provenance:
            out.append(task)
            if len(out) == want:
                break
    return out


def test_near_misses_and_a_broken_evidence_chain() -> None:
    worker = SearchWorker(_cfg(), 7)
    (task,) = _accepted(worker)
    judge = SearchJudge(worker.ctx.source, worker.ctx.graph)
    controls = {c.label: c.answer for c in judge.controls(task, judge.solve(task))}
    assert controls["empty"] == "" and controls["near_miss:same_type"]
    assert not judge.verify(task, controls["near_miss:same_type"], fresh=True).passed

    # a number answer also gets a near miss just outside its tolerance
    (number,) = [
        t
        for t in _accepted(SearchWorker(_cfg(), 7), want=30)
        if t.verifier.config["form"] == "number"
    ][:1]
    near = {c.label: c.answer for c in judge.controls(number, judge.solve(number))}
    assert not judge.verify(number, near["near_miss:tolerance"], fresh=True).passed
    assert judge.verify(number, number.reference_answer, fresh=True).passed

    # evidence a page does not state: the reference fails, the task is rejected
    record = task.provenance["search_task"]
    step = record["evidence"][-1]
    forged = {**step, "facts": [*step["facts"], "Population: 1"]}
    bad = task.model_copy(
        update={
            "provenance": {
                "search_task": {**record, "evidence": [*record["evidence"][:-1], forged]}
            }
        }
    )
    bad = TaskSpec.model_validate(bad.model_dump())
    (outcome,) = worker.accept(_one(worker, bad), "r")
    assert outcome.rejection is RejectionCategory.solution_failed
    assert "does not state 'Population: 1'" in outcome.reason


# ----------------------------------------------------------------- end to end


def _store() -> Any:
    from envfoundry.config import load_settings
    from envfoundry.storage import Store

    return Store.from_settings(load_settings())


def _play(ep: Any, record: dict[str, Any]) -> str:
    """A scripted policy: search for the anchor, walk the evidence pages through their
    links, and read the answer off the last page it opened."""
    hits = ep.call("search", {"query": record["evidence"][0]["title"], "k": 20})
    assert hits["results"]
    page: dict[str, Any] = {}
    for step in record["evidence"]:
        if page:
            assert step["page_id"] in page["links"]  # reachable from the previous page
        page = ep.call("open_page", {"page_id": step["page_id"]})
        assert all(f in page["text"].split("\n") for f in step["facts"])
    line = record["evidence"][-1]["facts"][-1]  # the answer's line on the last page
    assert line in page["text"].split("\n")
    return line.split(": ", 1)[1] if ": " in line else line


@pytest.mark.slow
def test_search_family_end_to_end(search_env: Path, tmp_path: Path) -> None:
    # The run's generator reads the shared corpus directory (its context is then shared
    # with the tests above); verify and the runtime open the corpus from the data dir.
    config = tmp_path / "pipeline.toml"
    config.write_text(f"[pipeline.search]\ndata_dir = {json.dumps(str(shared_search_dir()))}\n")
    run = ("run", "--config", str(config), "--families", "search")
    summary = _cli(*run, "--search-tasks", "40", "--seed", "0", "--json")
    res = summary["families"]["search"]
    assert summary["status"] == "completed" and not res["infra_errors"]
    assert res["accepted"] >= 8 and res["rejected"]["too_easy"] >= 1
    assert all(": " in e for e in res["generation_errors"])  # stage: reason

    store = _store()
    from envfoundry.storage import TaskFilter

    accepted = list(store.iter_tasks(TaskFilter(family="search", status=TaskStatus.accepted)))
    records = [t.spec.provenance["search_task"] for t in accepted]
    assert len({r["depth"] for r in records}) >= 3
    assert {r["language"] for r in records} == {"en", "zh"}
    too_easy = [
        t
        for t in store.iter_tasks(TaskFilter(family="search", status=TaskStatus.rejected))
        if t.rejection_category == "too_easy"
    ]
    assert too_easy and too_easy[0].rejection_reason.startswith("candidates: candidate ")
    store.close()

    # tasks show: the evidence chain, and each failed candidate as a control attempt
    by_lang = {r["language"]: t.id for t, r in zip(accepted, records, strict=True)}
    shown = _cli("tasks", "show", by_lang["zh"], "--json")
    record = shown["provenance"]["search_task"]
    assert len(record["evidence"]) == record["depth"] + 1
    attempts = {a["label"]: a for a in shown["attempts"]}
    assert attempts["reference"]["passed"] and attempts["reference:rerun"]["passed"]
    failed = {c["strategy"] for c in record["candidates"] if c["answer"] is not None}
    assert {f"control:candidate:{s}" for s in failed} <= set(attempts)
    assert "control:near_miss:same_type" in attempts
    assert not any(a["passed"] for a in shown["attempts"] if a["kind"] == "control")
    shown_easy = _cli("tasks", "show", too_easy[0].id, "--json")
    assert [a["passed"] for a in shown_easy["attempts"]] == [True]  # the shortcut that won

    # verify: the reference passes (walking the evidence again), a wrong answer fails
    task_id = by_lang["en"]
    assert _cli("verify", task_id, "--json")["passed"] is True
    wrong = CliRunner().invoke(app, ["verify", task_id, "--answer", '"Atlantis"', "--json"])
    assert wrong.exit_code == 1 and json.loads(wrong.stdout)["passed"] is False

    # the runtime's HTTP API: a scripted policy that does the search work gets 1
    from envfoundry.config import load_settings
    from envfoundry.runtime.client import RuntimeClient
    from envfoundry.runtime.episodes import Runtime, RuntimeAPIError
    from envfoundry.runtime.server import ServerThread

    with (
        Runtime.from_settings(load_settings()) as runtime,
        ServerThread(runtime) as srv,
        RuntimeClient(srv.url) as rc,
    ):
        for tid in by_lang.values():
            rec = _cli("tasks", "show", tid, "--json")["provenance"]["search_task"]
            ep = rc.open(tid)
            assert [t["function"]["name"] for t in ep.tools] == ["search", "open_page", "submit"]
            assert ep.call("open_page", {"page_id": "city/nowhere"})["error"]
            assert ep.submit(_play(ep, rec)).reward == 1.0
            ep.close()
            ep = rc.open(tid)
            assert ep.submit("Atlantis").reward == 0.0
            ep.close()

    # a runtime whose step budget is shorter than the evidence chain refuses the task
    deep = max(zip(accepted, records, strict=True), key=lambda tr: tr[1]["depth"])
    need = min_steps(SearchTask.model_validate(deep[1]))
    with (
        Runtime.from_settings(load_settings(), max_steps=need - 1) as runtime,
        pytest.raises(RuntimeAPIError, match=f"at least {need} tool calls"),
    ):
        runtime.open(deep[0].id)

    # export: the accepted tasks as ordinary records
    out = tmp_path / "export"
    _cli("export", "--format", "jsonl", "--out", str(out), "--family", "search")
    lines = [
        json.loads(line)
        for f in sorted(out.glob("*.jsonl"))
        for line in f.read_text().splitlines()
        if line.strip()
    ]
    assert {r["id"] for r in lines} == {t.id for t in accepted}
    assert all(r["family"] == "search" for r in lines)
    assert all(
        [t["function"]["name"] for t in r["tools"]] == ["search", "open_page", "submit"]
        for r in lines
    )

    # the run's search options reach the generator
    again = _cli(
        *run,
        "--search-tasks",
        "16",
        "--search-languages",
        "zh",
        "--search-depths",
        "2",
        "--seed",
        "1",
        "--json",
    )
    assert again["families"]["search"]["accepted"] >= 1
    store = _store()
    new = [
        t.spec.provenance["search_task"]
        for t in store.iter_tasks(TaskFilter(family="search", status=TaskStatus.accepted))
        if t.id not in {a.id for a in accepted}
    ]
    store.close()
    assert new and {(r["depth"], r["language"]) for r in new} == {(2, "zh")}
