"""Knowledge sources for the search family: offline graph, JSONL corpus, web-search API.

All of them answer :class:`KnowledgeSource`'s ``search(query, k)`` and
``open_page(page_id)``; :mod:`.tools` exposes them to an episode as tools.
"""

from envfoundry.envs.search.corpus import jsonl_corpus
from envfoundry.envs.search.index import SearchIndex, build_index, cached_index
from envfoundry.envs.search.offline import (
    OfflineSource,
    offline_source,
    open_corpus,
    search_cache_dir,
)
from envfoundry.envs.search.source import (
    KnowledgeSource,
    Page,
    PageNotFoundError,
    SearchHit,
    SearchSourceError,
)
from envfoundry.envs.search.tools import SEARCH_TOOLS, call_tool
from envfoundry.envs.search.web import WebSearchConfig, WebSearchSource

__all__ = [
    "SEARCH_TOOLS",
    "KnowledgeSource",
    "OfflineSource",
    "Page",
    "PageNotFoundError",
    "SearchHit",
    "SearchIndex",
    "SearchSourceError",
    "WebSearchConfig",
    "WebSearchSource",
    "build_index",
    "cached_index",
    "call_tool",
    "jsonl_corpus",
    "offline_source",
    "open_corpus",
    "search_cache_dir",
]
