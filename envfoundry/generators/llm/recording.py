"""Accounting and replay of LLM calls: call records, recorders and the request hash.

Every call the client makes is recorded once (status ``ok``, ``cached`` or ``error``).
A recorder's ``lookup`` returns the body of an earlier successful reply to the same
canonical request, which the client replays without sending anything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.ids import canonical_json, sha256_hex

CallStatus = Literal["ok", "cached", "error"]

# Keys of a request body that do not change the reply (transport details).
_UNHASHED_KEYS = frozenset({"stream", "stream_options", "user"})


def request_hash(body: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a request: model, messages, tools and sampling params."""
    return sha256_hex(canonical_json({k: v for k, v in body.items() if k not in _UNHASHED_KEYS}))


class LLMCallRecord(BaseModel):
    """One logical model call (retries included), as stored for accounting and replay."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    request_hash: str
    role: str | None = None
    model: str
    request: dict[str, Any]
    response: dict[str, Any] | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = Field(default=0.0, ge=0.0)
    cost_usd: float | None = None
    status: CallStatus
    error: str | None = None
    attempts: int = Field(default=1, ge=0)
    run_id: str | None = None
    created_at: float = Field(default_factory=time.time)


@runtime_checkable
class CallRecorder(Protocol):
    """Where call records go, and where cached replies come from."""

    def record(self, rec: LLMCallRecord) -> None: ...

    def lookup(self, request_hash: str) -> dict[str, Any] | None: ...


class MemoryRecorder:
    """Keeps records in memory; ``lookup`` replays successful replies of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[LLMCallRecord] = []
        self._responses: dict[str, dict[str, Any]] = {}

    def record(self, rec: LLMCallRecord) -> None:
        with self._lock:
            self._records.append(rec)
            if rec.status == "ok" and rec.response is not None:
                self._responses.setdefault(rec.request_hash, rec.response)

    def lookup(self, request_hash: str) -> dict[str, Any] | None:
        with self._lock:
            return self._responses.get(request_hash)

    @property
    def records(self) -> list[LLMCallRecord]:
        with self._lock:
            return list(self._records)

    def totals(self) -> dict[str, Any]:
        """Calls per status, and tokens/cost of the calls actually paid for (status ``ok``)."""
        return summarize(self.records)


def summarize(records: Iterable[LLMCallRecord]) -> dict[str, Any]:
    """Counts per status; tokens, cost and latency summed over paid (``ok``) calls only."""
    out: dict[str, Any] = {
        "calls": 0,
        "ok": 0,
        "cached": 0,
        "error": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "cost_usd": 0.0,
        "latency_s": 0.0,
    }
    for rec in records:
        out["calls"] += 1
        out[rec.status] += 1
        if rec.status == "ok":
            out["prompt_tokens"] += rec.prompt_tokens
            out["completion_tokens"] += rec.completion_tokens
            out["cost_usd"] += rec.cost_usd or 0.0
            out["latency_s"] += rec.latency_s
    return out


class LLMCallStore(Protocol):
    """The part of the task store a :class:`StoreRecorder` needs (``envfoundry.storage``)."""

    def record_llm_call(
        self,
        *,
        request_hash: str,
        role: str | None,
        model: str,
        request: dict[str, Any],
        response: dict[str, Any] | None,
        prompt_tokens: int,
        completion_tokens: int,
        latency_s: float,
        cost_usd: float | None,
        status: str,
        error: str | None,
        run_id: str | None,
    ) -> None: ...

    def cached_llm_response(self, request_hash: str) -> dict[str, Any] | None: ...


class StoreRecorder:
    """Records into the task store, so replays survive the process (reruns are free)."""

    def __init__(self, store: LLMCallStore, *, run_id: str | None = None) -> None:
        self.store = store
        self.run_id = run_id

    def record(self, rec: LLMCallRecord) -> None:
        self.store.record_llm_call(
            request_hash=rec.request_hash,
            role=rec.role,
            model=rec.model,
            request=rec.request,
            response=rec.response,
            prompt_tokens=rec.prompt_tokens,
            completion_tokens=rec.completion_tokens,
            latency_s=rec.latency_s,
            cost_usd=rec.cost_usd,
            status=rec.status,
            error=rec.error,
            run_id=rec.run_id or self.run_id,
        )

    def lookup(self, request_hash: str) -> dict[str, Any] | None:
        return self.store.cached_llm_response(request_hash)
