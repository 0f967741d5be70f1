"""The interpreter family end to end on real Docker: the seam, acceptance, verify, and an
episode through the runtime's HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfoundry import families
from envfoundry.config import Settings, load_settings
from envfoundry.families import REFERENCE, WorkItem
from envfoundry.families.interpreter import InterpreterConfig, InterpreterWorker
from envfoundry.models import RejectionCategory, TaskStatus
from envfoundry.runtime.client import RuntimeClient
from envfoundry.runtime.episodes import Runtime, RuntimeConfig
from envfoundry.runtime.server import ServerThread
from envfoundry.storage import Store
from envfoundry.verifiers.acceptance import TaskOutcome

pytestmark = pytest.mark.docker
CFG = InterpreterConfig(cell_timeout_s=20)


@pytest.fixture(scope="module")
def worker(interp_settings: Settings, backend: Any) -> Iterator[InterpreterWorker]:
    w = InterpreterWorker(CFG, 5, interp_settings, backend)
    yield w
    w.close()


def run_item(worker: InterpreterWorker, params: dict[str, Any], index: int = 0):  # type: ignore[no-untyped-def]
    item = WorkItem(family="interpreter", category=params["source"], index=index, params=params)
    proposal = worker.propose(item)
    (outcome,) = worker.accept(proposal, "test-run")
    return proposal, outcome


def controls(outcome: TaskOutcome) -> dict[str, bool]:
    return {label: v.passed for label, v in outcome.control_verdicts.items()}


@pytest.mark.parametrize(
    "bad", [{"rg_levels": [4]}, {"data_levels": [0]}, {"rg_datasets": []}, {"sources": ["web"]}]
)
def test_bad_family_config_is_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        InterpreterConfig.model_validate(bad)


def test_plan_interleaves_the_three_sources() -> None:
    fam = families.get("interpreter")
    items = fam.plan(CFG, 0, 6)
    assert [i.params["source"] for i in items] == ["reasoning_gym", "data", "jsonl"] * 2


def test_data_task_is_accepted_with_unit_and_near_miss_controls(worker: InterpreterWorker) -> None:
    _, outcome = run_item(worker, {"source": "data", "level": 2})  # SQLite, cents → dollars
    assert outcome.accepted, outcome.reason
    got = controls(outcome)
    assert got["wrong_unit:cents"] is False
    assert got["near_miss:above"] is False and got["near_miss:below"] is False
    assert got["empty"] is False and any(k.startswith("shortcut:") for k in got)
    labels = [a.label for a in outcome.attempts]
    assert labels[:2] == ["reference", "reference:rerun"]
    assert outcome.task.verifier.config["rule"].endswith("of the true value")


def test_reasoning_gym_task_is_accepted_by_its_scorer(worker: InterpreterWorker) -> None:
    params = {"source": "reasoning_gym", "dataset": "prime_factorization", "level": 3}
    _, outcome = run_item(worker, params, index=2)
    assert outcome.accepted, outcome.reason
    assert outcome.reference_verdict is not None
    assert outcome.reference_verdict.details["score"] == 1.0


def test_user_jsonl_task_with_a_file_is_accepted(worker: InterpreterWorker) -> None:
    _, outcome = run_item(worker, {"source": "jsonl", "problem": 2})  # rain-b, centimetres
    assert outcome.accepted, outcome.reason
    assert controls(outcome)["wrong_unit"] is False


def test_a_task_a_shortcut_answers_is_too_easy(worker: InterpreterWorker) -> None:
    # count_bits answers are small: a one-significant-digit guess often hits
    params = {"source": "reasoning_gym", "dataset": "count_bits", "level": 1}
    seen = [run_item(worker, params, index=i)[1] for i in range(12)]
    easy = [o for o in seen if o.rejection is RejectionCategory.too_easy]
    assert easy, "expected a count_bits item a rounded guess answers"
    assert easy[0].status is TaskStatus.rejected
    assert easy[0].attempts[0].verdict.passed  # the winning shortcut, recorded


def test_a_reference_that_disagrees_is_rejected(worker: InterpreterWorker, tmp_path: Any) -> None:
    bad = tmp_path / "p.jsonl"
    bad.write_text(
        '{"id": "x", "question": "What is 6 * 7 * 11?", "answer": 462, '
        '"reference_code": "print(6 * 7 * 12)"}\n'
    )
    w = InterpreterWorker(
        InterpreterConfig(jsonl=str(bad)), 0, Settings(data_dir=tmp_path), worker.backend
    )
    try:
        item = WorkItem(family="interpreter", category="jsonl", index=0, params={
            "source": "jsonl", "problem": 0})  # fmt: skip
        (outcome,) = w.accept(w.propose(item), "test-run")
    finally:
        w.close()
    assert outcome.rejection is RejectionCategory.solution_failed, outcome.reason


def test_episode_over_the_runtime_http_api(worker: InterpreterWorker, backend: Any) -> None:
    proposal, outcome = run_item(worker, {"source": "data", "level": 1})
    assert outcome.accepted, outcome.reason
    settings = load_settings()
    store = Store.from_settings(settings)
    store.upgrade()
    for blob in proposal.blobs:
        store.blobs.put_bytes(blob)
    for env in proposal.environments:
        store.put_environment(env)
    store.put_tasks([outcome.task], TaskStatus.accepted)
    task = outcome.task
    region = task.provenance["interpreter_task"]["origin"]["params"]["region"]
    runtime = Runtime(store, backend, settings, RuntimeConfig())  # type: ignore[arg-type]
    try:
        with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc:
            with rc.open(task.id) as ep:
                assert [t["function"]["name"] for t in ep.tools] == ["execute_code", "submit"]
                assert "sales.csv" in ep.messages[-1]["content"]
                obs = ep.call(
                    "execute_code",
                    {"code": "import pandas as pd\ndf = pd.read_csv('sales.csv')\nlen(df) > 0"},
                )
                assert obs["status"] == "ok" and obs["result"] == "True", obs
                obs = ep.call(
                    "execute_code",
                    {
                        "code": (
                            f"sel = df[df.region == {region!r}]\n"
                            "round(float((sel.units * sel.unit_price).mean()), 2)"
                        )
                    },
                )  # df persisted
                assert obs["status"] == "ok", obs
                verdict = ep.submit(obs["result"])
                assert verdict.passed and verdict.reward == 1.0, verdict
            with rc.open(task.id) as ep:
                obs = ep.call("execute_code", {"code": "'df' in globals()"})
                assert obs["result"] == "False"  # a fresh kernel per episode
                assert ep.submit(str(float(task.reference_answer) * 100)).reward == 0.0
    finally:
        runtime.close()
        store.close()


def test_verify_runs_the_reference_in_a_kernel(worker: InterpreterWorker, backend: Any) -> None:
    proposal, outcome = run_item(worker, {"source": "jsonl", "problem": 3})
    store = Store.from_settings(load_settings())
    store.upgrade()
    try:
        for env in proposal.environments:
            store.put_environment(env)
        for blob in proposal.blobs:
            store.blobs.put_bytes(blob)
        fam = families.get("interpreter")
        assert fam.verify(store, backend, outcome.task, REFERENCE).passed
        assert not fam.verify(store, backend, outcome.task, "1").passed
    finally:
        store.close()
