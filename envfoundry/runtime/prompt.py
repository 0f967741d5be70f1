"""What a policy is shown: the one system prompt and tool list, for serving and for export.

The runtime serves an episode with :func:`episode_view`, and the export writes the same
messages and tools into every training record, so the prompt a model is trained on is
the prompt it is served.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

SUBMIT_TOOL = "submit"
DEFAULT_MAX_STEPS = 50
SYSTEM_PROMPT = """\
You are solving a task inside an environment that you can reach only through the tools \
you are given. Call tools to look things up and to make any changes the task asks for; \
tool results are JSON, and a failed call returns {{"error": ...}}. When you are done, call \
the `{submit}` tool once with your final answer (or POST it to the episode's submit \
endpoint). The answer must be JSON matching this schema:
{schema}
You can submit only once. You have at most {max_steps} tool calls."""


def submit_name(tool_names: Iterable[str]) -> str:
    """``submit``, unless the environment has a tool of that name already."""
    return SUBMIT_TOOL if SUBMIT_TOOL not in set(tool_names) else "submit_answer"


def submit_parameters(answer_schema: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"answer": answer_schema or {}},
        "required": ["answer"],
        "additionalProperties": False,
    }


SUBMIT_DESCRIPTION = "Submit your final answer (once). Ends the episode and returns the verdict."


def submit_schema(answer_schema: dict[str, Any] | None, name: str) -> dict[str, Any]:
    """The submit tool in the OpenAI ``tools`` format."""
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": SUBMIT_DESCRIPTION,
            "parameters": submit_parameters(answer_schema),
        },
    }


def system_prompt(answer_schema: dict[str, Any] | None, submit: str, max_steps: int) -> str:
    schema = json.dumps(answer_schema or {"description": "any JSON value"})
    return SYSTEM_PROMPT.format(submit=submit, schema=schema, max_steps=max_steps)


def episode_view(
    prompt: str,
    answer_schema: dict[str, Any] | None,
    tools: list[dict[str, Any]],
    max_steps: int = DEFAULT_MAX_STEPS,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """(messages, tools, submit tool name) for a task whose environment has ``tools``.

    ``tools`` are the environment's tools in the OpenAI format; the submit tool is added.
    """
    name = submit_name(t["function"]["name"] for t in tools)
    messages = [
        {"role": "system", "content": system_prompt(answer_schema, name, max_steps)},
        {"role": "user", "content": prompt},
    ]
    return messages, [*tools, submit_schema(answer_schema, name)], name
