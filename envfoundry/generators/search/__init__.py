"""Search family generator: long-tail multi-hop questions over a knowledge source.

Public API: :func:`propose`, :func:`judge`, :class:`SearchConfig`, :class:`SearchTask`,
:class:`Rejection`, :class:`Funnel`, :func:`search_context`, :func:`to_task_spec`,
:func:`rejected_task_spec`, :func:`environment_spec`, :func:`corpus_environment`.
"""

from envfoundry.generators.search.api import (
    Funnel,
    SearchConfig,
    SearchContext,
    answer_schema,
    assess,
    corpus_environment,
    environment_spec,
    judge,
    propose,
    rejected_task_spec,
    search_context,
    to_task_spec,
)
from envfoundry.generators.search.spec import Rejection, SearchTask

SearchProposal = SearchTask

__all__ = [
    "Funnel",
    "Rejection",
    "SearchConfig",
    "SearchContext",
    "SearchProposal",
    "SearchTask",
    "answer_schema",
    "assess",
    "corpus_environment",
    "environment_spec",
    "judge",
    "propose",
    "rejected_task_spec",
    "search_context",
    "to_task_spec",
]
