"""Python client of the runtime's HTTP server: episodes over httpx, errors as exceptions.

with RuntimeClient("http://127.0.0.1:8765") as rc:
    ep = rc.open(task_id)
    obs = ep.call("list_cities", {})
    verdict = ep.submit({"city": "Hangzhou"})
    ep.close()
"""

from __future__ import annotations

from typing import Any

import httpx

from envfoundry.errors import EnvfoundryError
from envfoundry.models import Verdict


class RuntimeClientError(EnvfoundryError):
    """The server refused a request; ``status`` is its HTTP status (0: no answer at all)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class RemoteEpisode:
    """One episode on the server: the prompt and tools, and the calls that act on it."""

    def __init__(self, client: RuntimeClient, data: dict[str, Any]) -> None:
        self.client = client
        self.id: str = data["episode_id"]
        self.task_id: str = data["task_id"]
        self.messages: list[dict[str, Any]] = data["messages"]
        self.tools: list[dict[str, Any]] = data["tools"]
        self.submit_tool: str = data["submit_tool"]
        self.budget: dict[str, Any] = data["budget"]
        self.done = False
        self.verdict: Verdict | None = None

    def call_full(self, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        """The server's whole reply: observation, error, done, verdict, budget."""
        out = self.client.request(
            "POST", f"/episodes/{self.id}/call", json={"tool": tool, "args": args or {}}
        )
        self.done = bool(out["done"])
        self.budget = out["budget"]
        if out.get("verdict") is not None:
            self.verdict = Verdict.model_validate(out["verdict"])
        return out

    def call(self, tool: str, args: dict[str, Any] | None = None) -> Any:
        """The observation of one tool call (``{"error": ...}`` when it failed)."""
        return self.call_full(tool, args)["observation"]

    def submit(self, answer: Any) -> Verdict:
        out = self.client.request("POST", f"/episodes/{self.id}/submit", json={"answer": answer})
        self.done = True
        self.verdict = Verdict.model_validate(out)
        return self.verdict

    def trajectory(self) -> dict[str, Any]:
        return dict(self.client.request("GET", f"/episodes/{self.id}/trajectory"))

    def close(self) -> None:
        self.client.request("DELETE", f"/episodes/{self.id}")

    def __enter__(self) -> RemoteEpisode:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.close()
        except RuntimeClientError as err:
            if err.status != 404:  # already reaped or closed: nothing to free
                raise


class RuntimeClient:
    """Thin synchronous client; safe to share between threads (httpx.Client is)."""

    def __init__(self, base_url: str, timeout_s: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(timeout_s))

    def request(self, method: str, path: str, **kw: Any) -> Any:
        try:
            resp = self._http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise RuntimeClientError(f"{method} {self.base_url}{path}: {exc}") from None
        if resp.status_code >= 400:
            try:
                detail = resp.json().get("detail", resp.text)
            except ValueError:
                detail = resp.text
            raise RuntimeClientError(
                f"{method} {path}: HTTP {resp.status_code}: {detail}", resp.status_code
            )
        return resp.json()

    def health(self) -> dict[str, Any]:
        return dict(self.request("GET", "/healthz"))

    def task(self, task_id: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/tasks/{task_id}"))

    def open(self, task_id: str) -> RemoteEpisode:
        return RemoteEpisode(self, self.request("POST", "/episodes", json={"task_id": task_id}))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RuntimeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
