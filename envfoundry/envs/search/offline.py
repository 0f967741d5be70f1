"""The offline default knowledge source: the packaged-data graph, rendered and indexed.

The graph is built in memory on first use (about a second); its pages are indexed once
per data fingerprint under ``<data dir>/search/`` and reused by every later process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from envfoundry.envs.search.graph import Graph
from envfoundry.envs.search.index import INDEX_VERSION, SearchIndex, cached_index
from envfoundry.envs.search.pages import render_all
from envfoundry.envs.search.source import KnowledgeSource, Page, SearchHit, SearchSourceError
from envfoundry.envs.search.world import CITY_DATASETS, data_fingerprint, load_graph


def search_cache_dir(data_dir: Path | str | None = None) -> Path:
    """Where search indexes live: ``<data dir>/search`` (the configured data dir by default)."""
    if data_dir is None:
        from envfoundry.config import load_settings

        data_dir = load_settings().data_dir
    return Path(data_dir) / "search"


@dataclass(frozen=True)
class OfflineSource:
    """The knowledge graph and the search index of its pages (same content, same id)."""

    graph: Graph
    index: SearchIndex

    @property
    def corpus_id(self) -> str:
        return self.index.corpus_id

    @property
    def corpus_hash(self) -> str:
        return self.graph.fingerprint

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        return self.index.search(query, k)

    def open_page(self, page_id: str) -> Page:
        return self.index.open_page(page_id)


def corpus_id_for(graph: Graph) -> str:
    return f"kg-{graph.fingerprint[:20]}"


def build_offline_source(cache_dir: Path | str, min_city_population: int = 15000) -> OfflineSource:
    graph = load_graph(min_city_population)
    index = cached_index(cache_dir, corpus_id_for(graph), lambda: render_all(graph))
    return OfflineSource(graph=graph, index=index)


@lru_cache(maxsize=4)
def _cached(cache_dir: str, min_city_population: int) -> OfflineSource:
    return build_offline_source(cache_dir, min_city_population)


def offline_source(
    data_dir: Path | str | None = None, min_city_population: int = 15000
) -> OfflineSource:
    """The process-wide offline source for ``data_dir`` (built or loaded on first use)."""
    return _cached(str(search_cache_dir(data_dir)), min_city_population)


def _offline_dataset(corpus_id: str) -> int:
    """The city dataset whose offline corpus is ``corpus_id`` (the default when none is)."""
    for pop in sorted(CITY_DATASETS, key=lambda p: p != 15000):  # the default first
        if f"kg-{data_fingerprint(pop)[:20]}" == corpus_id:
            return pop
    return 15000


def open_corpus(
    corpus_id: str, data_dir: Path | str | None = None, min_city_population: int | None = None
) -> KnowledgeSource:
    """The source a stored task names: the offline graph, or a cached JSONL corpus index.

    An offline corpus is found among the packaged city datasets by its id (or built from
    ``min_city_population``'s when given). Raises :class:`SearchSourceError` when the
    corpus is not here (a JSONL corpus never indexed on this machine) or the packaged
    data changed since the task was made.
    """
    if corpus_id.startswith("kg-"):
        pop = _offline_dataset(corpus_id) if min_city_population is None else min_city_population
        source = offline_source(data_dir, pop)
        if source.corpus_id != corpus_id:
            raise SearchSourceError(
                f"corpus {corpus_id} is not the offline corpus of this installation "
                f"({source.corpus_id}): the packaged data or the graph code changed"
            )
        return source
    path = search_cache_dir(data_dir) / f"{corpus_id}.{INDEX_VERSION}.sqlite"
    if not path.is_file():
        raise SearchSourceError(f"corpus {corpus_id} has no index under {path.parent}")
    return SearchIndex(path)
