"""Structured output against the real scripted HTTP server: parse, validate, repair, reject."""

from __future__ import annotations

import json

import pytest

from envfoundry.generators.llm import LLMClient, StructuredOutputError, complete_json
from envfoundry.generators.llm.structured import parse_json
from envfoundry.generators.llm.testserver import FakeLLMServer

SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "temp_c": {"type": "number"}},
    "required": ["city", "temp_c"],
    "additionalProperties": False,
}


def reply(content: str, reasoning: str | None = None) -> dict:
    return {"reply": {"content": content, "reasoning_content": reasoning}}


@pytest.fixture
def server():
    with FakeLLMServer() as s:
        yield s


def client_for(server: FakeLLMServer) -> LLMClient:
    return LLMClient(server.base_url, "fake-model", max_retries=0)


def test_malformed_json_repaired_within_budget(server):
    server.add(
        reply('{"city": "Oslo", "temp_c": ', reasoning="R1"),
        reply('{"city": "Oslo", "temp_c": "twelve"}'),
        reply('```json\n{"city": "Oslo", "temp_c": 12}\n```'),
    )
    result = complete_json(
        client_for(server), [{"role": "user", "content": "Oslo weather"}], SCHEMA, max_repairs=2
    )
    assert result.value == {"city": "Oslo", "temp_c": 12}
    assert result.attempts == 3 and len(result.errors) == 2
    first = server.requests[0]
    assert first["response_format"] == {"type": "json_object"}
    assert "JSON Schema" in first["messages"][0]["content"]
    second = server.requests[1]["messages"]
    assert [m["role"] for m in second] == ["user", "assistant", "user"]
    assert "not valid JSON" in second[2]["content"]
    assert "reasoning_content" not in second[1]  # a new user turn drops earlier reasoning
    third = server.requests[2]["messages"]
    assert "temp_c: 'twelve' is not of type 'number'" in third[4]["content"]


def test_rejected_with_reason_after_budget(server):
    server.add(reply("sorry, no JSON"), reply('{"city": "Oslo"}'))
    with pytest.raises(StructuredOutputError) as info:
        complete_json(
            client_for(server), [{"role": "user", "content": "Oslo weather"}], SCHEMA, max_repairs=1
        )
    err = info.value
    assert "'temp_c' is a required property" in err.reason
    assert [a["content"] for a in err.attempts] == ["sorry, no JSON", '{"city": "Oslo"}']
    assert "not valid JSON" in err.attempts[0]["error"]
    assert server.request_count == 2


def test_parse_json_forms():
    assert parse_json('{"a": 1}') == {"a": 1}
    assert parse_json('Here you go: {"a": [1, 2]} hope it helps') == {"a": [1, 2]}
    assert parse_json("```\n[1, 2]\n```") == [1, 2]
    for bad in ("", None, "nope"):
        with pytest.raises(ValueError):
            parse_json(bad)


def test_invalid_schema_is_rejected_before_any_call(server):
    with pytest.raises(ValueError, match="not a valid JSON Schema"):
        complete_json(client_for(server), [{"role": "user", "content": "x"}], {"type": 5})
    assert server.request_count == 0
    assert json.dumps(SCHEMA)  # schema itself stays untouched
