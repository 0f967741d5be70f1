"""Structured output: ask for JSON, parse it, validate it against a JSON Schema, repair.

On a parse or validation failure the error goes back to the model as a user turn, for
at most ``max_repairs`` extra turns; then :class:`StructuredOutputError` is raised with
the reason and every attempt (raw text and error), so the proposal can be stored as a
rejection with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import jsonschema
from pydantic import BaseModel, ConfigDict

from envfoundry.generators.llm.client import LLMClient
from envfoundry.generators.llm.context import apply_thinking_rule
from envfoundry.generators.llm.errors import StructuredOutputError
from envfoundry.generators.llm.messages import Message, Usage
from envfoundry.models import check_json_schema

_FENCE_RE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


class StructuredResult(BaseModel):
    """A value that parsed and validated, with how many model calls it took."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: Any
    attempts: int
    errors: tuple[str, ...] = ()
    usage: Usage = Usage()


def parse_json(text: str | None) -> Any:
    """The JSON value in a reply: the whole text, a fenced block, or the first object/array."""
    if text is None or not text.strip():
        raise ValueError("the reply is empty")
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError as exc:
        first_error = exc
    fence = _FENCE_RE.search(stripped)
    if fence:
        try:
            return json.loads(fence.group(1).strip())
        except ValueError as exc:
            first_error = exc
    decoder = json.JSONDecoder()
    for i, ch in enumerate(stripped):
        if ch in "{[":
            try:
                return decoder.raw_decode(stripped, i)[0]
            except ValueError:
                continue
    raise ValueError(f"the reply is not valid JSON: {first_error}")


def schema_problem(value: Any, schema: dict[str, Any]) -> str | None:
    """Why ``value`` breaks ``schema`` (the most relevant error), or None when it conforms."""
    err = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(value)
    )
    if err is None:
        return None
    where = "/".join(str(p) for p in err.absolute_path) or "<root>"
    return f"at {where}: {err.message}"


def schema_instruction(schema: dict[str, Any] | None) -> str:
    if schema is None:
        return "Reply with a single JSON value and nothing else."
    return (
        "Reply with a single JSON value and nothing else, valid against this JSON Schema:\n"
        + json.dumps(schema, ensure_ascii=False, sort_keys=True)
    )


def complete_json(
    client: LLMClient,
    messages: Sequence[Message],
    schema: dict[str, Any] | None = None,
    *,
    max_repairs: int = 2,
    json_mode: bool = True,
    include_schema: bool = True,
    temperature: float | None = None,
    max_tokens: int | None = None,
    seed: int | None = None,
) -> StructuredResult:
    """Ask for JSON matching ``schema`` and repair it for up to ``max_repairs`` turns.

    ``include_schema`` appends the schema to the last user message. Raises
    :class:`StructuredOutputError` (reason + attempts) when no reply conforms, and the
    client's :class:`~envfoundry.errors.LLMError` subclasses when a call fails.
    """
    if schema is not None:
        check_json_schema(schema, "structured-output schema")
    if max_repairs < 0:
        raise ValueError("max_repairs must be >= 0")
    convo = [dict(m) for m in messages]
    if include_schema:
        _append_instruction(convo, schema_instruction(schema))
    attempts: list[dict[str, Any]] = []
    usage = Usage()
    for _ in range(max_repairs + 1):
        reply = client.chat(
            apply_thinking_rule(convo),
            json_mode=json_mode,
            temperature=temperature,
            max_tokens=max_tokens,
            seed=seed,
        )
        usage = usage + reply.usage
        try:
            value = parse_json(reply.content)
            problem = schema_problem(value, schema) if schema is not None else None
        except ValueError as exc:
            problem = str(exc)
        else:
            if problem is None:
                return StructuredResult(
                    value=value,
                    attempts=len(attempts) + 1,
                    errors=tuple(a["error"] for a in attempts),
                    usage=usage,
                )
            problem = f"the JSON does not match the schema {problem}"
        attempts.append(
            {"content": reply.content, "error": problem, "finish_reason": reply.finish_reason}
        )
        convo.append(reply.assistant_message(include_reasoning=True))
        convo.append(
            {
                "role": "user",
                "content": f"Your reply was rejected: {problem}. {schema_instruction(schema)}",
            }
        )
    raise StructuredOutputError(attempts[-1]["error"], attempts)


def _append_instruction(convo: list[Message], text: str) -> None:
    for m in reversed(convo):
        if m.get("role") == "user" and isinstance(m.get("content"), str):
            m["content"] = f"{m['content']}\n\n{text}"
            return
    convo.append({"role": "user", "content": text})
