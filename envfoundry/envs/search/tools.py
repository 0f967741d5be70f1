"""The tools a search episode gives the policy, over any knowledge source.

``call_tool`` returns JSON-serialisable observations. A bad call (unknown tool, bad
arguments, unknown page) is answered with ``{"error": ...}`` — the policy's mistake is
data; a failing source raises :class:`SearchSourceError` (infrastructure).
"""

from __future__ import annotations

from typing import Any

from envfoundry.envs.search.source import KnowledgeSource, PageNotFoundError
from envfoundry.models import ToolSpec

MAX_K = 20
DEFAULT_K = 5
PAGE_CHARS = 8000

SEARCH_TOOL = ToolSpec(
    name="search",
    description="Search the knowledge source. Returns ranked results with page ids, titles and snippets.",
    parameters={
        "type": "object",
        "properties": {
            "query": {"type": "string", "minLength": 1, "description": "what to look for"},
            "k": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": DEFAULT_K},
        },
        "required": ["query"],
        "additionalProperties": False,
    },
)
OPEN_PAGE_TOOL = ToolSpec(
    name="open_page",
    description="Open a page by its id (from search results or a page's links). Returns its text and links.",
    parameters={
        "type": "object",
        "properties": {"page_id": {"type": "string", "minLength": 1}},
        "required": ["page_id"],
        "additionalProperties": False,
    },
)
SEARCH_TOOLS: tuple[ToolSpec, ...] = (SEARCH_TOOL, OPEN_PAGE_TOOL)


def call_tool(source: KnowledgeSource, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run tool ``name`` with ``args`` against ``source``; see the module docstring."""
    if not isinstance(args, dict):
        return {"error": "arguments must be a JSON object"}
    if name == "search":
        query, k = args.get("query"), args.get("k", DEFAULT_K)
        extra = set(args) - {"query", "k"}
        if not isinstance(query, str) or not query.strip():
            return {"error": "search needs a non-empty string 'query'"}
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
            return {"error": f"'k' must be an integer from 1 to {MAX_K}"}
        if extra:
            return {"error": f"unknown arguments: {sorted(extra)}"}
        hits = source.search(query, k)
        return {"results": [h.model_dump(mode="json") for h in hits]}
    if name == "open_page":
        page_id = args.get("page_id")
        if not isinstance(page_id, str) or not page_id or set(args) - {"page_id"}:
            return {"error": "open_page takes exactly one string argument 'page_id'"}
        try:
            page = source.open_page(page_id)
        except PageNotFoundError as exc:
            return {"error": str(exc)}
        text = page.text if len(page.text) <= PAGE_CHARS else page.text[:PAGE_CHARS] + "\n…"
        return {"id": page.id, "title": page.title, "text": text, "links": list(page.links)}
    return {"error": f"unknown tool {name!r}; the tools are search and open_page"}
