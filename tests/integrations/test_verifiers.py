"""verifiers adapter: real rollouts of verifiers' multi-turn environment.

The model is envfoundry's scripted OpenAI-compatible server on 127.0.0.1, reached through
verifiers' own chat-completions client; the environment, its tool loop, the cleanup hook
and the rubric are verifiers' own.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from envfoundry.generators.llm.testserver import FakeLLMServer
from tests.integrations.conftest import Live, need


def _script(calls: list[tuple[str, dict[str, Any]]], answer: Any) -> list[dict[str, Any]]:
    steps = [{"reply": {"tool_calls": [{"name": n, "arguments": a}]}} for n, a in calls]
    steps.append({"reply": {"tool_calls": [{"name": "submit", "arguments": {"answer": answer}}]}})
    return steps


def _rollout(env: Any, base_url: str, row: dict[str, Any]) -> Any:
    import verifiers as vf

    config = vf.ClientConfig(api_base_url=base_url, api_key_var="ENVFOUNDRY_TEST_KEY")
    return asyncio.run(
        env.run_rollout(dict(row), config, "scripted", sampling_args={"temperature": 0.0})
    )


@pytest.fixture(autouse=True)
def _api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVFOUNDRY_TEST_KEY", "not-a-secret")


def test_rollouts_score_the_reference_one_and_a_wrong_answer_zero(live: Live) -> None:
    need("verifiers", "verifiers")
    from envfoundry.integrations.verifiers import load_environment

    env = load_environment(tasks=[live.task_id], runtime_url=live.url)
    row = {**env.get_dataset()[0], "example_id": 0}
    for answer, reward in [(live.answer, 1.0), (live.wrong_answer, 0.0)]:
        with FakeLLMServer(_script(live.calls, answer)) as llm:
            out = _rollout(env, llm.base_url, row)
            # the model was shown the episode's own tools, in the OpenAI format
            sent = llm.requests[0]["tools"]
            assert [t["function"]["name"] for t in sent] == ["list_cities", "book_city", "submit"]
            assert sent[1]["function"]["parameters"]["required"] == ["name"]
            assert llm.remaining == 0  # every scripted turn was used, none more
        assert out["reward"] == reward, out
        assert out["metrics"]["envfoundry_passed"] == reward
        assert out["metrics"]["envfoundry_steps"] == len(live.calls)
    assert live.runtime.open_count() == 0


def test_final_message_is_submitted_in_cleanup_and_bad_calls_are_observations(
    live: Live,
) -> None:
    need("verifiers", "verifiers")
    from envfoundry.integrations.verifiers import load_environment

    env = load_environment(tasks=[live.task_id], runtime_url=live.url)
    row = {**env.get_dataset()[0], "example_id": 0}
    script = [
        {"reply": {"tool_calls": [{"name": "book_city", "arguments": {"name": 7}}]}},
        *_script(live.calls, live.answer)[:-1],
        {"reply": {"content": '{"city": "Hangzhou"}'}},  # the answer as the final message
    ]
    with FakeLLMServer(script) as llm:
        out = _rollout(env, llm.base_url, row)
        second = llm.requests[1]["messages"][-1]
        assert second["role"] == "tool" and "invalid arguments" in second["content"]
    assert out["reward"] == 1.0, out
    assert out["metrics"]["envfoundry_tool_errors"] == 1.0
    assert live.runtime.open_count() == 0
