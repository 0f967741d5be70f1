"""The web-search adapter against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from envfoundry.envs.search import (
    KnowledgeSource,
    PageNotFoundError,
    SearchSourceError,
    WebSearchConfig,
    WebSearchSource,
    call_tool,
)

KEY = "test-key-123"
PAGES = {
    "/wiki/andorra": (
        "<html><head><title>Andorra - Wiki</title><style>.x{}</style></head><body>"
        "<h1>Andorra</h1><p>Capital: <a href='/wiki/andorra-la-vella'>Andorra la Vella</a></p>"
        "<script>var hidden = 1;</script><p>Currency: Euro &amp; nothing else</p>"
        "<a href='https://example.org/x#frag'>ext</a><a href='mailto:a@b'>mail</a></body></html>"
    ),
    "/wiki/andorra-la-vella": "<html><title>Andorra la Vella</title><p>A city.</p></html>",
}


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, dict[str, list[str]], str | None]]] = []

    def log_message(self, *args: object) -> None:  # keep test output clean
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
        query = parse_qs(url.query)
        self.requests.append((url.path, query, self.headers.get("X-Subscription-Token")))
        if url.path == "/api/search":
            if self.headers.get("X-Subscription-Token") != KEY:
                self._send(401, '{"error": "bad key"}', "application/json")
                return
            base = f"http://{self.headers['Host']}"
            results = [
                {"url": f"{base}/wiki/andorra", "title": "Andorra", "description": "A country."},
                {"url": f"{base}/wiki/andorra-la-vella", "title": "Andorra la Vella"},
                {"title": "no url, skipped"},
            ]
            count = int(query.get("count", ["10"])[0])
            self._send(200, json.dumps({"web": {"results": results[:count]}}), "application/json")
        elif url.path == "/api/page":
            target = urlsplit(query["url"][0]).path
            if target not in PAGES:
                self._send(404, "{}", "application/json")
                return
            body = {"title": target, "text": "plain text", "links": ["http://x/1"]}
            self._send(200, json.dumps(body), "application/json")
        elif url.path == "/broken":
            self._send(500, "oops", "text/plain")
        elif url.path in PAGES:
            self._send(200, PAGES[url.path], "text/html; charset=utf-8")
        else:
            self._send(404, "not found", "text/plain")


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _source(base: str, **kw: object) -> WebSearchSource:
    cfg = WebSearchConfig(
        endpoint=f"{base}/api/search",
        api_key=KEY,
        key_header="X-Subscription-Token",
        key_prefix="",
        results_path="web.results",
        snippet_field="description",
        **kw,  # type: ignore[arg-type]
    )
    return WebSearchSource(cfg)


def test_search_and_open_html_page(server: str) -> None:
    src = _source(server)
    try:
        assert isinstance(src, KnowledgeSource)
        hits = src.search("andorra", 5)
        assert [h.title for h in hits] == ["Andorra", "Andorra la Vella"]
        assert hits[0].snippet == "A country." and hits[0].score > hits[1].score
        assert _Handler.requests[-1][1] == {"q": ["andorra"], "count": ["5"]}
        assert _Handler.requests[-1][2] == KEY
        page = src.open_page(hits[0].page_id)
        assert page.title == "Andorra - Wiki"
        assert (
            "Capital: Andorra la Vella" in page.text
            and "Currency: Euro & nothing else" in page.text
        )
        assert "hidden" not in page.text and ".x{}" not in page.text
        assert page.links == (f"{server}/wiki/andorra-la-vella", "https://example.org/x")
        assert src.search("   ", 5) == []
        result = call_tool(src, "search", {"query": "andorra", "k": 1})
        assert result["results"][0]["page_id"] == f"{server}/wiki/andorra"
    finally:
        src.close()


def test_json_page_endpoint(server: str) -> None:
    src = _source(server, page_mode="json", page_endpoint=f"{server}/api/page")
    try:
        page = src.open_page(f"{server}/wiki/andorra")
        assert page.text == "plain text" and page.links == ("http://x/1",)
        with pytest.raises(PageNotFoundError):
            src.open_page(f"{server}/wiki/nowhere")
    finally:
        src.close()


def test_errors_are_typed(server: str) -> None:
    bad_key = WebSearchSource(
        WebSearchConfig(
            endpoint=f"{server}/api/search",
            api_key="wrong",
            key_header="X-Subscription-Token",
            key_prefix="",
        )
    )
    try:
        with pytest.raises(SearchSourceError, match="401"):
            bad_key.search("x")
    finally:
        bad_key.close()
    src = _source(server)
    try:
        with pytest.raises(SearchSourceError, match="500"):
            src.open_page(f"{server}/broken")
        with pytest.raises(PageNotFoundError):
            src.open_page(f"{server}/missing")
        with pytest.raises(PageNotFoundError):
            src.open_page("file:///etc/passwd")
        assert "error" in call_tool(src, "open_page", {"page_id": f"{server}/missing"})
    finally:
        src.close()
    gone = _source("http://127.0.0.1:9")  # nothing listens on the discard port
    try:
        with pytest.raises(SearchSourceError, match="failed"):
            gone.search("x")
    finally:
        gone.close()
