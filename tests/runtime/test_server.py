"""Episodes over HTTP against a real uvicorn server: rewards, error observations, reaping."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from envfoundry.runtime.client import RuntimeClient, RuntimeClientError
from envfoundry.runtime.episodes import Runtime
from envfoundry.runtime.server import ServerThread
from tests.runtime.conftest import Stored


def reference_calls(runtime: Runtime, stored: Stored, task_id: str) -> tuple[list[Any], Any]:
    """The tool calls (name, args) and answer of the task's reference solution, in a sandbox."""
    task = stored.store.get_task(task_id).spec
    session = runtime.backend.start_runner(purpose="test")
    try:
        session.load_env(stored.tools_source, stored.db)
        session.reset()
        res = session.run_solution(task.reference_solution or "", timeout_s=20)
    finally:
        session.close()
    assert res.reason == "ok", res
    return [(c.name, c.args) for c in res.tool_calls], res.answer


def wait_for(predicate: Any, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def test_solved_episode_over_http_gets_reward_one(
    make_runtime: Any, stored: Stored, backend_kind: str
) -> None:
    runtime = make_runtime(backend_kind)
    calls, answer = reference_calls(runtime, stored, stored.write_task)
    assert [name for name, _ in calls] == ["list_cities", "book_city"]
    with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc:
        ep = rc.open(stored.write_task)
        assert ep.messages[0]["role"] == "system" and "submit" in ep.messages[0]["content"]
        assert ep.messages[1] == {"role": "user", "content": ep.messages[1]["content"]}
        names = [t["function"]["name"] for t in ep.tools]
        assert names == ["list_cities", "book_city", "submit"]
        for name, args in calls:
            obs = ep.call(name, args)
            assert not (isinstance(obs, dict) and "error" in obs), obs
        verdict = ep.submit(answer)
        assert verdict.passed and verdict.reward == 1.0, verdict
        traj = ep.trajectory()
        assert [e["type"] for e in traj["events"]] == ["call", "call", "end", "submit"]
        assert traj["events"][1]["observation"] == {"booked": "Hangzhou"}
        ep.close()
        health = rc.health()
        assert health["open_episodes"] == 0
        assert all(p["busy"] == 0 for p in health["pools"].values())


def test_wrong_answer_gets_zero_and_a_second_submit_is_refused(
    make_runtime: Any, stored: Stored
) -> None:
    runtime = make_runtime("local")
    with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc:
        with rc.open(stored.read_task) as ep:
            verdict = ep.submit({"city": "Ningbo"})
            assert not verdict.passed and verdict.reward == 0.0
            assert not verdict.infra_error
            with pytest.raises(RuntimeClientError) as err:
                ep.submit({"city": "Hangzhou"})
            assert err.value.status == 409
            with pytest.raises(RuntimeClientError) as err:
                ep.call("list_cities")
            assert err.value.status == 409
        # the write task's right answer without the write fails on the episode's state
        with rc.open(stored.write_task) as ep:
            verdict = ep.submit({"city": "Hangzhou"})
            # the policy gets a generic reason; the verifier's stays in the episode
            assert verdict.reward == 0.0 and verdict.reason == "incorrect"
            stored_verdict = runtime.get(ep.id).verdict
            assert stored_verdict is not None and "booking" in stored_verdict.reason
            served = rc.request("GET", f"/episodes/{ep.id}/trajectory")
            assert served["verdict"]["reason"] == "incorrect"
            assert [e["verdict"]["reason"] for e in served["events"] if "verdict" in e] == [
                "incorrect"
            ]
        # an answer breaking the answer schema is judged 0 without running the verifier
        with rc.open(stored.read_task) as ep:
            verdict = ep.submit({"town": "Hangzhou"})
            assert verdict.reward == 0.0 and "answer schema" in verdict.reason


def test_invalid_tool_calls_are_error_observations(make_runtime: Any, stored: Stored) -> None:
    runtime = make_runtime("local", max_steps=4)
    with (
        ServerThread(runtime) as srv,
        RuntimeClient(srv.url) as rc,
        rc.open(stored.write_task) as ep,
    ):
        out = ep.call_full("teleport", {})
        assert out["error"] and "unknown tool" in out["observation"]["error"]
        assert not out["done"]
        bad = ep.call("book_city", {"name": 7})
        assert "invalid arguments" in bad["error"] and "name" in bad["error"]
        extra = ep.call("book_city", {"name": "Hangzhou", "nights": 2})
        assert "invalid arguments" in extra["error"]
        raised = ep.call("book_city", {"name": "Atlantis"})
        assert raised == {"error": "ValueError: unknown city 'Atlantis'"}
        # the fifth call breaks the step budget of four: the episode ends with reward 0
        out = ep.call_full("list_cities", {})
        assert out["done"] and out["verdict"]["reward"] == 0.0
        assert "step budget" in out["verdict"]["reason"]
        assert out["budget"]["steps_used"] == 5


def test_unknown_ids_full_runtime_and_openapi(make_runtime: Any, stored: Stored) -> None:
    runtime = make_runtime("local", max_episodes=1)
    with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc:
        for method, path, body in [
            ("POST", "/episodes", {"task_id": "task_nope"}),
            ("POST", "/episodes/nope/call", {"tool": "list_cities", "args": {}}),
            ("POST", "/episodes/nope/submit", {"answer": 1}),
            ("DELETE", "/episodes/nope", None),
            ("GET", "/tasks/task_nope", None),
        ]:
            with pytest.raises(RuntimeClientError) as err:
                rc.request(method, path, json=body)
            assert err.value.status == 404, (method, path)
        ep = rc.open(stored.read_task)
        with pytest.raises(RuntimeClientError) as err:
            rc.open(stored.read_task)
        assert err.value.status == 429
        ep.close()
        rc.open(stored.read_task).close()  # the slot is free again
        assert rc.task(stored.read_task)["status"] == "accepted"
        spec = httpx.get(f"{srv.url}/openapi.json").json()
        assert {"/episodes", "/episodes/{episode_id}/call", "/episodes/{episode_id}/submit"} <= set(
            spec["paths"]
        )


def test_abandoned_episodes_are_reaped_and_free_their_runners(
    make_runtime: Any, stored: Stored, backend_kind: str
) -> None:
    runtime = make_runtime(backend_kind, idle_timeout_s=0.3)
    with ServerThread(runtime, reap_interval_s=0.05) as srv, RuntimeClient(srv.url) as rc:
        abandoned = [rc.open(stored.read_task), rc.open(stored.write_task)]
        assert abandoned[0].id != abandoned[1].id
        wait_for(lambda: rc.health()["open_episodes"] == 0)
        health = rc.health()
        assert health["reaped"] == 2
        assert all(p["busy"] == 0 for p in health["pools"].values())
        with pytest.raises(RuntimeClientError) as err:
            abandoned[0].call("list_cities")
        assert err.value.status == 404
    # the server's shutdown closed the pools: no runner is left
    assert all(p == {**p, "idle": 0, "busy": 0} for p in runtime.pool_stats().values())


def test_wall_time_budget_ends_the_episode(make_runtime: Any, stored: Stored) -> None:
    runtime = make_runtime("local", max_wall_s=0.2)
    ep = runtime.open(stored.read_task)
    time.sleep(0.3)
    obs = ep.call("list_cities", {})
    assert obs["done"] and "wall-time" in obs["error"]
    assert ep.verdict is not None and ep.verdict.reward == 0.0
    assert ep.verdict.details == {"budget": "wall_time"}
    ep.close()
