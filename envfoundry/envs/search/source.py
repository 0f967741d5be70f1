"""The knowledge-source interface: ``search(query, k)`` and ``open_page(page_id)``.

Every source — the offline knowledge graph, a user's JSONL corpus, a web-search API —
answers with the same frozen records, so the question generator, its shortcut
answerers and the episode tools never know which one is behind them.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.errors import SandboxError


class SearchSourceError(SandboxError):
    """The knowledge source itself failed (unreachable API, corrupt index): infrastructure."""


class PageNotFoundError(ValueError):
    """``open_page`` was given an id the source does not have (the caller's mistake)."""


class SearchHit(BaseModel):
    """One ranked result: the page it points at, its title and a snippet of its text."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    page_id: str
    title: str
    snippet: str
    score: float = Field(description="higher is better; only comparable within one result list")


class Page(BaseModel):
    """A page's full text and the ids of the pages it links to."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(min_length=1)
    title: str
    text: str
    links: tuple[str, ...] = ()


@runtime_checkable
class KnowledgeSource(Protocol):
    """What a search task's environment offers the policy (and the generator)."""

    @property
    def corpus_id(self) -> str:
        """Names the corpus *and its content*: equal ids mean equal pages."""
        ...

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        """The ``k`` best pages for ``query``, best first (empty for a query with no terms)."""
        ...

    def open_page(self, page_id: str) -> Page:
        """The page ``page_id``; :class:`PageNotFoundError` when there is none."""
        ...
