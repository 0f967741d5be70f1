"""LLM client against the real scripted HTTP server: replies, retries, errors, cache, records."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from envfoundry.config import LLMRole, Settings
from envfoundry.errors import ConfigError
from envfoundry.generators.llm import (
    LLMAuthError,
    LLMBadRequest,
    LLMCallRecord,
    LLMClient,
    LLMContextOverflow,
    LLMProtocolError,
    LLMRateLimited,
    LLMUnavailable,
    MemoryRecorder,
    ModelCatalog,
    StoreRecorder,
    Usage,
    probe_endpoint,
    request_hash,
)
from envfoundry.generators.llm.limits import RateLimiter, parse_retry_after
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import ToolSpec

OK = {"reply": {"content": "ok"}}


@pytest.fixture
def server():
    with FakeLLMServer() as s:
        yield s


def make_client(server: FakeLLMServer, **kw: Any) -> LLMClient:
    kw.setdefault("max_retries", 2)
    kw.setdefault("backoff_base_s", 0.001)
    kw.setdefault("backoff_max_s", 0.01)
    kw.setdefault("timeout_s", 10.0)
    return LLMClient(server.base_url, kw.pop("model", "fake-model"), **kw)


def test_reply_fields_and_request_body(server):
    server.add(
        {
            "reply": {
                "content": None,
                "reasoning_content": "think first",
                "tool_calls": [{"name": "get_weather", "arguments": {"city": "Oslo"}, "id": "c1"}],
                "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
            }
        }
    )
    spec = ToolSpec(
        name="get_weather",
        description="Weather of a city.",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}},
    )
    with make_client(server, api_key="sk-test") as client:
        reply = client.chat(
            [{"role": "user", "content": "hi"}],
            tools=[spec],
            tool_choice="auto",
            temperature=0.3,
            top_p=0.9,
            max_tokens=64,
            seed=7,
            json_mode=True,
        )
    assert reply.reasoning_content == "think first"
    assert reply.content is None
    assert reply.finish_reason == "tool_calls"
    assert reply.tool_calls[0].name == "get_weather"
    assert reply.tool_calls[0].parsed_arguments() == {"city": "Oslo"}
    assert reply.usage == Usage(prompt_tokens=11, completion_tokens=7, total_tokens=18)
    assert not reply.cached and reply.attempts == 1
    sent = server.requests[0]
    assert sent["model"] == "fake-model"
    assert sent["messages"] == [{"role": "user", "content": "hi"}]
    assert sent["tools"] == [spec.openai_schema()]
    assert sent["tool_choice"] == "auto"
    assert (sent["temperature"], sent["top_p"], sent["max_tokens"], sent["seed"]) == (
        0.3,
        0.9,
        64,
        7,
    )
    assert sent["response_format"] == {"type": "json_object"}
    assert reply.request_hash == request_hash(sent)
    assistant = reply.assistant_message()
    assert assistant["reasoning_content"] == "think first"
    assert assistant["tool_calls"][0]["function"]["name"] == "get_weather"


def test_retry_after_is_honoured(server):
    server.add({"status": 429, "headers": {"Retry-After": "1"}}, OK)
    client = make_client(server)
    start = time.monotonic()
    reply = client.chat([{"role": "user", "content": "x"}])
    elapsed = time.monotonic() - start
    assert reply.content == "ok" and reply.attempts == 2
    assert elapsed >= 1.0
    assert server.request_count == 2


def test_rate_limit_gives_up_after_retries(server):
    server.add(*[{"status": 429, "headers": {"Retry-After": "0"}}] * 3)
    recorder = MemoryRecorder()
    client = make_client(server, max_retries=2, recorder=recorder)
    with pytest.raises(LLMRateLimited) as info:
        client.chat([{"role": "user", "content": "x"}])
    assert info.value.attempts == 3 and info.value.status_code == 429
    assert server.request_count == 3
    (rec,) = recorder.records
    assert rec.status == "error" and rec.error and "LLMRateLimited" in rec.error
    assert rec.attempts == 3


def test_retry_after_longer_than_allowed_fails_fast(server):
    server.add({"status": 429, "headers": {"Retry-After": "3600"}})
    client = make_client(server, max_retry_after_s=60)
    with pytest.raises(LLMRateLimited) as info:
        client.chat([{"role": "user", "content": "x"}])
    assert info.value.retry_after_s == 3600
    assert server.request_count == 1


def test_server_errors_timeouts_and_drops_are_retried(server):
    server.add(
        {"status": 500},
        {"drop": True},
        {"delay": 1.0, "reply": {"content": "too late"}},
        {"status": 503, "headers": {"Retry-After": "0"}},
        OK,
    )
    client = make_client(server, max_retries=4, timeout_s=0.2)
    reply = client.chat([{"role": "user", "content": "x"}])
    assert reply.content == "ok" and reply.attempts == 5
    assert server.request_count == 5


def test_unavailable_after_retries(server):
    server.add({"status": 502}, {"drop": True}, {"status": 500})
    client = make_client(server, max_retries=2)
    with pytest.raises(LLMUnavailable) as info:
        client.chat([{"role": "user", "content": "x"}])
    assert info.value.attempts == 3 and info.value.status_code == 500


def test_auth_error_is_not_retried(server):
    server.add({"status": 401, "body": {"error": {"message": "Invalid API key"}}}, OK)
    client = make_client(server, max_retries=5)
    with pytest.raises(LLMAuthError, match="Invalid API key"):
        client.chat([{"role": "user", "content": "x"}])
    assert server.request_count == 1


@pytest.mark.parametrize(
    "message",
    [
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
        "The input (9000 tokens) is longer than the model's context length (8192 tokens).",
    ],
)
def test_context_overflow_is_mapped(server, message):
    server.add({"status": 400, "body": {"error": {"message": message}}})
    client = make_client(server)
    with pytest.raises(LLMContextOverflow):
        client.chat([{"role": "user", "content": "x"}])
    assert server.request_count == 1


def test_other_bad_request_and_exhausted_script(server):
    server.add({"status": 400, "body": {"error": {"message": "unknown field 'foo'"}}})
    client = make_client(server)
    with pytest.raises(LLMBadRequest) as info:
        client.chat([{"role": "user", "content": "x"}])
    assert not isinstance(info.value, LLMContextOverflow)
    with pytest.raises(LLMBadRequest, match="script exhausted"):
        client.chat([{"role": "user", "content": "y"}])


def test_malformed_body_is_retried_then_protocol_error(server):
    server.add({"malformed": "{not json"}, OK, *[{"malformed": "<html>oops</html>"}] * 2)
    client = make_client(server, max_retries=1, cache=False)
    assert client.chat([{"role": "user", "content": "x"}]).content == "ok"
    with pytest.raises(LLMProtocolError) as info:
        client.chat([{"role": "user", "content": "x"}])
    assert info.value.attempts == 2 and "not JSON" in str(info.value)


def test_cache_hit_sends_no_request_and_is_recorded(server):
    server.add(
        {"reply": {"content": "first", "usage": {"prompt_tokens": 5, "completion_tokens": 2}}}
    )
    recorder = MemoryRecorder()
    client = make_client(server, recorder=recorder)
    msgs = [{"role": "user", "content": "same"}]
    first = client.chat(msgs, temperature=0.0)
    assert server.request_count == 1
    again = client.chat(msgs, temperature=0.0)
    assert server.request_count == 1  # replayed, nothing sent
    assert again.cached and again.content == first.content == "first"
    assert [r.status for r in recorder.records] == ["ok", "cached"]
    assert recorder.records[1].request_hash == first.request_hash
    totals = recorder.totals()
    assert totals["ok"] == 1 and totals["cached"] == 1 and totals["prompt_tokens"] == 5
    # A different sampling parameter is a different request.
    with pytest.raises(LLMBadRequest):
        client.chat(msgs, temperature=0.5)
    assert server.request_count == 2


def test_cache_can_be_disabled(server):
    server.add(OK, OK)
    client = make_client(server, cache=False)
    msgs = [{"role": "user", "content": "same"}]
    client.chat(msgs)
    client.chat(msgs)
    assert server.request_count == 2


def test_cost_is_priced_from_the_catalog(server):
    server.add(
        {"reply": {"content": "x", "usage": {"prompt_tokens": 1_000_000, "completion_tokens": 0}}}
    )
    recorder = MemoryRecorder()
    catalog = ModelCatalog({"priced-model": {"input_per_mtok": 2.0, "output_per_mtok": 8.0}})
    client = make_client(server, model="priced-model-2025-01", catalog=catalog, recorder=recorder)
    client.chat([{"role": "user", "content": "x"}])
    assert recorder.records[0].cost_usd == pytest.approx(2.0)
    assert recorder.records[0].model == "priced-model-2025-01"


class DuckStore:
    """The two methods StoreRecorder needs from envfoundry.storage."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def record_llm_call(self, **row: Any) -> None:
        self.rows.append(row)

    def cached_llm_response(self, request_hash: str) -> dict[str, Any] | None:
        for row in self.rows:
            if row["request_hash"] == request_hash and row["status"] == "ok":
                return row["response"]
        return None


def test_store_recorder_replays_across_clients(server):
    server.add(OK)
    store = DuckStore()
    msgs = [{"role": "user", "content": "persist me"}]
    first = make_client(server, recorder=StoreRecorder(store, run_id="run-1"), role="proposer")
    first.chat(msgs)
    # A new client (a rerun) with the same store replays without HTTP.
    second = make_client(server, recorder=StoreRecorder(store, run_id="run-2"))
    assert second.chat(msgs).cached
    assert server.request_count == 1
    assert [r["status"] for r in store.rows] == ["ok", "cached"]
    assert store.rows[0]["role"] == "proposer" and store.rows[0]["run_id"] == "run-1"
    assert store.rows[1]["run_id"] == "run-2"
    assert set(store.rows[0]) == {
        "request_hash",
        "role",
        "model",
        "request",
        "response",
        "prompt_tokens",
        "completion_tokens",
        "latency_s",
        "cost_usd",
        "status",
        "error",
        "run_id",
    }


def test_records_are_frozen_data():
    rec = LLMCallRecord(request_hash="h", model="m", request={}, status="ok")
    with pytest.raises(ValueError):
        LLMCallRecord(request_hash="h", model="m", request={}, status="weird")  # type: ignore[arg-type]
    assert rec.model_dump()["status"] == "ok"


def test_from_settings_uses_role_overrides(server):
    server.add(OK)
    settings = Settings(
        llm_base_url="http://127.0.0.1:9/v1",
        llm_model="global-model",
        llm_roles={"proposer": LLMRole(base_url=server.base_url, model="proposer-model")},
        llm_max_retries=0,
    )
    client = LLMClient.from_settings(settings, role="proposer")
    assert client.chat([{"role": "user", "content": "x"}]).content == "ok"
    assert server.requests[0]["model"] == "proposer-model"
    assert client.role == "proposer" and client.max_retries == 0
    with pytest.raises(ConfigError, match="no LLM configured"):
        LLMClient.from_settings(Settings(llm_base_url=None, llm_model=None))


def test_parse_retry_after_forms():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    date = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after({"Retry-After": "7"}) == 7.0
    assert parse_retry_after({"retry-after": date}, now=now) == 30.0
    assert parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after({}) is None


def test_rate_limiter_waits_for_budget_with_fake_clock():
    clock = [0.0]

    def sleep(s: float) -> None:
        clock[0] += s

    limiter = RateLimiter(rpm=2, tpm=1000, clock=lambda: clock[0], sleep=sleep)
    limiter.acquire(100)
    limiter.acquire(100)
    assert clock[0] == 0.0
    limiter.acquire(100)  # the third request in a minute waits for a request token
    assert clock[0] >= 30.0
    before = clock[0]
    limiter.settle(2000)  # the replies were far bigger than estimated: tokens go negative
    limiter.acquire(10)
    assert clock[0] > before


def test_probe_endpoint(server):
    ok = probe_endpoint(Settings(llm_base_url=server.base_url, llm_model="fake-model"))
    assert ok["configured"] and ok["answers"] and ok["model_listed"] is True
    assert ok["error"] is None and ok["latency_s"] is not None
    missing = probe_endpoint(Settings(llm_base_url=None, llm_model=None))
    assert not missing["configured"] and not missing["answers"] and missing["error"]
    with FakeLLMServer() as other:
        url = other.base_url
    down = probe_endpoint(Settings(llm_base_url=url, llm_model="m"), timeout_s=1.0)
    assert down["configured"] and not down["answers"] and "ConnectError" in down["error"]


def test_concurrency_limit_holds_across_threads(server):
    from concurrent.futures import ThreadPoolExecutor

    server.add(*[{"delay": 0.05, "reply": {"content": f"r{i}"}} for i in range(6)])
    client = make_client(server, concurrency=2, cache=False)

    def ask(i: int) -> str | None:
        return client.chat([{"role": "user", "content": f"q{i}"}]).content

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(ask, range(6)))
    assert sorted(a or "" for a in answers) == [f"r{i}" for i in range(6)]
    assert server.request_count == 6
    assert 1 <= server.max_in_flight <= 2


def test_unparseable_reply_shapes_are_protocol_errors(server):
    server.add({"status": 200, "body": {"choices": []}}, {"status": 200, "body": [1, 2]})
    client = make_client(server, max_retries=0, cache=False)
    for _ in range(2):
        with pytest.raises(LLMProtocolError):
            client.chat([{"role": "user", "content": "x"}])


def test_corrupt_cached_body_is_a_miss(server):
    server.add(OK)
    recorder = MemoryRecorder()
    client = make_client(server, recorder=recorder)
    msgs = [{"role": "user", "content": "x"}]
    body = client.build_request(msgs)
    recorder.record(
        LLMCallRecord(
            request_hash=request_hash(body),
            model="fake-model",
            request=body,
            response={"garbage": True},
            status="ok",
        )
    )
    assert not client.chat(msgs).cached
    assert server.request_count == 1
