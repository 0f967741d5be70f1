"""A web-search HTTP API behind the knowledge-source interface.

``search`` calls a JSON search endpoint (Brave-, Bing- or SearXNG-shaped: the results
list and its field names are configurable); a page id is the result's URL and
``open_page`` fetches it, either as HTML (text and links extracted) or from a JSON page
endpoint that returns ``{title, text, links}``. A web corpus has no content hash: its
``corpus_id`` names the endpoint, and the same query may answer differently tomorrow.
"""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.search.source import Page, PageNotFoundError, SearchHit, SearchSourceError


class WebSearchConfig(BaseModel):
    """Where the API is and how to read it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    endpoint: str = Field(min_length=1, description="search URL, e.g. https://api.example/search")
    api_key: str | None = None
    key_header: str = "Authorization"
    key_prefix: str = "Bearer "
    query_param: str = "q"
    count_param: str = "count"
    results_path: str = Field(default="results", description="dotted path to the results list")
    url_field: str = "url"
    title_field: str = "title"
    snippet_field: str = "snippet"
    page_mode: Literal["html", "json"] = "html"
    page_endpoint: str | None = Field(
        default=None, description="JSON page endpoint taking ?url=…; page_mode='json' only"
    )
    timeout_s: float = Field(default=15.0, gt=0)
    max_page_chars: int = Field(default=200_000, ge=1000)


class _TextAndLinks(HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
    )

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.parts: list[str] = []
        self.title = ""
        self.links: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "a":
            href = dict(attrs).get("href")
            if href:
                url = urljoin(self.base, href).split("#", 1)[0]
                if urlsplit(url).scheme in ("http", "https") and url not in self.links:
                    self.links.append(url)
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
        else:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _dig(data: Any, path: str) -> Any:
    for part in path.split(".") if path else ():
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


class WebSearchSource:
    """A web-search API as a knowledge source (thread-safe: one pooled httpx client)."""

    def __init__(self, config: WebSearchConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        headers = {"Accept": "application/json"}
        if config.api_key:
            headers[config.key_header] = f"{config.key_prefix}{config.api_key}"
        self._client = client or httpx.Client(
            timeout=config.timeout_s, headers=headers, follow_redirects=True
        )
        self.corpus_id = "web-" + hashlib.sha256(config.endpoint.encode()).hexdigest()[:20]

    def close(self) -> None:
        self._client.close()

    def _get(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        try:
            resp = self._client.get(url, params=params)
        except httpx.HTTPError as exc:
            raise SearchSourceError(f"web search: GET {url} failed: {exc}") from None
        if resp.status_code == 404:
            raise PageNotFoundError(f"{url} answered 404")
        if resp.status_code >= 400:
            raise SearchSourceError(f"web search: GET {url} answered {resp.status_code}")
        return resp

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        cfg = self.config
        if not query.strip() or k <= 0:
            return []
        resp = self._get(cfg.endpoint, {cfg.query_param: query, cfg.count_param: k})
        try:
            results = _dig(resp.json(), cfg.results_path)
        except ValueError:
            raise SearchSourceError(f"web search: {cfg.endpoint} did not answer JSON") from None
        if not isinstance(results, list):
            raise SearchSourceError(f"web search: no list at {cfg.results_path!r} in the answer")
        hits: list[SearchHit] = []
        for rank, item in enumerate(results[:k]):
            url = item.get(cfg.url_field) if isinstance(item, dict) else None
            if not isinstance(url, str) or not url:
                continue
            hits.append(
                SearchHit(
                    page_id=url,
                    title=str(item.get(cfg.title_field) or url),
                    snippet=str(item.get(cfg.snippet_field) or ""),
                    score=float(len(results) - rank),
                )
            )
        return hits

    def open_page(self, page_id: str) -> Page:
        cfg = self.config
        if urlsplit(page_id).scheme not in ("http", "https"):
            raise PageNotFoundError(f"{page_id!r} is not an http(s) URL")
        if cfg.page_mode == "json":
            if not cfg.page_endpoint:
                raise SearchSourceError("web search: page_mode='json' needs page_endpoint")
            data = self._get(cfg.page_endpoint, {"url": page_id}).json()
            if not isinstance(data, dict):
                raise SearchSourceError("web search: the page endpoint did not answer an object")
            return Page(
                id=page_id,
                title=str(data.get("title") or page_id),
                text=str(data.get("text") or "")[: cfg.max_page_chars],
                links=tuple(str(x) for x in data.get("links") or ()),
            )
        resp = self._get(page_id)
        parser = _TextAndLinks(str(resp.url))
        parser.feed(resp.text[: cfg.max_page_chars * 4])
        parser.close()
        return Page(
            id=page_id,
            title=" ".join(parser.title.split()) or page_id,
            text=parser.text()[: cfg.max_page_chars],
            links=tuple(parser.links),
        )
