"""LLM client: OpenAI-compatible chat completions over httpx, with retries, limits and replay.

Works with the DeepSeek API, vLLM, SGLang, Ollama and OpenAI. ``base_url`` is the prefix
that ``/chat/completions`` and ``/models`` are appended to (include ``/v1`` where the
server needs it). One client is safe to share between threads; clients built with
:meth:`LLMClient.from_settings` for the same endpoint also share one concurrency
semaphore and one rate limiter.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from envfoundry.config import Settings
from envfoundry.errors import ConfigError, LLMError
from envfoundry.generators.llm.catalog import ModelCatalog, default_catalog
from envfoundry.generators.llm.errors import (
    LLMAuthError,
    LLMBadRequest,
    LLMContextOverflow,
    LLMHTTPError,
    LLMProtocolError,
    LLMRateLimited,
    LLMUnavailable,
    is_context_overflow,
)
from envfoundry.generators.llm.limits import Backoff, RateLimiter, parse_retry_after
from envfoundry.generators.llm.messages import (
    ChatReply,
    Message,
    Usage,
    estimate_tokens,
    tool_schemas,
)
from envfoundry.generators.llm.recording import (
    CallRecorder,
    CallStatus,
    LLMCallRecord,
    MemoryRecorder,
    request_hash,
)
from envfoundry.models import ToolSpec

_MAX_ERROR_BODY = 2000


@dataclass
class EndpointLimits:
    """Concurrency semaphore and RPM/TPM limiter for one endpoint."""

    semaphore: threading.BoundedSemaphore
    rate: RateLimiter

    @classmethod
    def create(
        cls, concurrency: int, rpm: float | None = None, tpm: float | None = None
    ) -> EndpointLimits:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        return cls(threading.BoundedSemaphore(concurrency), RateLimiter(rpm, tpm))


_SHARED_LIMITS: dict[str, EndpointLimits] = {}
_SHARED_LOCK = threading.Lock()


def shared_limits(
    base_url: str, concurrency: int, rpm: float | None = None, tpm: float | None = None
) -> EndpointLimits:
    """The process-wide limits of ``base_url`` (created by the first caller's numbers)."""
    key = base_url.rstrip("/")
    with _SHARED_LOCK:
        if key not in _SHARED_LIMITS:
            _SHARED_LIMITS[key] = EndpointLimits.create(concurrency, rpm, tpm)
        return _SHARED_LIMITS[key]


class _Transient(Exception):
    """An attempt failed in a way worth retrying; ``error`` is raised if retries run out."""

    def __init__(self, error: LLMHTTPError) -> None:
        super().__init__(str(error))
        self.error = error


class LLMClient:
    """Chat completions with retries, backoff, limits, recording and a replay cache."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        role: str | None = None,
        run_id: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 5,
        concurrency: int = 8,
        limits: EndpointLimits | None = None,
        rpm: float | None = None,
        tpm: float | None = None,
        cache: bool = True,
        recorder: CallRecorder | None = None,
        backoff_base_s: float = 1.0,
        backoff_max_s: float = 60.0,
        max_retry_after_s: float = 300.0,
        catalog: ModelCatalog | None = None,
        defaults: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"LLM base_url must start with http:// or https://, got {base_url!r}")
        if not model:
            raise ConfigError("LLM model name is empty")
        if max_retries < 0:
            raise ConfigError("max_retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.role = role
        self.run_id = run_id
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.cache = cache
        self.recorder: CallRecorder = recorder if recorder is not None else MemoryRecorder()
        self.limits = limits or EndpointLimits.create(concurrency, rpm, tpm)
        self.backoff = Backoff(backoff_base_s, backoff_max_s)
        self.max_retry_after_s = max_retry_after_s
        self.catalog = catalog or default_catalog()
        self.defaults = dict(defaults or {})
        hdrs = {"User-Agent": "envfoundry-llm", **(headers or {})}
        if api_key:
            hdrs["Authorization"] = f"Bearer {api_key}"
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=httpx.Timeout(timeout_s), headers=hdrs)
        if not self._owns_http:
            self._http.headers.update(hdrs)

    @classmethod
    def from_settings(
        cls, settings: Settings, role: str | None = None, **overrides: Any
    ) -> LLMClient:
        """A client for ``role`` (its overrides on top of the global ``llm_*`` settings).

        ``overrides`` go to the constructor (``recorder=``, ``run_id=``, ``rpm=`` ...).
        """
        ep = settings.llm_for(role)
        if not ep.base_url or not ep.model:
            which = f" for role {role!r}" if role else ""
            raise ConfigError(
                f"no LLM configured{which}: set ENVFOUNDRY_LLM_BASE_URL and ENVFOUNDRY_LLM_MODEL"
                " (or llm_roles in envfoundry.toml)"
            )
        # Rate limits are not Settings fields yet; pick them up once they exist.
        rpm = overrides.pop("rpm", getattr(settings, "llm_rpm", None))
        tpm = overrides.pop("tpm", getattr(settings, "llm_tpm", None))
        kwargs: dict[str, Any] = {
            "api_key": ep.api_key,
            "role": role,
            "timeout_s": settings.llm_timeout_s,
            "max_retries": settings.llm_max_retries,
            "cache": settings.llm_cache,
        }
        if "limits" not in overrides:
            concurrency = overrides.pop("concurrency", settings.llm_concurrency)
            kwargs["limits"] = shared_limits(ep.base_url, concurrency, rpm, tpm)
        kwargs.update(overrides)
        return cls(ep.base_url, ep.model, **kwargs)

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def context_window(self) -> int | None:
        """The model's context window from the catalog, if known."""
        return self.catalog.context_window(self.model)

    # -- requests ---------------------------------------------------------------------------

    def build_request(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolSpec | dict[str, Any]] | None = None,
        tool_choice: str | dict[str, Any] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_tokens: int | None = None,
        seed: int | None = None,
        json_mode: bool = False,
        response_format: dict[str, Any] | None = None,
        stop: str | list[str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The request body :meth:`chat` sends (and hashes for the replay cache)."""
        body: dict[str, Any] = {"model": self.model, "messages": [dict(m) for m in messages]}
        body.update(self.defaults)
        schemas = tool_schemas(tools)
        if schemas:
            body["tools"] = schemas
        if json_mode and response_format is None:
            response_format = {"type": "json_object"}
        params = {
            "tool_choice": tool_choice,
            "temperature": temperature,
            "top_p": top_p,
            "max_tokens": max_tokens,
            "seed": seed,
            "response_format": response_format,
            "stop": stop,
        }
        body.update({k: v for k, v in params.items() if v is not None})
        body.update(extra_body or {})
        body["stream"] = False
        return body

    def chat(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolSpec | dict[str, Any]] | None = None,
        tool_choice: str | dict[str, Any] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_tokens: int | None = None,
        seed: int | None = None,
        json_mode: bool = False,
        response_format: dict[str, Any] | None = None,
        stop: str | list[str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        cache: bool | None = None,
    ) -> ChatReply:
        """Send one chat completion and return the parsed reply.

        Identical requests (same canonical body) replay the recorded reply when caching is
        on, without any HTTP traffic; vary ``seed`` (or pass ``cache=False``) to draw
        independent samples. Raises an :class:`LLMError` subclass on failure.
        """
        body = self.build_request(
            messages,
            tools=tools,
            tool_choice=tool_choice,
            temperature=temperature,
            top_p=top_p,
            max_tokens=max_tokens,
            seed=seed,
            json_mode=json_mode,
            response_format=response_format,
            stop=stop,
            extra_body=extra_body,
        )
        try:
            rhash = request_hash(body)
        except (TypeError, ValueError) as exc:
            raise LLMBadRequest(f"request is not JSON-serialisable: {exc}") from None

        if self.cache if cache is None else cache:
            hit = self.recorder.lookup(rhash)
            replayed = self._replay(hit, rhash) if hit is not None else None
            if hit is not None and replayed is not None:
                self._record(body, rhash, "cached", hit, replayed.usage, 0.0, 0, None, cost=0.0)
                return replayed

        start = time.monotonic()
        attempts = 0
        try:
            data, reply, attempts = self._send_with_retries(body, rhash, start)
        except LLMError as exc:
            n = exc.attempts if isinstance(exc, LLMHTTPError) else attempts
            err = f"{type(exc).__name__}: {exc}"
            self._record(body, rhash, "error", None, Usage(), time.monotonic() - start, n, err)
            raise
        self._record(body, rhash, "ok", data, reply.usage, reply.latency_s, attempts, None)
        return reply

    @staticmethod
    def _replay(hit: dict[str, Any], rhash: str) -> ChatReply | None:
        # A stored body that no longer parses is a cache miss, not a failed call.
        try:
            return ChatReply.from_openai(hit, request_hash=rhash, cached=True, attempts=0)
        except LLMProtocolError:
            return None

    def _send_with_retries(
        self, body: dict[str, Any], rhash: str, start: float
    ) -> tuple[dict[str, Any], ChatReply, int]:
        attempt = 0
        while True:
            try:
                data, reply = self._attempt(body)
            except _Transient as t:
                err = t.error
                err.attempts = attempt + 1
                too_long = (
                    err.retry_after_s is not None and err.retry_after_s > self.max_retry_after_s
                )
                if attempt >= self.max_retries or too_long:
                    raise err from None
                time.sleep(self.backoff.delay(attempt, err.retry_after_s))
                attempt += 1
                continue
            except LLMHTTPError as err:
                err.attempts = attempt + 1
                raise
            reply = reply.model_copy(
                update={
                    "request_hash": rhash,
                    "latency_s": time.monotonic() - start,
                    "attempts": attempt + 1,
                }
            )
            return data, reply, attempt + 1

    def _attempt(self, body: dict[str, Any]) -> tuple[dict[str, Any], ChatReply]:
        estimate = estimate_tokens(body["messages"]) + int(body.get("max_tokens") or 0)
        self.limits.rate.acquire(estimate)
        url = f"{self.base_url}/chat/completions"
        with self.limits.semaphore:
            try:
                resp = self._http.post(url, json=body)
            except httpx.TimeoutException as exc:
                raise _Transient(
                    LLMUnavailable(
                        f"{url}: no reply within {self.timeout_s}s ({type(exc).__name__})"
                    )
                ) from None
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                raise _Transient(
                    LLMUnavailable(f"{url}: connection failed: {type(exc).__name__}: {exc}")
                ) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise LLMBadRequest(
                    f"{url}: cannot send request: {type(exc).__name__}: {exc}"
                ) from None
        status = resp.status_code
        text = resp.text
        if 200 <= status < 300:
            try:
                data = resp.json()
            except ValueError as exc:
                raise _Transient(
                    LLMProtocolError(
                        f"{url}: HTTP {status} body is not JSON: {exc}",
                        status_code=status,
                        body=text[:_MAX_ERROR_BODY],
                    )
                ) from None
            try:
                reply = ChatReply.from_openai(data)
            except LLMProtocolError as exc:
                exc.status_code = status
                raise _Transient(exc) from None
            self.limits.rate.settle(reply.usage.total_tokens - estimate)
            return data, reply
        self.limits.rate.settle(-estimate)
        raise _classify(url, status, text, resp.headers)

    def _record(
        self,
        body: dict[str, Any],
        rhash: str,
        status: CallStatus,
        response: dict[str, Any] | None,
        usage: Usage,
        latency_s: float,
        attempts: int,
        error: str | None,
        *,
        cost: float | None = None,
    ) -> None:
        if status == "ok":
            cost = self.catalog.cost_usd(self.model, usage)
        self.recorder.record(
            LLMCallRecord(
                request_hash=rhash,
                role=self.role,
                model=self.model,
                request=body,
                response=response,
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                latency_s=max(0.0, latency_s),
                cost_usd=cost,
                status=status,
                error=error,
                attempts=attempts,
                run_id=self.run_id,
            )
        )


def error_message(text: str) -> str:
    """The human message inside an OpenAI-style error body (or the body itself)."""
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:_MAX_ERROR_BODY]
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            for key in ("message", "detail", "msg"):
                if isinstance(err.get(key), str):
                    return str(err[key])
        if isinstance(err, str):
            return err
        if isinstance(data.get("detail"), str):
            return str(data["detail"])
    return text.strip()[:_MAX_ERROR_BODY]


def _classify(
    url: str, status: int, text: str, headers: Mapping[str, str]
) -> LLMHTTPError | _Transient:
    """Map an error status to the exception to raise (wrapped when worth retrying)."""
    msg = error_message(text)
    body = text[:_MAX_ERROR_BODY]
    what = f"{url}: HTTP {status}: {msg}"
    retry_after = parse_retry_after(headers)
    if status in (401, 403):
        return LLMAuthError(what, status_code=status, body=body)
    if status == 429:
        return _Transient(
            LLMRateLimited(what, status_code=status, body=body, retry_after_s=retry_after)
        )
    if status == 408 or status >= 500:
        return _Transient(
            LLMUnavailable(what, status_code=status, body=body, retry_after_s=retry_after)
        )
    if status in (400, 413, 422) and is_context_overflow(msg):
        return LLMContextOverflow(what, status_code=status, body=body)
    return LLMBadRequest(what, status_code=status, body=body)
