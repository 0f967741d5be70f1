"""Search tasks over a web-search API: the LLM driver builds one against a real local
HTTP server (search endpoint + HTML pages), and an episode is served over the same API
with the key read from the settings, never from the stored environment."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from envfoundry.config import load_settings
from envfoundry.families.search import FAMILY, SearchFamilyConfig, SearchWorker
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import TaskStatus
from tests.families.test_search_llm import PAGES, QA, _script

KEY = "web-key-42"


class _Site(BaseHTTPRequestHandler):
    """``/search?q=&count=`` (JSON, needs the key) and ``/p/<id>`` (HTML pages)."""

    keys: ClassVar[list[str | None]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, body: str, ctype: str) -> None:
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        base = f"http://{self.headers['Host']}/p/"
        if url.path == "/search":
            self.keys.append(self.headers.get("X-Api-Key"))
            if self.headers.get("X-Api-Key") != KEY:
                self._send(401, "{}", "application/json")
                return
            q = parse_qs(url.query)
            words = set(re.findall(r"\w+", q["q"][0].lower()))
            scored = sorted(
                (
                    (-len(words & set(re.findall(r"\w+", p["text"].lower()))), p["id"], p)
                    for p in PAGES
                ),
            )
            results = [
                {"url": base + p["id"], "title": p["title"], "snippet": p["text"][:40]}
                for score, _, p in scored[: int(q.get("count", ["5"])[0])]
                if score < 0
            ]
            self._send(200, json.dumps({"results": results}), "application/json")
            return
        page = next((p for p in PAGES if url.path == "/p/" + p["id"]), None)
        if page is None:
            self._send(404, "no", "text/plain")
            return
        body = "".join(f"<p>{escape(line)}</p>" for line in page["text"].split("\n"))
        links = "".join(f"<a href='{base}{t}'>{t}</a>" for t in page["links"])
        html = f"<html><title>{escape(page['title'])}</title><body>{body}{links}</body></html>"
        self._send(200, html, "text/html; charset=utf-8")


@pytest.fixture
def site() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _over_web(qa: dict[str, Any], base: str) -> dict[str, Any]:
    ev = [{**step, "page_id": f"{base}/p/{step['page_id']}"} for step in qa["evidence"]]
    return {**qa, "evidence": ev}


def test_llm_task_over_a_web_search_api_and_its_episode(
    site: str, monkeypatch: pytest.MonkeyPatch, _isolated_data_dir: Any
) -> None:
    monkeypatch.setenv("ENVFOUNDRY_SEARCH_WEB_API_KEY", KEY)
    web = {"endpoint": f"{site}/search", "key_header": "X-Api-Key", "key_prefix": ""}
    cfg = SearchFamilyConfig(
        driver="llm", web=web, seed_pages=(f"{site}/p/town/marrow",), languages=("en",)
    )
    script = _script(_over_web(QA, site), ("Marrow Bay", "Old Kessel Light"))
    # the construction agent opens pages by URL on this site
    for step in script:
        for call in step["reply"].get("tool_calls", []):
            if "page_id" in call["arguments"]:
                call["arguments"]["page_id"] = f"{site}/p/{call['arguments']['page_id']}"
    with FakeLLMServer(script) as srv:
        monkeypatch.setenv("ENVFOUNDRY_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("ENVFOUNDRY_LLM_MODEL", srv.model)
        assert FAMILY.check_config(cfg, load_settings()) == []
        worker = SearchWorker(cfg, 0, load_settings())
        proposal = worker.propose(FAMILY.plan(cfg, 0, None)[0])
        (outcome,) = worker.accept(proposal, "r")
        worker.close()
    assert outcome.status is TaskStatus.accepted, outcome.reason
    assert set(_Site.keys) == {KEY}  # every search call carried the key from the settings
    (env,) = proposal.environments
    assert env.category == "web" and "api_key" not in env.payload.data["web"]  # type: ignore[union-attr]
    assert KEY not in env.model_dump_json() and KEY not in outcome.task.model_dump_json()

    # an episode over the same API: the key comes from where the episode runs
    resources = SimpleNamespace(config=SimpleNamespace(max_steps=10), settings=load_settings())
    driver = FAMILY.episode_driver(resources, outcome.task, env)  # type: ignore[arg-type]
    hits = driver.call_tool("search", {"query": "Old Kessel Light designer"}, 5.0)
    assert hits.error is None and hits.result["results"][0]["title"] == "Old Kessel Light"
    page = driver.call_tool("open_page", {"page_id": f"{site}/p/light/kessel"}, 5.0)
    assert "Designer: Ada Frint" in page.result["text"].split("\n")
    assert driver.judge("Ada Frint", 5.0).passed and not driver.judge("Marrow Bay", 5.0).passed

    monkeypatch.delenv("ENVFOUNDRY_SEARCH_WEB_API_KEY")
    keyless = FAMILY.episode_driver(  # type: ignore[arg-type]
        SimpleNamespace(config=resources.config, settings=load_settings()), outcome.task, env
    )
    from envfoundry.envs.search import SearchSourceError

    with pytest.raises(SearchSourceError, match="401"):
        keyless.call_tool("search", {"query": "Veloria"}, 5.0)
