"""OpenEnv adapter: the episode runtime served as an OpenEnv environment (openenv-core).

Any OpenEnv client (``MCPToolClient``, ``GenericEnvClient``; TRL, SkyRL and verifiers
speak it) talks to this server over OpenEnv's WebSocket sessions: one session is one
environment instance, and each ``reset(task_id=...)`` opens a fresh episode on the
envfoundry runtime behind it. Actions are OpenEnv's MCP-style ``list_tools`` /
``call_tool``; calling the episode's submit tool ends it with the verifier's reward
(``done`` and ``reward`` on the step result, the verdict and its metrics in the result).
Closing the session closes the episode. ``max_sessions`` caps the sessions served at once
(OpenEnv refuses the next one); keep it at or below the runtime's ``max_episodes``.

    python -m envfoundry.integrations.openenv --runtime-url http://127.0.0.1:8765 --port 8770
"""

from __future__ import annotations

import argparse
import contextlib
import functools
from typing import Any

from fastapi import FastAPI
from openenv.core.env_server import (
    Action,
    CallToolAction,
    CallToolObservation,
    ListToolsAction,
    ListToolsObservation,
    Observation,
    State,
    Tool,
    ToolError,
    ToolErrorType,
    create_fastapi_app,
)
from openenv.core.env_server.interfaces import Environment
from openenv.core.env_server.types import ConcurrencyConfig

from envfoundry.integrations.common import sync_client
from envfoundry.runtime.client import RemoteEpisode, RuntimeClientError


class EpisodeObservation(Observation):
    """What ``reset`` returns: the opened episode's prompt and tools.

    (Field names avoid ``tools`` and ``tool_name``, which OpenEnv's MCP client reads as
    a tool-list or tool-call observation.)
    """

    episode_id: str
    task_id: str
    messages: list[dict[str, Any]]
    openai_tools: list[dict[str, Any]]
    tool_defs: list[dict[str, Any]]
    submit_tool: str


class EnvfoundryEnvironment(Environment[Action, Observation, State]):
    """One OpenEnv session: at most one open runtime episode at a time."""

    SUPPORTS_CONCURRENT_SESSIONS = True

    def __init__(self, runtime_url: str, call_timeout_s: float | None = None) -> None:
        super().__init__()
        self.runtime_url = runtime_url
        self.call_timeout_s = call_timeout_s
        self._episode: RemoteEpisode | None = None
        self._steps = 0

    # ------------------------------------------------------------------ OpenEnv API

    def reset(
        self,
        seed: int | None = None,
        episode_id: str | None = None,
        task_id: str | None = None,
        **kwargs: Any,
    ) -> Observation:
        """Open a fresh episode on ``task_id`` (the previous one of this session closes)."""
        if not task_id:
            raise ValueError("reset needs task_id=<an envfoundry task id>")
        self._close_episode()
        self._steps = 0
        ep = self._episode = sync_client(self.runtime_url).open(task_id)
        return EpisodeObservation(
            episode_id=ep.id,
            task_id=ep.task_id,
            messages=ep.messages,
            openai_tools=ep.tools,
            tool_defs=ep.tool_defs,
            submit_tool=ep.submit_tool,
            done=False,
            reward=None,
        )

    def step(self, action: Action, timeout_s: float | None = None, **kwargs: Any) -> Observation:
        ep = self._episode
        if isinstance(action, ListToolsAction):
            tools = [] if ep is None else ep.tool_defs
            return ListToolsObservation(
                tools=[
                    Tool(name=t["name"], description=t["description"], input_schema=t["parameters"])
                    for t in tools
                ],
                done=bool(ep and ep.done),
            )
        if not isinstance(action, CallToolAction):
            raise ValueError(
                f"unsupported action {type(action).__name__}: use list_tools/call_tool"
            )
        name = action.tool_name
        if ep is None:
            return self._tool_error(name, ToolErrorType.EXECUTION_ERROR, "reset(task_id=...) first")
        self._steps += 1
        try:
            out = ep.call_full(name, action.arguments, timeout_s or self.call_timeout_s)
        except RuntimeClientError as exc:
            kind = (
                ToolErrorType.EXECUTION_ERROR
                if exc.status == 409
                else ToolErrorType.TRANSPORT_ERROR
            )
            return self._tool_error(name, kind, str(exc), done=ep.done)
        done = bool(out["done"])
        reward = None
        if done:
            reward = 0.0 if ep.verdict is None else float(ep.verdict.reward)
        return CallToolObservation(
            tool_name=name, result=out["observation"], done=done, reward=reward
        )

    @property
    def state(self) -> State:
        ep = self._episode
        return State(
            episode_id=None if ep is None else ep.id,
            step_count=self._steps,
            task_id=None if ep is None else ep.task_id,
            done=bool(ep and ep.done),
            verdict=None if ep is None or ep.verdict is None else ep.verdict.model_dump(),
            metrics={} if ep is None else ep.metrics,
        )

    def close(self) -> None:
        self._close_episode()

    # ------------------------------------------------------------------ internals

    def _tool_error(
        self, name: str, kind: ToolErrorType, message: str, done: bool = False
    ) -> CallToolObservation:
        return CallToolObservation(
            tool_name=name,
            error=ToolError(error_type=kind, message=message),
            done=done,
            reward=0.0 if done else None,
        )

    def _close_episode(self) -> None:
        ep, self._episode = self._episode, None
        if ep is not None:
            with contextlib.suppress(RuntimeClientError):  # its time-to-live frees it anyway
                ep.close()


def create_app(
    runtime_url: str,
    max_sessions: int = 16,
    session_timeout_s: float | None = 600.0,
    call_timeout_s: float | None = None,
) -> FastAPI:
    """The OpenEnv FastAPI app (``/ws`` sessions, ``/reset``, ``/step``, ``/health``...)."""
    factory = functools.partial(
        EnvfoundryEnvironment, runtime_url=runtime_url, call_timeout_s=call_timeout_s
    )
    return create_fastapi_app(
        factory,
        Action,
        Observation,
        concurrency_config=ConcurrencyConfig(
            max_concurrent_envs=max_sessions, session_timeout=session_timeout_s
        ),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runtime-url", required=True, help="the envfoundry runtime server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument("--max-sessions", type=int, default=16)
    args = parser.parse_args(argv)
    import uvicorn

    uvicorn.run(create_app(args.runtime_url, args.max_sessions), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
