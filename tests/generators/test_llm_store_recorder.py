"""LLM calls recorded in the real task store replay from its cache (no second request)."""

from __future__ import annotations

from pathlib import Path

from envfoundry.generators.llm import LLMClient, StoreRecorder
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.storage import Store


def test_store_recorder_records_and_replays(store_url: str, tmp_path: Path) -> None:
    store = Store(store_url, tmp_path / "blobs")
    store.upgrade()
    steps = [{"reply": {"content": "hello", "usage": {"prompt_tokens": 7, "completion_tokens": 2}}}]
    with FakeLLMServer(steps) as srv:
        rec = StoreRecorder(store, run_id="run-x")
        client = LLMClient(srv.base_url, srv.model, recorder=rec, backoff_base_s=0.01)
        first = client.chat([{"role": "user", "content": "hi"}], temperature=0)
        assert first.content == "hello" and not first.cached
        assert srv.request_count == 1
        # a new client on the same store: the reply comes from the store's cache
        again = LLMClient(srv.base_url, srv.model, recorder=StoreRecorder(store)).chat(
            [{"role": "user", "content": "hi"}], temperature=0
        )
        assert again.cached and again.content == "hello"
        assert srv.request_count == 1
    s = store.stats()["llm_calls"]
    assert s["count"] == 2 and s["prompt_tokens"] >= 7
