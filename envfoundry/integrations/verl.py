"""verl adapter (0.9.x): the ``envfoundry_agent`` agent loop and its per-episode tools.

:class:`EnvfoundryAgentLoop` subclasses verl's tool agent loop. For each sample it opens an
episode on ``extra_info["task_id"]``, shows the model that episode's own tools with their
full OpenAI schemas (not verl's truncated property schema), answers tool calls through
:class:`EpisodeTool` (a ``BaseTool`` proxy that calls the runtime), stops once the submit
tool was called, and sets ``reward_score`` from the verdict — 0.0 when nothing was
submitted or anything failed, never None — closing the episode in ``finally``. Bad tool
calls are observations the model sees; per-call timeouts come from the runtime
(``call_timeout_s`` shortens them).

verl finds the loop through ``rollout.agent.agent_loop_config_path``; ``envfoundry export
--format verl`` writes that file (``agent_loop.yaml``) beside the parquet files, and rows
whose ``agent_name`` is ``envfoundry_agent``.
"""

from __future__ import annotations

import contextlib
from typing import Any
from uuid import uuid4

from verl.experimental.agent_loop.agent_loop import AgentLoopOutput, register
from verl.experimental.agent_loop.tool_agent_loop import AgentData, AgentState, ToolAgentLoop
from verl.tools.base_tool import BaseTool
from verl.tools.schemas import OpenAIFunctionToolSchema, ToolResponse

from envfoundry.errors import ConfigError
from envfoundry.integrations.common import async_client, tool_text
from envfoundry.runtime.client import AsyncRemoteEpisode, RuntimeClientError
from envfoundry.runtime.rollouts import parse_answer

AGENT_NAME = "envfoundry_agent"


def short_schema(tool: dict[str, Any]) -> OpenAIFunctionToolSchema:
    """verl's own (flat) schema of a tool: what its tool-call parser needs, names and types."""
    fn = tool["function"]
    params = fn.get("parameters") or {}
    props = {
        name: {
            "type": spec.get("type", "object"),
            "description": spec.get("description"),
            "enum": spec.get("enum"),
        }
        for name, spec in (params.get("properties") or {}).items()
    }
    return OpenAIFunctionToolSchema.model_validate(
        {
            "type": "function",
            "function": {
                "name": fn["name"],
                "description": fn.get("description") or fn["name"],
                "parameters": {
                    "type": "object",
                    "properties": props,
                    "required": list(params.get("required") or []),
                },
            },
        }
    )


class EpisodeTool(BaseTool):
    """One tool of one open episode: ``execute`` is a call on the runtime."""

    def __init__(
        self, episode: AsyncRemoteEpisode, tool: dict[str, Any], timeout_s: float | None = None
    ) -> None:
        # BaseTool.__init__ only stores these (and prints the schema): set them directly.
        self.config = {"type": "native"}
        self.tool_schema = short_schema(tool)
        self.name = self.tool_schema.function.name
        self.episode = episode
        self.timeout_s = timeout_s

    async def create(
        self, instance_id: str | None = None, **kwargs: Any
    ) -> tuple[str, ToolResponse]:
        return instance_id or uuid4().hex, ToolResponse()

    async def execute(
        self, instance_id: str, parameters: dict[str, Any], **kwargs: Any
    ) -> tuple[ToolResponse, float, dict[str, Any]]:
        try:
            obs = await self.episode.call(self.name, parameters, self.timeout_s)
        except RuntimeClientError as exc:
            obs = {"error": str(exc)}
        return ToolResponse(text=tool_text(obs)), 0.0, {}

    async def calc_reward(self, instance_id: str, **kwargs: Any) -> float:
        return 0.0  # the episode's reward is the verdict, set on the whole trajectory

    async def release(self, instance_id: str, **kwargs: Any) -> None:
        return None  # the episode outlives single calls; the agent loop closes it


@register(AGENT_NAME)
class EnvfoundryAgentLoop(ToolAgentLoop):
    """verl's tool agent loop over one envfoundry episode per sample."""

    def __init__(
        self,
        *args: Any,
        runtime_url: str | None = None,
        call_timeout_s: float | None = None,
        max_connections: int = 256,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not runtime_url:
            raise ConfigError(
                f"{AGENT_NAME} needs runtime_url in its agent loop config "
                "(agent_loop.yaml from `envfoundry export --format verl --runtime-url ...`)"
            )
        self.runtime_url = runtime_url
        self.call_timeout_s = call_timeout_s
        self.max_connections = max_connections
        self.episode: AsyncRemoteEpisode | None = None
        self.result: dict[str, Any] = {}

    async def run(self, sampling_params: dict[str, Any], **kwargs: Any) -> AgentLoopOutput:
        task_id = (kwargs.get("extra_info") or {}).get("task_id")
        if not task_id:
            raise ConfigError(f"{AGENT_NAME} needs extra_info['task_id'] in every row")
        client = async_client(self.runtime_url, self.max_connections)
        self.episode = await client.open(str(task_id))
        reward = 0.0
        self.result = {"reward": 0.0, "passed": False, "metrics": {}}
        try:
            output = await super().run(sampling_params, **kwargs)
            reward = await self._finish()
        finally:
            ep, self.episode = self.episode, None
            with contextlib.suppress(RuntimeClientError):  # its time-to-live frees it anyway
                await ep.close()
        output.reward_score = reward
        output.extra_fields["envfoundry"] = self.result
        return output

    async def _finish(self) -> float:
        """Submit the last assistant message when nothing was submitted; the reward."""
        ep = self.episode
        if ep is None:
            return 0.0
        try:
            if not ep.done:
                text = self._last_assistant_text()
                try:
                    answer = parse_answer(text)
                except ValueError:
                    return 0.0
                await ep.submit(answer)
        except RuntimeClientError as exc:
            self.result["reason"] = str(exc)
            return 0.0
        if ep.verdict is None:
            return 0.0
        self.result = {
            "reward": float(ep.verdict.reward),
            "passed": ep.verdict.passed,
            "reason": ep.verdict.reason,
            "infra_error": ep.verdict.infra_error,
            "metrics": ep.metrics,
        }
        return float(ep.verdict.reward)

    def _last_assistant_text(self) -> str | None:
        for msg in reversed(self._messages):
            if msg.get("role") == "assistant" and isinstance(msg.get("content"), str):
                return str(msg["content"])
        return None

    async def _handle_pending_state(
        self, agent_data: AgentData, sampling_params: dict[str, Any]
    ) -> AgentState:
        ep = self.episode
        if ep is None:
            raise ConfigError("no episode is open")
        # The episode's own tools: full OpenAI schemas in the prompt, proxies to run them.
        agent_data._active_tools = {  # type: ignore[attr-defined]
            t["function"]["name"]: EpisodeTool(ep, t, self.call_timeout_s) for t in ep.tools
        }
        agent_data._active_tool_schemas = list(ep.tools)  # type: ignore[attr-defined]
        self._messages = agent_data.messages
        return await super()._handle_pending_state(agent_data, sampling_params)

    async def _handle_processing_tools_state(self, agent_data: AgentData) -> AgentState:
        state = await super()._handle_processing_tools_state(agent_data)
        if self.episode is not None and self.episode.done:
            return AgentState.TERMINATED  # submitted (or out of budget): nothing left to do
        return state


def agent_loop_config(
    runtime_url: str, call_timeout_s: float | None = None
) -> list[dict[str, Any]]:
    """The entry for verl's ``rollout.agent.agent_loop_config_path`` file."""
    entry: dict[str, Any] = {
        "name": AGENT_NAME,
        "_target_": f"{EnvfoundryAgentLoop.__module__}.{EnvfoundryAgentLoop.__qualname__}",
        "runtime_url": runtime_url,
    }
    if call_timeout_s is not None:
        entry["call_timeout_s"] = call_timeout_s
    return [entry]
