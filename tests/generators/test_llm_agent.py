"""Agent loop against the real scripted HTTP server: tools, thinking rule, budgets, context."""

from __future__ import annotations

import json
from typing import Any

import pytest

from envfoundry.errors import SandboxError
from envfoundry.generators.llm import Agent, AgentConfig, LLMAuthError, LLMClient, MemoryRecorder
from envfoundry.generators.llm.agent import Tool
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import ToolSpec

WEATHER = ToolSpec(
    name="get_weather",
    description="Current weather of a city, in Celsius.",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
)
CONVERT = ToolSpec(
    name="convert",
    description="Convert Celsius to Fahrenheit.",
    parameters={
        "type": "object",
        "properties": {"celsius": {"type": "number"}},
        "required": ["celsius"],
    },
)


def get_weather(city: str) -> dict[str, Any]:
    if city != "Oslo":
        raise KeyError(f"no weather station in {city}")
    return {"city": city, "temp_c": 12}


def convert(celsius: float) -> float:
    return round(celsius * 9 / 5 + 32, 1)


TOOLS: list[Tool] = [(WEATHER, get_weather), (CONVERT, convert)]


def call(name: str, args: Any, id: str) -> dict[str, Any]:
    return {"name": name, "arguments": args, "id": id}


def step(content=None, reasoning=None, calls=(), total=None) -> dict[str, Any]:
    reply: dict[str, Any] = {"content": content, "reasoning_content": reasoning}
    if calls:
        reply["tool_calls"] = list(calls)
    if total is not None:
        reply["usage"] = {"prompt_tokens": total, "completion_tokens": 0, "total_tokens": total}
    return {"reply": reply}


@pytest.fixture
def server():
    with FakeLLMServer() as s:
        yield s


def make_client(server: FakeLLMServer, **kw: Any) -> LLMClient:
    kw.setdefault("max_retries", 1)
    kw.setdefault("backoff_base_s", 0.001)
    return LLMClient(server.base_url, "fake-model", **kw)


def msgs(server: FakeLLMServer, n: int) -> list[dict[str, Any]]:
    return server.requests[n]["messages"]


def test_two_tool_task_end_to_end(server):
    server.add(
        step(reasoning="Need the weather.", calls=[call("get_weather", {"city": "Oslo"}, "w1")]),
        step(reasoning="Convert 12C.", calls=[call("convert", {"celsius": 12}, "c1")]),
        step(content="It is 53.6°F in Oslo.", reasoning="Done."),
    )
    traj = Agent(make_client(server), TOOLS).run("Weather in Oslo in °F?", system="Use tools.")
    assert traj.stop_reason == "answered"
    assert traj.final_answer == "It is 53.6°F in Oslo."
    assert [(c.name, c.arguments, c.result, c.error) for c in traj.tool_calls] == [
        ("get_weather", {"city": "Oslo"}, '{"city": "Oslo", "temp_c": 12}', False),
        ("convert", {"celsius": 12}, "53.6", False),
    ]
    assert len(traj.steps) == 3 and traj.usage.total_tokens > 0
    assert [s.tool_calls for s in traj.steps] == [1, 1, 0]
    assert server.request_count == 3
    assert {t["function"]["name"] for t in server.requests[0]["tools"]} == {
        "get_weather",
        "convert",
    }
    assert msgs(server, 2)[-1] == {"role": "tool", "tool_call_id": "c1", "content": "53.6"}
    # The trajectory is plain data: it round-trips through JSON.
    assert json.loads(traj.model_dump_json())["stop_reason"] == "answered"


def test_thinking_context_rule_on_sent_bodies(server):
    server.add(
        step(reasoning="R1", calls=[call("get_weather", {"city": "Oslo"}, "w1")]),
        step(reasoning="R2", calls=[call("convert", {"celsius": 12}, "c1")]),
        step(content="53.6F", reasoning="R3"),
        step(content="You're welcome.", reasoning="R4"),
    )
    session = Agent(make_client(server), TOOLS).session(system="sys")
    session.ask("Weather in Oslo in F?")
    # While only tool results follow, earlier reasoning is sent back.
    assistants_2 = [m for m in msgs(server, 1) if m["role"] == "assistant"]
    assert [m.get("reasoning_content") for m in assistants_2] == ["R1"]
    assistants_3 = [m for m in msgs(server, 2) if m["role"] == "assistant"]
    assert [m.get("reasoning_content") for m in assistants_3] == ["R1", "R2"]

    traj = session.ask("Thanks!")
    sent = msgs(server, 3)
    assert [m["role"] for m in sent] == [
        "system",
        "user",
        "assistant",
        "tool",
        "assistant",
        "tool",
        "assistant",
        "user",
    ]
    # A new user message: reasoning dropped from every earlier assistant turn...
    assert all("reasoning_content" not in m for m in sent if m["role"] == "assistant")
    # ...while tool calls and tool results are kept.
    assert sent[2]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert sent[3] == {
        "role": "tool",
        "tool_call_id": "w1",
        "content": '{"city": "Oslo", "temp_c": 12}',
    }
    assert sent[4]["tool_calls"][0]["id"] == "c1" and sent[5]["tool_call_id"] == "c1"
    assert sent[6]["content"] == "53.6F"
    # The trajectory keeps all reasoning for export.
    kept = [m.get("reasoning_content") for m in traj.messages if m["role"] == "assistant"]
    assert kept == ["R1", "R2", "R3", "R4"]
    assert traj.final_answer == "You're welcome."


def test_bad_calls_become_tool_errors(server):
    server.add(
        step(
            calls=[
                call("get_forecast", {"city": "Oslo"}, "a"),
                call("get_weather", {"city": 5}, "b"),
                call("convert", "{not json", "c"),
                call("get_weather", {"city": "Atlantis"}, "d"),
                call("get_weather", {"town": "Oslo"}, "e"),
            ]
        ),
        step(content="I could not find out."),
    )
    traj = Agent(make_client(server), TOOLS).run("Weather?")
    assert traj.stop_reason == "answered"
    results = {m["tool_call_id"]: m["content"] for m in msgs(server, 1) if m["role"] == "tool"}
    assert results["a"].startswith("error: unknown tool 'get_forecast'")
    assert "convert" in results["a"] and "get_weather" in results["a"]
    assert "invalid arguments for get_weather at city" in results["b"]
    assert "not valid JSON" in results["c"]
    assert "raised KeyError" in results["d"] and "Atlantis" in results["d"]
    assert "invalid arguments for get_weather" in results["e"]
    assert all(c.error for c in traj.tool_calls)


class BrokenSandbox:
    """A ToolExecutor whose infrastructure fails."""

    def specs(self) -> list[ToolSpec]:
        return [WEATHER]

    def call(self, name: str, args: dict[str, Any]) -> str:
        raise SandboxError("container died")


def test_sandbox_failure_stops_with_error(server):
    server.add(step(calls=[call("get_weather", {"city": "Oslo"}, "w")]))
    traj = Agent(make_client(server), BrokenSandbox()).run("Weather?")
    assert traj.stop_reason == "error"
    assert traj.error == "SandboxError: container died"
    assert server.request_count == 1


def test_llm_failure_is_data_but_auth_raises(server):
    server.add({"status": 400, "body": {"error": {"message": "bad tool schema"}}})
    traj = Agent(make_client(server), TOOLS).run("Weather?")
    assert traj.stop_reason == "error" and "bad tool schema" in (traj.error or "")
    server.add({"status": 401})
    with pytest.raises(LLMAuthError):
        Agent(make_client(server), TOOLS).run("Weather again?")


def test_step_budget(server):
    server.add(*[step(calls=[call("convert", {"celsius": i}, f"c{i}")]) for i in range(3)])
    traj = Agent(make_client(server), TOOLS, AgentConfig(max_steps=2)).run("Loop")
    assert traj.stop_reason == "step_budget"
    assert len(traj.steps) == 2 and server.request_count == 2


def test_token_budget(server):
    server.add(
        *[step(calls=[call("convert", {"celsius": i}, f"c{i}")], total=100) for i in range(3)]
    )
    traj = Agent(make_client(server), TOOLS, AgentConfig(token_budget=150)).run("Loop")
    assert traj.stop_reason == "token_budget"
    assert traj.usage.total_tokens == 200 and server.request_count == 2


def test_discard_oldest_tool_turns_when_context_passes_threshold(server):
    # Scripted usage drives the estimate: 900 tokens > 80% of a 1000-token window.
    server.add(
        step(calls=[call("get_weather", {"city": "Oslo"}, "w1")], total=100),
        step(calls=[call("convert", {"celsius": 12}, "c1")], total=900),
        step(content="53.6F"),
    )
    config = AgentConfig(context_window=1000)
    traj = Agent(make_client(server), TOOLS, config).run("Weather in F?", system="sys")
    assert traj.stop_reason == "answered"
    before, after = msgs(server, 1), msgs(server, 2)
    assert [m["role"] for m in before] == ["system", "user", "assistant", "tool"]
    # Oldest tool turn (w1 call + result) gone; system, first user and latest turn kept.
    assert [m["role"] for m in after] == ["system", "user", "assistant", "tool"]
    assert after[:2] == before[:2]
    assert after[2]["tool_calls"][0]["id"] == "c1" and after[3]["tool_call_id"] == "c1"
    (comp,) = traj.compactions
    assert comp.strategy == "discard_oldest_tool_turns" and comp.messages_removed == 2
    assert comp.tokens_after < comp.tokens_before
    assert len(traj.messages) == 7  # the transcript keeps everything


def test_chars_estimate_used_without_usage(server):
    big = {"type": "object", "properties": {"n": {"type": "integer"}}}
    spec = ToolSpec(name="dump", description="Dump data.", parameters=big)
    zero = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    server.add(
        {"reply": {"tool_calls": [call("dump", {"n": 1}, "d1")], "usage": zero}},
        {"reply": {"tool_calls": [call("dump", {"n": 2}, "d2")], "usage": zero}},
        {"reply": {"content": "done", "usage": zero}},
    )
    config = AgentConfig(context_window=1000)
    traj = Agent(make_client(server), [(spec, lambda n: "x" * 2000)], config).run("Dump twice")
    assert traj.stop_reason == "answered"
    assert [m.get("tool_call_id") for m in msgs(server, 2) if m["role"] == "tool"] == ["d2"]
    assert len(json.dumps(msgs(server, 2))) < len(json.dumps(traj.messages[:-1]))


def test_summarize_strategy_replaces_old_turns_with_a_note(server):
    server.add(
        step(calls=[call("get_weather", {"city": "Oslo"}, "w1")], total=100),
        step(calls=[call("convert", {"celsius": 12}, "c1")], total=900),
        step(content="Oslo is 12C (from get_weather)."),  # the summary call
        step(content="53.6F"),
    )
    config = AgentConfig(context_window=1000, context_strategy="summarize")
    traj = Agent(make_client(server), TOOLS, config).run("Weather in F?", system="sys")
    assert traj.stop_reason == "answered" and traj.final_answer == "53.6F"
    summary_request = server.requests[2]
    assert "tools" not in summary_request
    assert "get_weather" in summary_request["messages"][0]["content"]
    final = msgs(server, 3)
    assert [m["role"] for m in final] == ["system", "user", "user", "assistant", "tool"]
    assert final[2]["content"].endswith("Oslo is 12C (from get_weather).")
    assert final[3]["tool_calls"][0]["id"] == "c1"
    (comp,) = traj.compactions
    assert comp.strategy == "summarize" and comp.error is None
    assert comp.summary == "Oslo is 12C (from get_weather)."
    assert len(json.dumps(final)) < len(json.dumps(traj.messages))


def test_server_context_overflow_triggers_compaction(server):
    overflow = "This model's maximum context length is 8192 tokens."
    server.add(
        step(calls=[call("get_weather", {"city": "Oslo"}, "w1")]),
        step(calls=[call("convert", {"celsius": 12}, "c1")]),
        {"status": 400, "body": {"error": {"message": overflow}}},
        step(content="53.6F"),
    )
    traj = Agent(make_client(server), TOOLS).run("Weather in F?")
    assert traj.stop_reason == "answered"
    assert len(msgs(server, 3)) < len(msgs(server, 2))
    assert len(traj.compactions) == 1


def test_rerun_replays_from_cache_without_requests(server):
    server.add(
        step(reasoning="R1", calls=[call("get_weather", {"city": "Oslo"}, "w1")]),
        step(reasoning="R2", calls=[call("convert", {"celsius": 12}, "c1")]),
        step(content="53.6F"),
    )
    recorder = MemoryRecorder()
    first = Agent(make_client(server, recorder=recorder), TOOLS).run("Weather in F?")
    assert server.request_count == 3
    again = Agent(make_client(server, recorder=recorder), TOOLS).run("Weather in F?")
    assert server.request_count == 3  # nothing sent: every request was replayed
    assert again.messages == first.messages and again.final_answer == "53.6F"
    assert all(s.cached for s in again.steps)
    assert [r.status for r in recorder.records] == ["ok"] * 3 + ["cached"] * 3


def test_summary_failure_falls_back_to_discarding(server):
    server.add(
        step(calls=[call("get_weather", {"city": "Oslo"}, "w1")], total=100),
        step(calls=[call("convert", {"celsius": 12}, "c1")], total=900),
        {"status": 500},  # the summary call fails (max_retries=1: twice)
        {"status": 500},
        step(content="53.6F"),
    )
    config = AgentConfig(context_window=1000, context_strategy="summarize")
    traj = Agent(make_client(server), TOOLS, config).run("Weather in F?")
    assert traj.stop_reason == "answered"
    (comp,) = traj.compactions
    assert comp.strategy == "discard_oldest_tool_turns" and comp.summary is None
    assert comp.error and "summary failed" in comp.error
    assert [m["role"] for m in msgs(server, 4)] == ["user", "assistant", "tool"]


def test_no_strategy_reports_overflow_as_error(server):
    overflow = "This model's maximum context length is 8192 tokens."
    server.add(
        step(calls=[call("get_weather", {"city": "Oslo"}, "w1")]),
        step(calls=[call("convert", {"celsius": 12}, "c1")]),
        {"status": 400, "body": {"error": {"message": overflow}}},
    )
    config = AgentConfig(context_strategy="none")
    traj = Agent(make_client(server), TOOLS, config).run("Weather in F?")
    assert traj.stop_reason == "error" and "LLMContextOverflow" in (traj.error or "")
    assert traj.compactions == ()
