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
        # an answer breaking the answer schema is handed back once with the schema error,
        # then judged 0 without running the verifier
        with rc.open(stored.read_task) as ep:
            with pytest.raises(RuntimeClientError) as err:
                ep.submit({"town": "Hangzhou"})
            assert err.value.status == 422 and err.value.body["retries_left"] == 0
            assert "answer schema" in str(err.value) and "city" in str(err.value)
            verdict = ep.submit({"town": "Hangzhou"})
            assert verdict.reward == 0.0 and "answer schema" in verdict.reason
            assert ep.metrics["answer_retries_used"] == 1
        # ... and a right answer after the retry still counts
        with rc.open(stored.read_task) as ep:
            obs = ep.call(ep.submit_tool, {"answer": {"town": "Hangzhou"}})
            assert obs["retries_left"] == 0 and "answer schema" in obs["error"]
            obs = ep.call(ep.submit_tool, {"answer": {"city": "Hangzhou"}})
            assert obs["submitted"] and obs["reward"] == 1.0
            assert obs["metrics"]["answer_retries_used"] == 1 and ep.verdict is not None
        # retries are configurable per episode over HTTP: none here
        with rc.open(stored.read_task, answer_retries=0) as ep:
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
        # refused calls (unknown tool, arguments off the schema) use no step
        assert ep.budget["steps_used"] == 0
        raised = ep.call("book_city", {"name": "Atlantis"})
        assert raised == {"error": "ValueError: unknown city 'Atlantis'"}
        for _ in range(3):
            assert not ep.call_full("list_cities", {})["done"]
        assert ep.budget["steps_used"] == 4
        # the fifth run call breaks the step budget of four: the episode ends with reward 0
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
        # the refusal names the limit and how to free a slot
        assert "max_episodes=1" in str(err.value) and "DELETE /episodes/" in str(err.value)
        ep.close()
        ep.close()  # closing twice is fine
        assert rc.request("DELETE", f"/episodes/{ep.id}")["closed"]  # DELETE is idempotent
        rc.open(stored.read_task).close()  # the slot is free again
        # a submitted episode closes itself: its slot is free without a DELETE
        done = rc.open(stored.read_task)
        done.submit({"city": "Hangzhou"})
        assert rc.health()["open_episodes"] == 0
        assert done.trajectory()["verdict"]["passed"]  # still readable
        rc.open(stored.read_task).close()
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
        assert err.value.status == 409 and "reaped" in str(err.value)
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


def test_time_to_live_closes_busy_episodes_and_forgets_ended_ones(
    make_runtime: Any, stored: Stored
) -> None:
    runtime = make_runtime("local", ttl_s=0.5, idle_timeout_s=60)
    with ServerThread(runtime, reap_interval_s=0.05) as srv, RuntimeClient(srv.url) as rc:
        ep = rc.open(stored.read_task)
        # kept busy (never idle), yet closed when its time-to-live is up
        with pytest.raises(RuntimeClientError) as err:
            for _ in range(10_000):
                ep.call("list_cities")
                time.sleep(0.01)
        assert err.value.status == 409 and "time-to-live" in str(err.value)
        assert rc.health()["open_episodes"] == 0
        # and once past the time-to-live it is forgotten; closing it is still no error
        wait_for(lambda: _status(rc, f"/episodes/{ep.id}/trajectory") == 404)
        ep.close()


def _status(rc: RuntimeClient, path: str) -> int:
    try:
        rc.request("GET", path)
    except RuntimeClientError as err:
        return err.status
    return 200


SPIN_TOOL = """

def spin(db, rounds):
    total = 0
    for i in range(rounds):
        total += i
    return {"total": total}
"""


def _spin_task(stored: Stored) -> str:
    """The read task again, in an environment that also has a tool as slow as one asks."""
    from dataclasses import replace

    from envfoundry.generators.general.specs import draft_to_specs
    from envfoundry.models import TaskStatus, ToolSpec
    from tests.runtime.conftest import make_draft

    draft = make_draft()
    spin = ToolSpec(
        name="spin",
        description="Count up to rounds.",
        parameters={
            "type": "object",
            "properties": {"rounds": {"type": "integer"}},
            "required": ["rounds"],
            "additionalProperties": False,
        },
    )
    toolset = replace(
        draft.toolsets[0],
        source=draft.toolsets[0].source + SPIN_TOOL,
        tools=(*draft.toolsets[0].tools, spin),
    )
    specs = draft_to_specs(replace(draft, name="cities-spin", toolsets=(toolset,)))
    for env in specs.environments:
        stored.store.put_environment(env)
    stored.store.put_tasks(specs.tasks, TaskStatus.accepted)
    return specs.tasks[0].id


def test_per_call_timeout_is_an_error_observation(make_runtime: Any, stored: Stored) -> None:
    task_id = _spin_task(stored)
    runtime = make_runtime("local")
    with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc, rc.open(task_id) as ep:
        # a call that cannot finish in its own timeout: an error, and the episode goes on
        obs = ep.call("spin", {"rounds": 10**12}, timeout_s=0.3)
        assert isinstance(obs, dict) and "exceeded" in obs["error"], obs
        assert not ep.done
        assert ep.call("spin", {"rounds": 10}, timeout_s=0.3) == {"total": 45}
        assert ep.call("list_cities", {})[0]["name"] == "Hangzhou"
        assert ep.submit({"city": "Hangzhou"}).passed
        assert ep.metrics["reward"] == 1.0 and ep.metrics["steps"] == 3
        assert ep.metrics["tool_errors"] == 1
        names = [t["name"] for t in ep.tool_defs]
        assert names == ["list_cities", "book_city", "spin", "submit"]
        assert ep.tool_defs[1]["parameters"]["required"] == ["name"]
        assert [t["function"] for t in ep.tools] == ep.tool_defs


def test_an_episode_with_a_request_waiting_is_not_idle(make_runtime: Any, stored: Stored) -> None:
    """A call that arrived but waits (for a worker thread, or behind the episode's own
    lock) keeps its episode alive: the reaper only takes episodes nobody is asking about."""
    runtime = make_runtime("local", idle_timeout_s=1.0)
    ep = runtime.open(stored.read_task)
    later = time.monotonic() + 5.0  # long past the idle timeout
    with runtime.request(ep.id) as waiting:
        assert waiting is ep and ep.pending == 1
        assert runtime.reap_idle(now=later) == []
        assert not ep.done
    assert ep.pending == 0
    assert ep.call("list_cities", {})[0]["name"] == "Hangzhou"
    # nobody asking any more: idle past the timeout is reaped
    assert runtime.reap_idle(now=time.monotonic() + 5.0) == [ep.id]
    assert ep.done and ep.verdict is not None and ep.verdict.reward == 0.0
    runtime.close()
