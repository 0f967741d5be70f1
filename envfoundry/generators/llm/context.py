"""Context management for agent loops: DeepSeek-V3.2's thinking rule and context compaction.

Thinking rule: ``reasoning_content`` of earlier assistant turns is sent back while only
tool results follow it, and dropped from every assistant turn before the latest user
message. Tool calls and tool results are always kept.

Compaction removes whole tool turns (an assistant message with ``tool_calls`` and the
tool results answering it), never the system prompt, the first user message or the most
recent tool turns.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from envfoundry.generators.llm.messages import Message, estimate_tokens


def apply_thinking_rule(
    messages: Sequence[Message], *, send_reasoning: bool = True
) -> list[Message]:
    """The messages to send: reasoning kept only on assistant turns after the last user turn.

    With ``send_reasoning=False`` (servers that reject the field) it is dropped everywhere.
    """
    last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    out = []
    for i, m in enumerate(messages):
        if (
            m.get("role") == "assistant"
            and "reasoning_content" in m
            and (i < last_user or not send_reasoning)
        ):
            m = {k: v for k, v in m.items() if k != "reasoning_content"}
        out.append(dict(m))
    return out


def protected_prefix(messages: Sequence[Message]) -> int:
    """Length of the prefix never compacted: system messages and the first user message."""
    for i, m in enumerate(messages):
        if m.get("role") == "user":
            return i + 1
    return len(messages)


def tool_turns(messages: Sequence[Message]) -> list[list[int]]:
    """Indices of each tool turn: an assistant message with tool calls plus its tool results."""
    turns: list[list[int]] = []
    i = 0
    while i < len(messages):
        m = messages[i]
        if m.get("role") == "assistant" and m.get("tool_calls"):
            ids = {c.get("id") for c in m["tool_calls"]}
            span = [i]
            j = i + 1
            while j < len(messages) and messages[j].get("role") == "tool":
                if messages[j].get("tool_call_id") in ids or not ids:
                    span.append(j)
                j += 1
            turns.append(span)
            i = j
        else:
            i += 1
    return turns


def droppable_turns(messages: Sequence[Message], keep_recent: int = 1) -> list[list[int]]:
    """Tool turns that compaction may remove, oldest first."""
    start = protected_prefix(messages)
    turns = [t for t in tool_turns(messages) if t[0] >= start]
    return turns[: max(0, len(turns) - keep_recent)]


def remove(messages: list[Message], indices: Sequence[int]) -> None:
    """Delete the messages at ``indices`` in place."""
    for i in sorted(set(indices), reverse=True):
        del messages[i]


def estimate_context(messages: Sequence[Message], tools: Sequence[dict[str, Any]] | None) -> int:
    """Estimated prompt tokens (chars/4) of messages plus tool schemas."""
    return estimate_tokens(list(messages)) + (estimate_tokens(list(tools)) if tools else 0)


def render_transcript(messages: Sequence[Message], *, max_chars_per_message: int = 2000) -> str:
    """Plain-text rendering of messages, for a summarisation prompt."""
    lines = []
    for m in messages:
        role = m.get("role", "?")
        content = m.get("content")
        text = (
            content
            if isinstance(content, str)
            else ("" if content is None else json.dumps(content))
        )
        if role == "assistant" and m.get("tool_calls"):
            calls = ", ".join(
                f"{c['function']['name']}({c['function'].get('arguments', '')})"
                for c in m["tool_calls"]
            )
            text = f"{text}\n[called {calls}]".strip()
        if role == "tool":
            role = f"tool result {m.get('tool_call_id', '')}".strip()
        if len(text) > max_chars_per_message:
            text = text[:max_chars_per_message] + " …[truncated]"
        lines.append(f"{role}: {text}")
    return "\n".join(lines)
