"""verifiers adapter: an installable multi-turn environment over the episode runtime.

Built on verifiers' classic multi-turn environment (``vf.MultiTurnEnv``, verifiers 0.3.x;
0.4 keeps only its new Taskset/Harness stack). Per rollout:

- ``setup_state`` opens an episode on the row's ``info["task_id"]`` and puts that
  episode's own tools into ``state["tool_defs"]`` in verifiers' flat format;
- ``env_response`` answers each tool call through the runtime (bad calls come back as
  error observations); a call of the submit tool ends the rollout;
- a cleanup hook (which verifiers runs before the rubric) submits the final message as
  the answer when the policy never called the submit tool, stores the verdict and its
  metrics in ``state["envfoundry"]`` and closes the episode;
- the rubric's reward is that stored verdict's reward, its metrics the verdict's numbers.

    env = load_environment(tasks=["task_..."], runtime_url="http://127.0.0.1:8765")
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import verifiers as vf
from datasets import Dataset
from verifiers.types import Messages, State, ToolMessage

from envfoundry.integrations.common import async_client, task_views, tool_text
from envfoundry.runtime.client import AsyncRemoteEpisode, RuntimeClientError
from envfoundry.runtime.rollouts import parse_answer

_EPISODE = "envfoundry_episode"


async def envfoundry_reward(state: State, **kwargs: Any) -> float:
    """The verdict's reward (0.0 when the rollout broke before one)."""
    return float((state.get("envfoundry") or {}).get("reward", 0.0))


async def envfoundry_passed(state: State, **kwargs: Any) -> float:
    return float(bool((state.get("envfoundry") or {}).get("passed")))


async def envfoundry_steps(state: State, **kwargs: Any) -> float:
    return float((state.get("envfoundry") or {}).get("metrics", {}).get("steps", 0))


async def envfoundry_tool_errors(state: State, **kwargs: Any) -> float:
    return float((state.get("envfoundry") or {}).get("metrics", {}).get("tool_errors", 0))


class EnvfoundryEnv(vf.MultiTurnEnv):
    """Rollouts on envfoundry tasks: tools and reward from the runtime at ``runtime_url``."""

    def __init__(
        self, runtime_url: str, dataset: Dataset, max_turns: int = 50, **kwargs: Any
    ) -> None:
        rubric = vf.Rubric(funcs=[envfoundry_reward], weights=[1.0])
        for metric in (envfoundry_passed, envfoundry_steps, envfoundry_tool_errors):
            rubric.add_metric(metric)
        super().__init__(dataset=dataset, rubric=rubric, max_turns=max_turns, **kwargs)
        self.runtime_url = runtime_url

    async def setup_state(self, state: State) -> State:
        task_id = (state.get("info") or {}).get("task_id")
        if not task_id:
            raise vf.Error("row has no info['task_id']")
        try:
            ep = await async_client(self.runtime_url).open(str(task_id))
        except RuntimeClientError as exc:
            raise vf.Error(f"could not open an episode on {task_id}: {exc}") from exc
        state[_EPISODE] = ep
        state["tool_defs"] = [vf.Tool(**t) for t in ep.tool_defs]
        return state

    @vf.stop
    async def episode_over(self, state: State) -> bool:
        ep = state.get(_EPISODE)
        return bool(ep is not None and ep.done)

    @vf.stop
    async def no_tool_calls(self, state: State) -> bool:
        if not state["trajectory"]:
            return False
        last = state["trajectory"][-1]["completion"][-1]
        return last.role == "assistant" and not getattr(last, "tool_calls", None)

    async def env_response(self, messages: Messages, state: State, **kwargs: Any) -> Messages:
        ep: AsyncRemoteEpisode = state[_EPISODE]
        out: list[ToolMessage] = []
        for call in getattr(messages[-1], "tool_calls", None) or []:
            try:
                args = json.loads(call.arguments or "{}")
            except ValueError as exc:
                obs: Any = {"error": f"arguments are not JSON: {exc}"}
            else:
                obs = await self._call(ep, call.name, args)
            out.append(ToolMessage(role="tool", tool_call_id=call.id, content=tool_text(obs)))
        if ep.done:
            state["final_env_response"] = out
        return out

    async def _call(self, ep: AsyncRemoteEpisode, name: str, args: Any) -> Any:
        if ep.done:
            return {"error": "the episode is over"}
        if not isinstance(args, dict):
            return {"error": f"arguments of {name} must be a JSON object"}
        try:
            return await ep.call(name, args)
        except RuntimeClientError as exc:
            return {"error": str(exc)}

    @vf.cleanup
    async def finish_episode(self, state: State) -> None:
        """Submit the final message when nothing was submitted; record the verdict; close."""
        ep: AsyncRemoteEpisode | None = state.get(_EPISODE)
        if ep is None:
            return
        result: dict[str, Any] = {"reward": 0.0, "passed": False, "metrics": {}}
        try:
            if not ep.done and state.get("error") is None:
                try:
                    answer = parse_answer(_last_text(state))
                except ValueError:
                    pass  # no answer: closing ends the episode with reward 0
                else:
                    try:
                        await ep.submit(answer)
                    except RuntimeClientError as exc:
                        result["reason"] = str(exc)  # e.g. off the answer schema
            await ep.close()
            if ep.verdict is not None:
                result = {
                    "reward": float(ep.verdict.reward),
                    "passed": ep.verdict.passed,
                    "reason": ep.verdict.reason,
                    "infra_error": ep.verdict.infra_error,
                    "metrics": ep.metrics,
                }
        except RuntimeClientError as exc:
            result["reason"] = f"runtime failed: {exc}"
        finally:
            state["envfoundry"] = result
            state[_EPISODE] = None


def _last_text(state: State) -> str | None:
    for step in reversed(state.get("trajectory") or []):
        for msg in reversed(step["completion"]):
            if msg.role == "assistant" and isinstance(msg.content, str) and msg.content.strip():
                return msg.content
    return None


def load_environment(
    tasks: Sequence[str], runtime_url: str, max_turns: int = 50, **kwargs: Any
) -> EnvfoundryEnv:
    """The environment over ``tasks`` (task ids) served by the runtime at ``runtime_url``.

    Each row's prompt is the episode's own system and user messages; ``info`` holds the
    task id and the task's tools in the flat format (the episode sets them again).
    """
    views = task_views(runtime_url, tasks)
    rows = [
        {
            "prompt": v["messages"],
            "info": json.dumps({"task_id": v["id"], "tool_defs": v["tool_defs"]}),
            "answer": "",
        }
        for v in views
    ]
    return EnvfoundryEnv(runtime_url, Dataset.from_list(rows), max_turns=max_turns, **kwargs)
