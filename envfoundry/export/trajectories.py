"""Reference trajectories as OpenAI-style SFT examples: ``{"messages": [...], "tools": [...]}``.

Sources, in order, over a task's *passing* reference attempts:

1. a stored trajectory blob (``Attempt.trajectory_blob``): JSON, either a list of chat
   messages or an object with ``messages`` (and optionally ``tools``);
2. the reference run's recorded tool calls — ``verdict.details["tool_calls"]``, or an
   answer wrapped as ``{"answer": ..., "tool_calls": [...]}`` — each call shaped like the
   runner's ``ToolResult`` (``name``, ``args``, ``result`` or ``error``): a minimal
   trajectory is rebuilt as one assistant tool call + one tool reply per call, then the
   submit tool called with the answer (as the runtime serves an episode). Every recorded
   call is replayed (the reference record is not capped), so the demo is the complete
   reference trajectory; a record whose results were cut to ``{"truncated": true, ...}``
   gives no demo (``truncated_observation``): it needs source 1;
3. otherwise the task is skipped, with the reason counted in the manifest.

Messages keep only the OpenAI chat keys (``role``, ``content``, ``tool_calls``,
``tool_call_id``, ``name``); provider extras such as ``reasoning_content`` are dropped.
"""

from __future__ import annotations

import json
from typing import Any

from envfoundry.errors import NotFoundError, StoreError
from envfoundry.models import Attempt
from envfoundry.storage.blobs import BlobStore

MESSAGE_KEYS = ("role", "content", "tool_calls", "tool_call_id", "name")
ROLES = frozenset({"system", "user", "assistant", "tool"})


def sft_example(
    record: dict[str, Any], attempts: list[Attempt], blobs: BlobStore
) -> tuple[dict[str, Any] | None, str]:
    """``(example, source)``; source is ``trajectory``/``reconstructed``, or why it was skipped."""
    if not attempts:
        return None, "no_passing_reference"
    reason = "no_trajectory"
    for a in attempts:
        if a.trajectory_blob is None:
            continue
        try:
            data = json.loads(blobs.get_bytes(a.trajectory_blob))
        except (NotFoundError, StoreError):
            reason = "trajectory_blob_missing"
            continue
        except (ValueError, UnicodeDecodeError):
            reason = "trajectory_blob_invalid"
            continue
        example = _from_blob(record, data)
        if example is not None:
            return example, "trajectory"
        reason = "trajectory_blob_invalid"
    for a in attempts:
        example, why = _reconstruct(record, a)
        if example is not None:
            return example, "reconstructed"
        reason = why or reason
    return None, reason


def _clean(msg: Any) -> dict[str, Any] | None:
    if not isinstance(msg, dict) or msg.get("role") not in ROLES:
        return None
    return {k: msg[k] for k in MESSAGE_KEYS if k in msg}


def _from_blob(record: dict[str, Any], data: Any) -> dict[str, Any] | None:
    if isinstance(data, dict) and isinstance(data.get("agent"), dict):
        data = data["agent"]  # a runtime rollout record: the agent loop's trajectory
    raw = data.get("messages") if isinstance(data, dict) else data
    if not isinstance(raw, list) or not raw:
        return None
    messages = [_clean(m) for m in raw]
    if any(m is None for m in messages):
        return None
    msgs: list[dict[str, Any]] = [m for m in messages if m is not None]
    if not any(m["role"] == "user" for m in msgs):
        # A trajectory stored without its prompt: put the task's own messages first.
        lead = [m for m in msgs if m["role"] == "system"]
        msgs = list(record["messages"]) + msgs[len(lead) :]
    if msgs[-1]["role"] != "assistant":
        return None
    tools = data.get("tools") if isinstance(data, dict) and data.get("tools") else record["tools"]
    return {"messages": msgs, "tools": tools}


def recorded_calls(a: Attempt) -> tuple[list[Any], Any] | None:
    calls = a.verdict.details.get("tool_calls")
    answer = a.answer
    if calls is None and isinstance(a.answer, dict) and "answer" in a.answer:
        calls = a.answer.get("tool_calls")
        answer = a.answer["answer"]
    if not isinstance(calls, list) or not all(
        isinstance(c, dict) and isinstance(c.get("name"), str) for c in calls
    ):
        return None
    return calls, answer


def truncated(result: Any) -> bool:
    """Whether a recorded tool result is the verifier's stand-in for a result too large to
    keep (``{"truncated": true, "chars": n}``), not the observation itself."""
    return (
        isinstance(result, dict)
        and result.get("truncated") is True
        and set(result)
        <= {
            "truncated",
            "chars",
        }
    )


def _reconstruct(record: dict[str, Any], a: Attempt) -> tuple[dict[str, Any] | None, str]:
    found = recorded_calls(a)
    if found is None:
        return None, ""
    calls, answer = found
    if any(not c.get("error") and truncated(c.get("result")) for c in calls):
        # A demo must show the observations the reference acted on; a stand-in would teach
        # a model to act on results it never saw. Such a reference needs its trajectory
        # stored as a blob (source 1), which has every result in full.
        return None, "truncated_observation"
    msgs: list[dict[str, Any]] = list(record["messages"])
    for i, call in enumerate(calls):
        call_id = f"call_{i}"
        args = call.get("args") or call.get("arguments") or {}
        msgs.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {
                            "name": call["name"],
                            "arguments": args if isinstance(args, str) else _dumps(args),
                        },
                    }
                ],
            }
        )
        reply = {"error": call["error"]} if call.get("error") else call.get("result")
        msgs.append({"role": "tool", "tool_call_id": call_id, "content": _dumps(reply)})
    # the episode ends as the runtime ends it: a call of the submit tool with the answer
    submit = record["tools"][-1]["function"]["name"]
    msgs.append(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": f"call_{len(calls)}",
                    "type": "function",
                    "function": {"name": submit, "arguments": _dumps({"answer": answer})},
                }
            ],
        }
    )
    return {"messages": msgs, "tools": record["tools"]}, ""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
