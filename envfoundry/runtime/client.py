"""Python clients of the runtime's HTTP server: episodes over httpx, errors as exceptions.

with RuntimeClient("http://127.0.0.1:8765") as rc:
    ep = rc.open(task_id)
    obs = ep.call("list_cities", {})
    verdict = ep.submit({"city": "Hangzhou"})
    ep.close()

:class:`AsyncRuntimeClient` is the same API for asyncio (trainer adapters run many
episodes at once from one event loop): one pooled ``httpx.AsyncClient`` whose connection
limit is sized for the episodes in flight (batch × n), so no call waits for a socket.
"""

from __future__ import annotations

from typing import Any

import httpx

from envfoundry.errors import EnvfoundryError
from envfoundry.models import Verdict


class RuntimeClientError(EnvfoundryError):
    """The server refused a request; ``status`` is its HTTP status (0: no answer at all).

    ``body`` is the server's JSON error body (``detail``, and ``retries_left`` for an
    answer handed back for a retry).
    """

    def __init__(self, message: str, status: int = 0, body: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.body = body or {}


def _verdict(out: dict[str, Any]) -> tuple[Verdict, dict[str, Any]]:
    data = dict(out)
    metrics = data.pop("metrics", None) or {}
    data.pop("submitted", None)
    return Verdict.model_validate(data), metrics


def _error(method: str, path: str, resp: httpx.Response) -> RuntimeClientError:
    try:
        body = resp.json()
        detail = body.get("detail", resp.text) if isinstance(body, dict) else resp.text
    except ValueError:
        body, detail = {}, resp.text
    return RuntimeClientError(
        f"{method} {path}: HTTP {resp.status_code}: {detail}",
        resp.status_code,
        body if isinstance(body, dict) else {},
    )


def _limits(max_connections: int) -> httpx.Limits:
    return httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,
    )


class _EpisodeState:
    """What both episode classes hold: the view the policy gets and what the server said."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.id: str = data["episode_id"]
        self.task_id: str = data["task_id"]
        self.messages: list[dict[str, Any]] = data["messages"]
        self.tools: list[dict[str, Any]] = data["tools"]
        self.tool_defs: list[dict[str, Any]] = data.get("tool_defs") or [
            t["function"] for t in data["tools"]
        ]
        self.submit_tool: str = data["submit_tool"]
        self.answer_schema: dict[str, Any] | None = data.get("answer_schema")
        self.budget: dict[str, Any] = data["budget"]
        self.done = False
        self.verdict: Verdict | None = None
        self.metrics: dict[str, Any] = {}
        self.closed = False

    def _call_body(
        self, tool: str, args: dict[str, Any] | None, timeout_s: float | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"tool": tool, "args": args or {}}
        if timeout_s is not None:
            body["timeout_s"] = timeout_s
        return body

    def _took_call(self, out: dict[str, Any]) -> dict[str, Any]:
        self.done = bool(out["done"])
        self.budget = out["budget"]
        obs = out.get("observation")
        if isinstance(obs, dict) and obs.get("submitted"):
            self.verdict, self.metrics = _verdict(obs)
        elif out.get("verdict") is not None:
            self.verdict = Verdict.model_validate(out["verdict"])
        return out

    def _took_submit(self, out: dict[str, Any]) -> Verdict:
        self.done = True
        self.verdict, self.metrics = _verdict(out)
        return self.verdict


class RemoteEpisode(_EpisodeState):
    """One episode on the server: the prompt and tools, and the calls that act on it."""

    def __init__(self, client: RuntimeClient, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.client = client

    def call_full(
        self, tool: str, args: dict[str, Any] | None = None, timeout_s: float | None = None
    ) -> dict[str, Any]:
        """The server's whole reply: observation, error, done, verdict, budget."""
        body = self._call_body(tool, args, timeout_s)
        return self._took_call(self.client.request("POST", f"/episodes/{self.id}/call", json=body))

    def call(
        self, tool: str, args: dict[str, Any] | None = None, timeout_s: float | None = None
    ) -> Any:
        """The observation of one tool call (``{"error": ...}`` when it failed)."""
        return self.call_full(tool, args, timeout_s)["observation"]

    def submit(self, answer: Any) -> Verdict:
        """The verdict (``metrics`` holds the numbers beside it). An answer off the schema
        raises RuntimeClientError 422 while the episode has answer retries left."""
        out = self.client.request("POST", f"/episodes/{self.id}/submit", json={"answer": answer})
        return self._took_submit(out)

    def trajectory(self) -> dict[str, Any]:
        return dict(self.client.request("GET", f"/episodes/{self.id}/trajectory"))

    def close(self) -> None:
        """Free the episode on the server; safe to call again, or after the server did."""
        if self.closed:
            return
        try:
            self.client.request("DELETE", f"/episodes/{self.id}")
        except RuntimeClientError as err:
            if err.status != 404:  # 404: reaped and forgotten long ago: nothing to free
                raise
        self.closed = True

    def __enter__(self) -> RemoteEpisode:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RuntimeClient:
    """Synchronous client; safe to share between threads (httpx.Client is)."""

    def __init__(self, base_url: str, timeout_s: float = 120.0, max_connections: int = 64) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout_s),
            limits=_limits(max_connections),
        )

    def request(self, method: str, path: str, **kw: Any) -> Any:
        try:
            resp = self._http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise RuntimeClientError(f"{method} {self.base_url}{path}: {exc}") from None
        if resp.status_code >= 400:
            raise _error(method, path, resp)
        return resp.json()

    def health(self) -> dict[str, Any]:
        return dict(self.request("GET", "/healthz"))

    def task(self, task_id: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/tasks/{task_id}"))

    def open(self, task_id: str, answer_retries: int | None = None) -> RemoteEpisode:
        body: dict[str, Any] = {"task_id": task_id}
        if answer_retries is not None:
            body["answer_retries"] = answer_retries
        return RemoteEpisode(self, self.request("POST", "/episodes", json=body))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RuntimeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncRemoteEpisode(_EpisodeState):
    """:class:`RemoteEpisode` for asyncio."""

    def __init__(self, client: AsyncRuntimeClient, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.client = client

    async def call_full(
        self, tool: str, args: dict[str, Any] | None = None, timeout_s: float | None = None
    ) -> dict[str, Any]:
        body = self._call_body(tool, args, timeout_s)
        out = await self.client.request("POST", f"/episodes/{self.id}/call", json=body)
        return self._took_call(out)

    async def call(
        self, tool: str, args: dict[str, Any] | None = None, timeout_s: float | None = None
    ) -> Any:
        return (await self.call_full(tool, args, timeout_s))["observation"]

    async def submit(self, answer: Any) -> Verdict:
        out = await self.client.request(
            "POST", f"/episodes/{self.id}/submit", json={"answer": answer}
        )
        return self._took_submit(out)

    async def trajectory(self) -> dict[str, Any]:
        return dict(await self.client.request("GET", f"/episodes/{self.id}/trajectory"))

    async def close(self) -> None:
        if self.closed:
            return
        try:
            await self.client.request("DELETE", f"/episodes/{self.id}")
        except RuntimeClientError as err:
            if err.status != 404:
                raise
        self.closed = True

    async def __aenter__(self) -> AsyncRemoteEpisode:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AsyncRuntimeClient:
    """Asyncio client over one pooled connection set (``max_connections`` sockets).

    Size ``max_connections`` for the episodes in flight at once (batch × n): each episode
    has at most one request outstanding, so that many sockets means no call queues.
    """

    def __init__(self, base_url: str, timeout_s: float = 120.0, max_connections: int = 256) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_connections = max_connections
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout_s),
            limits=_limits(max_connections),
        )

    async def request(self, method: str, path: str, **kw: Any) -> Any:
        try:
            resp = await self._http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise RuntimeClientError(f"{method} {self.base_url}{path}: {exc}") from None
        if resp.status_code >= 400:
            raise _error(method, path, resp)
        return resp.json()

    async def health(self) -> dict[str, Any]:
        return dict(await self.request("GET", "/healthz"))

    async def open(self, task_id: str, answer_retries: int | None = None) -> AsyncRemoteEpisode:
        body: dict[str, Any] = {"task_id": task_id}
        if answer_retries is not None:
            body["answer_retries"] = answer_retries
        return AsyncRemoteEpisode(self, await self.request("POST", "/episodes", json=body))

    @property
    def closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncRuntimeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
