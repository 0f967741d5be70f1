"""Where the search family's LLM driver builds questions: a knowledge source and a seeded,
long-tail draw of start pages (the offline graph's sampler, a JSONL corpus's least-linked
pages, or configured seed pages — a web-search API has no list of pages to draw from)."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from envfoundry.envs.search.corpus import jsonl_corpus
from envfoundry.envs.search.graph import Graph
from envfoundry.envs.search.index import SearchIndex
from envfoundry.envs.search.source import KnowledgeSource, Page
from envfoundry.envs.search.web import WebSearchConfig, WebSearchSource
from envfoundry.errors import ConfigError


class PagePicker:
    """Seeded long-tail page draws: the fewest inbound links first (rank ``r`` of ``n``
    has weight ``((r + 1) / n) ** tail``, as the graph's sampler does by popularity)."""

    def __init__(self, ranked: list[str], tail: float) -> None:
        if not ranked:
            raise ValueError("no page to start a question from")
        n = len(ranked)
        self.ranked = ranked
        self.cum = list(itertools.accumulate(((r + 1) / n) ** tail for r in range(n)))

    @classmethod
    def by_inbound_links(cls, pages: list[Page], tail: float) -> PagePicker:
        inbound = {p.id: 0 for p in pages}
        for p in pages:
            for link in set(p.links):
                if link in inbound:
                    inbound[link] += 1
        return cls(sorted(inbound, key=lambda pid: (-inbound[pid], pid)), tail)

    def pick(self, rng: random.Random) -> str:
        x = rng.random() * self.cum[-1]
        return self.ranked[min(bisect.bisect_right(self.cum, x), len(self.cum) - 1)]


@dataclass
class LLMContext:
    """What an LLM proposal reads: the source, its graph (if any) and the anchor draw."""

    source: KnowledgeSource
    corpus_hash: str
    pick: Callable[[random.Random], str]
    graph: Graph | None = None


@lru_cache(maxsize=8)
def _jsonl_picker(index_path: str, tail: float) -> PagePicker:
    index = SearchIndex(index_path)
    return PagePicker.by_inbound_links([index.open_page(pid) for pid in index.page_ids()], tail)


def llm_context(
    *,
    corpus: str | None,
    web: WebSearchConfig | None,
    seed_pages: tuple[str, ...],
    offline: Callable[[], Any],
    cache_dir: Path,
    tail: float,
) -> LLMContext:
    """The source a run's LLM proposals read: a web-search API, a JSONL corpus, or the
    offline graph (``offline()`` builds or loads its search context)."""
    if web is not None:
        if not seed_pages:
            raise ConfigError("questions over a web-search API need seed_pages to start from")
        source: KnowledgeSource = WebSearchSource(web)
        return LLMContext(source, source.corpus_id, PagePicker(list(seed_pages), 0.0).pick)
    if corpus is not None:
        index = jsonl_corpus(corpus, cache_dir)
        picker = (
            PagePicker(list(seed_pages), 0.0)
            if seed_pages
            else _jsonl_picker(str(index.path), tail)
        )
        return LLMContext(index, index.corpus_id, picker.pick)
    ctx = offline()
    if seed_pages:
        return LLMContext(
            ctx.source, ctx.source.corpus_hash, PagePicker(list(seed_pages), 0.0).pick, ctx.graph
        )
    return LLMContext(
        ctx.source, ctx.source.corpus_hash, lambda rng: ctx.sampler.pick(rng).id, ctx.graph
    )
