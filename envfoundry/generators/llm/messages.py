"""Wire types for OpenAI-compatible chat completions: typed replies, tool calls, usage.

Messages themselves stay plain ``dict`` objects in the OpenAI format (``role``,
``content``, ``tool_calls``, ``tool_call_id``, and DeepSeek's ``reasoning_content``),
because they are sent as-is and differ slightly between servers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from envfoundry.generators.llm.errors import LLMProtocolError
from envfoundry.models import ToolSpec

Message = dict[str, Any]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Usage(_Frozen):
    """Token counts of one reply (or a sum of replies)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_prompt_tokens: int = 0
    reasoning_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens + other.cached_prompt_tokens,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
        )

    @classmethod
    def from_openai(cls, raw: Any) -> Usage:
        if not isinstance(raw, dict):
            return cls()
        prompt = _int(raw.get("prompt_tokens"))
        completion = _int(raw.get("completion_tokens"))
        details = raw.get("prompt_tokens_details") or {}
        out_details = raw.get("completion_tokens_details") or {}
        cached = _int(raw.get("prompt_cache_hit_tokens"))  # DeepSeek
        if not cached and isinstance(details, dict):
            cached = _int(details.get("cached_tokens"))  # OpenAI
        reasoning = (
            _int(out_details.get("reasoning_tokens")) if isinstance(out_details, dict) else 0
        )
        return cls(
            prompt_tokens=prompt,
            completion_tokens=completion,
            total_tokens=_int(raw.get("total_tokens")) or prompt + completion,
            cached_prompt_tokens=cached,
            reasoning_tokens=reasoning,
        )


def _int(v: Any) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0


class ToolCall(_Frozen):
    """A function call the model asked for. ``arguments`` is the raw JSON text it wrote."""

    id: str
    name: str
    arguments: str = "{}"

    def parsed_arguments(self) -> Any:
        """The arguments as JSON; raises ``ValueError`` when the model wrote invalid JSON."""
        text = self.arguments.strip() or "{}"
        return json.loads(text)

    def to_openai(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


class ChatReply(_Frozen):
    """One assistant reply, parsed from a chat-completion body."""

    content: str | None = None
    reasoning_content: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    model: str = ""
    id: str | None = None
    request_hash: str = ""
    cached: bool = False
    latency_s: float = 0.0
    attempts: int = 1

    def assistant_message(self, *, include_reasoning: bool = True) -> Message:
        """The reply as an assistant message for the next request."""
        msg: Message = {"role": "assistant", "content": self.content}
        if include_reasoning and self.reasoning_content is not None:
            msg["reasoning_content"] = self.reasoning_content
        if self.tool_calls:
            msg["tool_calls"] = [tc.to_openai() for tc in self.tool_calls]
        return msg

    @classmethod
    def from_openai(cls, body: Any, **extra: Any) -> ChatReply:
        """Parse a chat-completion body; raises :class:`LLMProtocolError` when it is not one."""
        try:
            choice = body["choices"][0]
            message = choice["message"]
            if not isinstance(message, dict):
                raise TypeError("message is not an object")
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMProtocolError(
                f"reply is not a chat completion (no choices[0].message): {exc!r}",
                body=json.dumps(body)[:2000] if _jsonable(body) else repr(body)[:2000],
            ) from None
        # vLLM's newer reasoning parsers and Ollama call the field ``reasoning``.
        reasoning = message.get("reasoning_content")
        if reasoning is None:
            reasoning = message.get("reasoning")
        calls = []
        raw_calls = message.get("tool_calls") or []
        if not isinstance(raw_calls, list):
            raise LLMProtocolError("tool_calls is not a list", body=str(raw_calls)[:2000])
        for i, raw in enumerate(raw_calls):
            fn = raw.get("function") if isinstance(raw, dict) else None
            if not isinstance(fn, dict):
                raise LLMProtocolError(
                    f"tool call {i} has no function object", body=str(raw)[:2000]
                )
            name = fn.get("name")
            if not isinstance(name, str) or not name:
                raise LLMProtocolError(f"tool call {i} has no function name", body=str(raw)[:2000])
            args = fn.get("arguments")
            if args is None:
                args = "{}"
            elif not isinstance(args, str):  # some servers send an object
                args = json.dumps(args, ensure_ascii=False)
            call_id = raw.get("id")
            calls.append(ToolCall(id=str(call_id or f"call_{i}"), name=name, arguments=args))
        content = message.get("content")
        if content is not None and not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False)
        finish = choice.get("finish_reason")
        try:
            return cls(
                content=content,
                reasoning_content=reasoning if isinstance(reasoning, str) else None,
                tool_calls=tuple(calls),
                finish_reason=finish if isinstance(finish, str) else None,
                usage=Usage.from_openai(body.get("usage")),
                model=str(body.get("model") or ""),
                id=body.get("id") if isinstance(body.get("id"), str) else None,
                **extra,
            )
        except ValidationError as exc:
            raise LLMProtocolError(f"reply fields have unexpected types: {exc}") from None


def _jsonable(v: Any) -> bool:
    try:
        json.dumps(v)
    except (TypeError, ValueError):
        return False
    return True


def tool_schemas(
    tools: Sequence[ToolSpec | dict[str, Any]] | None,
) -> list[dict[str, Any]] | None:
    """Tools in the OpenAI ``tools`` format, from specs or already-formatted dicts."""
    if not tools:
        return None
    return [t.openai_schema() if isinstance(t, ToolSpec) else t for t in tools]


def estimate_tokens(value: Any) -> int:
    """A rough token count (characters / 4) of messages or any JSON value."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return (len(text) + 3) // 4
