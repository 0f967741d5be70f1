"""OpenEnv adapter against openenv-core's own clients over WebSocket sessions."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
import websockets.sync.client

from tests.integrations.conftest import AppThread, Live, need


def _wait_closed(live: Live) -> None:
    deadline = time.monotonic() + 20
    while live.runtime.open_count() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert live.runtime.open_count() == 0, "the session's episode was not closed"


@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def any_live(request: pytest.FixtureRequest) -> Live:
    return request.getfixturevalue("live" if request.param == "local" else "live_docker")


def test_mcp_tool_client_replays_the_reference_for_one_and_a_wrong_answer_for_zero(
    any_live: Live,
) -> None:
    live = any_live
    need("openenv.core", "openenv")
    from openenv.core.env_server import CallToolAction
    from openenv.core.mcp_client import MCPToolClient

    from envfoundry.integrations.openenv import create_app

    async def episode(url: str, answer: Any) -> tuple[list[str], Any]:
        async with MCPToolClient(base_url=url) as env:
            await env.reset(task_id=live.task_id)
            tools = await env.list_tools()
            cities = await env.call_tool("list_cities")
            assert cities[0]["name"] == "Hangzhou"
            for name, args in live.calls:  # (step: book_city's argument "name" would clash
                # with call_tool's own first parameter)
                out = await env.step(CallToolAction(tool_name=name, arguments=args))
                assert out.observation.error is None and not out.done
                assert "error" not in out.observation.result, out.observation.result
            # a bad call is a result the policy sees, not a failure of the session
            out = await env.step(CallToolAction(tool_name="book_city", arguments={"name": 7}))
            assert "invalid arguments" in out.observation.result["error"] and not out.done
            step = await env.step(CallToolAction(tool_name="submit", arguments={"answer": answer}))
            assert step.done and step.observation.result["submitted"]
            state = await env.state()
            assert state.episode_id
            return [t.name for t in tools], step.reward

    with AppThread(create_app(live.url, max_sessions=4)) as srv:
        names, reward = asyncio.run(episode(srv.url, live.answer))
        assert names == ["list_cities", "book_city", "submit"]
        assert reward == 1.0
        _, reward = asyncio.run(episode(srv.url, live.wrong_answer))
        assert reward == 0.0
    _wait_closed(live)


def test_generic_client_gets_prompt_and_schemas_and_sessions_are_capped(live: Live) -> None:
    need("openenv.core", "openenv")
    from openenv.core.generic_client import GenericEnvClient

    from envfoundry.integrations.openenv import create_app

    with AppThread(create_app(live.url, max_sessions=1)) as srv:
        with GenericEnvClient(base_url=srv.url).sync() as env:
            first = env.reset(task_id=live.task_id).observation
            assert first["messages"][1]["role"] == "user"
            assert [t["name"] for t in first["tool_defs"]] == ["list_cities", "book_city", "submit"]
            assert first["openai_tools"][1]["function"]["parameters"]["required"] == ["name"]
            assert live.runtime.open_count() == 1
            # a second session is refused while the cap of one is in use
            ws_url = srv.url.replace("http://", "ws://") + "/ws"
            with websockets.sync.client.connect(ws_url) as other:
                refusal = json.loads(other.recv(timeout=20))
            assert refusal["type"] == "error" and refusal["data"]["max_sessions"] == 1
            # reset opens a fresh episode and closes the session's previous one
            second = env.reset(task_id=live.task_id).observation
            assert second["episode_id"] != first["episode_id"]
            assert live.runtime.open_count() == 1
            out = env.step({"type": "call_tool", "tool_name": "list_cities", "arguments": {}})
            assert out.observation["result"][0]["name"] == "Hangzhou" and not out.done
        # leaving the session (without a submit) closed its episode
        _wait_closed(live)
