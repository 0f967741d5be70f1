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
)
from envfoundry.generators.search import SearchTask
from envfoundry.models import RejectionCategory, TaskSpec
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
