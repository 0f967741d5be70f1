"""HTTP server of the RL runtime: the episode API as FastAPI routes, served by uvicorn.

Routes are plain ``def`` functions, so FastAPI runs every sandbox call in its threadpool
and the event loop stays free. A background reaper closes episodes nobody touched for
the idle timeout or past their time-to-live and hands their runners back. Status codes:
404 unknown task or episode, 409 episode already over, 422 an answer off the answer
schema handed back for a retry (``retries_left`` in the body), 429 too many open
episodes (the detail names the limit and how to free slots), 503 sandbox failure.
``DELETE /episodes/{id}`` is idempotent: closing an ended or closed episode again is 200.
Verdicts go out as the policy may see them (:mod:`.redact`); the full verdict stays in
the episode and the stored attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from envfoundry import __version__
from envfoundry.errors import NotFoundError, SandboxError
from envfoundry.models import Verdict
from envfoundry.runtime.budget import task_step_budget
from envfoundry.runtime.episodes import (
    AnswerRejected,
    Episode,
    EpisodeOver,
    Runtime,
    RuntimeAPIError,
    RuntimeFull,
)
from envfoundry.runtime.prompt import episode_view
from envfoundry.runtime.redact import policy_trajectory, policy_verdict

log = logging.getLogger(__name__)
KEEP_ALIVE_S = 75


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenRequest(_Body):
    task_id: str = Field(min_length=1)
    answer_retries: int | None = Field(
        default=None, ge=0, description="schema-invalid answers handed back (default: server's)"
    )


class Budget(BaseModel):
    max_steps: int
    steps_used: int
    max_wall_s: float
    elapsed_s: float


class EpisodeOut(BaseModel):
    episode_id: str
    task_id: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] = Field(description="OpenAI function-calling format")
    tool_defs: list[dict[str, Any]] = Field(description="flat: name, description, parameters")
    submit_tool: str
    answer_schema: dict[str, Any] | None
    budget: Budget


class CallRequest(_Body):
    tool: str = Field(min_length=1)
    args: dict[str, Any] = Field(default_factory=dict)
    timeout_s: float | None = Field(
        default=None, gt=0, description="this call's timeout (capped by the server's)"
    )


class CallOut(BaseModel):
    observation: Any = Field(description='the tool result, or {"error": ...} when it failed')
    error: bool
    done: bool
    verdict: Verdict | None = None
    budget: Budget


class SubmitRequest(_Body):
    answer: Any = None


class ClosedOut(BaseModel):
    episode_id: str
    closed: bool = True
    verdict: Verdict | None = None


def create_app(runtime: Runtime, reap_interval_s: float | None = None) -> FastAPI:
    """The FastAPI app over ``runtime`` (which the app closes on shutdown)."""
    interval = reap_interval_s or max(0.05, min(30.0, runtime.config.idle_timeout_s / 4))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # one worker thread per open episode (each has at most one call in flight), so a
        # full runtime's calls run side by side instead of queueing for anyio's 40 threads
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, runtime.config.max_episodes + 8)
        reaper = asyncio.create_task(_reap_forever(runtime, interval))
        try:
            yield
        finally:
            reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reaper
            await run_in_threadpool(runtime.close)

    app = FastAPI(
        title="envfoundry runtime",
        version=__version__,
        description="Episodes over verifiable agentic tasks: open, call tools, submit, reward.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime

    @app.exception_handler(RuntimeAPIError)
    @app.exception_handler(NotFoundError)
    @app.exception_handler(SandboxError)
    async def _errors(request: Request, exc: Exception) -> JSONResponse:
        body: dict[str, Any] = {"detail": str(exc)}
        if isinstance(exc, AnswerRejected):
            body["retries_left"] = exc.retries_left
        return JSONResponse(body, status_code=_status(exc))

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {
            "ok": True,
            "backend": runtime.backend.name,
            "open_episodes": runtime.open_count(),
            "max_episodes": runtime.config.max_episodes,
            "reaped": runtime.reaped,
            "pools": runtime.pool_stats(),
        }

    @app.get("/tasks/{task_id}")
    def get_task(task_id: str) -> dict[str, Any]:
        """The task and what an episode on it shows the policy (messages and tools)."""
        rec = runtime.store.get_task(task_id)
        env = runtime.store.get_environment(rec.spec.env_id).spec
        env_tools = [t.openai_schema() for t in env.tools]
        budget = task_step_budget(runtime.store, task_id, runtime.config.max_steps)
        messages, tools, submit_name = episode_view(
            rec.spec.prompt, rec.spec.answer_schema, env_tools, budget
        )
        return {
            **rec.summary(),
            "prompt": rec.spec.prompt,
            "answer_schema": rec.spec.answer_schema,
            "messages": messages,
            "tools": tools,
            "tool_defs": [t["function"] for t in tools],
            "submit_tool": submit_name,
        }

    @app.post("/episodes", status_code=201)
    def open_episode(body: OpenRequest) -> EpisodeOut:
        ep = runtime.open(body.task_id, answer_retries=body.answer_retries)
        return EpisodeOut(
            episode_id=ep.id,
            task_id=ep.task.id,
            messages=ep.messages,
            tools=ep.tools,
            tool_defs=ep.tool_defs,
            submit_tool=ep.submit_name,
            answer_schema=ep.task.answer_schema,
            budget=Budget(**ep.budget()),
        )

    # Calls and submits are counted pending from the moment they arrive (before they wait
    # for a worker thread), so the idle reaper never closes an episode whose call is queued.
    @app.post("/episodes/{episode_id}/call")
    async def call_tool(episode_id: str, body: CallRequest) -> CallOut:
        def run(ep: Episode) -> CallOut:
            obs = ep.call(body.tool, body.args, timeout_s=body.timeout_s)
            return CallOut(
                observation=obs,
                error=isinstance(obs, dict) and "error" in obs,
                done=ep.done,
                verdict=policy_verdict(ep.verdict) if ep.verdict is not None else None,
                budget=Budget(**ep.budget()),
            )

        with runtime.request(episode_id) as ep:
            return await run_in_threadpool(run, ep)

    @app.post("/episodes/{episode_id}/submit")
    async def submit(episode_id: str, body: SubmitRequest) -> dict[str, Any]:
        def run(ep: Episode) -> dict[str, Any]:
            return ep.result(ep.submit(body.answer))

        with runtime.request(episode_id) as ep:
            return await run_in_threadpool(run, ep)

    @app.get("/episodes/{episode_id}/trajectory")
    def trajectory(episode_id: str) -> dict[str, Any]:
        return policy_trajectory(runtime.get(episode_id).trajectory())

    @app.delete("/episodes/{episode_id}")
    def close_episode(episode_id: str) -> ClosedOut:
        # ended episodes are still known here, so a second DELETE is 200 as well
        ep = runtime.get(episode_id)
        ep.close()
        verdict = None if ep.verdict is None else policy_verdict(ep.verdict)
        return ClosedOut(episode_id=episode_id, verdict=verdict)

    return app


def _status(exc: Exception) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, EpisodeOver):
        return 409
    if isinstance(exc, RuntimeFull):
        return 429
    if isinstance(exc, SandboxError):
        return 503
    return 422


async def _reap_forever(runtime: Runtime, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            reaped = await run_in_threadpool(runtime.reap_idle)
        except Exception:  # the reaper must outlive one bad pass; the next one retries
            log.exception("reaping idle episodes failed")
            continue
        if reaped:
            log.info("reaped %d idle episode(s)", len(reaped))


# --------------------------------------------------------------------------- serving


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio sets TCP_NODELAY on accepted connections only then, and
    # without it every small response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def _server(app: FastAPI, log_level: str) -> Any:
    import uvicorn

    # Keep idle connections longer than any client's pool does (httpx: 5 s by default,
    # the runtime's clients 30 s): when the server closes first, a client may send on a
    # connection just being closed and get a reset on a request that was never run.
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    return uvicorn.Server(config)


def serve(
    runtime: Runtime, host: str = "127.0.0.1", port: int = 8765, log_level: str = "info"
) -> None:
    """Serve ``runtime`` until interrupted (the runtime is closed on the way out)."""
    sock = _bind(host, port)
    try:
        _server(create_app(runtime), log_level).run(sockets=[sock])
    finally:
        sock.close()


class ServerThread:
    """The server in a background thread on a given or free port (tests, benchmarks, play)."""

    def __init__(
        self,
        runtime: Runtime,
        host: str = "127.0.0.1",
        port: int = 0,
        reap_interval_s: float | None = None,
        log_level: str = "warning",
    ) -> None:
        self.sock = _bind(host, port)
        self.host = host
        self.port = int(self.sock.getsockname()[1])
        self.server = _server(create_app(runtime, reap_interval_s), log_level)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout_s: float = 20.0) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeAPIError(f"runtime server on {self.url} did not start")
            time.sleep(0.01)
        return self

    def stop(self, timeout_s: float = 30.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout_s)
        self.sock.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
