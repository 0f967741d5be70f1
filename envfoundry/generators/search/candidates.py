"""Shortcut answerers a kept question must defeat.

Each strategy answers the question without doing the multi-hop work a policy must do:

* ``top_search_hit`` — search the question text, take the best page and read the
  answer off it (following the question's hops when the page is of the anchor's type);
* ``top_search_hit:facts`` — the same with a query of only the facts the question
  states (names, codes, time zones), without its wording;
* ``one_hop_short`` — stop one hop early and answer with that entity;
* ``popular_without:<key>`` — drop one constraint and take the most popular entity that
  satisfies the others and has the question's hops (breadth must matter);
* ``most_popular`` — the most popular entity of the answer's type (a prior, no search);
* ``majority_answer`` — the answer most often reached by walking the question's hops from
  every entity of the anchor's type (the base rate: "most airports are in the US").

A question is kept only when every one of them is wrong.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from envfoundry.envs.search.graph import Entity, Graph
from envfoundry.envs.search.pages import fact_value
from envfoundry.envs.search.source import KnowledgeSource
from envfoundry.generators.search.construct import ConstraintIndex
from envfoundry.generators.search.schema import Language
from envfoundry.generators.search.spec import QuestionPlan


@dataclass(frozen=True)
class Shortcut:
    strategy: str
    answer: str | None
    note: str = ""


def answer_of(graph: Graph, entity: Entity, key: str, language: Language) -> str | None:
    """What an answerer that reached ``entity`` would say for ``key`` (as its page states)."""
    if key == "name":
        return entity.display(language)
    return fact_value(graph, entity, key)


def walk(graph: Graph, start: Entity, hops: tuple[str, ...]) -> Entity | None:
    cur: Entity | None = start
    for rel in hops:
        if cur is None:
            return None
        cur = graph.follow(cur, rel)
    return cur


def most_popular(
    index: ConstraintIndex, ids: frozenset[str], hops: tuple[str, ...] = (), tries: int = 5
) -> Entity | None:
    """The most popular entity among ``ids`` from which ``hops`` can be walked (of the
    ``tries`` most popular; ``None`` when none of them can)."""
    if not ids:
        return None
    etype = index.graph[next(iter(ids))].type
    for best in index.most_popular_first(etype, ids, tries):
        ent = index.graph[best]
        if walk(index.graph, ent, hops) is not None:
            return ent
    return None


_MAJORITY: dict[tuple[str, str, tuple[str, ...], str, str], str | None] = {}
_MAJORITY_LOCK = threading.Lock()


def majority_answer(graph: Graph, plan: QuestionPlan, language: Language) -> str | None:
    """The most frequent answer over all anchors of the plan's type (cached per shape)."""
    key = (graph.fingerprint, plan.anchor_type, plan.hops, plan.answer_key, language)
    with _MAJORITY_LOCK:
        if key in _MAJORITY:
            return _MAJORITY[key]
    counts: Counter[str] = Counter()
    for ent in graph.of_type(plan.anchor_type):
        end = walk(graph, ent, plan.hops)
        ans = answer_of(graph, end, plan.answer_key, language) if end else None
        if ans is not None:
            counts[ans] += 1
    found = counts.most_common(1)[0][0] if counts else None
    with _MAJORITY_LOCK:
        _MAJORITY[key] = found
    return found


def _from_hit(
    graph: Graph, hit_id: str, title: str, plan: QuestionPlan, final_type: str, language: Language
) -> tuple[str | None, str]:
    hit = graph.get(hit_id)
    if hit is None:
        return title, "page outside the graph"
    if hit.type == plan.anchor_type:
        end = walk(graph, hit, plan.hops)
        ans = answer_of(graph, end, plan.answer_key, language) if end else None
        return ans or hit.display(language), hit.id
    if hit.type == final_type:
        return answer_of(graph, hit, plan.answer_key, language), hit.id
    return hit.display(language), hit.id


def shortcut_answers(
    graph: Graph,
    source: KnowledgeSource,
    index: ConstraintIndex,
    plan: QuestionPlan,
    chain: tuple[Entity, ...],
    question: str,
    language: Language,
) -> list[Shortcut]:
    final_type = chain[-1].type
    out: list[Shortcut] = []

    facts_query = " ".join(c.stated for c in plan.constraints if c.kind in ("rel", "eq"))
    for strategy, query in (("top_search_hit", question), ("top_search_hit:facts", facts_query)):
        hits = source.search(query, 1) if query else []
        if hits:
            ans, note = _from_hit(graph, hits[0].page_id, hits[0].title, plan, final_type, language)
            out.append(Shortcut(strategy, ans, note))
        else:
            out.append(Shortcut(strategy, None, "no result"))

    short = chain[-2]
    ans = (
        answer_of(graph, short, plan.answer_key, language)
        if plan.answer_key in short.attrs
        else None
    )
    out.append(Shortcut("one_hop_short", ans or short.display(language), short.id))

    for i, c in enumerate(plan.constraints):
        rest = plan.constraints[:i] + plan.constraints[i + 1 :]
        best = most_popular(index, index.candidates(plan.anchor_type, rest), plan.hops)
        end = walk(graph, best, plan.hops) if best else None
        ans = answer_of(graph, end, plan.answer_key, language) if end else None
        out.append(Shortcut(f"popular_without:{c.key}", ans, best.id if best else "empty pool"))

    out.append(Shortcut("majority_answer", majority_answer(graph, plan, language)))
    top = most_popular(index, index.universe(final_type))
    out.append(
        Shortcut("most_popular", answer_of(graph, top, plan.answer_key, language) if top else None)
    )
    return out
