"""Domain model: validation errors name the field, ids are content hashes."""

from __future__ import annotations

import pytest

from envfoundry.errors import SpecError
from envfoundry.ids import canonical_json, content_id
from envfoundry.models import (
    Attempt,
    EnvironmentSpec,
    TaskSpec,
    ToolSpec,
    Verdict,
    VerifierSpec,
)
from tests.factories import make_env, make_task


def test_bad_tool_name_is_rejected_with_the_field_named() -> None:
    with pytest.raises(SpecError, match=r"name: .*OpenAI function-name rules"):
        ToolSpec.parse({"name": "get cities!", "description": "x"})
    with pytest.raises(SpecError, match="name"):
        ToolSpec.parse({"name": "x" * 65, "description": "x"})


def test_bad_parameter_schema_is_rejected_with_the_path() -> None:
    with pytest.raises(SpecError, match=r"parameters: .*properties/city/type"):
        ToolSpec.parse(
            {
                "name": "get_city",
                "description": "x",
                "parameters": {"type": "object", "properties": {"city": {"type": "text"}}},
            }
        )
    with pytest.raises(SpecError, match="type 'object'"):
        ToolSpec.parse({"name": "f", "description": "x", "parameters": {"type": "array"}})


def test_unknown_fields_and_mutation_are_refused() -> None:
    with pytest.raises(SpecError, match="colour: Extra inputs"):
        ToolSpec.parse({"name": "f", "description": "x", "colour": "red"})
    tool = ToolSpec(name="f", description="x")
    with pytest.raises(Exception, match="frozen"):
        tool.name = "g"  # type: ignore[misc]


def test_duplicate_tool_names_in_an_environment() -> None:
    t = ToolSpec(name="f", description="x")
    with pytest.raises(SpecError, match="duplicate tool names: f"):
        EnvironmentSpec.parse(
            {
                "family": "general",
                "category": "c",
                "name": "n",
                "tools": [t.model_dump(), t.model_dump()],
            }
        )


def test_bad_answer_schema_and_reward_range() -> None:
    env = make_env()
    with pytest.raises(SpecError, match="answer_schema"):
        TaskSpec.parse(
            {
                "env_id": env.id,
                "family": "general",
                "category": "c",
                "prompt": "p",
                "answer_schema": {"type": 7},
                "verifier": {"kind": "exact"},
            }
        )
    with pytest.raises(SpecError, match="reward"):
        Verdict.parse({"passed": True, "reward": 1.5})


def test_ids_are_deterministic_content_hashes() -> None:
    a, b = make_env(1), make_env(1)
    assert a.id == b.id and a.id.startswith("env_")
    assert make_env(2).id != a.id
    # key order does not matter: canonical JSON sorts keys
    assert content_id("x", {"b": 1, "a": 2}) == content_id("x", {"a": 2, "b": 1})
    assert (
        canonical_json({"b": [1, {"d": 1, "c": 2}], "a": None})
        == '{"a":null,"b":[1,{"c":2,"d":1}]}'
    )
    # a round trip through JSON keeps the id
    t = make_task(a, 3)
    assert TaskSpec.model_validate_json(t.model_dump_json()).id == t.id
    # the same payload as another kind gets another id
    assert content_id("task", {"x": 1}) != content_id("env", {"x": 1})


def test_attempt_identity_is_task_kind_label() -> None:
    v = Verdict.ok()
    a1 = Attempt(task_id="t", kind="control", label="control:empty", verdict=v, duration_s=1.0)
    a2 = Attempt(
        task_id="t",
        kind="control",
        label="control:empty",
        verdict=Verdict.fail("x"),
        duration_s=2.0,
    )
    a3 = Attempt(task_id="t", kind="control", label="control:random", verdict=v)
    assert a1.id == a2.id != a3.id


def test_openai_schema_and_verifier_spec() -> None:
    t = ToolSpec(
        name="get_weather", description="Weather.", parameters={"type": "object", "properties": {}}
    )
    assert t.openai_schema()["function"]["name"] == "get_weather"
    with pytest.raises(SpecError, match="kind"):
        VerifierSpec.parse({"kind": "vibes"})
