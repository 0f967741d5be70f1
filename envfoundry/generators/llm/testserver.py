"""Scripted fake LLM server: a real HTTP server speaking OpenAI-compatible chat completions.

For tests and offline demos. Each ``POST .../chat/completions`` consumes the next step of
a linear script; every request body received is kept in :attr:`FakeLLMServer.requests`.

A step is a JSON object with any of:

- ``reply``: ``{content, reasoning_content, tool_calls: [{name, arguments, id?}],
  finish_reason, usage}`` — a normal completion (``usage`` defaults to a chars/4 estimate);
- ``status`` + optional ``headers`` and ``body`` (object or text) — an error reply,
  e.g. ``{"status": 429, "headers": {"Retry-After": "1"}}``;
- ``malformed``: text sent as a 200 body that is not JSON;
- ``drop``: true — close the connection without replying;
- ``delay``: seconds to wait before doing any of the above (a slow reply).

A script file is either a list of steps or ``{"model": ..., "steps": [...],
"repeat_last": bool}``. Run standalone::

    python -m envfoundry.generators.llm.testserver SCRIPT.json --port 8011
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from envfoundry.errors import ConfigError

_STEP_KEYS = {"reply", "status", "headers", "body", "malformed", "drop", "delay"}


def _check_step(i: int, step: Any) -> dict[str, Any]:
    if not isinstance(step, dict):
        raise ConfigError(f"fake LLM script step {i} is not an object")
    unknown = set(step) - _STEP_KEYS
    if unknown:
        raise ConfigError(f"fake LLM script step {i} has unknown keys: {sorted(unknown)}")
    kinds = [k for k in ("reply", "status", "malformed", "drop") if k in step]
    if len(kinds) != 1:
        raise ConfigError(
            f"fake LLM script step {i} needs exactly one of reply/status/malformed/drop"
        )
    return step


def _estimate(value: Any) -> int:
    return (len(json.dumps(value, ensure_ascii=False)) + 3) // 4


class FakeLLMServer:
    """A threaded HTTP server on 127.0.0.1 (random port unless given) replaying a script."""

    def __init__(
        self,
        steps: list[dict[str, Any]] | None = None,
        *,
        model: str = "fake-model",
        repeat_last: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.steps = [_check_step(i, s) for i, s in enumerate(steps or [])]
        self.model = model
        self.repeat_last = repeat_last
        self.requests: list[dict[str, Any]] = []
        self.models_requests = 0
        self.in_flight = 0
        self.max_in_flight = 0  # most chat requests handled at once (checks client limits)
        self._lock = threading.Lock()
        self._next = 0
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> FakeLLMServer:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read fake LLM script {path}: {exc}") from None
        if isinstance(data, list):
            return cls(data, **kwargs)
        if isinstance(data, dict) and isinstance(data.get("steps"), list):
            opts = {k: data[k] for k in ("model", "repeat_last") if k in data}
            return cls(data["steps"], **{**opts, **kwargs})
        raise ConfigError(f"fake LLM script {path} must be a list of steps or have 'steps'")

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = self._httpd.server_address[0]
        return f"http://{host!s}:{self.port}/v1"

    def start(self) -> FakeLLMServer:
        if self._thread is None:
            # A short poll interval makes stop() (and test teardown) quick.
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.02},
                name=f"fake-llm-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    # -- script -----------------------------------------------------------------------------

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def remaining(self) -> int:
        with self._lock:
            return max(0, len(self.steps) - self._next)

    def add(self, *steps: dict[str, Any]) -> None:
        """Append steps to the script (the server may be running)."""
        with self._lock:
            start = len(self.steps)
            self.steps.extend(_check_step(start + i, s) for i, s in enumerate(steps))

    def _take(self, body: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        with self._lock:
            self.requests.append(body)
            n = len(self.requests)
            if self._next < len(self.steps):
                step = self.steps[self._next]
                self._next += 1
                return n, step
            if self.repeat_last and self.steps:
                return n, self.steps[-1]
            return n, None

    def completion(self, n: int, request: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
        """The chat-completion body for a scripted ``reply``."""
        message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
        if reply.get("reasoning_content") is not None:
            message["reasoning_content"] = reply["reasoning_content"]
        calls = []
        for i, call in enumerate(reply.get("tool_calls") or []):
            args = call.get("arguments", {})
            calls.append(
                {
                    "id": call.get("id", f"call_{n}_{i}"),
                    "type": "function",
                    "function": {
                        "name": call["name"],
                        "arguments": args if isinstance(args, str) else json.dumps(args),
                    },
                }
            )
        if calls:
            message["tool_calls"] = calls
        usage = reply.get("usage")
        if usage is None:
            prompt = _estimate(request.get("messages", [])) + _estimate(request.get("tools", []))
            completion = _estimate(message)
            usage = {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            }
        return {
            "id": f"chatcmpl-fake-{n}",
            "object": "chat.completion",
            "created": 1_700_000_000 + n,
            "model": request.get("model") or self.model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": reply.get("finish_reason")
                    or ("tool_calls" if calls else "stop"),
                }
            ],
            "usage": usage,
        }


def _make_handler(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            hdrs = {"Content-Type": "application/json", **(headers or {})}
            for k, v in hdrs.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(value).encode(), headers)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                with server._lock:
                    server.models_requests += 1
                data = [{"id": server.model, "object": "model", "owned_by": "envfoundry"}]
                self._json(200, {"object": "list", "data": data})
            else:
                self._json(404, {"error": {"message": f"no route {self.path}"}})

        def do_POST(self) -> None:
            with server._lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                self._post()
            finally:
                with server._lock:
                    server.in_flight -= 1

        def _post(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            try:
                body = json.loads(raw)
            except ValueError:
                self._json(400, {"error": {"message": "request body is not JSON"}})
                return
            n, step = server._take(body)
            if step is None:
                msg = f"fake LLM server: script exhausted after {len(server.steps)} step(s)"
                self._json(400, {"error": {"message": msg, "type": "script_exhausted"}})
                return
            if step.get("delay"):
                time.sleep(float(step["delay"]))
            if step.get("drop"):
                self.close_connection = True  # no reply: the client sees a dropped connection
                return
            if "malformed" in step:
                self._send(200, str(step["malformed"]).encode())
                return
            if "reply" in step:
                self._json(200, server.completion(n, body, step["reply"]))
                return
            status = int(step["status"])
            err = step.get("body", {"error": {"message": f"scripted HTTP {status}"}})
            data = err.encode() if isinstance(err, str) else json.dumps(err).encode()
            self._send(status, data, {str(k): str(v) for k, v in step.get("headers", {}).items()})

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a scripted fake LLM (OpenAI-compatible).")
    parser.add_argument("script", help="JSON script: a list of steps, or {model, steps}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = FakeLLMServer.from_file(args.script, host=args.host, port=args.port)
    print(f"fake LLM serving {len(server.steps)} step(s) at {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()


if __name__ == "__main__":
    main()
